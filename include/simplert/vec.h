/*
 * simplert/vec.h — SIMD-style vector operations on RtValue arrays: reductions,
 * lane access, element-wise math, shuffles, and the runtime side of the
 * codegen SIMD instructions. Contract: spec/ffi/vec.sdn.
 *
 * Error convention: a vector argument that is not a live array makes the
 * function return its documented default (NIL; int 0 for sum, int 1 for
 * product; false for all/any) or, for the stores, write nothing. Result
 * vectors are new arrays the caller frees with rt_free (shallow: elements
 * are words copied from the inputs, except the new boxed ints of rt_vec_abs).
 */
#ifndef SIMPLERT_VEC_H
#define SIMPLERT_VEC_H

#include "simplert/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Reductions */
RT_API RtValue rt_vec_sum(RtValue vec);
RT_API RtValue rt_vec_product(RtValue vec);
RT_API RtValue rt_vec_min(RtValue vec);
RT_API RtValue rt_vec_max(RtValue vec);
RT_API bool rt_vec_all(RtValue vec);
RT_API bool rt_vec_any(RtValue vec);

/* Lane access */
RT_API RtValue rt_vec_extract(RtValue vec, int64_t index);
RT_API RtValue rt_vec_with(RtValue vec, int64_t index, RtValue value);

/* Element-wise math */
RT_API RtValue rt_vec_sqrt(RtValue vec);
RT_API RtValue rt_vec_abs(RtValue vec);
RT_API RtValue rt_vec_floor(RtValue vec);
RT_API RtValue rt_vec_ceil(RtValue vec);
RT_API RtValue rt_vec_round(RtValue vec);

/* Shuffles */
RT_API RtValue rt_vec_shuffle(RtValue src, RtValue indices);
RT_API RtValue rt_vec_blend(RtValue a, RtValue b, RtValue mask);
RT_API RtValue rt_vec_select(RtValue mask, RtValue if_true, RtValue if_false);

/* Codegen SIMD instructions */
RT_API RtValue rt_vec_load(RtValue array, int64_t offset, int64_t lanes);
RT_API void rt_vec_store(RtValue vec, RtValue array, int64_t offset);
RT_API RtValue rt_vec_gather(RtValue array, RtValue indices);
RT_API void rt_vec_scatter(RtValue vec, RtValue array, RtValue indices);
RT_API RtValue rt_vec_fma(RtValue a, RtValue b, RtValue c);
RT_API RtValue rt_vec_recip(RtValue vec);
RT_API RtValue rt_vec_masked_load(RtValue array, int64_t offset, RtValue mask, RtValue defaults);
RT_API void rt_vec_masked_store(RtValue vec, RtValue array, int64_t offset, RtValue mask);
RT_API RtValue rt_vec_min_vec(RtValue a, RtValue b);
RT_API RtValue rt_vec_max_vec(RtValue a, RtValue b);
RT_API RtValue rt_vec_clamp(RtValue vec, RtValue lo, RtValue hi);
RT_API RtValue rt_neighbor_load(RtValue array, int64_t direction);

#ifdef __cplusplus
}
#endif
#endif /* SIMPLERT_VEC_H */
