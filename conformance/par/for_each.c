/* Conformance: rt_par_for_each (spec/ffi/par.sdn). */
#include "conformance/par/par_util.h"

static _Atomic int64_t sum, calls;

static RtValue accumulate(RtValue clo, RtValue x)
{
    (void)clo;
    atomic_fetch_add(&sum, rt_value_as_int(x));
    atomic_fetch_add(&calls, 1);
    return RT_NIL;
}

/* A deadlock fails the test instead of hanging the gate. */
TestSuite(par_for_each, .timeout = 120);

RTC_TEST(par_for_each, visits_every_selected_element_once)
{
    RtValue in = iota(100), f = closure_of(accumulate, 0);
    rt_par_for_each(in, 0, f, 0);
    cr_assert_eq(atomic_load(&calls), 100);
    cr_assert_eq(atomic_load(&sum), 4950);
    rt_par_for_each(in, 10, f, 1);
    cr_assert_eq(atomic_load(&calls), 110);
    cr_assert_eq(atomic_load(&sum), 4950 + 45);
    rt_par_for_each(in, 500, f, 2);
    cr_assert_eq(atomic_load(&calls), 210, "len past the end is clamped");
    rt_free(in);
    rt_free(f);
}

RTC_TEST(par_for_each, large_and_forced)
{
    int64_t n = rtc_size(4000000, 1000000, 20000);
    RtValue in = iota(n), f = closure_of(accumulate, 0);
    rt_par_for_each(in, 0, f, 0);
    cr_assert_eq(atomic_load(&calls), n);
    cr_assert_eq(atomic_load(&sum), n * (n - 1) / 2);
    rtx_par_force(1);
    rt_par_for_each(in, 777, f, 3);
    rtx_par_force(0);
    cr_assert_eq(atomic_load(&calls), n + 777, "returns only when every call has finished");
    rt_free(in);
    rt_free(f);
}

RTC_TEST(par_for_each, empty_and_hostile_run_nothing)
{
    RtValue in = iota(4), f = closure_of(accumulate, 0), e = rt_array_new(0);
    rt_par_for_each(e, 0, f, 0);
    hostile_set h;
    hostile_init(&h);
    for (size_t i = 0; i < h.n; i++) {
        rt_par_for_each(h.v[i], 0, f, 0);
        rt_par_for_each(in, 0, h.v[i], 0);
    }
    rt_par_for_each(in, 0, f, 4);
    rt_par_for_each(in, 0, f, -2);
    rt_par_for_each(in, -1, f, 0);
    cr_assert_eq(atomic_load(&calls), 0);
    hostile_free(&h);
    rt_free(e);
    rt_free(in);
    rt_free(f);
}
