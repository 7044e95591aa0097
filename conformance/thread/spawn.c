/* Conformance: rt_thread_spawn_isolated, rt_thread_spawn_isolated2,
 * rt_thread_spawn_isolated_with_args, rt_thread_id (spec/ffi/thread.sdn). */
#include <stdio.h>
#include <string.h>

#include "conformance/rtc.h"
#include "conformance/conc.h"
#include "runtime/exec.h"

static RtValue double_value(RtValue v) { return rt_value_int(rt_value_as_int(v) * 2); }
static RtValue add_values(RtValue a, RtValue b)
{
    return rt_value_int(rt_value_as_int(a) + rt_value_as_int(b));
}

/* upstream executor_tests.rs test_isolated_thread_spawn_and_join */
/* A deadlock fails the test instead of hanging the gate. */
TestSuite(thread_spawn, .timeout = 120);

RTC_TEST(thread_spawn, spawn_and_join)
{
    uint64_t h = rt_thread_spawn_isolated(double_value, rt_value_int(21));
    cr_assert_neq(h, 0);
    cr_assert_gt(rt_thread_id(h), 0);
    RtValue r = rt_thread_join(h);
    cr_assert(rt_value_is_int(r));
    cr_assert_eq(rt_value_as_int(r), 42);
    rt_thread_free(h);
}

/* upstream executor_tests.rs test_isolated_thread_spawn2_and_join */
RTC_TEST(thread_spawn, spawn2_and_join)
{
    uint64_t h = rt_thread_spawn_isolated2(add_values, rt_value_int(10), rt_value_int(32));
    cr_assert_neq(h, 0);
    cr_assert_eq(rt_value_as_int(rt_thread_join(h)), 42);
    rt_thread_free(h);
}

RTC_TEST(thread_spawn, with_args_is_spawn2)
{
    uint64_t h = rt_thread_spawn_isolated_with_args(add_values, rt_value_int(40), rt_value_int(2));
    cr_assert_neq(h, 0);
    cr_assert_eq(rt_value_as_int(rt_thread_join(h)), 42);
    rt_thread_free(h);
    cr_assert_eq(rt_thread_spawn_isolated_with_args(NULL, RT_NIL, RT_NIL), 0);
}

RTC_TEST(thread_spawn, null_function_gives_zero)
{
    cr_assert_eq(rt_thread_spawn_isolated(NULL, rt_value_int(1)), 0);
    cr_assert_eq(rt_thread_spawn_isolated2(NULL, rt_value_int(1), RT_NIL), 0);
}

RTC_TEST(thread_spawn, ids_count_from_one_in_spawn_order)
{
    uint64_t h[5];
    for (int i = 0; i < 5; i++)
        h[i] = rt_thread_spawn_isolated(double_value, rt_value_int(i));
    for (int i = 0; i < 5; i++) {
        cr_assert_eq(rt_thread_id(h[i]), i + 1, "a fresh process counts from 1");
        cr_assert_eq(rt_value_as_int(rt_thread_join(h[i])), 2 * i);
        cr_assert_eq(rt_thread_id(h[i]), i + 1, "joined: the id is still readable");
        rt_thread_free(h[i]);
        cr_assert_eq(rt_thread_id(h[i]), 0, "freed: 0");
    }
}

RTC_TEST(thread_spawn, handles_differ_and_data_passes_untouched)
{
    RtValue s = rt_string_new((const uint8_t *)"shared", 6);
    uint64_t a = rt_thread_spawn_isolated2(add_values, rt_value_int(1), s);
    uint64_t b = rt_thread_spawn_isolated(double_value, RT_NIL);
    cr_assert_neq(a, b);
    rt_thread_join(a);
    rt_thread_join(b);
    rt_thread_free(a);
    rt_thread_free(b);
    cr_assert_eq(rt_string_len(s), 6, "the thread did not take or free its argument");
    rt_free(s);
}

static RtValue echo(RtValue v) { return v; }

RTC_TEST(thread_spawn, hostile_data_is_passed_through)
{
    RtValue stale = rtc_freed_value();
    for (size_t i = 0; i < RTC_NBOGUS; i++) {
        uint64_t h = rt_thread_spawn_isolated(echo, rtc_bogus[i]);
        cr_assert_eq(rt_thread_join(h), rtc_bogus[i], "never inspected, returned as is");
        rt_thread_free(h);
    }
    uint64_t h = rt_thread_spawn_isolated(echo, stale);
    cr_assert_eq(rt_thread_join(h), stale);
    rt_thread_free(h);
}

static RtValue thread_name(RtValue v)
{
    char name[32] = "";
    pthread_getname_np(pthread_self(), name, sizeof name);
    return rt_value_int(strcmp(name, (const char *)(uintptr_t)v) == 0);
}

RTC_TEST(thread_spawn, os_name_is_upstreams_truncated_to_15_bytes)
{
    /* simple-isolated-<id>: Linux keeps 15 bytes, as Rust's std truncates. */
    static const char want[] = "simple-isolated";
    uint64_t h = rt_thread_spawn_isolated(thread_name, (RtValue)(uintptr_t)want);
    cr_assert_eq(rt_value_as_int(rt_thread_join(h)), 1);
    rt_thread_free(h);
}

RTC_TEST(thread_spawn, thread_creation_failure_gives_zero)
{
    rtx_thread_fail_next(1);
    cr_assert_eq(rt_thread_spawn_isolated(double_value, rt_value_int(1)), 0);
    rtx_thread_fail_next(1);
    cr_assert_eq(rt_thread_spawn_isolated2(add_values, RT_NIL, RT_NIL), 0);
    uint64_t h = rt_thread_spawn_isolated(double_value, rt_value_int(4));
    cr_assert_eq(rt_value_as_int(rt_thread_join(h)), 8, "the next spawn works again");
    rt_thread_free(h);
}

RTC_TEST(thread_spawn, out_of_memory_gives_zero)
{
    for (uint64_t k = 1; k <= 4; k++) {
        rtx_mem_fail_at(k, 0);
        uint64_t h = rt_thread_spawn_isolated(double_value, rt_value_int(5));
        rtx_mem_fail_at(0, 0);
        if (h != 0) {   /* the failed allocation was not on spawn's path */
            cr_assert_eq(rt_value_as_int(rt_thread_join(h)), 10);
            rt_thread_free(h);
        }
    }
    rtx_mem_fail_at(1, 1);
    cr_assert_eq(rt_thread_spawn_isolated(double_value, rt_value_int(5)), 0);
    rtx_mem_fail_at(0, 0);
}

static _Atomic long ran;
static RtValue count_and_return(RtValue v)
{
    atomic_fetch_add(&ran, 1);
    return v;
}

static void *spawner(void *arg)
{
    long n = (long)(intptr_t)arg;
    for (long i = 0; i < n; i++) {
        uint64_t h = rt_thread_spawn_isolated(count_and_return, rt_value_int(i));
        if (rt_value_as_int(rt_thread_join(h)) != i)
            return (void *)1;
        rt_thread_free(h);
    }
    return NULL;
}

RTC_TEST(thread_spawn, many_threads_spawn_concurrently)
{
    long n = rtc_size(2000, 300, 40);
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, spawner, (void *)(intptr_t)n);
    for (int i = 0; i < 4; i++) {
        void *rc;
        pthread_join(t[i], &rc);
        cr_assert_null(rc, "a join returned another thread's result");
    }
    cr_assert_eq(atomic_load(&ran), 4 * n);
}
