/* Conformance: rt_future_await in Manual mode (spec/ffi/future.sdn): upstream
 * deadlocks there unless another thread polls; simplert's awaiter runs the
 * queued tasks itself, from any number of threads. */
#include "conformance/rtc.h"
#include "conformance/conc.h"
#include "runtime/exec.h"

static _Atomic int runs;

static RtValue counted(RtValue ctx)
{
    atomic_fetch_add(&runs, 1);
    return rt_value_int(rt_value_as_int(ctx) + 1);
}

/* A deadlock fails the test instead of hanging the gate. */
TestSuite(future_manual, .timeout = 120);

RTC_TEST(future_manual, await_does_not_deadlock)
{
    cr_assert_eq(rt_executor_set_mode(1), 1);
    RtValue f = rt_future_new(counted, rt_value_int(41));
    cr_assert_eq(rt_value_as_int(rt_future_await(f)), 42);
    cr_assert_eq(rt_executor_pending_count(), 0);
    cr_assert_eq(rt_value_as_int(rt_future_await(f)), 42, "cached");
    cr_assert_eq(atomic_load(&runs), 1);
    rt_free(f);
}

static int order[8];
static _Atomic int norder;
static void record(void *arg) { order[atomic_fetch_add(&norder, 1)] = (int)(intptr_t)arg; }

static RtValue record_body(RtValue ctx)
{
    record((void *)(intptr_t)rt_value_as_int(ctx));
    return ctx;
}

RTC_TEST(future_manual, awaiter_polls_in_fifo_order)
{
    rt_executor_set_mode(1);
    rtx_exec_submit(record, (void *)(intptr_t)1);
    rtx_exec_submit(record, (void *)(intptr_t)2);
    RtValue f = rt_future_new(record_body, rt_value_int(3));
    cr_assert_eq(rt_value_as_int(rt_future_await(f)), 3);
    cr_assert_eq(atomic_load(&norder), 3);
    for (int i = 0; i < 3; i++)
        cr_assert_eq(order[i], i + 1, "as if the caller had polled");
    rt_free(f);
}

static RtValue inner_future;
static RtValue await_inner(RtValue ctx)
{
    return rt_value_int(rt_value_as_int(rt_future_await(inner_future)) + rt_value_as_int(ctx));
}

RTC_TEST(future_manual, nested_await)
{
    rt_executor_set_mode(1);
    inner_future = rt_future_new(counted, rt_value_int(9));
    RtValue outer = rt_future_new(await_inner, rt_value_int(100));
    cr_assert_eq(rt_value_as_int(rt_future_await(outer)), 110);
    cr_assert_eq(rt_value_as_int(rt_future_get_result(inner_future)), 10);
    rt_free(outer);
    rt_free(inner_future);
}

static rtc_gate gate = RTC_GATE_INIT;
static RtValue gated(RtValue ctx)
{
    atomic_fetch_add(&runs, 1);
    rtc_gate_wait(&gate);
    return ctx;
}

typedef struct await_arg {
    RtValue f, got;
} await_arg;

static void *awaiter(void *p)
{
    await_arg *a = p;
    a->got = rt_future_await(a->f);
    rtc_gate_arrive(&gate);   /* returned early (out of memory): do not leave the test waiting */
    return NULL;
}

RTC_TEST(future_manual, many_awaiters_one_run)
{
    rt_executor_set_mode(1);
    RtValue f = rt_future_new(gated, rt_value_int(31));
    enum { N = 6 };
    await_arg a[N];
    pthread_t t[N];
    for (int i = 0; i < N; i++) {
        a[i] = (await_arg){f, 0};
        pthread_create(&t[i], NULL, awaiter, &a[i]);
    }
    rtc_gate_await_waiters(&gate, 1);   /* one awaiter polled the body and runs it */
    rtc_gate_open(&gate);
    for (int i = 0; i < N; i++) {
        pthread_join(t[i], NULL);
        cr_assert_eq(a[i].got, rt_value_int(31));
    }
    cr_assert_eq(atomic_load(&runs), 1);
    rt_free(f);
}

RTC_TEST(future_manual, explicit_poll_runs_a_body_another_thread_awaits)
{
    rt_executor_set_mode(1);
    RtValue f = rt_future_new(gated, rt_value_int(8));
    await_arg a = {f, 0};
    pthread_t t;
    pthread_create(&t, NULL, awaiter, &a);
    rtc_gate_await_waiters(&gate, 1);   /* the awaiter runs the body */
    cr_assert_eq(rt_executor_poll(), 0, "nothing else is queued");
    rtc_gate_open(&gate);
    pthread_join(t, NULL);
    cr_assert_eq(a.got, rt_value_int(8));
    rt_free(f);
}

RTC_TEST(future_manual, shutdown_then_await)
{
    rt_executor_set_mode(1);
    rt_executor_shutdown();
    RtValue f = rt_future_new(counted, rt_value_int(1));
    cr_assert_eq(rt_value_as_int(rt_future_await(f)), 2, "refused by the executor: runs inline");
    rt_free(f);
}
