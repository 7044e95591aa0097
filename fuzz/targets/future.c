/*
 * fuzz/targets/future.c — operation sequences over the future family
 * (spec/ffi/future.sdn): futures with harness bodies, awaited, raced and
 * collected, their state helpers, and generators with harness dispatchers,
 * on live, freed, wrongly typed and invented values. Executor mode changes
 * are mixed in, so awaits run in Threaded and Manual mode.
 *
 * Oracles: an awaited future is ready and get_result agrees with the await;
 * a second await gives the same value; a stored generator slot loads back.
 */
#include "fuzz/rtz.h"
#include "rtz_future.h"

static void op_await_twice(rtz *z)
{
    RtValue f = rtz_rv_of(z, RT_HEAP_FUTURE);
    RtValue a = rt_future_await(f);
    if (rt_value_heap_type(f) == RT_HEAP_FUTURE && rt_future_is_ready(f)) {
        RTZ_CHECK(rt_future_get_result(f) == a);
        RTZ_CHECK(rt_future_await(f) == a);
    }
}

/* An array of pooled futures (and a stray value) for all and race. */
static void op_all_race(rtz *z)
{
    RtValue arr = rt_array_new(0);
    int n = rtz_u8(z) % 5;
    for (int i = 0; i < n; i++)
        rt_array_push(arr, rtz_u8(z) % 4 ? rtz_rv_of(z, RT_HEAP_FUTURE) : rtz_rv(z));
    RtValue all = rt_future_all(arr);
    RTZ_CHECK(all != RT_NIL || arr == RT_NIL);
    RTZ_CHECK(rt_array_len(all) == rt_array_len(arr));
    for (int64_t i = 0; i < rt_array_len(arr); i++) {
        RtValue f = rt_array_get(arr, i);
        if (rt_value_heap_type(f) == RT_HEAP_FUTURE && rt_future_is_ready(f))
            RTZ_CHECK(rt_array_get(all, i) == rt_future_get_result(f));
    }
    (void)rt_future_race(arr);
    rt_free(all);
    rt_free(arr);
}

static void op_slot_round_trip(rtz *z)
{
    RtValue g = rtz_rv_of(z, RT_HEAP_GENERATOR);
    int64_t idx = rtz_index(z);
    RtValue v = rt_value_int(rtz_u8(z));
    rt_generator_store_slot(g, idx, v);
    if (rt_value_heap_type(g) == RT_HEAP_GENERATOR && idx >= 0 && idx < RT_GENERATOR_MAX_SLOTS)
        RTZ_CHECK(rt_generator_load_slot(g, idx) == v);
}

static void op_mode(rtz *z) { (void)rt_executor_set_mode(rtz_u8(z) & 1); }

static void op_free(rtz *z) { rt_free(rtz_rv(z)); }   /* stale values for later ops */

static const rtz_op ops[] = {
    RTZ_OP(rt_future_new), RTZ_OP(rt_future_new), RTZ_OP(rt_future_await),
    RTZ_OP(rt_future_is_ready), RTZ_OP(rt_future_get_result), RTZ_OP(rt_future_all),
    RTZ_OP(rt_future_race), RTZ_OP(rt_future_resolve), RTZ_OP(rt_future_reject),
    RTZ_OP(rt_async_get_state), RTZ_OP(rt_async_set_state), RTZ_OP(rt_async_get_ctx),
    RTZ_OP(rt_async_mark_done), RTZ_OP(rt_generator_new), RTZ_OP(rt_generator_new),
    RTZ_OP(rt_generator_next), RTZ_OP(rt_generator_get_state), RTZ_OP(rt_generator_set_state),
    RTZ_OP(rt_generator_store_slot), RTZ_OP(rt_generator_load_slot),
    RTZ_OP(rt_generator_get_ctx), RTZ_OP(rt_generator_mark_done), {"free", op_free},
    {"await_twice", op_await_twice}, {"all_race", op_all_race},
    {"slot_round_trip", op_slot_round_trip}, {"mode", op_mode},
};

/* Pooled values stay well formed. */
static void check(rtz *z)
{
    for (size_t i = 0; i < z->nvals; i++) {
        RtValue v = z->vals[i];
        int64_t r = rt_future_is_ready(v);
        RTZ_CHECK(r == 0 || r == 1);
        RTZ_CHECK(rt_async_get_state(v) >= 0 && rt_generator_get_state(v) >= 0);
    }
}

RTZ_SEQUENCE_TARGET(ops, check)
