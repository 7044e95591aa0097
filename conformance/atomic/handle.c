/* Conformance: rt_atomic_int_*, rt_atomic_bool_*, rt_atomic_flag_*
 * (spec/ffi/atomic.sdn, integer-handle atomics), including every test of
 * upstream's ffi/atomic.rs: bool basic/swap, int basic/swap/compare_exchange/
 * fetch_add/sub/and/or/xor, flag, invalid handle 99999, multiple atomics. */
#include "conformance/rtc_threads.h"

RTC_TEST(atomic_handle, upstream_bool)
{
    int64_t h = rt_atomic_bool_new(0);
    cr_assert_gt(h, 0);
    cr_assert_eq(rt_atomic_bool_load(h), 0);
    rt_atomic_bool_store(h, 1);
    cr_assert_eq(rt_atomic_bool_load(h), 1);
    cr_assert_eq(rt_atomic_bool_swap(h, 0), 1);
    cr_assert_eq(rt_atomic_bool_load(h), 0);
    cr_assert_eq(rt_atomic_bool_swap(h, 1), 0);
    cr_assert_eq(rt_atomic_bool_load(h), 1);
    rt_atomic_bool_free(h);
    cr_assert_eq(rt_atomic_bool_load(h), 0, "freed");
}

RTC_TEST(atomic_handle, bool_any_nonzero_is_true)
{
    const int64_t truthy[] = {1, 2, -1, 256, INT64_MIN, INT64_MAX};
    for (size_t i = 0; i < sizeof truthy / sizeof truthy[0]; i++) {
        int64_t h = rt_atomic_bool_new(truthy[i]);
        cr_assert_eq(rt_atomic_bool_load(h), 1, "new(%" PRId64 ")", truthy[i]);
        rt_atomic_bool_store(h, 0);
        cr_assert_eq(rt_atomic_bool_swap(h, truthy[i]), 0);
        cr_assert_eq(rt_atomic_bool_load(h), 1, "answers are 0 or 1, never the word");
        rt_atomic_bool_store(h, truthy[i]);
        cr_assert_eq(rt_atomic_bool_load(h), 1);
        rt_atomic_bool_free(h);
    }
}

RTC_TEST(atomic_handle, upstream_int)
{
    int64_t h = rt_atomic_int_new(42);
    cr_assert_eq(rt_atomic_int_load(h), 42);
    rt_atomic_int_store(h, 100);
    cr_assert_eq(rt_atomic_int_load(h), 100);
    rt_atomic_int_free(h);

    h = rt_atomic_int_new(10);
    cr_assert_eq(rt_atomic_int_swap(h, 20), 10);
    cr_assert_eq(rt_atomic_int_load(h), 20);
    rt_atomic_int_free(h);

    h = rt_atomic_int_new(100);
    cr_assert_eq(rt_atomic_int_compare_exchange(h, 100, 200), 1);
    cr_assert_eq(rt_atomic_int_load(h), 200);
    cr_assert_eq(rt_atomic_int_compare_exchange(h, 100, 300), 0);
    cr_assert_eq(rt_atomic_int_load(h), 200);
    rt_atomic_int_free(h);

    h = rt_atomic_int_new(10);
    cr_assert_eq(rt_atomic_int_fetch_add(h, 5), 10);
    cr_assert_eq(rt_atomic_int_load(h), 15);
    rt_atomic_int_free(h);

    h = rt_atomic_int_new(20);
    cr_assert_eq(rt_atomic_int_fetch_sub(h, 7), 20);
    cr_assert_eq(rt_atomic_int_load(h), 13);
    rt_atomic_int_free(h);

    h = rt_atomic_int_new(0xF);
    cr_assert_eq(rt_atomic_int_fetch_and(h, 0xC), 0xF);
    cr_assert_eq(rt_atomic_int_load(h), 0xC);
    rt_atomic_int_free(h);

    h = rt_atomic_int_new(0xA);
    cr_assert_eq(rt_atomic_int_fetch_or(h, 0x5), 0xA);
    cr_assert_eq(rt_atomic_int_load(h), 0xF);
    rt_atomic_int_free(h);

    h = rt_atomic_int_new(0xA);
    cr_assert_eq(rt_atomic_int_fetch_xor(h, 0xC), 0xA);
    cr_assert_eq(rt_atomic_int_load(h), 0x6);
    rt_atomic_int_free(h);
}

RTC_TEST(atomic_handle, int_wraps_over_the_full_range)
{
    int64_t h = rt_atomic_int_new(INT64_MAX);
    cr_assert_eq(rt_atomic_int_fetch_add(h, 1), INT64_MAX);
    cr_assert_eq(rt_atomic_int_load(h), INT64_MIN);
    cr_assert_eq(rt_atomic_int_fetch_sub(h, 1), INT64_MIN);
    cr_assert_eq(rt_atomic_int_load(h), INT64_MAX);
    cr_assert_eq(rt_atomic_int_swap(h, INT64_MIN), INT64_MAX);
    cr_assert_eq(rt_atomic_int_compare_exchange(h, INT64_MIN, -1), 1);
    cr_assert_eq(rt_atomic_int_load(h), -1);
    rt_atomic_int_free(h);
}

RTC_TEST(atomic_handle, upstream_flag)
{
    int64_t h = rt_atomic_flag_new();
    cr_assert_gt(h, 0);
    cr_assert_eq(rt_atomic_flag_test_and_set(h), 0, "was clear");
    cr_assert_eq(rt_atomic_flag_test_and_set(h), 1, "was set");
    rt_atomic_flag_clear(h);
    cr_assert_eq(rt_atomic_flag_test_and_set(h), 0);
    rt_atomic_flag_free(h);
    cr_assert_eq(rt_atomic_flag_test_and_set(h), 0, "freed: 0, nothing set");
}

RTC_TEST(atomic_handle, upstream_multiple_atomics)
{
    int64_t b1 = rt_atomic_bool_new(0), b2 = rt_atomic_bool_new(1), b3 = rt_atomic_bool_new(0);
    cr_assert(b1 != b2 && b2 != b3 && b1 != b3);
    cr_assert_eq(rt_atomic_bool_load(b1), 0);
    cr_assert_eq(rt_atomic_bool_load(b2), 1);
    cr_assert_eq(rt_atomic_bool_load(b3), 0);
    rt_atomic_bool_free(b1);
    rt_atomic_bool_free(b2);
    rt_atomic_bool_free(b3);
    int64_t i1 = rt_atomic_int_new(10), i2 = rt_atomic_int_new(20);
    cr_assert_eq(rt_atomic_int_load(i1), 10);
    cr_assert_eq(rt_atomic_int_load(i2), 20);
    rt_atomic_int_free(i1);
    rt_atomic_int_free(i2);
}

/* Every function on a handle that is not a live one of its kind. */
static void expect_dead_int(int64_t h)
{
    cr_assert_eq(rt_atomic_int_load(h), 0, "handle %" PRId64, h);
    rt_atomic_int_store(h, 42);
    cr_assert_eq(rt_atomic_int_swap(h, 42), 0);
    cr_assert_eq(rt_atomic_int_compare_exchange(h, 0, 1), 0);
    cr_assert_eq(rt_atomic_int_fetch_add(h, 1), 0);
    cr_assert_eq(rt_atomic_int_fetch_sub(h, 1), 0);
    cr_assert_eq(rt_atomic_int_fetch_and(h, 1), 0);
    cr_assert_eq(rt_atomic_int_fetch_or(h, 1), 0);
    cr_assert_eq(rt_atomic_int_fetch_xor(h, 1), 0);
    rt_atomic_int_free(h);
}

static void expect_dead_bool_flag(int64_t h)
{
    cr_assert_eq(rt_atomic_bool_load(h), 0, "handle %" PRId64, h);
    rt_atomic_bool_store(h, 1);
    cr_assert_eq(rt_atomic_bool_swap(h, 1), 0);
    rt_atomic_bool_free(h);
    cr_assert_eq(rt_atomic_flag_test_and_set(h), 0);
    rt_atomic_flag_clear(h);
    rt_atomic_flag_free(h);
}

RTC_TEST(atomic_handle, invalid_handles)
{
    const int64_t bogus[] = {99999, 0, -1, 1, INT64_MIN, INT64_MAX, (int64_t)0xDEADBEEF,
                             (INT64_C(3) << 48) | 1, (INT64_C(3) << 48) | (INT64_C(5) << 24) | 7};
    for (size_t i = 0; i < sizeof bogus / sizeof bogus[0]; i++) {
        expect_dead_int(bogus[i]);
        expect_dead_bool_flag(bogus[i]);
    }
}

RTC_TEST(atomic_handle, kinds_do_not_mix)
{
    int64_t i = rt_atomic_int_new(7), b = rt_atomic_bool_new(1), f = rt_atomic_flag_new();
    int64_t o = rt_once_new();
    /* An int handle is no bool or flag handle and vice versa. */
    expect_dead_bool_flag(i);
    expect_dead_bool_flag(o);
    expect_dead_int(b);
    expect_dead_int(f);
    expect_dead_int(o);
    cr_assert_eq(rt_atomic_bool_load(f), 0);
    cr_assert_eq(rt_atomic_flag_test_and_set(b), 0);
    cr_assert_eq(rt_atomic_int_load(i), 7, "the int was not touched");
    cr_assert_eq(rt_atomic_bool_load(b), 1, "the bool was not touched");
    cr_assert_eq(rt_atomic_flag_test_and_set(f), 0, "the flag was not touched");
    rt_atomic_int_free(i);
    rt_atomic_bool_free(b);
    rt_atomic_flag_free(f);
    rt_once_free(o);
}

RTC_TEST(atomic_handle, freed_handles_stay_dead_after_reuse)
{
    int64_t old = rt_atomic_int_new(1);
    rt_atomic_int_free(old);
    int64_t fresh[8];
    for (int k = 0; k < 8; k++) {
        fresh[k] = rt_atomic_int_new(100 + k);
        cr_assert_neq(fresh[k], old, "a released handle is never handed out again");
    }
    expect_dead_int(old);
    for (int k = 0; k < 8; k++) {
        cr_assert_eq(rt_atomic_int_load(fresh[k]), 100 + k, "the stale handle touched nothing");
        rt_atomic_int_free(fresh[k]);
    }
    rt_atomic_int_free(old);   /* double free: no-op */
}

/* ---- contention ---- */

typedef struct h_arg {
    int64_t counter, flag;
    long rounds;
    long *plain;   /* protected by the flag used as a spinlock */
} h_arg;

static void *hammer(void *p)
{
    h_arg *a = p;
    for (long i = 0; i < a->rounds; i++) {
        rt_atomic_int_fetch_add(a->counter, 3);
        rt_atomic_int_fetch_sub(a->counter, 1);
        /* The flag as a lock: test_and_set acquires, clear releases (SeqCst). */
        while (rt_atomic_flag_test_and_set(a->flag) == 1)
            sched_yield();
        (*a->plain)++;   /* TSan flags this if the flag did not order it */
        rt_atomic_flag_clear(a->flag);
    }
    return NULL;
}

RTC_TEST(atomic_handle, concurrent_counter_and_flag_lock, .timeout = RTC_SLOW_TIMEOUT)
{
    enum { N = 8 };
    long plain = 0;
    long rounds = rtc_scale(2000, 50);
    h_arg args[N];
    int64_t counter = rt_atomic_int_new(0), flag = rt_atomic_flag_new();
    for (int i = 0; i < N; i++)
        args[i] = (h_arg){.counter = counter, .flag = flag, .rounds = rounds, .plain = &plain};
    rtc_team team;
    rtc_team_start(&team, N, hammer, args, sizeof args[0]);
    rtc_team_join(&team);
    cr_assert_eq(rt_atomic_int_load(counter), 2 * N * rounds);
    cr_assert_eq(plain, N * rounds, "the flag excluded every other holder");
    rt_atomic_int_free(counter);
    rt_atomic_flag_free(flag);
}

/* ---- free racing with use: a call acts on its own cell or returns 0 ---- */

typedef struct churn_arg {
    _Atomic int64_t *slot;   /* the handle currently published */
    _Atomic int *stop;
    long wrong;              /* a value that belongs to no live handle */
} churn_arg;

static void *churner(void *p)
{
    churn_arg *c = p;
    while (!atomic_load(c->stop)) {
        int64_t h = atomic_load(c->slot);
        int64_t v = rt_atomic_int_load(h);
        /* Each handle holds its own number from birth to free; a stale call
         * may read 0, never another handle's number. */
        if (v != 0 && v != h)
            c->wrong++;
        rt_atomic_int_fetch_add(h, 0);
    }
    return NULL;
}

RTC_TEST(atomic_handle, free_racing_with_use, .timeout = RTC_SLOW_TIMEOUT)
{
    enum { N = 4 };
    _Atomic int64_t slot;
    _Atomic int stop = 0;
    churn_arg c[N];
    int64_t h = rt_atomic_int_new(0);
    rt_atomic_int_store(h, h);
    atomic_store(&slot, h);
    for (int i = 0; i < N; i++)
        c[i] = (churn_arg){.slot = &slot, .stop = &stop};
    rtc_team team;
    rtc_team_start(&team, N, churner, c, sizeof c[0]);
    long rounds = rtc_scale(500, 100);
    for (long r = 0; r < rounds; r++) {
        int64_t next = rt_atomic_int_new(0);
        rt_atomic_int_store(next, next);
        atomic_store(&slot, next);
        rt_atomic_int_free(h);   /* callers still on h finish first */
        h = next;
    }
    atomic_store(&stop, 1);
    rtc_team_join(&team);
    rt_atomic_int_free(h);
    for (int i = 0; i < N; i++)
        cr_assert_eq(c[i].wrong, 0, "thread %d read a recycled cell", i);
}

/* Runs first in a fresh process: the cell pool and handle pages are empty. */
RTC_TEST(atomic_handle, allocation_failures_give_0)
{
    RTC_EACH_ALLOCATION_FAILS(int64_t, rt_atomic_int_new(5), 0, rt_atomic_int_free);
    RTC_EACH_ALLOCATION_FAILS(int64_t, rt_atomic_bool_new(1), 0, rt_atomic_bool_free);
    RTC_EACH_ALLOCATION_FAILS(int64_t, rt_atomic_flag_new(), 0, rt_atomic_flag_free);
}
