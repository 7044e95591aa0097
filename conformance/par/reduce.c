/* Conformance: rt_par_reduce (spec/ffi/par.sdn): a left fold for up to 4096
 * elements; beyond that, chunks of max(4096, ceil(len/1024)) elements whose
 * results are combined left to right — a grouping fixed by len alone. */
#include "conformance/par/par_util.h"

static RtValue add(RtValue clo, RtValue acc, RtValue x)
{
    (void)clo;
    return rt_value_int(rt_value_as_int(acc) + rt_value_as_int(x));
}

/* Not associative: acc * 3 - x, kept small. */
static int64_t mix(int64_t acc, int64_t x) { return (acc * 3 - x) % 1000003; }
static RtValue mixc(RtValue clo, RtValue acc, RtValue x)
{
    (void)clo;
    return rt_value_int(mix(rt_value_as_int(acc), rt_value_as_int(x)));
}

/* The documented result for iota(n) and mix. */
static int64_t expected_mix(int64_t n, int64_t initial)
{
    int64_t chunk = (n + 1023) / 1024;
    if (chunk < 4096)
        chunk = 4096;
    if (n <= chunk) {
        int64_t acc = initial;
        for (int64_t i = 0; i < n; i++)
            acc = mix(acc, i);
        return acc;
    }
    int64_t total = 0;
    for (int64_t k = 0; k * chunk < n; k++) {
        int64_t lo = k * chunk, hi = lo + chunk < n ? lo + chunk : n;
        int64_t acc = k == 0 ? initial : lo;
        for (int64_t i = k == 0 ? lo : lo + 1; i < hi; i++)
            acc = mix(acc, i);
        total = k == 0 ? acc : mix(total, acc);
    }
    return total;
}

/* A deadlock fails the test instead of hanging the gate. */
TestSuite(par_reduce, .timeout = 120);

RTC_TEST(par_reduce, sum)
{
    RtValue in = iota(101), f = closure_of(add, 0);
    cr_assert_eq(rt_par_reduce(in, 0, rt_value_int(0), f, 0), rt_value_int(5050));
    cr_assert_eq(rt_par_reduce(in, 0, rt_value_int(7), f, 0), rt_value_int(5057),
                 "initial is folded in once");
    cr_assert_eq(rt_par_reduce(in, 4, rt_value_int(0), f, 2), rt_value_int(6), "0+1+2+3");
    cr_assert_eq(rt_par_reduce(in, 1000, rt_value_int(0), f, 3), rt_value_int(5050));
    rt_free(in);
    rt_free(f);
}

RTC_TEST(par_reduce, empty_selection_gives_initial)
{
    RtValue in = rt_array_new(0), f = closure_of(add, 0);
    RtValue init = rt_string_new((const uint8_t *)"init", 4);
    cr_assert_eq(rt_par_reduce(in, 0, init, f, 0), init);
    rt_free(init);
    rt_free(in);
    rt_free(f);
}

RTC_TEST(par_reduce, large_sum_is_exact)
{
    int64_t n = rtc_size(4000000, 1000000, 30000);
    RtValue in = iota(n), f = closure_of(add, 0);
    cr_assert_eq(rt_par_reduce(in, 0, rt_value_int(5), f, 0), rt_value_int(n * (n - 1) / 2 + 5));
    rt_free(in);
    rt_free(f);
}

RTC_TEST(par_reduce, small_non_associative_is_a_left_fold)
{
    for (int64_t n = 0; n <= 4096; n += n < 10 ? 1 : 1021) {
        RtValue in = iota(n), f = closure_of(mixc, 0);
        cr_assert_eq(rt_par_reduce(in, 0, rt_value_int(11), f, 0),
                     rt_value_int(expected_mix(n, 11)), "n %" PRId64, n);
        rt_free(in);
        rt_free(f);
    }
}

/* The grouping is the documented one, whatever the scheduling. */
RTC_TEST(par_reduce, non_associative_grouping_is_fixed_by_len)
{
    int64_t n = rtc_size(3000000, 200000, 20000);
    RtValue in = iota(n), f = closure_of(mixc, 0);
    RtValue want = rt_value_int(expected_mix(n, 11));
    cr_assert_eq(rt_par_reduce(in, 0, rt_value_int(11), f, 0), want);
    const int64_t chunks[] = {1, 2, 5};
    for (size_t k = 0; k < 3; k++) {
        rtx_par_force(chunks[k]);   /* other thread/chunk assignments */
        cr_assert_eq(rt_par_reduce(in, 0, rt_value_int(11), f, 0), want);
    }
    rtx_par_force(0);
    int64_t m = 4097;   /* the first length with two chunks */
    cr_assert_eq(rt_par_reduce(in, m, rt_value_int(11), f, 0), rt_value_int(expected_mix(m, 11)));
    rt_free(in);
    rt_free(f);
}

RTC_TEST(par_reduce, manual_mode_same_grouping)
{
    rt_executor_set_mode(1);
    int64_t n = rtc_size(1000000, 100000, 10000);
    RtValue in = iota(n), f = closure_of(mixc, 0);
    cr_assert_eq(rt_par_reduce(in, 0, rt_value_int(3), f, 1), rt_value_int(expected_mix(n, 3)));
    cr_assert_eq(rt_executor_pending_count(), 0);
    rt_free(in);
    rt_free(f);
}

RTC_TEST(par_reduce, hostile_arguments_give_initial)
{
    RtValue in = iota(4), f = closure_of(add, 0);
    RtValue init = rt_value_int(-9);
    hostile_set h;
    hostile_init(&h);
    for (size_t i = 0; i < h.n; i++) {
        cr_assert_eq(rt_par_reduce(h.v[i], 0, init, f, 0), init);
        cr_assert_eq(rt_par_reduce(in, 0, init, h.v[i], 0), init);
        cr_assert_eq(rt_par_reduce(in, 0, h.v[i], f, 5), h.v[i], "initial is returned untouched");
    }
    cr_assert_eq(rt_par_reduce(in, 0, init, f, -1), init);
    cr_assert_eq(rt_par_reduce(in, -1, init, f, 0), init);
    hostile_free(&h);
    rt_free(in);
    rt_free(f);
}

RTC_TEST(par_reduce, out_of_memory_gives_initial)
{
    RtValue in = iota(10000), f = closure_of(add, 0);
    rtx_mem_fail_at(1, 1);
    cr_assert_eq(rt_par_reduce(in, 0, rt_value_int(1), f, 0), rt_value_int(1));
    rtx_mem_fail_at(0, 0);
    rt_free(in);
    rt_free(f);
}
