/*
 * simd/vec_math.c — element-wise vector math.
 *
 * Implements (spec/ffi/vec.sdn): rt_vec_sqrt, rt_vec_abs, rt_vec_floor,
 * rt_vec_ceil, rt_vec_round, rt_vec_recip, rt_vec_fma, rt_vec_min_vec,
 * rt_vec_max_vec, rt_vec_clamp. Each validates its arrays, allocates the
 * result array and lets the SIMDe fast kernel (simd/vec_fast_map.c) fill its
 * buffer directly; simd/vec_ref.c defines the lanes.
 */
#include "simd/vec_internal.h"
#include "simplert/value.h"
#include "simplert/vec.h"

static size_t min_len(size_t a, size_t b) { return a < b ? a : b; }

/* A new array of n lanes whose buffer the kernel fills; NULL on OOM. */
static RtArray *result_array(size_t n, RtValue *out)
{
    *out = rt_array_new(n);   /* n is another array's length, so within the cap */
    return *out == RT_NIL ? NULL : rtx_vec_array(*out);
}

static RtValue unary(RtValue vec, int op)
{
    const RtArray *a = rtx_vec_array(vec);
    RtValue out;
    RtArray *r = a ? result_array(a->len, &out) : NULL;
    if (r == NULL)
        return RT_NIL;
    if (RTX_VEC_FAST(unary)(op, a->data, a->len, r->data) != 0) {
        /* abs could not box a lane: every boxed lane of an abs result is new */
        for (size_t i = 0; i < a->len; i++)
            if (rtx_heap_get(r->data[i], RT_HEAP_BIGINT))
                rt_free(r->data[i]);
        rt_free(out);
        return RT_NIL;
    }
    r->len = a->len;
    return out;
}

RT_API RtValue rt_vec_sqrt(RtValue vec) { return unary(vec, RTX_VEC_SQRT); }
RT_API RtValue rt_vec_abs(RtValue vec) { return unary(vec, RTX_VEC_ABS); }
RT_API RtValue rt_vec_floor(RtValue vec) { return unary(vec, RTX_VEC_FLOOR); }
RT_API RtValue rt_vec_ceil(RtValue vec) { return unary(vec, RTX_VEC_CEIL); }
RT_API RtValue rt_vec_round(RtValue vec) { return unary(vec, RTX_VEC_ROUND); }
RT_API RtValue rt_vec_recip(RtValue vec) { return unary(vec, RTX_VEC_RECIP); }

RT_API RtValue rt_vec_fma(RtValue a, RtValue b, RtValue c)
{
    const RtArray *x = rtx_vec_array(a), *y = rtx_vec_array(b), *z = rtx_vec_array(c);
    if (x == NULL || y == NULL || z == NULL)
        return RT_NIL;
    size_t n = min_len(min_len(x->len, y->len), z->len);
    RtValue out;
    RtArray *r = result_array(n, &out);
    if (r == NULL)
        return RT_NIL;
    RTX_VEC_FAST(fma)(x->data, y->data, z->data, n, r->data);
    r->len = n;
    return out;
}

static RtValue pick(RtValue a, RtValue b, int op)
{
    const RtArray *x = rtx_vec_array(a), *y = rtx_vec_array(b);
    if (x == NULL || y == NULL)
        return RT_NIL;
    size_t n = min_len(x->len, y->len);
    RtValue out;
    RtArray *r = result_array(n, &out);
    if (r == NULL)
        return RT_NIL;
    RTX_VEC_FAST(pick)(op, x->data, y->data, n, r->data);
    r->len = n;
    return out;
}

RT_API RtValue rt_vec_min_vec(RtValue a, RtValue b) { return pick(a, b, RTX_VEC_PICK_MIN); }
RT_API RtValue rt_vec_max_vec(RtValue a, RtValue b) { return pick(a, b, RTX_VEC_PICK_MAX); }

/* A clamp bound: an array (its buffer, step 1, its length limits n) or a
 * number broadcast to every lane (step 0). 0 when it is neither. */
static int clamp_bound(RtValue *word, const RtValue **p, size_t *step, size_t *n)
{
    const RtArray *a = rtx_vec_array(*word);
    if (a) {
        *p = a->data;
        *step = 1;
        *n = min_len(*n, a->len);
        return 1;
    }
    if (!rt_value_is_int(*word) && !rt_value_is_float(*word))
        return 0;
    *p = word;
    *step = 0;
    return 1;
}

RT_API RtValue rt_vec_clamp(RtValue vec, RtValue lo, RtValue hi)
{
    const RtArray *v = rtx_vec_array(vec);
    if (v == NULL)
        return RT_NIL;
    size_t n = v->len, lo_step, hi_step;
    const RtValue *lp, *hp;
    if (!clamp_bound(&lo, &lp, &lo_step, &n) || !clamp_bound(&hi, &hp, &hi_step, &n))
        return RT_NIL;
    RtValue out;
    RtArray *r = result_array(n, &out);
    if (r == NULL)
        return RT_NIL;
    RTX_VEC_FAST(clamp)(v->data, lp, lo_step, hp, hi_step, n, r->data);
    r->len = n;
    return out;
}
