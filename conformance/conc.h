/*
 * conformance/conc.h — helpers for the concurrent families' suites
 * (executor, thread, future, par): stress sizes per build, and a gate that
 * holds threads until a test releases them (no sleeps, no timing asserts).
 *
 * Sizes: SIMPLERT_STRESS=1 (make qualify) runs the full size; Valgrind
 * (the fork-runner build, -DRTC_FORK_RUNNER) and ThreadSanitizer run a
 * smaller one so `make test` stays fast; ASan runs the normal size.
 */
#ifndef RTC_CONC_H
#define RTC_CONC_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/mem.h"

#if defined(__SANITIZE_THREAD__)
#define RTC_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define RTC_TSAN 1
#endif
#endif

static inline int rtc_stress(void)
{
    const char *s = getenv("SIMPLERT_STRESS");
    return s != NULL && strcmp(s, "1") == 0;
}

/* full under SIMPLERT_STRESS=1; otherwise normal, or small under Valgrind/TSan. */
static inline long rtc_size(long full, long normal, long small)
{
    if (rtc_stress())
        return full;
#if defined(RTC_FORK_RUNNER) || defined(RTC_TSAN)
    (void)normal;
    return small;
#else
    (void)small;
    return normal;
#endif
}

/* A gate: threads wait() until the test calls open(). */
typedef struct rtc_gate {
    pthread_mutex_t m;
    pthread_cond_t c;
    int open;
    int waiting;
} rtc_gate;
#define RTC_GATE_INIT {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0}

static inline void rtc_gate_wait(rtc_gate *g)
{
    pthread_mutex_lock(&g->m);
    g->waiting++;
    pthread_cond_broadcast(&g->c);
    while (!g->open)
        pthread_cond_wait(&g->c, &g->m);
    pthread_mutex_unlock(&g->m);
}

static inline void rtc_gate_open(rtc_gate *g)
{
    pthread_mutex_lock(&g->m);
    g->open = 1;
    pthread_cond_broadcast(&g->c);
    pthread_mutex_unlock(&g->m);
}

/* Block until n threads are waiting at the gate. */
static inline void rtc_gate_await_waiters(rtc_gate *g, int n)
{
    pthread_mutex_lock(&g->m);
    while (g->waiting < n)
        pthread_cond_wait(&g->c, &g->m);
    pthread_mutex_unlock(&g->m);
}

#endif /* RTC_CONC_H */
