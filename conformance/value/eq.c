/* Conformance: rt_value_eq (spec/ffi/value.sdn). */
#include <math.h>

#include "conformance/rtc.h"

RTC_TEST(value_eq, floats_compare_as_floats)
{
    cr_assert_not(rt_value_eq(rt_value_float(NAN), rt_value_float(NAN)));
    cr_assert(rt_value_eq(rt_value_float(0.0), rt_value_float(-0.0)));
    cr_assert(rt_value_eq(rt_value_float(2.5), rt_value_float(2.5)));
    cr_assert_not(rt_value_eq(rt_value_float(1.0), rt_value_int(1)), "no numeric coercion");
}

RTC_TEST(value_eq, everything_else_compares_bits)
{
    cr_assert(rt_value_eq(rt_value_int(5), rt_value_int(5)));
    cr_assert_not(rt_value_eq(rt_value_int(5), rt_value_int(6)));
    cr_assert(rt_value_eq(RT_NIL, RT_NIL));
    cr_assert_not(rt_value_eq(RT_NIL, RT_FALSE));
    RtValue a = rt_string_new((const uint8_t *)"s", 1), b = rt_string_new((const uint8_t *)"s", 1);
    cr_assert(rt_value_eq(a, a));
    cr_assert_not(rt_value_eq(a, b), "strings are compared by identity");
    rt_free(a);
    rt_free(b);
}

RTC_TEST(value_eq, boxed_ints_compare_by_value)
{
    RtValue a = rt_value_int(INT64_MAX), b = rt_value_int(INT64_MAX), c = rt_value_int(INT64_MIN);
    cr_assert(rt_value_eq(a, b));
    cr_assert_not(rt_value_eq(a, c));
    cr_assert_not(rt_value_eq(a, rt_value_int(-1)));
    rt_free(a);
    rt_free(b);
    rt_free(c);
}

RTC_TEST(value_eq, hostile_words)
{
    for (size_t i = 0; i < RTC_NBOGUS; i++) {
        cr_assert(rt_value_eq(rtc_bogus[i], rtc_bogus[i]));
        cr_assert_not(rt_value_eq(rtc_bogus[i], RT_NIL));
    }
    RtValue stale = rt_value_int(INT64_MAX);
    rt_free(stale);
    cr_assert(rt_value_eq(stale, stale), "identical words are equal, even stale ones");
}
