/*
 * gpu/cuda.h — the CUDA backend's internal interface: the driver API
 * (libcuda.so.1) loaded with dlopen, never linked, and PTX kernels run
 * synchronously on device 0.
 *
 * No FFI row is implemented here; rt_gpu_backend_* (gpu/backend.c) asks
 * whether CUDA is usable, and the cross-backend atomic table runs its PTX
 * through rtx_cuda_run. On a machine without the NVIDIA driver every call
 * answers RTX_GPU_NOT_AVAILABLE and rtx_cuda_reason() says why, e.g.
 * "CUDA: libcuda.so.1 not found (no NVIDIA driver)".
 */
#ifndef RTX_GPU_CUDA_H
#define RTX_GPU_CUDA_H

#include <stddef.h>

/* 1 when the driver loads, cuInit succeeds and a device exists; probed once. */
int rtx_cuda_available(void);

/* Why CUDA is not available ("" when it is). Static text. */
const char *rtx_cuda_reason(void);

/* One kernel argument: a host buffer copied to a fresh device allocation
 * before the launch (passed to the kernel as its device pointer), and
 * copied back afterwards when copy_back is set. */
typedef struct rtx_cuda_arg {
    void *host;
    size_t size;
    int copy_back;
} rtx_cuda_arg;

/* Load ptx, run entry(args...) on grid x block, wait, copy back. Returns
 * RTX_GPU_OK, RTX_GPU_NOT_AVAILABLE, RTX_GPU_INVALID_PARAMETER (NULL
 * pointers, more than 16 args, a zero size), RTX_GPU_ALLOCATION_FAILED,
 * RTX_GPU_COMPILATION_FAILED (the driver rejects the PTX or has no such
 * entry) or RTX_GPU_EXECUTION_FAILED. Calls are serialised. */
int rtx_cuda_run(const char *ptx, const char *entry, const rtx_cuda_arg *args, unsigned nargs,
                 const unsigned grid[3], const unsigned block[3]);

/* The last driver error as "NAME (code)", for test logs. Static text. */
const char *rtx_cuda_last_error(void);

#endif /* RTX_GPU_CUDA_H */
