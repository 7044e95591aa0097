/* Conformance: rt_thread_available_parallelism, rt_thread_sleep,
 * rt_thread_yield (spec/ffi/thread.sdn). */
#include <sched.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "conformance/rtc.h"

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* upstream test_thread_available_parallelism, plus: it is the affinity mask */
/* A deadlock fails the test instead of hanging the gate. */
TestSuite(thread_misc, .timeout = 120);

RTC_TEST(thread_misc, available_parallelism)
{
    int64_t n = rt_thread_available_parallelism();
    cr_assert_geq(n, 1);
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0)
        cr_assert_eq(n, CPU_COUNT(&set), "the CPUs this process may use");
}

/* upstream test_thread_sleep: sleeping 50 ms takes at least that long (a
 * lower bound is the function's contract, not a timing measurement). */
RTC_TEST(thread_misc, sleep_waits_at_least_ms)
{
    uint64_t t0 = now_ms();
    rt_thread_sleep(50);
    cr_assert_geq(now_ms() - t0, 50);
}

RTC_TEST(thread_misc, sleep_non_positive_returns)
{
    rt_thread_sleep(0);
    rt_thread_sleep(-1);
    rt_thread_sleep(INT64_MIN);
    rt_thread_sleep(1);
}

static void on_alarm(int sig) { (void)sig; }

RTC_TEST(thread_misc, sleep_resumes_after_signals)
{
    struct sigaction sa = {.sa_handler = on_alarm};
    sigaction(SIGALRM, &sa, NULL);   /* no SA_RESTART: nanosleep returns EINTR */
    ualarm(10000, 10000);            /* every 10 ms */
    uint64_t t0 = now_ms();
    rt_thread_sleep(60);
    ualarm(0, 0);
    cr_assert_geq(now_ms() - t0, 60, "an interrupted sleep goes on sleeping");
}

/* upstream test_thread_yield */
RTC_TEST(thread_misc, yield_returns)
{
    for (int i = 0; i < 100; i++)
        rt_thread_yield();
}
