/*
 * tests/simd/property.c — the library's SIMDe fast kernels (built for
 * x86-64-v2, or -march=native with SIMD_NATIVE=1) against the scalar
 * reference, bit for bit (tests/simd/property.h); then the exported
 * functions against the reference, so the wrappers add nothing of their own.
 */
#include "conformance/rtc.h"
#include "tests/simd/property.h"

RTC_TEST(simd_property, fast_kernels_equal_reference)
{
    prop_run(&rtx_vec_fast_kernels, UINT64_C(0x5EED0F5D), prop_rounds());
}

/* The RtValue a reference sum/product becomes (boxed beyond 61 bits). */
static RtValue num_word(rtx_vec_num r)
{
    return r.is_float ? rtx_vec_float_word(r.f) : rt_value_int(r.i);
}

static void same_value(RtValue want, RtValue got, const char *what, size_t n)
{
    if (rt_value_is_heap(want)) {
        cr_assert(rt_value_is_heap(got), "%s (n %zu): boxed result expected", what, n);
        cr_assert_eq(rt_value_as_int(want), rt_value_as_int(got), "%s (n %zu)", what, n);
        rt_free(want);
        rt_free(got);
    } else {
        cr_assert_eq(want, got, "%s (n %zu): want %#" PRIx64 ", got %#" PRIx64, what, n, want, got);
    }
}

RTC_TEST(simd_property, exported_functions_equal_reference)
{
    static prop p;
    static RtValue d[PROP_MAX_LEN], out[PROP_MAX_LEN];
    memset(&p, 0, sizeof p);
    p.rng = UINT64_C(0xA11CE);
    p.anchor = rt_string_new((const uint8_t *)"anchor", 6);
    const rtx_vec_kernels *R = &rtx_vec_ref_kernels;
    for (int k = 0; k < 200 * prop_rounds(); k++) {
        int pr = (int)prop_below(&p, PROP_PROFILES);
        size_t n = k < 40 ? (size_t)k : (size_t)prop_below(&p, 400);
        prop_fill(&p, d, n, pr);
        RtValue arr = rt_array_new(n);
        for (size_t i = 0; i < n; i++)
            cr_assert(rt_array_push(arr, d[i]));
        same_value(num_word(R->sum(d, n)), rt_vec_sum(arr), "sum", n);
        same_value(num_word(R->product(d, n)), rt_vec_product(arr), "product", n);
        cr_assert_eq(rt_vec_min(arr), n ? R->min(d, n) : RT_NIL, "min (n %zu)", n);
        cr_assert_eq(rt_vec_max(arr), n ? R->max(d, n) : RT_NIL, "max (n %zu)", n);
        cr_assert_eq(rt_vec_all(arr), R->all(d, n));
        cr_assert_eq(rt_vec_any(arr), R->any(d, n));
        RtValue (*const unary[])(RtValue) = {rt_vec_sqrt, rt_vec_abs, rt_vec_floor,
                                             rt_vec_ceil, rt_vec_round, rt_vec_recip};
        for (int op = 0; op < RTX_VEC_NUNARY; op++) {
            RtValue r = unary[op](arr);
            cr_assert_eq(rt_array_len(r), (int64_t)n);
            cr_assert_eq(R->unary(op, d, n, out), 0);
            for (size_t i = 0; i < n; i++) {
                RtValue got = rt_array_get(r, (int64_t)i);
                if (rtx_heap_get(out[i], RT_HEAP_BIGINT) && out[i] != d[i])
                    same_value(out[i], got, "abs lane", n);   /* two new boxes */
                else
                    cr_assert_eq(got, out[i], "unary %d lane %zu (n %zu)", op, i, n);
            }
            rt_free(r);
        }
        rt_free(arr);
        for (size_t i = 0; i < p.nboxes; i++)
            rt_free(p.boxes[i]);
        p.nboxes = 0;
    }
    rt_free(p.anchor);
}
