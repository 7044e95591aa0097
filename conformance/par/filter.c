/* Conformance: rt_par_filter (spec/ffi/par.sdn). */
#include "conformance/par/par_util.h"

static RtValue is_even(RtValue clo, RtValue x)
{
    (void)clo;
    return rt_value_bool(rt_value_as_int(x) % 2 == 0);
}

/* Returns a non-bool: the truthiness of the value decides. */
static RtValue mod3(RtValue clo, RtValue x)
{
    (void)clo;
    return rt_value_int(rt_value_as_int(x) % 3);
}

static RtValue passthrough(RtValue clo, RtValue x)
{
    (void)clo;
    return x;
}

static void check_evens(RtValue out, int64_t n)
{
    cr_assert_eq(rt_array_len(out), (n + 1) / 2);
    for (int64_t i = 0; i < (n + 1) / 2; i++)
        cr_assert_eq(rt_array_get(out, i), rt_value_int(2 * i), "element %" PRId64, i);
}

/* A deadlock fails the test instead of hanging the gate. */
TestSuite(par_filter, .timeout = 120);

RTC_TEST(par_filter, keeps_matches_in_order)
{
    RtValue in = iota(11), f = closure_of(is_even, 0);
    RtValue out = rt_par_filter(in, 0, f, 0);
    check_evens(out, 11);
    cr_assert_eq(rt_array_len(in), 11, "the input is unchanged");
    rt_free(out);
    rt_free(in);
    rt_free(f);
}

RTC_TEST(par_filter, truthiness_decides)
{
    RtValue in = iota(9), f = closure_of(mod3, 0);
    RtValue out = rt_par_filter(in, 0, f, 1);
    const int64_t want[] = {1, 2, 4, 5, 7, 8};
    cr_assert_eq(rt_array_len(out), 6);
    for (int i = 0; i < 6; i++)
        cr_assert_eq(rt_array_get(out, i), rt_value_int(want[i]));
    rt_free(out);
    RtValue mixed = rt_array_new(0);
    const RtValue vals[] = {RT_NIL, RT_TRUE, RT_FALSE, rt_value_int(0), rt_value_float(0.0),
                            rt_value_float(2.5), rt_value_int(-1)};
    for (size_t i = 0; i < 7; i++)
        rt_array_push(mixed, vals[i]);
    RtValue id = closure_of(passthrough, 0);
    out = rt_par_filter(mixed, 0, id, 0);
    cr_assert_eq(rt_array_len(out), 3);
    cr_assert_eq(rt_array_get(out, 0), RT_TRUE);
    cr_assert_eq(rt_array_get(out, 1), rt_value_float(2.5));
    cr_assert_eq(rt_array_get(out, 2), rt_value_int(-1));
    rt_free(out);
    rt_free(mixed);
    rt_free(id);
    rt_free(in);
    rt_free(f);
}

RTC_TEST(par_filter, len_and_empty)
{
    RtValue in = iota(10), f = closure_of(is_even, 0);
    RtValue a = rt_par_filter(in, 4, f, 0);
    check_evens(a, 4);
    RtValue b = rt_par_filter(in, 99, f, 0);
    check_evens(b, 10);
    RtValue e = rt_array_new(0);
    RtValue c = rt_par_filter(e, 0, f, 0);
    cr_assert_eq(rt_array_len(c), 0);
    cr_assert_neq(c, e);
    rt_free(a);
    rt_free(b);
    rt_free(c);
    rt_free(e);
    rt_free(in);
    rt_free(f);
}

RTC_TEST(par_filter, large_and_forced_parallel)
{
    int64_t n = rtc_size(4000000, 1000000, 20000);
    RtValue in = iota(n), f = closure_of(is_even, 0);
    RtValue out = rt_par_filter(in, 0, f, 0);
    check_evens(out, n);
    rt_free(out);
    rtx_par_force(3);
    out = rt_par_filter(in, 1001, f, 3);
    rtx_par_force(0);
    check_evens(out, 1001);
    rt_free(out);
    rt_free(in);
    rt_free(f);
}

RTC_TEST(par_filter, hostile_arguments)
{
    RtValue in = iota(4), f = closure_of(is_even, 0);
    hostile_set h;
    hostile_init(&h);
    for (size_t i = 0; i < h.n; i++) {
        cr_assert_eq(rt_par_filter(h.v[i], 0, f, 0), RT_NIL);
        cr_assert_eq(rt_par_filter(in, 0, h.v[i], 0), RT_NIL);
    }
    cr_assert_eq(rt_par_filter(in, 0, f, -1), RT_NIL);
    cr_assert_eq(rt_par_filter(in, 0, f, 4), RT_NIL);
    cr_assert_eq(rt_par_filter(in, -5, f, 0), RT_NIL);
    hostile_free(&h);
    rt_free(in);
    rt_free(f);
}

RTC_TEST(par_filter, out_of_memory)
{
    RtValue in = iota(100), f = closure_of(is_even, 0);
    for (uint64_t k = 1; k <= 3; k++) {
        rtx_mem_fail_at(k, 0);
        RtValue out = rt_par_filter(in, 0, f, 0);
        rtx_mem_fail_at(0, 0);
        if (out != RT_NIL) {   /* the failed allocation was not on filter's path */
            check_evens(out, 100);
            rt_free(out);
        }
    }
    rtx_mem_fail_at(1, 1);
    cr_assert_eq(rt_par_filter(in, 0, f, 0), RT_NIL);
    rtx_mem_fail_at(0, 0);
    rt_free(in);
    rt_free(f);
}
