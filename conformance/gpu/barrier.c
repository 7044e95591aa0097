/* Conformance: rt_gpu_barrier (spec/ffi/gpu.sdn): the work-items of a
 * group really meet (upstream's fence-only barrier fails these), partial
 * groups and repeated barriers work, divergent barriers are reported
 * instead of hanging, and outside a kernel it is a fence. */
#include <fenv.h>
#include <pthread.h>
#include <stdatomic.h>

#include "conformance/rtc.h"

#define MAXN 8192
static int64_t out[MAXN];
static _Atomic int errors;

/* Each item writes its slot, meets the group, then reads its neighbour's. */
static void k_neighbour(void)
{
    uint64_t l = rt_gpu_local_id(0), n = rt_gpu_local_size(0), gid = rt_gpu_global_id(0);
    int64_t *tile = rt_gpu_shared_alloc(n * sizeof(int64_t));
    if (tile == NULL) {
        atomic_fetch_add(&errors, 1);
        return;
    }
    tile[l] = (int64_t)gid + 1;
    rt_gpu_barrier();
    uint64_t items = rt_gpu_global_size(0) - rt_gpu_group_id(0) * n;   /* partial last group */
    if (items > n)
        items = n;
    out[gid] = tile[(l + 1) % items];
}

static void check_neighbour(uint32_t global, uint32_t local)
{
    atomic_store(&errors, 0);
    cr_assert_eq(rt_gpu_launch_1d(k_neighbour, global, local), 0);
    cr_assert_eq(atomic_load(&errors), 0);
    for (uint32_t i = 0; i < global; i++) {
        uint32_t base = i / local * local, items = global - base < local ? global - base : local;
        uint32_t next = base + (i - base + 1) % items;
        cr_assert_eq(out[i], (int64_t)next + 1, "item %u read %" PRId64 ", not its neighbour's %u",
                     i, out[i], next + 1);
    }
}

RTC_TEST(gpu_barrier, items_meet)
{
    check_neighbour(256, 64);
    check_neighbour(1000, 128);   /* a partial last group of 104 */
    check_neighbour(5, 8);        /* one group smaller than its local size */
}

/* Tree reduction in shared memory: log2(n) barriers per group. */
static int64_t sums[MAXN];
static void k_reduce(void)
{
    uint64_t l = rt_gpu_local_id(0);
    int64_t *t = rt_gpu_shared_alloc(rt_gpu_local_size(0) * sizeof(int64_t));
    t[l] = (int64_t)rt_gpu_global_id(0);
    for (uint64_t s = rt_gpu_local_size(0) / 2; s > 0; s /= 2) {
        rt_gpu_barrier();
        if (l < s)
            t[l] += t[l + s];
    }
    rt_gpu_barrier();
    if (l == 0)
        sums[rt_gpu_group_id(0)] = t[0];
}

RTC_TEST(gpu_barrier, tree_reduction)
{
    int64_t n = 256;
    cr_assert_eq(rt_gpu_launch_1d(k_reduce, (uint32_t)n * 24, (uint32_t)n), 0);
    for (int64_t g = 0; g < 24; g++)
        cr_assert_eq(sums[g], n * n * g + n * (n - 1) / 2, "group %" PRId64, g);
}

/* 3-D groups meet too: every item adds itself to a group counter, meets,
 * and checks the total. */
static void k_count3d(void)
{
    _Atomic uint32_t *c = rt_gpu_shared_alloc(sizeof *c);
    if (c == NULL) {   /* out of memory (make oom): the group's arena could not be made */
        atomic_fetch_add(&errors, 1);
        return;
    }
    atomic_fetch_add(c, 1);
    rt_gpu_barrier();
    uint64_t n = 1;
    for (uint32_t d = 0; d < 3; d++) {
        uint64_t left = rt_gpu_global_size(d) - rt_gpu_group_id(d) * rt_gpu_local_size(d);
        n *= left < rt_gpu_local_size(d) ? left : rt_gpu_local_size(d);
    }
    if (atomic_load(c) != n)
        atomic_fetch_add(&errors, 1);
    rt_gpu_barrier();
}

RTC_TEST(gpu_barrier, three_dimensional_partial_groups)
{
    atomic_store(&errors, 0);
    cr_assert_eq(rt_gpu_launch(k_count3d, 9, 7, 5, 4, 4, 2), 0);
    cr_assert_eq(atomic_load(&errors), 0);
}

RTC_TEST(gpu_barrier, full_size_group)
{
    atomic_store(&errors, 0);
    check_neighbour(2048, 1024);
}

/* Only some items reach the barrier: undefined on a GPU; here the launch
 * finishes and says -5. */
static void k_divergent(void)
{
    if (rt_gpu_local_id(0) % 2 == 1)
        rt_gpu_barrier();
}
static void k_divergent_first(void)
{
    if (rt_gpu_local_id(0) == 0)
        rt_gpu_barrier();
}
static void k_uneven(void)
{
    rt_gpu_barrier();
    if (rt_gpu_local_id(0) < 3)
        rt_gpu_barrier();
}

RTC_TEST(gpu_barrier, divergent_barriers_are_reported)
{
    cr_assert_eq(rt_gpu_launch_1d(k_divergent, 64, 16), -5, "item 0 skips, others wait");
    cr_assert_eq(rt_gpu_launch_1d(k_divergent_first, 64, 16), -5, "only item 0 waits");
    cr_assert_eq(rt_gpu_launch_1d(k_uneven, 64, 16), -5, "different barrier counts");
    cr_assert_eq(rt_gpu_launch_1d(k_divergent_first, 4, 1), 0, "a group of one is uniform");
}

RTC_TEST(gpu_barrier, outside_a_kernel_is_a_fence)
{
    rt_gpu_barrier();
    rt_gpu_barrier();
    cr_assert_eq(rt_gpu_global_id(0), 0u, "still outside a kernel");
}

/* A barrier kernel that launches a barrier kernel: the inner launch runs
 * its own fibers from inside an outer fiber. */
static _Atomic int inner_ok;
static void k_inner_meet(void)
{
    int64_t *t = rt_gpu_shared_alloc(8 * sizeof(int64_t));
    t[rt_gpu_local_id(0)] = 1;
    rt_gpu_barrier();
    int64_t s = 0;
    for (int i = 0; i < 8; i++)
        s += t[i];
    if (s == 8)
        atomic_fetch_add(&inner_ok, 1);
}
static void k_outer_meet(void)
{
    uint64_t l = rt_gpu_local_id(0);
    int64_t *t = rt_gpu_shared_alloc(4 * sizeof(int64_t));
    t[l] = (int64_t)l;
    rt_gpu_barrier();
    if (rt_gpu_launch_1d(k_inner_meet, 16, 8) != 0 || rt_gpu_local_id(0) != l)
        atomic_fetch_add(&errors, 1);
    rt_gpu_barrier();
    if (t[(l + 1) % 4] != (int64_t)((l + 1) % 4))
        atomic_fetch_add(&errors, 1);
}

RTC_TEST(gpu_barrier, nested_barrier_launches)
{
    atomic_store(&errors, 0);
    atomic_store(&inner_ok, 0);
    cr_assert_eq(rt_gpu_launch_1d(k_outer_meet, 8, 4), 0);
    cr_assert_eq(atomic_load(&errors), 0);
    cr_assert_eq(atomic_load(&inner_ok), 8 * 16, "8 outer items x 16 inner items met");
}

/* The items of a group share the OS thread that runs them (the family
 * notes): a mutex one item holds across a barrier counts as held by each
 * group mate, whose rt_mutex_lock answers NIL at once instead of waiting
 * for an item that cannot run; and a capture one item keeps open across a
 * barrier also collects what its group mates print meanwhile. */
static RtValue held;
static _Atomic int mates_refused, holder_ok;
static RtValue captured;

static void k_thread_identity(void)
{
    if (rt_gpu_local_id(0) == 0) {
        RtValue v = rt_mutex_lock(held);
        rt_capture_stdout_start();
        rt_gpu_barrier();
        captured = rt_capture_stdout_stop();
        if (v == rt_value_int(5) && rt_mutex_unlock(held, rt_value_int(6)) == 1)
            atomic_store(&holder_ok, 1);
        return;
    }
    if (rt_mutex_lock(held) == RT_NIL)
        atomic_fetch_add(&mates_refused, 1);
    rt_print_str((const uint8_t *)"m", 1);
    rt_gpu_barrier();
}

RTC_TEST(gpu_barrier, group_mates_share_thread_identity)
{
    held = rt_mutex_new(rt_value_int(5));
    cr_assert_eq(rt_gpu_launch_1d(k_thread_identity, 4, 4), 0, "no deadlock");
    cr_assert_eq(atomic_load(&mates_refused), 3);
    cr_assert_eq(atomic_load(&holder_ok), 1);
    cr_assert_eq(rt_string_len(captured), 3, "item 0's capture got its mates' output");
    cr_assert_eq(rt_mutex_lock(held), rt_value_int(6));
    cr_assert_eq(rt_mutex_unlock(held, RT_NIL), 1);
    rt_free(captured);
    rt_free(held);
}

/* Idle fibers stay with the thread that made them and go when it exits
 * (each is ended on its own stack first, so the sanitizers drop what they
 * keep for it). A launch of one group runs on the launching thread. */
static void *launch_and_exit(void *arg)
{
    (void)arg;
    int32_t r = rt_gpu_launch_1d(k_neighbour, 8, 8);
    return (void *)(intptr_t)r;
}

RTC_TEST(gpu_barrier, a_thread_that_ran_fibers_exits_cleanly)
{
    atomic_store(&errors, 0);
    for (int i = 0; i < 3; i++) {
        pthread_t t;
        void *r;
        cr_assert_eq(pthread_create(&t, NULL, launch_and_exit, NULL), 0);
        cr_assert_eq(pthread_join(t, &r), 0);
        cr_assert_eq((intptr_t)r, 0);
    }
    cr_assert_eq(atomic_load(&errors), 0);
    for (uint32_t i = 0; i < 8; i++)
        cr_assert_eq(out[i], (int64_t)((i + 1) % 8) + 1);
}

/* Items that meet as fibers run with the floating-point control state of
 * the thread that runs their group, as its plain-call items do, also when
 * the fibers were made (and last ran) under another state. */
static _Atomic int upward;
static void k_rounding(void)
{
    rt_gpu_barrier();
    if (fegetround() == FE_UPWARD)
        atomic_fetch_add(&upward, 1);
}

RTC_TEST(gpu_barrier, items_keep_the_floating_point_mode)
{
    cr_assert_eq(rt_gpu_launch_1d(k_rounding, 16, 16), 0);   /* fibers made, rounding to nearest */
    cr_assert_eq(atomic_load(&upward), 0);
    cr_assert_eq(fesetround(FE_UPWARD), 0);
    int32_t r = rt_gpu_launch_1d(k_rounding, 16, 16);   /* one group: this thread runs it */
    fesetround(FE_TONEAREST);
    cr_assert_eq(r, 0);
    cr_assert_eq(atomic_load(&upward), 16, "every item, fibers included, rounds upward");
}
