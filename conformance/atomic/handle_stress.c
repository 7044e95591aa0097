/* Stress: integer-handle atomics (spec/ffi/atomic.sdn) over 2^23 handle
 * cycles, through the public API. Only under SIMPLERT_STRESS=1 (make
 * qualify); skipped otherwise, which is why no row names this file: the
 * audit counts a skipped test as a failed one. tests/handle drives the same
 * boundary directly in every run. */
#include "conformance/rtc_threads.h"

/* A freed handle stays dead however often its slot is reused: 2^23 new/free
 * cycles bring a handle's 24 generation bits back to where they started
 * (the slot is the free list's head every time). Only under
 * SIMPLERT_STRESS=1 (about 0.5 s natively, a minute under Valgrind);
 * tests/handle drives the same boundary directly in every run. */
RTC_TEST(atomic_handle_stress, freed_handle_stays_dead_after_2_pow_23_reuses, .timeout = RTC_SLOW_TIMEOUT)
{
    if (!rtc_stress())
        cr_skip_test("2^23 handle cycles: SIMPLERT_STRESS=1 only (tests/handle covers it)");
    int64_t stale = rt_atomic_int_new(1);
    rt_atomic_int_free(stale);
    for (long i = 0; i < (1L << 23) - 1; i++)
        rt_atomic_int_free(rt_atomic_int_new(0));
    int64_t h = rt_atomic_int_new(42);
    cr_assert_neq(h, stale, "a freed handle names a new atomic");
    cr_assert_eq(rt_atomic_int_load(stale), 0, "a freed handle reads 0");
    rt_atomic_int_free(h);
}
