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
#include "runtime/mem.h"

/* True under SIMPLERT_STRESS=1. */
static inline int rtc_stress(void)
{
    const char *s = getenv("SIMPLERT_STRESS");
    return s != NULL && s[0] == '1';
}

/* n in a normal run, n * factor under SIMPLERT_STRESS=1. */
static inline long rtc_scale(long n, long factor) { return rtc_stress() ? n * factor : n; }

/* The one .timeout (seconds) of every long test in these suites. It must be
 * the same value throughout a suite: Criterion 2.4.1's BoxFort keeps test
 * deadlines in a sorted list, and inserting a deadline earlier than one
 * already queued drops the rest of the list (bxfi_push_timeout assigns
 * *nptr = req without linking req->next), which LeakSanitizer reports as a
 * 48-byte leak in libcriterion when two tests with different timeouts run in
 * parallel. With equal timeouts a later test always has the later deadline. */
#define RTC_SLOW_TIMEOUT 300

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

/* Fault injection (testing builds), SQLite-style: fail the 1st allocation
 * `expr` makes, then the 2nd, ... until `expr` makes no more than that and
 * succeeds. Each failed run must give `dflt` and leave nothing behind
 * (RTC_TEST checks the heap count and LSan afterwards); `cleanup(v)` frees
 * the final success. At least one allocation must have been failed, so the
 * test proves something (run it where `expr` still allocates: a fresh test
 * process has empty pools and handle pages). */
#define RTC_EACH_ALLOCATION_FAILS(T, expr, dflt, cleanup)                                   \
    do {                                                                                   \
        uint64_t k_ = 1;                                                                   \
        for (;; k_++) {                                                                    \
            rtx_mem_fail_at(k_, 1);                                                        \
            T v_ = (expr);                                                                 \
            rtx_mem_fail_at(0, 0);                                                         \
            if (v_ != (dflt)) {                                                            \
                cleanup(v_);                                                               \
                break;                                                                     \
            }                                                                              \
            cr_assert_lt(k_, 64, #expr " keeps failing with memory back");                 \
        }                                                                                  \
        cr_assert_gt(k_, 1, #expr " made no allocation that could fail");                  \
    } while (0)

#endif /* RTC_THREADS_H */
