/* Conformance: rt_atomic_new, rt_atomic_load, rt_atomic_store, rt_atomic_swap,
 * rt_atomic_compare_exchange, rt_atomic_fetch_add, rt_atomic_fetch_sub,
 * rt_atomic_fetch_and, rt_atomic_fetch_or, rt_atomic_free
 * (spec/ffi/atomic.sdn, heap atomics), including upstream's sync.rs
 * test_atomic_basic. */
#include "conformance/rtc_threads.h"

RTC_TEST(atomic_heap, upstream_sequence)
{
    RtValue a = rt_atomic_new(42);
    cr_assert(rt_value_is_heap(a));
    cr_assert_eq(rt_value_heap_type(a), RT_HEAP_ATOMIC);
    cr_assert_eq(rt_atomic_load(a), 42);
    rt_atomic_store(a, 100);
    cr_assert_eq(rt_atomic_load(a), 100);
    cr_assert_eq(rt_atomic_swap(a, 200), 100);
    cr_assert_eq(rt_atomic_load(a), 200);
    int64_t old = 0;
    cr_assert_eq(rt_atomic_compare_exchange(a, 200, 300, &old), 1);
    cr_assert_eq(old, 200);
    cr_assert_eq(rt_atomic_load(a), 300);
    cr_assert_eq(rt_atomic_compare_exchange(a, 999, 400, &old), 0);
    cr_assert_eq(old, 300, "failure reports the current value");
    cr_assert_eq(rt_atomic_load(a), 300, "unchanged");
    cr_assert_eq(rt_atomic_fetch_add(a, 50), 300);
    cr_assert_eq(rt_atomic_load(a), 350);
    cr_assert_eq(rt_atomic_fetch_sub(a, 50), 350);
    cr_assert_eq(rt_atomic_load(a), 300);
    cr_assert_eq(rt_atomic_fetch_and(a, 0xFF), 300);
    cr_assert_eq(rt_atomic_load(a), 300 & 0xFF);
    rt_atomic_store(a, 0x0F);
    cr_assert_eq(rt_atomic_fetch_or(a, 0xF0), 0x0F);
    cr_assert_eq(rt_atomic_load(a), 0xFF);
    rt_atomic_free(a);
    cr_assert_eq(rt_atomic_load(a), 0, "freed");
}

RTC_TEST(atomic_heap, full_64_bit_range_and_wrapping)
{
    RtValue a = rt_atomic_new(INT64_MAX);
    cr_assert_eq(rt_atomic_load(a), INT64_MAX, "not truncated to 61 bits");
    cr_assert_eq(rt_atomic_fetch_add(a, 1), INT64_MAX);
    cr_assert_eq(rt_atomic_load(a), INT64_MIN, "add wraps");
    cr_assert_eq(rt_atomic_fetch_sub(a, 1), INT64_MIN);
    cr_assert_eq(rt_atomic_load(a), INT64_MAX, "sub wraps");
    cr_assert_eq(rt_atomic_fetch_and(a, 0), INT64_MAX);
    cr_assert_eq(rt_atomic_fetch_or(a, -1), 0);
    cr_assert_eq(rt_atomic_load(a), -1);
    rt_atomic_free(a);
}

RTC_TEST(atomic_heap, compare_exchange_with_null_out)
{
    RtValue a = rt_atomic_new(1);
    cr_assert_eq(rt_atomic_compare_exchange(a, 1, 2, NULL), 1);
    cr_assert_eq(rt_atomic_compare_exchange(a, 1, 3, NULL), 0);
    cr_assert_eq(rt_atomic_load(a), 2);
    rt_atomic_free(a);
}

RTC_TEST(atomic_heap, hostile_values)
{
    RtValue str = rt_string_new((const uint8_t *)"a", 1);
    RtValue mx = rt_mutex_new(rt_value_int(1));
    RtValue dead = rt_atomic_new(5);
    rt_atomic_free(dead);
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
        int64_t old = 12345;
        cr_assert_eq(rt_atomic_load(bad[i]), 0, "value %zu", i);
        rt_atomic_store(bad[i], 9);
        cr_assert_eq(rt_atomic_swap(bad[i], 9), 0);
        cr_assert_eq(rt_atomic_compare_exchange(bad[i], 0, 9, &old), 0);
        cr_assert_eq(old, 12345, "out_old untouched");
        cr_assert_eq(rt_atomic_fetch_add(bad[i], 9), 0);
        cr_assert_eq(rt_atomic_fetch_sub(bad[i], 9), 0);
        cr_assert_eq(rt_atomic_fetch_and(bad[i], 9), 0);
        cr_assert_eq(rt_atomic_fetch_or(bad[i], 9), 0);
        rt_atomic_free(bad[i]);
    }
    cr_assert_eq(rt_string_len(str), 1);
    cr_assert_eq(rt_mutex_id(mx) > 0, 1, "the mutex was not freed");
    rt_free(str);
    rt_mutex_free(mx);
}

RTC_TEST(atomic_heap, rt_free_works_and_double_free_is_a_no_op)
{
    RtValue a = rt_atomic_new(3);
    rt_free(a);
    cr_assert_eq(rt_atomic_load(a), 0);
    rt_atomic_free(a);
    rt_free(a);
}

/* ---- concurrent read-modify-writes are never lost ---- */

typedef struct add_arg {
    RtValue a;
    long rounds;
} add_arg;

static void *adder(void *p)
{
    add_arg *x = p;
    for (long i = 0; i < x->rounds; i++) {
        switch (i % 3) {
        case 0: rt_atomic_fetch_add(x->a, 2); break;
        case 1: rt_atomic_fetch_sub(x->a, -2); break;
        default: {
            int64_t cur = rt_atomic_load(x->a), seen;
            while (!rt_atomic_compare_exchange(x->a, cur, cur + 2, &seen))
                cur = seen;
        }
        }
    }
    return NULL;
}

RTC_TEST(atomic_heap, concurrent_adds, .timeout = RTC_SLOW_TIMEOUT)
{
    enum { N = 8 };
    add_arg args[N];
    RtValue a = rt_atomic_new(0);
    cr_assert(rt_value_is_heap(a), "rt_atomic_new failed");
    long rounds = rtc_scale(3000, 50);
    for (int i = 0; i < N; i++)
        args[i] = (add_arg){.a = a, .rounds = rounds};
    rtc_team team;
    rtc_team_start(&team, N, adder, args, sizeof args[0]);
    rtc_team_join(&team);
    cr_assert_eq(rt_atomic_load(a), 2 * N * rounds);
    rt_atomic_free(a);
}

/* ---- release/acquire: a stored flag publishes plain data ---- */

typedef struct pub_arg {
    RtValue flag;
    long payload;   /* plain memory, published by the release store */
    long seen;
} pub_arg;

static void *consumer(void *p)
{
    pub_arg *x = p;
    while (rt_atomic_load(x->flag) == 0)
        sched_yield();
    x->seen = x->payload;   /* TSan reports a race if the ordering were missing */
    return NULL;
}

RTC_TEST(atomic_heap, store_publishes_with_release)
{
    pub_arg x = {.flag = rt_atomic_new(0)};
    cr_assert(rt_value_is_heap(x.flag), "rt_atomic_new failed: the consumer would wait for ever");
    rtc_team team;
    rtc_team_start(&team, 1, consumer, &x, 0);
    x.payload = 4242;
    rt_atomic_store(x.flag, 1);
    rtc_team_join(&team);
    cr_assert_eq(x.seen, 4242);
    rt_atomic_free(x.flag);
}

/* ---- freeing while other threads use the atomic ---- */

typedef struct user_arg {
    RtValue a;
    _Atomic int *go;
    long after_free_nonzero;
    _Atomic int *freed;
} user_arg;

static void *user(void *p)
{
    user_arg *u = p;
    atomic_fetch_add(u->go, 1);
    for (;;) {
        int was_freed = atomic_load(u->freed);
        int64_t v = rt_atomic_fetch_add(u->a, 1);
        (void)rt_atomic_load(u->a);
        if (was_freed) {
            if (v != 0)
                u->after_free_nonzero++;
            break;
        }
    }
    return NULL;
}

RTC_TEST(atomic_heap, free_while_in_use_is_safe, .timeout = RTC_SLOW_TIMEOUT)
{
    enum { N = 4 };
    long rounds = rtc_scale(10, 50);
    for (long r = 0; r < rounds; r++) {
        _Atomic int go = 0, freed = 0;
        user_arg u[N];
        RtValue a = rt_atomic_new(1);
        for (int i = 0; i < N; i++)
            u[i] = (user_arg){.a = a, .go = &go, .freed = &freed};
        rtc_team team;
        rtc_team_start(&team, N, user, u, sizeof u[0]);
        while (atomic_load(&go) < N)
            sched_yield();
        rt_atomic_free(a);   /* waits for calls already inside; later ones get 0 */
        atomic_store(&freed, 1);
        rtc_team_join(&team);
        for (int i = 0; i < N; i++)
            cr_assert_eq(u[i].after_free_nonzero, 0, "round %ld thread %d", r, i);
    }
}

RTC_TEST(atomic_heap, allocation_failures_give_nil)
{
    RTC_EACH_ALLOCATION_FAILS(RtValue, rt_atomic_new(5), RT_NIL, rt_atomic_free);
}
