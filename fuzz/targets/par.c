/*
 * fuzz/targets/par.c — operation sequences over the par family
 * (spec/ffi/par.sdn): map, filter, reduce and for_each with well-typed
 * closures and hostile ones, kernel launches (with barriers and shared
 * memory in the kernel) over valid, degenerate and oversized ranges, the
 * work-item getters, shared memory and the i64 atomics.
 *
 * Closures are built here with the arity par calls them with
 * (f(closure, x), reduce f(closure, acc, x)); the harness's generic
 * closures hold one-argument code, so they only appear as "wrong" inputs
 * through values that are not closures. Launch sizes stay small so an
 * input runs in milliseconds; the refusal limits are still reached through
 * edge values.
 *
 * Oracles: map keeps length and order; filter keeps exactly the matching
 * elements in order; reduce of + equals the sequential sum; for_each calls
 * the closure once per element; a launch runs each in-range item once.
 */
#include <stdatomic.h>

#include "fuzz/rtz.h"
#include "runtime/par_run.h"
#include "rtz_par.h"

static RtValue inc(RtValue clo, RtValue x)
{
    (void)clo;
    return rt_value_int((rt_value_as_int(x) & 0xFFFFFF) + 1);
}
static RtValue odd(RtValue clo, RtValue x)
{
    (void)clo;
    return rt_value_bool(rt_value_as_int(x) & 1);
}
/* Addition mod 2^40: associative, as the reduce oracle needs, also when
 * the element is a chunk's partial sum (rt_par_reduce combines those with
 * the same closure); unsigned, so no element overflows it. */
static RtValue add(RtValue clo, RtValue acc, RtValue x)
{
    (void)clo;
    uint64_t sum = (uint64_t)rt_value_as_int(acc) + (uint64_t)rt_value_as_int(x);
    return rt_value_int((int64_t)(sum & 0xFFFFFFFFFF));
}
static _Atomic long visits;
static RtValue visit(RtValue clo, RtValue x)
{
    (void)clo;
    (void)x;
    atomic_fetch_add(&visits, 1);
    return RT_NIL;
}

/* A closure with the right code, one without code, or any hostile value. */
static RtValue closure_arg(rtz *z, const void *code)
{
    uint8_t c = rtz_u8(z) % 8;
    if (c < 5) {
        RtValue f = rt_closure_new(code, rtz_u8(z) % 3);
        rtz_adopt(z, f);
        return f;
    }
    if (c == 5) {
        RtValue f = rt_closure_new(NULL, 0);
        rtz_adopt(z, f);
        return f;
    }
    RtValue v = rtz_rv(z);
    return rt_value_heap_type(v) == RT_HEAP_CLOSURE ? RT_NIL : v;
}

/* An array of small ints, or a hostile value. */
static RtValue array_arg(rtz *z)
{
    if (rtz_u8(z) % 6 == 0)
        return rtz_rv(z);
    int n = rtz_u8(z);
    if (rtz_u8(z) % 8 == 0)
        n *= 64;   /* sometimes big enough for the parallel path */
    RtValue a = rt_array_new((uint64_t)n);
    for (int i = 0; i < n; i++)
        rt_array_push(a, rt_value_int(i ^ 0x55));
    rtz_adopt(z, a);
    return a;
}

static int64_t selected(RtValue a, int64_t len)
{
    int64_t n = rt_array_len(a);
    return len == 0 || len > n ? n : len;
}

static void op_map(rtz *z)
{
    RtValue a = array_arg(z), f = closure_arg(z, (const void *)inc);
    int64_t len = (int64_t)rtz_count(z);
    RtValue out = rt_par_map(a, len, f, (int32_t)rtz_mode(z));
    if (out == RT_NIL)
        return;
    int64_t n = selected(a, len);
    RTZ_CHECK(rt_array_len(out) == n);
    for (int64_t i = 0; i < n; i++)
        RTZ_CHECK(rt_array_get(out, i) == inc(f, rt_array_get(a, i)));
    rt_free(out);
}

static void op_filter(rtz *z)
{
    RtValue a = array_arg(z), f = closure_arg(z, (const void *)odd);
    int64_t len = (int64_t)rtz_count(z);
    RtValue out = rt_par_filter(a, len, f, (int32_t)rtz_mode(z));
    if (out == RT_NIL)
        return;
    int64_t n = selected(a, len), k = 0;
    for (int64_t i = 0; i < n; i++)
        if (rt_value_as_int(rt_array_get(a, i)) & 1)
            RTZ_CHECK(rt_array_get(out, k++) == rt_array_get(a, i));
    RTZ_CHECK(rt_array_len(out) == k);
    rt_free(out);
}

static void op_reduce(rtz *z)
{
    RtValue a = array_arg(z), f = closure_arg(z, (const void *)add);
    int64_t len = (int64_t)rtz_count(z);
    RtValue init = rt_value_int(rtz_u8(z));
    int32_t backend = (int32_t)rtz_mode(z);
    RtValue r = rt_par_reduce(a, len, init, f, backend);
    if (rt_value_heap_type(a) != RT_HEAP_ARRAY || rt_value_heap_type(f) != RT_HEAP_CLOSURE ||
        rt_closure_func_ptr(f) == NULL || backend < 0 || backend > 3 || len < 0) {
        RTZ_CHECK(r == init);
        return;
    }
    RtValue acc = init;
    for (int64_t i = 0, n = selected(a, len); i < n; i++)
        acc = add(f, acc, rt_array_get(a, i));
    RTZ_CHECK(r == acc);   /* + is associative: any grouping gives the fold */
}

static void op_for_each(rtz *z)
{
    RtValue a = array_arg(z), f = closure_arg(z, (const void *)visit);
    int64_t len = (int64_t)rtz_count(z);
    int32_t backend = (int32_t)rtz_mode(z);
    long before = atomic_load(&visits);
    rt_par_for_each(a, len, f, backend);
    int ok = rt_value_heap_type(a) == RT_HEAP_ARRAY && rt_value_heap_type(f) == RT_HEAP_CLOSURE &&
             rt_closure_func_ptr(f) != NULL && backend >= 0 && backend <= 3 && len >= 0;
    RTZ_CHECK(atomic_load(&visits) - before == (ok ? selected(a, len) : 0));
}

/* A kernel that uses everything: ids, shared memory, barrier, atomics. */
static _Atomic long items;
static int64_t word;
static int use_barrier;   /* per launch, so every item of a group agrees */
static void kernel(void)
{
    int64_t lid = rt_par_local_id(0);
    int64_t *buf = rt_par_shared_alloc(64 * sizeof(int64_t), 8);
    if (buf)
        buf[lid % 64] = rt_par_global_id(0);
    if (use_barrier)
        rt_par_barrier();
    rt_par_mem_fence(0);
    (void)rt_par_group_id(rt_par_num_groups(0) & 3);
    (void)rt_par_global_size(1);
    rt_par_atomic_add_i64(&word, 1);
    atomic_fetch_add(&items, 1);
}

/* Small sizes, or an edge value (most of them over a limit). */
static int64_t global_arg(rtz *z)
{
    static const int64_t edge[] = {-1, 0, INT64_MIN, INT64_MAX, (1 << 24) + 1};
    uint8_t c = rtz_u8(z);
    return c < 224 ? c % 40 : edge[c % 5];
}

static int64_t local_arg(rtz *z)
{
    static const int64_t edge[] = {-1, 0, 1024, 1025, INT64_MAX};
    uint8_t c = rtz_u8(z);
    return c < 224 ? c % 17 : edge[c % 5];
}

static void op_launch(rtz *z)
{
    int64_t g[3] = {global_arg(z), 1 + rtz_u8(z) % 3, 1 + rtz_u8(z) % 2};
    int64_t l[3] = {local_arg(z), rtz_u8(z) % 3, rtz_u8(z) % 2};
    RtKernelFn k = rtz_u8(z) % 8 ? kernel : NULL;
    /* Barrier groups meet as fibers: only sometimes, and small. */
    use_barrier = rtz_u8(z) % 4 == 0 && l[0] <= 8 && l[1] <= 1 && l[2] <= 1 && g[0] <= 24;
    long before = atomic_load(&items);
    int64_t rc = rtz_u8(z) & 1 ? rt_par_launch(k, g[0], g[1], g[2], l[0], l[1], l[2])
                               : rt_par_launch_1d(k, g[0], l[0]);
    RTZ_CHECK(rc == 0 || rc == -7);
    if (rc != 0 || k == NULL)
        RTZ_CHECK(atomic_load(&items) == before);
}

#ifdef RTX_TESTING   /* the replay build: also drive the parallel path on small inputs */
static void op_force(rtz *z) { rtx_par_force(rtz_u8(z) % 4); }
#else
static void op_force(rtz *z) { (void)rtz_u8(z); }
#endif
static void op_mode(rtz *z) { (void)rt_executor_set_mode(rtz_u8(z) & 1); }

static const rtz_op ops[] = {
    {"map", op_map}, {"filter", op_filter}, {"reduce", op_reduce}, {"for_each", op_for_each},
    {"launch", op_launch}, {"launch", op_launch}, {"force", op_force}, {"mode", op_mode},
    RTZ_OP(rt_par_global_id), RTZ_OP(rt_par_local_id), RTZ_OP(rt_par_group_id),
    RTZ_OP(rt_par_global_size), RTZ_OP(rt_par_local_size), RTZ_OP(rt_par_num_groups),
    RTZ_OP(rt_par_barrier), RTZ_OP(rt_par_mem_fence), RTZ_OP(rt_par_shared_alloc),
    RTZ_OP(rt_par_shared_reset), RTZ_OP(rt_par_atomic_add_i64), RTZ_OP(rt_par_atomic_sub_i64),
    RTZ_OP(rt_par_atomic_xchg_i64), RTZ_OP(rt_par_atomic_cmpxchg_i64),
    RTZ_OP(rt_par_atomic_min_i64), RTZ_OP(rt_par_atomic_max_i64),
};

/* Outside a kernel every work-item getter answers 0. */
static void check(rtz *z)
{
    (void)z;
    RTZ_CHECK(rt_par_global_id(0) == 0 && rt_par_local_size(2) == 0 && rt_par_num_groups(1) == 0);
}

RTZ_SEQUENCE_TARGET(ops, check)
