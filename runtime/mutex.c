/*
 * runtime/mutex.c — value-protecting mutexes, heap type 0x11.
 *
 * Implements spec/ffi/mutex.sdn: rt_mutex_new, rt_mutex_lock,
 * rt_mutex_try_lock, rt_mutex_unlock, rt_mutex_id, rt_mutex_free.
 *
 * The lock is held across calls (lock ... unlock), so it is not a
 * pthread mutex held by the caller: `owner` records the holder's thread
 * token under the object's short internal mutex, and waiters sleep on a
 * condition variable until owner is 0.
 */
#include <pthread.h>

#include "runtime/sync_core.h"
#include "simplert/mutex.h"

typedef struct RtMutex {
    rtx_sync s;
    pthread_mutex_t mu;   /* guards value and owner */
    pthread_cond_t cv;    /* signalled when owner becomes 0, or on retire */
    RtValue value;        /* the protected value */
    uint64_t owner;       /* rtx_sync_self() of the holder; 0: unlocked */
    int64_t id;
} RtMutex;

static _Atomic int64_t next_id = 1;

static RtMutex *enter(RtValue v) { return (RtMutex *)rtx_sync_enter(v, RT_HEAP_MUTEX); }
static void leave(RtMutex *m) { rtx_sync_leave(&m->s); }
static bool may_free(rtx_sync *s);
static void wake(rtx_sync *s);
static void finalize(RtHeapHeader *h);
RTX_FINALIZER(RT_HEAP_MUTEX, finalize)

RT_API RtValue rt_mutex_new(RtValue value)
{
    RtMutex *m = (RtMutex *)rtx_sync_alloc(RT_HEAP_MUTEX, sizeof *m);
    if (m == NULL)
        return RT_NIL;
    if (pthread_mutex_init(&m->mu, NULL) != 0) {
        rtx_sync_discard(&m->s);
        return RT_NIL;
    }
    if (pthread_cond_init(&m->cv, NULL) != 0) {
        pthread_mutex_destroy(&m->mu);
        rtx_sync_discard(&m->s);
        return RT_NIL;
    }
    m->value = value;
    m->id = atomic_fetch_add_explicit(&next_id, 1, memory_order_relaxed);
    return rtx_heap_value(&m->s.hdr);
}

RT_API RtValue rt_mutex_lock(RtValue mutex)
{
    RtMutex *m = enter(mutex);
    if (m == NULL)
        return RT_NIL;
    uint64_t self = rtx_sync_self();
    RtValue v = RT_NIL;
    pthread_mutex_lock(&m->mu);
    if (m->owner != self) {   /* the holder re-locking would wait for itself */
        while (m->owner != 0 && !rtx_sync_dead(&m->s))
            pthread_cond_wait(&m->cv, &m->mu);
        if (!rtx_sync_dead(&m->s)) {
            m->owner = self;
            v = m->value;
        }
    }
    pthread_mutex_unlock(&m->mu);
    leave(m);
    return v;
}

RT_API RtValue rt_mutex_try_lock(RtValue mutex)
{
    RtMutex *m = enter(mutex);
    if (m == NULL)
        return RT_NIL;
    RtValue v = RT_NIL;
    pthread_mutex_lock(&m->mu);
    if (m->owner == 0) {
        m->owner = rtx_sync_self();
        v = m->value;
    }
    pthread_mutex_unlock(&m->mu);
    leave(m);
    return v;
}

RT_API int64_t rt_mutex_unlock(RtValue mutex, RtValue new_value)
{
    RtMutex *m = enter(mutex);
    if (m == NULL)
        return 0;
    int64_t ok = 0;
    pthread_mutex_lock(&m->mu);
    if (m->owner == rtx_sync_self()) {
        m->value = new_value;
        m->owner = 0;
        pthread_cond_signal(&m->cv);
        ok = 1;
    }
    pthread_mutex_unlock(&m->mu);
    leave(m);
    return ok;
}

RT_API int64_t rt_mutex_id(RtValue mutex)
{
    RtMutex *m = enter(mutex);
    if (m == NULL)
        return 0;
    int64_t id = m->id;   /* immutable after creation */
    leave(m);
    return id;
}

RT_API void rt_mutex_free(RtValue mutex)
{
    (void)rtx_sync_free(mutex, RT_HEAP_MUTEX, may_free);
}

/* Refuse while any thread holds the lock or is inside a call on it. */
static bool may_free(rtx_sync *s)
{
    RtMutex *m = (RtMutex *)s;
    pthread_mutex_lock(&m->mu);
    bool ok = m->owner == 0 && rtx_sync_users(s) == 0;
    pthread_mutex_unlock(&m->mu);
    return ok;
}

/* rt_free of a mutex with waiters: they wake up and return NIL. */
static void wake(rtx_sync *s)
{
    RtMutex *m = (RtMutex *)s;
    pthread_mutex_lock(&m->mu);
    pthread_cond_broadcast(&m->cv);
    pthread_mutex_unlock(&m->mu);
}

static void finalize(RtHeapHeader *h)
{
    RtMutex *m = (RtMutex *)h;
    rtx_sync_retire(&m->s, wake);
    pthread_cond_destroy(&m->cv);
    pthread_mutex_destroy(&m->mu);
}
