/* Conformance: rt_future_new, rt_future_await, rt_future_is_ready,
 * rt_future_get_result in Threaded mode (spec/ffi/future.sdn). Upstream's
 * async_gen_tests.rs cases are marked. */
#include <sched.h>
#include <string.h>

#include "conformance/rtc.h"
#include "conformance/conc.h"

static RtValue return_value(RtValue ctx) { return ctx; }
static RtValue double_int(RtValue ctx) { return rt_value_int(rt_value_as_int(ctx) * 2); }

static _Atomic int test_counter;
static RtValue increment_counter(RtValue ctx)
{
    (void)ctx;
    atomic_fetch_add(&test_counter, 1);
    return rt_value_int(42);
}

/* upstream test_future_new_and_await_simple */
/* A deadlock fails the test instead of hanging the gate. */
TestSuite(future_await, .timeout = 120);

RTC_TEST(future_await, new_and_await_simple)
{
    RtValue f = rt_future_new(return_value, rt_value_int(123));
    cr_assert(rt_value_is_heap(f));
    cr_assert_eq(rt_value_heap_type(f), RT_HEAP_FUTURE);
    RtValue r = rt_future_await(f);
    cr_assert(rt_value_is_int(r));
    cr_assert_eq(rt_value_as_int(r), 123);
    rt_free(f);
}

/* upstream test_future_await_executes_body: lazy until the first await */
RTC_TEST(future_await, body_runs_only_at_await)
{
    RtValue f = rt_future_new(increment_counter, RT_NIL);
    cr_assert_eq(atomic_load(&test_counter), 0, "lazy: rt_future_new runs nothing");
    cr_assert_eq(rt_future_is_ready(f), 0);
    cr_assert_eq(rt_value_as_int(rt_future_await(f)), 42);
    cr_assert_eq(atomic_load(&test_counter), 1);
    rt_free(f);
}

/* upstream test_future_await_double_await: cached, the body runs once */
RTC_TEST(future_await, double_await_returns_cached_value)
{
    RtValue f = rt_future_new(double_int, rt_value_int(21));
    cr_assert_eq(rt_value_as_int(rt_future_await(f)), 42);
    cr_assert_eq(rt_value_as_int(rt_future_await(f)), 42);
    RtValue g = rt_future_new(increment_counter, RT_NIL);
    for (int i = 0; i < 5; i++)
        rt_future_await(g);
    cr_assert_eq(atomic_load(&test_counter), 1);
    rt_free(f);
    rt_free(g);
}

/* upstream test_future_is_ready */
RTC_TEST(future_await, is_ready_and_get_result)
{
    RtValue f = rt_future_new(return_value, rt_value_int(100));
    cr_assert_eq(rt_future_is_ready(f), 0);
    cr_assert_eq(rt_future_get_result(f), RT_NIL, "pending: NIL, nothing runs");
    cr_assert_eq(rt_value_as_int(rt_future_await(f)), 100);
    cr_assert_eq(rt_future_is_ready(f), 1);
    cr_assert_eq(rt_value_as_int(rt_future_get_result(f)), 100);
    rt_free(f);
}

RTC_TEST(future_await, layout_matches_upstream)
{
    RtValue f = rt_future_new(double_int, rt_value_int(5));
    const uint8_t *p = (const uint8_t *)(uintptr_t)(f & ~RT_TAG_MASK);
    uint64_t w;
    memcpy(&w, p + 8, 8);
    cr_assert_eq(w, 0, "state@8: pending");
    memcpy(&w, p + 24, 8);
    cr_assert_eq(w, (uint64_t)(uintptr_t)double_int, "body_func@24");
    memcpy(&w, p + 40, 8);
    cr_assert_eq(w, rt_value_int(5), "ctx@40");
    rt_future_await(f);
    memcpy(&w, p + 8, 8);
    cr_assert_eq(w, 1, "state@8: ready");
    memcpy(&w, p + 16, 8);
    cr_assert_eq(w, rt_value_int(10), "result@16");
    memcpy(&w, p + 48, 8);
    cr_assert_eq(w, 1, "done@48");
    rt_free(f);
}

/* upstream test_future_nil_body_func */
RTC_TEST(future_await, null_body_gives_nil)
{
    RtValue f = rt_future_new(NULL, RT_NIL);
    cr_assert(rt_value_is_heap(f), "the future exists");
    cr_assert_eq(rt_future_await(f), RT_NIL);
    cr_assert_eq(rt_future_is_ready(f), 0);
    rt_free(f);
}

/* upstream test_future_invalid_value, and every other hostile word */
RTC_TEST(future_await, non_futures_give_defaults)
{
    RtValue s = rt_string_new((const uint8_t *)"x", 1);
    RtValue stale = rt_future_new(return_value, rt_value_int(1));
    rt_free(stale);
    RtValue vals[RTC_NBOGUS + RTC_NIMMEDIATE + 2];
    size_t n = 0;
    for (size_t i = 0; i < RTC_NBOGUS; i++)
        vals[n++] = rtc_bogus[i];
    for (int i = 0; i < RTC_NIMMEDIATE; i++)
        vals[n++] = rtc_immediate(i);
    vals[n++] = s;
    vals[n++] = stale;
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(rt_future_await(vals[i]), RT_NIL, "value %#" PRIx64, vals[i]);
        cr_assert_eq(rt_future_is_ready(vals[i]), 0);
        cr_assert_eq(rt_future_get_result(vals[i]), RT_NIL);
    }
    rt_free(s);
}

static int on_worker(void)
{
    char name[32] = "";
    pthread_getname_np(pthread_self(), name, sizeof name);
    return strncmp(name, "simple-future-w", 15) == 0;
}

static RtValue where(RtValue ctx)
{
    (void)ctx;
    return on_worker() ? RT_TRUE : RT_FALSE;
}

RTC_TEST(future_await, body_runs_on_an_executor_worker)
{
    RtValue f = rt_future_new(where, RT_NIL);
    cr_assert_eq(rt_future_await(f), RT_TRUE, "Threaded mode: through the executor");
    rt_free(f);
}

/* Awaited from many threads at once: one run, the same result for all. */
static rtc_gate gate = RTC_GATE_INIT;
static RtValue gated_body(RtValue ctx)
{
    atomic_fetch_add(&test_counter, 1);
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

RTC_TEST(future_await, many_awaiters_one_run_same_result)
{
    RtValue f = rt_future_new(gated_body, rt_value_int(777));
    enum { N = 8 };
    await_arg a[N];
    pthread_t t[N];
    for (int i = 0; i < N; i++) {
        a[i] = (await_arg){f, 0};
        pthread_create(&t[i], NULL, awaiter, &a[i]);
    }
    rtc_gate_await_waiters(&gate, 1);   /* the body is running; awaiters pile up */
    rtc_gate_open(&gate);
    for (int i = 0; i < N; i++) {
        pthread_join(t[i], NULL);
        cr_assert_eq(a[i].got, rt_value_int(777), "awaiter %d", i);
    }
    cr_assert_eq(atomic_load(&test_counter), 1, "the body ran once");
    rt_free(f);
}

static RtValue heap_result(RtValue ctx)
{
    (void)ctx;
    return rt_string_new((const uint8_t *)"once", 4);
}

enum { AWAITERS = 4 };
static RtValue *futs, *seen[AWAITERS];
static long nfuts;

static void *await_all(void *p)
{
    int k = (int)(intptr_t)p;
    for (long j = 0; j < nfuts; j++) {
        long i = k % 2 ? nfuts - 1 - j : j;   /* half of them from the other end */
        seen[k][i] = rt_future_await(futs[i]);
    }
    return NULL;
}

RTC_TEST(future_await, many_futures_many_awaiters)
{
    nfuts = rtc_size(20000, 2000, 200);
    futs = calloc((size_t)nfuts, sizeof *futs);
    for (long i = 0; i < nfuts; i++)
        futs[i] = rt_future_new(i % 2 ? double_int : heap_result, rt_value_int(i));
    pthread_t t[AWAITERS];
    for (int k = 0; k < AWAITERS; k++) {
        seen[k] = calloc((size_t)nfuts, sizeof(RtValue));
        pthread_create(&t[k], NULL, await_all, (void *)(intptr_t)k);
    }
    for (int k = 0; k < AWAITERS; k++)
        pthread_join(t[k], NULL);
    for (long i = 0; i < nfuts; i++) {
        for (int k = 1; k < AWAITERS; k++)
            cr_assert_eq(seen[k][i], seen[0][i], "future %ld: awaiters disagree", i);
        if (i % 2)
            cr_assert_eq(seen[0][i], rt_value_int(2 * i));
        else
            cr_assert_eq(rt_string_len(seen[0][i]), 4, "one string, made once");
        if (i % 2 == 0)
            rt_free(seen[0][i]);
        rt_free(futs[i]);
    }
    for (int k = 0; k < AWAITERS; k++)
        free(seen[k]);
    free(futs);
}

/* A body that awaits its own future would wait for itself forever. */
static _Atomic RtValue self_future;
static RtValue await_self(RtValue ctx)
{
    RtValue inner = rt_future_await(atomic_load(&self_future));
    return inner == RT_NIL ? ctx : RT_FALSE;
}

RTC_TEST(future_await, awaiting_itself_gives_nil)
{
    RtValue f = rt_future_new(await_self, rt_value_int(9));
    atomic_store(&self_future, f);
    cr_assert_eq(rt_value_as_int(rt_future_await(f)), 9, "the inner await answered NIL");
    rt_free(f);
}

/* A chain of bodies, each awaiting the next, on a single worker: the worker
 * must run the awaited bodies itself instead of blocking. */
static RtValue chain[64];
static RtValue await_next(RtValue ctx)
{
    int64_t i = rt_value_as_int(ctx);
    if (i == 63)
        return rt_value_int(1);
    return rt_value_int(rt_value_as_int(rt_future_await(chain[i + 1])) + 1);
}

RTC_TEST(future_await, nested_awaits_on_one_worker)
{
    rt_executor_set_workers(1);
    for (int i = 0; i < 64; i++)
        chain[i] = rt_future_new(await_next, rt_value_int(i));
    cr_assert_eq(rt_value_as_int(rt_future_await(chain[0])), 64);
    for (int i = 0; i < 64; i++) {
        cr_assert_eq(rt_future_is_ready(chain[i]), 1);
        rt_free(chain[i]);
    }
}

/* Freeing a future while another thread awaits it frees the object only;
 * the awaiter still gets the result. */
RTC_TEST(future_await, free_while_awaited)
{
    RtValue f = rt_future_new(gated_body, rt_value_int(5));
    await_arg a = {f, 0};
    pthread_t t;
    pthread_create(&t, NULL, awaiter, &a);
    rtc_gate_await_waiters(&gate, 1);   /* the body is running for that await */
    rt_free(f);
    cr_assert_eq(rt_future_is_ready(f), 0, "freed: a stale value");
    rtc_gate_open(&gate);
    pthread_join(t, NULL);
    cr_assert_eq(a.got, rt_value_int(5));
}

RTC_TEST(future_await, after_shutdown_the_awaiter_runs_the_body)
{
    rt_executor_start();
    rt_executor_shutdown();
    RtValue f = rt_future_new(where, RT_NIL);
    cr_assert_eq(rt_future_await(f), RT_FALSE, "no worker is left: it ran here, no hang");
    cr_assert_eq(rt_future_is_ready(f), 1);
    rt_free(f);
}

RTC_TEST(future_await, out_of_memory)
{
    rtx_mem_fail_at(1, 0);
    cr_assert_eq(rt_future_new(double_int, rt_value_int(1)), RT_NIL);
    rtx_mem_fail_at(0, 0);
    RtValue f = rt_future_new(double_int, rt_value_int(2));
    rtx_mem_fail_at(1, 0);   /* the await's shared state */
    cr_assert_eq(rt_future_await(f), RT_NIL);
    rtx_mem_fail_at(0, 0);
    cr_assert_eq(rt_future_is_ready(f), 0, "still pending");
    cr_assert_eq(rt_value_as_int(rt_future_await(f)), 4, "a later await works");
    rt_free(f);
}
