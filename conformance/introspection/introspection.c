/* Conformance: rt_object_class_id, rt_object_field_count, rt_value_heap_type,
 * rt_value_type_name (spec/ffi/introspection.sdn). */
#include <math.h>

#include "conformance/rtc.h"

RTC_TEST(introspection, object_class_and_field_count)
{
    RtValue o = rt_object_new(42, 3);
    cr_assert_eq(rt_object_class_id(o), 42);
    cr_assert_eq(rt_object_field_count(o), 3);
    RtValue big = rt_object_new(UINT32_MAX, 0);
    cr_assert_eq(rt_object_class_id(big), (int64_t)UINT32_MAX, "class ids are unsigned");
    rt_free(o);
    rt_free(big);
}

RTC_TEST(introspection, non_objects_give_minus_one)
{
    RtValue s = rt_string_new((const uint8_t *)"x", 1), stale = rt_object_new(1, 1);
    rt_free(stale);
    RtValue bad[] = {s, stale, RT_NIL, rt_value_int(5), rtc_bogus[0], rtc_bogus[1], rtc_bogus[2]};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_eq(rt_object_class_id(bad[i]), -1, "value %zu", i);
        cr_assert_eq(rt_object_field_count(bad[i]), -1, "value %zu", i);
    }
    rt_free(s);
}

RTC_TEST(introspection, type_names_as_upstream)
{
    RtValue s = rt_string_new((const uint8_t *)"x", 1), a = rt_array_new(1), t = rt_tuple_new(1);
    RtValue o = rt_object_new(1, 0), c = rt_closure_new(NULL, 0), big = rt_value_int(INT64_MAX);
    struct { RtValue v; const char *name; int64_t type; } cases[] = {
        {rt_value_int(1), "int", -1}, {rt_value_float(NAN), "float", -1}, {RT_NIL, "nil", -1},
        {RT_TRUE, "bool", -1}, {RT_FALSE, "bool", -1},
        {(UINT64_C(4) << 3) | RT_TAG_SPECIAL, "symbol", -1},
        {s, "string", RT_HEAP_STRING}, {a, "array", RT_HEAP_ARRAY}, {t, "tuple", RT_HEAP_TUPLE},
        {o, "object", RT_HEAP_OBJECT}, {c, "closure", RT_HEAP_CLOSURE},
        {big, "int", RT_HEAP_BIGINT},
        {rtc_bogus[2], "null", -1}, {rtc_freed_value(), "null", -1},
        {UINT64_C(0x5), "unknown", -1}, {UINT64_C(0x7), "unknown", -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cr_assert_str_eq(rt_value_type_name(cases[i].v), cases[i].name, "case %zu", i);
        cr_assert_eq(rt_value_heap_type(cases[i].v), cases[i].type, "case %zu", i);
    }
    RtValue all[] = {s, a, t, o, c, big};
    for (size_t i = 0; i < 6; i++)
        rt_free(all[i]);
}
