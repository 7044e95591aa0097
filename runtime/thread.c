/*
 * runtime/thread.c — isolated OS threads.
 *
 * Implements (spec/ffi/thread.sdn): rt_thread_spawn_isolated,
 * rt_thread_spawn_isolated2, rt_thread_spawn_isolated_with_args,
 * rt_thread_join, rt_thread_is_done, rt_thread_id, rt_thread_free,
 * rt_thread_available_parallelism, rt_thread_sleep, rt_thread_yield; and
 * rtx_thread_create / rtx_thread_cpu_count for the other modules (exec.h).
 *
 * A handle names a table entry (runtime/handle.h, RTX_HK_THREAD), never a
 * pointer. The entry's object is shared by the handle and the running
 * thread and is freed by whichever lets go last (`refs`). Who owns the
 * pthread is decided once through `claimed`: the first rt_thread_join
 * claims it and joins; rt_thread_free of an unclaimed thread claims it and
 * detaches. So a thread is never both joined and detached, and a second
 * join finds it claimed and returns NIL.
 *
 * `lock` makes "look the handle up and take a reference" atomic with
 * respect to rt_thread_free releasing the handle, so a join racing a free
 * never touches a freed object.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "runtime/exec.h"
#include "runtime/handle.h"
#include "runtime/mem.h"
#include "simplert/thread.h"

typedef struct iso_thread {
    pthread_t tid;
    int64_t id;                 /* runtime id, from 1 in spawn order */
    int arity;                  /* 1 or 2 */
    RtFn1 fn1;
    RtFn2 fn2;
    RtValue d1, d2;
    RtValue result;             /* written by the thread before `finished` */
    _Atomic int finished;
    _Atomic int claimed;        /* a join or a free owns the pthread */
    _Atomic int refs;           /* the handle + the running thread (+ a joiner) */
} iso_thread;

static rtx_handle_table threads = RTX_HANDLE_TABLE_INIT(RTX_HK_THREAD, "thread");
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic int64_t next_id = 1;

static uint64_t spawn(int arity, RtFn1 fn1, RtFn2 fn2, RtValue d1, RtValue d2);
static iso_thread *acquire(uint64_t h);
static void unref(iso_thread *t);

/* ---- FFI ---------------------------------------------------------------------------- */

RT_API uint64_t rt_thread_spawn_isolated(RtFn1 fn, RtValue data)
{
    if (fn == NULL)
        return 0;
    return spawn(1, fn, NULL, data, RT_NIL);
}

RT_API uint64_t rt_thread_spawn_isolated2(RtFn2 fn, RtValue d1, RtValue d2)
{
    if (fn == NULL)
        return 0;
    return spawn(2, NULL, fn, d1, d2);
}

RT_API uint64_t rt_thread_spawn_isolated_with_args(RtFn2 fn, RtValue d1, RtValue d2)
{
    return rt_thread_spawn_isolated2(fn, d1, d2);
}

RT_API RtValue rt_thread_join(uint64_t handle)
{
    iso_thread *t = acquire(handle);
    if (t == NULL)
        return RT_NIL;
    RtValue r = RT_NIL;
    /* A self-join would wait forever; a second join finds the claim taken. */
    if (!pthread_equal(t->tid, pthread_self()) && !atomic_exchange(&t->claimed, 1)) {
        pthread_join(t->tid, NULL);
        r = t->result;   /* pthread_join orders the thread's write before this read */
    }
    unref(t);
    return r;
}

RT_API int64_t rt_thread_is_done(uint64_t handle)
{
    iso_thread *t = acquire(handle);
    if (t == NULL)
        return 1;
    int64_t done = atomic_load(&t->finished);
    unref(t);
    return done;
}

RT_API int64_t rt_thread_id(uint64_t handle)
{
    iso_thread *t = acquire(handle);
    if (t == NULL)
        return 0;
    int64_t id = t->id;
    unref(t);
    return id;
}

RT_API void rt_thread_free(uint64_t handle)
{
    pthread_mutex_lock(&lock);
    iso_thread *t = rtx_handle_release(&threads, handle);
    pthread_mutex_unlock(&lock);
    if (t == NULL)
        return;
    if (!atomic_exchange(&t->claimed, 1))
        pthread_detach(t->tid);   /* never joined: let it finish on its own */
    unref(t);                     /* the handle's reference */
}

RT_API int64_t rt_thread_available_parallelism(void) { return rtx_thread_cpu_count(); }

RT_API void rt_thread_sleep(int64_t ms)
{
    if (ms <= 0)
        return;
    struct timespec ts = {.tv_sec = (time_t)(ms / 1000), .tv_nsec = (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

RT_API void rt_thread_yield(void) { sched_yield(); }

/* ---- private API -------------------------------------------------------------------- */

int64_t rtx_thread_cpu_count(void)
{
#ifdef CPU_COUNT
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        int n = CPU_COUNT(&set);
        if (n >= 1)
            return n;
    }
#endif
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n >= 1 ? n : 1;
}

#ifdef RTX_TESTING
static _Atomic int fail_next;
void rtx_thread_fail_next(int n) { atomic_store(&fail_next, n > 0 ? n : 0); }
#endif

typedef struct trampoline {
    void *(*fn)(void *);
    void *arg;
    char name[16];   /* Linux allows 15 bytes plus the NUL */
} trampoline;

static void *trampoline_main(void *p)
{
    trampoline tr = *(trampoline *)p;
    rtx_free(p);
#ifdef __linux__
    pthread_setname_np(pthread_self(), tr.name);
#endif
    return tr.fn(tr.arg);
}

int rtx_thread_create(pthread_t *tid, void *(*fn)(void *), void *arg, const char *name,
                      size_t stack)
{
#ifdef RTX_TESTING
    int f = atomic_load(&fail_next);
    while (f > 0 && !atomic_compare_exchange_weak(&fail_next, &f, f - 1)) {
    }
    if (f > 0)
        return EAGAIN;
#endif
    trampoline *tr = rtx_malloc(sizeof *tr);
    if (tr == NULL)
        return ENOMEM;
    tr->fn = fn;
    tr->arg = arg;
    /* Truncate to what the OS keeps (as Rust's std does for thread names). */
    snprintf(tr->name, sizeof tr->name, "%s", name ? name : "");
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    if (stack > 0)
        pthread_attr_setstacksize(&attr, stack);
    char shown[16];
    memcpy(shown, tr->name, sizeof shown);   /* tr belongs to the thread once it runs */
    int rc = pthread_create(tid, &attr, trampoline_main, tr);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        rtx_free(tr);
        return rc;
    }
#ifdef __linux__
    /* Also from here, so the name is in place when this call returns (the
     * thread sets it first thing too, before any of its own code runs). */
    pthread_setname_np(*tid, shown);
#endif
    return 0;
}

/* ---- helpers ------------------------------------------------------------------------ */

static void *iso_main(void *p)
{
    iso_thread *t = p;
    t->result = t->arity == 1 ? t->fn1(t->d1) : t->fn2(t->d1, t->d2);
    atomic_store_explicit(&t->finished, 1, memory_order_release);
    unref(t);   /* the thread's reference */
    return NULL;
}

static uint64_t spawn(int arity, RtFn1 fn1, RtFn2 fn2, RtValue d1, RtValue d2)
{
    iso_thread *t = rtx_calloc(1, sizeof *t);
    if (t == NULL)
        return 0;
    t->id = atomic_fetch_add(&next_id, 1);
    t->arity = arity;
    t->fn1 = fn1;
    t->fn2 = fn2;
    t->d1 = d1;
    t->d2 = d2;
    atomic_init(&t->refs, 2);   /* the handle + the running thread */
    char name[32];
    snprintf(name, sizeof name, "simple-isolated-%lld", (long long)t->id);
    if (rtx_thread_create(&t->tid, iso_main, t, name, 0) != 0) {
        rtx_free(t);
        return 0;
    }
    /* The handle is published only once tid is set, so a join or free that
     * finds it always has a real thread to join or detach. */
    pthread_mutex_lock(&lock);
    uint64_t h = rtx_handle_new(&threads, t);
    pthread_mutex_unlock(&lock);
    if (h == 0) {   /* no handle: nobody can join it, so let it go */
        atomic_store(&t->claimed, 1);
        pthread_detach(t->tid);
        unref(t);
    }
    return h;
}

/* The object behind h with a reference taken, or NULL. */
static iso_thread *acquire(uint64_t h)
{
    pthread_mutex_lock(&lock);
    iso_thread *t = rtx_handle_get(&threads, h);
    if (t)
        atomic_fetch_add(&t->refs, 1);
    pthread_mutex_unlock(&lock);
    return t;
}

static void unref(iso_thread *t)
{
    if (atomic_fetch_sub(&t->refs, 1) == 1)
        rtx_free(t);
}
