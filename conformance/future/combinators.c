/* Conformance: rt_future_all, rt_future_race, rt_future_resolve,
 * rt_future_reject (spec/ffi/future.sdn). */
#include <stdatomic.h>

#include "conformance/rtc.h"
#include "runtime/mem.h"

static _Atomic int runs;
static RtValue counted(RtValue ctx)
{
    atomic_fetch_add(&runs, 1);
    return ctx;
}

static RtValue array_of(int n, const RtValue *v)
{
    RtValue a = rt_array_new(0);
    for (int i = 0; i < n; i++)
        rt_array_push(a, v[i]);
    return a;
}

static void free_all(RtValue a)
{
    for (int64_t i = 0; i < rt_array_len(a); i++)
        rt_free(rt_array_get(a, i));
    rt_free(a);
}

/* upstream test_future_resolve */
/* A deadlock fails the test instead of hanging the gate. */
TestSuite(future_combinators, .timeout = 120);

RTC_TEST(future_combinators, resolve_is_ready_at_once)
{
    RtValue f = rt_future_resolve(rt_value_int(999));
    cr_assert_eq(rt_future_is_ready(f), 1);
    cr_assert_eq(rt_value_as_int(rt_future_get_result(f)), 999);
    cr_assert_eq(rt_value_as_int(rt_future_await(f)), 999);
    rt_free(f);
}

RTC_TEST(future_combinators, reject_is_resolve)
{
    RtValue e = rt_string_new((const uint8_t *)"boom", 4);
    RtValue f = rt_future_reject(e);
    cr_assert_eq(rt_value_heap_type(f), RT_HEAP_FUTURE);
    cr_assert_eq(rt_future_is_ready(f), 1, "no rejected state: a ready future");
    cr_assert_eq(rt_future_await(f), e, "the error is the result");
    rt_free(f);
    rt_free(e);
}

RTC_TEST(future_combinators, resolve_stores_any_word_untouched)
{
    RtValue stale = rtc_freed_value();
    for (size_t i = 0; i < RTC_NBOGUS; i++) {
        RtValue f = rt_future_resolve(rtc_bogus[i]);
        cr_assert_eq(rt_future_await(f), rtc_bogus[i]);
        rt_free(f);
        RtValue g = rt_future_reject(rtc_bogus[i]);
        cr_assert_eq(rt_future_get_result(g), rtc_bogus[i]);
        rt_free(g);
    }
    RtValue f = rt_future_resolve(stale);
    cr_assert_eq(rt_future_await(f), stale);
    rt_free(f);
}

RTC_TEST(future_combinators, resolve_out_of_memory)
{
    rtx_mem_fail_at(1, 0);
    cr_assert_eq(rt_future_resolve(rt_value_int(1)), RT_NIL);
    rtx_mem_fail_at(1, 0);
    cr_assert_eq(rt_future_reject(rt_value_int(1)), RT_NIL);
    rtx_mem_fail_at(0, 0);
}

/* upstream test_future_all */
RTC_TEST(future_combinators, all_in_order)
{
    RtValue v[3] = {rt_future_resolve(rt_value_int(10)), rt_future_resolve(rt_value_int(20)),
                    rt_future_resolve(rt_value_int(30))};
    RtValue fs = array_of(3, v);
    RtValue r = rt_future_all(fs);
    cr_assert_eq(rt_array_len(r), 3);
    cr_assert_eq(rt_value_as_int(rt_array_get(r, 0)), 10);
    cr_assert_eq(rt_value_as_int(rt_array_get(r, 1)), 20);
    cr_assert_eq(rt_value_as_int(rt_array_get(r, 2)), 30);
    rt_free(r);
    free_all(fs);
}

RTC_TEST(future_combinators, all_runs_pending_bodies)
{
    RtValue v[4] = {rt_future_new(counted, rt_value_int(1)), rt_future_resolve(rt_value_int(2)),
                    rt_value_int(3), rt_future_new(counted, rt_value_int(4))};
    RtValue fs = array_of(4, v);
    RtValue r = rt_future_all(fs);
    cr_assert_eq(rt_array_len(r), 4);
    cr_assert_eq(rt_value_as_int(rt_array_get(r, 0)), 1);
    cr_assert_eq(rt_value_as_int(rt_array_get(r, 1)), 2);
    cr_assert_eq(rt_array_get(r, 2), RT_NIL, "not a future: NIL in its place");
    cr_assert_eq(rt_value_as_int(rt_array_get(r, 3)), 4);
    cr_assert_eq(atomic_load(&runs), 2);
    rt_free(r);
    free_all(fs);
}

RTC_TEST(future_combinators, all_of_empty_and_of_non_arrays)
{
    RtValue e = rt_array_new(0);
    RtValue r = rt_future_all(e);
    cr_assert_neq(r, e, "a new array");
    cr_assert_eq(rt_array_len(r), 0);
    rt_free(r);
    rt_free(e);
    RtValue s = rt_string_new((const uint8_t *)"s", 1);
    cr_assert_eq(rt_future_all(s), RT_NIL);
    cr_assert_eq(rt_future_all(rtc_freed_value()), RT_NIL);
    for (size_t i = 0; i < RTC_NBOGUS; i++)
        cr_assert_eq(rt_future_all(rtc_bogus[i]), RT_NIL);
    for (int i = 0; i < RTC_NIMMEDIATE; i++)
        cr_assert_eq(rt_future_all(rtc_immediate(i)), RT_NIL);
    rt_free(s);
}

/* upstream test_future_race */
RTC_TEST(future_combinators, race_takes_first_ready)
{
    RtValue v[2] = {rt_future_resolve(rt_value_int(100)), rt_future_resolve(rt_value_int(200))};
    RtValue fs = array_of(2, v);
    cr_assert_eq(rt_value_as_int(rt_future_race(fs)), 100);
    free_all(fs);
}

RTC_TEST(future_combinators, race_skips_pending_for_a_ready_one)
{
    RtValue v[3] = {rt_future_new(counted, rt_value_int(1)), rt_value_int(5),
                    rt_future_resolve(rt_value_int(3))};
    RtValue fs = array_of(3, v);
    cr_assert_eq(rt_value_as_int(rt_future_race(fs)), 3);
    cr_assert_eq(atomic_load(&runs), 0, "no body ran");
    free_all(fs);
}

RTC_TEST(future_combinators, race_of_pending_awaits_element_zero)
{
    RtValue v[2] = {rt_future_new(counted, rt_value_int(1)), rt_future_new(counted, rt_value_int(2))};
    RtValue fs = array_of(2, v);
    cr_assert_eq(rt_value_as_int(rt_future_race(fs)), 1);
    cr_assert_eq(atomic_load(&runs), 1, "only element 0 ran");
    cr_assert_eq(rt_future_is_ready(v[1]), 0);
    free_all(fs);
}

RTC_TEST(future_combinators, race_hostile)
{
    RtValue e = rt_array_new(0);
    cr_assert_eq(rt_future_race(e), RT_NIL, "empty");
    rt_free(e);
    RtValue v[2] = {rt_value_int(1), rt_future_new(counted, rt_value_int(2))};
    RtValue fs = array_of(2, v);
    cr_assert_eq(rt_future_race(fs), RT_NIL, "element 0 is not a future and none is ready");
    cr_assert_eq(atomic_load(&runs), 0);
    free_all(fs);
    cr_assert_eq(rt_future_race(rtc_freed_value()), RT_NIL);
    for (size_t i = 0; i < RTC_NBOGUS; i++)
        cr_assert_eq(rt_future_race(rtc_bogus[i]), RT_NIL);
}

RTC_TEST(future_combinators, all_out_of_memory)
{
    RtValue v[2] = {rt_future_resolve(rt_value_int(1)), rt_future_resolve(rt_value_int(2))};
    RtValue fs = array_of(2, v);
    rtx_mem_fail_at(1, 1);
    cr_assert_eq(rt_future_all(fs), RT_NIL);
    rtx_mem_fail_at(0, 0);
    free_all(fs);
}
