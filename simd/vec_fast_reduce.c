/*
 * simd/vec_fast_reduce.c — SIMDe fast paths of the vec reductions.
 *
 * Fast kernels for rt_vec_sum, rt_vec_product, rt_vec_min, rt_vec_max,
 * rt_vec_all and rt_vec_any (spec/ffi/vec.sdn). Each walks the array in
 * chunks of CHUNK words. A chunk whose words all have one tag (all inline
 * ints, or all floats) is done with vector operations, computed
 * speculatively while the tags are checked; any other chunk (and the tail)
 * goes to the scalar reference's step function, which carries the state on.
 * Results are bit-identical to simd/vec_ref.c.
 */
#include "simd/vec_fast_simde.h"
#include "simplert/value.h"

/* Words per chunk: a multiple of 8, so chunk starts keep element j in float
 * accumulator j % 8; small, so arrays of a few dozen elements use vectors,
 * and large enough that the per-chunk tag test costs little. */
#define CHUNK 32

/* ---- sum and product ---- */

rtx_vec_num RTX_VEC_FAST(sum)(const RtValue *d, size_t n)
{
    rtx_vec_acc s;
    rtx_vec_sum_init(&s);
    size_t j = 0, end = n - n % CHUNK;
    /* For an inline int w = x << 3 with x in [-2^60, 2^60):
     * (w ^ 2^63) >> 3 (logical) == x + 2^60, so a lane sum needs no
     * arithmetic shift (x86 has none for 64-bit lanes before AVX-512);
     * the 2^60 biases come off at the end. */
    const v4i flip = v_set1(RTX_VEC_SIGN);
    v4i ints = v_zero();
    uint64_t nbiased = 0;

    for (; j < end && !s.in_float; j += CHUNK) {
        v4i c = v_zero(), tags = v_zero();
        for (int k = 0; k < CHUNK; k += 4) {
            v4i w = v_load(d + j + k);
            tags = v_or(tags, w);
            c = v_add(c, v_srl3(v_xor(w, flip)));
        }
        if (v_tags_clear(tags)) {
            ints = v_add(ints, c);
            nbiased += CHUNK;
        } else {
            rtx_vec_sum_step(&s, d, j, j + CHUNK);   /* may start the float phase */
        }
    }
    if (j < end) {
        /* the float phase: lanes of a0 are accumulators 0..3, of a1 4..7 */
        const v4i ftag = v_set1(RT_TAG_FLOAT);
        v4d a0 = vd_load(s.a), a1 = vd_load(s.a + 4);
        for (; j < end; j += CHUNK) {
            v4d b0 = a0, b1 = a1;   /* the adds are undone by restoring these */
            v4i tags = v_zero();
            for (int k = 0; k < CHUNK; k += 8) {
                /* w ^ FLOAT clears a float's tag: it is both the decoded
                 * double and, OR-ed up, the check that every tag was FLOAT */
                v4i x0 = v_xor(v_load(d + j + k), ftag), x1 = v_xor(v_load(d + j + k + 4), ftag);
                tags = v_or(tags, v_or(x0, x1));
                a0 = vd_add(a0, v_as_pd(x0));
                a1 = vd_add(a1, v_as_pd(x1));
            }
            if (!v_tags_clear(tags)) {
                vd_store(s.a, b0);
                vd_store(s.a + 4, b1);
                rtx_vec_sum_step(&s, d, j, j + CHUNK);
                a0 = vd_load(s.a);
                a1 = vd_load(s.a + 4);
            }
        }
        vd_store(s.a, a0);
        vd_store(s.a + 4, a1);
    }
    rtx_vec_sum_step(&s, d, j, n);
    /* Int-phase partial sums commute (wrapping addition), and the float
     * phase never reads p, so the vector part joins p at the end. */
    int64_t l[4];
    v_lanes(ints, l);
    uint64_t vsum = (uint64_t)l[0] + (uint64_t)l[1] + (uint64_t)l[2] + (uint64_t)l[3];
    s.p = (int64_t)((uint64_t)s.p + vsum - (nbiased << 60));
    return rtx_vec_sum_finish(&s);
}

rtx_vec_num RTX_VEC_FAST(product)(const RtValue *d, size_t n)
{
    rtx_vec_acc s;
    rtx_vec_product_init(&s);
    size_t j = 0, end = n - n % CHUNK;
    /* No 64-bit vector multiply before AVX-512: all-int chunks are checked
     * with vectors and multiplied in four independent wrapping products. */
    uint64_t p[4] = {1, 1, 1, 1};

    for (; j < end && !s.in_float; j += CHUNK) {
        v4i tags = v_zero();
        for (int k = 0; k < CHUNK; k += 4)
            tags = v_or(tags, v_load(d + j + k));
        if (v_tags_clear(tags)) {
            for (int k = 0; k < CHUNK; k++)
                p[k & 3] *= (uint64_t)((int64_t)d[j + k] >> 3);
        } else {
            rtx_vec_product_step(&s, d, j, j + CHUNK);
        }
    }
    if (j < end) {
        const v4i ftag = v_set1(RT_TAG_FLOAT);
        v4d a0 = vd_load(s.a), a1 = vd_load(s.a + 4);
        for (; j < end; j += CHUNK) {
            v4d b0 = a0, b1 = a1;
            v4i tags = v_zero();
            for (int k = 0; k < CHUNK; k += 8) {
                v4i x0 = v_xor(v_load(d + j + k), ftag), x1 = v_xor(v_load(d + j + k + 4), ftag);
                tags = v_or(tags, v_or(x0, x1));
                a0 = vd_mul(a0, v_as_pd(x0));
                a1 = vd_mul(a1, v_as_pd(x1));
            }
            if (!v_tags_clear(tags)) {
                vd_store(s.a, b0);
                vd_store(s.a + 4, b1);
                rtx_vec_product_step(&s, d, j, j + CHUNK);
                a0 = vd_load(s.a);
                a1 = vd_load(s.a + 4);
            }
        }
        vd_store(s.a, a0);
        vd_store(s.a + 4, a1);
    }
    rtx_vec_product_step(&s, d, j, n);
    s.p = (int64_t)((uint64_t)s.p * (p[0] * p[1] * p[2] * p[3]));
    return rtx_vec_product_finish(&s);
}

/* ---- min and max ---- */

/* A run of consecutive all-int chunks keeps lane-wise extremes in m; when
 * the run ends they meet the kept value. Inline words order like their ints
 * (signed 64-bit), and equal inline ints are the same word, so which
 * occurrence wins cannot show. */
typedef struct int_run {
    v4i m;
    int live;
} int_run;

static void int_run_flush(int_run *r, rtx_vec_kept *k, int max)
{
    if (!r->live)
        return;
    r->live = 0;
    int64_t l[4];
    v_lanes(r->m, l);
    int64_t best = l[0];
    for (int j = 1; j < 4; j++)
        if (max ? l[j] > best : l[j] < best)
            best = l[j];
    int64_t x = best >> 3;
    if (k->cls == RTX_VEC_INT && (max ? x > k->i : x < k->i)) {
        k->word = (RtValue)best;
        k->i = x;
    }
}

/* Lane-wise: b where it is beyond a (greater for max, smaller for min). */
static inline v4i int_extreme(v4i a, v4i b, int max)
{
    return v_select(a, b, max ? v_cmpgt(b, a) : v_cmpgt(a, b));
}

/* A chunk into the int run; 0 (run unchanged) when it is not all ints. */
static int int_chunk(int_run *r, const RtValue *d, int max)
{
    /* two independent chains of compare+blend, so their latencies overlap */
    v4i m0 = v_load(d), m1 = v_load(d + 4), tags = v_or(m0, m1);
    for (int j = 8; j < CHUNK; j += 8) {
        v4i w0 = v_load(d + j), w1 = v_load(d + j + 4);
        tags = v_or(tags, v_or(w0, w1));
        m0 = int_extreme(m0, w0, max);
        m1 = int_extreme(m1, w1, max);
    }
    v4i m = int_extreme(m0, m1, max);
    if (!v_tags_clear(tags))
        return 0;
    if (r->live)
        m = int_extreme(r->m, m, max);
    r->m = m;
    r->live = 1;
    return 1;
}

/* A run of all-float chunks keeps lane-wise extremes and the index of their
 * first occurrence (ties keep the earlier one, NaNs never replace), so the
 * element a left-to-right scan would keep is the lane extreme with the
 * smallest index; -0.0 and +0.0 follow order too. */
typedef struct float_run {
    v4d m;
    v4i at;
    int live;
} float_run;

static void float_run_flush(float_run *r, rtx_vec_kept *k, const RtValue *d, int max)
{
    if (!r->live)
        return;
    r->live = 0;
    double l[4];
    int64_t at[4];
    vd_lanes(r->m, l);
    v_lanes(r->at, at);
    int b = -1;
    for (int j = 0; j < 4; j++) {
        if (at[j] < 0)
            continue;   /* nothing replaced the lane's ±inf start (NaNs, infinities) */
        if (b < 0 || (max ? l[j] > l[b] : l[j] < l[b]) || (l[j] == l[b] && at[j] < at[b]))
            b = j;
    }
    if (b < 0)
        return;
    double kv = k->cls == RTX_VEC_INT ? (double)k->i : k->f;
    if (max ? l[b] > kv : l[b] < kv) {
        k->word = d[at[b]];
        k->cls = RTX_VEC_FLOAT;
        k->f = l[b];
    }
}

/* A chunk starting at index j into the float run; 0 when not all floats. */
static int float_chunk(float_run *r, const RtValue *d, size_t j, int max)
{
    v4d m;
    v4i at;
    if (r->live) {
        m = r->m;
        at = r->at;
    } else {
        m = vd_set1(max ? -INFINITY : INFINITY);
        at = v_set1(~UINT64_C(0));   /* -1: nothing yet */
    }
    v4i idx = v_add(v_set1(j), v_load((const RtValue[]){0, 1, 2, 3}));
    v4i tags = v_zero();
    const v4i ftag = v_set1(RT_TAG_FLOAT);
    for (int k = 0; k < CHUNK; k += 4) {
        v4i w = v_xor(v_load(d + j + k), ftag);   /* decoded, if the tag was FLOAT */
        tags = v_or(tags, w);
        v4d x = v_as_pd(w);
        v4d beyond = max ? vd_gt(x, m) : vd_gt(m, x);   /* ordered: false for NaN */
        m = vd_select(m, x, beyond);
        at = v_select(at, idx, vd_as_si(beyond));
        idx = v_add(idx, v_set1(4));
    }
    if (!v_tags_clear(tags))
        return 0;
    r->m = m;
    r->at = at;
    r->live = 1;
    return 1;
}

static RtValue fast_minmax(const RtValue *d, size_t n, int max)
{
    rtx_vec_kept k;
    rtx_vec_kept_init(&k, d[0]);
    int_run ir = {.live = 0};
    float_run fr = {.live = 0};
    size_t j = 1;
    for (; j + CHUNK <= n && !rtx_vec_kept_final(&k); j += CHUNK) {
        /* Runs meet k in order: an int run only while k is an int (its
         * comparisons are int/int), a float run while k is a number. */
        if (k.cls == RTX_VEC_INT && !fr.live && int_chunk(&ir, d + j, max))
            continue;
        int_run_flush(&ir, &k, max);
        if (float_chunk(&fr, d, j, max))
            continue;
        float_run_flush(&fr, &k, d, max);
        rtx_vec_minmax_step(&k, max, d, j, j + CHUNK);
    }
    int_run_flush(&ir, &k, max);
    float_run_flush(&fr, &k, d, max);
    rtx_vec_minmax_step(&k, max, d, j, n);
    return k.word;
}

RtValue RTX_VEC_FAST(min)(const RtValue *d, size_t n) { return fast_minmax(d, n, 0); }
RtValue RTX_VEC_FAST(max)(const RtValue *d, size_t n) { return fast_minmax(d, n, 1); }

/* ---- all and any ---- */

/* Whether a chunk whose words share one tag holds a falsy element (all) or
 * a truthy one (any): 1 yes, 0 no, -1 not a single-tag chunk. An int is
 * falsy when its word is 0; a float when its bits without sign and tag are
 * 0 (±0.0; NaN is truthy). */
static int chunk_has(const RtValue *d, int any)
{
    const v4i fmask = v_set1(~(RTX_VEC_SIGN | 7));
    v4i itags = v_zero(), ftags = v_zero();
    v4i iz = any ? v_set1(~UINT64_C(0)) : v_zero(), fz = iz;   /* all zero / any zero */
    for (int j = 0; j < CHUNK; j += 4) {
        v4i w = v_load(d + j);
        itags = v_or(itags, w);
        ftags = v_float_tags(ftags, w);
        v4i zi = v_cmpeq(w, v_zero()), zf = v_cmpeq(v_and(w, fmask), v_zero());
        iz = any ? v_and(iz, zi) : v_or(iz, zi);
        fz = any ? v_and(fz, zf) : v_or(fz, zf);
    }
    v4i z;
    if (v_tags_clear(itags))
        z = iz;
    else if (v_tags_clear(ftags))
        z = fz;
    else
        return -1;
    if (any)   /* a truthy element unless every lane is zero */
        return !v_all_zero(v_xor(z, v_set1(~UINT64_C(0))));
    return !v_all_zero(z);   /* a falsy element when some lane is zero */
}

static bool fast_allany(const RtValue *d, size_t n, int any)
{
    size_t j = 0;
    for (; j + CHUNK <= n; j += CHUNK) {
        int t = chunk_has(d + j, any);
        if (t > 0)
            return any;   /* a truthy element (any) or a falsy one (all) */
        if (t < 0)
            for (size_t k = j; k < j + CHUNK; k++)
                if (rt_value_truthy(d[k]) == (bool)any)
                    return any;
    }
    for (; j < n; j++)
        if (rt_value_truthy(d[j]) == (bool)any)
            return any;
    return !any;
}

bool RTX_VEC_FAST(all)(const RtValue *d, size_t n) { return fast_allany(d, n, 0); }
bool RTX_VEC_FAST(any)(const RtValue *d, size_t n) { return fast_allany(d, n, 1); }
