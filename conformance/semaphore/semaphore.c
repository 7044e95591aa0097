/* Conformance: rt_semaphore_new, rt_semaphore_acquire, rt_semaphore_try_acquire,
 * rt_semaphore_acquire_timeout, rt_semaphore_release, rt_semaphore_count,
 * rt_semaphore_free (spec/ffi/semaphore.sdn), including upstream's sync.rs
 * test_semaphore_basic and the low heap-tagged words. */
#include "conformance/rtc_threads.h"
#include "conformance/rtc_sync.h"
#include "runtime/sync_core.h"

static void await_users(RtValue v, int64_t n) { rtc_await_users(v, RT_HEAP_SEMAPHORE, n); }

RTC_TEST(semaphore, upstream_basic)
{
    RtValue s = rt_semaphore_new(2);
    cr_assert(rt_value_is_heap(s));
    cr_assert_eq(rt_value_heap_type(s), RT_HEAP_SEMAPHORE);
    cr_assert_eq(rt_semaphore_count(s), 2);
    cr_assert_eq(rt_semaphore_acquire(s), 1);
    cr_assert_eq(rt_semaphore_count(s), 1);
    cr_assert_eq(rt_semaphore_acquire(s), 1);
    cr_assert_eq(rt_semaphore_count(s), 0);
    cr_assert_eq(rt_semaphore_try_acquire(s), 0);
    cr_assert_eq(rt_semaphore_release(s), 1);
    cr_assert_eq(rt_semaphore_count(s), 1);
    rt_semaphore_free(s);
}

RTC_TEST(semaphore, initial_count_is_clamped_at_zero)
{
    const int64_t initial[] = {0, -1, -1000, INT64_MIN};
    for (size_t i = 0; i < sizeof initial / sizeof initial[0]; i++) {
        RtValue s = rt_semaphore_new(initial[i]);
        cr_assert_eq(rt_semaphore_count(s), 0, "initial %" PRId64, initial[i]);
        cr_assert_eq(rt_semaphore_try_acquire(s), 0);
        rt_semaphore_free(s);
    }
    RtValue big = rt_semaphore_new(INT64_MAX);
    cr_assert_eq(rt_semaphore_count(big), INT64_MAX);
    cr_assert_eq(rt_semaphore_release(big), 0, "refused at INT64_MAX instead of overflowing");
    cr_assert_eq(rt_semaphore_count(big), INT64_MAX);
    cr_assert_eq(rt_semaphore_try_acquire(big), 1);
    cr_assert_eq(rt_semaphore_release(big), 1);
    rt_semaphore_free(big);
}

RTC_TEST(semaphore, timeout_zero_or_negative_is_one_attempt)
{
    RtValue s = rt_semaphore_new(1);
    cr_assert_eq(rt_semaphore_acquire_timeout(s, 0), 1);
    cr_assert_eq(rt_semaphore_acquire_timeout(s, 0), 0);
    cr_assert_eq(rt_semaphore_acquire_timeout(s, -5), 0);
    cr_assert_eq(rt_semaphore_acquire_timeout(s, INT64_MIN), 0);
    cr_assert_eq(rt_semaphore_release(s), 1);
    cr_assert_eq(rt_semaphore_acquire_timeout(s, INT64_MAX), 1, "a unit is there: at once");
    cr_assert_eq(rt_semaphore_count(s), 0);
    rt_semaphore_free(s);
}

RTC_TEST(semaphore, timeout_expires_without_a_release)
{
    RtValue s = rt_semaphore_new(0);
    const int64_t ms = 30;
    double t0 = rtc_now_ms();
    cr_assert_eq(rt_semaphore_acquire_timeout(s, ms), 0);
    /* A lower bound only: the monotonic wait never ends early. */
    cr_assert_geq(rtc_now_ms() - t0, (double)ms - 1.0, "returned before the timeout");
    cr_assert_eq(rt_semaphore_count(s), 0);
    rt_semaphore_free(s);
}

/* ---- a blocked acquirer ---- */

typedef struct acq_arg {
    RtValue s;
    int64_t timeout_ms;   /* < 0: rt_semaphore_acquire */
    int64_t rc;
    _Atomic int done;
} acq_arg;

static void *acquirer(void *p)
{
    acq_arg *a = p;
    a->rc = a->timeout_ms < 0 ? rt_semaphore_acquire(a->s)
                              : rt_semaphore_acquire_timeout(a->s, a->timeout_ms);
    atomic_store(&a->done, 1);
    return NULL;
}

RTC_TEST(semaphore, release_wakes_a_blocked_acquirer)
{
    const int64_t timeouts[] = {-1, 600000, INT64_MAX};
    for (size_t i = 0; i < sizeof timeouts / sizeof timeouts[0]; i++) {
        acq_arg a = {.s = rt_semaphore_new(0), .timeout_ms = timeouts[i]};
        rtc_team team;
        rtc_team_start(&team, 1, acquirer, &a, 0);
        await_users(a.s, 1);
        rtc_sleep_ms(10);
        cr_assert_eq(atomic_load(&a.done), 0, "acquired a unit that does not exist");
        rt_semaphore_free(a.s);
        cr_assert_eq(rt_semaphore_count(a.s), 0, "free refused while a thread is blocked");
        cr_assert_eq(rtx_sync_test_users(a.s, RT_HEAP_SEMAPHORE), 1);
        cr_assert_eq(rt_semaphore_release(a.s), 1);
        rtc_team_join(&team);
        cr_assert_eq(a.rc, 1, "timeout %" PRId64, timeouts[i]);
        cr_assert_eq(rt_semaphore_count(a.s), 0, "the waiter took the released unit");
        rt_semaphore_free(a.s);
        cr_assert_eq(rt_semaphore_release(a.s), 0, "freed");
    }
}

RTC_TEST(semaphore, rt_free_wakes_blocked_acquirers_with_0)
{
    enum { N = 3 };
    acq_arg a[N];
    RtValue s = rt_semaphore_new(0);
    for (int i = 0; i < N; i++)
        a[i] = (acq_arg){.s = s, .timeout_ms = i == 0 ? -1 : 600000};
    rtc_team team;
    rtc_team_start(&team, N, acquirer, a, sizeof a[0]);
    await_users(s, N);
    rt_free(s);   /* cannot refuse: the waiters give up */
    rtc_team_join(&team);
    for (int i = 0; i < N; i++)
        cr_assert_eq(a[i].rc, 0, "waiter %d", i);
    cr_assert_eq(rt_semaphore_count(s), 0);
}

/* ---- units are conserved under contention ---- */

typedef struct pool_arg {
    RtValue s;
    long rounds;
    _Atomic int *inside;   /* threads holding a unit right now */
    int limit;
    long bad, got;
} pool_arg;

static void *pool_user(void *p)
{
    pool_arg *a = p;
    for (long i = 0; i < a->rounds; i++) {
        int64_t rc;
        switch (i % 3) {
        case 0: rc = rt_semaphore_acquire(a->s); break;
        case 1: rc = rt_semaphore_acquire_timeout(a->s, 60000); break;
        default:
            rc = rt_semaphore_try_acquire(a->s);
            break;
        }
        if (rc != 1)
            continue;   /* only try_acquire may fail */
        a->got++;
        if (atomic_fetch_add(a->inside, 1) + 1 > a->limit)
            a->bad++;   /* more holders than units */
        atomic_fetch_sub(a->inside, 1);
        if (rt_semaphore_release(a->s) != 1)
            a->bad++;
    }
    return NULL;
}

RTC_TEST(semaphore, never_more_holders_than_units, .timeout = RTC_SLOW_TIMEOUT)
{
    enum { N = 8, UNITS = 3 };
    pool_arg args[N];
    _Atomic int inside = 0;
    RtValue s = rt_semaphore_new(UNITS);
    long rounds = rtc_scale(1500, 40);
    for (int i = 0; i < N; i++)
        args[i] = (pool_arg){.s = s, .rounds = rounds, .inside = &inside, .limit = UNITS};
    rtc_team team;
    rtc_team_start(&team, N, pool_user, args, sizeof args[0]);
    rtc_team_join(&team);
    for (int i = 0; i < N; i++) {
        cr_assert_eq(args[i].bad, 0, "thread %d", i);
        cr_assert_geq(args[i].got, rounds * 2 / 3, "blocking forms always get a unit");
    }
    cr_assert_eq(rt_semaphore_count(s), UNITS, "every unit came back");
    rt_semaphore_free(s);
}

/* ---- hostile input ---- */

RTC_TEST(semaphore, hostile_values)
{
    RtValue str = rt_string_new((const uint8_t *)"s", 1);
    RtValue bar = rt_barrier_new(2);
    RtValue dead = rt_semaphore_new(5);
    rt_semaphore_free(dead);
    RtValue bad[RTC_NBOGUS + RTC_NIMMEDIATE + 4];
    size_t n = 0;
    for (size_t i = 0; i < RTC_NBOGUS; i++)
        bad[n++] = rtc_bogus[i];
    for (int i = 0; i < RTC_NIMMEDIATE; i++)
        bad[n++] = rtc_immediate(i);
    bad[n++] = str;
    bad[n++] = bar;
    bad[n++] = dead;
    bad[n++] = rtc_freed_value();
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(rt_semaphore_acquire(bad[i]), 0, "value %zu", i);
        cr_assert_eq(rt_semaphore_try_acquire(bad[i]), 0);
        cr_assert_eq(rt_semaphore_acquire_timeout(bad[i], 1000), 0);
        cr_assert_eq(rt_semaphore_release(bad[i]), 0);
        cr_assert_eq(rt_semaphore_count(bad[i]), 0);
        rt_semaphore_free(bad[i]);
    }
    cr_assert_eq(rt_barrier_thread_count(bar), 2, "the barrier was not touched");
    rt_free(str);
    rt_barrier_free(bar);
}

RTC_TEST(semaphore, allocation_failures_give_nil)
{
    RTC_EACH_ALLOCATION_FAILS(RtValue, rt_semaphore_new(3), RT_NIL, rt_semaphore_free);
}
