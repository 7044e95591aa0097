/* Conformance: rt_vec_all, rt_vec_any (spec/ffi/vec.sdn). */
#include "conformance/vec/helpers.h"

RTC_TEST(vec_allany, upstream_cases)
{
    RtValue a = ARR(RT_TRUE, I(1), I(42)), b = ARR(RT_TRUE, I(0), I(42));
    RtValue c = ARR(RT_FALSE, I(0), I(1)), d = ARR(RT_FALSE, I(0), RT_NIL);
    cr_assert(rt_vec_all(a));
    cr_assert_not(rt_vec_all(b));
    cr_assert(rt_vec_any(c));
    cr_assert_not(rt_vec_any(d));
    RtValue e = EMPTY();
    cr_assert(rt_vec_all(e), "all of nothing is true");
    cr_assert_not(rt_vec_any(e), "any of nothing is false");
    rt_free(a);
    rt_free(b);
    rt_free(c);
    rt_free(d);
    rt_free(e);
}

RTC_TEST(vec_allany, truthiness_of_every_kind)
{
    RtValue s = rt_string_new((const uint8_t *)"", 0);
    const RtValue truthy[] = {F(NAN), F(5e-324 * 8), I(-1), I(RT_INT_INLINE_MIN), s, RT_TRUE,
                              (RtValue)0x9};
    const RtValue falsy[] = {F(0.0), F(-0.0), I(0), RT_NIL, RT_FALSE, (RtValue)0x1,
                             (RtValue)((UINT64_C(4) << 3) | RT_TAG_SPECIAL), (RtValue)0x4,
                             (RtValue)0xF};
    for (size_t i = 0; i < sizeof truthy / sizeof truthy[0]; i++) {
        RtValue a = ARR(truthy[i]);
        cr_assert(rt_vec_all(a) && rt_vec_any(a), "truthy %zu", i);
        rt_free(a);
    }
    for (size_t i = 0; i < sizeof falsy / sizeof falsy[0]; i++) {
        RtValue a = ARR(falsy[i]);
        cr_assert(!rt_vec_all(a) && !rt_vec_any(a), "falsy %zu", i);
        rt_free(a);
    }
    rt_free(s);
}

RTC_TEST(vec_allany, long_arrays)
{
    RtValue a = rt_array_new(1000), z = rt_array_new(1000), m = rt_array_new(64);
    for (int i = 0; i < 1000; i++) {
        rt_array_push(a, I(1 + i));
        rt_array_push(z, (i & 1) ? F(-0.0) : I(0));
    }
    for (int i = 0; i < 64; i++)
        rt_array_push(m, I(RT_INT_INLINE_MIN));   /* word 0x8000000000000000: truthy */
    cr_assert(rt_vec_all(a));
    cr_assert(rt_vec_any(a));
    cr_assert(rt_vec_all(m));
    cr_assert_not(rt_vec_any(z));
    rt_array_set(a, 777, I(0));
    cr_assert_not(rt_vec_all(a));
    rt_array_set(z, 999, F(1.5));
    cr_assert(rt_vec_any(z));
    rt_array_set(z, 999, F(-0.0));
    rt_array_set(z, 500, F(NAN));
    cr_assert(rt_vec_any(z));
    rt_free(a);
    rt_free(z);
    rt_free(m);
}

RTC_TEST(vec_allany, hostile_values)
{
    hostile h;
    hostile_init(&h);
    for (size_t i = 0; i < NHOSTILE; i++) {
        cr_assert_not(rt_vec_all(h.v[i]), "value %zu", i);
        cr_assert_not(rt_vec_any(h.v[i]), "value %zu", i);
    }
    hostile_free(&h);
}
