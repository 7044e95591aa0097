/* Conformance: rt_vec_extract, rt_vec_with (spec/ffi/vec.sdn). */
#include "conformance/vec/helpers.h"

RTC_TEST(vec_lane, extract)
{
    RtValue a = ARR(I(10), I(20), I(30));
    cr_assert_eq(rt_vec_extract(a, 0), I(10));
    cr_assert_eq(rt_vec_extract(a, 1), I(20));
    cr_assert_eq(rt_vec_extract(a, 2), I(30));
    cr_assert_eq(rt_vec_extract(a, 3), RT_NIL, "one past the end");
    cr_assert_eq(rt_vec_extract(a, -1), RT_NIL, "no negative indexing");
    cr_assert_eq(rt_vec_extract(a, INT64_MIN), RT_NIL);
    cr_assert_eq(rt_vec_extract(a, INT64_MAX), RT_NIL);
    RtValue e = EMPTY();
    cr_assert_eq(rt_vec_extract(e, 0), RT_NIL);
    rt_free(a);
    rt_free(e);
}

RTC_TEST(vec_lane, with_replaces_one_lane_of_a_copy)
{
    RtValue a = ARR(I(10), I(20), I(30));
    RtValue s = rt_string_new((const uint8_t *)"x", 1);
    RtValue b = rt_vec_with(a, 1, s);
    cr_assert_neq(b, a, "a new array");
    LANES(b, "with", I(10), s, I(30));
    LANES(a, "vec unchanged", I(10), I(20), I(30));
    rt_free(b);
    LANES_FREE(rt_vec_with(a, 3, I(99)), "index == length", I(10), I(20), I(30));
    LANES_FREE(rt_vec_with(a, -1, I(99)), "negative index", I(10), I(20), I(30));
    LANES_FREE(rt_vec_with(a, INT64_MAX, I(99)), "huge index", I(10), I(20), I(30));
    RtValue e = EMPTY();
    RtValue c = rt_vec_with(e, 0, I(1));
    cr_assert_eq(rt_array_len(c), 0, "an empty copy");
    rt_free(c);
    rt_free(e);
    rt_free(a);
    rt_free(s);
}

RTC_TEST(vec_lane, hostile_values)
{
    hostile h;
    hostile_init(&h);
    for (size_t i = 0; i < NHOSTILE; i++) {
        cr_assert_eq(rt_vec_extract(h.v[i], 0), RT_NIL, "value %zu", i);
        cr_assert_eq(rt_vec_with(h.v[i], 0, I(1)), RT_NIL, "value %zu", i);
    }
    hostile_free(&h);
}
