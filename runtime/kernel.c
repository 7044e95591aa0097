/*
 * runtime/kernel.c — the kernel engine (design in runtime/kernel.h):
 * launches on the executor, work-groups as plain calls until their first
 * barrier, then fibers that meet; the per-thread cache of idle fibers.
 *
 * Internal; implements no FFI row. The rows are the families' front ends:
 * rt_par_launch*, rt_par_barrier (runtime/par_kernel.c) and
 * rt_gpu_launch*, rt_gpu_barrier (gpu/launch.c, gpu/workitem.c).
 * Shared memory is in runtime/kernel_mem.c.
 */
#include "runtime/kernel.h"

#include <pthread.h>
#include <string.h>

#include "runtime/lane.h"
#include "runtime/mem.h"
#include "runtime/par_run.h"

/* Idle fibers a thread keeps for its next groups. A group needs at most
 * RTX_KERNEL_MAX_LOCAL - 1; fibers beyond this are unmapped when they are
 * given back (only nested launches that meet need more at once). */
#define FIBER_CACHE RTX_KERNEL_MAX_LOCAL

enum { MODE_PLAIN, MODE_FIBERS, MODE_DEGRADED };
enum { ITEM_RUN, ITEM_WAIT, ITEM_DONE };

/* A fiber and the item it runs. */
typedef struct rtx_kernel_slot {
    rtx_fiber fiber;
    rtx_kernel_item item;
    struct rtx_kernel_slot *next;   /* the group's next fiber item, or the next idle slot */
} slot;

typedef struct slot_cache {
    slot *idle;
    uint32_t n;
    int keyed;                      /* registered for release at thread exit */
} slot_cache;

_Thread_local rtx_kernel_item *rtx_kernel_now __attribute__((tls_model("initial-exec")));

static _Thread_local slot_cache cache;
static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;
static int cache_key_ok;

static void groups_body(void *ctx, int64_t begin, int64_t end);
static void run_group(rtx_kernel_group *g, uint64_t linear);
static int start_fibers(rtx_kernel_group *g);
static void round_trip(rtx_kernel_group *g);
static void enter(rtx_kernel_item *it);
static void note(rtx_kernel_launch *L, int problem);

int rtx_kernel_run(RtKernelFn kernel, const uint32_t global[3], const uint32_t local[3])
{
    rtx_kernel_launch L = {.kernel = kernel, .ngroups = 1};
    for (int d = 0; d < 3; d++) {
        L.global[d] = global[d];
        L.local[d] = local[d];
        L.groups[d] = (uint32_t)(((uint64_t)global[d] + local[d] - 1) / local[d]);
        L.ngroups *= L.groups[d];
    }
    atomic_init(&L.problem, RTX_KERNEL_OK);
    /* One group runs on the caller alone. From two groups on, every helper
     * starts at once: a group's cost is unknown (one barrier round can be
     * worth thousands of plain items), and groups may wait for each other
     * (GPU code may spin on a flag another group sets), which a cost probe
     * that runs the first groups on the caller alone would turn into a
     * hang. The caller claims groups too while it waits. */
    rtx_par_run((int64_t)L.ngroups, 1, 2, groups_body, &L);
    return atomic_load(&L.problem);
}

void rtx_kernel_barrier(rtx_kernel_item *it)
{
    rtx_kernel_group *g = it->group;
    it->nbar++;
    atomic_thread_fence(memory_order_seq_cst);
    if (it->fiber != NULL) {
        /* A fiber item: wait here until the round ends (see round_trip). */
        it->state = ITEM_WAIT;
        rtx_fiber_yield(it->fiber);
        enter(it);   /* other items ran on this thread meanwhile */
        return;
    }
    /* The plain-call item g->k. */
    if (g->mode == MODE_PLAIN) {
        if (g->k + 1 >= g->n)
            return;   /* the group's last item: every other one has finished */
        if (start_fibers(g) != 0) {
            g->mode = MODE_DEGRADED;   /* this item and the rest, one by one */
            note(g->launch, RTX_KERNEL_DEGRADED);
            return;
        }
        g->mode = MODE_FIBERS;
    }
    if (g->mode == MODE_FIBERS) {
        round_trip(g);
        enter(it);
    }
}

/* ---- helpers ---- */

static void note(rtx_kernel_launch *L, int problem)
{
    int ok = RTX_KERNEL_OK;
    atomic_compare_exchange_strong(&L->problem, &ok, problem);   /* the first one wins */
}

/* it runs on this thread from here on: the getters answer for it, and
 * rt_neighbor_load's lane is its global id in dimension 0, read from
 * it->local[0] when asked (so run_group, which reuses one item record for
 * its plain calls, registers it once per group, not once per item). */
static void enter(rtx_kernel_item *it)
{
    rtx_kernel_now = it;
    const rtx_kernel_group *g = it->group;
    (void)rtx_lane_enter_at((int64_t)g->id[0] * g->launch->local[0], &it->local[0]);
}

/* The body of every executor chunk: run groups [begin, end) of the launch.
 * Whatever item and lane the thread had (the caller's own, an outer
 * kernel's, or none) come back at the end, so launches nest. */
static void groups_body(void *ctx, int64_t begin, int64_t end)
{
    rtx_kernel_item *outer = rtx_kernel_now;
    rtx_lane_saved lane = rtx_lane_enter(0);
    rtx_kernel_group g;
    memset(&g, 0, sizeof g);
    g.launch = ctx;
    for (int64_t i = begin; i < end; i++)
        run_group(&g, (uint64_t)i);
    rtx_kernel_arena_free(&g.arena);
    rtx_kernel_now = outer;
    rtx_lane_leave(lane);
}

static void item_init(rtx_kernel_item *it, rtx_kernel_group *g, uint32_t k)
{
    it->group = g;
    it->fiber = NULL;
    it->local[0] = k % g->extent[0];
    it->local[1] = k / g->extent[0] % g->extent[1];
    it->local[2] = k / g->extent[0] / g->extent[1];
    it->nbar = 0;
    it->next_block = 0;
    it->epoch = g->arena.epoch;
    it->state = ITEM_RUN;
}

static void finished(rtx_kernel_group *g, const rtx_kernel_item *it)
{
    if (it->nbar < g->min_bar)
        g->min_bar = it->nbar;
    if (it->nbar > g->max_bar)
        g->max_bar = it->nbar;
}

static void slot_put(slot *s);

/* Group `linear` of the launch on this thread (see runtime/kernel.h). */
static void run_group(rtx_kernel_group *g, uint64_t linear)
{
    rtx_kernel_launch *L = g->launch;
    g->id[0] = (uint32_t)(linear % L->groups[0]);
    g->id[1] = (uint32_t)(linear / L->groups[0] % L->groups[1]);
    g->id[2] = (uint32_t)(linear / L->groups[0] / L->groups[1]);
    g->n = 1;
    for (int d = 0; d < 3; d++) {
        uint32_t first = g->id[d] * L->local[d], left = L->global[d] - first;
        g->extent[d] = left < L->local[d] ? left : L->local[d];   /* out-of-range items do not exist */
        g->n *= g->extent[d];
    }
    g->k = 0;
    g->mode = MODE_PLAIN;
    g->min_bar = UINT32_MAX;
    g->max_bar = 0;
    g->fibers = NULL;
    g->alive = 0;
    rtx_kernel_arena_begin(&g->arena);
    rtx_kernel_item it;
    item_init(&it, g, 0);
    enter(&it);
    RtKernelFn kernel = L->kernel;
    for (;;) {
        kernel();
        finished(g, &it);
        if (g->mode == MODE_FIBERS) {
            /* it started the fibers at its first barrier and has returned:
             * the others go on meeting without it. */
            while (g->alive > 0)
                round_trip(g);
            while (g->fibers) {
                slot *s = g->fibers;
                g->fibers = s->next;
                slot_put(s);
            }
            break;
        }
        if (++g->k == g->n)
            break;
        /* The next item, x fastest: counting, not dividing (the hot loop of
         * kernels without barriers). A degraded group goes on here too. */
        if (++it.local[0] == g->extent[0]) {
            it.local[0] = 0;
            if (++it.local[1] == g->extent[1]) {
                it.local[1] = 0;
                it.local[2]++;
            }
        }
        it.nbar = 0;
        it.next_block = 0;
        it.epoch = g->arena.epoch;
    }
    if (g->min_bar != g->max_bar)   /* items passed different numbers of barriers */
        note(L, RTX_KERNEL_DIVERGED);
    rtx_kernel_now = NULL;
    (void)rtx_lane_enter(0);   /* it is going away: no lane may point into it */
}

/* A fiber's job: one work-item from start to finish. */
static void item_main(void *arg)
{
    rtx_kernel_item *it = arg;
    enter(it);
    it->group->launch->kernel();
    it->state = ITEM_DONE;
}

/* One barrier round: every fiber item that may run runs until it waits at
 * the barrier or finishes; then (the plain-call item being at the barrier
 * too, or finished) every unfinished item waits, and the barrier opens for
 * all of them. An item that finished instead of waiting diverged: it stops
 * counting, and its barrier count tells (run_group). */
static void round_trip(rtx_kernel_group *g)
{
    for (slot *s = g->fibers; s; s = s->next) {
        if (s->item.state != ITEM_RUN)
            continue;
        rtx_fiber_resume(&s->fiber);
        if (s->item.state == ITEM_DONE) {
            finished(g, &s->item);
            g->alive--;
        }
    }
    for (slot *s = g->fibers; s; s = s->next)
        if (s->item.state == ITEM_WAIT)
            s->item.state = ITEM_RUN;
}

/* ---- fibers of a group, and the thread's idle ones ---- */

static void cache_release(void *p)
{
    slot_cache *c = p;
    while (c->idle) {
        slot *s = c->idle;
        c->idle = s->next;
        rtx_fiber_destroy(&s->fiber);
        rtx_free(s);
    }
    c->n = 0;
}

static void cache_key_init(void) { cache_key_ok = pthread_key_create(&cache_key, cache_release) == 0; }

static slot *slot_get(void)
{
    slot *s = cache.idle;
    if (s != NULL) {
        cache.idle = s->next;
        cache.n--;
        return s;
    }
    s = rtx_malloc(sizeof *s);
    if (s == NULL)
        return NULL;
    if (rtx_fiber_create(&s->fiber) != 0) {
        rtx_free(s);
        return NULL;
    }
    return s;
}

static void slot_put(slot *s)
{
    if (!cache.keyed) {
        pthread_once(&cache_once, cache_key_init);
        cache.keyed = cache_key_ok && pthread_setspecific(cache_key, &cache) == 0;
    }
    if (!cache.keyed || cache.n >= FIBER_CACHE) {
        rtx_fiber_destroy(&s->fiber);
        rtx_free(s);
        return;
    }
    s->next = cache.idle;
    cache.idle = s;
    cache.n++;
}

/* Called by item g->k at the group's first barrier: items k+1..n-1 become
 * fibers, ready to run to that barrier. 0, or -1 (nothing started) when
 * fibers cannot be had. */
static int start_fibers(rtx_kernel_group *g)
{
    uint32_t first = g->k + 1;
    slot *head = NULL, **tail = &head;
    for (uint32_t j = first; j < g->n; j++) {
        slot *s = slot_get();
        if (s == NULL) {
            *tail = NULL;
            while (head) {
                slot *t = head;
                head = t->next;
                slot_put(t);
            }
            return -1;
        }
        *tail = s;
        tail = &s->next;
    }
    *tail = NULL;
    rtx_fiber_sched_init(&g->sched);   /* this context resumes them */
    uint32_t j = first;
    for (slot *s = head; s; s = s->next, j++) {
        item_init(&s->item, g, j);
        s->item.fiber = &s->fiber;
        rtx_fiber_start(&s->fiber, &g->sched, item_main, &s->item);
    }
    g->fibers = head;
    g->alive = g->n - first;
    return 0;
}
