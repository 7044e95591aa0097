/* Conformance: rt_gpu_global_id, rt_gpu_local_id, rt_gpu_group_id,
 * rt_gpu_global_size, rt_gpu_local_size, rt_gpu_num_groups
 * (spec/ffi/gpu.sdn): every work-item of a launch runs once and sees its
 * own ids; outside a kernel the defaults; dimensions clamp to 2. */
#include <stdatomic.h>
#include <string.h>

#include "conformance/rtc.h"

#define MAXN 4096
static _Atomic uint32_t runs[MAXN];
static uint64_t seen[MAXN][3][6];   /* per item, per dim: global, local, group, gsize, lsize, ngroups */
static _Atomic uint32_t bad;

static void record(void)
{
    uint64_t gx = rt_gpu_global_id(0), gy = rt_gpu_global_id(1), gz = rt_gpu_global_id(2);
    uint64_t idx = gx + rt_gpu_global_size(0) * (gy + rt_gpu_global_size(1) * gz);
    if (idx >= MAXN) {
        atomic_fetch_add(&bad, 1);
        return;
    }
    atomic_fetch_add(&runs[idx], 1);
    for (uint32_t d = 0; d < 3; d++) {
        seen[idx][d][0] = rt_gpu_global_id(d);
        seen[idx][d][1] = rt_gpu_local_id(d);
        seen[idx][d][2] = rt_gpu_group_id(d);
        seen[idx][d][3] = rt_gpu_global_size(d);
        seen[idx][d][4] = rt_gpu_local_size(d);
        seen[idx][d][5] = rt_gpu_num_groups(d);
    }
    /* Dimensions past 2 clamp to 2, inside a kernel too. */
    if (rt_gpu_global_id(3) != gz || rt_gpu_local_id(UINT32_MAX) != rt_gpu_local_id(2) ||
        rt_gpu_num_groups(7) != rt_gpu_num_groups(2))
        atomic_fetch_add(&bad, 1);
}

static void reset(void)
{
    for (int i = 0; i < MAXN; i++)
        atomic_store(&runs[i], 0);
    memset(seen, 0, sizeof seen);
    atomic_store(&bad, 0);
}

/* Launch g/l and check every in-range item ran once with consistent ids. */
static void check_launch(const uint32_t g[3], const uint32_t l[3])
{
    reset();
    cr_assert_eq(rt_gpu_launch(record, g[0], g[1], g[2], l[0], l[1], l[2]), 0);
    cr_assert_eq(atomic_load(&bad), 0u);
    uint64_t n = (uint64_t)g[0] * g[1] * g[2];
    for (uint64_t i = 0; i < MAXN; i++)
        cr_assert_eq(atomic_load(&runs[i]), i < n ? 1u : 0u, "item %" PRIu64 " ran %u times", i,
                     atomic_load(&runs[i]));
    for (uint64_t z = 0; z < g[2]; z++)
        for (uint64_t y = 0; y < g[1]; y++)
            for (uint64_t x = 0; x < g[0]; x++) {
                uint64_t id[3] = {x, y, z}, i = x + g[0] * (y + g[1] * z);
                for (int d = 0; d < 3; d++) {
                    const uint64_t *s = seen[i][d];
                    cr_assert_eq(s[0], id[d]);
                    cr_assert_eq(s[1], id[d] % l[d], "local id");
                    cr_assert_eq(s[2], id[d] / l[d], "group id");
                    cr_assert_eq(s[3], g[d]);
                    cr_assert_eq(s[4], l[d]);
                    cr_assert_eq(s[5], (g[d] + l[d] - 1) / l[d], "groups, rounded up");
                }
            }
}

RTC_TEST(gpu_workitem, outside_a_kernel_defaults)
{
    for (uint32_t d = 0; d < 5; d++) {
        cr_assert_eq(rt_gpu_global_id(d), 0u);
        cr_assert_eq(rt_gpu_local_id(d), 0u);
        cr_assert_eq(rt_gpu_group_id(d), 0u);
        cr_assert_eq(rt_gpu_global_size(d), 1u);
        cr_assert_eq(rt_gpu_local_size(d), 1u);
        cr_assert_eq(rt_gpu_num_groups(d), 1u);
    }
    cr_assert_eq(rt_gpu_global_id(UINT32_MAX), 0u);
    cr_assert_eq(rt_gpu_num_groups(UINT32_MAX), 1u);
}

RTC_TEST(gpu_workitem, one_dimension_with_a_partial_group)
{
    check_launch((uint32_t[]){1000, 1, 1}, (uint32_t[]){64, 1, 1});
    check_launch((uint32_t[]){1, 1, 1}, (uint32_t[]){1, 1, 1});
    check_launch((uint32_t[]){7, 1, 1}, (uint32_t[]){1024, 1, 1});
}

RTC_TEST(gpu_workitem, three_dimensions)
{
    check_launch((uint32_t[]){10, 9, 7}, (uint32_t[]){4, 3, 2});
    check_launch((uint32_t[]){16, 16, 4}, (uint32_t[]){16, 16, 4});
    check_launch((uint32_t[]){3, 5, 11}, (uint32_t[]){1, 1, 1});
}

RTC_TEST(gpu_workitem, launch_1d_is_launch_with_ones)
{
    reset();
    cr_assert_eq(rt_gpu_launch_1d(record, 300, 32), 0);
    for (int i = 0; i < 300; i++) {
        cr_assert_eq(atomic_load(&runs[i]), 1u);
        cr_assert_eq(seen[i][0][1], (uint64_t)i % 32);
        cr_assert_eq(seen[i][1][3], 1u, "global size y is 1");
        cr_assert_eq(seen[i][2][4], 1u, "local size z is 1");
        cr_assert_eq(seen[i][0][5], 10u);
    }
    cr_assert_eq(atomic_load(&runs[300]), 0u);
    /* After the launch this thread is outside a kernel again. */
    cr_assert_eq(rt_gpu_global_size(0), 1u);
    cr_assert_eq(rt_gpu_global_id(0), 0u);
}
