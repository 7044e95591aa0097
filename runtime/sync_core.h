/*
 * runtime/sync_core.h — what the heap sync objects (mutex 0x11, rwlock 0x12,
 * semaphore 0x13, barrier 0x14, atomic 0x15) share: the lifetime protocol
 * that keeps a freed object from being used by a thread still inside a call
 * on it, the thread token that names a lock owner, and monotonic deadlines.
 *
 * Lifetime protocol (why: rtx_heap_get validates a value but does not keep
 * it alive; a thread blocked in rt_mutex_lock must not wake up on freed
 * memory):
 *
 *   - Every call on such an object brackets its work with rtx_sync_enter /
 *     rtx_sync_leave. Enter validates the value and counts the caller in
 *     `users` under a gate lock (one of 64 stripes chosen by address), so a
 *     free either sees that user or happens before the validation.
 *   - rt_<type>_free goes through rtx_sync_free: under the same gate it asks
 *     the type whether freeing is allowed now (no users, not held) and, if
 *     so, marks the object dead so no further call can enter, then frees it.
 *   - rt_free (the value family's generic free) cannot refuse: the type's
 *     finalizer calls rtx_sync_retire, which marks the object dead, wakes
 *     every thread blocked on it (each returns its documented default) and
 *     waits until the last user has left before the memory goes away.
 *
 * Lock order: gate stripe -> the object's own locks -> nothing. Leave is a
 * single atomic decrement, so it never touches the object afterwards.
 */
#ifndef RTX_SYNC_CORE_H
#define RTX_SYNC_CORE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "runtime/heap.h"

/* The first member of every heap sync object. */
typedef struct rtx_sync {
    RtHeapHeader hdr;
    _Atomic uint32_t users;   /* threads inside a call on this object */
    _Atomic uint32_t dead;    /* set once freeing began; no call enters after */
} rtx_sync;

/* Allocate a zeroed sync object of `size` bytes and `type`; NULL on OOM. */
rtx_sync *rtx_sync_alloc(uint8_t type, size_t size);

/* Free an object whose construction failed half-way (its finalizer must
 * not run: the type's own fields were never initialised). */
void rtx_sync_discard(rtx_sync *s);

/* The live object behind v, counted as a user; NULL (nothing counted) if v
 * is not a live object of `type` or is being freed. */
rtx_sync *rtx_sync_enter(RtValue v, uint8_t type);
void rtx_sync_leave(rtx_sync *s);

/* rt_<type>_free: frees v when may_free(s) (called under the gate, with no
 * new user able to enter) returns true. Returns 1 if v was freed, 0 if v was
 * not a live object of `type` or freeing was refused. */
int rtx_sync_free(RtValue v, uint8_t type, bool (*may_free)(rtx_sync *s));

/* For finalizers: mark s dead, call wake(s) (may be NULL) so that blocked
 * callers notice, then wait until every user has left. */
void rtx_sync_retire(rtx_sync *s, void (*wake)(rtx_sync *s));

/* Users right now (for free decisions under the gate, and for tests). */
static inline uint32_t rtx_sync_users(const rtx_sync *s)
{
    return atomic_load_explicit(&((rtx_sync *)s)->users, memory_order_acquire);
}
static inline bool rtx_sync_dead(const rtx_sync *s)
{
    return atomic_load_explicit(&((rtx_sync *)s)->dead, memory_order_acquire) != 0;
}

/* A process-unique, never reused, non-zero token for the calling thread. */
uint64_t rtx_sync_self(void);

/* A condition variable whose timed waits use CLOCK_MONOTONIC. 0 or errno. */
int rtx_sync_cond_init(pthread_cond_t *cv);

/* The CLOCK_MONOTONIC time ms milliseconds from now (ms clamped to 0..2^31 s). */
void rtx_sync_deadline(struct timespec *ts, int64_t ms);

#ifdef RTX_TESTING
/* Users of the live sync object v of `type`, or -1 (tests wait on it to know
 * that a thread has blocked inside a call). */
int64_t rtx_sync_test_users(RtValue v, uint8_t type);
/* Hold an rwlock's lock from the calling thread the way a concurrent reader
 * (write 0) or rt_rwlock_set (write 1) would, so tests can observe the busy
 * paths; 0 or -1. Implemented in rwlock.c. */
int rtx_rwlock_test_hold(RtValue lock, int write);
int rtx_rwlock_test_release(RtValue lock);
#endif

#endif /* RTX_SYNC_CORE_H */
