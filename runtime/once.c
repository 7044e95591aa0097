/*
 * runtime/once.c — one-time initialisation cells behind integer handles.
 *
 * Implements spec/ffi/atomic.sdn: rt_once_new, rt_once_call,
 * rt_once_is_completed, rt_once_free.
 *
 * Unlike upstream (a stub that never calls), rt_once_call really runs fn,
 * exactly once per cell: the first caller moves the cell from IDLE to
 * RUNNING under the cell's mutex and calls fn with no lock held; callers
 * that arrive meanwhile sleep until it is DONE; a call from inside fn on
 * the same cell returns at once instead of waiting for itself. The DONE
 * check is a lock-free acquire load, so a completed cell costs no lock.
 */
#include "runtime/cell.h"
#include "runtime/sync_core.h"
#include "simplert/atomic.h"

enum { IDLE = 0, RUNNING = 1, DONE = 2 };

typedef struct ocell {
    rtx_cell c;
    pthread_mutex_t mu;   /* guards runner, dead and the IDLE->RUNNING move */
    pthread_cond_t cv;    /* broadcast when the call returns */
    _Atomic int state;
    uint64_t runner;      /* rtx thread token of the thread inside fn */
    int dead;             /* set by rt_once_free: later calls do nothing */
    int ready;            /* mu and cv initialised (cells are reused) */
} ocell;

static rtx_handle_table onces = RTX_HANDLE_TABLE_INIT(RTX_HK_ONCE, "once");
static rtx_cell_pool pool = RTX_CELL_POOL_INIT(ocell);

RT_API int64_t rt_once_new(void)
{
    int fresh;
    ocell *o = rtx_cell_take(&pool, &fresh);
    if (o == NULL)
        return 0;
    if (!o->ready) {
        if (pthread_mutex_init(&o->mu, NULL) != 0) {
            rtx_cell_give(&pool, o);
            return 0;
        }
        if (pthread_cond_init(&o->cv, NULL) != 0) {
            pthread_mutex_destroy(&o->mu);
            rtx_cell_give(&pool, o);
            return 0;
        }
        o->ready = 1;
    }
    /* No other thread can reach a cell that is in no handle table. */
    pthread_mutex_lock(&o->mu);
    atomic_store(&o->state, IDLE);
    o->runner = 0;
    o->dead = 0;
    pthread_mutex_unlock(&o->mu);
    uint64_t h = rtx_handle_new(&onces, o);
    if (h == 0)
        rtx_cell_give(&pool, o);
    return (int64_t)h;
}

RT_API void rt_once_call(int64_t handle, RtFn0 fn)
{
    if (fn == NULL)
        return;
    ocell *o = rtx_cell_enter(&onces, (uint64_t)handle);
    if (o == NULL)
        return;
    if (atomic_load_explicit(&o->state, memory_order_acquire) == DONE) {
        rtx_cell_leave(o);
        return;
    }
    int run = 0;
    pthread_mutex_lock(&o->mu);
    if (!o->dead) {
        int st = atomic_load_explicit(&o->state, memory_order_relaxed);
        if (st == IDLE) {
            atomic_store_explicit(&o->state, RUNNING, memory_order_relaxed);
            o->runner = rtx_sync_self();
            run = 1;
        } else if (st == RUNNING && o->runner != rtx_sync_self()) {
            while (atomic_load_explicit(&o->state, memory_order_relaxed) == RUNNING)
                pthread_cond_wait(&o->cv, &o->mu);
        }
        /* RUNNING by this thread: a call from inside fn returns at once. */
    }
    pthread_mutex_unlock(&o->mu);
    if (run) {
        (void)fn();   /* no lock held: fn may use this or any other cell */
        pthread_mutex_lock(&o->mu);
        o->runner = 0;
        atomic_store_explicit(&o->state, DONE, memory_order_release);
        pthread_cond_broadcast(&o->cv);
        pthread_mutex_unlock(&o->mu);
    }
    rtx_cell_leave(o);
}

RT_API int64_t rt_once_is_completed(int64_t handle)
{
    ocell *o = rtx_cell_enter(&onces, (uint64_t)handle);
    if (o == NULL)
        return 0;
    int64_t done = atomic_load_explicit(&o->state, memory_order_acquire) == DONE;
    rtx_cell_leave(o);
    return done;
}

RT_API void rt_once_free(int64_t handle)
{
    ocell *o = rtx_cell_enter(&onces, (uint64_t)handle);
    if (o == NULL)
        return;
    int ok = 0;
    pthread_mutex_lock(&o->mu);
    /* Refused while fn runs: its waiters sleep on this cell. */
    if (!o->dead && atomic_load_explicit(&o->state, memory_order_relaxed) != RUNNING) {
        o->dead = 1;   /* a call that entered already now does nothing */
        ok = 1;
    }
    pthread_mutex_unlock(&o->mu);
    rtx_cell_leave(o);
    if (ok && rtx_cell_retire(&onces, (uint64_t)handle) == o)
        rtx_cell_give(&pool, o);
}
