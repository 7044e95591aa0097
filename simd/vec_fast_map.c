/*
 * simd/vec_fast_map.c — SIMDe fast paths of the vec element-wise operations.
 *
 * Fast kernels for rt_vec_sqrt, rt_vec_abs, rt_vec_floor, rt_vec_ceil,
 * rt_vec_round, rt_vec_recip, rt_vec_fma, rt_vec_min_vec, rt_vec_max_vec and
 * rt_vec_clamp (spec/ffi/vec.sdn), and the fast kernel table. Each group of
 * 4 lanes whose inputs all have one tag (inline ints, or floats) is done with
 * vector operations; any other group, and the tail, lane by lane with the
 * reference's lane functions. Results are bit-identical to simd/vec_ref.c.
 */
#include "simd/vec_fast_simde.h"

/* Vector FMA only where the CPU fuses: SIMDe's emulation rounds twice. */
#if defined(SIMDE_X86_FMA_NATIVE)
#define HAVE_FUSED_FMA 1
#else
#define HAVE_FUSED_FMA 0
#endif

/* C round() (halves away from zero): truncate, then step one away from zero
 * when the dropped fraction (exact in binary) is at least one half. */
static v4d round_half_away(v4d x)
{
    const v4i sign = v_set1(RTX_VEC_SIGN);
    v4d t = vd_trunc(x);
    v4d frac = v_as_pd(v_and(vd_as_si(vd_sub(x, t)), v_set1(~RTX_VEC_SIGN)));   /* |x - t| */
    v4d half = vd_ge(frac, vd_set1(0.5));
    v4d one = v_as_pd(v_or(vd_as_si(vd_set1(1.0)), v_and(vd_as_si(x), sign)));   /* ±1 */
    return vd_select(t, vd_add(t, one), half);
}

/* 4 float lanes. abs clears the sign bits only, so a NaN keeps its payload. */
static void float_group(int op, v4i w, RtValue *out)
{
    if (op == RTX_VEC_ABS) {
        v_store(out, v_and(w, v_set1(~RTX_VEC_SIGN)));
        return;
    }
    v4d x = v_decode(w), r;
    switch (op) {
    case RTX_VEC_SQRT: r = vd_sqrt(x); break;
    case RTX_VEC_FLOOR: r = vd_floor(x); break;
    case RTX_VEC_CEIL: r = vd_ceil(x); break;
    case RTX_VEC_ROUND: r = round_half_away(x); break;
    default: r = vd_div(vd_set1(1.0), x); break;   /* RECIP */
    }
    v_store(out, v_encode(r));
}

/* 4 inline-int lanes; 0 when the group must go lane by lane (sqrt and recip
 * need int64 -> double, which x86 has no vector instruction for before
 * AVX-512; abs of -2^60 needs a box). */
static int int_group(int op, v4i w, RtValue *out)
{
    switch (op) {
    case RTX_VEC_FLOOR: case RTX_VEC_CEIL: case RTX_VEC_ROUND:
        v_store(out, w);   /* ints are unchanged */
        return 1;
    case RTX_VEC_ABS: {
        if (!v_all_zero(v_cmpeq(w, v_set1(RTX_VEC_SIGN))))   /* the word of -2^60 */
            return 0;
        v4i neg = v_cmpgt(v_zero(), w);   /* |x| << 3 == |x << 3| inside 61 bits */
        v_store(out, v_sub(v_xor(w, neg), neg));
        return 1;
    }
    default:
        return 0;
    }
}

int RTX_VEC_FAST(unary)(int op, const RtValue *d, size_t n, RtValue *out)
{
    int err = 0;
    size_t j = 0;
    for (; j + 4 <= n; j += 4) {
        v4i w = v_load(d + j);
        if (v_tags_clear(v_float_tags(v_zero(), w))) {
            float_group(op, w, out + j);
            continue;
        }
        if (v_tags_clear(w) && int_group(op, w, out + j))
            continue;
        for (size_t k = j; k < j + 4; k++)
            out[k] = rtx_vec_unary_lane(op, d[k], &err);
    }
    for (; j < n; j++)
        out[j] = rtx_vec_unary_lane(op, d[j], &err);
    return err ? -1 : 0;
}

void RTX_VEC_FAST(fma)(const RtValue *a, const RtValue *b, const RtValue *c, size_t n,
                       RtValue *out)
{
    size_t j = 0;
#if HAVE_FUSED_FMA
    for (; j + 4 <= n; j += 4) {
        v4i wa = v_load(a + j), wb = v_load(b + j), wc = v_load(c + j);
        v4i tags = v_float_tags(v_float_tags(v_float_tags(v_zero(), wa), wb), wc);
        if (v_tags_clear(tags)) {
            v_store(out + j, v_encode(vd_fma(v_decode(wa), v_decode(wb), v_decode(wc))));
            continue;
        }
        for (size_t k = j; k < j + 4; k++)
            out[k] = rtx_vec_fma_lane(a[k], b[k], c[k]);
    }
#endif
    for (; j < n; j++)
        out[j] = rtx_vec_fma_lane(a[j], b[j], c[j]);
}

/* Which lanes take b: a > b for min, a < b for max (cmp of the spec; a NaN
 * compares false, so a is kept). */
static v4i float_take_b(int op, v4i wa, v4i wb)
{
    v4d a = v_decode(wa), b = v_decode(wb);   /* a < b is b > a */
    return vd_as_si(op == RTX_VEC_PICK_MIN ? vd_gt(a, b) : vd_gt(b, a));
}

void RTX_VEC_FAST(pick)(int op, const RtValue *a, const RtValue *b, size_t n, RtValue *out)
{
    size_t j = 0;
    for (; j + 4 <= n; j += 4) {
        v4i wa = v_load(a + j), wb = v_load(b + j);
        if (v_tags_clear(v_or(wa, wb))) {
            v4i take = op == RTX_VEC_PICK_MIN ? v_cmpgt(wa, wb) : v_cmpgt(wb, wa);
            v_store(out + j, v_select(wa, wb, take));
            continue;
        }
        if (v_tags_clear(v_float_tags(v_float_tags(v_zero(), wa), wb))) {
            v_store(out + j, v_select(wa, wb, float_take_b(op, wa, wb)));
            continue;
        }
        for (size_t k = j; k < j + 4; k++)
            out[k] = rtx_vec_pick_lane(op, a[k], b[k]);
    }
    for (; j < n; j++)
        out[j] = rtx_vec_pick_lane(op, a[j], b[j]);
}

/* Lanes j..j+3 of a bound: 4 words of an array, or one word broadcast. */
static v4i bound(const RtValue *p, size_t step, size_t j)
{
    return step ? v_load(p + j) : v_set1(*p);
}

void RTX_VEC_FAST(clamp)(const RtValue *v, const RtValue *lo, size_t lo_step, const RtValue *hi,
                         size_t hi_step, size_t n, RtValue *out)
{
    size_t j = 0;
    for (; j + 4 <= n; j += 4) {
        v4i wv = v_load(v + j), wl = bound(lo, lo_step, j), wh = bound(hi, hi_step, j);
        if (v_tags_clear(v_or(wv, v_or(wl, wh)))) {
            v4i t = v_select(wv, wh, v_cmpgt(wv, wh));     /* hi where v > hi */
            v_store(out + j, v_select(t, wl, v_cmpgt(wl, t)));   /* lo where t < lo */
            continue;
        }
        v4i ft = v_float_tags(v_float_tags(v_float_tags(v_zero(), wv), wl), wh);
        if (v_tags_clear(ft)) {
            v4i t = v_select(wv, wh, float_take_b(RTX_VEC_PICK_MIN, wv, wh));
            v_store(out + j, v_select(t, wl, float_take_b(RTX_VEC_PICK_MAX, t, wl)));
            continue;
        }
        for (size_t k = j; k < j + 4; k++)
            out[k] = rtx_vec_clamp_lane(v[k], lo[k * lo_step], hi[k * hi_step]);
    }
    for (; j < n; j++)
        out[j] = rtx_vec_clamp_lane(v[j], lo[j * lo_step], hi[j * hi_step]);
}

#ifdef RTX_VEC_PORTABLE
#define KERNELS_NAME "SIMDe fast path (portable, SIMDE_NO_NATIVE)"
#else
#define KERNELS_NAME "SIMDe fast path"
#endif

const rtx_vec_kernels RTX_VEC_FAST(kernels) = {
    KERNELS_NAME,
    RTX_VEC_FAST(sum), RTX_VEC_FAST(product), RTX_VEC_FAST(min), RTX_VEC_FAST(max),
    RTX_VEC_FAST(all), RTX_VEC_FAST(any), RTX_VEC_FAST(unary), RTX_VEC_FAST(fma),
    RTX_VEC_FAST(pick), RTX_VEC_FAST(clamp),
};
