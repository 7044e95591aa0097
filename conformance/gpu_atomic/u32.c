/* Conformance: rt_gpu_atomic_add_u32, rt_gpu_atomic_sub_u32,
 * rt_gpu_atomic_xchg_u32, rt_gpu_atomic_min_u32, rt_gpu_atomic_max_u32,
 * rt_gpu_atomic_and_u32, rt_gpu_atomic_or_u32, rt_gpu_atomic_xor_u32,
 * rt_gpu_atomic_cmpxchg_u32 (spec/ffi/gpu_atomic.sdn). */
#include <string.h>

#include "conformance/rtc.h"

typedef uint32_t (*op32)(uint32_t *, uint32_t);

RTC_TEST(gpu_atomic_u32, arithmetic_wraps)
{
    uint32_t v = UINT32_MAX;
    cr_assert_eq(rt_gpu_atomic_add_u32(&v, 1), UINT32_MAX);
    cr_assert_eq(v, 0u, "UINT32_MAX + 1 wraps to 0");
    cr_assert_eq(rt_gpu_atomic_sub_u32(&v, 1), 0u);
    cr_assert_eq(v, UINT32_MAX, "0 - 1 wraps to UINT32_MAX");
    cr_assert_eq(rt_gpu_atomic_add_u32(&v, UINT32_MAX), UINT32_MAX);
    cr_assert_eq(v, UINT32_MAX - 1);
    v = 10;
    cr_assert_eq(rt_gpu_atomic_add_u32(&v, 5), 10u);
    cr_assert_eq(v, 15u);
}

RTC_TEST(gpu_atomic_u32, min_max_are_unsigned)
{
    uint32_t v = UINT32_MAX;
    cr_assert_eq(rt_gpu_atomic_min_u32(&v, 1), UINT32_MAX);
    cr_assert_eq(v, 1u, "1 < 0xFFFFFFFF unsigned (signed it would be -1 < 1)");
    cr_assert_eq(rt_gpu_atomic_max_u32(&v, 0x80000000u), 1u);
    cr_assert_eq(v, 0x80000000u, "0x80000000 > 1 unsigned");
    cr_assert_eq(rt_gpu_atomic_min_u32(&v, 0x7FFFFFFFu), 0x80000000u);
    cr_assert_eq(v, 0x7FFFFFFFu);
    cr_assert_eq(rt_gpu_atomic_max_u32(&v, 0), 0x7FFFFFFFu, "max keeps the larger");
    cr_assert_eq(v, 0x7FFFFFFFu);
    cr_assert_eq(rt_gpu_atomic_min_u32(&v, UINT32_MAX), 0x7FFFFFFFu, "min keeps the smaller");
    cr_assert_eq(v, 0x7FFFFFFFu);
}

RTC_TEST(gpu_atomic_u32, bitwise_exchange_cmpxchg)
{
    uint32_t v = 0xDEADBEEFu;
    cr_assert_eq(rt_gpu_atomic_and_u32(&v, 0xFFFF0000u), 0xDEADBEEFu);
    cr_assert_eq(v, 0xDEAD0000u);
    cr_assert_eq(rt_gpu_atomic_or_u32(&v, 0xBEEFu), 0xDEAD0000u);
    cr_assert_eq(v, 0xDEADBEEFu);
    cr_assert_eq(rt_gpu_atomic_xor_u32(&v, 0xDEADBEEFu), 0xDEADBEEFu);
    cr_assert_eq(v, 0u);
    cr_assert_eq(rt_gpu_atomic_xchg_u32(&v, UINT32_MAX), 0u);
    cr_assert_eq(v, UINT32_MAX);
    cr_assert_eq(rt_gpu_atomic_cmpxchg_u32(&v, UINT32_MAX, 7), UINT32_MAX, "hit");
    cr_assert_eq(v, 7u);
    cr_assert_eq(rt_gpu_atomic_cmpxchg_u32(&v, 8, 9), 7u, "miss returns the current value");
    cr_assert_eq(v, 7u);
}

RTC_TEST(gpu_atomic_u32, null_and_misaligned_are_refused)
{
    static const op32 ops[] = {rt_gpu_atomic_add_u32, rt_gpu_atomic_sub_u32,
                               rt_gpu_atomic_xchg_u32, rt_gpu_atomic_min_u32,
                               rt_gpu_atomic_max_u32, rt_gpu_atomic_and_u32,
                               rt_gpu_atomic_or_u32, rt_gpu_atomic_xor_u32};
    _Alignas(16) unsigned char buf[16];
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        cr_assert_eq(ops[i](NULL, 7), 0u, "op %zu on NULL", i);
        for (int off = 1; off < 4; off++) {
            memset(buf, 0x5A, sizeof buf);
            cr_assert_eq(ops[i]((uint32_t *)(void *)(buf + off), 0), 0u, "op %zu offset %d", i, off);
            for (size_t b = 0; b < sizeof buf; b++)
                cr_assert_eq(buf[b], 0x5A, "op %zu offset %d wrote byte %zu", i, off, b);
        }
    }
    cr_assert_eq(rt_gpu_atomic_cmpxchg_u32(NULL, 0, 1), 0u);
    memset(buf, 0, sizeof buf);
    cr_assert_eq(rt_gpu_atomic_cmpxchg_u32((uint32_t *)(void *)(buf + 2), 0, 1), 0u);
    for (size_t b = 0; b < sizeof buf; b++)
        cr_assert_eq(buf[b], 0, "misaligned cmpxchg wrote byte %zu", b);
    /* 4-aligned is enough for a u32 word, even when not 8-aligned. */
    cr_assert_eq(rt_gpu_atomic_add_u32((uint32_t *)(void *)(buf + 4), 9), 0u);
    cr_assert_eq(rt_gpu_atomic_add_u32((uint32_t *)(void *)(buf + 4), 0), 9u);
}
