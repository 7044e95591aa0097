/*
 * tests/handle/generation.c — the generation-tagged handle tables
 * (runtime/handle.c) that back every integer-handle family: threads, async
 * files, sockets, handle atomics, once cells, Vulkan objects.
 *
 * The promise (runtime/handle.h, spec/ffi/atomic.sdn notes): a released
 * handle is answered NULL for ever; it never names an object again. A
 * handle keeps 24 bits of its slot's generation, and a slot's generation
 * moves by 2 per new/release cycle, so after 2^23 cycles of one slot the
 * 24 bits repeat. The tests drive a slot to the last generation the 24
 * bits can tell apart by setting the slot's counter directly (the slot
 * struct is public in handle.h), instead of 2^23 real cycles, which would
 * take a minute under Valgrind; conformance/atomic/handle.c does the real
 * cycles through the public API under SIMPLERT_STRESS=1.
 */
#include "conformance/rtc.h"
#include "runtime/handle.h"

#define GEN_BITS 24
#define GEN_MASK ((UINT64_C(1) << GEN_BITS) - 1)
#define IDX_MASK ((UINT64_C(1) << 24) - 1)

static rtx_handle_slot *slot_of(rtx_handle_table *t, uint64_t h)
{
    uint64_t idx = (h & IDX_MASK) - 1;
    rtx_handle_slot *page = atomic_load(&t->pages[idx >> RTX_HANDLE_PAGE_BITS]);
    return &page[idx & ((1u << RTX_HANDLE_PAGE_BITS) - 1)];
}

/* Release h, then move its (free) slot to generation `gen` (even: free),
 * as if the slot had gone through that many new/release cycles. */
static void age_slot(rtx_handle_table *t, uint64_t h, uint64_t gen)
{
    rtx_handle_slot *s = slot_of(t, h);
    cr_assert_not_null(rtx_handle_release(t, h));
    cr_assert_eq(atomic_load(&s->gen) & 1, 0, "a free slot has an even generation");
    atomic_store(&s->gen, gen);
}

RTC_TEST(handle_generation, a_released_handle_never_names_an_object_again)
{
    static rtx_handle_table t = RTX_HANDLE_TABLE_INIT(RTX_HK_TEST, "test");
    int a = 1, b = 2;
    uint64_t stale = rtx_handle_new(&t, &a);
    cr_assert_neq(stale, 0);
    cr_assert_eq(rtx_handle_get(&t, stale), &a);
    /* The slot has been used 2^23 - 1 times since `stale` was handed out
     * and released: its generation is now the last odd value the handle's
     * 24 bits hold, minus one (free). */
    age_slot(&t, stale, GEN_MASK - 1);
    uint64_t last = rtx_handle_new(&t, &b);
    cr_assert_neq(last, 0);
    cr_assert_neq(last, stale);
    cr_assert_eq(rtx_handle_get(&t, last), &b);
    cr_assert_null(rtx_handle_get(&t, stale));
    cr_assert_eq(rtx_handle_release(&t, last), &b);
    /* One more cycle: a new handle must not reuse a generation that a
     * released handle still carries. */
    for (int i = 0; i < 4; i++) {
        uint64_t h = rtx_handle_new(&t, &b);
        cr_assert_neq(h, 0);
        cr_assert_neq(h, stale, "cycle %d: the stale handle names a live object again", i);
        cr_assert_neq(h, last, "cycle %d: a released handle names a live object again", i);
        cr_assert_null(rtx_handle_get(&t, stale), "cycle %d", i);
        cr_assert_null(rtx_handle_get(&t, last), "cycle %d", i);
        cr_assert_null(rtx_handle_release(&t, stale));
        cr_assert_eq(rtx_handle_get(&t, h), &b);
        cr_assert_eq(rtx_handle_release(&t, h), &b);
    }
    cr_assert_eq(rtx_handle_live(&t), 0);
}

RTC_TEST(handle_generation, handles_stay_positive_and_tagged_at_the_last_generation)
{
    static rtx_handle_table t = RTX_HANDLE_TABLE_INIT(RTX_HK_TEST, "test");
    int a = 1;
    uint64_t h = rtx_handle_new(&t, &a);
    age_slot(&t, h, GEN_MASK - 1);
    uint64_t last = rtx_handle_new(&t, &a);
    cr_assert_gt((int64_t)last, 0);
    cr_assert_eq((last >> 48) & 0xFF, RTX_HK_TEST, "kind tag intact");
    cr_assert_eq((last >> 24) & GEN_MASK, GEN_MASK, "the last generation is used");
    cr_assert_eq(rtx_handle_release(&t, last), &a);
    cr_assert_eq(rtx_handle_live(&t), 0);
}
