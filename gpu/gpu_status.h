/*
 * gpu/gpu_status.h — the status codes of the GPU families: upstream's
 * VulkanFfiError numbering (upstream-abi.md §2.6), shared by the kernel
 * emulation (gpu), the Vulkan family (vk) and the CUDA loader.
 */
#ifndef RTX_GPU_STATUS_H
#define RTX_GPU_STATUS_H

enum {
    RTX_GPU_OK = 0,
    RTX_GPU_NOT_AVAILABLE = -1,     /* loader or driver missing, or no device */
    RTX_GPU_INVALID_HANDLE = -2,    /* unknown, freed or wrong-kind handle */
    RTX_GPU_ALLOCATION_FAILED = -3,
    RTX_GPU_COMPILATION_FAILED = -4,
    RTX_GPU_EXECUTION_FAILED = -5,
    RTX_GPU_BUFFER_TOO_SMALL = -6,
    RTX_GPU_INVALID_PARAMETER = -7,
    RTX_GPU_WINDOW_ERROR = -8,
    RTX_GPU_SURFACE_ERROR = -9,
    RTX_GPU_NOT_SUPPORTED = -10
};

#endif /* RTX_GPU_STATUS_H */
