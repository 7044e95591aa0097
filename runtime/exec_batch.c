/*
 * runtime/exec_batch.c — batches of work on the executor (see exec.h).
 *
 * Internal; implements no FFI row. Used by par_run.c (rt_par_* loops and
 * kernel launches), and by benchmarks as the executor's batch path.
 *
 * A batch is heap-allocated and reference-counted (the waiter plus one per
 * queued runner) because a runner may start only after the waiter returned:
 * it then finds no chunk left and only drops its reference. Chunks of a
 * fixed size are claimed with one fetch_add on `next`; guided chunks (the
 * default) with a CAS. Finished items are counted down in `remaining`, and
 * whoever finishes the last one sets `finished` and wakes the waiter.
 */
#include <stdatomic.h>

#include "runtime/exec.h"
#include "runtime/mem.h"
#include "runtime/park.h"

struct rtx_batch {
    _Atomic int64_t next;        /* first item not yet claimed */
    int64_t end, chunk;          /* chunk: the fixed size, or the guided minimum */
    int64_t divisor;             /* guided: claim (end - next) / divisor; 0: fixed */
    _Atomic int64_t remaining;   /* items not yet finished */
    _Atomic uint32_t finished;   /* futex word: 1 once remaining hit 0 */
    _Atomic int refs;
    int runners;                 /* runner tasks the executor accepted */
    rtx_range_fn fn;
    void *ctx;
};

static void batch_unref(rtx_batch *b)
{
    if (atomic_fetch_sub(&b->refs, 1) == 1)
        rtx_free(b);
}

static void runner(void *arg)
{
    rtx_batch *b = arg;
    rtx_exec_batch_help(b);
    batch_unref(b);
}

rtx_batch *rtx_exec_batch(int64_t begin, int64_t end, int64_t chunk, int runners, rtx_range_fn fn,
                          void *ctx)
{
    if (end < begin)
        end = begin;
    rtx_batch *b = rtx_malloc(sizeof *b);
    if (b == NULL)
        return NULL;
    int64_t n = end - begin;
    /* Only workers run runners: in Manual mode (or after shutdown) a queued
     * runner would wait for a poll, so the waiter runs the batch instead. */
    int workers = rtx_exec_workers();
    if (runners > workers)
        runners = workers;
    if (runners < 0)
        runners = 0;
    int64_t threads = (int64_t)runners + 1;
    b->divisor = 0;
    if (chunk <= 0) {
        /* Guided: each claim takes a quarter of the rest divided among the
         * threads, never less than a 64th of a thread's share, so the first
         * claims are large (few atomics) and the last are small (a thread
         * that finishes early does not wait long for the others). */
        b->divisor = 4 * threads;
        chunk = n / (64 * threads);
        if (chunk < 1)
            chunk = 1;
    }
    atomic_init(&b->next, begin);
    b->end = end;
    b->chunk = chunk;
    atomic_init(&b->remaining, n);
    atomic_init(&b->finished, n == 0);
    atomic_init(&b->refs, 1);
    b->runners = 0;
    b->fn = fn;
    b->ctx = ctx;
    int64_t nchunks = (n + chunk - 1) / chunk;
    for (int i = 0; i < runners && i < nchunks; i++) {
        atomic_fetch_add(&b->refs, 1);
        if (rtx_exec_submit(runner, b) != 0) {
            atomic_fetch_sub(&b->refs, 1);   /* still held by the waiter: no free */
            break;
        }
        b->runners++;
    }
    return b;
}

/* Claim the next chunk [*lo, *hi); 0 when none is left. */
static int claim(rtx_batch *b, int64_t *lo, int64_t *hi)
{
    if (b->divisor == 0) {
        *lo = atomic_fetch_add_explicit(&b->next, b->chunk, memory_order_relaxed);
        if (*lo >= b->end)
            return 0;
        *hi = b->end - *lo > b->chunk ? *lo + b->chunk : b->end;
        return 1;
    }
    int64_t cur = atomic_load_explicit(&b->next, memory_order_relaxed);
    for (;;) {
        if (cur >= b->end)
            return 0;
        int64_t rest = b->end - cur, c = rest / b->divisor;
        if (c < b->chunk)
            c = b->chunk;
        if (c > rest)
            c = rest;
        if (atomic_compare_exchange_weak_explicit(&b->next, &cur, cur + c, memory_order_relaxed,
                                                  memory_order_relaxed)) {
            *lo = cur;
            *hi = cur + c;
            return 1;
        }
    }
}

void rtx_exec_batch_help(rtx_batch *b)
{
    int64_t lo, hi;
    while (claim(b, &lo, &hi)) {
        b->fn(b->ctx, lo, hi);
        /* acq_rel: the last finisher sees every chunk's writes before it
         * releases the waiter through `finished`. */
        if (atomic_fetch_sub_explicit(&b->remaining, hi - lo, memory_order_acq_rel) == hi - lo) {
            atomic_store_explicit(&b->finished, 1, memory_order_release);
            rtx_park_wake(&b->finished, 0);
        }
    }
}

void rtx_exec_batch_wait(rtx_batch *b, int help)
{
    /* Without runners nobody else will ever claim a chunk. */
    if (help || b->runners == 0)
        rtx_exec_batch_help(b);
    for (int spin = 0; atomic_load_explicit(&b->finished, memory_order_acquire) == 0; spin++) {
        if (spin < 100)
            continue;
        rtx_park_wait(&b->finished, 0, -1);
    }
    batch_unref(b);
}
