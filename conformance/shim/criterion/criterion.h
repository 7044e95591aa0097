/*
 * conformance/shim/criterion/criterion.h — the subset of Criterion's API
 * that simplert's suites use, for the Valgrind variant (V=vg).
 *
 * Why: Criterion re-executes the test binary for every test; under
 * Valgrind each exec costs ~0.7 s of tool startup, which makes a
 * thousand-test memcheck run take a quarter of an hour. This runner forks
 * each test without exec: Valgrind follows a plain fork for free, every
 * test still runs in its own process, and a definite leak or memory error
 * in a test makes that test fail (Valgrind's --error-exitcode in the child).
 *
 * Semantics kept from Criterion: per-test process; suite .init/.fini
 * around the test's own; .signal / .exit_code expectations; .disabled;
 * .timeout (seconds); cr_assert* stop the test, cr_expect* record and go
 * on; cr_skip_test; the "[====] Synthesis:" summary line on stderr.
 */
#ifndef RTC_SHIM_CRITERION_H
#define RTC_SHIM_CRITERION_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* Messages are optional: "" __VA_ARGS__ may leave an empty format. */
#pragma GCC diagnostic ignored "-Wformat-zero-length"

struct criterion_test_extra_data {
    int sentinel_;
    void (*init)(void);
    void (*fini)(void);
    int signal;
    int exit_code;
    bool disabled;
    const char *description;
    double timeout;
    void *data;
};

void rtc_shim_register_test(const char *suite, const char *name, void (*fn)(void),
                            const struct criterion_test_extra_data *opts, const char *file,
                            int line);
void rtc_shim_register_suite(const char *suite, const struct criterion_test_extra_data *opts);
void rtc_shim_fail(int fatal, const char *file, int line, const char *what, const char *fmt,
                   ...) __attribute__((format(printf, 5, 6)));
void rtc_shim_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void rtc_shim_log(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* RTC_TEST calls it when its body returned (make oom tells a leak found by
 * the checks after the body from an assertion the injected failure tripped). */
void rtc_shim_body_done(void);

#define RTC_SHIM_TEST_(S, N, ...)                                                          \
    static void S##_##N##_shim_fn(void);                                                   \
    static const struct criterion_test_extra_data S##_##N##_shim_opts = {__VA_ARGS__};     \
    __attribute__((constructor)) static void S##_##N##_shim_reg(void)                      \
    {                                                                                      \
        rtc_shim_register_test(#S, #N, S##_##N##_shim_fn, &S##_##N##_shim_opts, __FILE__,  \
                               __LINE__);                                                  \
    }                                                                                      \
    static void S##_##N##_shim_fn(void)
#define Test(...) RTC_SHIM_TEST_(__VA_ARGS__, .sentinel_ = 0)

#define RTC_SHIM_SUITE_(S, ...)                                                            \
    static const struct criterion_test_extra_data S##_shim_suite_opts = {__VA_ARGS__};     \
    __attribute__((constructor)) static void S##_shim_suite_reg(void)                      \
    {                                                                                      \
        rtc_shim_register_suite(#S, &S##_shim_suite_opts);                                 \
    }
#define TestSuite(...) RTC_SHIM_SUITE_(__VA_ARGS__, .sentinel_ = 0)

/* The message is optional and, as in Criterion, a string literal format. */
#define RTC_SHIM_CHECK_(fatal, cond, what, ...)                                            \
    do {                                                                                   \
        if (!(cond))                                                                       \
            rtc_shim_fail((fatal), __FILE__, __LINE__, (what), "" __VA_ARGS__);            \
    } while (0)

#define cr_assert(c, ...) RTC_SHIM_CHECK_(1, (c), "The expression " #c " is false.", __VA_ARGS__)
#define cr_expect(c, ...) RTC_SHIM_CHECK_(0, (c), "The expression " #c " is false.", __VA_ARGS__)
#define cr_assert_not(c, ...) RTC_SHIM_CHECK_(1, !(c), "The expression !(" #c ") is false.", __VA_ARGS__)
#define cr_expect_not(c, ...) RTC_SHIM_CHECK_(0, !(c), "The expression !(" #c ") is false.", __VA_ARGS__)
#define cr_assert_fail(...) RTC_SHIM_CHECK_(1, 0, "The conditions for this assertion were not met.", __VA_ARGS__)
#define cr_expect_fail(...) RTC_SHIM_CHECK_(0, 0, "The conditions for this assertion were not met.", __VA_ARGS__)
#define cr_fatal(...) cr_assert_fail(__VA_ARGS__)

#define RTC_SHIM_CMP_(fatal, a, op, b, ...)                                                \
    RTC_SHIM_CHECK_(fatal, (a)op(b), "The expression (" #a ") " #op " (" #b ") is false.",  \
                    __VA_ARGS__)
#define cr_assert_eq(a, b, ...) RTC_SHIM_CMP_(1, a, ==, b, __VA_ARGS__)
#define cr_assert_neq(a, b, ...) RTC_SHIM_CMP_(1, a, !=, b, __VA_ARGS__)
#define cr_assert_lt(a, b, ...) RTC_SHIM_CMP_(1, a, <, b, __VA_ARGS__)
#define cr_assert_leq(a, b, ...) RTC_SHIM_CMP_(1, a, <=, b, __VA_ARGS__)
#define cr_assert_gt(a, b, ...) RTC_SHIM_CMP_(1, a, >, b, __VA_ARGS__)
#define cr_assert_geq(a, b, ...) RTC_SHIM_CMP_(1, a, >=, b, __VA_ARGS__)
#define cr_expect_eq(a, b, ...) RTC_SHIM_CMP_(0, a, ==, b, __VA_ARGS__)
#define cr_expect_neq(a, b, ...) RTC_SHIM_CMP_(0, a, !=, b, __VA_ARGS__)
#define cr_expect_lt(a, b, ...) RTC_SHIM_CMP_(0, a, <, b, __VA_ARGS__)
#define cr_expect_leq(a, b, ...) RTC_SHIM_CMP_(0, a, <=, b, __VA_ARGS__)
#define cr_expect_gt(a, b, ...) RTC_SHIM_CMP_(0, a, >, b, __VA_ARGS__)
#define cr_expect_geq(a, b, ...) RTC_SHIM_CMP_(0, a, >=, b, __VA_ARGS__)

#define cr_assert_null(p, ...) RTC_SHIM_CHECK_(1, (p) == NULL, #p " is not null.", __VA_ARGS__)
#define cr_assert_not_null(p, ...) RTC_SHIM_CHECK_(1, (p) != NULL, #p " is null.", __VA_ARGS__)
#define cr_expect_null(p, ...) RTC_SHIM_CHECK_(0, (p) == NULL, #p " is not null.", __VA_ARGS__)
#define cr_expect_not_null(p, ...) RTC_SHIM_CHECK_(0, (p) != NULL, #p " is null.", __VA_ARGS__)

#define RTC_SHIM_STR_(fatal, a, op, b, ...)                                                \
    RTC_SHIM_CHECK_(fatal, strcmp((a), (b)) op 0,                                          \
                    "The expression (as strings) (" #a ") " #op " (" #b ") is false.",     \
                    __VA_ARGS__)
#define cr_assert_str_eq(a, b, ...) RTC_SHIM_STR_(1, a, ==, b, __VA_ARGS__)
#define cr_assert_str_neq(a, b, ...) RTC_SHIM_STR_(1, a, !=, b, __VA_ARGS__)
#define cr_expect_str_eq(a, b, ...) RTC_SHIM_STR_(0, a, ==, b, __VA_ARGS__)
#define cr_expect_str_neq(a, b, ...) RTC_SHIM_STR_(0, a, !=, b, __VA_ARGS__)
#define cr_assert_str_empty(s, ...) RTC_SHIM_CHECK_(1, (s)[0] == 0, #s " is not empty.", __VA_ARGS__)
#define cr_assert_str_not_empty(s, ...) RTC_SHIM_CHECK_(1, (s)[0] != 0, #s " is empty.", __VA_ARGS__)
#define cr_expect_str_empty(s, ...) RTC_SHIM_CHECK_(0, (s)[0] == 0, #s " is not empty.", __VA_ARGS__)
#define cr_expect_str_not_empty(s, ...) RTC_SHIM_CHECK_(0, (s)[0] != 0, #s " is empty.", __VA_ARGS__)

#define RTC_SHIM_FEQ_(a, b, eps) (((a) - (b)) <= (eps) && ((b) - (a)) <= (eps))
#define cr_assert_float_eq(a, b, eps, ...) RTC_SHIM_CHECK_(1, RTC_SHIM_FEQ_(a, b, eps), "The expression " #a " == " #b " (within " #eps ") is false.", __VA_ARGS__)
#define cr_assert_float_neq(a, b, eps, ...) RTC_SHIM_CHECK_(1, !RTC_SHIM_FEQ_(a, b, eps), "The expression " #a " != " #b " (within " #eps ") is false.", __VA_ARGS__)
#define cr_expect_float_eq(a, b, eps, ...) RTC_SHIM_CHECK_(0, RTC_SHIM_FEQ_(a, b, eps), "The expression " #a " == " #b " (within " #eps ") is false.", __VA_ARGS__)
#define cr_expect_float_neq(a, b, eps, ...) RTC_SHIM_CHECK_(0, !RTC_SHIM_FEQ_(a, b, eps), "The expression " #a " != " #b " (within " #eps ") is false.", __VA_ARGS__)

#define cr_assert_arr_eq(a, b, n, ...) RTC_SHIM_CHECK_(1, memcmp((a), (b), (n)) == 0, "The arrays " #a " and " #b " differ.", __VA_ARGS__)
#define cr_assert_arr_neq(a, b, n, ...) RTC_SHIM_CHECK_(1, memcmp((a), (b), (n)) != 0, "The arrays " #a " and " #b " are equal.", __VA_ARGS__)
#define cr_expect_arr_eq(a, b, n, ...) RTC_SHIM_CHECK_(0, memcmp((a), (b), (n)) == 0, "The arrays " #a " and " #b " differ.", __VA_ARGS__)
#define cr_expect_arr_neq(a, b, n, ...) RTC_SHIM_CHECK_(0, memcmp((a), (b), (n)) != 0, "The arrays " #a " and " #b " are equal.", __VA_ARGS__)

#define cr_skip_test(...) rtc_shim_skip("" __VA_ARGS__)
#define cr_log_info(...) rtc_shim_log("INFO", __VA_ARGS__)
#define cr_log_warn(...) rtc_shim_log("WARN", __VA_ARGS__)
#define cr_log_error(...) rtc_shim_log("ERR ", __VA_ARGS__)

#endif /* RTC_SHIM_CRITERION_H */
