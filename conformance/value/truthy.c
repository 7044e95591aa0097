/* Conformance: rt_value_truthy (spec/ffi/value.sdn) — upstream's 17 C selfcheck cases. */
#include <math.h>

#include "conformance/rtc.h"

RTC_TEST(value_truthy, upstream_selfcheck_cases)
{
    RtValue empty = rt_string_new((const uint8_t *)"", 0);
    RtValue x = rt_string_new((const uint8_t *)"x", 1);
    struct { RtValue v; bool want; const char *what; } cases[] = {
        {RT_NIL, false, "nil"},
        {RT_FALSE, false, "false"},
        {RT_TRUE, true, "true"},
        {rt_value_int(0), false, "0"},
        {rt_value_int(1), true, "1"},
        {rt_value_int(-1), true, "-1"},
        {rt_value_float(0.0), false, "0.0"},
        {rt_value_float(-0.0), false, "-0.0"},
        {rt_value_float(NAN), true, "NaN"},
        {rt_value_float(1.25), true, "1.25"},
        {rt_value_float(-INFINITY), true, "-inf"},
        {UINT64_C(0), false, "u64 0"},
        {empty, true, "\"\" (heap values are truthy)"},
        {x, true, "\"x\""},
        {UINT64_C(1), false, "raw word 1 (tagged null)"},
        {(UINT64_C(5) << 3) | RT_TAG_SPECIAL, false, "symbol"},
        {UINT64_C(0x1B), false, "C ERROR word"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cr_assert_eq(rt_value_truthy(cases[i].v), cases[i].want, "%s", cases[i].what);
    rt_free(empty);
    rt_free(x);
}

RTC_TEST(value_truthy, boxed_ints_are_truthy)
{
    RtValue big = rt_value_int(INT64_MIN);
    cr_assert(rt_value_truthy(big));
    rt_free(big);
}
