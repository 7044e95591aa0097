/* Conformance: rt_rwlock_new, rt_rwlock_read, rt_rwlock_try_read,
 * rt_rwlock_write, rt_rwlock_try_write, rt_rwlock_set, rt_rwlock_unlock_read,
 * rt_rwlock_unlock_write, rt_rwlock_free (spec/ffi/rwlock.sdn), including
 * upstream's sync.rs test_rwlock_basic and the low heap-tagged words.
 *
 * No rwlock call leaves the lock held, so the busy paths are driven with
 * the testing-build hook rtx_rwlock_test_hold (sync_core.h), which holds the
 * lock the way a concurrent reader or rt_rwlock_set would. */
#include "conformance/rtc_threads.h"
#include "conformance/rtc_sync.h"
#include "runtime/sync_core.h"

static void await_users(RtValue v, int64_t n) { rtc_await_users(v, RT_HEAP_RWLOCK, n); }

RTC_TEST(rwlock, upstream_basic)
{
    RtValue rw = rt_rwlock_new(rt_value_int(42));
    cr_assert(rt_value_is_heap(rw));
    cr_assert_eq(rt_value_heap_type(rw), RT_HEAP_RWLOCK);
    cr_assert_eq(rt_rwlock_read(rw), rt_value_int(42));
    cr_assert_eq(rt_rwlock_set(rw, rt_value_int(100)), 1);
    cr_assert_eq(rt_rwlock_read(rw), rt_value_int(100));
    rt_rwlock_free(rw);
}

RTC_TEST(rwlock, every_form_copies_the_value_and_releases)
{
    RtValue rw = rt_rwlock_new(RT_TRUE);
    cr_assert_eq(rt_rwlock_read(rw), RT_TRUE);
    cr_assert_eq(rt_rwlock_write(rw), RT_TRUE);
    cr_assert_eq(rt_rwlock_try_read(rw), RT_TRUE, "nothing was left held");
    cr_assert_eq(rt_rwlock_try_write(rw), RT_TRUE);
    cr_assert_eq(rt_rwlock_try_write(rw), RT_TRUE, "try_write released too");
    cr_assert_eq(rt_rwlock_set(rw, RT_NIL), 1);
    cr_assert_eq(rt_rwlock_read(rw), RT_NIL);
    rt_rwlock_free(rw);
}

RTC_TEST(rwlock, unlock_functions_are_no_ops)
{
    RtValue rw = rt_rwlock_new(rt_value_int(9));
    rt_rwlock_unlock_read(rw);
    rt_rwlock_unlock_write(rw);
    rt_rwlock_unlock_read(rw);   /* unbalanced: still nothing happens */
    cr_assert_eq(rt_rwlock_try_write(rw), rt_value_int(9), "the lock was not disturbed");
    cr_assert_eq(rt_rwlock_read(rw), rt_value_int(9));
    for (size_t i = 0; i < RTC_NBOGUS; i++) {
        rt_rwlock_unlock_read(rtc_bogus[i]);
        rt_rwlock_unlock_write(rtc_bogus[i]);
    }
    rt_rwlock_free(rw);
}

RTC_TEST(rwlock, try_forms_fail_while_a_writer_is_inside)
{
    RtValue rw = rt_rwlock_new(rt_value_int(1));
    cr_assert_eq(rtx_rwlock_test_hold(rw, 1), 0);
    cr_assert_eq(rt_rwlock_try_read(rw), RT_NIL);
    cr_assert_eq(rt_rwlock_try_write(rw), RT_NIL);
    cr_assert_eq(rtx_rwlock_test_release(rw), 0);
    cr_assert_eq(rt_rwlock_try_read(rw), rt_value_int(1));
    rt_rwlock_free(rw);
}

RTC_TEST(rwlock, readers_share_writers_do_not)
{
    RtValue rw = rt_rwlock_new(rt_value_int(2));
    cr_assert_eq(rtx_rwlock_test_hold(rw, 0), 0);   /* a reader inside */
    cr_assert_eq(rt_rwlock_try_read(rw), rt_value_int(2), "readers share the lock");
    cr_assert_eq(rt_rwlock_try_write(rw), RT_NIL, "a writer must wait for the reader");
    cr_assert_eq(rtx_rwlock_test_release(rw), 0);
    cr_assert_eq(rt_rwlock_try_write(rw), rt_value_int(2));
    rt_rwlock_free(rw);
}

/* ---- blocking forms wait for the writer, then see its value ---- */

typedef struct blocked_arg {
    RtValue rw;
    int op;   /* 0 read, 1 write, 2 set */
    RtValue got;
    int64_t set_rc;
    _Atomic int done;
} blocked_arg;

static void *blocked(void *p)
{
    blocked_arg *b = p;
    if (b->op == 0)
        b->got = rt_rwlock_read(b->rw);
    else if (b->op == 1)
        b->got = rt_rwlock_write(b->rw);
    else
        b->set_rc = rt_rwlock_set(b->rw, rt_value_int(77));
    atomic_store(&b->done, 1);
    return NULL;
}

RTC_TEST(rwlock, blocking_forms_wait_for_a_writer)
{
    for (int op = 0; op < 3; op++) {
        blocked_arg b = {.rw = rt_rwlock_new(rt_value_int(5)), .op = op};
        cr_assert_eq(rtx_rwlock_test_hold(b.rw, 1), 0);
        rtc_team team;
        rtc_team_start(&team, 1, blocked, &b, 0);
        await_users(b.rw, 1);
        rtc_sleep_ms(10);
        cr_assert_eq(atomic_load(&b.done), 0, "op %d went past a held write lock", op);
        rt_rwlock_free(b.rw);
        cr_assert_eq(rtx_sync_test_users(b.rw, RT_HEAP_RWLOCK), 1,
                     "free refused while a thread is inside: still live");
        cr_assert_eq(rtx_rwlock_test_release(b.rw), 0, "free was refused: the lock still exists");
        rtc_team_join(&team);
        if (op < 2)
            cr_assert_eq(b.got, rt_value_int(5), "op %d", op);
        else
            cr_assert_eq(b.set_rc, 1);
        cr_assert_eq(rt_rwlock_read(b.rw), rt_value_int(op < 2 ? 5 : 77));
        rt_rwlock_free(b.rw);
        cr_assert_eq(rt_rwlock_read(b.rw), RT_NIL, "freed once nobody is inside");
    }
}

/* ---- readers never see a torn or out-of-order value ---- */

typedef struct rw_arg {
    RtValue rw;
    long rounds;
    int writer;
    long bad;
} rw_arg;

static void *rw_worker(void *p)
{
    rw_arg *a = p;
    int64_t last = 0;
    for (long i = 0; i < a->rounds; i++) {
        if (a->writer) {
            /* write copies the current value; the writer alone bumps it. */
            int64_t cur = rt_value_as_int(rt_rwlock_write(a->rw));
            if (rt_rwlock_set(a->rw, rt_value_int(cur + 1)) != 1)
                a->bad++;
        } else {
            RtValue v = (i & 1) ? rt_rwlock_read(a->rw) : rt_rwlock_try_read(a->rw);
            if (v == RT_NIL)
                continue;   /* try_read while the writer was inside */
            int64_t x = rt_value_as_int(v);
            if (!rt_value_is_int(v) || x < last)
                a->bad++;   /* values only grow: a smaller one is stale or torn */
            last = x;
        }
    }
    return NULL;
}

RTC_TEST(rwlock, one_writer_many_readers, .timeout = RTC_SLOW_TIMEOUT)
{
    enum { N = 6 };
    rw_arg args[N];
    RtValue rw = rt_rwlock_new(rt_value_int(0));
    long rounds = rtc_scale(3000, 30);
    for (int i = 0; i < N; i++)
        args[i] = (rw_arg){.rw = rw, .rounds = rounds, .writer = i == 0};
    rtc_team team;
    rtc_team_start(&team, N, rw_worker, args, sizeof args[0]);
    rtc_team_join(&team);
    for (int i = 0; i < N; i++)
        cr_assert_eq(args[i].bad, 0, "thread %d", i);
    cr_assert_eq(rt_rwlock_read(rw), rt_value_int(rounds), "every set landed");
    rt_rwlock_free(rw);
}

/* ---- hostile input ---- */

RTC_TEST(rwlock, hostile_values)
{
    RtValue str = rt_string_new((const uint8_t *)"r", 1);
    RtValue mx = rt_mutex_new(rt_value_int(3));
    RtValue dead = rt_rwlock_new(RT_NIL);
    rt_rwlock_free(dead);
    RtValue bad[RTC_NBOGUS + RTC_NIMMEDIATE + 4];
    size_t n = 0;
    for (size_t i = 0; i < RTC_NBOGUS; i++)
        bad[n++] = rtc_bogus[i];
    for (int i = 0; i < RTC_NIMMEDIATE; i++)
        bad[n++] = rtc_immediate(i);
    bad[n++] = str;
    bad[n++] = mx;
    bad[n++] = dead;
    bad[n++] = rtc_freed_value();
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(rt_rwlock_read(bad[i]), RT_NIL, "value %zu", i);
        cr_assert_eq(rt_rwlock_try_read(bad[i]), RT_NIL);
        cr_assert_eq(rt_rwlock_write(bad[i]), RT_NIL);
        cr_assert_eq(rt_rwlock_try_write(bad[i]), RT_NIL);
        cr_assert_eq(rt_rwlock_set(bad[i], rt_value_int(1)), 0);
        rt_rwlock_unlock_read(bad[i]);
        rt_rwlock_unlock_write(bad[i]);
        rt_rwlock_free(bad[i]);
    }
    cr_assert_eq(rt_string_len(str), 1);
    cr_assert_eq(rt_mutex_lock(mx), rt_value_int(3), "the mutex was not touched");
    cr_assert_eq(rt_mutex_unlock(mx, RT_NIL), 1);
    rt_free(str);
    rt_mutex_free(mx);
}

RTC_TEST(rwlock, rt_free_and_protected_value)
{
    RtValue s = rt_string_new((const uint8_t *)"v", 1);
    RtValue rw = rt_rwlock_new(s);
    cr_assert_eq(rt_rwlock_read(rw), s);
    rt_free(rw);   /* the generic free works too; the value is not freed */
    cr_assert_eq(rt_rwlock_read(rw), RT_NIL);
    cr_assert_eq(rt_string_len(s), 1);
    rt_free(s);
}

RTC_TEST(rwlock, allocation_failures_give_nil)
{
    RTC_EACH_ALLOCATION_FAILS(RtValue, rt_rwlock_new(rt_value_int(1)), RT_NIL, rt_rwlock_free);
}
