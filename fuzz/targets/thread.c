/*
 * fuzz/targets/thread.c — operation sequences over the thread family
 * (spec/ffi/thread.sdn): spawns, joins, frees and queries on live, joined,
 * freed, foreign and invented handles.
 *
 * Spawns pass immediates only: a heap value that a later operation frees
 * while the thread still reads it would be a use-after-free in the harness,
 * not in simplert (the family passes data through untouched).
 * Oracles: a join returns what the thread computed, once; a handle that was
 * joined reports done; ids of live handles are positive.
 */
#include "fuzz/rtz.h"
#include "rtz_thread.h"

static RtValue twice(RtValue v)
{
    return rt_value_int((rt_value_as_int(v) & 0xFFFFF) * 2);
}
static RtValue sum2(RtValue a, RtValue b)
{
    return rt_value_int((rt_value_as_int(a) & 0xFFFFF) + (rt_value_as_int(b) & 0xFFFFF));
}
static RtValue sleepy(RtValue v)
{
    rt_thread_sleep(rt_value_as_int(v) & 1);
    return v;
}

static RtValue small_int(rtz *z) { return rt_value_int(rtz_u8(z)); }

static void op_spawn(rtz *z)
{
    RtValue d = small_int(z);
    uint8_t c = rtz_u8(z) % 4;
    RtFn1 fn = c == 0 ? NULL : c == 1 ? sleepy : twice;
    uint64_t h = rt_thread_spawn_isolated(fn, d);
    RTZ_CHECK(fn != NULL || h == 0);
    if (h) {
        RTZ_CHECK(rt_thread_id(h) > 0);
        rtz_adopt_handle(z, RTZ_HK_THREAD, h);
    }
}

static void op_spawn2(rtz *z)
{
    RtValue a = small_int(z), b = small_int(z);
    RtFn2 fn = rtz_u8(z) % 3 ? sum2 : NULL;
    uint64_t h = rtz_u8(z) & 1 ? rt_thread_spawn_isolated2(fn, a, b)
                               : rt_thread_spawn_isolated_with_args(fn, a, b);
    RTZ_CHECK(fn != NULL || h == 0);
    if (h) {
        RtValue r = rt_thread_join(h);
        RTZ_CHECK(r == sum2(a, b));
        RTZ_CHECK(rt_thread_join(h) == RT_NIL);
        RTZ_CHECK(rt_thread_is_done(h) == 1);
        rtz_adopt_handle(z, RTZ_HK_THREAD, h);
    }
}

static void op_join_and_free(rtz *z)
{
    uint64_t h = rtz_handle(z, RTZ_HK_THREAD);
    (void)rt_thread_join(h);
    RTZ_CHECK(rt_thread_is_done(h) == 1);
    RTZ_CHECK(rt_thread_join(h) == RT_NIL);
    rt_thread_free(h);
    RTZ_CHECK(rt_thread_id(h) == 0);
    rtz_drop_handle(z, RTZ_HK_THREAD, h);
}

static void op_free(rtz *z)
{
    uint64_t h = rtz_handle(z, RTZ_HK_THREAD);
    /* Free an unjoined thread (the detach path) once it has finished: a
     * thread still starting when the input ends holds memory that this
     * libFuzzer's leak check cannot see (freeing a running thread is in
     * conformance/thread/join.c). */
    while (rt_thread_is_done(h) == 0)
        rt_thread_yield();
    rt_thread_free(h);
    RTZ_CHECK(rt_thread_join(h) == RT_NIL);
    rtz_drop_handle(z, RTZ_HK_THREAD, h);
}

/* Mostly non-positive (returns at once): sleeping dominates exec speed. */
static void op_sleep(rtz *z)
{
    uint8_t c = rtz_u8(z);
    rt_thread_sleep(c % 16 == 0 ? 1 : -(int64_t)(c % 3));
}

static void release(uint64_t h)
{
    (void)rt_thread_join(h);   /* bounded: no thread outlives its input */
    rt_thread_free(h);
}

static const rtz_op ops[] = {
    RTZ_OP(rt_thread_join), RTZ_OP(rt_thread_is_done), RTZ_OP(rt_thread_id),
    RTZ_OP(rt_thread_available_parallelism), RTZ_OP(rt_thread_yield), {"sleep", op_sleep},
    {"spawn", op_spawn}, {"spawn", op_spawn}, {"spawn2", op_spawn2},
    {"join_and_free", op_join_and_free}, {"free", op_free},
};

__attribute__((constructor)) static void init(void) { rtz_set_release(RTZ_HK_THREAD, release); }

static void check(rtz *z)
{
    for (size_t i = 0; i < z->nhandles[RTZ_HK_THREAD]; i++)
        RTZ_CHECK(rt_thread_id(z->handles[RTZ_HK_THREAD][i]) > 0);
    RTZ_CHECK(rt_thread_available_parallelism() >= 1);
}

RTZ_SEQUENCE_TARGET(ops, check)
