/*
 * gpu/launch.c — rt_gpu_launch, rt_gpu_launch_1d (spec/ffi/gpu.sdn), and
 * the work-group machinery rt_gpu_barrier relies on. The design is
 * described in gpu/launch.h: groups in parallel on gpu_pool, item 0
 * probes for barriers, fibers when a group needs to meet.
 */
#include "gpu/launch.h"

#include <string.h>

#include "gpu/fiber.h"
#include "gpu/gpu_pool.h"
#include "gpu/gpu_status.h"
#include "runtime/lane.h"
#include "runtime/mem.h"
#include "simplert/gpu.h"

_Thread_local rtx_gpu_item *rtx_gpu_current;

/* What one pool thread keeps for the launch: its group record, and the
 * fibers and item records of a group that meets at barriers. */
typedef struct runner {
    rtx_gpu_group g;
    rtx_gpu_sched sched;
    rtx_gpu_fiber *fibers;     /* [launch local size], made on first need */
    rtx_gpu_item *items;
    uint32_t nfibers;          /* fibers with a stack */
} runner;

static int32_t validate(RtKernelFn k, const uint32_t g[3], const uint32_t l[3]);
static void run_groups(void *ctx);
static void run_group(runner *r);
static void run_direct(rtx_gpu_group *g, uint32_t k);
static void run_rest_direct(rtx_gpu_group *g);
static void run_fibers(runner *r);
static int fibers_for(runner *r, uint32_t n);
static void set_status(rtx_gpu_launch *L, int32_t s);
static void enter_item(rtx_gpu_item *it);

int32_t rt_gpu_launch(RtKernelFn kernel, uint32_t gx, uint32_t gy, uint32_t gz, uint32_t lx,
                      uint32_t ly, uint32_t lz)
{
    const uint32_t g[3] = {gx, gy, gz}, l[3] = {lx, ly, lz};
    int32_t r = validate(kernel, g, l);
    if (r != RTX_GPU_OK || gx == 0 || gy == 0 || gz == 0)
        return r;   /* an empty range runs nothing */
    rtx_gpu_launch L = {.kernel = kernel, .ngroups = 1};
    for (int i = 0; i < 3; i++) {
        L.global[i] = g[i];
        L.local[i] = l[i];
        L.groups[i] = (uint32_t)(((uint64_t)g[i] + l[i] - 1) / l[i]);
        L.ngroups *= L.groups[i];
    }
    atomic_init(&L.next, 0);
    atomic_init(&L.status, RTX_GPU_OK);
    /* A launch from inside a kernel: this thread's work-item state is the
     * outer item's; the groups it runs here overwrite it, so restore it. */
    rtx_gpu_item *outer = rtx_gpu_current;
    unsigned width = rtx_gpu_pool_width();
    if ((uint64_t)width > L.ngroups)
        width = (unsigned)L.ngroups;
    rtx_gpu_pool_run(width, run_groups, &L);
    rtx_gpu_current = outer;
    return atomic_load(&L.status);
}

int32_t rt_gpu_launch_1d(RtKernelFn kernel, uint32_t global_size, uint32_t local_size)
{
    return rt_gpu_launch(kernel, global_size, 1, 1, local_size, 1, 1);
}

/* rt_gpu_barrier inside a kernel (see gpu/launch.h for the modes). */
void rtx_gpu_group_barrier(rtx_gpu_item *it)
{
    rtx_gpu_group *g = it->group;
    it->nbar++;
    atomic_thread_fence(memory_order_seq_cst);
    if (g->mode == RTX_GPU_PROBE && it->fiber)
        g->mode = RTX_GPU_FIBER;   /* item 0 says the group meets: run_group starts the rest */
    if (g->mode == RTX_GPU_DEGRADED)
        set_status(g->launch, RTX_GPU_ALLOCATION_FAILED);
    if (g->mode != RTX_GPU_FIBER)
        return;   /* a lone item, DIRECT (a divergent barrier: counted), or DEGRADED */
    it->state = RTX_GPU_ITEM_WAIT;
    rtx_gpu_fiber_yield(it->fiber);
    enter_item(it);   /* other items ran on this thread meanwhile */
}

/* ---- helpers ---- */

static int32_t validate(RtKernelFn k, const uint32_t g[3], const uint32_t l[3])
{
    if (k == NULL || l[0] == 0 || l[1] == 0 || l[2] == 0)
        return RTX_GPU_INVALID_PARAMETER;
    if ((uint64_t)l[0] * l[1] * l[2] > RTX_GPU_MAX_LOCAL)
        return RTX_GPU_INVALID_PARAMETER;
    /* 2^32 * 2^32 would overflow 64 bits: check pairwise. */
    uint64_t xy = (uint64_t)g[0] * g[1];
    if (xy > RTX_GPU_MAX_GLOBAL || (g[2] && xy * g[2] > RTX_GPU_MAX_GLOBAL))
        return RTX_GPU_INVALID_PARAMETER;
    return RTX_GPU_OK;
}

static void set_status(rtx_gpu_launch *L, int32_t s)
{
    int32_t ok = RTX_GPU_OK;
    atomic_compare_exchange_strong(&L->status, &ok, s);   /* the first error wins */
}

/* it runs on this thread from here on: the work-item getters answer for
 * it, and rt_neighbor_load's lane is its global id in dimension 0, read
 * from it->local[0] when asked (so run_rest_direct, which reuses one item
 * record, registers it once per group, not once per item). */
static void enter_item(rtx_gpu_item *it)
{
    rtx_gpu_current = it;
    const rtx_gpu_group *g = it->group;
    (void)rtx_lane_enter_at((int64_t)g->id[0] * g->launch->local[0], &it->local[0]);
}

/* The body every pool thread runs: claim groups until none is left. */
static void run_groups(void *ctx)
{
    rtx_gpu_launch *L = ctx;
    runner *r = NULL;
    /* Items set this thread's lane (runtime/lane.h); whatever lane the
     * thread had (the caller's own, or none) comes back at the end. */
    rtx_lane_saved lane = rtx_lane_enter(0);
    for (;;) {
        uint64_t i = atomic_fetch_add(&L->next, 1);
        if (i >= L->ngroups)
            break;
        if (r == NULL) {
            r = rtx_calloc(1, sizeof *r);
            if (r == NULL) {
                /* This group cannot run; the other threads take the rest. */
                set_status(L, RTX_GPU_ALLOCATION_FAILED);
                break;
            }
            r->g.launch = L;
            rtx_gpu_sched_init(&r->sched);
        }
        rtx_gpu_group *g = &r->g;
        g->id[0] = (uint32_t)(i % L->groups[0]);
        g->id[1] = (uint32_t)(i / L->groups[0] % L->groups[1]);
        g->id[2] = (uint32_t)(i / L->groups[0] / L->groups[1]);
        run_group(r);
    }
    if (r) {
        for (uint32_t k = 0; k < r->nfibers; k++)
            rtx_gpu_fiber_destroy(&r->fibers[k]);
        rtx_free(r->fibers);
        rtx_free(r->items);
        rtx_free(r->g.arena);
        rtx_free(r);
    }
    rtx_lane_leave(lane);
}

/* A fiber's body: one work-item from start to finish. */
static void item_main(rtx_gpu_fiber *f, void *arg)
{
    rtx_gpu_item *it = arg;
    (void)f;
    enter_item(it);
    it->group->launch->kernel();
    rtx_gpu_current = NULL;
    it->state = RTX_GPU_ITEM_DONE;
}

static void finished(rtx_gpu_group *g, const rtx_gpu_item *it)
{
    if (it->nbar < g->min_bar)
        g->min_bar = it->nbar;
    if (it->nbar > g->max_bar)
        g->max_bar = it->nbar;
}

static void item_init(rtx_gpu_item *it, rtx_gpu_group *g, uint32_t k)
{
    memset(it, 0, sizeof *it);
    it->group = g;
    it->local[0] = k % g->extent[0];
    it->local[1] = k / g->extent[0] % g->extent[1];
    it->local[2] = k / g->extent[0] / g->extent[1];
    it->state = RTX_GPU_ITEM_RUN;
}

static void run_group(runner *r)
{
    rtx_gpu_group *g = &r->g;
    const rtx_gpu_launch *L = g->launch;
    g->n = 1;
    for (int d = 0; d < 3; d++) {
        uint32_t first = g->id[d] * L->local[d], left = L->global[d] - first;
        g->extent[d] = left < L->local[d] ? left : L->local[d];
        g->n *= g->extent[d];
    }
    g->min_bar = UINT32_MAX;
    g->max_bar = 0;
    g->used = 0;
    g->nblocks = 0;
    if (g->n == 1) {
        g->mode = RTX_GPU_DIRECT;   /* a lone item meets itself at every barrier */
        run_direct(g, 0);
    } else if (fibers_for(r, 1) != 0) {
        g->mode = RTX_GPU_DEGRADED;   /* not even one stack: barriers become fences */
        for (uint32_t k = 0; k < g->n; k++)
            run_direct(g, k);
    } else {
        g->mode = RTX_GPU_PROBE;
        rtx_gpu_item *it0 = &r->items[0];
        item_init(it0, g, 0);
        it0->fiber = &r->fibers[0];
        rtx_gpu_fiber_start(it0->fiber, item_main, it0);
        rtx_gpu_fiber_resume(it0->fiber);
        if (g->mode == RTX_GPU_FIBER)
            run_fibers(r);   /* item 0 waits at a barrier */
        else {
            finished(g, it0);
            g->mode = RTX_GPU_DIRECT;   /* uniform barriers: nobody will call one */
            run_rest_direct(g);
        }
    }
    if (g->min_bar != g->max_bar)   /* items passed different numbers of barriers */
        set_status(g->launch, RTX_GPU_EXECUTION_FAILED);
}

/* Items 1..n-1 of g as plain calls: the hot loop of barrier-free kernels,
 * so the local id advances by counting (x fastest), not by division. */
static void run_rest_direct(rtx_gpu_group *g)
{
    rtx_gpu_item it;
    item_init(&it, g, 0);
    RtKernelFn kernel = g->launch->kernel;
    enter_item(&it);   /* the lane follows it.local[0] */
    for (uint32_t k = 1; k < g->n; k++) {
        if (++it.local[0] == g->extent[0]) {
            it.local[0] = 0;
            if (++it.local[1] == g->extent[1]) {
                it.local[1] = 0;
                it.local[2]++;
            }
        }
        it.nbar = 0;
        it.next_block = 0;
        rtx_gpu_current = &it;
        kernel();
        finished(g, &it);
    }
    rtx_gpu_current = NULL;
    (void)rtx_lane_enter(0);   /* it is going away: no lane may point into it */
}

/* Item k of g as a plain call on this thread. */
static void run_direct(rtx_gpu_group *g, uint32_t k)
{
    rtx_gpu_item it;
    item_init(&it, g, k);
    enter_item(&it);
    g->launch->kernel();
    rtx_gpu_current = NULL;
    (void)rtx_lane_enter(0);   /* it is going away: no lane may point into it */
    finished(g, &it);
}

/* FIBER mode: item 0 waits at its first barrier; start the others and
 * run rounds until every item has finished. */
static void run_fibers(runner *r)
{
    rtx_gpu_group *g = &r->g;
    if (fibers_for(r, g->n) != 0) {
        /* No stacks for the others: finish item 0 with barriers as fences,
         * then the rest one by one. The results are undefined: -3. */
        g->mode = RTX_GPU_DEGRADED;
        set_status(g->launch, RTX_GPU_ALLOCATION_FAILED);
        while (r->fibers[0].running)
            rtx_gpu_fiber_resume(&r->fibers[0]);
        finished(g, &r->items[0]);
        for (uint32_t k = 1; k < g->n; k++)
            run_direct(g, k);
        return;
    }
    for (uint32_t k = 1; k < g->n; k++) {
        rtx_gpu_item *it = &r->items[k];
        item_init(it, g, k);
        it->fiber = &r->fibers[k];
        rtx_gpu_fiber_start(it->fiber, item_main, it);
    }
    uint32_t alive = g->n;
    while (alive > 0) {
        /* One round: every item runs until it waits at the barrier or ends. */
        for (uint32_t k = 0; k < g->n; k++) {
            rtx_gpu_item *it = &r->items[k];
            if (it->state != RTX_GPU_ITEM_RUN)
                continue;
            rtx_gpu_fiber_resume(it->fiber);
            if (it->state == RTX_GPU_ITEM_DONE) {
                finished(g, it);
                alive--;
            }
        }
        /* Everyone left waits: the barrier opens for all of them (if some
         * finished instead, that is divergence, counted by nbar). */
        for (uint32_t k = 0; k < g->n; k++)
            if (r->items[k].state == RTX_GPU_ITEM_WAIT)
                r->items[k].state = RTX_GPU_ITEM_RUN;
    }
}

/* Make sure r has n fibers (and item records for the launch's local size). */
static int fibers_for(runner *r, uint32_t n)
{
    const rtx_gpu_launch *L = r->g.launch;
    uint32_t size = L->local[0] * L->local[1] * L->local[2];
    if (r->fibers == NULL) {
        r->fibers = rtx_calloc(size, sizeof *r->fibers);
        r->items = rtx_calloc(size, sizeof *r->items);
        if (r->fibers == NULL || r->items == NULL) {
            rtx_free(r->fibers);
            rtx_free(r->items);
            r->fibers = NULL;
            r->items = NULL;
            return -1;
        }
    }
    while (r->nfibers < n) {
        if (rtx_gpu_fiber_create(&r->fibers[r->nfibers], &r->sched) != 0)
            return -1;
        r->nfibers++;
    }
    return 0;
}
