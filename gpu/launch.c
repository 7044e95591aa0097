/*
 * gpu/launch.c — rt_gpu_launch, rt_gpu_launch_1d (spec/ffi/gpu.sdn).
 *
 * A front end over the runtime's kernel engine (runtime/kernel.h, shared
 * with the par family): work-groups run in parallel on the executor, a
 * group's items as plain calls until the first barrier and as fibers that
 * meet at every barrier after it. This file keeps gpu's contract: uint32_t
 * sizes, the argument checks and the status codes of upstream's
 * VulkanFfiError numbering (-7 refused, -5 a barrier not every item of a
 * group reached the same number of times, -3 a group that could not get
 * the memory to meet).
 */
#include "gpu/gpu_status.h"
#include "runtime/kernel.h"
#include "simplert/gpu.h"

static int32_t validate(RtKernelFn k, const uint32_t g[3], const uint32_t l[3]);

int32_t rt_gpu_launch(RtKernelFn kernel, uint32_t gx, uint32_t gy, uint32_t gz, uint32_t lx,
                      uint32_t ly, uint32_t lz)
{
    const uint32_t g[3] = {gx, gy, gz}, l[3] = {lx, ly, lz};
    int32_t r = validate(kernel, g, l);
    if (r != RTX_GPU_OK || gx == 0 || gy == 0 || gz == 0)
        return r;   /* an empty range runs nothing */
    switch (rtx_kernel_run(kernel, g, l)) {
    case RTX_KERNEL_OK: return RTX_GPU_OK;
    case RTX_KERNEL_DIVERGED: return RTX_GPU_EXECUTION_FAILED;
    default: return RTX_GPU_ALLOCATION_FAILED;
    }
}

int32_t rt_gpu_launch_1d(RtKernelFn kernel, uint32_t global_size, uint32_t local_size)
{
    return rt_gpu_launch(kernel, global_size, 1, 1, local_size, 1, 1);
}

/* ---- helpers ---- */

static int32_t validate(RtKernelFn k, const uint32_t g[3], const uint32_t l[3])
{
    if (k == NULL || l[0] == 0 || l[1] == 0 || l[2] == 0)
        return RTX_GPU_INVALID_PARAMETER;
    if ((uint64_t)l[0] * l[1] * l[2] > RTX_KERNEL_MAX_LOCAL)
        return RTX_GPU_INVALID_PARAMETER;
    /* 2^32 * 2^32 would overflow 64 bits: check pairwise. */
    uint64_t xy = (uint64_t)g[0] * g[1];
    if (xy > RTX_KERNEL_MAX_GLOBAL || (g[2] && xy * g[2] > RTX_KERNEL_MAX_GLOBAL))
        return RTX_GPU_INVALID_PARAMETER;
    return RTX_GPU_OK;
}
