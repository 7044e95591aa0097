/* Conformance: rt_thread_join, rt_thread_is_done, rt_thread_free
 * (spec/ffi/thread.sdn). */
#include <sched.h>

#include "conformance/rtc.h"
#include "conformance/conc.h"
#include "runtime/handle.h"

static rtc_gate gate = RTC_GATE_INIT;

static RtValue gated(RtValue v)
{
    rtc_gate_wait(&gate);
    return v;
}

/* upstream test_isolated_thread_is_done, with a gate instead of a 50 ms sleep */
/* A deadlock fails the test instead of hanging the gate. */
TestSuite(thread_join, .timeout = 120);

RTC_TEST(thread_join, is_done_while_running_then_after_join)
{
    uint64_t h = rt_thread_spawn_isolated(gated, rt_value_int(1));
    cr_assert_neq(h, 0, "spawn refused (out of memory?): nothing would reach the gate");
    rtc_gate_await_waiters(&gate, 1);
    cr_assert_eq(rt_thread_is_done(h), 0, "blocked on the gate: still running");
    rtc_gate_open(&gate);
    RtValue r = rt_thread_join(h);
    cr_assert(rt_value_is_int(r));
    cr_assert_eq(rt_thread_is_done(h), 1);
    rt_thread_free(h);
}

static RtValue quick(RtValue v) { return v; }

RTC_TEST(thread_join, is_done_becomes_one_without_join)
{
    uint64_t h = rt_thread_spawn_isolated(quick, rt_value_int(3));
    while (rt_thread_is_done(h) == 0)
        sched_yield();
    cr_assert_eq(rt_value_as_int(rt_thread_join(h)), 3, "finished, the result is kept for join");
    rt_thread_free(h);
}

RTC_TEST(thread_join, second_join_gives_nil)
{
    uint64_t h = rt_thread_spawn_isolated(quick, rt_value_int(7));
    cr_assert_eq(rt_value_as_int(rt_thread_join(h)), 7);
    cr_assert_eq(rt_thread_join(h), RT_NIL);
    cr_assert_eq(rt_thread_join(h), RT_NIL);
    cr_assert_eq(rt_thread_is_done(h), 1);
    rt_thread_free(h);
}

RTC_TEST(thread_join, freed_handle_is_answered_not_dereferenced)
{
    uint64_t h = rt_thread_spawn_isolated(quick, rt_value_int(7));
    rt_thread_join(h);
    rt_thread_free(h);
    cr_assert_eq(rt_thread_join(h), RT_NIL);
    cr_assert_eq(rt_thread_is_done(h), 1);
    cr_assert_eq(rt_thread_id(h), 0);
    rt_thread_free(h);   /* a second free: no-op */
    uint64_t h2 = rt_thread_spawn_isolated(quick, rt_value_int(8));
    cr_assert_neq(h2, h, "a reused slot gets a new generation");
    cr_assert_eq(rt_thread_join(h), RT_NIL, "the stale handle does not reach the new thread");
    cr_assert_eq(rt_value_as_int(rt_thread_join(h2)), 8);
    rt_thread_free(h2);
}

RTC_TEST(thread_join, invented_and_foreign_handles)
{
    uint64_t live = rt_thread_spawn_isolated(quick, rt_value_int(1));
    const uint64_t bad[] = {
        0, 1, 0x10001, UINT64_MAX, UINT64_C(0xDEADBEEF),
        live + 1,                                     /* right kind, next slot */
        live ^ (UINT64_C(1) << 24),                   /* wrong generation */
        (live & ~(UINT64_C(0xFF) << 48)) | ((uint64_t)RTX_HK_FILE << 48),   /* other kind */
        live | (UINT64_C(1) << 63),
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_eq(rt_thread_join(bad[i]), RT_NIL, "handle %#" PRIx64, bad[i]);
        cr_assert_eq(rt_thread_is_done(bad[i]), 1);
        cr_assert_eq(rt_thread_id(bad[i]), 0);
        rt_thread_free(bad[i]);
    }
    cr_assert_eq(rt_value_as_int(rt_thread_join(live)), 1, "the live one was not disturbed");
    rt_thread_free(live);
}

static _Atomic int detached_finished;

static RtValue gated_then_flag(RtValue v)
{
    rtc_gate_wait(&gate);
    atomic_store(&detached_finished, 1);
    return v;
}

RTC_TEST(thread_join, free_detaches_an_unjoined_thread)
{
    uint64_t h = rt_thread_spawn_isolated(gated_then_flag, rt_value_int(1));
    cr_assert_neq(h, 0, "spawn refused (out of memory?): nothing would reach the gate");
    rtc_gate_await_waiters(&gate, 1);
    rt_thread_free(h);
    cr_assert_eq(rt_thread_join(h), RT_NIL, "the handle is gone");
    cr_assert_eq(rt_thread_is_done(h), 1);
    rtc_gate_open(&gate);
    while (!atomic_load(&detached_finished))   /* it still runs to completion */
        sched_yield();
}

static _Atomic uint64_t self_handle;

static RtValue join_self(RtValue v)
{
    (void)v;
    while (atomic_load(&self_handle) == 0)
        sched_yield();
    return rt_thread_join(atomic_load(&self_handle));   /* would deadlock */
}

RTC_TEST(thread_join, self_join_gives_nil)
{
    uint64_t h = rt_thread_spawn_isolated(join_self, RT_NIL);
    atomic_store(&self_handle, h);
    cr_assert_eq(rt_thread_join(h), RT_NIL, "the thread's own join answered NIL");
    rt_thread_free(h);
}

typedef struct join_arg {
    uint64_t h;
    RtValue got;
} join_arg;

static void *joiner(void *p)
{
    join_arg *a = p;
    a->got = rt_thread_join(a->h);
    return NULL;
}

RTC_TEST(thread_join, concurrent_joins_one_winner)
{
    long rounds = rtc_size(500, 100, 10);
    for (long r = 0; r < rounds; r++) {
        uint64_t h = rt_thread_spawn_isolated(quick, rt_value_int(r));
        join_arg a[3] = {{h, 0}, {h, 0}, {h, 0}};
        pthread_t t[3];
        for (int i = 0; i < 3; i++)
            pthread_create(&t[i], NULL, joiner, &a[i]);
        for (int i = 0; i < 3; i++)
            pthread_join(t[i], NULL);
        int winners = 0;
        for (int i = 0; i < 3; i++) {
            if (a[i].got == rt_value_int(r))
                winners++;
            else
                cr_assert_eq(a[i].got, RT_NIL);
        }
        cr_assert_eq(winners, 1, "exactly one join gets the result");
        rt_thread_free(h);
    }
}

RTC_TEST(thread_join, join_racing_free_is_safe)
{
    long rounds = rtc_size(500, 100, 10);
    for (long r = 0; r < rounds; r++) {
        uint64_t h = rt_thread_spawn_isolated(quick, rt_value_int(r));
        join_arg a = {h, 0};
        pthread_t t;
        pthread_create(&t, NULL, joiner, &a);
        rt_thread_free(h);
        pthread_join(t, NULL);
        cr_assert(a.got == RT_NIL || a.got == rt_value_int(r));
        cr_assert_eq(rt_thread_join(h), RT_NIL);
    }
}
