/*
 * runtime/par_kernel.c — the CPU kernel model: work items, groups, launch.
 *
 * Implements (spec/ffi/par.sdn): rt_par_global_id, rt_par_local_id,
 * rt_par_group_id, rt_par_global_size, rt_par_local_size,
 * rt_par_num_groups, rt_par_barrier, rt_par_mem_fence,
 * rt_par_shared_alloc, rt_par_shared_reset, rt_par_launch_1d,
 * rt_par_launch, and the rt_par_atomic_*_i64 functions.
 *
 * Groups are spread over the executor by runtime/par_run.c; a group's items
 * run on the thread that took the group, one after another, each with its
 * ids in a thread-local context (as upstream). A barrier needs the items of
 * a group to run at the same time, so the first rt_par_barrier of a group
 * turns it concurrent on the spot: the item that reached it starts one
 * thread for every later item of the group and waits with them. Items that
 * already returned do not count (they cannot reach the barrier any more),
 * nor do out-of-range items. Kernels without barriers never pay for that.
 * As on GPUs, a barrier must be reached by every live item of the group or
 * by none; if the OS refuses a thread, that item runs after the others and
 * passes its barriers alone.
 *
 * Shared memory: each group has a 64 KiB arena. Every item sees the same
 * sequence of allocations: an item's nth rt_par_shared_alloc returns the
 * group's nth allocation, made by whichever item got there first (so
 * `buf = rt_par_shared_alloc(n, 8)` in every item names one buffer, like a
 * __shared__ declaration). rt_par_shared_reset empties the arena and
 * restarts every item's sequence. Outside a kernel a thread has its own
 * arena and each call is a new allocation.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "runtime/exec.h"
#include "runtime/mem.h"
#include "runtime/par_run.h"
#include "simplert/par.h"

#define ERR_INVALID (-7)                     /* upstream's "invalid parameter" */
#define MAX_GLOBAL (INT64_C(1) << 24)        /* work items per launch */
#define MAX_LOCAL 1024                       /* work items per group */
#define ARENA_SIZE 65536
#define ARENA_ALIGN 4096
#define MAX_ALLOCS 1024                      /* allocations per arena */
#define ITEM_STACK (512 * 1024)              /* stack of a barrier item thread */

typedef struct alloc_rec {
    uint32_t off, size;
} alloc_rec;

typedef struct arena {
    uint8_t *base;                  /* ARENA_SIZE bytes, 4096-aligned; NULL until used */
    alloc_rec *rec;                 /* MAX_ALLOCS records, after the bytes */
    void *block;                    /* what rtx_malloc returned (both of the above) */
    size_t used;
    uint32_t epoch;                 /* bumped by every reset */
    uint32_t nallocs;
} arena;

typedef struct launch {
    RtKernelFn kernel;
    int64_t gsize[3], lsize[3], ngroups[3];
    int64_t items;                  /* lsize product */
} launch;

typedef struct group {
    const launch *L;
    int64_t id[3];
    pthread_mutex_t m;              /* barrier and arena, once items run concurrently */
    pthread_cond_t cv;
    int concurrent;                 /* a barrier started item threads */
    int64_t unfinished;             /* live items that can still reach the barrier */
    int64_t arrived;
    uint64_t generation;
    arena mem;
} group;

typedef struct item {
    group *g;
    int64_t local_linear;
    int64_t gid[3], lid[3];
    uint32_t epoch, next_alloc;     /* this item's place in the arena sequence */
} item;

static _Thread_local item *cur;             /* the work item running here */
static _Thread_local arena *own_arena;      /* outside a kernel */
static _Thread_local item own_item;
static pthread_key_t own_key;
static pthread_once_t own_once = PTHREAD_ONCE_INIT;

static int64_t ctx_get(uint32_t dim, int which);
static int64_t do_launch(RtKernelFn kernel, const int64_t g[3], int64_t l[3]);
static void *arena_alloc(arena *a, item *it, uint64_t size, uint64_t align);
static void arena_reset(arena *a);

/* ---- work-item getters -------------------------------------------------------------- */

enum { W_GID, W_LID, W_GRP, W_GSIZE, W_LSIZE, W_NGROUPS };

RT_API int64_t rt_par_global_id(uint32_t dim) { return ctx_get(dim, W_GID); }
RT_API int64_t rt_par_local_id(uint32_t dim) { return ctx_get(dim, W_LID); }
RT_API int64_t rt_par_group_id(uint32_t dim) { return ctx_get(dim, W_GRP); }
RT_API int64_t rt_par_global_size(uint32_t dim) { return ctx_get(dim, W_GSIZE); }
RT_API int64_t rt_par_local_size(uint32_t dim) { return ctx_get(dim, W_LSIZE); }
RT_API int64_t rt_par_num_groups(uint32_t dim) { return ctx_get(dim, W_NGROUPS); }

/* ---- synchronisation ---------------------------------------------------------------- */

static void start_item_threads(item *it);
static void release_if_all(group *g);

RT_API void rt_par_barrier(void)
{
    item *it = cur;
    if (it == NULL)
        return;
    group *g = it->g;
    pthread_mutex_lock(&g->m);
    if (!g->concurrent)
        start_item_threads(it);   /* sets concurrent and unfinished */
    if (g->unfinished <= 1) {     /* alone in the group: nothing to wait for */
        pthread_mutex_unlock(&g->m);
        return;
    }
    uint64_t gen = g->generation;
    g->arrived++;
    release_if_all(g);
    while (g->generation == gen)
        pthread_cond_wait(&g->cv, &g->m);
    pthread_mutex_unlock(&g->m);
}

RT_API void rt_par_mem_fence(uint32_t scope)
{
    (void)scope;
    atomic_thread_fence(memory_order_seq_cst);
}

/* ---- shared memory ------------------------------------------------------------------ */

static void own_free(void *p)
{
    arena *a = p;
    rtx_free(a->block);
    rtx_free(a);
}

static void own_key_init(void) { (void)pthread_key_create(&own_key, own_free); }

/* The calling thread's arena for use outside a kernel (freed at thread exit). */
static arena *thread_arena(void)
{
    if (own_arena == NULL) {
        pthread_once(&own_once, own_key_init);
        arena *a = rtx_calloc(1, sizeof *a);
        if (a == NULL)
            return NULL;
        own_arena = a;
        (void)pthread_setspecific(own_key, a);
    }
    return own_arena;
}

RT_API void *rt_par_shared_alloc(uint64_t size, uint64_t align)
{
    if (align == 0)
        align = 8;
    if ((align & (align - 1)) != 0 || align > ARENA_ALIGN || size > ARENA_SIZE)
        return NULL;
    item *it = cur;
    if (it == NULL) {
        arena *a = thread_arena();
        if (a == NULL)
            return NULL;
        own_item.epoch = a->epoch;
        own_item.next_alloc = a->nallocs;   /* outside a kernel: always a new one */
        return arena_alloc(a, &own_item, size, align);
    }
    group *g = it->g;
    pthread_mutex_lock(&g->m);
    void *p = arena_alloc(&g->mem, it, size, align);
    pthread_mutex_unlock(&g->m);
    return p;
}

RT_API void rt_par_shared_reset(void)
{
    item *it = cur;
    if (it == NULL) {
        if (own_arena)
            arena_reset(own_arena);
        return;
    }
    pthread_mutex_lock(&it->g->m);
    arena_reset(&it->g->mem);
    pthread_mutex_unlock(&it->g->m);
}

/* ---- launch ------------------------------------------------------------------------- */

RT_API int64_t rt_par_launch_1d(RtKernelFn kernel, int64_t global_size, int64_t local_size)
{
    int64_t g[3] = {global_size, 1, 1}, l[3] = {local_size <= 0 ? 256 : local_size, 1, 1};
    return do_launch(kernel, g, l);
}

RT_API int64_t rt_par_launch(RtKernelFn kernel, int64_t gx, int64_t gy, int64_t gz, int64_t lx,
                             int64_t ly, int64_t lz)
{
    int64_t g[3] = {gx, gy, gz};
    int64_t l[3] = {lx <= 0 ? 16 : lx, ly <= 0 ? 16 : ly, lz <= 0 ? 1 : lz};
    return do_launch(kernel, g, l);
}

/* ---- atomics ------------------------------------------------------------------------ */

static int bad_ptr(const int64_t *p) { return p == NULL || ((uintptr_t)p & 7) != 0; }

RT_API int64_t rt_par_atomic_add_i64(int64_t *ptr, int64_t value)
{
    return bad_ptr(ptr) ? 0 : __atomic_fetch_add(ptr, value, __ATOMIC_SEQ_CST);
}

RT_API int64_t rt_par_atomic_sub_i64(int64_t *ptr, int64_t value)
{
    return bad_ptr(ptr) ? 0 : __atomic_fetch_sub(ptr, value, __ATOMIC_SEQ_CST);
}

RT_API int64_t rt_par_atomic_xchg_i64(int64_t *ptr, int64_t value)
{
    return bad_ptr(ptr) ? 0 : __atomic_exchange_n(ptr, value, __ATOMIC_SEQ_CST);
}

RT_API int64_t rt_par_atomic_cmpxchg_i64(int64_t *ptr, int64_t expected, int64_t desired)
{
    if (bad_ptr(ptr))
        return 0;
    /* On failure `expected` receives the current value: either way the old one. */
    __atomic_compare_exchange_n(ptr, &expected, desired, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return expected;
}

RT_API int64_t rt_par_atomic_min_i64(int64_t *ptr, int64_t value)
{
    if (bad_ptr(ptr))
        return 0;
    int64_t old = __atomic_load_n(ptr, __ATOMIC_SEQ_CST);
    while (value < old &&
           !__atomic_compare_exchange_n(ptr, &old, value, 1, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
    }
    return old;
}

RT_API int64_t rt_par_atomic_max_i64(int64_t *ptr, int64_t value)
{
    if (bad_ptr(ptr))
        return 0;
    int64_t old = __atomic_load_n(ptr, __ATOMIC_SEQ_CST);
    while (value > old &&
           !__atomic_compare_exchange_n(ptr, &old, value, 1, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
    }
    return old;
}

/* ---- helpers ------------------------------------------------------------------------ */

static int64_t ctx_get(uint32_t dim, int which)
{
    const item *it = cur;
    if (it == NULL)
        return 0;
    uint32_t d = dim > 2 ? 2 : dim;
    const launch *L = it->g->L;
    switch (which) {
    case W_GID: return it->gid[d];
    case W_LID: return it->lid[d];
    case W_GRP: return it->g->id[d];
    case W_GSIZE: return L->gsize[d];
    case W_LSIZE: return L->lsize[d];
    default: return L->ngroups[d];
    }
}

/* Item `linear` of group g: its ids; 0 if it lies outside the global range. */
static int item_init(item *it, group *g, int64_t linear)
{
    const launch *L = g->L;
    memset(it, 0, sizeof *it);
    it->g = g;
    it->local_linear = linear;
    it->lid[0] = linear % L->lsize[0];
    it->lid[1] = (linear / L->lsize[0]) % L->lsize[1];
    it->lid[2] = linear / (L->lsize[0] * L->lsize[1]);
    for (int d = 0; d < 3; d++) {
        it->gid[d] = g->id[d] * L->lsize[d] + it->lid[d];
        if (it->gid[d] >= L->gsize[d])
            return 0;
    }
    return 1;
}

static void run_item(item *it)
{
    item *prev = cur;
    cur = it;
    it->g->L->kernel();
    cur = prev;
}

/* Item finished while the group is concurrent: it no longer counts. */
static void item_done(group *g)
{
    pthread_mutex_lock(&g->m);
    g->unfinished--;
    release_if_all(g);
    pthread_mutex_unlock(&g->m);
}

typedef struct item_thread {
    item it;
    pthread_t tid;
    int live;       /* inside the global range */
    int started;    /* its thread was created */
} item_thread;

static void *item_main(void *p)
{
    item_thread *t = p;
    run_item(&t->it);
    item_done(t->it.g);
    return NULL;
}

/* The group's threads, kept so the group runner can join them. */
typedef struct item_threads {
    item_thread *v;
    int64_t n;
} item_threads;
static _Thread_local item_threads *spawned;   /* set by the group runner */

/* Under g->m, from the item that reached the group's first barrier. */
static void start_item_threads(item *it)
{
    group *g = it->g;
    const launch *L = g->L;
    g->concurrent = 1;
    g->unfinished = 1;   /* the caller */
    item_threads *ts = spawned;
    int64_t later = L->items - it->local_linear - 1;
    ts->v = later > 0 ? rtx_calloc((size_t)later, sizeof *ts->v) : NULL;
    ts->n = ts->v ? later : 0;
    for (int64_t k = 0; k < ts->n; k++) {
        item_thread *t = &ts->v[k];
        t->live = item_init(&t->it, g, it->local_linear + 1 + k);
        if (!t->live)
            continue;   /* out of range: never runs, never counts */
        t->started = rtx_thread_create(&t->tid, item_main, t, "simple-par-item", ITEM_STACK) == 0;
        g->unfinished += t->started;
    }
}

static void release_if_all(group *g)
{
    if (g->arrived > 0 && g->arrived >= g->unfinished) {
        g->arrived = 0;
        g->generation++;
        pthread_cond_broadcast(&g->cv);
    }
}

/* Run one group on the calling thread (see the file comment). */
static void run_group(const launch *L, int64_t linear_group)
{
    group g;
    memset(&g, 0, sizeof g);
    g.L = L;
    g.id[0] = linear_group % L->ngroups[0];
    g.id[1] = (linear_group / L->ngroups[0]) % L->ngroups[1];
    g.id[2] = linear_group / (L->ngroups[0] * L->ngroups[1]);
    pthread_mutex_init(&g.m, NULL);
    pthread_cond_init(&g.cv, NULL);
    item_threads ts = {NULL, 0};
    item_threads *prev_spawned = spawned;
    spawned = &ts;
    item it;
    for (int64_t k = 0; k < L->items && !g.concurrent; k++) {
        if (!item_init(&it, &g, k))
            continue;
        run_item(&it);
        if (g.concurrent)
            item_done(&g);   /* this item started the threads and counted itself */
    }
    spawned = prev_spawned;
    for (int64_t k = 0; k < ts.n; k++)
        if (ts.v[k].started)
            pthread_join(ts.v[k].tid, NULL);
    /* Items whose thread could not be started run now, alone. */
    for (int64_t k = 0; k < ts.n; k++) {
        if (ts.v[k].started || !ts.v[k].live)
            continue;
        g.unfinished = 1;
        run_item(&ts.v[k].it);
        g.unfinished = 0;
    }
    rtx_free(ts.v);
    rtx_free(g.mem.block);
    pthread_cond_destroy(&g.cv);
    pthread_mutex_destroy(&g.m);
}

static void groups_body(void *p, int64_t b, int64_t e)
{
    const launch *L = p;
    for (int64_t k = b; k < e; k++)
        run_group(L, k);
}

static int64_t do_launch(RtKernelFn kernel, const int64_t g[3], int64_t l[3])
{
    if (kernel == NULL)
        return ERR_INVALID;
    if (g[0] <= 0 || g[1] <= 0 || g[2] <= 0)
        return 0;
    if (g[0] > MAX_GLOBAL || g[1] > MAX_GLOBAL || g[2] > MAX_GLOBAL ||
        g[0] * g[1] > MAX_GLOBAL || g[0] * g[1] * g[2] > MAX_GLOBAL)
        return ERR_INVALID;
    if (l[0] > MAX_LOCAL || l[1] > MAX_LOCAL || l[2] > MAX_LOCAL || l[0] * l[1] > MAX_LOCAL ||
        l[0] * l[1] * l[2] > MAX_LOCAL)
        return ERR_INVALID;
    launch L = {.kernel = kernel, .items = l[0] * l[1] * l[2]};
    int64_t total = 1;
    for (int d = 0; d < 3; d++) {
        L.gsize[d] = g[d];
        L.lsize[d] = l[d];
        L.ngroups[d] = (g[d] + l[d] - 1) / l[d];
        total *= L.ngroups[d];
    }
    rtx_par_run(total, 1, INT64_MAX, groups_body, &L);   /* groups' cost is unknown: probe */
    return 0;
}

static void arena_reset(arena *a)
{
    a->used = 0;
    a->nallocs = 0;
    a->epoch++;
}

/* The item's next allocation in a's sequence (see the file comment). */
static void *arena_alloc(arena *a, item *it, uint64_t size, uint64_t align)
{
    if (a->base == NULL) {   /* first use: one block for the bytes and the records */
        a->block = rtx_malloc(ARENA_ALIGN + ARENA_SIZE + MAX_ALLOCS * sizeof(alloc_rec));
        if (a->block == NULL)
            return NULL;
        uintptr_t at = ((uintptr_t)a->block + ARENA_ALIGN - 1) & ~(uintptr_t)(ARENA_ALIGN - 1);
        a->base = (uint8_t *)at;
        a->rec = (alloc_rec *)(at + ARENA_SIZE);
    }
    if (it->epoch != a->epoch) {   /* the arena was reset since this item's last call */
        it->epoch = a->epoch;
        it->next_alloc = 0;
    }
    if (it->next_alloc < a->nallocs) {   /* another item made this one already */
        uint32_t k = it->next_alloc;
        if (a->rec[k].size < size || (a->rec[k].off & (align - 1)) != 0)
            return NULL;   /* the items' sequences disagree */
        it->next_alloc++;
        return a->base + a->rec[k].off;
    }
    size_t off = (a->used + (size_t)align - 1) & ~((size_t)align - 1);
    if (a->nallocs == MAX_ALLOCS || off + size > ARENA_SIZE)
        return NULL;
    memset(a->base + off, 0, (size_t)size);
    a->rec[a->nallocs].off = (uint32_t)off;
    a->rec[a->nallocs].size = (uint32_t)size;
    a->nallocs++;
    a->used = off + (size_t)size;
    it->next_alloc++;
    return a->base + off;
}
