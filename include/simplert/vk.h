/*
 * simplert/vk.h — Vulkan compute through generation-tagged handles:
 * devices, host-visible buffers, SPIR-V compute kernels, descriptor sets.
 * Contract: spec/ffi/vk.sdn. Status returns are upstream's VulkanFfiError
 * codes (0 Success, -1 NotAvailable, -2 InvalidHandle, -3 AllocationFailed,
 * -4 CompilationFailed, -5 ExecutionFailed, -6 BufferTooSmall,
 * -7 InvalidParameter); creators return 0 on failure. libvulkan.so.1 is
 * loaded on first use: without it every function answers NotAvailable.
 */
#ifndef SIMPLERT_VK_H
#define SIMPLERT_VK_H

#include "simplert/core.h"

#ifdef __cplusplus
extern "C" {
#endif

RT_API int32_t rt_vk_available(void);
RT_API uint64_t rt_vk_device_create(void);
RT_API int32_t rt_vk_device_free(uint64_t device);
RT_API int32_t rt_vk_device_sync(uint64_t device);
RT_API uint64_t rt_vk_buffer_alloc(uint64_t device, uint64_t size);
RT_API int32_t rt_vk_buffer_free(uint64_t buffer);
RT_API int32_t rt_vk_buffer_upload(uint64_t buffer, const void *data, uint64_t size);
RT_API int32_t rt_vk_buffer_download(uint64_t buffer, void *data, uint64_t size);
RT_API uint64_t rt_vk_kernel_compile(uint64_t device, const uint8_t *spirv, uint64_t len);
RT_API int32_t rt_vk_kernel_free(uint64_t pipeline);
RT_API int32_t rt_vk_kernel_launch(uint64_t pipeline, const uint64_t *buffers, uint64_t count, uint32_t gx, uint32_t gy, uint32_t gz, uint32_t lx, uint32_t ly, uint32_t lz);
RT_API int32_t rt_vk_kernel_launch_1d(uint64_t pipeline, const uint64_t *buffers, uint64_t count, uint32_t global_size);
RT_API uint64_t rt_vk_descriptor_layout_create_uniform(uint64_t device);
RT_API uint64_t rt_vk_descriptor_layout_create_sampler(uint64_t device);
RT_API int64_t rt_vk_descriptor_layout_free(uint64_t layout);
RT_API uint64_t rt_vk_descriptor_pool_create(uint64_t device, uint32_t max_sets);
RT_API int64_t rt_vk_descriptor_pool_free(uint64_t pool);
RT_API uint64_t rt_vk_descriptor_set_allocate(uint64_t device, uint64_t pool, uint64_t layout);
RT_API int64_t rt_vk_descriptor_set_free(uint64_t set);
RT_API int64_t rt_vk_descriptor_set_update_buffer(uint64_t set, uint32_t binding, uint64_t buffer, uint64_t offset, uint64_t range);

#ifdef __cplusplus
}
#endif
#endif /* SIMPLERT_VK_H */
