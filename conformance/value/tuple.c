/* Conformance: rt_tuple_new, rt_tuple_len, rt_tuple_get, rt_tuple_set (spec/ffi/value.sdn). */
#include "conformance/rtc.h"

RTC_TEST(value_tuple, fixed_length_zero_filled)
{
    RtValue t = rt_tuple_new(3);
    cr_assert_eq(rt_tuple_len(t), 3);
    for (uint64_t i = 0; i < 3; i++)
        cr_assert_eq(rt_tuple_get(t, i), rt_value_int(0), "elements start as int 0");
    cr_assert(rt_tuple_set(t, 2, RT_TRUE));
    cr_assert_eq(rt_tuple_get(t, 2), RT_TRUE);
    cr_assert_not(rt_tuple_set(t, 3, RT_TRUE));
    cr_assert_eq(rt_tuple_get(t, 3), RT_NIL);
    cr_assert_eq(rt_tuple_get(t, UINT64_MAX), RT_NIL);
    rt_free(t);
    RtValue e = rt_tuple_new(0);
    cr_assert_eq(rt_tuple_len(e), 0);
    cr_assert_eq(rt_tuple_get(e, 0), RT_NIL);
    rt_free(e);
}

RTC_TEST(value_tuple, huge_and_hostile)
{
    cr_assert_eq(rt_tuple_new(100000001), RT_NIL);
    cr_assert_eq(rt_tuple_new(UINT64_MAX), RT_NIL);
    RtValue arr = rt_array_new(1), stale = rt_tuple_new(2);
    rt_free(stale);
    RtValue bad[] = {arr, stale, RT_NIL, rt_value_int(1), rtc_bogus[0], rtc_bogus[2], rtc_bogus[5]};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_eq(rt_tuple_len(bad[i]), -1, "value %zu", i);
        cr_assert_eq(rt_tuple_get(bad[i], 0), RT_NIL);
        cr_assert_not(rt_tuple_set(bad[i], 0, RT_NIL));
    }
    rt_free(arr);
}
