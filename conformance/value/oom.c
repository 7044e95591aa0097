/* Conformance: the "out of memory" answers of the value rows
 * (spec/ffi/value.sdn): rt_value_int (a box), rt_string_new,
 * rt_string_concat, rt_array_new, rt_array_push, rt_tuple_new,
 * rt_object_new, rt_closure_new. Every allocation each of them makes is
 * failed in turn (runtime/mem.h fault injection, RTX_TESTING builds): the
 * row's default comes back, nothing stays allocated (the heap live count
 * and LeakSanitizer, checked by RTC_TEST), and with memory back the call
 * works. */
#include "conformance/rtc.h"
#include "runtime/mem.h"

typedef RtValue (*make_fn)(void);

static RtValue make_box(void) { return rt_value_int(INT64_MAX); }
static RtValue make_string(void) { return rt_string_new((const uint8_t *)"hello", 5); }
static RtValue make_array(void) { return rt_array_new(16); }
static RtValue make_tuple(void) { return rt_tuple_new(3); }
static RtValue make_object(void) { return rt_object_new(7, 3); }
static RtValue make_closure(void) { return rt_closure_new((const void *)make_box, 2); }

static const struct {
    const char *name;
    make_fn make;
} makers[] = {
    {"rt_value_int (box)", make_box}, {"rt_string_new", make_string},
    {"rt_array_new", make_array},     {"rt_tuple_new", make_tuple},
    {"rt_object_new", make_object},   {"rt_closure_new", make_closure},
};

/* Fail allocation k alone (sticky 0) or k and every later one (sticky 1),
 * for k = 1, 2, ... until the call no longer allocates that many times. */
static void sweep(const char *name, make_fn make, int sticky)
{
    for (uint64_t k = 1;; k++) {
        cr_assert_lt(k, 64, "%s: still failing at allocation %" PRIu64, name, k);
        uint64_t live = rtx_heap_live();
        rtx_mem_fail_at(k, sticky);
        RtValue v = make();
        uint64_t failed = rtx_mem_failures();
        rtx_mem_fail_at(0, 0);
        if (failed == 0) {   /* made fewer than k allocations: done */
            cr_assert_neq(v, RT_NIL, "%s: no allocation failed, yet NIL", name);
            rt_free(v);
            cr_assert_gt(k, 1, "%s made no allocation that could fail", name);
            return;
        }
        cr_assert_eq(v, RT_NIL, "%s: allocation %" PRIu64 " failed, yet %#" PRIx64, name, k,
                     v);
        cr_assert_eq(rtx_heap_live(), live, "%s: allocation %" PRIu64 " failed: leaked", name,
                     k);
    }
}

RTC_TEST(value_oom, constructors_answer_nil_and_leave_nothing)
{
    for (size_t i = 0; i < sizeof makers / sizeof makers[0]; i++) {
        sweep(makers[i].name, makers[i].make, 1);
        sweep(makers[i].name, makers[i].make, 0);
    }
}

RTC_TEST(value_oom, concat_answers_nil_and_keeps_its_inputs)
{
    RtValue a = rt_string_new((const uint8_t *)"ab", 2), b = rt_string_new((const uint8_t *)"cd", 2);
    uint64_t live = rtx_heap_live();
    rtx_mem_fail_at(1, 1);
    RtValue c = rt_string_concat(a, b);
    rtx_mem_fail_at(0, 0);
    cr_assert_eq(c, RT_NIL);
    cr_assert_eq(rtx_heap_live(), live);
    cr_assert_eq(rt_string_len(a), 2);
    cr_assert_eq(memcmp(rt_string_data(b), "cd", 3), 0);
    c = rt_string_concat(a, b);
    cr_assert_eq(rt_string_len(c), 4);
    cr_assert_eq(memcmp(rt_string_data(c), "abcd", 5), 0);
    rt_free(a);
    rt_free(b);
    rt_free(c);
}

/* A push that needs a bigger buffer and cannot get one: false, and the
 * array is exactly as it was (length, capacity, elements). */
RTC_TEST(value_oom, push_that_cannot_grow_leaves_the_array_unchanged)
{
    RtValue a = rt_array_new(4);
    for (int i = 0; i < 4; i++)
        cr_assert(rt_array_push(a, rt_value_int(i)));
    rtx_mem_fail_at(1, 1);
    bool ok = rt_array_push(a, rt_value_int(99));
    rtx_mem_fail_at(0, 0);
    cr_assert_not(ok, "the 5th push needs a new buffer, which was refused");
    cr_assert_eq(rt_array_len(a), 4);
    for (int i = 0; i < 4; i++)
        cr_assert_eq(rt_array_get(a, i), rt_value_int(i));
    cr_assert_eq(rt_array_pop(a), rt_value_int(3));
    cr_assert(rt_array_push(a, rt_value_int(3)), "a push that fits needs no memory");
    rtx_mem_fail_at(0, 0);
    cr_assert(rt_array_push(a, rt_value_int(4)), "with memory back the array grows");
    cr_assert_eq(rt_array_len(a), 5);
    cr_assert_eq(rt_array_get(a, -1), rt_value_int(4));
    rt_free(a);
}
