/*
 * runtime/sync_core.c — the lifetime protocol, owner tokens and deadlines
 * shared by the heap sync objects (see sync_core.h).
 *
 * Implements no spec row by itself; used by the rows of spec/ffi/atomic.sdn
 * (heap atomics), mutex.sdn, rwlock.sdn, semaphore.sdn and barrier.sdn.
 */
#include "runtime/sync_core.h"

#include <sched.h>

#define GATE_BITS 6
#define NGATES (1u << GATE_BITS)

/* Striped so unrelated objects rarely share a gate; never freed. */
static pthread_mutex_t gates[NGATES] = {
#define G(i) [i] = PTHREAD_MUTEX_INITIALIZER
    G(0),  G(1),  G(2),  G(3),  G(4),  G(5),  G(6),  G(7),  G(8),  G(9),  G(10),
    G(11), G(12), G(13), G(14), G(15), G(16), G(17), G(18), G(19), G(20), G(21),
    G(22), G(23), G(24), G(25), G(26), G(27), G(28), G(29), G(30), G(31), G(32),
    G(33), G(34), G(35), G(36), G(37), G(38), G(39), G(40), G(41), G(42), G(43),
    G(44), G(45), G(46), G(47), G(48), G(49), G(50), G(51), G(52), G(53), G(54),
    G(55), G(56), G(57), G(58), G(59), G(60), G(61), G(62), G(63)
#undef G
};

static _Atomic uint64_t next_token = 1;
static _Thread_local uint64_t my_token;

static pthread_mutex_t *gate_of(uint64_t addr);

rtx_sync *rtx_sync_alloc(uint8_t type, size_t size)
{
    return (rtx_sync *)rtx_heap_alloc(type, size);
}

void rtx_sync_discard(rtx_sync *s)
{
    /* Type 0 has no finalizer; the object was never handed out. */
    s->hdr.object_type = 0;
    (void)rtx_heap_free(rtx_heap_value(&s->hdr));
}

rtx_sync *rtx_sync_enter(RtValue v, uint8_t type)
{
    if ((v & RT_TAG_MASK) != RT_TAG_HEAP)
        return NULL;
    pthread_mutex_t *g = gate_of(v);
    pthread_mutex_lock(g);
    rtx_sync *s = (rtx_sync *)rtx_heap_get(v, type);
    if (s != NULL && !rtx_sync_dead(s))
        atomic_fetch_add_explicit(&s->users, 1, memory_order_acq_rel);
    else
        s = NULL;
    pthread_mutex_unlock(g);
    return s;
}

void rtx_sync_leave(rtx_sync *s)
{
    /* The last access to s: a retiring thread may free it right after. */
    atomic_fetch_sub_explicit(&s->users, 1, memory_order_release);
}

int rtx_sync_free(RtValue v, uint8_t type, bool (*may_free)(rtx_sync *s))
{
    if ((v & RT_TAG_MASK) != RT_TAG_HEAP)
        return 0;
    pthread_mutex_t *g = gate_of(v);
    int ok = 0;
    pthread_mutex_lock(g);
    rtx_sync *s = (rtx_sync *)rtx_heap_get(v, type);
    if (s != NULL && !rtx_sync_dead(s) && (may_free == NULL || may_free(s))) {
        /* Under the gate: from here on no call can enter s. */
        atomic_store_explicit(&s->dead, 1, memory_order_release);
        ok = 1;
    }
    pthread_mutex_unlock(g);
    /* The finalizer (rtx_sync_retire) drains anyone who entered before. */
    return ok && rtx_heap_free(v) == 0;
}

void rtx_sync_retire(rtx_sync *s, void (*wake)(rtx_sync *s))
{
    /* s is already out of the registry, so enter cannot find it again; the
     * gate orders this against an enter that validated it just before. */
    pthread_mutex_t *g = gate_of(rtx_heap_value(&s->hdr));
    pthread_mutex_lock(g);
    atomic_store_explicit(&s->dead, 1, memory_order_release);
    pthread_mutex_unlock(g);
    if (wake)
        wake(s);
    /* Users still inside are finishing or waking up from wake(); none can
     * block again because every wait loop re-checks `dead`. */
    while (rtx_sync_users(s) != 0)
        sched_yield();
}

uint64_t rtx_sync_self(void)
{
    if (my_token == 0)
        my_token = atomic_fetch_add_explicit(&next_token, 1, memory_order_relaxed);
    return my_token;
}

int rtx_sync_cond_init(pthread_cond_t *cv)
{
    pthread_condattr_t a;
    int rc = pthread_condattr_init(&a);
    if (rc != 0)
        return rc;
    rc = pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    if (rc == 0)
        rc = pthread_cond_init(cv, &a);
    pthread_condattr_destroy(&a);
    return rc;
}

void rtx_sync_deadline(struct timespec *ts, int64_t ms)
{
    /* 2^31 s (68 years) is "forever" and keeps tv_sec far from overflow. */
    const int64_t max_ms = (INT64_C(1) << 31) * 1000;
    if (ms < 0)
        ms = 0;
    if (ms > max_ms)
        ms = max_ms;
    clock_gettime(CLOCK_MONOTONIC, ts);
    ts->tv_sec += (time_t)(ms / 1000);
    ts->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

#ifdef RTX_TESTING
int64_t rtx_sync_test_users(RtValue v, uint8_t type)
{
    pthread_mutex_t *g = gate_of(v);
    pthread_mutex_lock(g);
    rtx_sync *s = (rtx_sync *)rtx_heap_get(v, type);
    int64_t n = s ? (int64_t)rtx_sync_users(s) : -1;
    pthread_mutex_unlock(g);
    return n;
}
#endif

static pthread_mutex_t *gate_of(uint64_t addr)
{
    uint64_t x = (addr >> 3) * UINT64_C(0x9E3779B97F4A7C15);
    return &gates[x >> (64 - GATE_BITS)];
}
