/* Conformance: rt_once_new, rt_once_call, rt_once_is_completed, rt_once_free
 * (spec/ffi/atomic.sdn), including upstream's ffi/atomic.rs test_once —
 * which upstream could only write against a stub; here the call really
 * happens, exactly once, even when many threads race on one cell. */
#include "conformance/rtc_threads.h"

static _Atomic int calls;
static long published;   /* plain memory written by the initialiser */

static RtValue count_call(void)
{
    atomic_fetch_add(&calls, 1);
    published = 777;
    return rt_value_int(1);
}

RTC_TEST(once, upstream_once_and_it_really_calls)
{
    atomic_store(&calls, 0);
    int64_t h = rt_once_new();
    cr_assert_gt(h, 0);
    cr_assert_eq(rt_once_is_completed(h), 0, "initially not completed");
    rt_once_call(h, count_call);
    cr_assert_eq(atomic_load(&calls), 1, "the function ran");
    cr_assert_eq(rt_once_is_completed(h), 1);
    rt_once_call(h, count_call);
    rt_once_call(h, count_call);
    cr_assert_eq(atomic_load(&calls), 1, "and only once");
    rt_once_free(h);
    cr_assert_eq(rt_once_is_completed(h), 0, "freed");
}

RTC_TEST(once, null_function_leaves_the_cell_incomplete)
{
    atomic_store(&calls, 0);
    int64_t h = rt_once_new();
    rt_once_call(h, NULL);
    cr_assert_eq(rt_once_is_completed(h), 0);
    rt_once_call(h, count_call);
    cr_assert_eq(atomic_load(&calls), 1);
    cr_assert_eq(rt_once_is_completed(h), 1);
    rt_once_free(h);
}

RTC_TEST(once, cells_are_independent)
{
    atomic_store(&calls, 0);
    int64_t a = rt_once_new(), b = rt_once_new();
    cr_assert_neq(a, b);
    rt_once_call(a, count_call);
    cr_assert_eq(rt_once_is_completed(b), 0);
    rt_once_call(b, count_call);
    cr_assert_eq(atomic_load(&calls), 2);
    rt_once_free(a);
    rt_once_free(b);
}

/* ---- re-entry from inside the function ---- */

static int64_t reentry_handle;
static int reentry_inner_completed = -1;

static RtValue reenter(void)
{
    atomic_fetch_add(&calls, 1);
    rt_once_call(reentry_handle, reenter);   /* must return at once */
    reentry_inner_completed = (int)rt_once_is_completed(reentry_handle);
    rt_once_free(reentry_handle);            /* refused: the call is running */
    return RT_NIL;
}

RTC_TEST(once, reentry_returns_at_once_and_free_is_refused)
{
    atomic_store(&calls, 0);
    reentry_handle = rt_once_new();
    rt_once_call(reentry_handle, reenter);
    cr_assert_eq(atomic_load(&calls), 1, "the inner call did not run fn again");
    cr_assert_eq(reentry_inner_completed, 0, "not completed while fn runs");
    cr_assert_eq(rt_once_is_completed(reentry_handle), 1, "the free inside fn was refused");
    rt_once_free(reentry_handle);
    cr_assert_eq(rt_once_is_completed(reentry_handle), 0);
}

/* ---- many threads race on one cell ---- */

typedef struct race_arg {
    int64_t h;
    _Atomic int *go;
    int completed_after;   /* is_completed seen right after rt_once_call */
    long seen;             /* `published`, read right after rt_once_call */
} race_arg;

static RtValue slow_init(void)
{
    atomic_fetch_add(&calls, 1);
    rtc_sleep_ms(2);   /* widen the window in which others arrive */
    published = 777;
    return RT_NIL;
}

static void *racer(void *p)
{
    race_arg *a = p;
    while (!atomic_load(a->go))
        sched_yield();
    rt_once_call(a->h, slow_init);
    a->completed_after = (int)rt_once_is_completed(a->h);
    a->seen = published;   /* TSan: ordered after the initialiser by the once */
    return NULL;
}

RTC_TEST(once, exactly_one_call_under_races, .timeout = RTC_SLOW_TIMEOUT)
{
    enum { N = 16 };
    long rounds = rtc_scale(6, 25);
    for (long r = 0; r < rounds; r++) {
        atomic_store(&calls, 0);
        published = 0;
        _Atomic int go = 0;
        race_arg args[N];
        int64_t h = rt_once_new();
        for (int i = 0; i < N; i++)
            args[i] = (race_arg){.h = h, .go = &go};
        rtc_team team;
        rtc_team_start(&team, N, racer, args, sizeof args[0]);
        atomic_store(&go, 1);
        rtc_team_join(&team);
        cr_assert_eq(atomic_load(&calls), 1, "round %ld: the initialiser ran once", r);
        for (int i = 0; i < N; i++) {
            cr_assert_eq(args[i].completed_after, 1, "round %ld thread %d returned early", r, i);
            cr_assert_eq(args[i].seen, 777, "round %ld thread %d missed the result", r, i);
        }
        rt_once_free(h);
    }
}

/* ---- hostile handles ---- */

RTC_TEST(once, invalid_handles)
{
    atomic_store(&calls, 0);
    int64_t other = rt_atomic_int_new(1);
    int64_t dead = rt_once_new();
    rt_once_free(dead);
    const int64_t bogus[] = {99999, 0, -1, INT64_MIN, INT64_MAX, other, dead,
                             (INT64_C(6) << 48) | 1};
    for (size_t i = 0; i < sizeof bogus / sizeof bogus[0]; i++) {
        rt_once_call(bogus[i], count_call);
        cr_assert_eq(rt_once_is_completed(bogus[i]), 0, "handle %zu", i);
        rt_once_free(bogus[i]);
    }
    cr_assert_eq(atomic_load(&calls), 0, "nothing was called");
    cr_assert_eq(rt_atomic_int_load(other), 1, "the int atomic was not touched");
    rt_atomic_int_free(other);
    int64_t again = rt_once_new();
    cr_assert_neq(again, dead);
    cr_assert_eq(rt_once_is_completed(again), 0, "a reused cell starts incomplete");
    rt_once_free(again);
}

RTC_TEST(once, allocation_failures_give_0)
{
    RTC_EACH_ALLOCATION_FAILS(int64_t, rt_once_new(), 0, rt_once_free);
}
