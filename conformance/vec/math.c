/* Conformance: rt_vec_sqrt, rt_vec_abs, rt_vec_floor, rt_vec_ceil,
 * rt_vec_round, rt_vec_recip (spec/ffi/vec.sdn). */
#include "conformance/vec/helpers.h"

RTC_TEST(vec_math, sqrt)
{
    RtValue s = rt_string_new((const uint8_t *)"s", 1);
    /* the first four lanes are one all-float vector group, the next four mixed */
    RtValue a = ARR(F(2.25), F(-0.0), F(-1.0), F(INFINITY), I(4), I(2), RT_NIL, s, F(NAN));
    LANES_FREE(rt_vec_sqrt(a), "sqrt", F(1.5), F(-0.0), CANON_NAN, F(INFINITY), F(2.0),
               F(1.4142135623730951), RT_NIL, s, CANON_NAN);
    rt_free(a);
    rt_free(s);
}

RTC_TEST(vec_math, abs)
{
    RtValue neg_nan = f_bits(UINT64_C(0xFFF4000000001230));
    RtValue wide = rt_value_int(-(INT64_C(1) << 62)), min = rt_value_int(INT64_MIN);
    RtValue pos = rt_value_int(INT64_C(1) << 62);
    RtValue a = ARR(F(-2.5), F(-0.0), neg_nan, F(-INFINITY), I(-3), I(3), I(RT_INT_INLINE_MAX),
                    I(-RT_INT_INLINE_MAX), RT_NIL, I(RT_INT_INLINE_MIN), wide, min, pos);
    RtValue r = rt_vec_abs(a);
    LANES(r, "abs, immediate lanes", F(2.5), F(0.0), f_bits(UINT64_C(0x7FF4000000001230)),
          F(INFINITY), I(3), I(3), I(RT_INT_INLINE_MAX), I(RT_INT_INLINE_MAX), RT_NIL,
          rt_array_get(r, 9), rt_array_get(r, 10), rt_array_get(r, 11), rt_array_get(r, 12));
    const int64_t want[] = {INT64_C(1) << 60, INT64_C(1) << 62, INT64_MIN, INT64_C(1) << 62};
    for (int i = 0; i < 4; i++) {
        RtValue b = rt_array_get(r, 9 + i);
        cr_assert(rt_value_is_heap(b) && rt_value_is_int(b), "lane %d is a box", 9 + i);
        cr_assert_eq(rt_value_as_int(b), want[i], "lane %d", 9 + i);
        cr_assert_neq(b, rt_array_get(a, 9 + i), "lane %d is a new box, not the input", 9 + i);
        rt_free(b);   /* the caller owns the new boxes */
    }
    rt_free(r);
    rt_free(a);
    rt_free(wide);
    rt_free(min);
    rt_free(pos);
}

RTC_TEST(vec_math, floor_ceil_round)
{
    /* 2^48 + 0.5: a half that survives the 3 dropped mantissa bits; the
     * largest double below 0.5 still reads below 0.5 after encoding */
    RtValue a = ARR(F(1.5), F(-1.5), F(2.5), F(-2.5), F(-0.4), F(0.49999999999999994),
                    F(281474976710656.5), F(-0.5), I(7), F(INFINITY), F(NAN), RT_NIL);
    LANES_FREE(rt_vec_floor(a), "floor", F(1), F(-2), F(2), F(-3), F(-1), F(0),
               F(281474976710656.0), F(-1), I(7), F(INFINITY), CANON_NAN, RT_NIL);
    LANES_FREE(rt_vec_ceil(a), "ceil", F(2), F(-1), F(3), F(-2), F(-0.0), F(1),
               F(281474976710657.0), F(-0.0), I(7), F(INFINITY), CANON_NAN, RT_NIL);
    LANES_FREE(rt_vec_round(a), "round", F(2), F(-2), F(3), F(-3), F(-0.0), F(0),
               F(281474976710657.0), F(-1), I(7), F(INFINITY), CANON_NAN, RT_NIL);
    rt_free(a);
}

RTC_TEST(vec_math, recip)
{
    RtValue s = rt_string_new((const uint8_t *)"s", 1);
    RtValue a = ARR(F(0.25), F(-0.0), F(0.0), F(-INFINITY), I(2), I(0), RT_NIL, s, F(4.0));
    LANES_FREE(rt_vec_recip(a), "recip", F(4.0), F(-INFINITY), F(INFINITY), F(-0.0), F(0.5),
               F(INFINITY), F(INFINITY), F(INFINITY), F(0.25));
    rt_free(a);
    rt_free(s);
}

RTC_TEST(vec_math, empty_and_hostile)
{
    RtValue (*const fns[])(RtValue) = {rt_vec_sqrt, rt_vec_abs, rt_vec_floor,
                                       rt_vec_ceil, rt_vec_round, rt_vec_recip};
    hostile h;
    hostile_init(&h);
    RtValue e = EMPTY();
    for (size_t f = 0; f < sizeof fns / sizeof fns[0]; f++) {
        RtValue r = fns[f](e);
        cr_assert_eq(rt_array_len(r), 0, "function %zu: an empty result", f);
        cr_assert_neq(r, e);
        rt_free(r);
        for (size_t i = 0; i < NHOSTILE; i++)
            cr_assert_eq(fns[f](h.v[i]), RT_NIL, "function %zu, value %zu", f, i);
    }
    rt_free(e);
    hostile_free(&h);
}
