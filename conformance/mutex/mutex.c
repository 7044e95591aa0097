/* Conformance: rt_mutex_new, rt_mutex_lock, rt_mutex_try_lock, rt_mutex_unlock,
 * rt_mutex_id, rt_mutex_free (spec/ffi/mutex.sdn), including upstream's
 * sync.rs tests: basic, foreign unlock and waiters, free refusing a held
 * lock, low heap-tagged words. */
#include "conformance/rtc_threads.h"
#include "conformance/rtc_sync.h"
#include "runtime/sync_core.h"

static int64_t ival(RtValue v) { return rt_value_as_int(v); }

/* Wait until `n` threads are inside calls on m (blocked in lock). */
static void await_users(RtValue v, int64_t n) { rtc_await_users(v, RT_HEAP_MUTEX, n); }

RTC_TEST(mutex, upstream_basic)
{
    RtValue m = rt_mutex_new(rt_value_int(42));
    cr_assert(rt_value_is_heap(m));
    cr_assert_eq(rt_value_heap_type(m), RT_HEAP_MUTEX);
    cr_assert_gt(rt_mutex_id(m), 0);
    cr_assert_eq(ival(rt_mutex_lock(m)), 42);
    cr_assert_eq(rt_mutex_try_lock(m), RT_NIL, "busy while held, also for the holder");
    cr_assert_eq(rt_mutex_unlock(m, rt_value_int(100)), 1);
    cr_assert_eq(ival(rt_mutex_lock(m)), 100);
    cr_assert_eq(rt_mutex_unlock(m, rt_value_int(100)), 1);
    cr_assert_eq(rt_mutex_unlock(m, rt_value_int(100)), 0, "double unlock");
    rt_mutex_free(m);
    cr_assert_eq(rt_mutex_id(m), 0, "freed");
}

RTC_TEST(mutex, ids_are_distinct_and_count_up)
{
    RtValue a = rt_mutex_new(RT_NIL), b = rt_mutex_new(RT_NIL);
    cr_assert_gt(rt_mutex_id(b), rt_mutex_id(a));
    rt_mutex_free(a);
    rt_mutex_free(b);
}

RTC_TEST(mutex, try_lock_takes_a_free_lock)
{
    RtValue m = rt_mutex_new(rt_value_int(5));
    cr_assert_eq(ival(rt_mutex_try_lock(m)), 5);
    cr_assert_eq(rt_mutex_lock(m), RT_NIL, "the holder re-locking gets NIL, no deadlock");
    cr_assert_eq(rt_mutex_unlock(m, RT_TRUE), 1);
    cr_assert_eq(rt_mutex_try_lock(m), RT_TRUE, "any value can be protected");
    cr_assert_eq(rt_mutex_unlock(m, RT_NIL), 1);
    rt_mutex_free(m);
}

RTC_TEST(mutex, unlock_without_lock_stores_nothing)
{
    RtValue m = rt_mutex_new(rt_value_int(1));
    cr_assert_eq(rt_mutex_unlock(m, rt_value_int(2)), 0);
    cr_assert_eq(ival(rt_mutex_lock(m)), 1, "the refused unlock stored nothing");
    cr_assert_eq(rt_mutex_unlock(m, rt_value_int(1)), 1);
    rt_mutex_free(m);
}

RTC_TEST(mutex, free_refuses_a_held_lock)
{
    RtValue m = rt_mutex_new(rt_value_int(7));
    cr_assert_eq(ival(rt_mutex_lock(m)), 7);
    rt_mutex_free(m);
    cr_assert_gt(rt_mutex_id(m), 0, "still alive");
    cr_assert_eq(rt_mutex_unlock(m, rt_value_int(8)), 1);
    rt_mutex_free(m);
    cr_assert_eq(rt_mutex_id(m), 0);
    rt_mutex_free(m);   /* a second free is a no-op */
}

/* ---- a foreign thread: upstream's rejects_foreign_unlock_and_holds_waiters ---- */

typedef struct waiter_arg {
    RtValue m;
    int64_t foreign_unlock, try_lock_nil, unlock_rc;
    RtValue got;
    _Atomic int started, done;
} waiter_arg;

static void *waiter(void *p)
{
    waiter_arg *w = p;
    w->foreign_unlock = rt_mutex_unlock(w->m, rt_value_int(-1));
    w->try_lock_nil = rt_mutex_try_lock(w->m) == RT_NIL;
    atomic_store(&w->started, 1);
    w->got = rt_mutex_lock(w->m);
    atomic_store(&w->done, 1);
    w->unlock_rc = rt_mutex_unlock(w->m, rt_value_int(101));
    return NULL;
}

RTC_TEST(mutex, foreign_unlock_refused_and_waiter_holds)
{
    waiter_arg w = {.m = rt_mutex_new(rt_value_int(42))};
    cr_assert_eq(ival(rt_mutex_lock(w.m)), 42);
    rtc_team team;
    rtc_team_start(&team, 1, waiter, &w, 0);
    rtc_await_flag(&w.started);
    await_users(w.m, 1);   /* the waiter is inside rt_mutex_lock */
    rtc_sleep_ms(20);
    cr_assert_eq(atomic_load(&w.done), 0, "lock returned while another thread held it");
    cr_assert_eq(rt_mutex_unlock(w.m, rt_value_int(100)), 1);
    rtc_team_join(&team);
    cr_assert_eq(w.foreign_unlock, 0);
    cr_assert(w.try_lock_nil);
    cr_assert_eq(w.got, rt_value_int(100), "the waiter sees the value stored by unlock");
    cr_assert_eq(w.unlock_rc, 1);
    cr_assert_eq(ival(rt_mutex_lock(w.m)), 101);
    cr_assert_eq(rt_mutex_unlock(w.m, rt_value_int(101)), 1);
    rt_mutex_free(w.m);
}

RTC_TEST(mutex, free_refused_while_blocked_waiter_then_rt_free_wakes_it)
{
    waiter_arg w = {.m = rt_mutex_new(rt_value_int(3))};
    cr_assert_eq(ival(rt_mutex_lock(w.m)), 3);
    rtc_team team;
    rtc_team_start(&team, 1, waiter, &w, 0);
    await_users(w.m, 1);
    rt_mutex_free(w.m);
    cr_assert_gt(rt_mutex_id(w.m), 0, "refused: held, and a thread is blocked in lock");
    /* The generic free cannot refuse: the blocked thread wakes with NIL. */
    rt_free(w.m);
    rtc_team_join(&team);
    cr_assert_eq(w.got, RT_NIL, "woken by the free: NIL");
    cr_assert_eq(w.unlock_rc, 0, "the dead mutex refuses the unlock");
    cr_assert_eq(rt_mutex_id(w.m), 0);
}

/* ---- mutual exclusion under contention ---- */

typedef struct counter_arg {
    RtValue m;
    long rounds;
    long bad;   /* lock returned NIL or unlock failed */
} counter_arg;

static void *counter(void *p)
{
    counter_arg *c = p;
    for (long i = 0; i < c->rounds; i++) {
        RtValue v = (i & 1) ? rt_mutex_lock(c->m) : RT_NIL;
        while (v == RT_NIL)   /* even rounds spin on try_lock */
            v = rt_mutex_try_lock(c->m);
        if (!rt_value_is_int(v))
            c->bad++;
        if (rt_mutex_unlock(c->m, rt_value_int(rt_value_as_int(v) + 1)) != 1)
            c->bad++;
    }
    return NULL;
}

RTC_TEST(mutex, increments_are_never_lost, .timeout = RTC_SLOW_TIMEOUT)
{
    enum { N = 8 };
    counter_arg args[N];
    RtValue m = rt_mutex_new(rt_value_int(0));
    cr_assert(rt_value_is_heap(m), "rt_mutex_new failed: the threads would spin on NIL");
    long rounds = rtc_scale(2000, 50);
    for (int i = 0; i < N; i++)
        args[i] = (counter_arg){.m = m, .rounds = rounds};
    rtc_team team;
    rtc_team_start(&team, N, counter, args, sizeof args[0]);
    rtc_team_join(&team);
    for (int i = 0; i < N; i++)
        cr_assert_eq(args[i].bad, 0, "thread %d", i);
    cr_assert_eq(ival(rt_mutex_lock(m)), N * rounds);
    cr_assert_eq(rt_mutex_unlock(m, RT_NIL), 1);
    rt_mutex_free(m);
}

/* ---- hostile input ---- */

RTC_TEST(mutex, hostile_values)
{
    RtValue str = rt_string_new((const uint8_t *)"m", 1);
    RtValue atom = rt_atomic_new(7);   /* a sync object of another type */
    RtValue dead = rt_mutex_new(RT_NIL);
    rt_mutex_free(dead);
    RtValue bad[RTC_NBOGUS + RTC_NIMMEDIATE + 4];
    size_t n = 0;
    for (size_t i = 0; i < RTC_NBOGUS; i++)
        bad[n++] = rtc_bogus[i];
    for (int i = 0; i < RTC_NIMMEDIATE; i++)
        bad[n++] = rtc_immediate(i);
    bad[n++] = str;
    bad[n++] = atom;
    bad[n++] = dead;
    bad[n++] = rtc_freed_value();
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(rt_mutex_lock(bad[i]), RT_NIL, "value %zu", i);
        cr_assert_eq(rt_mutex_try_lock(bad[i]), RT_NIL);
        cr_assert_eq(rt_mutex_unlock(bad[i], rt_value_int(1)), 0);
        cr_assert_eq(rt_mutex_id(bad[i]), 0);
        rt_mutex_free(bad[i]);
    }
    cr_assert_eq(rt_string_len(str), 1, "the string was not touched");
    cr_assert_eq(rt_atomic_load(atom), 7, "the atomic was not touched");
    rt_free(str);
    rt_atomic_free(atom);
}

RTC_TEST(mutex, protected_heap_value_is_not_freed_with_the_mutex)
{
    RtValue s = rt_string_new((const uint8_t *)"kept", 4);
    RtValue m = rt_mutex_new(s);
    cr_assert_eq(rt_mutex_lock(m), s);
    cr_assert_eq(rt_mutex_unlock(m, s), 1);
    rt_mutex_free(m);
    cr_assert_eq(rt_string_len(s), 4);
    rt_free(s);
}

RTC_TEST(mutex, rt_free_of_a_held_mutex)
{
    RtValue m = rt_mutex_new(rt_value_int(1));
    cr_assert_eq(ival(rt_mutex_lock(m)), 1);
    rt_free(m);   /* the generic free does not refuse */
    cr_assert_eq(rt_mutex_unlock(m, RT_NIL), 0);
    cr_assert_eq(rt_mutex_id(m), 0);
}

RTC_TEST(mutex, allocation_failures_give_nil)
{
    RTC_EACH_ALLOCATION_FAILS(RtValue, rt_mutex_new(rt_value_int(1)), RT_NIL, rt_mutex_free);
}
