/* Conformance: rt_executor_poll, rt_executor_poll_all, rt_executor_pending_count,
 * rt_executor_set_mode, rt_executor_shutdown in Manual mode (spec/ffi/executor.sdn).
 * Tasks are queued through the executor's private API (runtime/exec.h), as
 * rt_future_await does. */
#include "conformance/rtc.h"
#include "conformance/conc.h"
#include "runtime/exec.h"

static _Atomic int counter;

static void incr(void *arg)
{
    (void)arg;
    atomic_fetch_add(&counter, 1);
}

/* upstream executor_tests.rs test_manual_mode */
/* A deadlock fails the test instead of hanging the gate. */
TestSuite(executor_manual, .timeout = 120);

RTC_TEST(executor_manual, nothing_runs_before_poll)
{
    cr_assert_eq(rt_executor_set_mode(1), 1);
    cr_assert_eq(rtx_exec_submit(incr, NULL), 0);
    cr_assert_eq(atomic_load(&counter), 0, "a task waits for a poll");
    cr_assert_eq(rt_executor_pending_count(), 1);
    cr_assert_eq(rt_executor_poll(), 1);
    cr_assert_eq(atomic_load(&counter), 1);
    cr_assert_eq(rt_executor_pending_count(), 0);
    cr_assert_eq(rt_executor_poll(), 0, "empty queue");
}

static int order[16];
static _Atomic int norder;

static void record(void *arg) { order[atomic_fetch_add(&norder, 1)] = (int)(intptr_t)arg; }

static void record_and_queue(void *arg)
{
    record(arg);
    if ((intptr_t)arg == 1) {   /* tasks queued while poll_all runs are run too */
        rtx_exec_submit(record, (void *)(intptr_t)3);
        rtx_exec_submit(record, (void *)(intptr_t)4);
    }
}

RTC_TEST(executor_manual, poll_all_is_fifo_and_includes_new_tasks)
{
    rt_executor_set_mode(1);
    rtx_exec_submit(record_and_queue, (void *)(intptr_t)1);
    rtx_exec_submit(record_and_queue, (void *)(intptr_t)2);
    cr_assert_eq(rt_executor_pending_count(), 2);
    cr_assert_eq(rt_executor_poll_all(), 4);
    cr_assert_eq(atomic_load(&norder), 4);
    for (int i = 0; i < 4; i++)
        cr_assert_eq(order[i], i + 1, "task %d ran out of order", i + 1);
    cr_assert_eq(rt_executor_poll_all(), 0);
    cr_assert_eq(rt_executor_pending_count(), 0);
}

RTC_TEST(executor_manual, many_tasks_one_poll_each)
{
    rt_executor_set_mode(1);
    for (int i = 0; i < 1000; i++)
        cr_assert_eq(rtx_exec_submit(incr, NULL), 0);
    cr_assert_eq(rt_executor_pending_count(), 1000, "the queue grows as needed");
    for (int i = 0; i < 10; i++)
        cr_assert_eq(rt_executor_poll(), 1);
    cr_assert_eq(atomic_load(&counter), 10);
    cr_assert_eq(rt_executor_poll_all(), 990);
    cr_assert_eq(atomic_load(&counter), 1000);
}

RTC_TEST(executor_manual, threaded_mode_polls_nothing)
{
    cr_assert_eq(rt_executor_poll(), 0);
    cr_assert_eq(rt_executor_poll_all(), 0);
    cr_assert_eq(rt_executor_pending_count(), 0);
    cr_assert_eq(rtx_exec_submit(incr, NULL), 0);
    cr_assert_eq(rt_executor_poll(), 0, "a Threaded executor is not polled");
    cr_assert_eq(rt_executor_pending_count(), 0);
    rt_executor_shutdown();   /* drains: the task has run when it returns */
    cr_assert_eq(atomic_load(&counter), 1);
}

RTC_TEST(executor_manual, start_in_manual_mode_still_polls)
{
    rt_executor_set_mode(1);
    rt_executor_start();
    rtx_exec_submit(incr, NULL);
    cr_assert_eq(rt_executor_pending_count(), 1);
    cr_assert_eq(rt_executor_poll_all(), 1);
    cr_assert_eq(atomic_load(&counter), 1);
}

RTC_TEST(executor_manual, shutdown_runs_what_is_queued)
{
    rt_executor_set_mode(1);
    for (int i = 0; i < 100; i++)
        rtx_exec_submit(incr, NULL);
    rt_executor_shutdown();
    cr_assert_eq(atomic_load(&counter), 100, "no queued task is lost");
    cr_assert_eq(rt_executor_pending_count(), 0);
    cr_assert_eq(rt_executor_poll(), 0, "after shutdown: 0");
    cr_assert_eq(rt_executor_poll_all(), 0);
    cr_assert_eq(rtx_exec_submit(incr, NULL), -1, "new work is refused");
    cr_assert_eq(rt_executor_pending_count(), 0);
    cr_assert_eq(rt_executor_set_mode(0), 0);
}

/* Several threads polling one queue run every task exactly once. */
static void *poller(void *arg)
{
    (void)arg;
    while (atomic_load(&counter) < 2000)
        (void)rt_executor_poll();
    return NULL;
}

RTC_TEST(executor_manual, concurrent_pollers_run_each_task_once)
{
    rt_executor_set_mode(1);
    for (int i = 0; i < 2000; i++)   /* a refused one would leave the pollers polling */
        cr_assert_eq(rtx_exec_submit(incr, NULL), 0);
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, poller, NULL);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    cr_assert_eq(atomic_load(&counter), 2000);
    cr_assert_eq(rt_executor_pending_count(), 0);
}

static RtValue body_thread(RtValue ctx)
{
    return rt_value_int(pthread_equal(pthread_self(), *(pthread_t *)(uintptr_t)ctx) != 0);
}

RTC_TEST(executor_manual, await_runs_the_body_on_the_awaiting_thread)
{
    static pthread_t me;
    me = pthread_self();
    rt_executor_set_mode(1);
    /* ctx smuggles a pointer as an int-tagged word; the body only reads it */
    RtValue f = rt_future_new(body_thread, (RtValue)(uintptr_t)&me);
    cr_assert_eq(rt_executor_pending_count(), 0, "lazy: nothing queued before await");
    cr_assert_eq(rt_value_as_int(rt_future_await(f)), 1,
                 "Manual mode: the awaiter polls, so the body runs here (no deadlock)");
    cr_assert_eq(rt_executor_pending_count(), 0);
    rt_free(f);
}
