/*
 * simd/vec_ref.c — the scalar reference of the vec family's numeric kernels:
 * the definition in spec/ffi/vec.sdn written out, one element at a time.
 *
 * Defines (for rt_vec_sum, rt_vec_product, rt_vec_min, rt_vec_max,
 * rt_vec_all, rt_vec_any, rt_vec_sqrt, rt_vec_abs, rt_vec_floor,
 * rt_vec_ceil, rt_vec_round, rt_vec_recip, rt_vec_fma, rt_vec_min_vec,
 * rt_vec_max_vec, rt_vec_clamp): the step functions the fast paths fall back
 * to, the lane functions, and rtx_vec_ref_kernels. The exported functions
 * run the fast kernels; this file stays as the oracle they are tested against
 * (tests/simd, tests/simd_portable, fuzz/targets/vec.c).
 */
#include <math.h>

#include "simd/vec_internal.h"
#include "simplert/value.h"

/* ---- sum and product ---- */

void rtx_vec_sum_init(rtx_vec_acc *s)
{
    s->in_float = 0;
    s->p = 0;
    for (int k = 0; k < RTX_VEC_FLOAT_ACCS; k++)
        s->a[k] = -0.0;   /* the exact identity of IEEE addition (+0.0 would turn -0.0 into +0.0) */
}

void rtx_vec_sum_step(rtx_vec_acc *s, const RtValue *d, size_t from, size_t to)
{
    for (size_t j = from; j < to; j++) {
        int64_t i = 0;
        double f = 0.0;
        int c = rtx_vec_class(d[j], &i, &f);
        if (c == RTX_VEC_OTHER)
            continue;
        if (!s->in_float) {
            if (c == RTX_VEC_INT) {
                s->p = (int64_t)((uint64_t)s->p + (uint64_t)i);   /* wrapping_add */
                continue;
            }
            s->in_float = 1;   /* from this float on, every number is a double */
        }
        s->a[j % RTX_VEC_FLOAT_ACCS] += c == RTX_VEC_INT ? (double)i : f;
    }
}

rtx_vec_num rtx_vec_sum_finish(const rtx_vec_acc *s)
{
    rtx_vec_num r = {0, s->p, 0.0};
    if (s->in_float) {
        const double *a = s->a;
        double t = ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
        r.is_float = 1;
        r.f = (double)s->p + t;
    }
    return r;
}

void rtx_vec_product_init(rtx_vec_acc *s)
{
    s->in_float = 0;
    s->p = 1;
    for (int k = 0; k < RTX_VEC_FLOAT_ACCS; k++)
        s->a[k] = 1.0;
}

void rtx_vec_product_step(rtx_vec_acc *s, const RtValue *d, size_t from, size_t to)
{
    for (size_t j = from; j < to; j++) {
        int64_t i = 0;
        double f = 0.0;
        int c = rtx_vec_class(d[j], &i, &f);
        if (c == RTX_VEC_OTHER)
            continue;
        if (!s->in_float) {
            if (c == RTX_VEC_INT) {
                s->p = (int64_t)((uint64_t)s->p * (uint64_t)i);   /* wrapping_mul */
                continue;
            }
            s->in_float = 1;
        }
        s->a[j % RTX_VEC_FLOAT_ACCS] *= c == RTX_VEC_INT ? (double)i : f;
    }
}

rtx_vec_num rtx_vec_product_finish(const rtx_vec_acc *s)
{
    rtx_vec_num r = {0, s->p, 0.0};
    if (s->in_float) {
        const double *a = s->a;
        double t = ((a[0] * a[1]) * (a[2] * a[3])) * ((a[4] * a[5]) * (a[6] * a[7]));
        r.is_float = 1;
        r.f = (double)s->p * t;
    }
    return r;
}

/* ---- comparison, min and max ---- */

/* cmp of two classified values (spec: upstream's compare_values). */
static int cmp_num(int ca, int64_t ia, double fa, int cb, int64_t ib, double fb)
{
    if (ca == RTX_VEC_OTHER || cb == RTX_VEC_OTHER)
        return 0;
    if (ca == RTX_VEC_INT && cb == RTX_VEC_INT)
        return (ia > ib) - (ia < ib);
    double x = ca == RTX_VEC_INT ? (double)ia : fa;
    double y = cb == RTX_VEC_INT ? (double)ib : fb;
    return (x > y) - (x < y);   /* NaN on either side: 0 */
}

int rtx_vec_cmp(RtValue a, RtValue b)
{
    int64_t ia = 0, ib = 0;
    double fa = 0.0, fb = 0.0;
    int ca = rtx_vec_class(a, &ia, &fa);
    int cb = rtx_vec_class(b, &ib, &fb);
    return cmp_num(ca, ia, fa, cb, ib, fb);
}

void rtx_vec_kept_init(rtx_vec_kept *k, RtValue word)
{
    k->word = word;
    k->i = 0;
    k->f = 0.0;
    k->cls = rtx_vec_class(word, &k->i, &k->f);
}

void rtx_vec_minmax_step(rtx_vec_kept *k, int max, const RtValue *d, size_t from, size_t to)
{
    for (size_t j = from; j < to && !rtx_vec_kept_final(k); j++) {
        int64_t i = 0;
        double f = 0.0;
        int c = rtx_vec_class(d[j], &i, &f);
        int r = cmp_num(c, i, f, k->cls, k->i, k->f);
        if (max ? r > 0 : r < 0) {
            k->word = d[j];
            k->cls = c;
            k->i = i;
            k->f = f;
        }
    }
}

/* ---- element-wise lanes ---- */

static double as_double(int c, int64_t i, double f)
{
    return c == RTX_VEC_INT ? (double)i : c == RTX_VEC_FLOAT ? f : 0.0;
}

RtValue rtx_vec_unary_lane(int op, RtValue v, int *err)
{
    int64_t i = 0;
    double f = 0.0;
    int c = rtx_vec_class(v, &i, &f);
    if (c == RTX_VEC_OTHER)
        return op == RTX_VEC_RECIP ? rtx_vec_float_word(INFINITY) : v;
    switch (op) {
    case RTX_VEC_SQRT:
        return rtx_vec_float_word(sqrt(as_double(c, i, f)));
    case RTX_VEC_ABS: {
        if (c == RTX_VEC_FLOAT)
            return v & ~RTX_VEC_SIGN;   /* fabs; a NaN keeps its payload (not canonicalised) */
        /* wrapping_abs; a result beyond 61 bits becomes a new box */
        RtValue r = rt_value_int(i < 0 ? (int64_t)(0 - (uint64_t)i) : i);
        if (r == RT_NIL)
            *err = 1;
        return r;
    }
    case RTX_VEC_FLOOR:
        return c == RTX_VEC_INT ? v : rtx_vec_float_word(floor(f));
    case RTX_VEC_CEIL:
        return c == RTX_VEC_INT ? v : rtx_vec_float_word(ceil(f));
    case RTX_VEC_ROUND:
        return c == RTX_VEC_INT ? v : rtx_vec_float_word(round(f));
    default: /* RTX_VEC_RECIP */
        return rtx_vec_float_word(1.0 / as_double(c, i, f));
    }
}

RtValue rtx_vec_fma_lane(RtValue a, RtValue b, RtValue c)
{
    int64_t ia = 0, ib = 0, ic = 0;
    double fa = 0.0, fb = 0.0, fc = 0.0;
    int ca = rtx_vec_class(a, &ia, &fa);
    int cb = rtx_vec_class(b, &ib, &fb);
    int cc = rtx_vec_class(c, &ic, &fc);
    return rtx_vec_float_word(fma(as_double(ca, ia, fa), as_double(cb, ib, fb),
                                  as_double(cc, ic, fc)));
}

RtValue rtx_vec_pick_lane(int op, RtValue a, RtValue b)
{
    int r = rtx_vec_cmp(a, b);
    if (op == RTX_VEC_PICK_MIN)
        return r > 0 ? b : a;
    return r < 0 ? b : a;
}

RtValue rtx_vec_clamp_lane(RtValue v, RtValue lo, RtValue hi)
{
    RtValue t = rtx_vec_cmp(v, hi) <= 0 ? v : hi;   /* min(v, hi) first, */
    return rtx_vec_cmp(t, lo) >= 0 ? t : lo;        /* then max(lo, .), as upstream */
}

/* ---- the reference kernels ---- */

static rtx_vec_num ref_sum(const RtValue *d, size_t n)
{
    rtx_vec_acc s;
    rtx_vec_sum_init(&s);
    rtx_vec_sum_step(&s, d, 0, n);
    return rtx_vec_sum_finish(&s);
}

static rtx_vec_num ref_product(const RtValue *d, size_t n)
{
    rtx_vec_acc s;
    rtx_vec_product_init(&s);
    rtx_vec_product_step(&s, d, 0, n);
    return rtx_vec_product_finish(&s);
}

static RtValue ref_minmax(const RtValue *d, size_t n, int max)
{
    rtx_vec_kept k;
    rtx_vec_kept_init(&k, d[0]);
    rtx_vec_minmax_step(&k, max, d, 1, n);
    return k.word;
}

static RtValue ref_min(const RtValue *d, size_t n) { return ref_minmax(d, n, 0); }
static RtValue ref_max(const RtValue *d, size_t n) { return ref_minmax(d, n, 1); }

static bool ref_all(const RtValue *d, size_t n)
{
    for (size_t j = 0; j < n; j++)
        if (!rt_value_truthy(d[j]))
            return false;
    return true;
}

static bool ref_any(const RtValue *d, size_t n)
{
    for (size_t j = 0; j < n; j++)
        if (rt_value_truthy(d[j]))
            return true;
    return false;
}

static int ref_unary(int op, const RtValue *d, size_t n, RtValue *out)
{
    int err = 0;
    for (size_t j = 0; j < n; j++)
        out[j] = rtx_vec_unary_lane(op, d[j], &err);
    return err ? -1 : 0;
}

static void ref_fma(const RtValue *a, const RtValue *b, const RtValue *c, size_t n, RtValue *out)
{
    for (size_t j = 0; j < n; j++)
        out[j] = rtx_vec_fma_lane(a[j], b[j], c[j]);
}

static void ref_pick(int op, const RtValue *a, const RtValue *b, size_t n, RtValue *out)
{
    for (size_t j = 0; j < n; j++)
        out[j] = rtx_vec_pick_lane(op, a[j], b[j]);
}

static void ref_clamp(const RtValue *v, const RtValue *lo, size_t lo_step, const RtValue *hi,
                      size_t hi_step, size_t n, RtValue *out)
{
    for (size_t j = 0; j < n; j++)
        out[j] = rtx_vec_clamp_lane(v[j], lo[j * lo_step], hi[j * hi_step]);
}

const rtx_vec_kernels rtx_vec_ref_kernels = {
    "scalar reference", ref_sum, ref_product, ref_min, ref_max, ref_all, ref_any,
    ref_unary, ref_fma, ref_pick, ref_clamp,
};
