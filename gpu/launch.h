/*
 * gpu/launch.h — the kernel emulation's shared state: a launch, one
 * work-group in flight, one work-item (gpu/launch.c, gpu/workitem.c).
 *
 * How a work-group runs (the design, in one place):
 *  - Groups are claimed from the launch's atomic counter by the threads of
 *    gpu_pool (the caller is one of them) and run in parallel. All items of
 *    one group run on the thread that claimed it.
 *  - Item 0 of a group runs first, on a fiber (PROBE). GPU rules make a
 *    barrier uniform: either every item of a group reaches it or none.
 *    So if item 0 returns without calling rt_gpu_barrier, no item will:
 *    the other items run one after another as plain calls (DIRECT), with
 *    no fiber and no switch.
 *  - If item 0 calls rt_gpu_barrier, it yields, and every other item
 *    starts on a fiber of its own (FIBER): the claiming thread resumes the
 *    items in turn, each running until it reaches the barrier or finishes;
 *    when all unfinished items wait at the barrier, they are released
 *    together. So a barrier really separates what every item of the group
 *    did before it from what any item does after it.
 *  - A barrier some items never reach (non-uniform control flow: undefined
 *    on GPUs) cannot hang: finished items stop counting, and the launch
 *    reports -5. If fiber stacks cannot be mapped, the group runs its
 *    items one after another with barriers as fences (DEGRADED) and the
 *    launch reports -3.
 *  - A group of one item needs no fiber: its barriers are trivially met.
 * Fibers rather than a thread per item: a barrier round is a few context
 * switches in user space instead of a wake-up of every item's thread by
 * the kernel (measured in bench/gpu.c), and no group ever needs more than
 * one OS thread. gpu/fiber.c tells ASan, TSan and Valgrind about every
 * stack switch.
 */
#ifndef RTX_GPU_LAUNCH_H
#define RTX_GPU_LAUNCH_H

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
    _Atomic int32_t status;   /* first error: -5 divergent barrier, -3 no memory */
} rtx_gpu_launch;

enum { RTX_GPU_PROBE, RTX_GPU_DIRECT, RTX_GPU_FIBER, RTX_GPU_DEGRADED };
enum { RTX_GPU_ITEM_RUN, RTX_GPU_ITEM_WAIT, RTX_GPU_ITEM_DONE };

struct rtx_gpu_fiber;

/* The work-item a thread is running (thread-local; NULL outside kernels). */
typedef struct rtx_gpu_item {
    struct rtx_gpu_group *group;
    struct rtx_gpu_fiber *fiber;   /* NULL when it runs as a plain call */
    uint32_t local[3];
    uint32_t nbar;                 /* barriers this item has passed */
    uint32_t next_block;           /* its next rt_gpu_shared_alloc returns this block */
    int state;                     /* RTX_GPU_ITEM_* (FIBER mode) */
} rtx_gpu_item;

/* One work-group in flight. Only the thread that claimed it touches it:
 * its items, fibers included, all run on that thread. */
typedef struct rtx_gpu_group {
    rtx_gpu_launch *launch;
    uint32_t id[3];
    uint32_t extent[3];            /* in-range items per dimension (partial groups) */
    uint32_t n;                    /* in-range items */
    int mode;                      /* RTX_GPU_PROBE ... */
    uint32_t min_bar, max_bar;     /* barrier counts of finished items */
    uint8_t *arena;                /* shared memory (kept for the launch) */
    size_t used;
    uint32_t nblocks;
    struct {
        uint32_t off, size;
    } blocks[RTX_GPU_SHARED_BLOCKS];
} rtx_gpu_group;

extern _Thread_local rtx_gpu_item *rtx_gpu_current;

/* rt_gpu_barrier inside a kernel (gpu/launch.c). */
void rtx_gpu_group_barrier(rtx_gpu_item *it);

#endif /* RTX_GPU_LAUNCH_H */
