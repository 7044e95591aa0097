/*
 * runtime/par_kernel.c — the par family's kernel model: work items,
 * groups, launch, atomics.
 *
 * Implements (spec/ffi/par.sdn): rt_par_global_id, rt_par_local_id,
 * rt_par_group_id, rt_par_global_size, rt_par_local_size,
 * rt_par_num_groups, rt_par_barrier, rt_par_mem_fence,
 * rt_par_shared_alloc, rt_par_shared_reset, rt_par_launch_1d,
 * rt_par_launch, and the rt_par_atomic_*_i64 functions.
 *
 * A front end over the kernel engine (runtime/kernel.h), which the gpu
 * family shares: this file keeps par's contract, i.e. int64_t sizes and
 * returns, its default local sizes, -7 as the only launch error, 0 from
 * every getter outside a kernel, an alignment argument for shared memory,
 * up to 1024 allocations per arena, and a reset that empties the group's
 * arena for every item. What the engine reports about a launch (a barrier
 * not every item reached, a group that could not get fibers) is not an
 * error here: par's barrier waits for the items that have not returned,
 * and an item that cannot meet passes its barriers alone.
 */
#include <stdatomic.h>

#include "runtime/kernel.h"
#include "simplert/par.h"

#define ERR_INVALID (-7)                     /* upstream's "invalid parameter" */
#define MAX_GLOBAL ((int64_t)RTX_KERNEL_MAX_GLOBAL)
#define MAX_LOCAL ((int64_t)RTX_KERNEL_MAX_LOCAL)
#define MAX_ALLOCS 1024u                     /* allocations per arena */

static int64_t ctx_get(uint32_t dim, int which);
static int64_t do_launch(RtKernelFn kernel, const int64_t g[3], const int64_t l[3]);

/* ---- work-item getters -------------------------------------------------------------- */

enum { W_GID, W_LID, W_GRP, W_GSIZE, W_LSIZE, W_NGROUPS };

RT_API int64_t rt_par_global_id(uint32_t dim) { return ctx_get(dim, W_GID); }
RT_API int64_t rt_par_local_id(uint32_t dim) { return ctx_get(dim, W_LID); }
RT_API int64_t rt_par_group_id(uint32_t dim) { return ctx_get(dim, W_GRP); }
RT_API int64_t rt_par_global_size(uint32_t dim) { return ctx_get(dim, W_GSIZE); }
RT_API int64_t rt_par_local_size(uint32_t dim) { return ctx_get(dim, W_LSIZE); }
RT_API int64_t rt_par_num_groups(uint32_t dim) { return ctx_get(dim, W_NGROUPS); }

/* ---- synchronisation ---------------------------------------------------------------- */

RT_API void rt_par_barrier(void)
{
    rtx_kernel_item *it = rtx_kernel_now;
    if (it != NULL)   /* outside a kernel: nothing to meet, returns at once */
        rtx_kernel_barrier(it);
}

RT_API void rt_par_mem_fence(uint32_t scope)
{
    (void)scope;
    atomic_thread_fence(memory_order_seq_cst);
}

/* ---- shared memory ------------------------------------------------------------------ */

RT_API void *rt_par_shared_alloc(uint64_t size, uint64_t align)
{
    if (align == 0)
        align = 8;
    if ((align & (align - 1)) != 0 || align > RTX_KERNEL_SHARED_ALIGN ||
        size > RTX_KERNEL_SHARED_BYTES)
        return NULL;
    rtx_kernel_item *it = rtx_kernel_now;
    if (it == NULL)   /* outside a kernel: always a new allocation */
        return rtx_kernel_own_alloc(RTX_KERNEL_OWN_PAR, size, align, MAX_ALLOCS);
    return rtx_kernel_shared_alloc(it, size, align, MAX_ALLOCS);
}

RT_API void rt_par_shared_reset(void)
{
    rtx_kernel_item *it = rtx_kernel_now;
    if (it == NULL)
        rtx_kernel_own_reset(RTX_KERNEL_OWN_PAR, 0);
    else
        rtx_kernel_shared_clear(it);
}

/* ---- launch ------------------------------------------------------------------------- */

RT_API int64_t rt_par_launch_1d(RtKernelFn kernel, int64_t global_size, int64_t local_size)
{
    const int64_t g[3] = {global_size, 1, 1}, l[3] = {local_size <= 0 ? 256 : local_size, 1, 1};
    return do_launch(kernel, g, l);
}

RT_API int64_t rt_par_launch(RtKernelFn kernel, int64_t gx, int64_t gy, int64_t gz, int64_t lx,
                             int64_t ly, int64_t lz)
{
    const int64_t g[3] = {gx, gy, gz};
    const int64_t l[3] = {lx <= 0 ? 16 : lx, ly <= 0 ? 16 : ly, lz <= 0 ? 1 : lz};
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
    const rtx_kernel_item *it = rtx_kernel_now;
    if (it == NULL)
        return 0;
    uint32_t d = rtx_kernel_dim(dim);
    const rtx_kernel_group *g = it->group;
    switch (which) {
    case W_GID: return (int64_t)rtx_kernel_global_id(it, d);
    case W_LID: return it->local[d];
    case W_GRP: return g->id[d];
    case W_GSIZE: return g->launch->global[d];
    case W_LSIZE: return g->launch->local[d];
    default: return g->launch->groups[d];
    }
}

static int64_t do_launch(RtKernelFn kernel, const int64_t g[3], const int64_t l[3])
{
    if (kernel == NULL)
        return ERR_INVALID;
    if (g[0] <= 0 || g[1] <= 0 || g[2] <= 0)
        return 0;
    /* Pairwise, so that no product can overflow. */
    if (g[0] > MAX_GLOBAL || g[1] > MAX_GLOBAL || g[2] > MAX_GLOBAL ||
        g[0] * g[1] > MAX_GLOBAL || g[0] * g[1] * g[2] > MAX_GLOBAL)
        return ERR_INVALID;
    if (l[0] > MAX_LOCAL || l[1] > MAX_LOCAL || l[2] > MAX_LOCAL || l[0] * l[1] > MAX_LOCAL ||
        l[0] * l[1] * l[2] > MAX_LOCAL)
        return ERR_INVALID;
    const uint32_t gs[3] = {(uint32_t)g[0], (uint32_t)g[1], (uint32_t)g[2]};
    const uint32_t ls[3] = {(uint32_t)l[0], (uint32_t)l[1], (uint32_t)l[2]};
    (void)rtx_kernel_run(kernel, gs, ls);   /* no engine problem is an error for par */
    return 0;
}
