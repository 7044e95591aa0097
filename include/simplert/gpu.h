/*
 * simplert/gpu.h — the software GPU execution model compiled @gpu kernels
 * call: work-item getters, barrier, fence, work-group shared memory, and
 * 1-D/3-D launches whose work-groups run in parallel on CPU threads.
 * Contract: spec/ffi/gpu.sdn. Launches return 0, or upstream's
 * VulkanFfiError codes (-7 InvalidParameter, -5 ExecutionFailed,
 * -3 AllocationFailed).
 */
#ifndef SIMPLERT_GPU_H
#define SIMPLERT_GPU_H

#include "simplert/core.h"

#ifdef __cplusplus
extern "C" {
#endif

RT_API uint64_t rt_gpu_global_id(uint32_t dim);
RT_API uint64_t rt_gpu_local_id(uint32_t dim);
RT_API uint64_t rt_gpu_group_id(uint32_t dim);
RT_API uint64_t rt_gpu_global_size(uint32_t dim);
RT_API uint64_t rt_gpu_local_size(uint32_t dim);
RT_API uint64_t rt_gpu_num_groups(uint32_t dim);
RT_API void rt_gpu_barrier(void);
RT_API void rt_gpu_mem_fence(uint32_t scope);
RT_API void *rt_gpu_shared_alloc(uint64_t size);
RT_API void rt_gpu_shared_reset(void);
RT_API int32_t rt_gpu_launch(RtKernelFn kernel, uint32_t gx, uint32_t gy, uint32_t gz, uint32_t lx, uint32_t ly, uint32_t lz);
RT_API int32_t rt_gpu_launch_1d(RtKernelFn kernel, uint32_t global_size, uint32_t local_size);

#ifdef __cplusplus
}
#endif
#endif /* SIMPLERT_GPU_H */
