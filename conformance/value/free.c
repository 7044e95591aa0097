/* Conformance: rt_free (spec/ffi/value.sdn). */
#include "conformance/rtc.h"

RTC_TEST(value_free, frees_every_core_type_once)
{
    uint64_t live = rtx_heap_live();
    RtValue vals[] = {rt_string_new((const uint8_t *)"s", 1), rt_array_new(8), rt_tuple_new(2),
                      rt_object_new(1, 2), rt_closure_new(NULL, 1), rt_value_int(INT64_MAX)};
    cr_assert_eq(rtx_heap_live(), live + 6);
    for (size_t i = 0; i < 6; i++) {
        rt_free(vals[i]);
        rt_free(vals[i]);   /* a second free is a no-op, not a double free */
    }
    cr_assert_eq(rtx_heap_live(), live);
}

RTC_TEST(value_free, shallow)
{
    RtValue inner = rt_string_new((const uint8_t *)"in", 2);
    RtValue a = rt_array_new(1);
    rt_array_push(a, inner);
    rt_free(a);
    cr_assert_eq(rt_string_len(inner), 2, "elements survive their container");
    rt_free(inner);
}

RTC_TEST(value_free, ignores_immediates_and_bogus_words)
{
    uint64_t live = rtx_heap_live();
    for (int i = 0; i < RTC_NIMMEDIATE; i++)
        rt_free(rtc_immediate(i));
    for (size_t i = 0; i < RTC_NBOGUS; i++)
        rt_free(rtc_bogus[i]);
    rt_free(rtc_freed_value());
    RtValue s = rt_string_new((const uint8_t *)"abc", 3);
    rt_free(s + 8);   /* an interior pointer with the heap tag */
    cr_assert_eq(rt_string_len(s), 3);
    rt_free(s);
    cr_assert_eq(rtx_heap_live(), live);
}
