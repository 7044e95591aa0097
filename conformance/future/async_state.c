/* Conformance: rt_async_get_state, rt_async_set_state, rt_async_get_ctx,
 * rt_async_mark_done (spec/ffi/future.sdn). */
#include <stdatomic.h>

#include "conformance/rtc.h"

static _Atomic int runs;
static RtValue counted(RtValue ctx)
{
    atomic_fetch_add(&runs, 1);
    return ctx;
}

/* A deadlock fails the test instead of hanging the gate. */
TestSuite(future_async_state, .timeout = 120);

RTC_TEST(future_async_state, state_round_trip_and_clamp)
{
    RtValue f = rt_future_new(counted, RT_NIL);
    cr_assert_eq(rt_async_get_state(f), 0);
    rt_async_set_state(f, 3);
    cr_assert_eq(rt_async_get_state(f), 3);
    rt_async_set_state(f, INT64_MAX);
    cr_assert_eq(rt_async_get_state(f), INT64_MAX);
    rt_async_set_state(f, -1);
    cr_assert_eq(rt_async_get_state(f), 0, "negative is stored as 0");
    rt_async_set_state(f, INT64_MIN);
    cr_assert_eq(rt_async_get_state(f), 0);
    cr_assert_eq(rt_future_is_ready(f), 0, "async_state is not the ready state");
    rt_free(f);
}

RTC_TEST(future_async_state, get_ctx)
{
    RtValue ctx = rt_array_new(0);
    RtValue f = rt_future_new(counted, ctx);
    cr_assert_eq(rt_async_get_ctx(f), ctx);
    RtValue r = rt_future_resolve(rt_value_int(1));
    cr_assert_eq(rt_async_get_ctx(r), RT_NIL, "a resolved future has no ctx");
    rt_free(f);
    rt_free(r);
    rt_free(ctx);
}

RTC_TEST(future_async_state, mark_done_skips_the_body)
{
    RtValue f = rt_future_new(counted, rt_value_int(5));
    rt_async_mark_done(f);
    cr_assert_eq(rt_future_is_ready(f), 1);
    cr_assert_eq(rt_future_await(f), RT_NIL, "the stored result (none yet), no run");
    cr_assert_eq(atomic_load(&runs), 0);
    rt_async_mark_done(f);   /* twice: harmless */
    cr_assert_eq(rt_future_is_ready(f), 1);
    rt_free(f);
}

RTC_TEST(future_async_state, mark_done_keeps_a_result)
{
    RtValue f = rt_future_new(counted, rt_value_int(5));
    cr_assert_eq(rt_value_as_int(rt_future_await(f)), 5);
    rt_async_mark_done(f);
    cr_assert_eq(rt_value_as_int(rt_future_await(f)), 5);
    cr_assert_eq(atomic_load(&runs), 1);
    rt_free(f);
}

RTC_TEST(future_async_state, hostile_values)
{
    RtValue gen = rt_generator_new(counted, 1, RT_NIL);
    RtValue stale = rt_future_new(counted, rt_value_int(1));
    rt_free(stale);
    RtValue vals[RTC_NBOGUS + RTC_NIMMEDIATE + 2];
    size_t n = 0;
    for (size_t i = 0; i < RTC_NBOGUS; i++)
        vals[n++] = rtc_bogus[i];
    for (int i = 0; i < RTC_NIMMEDIATE; i++)
        vals[n++] = rtc_immediate(i);
    vals[n++] = gen;
    vals[n++] = stale;
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(rt_async_get_state(vals[i]), 0);
        rt_async_set_state(vals[i], 7);
        cr_assert_eq(rt_async_get_state(vals[i]), 0);
        cr_assert_eq(rt_async_get_ctx(vals[i]), RT_NIL);
        rt_async_mark_done(vals[i]);
    }
    cr_assert_eq(rt_generator_get_state(gen), 0, "a generator is not a future");
    rt_free(gen);
}
