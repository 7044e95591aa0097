/* Conformance: rt_vec_load, rt_vec_store, rt_vec_masked_load,
 * rt_vec_masked_store (spec/ffi/vec.sdn). */
#include "conformance/vec/helpers.h"

static RtValue iota(int64_t n)
{
    RtValue a = rt_array_new((uint64_t)n);
    for (int64_t i = 0; i < n; i++)
        rt_array_push(a, I(i));
    return a;
}

RTC_TEST(vec_loadstore, load)
{
    RtValue a = iota(10);
    LANES_FREE(rt_vec_load(a, 2, 3), "3 lanes", I(2), I(3), I(4));
    LANES_FREE(rt_vec_load(a, 2, 0), "lanes 0 means 4", I(2), I(3), I(4), I(5));
    LANES_FREE(rt_vec_load(a, 2, -7), "negative lanes mean 4", I(2), I(3), I(4), I(5));
    LANES_FREE(rt_vec_load(a, 8, 4), "shorter at the end", I(8), I(9));
    LANES_FREE(rt_vec_load(a, -5, 4), "offset < 0 reads as 0", I(0), I(1), I(2), I(3));
    RtValue r = rt_vec_load(a, 10, 4);
    cr_assert_eq(rt_array_len(r), 0, "offset == length: an empty vector");
    rt_free(r);
    r = rt_vec_load(a, INT64_MAX, 4);
    cr_assert_eq(rt_array_len(r), 0);
    rt_free(r);
    cr_assert_eq(rt_vec_load(a, 0, 65), RT_NIL, "more than 64 lanes is refused");
    cr_assert_eq(rt_vec_load(a, 0, INT64_MAX), RT_NIL);
    RtValue b = iota(100);
    r = rt_vec_load(b, 30, 64);
    cr_assert_eq(rt_array_len(r), 64);
    cr_assert_eq(rt_array_get(r, 63), I(93));
    rt_free(r);
    rt_free(a);
    rt_free(b);
}

RTC_TEST(vec_loadstore, store)
{
    RtValue a = iota(6), v = ARR(I(-1), I(-2), I(-3));
    rt_vec_store(v, a, 4);
    LANES(a, "lanes past the end are dropped", I(0), I(1), I(2), I(3), I(-1), I(-2));
    rt_vec_store(v, a, -2);
    LANES(a, "offset < 0 writes at 0", I(-1), I(-2), I(-3), I(3), I(-1), I(-2));
    rt_vec_store(v, a, 6);
    rt_vec_store(v, a, INT64_MAX);
    LANES(a, "offset >= length: nothing", I(-1), I(-2), I(-3), I(3), I(-1), I(-2));
    RtValue b = ARR(I(1), I(2), I(3), I(4));
    rt_vec_store(b, b, 1);
    LANES(b, "vec and target alias: lanes read first", I(1), I(1), I(2), I(3));
    rt_free(a);
    rt_free(b);
    rt_free(v);
}

RTC_TEST(vec_loadstore, masked_load)
{
    RtValue a = ARR(I(10), I(20), I(30), I(40));
    RtValue m = ARR(I(1), I(0), RT_TRUE, F(2.0)), d = ARR(I(-1), I(-2), I(-3), I(-4), I(-5));
    LANES_FREE(rt_vec_masked_load(a, 1, m, d), "masked", I(20), I(-2), I(40), I(-4));
    LANES_FREE(rt_vec_masked_load(a, -3, m, d), "offset < 0 reads as 0", I(10), I(-2), I(30),
               I(40));
    LANES_FREE(rt_vec_masked_load(a, INT64_MAX, m, d), "all past the end", I(-1), I(-2), I(-3),
               I(-4));
    RtValue e = EMPTY();
    RtValue r = rt_vec_masked_load(a, 0, e, d);
    cr_assert_eq(rt_array_len(r), 0, "length is min(len(mask), len(defaults))");
    rt_free(r);
    rt_free(a);
    rt_free(m);
    rt_free(d);
    rt_free(e);
}

RTC_TEST(vec_loadstore, masked_store)
{
    RtValue a = ARR(I(0), I(1), I(2), I(3), I(4)), v = ARR(I(-1), I(-2), I(-3), I(-4));
    RtValue m = ARR(RT_TRUE, RT_FALSE, I(5));
    rt_vec_masked_store(v, a, 2, m);
    LANES(a, "masked", I(0), I(1), I(-1), I(3), I(-3));
    RtValue all = ARR(I(1), I(1), I(1), I(1), I(1), I(1));
    rt_vec_masked_store(v, a, 3, all);
    LANES(a, "targets past the end are skipped", I(0), I(1), I(-1), I(-1), I(-2));
    rt_vec_masked_store(v, a, 5, all);
    rt_vec_masked_store(v, a, INT64_MAX, all);
    LANES(a, "offset >= length: nothing", I(0), I(1), I(-1), I(-1), I(-2));
    RtValue b = ARR(I(1), I(2), I(3), I(4));
    rt_vec_masked_store(b, b, 1, all);
    LANES(b, "aliasing: lanes read first", I(1), I(1), I(2), I(3));
    rt_vec_masked_store(v, a, -1, m);
    LANES(a, "offset < 0 writes at 0", I(-1), I(1), I(-3), I(-1), I(-2));
    rt_free(a);
    rt_free(b);
    rt_free(v);
    rt_free(m);
    rt_free(all);
}

RTC_TEST(vec_loadstore, hostile_values)
{
    hostile h;
    hostile_init(&h);
    RtValue a = ARR(I(1), I(2)), t = ARR(I(7), I(8));
    for (size_t i = 0; i < NHOSTILE; i++) {
        RtValue x = h.v[i];
        cr_assert_eq(rt_vec_load(x, 0, 4), RT_NIL, "value %zu", i);
        rt_vec_store(x, t, 0);
        rt_vec_store(a, x, 0);
        cr_assert_eq(rt_vec_masked_load(x, 0, a, a), RT_NIL, "value %zu", i);
        cr_assert_eq(rt_vec_masked_load(a, 0, x, a), RT_NIL, "value %zu", i);
        cr_assert_eq(rt_vec_masked_load(a, 0, a, x), RT_NIL, "value %zu: not the defaults", i);
        rt_vec_masked_store(x, t, 0, a);
        rt_vec_masked_store(a, x, 0, a);
        rt_vec_masked_store(a, t, 0, x);
        LANES(t, "the target is untouched", I(7), I(8));
    }
    rt_free(a);
    rt_free(t);
    hostile_free(&h);
}
