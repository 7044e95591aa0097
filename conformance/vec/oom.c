/* Conformance: the vec family when allocations fail (spec/ffi/vec.sdn,
 * family errors: NIL and nothing leaked). Every allocation from the k-th on
 * fails, for each k until the call succeeds; RTC_TEST's live-object count and
 * LeakSanitizer (or Valgrind) catch anything a failure path leaks. The fault
 * injection exists in testing builds only (RTX_TESTING). */
#include "conformance/vec/helpers.h"
#include "runtime/mem.h"

#ifndef RTX_TESTING
#error "conformance suites are built in the testing variants (asan, vg, tsan, gcov)"
#endif

#define MAX_K 64

/* Runs call with allocations failing from the k-th on, k = 1, 2, ...; check
 * sees each result (NIL or the right answer). Returns the k that succeeded. */
#define UNDER_OOM(result, call, check)                                                     \
    do {                                                                                   \
        int ok_ = 0;                                                                       \
        for (uint64_t k_ = 1; k_ <= MAX_K && !ok_; k_++) {                                 \
            rtx_mem_fail_at(k_, 1);                                                        \
            result = (call);                                                               \
            ok_ = rtx_mem_failures() == 0;                                                 \
            rtx_mem_fail_at(0, 0);                                                         \
            cr_assert(k_ > 1 || (!ok_ && result == RT_NIL),                                \
                      #call ": the first allocation failed, so the answer is NIL");         \
            check;                                                                         \
        }                                                                                  \
        cr_assert(ok_, #call " never succeeded within %d allocations", MAX_K);             \
    } while (0)

RTC_TEST(vec_oom, abs_frees_its_boxes)
{
    RtValue wide = rt_value_int(-(INT64_C(1) << 62));
    RtValue a = ARR(I(-1), wide, I(RT_INT_INLINE_MIN), wide, F(-2.0));
    RtValue r;
    UNDER_OOM(r, rt_vec_abs(a), {
        if (r != RT_NIL) {
            cr_assert_eq(rt_array_len(r), 5);
            cr_assert_eq(rt_value_as_int(rt_array_get(r, 1)), INT64_C(1) << 62);
            cr_assert_eq(rt_value_as_int(rt_array_get(r, 2)), INT64_C(1) << 60);
            for (int64_t i = 1; i < 4; i++)
                rt_free(rt_array_get(r, i));
            rt_free(r);
        }
    });
    rt_free(a);
    rt_free(wide);
}

RTC_TEST(vec_oom, boxed_sum_and_product)
{
    RtValue a = ARR(I(RT_INT_INLINE_MAX), I(RT_INT_INLINE_MAX));
    RtValue r;
    UNDER_OOM(r, rt_vec_sum(a), {
        if (r != RT_NIL) {
            cr_assert_eq(rt_value_as_int(r), (INT64_C(1) << 61) - 2);
            rt_free(r);
        }
    });
    UNDER_OOM(r, rt_vec_product(a), {
        if (r != RT_NIL) {
            cr_assert_eq(rt_value_as_int(r), (int64_t)((uint64_t)RT_INT_INLINE_MAX *
                                                       (uint64_t)RT_INT_INLINE_MAX));
            rt_free(r);
        }
    });
    rt_free(a);
}

RTC_TEST(vec_oom, result_arrays)
{
    RtValue a = ARR(I(1), F(2.0), I(3), I(4), I(5)), m = ARR(RT_TRUE, RT_FALSE, RT_TRUE);
    RtValue r;
#define RESULT_IS(want_len)                                                                \
    if (r != RT_NIL) {                                                                     \
        cr_assert_eq(rt_array_len(r), (want_len));                                         \
        rt_free(r);                                                                        \
    }
    UNDER_OOM(r, rt_vec_sqrt(a), RESULT_IS(5));
    UNDER_OOM(r, rt_vec_with(a, 1, I(0)), RESULT_IS(5));
    UNDER_OOM(r, rt_vec_load(a, 1, 2), RESULT_IS(2));
    UNDER_OOM(r, rt_vec_shuffle(a, m), RESULT_IS(3));
    UNDER_OOM(r, rt_vec_gather(a, m), RESULT_IS(3));
    UNDER_OOM(r, rt_vec_blend(a, a, m), RESULT_IS(3));
    UNDER_OOM(r, rt_vec_masked_load(a, 0, m, a), RESULT_IS(3));
    UNDER_OOM(r, rt_vec_fma(a, a, m), RESULT_IS(3));
    UNDER_OOM(r, rt_vec_min_vec(a, m), RESULT_IS(3));
    UNDER_OOM(r, rt_vec_max_vec(a, m), RESULT_IS(3));
    UNDER_OOM(r, rt_vec_clamp(a, I(2), m), RESULT_IS(3));
#undef RESULT_IS
    rt_free(a);
    rt_free(m);
}

RTC_TEST(vec_oom, aliased_stores_write_all_or_nothing)
{
    for (uint64_t k = 1; k <= 4; k++) {
        RtValue b = ARR(I(1), I(2), I(0)), c = ARR(I(1), I(2), I(0)), all = ARR(RT_TRUE, RT_TRUE);
        rtx_mem_fail_at(k, 1);
        rt_vec_scatter(b, b, b);   /* needs copies of vec and indices */
        int failed = rtx_mem_failures() != 0;
        rtx_mem_fail_at(0, 0);
        if (failed)
            LANES(b, "scatter: no copy, nothing written", I(1), I(2), I(0));
        else
            LANES(b, "scatter: lanes read first", I(0), I(1), I(2));
        rtx_mem_fail_at(k, 1);
        rt_vec_masked_store(c, c, 1, all);   /* needs a copy of vec */
        failed = rtx_mem_failures() != 0;
        rtx_mem_fail_at(0, 0);
        if (failed)
            LANES(c, "masked_store: no copy, nothing written", I(1), I(2), I(0));
        else
            LANES(c, "masked_store: lanes read first", I(1), I(1), I(2));
        rt_free(b);
        rt_free(c);
        rt_free(all);
    }
}
