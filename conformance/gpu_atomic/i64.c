/* Conformance: rt_gpu_atomic_add_i64, rt_gpu_atomic_sub_i64,
 * rt_gpu_atomic_xchg_i64, rt_gpu_atomic_min_i64, rt_gpu_atomic_max_i64,
 * rt_gpu_atomic_and_i64, rt_gpu_atomic_or_i64, rt_gpu_atomic_xor_i64,
 * rt_gpu_atomic_cmpxchg_i64 (spec/ffi/gpu_atomic.sdn). */
#include <string.h>

#include "conformance/rtc.h"

typedef int64_t (*op64)(int64_t *, int64_t);

RTC_TEST(gpu_atomic_i64, upstream_add_and_cmpxchg)
{
    int64_t v = 10;
    cr_assert_eq(rt_gpu_atomic_add_i64(&v, 5), 10, "add returns the old value");
    cr_assert_eq(v, 15);
    cr_assert_eq(rt_gpu_atomic_cmpxchg_i64(&v, 15, 20), 15, "success returns expected");
    cr_assert_eq(v, 20);
    cr_assert_eq(rt_gpu_atomic_cmpxchg_i64(&v, 10, 30), 20, "failure returns the current value");
    cr_assert_eq(v, 20, "a failed cmpxchg writes nothing");
}

RTC_TEST(gpu_atomic_i64, arithmetic_wraps)
{
    int64_t v = INT64_MAX;
    cr_assert_eq(rt_gpu_atomic_add_i64(&v, 1), INT64_MAX);
    cr_assert_eq(v, INT64_MIN, "INT64_MAX + 1 wraps to INT64_MIN");
    cr_assert_eq(rt_gpu_atomic_sub_i64(&v, 1), INT64_MIN);
    cr_assert_eq(v, INT64_MAX, "INT64_MIN - 1 wraps to INT64_MAX");
    v = 0;
    cr_assert_eq(rt_gpu_atomic_sub_i64(&v, INT64_MIN), 0);
    cr_assert_eq(v, INT64_MIN, "0 - INT64_MIN is INT64_MIN");
    v = -1;
    cr_assert_eq(rt_gpu_atomic_add_i64(&v, INT64_MIN), -1);
    cr_assert_eq(v, INT64_MAX);
    v = 0xFFFFFFFF;
    rt_gpu_atomic_add_i64(&v, 1);
    cr_assert_eq(v, INT64_C(0x100000000), "carries across 32 bits");
}

RTC_TEST(gpu_atomic_i64, min_max_are_signed)
{
    int64_t v = -1;
    cr_assert_eq(rt_gpu_atomic_min_i64(&v, 1), -1);
    cr_assert_eq(v, -1, "-1 < 1 signed");
    cr_assert_eq(rt_gpu_atomic_max_i64(&v, 1), -1);
    cr_assert_eq(v, 1);
    cr_assert_eq(rt_gpu_atomic_min_i64(&v, INT64_MIN), 1);
    cr_assert_eq(v, INT64_MIN);
    cr_assert_eq(rt_gpu_atomic_min_i64(&v, INT64_MAX), INT64_MIN, "min keeps the smaller");
    cr_assert_eq(v, INT64_MIN);
    cr_assert_eq(rt_gpu_atomic_max_i64(&v, INT64_MAX), INT64_MIN);
    cr_assert_eq(v, INT64_MAX);
    cr_assert_eq(rt_gpu_atomic_max_i64(&v, INT64_MIN), INT64_MAX, "max keeps the larger");
    cr_assert_eq(v, INT64_MAX);
    v = INT64_C(0x1FFFFFFFF);
    rt_gpu_atomic_max_i64(&v, INT64_C(0x200000000));
    cr_assert_eq(v, INT64_C(0x200000000), "the high word decides");
}

RTC_TEST(gpu_atomic_i64, bitwise_and_exchange)
{
    int64_t v = -1;
    cr_assert_eq(rt_gpu_atomic_and_i64(&v, INT64_C(0x00FF00FF00FF00FF)), -1);
    cr_assert_eq(v, INT64_C(0x00FF00FF00FF00FF));
    cr_assert_eq(rt_gpu_atomic_or_i64(&v, INT64_MIN), INT64_C(0x00FF00FF00FF00FF));
    cr_assert_eq((uint64_t)v, UINT64_C(0x80FF00FF00FF00FF));
    cr_assert_eq((uint64_t)rt_gpu_atomic_xor_i64(&v, -1), UINT64_C(0x80FF00FF00FF00FF));
    cr_assert_eq((uint64_t)v, UINT64_C(0x7F00FF00FF00FF00));
    cr_assert_eq((uint64_t)rt_gpu_atomic_xchg_i64(&v, INT64_MIN), UINT64_C(0x7F00FF00FF00FF00));
    cr_assert_eq(v, INT64_MIN);
    cr_assert_eq(rt_gpu_atomic_cmpxchg_i64(&v, INT64_MIN, INT64_MAX), INT64_MIN);
    cr_assert_eq(v, INT64_MAX);
    v = INT64_C(0x100000001);
    cr_assert_eq(rt_gpu_atomic_cmpxchg_i64(&v, 1, 5), INT64_C(0x100000001),
                 "a match of the low word only is a miss");
    cr_assert_eq(v, INT64_C(0x100000001));
}

/* NULL and misaligned pointers: 0, nothing written. */
RTC_TEST(gpu_atomic_i64, null_and_misaligned_are_refused)
{
    static const op64 ops[] = {rt_gpu_atomic_add_i64, rt_gpu_atomic_sub_i64,
                               rt_gpu_atomic_xchg_i64, rt_gpu_atomic_min_i64,
                               rt_gpu_atomic_max_i64, rt_gpu_atomic_and_i64,
                               rt_gpu_atomic_or_i64, rt_gpu_atomic_xor_i64};
    _Alignas(16) unsigned char buf[32];
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        cr_assert_eq(ops[i](NULL, 7), 0, "op %zu on NULL", i);
        for (int off = 1; off < 8; off++) {
            memset(buf, 0xA5, sizeof buf);
            cr_assert_eq(ops[i]((int64_t *)(void *)(buf + off), -1), 0, "op %zu offset %d", i, off);
            for (size_t b = 0; b < sizeof buf; b++)
                cr_assert_eq(buf[b], 0xA5, "op %zu offset %d wrote byte %zu", i, off, b);
        }
    }
    cr_assert_eq(rt_gpu_atomic_cmpxchg_i64(NULL, 0, 1), 0);
    memset(buf, 0, sizeof buf);
    cr_assert_eq(rt_gpu_atomic_cmpxchg_i64((int64_t *)(void *)(buf + 4), 0, -1), 0);
    for (size_t b = 0; b < sizeof buf; b++)
        cr_assert_eq(buf[b], 0, "misaligned cmpxchg wrote byte %zu", b);
    /* The aligned word next to it works. */
    cr_assert_eq(rt_gpu_atomic_add_i64((int64_t *)(void *)(buf + 8), 3), 0);
    cr_assert_eq(rt_gpu_atomic_add_i64((int64_t *)(void *)(buf + 8), 0), 3);
}
