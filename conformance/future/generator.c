/* Conformance: rt_generator_new, rt_generator_next, rt_generator_get_state,
 * rt_generator_set_state, rt_generator_store_slot, rt_generator_load_slot,
 * rt_generator_get_ctx, rt_generator_mark_done (spec/ffi/future.sdn).
 * Upstream's generator_tests.rs cases are marked. */
#include <string.h>

#include <stdatomic.h>

#include "conformance/rtc.h"
#include "runtime/mem.h"

static RtValue simple_yielder(RtValue gen)
{
    switch (rt_generator_get_state(gen)) {
    case 0: rt_generator_set_state(gen, 1); return rt_value_int(10);
    case 1: rt_generator_set_state(gen, 2); return rt_value_int(20);
    case 2: rt_generator_set_state(gen, 3); return rt_value_int(30);
    default: rt_generator_mark_done(gen); return RT_NIL;
    }
}

static RtValue slot_based(RtValue gen)
{
    int64_t state = rt_generator_get_state(gen);
    if (state == 0) {
        rt_generator_store_slot(gen, 0, rt_value_int(0));
        rt_generator_set_state(gen, 1);
        return rt_value_int(0);
    }
    if (state <= 3) {
        int64_t v = rt_value_as_int(rt_generator_load_slot(gen, 0)) + 1;
        rt_generator_store_slot(gen, 0, rt_value_int(v));
        rt_generator_set_state(gen, state + 1);
        return rt_value_int(v);
    }
    rt_generator_mark_done(gen);
    return RT_NIL;
}

static RtValue context_based(RtValue gen)
{
    int64_t state = rt_generator_get_state(gen);
    RtValue ctx = rt_generator_get_ctx(gen);
    if (state < 3 && rt_value_is_int(ctx)) {
        rt_generator_set_state(gen, state + 1);
        return rt_value_int(rt_value_as_int(ctx) + state);
    }
    rt_generator_mark_done(gen);
    return RT_NIL;
}

static _Atomic int calls;
static RtValue counting(RtValue gen)
{
    (void)gen;
    return rt_value_int(atomic_fetch_add(&calls, 1));
}

/* upstream test_generator_new */
/* A deadlock fails the test instead of hanging the gate. */
TestSuite(future_generator, .timeout = 120);

RTC_TEST(future_generator, new_starts_at_state_zero)
{
    RtValue g = rt_generator_new(simple_yielder, 10, RT_NIL);
    cr_assert(rt_value_is_heap(g));
    cr_assert_eq(rt_value_heap_type(g), RT_HEAP_GENERATOR);
    cr_assert_eq(rt_generator_get_state(g), 0);
    for (int i = 0; i < 10; i++)
        cr_assert_eq(rt_generator_load_slot(g, i), RT_NIL, "slots start as NIL");
    cr_assert_eq(rt_generator_load_slot(g, 10), RT_NIL);
    rt_free(g);
}

/* upstream test_generator_simple_yield_sequence */
RTC_TEST(future_generator, yield_sequence)
{
    RtValue g = rt_generator_new(simple_yielder, 0, RT_NIL);
    const int64_t want[] = {10, 20, 30};
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(rt_value_as_int(rt_generator_next(g)), want[i]);
        cr_assert_eq(rt_generator_get_state(g), i + 1);
    }
    cr_assert_eq(rt_generator_next(g), RT_NIL);
    cr_assert_eq(rt_generator_next(g), RT_NIL, "exhausted stays exhausted");
    rt_free(g);
}

/* upstream test_generator_slot_storage */
RTC_TEST(future_generator, slot_storage)
{
    RtValue g = rt_generator_new(slot_based, 10, RT_NIL);
    for (int i = 0; i <= 3; i++)
        cr_assert_eq(rt_value_as_int(rt_generator_next(g)), i);
    cr_assert_eq(rt_value_as_int(rt_generator_load_slot(g, 0)), 3);
    rt_free(g);
}

/* upstream test_generator_context */
RTC_TEST(future_generator, context)
{
    RtValue g = rt_generator_new(context_based, 0, rt_value_int(100));
    cr_assert_eq(rt_value_as_int(rt_generator_get_ctx(g)), 100);
    for (int i = 0; i < 3; i++)
        cr_assert_eq(rt_value_as_int(rt_generator_next(g)), 100 + i);
    cr_assert_eq(rt_generator_next(g), RT_NIL);
    rt_free(g);
}

/* upstream test_generator_state_manipulation */
RTC_TEST(future_generator, state_manipulation)
{
    RtValue g = rt_generator_new(simple_yielder, 0, RT_NIL);
    rt_generator_set_state(g, 5);
    cr_assert_eq(rt_generator_get_state(g), 5);
    rt_generator_set_state(g, -10);
    cr_assert_eq(rt_generator_get_state(g), 0, "negative is clamped to 0");
    rt_generator_set_state(g, INT64_MAX);
    cr_assert_eq(rt_generator_get_state(g), INT64_MAX);
    rt_free(g);
}

/* upstream test_generator_slot_operations */
RTC_TEST(future_generator, slot_operations)
{
    RtValue g = rt_generator_new(simple_yielder, 5, RT_NIL);
    rt_generator_store_slot(g, 0, rt_value_int(10));
    rt_generator_store_slot(g, 1, rt_value_int(20));
    rt_generator_store_slot(g, 2, rt_value_int(30));
    cr_assert_eq(rt_value_as_int(rt_generator_load_slot(g, 0)), 10);
    cr_assert_eq(rt_value_as_int(rt_generator_load_slot(g, 1)), 20);
    cr_assert_eq(rt_value_as_int(rt_generator_load_slot(g, 2)), 30);
    cr_assert_eq(rt_generator_load_slot(g, 4), RT_NIL, "never stored");
    cr_assert_eq(rt_generator_load_slot(g, 100), RT_NIL, "out of bounds");
    rt_free(g);
}

/* upstream test_generator_slot_auto_resize */
RTC_TEST(future_generator, slots_grow_on_store)
{
    RtValue g = rt_generator_new(simple_yielder, 2, RT_NIL);
    rt_generator_store_slot(g, 10, rt_value_int(999));
    cr_assert_eq(rt_value_as_int(rt_generator_load_slot(g, 10)), 999);
    for (int i = 2; i < 10; i++)
        cr_assert_eq(rt_generator_load_slot(g, i), RT_NIL, "the gap is NIL");
    RtValue z = rt_generator_new(simple_yielder, 0, RT_NIL);
    cr_assert_eq(rt_generator_load_slot(z, 0), RT_NIL);
    rt_generator_store_slot(z, 0, RT_TRUE);
    cr_assert_eq(rt_generator_load_slot(z, 0), RT_TRUE, "grows from no slots");
    rt_free(g);
    rt_free(z);
}

/* upstream test_generator_mark_done */
RTC_TEST(future_generator, mark_done)
{
    RtValue g = rt_generator_new(simple_yielder, 0, RT_NIL);
    cr_assert_neq(rt_generator_next(g), RT_NIL);
    rt_generator_mark_done(g);
    int before = atomic_load(&calls);
    cr_assert_eq(rt_generator_next(g), RT_NIL);
    cr_assert_eq(atomic_load(&calls), before);
    rt_free(g);
}

/* upstream test_generator_nil_body_func */
RTC_TEST(future_generator, null_dispatcher)
{
    RtValue g = rt_generator_new(NULL, 0, RT_NIL);
    cr_assert(rt_value_is_heap(g));
    cr_assert_eq(rt_generator_next(g), RT_NIL);
    rt_free(g);
}

/* upstream test_generator_invalid_value, and every other hostile word */
RTC_TEST(future_generator, hostile_values)
{
    RtValue fut = rt_future_resolve(rt_value_int(1));
    RtValue stale = rt_generator_new(counting, 4, RT_NIL);
    rt_free(stale);
    RtValue vals[RTC_NBOGUS + RTC_NIMMEDIATE + 2];
    size_t n = 0;
    for (size_t i = 0; i < RTC_NBOGUS; i++)
        vals[n++] = rtc_bogus[i];
    for (int i = 0; i < RTC_NIMMEDIATE; i++)
        vals[n++] = rtc_immediate(i);
    vals[n++] = fut;
    vals[n++] = stale;
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(rt_generator_get_state(vals[i]), 0);
        cr_assert_eq(rt_generator_load_slot(vals[i], 0), RT_NIL);
        cr_assert_eq(rt_generator_get_ctx(vals[i]), RT_NIL);
        cr_assert_eq(rt_generator_next(vals[i]), RT_NIL);
        rt_generator_set_state(vals[i], 5);
        rt_generator_store_slot(vals[i], 0, rt_value_int(100));
        rt_generator_mark_done(vals[i]);
    }
    cr_assert_eq(atomic_load(&calls), 0, "a stale generator's dispatcher never ran");
    cr_assert_eq(rt_value_as_int(rt_future_get_result(fut)), 1, "a future is not a generator");
    rt_free(fut);
}

/* upstream test_generator_negative_slot_index */
RTC_TEST(future_generator, negative_slot_index)
{
    RtValue g = rt_generator_new(simple_yielder, 10, RT_NIL);
    rt_generator_store_slot(g, -5, rt_value_int(100));
    cr_assert_eq(rt_generator_load_slot(g, -5), RT_NIL);
    cr_assert_eq(rt_generator_load_slot(g, INT64_MIN), RT_NIL);
    rt_free(g);
}

/* upstream test_generator_execution_count */
RTC_TEST(future_generator, each_next_calls_the_dispatcher)
{
    RtValue g = rt_generator_new(counting, 0, RT_NIL);
    for (int i = 0; i < 3; i++)
        cr_assert_eq(rt_value_as_int(rt_generator_next(g)), i);
    cr_assert_eq(atomic_load(&calls), 3);
    rt_free(g);
}

/* upstream value/mod.rs: a dispatcher that yields 1, then 10, then NIL */
static RtValue one_then_ten(RtValue gen)
{
    int64_t s = rt_generator_get_state(gen);
    rt_generator_set_state(gen, s + 1);
    if (s == 0)
        return rt_value_int(1);
    if (s == 1)
        return rt_value_int(10);
    rt_generator_mark_done(gen);
    return RT_NIL;
}

RTC_TEST(future_generator, yields_one_then_ten_then_nil)
{
    RtValue g = rt_generator_new(one_then_ten, 0, RT_NIL);
    cr_assert_eq(rt_value_as_int(rt_generator_next(g)), 1);
    cr_assert_eq(rt_value_as_int(rt_generator_next(g)), 10);
    cr_assert_eq(rt_generator_next(g), RT_NIL);
    rt_free(g);
}

RTC_TEST(future_generator, slot_limits)
{
    cr_assert_eq(rt_generator_new(simple_yielder, RT_GENERATOR_MAX_SLOTS + 1, RT_NIL), RT_NIL);
    cr_assert_eq(rt_generator_new(simple_yielder, INT64_MAX, RT_NIL), RT_NIL);
    RtValue neg = rt_generator_new(simple_yielder, -3, RT_NIL);
    cr_assert(rt_value_is_heap(neg), "negative: no slots");
    cr_assert_eq(rt_generator_load_slot(neg, 0), RT_NIL);
    rt_free(neg);
    RtValue g = rt_generator_new(simple_yielder, RT_GENERATOR_MAX_SLOTS, RT_NIL);
    cr_assert(rt_value_is_heap(g));
    rt_generator_store_slot(g, RT_GENERATOR_MAX_SLOTS - 1, RT_TRUE);
    cr_assert_eq(rt_generator_load_slot(g, RT_GENERATOR_MAX_SLOTS - 1), RT_TRUE);
    rt_free(g);
    RtValue s = rt_generator_new(simple_yielder, 1, RT_NIL);
    rt_generator_store_slot(s, RT_GENERATOR_MAX_SLOTS, RT_TRUE);
    cr_assert_eq(rt_generator_load_slot(s, RT_GENERATOR_MAX_SLOTS), RT_NIL, "refused: no growth");
    rt_generator_store_slot(s, INT64_MAX, RT_TRUE);
    cr_assert_eq(rt_generator_load_slot(s, 1), RT_NIL, "the vector did not grow");
    rt_generator_store_slot(s, RT_GENERATOR_MAX_SLOTS - 1, RT_FALSE);
    cr_assert_eq(rt_generator_load_slot(s, RT_GENERATOR_MAX_SLOTS - 1), RT_FALSE);
    rt_free(s);
}

RTC_TEST(future_generator, layout_matches_upstream)
{
    RtValue g = rt_generator_new(simple_yielder, 1, rt_value_int(77));
    const uint8_t *p = (const uint8_t *)(uintptr_t)(g & ~RT_TAG_MASK);
    rt_generator_set_state(g, 4);
    uint64_t w;
    memcpy(&w, p + 8, 8);
    cr_assert_eq(w, 4, "state@8");
    memcpy(&w, p + 24, 8);
    cr_assert_eq(w, rt_value_int(77), "ctx@24");
    memcpy(&w, p + 32, 8);
    cr_assert_eq(w, (uint64_t)(uintptr_t)simple_yielder, "body@32");
    cr_assert_eq(p[40], 0, "done@40");
    rt_generator_mark_done(g);
    cr_assert_eq(p[40], 1);
    rt_free(g);
}

RTC_TEST(future_generator, out_of_memory)
{
    rtx_mem_fail_at(1, 0);
    cr_assert_eq(rt_generator_new(simple_yielder, 4, RT_NIL), RT_NIL, "the object");
    rtx_mem_fail_at(2, 0);
    cr_assert_eq(rt_generator_new(simple_yielder, 4, RT_NIL), RT_NIL, "its slots");
    rtx_mem_fail_at(0, 0);
    RtValue g = rt_generator_new(simple_yielder, 0, RT_NIL);
    rtx_mem_fail_at(1, 0);
    rt_generator_store_slot(g, 3, RT_TRUE);   /* growth fails: nothing stored */
    rtx_mem_fail_at(0, 0);
    cr_assert_eq(rt_generator_load_slot(g, 3), RT_NIL);
    rt_generator_store_slot(g, 3, RT_TRUE);
    cr_assert_eq(rt_generator_load_slot(g, 3), RT_TRUE);
    rt_free(g);
}
