/*
 * tests/simd_portable/property.c — the vec property test against a copy of
 * the fast kernels built with SIMDE_NO_NATIVE (fast_reduce.c, fast_map.c
 * here): SIMDe's portable C, what a CPU without SSE/AVX runs. It must give
 * the scalar reference's bits exactly as the native build does.
 */
#define RTX_VEC_PORTABLE
#include "conformance/rtc.h"
#include "tests/simd/property.h"

extern const rtx_vec_kernels rtx_vec_fast_kernels;   /* the library's (native) copy */

RTC_TEST(simd_portable, portable_kernels_equal_reference)
{
    prop_run(&rtx_vec_portable_kernels, UINT64_C(0x5EED0F5D), prop_rounds());
}

RTC_TEST(simd_portable, portable_kernels_differ_from_native)
{
    /* the copy is a distinct build, not the library's kernels under another name */
    cr_assert_neq((const void *)&rtx_vec_portable_kernels, (const void *)&rtx_vec_fast_kernels);
    cr_assert_neq((const void *)rtx_vec_portable_kernels.sum, (const void *)rtx_vec_fast_kernels.sum);
}
