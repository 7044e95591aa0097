/* Conformance: rt_closure_new, rt_closure_func_ptr, rt_closure_get_capture,
 * rt_closure_set_capture (spec/ffi/value.sdn). */
#include "conformance/rtc.h"
#include "runtime/layout.h"

static RtValue add_one(RtValue v) { return rt_value_int(rt_value_as_int(v) + 1); }

RTC_TEST(value_closure, holds_function_and_captures)
{
    RtValue c = rt_closure_new((const void *)add_one, 2);
    const RtClosure *p = (const RtClosure *)(uintptr_t)(c & ~RT_TAG_MASK);
    cr_assert_eq(p->hdr.object_type, RT_HEAP_CLOSURE);
    cr_assert_eq(rt_closure_func_ptr(c), (const void *)add_one);
    RtFn1 fn = (RtFn1)rt_closure_func_ptr(c);
    cr_assert_eq(rt_value_as_int(fn(rt_value_int(41))), 42, "the pointer is callable");
    cr_assert_eq(rt_closure_get_capture(c, 0), RT_NIL, "captures start NIL");
    cr_assert(rt_closure_set_capture(c, 1, rt_value_int(9)));
    cr_assert_eq(rt_closure_get_capture(c, 1), rt_value_int(9));
    cr_assert_eq(p->captures[1], rt_value_int(9), "captures at +24");
    cr_assert_eq(p->capture_count, 2u, "count at +16");
    cr_assert_not(rt_closure_set_capture(c, 2, RT_TRUE));
    cr_assert_eq(rt_closure_get_capture(c, 2), RT_NIL);
    rt_free(c);
}

RTC_TEST(value_closure, null_function_and_hostile)
{
    RtValue c = rt_closure_new(NULL, 0);
    cr_assert(rt_value_is_heap(c));
    cr_assert_null(rt_closure_func_ptr(c));
    rt_free(c);
    cr_assert_eq(rt_closure_new((const void *)add_one, UINT32_MAX), RT_NIL);
    RtValue obj = rt_object_new(1, 1), stale = rt_closure_new((const void *)add_one, 1);
    rt_free(stale);
    RtValue bad[] = {obj, stale, RT_NIL, rt_value_float(2.0), rtc_bogus[0], rtc_bogus[3]};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_null(rt_closure_func_ptr(bad[i]), "value %zu", i);
        cr_assert_eq(rt_closure_get_capture(bad[i], 0), RT_NIL);
        cr_assert_not(rt_closure_set_capture(bad[i], 0, RT_NIL));
    }
    cr_assert_eq(rt_object_field_get(obj, 0), RT_NIL, "the object was not touched");
    rt_free(obj);
}
