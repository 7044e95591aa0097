/*
 * gpu/gpu_atomic.h — internal helpers of the gpu_atomic family.
 *
 * The family has no int32_t FFI entry points (upstream has none): a signed
 * 32-bit word takes the _u32 functions for add, sub, and, or, xor, xchg and
 * cmpxchg, which are bit-identical on two's-complement words. Only min and
 * max depend on the sign, so the signed forms exist here, built by the same
 * compare-exchange loop as the exported ones. The cross-backend atomic table
 * (gpu/atomic_cases.h) uses them for its i32 rows on the host.
 */
#ifndef RTX_GPU_ATOMIC_H
#define RTX_GPU_ATOMIC_H

#include <stdint.h>

/* NULL or misaligned ptr: 0, nothing written (as the exported forms). */
int32_t rtx_gpu_atomic_min_i32(int32_t *ptr, int32_t value);
int32_t rtx_gpu_atomic_max_i32(int32_t *ptr, int32_t value);

#endif /* RTX_GPU_ATOMIC_H */
