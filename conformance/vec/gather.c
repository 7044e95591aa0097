/* Conformance: rt_vec_gather, rt_vec_scatter (spec/ffi/vec.sdn). */
#include "conformance/vec/helpers.h"

RTC_TEST(vec_gather, gather)
{
    RtValue big = rt_value_int(-(INT64_C(1) << 62));
    RtValue a = ARR(I(10), I(20), I(30)), idx = ARR(I(1), I(1), I(5), I(-1), F(0.0), big, I(2));
    LANES_FREE(rt_vec_gather(a, idx), "gather", I(20), I(20), RT_NIL, RT_NIL, RT_NIL, RT_NIL,
               I(30));
    rt_free(a);
    rt_free(idx);
    rt_free(big);
}

RTC_TEST(vec_gather, scatter)
{
    RtValue a = ARR(I(0), I(0), I(0), I(0), I(0));
    RtValue v = ARR(I(1), I(2), I(3), I(4)), idx = ARR(I(4), I(1), I(4), I(-1), I(0));
    rt_vec_scatter(v, a, idx);
    LANES(a, "the last write wins; bad indices are skipped", I(0), I(2), I(0), I(0), I(3));
    RtValue far = ARR(I(5), I(INT64_C(1) << 40), F(1.0), RT_NIL);
    rt_vec_scatter(v, a, far);
    LANES(a, "nothing in range", I(0), I(2), I(0), I(0), I(3));
    /* the inputs are read before the first write */
    RtValue b = ARR(I(1), I(2), I(3)), bi = ARR(I(1), I(2), I(0));
    rt_vec_scatter(b, b, bi);
    LANES(b, "vec is the target", I(3), I(1), I(2));
    RtValue c = ARR(I(2), I(0), I(1)), cv = ARR(I(7), I(8), I(9));
    rt_vec_scatter(cv, c, c);
    LANES(c, "indices are the target", I(8), I(9), I(7));
    rt_free(a);
    rt_free(v);
    rt_free(idx);
    rt_free(far);
    rt_free(b);
    rt_free(bi);
    rt_free(c);
    rt_free(cv);
}

RTC_TEST(vec_gather, hostile_values)
{
    hostile h;
    hostile_init(&h);
    RtValue a = ARR(I(0), I(1)), t = ARR(I(7), I(8));
    for (size_t i = 0; i < NHOSTILE; i++) {
        RtValue x = h.v[i];
        cr_assert_eq(rt_vec_gather(x, a), RT_NIL, "value %zu", i);
        cr_assert_eq(rt_vec_gather(a, x), RT_NIL, "value %zu", i);
        rt_vec_scatter(x, t, a);
        rt_vec_scatter(a, x, a);
        rt_vec_scatter(a, t, x);
        LANES(t, "the target is untouched", I(7), I(8));
    }
    rt_free(a);
    rt_free(t);
    hostile_free(&h);
}
