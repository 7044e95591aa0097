/*
 * runtime/future.c — lazy futures and the async state-machine helpers.
 *
 * Implements (spec/ffi/future.sdn): rt_future_new, rt_future_await,
 * rt_future_is_ready, rt_future_get_result, rt_future_all, rt_future_race,
 * rt_future_resolve, rt_future_reject, rt_async_get_state,
 * rt_async_set_state, rt_async_get_ctx, rt_async_mark_done.
 * (Generators are in generator.c.)
 *
 * The heap object keeps upstream's layout (state@8 result@16 body@24
 * async_state@32 ctx@40 done@48) so compiled code that reads the fields
 * agrees with the FFI; simplert adds one private word, `core`.
 *
 * The first await of a pending future creates its core: the shared state of
 * one run of the body, reference-counted by the heap object, by the queued
 * or running task and by every thread awaiting it. Awaiters wait on the
 * core, never on the heap object, so rt_free(future) while other threads
 * await it (or while its body runs) frees only the object: the finalizer
 * detaches the core (`obj = NULL`) and the awaiters still get the result.
 *
 * `stripes` makes "validate the value, then take a core reference" atomic
 * with respect to the finalizer, which detaches the core under the same
 * stripe: a value is validated only while its object cannot be freed.
 *
 * Phases of a core: IDLE -> QUEUED (the awaiter that moved it there submits
 * the task) -> RUNNING -> DONE. Exactly one thread leaves IDLE, so the body
 * runs once however many threads await. Waiting never deadlocks on Manual
 * mode or on a busy pool: a waiting thread that may run queued tasks does so
 * (Manual mode: any thread polls the FIFO; Threaded mode: a worker helps),
 * and a future awaited from inside its own running body answers NIL.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

#include "runtime/exec.h"
#include "runtime/heap.h"
#include "runtime/mem.h"
#include "runtime/park.h"
#include "simplert/executor.h"
#include "simplert/future.h"
#include "simplert/value.h"

enum { PH_IDLE, PH_QUEUED, PH_RUNNING, PH_DONE };

struct fut_core;

typedef struct RtFuture {
    RtHeapHeader hdr;
    _Atomic uint64_t state;        /* 0 pending, 1 ready */
    _Atomic RtValue result;
    RtFn1 body;                    /* upstream u64 body_func; NULL: none */
    _Atomic uint64_t async_state;
    RtValue ctx;
    _Atomic uint64_t done;
    struct fut_core *core;         /* simplert: under the object's stripe */
} RtFuture;

_Static_assert(offsetof(RtFuture, state) == 8 && offsetof(RtFuture, result) == 16 &&
                   offsetof(RtFuture, body) == 24 && offsetof(RtFuture, async_state) == 32 &&
                   offsetof(RtFuture, ctx) == 40 && offsetof(RtFuture, done) == 48 &&
                   offsetof(RtFuture, core) == 56 && sizeof(_Atomic uint64_t) == 8,
               "future layout (upstream-abi.md 1.3)");

typedef struct fut_core {
    _Atomic uint32_t phase;        /* futex word */
    _Atomic int refs;
    RtFn1 body;
    RtValue ctx;
    RtValue result;                /* written before phase becomes DONE */
    RtFuture *obj;                 /* under the stripe; NULL once freed */
    uintptr_t key;                 /* the object's address: picks the stripe */
} fut_core;

#define NSTRIPES 64
static pthread_mutex_t stripes[NSTRIPES] = {
#define S4 PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, \
           PTHREAD_MUTEX_INITIALIZER
#define S16 S4, S4, S4, S4
    S16, S16, S16, S16
#undef S16
#undef S4
};

/* The bodies running on this thread, innermost first (self-await check). */
typedef struct run_frame {
    const fut_core *core;
    struct run_frame *prev;
} run_frame;
static _Thread_local run_frame *running;

static RtValue future_alloc(RtFn1 body, RtValue ctx, int ready, RtValue value);
static RtFuture *future_of(RtValue v);
static pthread_mutex_t *stripe(uintptr_t key);
static void run_core(void *arg);
static RtValue wait_core(fut_core *c);
static void core_unref(fut_core *c);

static void future_finalize(RtHeapHeader *h)
{
    RtFuture *f = (RtFuture *)h;
    pthread_mutex_t *m = stripe((uintptr_t)f);
    pthread_mutex_lock(m);
    fut_core *c = f->core;
    f->core = NULL;
    if (c)
        c->obj = NULL;   /* the task and the awaiters no longer touch f */
    pthread_mutex_unlock(m);
    if (c)
        core_unref(c);
}
RTX_FINALIZER(RT_HEAP_FUTURE, future_finalize)

/* ---- FFI ---------------------------------------------------------------------------- */

RT_API RtValue rt_future_new(RtFn1 body, RtValue ctx) { return future_alloc(body, ctx, 0, RT_NIL); }

RT_API RtValue rt_future_resolve(RtValue value) { return future_alloc(NULL, RT_NIL, 1, value); }

/* As upstream: no rejected state; the error is the ready result. */
RT_API RtValue rt_future_reject(RtValue error) { return rt_future_resolve(error); }

RT_API RtValue rt_future_await(RtValue future)
{
    if ((future & RT_TAG_MASK) != RT_TAG_HEAP)
        return RT_NIL;
    pthread_mutex_t *m = stripe((uintptr_t)(future & ~RT_TAG_MASK));
    pthread_mutex_lock(m);
    RtFuture *f = future_of(future);
    if (f == NULL || f->body == NULL ||
        atomic_load_explicit(&f->state, memory_order_acquire) == 1) {
        RtValue r = f && atomic_load_explicit(&f->state, memory_order_acquire) == 1
                        ? atomic_load_explicit(&f->result, memory_order_relaxed)
                        : RT_NIL;
        pthread_mutex_unlock(m);
        return r;
    }
    fut_core *c = f->core;
    if (c == NULL) {
        c = rtx_calloc(1, sizeof *c);
        if (c == NULL) {
            pthread_mutex_unlock(m);
            return RT_NIL;
        }
        c->body = f->body;
        c->ctx = f->ctx;
        c->obj = f;
        c->key = (uintptr_t)f;
        atomic_init(&c->refs, 1);   /* the object's reference */
        f->core = c;
    }
    atomic_fetch_add(&c->refs, 1);  /* this awaiter's */
    int submit = 0;
    if (atomic_load(&c->phase) == PH_IDLE) {
        atomic_store(&c->phase, PH_QUEUED);
        atomic_fetch_add(&c->refs, 1);   /* the task's */
        submit = 1;
    }
    pthread_mutex_unlock(m);
    /* Refused (shut down, no workers, no memory): run it here, as a poll would. */
    if (submit && rtx_exec_submit(run_core, c) != 0)
        run_core(c);
    RtValue r = wait_core(c);
    core_unref(c);
    return r;
}

RT_API int64_t rt_future_is_ready(RtValue future)
{
    RtFuture *f = future_of(future);
    return f && atomic_load_explicit(&f->state, memory_order_acquire) == 1;
}

RT_API RtValue rt_future_get_result(RtValue future)
{
    RtFuture *f = future_of(future);
    if (f == NULL || atomic_load_explicit(&f->state, memory_order_acquire) != 1)
        return RT_NIL;
    return atomic_load_explicit(&f->result, memory_order_relaxed);
}

RT_API RtValue rt_future_all(RtValue futures)
{
    int64_t n = rt_array_len(futures);
    if (n < 0)
        return RT_NIL;
    RtValue out = rt_array_new((uint64_t)n);
    if (out == RT_NIL)
        return RT_NIL;
    /* Re-read the length each time: a body may shrink the input array. */
    for (int64_t i = 0; i < n && i < rt_array_len(futures); i++) {
        if (!rt_array_push(out, rt_future_await(rt_array_get(futures, i)))) {
            rt_free(out);
            return RT_NIL;
        }
    }
    return out;
}

RT_API RtValue rt_future_race(RtValue futures)
{
    int64_t n = rt_array_len(futures);
    if (n <= 0)
        return RT_NIL;
    for (int64_t i = 0; i < n; i++) {
        RtValue f = rt_array_get(futures, i);
        if (rt_future_is_ready(f))
            return rt_future_get_result(f);
    }
    return rt_future_await(rt_array_get(futures, 0));
}

RT_API int64_t rt_async_get_state(RtValue future)
{
    RtFuture *f = future_of(future);
    return f ? (int64_t)atomic_load_explicit(&f->async_state, memory_order_relaxed) : 0;
}

RT_API void rt_async_set_state(RtValue future, int64_t state)
{
    RtFuture *f = future_of(future);
    if (f)
        atomic_store_explicit(&f->async_state, state < 0 ? 0 : (uint64_t)state,
                              memory_order_relaxed);
}

RT_API RtValue rt_async_get_ctx(RtValue future)
{
    RtFuture *f = future_of(future);
    return f ? f->ctx : RT_NIL;
}

RT_API void rt_async_mark_done(RtValue future)
{
    RtFuture *f = future_of(future);
    if (f == NULL)
        return;
    atomic_store_explicit(&f->done, 1, memory_order_relaxed);
    atomic_store_explicit(&f->state, 1, memory_order_release);
}

/* ---- helpers ------------------------------------------------------------------------ */

static RtFuture *future_of(RtValue v) { return (RtFuture *)rtx_heap_get(v, RT_HEAP_FUTURE); }

static pthread_mutex_t *stripe(uintptr_t key) { return &stripes[(key >> 6) % NSTRIPES]; }

static RtValue future_alloc(RtFn1 body, RtValue ctx, int ready, RtValue value)
{
    RtFuture *f = (RtFuture *)rtx_heap_alloc(RT_HEAP_FUTURE, sizeof *f);
    if (f == NULL)
        return RT_NIL;
    f->body = body;
    f->ctx = ctx;
    atomic_init(&f->result, ready ? value : RT_NIL);
    atomic_init(&f->state, ready ? 1 : 0);
    return rtx_heap_value(&f->hdr);
}

/* The task: run the body once and publish the result. */
static void run_core(void *arg)
{
    fut_core *c = arg;
    atomic_store(&c->phase, PH_RUNNING);
    run_frame fr = {c, running};
    running = &fr;
    RtValue r = c->body(c->ctx);
    running = fr.prev;
    c->result = r;
    pthread_mutex_t *m = stripe(c->key);
    pthread_mutex_lock(m);
    RtFuture *f = c->obj;
    if (f != NULL) {   /* still alive: cache the result in the object (state 1, done 1) */
        atomic_store_explicit(&f->result, r, memory_order_relaxed);
        atomic_store_explicit(&f->done, 1, memory_order_relaxed);
        atomic_store_explicit(&f->state, 1, memory_order_release);
    }
    pthread_mutex_unlock(m);
    atomic_store_explicit(&c->phase, PH_DONE, memory_order_release);
    rtx_park_wake(&c->phase, 0);
    core_unref(c);   /* the task's reference; the wake above still had it */
}

static int runs_here(const fut_core *c)
{
    for (const run_frame *f = running; f; f = f->prev)
        if (f->core == c)
            return 1;
    return 0;
}

static RtValue wait_core(fut_core *c)
{
    for (;;) {
        uint32_t ph = atomic_load_explicit(&c->phase, memory_order_acquire);
        if (ph == PH_DONE)
            return c->result;
        if (runs_here(c))
            return RT_NIL;   /* awaiting our own running body would never end */
        if (rtx_exec_help())
            continue;        /* ran a queued task (perhaps ours) */
        /* A thread that could help re-checks now and then, in case new work
         * shows up that its task waits on; others sleep until DONE. */
        int helper = rt_executor_is_manual() || rtx_exec_on_worker();
        rtx_park_wait(&c->phase, ph, helper ? 1000000 : -1);
    }
}

static void core_unref(fut_core *c)
{
    if (atomic_fetch_sub(&c->refs, 1) == 1)
        rtx_free(c);
}
