/* Conformance: rt_gpu_shared_alloc, rt_gpu_shared_reset, rt_gpu_mem_fence
 * (spec/ffi/gpu.sdn): per-group shared blocks inside kernels, the
 * thread's bump arena outside, limits. */
#include <stdatomic.h>
#include <string.h>

#include "conformance/rtc.h"

RTC_TEST(gpu_shared, outside_a_kernel_bump_arena)
{
    uint8_t *a = rt_gpu_shared_alloc(10), *b = rt_gpu_shared_alloc(1), *z = rt_gpu_shared_alloc(0);
    cr_assert_not_null(a);
    cr_assert_not_null(b);
    cr_assert_not_null(z, "size 0 gives a valid pointer");
    cr_assert_eq((uintptr_t)a % 16, 0u);
    cr_assert_eq((uintptr_t)b % 16, 0u);
    cr_assert(b >= a + 10, "blocks do not overlap");
    for (int i = 0; i < 10; i++)
        cr_assert_eq(a[i], 0, "zeroed");
    memset(a, 0xFF, 10);
    cr_assert_null(rt_gpu_shared_alloc(65536), "does not fit what is left");
    cr_assert_null(rt_gpu_shared_alloc(UINT64_MAX), "huge: refused");
    cr_assert_null(rt_gpu_shared_alloc(UINT64_C(1) << 40));
    cr_assert_eq(a[0], 0xFF, "a refused request leaves earlier blocks alone");
    rt_gpu_shared_reset();
    uint8_t *full = rt_gpu_shared_alloc(65536);
    cr_assert_not_null(full, "after a reset the whole 64 KiB arena is free");
    cr_assert_eq(full[0], 0, "and zeroed again");
    cr_assert_null(rt_gpu_shared_alloc(1));
    rt_gpu_shared_reset();
    rt_gpu_shared_reset();   /* twice is fine */
    cr_assert_null(rt_gpu_shared_alloc(65537));
    rt_gpu_shared_reset();
}

static _Atomic int errors;
static void *ptrs[64][2];

/* Every item of a group gets the group's blocks: same addresses. */
static void k_same_blocks(void)
{
    uint64_t l = rt_gpu_local_id(0), g = rt_gpu_group_id(0);
    uint32_t *a = rt_gpu_shared_alloc(64 * sizeof(uint32_t));
    uint8_t *b = rt_gpu_shared_alloc(3);
    if (a == NULL || b == NULL || (uintptr_t)a % 16 || (uintptr_t)b % 16) {
        atomic_fetch_add(&errors, 1);
        return;
    }
    if (l == 0) {
        ptrs[g][0] = a;
        ptrs[g][1] = b;
    }
    a[l] = (uint32_t)l + 1;   /* each item its own slot; the group shares the array */
    rt_gpu_barrier();
    if (ptrs[g][0] != a || ptrs[g][1] != b)
        atomic_fetch_add(&errors, 1);
    for (uint64_t i = 0; i < rt_gpu_local_size(0); i++)
        if (a[i] != i + 1)
            atomic_fetch_add(&errors, 1);
    rt_gpu_barrier();
}

RTC_TEST(gpu_shared, one_block_per_group_for_all_items)
{
    atomic_store(&errors, 0);
    cr_assert_eq(rt_gpu_launch_1d(k_same_blocks, 64 * 16, 64), 0);
    cr_assert_eq(atomic_load(&errors), 0);
}

/* Without a barrier items run one after another: they still share. */
static void k_accumulate(void)
{
    _Atomic uint32_t *c = rt_gpu_shared_alloc(sizeof *c);
    if (c == NULL) {   /* out of memory (make oom): the group's arena could not be made */
        atomic_fetch_add(&errors, 1);
        return;
    }
    uint32_t before = atomic_fetch_add(c, 1);
    if (before >= rt_gpu_local_size(0))
        atomic_fetch_add(&errors, 1);
    if (before == rt_gpu_local_size(0) - 1 && rt_gpu_group_id(0) < 64)
        ptrs[rt_gpu_group_id(0)][0] = (void *)c;
}

RTC_TEST(gpu_shared, fresh_and_zeroed_for_every_group)
{
    atomic_store(&errors, 0);
    memset(ptrs, 0, sizeof ptrs);
    cr_assert_eq(rt_gpu_launch_1d(k_accumulate, 32 * 40, 32), 0);
    cr_assert_eq(atomic_load(&errors), 0, "a counter never exceeds its group's items");
    for (int g = 0; g < 40; g++)
        cr_assert_not_null(ptrs[g][0], "group %d's last item saw count 31", g);
}

static void k_limits(void)
{
    void *big = rt_gpu_shared_alloc(60000);
    void *more = rt_gpu_shared_alloc(6000);   /* 60000 + 6000 > 64 KiB */
    void *huge = rt_gpu_shared_alloc(UINT64_MAX);
    void *fits = rt_gpu_shared_alloc(5536);   /* the rest, exactly */
    if (big == NULL || more != NULL || huge != NULL || fits == NULL)
        atomic_fetch_add(&errors, 1);
    /* A reset inside a kernel restarts this item's sequence of blocks. */
    rt_gpu_shared_reset();
    if (rt_gpu_shared_alloc(60000) != big)
        atomic_fetch_add(&errors, 1);
    if (rt_gpu_shared_alloc(5537) != NULL)   /* larger than the group's 2nd block */
        atomic_fetch_add(&errors, 1);
    if (rt_gpu_shared_alloc(100) != fits)
        atomic_fetch_add(&errors, 1);
}

RTC_TEST(gpu_shared, limits_inside_a_kernel)
{
    atomic_store(&errors, 0);
    cr_assert_eq(rt_gpu_launch_1d(k_limits, 8, 4), 0);
    cr_assert_eq(atomic_load(&errors), 0);
}

static int64_t slot;
static _Atomic int flag;
static void k_fence(void)
{
    if (rt_gpu_global_id(0) == 0) {
        slot = 42;
        rt_gpu_mem_fence(1);
        atomic_store_explicit(&flag, 1, memory_order_release);
    }
    rt_gpu_mem_fence(0);
    rt_gpu_mem_fence(2);
    rt_gpu_mem_fence(UINT32_MAX);
}

RTC_TEST(gpu_shared, mem_fence_every_scope)
{
    for (uint32_t s = 0; s < 8; s++)
        rt_gpu_mem_fence(s);
    rt_gpu_mem_fence(UINT32_MAX);
    atomic_store(&flag, 0);
    cr_assert_eq(rt_gpu_launch_1d(k_fence, 16, 4), 0);
    cr_assert_eq(atomic_load_explicit(&flag, memory_order_acquire), 1);
    cr_assert_eq(slot, 42);
}
