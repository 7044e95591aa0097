/*
 * conformance/conc.h — helpers for the concurrent families' suites
 * (executor, thread, future, par): stress sizes per build, and a gate that
 * holds threads until a test releases them (no sleeps, no timing asserts).
 *
 * Sizes: ASan and ThreadSanitizer run the normal size (1M tasks, 1M
 * elements), Valgrind (the fork-runner build, -DRTC_FORK_RUNNER) a small
 * one so `make test` stays fast. SIMPLERT_STRESS=1 (make qualify) moves
 * every build one step up: the full size, and the normal one under Valgrind.
 */
#ifndef RTC_CONC_H
#define RTC_CONC_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/mem.h"

static inline int rtc_stress(void)
{
    const char *s = getenv("SIMPLERT_STRESS");
    return s != NULL && strcmp(s, "1") == 0;
}

/* See the file comment for which size each build runs. */
static inline long rtc_size(long full, long normal, long small)
{
#if defined(RTC_FORK_RUNNER)
    (void)full;
    return rtc_stress() ? normal : small;
#else
    (void)small;
    return rtc_stress() ? full : normal;
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

/* Count an arrival without waiting. A thread whose call returned without
 * reaching the gate (an allocation refused under make oom) calls it so that
 * rtc_gate_await_waiters returns and the test fails on the result, instead
 * of waiting for ever. After the gate opened it changes nothing. */
static inline void rtc_gate_arrive(rtc_gate *g)
{
    pthread_mutex_lock(&g->m);
    g->waiting++;
    pthread_cond_broadcast(&g->c);
    pthread_mutex_unlock(&g->m);
}

#endif /* RTC_CONC_H */
