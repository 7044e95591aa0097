/*
 * conformance/rtc_threads.h — helpers for the suites of the concurrent
 * families (atomic, mutex, rwlock, semaphore, barrier, async_file).
 *
 * Assertions stay on the test's main thread: worker threads record what they
 * saw in shared state and the test checks it after joining them (a failed
 * cr_assert off the main thread would not end the test cleanly).
 *
 * Stress sizes: `make test` runs a short version of every race test;
 * SIMPLERT_STRESS=1 (set by `make qualify`) multiplies the work.
 */
#ifndef RTC_THREADS_H
#define RTC_THREADS_H

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "conformance/rtc.h"

/* True under SIMPLERT_STRESS=1. */
static inline int rtc_stress(void)
{
    const char *s = getenv("SIMPLERT_STRESS");
    return s != NULL && s[0] == '1';
}

/* n in a normal run, n * factor under SIMPLERT_STRESS=1. */
static inline long rtc_scale(long n, long factor) { return rtc_stress() ? n * factor : n; }

#define RTC_MAX_THREADS 64

typedef struct rtc_team {
    pthread_t t[RTC_MAX_THREADS];
    int n;
} rtc_team;

/* Start n threads running fn(arg_i), arg_i = args + i * stride bytes. */
static inline void rtc_team_start(rtc_team *team, int n, void *(*fn)(void *), void *args,
                                  size_t stride)
{
    cr_assert(n > 0 && n <= RTC_MAX_THREADS);
    team->n = 0;
    for (int i = 0; i < n; i++) {
        void *a = args ? (char *)args + (size_t)i * stride : NULL;
        cr_assert_eq(pthread_create(&team->t[i], NULL, fn, a), 0, "pthread_create %d", i);
        team->n++;
    }
}

static inline void rtc_team_join(rtc_team *team)
{
    for (int i = 0; i < team->n; i++)
        cr_assert_eq(pthread_join(team->t[i], NULL), 0);
    team->n = 0;
}

static inline void rtc_sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) != 0) {
    }
}

/* Milliseconds on the monotonic clock. */
static inline double rtc_now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* Spin (yielding) until *flag is non-zero; the suite's timeout bounds it. */
static inline void rtc_await_flag(_Atomic int *flag)
{
    while (atomic_load(flag) == 0)
        sched_yield();
}

#endif /* RTC_THREADS_H */
