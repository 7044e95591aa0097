/*
 * gpu/workitem.c — rt_gpu_global_id, rt_gpu_local_id, rt_gpu_group_id,
 * rt_gpu_global_size, rt_gpu_local_size, rt_gpu_num_groups,
 * rt_gpu_barrier, rt_gpu_mem_fence, rt_gpu_shared_alloc,
 * rt_gpu_shared_reset (spec/ffi/gpu.sdn).
 *
 * What a running kernel asks about itself. The state is the calling
 * thread's current work-item in the kernel engine (runtime/kernel.h;
 * fibers of a group that meets switch it as they run), so the getters are
 * thread-local as upstream's, and outside a kernel they answer upstream's
 * defaults (ids 0, sizes 1). The dimension is clamped to 2, as upstream.
 *
 * Shared memory is per work-group, as on a GPU: a work-item's k-th
 * rt_gpu_shared_alloc returns the group's k-th block, the same address in
 * every item of the group, so `shared float tile[64]` declared by every
 * item is one array the whole group sees. Blocks come from the group's
 * fixed 64 KiB arena (pointers never move), 16-aligned and zeroed when
 * created, at most 256 per group; a new group starts with an empty arena.
 * Outside a kernel the calling thread has its own 64 KiB bump arena
 * (upstream's thread-local allocator).
 */
#include <stdatomic.h>

#include "runtime/kernel.h"
#include "simplert/gpu.h"

#define SHARED_ALIGN 16u
#define SHARED_BLOCKS 256u   /* per group */

uint64_t rt_gpu_local_id(uint32_t dim)
{
    const rtx_kernel_item *it = rtx_kernel_now;
    return it ? it->local[rtx_kernel_dim(dim)] : 0;
}

uint64_t rt_gpu_group_id(uint32_t dim)
{
    const rtx_kernel_item *it = rtx_kernel_now;
    return it ? it->group->id[rtx_kernel_dim(dim)] : 0;
}

uint64_t rt_gpu_global_id(uint32_t dim)
{
    const rtx_kernel_item *it = rtx_kernel_now;
    return it ? rtx_kernel_global_id(it, rtx_kernel_dim(dim)) : 0;
}

uint64_t rt_gpu_global_size(uint32_t dim)
{
    const rtx_kernel_item *it = rtx_kernel_now;
    return it ? it->group->launch->global[rtx_kernel_dim(dim)] : 1;
}

uint64_t rt_gpu_local_size(uint32_t dim)
{
    const rtx_kernel_item *it = rtx_kernel_now;
    return it ? it->group->launch->local[rtx_kernel_dim(dim)] : 1;
}

uint64_t rt_gpu_num_groups(uint32_t dim)
{
    const rtx_kernel_item *it = rtx_kernel_now;
    return it ? it->group->launch->groups[rtx_kernel_dim(dim)] : 1;
}

void rt_gpu_barrier(void)
{
    rtx_kernel_item *it = rtx_kernel_now;
    if (it)
        rtx_kernel_barrier(it);
    else
        atomic_thread_fence(memory_order_seq_cst);
}

void rt_gpu_mem_fence(uint32_t scope)
{
    if (scope == 0)
        atomic_thread_fence(memory_order_acq_rel);   /* work-group scope */
    else
        atomic_thread_fence(memory_order_seq_cst);   /* device, system, unknown */
}

void *rt_gpu_shared_alloc(uint64_t size)
{
    rtx_kernel_item *it = rtx_kernel_now;
    if (it)
        return rtx_kernel_shared_alloc(it, size, SHARED_ALIGN, SHARED_BLOCKS);
    return rtx_kernel_own_alloc(RTX_KERNEL_OWN_GPU, size, SHARED_ALIGN, UINT32_MAX);
}

void rt_gpu_shared_reset(void)
{
    rtx_kernel_item *it = rtx_kernel_now;
    if (it)
        rtx_kernel_shared_rewind(it);   /* the group's blocks live until the group ends */
    else
        rtx_kernel_own_reset(RTX_KERNEL_OWN_GPU, 1);
}
