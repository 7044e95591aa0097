/*
 * tests/simd_portable/fast_map.c — simd/vec_fast_map.c compiled again with
 * SIMDE_NO_NATIVE (see fast_reduce.c here).
 */
#define SIMDE_NO_NATIVE
#define RTX_VEC_PORTABLE
#include "simd/vec_fast_map.c"

#if defined(SIMDE_X86_SSE2_NATIVE) || defined(SIMDE_X86_FMA_NATIVE)
#error "SIMDE_NO_NATIVE did not take effect"
#endif
