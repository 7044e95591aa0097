/*
 * runtime/barrier.c — reusable thread barriers, heap type 0x14.
 *
 * Implements spec/ffi/barrier.sdn: rt_barrier_new, rt_barrier_wait,
 * rt_barrier_thread_count, rt_barrier_free.
 *
 * Generation counting: the thread that completes a round (the last to
 * arrive) is its leader; it resets the arrival count, advances the
 * generation and wakes the others, who wait for the generation they
 * arrived in to end. So each round has exactly one leader, and a fast
 * thread that re-enters the next round cannot be mistaken for a waiter of
 * the previous one.
 */
#include <pthread.h>

#include "runtime/sync_core.h"
#include "simplert/barrier.h"

#define MAX_THREADS (INT64_C(1) << 20)

typedef struct RtBarrier {
    rtx_sync s;
    pthread_mutex_t mu;    /* guards arrived and generation */
    pthread_cond_t cv;     /* broadcast when a round ends, or on retire */
    int64_t n;             /* threads per round, 1 .. 2^20; immutable */
    int64_t arrived;       /* threads waiting in the current round */
    uint64_t generation;   /* rounds completed */
} RtBarrier;

static RtBarrier *enter(RtValue v) { return (RtBarrier *)rtx_sync_enter(v, RT_HEAP_BARRIER); }
static void leave(RtBarrier *b) { rtx_sync_leave(&b->s); }
static bool may_free(rtx_sync *s);
static void wake(rtx_sync *s);
static void finalize(RtHeapHeader *h);
RTX_FINALIZER(RT_HEAP_BARRIER, finalize)

RT_API RtValue rt_barrier_new(int64_t thread_count)
{
    if (thread_count <= 0 || thread_count > MAX_THREADS)
        return RT_NIL;
    RtBarrier *b = (RtBarrier *)rtx_sync_alloc(RT_HEAP_BARRIER, sizeof *b);
    if (b == NULL)
        return RT_NIL;
    if (pthread_mutex_init(&b->mu, NULL) != 0) {
        rtx_sync_discard(&b->s);
        return RT_NIL;
    }
    if (pthread_cond_init(&b->cv, NULL) != 0) {
        pthread_mutex_destroy(&b->mu);
        rtx_sync_discard(&b->s);
        return RT_NIL;
    }
    b->n = thread_count;
    return rtx_heap_value(&b->s.hdr);
}

RT_API int64_t rt_barrier_wait(RtValue barrier)
{
    RtBarrier *b = enter(barrier);
    if (b == NULL)
        return 0;
    int64_t leader = 0;
    pthread_mutex_lock(&b->mu);
    uint64_t gen = b->generation;
    if (++b->arrived == b->n) {
        b->arrived = 0;
        b->generation++;
        pthread_cond_broadcast(&b->cv);
        leader = 1;
    } else {
        /* A barrier being freed by rt_free releases its waiters with 0. */
        while (b->generation == gen && !rtx_sync_dead(&b->s))
            pthread_cond_wait(&b->cv, &b->mu);
    }
    pthread_mutex_unlock(&b->mu);
    leave(b);
    return leader;
}

RT_API int64_t rt_barrier_thread_count(RtValue barrier)
{
    RtBarrier *b = enter(barrier);
    if (b == NULL)
        return 0;
    int64_t n = b->n;
    leave(b);
    return n;
}

RT_API void rt_barrier_free(RtValue barrier)
{
    (void)rtx_sync_free(barrier, RT_HEAP_BARRIER, may_free);
}

/* Refuse while threads wait in the current round (they are users). */
static bool may_free(rtx_sync *s) { return rtx_sync_users(s) == 0; }

static void wake(rtx_sync *s)
{
    RtBarrier *b = (RtBarrier *)s;
    pthread_mutex_lock(&b->mu);
    pthread_cond_broadcast(&b->cv);
    pthread_mutex_unlock(&b->mu);
}

static void finalize(RtHeapHeader *h)
{
    RtBarrier *b = (RtBarrier *)h;
    rtx_sync_retire(&b->s, wake);
    pthread_cond_destroy(&b->cv);
    pthread_mutex_destroy(&b->mu);
}
