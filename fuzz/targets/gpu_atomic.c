/*
 * fuzz/targets/gpu_atomic.c — operation sequences over the gpu_atomic
 * family (spec/ffi/gpu_atomic.sdn) on the harness's aligned words, with
 * oracles: every operation matches the sequential model of the
 * cross-backend table (gpu/atomic_cases.h) for both its old value and the
 * new word, the untyped forms equal the _i64 ones, and misaligned or NULL
 * pointers give 0 and leave memory alone.
 */
#include <string.h>

#include "fuzz/rtz.h"
#include "gpu/atomic_cases.h"
#include "rtz_gpu_atomic.h"

typedef int64_t (*op64)(int64_t *, int64_t);
typedef uint32_t (*op32)(uint32_t *, uint32_t);

static const op64 typed64[] = {rt_gpu_atomic_add_i64, rt_gpu_atomic_sub_i64,
                               rt_gpu_atomic_min_i64, rt_gpu_atomic_max_i64,
                               rt_gpu_atomic_and_i64, rt_gpu_atomic_or_i64,
                               rt_gpu_atomic_xor_i64, rt_gpu_atomic_xchg_i64};
static const op64 untyped64[] = {rt_gpu_atomic_add, rt_gpu_atomic_sub, rt_gpu_atomic_min,
                                 rt_gpu_atomic_max, rt_gpu_atomic_and, rt_gpu_atomic_or,
                                 rt_gpu_atomic_xor, rt_gpu_atomic_exchange};
static const op32 typed32[] = {rt_gpu_atomic_add_u32, rt_gpu_atomic_sub_u32,
                               rt_gpu_atomic_min_u32, rt_gpu_atomic_max_u32,
                               rt_gpu_atomic_and_u32, rt_gpu_atomic_or_u32,
                               rt_gpu_atomic_xor_u32, rt_gpu_atomic_xchg_u32};
/* Index i of the arrays above is table operation i (RTX_ACO_ADD .. XCHG). */

static void prop_i64_matches_model(rtz *z)
{
    int op = rtz_u8(z) % 9, untyped = rtz_u8(z) & 1;
    int64_t *w = rtz_word_i64(z), a = rtz_i64(z), b = rtz_i64(z);
    uint64_t before = (uint64_t)*w, old;
    if (op == RTX_ACO_CMPXCHG)
        old = (uint64_t)(untyped ? rt_gpu_atomic_cmpxchg(w, a, b) : rt_gpu_atomic_cmpxchg_i64(w, a, b));
    else
        old = (uint64_t)(untyped ? untyped64[op](w, a) : typed64[op](w, a));
    RTZ_CHECK(old == before);
    RTZ_CHECK((uint64_t)*w == rtx_ac_step(op, RTX_ACT_I64, before, (uint64_t)a, (uint64_t)b));
}

static void prop_u32_matches_model(rtz *z)
{
    int op = rtz_u8(z) % 9;
    uint32_t *w = rtz_word_u32(z), a = rtz_u32k(z), b = rtz_u32k(z);
    uint32_t before = *w, old;
    old = op == RTX_ACO_CMPXCHG ? rt_gpu_atomic_cmpxchg_u32(w, a, b) : typed32[op](w, a);
    RTZ_CHECK(old == before);
    RTZ_CHECK(*w == (uint32_t)rtx_ac_step(op, RTX_ACT_U32, before, a, b));
}

/* Misaligned and NULL words are refused without a write. */
static void prop_misaligned(rtz *z)
{
    _Alignas(16) unsigned char buf[24];
    int op = rtz_u8(z) % 9, wide = rtz_u8(z) & 1;
    unsigned off = 1 + rtz_u8(z) % (wide ? 7 : 3);
    memset(buf, 0xC3, sizeof buf);
    void *p = rtz_u8(z) % 4 == 0 ? NULL : (void *)(buf + off);
    if (wide) {
        int64_t r = op == RTX_ACO_CMPXCHG ? rt_gpu_atomic_cmpxchg_i64(p, -1, 0)
                                          : typed64[op](p, rtz_i64(z));
        RTZ_CHECK(r == 0);
        r = op == RTX_ACO_CMPXCHG ? rt_gpu_atomic_cmpxchg(p, -1, 0) : untyped64[op](p, 5);
        RTZ_CHECK(r == 0);
    } else {
        uint32_t r = op == RTX_ACO_CMPXCHG ? rt_gpu_atomic_cmpxchg_u32(p, 0, 1)
                                           : typed32[op](p, rtz_u32k(z));
        RTZ_CHECK(r == 0);
    }
    for (size_t i = 0; i < sizeof buf; i++)
        RTZ_CHECK(buf[i] == 0xC3);
}

static const rtz_op ops[] = {
    RTZ_OP(rt_gpu_atomic_add_i64), RTZ_OP(rt_gpu_atomic_sub_i64), RTZ_OP(rt_gpu_atomic_xchg_i64),
    RTZ_OP(rt_gpu_atomic_min_i64), RTZ_OP(rt_gpu_atomic_max_i64), RTZ_OP(rt_gpu_atomic_and_i64),
    RTZ_OP(rt_gpu_atomic_or_i64), RTZ_OP(rt_gpu_atomic_xor_i64),
    RTZ_OP(rt_gpu_atomic_cmpxchg_i64), RTZ_OP(rt_gpu_atomic_add_u32),
    RTZ_OP(rt_gpu_atomic_sub_u32), RTZ_OP(rt_gpu_atomic_xchg_u32), RTZ_OP(rt_gpu_atomic_min_u32),
    RTZ_OP(rt_gpu_atomic_max_u32), RTZ_OP(rt_gpu_atomic_and_u32), RTZ_OP(rt_gpu_atomic_or_u32),
    RTZ_OP(rt_gpu_atomic_xor_u32), RTZ_OP(rt_gpu_atomic_cmpxchg_u32), RTZ_OP(rt_gpu_atomic_add),
    RTZ_OP(rt_gpu_atomic_sub), RTZ_OP(rt_gpu_atomic_min), RTZ_OP(rt_gpu_atomic_max),
    RTZ_OP(rt_gpu_atomic_and), RTZ_OP(rt_gpu_atomic_or), RTZ_OP(rt_gpu_atomic_xor),
    RTZ_OP(rt_gpu_atomic_exchange), RTZ_OP(rt_gpu_atomic_cmpxchg),
    {"prop_i64_matches_model", prop_i64_matches_model},
    {"prop_u32_matches_model", prop_u32_matches_model},
    {"prop_misaligned", prop_misaligned},
};

RTZ_SEQUENCE_TARGET(ops, NULL)
