/* Conformance: rt_neighbor_load (spec/ffi/vec.sdn), with the lane index of
 * runtime/lane.h that work-item runners register. */
#include <pthread.h>

#include "conformance/vec/helpers.h"
#include "runtime/lane.h"

RTC_TEST(vec_neighbor, lane_zero_when_none_is_registered)
{
    RtValue a = ARR(I(10), I(20), I(30));
    cr_assert_eq(rt_neighbor_load(a, 0), I(30), "left of lane 0 wraps to the end");
    cr_assert_eq(rt_neighbor_load(a, 1), I(20));
    rt_free(a);
}

RTC_TEST(vec_neighbor, registered_lanes_wrap_at_both_ends)
{
    RtValue a = ARR(I(10), I(20), I(30));
    const int64_t lanes[] = {1, 2, 5, -1, INT64_MAX, INT64_MIN};
    /* lane mod 3: 1, 2, 2, 2, INT64_MAX % 3 == 1, INT64_MIN mod 3 == 1 */
    const RtValue left[] = {I(10), I(20), I(20), I(20), I(10), I(10)};
    const RtValue right[] = {I(30), I(10), I(10), I(10), I(30), I(30)};
    for (size_t i = 0; i < sizeof lanes / sizeof lanes[0]; i++) {
        rtx_lane_saved prev = rtx_lane_enter(lanes[i]);
        cr_assert_eq(rt_neighbor_load(a, 0), left[i], "lane %" PRId64, lanes[i]);
        cr_assert_eq(rt_neighbor_load(a, 1), right[i], "lane %" PRId64, lanes[i]);
        rtx_lane_leave(prev);
    }
    RtValue one = ARR(I(7));
    rtx_lane_saved prev = rtx_lane_enter(4);
    cr_assert_eq(rt_neighbor_load(one, 0), I(7), "a single lane is its own neighbour");
    cr_assert_eq(rt_neighbor_load(one, 1), I(7));
    rtx_lane_leave(prev);
    rt_free(a);
    rt_free(one);
}

RTC_TEST(vec_neighbor, nested_lanes_restore)
{
    RtValue a = ARR(I(10), I(20), I(30), I(40));
    rtx_lane_saved outer = rtx_lane_enter(1);
    rtx_lane_saved inner = rtx_lane_enter(3);
    cr_assert_eq(rt_neighbor_load(a, 1), I(10), "the innermost lane is current");
    rtx_lane_leave(inner);
    cr_assert_eq(rt_neighbor_load(a, 1), I(30), "the outer lane again");
    rtx_lane_leave(outer);
    cr_assert_eq(rt_neighbor_load(a, 1), I(20), "no lane: 0");
    rt_free(a);
}

static void *other_thread(void *arg)
{
    RtValue a = *(const RtValue *)arg;
    return (void *)(uintptr_t)rt_neighbor_load(a, 1);
}

RTC_TEST(vec_neighbor, lanes_are_per_thread)
{
    RtValue a = ARR(I(10), I(20), I(30));
    rtx_lane_saved prev = rtx_lane_enter(2);
    pthread_t t;
    void *got;
    cr_assert_eq(pthread_create(&t, NULL, other_thread, &a), 0);
    cr_assert_eq(pthread_join(t, &got), 0);
    cr_assert_eq((RtValue)(uintptr_t)got, I(20), "another thread has no lane: 0");
    cr_assert_eq(rt_neighbor_load(a, 1), I(10), "this thread's lane is 2");
    rtx_lane_leave(prev);
    rt_free(a);
}

RTC_TEST(vec_neighbor, bad_direction_empty_and_hostile)
{
    RtValue a = ARR(I(10), I(20)), e = EMPTY();
    const int64_t dirs[] = {2, -1, 100, INT64_MIN};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
        cr_assert_eq(rt_neighbor_load(a, dirs[i]), RT_NIL, "direction %" PRId64, dirs[i]);
    cr_assert_eq(rt_neighbor_load(e, 0), RT_NIL, "empty array");
    hostile h;
    hostile_init(&h);
    for (size_t i = 0; i < NHOSTILE; i++) {
        cr_assert_eq(rt_neighbor_load(h.v[i], 0), RT_NIL, "value %zu", i);
        cr_assert_eq(rt_neighbor_load(h.v[i], 1), RT_NIL, "value %zu", i);
    }
    hostile_free(&h);
    rt_free(a);
    rt_free(e);
}

/* rt_gpu kernels register each work-item's global id in dimension 0 (the
 * row's deviation, runtime/lane.h): a kernel's right neighbour is the next
 * element, also after a barrier (the items then run as fibers and switch),
 * in every group (groups run on several threads), and the caller's own
 * lane is back after the launch. */
#define NB_N 24
static RtValue nb_arr;
static RtValue nb_before[NB_N], nb_after[NB_N];

static void nb_kernel(void)
{
    uint64_t g = rt_gpu_global_id(0);
    nb_before[g] = rt_neighbor_load(nb_arr, 1);
    rt_gpu_barrier();
    nb_after[g] = rt_neighbor_load(nb_arr, 0);
}

RTC_TEST(vec_neighbor, gpu_kernels_see_their_global_id)
{
    RtValue vals[NB_N];
    for (int i = 0; i < NB_N; i++)
        vals[i] = I(100 + i);
    nb_arr = rt_array_new(NB_N);
    for (int i = 0; i < NB_N; i++)
        rt_array_push(nb_arr, vals[i]);
    rtx_lane_saved prev = rtx_lane_enter(5);
    cr_assert_eq(rt_gpu_launch_1d(nb_kernel, NB_N, 8), 0);
    for (int g = 0; g < NB_N; g++) {
        cr_assert_eq(nb_before[g], vals[(g + 1) % NB_N], "item %d, before the barrier", g);
        cr_assert_eq(nb_after[g], vals[(g + NB_N - 1) % NB_N], "item %d, after the barrier", g);
    }
    cr_assert_eq(rt_neighbor_load(nb_arr, 1), vals[6], "the caller's lane 5 is restored");
    rtx_lane_leave(prev);
    cr_assert_eq(rt_neighbor_load(nb_arr, 1), vals[1], "no lane: 0");
    rt_free(nb_arr);
}
