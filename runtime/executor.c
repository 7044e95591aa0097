/*
 * runtime/executor.c — the process-wide task executor (see exec.h).
 *
 * Implements (spec/ffi/executor.sdn): rt_executor_set_mode,
 * rt_executor_get_mode, rt_executor_start, rt_executor_set_workers,
 * rt_executor_poll, rt_executor_poll_all, rt_executor_pending_count,
 * rt_executor_shutdown, rt_executor_is_manual; and the private API of
 * exec.h (rtx_exec_submit, rtx_exec_help, rtx_exec_workers, ...).
 *
 * Life cycle (one instance, as upstream): NEW -> STARTED -> CLOSING -> DOWN.
 * The mode and the worker count can change only while NEW. Shutdown is
 * final: `started` stays true, nothing restarts it.
 *
 * Queues. One FIFO `fifo` under `qlock` serves two roles: in Manual mode it
 * is the pending queue that rt_executor_poll drains; in Threaded mode it is
 * the injection queue for tasks submitted by threads that are not workers.
 * Each worker also owns a Chase–Lev deque (deque.c) for tasks submitted
 * from inside tasks. An idle worker looks in its own deque, then steals from
 * the others (random victim order), then takes a batch from the FIFO (a
 * fair share, at most BATCH) and keeps the rest in its deque for thieves.
 *
 * Sleeping (an event count): a worker that found nothing for a while
 * snapshots `epoch`, counts itself in `sleepers`, re-checks every queue and
 * only then waits on `epoch` (futex). A submitter publishes its task, then
 * (after a seq_cst fence) wakes one sleeper if `sleepers` is non-zero by
 * bumping `epoch`. Either the sleeper's re-check sees the task or the
 * submitter sees the sleeper (store-load ordering by the fences), so no
 * wake-up is lost. `waking` coalesces wake-ups: while one is on its way no
 * other submitter makes the futex syscall (that storm cost more than the
 * tasks); the woken worker clears it, and every worker that finds more work
 * than it takes (a FIFO share with a rest, a deque with more to steal, a
 * push) passes the wake-up on. A worker about to sleep clears it too, so a
 * flag left by a wake-up that reached nobody cannot silence the next one.
 * Should a coalesced wake-up reach another sleeper than expected, the one
 * it reaches finds the work: every woken worker looks in every queue.
 *
 * Shutdown drains: the FIFO is closed to new submissions from non-workers,
 * every worker is woken, and a worker exits only when the FIFO is empty,
 * its own deque is empty and no other deque has anything to steal. A task
 * that is still running may push more work only into its own worker's
 * deque, which that worker drains before it exits, so nothing is lost.
 */
#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>

#include "runtime/exec.h"
#include "runtime/mem.h"
#include "runtime/park.h"
#include "simplert/executor.h"

#define MAX_WORKERS 256
#define DEFAULT_WORKERS 4
#define BATCH 64            /* most tasks one worker takes from the FIFO at once */
#define SPIN_ROUNDS 64      /* yields before a worker parks */
#define DEQUE_LOG2 10       /* initial deque size: 1024 tasks */

enum { ST_NEW, ST_STARTED, ST_CLOSING, ST_DOWN };
enum { MODE_THREADED = 0, MODE_MANUAL = 1 };

typedef struct worker {
    rtx_deque q;            /* first: cache-line aligned */
    pthread_t tid;
    int index;
    int running;            /* its thread exists (under ex.lock) */
    uint64_t rng;           /* victim order */
    int share_at, share_len;   /* tasks taken from the FIFO, run by this worker */
    rtx_task share[BATCH];
} worker;

static struct {
    pthread_mutex_t lock;           /* state transitions, start, shutdown */
    _Atomic int mode;
    _Atomic int state;
    _Atomic int64_t nworkers_cfg;
    worker *w;                      /* nw slots; set before state is STARTED */
    int nw;
    _Atomic int nrunning;           /* workers whose thread was created */

    pthread_mutex_t qlock;          /* the FIFO */
    rtx_task *buf;
    size_t cap, head, len;
    _Atomic int64_t qlen;           /* len, readable without the lock */
    _Atomic int closed;             /* FIFO refuses non-worker submissions */

    _Atomic uint32_t epoch;         /* the event count workers sleep on */
    _Atomic int32_t sleepers;
    _Atomic int waking;             /* a wake-up is on its way: do not send another */
    _Atomic int spinning;           /* idle workers spinning before they sleep */
    int max_spinning;               /* set at start: half the CPUs, at least 1 */
} ex = {
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .qlock = PTHREAD_MUTEX_INITIALIZER,
    .nworkers_cfg = DEFAULT_WORKERS,
};

static _Thread_local worker *self;   /* the worker running on this thread */

static void start_locked(void);
static int fifo_push(rtx_task t);
static int fifo_pop(rtx_task *t);
static void notify(void);
static void drain_fifo_here(void);

/* ---- FFI ---------------------------------------------------------------------------- */

RT_API int64_t rt_executor_set_mode(int64_t mode)
{
    if (mode != MODE_THREADED && mode != MODE_MANUAL)
        return 0;
    int64_t ok = 0;
    pthread_mutex_lock(&ex.lock);
    if (atomic_load(&ex.state) == ST_NEW) {
        atomic_store(&ex.mode, (int)mode);
        ok = 1;
    }
    pthread_mutex_unlock(&ex.lock);
    return ok;
}

RT_API int64_t rt_executor_get_mode(void) { return atomic_load(&ex.mode); }

RT_API int64_t rt_executor_is_manual(void) { return atomic_load(&ex.mode) == MODE_MANUAL; }

RT_API void rt_executor_start(void)
{
    pthread_mutex_lock(&ex.lock);
    if (atomic_load(&ex.state) == ST_NEW)
        start_locked();
    pthread_mutex_unlock(&ex.lock);
}

RT_API void rt_executor_set_workers(int64_t n)
{
    if (n <= 0 || n > MAX_WORKERS)
        return;
    pthread_mutex_lock(&ex.lock);
    if (atomic_load(&ex.state) == ST_NEW)
        atomic_store(&ex.nworkers_cfg, n);
    pthread_mutex_unlock(&ex.lock);
}

RT_API int64_t rt_executor_poll(void)
{
    if (atomic_load(&ex.mode) != MODE_MANUAL)
        return 0;
    rtx_task t;
    if (!fifo_pop(&t))
        return 0;
    t.fn(t.arg);
    return 1;
}

RT_API int64_t rt_executor_poll_all(void)
{
    int64_t n = 0;
    while (rt_executor_poll())
        n++;
    return n;
}

RT_API int64_t rt_executor_pending_count(void)
{
    if (atomic_load(&ex.mode) != MODE_MANUAL)
        return 0;
    return atomic_load(&ex.qlen);
}

RT_API void rt_executor_shutdown(void)
{
    pthread_mutex_lock(&ex.lock);
    int st = atomic_load(&ex.state);
    if (st == ST_CLOSING || st == ST_DOWN) {   /* another shutdown did or does it */
        pthread_mutex_unlock(&ex.lock);
        return;
    }
    atomic_store(&ex.state, ST_CLOSING);
    pthread_mutex_unlock(&ex.lock);

    pthread_mutex_lock(&ex.qlock);
    atomic_store(&ex.closed, 1);
    pthread_mutex_unlock(&ex.qlock);

    /* ex.w and ex.nw are stable: they were set before STARTED and start
     * cannot run again. Without running workers the caller drains. */
    if (atomic_load(&ex.nrunning) > 0) {
        atomic_fetch_add(&ex.epoch, 1);
        rtx_park_wake(&ex.epoch, 0);
        for (int i = 0; i < ex.nw; i++) {
            if (!ex.w[i].running)
                continue;
            if (&ex.w[i] == self)
                pthread_detach(ex.w[i].tid);   /* no self-join; it exits after its task */
            else
                pthread_join(ex.w[i].tid, NULL);
        }
        /* The deques are freed only when no worker can touch them again. */
        if (self == NULL) {
            for (int i = 0; i < ex.nw; i++)
                rtx_deque_destroy(&ex.w[i].q);
        }
    }
    drain_fifo_here();
    atomic_store(&ex.state, ST_DOWN);
}

/* ---- private API -------------------------------------------------------------------- */

int rtx_exec_submit(rtx_task_fn fn, void *arg)
{
    rtx_task t = {fn, arg};
    if (atomic_load(&ex.mode) == MODE_MANUAL)
        return fifo_push(t);
    int st = atomic_load_explicit(&ex.state, memory_order_acquire);
    if (st == ST_NEW) {
        rt_executor_start();
        st = atomic_load_explicit(&ex.state, memory_order_acquire);
    }
    if (self != NULL && st != ST_DOWN) {
        /* From a task: into this worker's own deque (allowed while closing:
         * the worker drains it before it exits). */
        if (rtx_deque_push(&self->q, t) == 0) {
            notify();
            return 0;
        }
    }
    if (st != ST_STARTED || atomic_load(&ex.nrunning) == 0)
        return -1;
    if (fifo_push(t) != 0)
        return -1;
    notify();
    return 0;
}

static int find_task(worker *w, rtx_task *t);

int rtx_exec_help(void)
{
    rtx_task t;
    if (atomic_load(&ex.mode) == MODE_MANUAL) {
        if (!fifo_pop(&t))
            return 0;
    } else if (self == NULL || !find_task(self, &t)) {
        return 0;
    }
    t.fn(t.arg);
    return 1;
}

int rtx_exec_workers(void)
{
    if (atomic_load(&ex.mode) == MODE_MANUAL)
        return 0;
    int st = atomic_load_explicit(&ex.state, memory_order_acquire);
    if (st == ST_NEW) {
        rt_executor_start();
        st = atomic_load_explicit(&ex.state, memory_order_acquire);
    }
    return st == ST_STARTED ? atomic_load(&ex.nrunning) : 0;
}

int rtx_exec_on_worker(void) { return self != NULL; }

/* ---- workers ------------------------------------------------------------------------ */

static uint64_t next_rand(uint64_t *s)
{
    uint64_t x = *s;   /* xorshift64 */
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

/* A share of the FIFO for w: at most BATCH tasks, and fewer as the FIFO
 * runs low (len / (2 * workers) + 1), so the tail of a batch spreads over
 * the workers instead of waiting in one worker's share. Shares run on the
 * worker that took them (FIFO order, no fence per task as a deque take
 * costs); returns the first. */
static int take_share(worker *w, rtx_task *t)
{
    if (atomic_load_explicit(&ex.qlen, memory_order_relaxed) == 0)
        return 0;
    size_t k = 0;
    pthread_mutex_lock(&ex.qlock);
    size_t share = ex.len / (2 * (size_t)atomic_load(&ex.nrunning)) + 1;
    if (share > BATCH)
        share = BATCH;
    while (k < share && ex.len > 0) {
        w->share[k++] = ex.buf[ex.head];
        ex.head = (ex.head + 1) % ex.cap;
        ex.len--;
    }
    size_t left = ex.len;
    atomic_store(&ex.qlen, (int64_t)left);
    pthread_mutex_unlock(&ex.qlock);
    if (k == 0)
        return 0;
    *t = w->share[0];
    w->share_at = 1;
    w->share_len = (int)k;
    if (left > 0)
        notify();   /* more in the FIFO: wake another worker (a chain of wake-ups) */
    return 1;
}

static int find_task(worker *w, rtx_task *t)
{
    if (w->share_at < w->share_len) {
        *t = w->share[w->share_at++];
        return 1;
    }
    if (rtx_deque_take(&w->q, t) == RTX_DEQUE_OK)
        return 1;
    if (take_share(w, t))
        return 1;
    int n = ex.nw;
    for (int attempt = 0; attempt < 2; attempt++) {
        int aborted = 0;
        int start = (int)(next_rand(&w->rng) % (uint64_t)n);
        for (int k = 0; k < n; k++) {
            worker *v = &ex.w[(start + k) % n];
            if (v == w)
                continue;
            int rc = rtx_deque_steal(&v->q, t);
            if (rc == RTX_DEQUE_OK) {
                if (rtx_deque_size(&v->q) > 0)
                    notify();   /* more to steal there: wake the next thief */
                return 1;
            }
            aborted |= rc == RTX_DEQUE_ABORT;
        }
        if (!aborted)
            break;
    }
    return 0;
}

/* Anything queued anywhere (racy; used before parking and before exiting). */
static int work_visible(void)
{
    if (atomic_load(&ex.qlen) > 0)
        return 1;
    for (int i = 0; i < ex.nw; i++)
        if (rtx_deque_size(&ex.w[i].q) > 0)
            return 1;
    return 0;
}

/* Sleep until notify() (see the file comment for why no wake-up is lost). */
static void park(void)
{
    uint32_t e = atomic_load_explicit(&ex.epoch, memory_order_acquire);
    atomic_fetch_add(&ex.sleepers, 1);
    atomic_thread_fence(memory_order_seq_cst);
    if (!work_visible() && !atomic_load(&ex.closed)) {
        /* A wake-up flagged before this point woke someone else or nobody;
         * clear the flag so the next notify can reach this worker. */
        atomic_store(&ex.waking, 0);
        rtx_park_wait(&ex.epoch, e, -1);
    }
    atomic_fetch_sub(&ex.sleepers, 1);
    atomic_store(&ex.waking, 0);
}

/* Wake one sleeping worker, unless none sleeps or a wake-up is already on
 * its way (the worker it wakes finds this work too, and wakes the next one
 * if there is more: take_share and the deque push both call notify). */
static void notify(void)
{
    atomic_thread_fence(memory_order_seq_cst);
    if (atomic_load_explicit(&ex.sleepers, memory_order_relaxed) == 0 ||
        atomic_exchange(&ex.waking, 1))
        return;
    atomic_fetch_add(&ex.epoch, 1);
    rtx_park_wake(&ex.epoch, 1);
}

static void *worker_main(void *p)
{
    worker *w = p;
    self = w;
    rtx_task t;
    for (;;) {
        if (find_task(w, &t)) {
            t.fn(t.arg);
            continue;
        }
        /* Spin a little before sleeping, but only a few workers at a time:
         * on a machine with fewer cores than workers, spinning thieves take
         * the CPU from the worker that has the work. */
        int found = 0;
        if (atomic_fetch_add(&ex.spinning, 1) < ex.max_spinning) {
            for (int i = 0; i < SPIN_ROUNDS && !found; i++) {
                sched_yield();
                found = find_task(w, &t);
            }
        }
        atomic_fetch_sub(&ex.spinning, 1);
        if (found) {
            t.fn(t.arg);
            continue;
        }
        if (atomic_load(&ex.closed)) {
            /* Draining: leave only when nothing is left anywhere. */
            if (!work_visible())
                break;
            continue;
        }
        park();
    }
    self = NULL;
    return NULL;
}

/* Called with ex.lock held and state NEW. */
static void start_locked(void)
{
    if (atomic_load(&ex.mode) == MODE_THREADED) {
        int n = (int)atomic_load(&ex.nworkers_cfg);
        ex.w = rtx_calloc((size_t)n, sizeof *ex.w);
        int ok = 0;
        if (ex.w != NULL) {
            for (ok = 0; ok < n; ok++)
                if (rtx_deque_init(&ex.w[ok].q, DEQUE_LOG2) != 0)
                    break;
        }
        ex.nw = ok;   /* workers with a deque; all are set up before any runs */
        int64_t cpus = rtx_thread_cpu_count();
        ex.max_spinning = cpus / 2 > 1 ? (int)(cpus / 2) : 1;
        for (int i = 0; i < ex.nw; i++) {
            ex.w[i].index = i;
            ex.w[i].rng = 0x9E3779B97F4A7C15u * (uint64_t)(i + 1);
        }
        for (int i = 0; i < ex.nw; i++) {
            char name[48];
            snprintf(name, sizeof name, "simple-future-worker-%d", i);
            if (rtx_thread_create(&ex.w[i].tid, worker_main, &ex.w[i], name, 0) == 0) {
                ex.w[i].running = 1;
                atomic_fetch_add(&ex.nrunning, 1);
            }
        }
    }
    atomic_store_explicit(&ex.state, ST_STARTED, memory_order_release);
}

/* ---- the FIFO ----------------------------------------------------------------------- */

/* 0, or -1 if closed or out of memory. */
static int fifo_push(rtx_task t)
{
    int rc = 0;
    pthread_mutex_lock(&ex.qlock);
    if (atomic_load(&ex.closed)) {
        rc = -1;
    } else {
        if (ex.len == ex.cap) {
            size_t ncap = ex.cap ? ex.cap * 2 : 256;
            rtx_task *nb = rtx_malloc(ncap * sizeof *nb);
            if (nb == NULL) {
                rc = -1;
                goto out;
            }
            for (size_t i = 0; i < ex.len; i++)
                nb[i] = ex.buf[(ex.head + i) % ex.cap];
            rtx_free(ex.buf);
            ex.buf = nb;
            ex.cap = ncap;
            ex.head = 0;
        }
        ex.buf[(ex.head + ex.len) % ex.cap] = t;
        ex.len++;
        atomic_store(&ex.qlen, (int64_t)ex.len);
    }
out:
    pthread_mutex_unlock(&ex.qlock);
    return rc;
}

/* 1 with the oldest task in *t, or 0 when empty. */
static int fifo_pop(rtx_task *t)
{
    int got = 0;
    pthread_mutex_lock(&ex.qlock);
    if (ex.len > 0) {
        *t = ex.buf[ex.head];
        ex.head = (ex.head + 1) % ex.cap;
        ex.len--;
        atomic_store(&ex.qlen, (int64_t)ex.len);
        got = 1;
    }
    pthread_mutex_unlock(&ex.qlock);
    return got;
}

/* Run whatever is left in the FIFO on the calling thread (shutdown). */
static void drain_fifo_here(void)
{
    rtx_task t;
    while (fifo_pop(&t))
        t.fn(t.arg);
}
