/*
 * simd/vec_reduce.c — vector reductions.
 *
 * Implements (spec/ffi/vec.sdn): rt_vec_sum, rt_vec_product, rt_vec_min,
 * rt_vec_max, rt_vec_all, rt_vec_any. Each validates its array and runs the
 * SIMDe fast kernel (simd/vec_fast_reduce.c); simd/vec_ref.c defines the
 * results.
 */
#include "simd/vec_internal.h"
#include "simplert/value.h"
#include "simplert/vec.h"

/* The RtValue of a finished sum or product (an int beyond 61 bits is boxed;
 * NIL if the box cannot be allocated). */
static RtValue num_value(rtx_vec_num r)
{
    return r.is_float ? rtx_vec_float_word(r.f) : rt_value_int(r.i);
}

RT_API RtValue rt_vec_sum(RtValue vec)
{
    const RtArray *a = rtx_vec_array(vec);
    if (a == NULL)
        return rt_value_int(0);
    return num_value(RTX_VEC_FAST(sum)(a->data, a->len));
}

RT_API RtValue rt_vec_product(RtValue vec)
{
    const RtArray *a = rtx_vec_array(vec);
    if (a == NULL)
        return rt_value_int(1);
    return num_value(RTX_VEC_FAST(product)(a->data, a->len));
}

RT_API RtValue rt_vec_min(RtValue vec)
{
    const RtArray *a = rtx_vec_array(vec);
    if (a == NULL || a->len == 0)
        return RT_NIL;
    return RTX_VEC_FAST(min)(a->data, a->len);
}

RT_API RtValue rt_vec_max(RtValue vec)
{
    const RtArray *a = rtx_vec_array(vec);
    if (a == NULL || a->len == 0)
        return RT_NIL;
    return RTX_VEC_FAST(max)(a->data, a->len);
}

RT_API bool rt_vec_all(RtValue vec)
{
    const RtArray *a = rtx_vec_array(vec);
    return a != NULL && RTX_VEC_FAST(all)(a->data, a->len);
}

RT_API bool rt_vec_any(RtValue vec)
{
    const RtArray *a = rtx_vec_array(vec);
    return a != NULL && RTX_VEC_FAST(any)(a->data, a->len);
}
