/* Conformance: rt_vec_fma (spec/ffi/vec.sdn). */
#include "conformance/vec/helpers.h"

RTC_TEST(vec_fma, lanes)
{
    RtValue s = rt_string_new((const uint8_t *)"s", 1);
    RtValue a = ARR(I(1), F(2.0), RT_NIL, F(INFINITY), s, F(1e308));
    RtValue b = ARR(I(3), F(0.5), I(5), F(0.0), I(2), F(10.0), I(9));
    RtValue c = ARR(F(0.5), I(1), I(2), I(1), F(-0.0), F(-INFINITY));
    /* shortest input: 6 lanes; non-numbers count as 0.0; inf * 0 is NaN;
     * 0 * 2 + -0.0 is +0.0 */
    LANES_FREE(rt_vec_fma(a, b, c), "fma", F(3.5), F(2.0), F(2.0), CANON_NAN, F(0.0),
               F(-INFINITY));
    rt_free(a);
    rt_free(b);
    rt_free(c);
    rt_free(s);
}

RTC_TEST(vec_fma, one_rounding)
{
    /* (1 + 2^-30)(1 - 2^-30) - 1 = -2^-60 exactly; multiplying and adding
     * separately would round the product to 1.0 and give 0. Eight lanes, so
     * the fast path's vector groups see it too. */
    double x = 1.0 + 0x1p-30, y = 1.0 - 0x1p-30;
    RtValue a = ARR(F(x), F(x), F(x), F(x), F(x), F(x), F(x), F(x));
    RtValue b = ARR(F(y), F(y), F(y), F(y), F(y), F(y), F(y), F(y));
    RtValue c = ARR(F(-1), F(-1), F(-1), F(-1), F(-1), F(-1), F(-1), F(-1));
    RtValue r = rt_vec_fma(a, b, c);
    cr_assert_eq(rt_array_len(r), 8);
    for (int64_t i = 0; i < 8; i++)
        cr_assert_eq(rt_array_get(r, i), F(-0x1p-60), "lane %" PRId64, i);
    rt_free(r);
    rt_free(a);
    rt_free(b);
    rt_free(c);
}

RTC_TEST(vec_fma, empty_and_hostile)
{
    RtValue e = EMPTY(), a = ARR(I(1));
    RtValue r = rt_vec_fma(a, e, a);
    cr_assert_eq(rt_array_len(r), 0);
    rt_free(r);
    hostile h;
    hostile_init(&h);
    for (size_t i = 0; i < NHOSTILE; i++) {
        cr_assert_eq(rt_vec_fma(h.v[i], a, a), RT_NIL, "value %zu", i);
        cr_assert_eq(rt_vec_fma(a, h.v[i], a), RT_NIL, "value %zu", i);
        cr_assert_eq(rt_vec_fma(a, a, h.v[i]), RT_NIL, "value %zu", i);
    }
    hostile_free(&h);
    rt_free(a);
    rt_free(e);
}
