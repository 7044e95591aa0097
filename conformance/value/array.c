/* Conformance: rt_array_new, rt_array_len, rt_array_get, rt_array_set,
 * rt_array_push, rt_array_pop, rt_array_clear (spec/ffi/value.sdn). */
#include "conformance/rtc.h"
#include "runtime/layout.h"

RTC_TEST(value_array, push_get_set_pop)
{
    RtValue a = rt_array_new(0);
    cr_assert_eq(rt_array_len(a), 0);
    for (int i = 0; i < 100; i++)
        cr_assert(rt_array_push(a, rt_value_int(i)), "push %d grows past capacity", i);
    cr_assert_eq(rt_array_len(a), 100);
    cr_assert_eq(rt_value_as_int(rt_array_get(a, 0)), 0);
    cr_assert_eq(rt_value_as_int(rt_array_get(a, 99)), 99);
    cr_assert_eq(rt_value_as_int(rt_array_get(a, -1)), 99, "negative index from the end");
    cr_assert_eq(rt_value_as_int(rt_array_get(a, -100)), 0);
    cr_assert_eq(rt_array_get(a, 100), RT_NIL);
    cr_assert_eq(rt_array_get(a, -101), RT_NIL);
    cr_assert_eq(rt_array_get(a, INT64_MIN), RT_NIL);
    cr_assert_eq(rt_array_get(a, INT64_MAX), RT_NIL);
    cr_assert(rt_array_set(a, -2, RT_TRUE));
    cr_assert_eq(rt_array_get(a, 98), RT_TRUE);
    cr_assert_not(rt_array_set(a, 100, RT_TRUE), "set does not append");
    cr_assert_eq(rt_value_as_int(rt_array_pop(a)), 99);
    cr_assert_eq(rt_array_len(a), 99);
    cr_assert(rt_array_clear(a));
    cr_assert_eq(rt_array_len(a), 0);
    cr_assert_eq(rt_array_pop(a), RT_NIL, "pop on empty gives NIL");
    rt_free(a);
}

RTC_TEST(value_array, layout_matches_upstream)
{
    RtValue a = rt_array_new(2);
    const RtArray *p = (const RtArray *)(uintptr_t)(a & ~RT_TAG_MASK);
    cr_assert_eq(p->hdr.object_type, RT_HEAP_ARRAY);
    cr_assert_eq(p->cap, 4u, "capacity is at least 4");
    rt_array_push(a, rt_value_int(7));
    cr_assert_eq(p->len, 1u);
    cr_assert_eq(p->data[0], rt_value_int(7));
    cr_assert_eq(p->data[1], 0u, "unused slots read as int 0");
    RtValue *before = p->data;
    for (int i = 0; i < 10; i++)
        rt_array_push(a, RT_NIL);
    cr_assert_eq((const RtArray *)(uintptr_t)(a & ~RT_TAG_MASK), p, "growth keeps the header");
    (void)before;
    rt_free(a);
}

RTC_TEST(value_array, huge_capacity_is_refused)
{
    cr_assert_eq(rt_array_new(100000001), RT_NIL);
    cr_assert_eq(rt_array_new(UINT64_MAX), RT_NIL);
}

RTC_TEST(value_array, hostile_values)
{
    RtValue str = rt_string_new((const uint8_t *)"a", 1);
    RtValue stale = rt_array_new(4);
    rt_free(stale);
    RtValue bad[] = {RT_NIL, RT_TRUE, rt_value_int(3), rt_value_float(1.0), str, stale,
                     rtc_bogus[0], rtc_bogus[1], rtc_bogus[2], rtc_bogus[3], rtc_bogus[4]};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_eq(rt_array_len(bad[i]), -1, "value %zu", i);
        cr_assert_eq(rt_array_get(bad[i], 0), RT_NIL);
        cr_assert_not(rt_array_set(bad[i], 0, RT_NIL));
        cr_assert_not(rt_array_push(bad[i], RT_NIL));
        cr_assert_eq(rt_array_pop(bad[i]), RT_NIL);
        cr_assert_not(rt_array_clear(bad[i]));
    }
    cr_assert_eq(rt_string_len(str), 1, "the string was not touched");
    rt_free(str);
}
