/*
 * fuzz/targets/vec.c — operation sequences over the vec family
 * (spec/ffi/vec.sdn), with a differential oracle: on arrays the input
 * describes (runs of one class, so the vector chunks are reached, broken by
 * NaNs, zeros, boxed ints and non-numbers), every SIMDe fast kernel must
 * give the scalar reference's words bit for bit. Other oracles: results have
 * the documented lengths, stores never grow their target.
 */
#include <math.h>
#include <string.h>

#include "fuzz/rtz.h"
#include "rtz_vec.h"
#include "simd/vec_internal.h"

#define DIFF_MAX 320

/* rt_vec_abs: the result and every new box in it belong to the input. */
static void op_abs(rtz *z)
{
    RtValue a = rtz_rv_of(z, RT_HEAP_ARRAY);
    RtValue r = rt_vec_abs(a);
    if (r == RT_NIL)
        return;
    RTZ_CHECK(rt_array_len(r) == rt_array_len(a));
    /* the boxes first: a full pool frees what it adopts, and r is read here */
    for (int64_t i = 0; i < rt_array_len(r); i++)
        if (rtx_heap_get(rt_array_get(r, i), RT_HEAP_BIGINT))
            rtz_adopt(z, rt_array_get(r, i));
    rtz_adopt(z, r);
}

static double sign = 1.0;   /* of the class-2 floats of the array being filled */

/* One element of class cls (0..7); boxes go to the input's pool. */
static RtValue elem(rtz *z, int cls)
{
    switch (cls) {
    case 0: return (RtValue)((uint64_t)(int8_t)rtz_u8(z) << 3);   /* small int */
    case 1: return (RtValue)(rtz_u64(z) & ~UINT64_C(7));            /* any inline int */
    case 2: return rt_value_float(sign * (double)(rtz_u8(z) % 4));   /* zeros are common */
    case 3: return rt_value_float(rtz_f64(z));                      /* NaN, ±0, inf, any bits */
    case 4: {
        RtValue b = rt_value_int(rtz_i64(z) | (INT64_C(1) << 61));  /* usually boxed */
        rtz_adopt(z, b);
        return b;
    }
    case 5: {   /* both zeros among a few values of one sign: min/max meet ±0 ties */
        int r = rtz_u8(z) % 4;
        return rt_value_float(r < 2 ? (r ? -0.0 : 0.0) : sign * r);
    }
    case 6: return rtz_rv(z);                                        /* anything at all */
    default: return (RtValue)((uint64_t)rtz_u8(z) << 3 | (rtz_u8(z) & 7));
    }
}

/* An array of n elements: mostly the class `main`, sometimes another. */
static size_t fill(rtz *z, RtValue *d)
{
    size_t n = rtz_u8(z);
    if (rtz_u8(z) & 1)
        n = n + 64;   /* lengths up to 319: several chunks */
    int main_cls = rtz_u8(z) % 8, odds = rtz_u8(z) % 16;
    sign = (rtz_u8(z) & 1) ? -1.0 : 1.0;   /* all <= 0: max meets ±0 ties; >= 0: min does */
    for (size_t i = 0; i < n; i++) {
        int cls = (int)(rtz_u8(z) % 16) < odds ? (int)(rtz_u8(z) % 8) : main_cls;
        d[i] = elem(z, cls);
    }
    return n;
}

/* Words that are not live objects now cannot become one during the
 * comparison (rt_vec_abs allocates boxes, and malloc may hand out a freed
 * element's address): replace them with a fixed invented word. */
static void sanitize(RtValue *d, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((d[i] & RT_TAG_MASK) == RT_TAG_HEAP && !rtx_heap_get(d[i], -1))
            d[i] = UINT64_C(0x9);
}

static int same_num(rtx_vec_num a, rtx_vec_num b)
{
    if (a.is_float != b.is_float)
        return 0;
    if (!a.is_float)
        return a.i == b.i;
    return (a.f != a.f && b.f != b.f) || rtx_vec_f64_to_bits(a.f) == rtx_vec_f64_to_bits(b.f);
}

/* Lanes equal, or both new boxes of one value (freed here). */
static void same_lanes(const RtValue *r, const RtValue *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (r[i] != f[i] && rtx_heap_get(r[i], RT_HEAP_BIGINT) &&
            rtx_heap_get(f[i], RT_HEAP_BIGINT)) {
            RTZ_CHECK(rt_value_as_int(r[i]) == rt_value_as_int(f[i]));
            rt_free(r[i]);
            rt_free(f[i]);
            continue;
        }
        RTZ_CHECK(r[i] == f[i]);
    }
}

/* The differential oracle: every kernel, reference vs fast. */
static void prop_fast_equals_reference(rtz *z)
{
    static RtValue a[DIFF_MAX], b[DIFF_MAX], c[DIFF_MAX], r[DIFF_MAX], f[DIFF_MAX];
    const rtx_vec_kernels *R = &rtx_vec_ref_kernels, *F = &rtx_vec_fast_kernels;
    size_t n = fill(z, a), nb = fill(z, b), nc = fill(z, c);
    n = n < nb ? n : nb;
    n = n < nc ? n : nc;
    sanitize(a, n);
    sanitize(b, n);
    sanitize(c, n);
    RTZ_CHECK(same_num(R->sum(a, n), F->sum(a, n)));
    RTZ_CHECK(same_num(R->product(a, n), F->product(a, n)));
    RTZ_CHECK(R->all(a, n) == F->all(a, n));
    RTZ_CHECK(R->any(a, n) == F->any(a, n));
    if (n) {
        RTZ_CHECK(R->min(a, n) == F->min(a, n));
        RTZ_CHECK(R->max(a, n) == F->max(a, n));
    }
    int op = rtz_u8(z) % RTX_VEC_NUNARY;
    int er = R->unary(op, a, n, r), ef = F->unary(op, a, n, f);
    RTZ_CHECK(er == 0 && ef == 0);
    same_lanes(r, f, n);
    R->fma(a, b, c, n, r);
    F->fma(a, b, c, n, f);
    same_lanes(r, f, n);
    int pk = rtz_u8(z) & 1;
    R->pick(pk, a, b, n, r);
    F->pick(pk, a, b, n, f);
    same_lanes(r, f, n);
    size_t ls = rtz_u8(z) & 1, hs = rtz_u8(z) & 1;
    RtValue lo1 = elem(z, rtz_u8(z) % 8), hi1 = elem(z, rtz_u8(z) % 8);
    sanitize(&lo1, 1);
    sanitize(&hi1, 1);
    R->clamp(a, ls ? b : &lo1, ls, hs ? c : &hi1, hs, n, r);
    F->clamp(a, ls ? b : &lo1, ls, hs ? c : &hi1, hs, n, f);
    same_lanes(r, f, n);
}

/* The exported reductions agree with the reference on pooled arrays. */
static void prop_exported_reductions(rtz *z)
{
    RtValue v = rtz_rv_of(z, RT_HEAP_ARRAY);
    int64_t len = rt_array_len(v);
    if (len < 0) {
        RTZ_CHECK(rt_vec_min(v) == RT_NIL && !rt_vec_all(v) && !rt_vec_any(v));
        return;
    }
    const RtArray *a = rtx_vec_array(v);
    const rtx_vec_kernels *R = &rtx_vec_ref_kernels;
    RTZ_CHECK(rt_vec_min(v) == (len ? R->min(a->data, a->len) : RT_NIL));
    RTZ_CHECK(rt_vec_max(v) == (len ? R->max(a->data, a->len) : RT_NIL));
    RTZ_CHECK(rt_vec_all(v) == R->all(a->data, a->len));
    RTZ_CHECK(rt_vec_any(v) == R->any(a->data, a->len));
    rtx_vec_num want = R->sum(a->data, a->len);
    RtValue s = rt_vec_sum(v);
    RTZ_CHECK(want.is_float ? s == rtx_vec_float_word(want.f)
                            : (s == RT_NIL || rt_value_as_int(s) == want.i));
    rtz_adopt(z, s);
}

/* Stores never change the target's length. */
static void prop_store_keeps_length(rtz *z)
{
    RtValue v = rtz_rv_of(z, RT_HEAP_ARRAY), t = rtz_rv_of(z, RT_HEAP_ARRAY);
    RtValue m = rtz_rv_of(z, RT_HEAP_ARRAY);
    int64_t len = rt_array_len(t), off = rtz_index(z);
    rt_vec_store(v, t, off);
    rt_vec_masked_store(v, t, off, m);
    rt_vec_scatter(v, t, m);
    RTZ_CHECK(rt_array_len(t) == len);
}

/* Loads give the documented lengths. */
static void prop_load_length(rtz *z)
{
    RtValue a = rtz_rv_of(z, RT_HEAP_ARRAY);
    int64_t off = rtz_index(z), lanes = (int64_t)(rtz_u8(z) % 70) - 3;
    RtValue r = rt_vec_load(a, off, lanes);
    int64_t len = rt_array_len(a);
    if (len < 0 || lanes > 64) {
        RTZ_CHECK(r == RT_NIL);
        return;
    }
    int64_t start = off < 0 ? 0 : off, want = lanes <= 0 ? 4 : lanes;
    int64_t left = start >= len ? 0 : len - start;
    RTZ_CHECK(r == RT_NIL || rt_array_len(r) == (left < want ? left : want));
    rtz_adopt(z, r);   /* after the checks: a full pool frees what it adopts */
}

static const rtz_op ops[] = {
    RTZ_OP(rt_vec_sum), RTZ_OP(rt_vec_product), RTZ_OP(rt_vec_min), RTZ_OP(rt_vec_max),
    RTZ_OP(rt_vec_all), RTZ_OP(rt_vec_any), RTZ_OP(rt_vec_extract), RTZ_OP(rt_vec_with),
    RTZ_OP(rt_vec_sqrt), {"rt_vec_abs", op_abs}, RTZ_OP(rt_vec_floor), RTZ_OP(rt_vec_ceil),
    RTZ_OP(rt_vec_round), RTZ_OP(rt_vec_shuffle), RTZ_OP(rt_vec_blend), RTZ_OP(rt_vec_select),
    RTZ_OP(rt_vec_load), RTZ_OP(rt_vec_store), RTZ_OP(rt_vec_gather), RTZ_OP(rt_vec_scatter),
    RTZ_OP(rt_vec_fma), RTZ_OP(rt_vec_recip), RTZ_OP(rt_vec_masked_load),
    RTZ_OP(rt_vec_masked_store), RTZ_OP(rt_vec_min_vec), RTZ_OP(rt_vec_max_vec),
    RTZ_OP(rt_vec_clamp), RTZ_OP(rt_neighbor_load),
    {"prop_fast_equals_reference", prop_fast_equals_reference},
    {"prop_fast_equals_reference", prop_fast_equals_reference},
    {"prop_fast_equals_reference", prop_fast_equals_reference},
    {"prop_fast_equals_reference", prop_fast_equals_reference},
    {"prop_exported_reductions", prop_exported_reductions},
    {"prop_store_keeps_length", prop_store_keeps_length},
    {"prop_load_length", prop_load_length},
};

RTZ_SEQUENCE_TARGET(ops, NULL)
