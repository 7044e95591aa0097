/*
 * runtime/kernel.h — the CPU kernel engine behind both kernel families:
 * rt_par_launch* / rt_par_barrier / rt_par_shared_* (runtime/par_kernel.c)
 * and rt_gpu_launch* / rt_gpu_barrier / rt_gpu_shared_* (gpu/launch.c,
 * gpu/workitem.c). Private: no FFI row lives here; the families keep their
 * own argument checks, defaults, return widths and error codes, and ask
 * the engine to run what they accepted.
 *
 * How a launch runs (the design, in one place):
 *  - Work-groups are the units of one executor batch (runtime/exec_batch.c
 *    through rtx_par_run): executor workers and the launching thread claim
 *    them and run them in parallel; a launch of one group runs on the
 *    caller alone. All items of a group run on the thread that claimed it.
 *  - A group's items run one after another as plain calls, x fastest,
 *    until one of them calls a barrier. GPU rules make a barrier uniform
 *    (every item of a group reaches it, or none), so a kernel that does not
 *    meet never pays for meeting: no fiber, no switch, no allocation.
 *  - When item k calls the group's first barrier, items k+1..n-1 start as
 *    fibers (runtime/fiber.h) of the same thread and item k, still a plain
 *    call, drives them: at each of its barriers it resumes every waiting
 *    fiber, each runs until it reaches the barrier or finishes, and then
 *    the barrier opens for all of them together. When item k returns, the
 *    remaining fibers go on in rounds the same way until all have
 *    finished. Items that finished (items 0..k-1 among them) stop counting,
 *    so a barrier some items never reach cannot hang; the engine reports
 *    it (items passed different numbers of barriers) and each family
 *    decides what that means (gpu: -5; par: nothing).
 *  - If fibers cannot be had (no memory for their records or stacks),
 *    the group degrades: the item at the barrier and the items after it
 *    run one after another, each passing its barriers alone; the engine
 *    reports that too (gpu: -3; par: nothing).
 *  - Fibers rather than a thread per item: a barrier round is a few
 *    context switches in user space instead of a wake-up of every item's
 *    thread by the kernel (bench/par.c, bench/gpu.c), and a group never
 *    needs more than one OS thread. Idle fibers are kept per thread for
 *    the next group that meets.
 *  - Each item's ids live in rtx_kernel_now, a thread-local the items of a
 *    fiber group switch as they run; the same item is registered as the
 *    thread's lane for rt_neighbor_load (runtime/lane.h): its global id in
 *    dimension 0. A launch saves and restores the caller's item and lane,
 *    so launches nest (also from inside a fiber).
 *  - Shared memory: one 64 KiB arena per group in flight, 4096-aligned.
 *    An item's nth allocation is the group's nth block, made (zeroed) by
 *    whichever item asks first, so the same allocation in every item
 *    names one buffer. No lock: only the group's thread touches it.
 *
 * What items of one group share because they share an OS thread is listed
 * in the par and gpu family notes (spec/ffi/par.sdn, gpu.sdn).
 */
#ifndef RTX_KERNEL_H
#define RTX_KERNEL_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/fiber.h"
#include "simplert/core.h"

#define RTX_KERNEL_MAX_GLOBAL (UINT64_C(1) << 24)   /* work-items per launch */
#define RTX_KERNEL_MAX_LOCAL 1024u                   /* work-items per group */
#define RTX_KERNEL_SHARED_BYTES 65536u               /* shared memory per arena */
#define RTX_KERNEL_SHARED_ALIGN 4096u                /* strictest alignment */
#define RTX_KERNEL_SHARED_BLOCKS 1024u               /* allocations a group arena records */

/* What went wrong in a launch (the first problem any group met). */
enum { RTX_KERNEL_OK = 0, RTX_KERNEL_DIVERGED = 1, RTX_KERNEL_DEGRADED = 2 };

typedef struct rtx_kernel_launch {
    RtKernelFn kernel;
    uint32_t global[3], local[3], groups[3];
    uint64_t ngroups;
    _Atomic int problem;      /* RTX_KERNEL_* */
} rtx_kernel_launch;

typedef struct rtx_kernel_group rtx_kernel_group;

/* A work-item: what its getters read. */
typedef struct rtx_kernel_item {
    rtx_kernel_group *group;
    rtx_fiber *fiber;              /* NULL: it runs as a plain call */
    uint32_t local[3];
    uint32_t nbar;                 /* barriers it has passed */
    uint32_t next_block;           /* its next shared allocation is this block */
    uint32_t epoch;                /* the arena epoch next_block belongs to */
    int state;                     /* fiber items: running, waiting, done */
} rtx_kernel_item;

/* The group arena (see the design above). */
typedef struct rtx_kernel_arena {
    void *block;                   /* what rtx_malloc returned; NULL until used */
    uint8_t *base;                 /* RTX_KERNEL_SHARED_BYTES, 4096-aligned */
    struct {
        uint32_t off, size;
    } *rec;                        /* RTX_KERNEL_SHARED_BLOCKS records */
    size_t used;
    uint32_t nblocks;
    uint32_t epoch;                /* bumped by every clear */
} rtx_kernel_arena;

struct rtx_kernel_slot;

/* One work-group in flight. Only the thread that claimed it touches it:
 * its items, fibers included, all run on that thread. */
struct rtx_kernel_group {
    rtx_kernel_launch *launch;
    uint32_t id[3];
    uint32_t extent[3];            /* in-range items per dimension (partial groups) */
    uint32_t n;                    /* in-range items */
    uint32_t k;                    /* the item that runs as a plain call now */
    int mode;                      /* plain calls, fibers, or degraded */
    uint32_t min_bar, max_bar;     /* barrier counts of finished items */
    struct rtx_kernel_slot *fibers;   /* the fiber items, in order */
    uint32_t alive;                /* fiber items not finished */
    rtx_fiber_sched sched;         /* item k's side of the switches */
    rtx_kernel_arena arena;        /* kept for the groups the thread runs next */
};

/* The item the calling thread runs (NULL outside kernels). Initial-exec,
 * as runtime/lane.h, so a getter is a load and a few arithmetic ops. */
extern _Thread_local rtx_kernel_item *rtx_kernel_now __attribute__((tls_model("initial-exec")));

/* A getter's dimension: past 2 reads dimension 2 (both families). */
static inline uint32_t rtx_kernel_dim(uint32_t d) { return d > 2 ? 2 : d; }

/* it's global id in dimension d (0..2). */
static inline uint64_t rtx_kernel_global_id(const rtx_kernel_item *it, uint32_t d)
{
    return (uint64_t)it->group->id[d] * it->group->launch->local[d] + it->local[d];
}

/* Run kernel over global[0..2] items in groups of local[0..2]. The caller
 * has checked the sizes: each >= 1, the local product <= 1024, the global
 * product <= 2^24. Returns RTX_KERNEL_OK or the first problem. */
int rtx_kernel_run(RtKernelFn kernel, const uint32_t global[3], const uint32_t local[3]);

/* The barrier of it's group (see the design), with a sequentially
 * consistent fence. */
void rtx_kernel_barrier(rtx_kernel_item *it);

/* Inside a kernel: it's next allocation in its group's arena (align a power
 * of two <= 4096; max_blocks: the family's limit on blocks per group, at
 * most RTX_KERNEL_SHARED_BLOCKS). NULL when it does not fit, when the
 * family limit is reached, when the group's block of that rank is smaller
 * or less aligned than asked, or when the arena cannot be allocated. */
void *rtx_kernel_shared_alloc(rtx_kernel_item *it, uint64_t size, uint64_t align,
                              uint32_t max_blocks);
/* it's next allocation is the group's first block again (gpu's reset). */
void rtx_kernel_shared_rewind(rtx_kernel_item *it);
/* Empty it's group arena: every item's sequence restarts (par's reset). */
void rtx_kernel_shared_clear(rtx_kernel_item *it);

/* Outside kernels each thread has one bump arena per family (the families
 * document them differently). */
enum { RTX_KERNEL_OWN_PAR, RTX_KERNEL_OWN_GPU, RTX_KERNEL_OWN_N };
/* A new zeroed allocation from the calling thread's arena `which` (made on
 * first use); NULL when it does not fit, when max_allocs allocations were
 * made since the last reset, or when the arena cannot be allocated. */
void *rtx_kernel_own_alloc(int which, uint64_t size, uint64_t align, uint32_t max_allocs);
/* Empty the calling thread's arena `which`; release != 0 also frees it. */
void rtx_kernel_own_reset(int which, int release);

/* The engine's arena operations on a group (runtime/kernel_mem.c). */
void rtx_kernel_arena_begin(rtx_kernel_arena *a);
void rtx_kernel_arena_free(rtx_kernel_arena *a);

#endif /* RTX_KERNEL_H */
