/* Conformance: rt_par_atomic_add_i64, rt_par_atomic_sub_i64,
 * rt_par_atomic_xchg_i64, rt_par_atomic_cmpxchg_i64, rt_par_atomic_min_i64,
 * rt_par_atomic_max_i64 (spec/ffi/par.sdn). */
#include "conformance/par/par_util.h"

/* upstream parallel.rs test_atomic_add */
/* A deadlock fails the test instead of hanging the gate. */
TestSuite(par_atomic, .timeout = 120);

RTC_TEST(par_atomic, add)
{
    int64_t v = 10;
    cr_assert_eq(rt_par_atomic_add_i64(&v, 5), 10);
    cr_assert_eq(v, 15);
    cr_assert_eq(rt_par_atomic_add_i64(&v, -20), 15);
    cr_assert_eq(v, -5);
    v = INT64_MAX;
    cr_assert_eq(rt_par_atomic_add_i64(&v, 1), INT64_MAX);
    cr_assert_eq(v, INT64_MIN, "wraps");
}

RTC_TEST(par_atomic, sub_and_xchg)
{
    int64_t v = 10;
    cr_assert_eq(rt_par_atomic_sub_i64(&v, 3), 10);
    cr_assert_eq(v, 7);
    v = INT64_MIN;
    cr_assert_eq(rt_par_atomic_sub_i64(&v, 1), INT64_MIN);
    cr_assert_eq(v, INT64_MAX, "wraps");
    cr_assert_eq(rt_par_atomic_xchg_i64(&v, 42), INT64_MAX);
    cr_assert_eq(v, 42);
}

RTC_TEST(par_atomic, cmpxchg)
{
    int64_t v = 5;
    cr_assert_eq(rt_par_atomic_cmpxchg_i64(&v, 5, 9), 5, "success returns expected");
    cr_assert_eq(v, 9);
    cr_assert_eq(rt_par_atomic_cmpxchg_i64(&v, 5, 1), 9, "failure returns the current value");
    cr_assert_eq(v, 9);
}

RTC_TEST(par_atomic, min_max_are_signed)
{
    int64_t v = 3;
    cr_assert_eq(rt_par_atomic_min_i64(&v, 7), 3);
    cr_assert_eq(v, 3);
    cr_assert_eq(rt_par_atomic_min_i64(&v, -2), 3);
    cr_assert_eq(v, -2);
    cr_assert_eq(rt_par_atomic_max_i64(&v, -9), -2);
    cr_assert_eq(v, -2);
    cr_assert_eq(rt_par_atomic_max_i64(&v, INT64_MAX), -2);
    cr_assert_eq(v, INT64_MAX);
    cr_assert_eq(rt_par_atomic_min_i64(&v, INT64_MIN), INT64_MAX);
    cr_assert_eq(v, INT64_MIN);
}

RTC_TEST(par_atomic, null_and_misaligned_are_refused)
{
    _Alignas(16) int64_t words[2] = {100, 200};
    int64_t *mis = (int64_t *)((uint8_t *)words + 4);
    int64_t *ptrs[] = {NULL, mis, (int64_t *)((uint8_t *)words + 1)};
    for (size_t i = 0; i < 3; i++) {
        cr_assert_eq(rt_par_atomic_add_i64(ptrs[i], 1), 0);
        cr_assert_eq(rt_par_atomic_sub_i64(ptrs[i], 1), 0);
        cr_assert_eq(rt_par_atomic_xchg_i64(ptrs[i], 1), 0);
        cr_assert_eq(rt_par_atomic_cmpxchg_i64(ptrs[i], 100, 1), 0);
        cr_assert_eq(rt_par_atomic_min_i64(ptrs[i], -1), 0);
        cr_assert_eq(rt_par_atomic_max_i64(ptrs[i], 1000), 0);
    }
    cr_assert_eq(words[0], 100, "nothing written");
    cr_assert_eq(words[1], 200);
}

static int64_t total, lo = INT64_MAX, hi = INT64_MIN;
static void atomics_kernel(void)
{
    int64_t id = rt_par_global_id(0);
    rt_par_atomic_add_i64(&total, id);
    rt_par_atomic_min_i64(&lo, id);
    rt_par_atomic_max_i64(&hi, id);
    int64_t old;
    do {   /* a cmpxchg loop: subtract 1 again after adding 1 */
        old = rt_par_atomic_add_i64(&total, 0);
    } while (rt_par_atomic_cmpxchg_i64(&total, old, old + 1) != old);
    rt_par_atomic_sub_i64(&total, 1);
}

RTC_TEST(par_atomic, concurrent_items)
{
    int64_t n = rtc_size(1 << 20, 100000, 5000);
    rtx_par_force(64);
    cr_assert_eq(rt_par_launch_1d(atomics_kernel, n, 64), 0);
    rtx_par_force(0);
    cr_assert_eq(total, n * (n - 1) / 2);
    cr_assert_eq(lo, 0);
    cr_assert_eq(hi, n - 1);
}
