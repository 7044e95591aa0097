/* Conformance: rt_vec_min, rt_vec_max (spec/ffi/vec.sdn). */
#include "conformance/vec/helpers.h"

RTC_TEST(vec_minmax, upstream_cases)
{
    RtValue a = ARR(I(5), I(2), I(8), I(1));
    cr_assert_eq(rt_vec_min(a), I(1));
    cr_assert_eq(rt_vec_max(a), I(8));
    RtValue e = EMPTY();
    cr_assert_eq(rt_vec_min(e), RT_NIL, "empty: NIL");
    cr_assert_eq(rt_vec_max(e), RT_NIL);
    rt_free(a);
    rt_free(e);
}

RTC_TEST(vec_minmax, ints_and_floats_compare_numerically)
{
    RtValue a = ARR(I(3), F(2.5), I(2), F(4.5), I(4));
    cr_assert_eq(rt_vec_min(a), I(2));
    cr_assert_eq(rt_vec_max(a), F(4.5));
    /* (double)(2^53 + 1) == 2^53: equal, so the earlier element stays */
    RtValue b = ARR(F(9007199254740992.0), I((INT64_C(1) << 53) + 1));
    cr_assert_eq(rt_vec_min(b), F(9007199254740992.0));
    cr_assert_eq(rt_vec_max(b), F(9007199254740992.0));
    rt_free(a);
    rt_free(b);
}

RTC_TEST(vec_minmax, the_earlier_of_equal_elements_wins)
{
    RtValue a = ARR(F(-0.0), F(0.0)), b = ARR(F(0.0), F(-0.0));
    cr_assert_eq(rt_vec_min(a), F(-0.0));
    cr_assert_eq(rt_vec_max(a), F(-0.0));
    cr_assert_eq(rt_vec_min(b), F(0.0));
    cr_assert_eq(rt_vec_max(b), F(0.0));
    rt_free(a);
    rt_free(b);
}

RTC_TEST(vec_minmax, nan_and_non_numbers_compare_equal)
{
    RtValue n = F(NAN);
    RtValue a = ARR(n, I(1), I(0)), b = ARR(I(1), n, I(0));
    cr_assert_eq(rt_vec_min(a), n, "a kept NaN is never replaced");
    cr_assert_eq(rt_vec_min(b), I(0), "a NaN never replaces");
    cr_assert_eq(rt_vec_max(b), I(1));
    RtValue c = ARR(RT_NIL, I(1), I(0)), d = ARR(I(1), RT_NIL, I(0), RT_TRUE);
    cr_assert_eq(rt_vec_min(c), RT_NIL);
    cr_assert_eq(rt_vec_max(c), RT_NIL);
    cr_assert_eq(rt_vec_min(d), I(0));
    cr_assert_eq(rt_vec_max(d), I(1));
    rt_free(a);
    rt_free(b);
    rt_free(c);
    rt_free(d);
}

RTC_TEST(vec_minmax, boxed_ints_are_returned_as_the_same_word)
{
    RtValue hi = rt_value_int(INT64_C(1) << 62), lo = rt_value_int(-(INT64_C(1) << 62));
    RtValue a = ARR(hi, I(5), lo, F(1e300));
    cr_assert_eq(rt_vec_min(a), lo);
    cr_assert_eq(rt_vec_max(a), F(1e300));
    RtValue b = ARR(I(5), hi, I(6));
    cr_assert_eq(rt_vec_max(b), hi);
    rt_free(a);
    rt_free(b);
    rt_free(hi);
    rt_free(lo);
}

RTC_TEST(vec_minmax, long_arrays)
{
    RtValue a = rt_array_new(1000), f = rt_array_new(1000);
    for (int64_t i = 0; i < 1000; i++) {
        rt_array_push(a, I((i * 7919) % 1000 - 300));   /* a permutation of -300..699 */
        rt_array_push(f, F(1.0 + (double)((i * 7919) % 1000)));
    }
    cr_assert_eq(rt_vec_min(a), I(-300));
    cr_assert_eq(rt_vec_max(a), I(699));
    cr_assert_eq(rt_vec_min(f), F(1.0));
    cr_assert_eq(rt_vec_max(f), F(1000.0));
    /* zeros of both signs: the first one wins even inside a vector chunk */
    rt_array_set(f, 300, F(0.0));
    rt_array_set(f, 301, F(-0.0));
    rt_array_set(f, 500, F(-0.0));
    cr_assert_eq(rt_vec_min(f), F(0.0));
    rt_array_set(f, 700, F(NAN));   /* a NaN inside a chunk is passed over */
    rt_array_set(f, 999, F(-INFINITY));
    cr_assert_eq(rt_vec_min(f), F(-INFINITY));
    rt_array_set(a, 10, RT_NIL);    /* a non-number after the first element is passed over */
    cr_assert_eq(rt_vec_min(a), I(-300));
    rt_free(a);
    rt_free(f);
}

RTC_TEST(vec_minmax, hostile_values)
{
    hostile h;
    hostile_init(&h);
    for (size_t i = 0; i < NHOSTILE; i++) {
        cr_assert_eq(rt_vec_min(h.v[i]), RT_NIL, "value %zu", i);
        cr_assert_eq(rt_vec_max(h.v[i]), RT_NIL, "value %zu", i);
    }
    hostile_free(&h);
}
