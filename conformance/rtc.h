/*
 * conformance/rtc.h — what every conformance suite includes.
 *
 *   RTC_TEST(suite, name [, .init = f, .signal = SIGABRT, ...]) { body }
 *
 * is Criterion's Test() plus the checks Criterion does not do by itself:
 * after the body, the number of live heap objects must equal the number
 * before it (works in every build), and under ASan LeakSanitizer must find
 * nothing (Criterion ignores a forked child's leak report otherwise; see
 * shared/toolchain-notes.md #1). Under Valgrind the fork-only runner in
 * conformance/shim makes a definite leak fail the test.
 *
 * Suites may use only the Criterion API that conformance/shim implements:
 * Test, TestSuite, cr_assert*, cr_expect*, cr_skip_test, cr_log_*. No
 * ParameterizedTest/Theory (write a loop), no redirect.h.
 *
 * Helpers below build the hostile inputs every suite must try.
 */
#ifndef RTC_H
#define RTC_H

#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdint.h>

#include "runtime/heap.h"
#include "simplert.h"

#if defined(__SANITIZE_ADDRESS__)
#define RTC_HAVE_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RTC_HAVE_LSAN 1
#endif
#endif

#ifdef RTC_HAVE_LSAN
#include <sanitizer/lsan_interface.h>
#define RTC_LSAN_CHECK()                                                                   \
    cr_assert_eq(__lsan_do_recoverable_leak_check(), 0,                                    \
                 "LeakSanitizer found leaks (its report is above)")
#else
#define RTC_LSAN_CHECK() ((void)0)
#endif

/* The fork-only runner wants to know when a body returned (make oom). */
#ifdef RTC_SHIM_CRITERION_H
#define RTC_BODY_DONE() rtc_shim_body_done()
#else
#define RTC_BODY_DONE() ((void)0)
#endif

#define RTC_TEST(S, N, ...)                                                                \
    static void rtc_body_##S##_##N(void);                                                  \
    Test(S, N, ##__VA_ARGS__)                                                              \
    {                                                                                      \
        uint64_t rtc_live0_ = rtx_heap_live();                                             \
        rtc_body_##S##_##N();                                                              \
        RTC_BODY_DONE();                                                                   \
        uint64_t rtc_live1_ = rtx_heap_live();                                             \
        cr_assert_eq(rtc_live1_, rtc_live0_,                                               \
                     "heap objects leaked: %" PRIu64 " live before the test, %" PRIu64     \
                     " after",                                                             \
                     rtc_live0_, rtc_live1_);                                              \
        RTC_LSAN_CHECK();                                                                  \
    }                                                                                      \
    static void rtc_body_##S##_##N(void)

/* Raw words that are not valid heap values: tagged NULL, tagged low
 * addresses, a misaligned pointer, and a word that looks like a pointer
 * into unmapped memory. Upstream's tests use 0x1, 0x9 and 0x10001. */
static const RtValue rtc_bogus[] = {
    UINT64_C(0x1), UINT64_C(0x9), UINT64_C(0x10001), UINT64_C(0xFFF9),
    UINT64_C(0x7FFFFFFFFFF1), UINT64_C(0xFFFFFFFFFFFFFFF9), UINT64_C(0xDEADBEEF1),
};
#define RTC_NBOGUS (sizeof rtc_bogus / sizeof rtc_bogus[0])

/* A value that was a live string and has been freed (a stale reference). */
static inline RtValue rtc_freed_value(void)
{
    RtValue s = rt_string_new((const uint8_t *)"stale", 5);
    rt_free(s);
    return s;
}

/* Values of every immediate kind, for "wrong type" checks. */
static inline RtValue rtc_immediate(int i)
{
    switch (i % 6) {
    case 0: return rt_value_int(42);
    case 1: return rt_value_float(1.5);
    case 2: return RT_NIL;
    case 3: return RT_TRUE;
    case 4: return RT_FALSE;
    default: return (RtValue)((UINT64_C(7) << 3) | RT_TAG_SPECIAL);   /* a symbol */
    }
}
#define RTC_NIMMEDIATE 6

#endif /* RTC_H */
