/*
 * bench/executor.c — the executor against libuv's thread pool, side by side.
 *
 *   batch            N trivial tasks, from one thread outside the pool, until
 *                    the last has run, both sides with 4 workers
 *                    (UV_THREADPOOL_SIZE=4): the executor's batch path
 *                    (rtx_exec_batch: one submission, workers claim chunks;
 *                    the submitting thread only waits) against N
 *                    uv_queue_work calls (work + after_work on the loop
 *                    thread; libuv has no batch call). Goal >= 5x.
 *   tasks_external   the same N tasks submitted one by one (rtx_exec_submit:
 *                    the injection queue) against the same libuv batch.
 *   tasks_from_task  N tasks queued one by one from inside a task (the
 *                    worker's own deque, stolen by the others); libuv cannot
 *                    queue from its workers, so its number is the external one.
 *   latency_warm     submit-to-start time of one task, samples back to back
 *   latency_cold     the same with 2 ms idle between samples (parked workers)
 *
 * Completion: every simplert task counts down a latch whose last task wakes
 * the waiting thread (futex); libuv's after_work callbacks count on the loop
 * thread and uv_run returns when the last one ran. Neither side spins.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <uv.h>

#include "bench/bench.h"
#include "runtime/exec.h"
#include "runtime/park.h"
#include "simplert.h"

#define WORKERS 4

typedef struct ctx {
    long n;
    _Atomic long remaining;
    _Atomic uint32_t done;
    uv_loop_t *loop;
    uv_work_t *reqs;
    long after;
    int samples;
    int idle_ms;
    _Atomic uint64_t started_at;
    uint64_t submitted_at;
    double lat_sum;
} ctx;

static void trivial_work(void)
{
    volatile unsigned x = 0;
    x += 1;
}

/* ---- simplert ---- */

static void finish_one(ctx *c)
{
    if (atomic_fetch_sub_explicit(&c->remaining, 1, memory_order_acq_rel) == 1) {
        atomic_store(&c->done, 1);
        rtx_park_wake(&c->done, 0);
    }
}

static void task(void *p)
{
    trivial_work();
    finish_one(p);
}

static void wait_done(ctx *c)
{
    while (atomic_load(&c->done) == 0)
        rtx_park_wait(&c->done, 0, -1);
}

static void batch_body(void *p, int64_t lo, int64_t hi)
{
    (void)p;
    for (int64_t i = lo; i < hi; i++)
        trivial_work();
}

static double ours_batch(void *p)
{
    ctx *c = p;
    uint64_t t0 = bench_now_ns();
    rtx_batch *b = rtx_exec_batch(0, c->n, 0, WORKERS, batch_body, c);
    if (b == NULL)
        abort();
    rtx_exec_batch_wait(b, 0);   /* the workers run it; this thread only waits */
    return (double)c->n / ((double)(bench_now_ns() - t0) / 1e9);
}

static double ours_external(void *p)
{
    ctx *c = p;
    atomic_store(&c->remaining, c->n);
    atomic_store(&c->done, 0);
    uint64_t t0 = bench_now_ns();
    for (long i = 0; i < c->n; i++)
        if (rtx_exec_submit(task, c) != 0)
            abort();
    wait_done(c);
    return (double)c->n / ((double)(bench_now_ns() - t0) / 1e9);
}

static void fan_out(void *p)
{
    ctx *c = p;
    for (long i = 0; i < c->n; i++)
        if (rtx_exec_submit(task, c) != 0)
            abort();
}

static double ours_from_task(void *p)
{
    ctx *c = p;
    atomic_store(&c->remaining, c->n);
    atomic_store(&c->done, 0);
    uint64_t t0 = bench_now_ns();
    rtx_exec_submit(fan_out, c);
    wait_done(c);
    return (double)c->n / ((double)(bench_now_ns() - t0) / 1e9);
}

static void stamp_task(void *p)
{
    ctx *c = p;
    atomic_store(&c->started_at, bench_now_ns());
    atomic_store(&c->done, 1);
    rtx_park_wake(&c->done, 0);
}

static void idle(int ms)
{
    if (ms > 0) {
        struct timespec ts = {0, ms * 1000000L};
        nanosleep(&ts, NULL);
    }
}

static double ours_latency(void *p)
{
    ctx *c = p;
    double sum = 0;
    for (int i = 0; i < c->samples; i++) {
        idle(c->idle_ms);
        atomic_store(&c->done, 0);
        uint64_t t0 = bench_now_ns();
        rtx_exec_submit(stamp_task, c);
        wait_done(c);
        sum += (double)(atomic_load(&c->started_at) - t0);
    }
    return sum / c->samples / 1000.0;   /* microseconds */
}

/* ---- libuv ---- */

static void uv_work(uv_work_t *r)
{
    (void)r;
    trivial_work();
}

static void uv_after(uv_work_t *r, int status)
{
    (void)status;
    ((ctx *)r->data)->after++;
}

static double peer_external(void *p)
{
    ctx *c = p;
    c->after = 0;
    uint64_t t0 = bench_now_ns();
    for (long i = 0; i < c->n; i++) {
        c->reqs[i].data = c;
        if (uv_queue_work(c->loop, &c->reqs[i], uv_work, uv_after) != 0)
            abort();
    }
    uv_run(c->loop, UV_RUN_DEFAULT);
    if (c->after != c->n)
        abort();
    return (double)c->n / ((double)(bench_now_ns() - t0) / 1e9);
}

static void uv_stamp(uv_work_t *r)
{
    ctx *c = r->data;
    atomic_store(&c->started_at, bench_now_ns());
}

static double peer_latency(void *p)
{
    ctx *c = p;
    double sum = 0;
    for (int i = 0; i < c->samples; i++) {
        idle(c->idle_ms);
        c->reqs[0].data = c;
        uint64_t t0 = bench_now_ns();
        uv_queue_work(c->loop, &c->reqs[0], uv_stamp, uv_after);
        uv_run(c->loop, UV_RUN_DEFAULT);
        sum += (double)(atomic_load(&c->started_at) - t0);
    }
    return sum / c->samples / 1000.0;
}

int main(int argc, char **argv)
{
    setenv("UV_THREADPOOL_SIZE", "4", 1);   /* before libuv's pool starts */
    bench b;
    bench_init(&b, "executor", argc, argv);
    rt_executor_set_workers(WORKERS);
    rt_executor_start();

    ctx c = {0};
    c.n = b.quick ? 20000 : 200000;
    c.loop = uv_default_loop();
    c.reqs = calloc((size_t)c.n, sizeof *c.reqs);
    if (c.reqs == NULL)
        return 1;
    printf("executor: %d workers each side, %ld trivial tasks per batch\n", WORKERS, c.n);
    bench_pair(&b, "batch", "uv_queue_work", "tasks/s", BENCH_HIGHER, ours_batch, peer_external,
               &c, 5.0);
    bench_pair(&b, "tasks_external", "uv_queue_work", "tasks/s", BENCH_HIGHER, ours_external,
               peer_external, &c, 0);
    bench_pair(&b, "tasks_from_task", "uv_queue_work", "tasks/s", BENCH_HIGHER, ours_from_task,
               peer_external, &c, 0);
    c.samples = b.quick ? 50 : 400;
    c.idle_ms = 0;
    bench_pair(&b, "latency_warm", "uv_queue_work", "us", BENCH_LOWER, ours_latency,
               peer_latency, &c, 0);
    c.samples = b.quick ? 10 : 50;
    c.idle_ms = 2;
    bench_pair(&b, "latency_cold", "uv_queue_work", "us", BENCH_LOWER, ours_latency,
               peer_latency, &c, 0);
    rt_executor_shutdown();
    uv_loop_close(c.loop);
    free(c.reqs);
    return bench_finish(&b);
}
