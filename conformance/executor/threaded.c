/* Conformance: rt_executor_start, rt_executor_set_workers, rt_executor_shutdown
 * in Threaded mode — the pool under load (spec/ffi/executor.sdn). Tasks are
 * queued through the private API (runtime/exec.h) as futures and par do.
 * Stress sizes: conformance/conc.h (full size under SIMPLERT_STRESS=1). */
#include <sched.h>

#include "conformance/rtc.h"
#include "conformance/conc.h"
#include "conformance/executor/workers.h"
#include "runtime/exec.h"

static _Atomic long counter;

static void incr(void *arg)
{
    (void)arg;
    atomic_fetch_add_explicit(&counter, 1, memory_order_relaxed);
}

static void wait_for(long n)
{
    while (atomic_load(&counter) < n)
        sched_yield();
}

/* upstream executor_tests.rs test_threaded_mode (without its 100 ms sleep) */
/* A deadlock fails the test instead of hanging the gate. */
TestSuite(executor_threaded, .timeout = 120);

RTC_TEST(executor_threaded, a_submitted_task_runs)
{
    rt_executor_set_workers(2);
    rt_executor_start();
    cr_assert_eq(rtx_exec_submit(incr, NULL), 0);
    wait_for(1);   /* returns only if a worker ran it */
    cr_assert_eq(atomic_load(&counter), 1);
    rt_executor_shutdown();
}

/* 1M tasks from a thread outside the pool (the injection queue): none lost. */
RTC_TEST(executor_threaded, million_external_tasks_none_lost)
{
    long n = rtc_size(4000000, 1000000, 50000);
    for (long i = 0; i < n; i++)
        cr_assert_eq(rtx_exec_submit(incr, NULL), 0);
    wait_for(n);
    rt_executor_shutdown();
    cr_assert_eq(atomic_load(&counter), n, "every task ran exactly once");
}

/* Tasks that spawn tasks (worker deques, stealing, deque growth): none lost.
 * A submission the runtime refuses (out of memory: make oom) counts as done
 * and in `refused`, so the wait ends and the test fails on it instead of
 * waiting for ever. */
static long fanout;
static _Atomic long refused;

static void spawner(void *arg)
{
    long k = (long)(intptr_t)arg;
    for (long i = 0; i < k; i++)
        if (rtx_exec_submit(incr, NULL) != 0) {
            atomic_fetch_add(&refused, 1);
            atomic_fetch_add(&counter, 1);
        }
    atomic_fetch_add(&counter, 1);
}

RTC_TEST(executor_threaded, million_tasks_from_tasks_none_lost)
{
    long n = rtc_size(4000000, 1000000, 50000);
    long roots = 100;
    fanout = n / roots;
    for (long r = 0; r < roots; r++)
        cr_assert_eq(rtx_exec_submit(spawner, (void *)(intptr_t)fanout), 0);
    long total = roots + roots * fanout;
    wait_for(total);
    rt_executor_shutdown();
    cr_assert_eq(atomic_load(&refused), 0, "a task's submission was refused");
    cr_assert_eq(atomic_load(&counter), total);
}

/* One root task queues everything on its own deque: the deque grows far
 * past its first 1024 slots while the other workers steal from it. */
RTC_TEST(executor_threaded, one_deque_grows_while_stolen_from)
{
    long n = rtc_size(2000000, 300000, 20000);
    cr_assert_eq(rtx_exec_submit(spawner, (void *)(intptr_t)n), 0);
    wait_for(n + 1);
    rt_executor_shutdown();
    cr_assert_eq(atomic_load(&refused), 0, "a task's submission was refused");
    cr_assert_eq(atomic_load(&counter), n + 1);
}

/* Shutdown with pending work: workers are held on a gate while more tasks
 * queue up behind them; shutdown must wait for all of it. */
static rtc_gate gate = RTC_GATE_INIT;

static void blocker(void *arg)
{
    (void)arg;
    rtc_gate_wait(&gate);
    atomic_fetch_add(&counter, 1);
}

static void *do_shutdown(void *arg)
{
    (void)arg;
    rt_executor_shutdown();
    return NULL;
}

RTC_TEST(executor_threaded, shutdown_drains_pending_work)
{
    rt_executor_set_workers(2);
    cr_assert_eq(rtx_exec_workers(), 2, "the pool started fewer workers (out of memory?)");
    cr_assert_eq(rtx_exec_submit(blocker, NULL), 0);
    if (rtx_exec_submit(blocker, NULL) != 0) {
        rtc_gate_open(&gate);   /* the first blocker must not hold its worker for ever */
        cr_assert_fail("the second blocker was refused");
    }
    rtc_gate_await_waiters(&gate, 2);   /* both workers are busy now */
    long n = rtc_size(100000, 20000, 2000), lost = 0;
    for (long i = 0; i < n; i++)
        lost += rtx_exec_submit(incr, NULL) != 0;
    pthread_t t;
    pthread_create(&t, NULL, do_shutdown, NULL);
    rtc_gate_open(&gate);
    pthread_join(t, NULL);
    cr_assert_eq(lost, 0, "%ld submissions were refused", lost);
    cr_assert_eq(atomic_load(&counter), n + 2, "shutdown returned before the queue drained");
    cr_assert_eq(count_workers(), 0);
    cr_assert_eq(rtx_exec_submit(incr, NULL), -1, "submissions after shutdown are refused");
}

/* Shutdown from inside a task: no self-join; queued work still runs. */
static _Atomic int shut_done;

static void shutter(void *arg)
{
    (void)arg;
    rt_executor_shutdown();
    atomic_store(&shut_done, 1);
}

RTC_TEST(executor_threaded, shutdown_from_a_worker)
{
    rt_executor_set_workers(3);
    for (int i = 0; i < 1000; i++)
        cr_assert_eq(rtx_exec_submit(incr, NULL), 0);
    cr_assert_eq(rtx_exec_submit(shutter, NULL), 0);
    while (!atomic_load(&shut_done))
        sched_yield();
    wait_for(1000);
    cr_assert_eq(atomic_load(&counter), 1000);
    cr_assert_eq(rtx_exec_submit(incr, NULL), -1);
    rt_executor_shutdown();   /* from outside, afterwards: harmless */
}

/* Tasks that run while shutdown drains may still queue more (on their own
 * worker's deque); that work is drained too. */
static _Atomic int refused_inside;

static void late_spawner(void *arg)
{
    (void)arg;
    rtc_gate_wait(&gate);
    for (int i = 0; i < 500; i++)
        if (rtx_exec_submit(incr, NULL) != 0)
            atomic_fetch_add(&refused_inside, 1);
    atomic_fetch_add(&counter, 1);
}

RTC_TEST(executor_threaded, work_queued_during_shutdown_is_drained)
{
    rt_executor_set_workers(2);
    cr_assert_eq(rtx_exec_submit(late_spawner, NULL), 0);
    rtc_gate_await_waiters(&gate, 1);
    pthread_t t;
    pthread_create(&t, NULL, do_shutdown, NULL);
    /* Submit from outside until shutdown has closed the queue; the task on
     * the gate then queues 500 more from inside the pool. */
    long accepted = 0;
    while (rtx_exec_submit(incr, NULL) == 0) {
        accepted++;
        sched_yield();
    }
    rtc_gate_open(&gate);
    pthread_join(t, NULL);
    cr_assert_eq(atomic_load(&refused_inside), 0, "a running task may still queue work");
    cr_assert_eq(atomic_load(&counter), accepted + 500 + 1);
    cr_assert_eq(count_workers(), 0);
}

RTC_TEST(executor_threaded, start_survives_thread_creation_failure)
{
    rtx_thread_fail_next(2);
    rt_executor_start();
    cr_assert_eq(count_workers(), 2, "keeps the workers it could create");
    for (int i = 0; i < 1000; i++)
        cr_assert_eq(rtx_exec_submit(incr, NULL), 0);
    rt_executor_shutdown();
    cr_assert_eq(atomic_load(&counter), 1000);
}

RTC_TEST(executor_threaded, no_worker_at_all_refuses_work)
{
    rtx_thread_fail_next(4);
    rt_executor_start();
    cr_assert_eq(count_workers(), 0);
    cr_assert_eq(rtx_exec_submit(incr, NULL), -1, "nothing would ever run it");
    cr_assert_eq(rtx_exec_workers(), 0);
    rt_executor_shutdown();
}

static RtValue plus_one(RtValue v) { return rt_value_int(rt_value_as_int(v) + 1); }

RTC_TEST(executor_threaded, futures_still_complete_without_workers)
{
    rtx_thread_fail_next(4);
    RtValue f = rt_future_new(plus_one, rt_value_int(41));
    cr_assert_eq(rt_value_as_int(rt_future_await(f)), 42, "the awaiter runs the body itself");
    rt_free(f);
}

RTC_TEST(executor_threaded, out_of_memory_at_start_leaves_no_worker)
{
    rtx_mem_fail_at(1, 1);   /* the worker table itself */
    rt_executor_start();
    rtx_mem_fail_at(0, 0);
    cr_assert_eq(count_workers(), 0);
    cr_assert_eq(rtx_exec_submit(incr, NULL), -1);
    RtValue f = rt_future_new(plus_one, rt_value_int(1));
    cr_assert_eq(rt_value_as_int(rt_future_await(f)), 2);
    rt_free(f);
}

RTC_TEST(executor_threaded, out_of_memory_for_a_deque_keeps_the_others)
{
    rtx_mem_fail_at(3, 0);   /* table, deque 0, deque 1 (fails): one worker */
    rt_executor_start();
    rtx_mem_fail_at(0, 0);
    cr_assert_eq(count_workers(), 1);
    for (int i = 0; i < 1000; i++)
        cr_assert_eq(rtx_exec_submit(incr, NULL), 0);
    rt_executor_shutdown();
    cr_assert_eq(atomic_load(&counter), 1000);
}

/* The batch path (runtime/exec.h) that par and, later, GPU work-groups use. */
static _Atomic long batch_items;
static void count_range(void *p, int64_t lo, int64_t hi)
{
    (void)p;
    atomic_fetch_add(&batch_items, hi - lo);
}

RTC_TEST(executor_threaded, batch_runs_on_workers_only)
{
    long n = rtc_size(10000000, 1000000, 20000);
    rtx_batch *b = rtx_exec_batch(0, n, 0, 4, count_range, NULL);
    cr_assert_not_null(b);
    rtx_exec_batch_wait(b, 0);
    cr_assert_eq(atomic_load(&batch_items), n, "every item exactly once");
    b = rtx_exec_batch(5, 5, 0, 4, count_range, NULL);   /* empty */
    cr_assert_not_null(b);
    rtx_exec_batch_wait(b, 1);
    b = rtx_exec_batch(10, 3, 1, 4, count_range, NULL);  /* end < begin: empty */
    cr_assert_not_null(b);
    rtx_exec_batch_wait(b, 0);
    cr_assert_eq(atomic_load(&batch_items), n);
    rt_executor_shutdown();
}

RTC_TEST(executor_threaded, batch_without_workers_runs_on_the_waiter)
{
    rt_executor_set_mode(1);   /* runners would wait for a poll: the waiter runs it */
    rtx_batch *b = rtx_exec_batch(0, 1000, 7, 4, count_range, NULL);
    cr_assert_not_null(b);
    rtx_exec_batch_wait(b, 0);
    cr_assert_eq(atomic_load(&batch_items), 1000);
    cr_assert_eq(rt_executor_pending_count(), 0);
}

RTC_TEST(executor_threaded, batch_after_shutdown_and_out_of_memory)
{
    rt_executor_start();
    rt_executor_shutdown();
    rtx_batch *b = rtx_exec_batch(0, 100, 1, 4, count_range, NULL);
    cr_assert_not_null(b);
    rtx_exec_batch_wait(b, 0);
    cr_assert_eq(atomic_load(&batch_items), 100);
    rtx_mem_fail_at(1, 0);
    cr_assert_null(rtx_exec_batch(0, 100, 1, 4, count_range, NULL), "the caller runs it then");
    rtx_mem_fail_at(0, 0);
}
