/*
 * simplert/gpu_backend.h — which GPU backends can run here and which one
 * Simple's gpu library has selected. Contract: spec/ffi/gpu_backend.sdn.
 * Ids: 0 CPU, 1 Vulkan, 2 CUDA, 99 Auto. 64-bit parameters and returns:
 * these functions are called through the all-I64 fallback.
 */
#ifndef SIMPLERT_GPU_BACKEND_H
#define SIMPLERT_GPU_BACKEND_H

#include "simplert/core.h"

#ifdef __cplusplus
extern "C" {
#endif

RT_API int64_t rt_gpu_backend_available(int32_t *out_ids, int64_t max_count);
RT_API int64_t rt_gpu_backend_set(int64_t backend);
RT_API int64_t rt_gpu_backend_get(void);
RT_API int64_t rt_gpu_backend_is_available(int64_t backend);
RT_API int64_t rt_gpu_backend_name(int64_t backend, uint8_t *buf, int64_t buf_len);

#ifdef __cplusplus
}
#endif
#endif /* SIMPLERT_GPU_BACKEND_H */
