/*
 * fuzz/targets/atomic.c — operation sequences over the atomic family
 * (spec/ffi/atomic.sdn): heap atomics, integer-handle atomics, once cells.
 *
 * Single-threaded (the races live in the TSan suites). Every function is
 * generated from its kinds except rt_once_call, whose initialisers count
 * their calls, re-enter their own cell and try to free it from inside.
 * Oracles: read-modify-writes agree with 64-bit wrapping arithmetic, bools
 * read as 0 or 1, a completed once cell never runs its function again.
 */
#include "fuzz/rtz.h"
#include "rtz_atomic.h"
#include "rtz_value.h"

/* ---- rt_once_call with counting initialisers ---- */

static long once_runs;        /* initialiser bodies entered */
static int64_t once_current;  /* the cell the running initialiser belongs to */
static int once_violation;    /* an inner call misbehaved */

static RtValue init_count(void)
{
    once_runs++;
    return RT_NIL;
}

static RtValue init_reenter(void)
{
    once_runs++;
    long before = once_runs;
    rt_once_call(once_current, init_count);   /* must return at once */
    if (once_runs != before || rt_once_is_completed(once_current) != 0)
        once_violation = 1;
    rt_once_free(once_current);               /* refused while running */
    return rt_value_int(1);
}

static void op_once_call(rtz *z)
{
    int64_t h = (int64_t)rtz_handle(z, RTZ_HK_ONCE);
    static const RtFn0 fns[] = {init_count, init_reenter, NULL};
    RtFn0 fn = fns[rtz_u8(z) % 3];
    int64_t done_before = rt_once_is_completed(h);
    long runs_before = once_runs;
    once_current = h;
    rt_once_call(h, fn);
    long ran = once_runs - runs_before;
    RTZ_CHECK(!once_violation);
    RTZ_CHECK(ran == 0 || ran == 1);
    if (done_before)
        RTZ_CHECK(ran == 0);   /* exactly once per cell */
    if (ran)
        RTZ_CHECK(rt_once_is_completed(h) == 1);   /* and the free inside was refused */
    if (fn == NULL)
        RTZ_CHECK(ran == 0 && rt_once_is_completed(h) == done_before);
}

/* ---- frees that also retire the handle from the pools ---- */

#define FREE_OP(name, kind, fn)                                                            \
    static void name(rtz *z)                                                               \
    {                                                                                      \
        uint64_t h = rtz_handle(z, kind);                                                  \
        fn((int64_t)h);                                                                    \
        rtz_drop_handle(z, kind, h);                                                       \
    }
FREE_OP(op_int_free, RTZ_HK_ATOMIC_INT, rt_atomic_int_free)
FREE_OP(op_bool_free, RTZ_HK_ATOMIC_BOOL, rt_atomic_bool_free)
FREE_OP(op_flag_free, RTZ_HK_ATOMIC_FLAG, rt_atomic_flag_free)
FREE_OP(op_once_free, RTZ_HK_ONCE, rt_once_free)

/* ---- oracles ---- */

static int64_t wrap_add(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }
static int64_t wrap_sub(int64_t a, int64_t b) { return (int64_t)((uint64_t)a - (uint64_t)b); }

static void prop_int_arithmetic(rtz *z)
{
    int64_t v = rtz_i64(z), x = rtz_i64(z), y = rtz_i64(z);
    int64_t h = rt_atomic_int_new(v);
    if (h == 0)
        return;
    RTZ_CHECK(rt_atomic_int_fetch_add(h, x) == v);
    v = wrap_add(v, x);
    RTZ_CHECK(rt_atomic_int_fetch_sub(h, y) == v);
    v = wrap_sub(v, y);
    RTZ_CHECK(rt_atomic_int_fetch_xor(h, x) == v);
    v ^= x;
    RTZ_CHECK(rt_atomic_int_fetch_and(h, y) == v);
    v &= y;
    RTZ_CHECK(rt_atomic_int_fetch_or(h, x) == v);
    v |= x;
    RTZ_CHECK(rt_atomic_int_compare_exchange(h, wrap_add(v, 1), y) == 0);
    RTZ_CHECK(rt_atomic_int_compare_exchange(h, v, y) == 1);
    RTZ_CHECK(rt_atomic_int_swap(h, x) == y);
    RTZ_CHECK(rt_atomic_int_load(h) == x);
    rt_atomic_int_free(h);
    RTZ_CHECK(rt_atomic_int_load(h) == 0);
}

static void prop_heap_arithmetic(rtz *z)
{
    int64_t v = rtz_i64(z), x = rtz_i64(z), old = 0;
    RtValue a = rt_atomic_new(v);
    if (a == RT_NIL)
        return;
    RTZ_CHECK(rt_atomic_fetch_add(a, x) == v);
    v = wrap_add(v, x);
    RTZ_CHECK(rt_atomic_fetch_sub(a, x) == v);
    v = wrap_sub(v, x);
    RTZ_CHECK(rt_atomic_compare_exchange(a, wrap_add(v, 1), x, &old) == 0 && old == v);
    RTZ_CHECK(rt_atomic_compare_exchange(a, v, x, &old) == 1 && old == v);
    RTZ_CHECK(rt_atomic_fetch_and(a, v) == x);
    RTZ_CHECK(rt_atomic_fetch_or(a, v) == (x & v));
    RTZ_CHECK(rt_atomic_swap(a, v) == ((x & v) | v));
    RTZ_CHECK(rt_atomic_load(a) == v);
    rt_atomic_free(a);
    RTZ_CHECK(rt_atomic_load(a) == 0);
}

static void prop_bool_flag_answers(rtz *z)
{
    int64_t b = (int64_t)rtz_handle(z, RTZ_HK_ATOMIC_BOOL);
    int64_t f = (int64_t)rtz_handle(z, RTZ_HK_ATOMIC_FLAG);
    int64_t l = rt_atomic_bool_load(b);
    RTZ_CHECK(l == 0 || l == 1);
    int64_t t = rt_atomic_flag_test_and_set(f);
    RTZ_CHECK(t == 0 || t == 1);
    if (rt_atomic_flag_test_and_set(f) == 0)
        RTZ_CHECK(t == 0);   /* still clear: f is no live flag, and it answered 0 before */
}

static const rtz_op ops[] = {
    RTZ_OP(rt_atomic_new), RTZ_OP(rt_atomic_load), RTZ_OP(rt_atomic_store),
    RTZ_OP(rt_atomic_swap), RTZ_OP(rt_atomic_compare_exchange), RTZ_OP(rt_atomic_fetch_add),
    RTZ_OP(rt_atomic_fetch_sub), RTZ_OP(rt_atomic_fetch_and), RTZ_OP(rt_atomic_fetch_or),
    RTZ_OP(rt_atomic_free), RTZ_OP(rt_atomic_int_new), RTZ_OP(rt_atomic_int_load),
    RTZ_OP(rt_atomic_int_store), RTZ_OP(rt_atomic_int_swap),
    RTZ_OP(rt_atomic_int_compare_exchange), RTZ_OP(rt_atomic_int_fetch_add),
    RTZ_OP(rt_atomic_int_fetch_sub), RTZ_OP(rt_atomic_int_fetch_and),
    RTZ_OP(rt_atomic_int_fetch_or), RTZ_OP(rt_atomic_int_fetch_xor), RTZ_OP(rt_atomic_int_free),
    RTZ_OP(rt_atomic_bool_new), RTZ_OP(rt_atomic_bool_load), RTZ_OP(rt_atomic_bool_store),
    RTZ_OP(rt_atomic_bool_swap), RTZ_OP(rt_atomic_bool_free), RTZ_OP(rt_atomic_flag_new),
    RTZ_OP(rt_atomic_flag_test_and_set), RTZ_OP(rt_atomic_flag_clear),
    RTZ_OP(rt_atomic_flag_free), RTZ_OP(rt_once_new), RTZ_OP(rt_once_is_completed),
    RTZ_OP(rt_once_free), RTZ_OP(rt_free), RTZ_OP(rt_string_new),
    {"rt_once_call", op_once_call},
    {"op_int_free", op_int_free},
    {"op_bool_free", op_bool_free},
    {"op_flag_free", op_flag_free},
    {"op_once_free", op_once_free},
    {"prop_int_arithmetic", prop_int_arithmetic},
    {"prop_heap_arithmetic", prop_heap_arithmetic},
    {"prop_bool_flag_answers", prop_bool_flag_answers},
};

static void release_int(uint64_t h) { rt_atomic_int_free((int64_t)h); }
static void release_bool(uint64_t h) { rt_atomic_bool_free((int64_t)h); }
static void release_flag(uint64_t h) { rt_atomic_flag_free((int64_t)h); }
static void release_once(uint64_t h) { rt_once_free((int64_t)h); }

__attribute__((constructor)) static void register_releasers(void)
{
    rtz_set_release(RTZ_HK_ATOMIC_INT, release_int);
    rtz_set_release(RTZ_HK_ATOMIC_BOOL, release_bool);
    rtz_set_release(RTZ_HK_ATOMIC_FLAG, release_flag);
    rtz_set_release(RTZ_HK_ONCE, release_once);
}

RTZ_SEQUENCE_TARGET(ops, NULL)
