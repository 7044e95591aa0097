/* Conformance: rt_executor_set_mode, rt_executor_get_mode, rt_executor_is_manual,
 * rt_executor_start, rt_executor_set_workers, rt_executor_shutdown — the life
 * cycle (spec/ffi/executor.sdn). Every test runs in a fresh process, so each
 * sees a new executor. */
#include "conformance/rtc.h"
#include "conformance/executor/workers.h"

/* A deadlock fails the test instead of hanging the gate. */
TestSuite(executor_mode, .timeout = 120);

RTC_TEST(executor_mode, defaults_are_threaded)
{
    cr_assert_eq(rt_executor_get_mode(), 0);
    cr_assert_eq(rt_executor_is_manual(), 0);
    cr_assert_eq(count_workers(), 0, "nothing starts before it is asked to");
}

RTC_TEST(executor_mode, set_mode_before_start)
{
    cr_assert_eq(rt_executor_set_mode(1), 1);
    cr_assert_eq(rt_executor_get_mode(), 1);
    cr_assert_eq(rt_executor_is_manual(), 1);
    cr_assert_eq(rt_executor_set_mode(0), 1);
    cr_assert_eq(rt_executor_get_mode(), 0);
    cr_assert_eq(rt_executor_is_manual(), 0);
}

RTC_TEST(executor_mode, invalid_modes_are_refused)
{
    const int64_t bad[] = {-1, 2, 3, 100, INT64_MAX, INT64_MIN};
    cr_assert_eq(rt_executor_set_mode(1), 1);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_eq(rt_executor_set_mode(bad[i]), 0, "mode %" PRId64, bad[i]);
        cr_assert_eq(rt_executor_get_mode(), 1, "an invalid mode changes nothing");
    }
}

RTC_TEST(executor_mode, mode_is_fixed_after_start)
{
    rt_executor_start();
    cr_assert_eq(rt_executor_set_mode(1), 0);
    cr_assert_eq(rt_executor_set_mode(0), 0, "even the current mode: already started");
    cr_assert_eq(rt_executor_get_mode(), 0);
    rt_executor_shutdown();
}

RTC_TEST(executor_mode, manual_mode_is_fixed_after_start)
{
    cr_assert_eq(rt_executor_set_mode(1), 1);
    rt_executor_start();
    cr_assert_eq(count_workers(), 0, "Manual mode spawns no worker");
    cr_assert_eq(rt_executor_set_mode(0), 0);
    cr_assert_eq(rt_executor_is_manual(), 1);
}

RTC_TEST(executor_mode, start_spawns_four_workers_by_default_and_is_idempotent)
{
    rt_executor_start();
    cr_assert_eq(count_workers(), 4);
    rt_executor_start();
    cr_assert_eq(count_workers(), 4, "a second start spawns nothing");
    rt_executor_shutdown();
    cr_assert_eq(count_workers(), 0, "shutdown joins every worker");
}

RTC_TEST(executor_mode, set_workers_before_start)
{
    rt_executor_set_workers(2);
    rt_executor_start();
    cr_assert_eq(count_workers(), 2);
    rt_executor_set_workers(6);   /* after start: ignored */
    cr_assert_eq(count_workers(), 2);
    rt_executor_shutdown();
}

RTC_TEST(executor_mode, set_workers_refuses_out_of_range)
{
    rt_executor_set_workers(3);
    const int64_t bad[] = {0, -1, INT64_MIN, 257, 100000, INT64_MAX};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        rt_executor_set_workers(bad[i]);
    rt_executor_start();
    cr_assert_eq(count_workers(), 3, "only 1..256 is accepted");
    rt_executor_shutdown();
}

RTC_TEST(executor_mode, set_workers_accepts_the_limits)
{
    rt_executor_set_workers(1);
    rt_executor_set_workers(256);
    rt_executor_set_workers(1);
    rt_executor_start();
    cr_assert_eq(count_workers(), 1);
    rt_executor_shutdown();
}

RTC_TEST(executor_mode, shutdown_is_final)
{
    rt_executor_start();
    rt_executor_shutdown();
    cr_assert_eq(count_workers(), 0);
    cr_assert_eq(rt_executor_set_mode(1), 0, "cannot reconfigure");
    rt_executor_set_workers(2);
    rt_executor_start();
    cr_assert_eq(count_workers(), 0, "cannot restart");
    rt_executor_shutdown();   /* a second shutdown is harmless */
    cr_assert_eq(rt_executor_get_mode(), 0);
}

RTC_TEST(executor_mode, shutdown_before_start_is_final_too)
{
    rt_executor_shutdown();
    cr_assert_eq(rt_executor_set_mode(1), 0);
    rt_executor_start();
    cr_assert_eq(count_workers(), 0);
    cr_assert_eq(rt_executor_get_mode(), 0);
}

static RtValue triple(RtValue v) { return rt_value_int(rt_value_as_int(v) * 3); }

RTC_TEST(executor_mode, await_starts_threaded_executor)
{
    RtValue f = rt_future_new(triple, rt_value_int(14));
    cr_assert_eq(rt_value_as_int(rt_future_await(f)), 42);
    cr_assert_eq(count_workers(), 4, "submitting work starts the pool (as upstream)");
    cr_assert_eq(rt_executor_set_mode(1), 0, "and fixes the mode");
    rt_free(f);
    rt_executor_shutdown();
}
