/*
 * tests/simd/property.h — the vec family's property test: the fast kernels
 * (FAST, an rtx_vec_kernels table) against the scalar reference
 * (simd/vec_ref.c), bit for bit, on random arrays with NaN, ±0, ±inf,
 * subnormals, huge and boxed ints, mixed classes, non-numbers, empty arrays
 * and every length from 0 to 70 (the 4-lane groups and 32-word chunks, with
 * their tails), then random lengths up to 2000.
 *
 * Included by tests/simd/property.c (the library's fast kernels, built for
 * x86-64-v2 or native) and tests/simd_portable/property.c (a copy built with
 * SIMDE_NO_NATIVE), so another CPU is held to the same answers. A fixed seed
 * and a modest count keep `make test` fast under Valgrind; SIMPLERT_STRESS=1
 * (make qualify) runs 20 times as many arrays.
 */
#ifndef TESTS_SIMD_PROPERTY_H
#define TESTS_SIMD_PROPERTY_H

#include <criterion/criterion.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "simd/vec_internal.h"
#include "simplert.h"

#define PROP_MAX_LEN 2048
#define PROP_MAX_BOXES (4 * PROP_MAX_LEN + 64)

typedef struct prop {
    uint64_t rng;
    RtValue boxes[PROP_MAX_BOXES];   /* boxed ints the arrays use, freed per case */
    size_t nboxes;
    RtValue anchor;                  /* a live string: its interior is never an object */
    double sign;                     /* of profile 9's values, per array */
    const rtx_vec_kernels *fast;
    unsigned long cases;
} prop;

static uint64_t prop_next(prop *p)   /* splitmix64 */
{
    uint64_t z = (p->rng += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static uint64_t prop_below(prop *p, uint64_t n) { return n ? prop_next(p) % n : 0; }

static RtValue prop_box(prop *p, int64_t v)
{
    RtValue b = rt_value_int(v);
    cr_assert(rt_value_is_int(b) && rt_value_as_int(b) == v);
    if (rt_value_is_heap(b)) {
        cr_assert(p->nboxes < PROP_MAX_BOXES);
        p->boxes[p->nboxes++] = b;
    }
    return b;
}

static RtValue prop_int(prop *p)
{
    static const int64_t edges[] = {0, 1, -1, 2, -2, 7, -8, RT_INT_INLINE_MIN, RT_INT_INLINE_MAX,
                                    RT_INT_INLINE_MIN + 1, RT_INT_INLINE_MAX - 1,
                                    INT64_C(1) << 53, (INT64_C(1) << 53) + 1, -(INT64_C(1) << 53) - 1};
    switch (prop_below(p, 4)) {
    case 0: return rt_value_int((int64_t)prop_below(p, 21) - 10);
    case 1: return rt_value_int(edges[prop_below(p, sizeof edges / sizeof edges[0])]);
    default: return (RtValue)(prop_next(p) & ~UINT64_C(7));   /* any inline int */
    }
}

static RtValue prop_boxed(prop *p)
{
    static const int64_t wide[] = {INT64_MIN, INT64_MAX, RT_INT_INLINE_MIN - 1,
                                   RT_INT_INLINE_MAX + 1, INT64_MIN + 1, INT64_C(1) << 62,
                                   -(INT64_C(1) << 62), (INT64_C(1) << 60) + 12345};
    if (prop_below(p, 2))
        return prop_box(p, wide[prop_below(p, sizeof wide / sizeof wide[0])]);
    int64_t v = (int64_t)prop_next(p);
    if (v >= RT_INT_INLINE_MIN && v <= RT_INT_INLINE_MAX)
        v = v < 0 ? v - RT_INT_INLINE_MAX - 1 : v + RT_INT_INLINE_MAX;   /* keep it wide */
    return prop_box(p, v);
}

static RtValue prop_float(prop *p, int special)
{
    static const uint64_t bits[] = {
        UINT64_C(0x7FF8000000000000), UINT64_C(0xFFF8000000000000),   /* ±quiet NaN */
        UINT64_C(0x7FF0000000000008), UINT64_C(0x7FF4000000001230),   /* signalling NaNs */
        UINT64_C(0xFFFFFFFFFFFFFFF8), UINT64_C(0x0000000000000000),   /* NaN, +0 */
        UINT64_C(0x8000000000000000), UINT64_C(0x7FF0000000000000),   /* -0, +inf */
        UINT64_C(0xFFF0000000000000), UINT64_C(0x0000000000000008),   /* -inf, subnormal */
        UINT64_C(0x800FFFFFFFFFFFF8), UINT64_C(0x7FEFFFFFFFFFFFF8),   /* subnormal, max */
        UINT64_C(0x4330000000000000), UINT64_C(0x3FE0000000000000),   /* 2^52, 0.5 */
        UINT64_C(0xBFE0000000000000), UINT64_C(0x4004000000000000),   /* -0.5, 2.5 */
    };
    if (special && prop_below(p, 3) == 0)
        return rt_value_float(rtx_vec_bits_to_f64(bits[prop_below(p, sizeof bits / sizeof bits[0])]));
    switch (prop_below(p, 4)) {
    case 0: return rt_value_float((double)((int64_t)prop_below(p, 2001) - 1000) / 8.0);
    case 1: return rt_value_float(((double)prop_next(p) / 18446744073709551616.0 - 0.5) * 1e6);
    case 2: return rt_value_float(ldexp((double)(prop_next(p) >> 11), (int)prop_below(p, 200) - 150));
    default: return (prop_next(p) & ~UINT64_C(7)) | RT_TAG_FLOAT;   /* any bits */
    }
}

static RtValue prop_other(prop *p)
{
    uintptr_t inside = (uintptr_t)(p->anchor & ~RT_TAG_MASK) + 8;   /* never an object start */
    static const RtValue raw[] = {RT_NIL, RT_TRUE, RT_FALSE, (5 << 3) | RT_TAG_SPECIAL,
                                  UINT64_C(0x1), UINT64_C(0x9), UINT64_C(0x10001), UINT64_C(0x4),
                                  UINT64_C(0x5), UINT64_C(0x6), UINT64_C(0xF), UINT64_C(0x8000000000000007)};
    switch (prop_below(p, 4)) {
    case 0: return p->anchor;   /* a live string */
    case 1: return (RtValue)inside | RT_TAG_HEAP;
    default: return raw[prop_below(p, sizeof raw / sizeof raw[0])];
    }
}

/* One element of an array of profile pr (mixes that reach every vector path
 * and every fallback). */
static RtValue prop_elem(prop *p, int pr)
{
    uint64_t r = prop_below(p, 100);
    switch (pr) {
    case 0: return rt_value_int((int64_t)prop_below(p, 201) - 100);
    case 1: return prop_int(p);
    case 2: return prop_float(p, 0);
    case 3: return prop_float(p, 1);
    case 4: return r < 3 ? prop_boxed(p) : r < 6 ? prop_other(p) : r < 8 ? prop_float(p, 1) : prop_int(p);
    case 5: return r < 3 ? prop_int(p) : r < 6 ? prop_other(p) : prop_float(p, 1);
    case 6: return r < 25 ? prop_int(p) : r < 50 ? prop_float(p, 1) : r < 65 ? prop_boxed(p) : prop_other(p);
    case 7: return r < 50 ? rt_value_int(0) : r < 75 ? rt_value_float(-0.0) : rt_value_float(0.0);
    case 8: return r < 2 ? (r ? rt_value_int(0) : rt_value_float(0.0)) : prop_int(p);
    default:   /* few values of one sign and both zeros: min/max meet ±0 ties */
        return r < 1 ? rt_value_float(NAN)
                     : rt_value_float(r < 30 ? (r & 1 ? -0.0 : 0.0) : p->sign * (double)(r % 4));
    }
}
#define PROP_PROFILES 10

static void prop_fill(prop *p, RtValue *d, size_t n, int pr)
{
    size_t switch_at = prop_below(p, n + 1);   /* profile 8: ints, then floats from here */
    p->sign = prop_below(p, 2) ? 1.0 : -1.0;
    for (size_t i = 0; i < n; i++)
        d[i] = (pr == 8 && i >= switch_at) ? prop_float(p, 1) : prop_elem(p, pr);
}

static int same_double(double a, double b)
{
    return (a != a && b != b) || rtx_vec_f64_to_bits(a) == rtx_vec_f64_to_bits(b);
}

/* Lanes of two element-wise results: equal words, or (abs) two new boxes of
 * the same value, which are freed here. */
static void prop_same_lanes(const char *what, const RtValue *r, const RtValue *f, size_t n,
                            int pr, uint64_t seed)
{
    for (size_t i = 0; i < n; i++) {
        int rb = rtx_heap_get(r[i], RT_HEAP_BIGINT) != NULL;
        int fb = rtx_heap_get(f[i], RT_HEAP_BIGINT) != NULL && f[i] != r[i];
        if (rb && fb) {
            cr_assert_eq(rt_value_as_int(r[i]), rt_value_as_int(f[i]),
                         "%s lane %zu: boxed %" PRId64 " vs %" PRId64 " (profile %d, n %zu, seed %" PRIu64 ")",
                         what, i, rt_value_as_int(r[i]), rt_value_as_int(f[i]), pr, n, seed);
            rt_free(r[i]);
            rt_free(f[i]);
            continue;
        }
        cr_assert_eq(r[i], f[i], "%s lane %zu: reference %#" PRIx64 ", fast %#" PRIx64
                     " (profile %d, n %zu, seed %" PRIu64 ")", what, i, r[i], f[i], pr, n, seed);
    }
}

static void prop_check_num(const char *what, rtx_vec_num r, rtx_vec_num f, int pr, size_t n,
                           uint64_t seed)
{
    cr_assert_eq(r.is_float, f.is_float, "%s: kind differs (profile %d, n %zu, seed %" PRIu64 ")",
                 what, pr, n, seed);
    if (r.is_float)
        cr_assert(same_double(r.f, f.f), "%s: reference %a, fast %a (profile %d, n %zu, seed %"
                  PRIu64 ")", what, r.f, f.f, pr, n, seed);
    else
        cr_assert_eq(r.i, f.i, "%s: reference %" PRId64 ", fast %" PRId64 " (profile %d, n %zu, seed %"
                     PRIu64 ")", what, r.i, f.i, pr, n, seed);
}

/* Every kernel once on a (and b, c for the n-ary ones), reference vs fast. */
static void prop_case(prop *p, int pr, size_t n)
{
    static RtValue a[PROP_MAX_LEN], b[PROP_MAX_LEN], c[PROP_MAX_LEN];
    static RtValue r[PROP_MAX_LEN], f[PROP_MAX_LEN];
    const rtx_vec_kernels *R = &rtx_vec_ref_kernels, *F = p->fast;
    uint64_t seed = p->rng;
    prop_fill(p, a, n, pr);
    prop_fill(p, b, n, prop_below(p, 4) ? pr : (int)prop_below(p, PROP_PROFILES));
    prop_fill(p, c, n, pr);
    p->cases++;

    prop_check_num("sum", R->sum(a, n), F->sum(a, n), pr, n, seed);
    prop_check_num("product", R->product(a, n), F->product(a, n), pr, n, seed);
    cr_assert_eq(R->all(a, n), F->all(a, n), "all (profile %d, n %zu, seed %" PRIu64 ")", pr, n, seed);
    cr_assert_eq(R->any(a, n), F->any(a, n), "any (profile %d, n %zu, seed %" PRIu64 ")", pr, n, seed);
    if (n) {
        cr_assert_eq(R->min(a, n), F->min(a, n), "min (profile %d, n %zu, seed %" PRIu64 ")", pr, n, seed);
        cr_assert_eq(R->max(a, n), F->max(a, n), "max (profile %d, n %zu, seed %" PRIu64 ")", pr, n, seed);
    }
    static const char *const names[] = {"sqrt", "abs", "floor", "ceil", "round", "recip"};
    for (int op = 0; op < RTX_VEC_NUNARY; op++) {
        cr_assert_eq(R->unary(op, a, n, r), 0);
        cr_assert_eq(F->unary(op, a, n, f), 0);
        prop_same_lanes(names[op], r, f, n, pr, seed);
    }
    R->fma(a, b, c, n, r);
    F->fma(a, b, c, n, f);
    prop_same_lanes("fma", r, f, n, pr, seed);
    for (int op = 0; op < 2; op++) {
        R->pick(op, a, b, n, r);
        F->pick(op, a, b, n, f);
        prop_same_lanes(op ? "max_vec" : "min_vec", r, f, n, pr, seed);
    }
    /* clamp: bounds as arrays, or broadcast words (step 0) */
    size_t ls = prop_below(p, 3) ? 1 : 0, hs = prop_below(p, 3) ? 1 : 0;
    const RtValue *lo = ls ? b : &b[prop_below(p, n ? n : 1)];
    const RtValue *hi = hs ? c : &c[prop_below(p, n ? n : 1)];
    if (n == 0) {
        lo = ls ? b : &a[0];   /* a[0] is never read when n == 0 */
        hi = hs ? c : &a[0];
    }
    R->clamp(a, lo, ls, hi, hs, n, r);
    F->clamp(a, lo, ls, hi, hs, n, f);
    prop_same_lanes("clamp", r, f, n, pr, seed);

    for (size_t i = 0; i < p->nboxes; i++)
        rt_free(p->boxes[i]);
    p->nboxes = 0;
}

/* Lengths 0..70 for every profile, then random lengths; rounds multiplies. */
static void prop_run(const rtx_vec_kernels *fast, uint64_t seed, int rounds)
{
    static prop p;
    memset(&p, 0, sizeof p);
    p.rng = seed;
    p.fast = fast;
    p.anchor = rt_string_new((const uint8_t *)"anchor string", 13);
    for (int round = 0; round < rounds; round++) {
        for (int pr = 0; pr < PROP_PROFILES; pr++)
            for (size_t n = 0; n <= 70; n++)   /* 0..33 and the 32-word chunks */
                prop_case(&p, pr, n);
        for (int k = 0; k < 60; k++)
            prop_case(&p, (int)prop_below(&p, PROP_PROFILES), (size_t)prop_below(&p, 300));
        for (int k = 0; k < 3; k++)
            prop_case(&p, (int)prop_below(&p, PROP_PROFILES), 1000 + (size_t)prop_below(&p, 1000));
    }
    rt_free(p.anchor);
    cr_log_info("%s: %lu cases, reference == fast on all of them", fast->name, p.cases);
}

static int prop_rounds(void)
{
    const char *s = getenv("SIMPLERT_STRESS");
    return s && *s && strcmp(s, "0") != 0 ? 20 : 1;
}

#endif /* TESTS_SIMD_PROPERTY_H */
