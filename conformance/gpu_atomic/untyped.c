/* Conformance: rt_gpu_atomic_add, rt_gpu_atomic_sub, rt_gpu_atomic_min,
 * rt_gpu_atomic_max, rt_gpu_atomic_and, rt_gpu_atomic_or,
 * rt_gpu_atomic_xor, rt_gpu_atomic_exchange, rt_gpu_atomic_cmpxchg
 * (spec/ffi/gpu_atomic.sdn): the untyped forms act on an int64_t word,
 * exactly as the _i64 forms. */
#include <string.h>

#include "conformance/rtc.h"

typedef int64_t (*op64)(int64_t *, int64_t);

static const struct {
    op64 untyped, typed;
    const char *name;
} pairs[] = {
    {rt_gpu_atomic_add, rt_gpu_atomic_add_i64, "add"},
    {rt_gpu_atomic_sub, rt_gpu_atomic_sub_i64, "sub"},
    {rt_gpu_atomic_min, rt_gpu_atomic_min_i64, "min"},
    {rt_gpu_atomic_max, rt_gpu_atomic_max_i64, "max"},
    {rt_gpu_atomic_and, rt_gpu_atomic_and_i64, "and"},
    {rt_gpu_atomic_or, rt_gpu_atomic_or_i64, "or"},
    {rt_gpu_atomic_xor, rt_gpu_atomic_xor_i64, "xor"},
    {rt_gpu_atomic_exchange, rt_gpu_atomic_xchg_i64, "exchange"},
};
#define NPAIRS (sizeof pairs / sizeof pairs[0])

static const int64_t vals[] = {0, 1, -1, 2, 42, INT32_MAX, INT32_MIN, INT64_C(0x100000000),
                               INT64_MAX, INT64_MIN, INT64_MAX - 1, INT64_MIN + 1};
#define NVALS (sizeof vals / sizeof vals[0])

RTC_TEST(gpu_atomic_untyped, same_as_i64_forms)
{
    for (size_t p = 0; p < NPAIRS; p++) {
        for (size_t a = 0; a < NVALS; a++) {
            for (size_t b = 0; b < NVALS; b++) {
                int64_t u = vals[a], t = vals[a];
                int64_t ou = pairs[p].untyped(&u, vals[b]);
                int64_t ot = pairs[p].typed(&t, vals[b]);
                cr_assert_eq(ou, ot, "%s(%" PRId64 ", %" PRId64 ") old", pairs[p].name, vals[a],
                             vals[b]);
                cr_assert_eq(u, t, "%s(%" PRId64 ", %" PRId64 ") new", pairs[p].name, vals[a],
                             vals[b]);
                cr_assert_eq(ou, vals[a], "%s returns the old value", pairs[p].name);
            }
        }
    }
}

RTC_TEST(gpu_atomic_untyped, documented_values)
{
    int64_t v = INT64_MAX;
    cr_assert_eq(rt_gpu_atomic_add(&v, 1), INT64_MAX);
    cr_assert_eq(v, INT64_MIN, "wraps");
    cr_assert_eq(rt_gpu_atomic_sub(&v, 1), INT64_MIN);
    cr_assert_eq(v, INT64_MAX);
    cr_assert_eq(rt_gpu_atomic_min(&v, -1), INT64_MAX);
    cr_assert_eq(v, -1, "signed min");
    cr_assert_eq(rt_gpu_atomic_max(&v, 1), -1);
    cr_assert_eq(v, 1, "signed max");
    cr_assert_eq(rt_gpu_atomic_or(&v, 6), 1);
    cr_assert_eq(v, 7);
    cr_assert_eq(rt_gpu_atomic_and(&v, 5), 7);
    cr_assert_eq(v, 5);
    cr_assert_eq(rt_gpu_atomic_xor(&v, 1), 5);
    cr_assert_eq(v, 4);
    cr_assert_eq(rt_gpu_atomic_exchange(&v, -9), 4);
    cr_assert_eq(v, -9);
    cr_assert_eq(rt_gpu_atomic_cmpxchg(&v, -9, 3), -9, "hit");
    cr_assert_eq(v, 3);
    cr_assert_eq(rt_gpu_atomic_cmpxchg(&v, -9, 4), 3, "miss");
    cr_assert_eq(v, 3);
    for (size_t a = 0; a < NVALS; a++) {
        int64_t u = vals[a], t = vals[a];
        cr_assert_eq(rt_gpu_atomic_cmpxchg(&u, vals[a], 77), rt_gpu_atomic_cmpxchg_i64(&t, vals[a], 77));
        cr_assert_eq(u, t);
    }
}

RTC_TEST(gpu_atomic_untyped, null_and_misaligned_are_refused)
{
    _Alignas(16) unsigned char buf[24];
    for (size_t p = 0; p < NPAIRS; p++) {
        cr_assert_eq(pairs[p].untyped(NULL, 1), 0, "%s on NULL", pairs[p].name);
        for (int off = 1; off < 8; off++) {
            memset(buf, 0x11, sizeof buf);
            cr_assert_eq(pairs[p].untyped((int64_t *)(void *)(buf + off), -1), 0);
            for (size_t b = 0; b < sizeof buf; b++)
                cr_assert_eq(buf[b], 0x11, "%s offset %d wrote byte %zu", pairs[p].name, off, b);
        }
    }
    cr_assert_eq(rt_gpu_atomic_cmpxchg(NULL, 0, 1), 0);
    memset(buf, 0, sizeof buf);
    cr_assert_eq(rt_gpu_atomic_cmpxchg((int64_t *)(void *)(buf + 4), 0, 1), 0);
    for (size_t b = 0; b < sizeof buf; b++)
        cr_assert_eq(buf[b], 0);
}
