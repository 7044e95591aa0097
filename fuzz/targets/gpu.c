/*
 * fuzz/targets/gpu.c — operation sequences over the gpu family
 * (spec/ffi/gpu.sdn): launches of small kernels with fuzzed sizes (valid,
 * zero, over the limits), getters, barriers, fences and shared memory
 * inside and outside kernels. Oracles: a launch returns exactly what the
 * contract says for its arguments, every in-range item runs once, the ids
 * an item sees are consistent, and outside kernels the getters answer the
 * defaults. Sizes are kept small (at most 4096 items, 64 per group) so an
 * input runs in milliseconds.
 */
#include <stdatomic.h>
#include <string.h>

#include "fuzz/rtz.h"
#include "rtz_gpu.h"

static _Atomic uint64_t ran, bad;

/* Checks its own ids against the launch's sizes. */
static void k_ids(void)
{
    atomic_fetch_add(&ran, 1);
    for (uint32_t d = 0; d < 3; d++) {
        uint64_t g = rt_gpu_global_id(d), l = rt_gpu_local_id(d), grp = rt_gpu_group_id(d);
        if (g != grp * rt_gpu_local_size(d) + l || g >= rt_gpu_global_size(d) ||
            l >= rt_gpu_local_size(d) || grp >= rt_gpu_num_groups(d))
            atomic_fetch_add(&bad, 1);
    }
}

/* Uniform barriers around a shared counter. */
static void k_barrier(void)
{
    atomic_fetch_add(&ran, 1);
    _Atomic uint32_t *c = rt_gpu_shared_alloc(sizeof *c);
    if (c == NULL) {
        atomic_fetch_add(&bad, 1);
        return;
    }
    atomic_fetch_add(c, 1);
    rt_gpu_barrier();
    rt_gpu_mem_fence(0);
    uint64_t n = 1;
    for (uint32_t d = 0; d < 3; d++) {
        uint64_t left = rt_gpu_global_size(d) - rt_gpu_group_id(d) * rt_gpu_local_size(d);
        n *= left < rt_gpu_local_size(d) ? left : rt_gpu_local_size(d);
    }
    if (atomic_load(c) != n)
        atomic_fetch_add(&bad, 1);
    rt_gpu_barrier();
}

/* A barrier only odd items reach: must finish, and say -5 when a group has
 * more than one item. */
static void k_divergent(void)
{
    atomic_fetch_add(&ran, 1);
    if (rt_gpu_local_id(0) & 1)
        rt_gpu_barrier();
}

static void k_shared(void)
{
    atomic_fetch_add(&ran, 1);
    size_t n = (size_t)rt_gpu_local_id(0) * 100;
    uint8_t *a = rt_gpu_shared_alloc(n);   /* NULL when item 0 made block 0 smaller */
    uint8_t *b = rt_gpu_shared_alloc(70000);
    if (b != NULL)
        atomic_fetch_add(&bad, 1);
    if (a)
        memset(a, 1, n);
    rt_gpu_shared_reset();
}

static const RtKernelFn kernels[] = {k_ids, k_barrier, k_divergent, k_shared, NULL};

static uint32_t small(rtz *z)
{
    uint8_t c = rtz_u8(z);
    if (c < 8)
        return 0;
    if (c < 16)
        return (uint32_t)rtz_u64k(z);   /* anything, limits included */
    return 1 + c % 16;
}

static void op_launch(rtz *z)
{
    int k = rtz_u8(z) % 5, one_d = rtz_u8(z) & 1;
    uint32_t g[3], l[3];
    for (int d = 0; d < 3; d++) {
        g[d] = small(z);
        l[d] = small(z);
        if (one_d && d > 0)
            g[d] = l[d] = 1;
    }
    uint64_t items = (uint64_t)g[0] * g[1] * g[2], local = (uint64_t)l[0] * l[1] * l[2];
    /* Keep inputs fast: refuse to run big valid launches (small ones and
     * invalid ones of any size still go through). */
    int valid = kernels[k] && l[0] && l[1] && l[2] && local <= 1024 &&
                (uint64_t)g[0] * g[1] <= (1u << 24) && items <= (1u << 24);
    if (valid && (items > 4096 || local > 64))
        return;
    atomic_store(&ran, 0);
    atomic_store(&bad, 0);
    int32_t r = one_d ? rt_gpu_launch_1d(kernels[k], g[0], l[0])
                      : rt_gpu_launch(kernels[k], g[0], g[1], g[2], l[0], l[1], l[2]);
    if (!valid) {
        RTZ_CHECK(r == -7);
        RTZ_CHECK(atomic_load(&ran) == 0);
        return;
    }
    RTZ_CHECK(atomic_load(&ran) == items);
    RTZ_CHECK(atomic_load(&bad) == 0);
    if (kernels[k] == k_divergent && items > 0) {
        /* Divergent iff some group has both an even and an odd item. */
        int div = l[0] > 1 && g[0] > 1;
        RTZ_CHECK(r == (div ? -5 : 0));
    } else {
        RTZ_CHECK(r == 0);
    }
    /* Back outside a kernel: the defaults. */
    RTZ_CHECK(rt_gpu_global_id(0) == 0 && rt_gpu_local_size(1) == 1);
}

/* Outside a kernel the getters answer the defaults, whatever the dim. */
static void prop_defaults(rtz *z)
{
    uint32_t d = rtz_u32k(z);
    RTZ_CHECK(rt_gpu_global_id(d) == 0 && rt_gpu_local_id(d) == 0 && rt_gpu_group_id(d) == 0);
    RTZ_CHECK(rt_gpu_global_size(d) == 1 && rt_gpu_local_size(d) == 1 &&
              rt_gpu_num_groups(d) == 1);
}

/* Outside a kernel: a bump arena; blocks are zeroed and aligned. */
static void prop_shared_outside(rtz *z)
{
    uint64_t n = rtz_size(z);
    uint8_t *p = rt_gpu_shared_alloc(n);
    if (p == NULL) {
        RTZ_CHECK(n > 0);
        return;
    }
    RTZ_CHECK((uintptr_t)p % 16 == 0);
    for (uint64_t i = 0; i < n && i < 64; i++)
        RTZ_CHECK(p[i] == 0);
    memset(p, 0x77, (size_t)n);
}

static const rtz_op ops[] = {
    RTZ_OP(rt_gpu_global_id), RTZ_OP(rt_gpu_local_id), RTZ_OP(rt_gpu_group_id),
    RTZ_OP(rt_gpu_global_size), RTZ_OP(rt_gpu_local_size), RTZ_OP(rt_gpu_num_groups),
    RTZ_OP(rt_gpu_barrier), RTZ_OP(rt_gpu_mem_fence), RTZ_OP(rt_gpu_shared_alloc),
    RTZ_OP(rt_gpu_shared_reset),
    {"rt_gpu_launch/rt_gpu_launch_1d", op_launch},
    {"prop_defaults", prop_defaults},
    {"prop_shared_outside", prop_shared_outside},
};

RTZ_SEQUENCE_TARGET(ops, NULL)
