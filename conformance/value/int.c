/* Conformance: rt_value_int, rt_value_as_int, rt_value_is_int (spec/ffi/value.sdn). */
#include <math.h>

#include "conformance/rtc.h"

RTC_TEST(value_int, encoding_is_bit_exact)
{
    /* upstream-abi.md §1.1 examples */
    cr_assert_eq(rt_value_int(0), UINT64_C(0));
    cr_assert_eq(rt_value_int(1), UINT64_C(0x8));
    cr_assert_eq(rt_value_int(-1), UINT64_C(0xFFFFFFFFFFFFFFF8));
    cr_assert_eq(rt_value_int(42), UINT64_C(336));
    cr_assert_eq(rt_value_as_int(UINT64_C(80)), 10);
}

RTC_TEST(value_int, inline_range_round_trips)
{
    const int64_t cases[] = {0, 1, -1, 42, -42, RT_INT_INLINE_MAX, RT_INT_INLINE_MIN,
                             INT64_MAX >> 3, INT64_MIN >> 3, (INT64_C(1) << 59)};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        RtValue v = rt_value_int(cases[i]);
        cr_assert_eq(v & RT_TAG_MASK, RT_TAG_INT, "case %zu must stay inline", i);
        cr_assert_eq(rt_value_as_int(v), cases[i]);
        cr_assert(rt_value_is_int(v));
        cr_assert_not(rt_value_is_heap(v));
    }
}

RTC_TEST(value_int, wide_ints_are_boxed_never_truncated)
{
    /* rt_value_int_wide selfcheck cases: 2^60, 2^62, ±INT64_MAX, INT64_MIN */
    const int64_t cases[] = {INT64_C(1) << 60, INT64_C(1) << 62, INT64_MAX, -INT64_MAX,
                             INT64_MIN, RT_INT_INLINE_MAX + 1, RT_INT_INLINE_MIN - 1};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        RtValue v = rt_value_int(cases[i]);
        cr_assert(rt_value_is_heap(v), "case %zu must be boxed", i);
        cr_assert(rt_value_is_int(v));
        cr_assert_not(rt_value_is_float(v));
        cr_assert_eq(rt_value_as_int(v), cases[i], "case %zu lost bits", i);
        cr_assert(rt_value_truthy(v));
        rt_free(v);
    }
}

RTC_TEST(value_int, non_ints_read_as_zero)
{
    cr_assert_eq(rt_value_as_int(rt_value_float(3.5)), 0);
    cr_assert_eq(rt_value_as_int(RT_NIL), 0);
    cr_assert_eq(rt_value_as_int(RT_TRUE), 0);
    cr_assert_not(rt_value_is_int(rt_value_float(1.0)));
    cr_assert_not(rt_value_is_int(RT_NIL));
    RtValue s = rt_string_new((const uint8_t *)"12", 2);
    cr_assert_eq(rt_value_as_int(s), 0);
    cr_assert_not(rt_value_is_int(s));
    rt_free(s);
}

RTC_TEST(value_int, hostile_words_are_not_ints)
{
    for (size_t i = 0; i < RTC_NBOGUS; i++) {
        cr_assert_eq(rt_value_as_int(rtc_bogus[i]), 0);
        cr_assert_not(rt_value_is_int(rtc_bogus[i]));
    }
    RtValue stale = rt_value_int(INT64_MAX);
    rt_free(stale);
    cr_assert_not(rt_value_is_int(stale), "a freed box is not an int");
    cr_assert_eq(rt_value_as_int(stale), 0);
    cr_assert_eq(rt_value_as_int(rtc_freed_value()), 0);
}
