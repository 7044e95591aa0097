/*
 * runtime/par_run.c — the loop engine of the par family (see par_run.h).
 *
 * Internal; implements no FFI row (rt_par_* in par.c and par_kernel.c use it).
 *
 * The parallel part is an executor batch (exec_batch.c) that the caller
 * helps with; what this file adds is the decision whether, and in what
 * chunks, a loop is worth running in parallel.
 */
#include "runtime/par_run.h"

#include <stdatomic.h>

#include "runtime/exec.h"
#include "runtime/mem.h"
#include "runtime/park.h"

#define PROBE_NS 20000      /* time the caller measures before deciding */
#define MIN_PAR_NS 50000    /* estimated rest below this: not worth waking anyone */
#define CHUNK_NS 50000      /* target work per chunk */

#ifdef RTX_TESTING
static _Atomic int64_t forced_chunk;
void rtx_par_force(int64_t chunk) { atomic_store(&forced_chunk, chunk > 0 ? chunk : 0); }
#endif

static void run_parallel(int64_t begin, int64_t n, int64_t chunk, int helpers,
                         rtx_par_body body, void *ctx);

/* Helpers worth asking for: workers, but not more threads than CPUs. */
static int helper_count(void)
{
    int64_t cpus = rtx_thread_cpu_count();
    int helpers = rtx_exec_workers();
    if (helpers > cpus - 1)
        helpers = (int)(cpus - 1);
    return helpers;
}

void rtx_par_run(int64_t n, int64_t seq_max, int64_t eager_min, rtx_par_body body, void *ctx)
{
    if (n <= 0)
        return;
#ifdef RTX_TESTING
    int64_t fc = atomic_load(&forced_chunk);
    if (fc > 0) {
        int64_t cpus = rtx_thread_cpu_count();
        int w = rtx_exec_workers();
        int helpers = w < (cpus > 1 ? cpus - 1 : 1) ? w : (int)(cpus > 1 ? cpus - 1 : 1);
        run_parallel(0, n, fc, helpers, body, ctx);
        return;
    }
#endif
    if (n <= seq_max) {
        body(ctx, 0, n);
        return;
    }
    if (n >= eager_min) {   /* worth it whatever each item costs: no probe delay */
        int helpers = helper_count();
        if (helpers <= 0) {
            body(ctx, 0, n);
            return;
        }
        run_parallel(0, n, 0, helpers, body, ctx);   /* guided chunks */
        return;
    }
    /* Probe: run doubling blocks on the caller until PROBE_NS have passed. */
    uint64_t t0 = rtx_now_ns(), spent = 0;
    int64_t done = 0, block = 1;
    while (done < n) {
        int64_t e = n - done > block ? done + block : n;
        body(ctx, done, e);
        done = e;
        spent = rtx_now_ns() - t0;
        if (spent >= PROBE_NS)
            break;
        block *= 2;
    }
    if (done == n)
        return;
    double per_item = (double)spent / (double)done;
    double rest_ns = per_item * (double)(n - done);
    int helpers = rest_ns >= MIN_PAR_NS ? helper_count() : 0;
    if (helpers <= 0) {
        body(ctx, done, n);
        return;
    }
    int64_t chunk = per_item > 0 ? (int64_t)(CHUNK_NS / per_item) : n;
    int64_t min_chunks = 8 * (int64_t)(helpers + 1);
    int64_t even = (n - done + min_chunks - 1) / min_chunks;
    if (chunk > even)
        chunk = even;
    if (chunk < 1)
        chunk = 1;
    run_parallel(done, n, chunk, helpers, body, ctx);
}

/* ---- helpers ------------------------------------------------------------------------ */

static void run_parallel(int64_t begin, int64_t n, int64_t chunk, int helpers,
                         rtx_par_body body, void *ctx)
{
    rtx_batch *b = rtx_exec_batch(begin, n, chunk, helpers, body, ctx);
    if (b == NULL) {   /* no memory for the batch: the caller does it all */
        body(ctx, begin, n);
        return;
    }
    /* The caller works too, then waits for the chunks helpers still run. */
    rtx_exec_batch_wait(b, 1);
}
