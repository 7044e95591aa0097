/*
 * runtime/semaphore.c — counting semaphores, heap type 0x13.
 *
 * Implements spec/ffi/semaphore.sdn: rt_semaphore_new, rt_semaphore_acquire,
 * rt_semaphore_try_acquire, rt_semaphore_acquire_timeout,
 * rt_semaphore_release, rt_semaphore_count, rt_semaphore_free.
 *
 * A count under a mutex and a condition variable on CLOCK_MONOTONIC, so a
 * timeout is not stretched or cut short when the wall clock is changed.
 */
#include <errno.h>
#include <pthread.h>

#include "runtime/sync_core.h"
#include "simplert/semaphore.h"

typedef struct RtSemaphore {
    rtx_sync s;
    pthread_mutex_t mu;   /* guards count */
    pthread_cond_t cv;    /* signalled on release (one waiter), broadcast on retire */
    int64_t count;        /* 0 .. INT64_MAX */
} RtSemaphore;

static RtSemaphore *enter(RtValue v)
{
    return (RtSemaphore *)rtx_sync_enter(v, RT_HEAP_SEMAPHORE);
}
static void leave(RtSemaphore *m) { rtx_sync_leave(&m->s); }
static int64_t acquire(RtValue semaphore, int block, int64_t timeout_ms);
static bool may_free(rtx_sync *s);
static void wake(rtx_sync *s);
static void finalize(RtHeapHeader *h);
RTX_FINALIZER(RT_HEAP_SEMAPHORE, finalize)

RT_API RtValue rt_semaphore_new(int64_t initial)
{
    RtSemaphore *m = (RtSemaphore *)rtx_sync_alloc(RT_HEAP_SEMAPHORE, sizeof *m);
    if (m == NULL)
        return RT_NIL;
    if (pthread_mutex_init(&m->mu, NULL) != 0) {
        rtx_sync_discard(&m->s);
        return RT_NIL;
    }
    if (rtx_sync_cond_init(&m->cv) != 0) {
        pthread_mutex_destroy(&m->mu);
        rtx_sync_discard(&m->s);
        return RT_NIL;
    }
    m->count = initial > 0 ? initial : 0;
    return rtx_heap_value(&m->s.hdr);
}

RT_API int64_t rt_semaphore_acquire(RtValue semaphore) { return acquire(semaphore, 1, -1); }
RT_API int64_t rt_semaphore_try_acquire(RtValue semaphore) { return acquire(semaphore, 0, 0); }

RT_API int64_t rt_semaphore_acquire_timeout(RtValue semaphore, int64_t timeout_ms)
{
    return acquire(semaphore, timeout_ms > 0, timeout_ms);
}

RT_API int64_t rt_semaphore_release(RtValue semaphore)
{
    RtSemaphore *m = enter(semaphore);
    if (m == NULL)
        return 0;
    int64_t ok = 0;
    pthread_mutex_lock(&m->mu);
    if (m->count < INT64_MAX) {
        m->count++;
        pthread_cond_signal(&m->cv);
        ok = 1;
    }
    pthread_mutex_unlock(&m->mu);
    leave(m);
    return ok;
}

RT_API int64_t rt_semaphore_count(RtValue semaphore)
{
    RtSemaphore *m = enter(semaphore);
    if (m == NULL)
        return 0;
    pthread_mutex_lock(&m->mu);
    int64_t n = m->count;
    pthread_mutex_unlock(&m->mu);
    leave(m);
    return n;
}

RT_API void rt_semaphore_free(RtValue semaphore)
{
    (void)rtx_sync_free(semaphore, RT_HEAP_SEMAPHORE, may_free);
}

/* block 0: one attempt. block 1: wait until a unit is free, for at most
 * timeout_ms milliseconds when timeout_ms >= 0, else without limit. */
static int64_t acquire(RtValue semaphore, int block, int64_t timeout_ms)
{
    RtSemaphore *m = enter(semaphore);
    if (m == NULL)
        return 0;
    struct timespec deadline;
    if (block && timeout_ms >= 0)
        rtx_sync_deadline(&deadline, timeout_ms);
    int64_t got = 0;
    pthread_mutex_lock(&m->mu);
    while (block && m->count == 0 && !rtx_sync_dead(&m->s)) {
        if (timeout_ms < 0) {
            pthread_cond_wait(&m->cv, &m->mu);
        } else if (pthread_cond_timedwait(&m->cv, &m->mu, &deadline) == ETIMEDOUT) {
            break;
        }
    }
    if (m->count > 0 && !rtx_sync_dead(&m->s)) {
        m->count--;
        got = 1;   /* also after a timeout that raced with a release */
    }
    pthread_mutex_unlock(&m->mu);
    leave(m);
    return got;
}

/* Refuse while any thread is inside a call (blocked in acquire or not). */
static bool may_free(rtx_sync *s) { return rtx_sync_users(s) == 0; }

/* rt_free with blocked acquirers: they wake up and return 0. */
static void wake(rtx_sync *s)
{
    RtSemaphore *m = (RtSemaphore *)s;
    pthread_mutex_lock(&m->mu);
    pthread_cond_broadcast(&m->cv);
    pthread_mutex_unlock(&m->mu);
}

static void finalize(RtHeapHeader *h)
{
    RtSemaphore *m = (RtSemaphore *)h;
    rtx_sync_retire(&m->s, wake);
    pthread_cond_destroy(&m->cv);
    pthread_mutex_destroy(&m->mu);
}
