/* Conformance: simple_contract_check, simple_contract_check_msg
 * (spec/ffi/contracts.sdn). A false condition prints the violation and
 * aborts: Criterion's .signal = SIGABRT checks the abort, and forked
 * children whose stderr is a pipe check the exact message. */
#include <fcntl.h>
#include <signal.h>

#include "conformance/rtc.h"
#include "conformance/rtc_io.h"

#define S(lit) (const uint8_t *)(lit), (int64_t)(sizeof(lit) - 1)

/* Upstream: any non-zero condition returns (it is not a boolean). */
RTC_TEST(contract_check, true_conditions_return)
{
    static const int64_t conds[] = {1, 42, -1, INT64_MIN, INT64_MAX, 2};
    for (size_t i = 0; i < sizeof conds / sizeof conds[0]; i++) {
        for (int64_t kind = -1; kind <= 6; kind++) {
            simple_contract_check(conds[i], kind, NULL, 0);
            simple_contract_check(conds[i], kind, S("f"));
            simple_contract_check(conds[i], kind, NULL, INT64_MAX);   /* not read */
            simple_contract_check_msg(conds[i], kind, NULL, 0, NULL, 0);
            simple_contract_check_msg(conds[i], kind, S("f"), S("m"));
            simple_contract_check_msg(conds[i], kind, NULL, -5, NULL, INT64_MIN);
        }
    }
}

/* The message is checked below; here it would only clutter the log. */
static void quiet_stderr(void)
{
    int fd = open("/dev/null", O_WRONLY);
    if (fd >= 0) {
        dup2(fd, 2);
        close(fd);
    }
}

RTC_TEST(contract_check, false_condition_aborts, .signal = SIGABRT)
{
    quiet_stderr();
    simple_contract_check(0, 0, S("aborts"));
}

RTC_TEST(contract_check, false_condition_with_message_aborts, .signal = SIGABRT)
{
    quiet_stderr();
    simple_contract_check_msg(0, 1, S("aborts"), S("x > 0"));
}

/* ---- the message, read from a forked child ---- */

typedef struct call {
    int msg;
    int64_t kind;
    const uint8_t *name;
    int64_t name_len;
    const uint8_t *text;
    int64_t text_len;
} call;

static void run_check(void *arg)
{
    const call *c = arg;
    if (c->msg)
        simple_contract_check_msg(0, c->kind, c->name, c->name_len, c->text, c->text_len);
    else
        simple_contract_check(0, c->kind, c->name, c->name_len);
}

static void expect_abort(call c, const char *want)
{
    static char buf[300000];
    int st = rtc_child_stderr(run_check, &c, buf, sizeof buf);
    cr_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT, "the child aborted (status 0x%x)", st);
    cr_assert_str_eq(buf, want);
}

RTC_TEST(contract_check, message_per_kind)
{
    static const char *const names[] = {"Precondition",    "Postcondition",
                                        "Error postcondition", "Entry invariant",
                                        "Exit invariant",  "Assertion"};
    char want[256];
    for (int64_t k = 0; k <= 5; k++) {
        snprintf(want, sizeof want,
                 "%s violation in function 'divide': contract condition failed\n", names[k]);
        expect_abort((call){0, k, S("divide"), NULL, 0}, want);
        snprintf(want, sizeof want,
                 "%s violation in function 'divide': contract condition failed (b != 0)\n",
                 names[k]);
        expect_abort((call){1, k, S("divide"), S("b != 0")}, want);
    }
    /* Unknown kinds are reported as preconditions. */
    static const int64_t unknown[] = {6, -1, 100, INT64_MIN, INT64_MAX};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
        expect_abort((call){0, unknown[i], S("f"), NULL, 0},
                     "Precondition violation in function 'f': contract condition failed\n");
}

RTC_TEST(contract_check, name_placeholders)
{
    const char *unknown =
        "Postcondition violation in function '<unknown>': contract condition failed\n";
    expect_abort((call){0, 1, NULL, 0, NULL, 0}, unknown);
    expect_abort((call){0, 1, NULL, 99, NULL, 0}, unknown);
    expect_abort((call){0, 1, (const uint8_t *)"f", 0, NULL, 0}, unknown);
    expect_abort((call){0, 1, (const uint8_t *)"f", -1, NULL, 0}, unknown);
    expect_abort((call){0, 1, (const uint8_t *)"f", INT64_MIN, NULL, 0}, unknown);
    expect_abort((call){0, 1, S("\xFF\xFE\xFD"), NULL, 0},
                 "Postcondition violation in function '<invalid UTF-8>': contract condition "
                 "failed\n");
    expect_abort((call){1, 2, S("\xC0\x80"), S("m")},
                 "Error postcondition violation in function '<invalid UTF-8>': contract "
                 "condition failed (m)\n");
    expect_abort((call){1, 3, NULL, 0, S("m")},
                 "Entry invariant violation in function '<unknown>': contract condition failed "
                 "(m)\n");
}

/* No message: NULL, a non-positive length, or bytes that are not UTF-8. */
RTC_TEST(contract_check, message_absent_cases)
{
    const char *plain = "Exit invariant violation in function 'g': contract condition failed\n";
    expect_abort((call){1, 4, S("g"), NULL, 0}, plain);
    expect_abort((call){1, 4, S("g"), NULL, 5}, plain);
    expect_abort((call){1, 4, S("g"), (const uint8_t *)"m", 0}, plain);
    expect_abort((call){1, 4, S("g"), (const uint8_t *)"m", -3}, plain);
    expect_abort((call){1, 4, S("g"), S("bad \xFF")}, plain);
    expect_abort((call){1, 4, S("g"), S("")}, plain);
    /* A message with UTF-8 text and parentheses is printed as it is. */
    expect_abort((call){1, 4, S("g"), S("x (\xC3\xA9) > 0")},
                 "Exit invariant violation in function 'g': contract condition failed "
                 "(x (\xC3\xA9) > 0)\n");
}

/* Texts over 64 KiB are cut at 64 KiB, never inside a character. */
RTC_TEST(contract_check, long_texts_are_cut)
{
    static uint8_t name[70000], text[70000];
    static char want[200000];
    memset(name, 'n', sizeof name);
    memset(text, 't', sizeof text);
    memcpy(name + 65535, "\xE2\x82\xAC", 3);   /* a character across the limit */
    snprintf(want, sizeof want,
             "Assertion violation in function '%.65535s': contract condition failed (%.65536s)\n",
             (char *)name, (char *)text);
    expect_abort((call){1, 5, name, (int64_t)sizeof name, text, (int64_t)sizeof text}, want);
    /* The length is believed only up to the limit: bytes past it are not read. */
    expect_abort((call){1, 5, name, INT64_MAX, text, INT64_MAX}, want);
}

/* The line goes to fd 2 even while this thread captures stderr: the abort
 * would discard a capture buffer. */
static void captured_check(void *arg)
{
    (void)arg;
    rt_capture_stderr_start();
    simple_contract_check(0, 0, (const uint8_t *)"cap", 3);
}

RTC_TEST(contract_check, bypasses_stderr_capture)
{
    char buf[256];
    int st = rtc_child_stderr(captured_check, NULL, buf, sizeof buf);
    cr_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
    cr_assert_str_eq(buf, "Precondition violation in function 'cap': contract condition failed\n");
}
