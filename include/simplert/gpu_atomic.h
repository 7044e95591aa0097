/*
 * simplert/gpu_atomic.h — sequentially consistent atomics on raw memory
 * words that return the old value. Contract: spec/ffi/gpu_atomic.sdn.
 * A NULL or misaligned pointer returns 0 and writes nothing.
 */
#ifndef SIMPLERT_GPU_ATOMIC_H
#define SIMPLERT_GPU_ATOMIC_H

#include "simplert/core.h"

#ifdef __cplusplus
extern "C" {
#endif

RT_API int64_t rt_gpu_atomic_add_i64(int64_t *ptr, int64_t value);
RT_API int64_t rt_gpu_atomic_sub_i64(int64_t *ptr, int64_t value);
RT_API int64_t rt_gpu_atomic_xchg_i64(int64_t *ptr, int64_t value);
RT_API int64_t rt_gpu_atomic_min_i64(int64_t *ptr, int64_t value);
RT_API int64_t rt_gpu_atomic_max_i64(int64_t *ptr, int64_t value);
RT_API int64_t rt_gpu_atomic_and_i64(int64_t *ptr, int64_t value);
RT_API int64_t rt_gpu_atomic_or_i64(int64_t *ptr, int64_t value);
RT_API int64_t rt_gpu_atomic_xor_i64(int64_t *ptr, int64_t value);
RT_API int64_t rt_gpu_atomic_cmpxchg_i64(int64_t *ptr, int64_t expected, int64_t desired);
RT_API uint32_t rt_gpu_atomic_add_u32(uint32_t *ptr, uint32_t value);
RT_API uint32_t rt_gpu_atomic_sub_u32(uint32_t *ptr, uint32_t value);
RT_API uint32_t rt_gpu_atomic_xchg_u32(uint32_t *ptr, uint32_t value);
RT_API uint32_t rt_gpu_atomic_min_u32(uint32_t *ptr, uint32_t value);
RT_API uint32_t rt_gpu_atomic_max_u32(uint32_t *ptr, uint32_t value);
RT_API uint32_t rt_gpu_atomic_and_u32(uint32_t *ptr, uint32_t value);
RT_API uint32_t rt_gpu_atomic_or_u32(uint32_t *ptr, uint32_t value);
RT_API uint32_t rt_gpu_atomic_xor_u32(uint32_t *ptr, uint32_t value);
RT_API uint32_t rt_gpu_atomic_cmpxchg_u32(uint32_t *ptr, uint32_t expected, uint32_t desired);
RT_API int64_t rt_gpu_atomic_add(int64_t *ptr, int64_t value);
RT_API int64_t rt_gpu_atomic_sub(int64_t *ptr, int64_t value);
RT_API int64_t rt_gpu_atomic_min(int64_t *ptr, int64_t value);
RT_API int64_t rt_gpu_atomic_max(int64_t *ptr, int64_t value);
RT_API int64_t rt_gpu_atomic_and(int64_t *ptr, int64_t value);
RT_API int64_t rt_gpu_atomic_or(int64_t *ptr, int64_t value);
RT_API int64_t rt_gpu_atomic_xor(int64_t *ptr, int64_t value);
RT_API int64_t rt_gpu_atomic_exchange(int64_t *ptr, int64_t value);
RT_API int64_t rt_gpu_atomic_cmpxchg(int64_t *ptr, int64_t expected, int64_t desired);

#ifdef __cplusplus
}
#endif
#endif /* SIMPLERT_GPU_ATOMIC_H */
