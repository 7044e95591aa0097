/*
 * runtime/par_run.c — the loop engine of the par family (see par_run.h).
 *
 * Internal; implements no FFI row (rt_par_* in par.c and par_kernel.c use it).
 *
 * A parallel loop is a heap-allocated job: the caller and each helper task
 * claim chunks with one fetch_add on `next` and count finished items down
 * in `remaining`; whoever finishes the last item sets `finished` and wakes
 * the caller. The job is reference-counted (caller + one per submitted
 * helper) because a helper may start only after the caller has returned:
 * it then finds no chunk left and just drops its reference.
 */
#include "runtime/par_run.h"

#include <stdatomic.h>

#include "runtime/exec.h"
#include "runtime/mem.h"
#include "runtime/park.h"

#define PROBE_NS 20000      /* time the caller measures before deciding */
#define MIN_PAR_NS 50000    /* estimated rest below this: not worth waking anyone */
#define CHUNK_NS 50000      /* target work per chunk */

typedef struct job {
    _Atomic int64_t next;        /* first item not yet claimed */
    int64_t end, chunk;
    _Atomic int64_t remaining;   /* items not yet finished */
    _Atomic uint32_t finished;   /* futex word: 1 once remaining hit 0 */
    _Atomic int refs;
    rtx_par_body body;
    void *ctx;
} job;

#ifdef RTX_TESTING
static _Atomic int64_t forced_chunk;
void rtx_par_force(int64_t chunk) { atomic_store(&forced_chunk, chunk > 0 ? chunk : 0); }
#endif

static void run_parallel(int64_t begin, int64_t n, int64_t chunk, int helpers,
                         rtx_par_body body, void *ctx);

void rtx_par_run(int64_t n, int64_t seq_max, rtx_par_body body, void *ctx)
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
    int helpers = 0;
    if (rest_ns >= MIN_PAR_NS) {
        int64_t cpus = rtx_thread_cpu_count();
        helpers = rtx_exec_workers();
        if (helpers > cpus - 1)
            helpers = (int)(cpus - 1);
    }
    if (helpers <= 0) {
        body(ctx, done, n);
        return;
    }
    int64_t chunk = per_item > 0 ? (int64_t)(CHUNK_NS / per_item) : n;
    int64_t min_chunks = 4 * (int64_t)(helpers + 1);
    int64_t even = (n - done + min_chunks - 1) / min_chunks;
    if (chunk > even)
        chunk = even;
    if (chunk < 1)
        chunk = 1;
    run_parallel(done, n, chunk, helpers, body, ctx);
}

/* ---- helpers ------------------------------------------------------------------------ */

static void job_unref(job *j)
{
    if (atomic_fetch_sub(&j->refs, 1) == 1)
        rtx_free(j);
}

/* Claim and run chunks until none is left. */
static void work(job *j)
{
    for (;;) {
        int64_t b = atomic_fetch_add_explicit(&j->next, j->chunk, memory_order_relaxed);
        if (b >= j->end)
            return;
        int64_t e = j->end - b > j->chunk ? b + j->chunk : j->end;
        j->body(j->ctx, b, e);
        /* acq_rel: the last finisher sees every chunk's writes before it
         * releases the caller through `finished`. */
        if (atomic_fetch_sub_explicit(&j->remaining, e - b, memory_order_acq_rel) == e - b) {
            atomic_store_explicit(&j->finished, 1, memory_order_release);
            rtx_park_wake(&j->finished, 0);
        }
    }
}

static void helper_task(void *arg)
{
    job *j = arg;
    work(j);
    job_unref(j);
}

static void run_parallel(int64_t begin, int64_t n, int64_t chunk, int helpers,
                         rtx_par_body body, void *ctx)
{
    job *j = rtx_malloc(sizeof *j);
    if (j == NULL) {   /* no memory for the job: the caller does it all */
        body(ctx, begin, n);
        return;
    }
    atomic_init(&j->next, begin);
    j->end = n;
    j->chunk = chunk;
    atomic_init(&j->remaining, n - begin);
    atomic_init(&j->finished, 0);
    atomic_init(&j->refs, 1 + helpers);
    j->body = body;
    j->ctx = ctx;
    int64_t nchunks = (n - begin + chunk - 1) / chunk;
    for (int i = 0; i < helpers; i++) {
        /* No point in more helpers than chunks the caller will not take. */
        if (i + 1 >= nchunks || rtx_exec_submit(helper_task, j) != 0)
            atomic_fetch_sub(&j->refs, 1);
    }
    work(j);
    /* Every chunk is claimed; wait for the ones helpers are still running. */
    for (int spin = 0; atomic_load_explicit(&j->finished, memory_order_acquire) == 0; spin++) {
        if (spin < 100)
            continue;
        rtx_park_wait(&j->finished, 0, -1);
    }
    job_unref(j);
}
