/*
 * fuzz/targets/sync.c — operation sequences over the mutex, rwlock,
 * semaphore and barrier families (spec/ffi/{mutex,rwlock,semaphore,
 * barrier}.sdn), with rt_free in the mix.
 *
 * Single-threaded (the races live in the TSan suites), so nothing may block
 * for good: rt_semaphore_acquire runs only when a unit is there,
 * rt_semaphore_acquire_timeout waits at most 1 ms when none is, and
 * rt_barrier_wait runs only on barriers of one thread. A mutex lock from the
 * only thread never blocks (a re-lock by the holder returns NIL), and no
 * rwlock call leaves the lock held, so those are generated from their kinds.
 */
#include "fuzz/rtz.h"
#include "rtz_barrier.h"
#include "rtz_mutex.h"
#include "rtz_rwlock.h"
#include "rtz_semaphore.h"
#include "rtz_value.h"

static void op_semaphore_acquire(rtz *z)
{
    RtValue s = rtz_rv_of(z, RT_HEAP_SEMAPHORE);
    int64_t n = rt_semaphore_count(s);
    if (n <= 0) {   /* 0 units (or not a semaphore): acquire would wait forever */
        if (rt_value_heap_type(s) != RT_HEAP_SEMAPHORE)
            RTZ_CHECK(rt_semaphore_acquire(s) == 0);   /* not a semaphore: 0 at once */
        return;
    }
    RTZ_CHECK(rt_semaphore_acquire(s) == 1);
    RTZ_CHECK(rt_semaphore_count(s) == n - 1);
}

static void op_semaphore_acquire_timeout(rtz *z)
{
    RtValue s = rtz_rv_of(z, RT_HEAP_SEMAPHORE);
    int64_t n = rt_semaphore_count(s);
    int64_t ms = n > 0 ? rtz_ms(z) : (rtz_u8(z) % 16 == 0 ? 1 : -(int64_t)(rtz_u8(z) % 3));
    int64_t rc = rt_semaphore_acquire_timeout(s, ms);
    RTZ_CHECK(rc == (n > 0));   /* alone, a unit is taken iff one was there */
    if (rc)
        RTZ_CHECK(rt_semaphore_count(s) == n - 1);
}

static void op_barrier_wait(rtz *z)
{
    RtValue b = rtz_rv_of(z, RT_HEAP_BARRIER);
    int64_t n = rt_barrier_thread_count(b);
    if (n == 1)
        RTZ_CHECK(rt_barrier_wait(b) == 1);   /* alone in every round: the leader */
    else if (n == 0)
        RTZ_CHECK(rt_barrier_wait(b) == 0);   /* not a barrier: 0 at once */
}

/* Alone, the fuzzing thread holds every locked mutex: after try_lock it
 * holds m whatever m's state was, so unlock must work, the next lock must
 * see the stored value, and a re-lock must answer NIL instead of waiting. */
static void prop_mutex_round_trip(rtz *z)
{
    RtValue m = rtz_rv_of(z, RT_HEAP_MUTEX), x = rtz_rv(z);
    if (rt_mutex_id(m) == 0) {   /* not a live mutex */
        RTZ_CHECK(rt_mutex_try_lock(m) == RT_NIL && rt_mutex_unlock(m, x) == 0);
        return;
    }
    (void)rt_mutex_try_lock(m);
    RTZ_CHECK(rt_mutex_unlock(m, x) == 1);
    RTZ_CHECK(rt_mutex_lock(m) == x);
    RTZ_CHECK(rt_mutex_try_lock(m) == RT_NIL);
    RTZ_CHECK(rt_mutex_lock(m) == RT_NIL);
    rt_mutex_free(m);   /* refused: held */
    RTZ_CHECK(rt_mutex_id(m) != 0);
    RTZ_CHECK(rt_mutex_unlock(m, x) == 1);
    RTZ_CHECK(rt_mutex_unlock(m, x) == 0);
}

static void prop_rwlock_round_trip(rtz *z)
{
    RtValue l = rtz_rv_of(z, RT_HEAP_RWLOCK), x = rtz_rv(z);
    if (rt_rwlock_set(l, x) != 1) {
        RTZ_CHECK(rt_rwlock_read(l) == RT_NIL);
        return;
    }
    RTZ_CHECK(rt_rwlock_read(l) == x && rt_rwlock_write(l) == x);
    RTZ_CHECK(rt_rwlock_try_read(l) == x && rt_rwlock_try_write(l) == x);
}

static void prop_semaphore_release(rtz *z)
{
    RtValue s = rtz_rv_of(z, RT_HEAP_SEMAPHORE);
    int64_t n = rt_semaphore_count(s);
    RTZ_CHECK(n >= 0);
    int64_t rc = rt_semaphore_release(s);
    if (rc)
        RTZ_CHECK(rt_semaphore_count(s) == n + 1 && rt_semaphore_try_acquire(s) == 1);
    RTZ_CHECK(rt_semaphore_count(s) == n);
}

static const rtz_op ops[] = {
    RTZ_OP(rt_mutex_new), RTZ_OP(rt_mutex_lock), RTZ_OP(rt_mutex_try_lock),
    RTZ_OP(rt_mutex_unlock), RTZ_OP(rt_mutex_id), RTZ_OP(rt_mutex_free),
    RTZ_OP(rt_rwlock_new), RTZ_OP(rt_rwlock_read), RTZ_OP(rt_rwlock_try_read),
    RTZ_OP(rt_rwlock_write), RTZ_OP(rt_rwlock_try_write), RTZ_OP(rt_rwlock_set),
    RTZ_OP(rt_rwlock_unlock_read), RTZ_OP(rt_rwlock_unlock_write), RTZ_OP(rt_rwlock_free),
    RTZ_OP(rt_semaphore_new), RTZ_OP(rt_semaphore_try_acquire), RTZ_OP(rt_semaphore_release),
    RTZ_OP(rt_semaphore_count), RTZ_OP(rt_semaphore_free), RTZ_OP(rt_barrier_new),
    RTZ_OP(rt_barrier_thread_count), RTZ_OP(rt_barrier_free), RTZ_OP(rt_free),
    RTZ_OP(rt_string_new),
    {"rt_semaphore_acquire", op_semaphore_acquire},
    {"rt_semaphore_acquire_timeout", op_semaphore_acquire_timeout},
    {"rt_barrier_wait", op_barrier_wait},
    {"prop_mutex_round_trip", prop_mutex_round_trip},
    {"prop_rwlock_round_trip", prop_rwlock_round_trip},
    {"prop_semaphore_release", prop_semaphore_release},
};

RTZ_SEQUENCE_TARGET(ops, NULL)
