/* Conformance: rt_vec_sum, rt_vec_product (spec/ffi/vec.sdn). */
#include "conformance/vec/helpers.h"

RTC_TEST(vec_sum, upstream_cases)
{
    RtValue e = EMPTY(), a = ARR(I(1), I(2), I(3));
    cr_assert_eq(rt_vec_sum(e), I(0), "empty sum is int 0");
    cr_assert_eq(rt_vec_sum(a), I(6));
    cr_assert_eq(rt_vec_product(e), I(1), "empty product is int 1");
    RtValue b = ARR(I(2), I(3), I(4));
    cr_assert_eq(rt_vec_product(b), I(24));
    rt_free(a);
    rt_free(b);
    rt_free(e);
}

RTC_TEST(vec_sum, non_numbers_are_skipped)
{
    RtValue s = rt_string_new((const uint8_t *)"s", 1);
    RtValue a = ARR(I(1), RT_NIL, s, RT_TRUE, I(2), (RtValue)0x1, (RtValue)0xC);
    cr_assert_eq(rt_vec_sum(a), I(3));
    cr_assert_eq(rt_vec_product(a), I(2));
    RtValue none = ARR(RT_NIL, s);
    cr_assert_eq(rt_vec_sum(none), I(0), "no numbers: int 0");
    cr_assert_eq(rt_vec_product(none), I(1), "no numbers: int 1");
    rt_free(a);
    rt_free(none);
    rt_free(s);
}

RTC_TEST(vec_sum, first_float_switches_to_float)
{
    RtValue a = ARR(I(1), F(2.5), I(3));
    cr_assert_eq(rt_vec_sum(a), F(6.5));
    cr_assert_eq(rt_vec_product(a), F(7.5));
    /* the int prefix converts once: (double)(2^53 + 1) == 2^53, then + 0.5 rounds back */
    RtValue b = ARR(I((INT64_C(1) << 53) + 1), F(0.5));
    cr_assert_eq(rt_vec_sum(b), F(9007199254740992.0));
    RtValue c = ARR(F(-0.0));
    cr_assert_eq(rt_vec_sum(c), F(0.0), "0 + -0.0 is +0.0, as upstream");
    RtValue d = ARR(I(2), F(-1.0), F(0.0));
    cr_assert_eq(rt_vec_product(d), F(-0.0), "the sign of a zero product is kept");
    rt_free(a);
    rt_free(b);
    rt_free(c);
    rt_free(d);
}

RTC_TEST(vec_sum, float_phase_uses_eight_accumulators)
{
    /* element j goes to accumulator j % 8: 1e16 and -1e16 cancel in A0, the
     * seven ones survive in A1..A7. Left to right (upstream) gives 0.0. */
    RtValue a = ARR(F(1e16), F(1), F(1), F(1), F(1), F(1), F(1), F(1), F(-1e16));
    cr_assert_eq(rt_vec_sum(a), F(7.0));
    rt_free(a);
    /* the same over a long array, where the fast path adds vectors */
    RtValue b = rt_array_new(64);
    for (int i = 0; i < 64; i++)
        rt_array_push(b, F(i % 8 == 0 ? (i < 32 ? 1e16 : -1e16) : 1.0));
    cr_assert_eq(rt_vec_sum(b), F(56.0));
    rt_free(b);
}

RTC_TEST(vec_sum, nan_results_are_canonical)
{
    RtValue a = ARR(f_bits(UINT64_C(0xFFF4000000001230)), F(1.0));
    cr_assert_eq(rt_vec_sum(a), CANON_NAN);
    cr_assert_eq(rt_vec_product(a), CANON_NAN);
    RtValue b = ARR(F(INFINITY), F(-INFINITY));
    cr_assert_eq(rt_vec_sum(b), CANON_NAN);
    RtValue c = ARR(F(0.0), F(INFINITY));
    cr_assert_eq(rt_vec_product(c), CANON_NAN);
    rt_free(a);
    rt_free(b);
    rt_free(c);
}

RTC_TEST(vec_sum, int_results_wrap_in_64_bits_and_box_beyond_61)
{
    RtValue a = ARR(I(RT_INT_INLINE_MAX), I(RT_INT_INLINE_MAX));
    RtValue s = rt_vec_sum(a);
    cr_assert(rt_value_is_heap(s), "2^61 - 2 does not fit inline: boxed");
    cr_assert_eq(rt_value_as_int(s), (INT64_C(1) << 61) - 2);
    rt_free(s);
    RtValue fits = ARR(I(RT_INT_INLINE_MAX), I(1), I(-1));
    cr_assert_eq(rt_vec_sum(fits), I(RT_INT_INLINE_MAX));

    RtValue big = rt_value_int(INT64_C(1) << 62);
    RtValue w = ARR(big, big);
    s = rt_vec_sum(w);
    cr_assert_eq(rt_value_as_int(s), INT64_MIN, "2^62 + 2^62 wraps to INT64_MIN");
    rt_free(s);
    RtValue p = ARR(I(INT64_C(1) << 59), I(4));
    s = rt_vec_product(p);
    cr_assert_eq(rt_value_as_int(s), INT64_C(1) << 61);
    cr_assert(rt_value_is_heap(s));
    rt_free(s);
    RtValue q = ARR(I((INT64_C(1) << 32) + 1), I((INT64_C(1) << 32) + 1));
    cr_assert_eq(rt_vec_product(q), I((INT64_C(1) << 33) + 1), "(2^32+1)^2 wraps");
    rt_free(a);
    rt_free(fits);
    rt_free(w);
    rt_free(p);
    rt_free(q);
    rt_free(big);
}

RTC_TEST(vec_sum, long_int_arrays)
{
    /* long enough for the vector chunks; expected values computed independently */
    RtValue a = rt_array_new(1000), m = rt_array_new(1000);
    uint64_t want = 0;
    for (int64_t i = 0; i < 1000; i++) {
        rt_array_push(a, I(i));
        rt_array_push(m, I(RT_INT_INLINE_MAX - i));
        want += (uint64_t)(RT_INT_INLINE_MAX - i);
    }
    cr_assert_eq(rt_vec_sum(a), I(499500));
    RtValue s = rt_vec_sum(m);
    cr_assert_eq(rt_value_as_int(s), (int64_t)want, "a wrapped sum of 1000 wide ints");
    rt_free(s);
    rt_array_set(a, 517, RT_NIL);   /* a non-number in the middle of a chunk */
    cr_assert_eq(rt_vec_sum(a), I(499500 - 517));
    rt_array_set(a, 900, F(0.5));   /* and a float late in the array */
    cr_assert_eq(rt_vec_sum(a), F(499500.0 - 517 - 900 + 0.5));
    rt_free(a);
    rt_free(m);
}

RTC_TEST(vec_sum, hostile_values)
{
    hostile h;
    hostile_init(&h);
    for (size_t i = 0; i < NHOSTILE; i++) {
        cr_assert_eq(rt_vec_sum(h.v[i]), I(0), "value %zu", i);
        cr_assert_eq(rt_vec_product(h.v[i]), I(1), "value %zu", i);
    }
    hostile_free(&h);
}
