/*
 * tests/simd_portable/fast_reduce.c — simd/vec_fast_reduce.c compiled again
 * with SIMDE_NO_NATIVE, its symbols renamed rtx_vec_portable_* (see
 * RTX_VEC_FAST in simd/vec_internal.h) so it links beside the library's copy.
 */
#define SIMDE_NO_NATIVE
#define RTX_VEC_PORTABLE
#include "simd/vec_fast_reduce.c"

#if defined(SIMDE_X86_SSE2_NATIVE) || defined(SIMDE_X86_AVX2_NATIVE)
#error "SIMDE_NO_NATIVE did not take effect"
#endif
