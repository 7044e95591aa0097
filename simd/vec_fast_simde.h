/*
 * simd/vec_fast_simde.h — the vector vocabulary of the vec fast paths.
 *
 * v4i / v4d hold 4 words / 4 doubles. Where the compiler may use AVX2 (a
 * SIMD_NATIVE=1 build on an AVX2 machine) they are SIMDe's 256-bit types,
 * which then compile to single AVX2 instructions. Everywhere else they are
 * two 128-bit halves driven by SIMDe's SSE2..SSE4.2 functions: on the
 * default -march=x86-64-v2 build each is one SSE instruction, and with
 * SIMDE_NO_NATIVE (or on another CPU) SIMDe's portable C. (SIMDe's own
 * emulation of the 256-bit types on SSE falls back to scalar code for
 * several operations, e.g. _mm256_cmp_pd, hence the halves.)
 *
 * Only operations whose results are exact in IEEE arithmetic (add, mul, div,
 * sqrt, ordered compares, rounding to an integer) or pure bit operations are
 * offered, so every path gives the scalar reference's bits. Not offered on
 * purpose: fused multiply-add without hardware FMA (SIMDe emulates it with a
 * separate multiply and add, rounding twice; vec_fast_map.c checks
 * SIMDE_X86_FMA_NATIVE) and the min/max instructions (x86's operand-order
 * NaN and ±0 rules).
 */
#ifndef RTX_VEC_FAST_SIMDE_H
#define RTX_VEC_FAST_SIMDE_H

#include <simde/x86/avx2.h>
#include <simde/x86/fma.h>

#include "simd/vec_internal.h"

#if defined(SIMDE_X86_AVX2_NATIVE)
#define RTX_VEC_WIDE 1   /* one 256-bit register per v4i */
typedef simde__m256i v4i;
typedef simde__m256d v4d;
#else
#define RTX_VEC_WIDE 0   /* two 128-bit halves */
typedef struct { simde__m128i lo, hi; } v4i;
typedef struct { simde__m128d lo, hi; } v4d;
#endif

#if RTX_VEC_WIDE
static inline v4i v_load(const RtValue *p) { return simde_mm256_loadu_si256((const void *)p); }
static inline void v_store(RtValue *p, v4i v) { simde_mm256_storeu_si256((void *)p, v); }
static inline v4i v_set1(uint64_t x) { return simde_mm256_set1_epi64x((long long)x); }
static inline v4d vd_set1(double x) { return simde_mm256_set1_pd(x); }
static inline v4d vd_load(const double *p) { return simde_mm256_loadu_pd(p); }
static inline void vd_store(double *p, v4d v) { simde_mm256_storeu_pd(p, v); }
static inline v4d v_as_pd(v4i a) { return simde_mm256_castsi256_pd(a); }
static inline v4i vd_as_si(v4d a) { return simde_mm256_castpd_si256(a); }
static inline v4i v_or(v4i a, v4i b) { return simde_mm256_or_si256(a, b); }
static inline v4i v_and(v4i a, v4i b) { return simde_mm256_and_si256(a, b); }
static inline v4i v_xor(v4i a, v4i b) { return simde_mm256_xor_si256(a, b); }
static inline v4i v_add(v4i a, v4i b) { return simde_mm256_add_epi64(a, b); }
static inline v4i v_sub(v4i a, v4i b) { return simde_mm256_sub_epi64(a, b); }
static inline v4i v_srl3(v4i a) { return simde_mm256_srli_epi64(a, 3); }
static inline v4i v_cmpgt(v4i a, v4i b) { return simde_mm256_cmpgt_epi64(a, b); }
static inline v4i v_cmpeq(v4i a, v4i b) { return simde_mm256_cmpeq_epi64(a, b); }
static inline v4i v_select(v4i a, v4i b, v4i m) { return simde_mm256_blendv_epi8(a, b, m); }
static inline int v_all_zero(v4i a) { return simde_mm256_testz_si256(a, a); }
static inline v4d vd_add(v4d a, v4d b) { return simde_mm256_add_pd(a, b); }
static inline v4d vd_sub(v4d a, v4d b) { return simde_mm256_sub_pd(a, b); }
static inline v4d vd_mul(v4d a, v4d b) { return simde_mm256_mul_pd(a, b); }
static inline v4d vd_div(v4d a, v4d b) { return simde_mm256_div_pd(a, b); }
static inline v4d vd_sqrt(v4d a) { return simde_mm256_sqrt_pd(a); }
static inline v4d vd_floor(v4d a) { return simde_mm256_floor_pd(a); }
static inline v4d vd_ceil(v4d a) { return simde_mm256_ceil_pd(a); }
static inline v4d vd_trunc(v4d a)
{
    return simde_mm256_round_pd(a, SIMDE_MM_FROUND_TO_ZERO | SIMDE_MM_FROUND_NO_EXC);
}
static inline v4d vd_gt(v4d a, v4d b) { return simde_mm256_cmp_pd(a, b, SIMDE_CMP_GT_OQ); }
static inline v4d vd_ge(v4d a, v4d b) { return simde_mm256_cmp_pd(a, b, SIMDE_CMP_GE_OQ); }
static inline v4d vd_unord(v4d a) { return simde_mm256_cmp_pd(a, a, SIMDE_CMP_UNORD_Q); }
static inline v4d vd_select(v4d a, v4d b, v4d m) { return simde_mm256_blendv_pd(a, b, m); }
#if defined(SIMDE_X86_FMA_NATIVE)
static inline v4d vd_fma(v4d a, v4d b, v4d c) { return simde_mm256_fmadd_pd(a, b, c); }
#endif
#else /* two 128-bit halves */
static inline v4i v_load(const RtValue *p)
{
    v4i r = {simde_mm_loadu_si128((const void *)p), simde_mm_loadu_si128((const void *)(p + 2))};
    return r;
}
static inline void v_store(RtValue *p, v4i v)
{
    simde_mm_storeu_si128((void *)p, v.lo);
    simde_mm_storeu_si128((void *)(p + 2), v.hi);
}
static inline v4i v_set1(uint64_t x)
{
    simde__m128i h = simde_mm_set1_epi64x((long long)x);
    v4i r = {h, h};
    return r;
}
static inline v4d vd_set1(double x)
{
    simde__m128d h = simde_mm_set1_pd(x);
    v4d r = {h, h};
    return r;
}
static inline v4d vd_load(const double *p)
{
    v4d r = {simde_mm_loadu_pd(p), simde_mm_loadu_pd(p + 2)};
    return r;
}
static inline void vd_store(double *p, v4d v)
{
    simde_mm_storeu_pd(p, v.lo);
    simde_mm_storeu_pd(p + 2, v.hi);
}
#define RTX_V_1(T, f, a) { T r_ = {f((a).lo), f((a).hi)}; return r_; }
#define RTX_V_2(T, f, a, b) { T r_ = {f((a).lo, (b).lo), f((a).hi, (b).hi)}; return r_; }
#define RTX_V_3(T, f, a, b, c) { T r_ = {f((a).lo, (b).lo, (c).lo), f((a).hi, (b).hi, (c).hi)}; return r_; }
static inline v4d v_as_pd(v4i a) RTX_V_1(v4d, simde_mm_castsi128_pd, a)
static inline v4i vd_as_si(v4d a) RTX_V_1(v4i, simde_mm_castpd_si128, a)
static inline v4i v_or(v4i a, v4i b) RTX_V_2(v4i, simde_mm_or_si128, a, b)
static inline v4i v_and(v4i a, v4i b) RTX_V_2(v4i, simde_mm_and_si128, a, b)
static inline v4i v_xor(v4i a, v4i b) RTX_V_2(v4i, simde_mm_xor_si128, a, b)
static inline v4i v_add(v4i a, v4i b) RTX_V_2(v4i, simde_mm_add_epi64, a, b)
static inline v4i v_sub(v4i a, v4i b) RTX_V_2(v4i, simde_mm_sub_epi64, a, b)
static inline v4i v_cmpgt(v4i a, v4i b) RTX_V_2(v4i, simde_mm_cmpgt_epi64, a, b)
static inline v4i v_cmpeq(v4i a, v4i b) RTX_V_2(v4i, simde_mm_cmpeq_epi64, a, b)
static inline v4i v_select(v4i a, v4i b, v4i m) RTX_V_3(v4i, simde_mm_blendv_epi8, a, b, m)
static inline v4i v_srl3(v4i a)
{
    v4i r = {simde_mm_srli_epi64(a.lo, 3), simde_mm_srli_epi64(a.hi, 3)};
    return r;
}
static inline int v_all_zero(v4i a)
{
    simde__m128i o = simde_mm_or_si128(a.lo, a.hi);
#if defined(SIMDE_X86_SSE4_1_NATIVE)
    return simde_mm_testz_si128(o, o);
#else
    /* SIMDe 0.7.4's portable simde_mm_testz_si128 answers 1 as soon as one
     * 64-bit half is zero (tests/simd_portable caught it); test the halves. */
    uint64_t h[2];
    simde_mm_storeu_si128((void *)h, o);
    return (h[0] | h[1]) == 0;
#endif
}
static inline v4d vd_add(v4d a, v4d b) RTX_V_2(v4d, simde_mm_add_pd, a, b)
static inline v4d vd_sub(v4d a, v4d b) RTX_V_2(v4d, simde_mm_sub_pd, a, b)
static inline v4d vd_mul(v4d a, v4d b) RTX_V_2(v4d, simde_mm_mul_pd, a, b)
static inline v4d vd_div(v4d a, v4d b) RTX_V_2(v4d, simde_mm_div_pd, a, b)
static inline v4d vd_sqrt(v4d a) RTX_V_1(v4d, simde_mm_sqrt_pd, a)
static inline v4d vd_floor(v4d a) RTX_V_1(v4d, simde_mm_floor_pd, a)
static inline v4d vd_ceil(v4d a) RTX_V_1(v4d, simde_mm_ceil_pd, a)
static inline v4d vd_trunc(v4d a)
{
    v4d r = {simde_mm_round_pd(a.lo, SIMDE_MM_FROUND_TO_ZERO | SIMDE_MM_FROUND_NO_EXC),
             simde_mm_round_pd(a.hi, SIMDE_MM_FROUND_TO_ZERO | SIMDE_MM_FROUND_NO_EXC)};
    return r;
}
static inline v4d vd_gt(v4d a, v4d b) RTX_V_2(v4d, simde_mm_cmpgt_pd, a, b)
static inline v4d vd_ge(v4d a, v4d b) RTX_V_2(v4d, simde_mm_cmpge_pd, a, b)
static inline v4d vd_unord(v4d a) RTX_V_2(v4d, simde_mm_cmpunord_pd, a, a)
static inline v4d vd_select(v4d a, v4d b, v4d m) RTX_V_3(v4d, simde_mm_blendv_pd, a, b, m)
#if defined(SIMDE_X86_FMA_NATIVE)
static inline v4d vd_fma(v4d a, v4d b, v4d c) RTX_V_3(v4d, simde_mm_fmadd_pd, a, b, c)
#endif
#undef RTX_V_1
#undef RTX_V_2
#undef RTX_V_3
#endif

static inline v4i v_zero(void) { return v_set1(0); }

/* 1 when the low 3 bits of every lane of acc are 0. */
static inline int v_tags_clear(v4i acc) { return v_all_zero(v_and(acc, v_set1(7))); }

/* acc | (w ^ FLOAT tag): its tag bits stay 0 while every word is a float. */
static inline v4i v_float_tags(v4i acc, v4i w) { return v_or(acc, v_xor(w, v_set1(RT_TAG_FLOAT))); }

/* The doubles of 4 float words (tag bits cleared). */
static inline v4d v_decode(v4i w) { return v_as_pd(v_and(w, v_set1(RTX_VEC_FLOAT_MASK))); }

/* Float words of 4 doubles: NaN lanes canonical, then (bits & ~7) | 2. */
static inline v4i v_encode(v4d x)
{
    x = vd_select(x, v_as_pd(v_set1(RTX_VEC_CANON_NAN)), vd_unord(x));
    return v_or(v_and(vd_as_si(x), v_set1(RTX_VEC_FLOAT_MASK)), v_set1(RT_TAG_FLOAT));
}

/* The 4 lanes, for horizontal steps done in scalar code. */
static inline void v_lanes(v4i v, int64_t out[4]) { v_store((RtValue *)(void *)out, v); }
static inline void vd_lanes(v4d v, double out[4]) { vd_store(out, v); }

#endif /* RTX_VEC_FAST_SIMDE_H */
