/* Conformance: rt_barrier_new, rt_barrier_wait, rt_barrier_thread_count,
 * rt_barrier_free (spec/ffi/barrier.sdn), including upstream's sync.rs
 * test_barrier_basic, test_barrier_invalid and the low heap-tagged words. */
#include "conformance/rtc_threads.h"
#include "conformance/rtc_sync.h"
#include "runtime/sync_core.h"

static void await_users(RtValue v, int64_t n) { rtc_await_users(v, RT_HEAP_BARRIER, n); }

RTC_TEST(barrier, upstream_basic)
{
    RtValue b = rt_barrier_new(1);
    cr_assert(rt_value_is_heap(b));
    cr_assert_eq(rt_value_heap_type(b), RT_HEAP_BARRIER);
    cr_assert_eq(rt_barrier_thread_count(b), 1);
    cr_assert_eq(rt_barrier_wait(b), 1, "a single thread is the leader");
    cr_assert_eq(rt_barrier_wait(b), 1, "and again in the next round");
    rt_barrier_free(b);
}

RTC_TEST(barrier, upstream_invalid_counts)
{
    cr_assert_eq(rt_barrier_new(0), RT_NIL);
    cr_assert_eq(rt_barrier_new(-5), RT_NIL);
    cr_assert_eq(rt_barrier_new(INT64_MIN), RT_NIL);
    cr_assert_eq(rt_barrier_new((INT64_C(1) << 20) + 1), RT_NIL, "above 2^20: refused");
    cr_assert_eq(rt_barrier_new(INT64_MAX), RT_NIL);
    RtValue b = rt_barrier_new(INT64_C(1) << 20);
    cr_assert_eq(rt_barrier_thread_count(b), INT64_C(1) << 20, "2^20 is the limit, allowed");
    rt_barrier_free(b);
}

/* ---- rounds: every thread waits for all, one leader per round ---- */

typedef struct round_arg {
    RtValue b;
    long rounds;
    int n;
    _Atomic long *arrivals;   /* per round: threads that reached the barrier */
    _Atomic long *leaders;    /* per round: threads told they lead */
    long early;               /* passed before all n had arrived */
} round_arg;

static void *rounder(void *p)
{
    round_arg *a = p;
    for (long r = 0; r < a->rounds; r++) {
        atomic_fetch_add(&a->arrivals[r], 1);
        int64_t lead = rt_barrier_wait(a->b);
        if (atomic_load(&a->arrivals[r]) != a->n)
            a->early++;
        if (lead == 1)
            atomic_fetch_add(&a->leaders[r], 1);
    }
    return NULL;
}

static void run_rounds(int n, long rounds)
{
    round_arg *args = calloc((size_t)n, sizeof *args);
    _Atomic long *arrivals = calloc((size_t)rounds, sizeof *arrivals);
    _Atomic long *leaders = calloc((size_t)rounds, sizeof *leaders);
    cr_assert(args && arrivals && leaders);
    RtValue b = rt_barrier_new(n);
    for (int i = 0; i < n; i++)
        args[i] = (round_arg){.b = b, .rounds = rounds, .n = n, .arrivals = arrivals,
                              .leaders = leaders};
    rtc_team team;
    rtc_team_start(&team, n, rounder, args, sizeof args[0]);
    rtc_team_join(&team);
    long total = 0;
    for (int i = 0; i < n; i++)
        cr_assert_eq(args[i].early, 0, "thread %d left a round before everyone arrived", i);
    for (long r = 0; r < rounds; r++) {
        cr_assert_eq(atomic_load(&leaders[r]), 1, "round %ld has exactly one leader", r);
        total += atomic_load(&leaders[r]);
    }
    cr_assert_eq(total, rounds, "leaders == rounds");
    rt_barrier_free(b);
    cr_assert_eq(rt_barrier_thread_count(b), 0, "freed after the last round");
    free(args);
    free((void *)arrivals);
    free((void *)leaders);
}

RTC_TEST(barrier, two_threads_many_rounds, .timeout = RTC_SLOW_TIMEOUT)
{
    run_rounds(2, rtc_scale(1000, 10));
}

RTC_TEST(barrier, many_threads_many_rounds, .timeout = RTC_SLOW_TIMEOUT)
{
    run_rounds(8, rtc_stress() ? 10000 : 300);   /* stress: 8 threads x 10,000 rounds */
}

/* ---- free while threads wait ---- */

typedef struct waiter_arg {
    RtValue b;
    int64_t rc;
} waiter_arg;

static void *waiter(void *p)
{
    waiter_arg *w = p;
    w->rc = rt_barrier_wait(w->b);
    return NULL;
}

RTC_TEST(barrier, free_refused_while_threads_wait)
{
    waiter_arg w = {.b = rt_barrier_new(2), .rc = -1};
    cr_assert(rt_value_is_heap(w.b), "rt_barrier_new failed: nobody could ever wait on it");
    rtc_team team;
    rtc_team_start(&team, 1, waiter, &w, 0);
    await_users(w.b, 1);
    rt_barrier_free(w.b);
    cr_assert_eq(rt_barrier_thread_count(w.b), 2, "refused: a thread waits in this round");
    int64_t mine = rt_barrier_wait(w.b);   /* completes the round */
    rtc_team_join(&team);
    cr_assert_eq(mine + w.rc, 1, "one leader");
    cr_assert_eq(mine, 1, "the last to arrive leads");
    rt_barrier_free(w.b);
    cr_assert_eq(rt_barrier_thread_count(w.b), 0);
}

RTC_TEST(barrier, rt_free_releases_waiters_with_0)
{
    enum { N = 3 };
    waiter_arg w[N];
    RtValue b = rt_barrier_new(N + 1);   /* the round can never complete */
    cr_assert(rt_value_is_heap(b), "rt_barrier_new failed: nobody could ever wait on it");
    for (int i = 0; i < N; i++)
        w[i] = (waiter_arg){.b = b, .rc = -1};
    rtc_team team;
    rtc_team_start(&team, N, waiter, w, sizeof w[0]);
    await_users(b, N);
    rt_free(b);
    rtc_team_join(&team);
    for (int i = 0; i < N; i++)
        cr_assert_eq(w[i].rc, 0, "waiter %d", i);
    cr_assert_eq(rt_barrier_wait(b), 0, "freed: 0 at once");
}

/* ---- hostile input ---- */

RTC_TEST(barrier, hostile_values)
{
    RtValue str = rt_string_new((const uint8_t *)"b", 1);
    RtValue sem = rt_semaphore_new(4);
    RtValue dead = rt_barrier_new(1);
    rt_barrier_free(dead);
    RtValue bad[RTC_NBOGUS + RTC_NIMMEDIATE + 4];
    size_t n = 0;
    for (size_t i = 0; i < RTC_NBOGUS; i++)
        bad[n++] = rtc_bogus[i];
    for (int i = 0; i < RTC_NIMMEDIATE; i++)
        bad[n++] = rtc_immediate(i);
    bad[n++] = str;
    bad[n++] = sem;
    bad[n++] = dead;
    bad[n++] = rtc_freed_value();
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(rt_barrier_wait(bad[i]), 0, "value %zu", i);
        cr_assert_eq(rt_barrier_thread_count(bad[i]), 0);
        rt_barrier_free(bad[i]);
    }
    cr_assert_eq(rt_semaphore_count(sem), 4, "the semaphore was not touched");
    rt_free(str);
    rt_semaphore_free(sem);
}

RTC_TEST(barrier, allocation_failures_give_nil)
{
    RTC_EACH_ALLOCATION_FAILS(RtValue, rt_barrier_new(2), RT_NIL, rt_barrier_free);
}
