/*
 * simd/vec_internal.h — what the vec family's files share.
 *
 * The family has two implementations of every numeric kernel:
 *   - simd/vec_ref.c, the scalar reference: the spec's definition
 *     (spec/ffi/vec.sdn, family notes), written for clarity;
 *   - simd/vec_fast_reduce.c and simd/vec_fast_map.c, the SIMDe fast paths
 *     the exported functions use. They must give the same words bit for bit
 *     on every instruction set; tests/simd, tests/simd_portable and the vec
 *     fuzz target compare the two.
 * Both are reached through an rtx_vec_kernels table so a test can run either.
 *
 * A fast path hands any chunk it cannot vectorise (boxed ints, mixed
 * classes, non-numbers) to the reference's step functions below, which carry
 * the reduction state; that keeps a single definition of the hard cases.
 */
#ifndef RTX_VEC_INTERNAL_H
#define RTX_VEC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "runtime/heap.h"
#include "runtime/layout.h"
#include "simplert/core.h"

#define RTX_VEC_FLOAT_ACCS 8      /* float accumulators of sum/product (spec) */
#define RTX_VEC_MAX_LOAD 64       /* largest lane count rt_vec_load accepts */
#define RTX_VEC_DEFAULT_LOAD 4    /* lanes 0: upstream's fixed width */
#define RTX_VEC_CANON_NAN UINT64_C(0x7FF8000000000000)   /* bits of every NaN result */
#define RTX_VEC_FLOAT_MASK (~UINT64_C(7))
#define RTX_VEC_SIGN UINT64_C(0x8000000000000000)

/* Element classes (spec: family notes). */
enum { RTX_VEC_OTHER = 0, RTX_VEC_INT = 1, RTX_VEC_FLOAT = 2 };

/* Element-wise unary operations. */
enum { RTX_VEC_SQRT, RTX_VEC_ABS, RTX_VEC_FLOOR, RTX_VEC_CEIL, RTX_VEC_ROUND, RTX_VEC_RECIP,
       RTX_VEC_NUNARY };

/* Which of a[i], b[i] rt_vec_min_vec / rt_vec_max_vec keep. */
enum { RTX_VEC_PICK_MIN, RTX_VEC_PICK_MAX };

static inline double rtx_vec_bits_to_f64(uint64_t b)
{
    double d;
    memcpy(&d, &b, sizeof d);
    return d;
}

static inline uint64_t rtx_vec_f64_to_bits(double d)
{
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    return b;
}

/* The class of v; the number in *i (ints) or *f (floats). */
static inline int rtx_vec_class(RtValue v, int64_t *i, double *f)
{
    switch (v & RT_TAG_MASK) {
    case RT_TAG_INT:
        *i = (int64_t)v >> 3;   /* arithmetic shift: gcc and clang guarantee it */
        return RTX_VEC_INT;
    case RT_TAG_FLOAT:
        *f = rtx_vec_bits_to_f64(v & RTX_VEC_FLOAT_MASK);
        return RTX_VEC_FLOAT;
    case RT_TAG_HEAP: {
        const RtBigInt *b = (const RtBigInt *)rtx_heap_get(v, RT_HEAP_BIGINT);
        if (b == NULL)
            return RTX_VEC_OTHER;
        *i = b->value;
        return RTX_VEC_INT;
    }
    default:
        return RTX_VEC_OTHER;
    }
}

/* A float result word: the canonical NaN for any NaN, else rt_value_float's encoding. */
static inline RtValue rtx_vec_float_word(double d)
{
    uint64_t b = d != d ? RTX_VEC_CANON_NAN : rtx_vec_f64_to_bits(d);
    return (b & RTX_VEC_FLOAT_MASK) | RT_TAG_FLOAT;
}

/* ---- reduction state shared by the reference and the fast paths ---- */

/* Sum or product in progress: an int phase (wrapping p) until the first
 * float, then the float phase (element j into a[j % 8]). */
typedef struct rtx_vec_acc {
    int in_float;
    int64_t p;
    double a[RTX_VEC_FLOAT_ACCS];
} rtx_vec_acc;

/* A finished sum or product. */
typedef struct rtx_vec_num {
    int is_float;
    int64_t i;
    double f;
} rtx_vec_num;

/* The element min/max keeps so far, with its class and number cached. */
typedef struct rtx_vec_kept {
    RtValue word;
    int cls;
    int64_t i;
    double f;
} rtx_vec_kept;

void rtx_vec_sum_init(rtx_vec_acc *s);
void rtx_vec_sum_step(rtx_vec_acc *s, const RtValue *d, size_t from, size_t to);
rtx_vec_num rtx_vec_sum_finish(const rtx_vec_acc *s);
void rtx_vec_product_init(rtx_vec_acc *s);
void rtx_vec_product_step(rtx_vec_acc *s, const RtValue *d, size_t from, size_t to);
rtx_vec_num rtx_vec_product_finish(const rtx_vec_acc *s);

void rtx_vec_kept_init(rtx_vec_kept *k, RtValue word);
/* max = 0: keep e when cmp(e, kept) < 0; max = 1: when cmp(e, kept) > 0. */
void rtx_vec_minmax_step(rtx_vec_kept *k, int max, const RtValue *d, size_t from, size_t to);
/* Once the kept element is NaN or a non-number nothing can replace it. */
static inline int rtx_vec_kept_final(const rtx_vec_kept *k)
{
    return k->cls == RTX_VEC_OTHER || (k->cls == RTX_VEC_FLOAT && k->f != k->f);
}

/* cmp(a, b) of the spec: -1, 0 or 1. */
int rtx_vec_cmp(RtValue a, RtValue b);

/* One lane of an element-wise operation; *err = 1 when a box cannot be made. */
RtValue rtx_vec_unary_lane(int op, RtValue v, int *err);
RtValue rtx_vec_fma_lane(RtValue a, RtValue b, RtValue c);
RtValue rtx_vec_pick_lane(int op, RtValue a, RtValue b);
RtValue rtx_vec_clamp_lane(RtValue v, RtValue lo, RtValue hi);

/* ---- the kernels, reference or fast ---- */
typedef struct rtx_vec_kernels {
    const char *name;
    rtx_vec_num (*sum)(const RtValue *d, size_t n);
    rtx_vec_num (*product)(const RtValue *d, size_t n);
    RtValue (*min)(const RtValue *d, size_t n);   /* n >= 1 */
    RtValue (*max)(const RtValue *d, size_t n);   /* n >= 1 */
    bool (*all)(const RtValue *d, size_t n);
    bool (*any)(const RtValue *d, size_t n);
    /* out[0..n) = op(d[i]); 0, or -1 when a box could not be allocated (the
     * lanes written so far may hold boxes the caller must free). */
    int (*unary)(int op, const RtValue *d, size_t n, RtValue *out);
    void (*fma)(const RtValue *a, const RtValue *b, const RtValue *c, size_t n, RtValue *out);
    void (*pick)(int op, const RtValue *a, const RtValue *b, size_t n, RtValue *out);
    /* lo/hi advance by lo_step/hi_step words per lane (0: a broadcast word). */
    void (*clamp)(const RtValue *v, const RtValue *lo, size_t lo_step, const RtValue *hi,
                  size_t hi_step, size_t n, RtValue *out);
} rtx_vec_kernels;

extern const rtx_vec_kernels rtx_vec_ref_kernels;

/* The fast kernels' names: rtx_vec_fast_*, or rtx_vec_portable_* in the copy
 * tests/simd_portable builds with SIMDE_NO_NATIVE beside the library's. */
#ifdef RTX_VEC_PORTABLE
#define RTX_VEC_FAST(name) rtx_vec_portable_##name
#else
#define RTX_VEC_FAST(name) rtx_vec_fast_##name
#endif
extern const rtx_vec_kernels RTX_VEC_FAST(kernels);

rtx_vec_num RTX_VEC_FAST(sum)(const RtValue *d, size_t n);
rtx_vec_num RTX_VEC_FAST(product)(const RtValue *d, size_t n);
RtValue RTX_VEC_FAST(min)(const RtValue *d, size_t n);
RtValue RTX_VEC_FAST(max)(const RtValue *d, size_t n);
bool RTX_VEC_FAST(all)(const RtValue *d, size_t n);
bool RTX_VEC_FAST(any)(const RtValue *d, size_t n);
int RTX_VEC_FAST(unary)(int op, const RtValue *d, size_t n, RtValue *out);
void RTX_VEC_FAST(fma)(const RtValue *a, const RtValue *b, const RtValue *c, size_t n,
                       RtValue *out);
void RTX_VEC_FAST(pick)(int op, const RtValue *a, const RtValue *b, size_t n, RtValue *out);
void RTX_VEC_FAST(clamp)(const RtValue *v, const RtValue *lo, size_t lo_step, const RtValue *hi,
                         size_t hi_step, size_t n, RtValue *out);

/* The array behind v, or NULL (the public functions' one validation). */
static inline RtArray *rtx_vec_array(RtValue v)
{
    return (RtArray *)rtx_heap_get(v, RT_HEAP_ARRAY);
}

#endif /* RTX_VEC_INTERNAL_H */
