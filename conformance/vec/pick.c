/* Conformance: rt_vec_min_vec, rt_vec_max_vec, rt_vec_clamp (spec/ffi/vec.sdn). */
#include "conformance/vec/helpers.h"

RTC_TEST(vec_pick, min_vec_and_max_vec)
{
    RtValue n = F(NAN);
    RtValue a = ARR(I(1), I(5), F(2.5), RT_NIL, n, F(-0.0), I(3));
    RtValue b = ARR(I(2), I(4), I(2), I(0), I(1), F(0.0));
    LANES_FREE(rt_vec_min_vec(a, b), "min_vec", I(1), I(4), I(2), RT_NIL, n, F(-0.0));
    LANES_FREE(rt_vec_max_vec(a, b), "max_vec", I(2), I(5), F(2.5), RT_NIL, n, F(-0.0));
    /* all-int and all-float groups of four (the vector paths) */
    RtValue c = ARR(I(1), I(-7), I(RT_INT_INLINE_MIN), I(RT_INT_INLINE_MAX));
    RtValue d = ARR(I(0), I(-7), I(0), I(0));
    LANES_FREE(rt_vec_min_vec(c, d), "ints", I(0), I(-7), I(RT_INT_INLINE_MIN), I(0));
    LANES_FREE(rt_vec_max_vec(c, d), "ints", I(1), I(-7), I(0), I(RT_INT_INLINE_MAX));
    RtValue e = ARR(F(1.5), F(0.0), n, F(-INFINITY)), f = ARR(F(2.5), F(-0.0), F(1.0), F(0.0));
    LANES_FREE(rt_vec_min_vec(e, f), "floats", F(1.5), F(0.0), n, F(-INFINITY));
    LANES_FREE(rt_vec_max_vec(e, f), "floats", F(2.5), F(0.0), n, F(0.0));
    rt_free(a);
    rt_free(b);
    rt_free(c);
    rt_free(d);
    rt_free(e);
    rt_free(f);
}

RTC_TEST(vec_pick, clamp)
{
    RtValue n = F(NAN);
    RtValue v = ARR(I(-5), I(0), I(5), I(10), F(2.5), n, RT_NIL, F(-1.0));
    LANES_FREE(rt_vec_clamp(v, I(0), I(4)), "broadcast ints", I(0), I(0), I(4), I(4), F(2.5), n,
               RT_NIL, I(0));
    LANES_FREE(rt_vec_clamp(v, F(0.5), F(4.5)), "broadcast floats", F(0.5), F(0.5), F(4.5),
               F(4.5), F(2.5), n, RT_NIL, F(0.5));
    RtValue lo = ARR(I(0), I(1), I(6)), hi = ARR(I(1), I(1), I(7), I(8));
    LANES_FREE(rt_vec_clamp(v, lo, hi), "arrays: shortest length", I(0), I(1), I(6));
    LANES_FREE(rt_vec_clamp(v, lo, I(100)), "an array and a number", I(0), I(1), I(6));
    RtValue one = ARR(I(5));
    LANES_FREE(rt_vec_clamp(one, I(10), I(0)), "lo > hi gives lo", I(10));
    RtValue big = rt_value_int(INT64_C(1) << 62);
    LANES_FREE(rt_vec_clamp(one, big, big), "a boxed bound", big);
    rt_free(big);
    rt_free(v);
    rt_free(lo);
    rt_free(hi);
    rt_free(one);
}

RTC_TEST(vec_pick, hostile_values)
{
    hostile h;
    hostile_init(&h);
    RtValue a = ARR(I(1));
    for (size_t i = 0; i < NHOSTILE; i++) {
        RtValue x = h.v[i];
        cr_assert_eq(rt_vec_min_vec(x, a), RT_NIL, "value %zu", i);
        cr_assert_eq(rt_vec_min_vec(a, x), RT_NIL, "value %zu", i);
        cr_assert_eq(rt_vec_max_vec(x, a), RT_NIL, "value %zu", i);
        cr_assert_eq(rt_vec_max_vec(a, x), RT_NIL, "value %zu", i);
        cr_assert_eq(rt_vec_clamp(x, I(0), I(1)), RT_NIL, "value %zu", i);
        int number = rt_value_is_int(x) || rt_value_is_float(x);
        RtValue r = rt_vec_clamp(a, x, I(5));
        if (number) {   /* int 3 and float 1.5 are valid broadcast bounds */
            cr_assert_eq(rt_array_len(r), 1);
            rt_free(r);
        } else {
            cr_assert_eq(r, RT_NIL, "value %zu: neither an array nor a number", i);
            cr_assert_eq(rt_vec_clamp(a, I(0), x), RT_NIL, "value %zu", i);
        }
    }
    rt_free(a);
    hostile_free(&h);
}
