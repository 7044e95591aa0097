/*
 * fuzz/targets/executor.c — operation sequences over the executor family
 * (spec/ffi/executor.sdn), mixed with the work that drives it: internal
 * tasks (runtime/exec.h) and futures. The executor is one per process, so
 * mode changes, start and shutdown carry over from input to input, as they
 * would in a long-running program; every function must keep answering.
 *
 * Oracles: the mode is 0 or 1 and agrees with is_manual; counts are never
 * negative; Threaded mode never reports pending work; a submitted task runs
 * exactly once (every accepted task has run once the executor is polled,
 * awaited through or shut down).
 */
#include <sched.h>

#include "fuzz/rtz.h"
#include "runtime/exec.h"
#include "rtz_executor.h"

static _Atomic long accepted, ran;

static void task(void *arg)
{
    (void)arg;
    atomic_fetch_add(&ran, 1);
}

/* Queue a few tasks the way futures and par do. */
static void op_submit(rtz *z)
{
    int n = rtz_u8(z) % 8;
    for (int i = 0; i < n; i++)
        if (rtx_exec_submit(task, NULL) == 0)
            atomic_fetch_add(&accepted, 1);
}

static RtValue body(RtValue ctx) { return ctx; }

static void op_await(rtz *z)
{
    RtValue f = rt_future_new(body, rt_value_int(rtz_u8(z)));
    RtValue r = rt_future_await(f);
    RTZ_CHECK(f == RT_NIL || r == rt_value_int(rt_value_as_int(r)));
    rt_free(f);
}

/* Wait until every accepted task ran (Manual: poll them; Threaded: they run
 * on the workers, or were run during a shutdown). */
static void op_settle(rtz *z)
{
    (void)z;
    if (rt_executor_is_manual()) {
        rt_executor_poll_all();
        RTZ_CHECK(rt_executor_pending_count() == 0 || atomic_load(&ran) <= atomic_load(&accepted));
    }
    for (int spin = 0; atomic_load(&ran) < atomic_load(&accepted) && spin < 1000000; spin++) {
        if (rt_executor_is_manual())
            rt_executor_poll_all();
        sched_yield();
    }
    RTZ_CHECK(atomic_load(&ran) == atomic_load(&accepted));
}

static void op_set_small_workers(rtz *z) { rt_executor_set_workers(1 + rtz_u8(z) % 4); }

static const rtz_op ops[] = {
    RTZ_OP(rt_executor_set_mode), RTZ_OP(rt_executor_get_mode), RTZ_OP(rt_executor_start),
    RTZ_OP(rt_executor_set_workers), RTZ_OP(rt_executor_poll), RTZ_OP(rt_executor_poll_all),
    RTZ_OP(rt_executor_pending_count), RTZ_OP(rt_executor_shutdown),
    RTZ_OP(rt_executor_is_manual),
    {"submit", op_submit}, {"submit", op_submit}, {"await", op_await},
    {"settle", op_settle}, {"set_small_workers", op_set_small_workers},
};

static void check(rtz *z)
{
    (void)z;
    int64_t mode = rt_executor_get_mode();
    RTZ_CHECK(mode == 0 || mode == 1);
    RTZ_CHECK(rt_executor_is_manual() == mode);
    int64_t pending = rt_executor_pending_count();
    RTZ_CHECK(pending >= 0);
    RTZ_CHECK(mode == 1 || pending == 0);
    RTZ_CHECK(atomic_load(&ran) <= atomic_load(&accepted));
}

RTZ_SEQUENCE_TARGET(ops, check)
