/* Conformance: rt_par_map (spec/ffi/par.sdn). */
#include "conformance/par/par_util.h"
#include "runtime/exec.h"

static RtValue times3(RtValue clo, RtValue x)
{
    (void)clo;
    return rt_value_int(rt_value_as_int(x) * 3);
}

static RtValue plus_capture(RtValue clo, RtValue x)
{
    return rt_value_int(rt_value_as_int(x) + rt_value_as_int(rt_closure_get_capture(clo, 0)));
}

static void check_times3(RtValue out, int64_t n)
{
    cr_assert_eq(rt_array_len(out), n);
    for (int64_t i = 0; i < n; i++)
        cr_assert_eq(rt_array_get(out, i), rt_value_int(3 * i), "element %" PRId64, i);
}

/* A deadlock fails the test instead of hanging the gate. */
TestSuite(par_map, .timeout = 120);

RTC_TEST(par_map, small_in_order)
{
    RtValue in = iota(10), f = closure_of(times3, 0);
    RtValue out = rt_par_map(in, 0, f, 0);
    cr_assert_neq(out, in, "a new array");
    check_times3(out, 10);
    cr_assert_eq(rt_array_get(in, 9), rt_value_int(9), "the input is unchanged");
    rt_free(out);
    rt_free(in);
    rt_free(f);
}

RTC_TEST(par_map, len_selects_a_prefix)
{
    RtValue in = iota(10), f = closure_of(times3, 0);
    RtValue a = rt_par_map(in, 3, f, 1);
    check_times3(a, 3);
    RtValue b = rt_par_map(in, 10, f, 1);
    check_times3(b, 10);
    RtValue c = rt_par_map(in, 1000, f, 1);
    check_times3(c, 10);   /* longer than the array: clamped */
    RtValue d = rt_par_map(in, INT64_MAX, f, 1);
    check_times3(d, 10);
    rt_free(a);
    rt_free(b);
    rt_free(c);
    rt_free(d);
    rt_free(in);
    rt_free(f);
}

RTC_TEST(par_map, empty_input_gives_new_empty_array)
{
    RtValue in = rt_array_new(0), f = closure_of(times3, 0);
    RtValue out = rt_par_map(in, 0, f, 0);
    cr_assert_neq(out, RT_NIL);
    cr_assert_neq(out, in);
    cr_assert_eq(rt_array_len(out), 0);
    rt_free(out);
    rt_free(in);
    rt_free(f);
}

RTC_TEST(par_map, every_backend_runs_on_cpu)
{
    RtValue in = iota(50), f = closure_of(plus_capture, 1);
    rt_closure_set_capture(f, 0, rt_value_int(1000));
    for (int32_t b = 0; b <= 3; b++) {
        RtValue out = rt_par_map(in, 0, f, b);
        cr_assert_eq(rt_array_len(out), 50);
        for (int64_t i = 0; i < 50; i++)
            cr_assert_eq(rt_array_get(out, i), rt_value_int(1000 + i));
        rt_free(out);
    }
    rt_free(in);
    rt_free(f);
}

RTC_TEST(par_map, large_input_keeps_order)
{
    int64_t n = rtc_size(4000000, 1000000, 20000);
    RtValue in = iota(n), f = closure_of(times3, 0);
    RtValue out = rt_par_map(in, 0, f, 0);
    check_times3(out, n);
    rt_free(out);
    rt_free(in);
    rt_free(f);
}

RTC_TEST(par_map, forced_parallel_chunks_keep_order)
{
    RtValue in = iota(1000), f = closure_of(times3, 0);
    const int64_t chunks[] = {1, 2, 3, 7, 64, 999, 1000, 5000};
    for (size_t k = 0; k < sizeof chunks / sizeof chunks[0]; k++) {
        rtx_par_force(chunks[k]);
        RtValue out = rt_par_map(in, 0, f, 0);
        check_times3(out, 1000);
        rt_free(out);
    }
    rtx_par_force(0);
    rt_free(in);
    rt_free(f);
}

static _Atomic int on_workers;
static RtValue note_thread(RtValue clo, RtValue x)
{
    (void)clo;
    if (rtx_exec_on_worker())
        atomic_store(&on_workers, 1);
    return x;
}

RTC_TEST(par_map, manual_mode_runs_on_the_caller)
{
    rt_executor_set_mode(1);
    RtValue in = iota(rtc_size(200000, 50000, 5000)), f = closure_of(note_thread, 0);
    rtx_par_force(16);
    RtValue out = rt_par_map(in, 0, f, 0);
    rtx_par_force(0);
    cr_assert_eq(rt_array_len(out), rt_array_len(in));
    cr_assert_eq(rt_executor_pending_count(), 0, "no helper task was queued");
    cr_assert_eq(atomic_load(&on_workers), 0);
    rt_free(out);
    rt_free(in);
    rt_free(f);
}

RTC_TEST(par_map, after_shutdown_still_maps)
{
    rt_executor_start();
    rt_executor_shutdown();
    RtValue in = iota(5000), f = closure_of(times3, 0);
    rtx_par_force(10);
    RtValue out = rt_par_map(in, 0, f, 2);
    rtx_par_force(0);
    check_times3(out, 5000);
    rt_free(out);
    rt_free(in);
    rt_free(f);
}

RTC_TEST(par_map, small_inputs_do_not_start_the_executor)
{
    RtValue in = iota(100), f = closure_of(times3, 0);
    RtValue out = rt_par_map(in, 0, f, 0);
    check_times3(out, 100);
    cr_assert_eq(rt_executor_set_mode(1), 1, "100 elements ran on the caller alone");
    rt_free(out);
    rt_free(in);
    rt_free(f);
}

/* A closure that shrinks its input while a sequential map runs: the map
 * reads NIL past the new end, never freed memory. */
static RtValue popper(RtValue clo, RtValue x)
{
    rt_array_pop(rt_closure_get_capture(clo, 0));
    return x;
}

RTC_TEST(par_map, input_shrinking_under_the_closure)
{
    RtValue in = iota(10), f = closure_of(popper, 1);
    rt_closure_set_capture(f, 0, in);
    RtValue out = rt_par_map(in, 0, f, 0);
    cr_assert_eq(rt_array_len(out), 10, "the selection was fixed at the call");
    for (int64_t i = 0; i < 5; i++)
        cr_assert_eq(rt_array_get(out, i), rt_value_int(i));
    for (int64_t i = 5; i < 10; i++)
        cr_assert_eq(rt_array_get(out, i), RT_NIL, "element %" PRId64 " was popped", i);
    rt_free(out);
    rt_free(in);
    rt_free(f);
}

RTC_TEST(par_map, hostile_arguments)
{
    RtValue in = iota(4), f = closure_of(times3, 0);
    hostile_set h;
    hostile_init(&h);
    for (size_t i = 0; i < h.n; i++) {
        cr_assert_eq(rt_par_map(h.v[i], 0, f, 0), RT_NIL, "input %#" PRIx64, h.v[i]);
        cr_assert_eq(rt_par_map(in, 0, h.v[i], 0), RT_NIL, "closure %#" PRIx64, h.v[i]);
    }
    const int32_t bad_backend[] = {-1, 4, 100, INT32_MIN, INT32_MAX};
    for (size_t i = 0; i < sizeof bad_backend / sizeof bad_backend[0]; i++)
        cr_assert_eq(rt_par_map(in, 0, f, bad_backend[i]), RT_NIL);
    cr_assert_eq(rt_par_map(in, -1, f, 0), RT_NIL);
    cr_assert_eq(rt_par_map(in, INT64_MIN, f, 0), RT_NIL);
    hostile_free(&h);
    rt_free(in);
    rt_free(f);
}

RTC_TEST(par_map, out_of_memory)
{
    RtValue in = iota(100), f = closure_of(times3, 0);
    rtx_mem_fail_at(1, 1);
    cr_assert_eq(rt_par_map(in, 0, f, 0), RT_NIL);
    rtx_mem_fail_at(0, 0);
    rt_free(in);
    rt_free(f);
}
