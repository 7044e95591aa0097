/*
 * gpu/launch.c — rt_gpu_launch, rt_gpu_launch_1d (spec/ffi/gpu.sdn), and
 * the work-group machinery rt_gpu_barrier relies on. The design is
 * described in gpu/launch.h: groups in parallel on gpu_pool, item 0 probes
 * for barriers, a crew of threads when the group needs to meet.
 */
#include "gpu/launch.h"

#include <string.h>

#include "gpu/gpu_pool.h"
#include "gpu/gpu_status.h"
#include "runtime/mem.h"
#include "simplert/gpu.h"

_Thread_local rtx_gpu_item *rtx_gpu_current;

/* Crew threads alive at once, all launches together. A soft cap: only a
 * thread that holds no crew yet, in a launch not made from inside a kernel,
 * waits for room. Holders never wait (so waiting cannot deadlock: it only
 * ever waits for threads that finish without waiting), and a nested launch
 * never waits for room its own outer launch may be holding. */
#define CREW_CAP 4096u
#define CREW_STACK (512u << 10)

typedef struct rtx_gpu_crew rtx_gpu_crew;
typedef struct crew_arg {
    rtx_gpu_crew *crew;
    uint32_t index;   /* the item it runs: 1 .. n-1 */
} crew_arg;

struct rtx_gpu_crew {
    pthread_mutex_t m;
    pthread_cond_t cv;
    uint64_t epoch;           /* bumped for every group handed to the crew */
    int quit;
    rtx_gpu_group *group;
    uint32_t n;
    uint32_t nthreads;
    pthread_t threads[RTX_GPU_MAX_LOCAL - 1];
    crew_arg args[RTX_GPU_MAX_LOCAL - 1];
};

static pthread_mutex_t room_m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t room_cv = PTHREAD_COND_INITIALIZER;
static uint32_t room_used;

static int32_t validate(RtKernelFn k, const uint32_t g[3], const uint32_t l[3]);
static void runner(void *ctx);
static void run_group(rtx_gpu_group *g);
static void run_item(rtx_gpu_group *g, uint32_t k);
static void item_finished(rtx_gpu_group *g, const rtx_gpu_item *it);
static int crew_start(rtx_gpu_group *g);
static void crew_end(rtx_gpu_crew *c);
static void set_status(rtx_gpu_launch *L, int32_t s);

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
    L.nested = outer != NULL;
    unsigned width = rtx_gpu_pool_width();
    if ((uint64_t)width > L.ngroups)
        width = (unsigned)L.ngroups;
    rtx_gpu_pool_run(width, runner, &L);
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
    if (g->mode == RTX_GPU_PROBE && g->n > 1 && crew_start(g) != 0) {
        set_status(g->launch, RTX_GPU_ALLOCATION_FAILED);
        g->mode = RTX_GPU_DEGRADED;
    }
    if (g->mode != RTX_GPU_CREW)
        return;   /* one item alone, DIRECT (divergent: counted), or DEGRADED */
    pthread_mutex_lock(&g->m);
    if (++g->arrived == g->live) {
        g->arrived = 0;
        g->gen++;
        pthread_cond_broadcast(&g->cv);
    } else {
        uint64_t gen = g->gen;
        while (g->gen == gen)
            pthread_cond_wait(&g->cv, &g->m);
    }
    pthread_mutex_unlock(&g->m);
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

/* The body every pool thread runs: claim groups until none is left. Its
 * group record, shared-memory arena and crew live for the whole launch. */
static void runner(void *ctx)
{
    rtx_gpu_launch *L = ctx;
    rtx_gpu_group *g = NULL;
    rtx_gpu_crew *crew = NULL;
    for (;;) {
        uint64_t i = atomic_fetch_add(&L->next, 1);
        if (i >= L->ngroups)
            break;
        if (g == NULL) {
            g = rtx_calloc(1, sizeof *g);
            if (g == NULL || pthread_mutex_init(&g->m, NULL) != 0) {
                rtx_free(g);
                /* This group cannot run; leave the rest to other threads. */
                set_status(L, RTX_GPU_ALLOCATION_FAILED);
                return;
            }
            pthread_cond_init(&g->cv, NULL);
            g->launch = L;
        }
        g->id[0] = (uint32_t)(i % L->groups[0]);
        g->id[1] = (uint32_t)(i / L->groups[0] % L->groups[1]);
        g->id[2] = (uint32_t)(i / L->groups[0] / L->groups[1]);
        g->crew = crew;
        run_group(g);
        crew = g->crew;   /* crew_start may have created it */
    }
    if (crew)
        crew_end(crew);
    if (g) {
        pthread_cond_destroy(&g->cv);
        pthread_mutex_destroy(&g->m);
        rtx_free(g->arena);
        rtx_free(g);
    }
}

static void run_group(rtx_gpu_group *g)
{
    const rtx_gpu_launch *L = g->launch;
    g->n = 1;
    for (int d = 0; d < 3; d++) {
        uint32_t first = g->id[d] * L->local[d], left = L->global[d] - first;
        g->extent[d] = left < L->local[d] ? left : L->local[d];
        g->n *= g->extent[d];
    }
    g->mode = RTX_GPU_PROBE;
    g->live = g->n;
    g->arrived = 0;
    g->gen = 0;
    g->min_bar = UINT32_MAX;
    g->max_bar = 0;
    g->used = 0;
    g->nblocks = 0;
    run_item(g, 0);   /* item 0 decides: a barrier in it starts the crew */
    if (g->mode == RTX_GPU_PROBE)
        g->mode = RTX_GPU_DIRECT;
    if (g->mode == RTX_GPU_CREW) {
        pthread_mutex_lock(&g->m);
        while (g->live > 0)
            pthread_cond_wait(&g->cv, &g->m);
        pthread_mutex_unlock(&g->m);
    } else {
        for (uint32_t k = 1; k < g->n; k++)
            run_item(g, k);
    }
    if (g->min_bar != g->max_bar)   /* items passed different numbers of barriers */
        set_status(g->launch, RTX_GPU_EXECUTION_FAILED);
}

/* Run in-range item k of g (x fastest) on the calling thread. */
static void run_item(rtx_gpu_group *g, uint32_t k)
{
    rtx_gpu_item it = {.group = g};
    it.local[0] = k % g->extent[0];
    it.local[1] = k / g->extent[0] % g->extent[1];
    it.local[2] = k / g->extent[0] / g->extent[1];
    rtx_gpu_current = &it;
    g->launch->kernel();
    rtx_gpu_current = NULL;
    item_finished(g, &it);
}

static void item_finished(rtx_gpu_group *g, const rtx_gpu_item *it)
{
    /* Outside CREW mode only the claiming thread touches the group. */
    int crew = g->mode == RTX_GPU_CREW;
    if (crew)
        pthread_mutex_lock(&g->m);
    if (it->nbar < g->min_bar)
        g->min_bar = it->nbar;
    if (it->nbar > g->max_bar)
        g->max_bar = it->nbar;
    g->live--;
    if (crew) {
        /* A finished item no longer counts: if everyone left is waiting at
         * a barrier this one never reached (divergence), release them. */
        if (g->live > 0 && g->arrived == g->live) {
            g->arrived = 0;
            g->gen++;
        }
        pthread_cond_broadcast(&g->cv);
        pthread_mutex_unlock(&g->m);
    }
}

/* ---- the crew ---- */

static void *crew_main(void *arg)
{
    crew_arg *a = arg;
    rtx_gpu_crew *c = a->crew;
    uint64_t seen = 0;
    pthread_mutex_lock(&c->m);
    for (;;) {
        while (c->epoch == seen && !c->quit)
            pthread_cond_wait(&c->cv, &c->m);
        if (c->quit)
            break;
        seen = c->epoch;
        rtx_gpu_group *g = c->group;
        if (a->index < c->n) {
            pthread_mutex_unlock(&c->m);
            run_item(g, a->index);
            pthread_mutex_lock(&c->m);
        }
    }
    pthread_mutex_unlock(&c->m);
    return NULL;
}

/* Take room for n more crew threads (see CREW_CAP). */
static void room_take(uint32_t n, int may_wait)
{
    pthread_mutex_lock(&room_m);
    while (may_wait && room_used + n > CREW_CAP && room_used > 0)
        pthread_cond_wait(&room_cv, &room_m);
    room_used += n;
    pthread_mutex_unlock(&room_m);
}

static void room_give(uint32_t n)
{
    pthread_mutex_lock(&room_m);
    room_used -= n;
    pthread_cond_broadcast(&room_cv);
    pthread_mutex_unlock(&room_m);
}

/* Item 0 of g reached a barrier: run items 1..n-1 on the claiming thread's
 * crew, growing it as needed. 0, or -1 when threads cannot be had (then
 * nothing was handed to the crew). */
static int crew_start(rtx_gpu_group *g)
{
    rtx_gpu_crew *c = g->crew;
    if (c == NULL) {
        c = rtx_calloc(1, sizeof *c);
        if (c == NULL)
            return -1;
        pthread_mutex_init(&c->m, NULL);
        pthread_cond_init(&c->cv, NULL);
        g->crew = c;
    }
    uint32_t need = g->n - 1;
    if (c->nthreads < need) {
        uint32_t more = need - c->nthreads;
        room_take(more, !g->launch->nested && c->nthreads == 0);
        pthread_attr_t at;
        pthread_attr_init(&at);
        pthread_attr_setstacksize(&at, CREW_STACK);
        uint32_t made = 0;
        while (c->nthreads < need) {
            crew_arg *a = &c->args[c->nthreads];
            a->crew = c;
            a->index = c->nthreads + 1;
            if (pthread_create(&c->threads[c->nthreads], &at, crew_main, a) != 0)
                break;
            c->nthreads++;
            made++;
        }
        pthread_attr_destroy(&at);
        room_give(more - made);
        if (c->nthreads < need)
            return -1;
    }
    g->mode = RTX_GPU_CREW;
    pthread_mutex_lock(&c->m);
    c->group = g;
    c->n = g->n;
    c->epoch++;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->m);
    return 0;
}

static void crew_end(rtx_gpu_crew *c)
{
    pthread_mutex_lock(&c->m);
    c->quit = 1;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->m);
    for (uint32_t i = 0; i < c->nthreads; i++)
        pthread_join(c->threads[i], NULL);
    room_give(c->nthreads);
    pthread_cond_destroy(&c->cv);
    pthread_mutex_destroy(&c->m);
    rtx_free(c);
}
