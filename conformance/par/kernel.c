/* Conformance: rt_par_launch_1d, rt_par_launch, the work-item getters
 * (rt_par_global_id, rt_par_local_id, rt_par_group_id, rt_par_global_size,
 * rt_par_local_size, rt_par_num_groups), rt_par_barrier, rt_par_mem_fence
 * (spec/ffi/par.sdn). */
#include "conformance/par/par_util.h"
#include "runtime/exec.h"

static _Atomic int64_t counter;

static void count_kernel(void) { atomic_fetch_add(&counter, 1); }

/* upstream parallel.rs test_kernel_1d_execution */
/* A deadlock fails the test instead of hanging the gate. */
TestSuite(par_kernel, .timeout = 120);

RTC_TEST(par_kernel, launch_1d_runs_each_item_once)
{
    cr_assert_eq(rt_par_launch_1d(count_kernel, 100, 32), 0);
    cr_assert_eq(atomic_load(&counter), 100);
}

/* Every item records what the getters say; index = global linear id. */
typedef struct ids {
    int64_t g[3], l[3], grp[3], gs[3], ls[3], ng[3], clamp;
    _Atomic int hits;
} ids;
static ids *rec;
static int64_t rec_gx, rec_gy;

static void record_kernel(void)
{
    int64_t x = rt_par_global_id(0), y = rt_par_global_id(1), z = rt_par_global_id(2);
    ids *r = &rec[(z * rec_gy + y) * rec_gx + x];
    for (uint32_t d = 0; d < 3; d++) {
        r->g[d] = rt_par_global_id(d);
        r->l[d] = rt_par_local_id(d);
        r->grp[d] = rt_par_group_id(d);
        r->gs[d] = rt_par_global_size(d);
        r->ls[d] = rt_par_local_size(d);
        r->ng[d] = rt_par_num_groups(d);
    }
    r->clamp = rt_par_global_id(7) == z && rt_par_local_size(UINT32_MAX) == rt_par_local_size(2);
    atomic_fetch_add(&r->hits, 1);
}

static void check_ids(const int64_t g[3], const int64_t l[3])
{
    for (int64_t z = 0; z < g[2]; z++)
        for (int64_t y = 0; y < g[1]; y++)
            for (int64_t x = 0; x < g[0]; x++) {
                const ids *r = &rec[(z * g[1] + y) * g[0] + x];
                const int64_t id[3] = {x, y, z};
                cr_assert_eq(atomic_load(&r->hits), 1, "item (%ld,%ld,%ld)", (long)x, (long)y,
                             (long)z);
                for (int d = 0; d < 3; d++) {
                    cr_assert_eq(r->g[d], id[d]);
                    cr_assert_eq(r->l[d], id[d] % l[d]);
                    cr_assert_eq(r->grp[d], id[d] / l[d]);
                    cr_assert_eq(r->gs[d], g[d]);
                    cr_assert_eq(r->ls[d], l[d]);
                    cr_assert_eq(r->ng[d], (g[d] + l[d] - 1) / l[d]);
                }
                cr_assert(r->clamp, "dim > 2 reads dimension 2");
            }
}

RTC_TEST(par_kernel, ids_1d)
{
    const int64_t g[3] = {1000, 1, 1}, l[3] = {64, 1, 1};
    rec = calloc(1000, sizeof *rec);
    rec_gx = 1000;
    rec_gy = 1;
    cr_assert_eq(rt_par_launch_1d(record_kernel, 1000, 64), 0);
    check_ids(g, l);
    free(rec);
}

RTC_TEST(par_kernel, ids_3d_with_partial_groups)
{
    const int64_t g[3] = {10, 7, 3}, l[3] = {4, 4, 2};
    rec = calloc(210, sizeof *rec);
    rec_gx = 10;
    rec_gy = 7;
    cr_assert_eq(rt_par_launch(record_kernel, 10, 7, 3, 4, 4, 2), 0);
    check_ids(g, l);
    free(rec);
}

RTC_TEST(par_kernel, ids_forced_onto_workers)
{
    const int64_t g[3] = {33, 9, 2}, l[3] = {8, 2, 1};
    rec = calloc(33 * 9 * 2, sizeof *rec);
    rec_gx = 33;
    rec_gy = 9;
    rtx_par_force(1);   /* every group may land on another thread */
    cr_assert_eq(rt_par_launch(record_kernel, 33, 9, 2, 8, 2, 1), 0);
    rtx_par_force(0);
    check_ids(g, l);
    free(rec);
}

static int64_t seen_local[3];
static void sizes_kernel(void)
{
    for (uint32_t d = 0; d < 3; d++)
        seen_local[d] = rt_par_local_size(d);
}

RTC_TEST(par_kernel, default_local_sizes)
{
    cr_assert_eq(rt_par_launch_1d(sizes_kernel, 10, 0), 0);
    cr_assert_eq(seen_local[0], 256, "1-D: local <= 0 means 256");
    cr_assert_eq(rt_par_launch_1d(sizes_kernel, 10, -5), 0);
    cr_assert_eq(seen_local[0], 256);
    cr_assert_eq(rt_par_launch(sizes_kernel, 2, 2, 2, 0, -1, 0), 0);
    cr_assert_eq(seen_local[0], 16);
    cr_assert_eq(seen_local[1], 16);
    cr_assert_eq(seen_local[2], 1, "3-D: 16, 16, 1");
}

RTC_TEST(par_kernel, getters_outside_a_kernel_are_zero)
{
    for (uint32_t d = 0; d < 5; d++) {
        cr_assert_eq(rt_par_global_id(d), 0);
        cr_assert_eq(rt_par_local_id(d), 0);
        cr_assert_eq(rt_par_group_id(d), 0);
        cr_assert_eq(rt_par_global_size(d), 0);
        cr_assert_eq(rt_par_local_size(d), 0);
        cr_assert_eq(rt_par_num_groups(d), 0);
    }
    rt_par_barrier();   /* returns at once */
    rt_par_mem_fence(0);
    rt_par_mem_fence(UINT32_MAX);
}

RTC_TEST(par_kernel, launch_limits)
{
    cr_assert_eq(rt_par_launch_1d(NULL, 10, 1), -7);
    cr_assert_eq(rt_par_launch(NULL, 1, 1, 1, 1, 1, 1), -7);
    cr_assert_eq(rt_par_launch_1d(count_kernel, 0, 1), 0);
    cr_assert_eq(rt_par_launch_1d(count_kernel, -1, 1), 0);
    cr_assert_eq(rt_par_launch_1d(count_kernel, INT64_MIN, 1), 0);
    cr_assert_eq(rt_par_launch(count_kernel, 5, 0, 5, 1, 1, 1), 0);
    cr_assert_eq(rt_par_launch(count_kernel, 5, 5, -3, 1, 1, 1), 0);
    cr_assert_eq(atomic_load(&counter), 0, "nothing ran");
    cr_assert_eq(rt_par_launch_1d(count_kernel, (INT64_C(1) << 24) + 1, 256), -7);
    cr_assert_eq(rt_par_launch_1d(count_kernel, INT64_MAX, 256), -7);
    cr_assert_eq(rt_par_launch_1d(count_kernel, 10, 1025), -7);
    cr_assert_eq(rt_par_launch_1d(count_kernel, 10, INT64_MAX), -7);
    cr_assert_eq(rt_par_launch(count_kernel, 4096, 4096, 2, 1, 1, 1), -7, "2^25 items");
    cr_assert_eq(rt_par_launch(count_kernel, INT64_MAX, INT64_MAX, INT64_MAX, 1, 1, 1), -7);
    cr_assert_eq(rt_par_launch(count_kernel, 1, 1, 1, 32, 32, 2), -7, "2048 per group");
    cr_assert_eq(rt_par_launch(count_kernel, 1, 1, 1, INT64_MAX, INT64_MAX, 1), -7);
    cr_assert_eq(atomic_load(&counter), 0, "refused launches run nothing");
    cr_assert_eq(rt_par_launch(count_kernel, 1, 1, 1, 32, 32, 1), 0, "1024 per group is fine");
    cr_assert_eq(rt_par_launch_1d(count_kernel, 1, 1024), 0);
    cr_assert_eq(atomic_load(&counter), 2, "one live item each");
}

RTC_TEST(par_kernel, large_launch_counts_every_item)
{
    int64_t n = rtc_size(INT64_C(1) << 24, 1 << 20, 1 << 14);
    cr_assert_eq(rt_par_launch_1d(count_kernel, n, 0), 0);
    cr_assert_eq(atomic_load(&counter), n);
}

/* Barrier: each item writes its slot of a shared buffer, waits, then reads
 * its neighbour's slot, which only a concurrent group can have written. */
static _Atomic int64_t bad;
static void neighbour_kernel(void)
{
    int64_t lid = rt_par_local_id(0), n = rt_par_local_size(0);
    int64_t live = rt_par_global_size(0) - rt_par_group_id(0) * n;
    if (live > n)
        live = n;
    int64_t *buf = rt_par_shared_alloc((uint64_t)n * sizeof(int64_t), 8);
    if (buf == NULL) {
        atomic_fetch_add(&bad, 1);
        return;
    }
    for (int round = 0; round < 3; round++) {
        buf[lid] = rt_par_global_id(0) * 10 + round;
        rt_par_barrier();
        int64_t peer = (lid + 1) % live;
        if (buf[peer] != (rt_par_group_id(0) * n + peer) * 10 + round)
            atomic_fetch_add(&bad, 1);
        rt_par_barrier();
    }
    atomic_fetch_add(&counter, 1);
}

RTC_TEST(par_kernel, barrier_synchronises_a_group)
{
    int64_t local = rtc_size(256, 128, 32);
    int64_t global = local * 3 + local / 2;   /* the last group is partial */
    cr_assert_eq(rt_par_launch_1d(neighbour_kernel, global, local), 0);
    cr_assert_eq(atomic_load(&bad), 0, "a read before its peer's write");
    cr_assert_eq(atomic_load(&counter), global);
}

RTC_TEST(par_kernel, barrier_groups_on_workers)
{
    rtx_par_force(1);
    cr_assert_eq(rt_par_launch_1d(neighbour_kernel, 64 * 6, 64), 0);
    rtx_par_force(0);
    cr_assert_eq(atomic_load(&bad), 0);
    cr_assert_eq(atomic_load(&counter), 64 * 6);
}

/* Many rounds through one group barrier; the counters live in the group's
 * shared memory, so groups running at the same time do not mix. */
#define ROUNDS 64
static void rounds_kernel(void)
{
    int64_t n = rt_par_local_size(0);
    int64_t *cnt = rt_par_shared_alloc(ROUNDS * sizeof(int64_t), 8);
    if (cnt == NULL) {
        atomic_fetch_add(&bad, 1);
        return;
    }
    for (int r = 0; r < ROUNDS; r++) {
        rt_par_atomic_add_i64(&cnt[r], 1);
        rt_par_barrier();
        if (rt_par_atomic_add_i64(&cnt[r], 0) != n)
            atomic_fetch_add(&bad, 1);   /* someone passed before all arrived */
        rt_par_barrier();
    }
    if (rt_par_local_id(0) == 0)
        atomic_fetch_add(&counter, 1);
}

RTC_TEST(par_kernel, barrier_many_rounds)
{
    int64_t groups = rtc_size(64, 8, 3);
    cr_assert_eq(rt_par_launch_1d(rounds_kernel, 16 * groups, 16), 0);
    cr_assert_eq(atomic_load(&bad), 0);
    cr_assert_eq(atomic_load(&counter), groups);
    rtx_par_force(1);
    cr_assert_eq(rt_par_launch_1d(rounds_kernel, 16 * groups, 16), 0);
    rtx_par_force(0);
    cr_assert_eq(atomic_load(&bad), 0);
    cr_assert_eq(atomic_load(&counter), 2 * groups);
}

static void lone_barrier_kernel(void)
{
    rt_par_barrier();
    rt_par_barrier();
    atomic_fetch_add(&counter, 1);
}

RTC_TEST(par_kernel, barrier_in_groups_of_one_and_partial_groups)
{
    cr_assert_eq(rt_par_launch_1d(lone_barrier_kernel, 5, 1), 0);
    cr_assert_eq(atomic_load(&counter), 5);
    cr_assert_eq(rt_par_launch_1d(lone_barrier_kernel, 3, 256), 0, "253 items out of range");
    cr_assert_eq(atomic_load(&counter), 8);
    cr_assert_eq(rt_par_launch(lone_barrier_kernel, 3, 3, 1, 2, 2, 1), 0);
    cr_assert_eq(atomic_load(&counter), 17);
}

RTC_TEST(par_kernel, barrier_survives_thread_creation_failure)
{
    rtx_thread_fail_next(1000);
    cr_assert_eq(rt_par_launch_1d(lone_barrier_kernel, 8, 8), 0, "no deadlock");
    rtx_thread_fail_next(0);
    cr_assert_eq(atomic_load(&counter), 8, "every item still ran");
}

static void inner_kernel(void) { atomic_fetch_add(&counter, 1); }
static void outer_kernel(void)
{
    int64_t before = rt_par_global_id(0);
    rt_par_launch_1d(inner_kernel, 4, 2);
    if (rt_par_global_id(0) != before || rt_par_global_size(0) != 3)
        atomic_fetch_add(&bad, 1);   /* the inner launch must restore our ids */
}

RTC_TEST(par_kernel, nested_launch)
{
    cr_assert_eq(rt_par_launch_1d(outer_kernel, 3, 1), 0);
    cr_assert_eq(atomic_load(&counter), 12);
    cr_assert_eq(atomic_load(&bad), 0);
}

RTC_TEST(par_kernel, manual_mode_launch)
{
    rt_executor_set_mode(1);
    rtx_par_force(1);
    cr_assert_eq(rt_par_launch_1d(count_kernel, 1000, 10), 0);
    rtx_par_force(0);
    cr_assert_eq(atomic_load(&counter), 1000);
    cr_assert_eq(rt_executor_pending_count(), 0);
}
