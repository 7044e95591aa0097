/* Conformance: rt_gpu_launch, rt_gpu_launch_1d (spec/ffi/gpu.sdn):
 * argument checks and limits, empty ranges, nested launches, groups
 * running in parallel. */
#include <stdatomic.h>
#include <time.h>
#include <valgrind/valgrind.h>

#include "conformance/rtc.h"
#include "gpu/gpu_pool.h"
#include "runtime/mem.h"

static _Atomic uint64_t count;
static void k_count(void) { atomic_fetch_add(&count, 1); }

RTC_TEST(gpu_launch, bad_arguments_are_refused)
{
    atomic_store(&count, 0);
    cr_assert_eq(rt_gpu_launch(NULL, 4, 1, 1, 4, 1, 1), -7, "NULL kernel");
    cr_assert_eq(rt_gpu_launch_1d(NULL, 4, 4), -7);
    cr_assert_eq(rt_gpu_launch(k_count, 4, 1, 1, 0, 1, 1), -7, "lx 0");
    cr_assert_eq(rt_gpu_launch(k_count, 4, 1, 1, 1, 0, 1), -7, "ly 0");
    cr_assert_eq(rt_gpu_launch(k_count, 4, 1, 1, 1, 1, 0), -7, "lz 0");
    cr_assert_eq(rt_gpu_launch_1d(k_count, 4, 0), -7, "local 0 (upstream divides by zero)");
    cr_assert_eq(rt_gpu_launch(k_count, 4, 1, 1, 1025, 1, 1), -7, "local product > 1024");
    cr_assert_eq(rt_gpu_launch(k_count, 4, 4, 4, 32, 32, 2), -7, "32*32*2 > 1024");
    cr_assert_eq(rt_gpu_launch(k_count, 4, 1, 1, UINT32_MAX, UINT32_MAX, UINT32_MAX), -7);
    cr_assert_eq(rt_gpu_launch(k_count, (1u << 24) + 1, 1, 1, 64, 1, 1), -7, "> 2^24 items");
    cr_assert_eq(rt_gpu_launch(k_count, 1u << 12, 1u << 12, 2, 64, 1, 1), -7);
    cr_assert_eq(rt_gpu_launch(k_count, UINT32_MAX, UINT32_MAX, UINT32_MAX, 1, 1, 1), -7,
                 "the product overflows 64 bits: still refused");
    cr_assert_eq(rt_gpu_launch_1d(k_count, UINT32_MAX, 1024), -7);
    cr_assert_eq(atomic_load(&count), 0u, "a refused launch runs nothing");
}

RTC_TEST(gpu_launch, empty_ranges_run_nothing)
{
    atomic_store(&count, 0);
    cr_assert_eq(rt_gpu_launch(k_count, 0, 5, 5, 1, 1, 1), 0);
    cr_assert_eq(rt_gpu_launch(k_count, 5, 0, 5, 1, 1, 1), 0);
    cr_assert_eq(rt_gpu_launch(k_count, 5, 5, 0, 1, 1, 1), 0);
    cr_assert_eq(rt_gpu_launch_1d(k_count, 0, 64), 0);
    cr_assert_eq(rt_gpu_launch(k_count, 0, 0, 0, 1024, 1, 1), 0);
    cr_assert_eq(atomic_load(&count), 0u);
    /* Checks still come first: a NULL kernel or zero local size is -7. */
    cr_assert_eq(rt_gpu_launch(NULL, 0, 1, 1, 1, 1, 1), -7);
    cr_assert_eq(rt_gpu_launch(k_count, 0, 1, 1, 0, 1, 1), -7);
}

RTC_TEST(gpu_launch, limits_are_inclusive)
{
    atomic_store(&count, 0);
    cr_assert_eq(rt_gpu_launch(k_count, 1024, 1, 1, 1024, 1, 1), 0, "local 1024");
    cr_assert_eq(rt_gpu_launch(k_count, 8, 8, 16, 8, 8, 16), 0, "8*8*16 = 1024");
    cr_assert_eq(atomic_load(&count), 2048u);
    if (RUNNING_ON_VALGRIND)   /* 2^24 kernel calls: a minute under Valgrind */
        return;
    atomic_store(&count, 0);
    cr_assert_eq(rt_gpu_launch(k_count, 1u << 12, 1u << 12, 1, 256, 1, 1), 0, "2^24 items");
    cr_assert_eq(atomic_load(&count), UINT64_C(1) << 24);
}

/* A kernel that launches another: the outer item's ids survive it. */
static _Atomic uint64_t inner_sum, outer_ok;
static void k_inner(void) { atomic_fetch_add(&inner_sum, rt_gpu_global_id(0) + 1); }
static void k_outer(void)
{
    uint64_t g = rt_gpu_global_id(0), l = rt_gpu_local_id(0), s = rt_gpu_global_size(0);
    int r = rt_gpu_launch_1d(k_inner, 10, 3);
    if (r == 0 && rt_gpu_global_id(0) == g && rt_gpu_local_id(0) == l &&
        rt_gpu_global_size(0) == s)
        atomic_fetch_add(&outer_ok, 1);
}

RTC_TEST(gpu_launch, nested_launches)
{
    atomic_store(&inner_sum, 0);
    atomic_store(&outer_ok, 0);
    cr_assert_eq(rt_gpu_launch_1d(k_outer, 40, 4), 0);
    cr_assert_eq(atomic_load(&outer_ok), 40u, "every outer item kept its state");
    cr_assert_eq(atomic_load(&inner_sum), 40u * 55u, "40 inner launches of 1+..+10");
}

/* Work-groups run in parallel: group 0 waits until group 1 has started.
 * Sequential emulation (upstream) never gets there; the wait is bounded so
 * a failure is a failure, not a hang. */
static _Atomic int g1_started, g0_saw;
static void k_meet(void)
{
    if (rt_gpu_group_id(0) == 1)
        atomic_store(&g1_started, 1);
    if (rt_gpu_group_id(0) != 0)
        return;
    struct timespec ts = {0, 1000000};
    for (int i = 0; i < 30000 && !atomic_load(&g1_started); i++)
        nanosleep(&ts, NULL);
    atomic_store(&g0_saw, atomic_load(&g1_started));
}

RTC_TEST(gpu_launch, groups_run_in_parallel)
{
    if (rtx_gpu_pool_width() < 2)
        cr_skip_test("one processor: groups cannot overlap here");
    atomic_store(&g1_started, 0);
    atomic_store(&g0_saw, 0);
    cr_assert_eq(rt_gpu_launch_1d(k_meet, 2, 1), 0);
    cr_assert_eq(atomic_load(&g0_saw), 1, "group 1 ran while group 0 was still running");
}

/* Out of memory (test builds fail allocations on request): the launch
 * says -3 instead of crashing, and works again afterwards. */
RTC_TEST(gpu_launch, out_of_memory)
{
    atomic_store(&count, 0);
    rtx_mem_fail_at(1, 1);
    int32_t r = rt_gpu_launch_1d(k_count, 64, 8);
    rtx_mem_fail_at(0, 0);
    cr_assert_eq(r, -3);
    cr_assert_lt(atomic_load(&count), 64u, "not every item could run");
    atomic_store(&count, 0);
    cr_assert_eq(rt_gpu_launch_1d(k_count, 64, 8), 0);
    cr_assert_eq(atomic_load(&count), 64u);
    rtx_mem_fail_at(1, 1);
    cr_assert_null(rt_gpu_shared_alloc(16), "outside a kernel the arena cannot be made");
    rtx_mem_fail_at(0, 0);
}
