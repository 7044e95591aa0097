/* Conformance: rt_object_new, rt_object_field_get, rt_object_field_set (spec/ffi/value.sdn). */
#include "conformance/rtc.h"
#include "runtime/layout.h"

RTC_TEST(value_object, fields_start_nil_and_hold_values)
{
    RtValue o = rt_object_new(42, 3);   /* upstream object_tests.rs */
    const RtObject *p = (const RtObject *)(uintptr_t)(o & ~RT_TAG_MASK);
    cr_assert_eq(p->hdr.object_type, RT_HEAP_OBJECT);
    cr_assert_eq(p->class_id, 42u);
    cr_assert_eq(p->field_count, 3u);
    for (uint32_t i = 0; i < 3; i++)
        cr_assert_eq(rt_object_field_get(o, i), RT_NIL);
    cr_assert(rt_object_field_set(o, 1, rt_value_int(5)));
    cr_assert_eq(rt_object_field_get(o, 1), rt_value_int(5));
    cr_assert_eq(p->fields[1], rt_value_int(5), "fields at +16");
    cr_assert_not(rt_object_field_set(o, 3, RT_TRUE));
    cr_assert_eq(rt_object_field_get(o, 3), RT_NIL);
    cr_assert_eq(rt_object_field_get(o, UINT32_MAX), RT_NIL);
    rt_free(o);
    RtValue z = rt_object_new(UINT32_MAX, 0);
    cr_assert(rt_value_is_heap(z));
    cr_assert_eq(rt_object_field_get(z, 0), RT_NIL);
    rt_free(z);
}

RTC_TEST(value_object, huge_and_hostile)
{
    cr_assert_eq(rt_object_new(1, (UINT32_C(1) << 20) + 1), RT_NIL);
    cr_assert_eq(rt_object_new(1, UINT32_MAX), RT_NIL);
    RtValue tup = rt_tuple_new(2), stale = rt_object_new(1, 1);
    rt_free(stale);
    RtValue bad[] = {tup, stale, RT_NIL, rt_value_int(1), rtc_bogus[0], rtc_bogus[1], rtc_bogus[6]};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_eq(rt_object_field_get(bad[i], 0), RT_NIL, "value %zu", i);
        cr_assert_not(rt_object_field_set(bad[i], 0, RT_NIL));
    }
    cr_assert_eq(rt_tuple_get(tup, 0), rt_value_int(0), "the tuple was not touched");
    rt_free(tup);
}
