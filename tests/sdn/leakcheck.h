/*
 * tests/sdn/leakcheck.h — end every test with LEAK_CHECK().
 *
 * Criterion runs each test in a forked child, and LeakSanitizer's exit-time
 * report in a child does not fail the test. So when built with ASan, ask LSan
 * for a leak check explicitly and fail the test if it finds one. Without ASan
 * (e.g. the valgrind build) the macro does nothing.
 */
#ifndef SDN_TEST_LEAKCHECK_H
#define SDN_TEST_LEAKCHECK_H

#include <criterion/criterion.h>

#if defined(__SANITIZE_ADDRESS__)
#define SDN_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SDN_TEST_ASAN 1
#endif
#endif

#ifdef SDN_TEST_ASAN
#include <sanitizer/lsan_interface.h>
#define LEAK_CHECK() \
    cr_assert_eq(__lsan_do_recoverable_leak_check(), 0, "memory leaked: see the LeakSanitizer report above")
#else
#define LEAK_CHECK() ((void)0)
#endif

#endif
