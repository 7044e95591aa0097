/*
 * gpu/launch.h — the kernel emulation's shared state: a launch, one
 * work-group in flight, one work-item (gpu/launch.c, gpu/workitem.c).
 *
 * How a work-group runs (the design, in one place):
 *  - Groups are claimed from the launch's atomic counter by the threads of
 *    gpu_pool (the caller is one of them) and run in parallel.
 *  - Item 0 of a group runs on the claiming thread (PROBE). GPU rules make
 *    a barrier uniform: either every item of a group reaches it or none.
 *    So if item 0 returns without calling rt_gpu_barrier, no item will:
 *    the other items run one after another on the same thread (DIRECT),
 *    at the cost of a function call each.
 *  - If item 0 calls rt_gpu_barrier, the group needs its items to really
 *    meet: the claiming thread's crew (one OS thread per other item, kept
 *    for the rest of the launch) starts items 1..n-1 from the beginning
 *    (CREW), and every item blocks in the barrier until all unfinished
 *    items of the group have arrived.
 *  - A barrier some items never reach (non-uniform control flow: undefined
 *    on GPUs) cannot hang: an item that finishes stops counting, and the
 *    launch reports -5. If the crew's threads cannot be created the group
 *    finishes unsynchronised (DEGRADED) and the launch reports -3.
 * Threads rather than fibers: a blocked item is an ordinary blocked
 * thread, which ASan, TSan and Valgrind all understand without stack-switch
 * annotations, and barrier-free kernels (the common case) never pay for a
 * thread or a context switch.
 */
#ifndef RTX_GPU_LAUNCH_H
#define RTX_GPU_LAUNCH_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "simplert/core.h"

#define RTX_GPU_MAX_GLOBAL (UINT64_C(1) << 24)   /* work-items per launch */
#define RTX_GPU_MAX_LOCAL 1024u                   /* work-items per group */
#define RTX_GPU_SHARED_BYTES 65536u               /* shared memory per group */
#define RTX_GPU_SHARED_BLOCKS 256u                /* shared allocations per group */

typedef struct rtx_gpu_launch {
    RtKernelFn kernel;
    uint32_t global[3], local[3], groups[3];
    uint64_t ngroups;
    _Atomic uint64_t next;    /* next group to claim */
    _Atomic int32_t status;   /* first error: -5 divergent barrier, -3 no threads */
    int nested;               /* launched from inside a kernel */
} rtx_gpu_launch;

enum { RTX_GPU_PROBE, RTX_GPU_DIRECT, RTX_GPU_CREW, RTX_GPU_DEGRADED };

typedef struct rtx_gpu_group {
    rtx_gpu_launch *launch;
    uint32_t id[3];
    uint32_t extent[3];       /* in-range items per dimension (partial groups) */
    uint32_t n;               /* in-range items */
    int mode;                 /* RTX_GPU_PROBE ...; changes only on the claiming thread */
    struct rtx_gpu_crew *crew;   /* the claiming thread's crew (may be NULL) */
    /* Barrier (CREW mode), under m. */
    pthread_mutex_t m;
    pthread_cond_t cv;
    uint32_t live, arrived;
    uint64_t gen;
    uint32_t min_bar, max_bar;   /* barrier counts of finished items */
    /* Shared memory, under m. */
    uint8_t *arena;
    size_t used;
    uint32_t nblocks;
    struct {
        uint32_t off, size;
    } blocks[RTX_GPU_SHARED_BLOCKS];
} rtx_gpu_group;

/* The work-item a thread is running (thread-local; NULL outside kernels). */
typedef struct rtx_gpu_item {
    rtx_gpu_group *group;
    uint32_t local[3];
    uint32_t nbar;            /* barriers this item has passed */
    uint32_t next_block;      /* its next rt_gpu_shared_alloc returns this block */
} rtx_gpu_item;

extern _Thread_local rtx_gpu_item *rtx_gpu_current;

/* rt_gpu_barrier inside a kernel (gpu/launch.c). */
void rtx_gpu_group_barrier(rtx_gpu_item *it);

#endif /* RTX_GPU_LAUNCH_H */
