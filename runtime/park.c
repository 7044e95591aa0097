/*
 * runtime/park.c — futex-style waiting (see park.h).
 *
 * Internal to the executor, thread, future and par families; implements no
 * FFI row.
 */
#include "runtime/park.h"

#include <limits.h>
#include <time.h>

#if defined(__linux__)
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

void rtx_park_wait(_Atomic uint32_t *word, uint32_t expected, int64_t timeout_ns)
{
    struct timespec ts, *tp = NULL;
    if (timeout_ns >= 0) {
        ts.tv_sec = (time_t)(timeout_ns / 1000000000);
        ts.tv_nsec = (long)(timeout_ns % 1000000000);
        tp = &ts;
    }
    /* EINTR, EAGAIN (word changed) and ETIMEDOUT all mean "re-check". */
    (void)syscall(SYS_futex, (uint32_t *)word, FUTEX_WAIT_PRIVATE, expected, tp, NULL, 0);
}

void rtx_park_wake(_Atomic uint32_t *word, int n)
{
    if (n <= 0)
        n = INT_MAX;
    (void)syscall(SYS_futex, (uint32_t *)word, FUTEX_WAKE_PRIVATE, n, NULL, NULL, 0);
}

#else /* a parking lot: waiters sleep on the condvar of their word's stripe */
#include <pthread.h>

#define NSTRIPES 64
static struct {
    pthread_mutex_t m;
    pthread_cond_t c;
} lot[NSTRIPES];
static pthread_once_t lot_once = PTHREAD_ONCE_INIT;

static void lot_init(void)
{
    for (int i = 0; i < NSTRIPES; i++) {
        pthread_mutex_init(&lot[i].m, NULL);
        pthread_cond_init(&lot[i].c, NULL);
    }
}

static unsigned stripe(const void *p) { return (unsigned)(((uintptr_t)p >> 4) % NSTRIPES); }

void rtx_park_wait(_Atomic uint32_t *word, uint32_t expected, int64_t timeout_ns)
{
    pthread_once(&lot_once, lot_init);
    unsigned s = stripe(word);
    pthread_mutex_lock(&lot[s].m);
    if (atomic_load(word) == expected) {
        if (timeout_ns < 0) {
            pthread_cond_wait(&lot[s].c, &lot[s].m);
        } else {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            int64_t ns = ts.tv_nsec + timeout_ns % 1000000000;
            ts.tv_sec += (time_t)(timeout_ns / 1000000000 + ns / 1000000000);
            ts.tv_nsec = (long)(ns % 1000000000);
            pthread_cond_timedwait(&lot[s].c, &lot[s].m, &ts);
        }
    }
    pthread_mutex_unlock(&lot[s].m);
}

void rtx_park_wake(_Atomic uint32_t *word, int n)
{
    (void)n;
    pthread_once(&lot_once, lot_init);
    unsigned s = stripe(word);
    pthread_mutex_lock(&lot[s].m);
    pthread_cond_broadcast(&lot[s].c);
    pthread_mutex_unlock(&lot[s].m);
}
#endif

uint64_t rtx_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
