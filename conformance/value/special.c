/* Conformance: rt_value_bool, rt_value_nil, rt_value_as_bool, rt_value_is_bool,
 * rt_value_is_nil, rt_value_is_heap (spec/ffi/value.sdn). */
#include "conformance/rtc.h"

RTC_TEST(value_special, constants_are_bit_exact)
{
    cr_assert_eq(rt_value_nil(), UINT64_C(0x03));
    cr_assert_eq(rt_value_bool(true), UINT64_C(0x0B));
    cr_assert_eq(rt_value_bool(false), UINT64_C(0x13));
}

RTC_TEST(value_special, predicates_are_exclusive)
{
    RtValue vals[] = {rt_value_nil(), rt_value_bool(true), rt_value_bool(false),
                      rt_value_int(3), rt_value_float(0.5)};
    /* nil, bool, bool, int, float */
    const int is_nil[] = {1, 0, 0, 0, 0}, is_bool[] = {0, 1, 1, 0, 0};
    for (int i = 0; i < 5; i++) {
        cr_assert_eq(rt_value_is_nil(vals[i]), is_nil[i], "value %d", i);
        cr_assert_eq(rt_value_is_bool(vals[i]), is_bool[i], "value %d", i);
        cr_assert_not(rt_value_is_heap(vals[i]), "value %d", i);
    }
    cr_assert(rt_value_as_bool(RT_TRUE));
    cr_assert_not(rt_value_as_bool(RT_FALSE));
    cr_assert_not(rt_value_as_bool(RT_NIL));
    cr_assert_not(rt_value_as_bool(rt_value_int(1)), "as_bool does not convert ints");
}

RTC_TEST(value_special, symbols_are_not_bools_or_nil)
{
    RtValue sym = (UINT64_C(3) << 3) | RT_TAG_SPECIAL;   /* first symbol id */
    cr_assert_not(rt_value_is_nil(sym));
    cr_assert_not(rt_value_is_bool(sym));
    cr_assert_not(rt_value_as_bool(sym));
}

RTC_TEST(value_special, is_heap_looks_at_the_tag_only)
{
    RtValue s = rt_string_new((const uint8_t *)"x", 1);
    cr_assert(rt_value_is_heap(s));
    rt_free(s);
    /* A heap-tagged word says nothing about validity: other functions check. */
    for (size_t i = 0; i < RTC_NBOGUS; i++)
        cr_assert(rt_value_is_heap(rtc_bogus[i]));
    cr_assert_not(rt_value_is_bool(UINT64_C(0x1B)), "C runtime's ERROR word is no bool");
}
