/* Conformance: rt_vec_shuffle, rt_vec_blend, rt_vec_select (spec/ffi/vec.sdn). */
#include "conformance/vec/helpers.h"

RTC_TEST(vec_shuffle, shuffle_by_index_lanes)
{
    RtValue big = rt_value_int(INT64_C(1) << 62);
    RtValue src = ARR(I(10), I(20), I(30));
    RtValue idx = ARR(I(2), I(0), I(0), I(3), I(-1), F(1.0), RT_NIL, big, I(1));
    LANES_FREE(rt_vec_shuffle(src, idx), "shuffle", I(30), I(10), I(10), RT_NIL, RT_NIL, RT_NIL,
               RT_NIL, RT_NIL, I(20));
    RtValue e = EMPTY();
    LANES_FREE(rt_vec_shuffle(e, idx), "empty source", RT_NIL, RT_NIL, RT_NIL, RT_NIL, RT_NIL,
               RT_NIL, RT_NIL, RT_NIL, RT_NIL);
    RtValue r = rt_vec_shuffle(src, e);
    cr_assert_eq(rt_array_len(r), 0, "no indices: empty");
    rt_free(r);
    rt_free(src);
    rt_free(idx);
    rt_free(e);
    rt_free(big);
}

RTC_TEST(vec_shuffle, blend_and_select)
{
    RtValue a = ARR(I(1), I(2), I(3), I(4)), b = ARR(I(5), I(6), I(7));
    RtValue m = ARR(RT_TRUE, I(0), F(1.5), RT_TRUE);
    LANES_FREE(rt_vec_blend(a, b, m), "blend", I(1), I(6), I(3));
    LANES_FREE(rt_vec_select(m, a, b), "select", I(1), I(6), I(3));
    RtValue m2 = ARR(F(-0.0), F(NAN), RT_NIL, RT_FALSE);
    LANES_FREE(rt_vec_blend(a, b, m2), "falsy and truthy floats", I(5), I(2), I(7));
    RtValue e = EMPTY();
    RtValue r = rt_vec_blend(a, e, m);
    cr_assert_eq(rt_array_len(r), 0);
    rt_free(r);
    rt_free(a);
    rt_free(b);
    rt_free(m);
    rt_free(m2);
    rt_free(e);
}

RTC_TEST(vec_shuffle, hostile_values)
{
    hostile h;
    hostile_init(&h);
    RtValue a = ARR(I(1));
    for (size_t i = 0; i < NHOSTILE; i++) {
        RtValue x = h.v[i];
        cr_assert_eq(rt_vec_shuffle(x, a), RT_NIL, "value %zu", i);
        cr_assert_eq(rt_vec_shuffle(a, x), RT_NIL, "value %zu", i);
        cr_assert_eq(rt_vec_blend(x, a, a), RT_NIL, "value %zu", i);
        cr_assert_eq(rt_vec_blend(a, x, a), RT_NIL, "value %zu", i);
        cr_assert_eq(rt_vec_blend(a, a, x), RT_NIL, "value %zu", i);
        cr_assert_eq(rt_vec_select(x, a, a), RT_NIL, "value %zu", i);
        cr_assert_eq(rt_vec_select(a, x, a), RT_NIL, "value %zu", i);
        cr_assert_eq(rt_vec_select(a, a, x), RT_NIL, "value %zu", i);
    }
    rt_free(a);
    hostile_free(&h);
}
