/*
 * runtime/rwlock.c — value-protecting read-write locks, heap type 0x12.
 *
 * Implements spec/ffi/rwlock.sdn: rt_rwlock_new, rt_rwlock_read,
 * rt_rwlock_try_read, rt_rwlock_write, rt_rwlock_try_write, rt_rwlock_set,
 * rt_rwlock_unlock_read, rt_rwlock_unlock_write, rt_rwlock_free.
 *
 * As upstream, no call leaves the lock held: read and write take it, copy
 * the value out and release it; set replaces the value under the write
 * lock. The lock prefers writers, so a stream of readers cannot starve set.
 */
#include <pthread.h>

#include "runtime/sync_core.h"
#include "simplert/rwlock.h"

typedef struct RtRwLock {
    rtx_sync s;
    pthread_rwlock_t rw;   /* guards value */
    RtValue value;
} RtRwLock;

static RtRwLock *enter(RtValue v) { return (RtRwLock *)rtx_sync_enter(v, RT_HEAP_RWLOCK); }
static void leave(RtRwLock *l) { rtx_sync_leave(&l->s); }
static RtValue copy_out(RtValue lock, int write, int try_only);
static bool may_free(rtx_sync *s);
static void finalize(RtHeapHeader *h);
RTX_FINALIZER(RT_HEAP_RWLOCK, finalize)

RT_API RtValue rt_rwlock_new(RtValue value)
{
    RtRwLock *l = (RtRwLock *)rtx_sync_alloc(RT_HEAP_RWLOCK, sizeof *l);
    if (l == NULL)
        return RT_NIL;
    pthread_rwlockattr_t a;
    int rc = pthread_rwlockattr_init(&a);
    if (rc == 0) {
        pthread_rwlockattr_setkind_np(&a, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
        rc = pthread_rwlock_init(&l->rw, &a);
        pthread_rwlockattr_destroy(&a);
    }
    if (rc != 0) {
        rtx_sync_discard(&l->s);
        return RT_NIL;
    }
    l->value = value;
    return rtx_heap_value(&l->s.hdr);
}

RT_API RtValue rt_rwlock_read(RtValue lock) { return copy_out(lock, 0, 0); }
RT_API RtValue rt_rwlock_try_read(RtValue lock) { return copy_out(lock, 0, 1); }
RT_API RtValue rt_rwlock_write(RtValue lock) { return copy_out(lock, 1, 0); }
RT_API RtValue rt_rwlock_try_write(RtValue lock) { return copy_out(lock, 1, 1); }

RT_API int64_t rt_rwlock_set(RtValue lock, RtValue new_value)
{
    RtRwLock *l = enter(lock);
    if (l == NULL)
        return 0;
    int64_t ok = 0;
    if (pthread_rwlock_wrlock(&l->rw) == 0) {
        l->value = new_value;
        pthread_rwlock_unlock(&l->rw);
        ok = 1;
    }
    leave(l);
    return ok;
}

/* No call leaves a lock held, so there is nothing to release (upstream
 * keeps these for API compatibility too). */
RT_API void rt_rwlock_unlock_read(RtValue lock) { (void)lock; }
RT_API void rt_rwlock_unlock_write(RtValue lock) { (void)lock; }

RT_API void rt_rwlock_free(RtValue lock)
{
    (void)rtx_sync_free(lock, RT_HEAP_RWLOCK, may_free);
}

#ifdef RTX_TESTING
/* Test hooks (sync_core.h). */
int rtx_rwlock_test_hold(RtValue lock, int write)
{
    RtRwLock *l = enter(lock);
    if (l == NULL)
        return -1;
    int rc = write ? pthread_rwlock_wrlock(&l->rw) : pthread_rwlock_rdlock(&l->rw);
    leave(l);
    return rc == 0 ? 0 : -1;
}

int rtx_rwlock_test_release(RtValue lock)
{
    RtRwLock *l = enter(lock);
    if (l == NULL)
        return -1;
    int rc = pthread_rwlock_unlock(&l->rw);
    leave(l);
    return rc == 0 ? 0 : -1;
}
#endif

static RtValue copy_out(RtValue lock, int write, int try_only)
{
    RtRwLock *l = enter(lock);
    if (l == NULL)
        return RT_NIL;
    int rc;
    if (write)
        rc = try_only ? pthread_rwlock_trywrlock(&l->rw) : pthread_rwlock_wrlock(&l->rw);
    else
        rc = try_only ? pthread_rwlock_tryrdlock(&l->rw) : pthread_rwlock_rdlock(&l->rw);
    RtValue v = RT_NIL;
    if (rc == 0) {   /* EBUSY (try forms), EAGAIN (reader limit), EDEADLK: NIL */
        v = l->value;
        pthread_rwlock_unlock(&l->rw);
    }
    leave(l);
    return v;
}

/* Refuse while a thread is inside read, write or set. */
static bool may_free(rtx_sync *s) { return rtx_sync_users(s) == 0; }

static void finalize(RtHeapHeader *h)
{
    RtRwLock *l = (RtRwLock *)h;
    /* Nobody blocks here for long: every call releases the lock at once. */
    rtx_sync_retire(&l->s, NULL);
    pthread_rwlock_destroy(&l->rw);
}
