/* Conformance: rt_par_shared_alloc, rt_par_shared_reset (spec/ffi/par.sdn). */
#include <string.h>

#include "conformance/par/par_util.h"

/* upstream parallel.rs test_shared_memory (outside a kernel) */
/* A deadlock fails the test instead of hanging the gate. */
TestSuite(par_shared, .timeout = 120);

RTC_TEST(par_shared, upstream_sequence)
{
    rt_par_shared_reset();
    void *p1 = rt_par_shared_alloc(16, 8);
    cr_assert_not_null(p1);
    void *p2 = rt_par_shared_alloc(32, 8);
    cr_assert_not_null(p2);
    cr_assert_neq(p1, p2);
    cr_assert((uint8_t *)p2 >= (uint8_t *)p1 + 16, "no overlap");
    rt_par_shared_reset();
    void *p3 = rt_par_shared_alloc(16, 8);
    cr_assert_not_null(p3);
    cr_assert_eq(p3, p1, "reset gives the space back");
}

RTC_TEST(par_shared, alignment_and_zeroing)
{
    const uint64_t aligns[] = {1, 2, 4, 8, 16, 64, 256, 4096};
    for (size_t i = 0; i < sizeof aligns / sizeof aligns[0]; i++) {
        uint8_t *p = rt_par_shared_alloc(3, aligns[i]);
        cr_assert_not_null(p);
        cr_assert_eq((uintptr_t)p % aligns[i], 0, "align %" PRIu64, aligns[i]);
    }
    uint8_t *d = rt_par_shared_alloc(5, 0);
    cr_assert_eq((uintptr_t)d % 8, 0, "align 0 means 8");
    rt_par_shared_reset();
    uint8_t *a = rt_par_shared_alloc(100, 8);
    memset(a, 0xAB, 100);
    rt_par_shared_reset();
    uint8_t *b = rt_par_shared_alloc(100, 8);
    for (int i = 0; i < 100; i++)
        cr_assert_eq(b[i], 0, "reused bytes come back zeroed");
}

RTC_TEST(par_shared, refusals)
{
    rt_par_shared_reset();
    const uint64_t bad_align[] = {3, 6, 12, 8192, UINT64_MAX, (UINT64_C(1) << 63) + 1};
    for (size_t i = 0; i < sizeof bad_align / sizeof bad_align[0]; i++)
        cr_assert_null(rt_par_shared_alloc(8, bad_align[i]));
    cr_assert_null(rt_par_shared_alloc(65537, 8), "bigger than the arena");
    cr_assert_null(rt_par_shared_alloc(UINT64_MAX, 8));
    cr_assert_not_null(rt_par_shared_alloc(0, 8), "0 bytes: a valid pointer");
    uint8_t *all = rt_par_shared_alloc(65536, 8);
    cr_assert_not_null(all, "the whole arena");
    all[65535] = 1;
    cr_assert_null(rt_par_shared_alloc(1, 1), "exhausted: refused");
    cr_assert_not_null(rt_par_shared_alloc(0, 1));
    rt_par_shared_reset();
    cr_assert_not_null(rt_par_shared_alloc(1, 1));
}

RTC_TEST(par_shared, allocation_count_is_bounded)
{
    rt_par_shared_reset();
    for (int i = 0; i < 1024; i++)
        cr_assert_not_null(rt_par_shared_alloc(0, 1), "allocation %d", i);
    cr_assert_null(rt_par_shared_alloc(0, 1), "1024 allocations per arena");
    rt_par_shared_reset();
    cr_assert_not_null(rt_par_shared_alloc(0, 1));
}

RTC_TEST(par_shared, out_of_memory)
{
    rtx_mem_fail_at(1, 1);
    cr_assert_null(rt_par_shared_alloc(8, 8));
    rtx_mem_fail_at(0, 0);
    cr_assert_not_null(rt_par_shared_alloc(8, 8), "works once memory is back");
}

/* In a kernel every item's nth allocation is the group's nth allocation. */
#define MAXG 64
static _Atomic(void *) first[MAXG], second[MAXG];
static _Atomic int64_t bad;

static void same_pointer_kernel(void)
{
    int64_t g = rt_par_group_id(0);
    void *a = rt_par_shared_alloc(64, 16);
    void *b = rt_par_shared_alloc(8, 8);
    void *expect = NULL;
    if (a == NULL || b == NULL || a == b)
        atomic_fetch_add(&bad, 1);
    if (!atomic_compare_exchange_strong(&first[g], &expect, a) && expect != a)
        atomic_fetch_add(&bad, 1);
    expect = NULL;
    if (!atomic_compare_exchange_strong(&second[g], &expect, b) && expect != b)
        atomic_fetch_add(&bad, 1);
}

RTC_TEST(par_shared, items_of_a_group_share_allocations)
{
    cr_assert_eq(rt_par_launch_1d(same_pointer_kernel, 10 * 8, 8), 0);
    cr_assert_eq(atomic_load(&bad), 0, "an item got a different pointer");
    cr_assert_not_null(atomic_load(&first[0]));
}

static void reset_kernel(void)
{
    int64_t *a = rt_par_shared_alloc(8, 8);
    rt_par_barrier();
    if (rt_par_local_id(0) == 0)
        rt_par_shared_reset();
    rt_par_barrier();
    int64_t *b = rt_par_shared_alloc(8, 8);   /* every item's sequence restarted */
    if (a == NULL || b != a)
        atomic_fetch_add(&bad, 1);
}

RTC_TEST(par_shared, reset_in_a_kernel_restarts_every_sequence)
{
    cr_assert_eq(rt_par_launch_1d(reset_kernel, 16, 8), 0);
    cr_assert_eq(atomic_load(&bad), 0);
}

static void mismatch_kernel(void)
{
    /* item 0 makes a 16-byte allocation; later items ask for 32 as theirs */
    void *p = rt_par_shared_alloc(rt_par_local_id(0) == 0 ? 16 : 32, 8);
    if ((rt_par_local_id(0) == 0) != (p != NULL))
        atomic_fetch_add(&bad, 1);
}

RTC_TEST(par_shared, disagreeing_sequences_are_refused)
{
    cr_assert_eq(rt_par_launch_1d(mismatch_kernel, 4, 4), 0);
    cr_assert_eq(atomic_load(&bad), 0);
}
