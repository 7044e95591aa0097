/* Conformance: rt_function_not_found, rt_method_not_found
 * (spec/ffi/errors.sdn): exact messages, NIL, placeholders, length cuts. */
#include "conformance/rtc.h"
#include "conformance/rtc_io.h"

#define S(lit) (const uint8_t *)(lit), (sizeof(lit) - 1)

static const uint8_t bad_utf8[] = {0xFF, 0xFE, 0xFD};   /* upstream's test bytes */

/* What fn printed to stderr, through the stderr capture. */
#define CAPTURED(call, out)                                                                \
    do {                                                                                   \
        rt_capture_stderr_start();                                                         \
        cr_assert_eq((call), RT_NIL, "always NIL");                                        \
        (out) = rt_capture_stderr_stop();                                                  \
    } while (0)

static void expect_fn(const uint8_t *name, uint64_t len, const char *want)
{
    RtValue s;
    CAPTURED(rt_function_not_found(name, len), s);
    cr_assert(rtc_str_eq(s, want, strlen(want)), "want: %s", want);
    rt_free(s);
}

static void expect_method(const uint8_t *t, uint64_t tl, const uint8_t *m, uint64_t ml,
                          const char *want)
{
    RtValue s;
    CAPTURED(rt_method_not_found(t, tl, m, ml), s);
    cr_assert(rtc_str_eq(s, want, strlen(want)), "want: %s", want);
    rt_free(s);
}

/* Upstream error_handling.rs: every call returns NIL; the messages. */
RTC_TEST(errors, function_not_found_messages)
{
    expect_fn(S("my_function"), "Runtime error: Function 'my_function' not found\n");
    expect_fn(NULL, 0, "Runtime error: Function not found (unknown name)\n");
    expect_fn(bad_utf8, sizeof bad_utf8,
              "Runtime error: Function not found (invalid UTF-8 name)\n");
    expect_fn(S("caf\xC3\xA9"), "Runtime error: Function 'caf\xC3\xA9' not found\n");
    expect_fn(S("x"), "Runtime error: Function 'x' not found\n");
    expect_fn((const uint8_t *)"unused", 0, "Runtime error: Function '' not found\n");
}

RTC_TEST(errors, method_not_found_messages)
{
    expect_method(S("MyStruct"), S("my_method"),
                  "Runtime error: Method 'my_method' not found on type 'MyStruct'\n");
    expect_method(NULL, 0, S("my_method"),
                  "Runtime error: Method 'my_method' not found on type '<unknown type>'\n");
    expect_method(S("MyStruct"), NULL, 0,
                  "Runtime error: Method '<unknown method>' not found on type 'MyStruct'\n");
    expect_method(NULL, 0, NULL, 0,
                  "Runtime error: Method '<unknown method>' not found on type '<unknown type>'\n");
    expect_method(bad_utf8, sizeof bad_utf8, S("my_method"),
                  "Runtime error: Method 'my_method' not found on type '<invalid UTF-8>'\n");
    expect_method(S("MyStruct"), bad_utf8, sizeof bad_utf8,
                  "Runtime error: Method '<invalid UTF-8>' not found on type 'MyStruct'\n");
    expect_method(S(""), S(""), "Runtime error: Method '' not found on type ''\n");
}

/* A NULL pointer with a length is still "unknown", never read. */
RTC_TEST(errors, null_with_any_length)
{
    static const uint64_t lens[] = {1, 4096, 4097, UINT64_MAX};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        expect_fn(NULL, lens[i], "Runtime error: Function not found (unknown name)\n");
        expect_method(NULL, lens[i], NULL, lens[i],
                      "Runtime error: Method '<unknown method>' not found on type "
                      "'<unknown type>'\n");
    }
}

/* Names above 4096 bytes are cut at 4096 (never inside a character) and
 * get "..."; only those bytes are read, whatever the length says. */
RTC_TEST(errors, long_names_are_cut)
{
    static uint8_t name[5000];
    static char want[2 * 5000 + 128];
    memset(name, 'a', sizeof name);
    snprintf(want, sizeof want, "Runtime error: Function '%.4096s...' not found\n", (char *)name);
    expect_fn(name, 4097, want);
    expect_fn(name, UINT64_MAX, want);   /* a hostile length: 4096 bytes are read */
    snprintf(want, sizeof want, "Runtime error: Function '%.4096s' not found\n", (char *)name);
    expect_fn(name, 4096, want);          /* exactly the limit: no cut */
    /* A 3-byte character across byte 4096 goes entirely. */
    memcpy(name + 4095, "\xE2\x82\xAC", 3);
    snprintf(want, sizeof want, "Runtime error: Function '%.4095s...' not found\n", (char *)name);
    expect_fn(name, 5000, want);
    /* Bytes past the cut are not validated (they are not read). */
    memset(name, 'b', sizeof name);
    name[4500] = 0xFF;
    snprintf(want, sizeof want,
             "Runtime error: Method '%.4096s...' not found on type '%.4096s...'\n", (char *)name,
             (char *)name);
    expect_method(name, sizeof name, name, sizeof name, want);
    /* An invalid byte inside the first 4096 still makes it invalid. */
    name[10] = 0xFF;
    expect_fn(name, sizeof name, "Runtime error: Function not found (invalid UTF-8 name)\n");
}

/* Without a capture the line goes to fd 2, in one piece, and not to fd 1. */
RTC_TEST(errors, written_to_stderr)
{
    char err[512], out[64];
    rtc_redirect e, o;
    rtc_redirect_begin(&o, 1);
    rtc_redirect_begin(&e, 2);
    cr_assert_eq(rt_function_not_found(S("f")), RT_NIL);
    cr_assert_eq(rt_method_not_found(S("T"), S("m")), RT_NIL);
    cr_assert_eq(rt_function_not_found(bad_utf8, 3), RT_NIL);
    size_t no = rtc_redirect_end(&o, out, sizeof out);
    rtc_redirect_end(&e, err, sizeof err);
    cr_assert_str_eq(err, "Runtime error: Function 'f' not found\n"
                          "Runtime error: Method 'm' not found on type 'T'\n"
                          "Runtime error: Function not found (invalid UTF-8 name)\n");
    cr_assert_eq(no, 0);
}

/* Not a stdout capture: that one stays empty. */
RTC_TEST(errors, stdout_capture_is_not_used)
{
    char err[256];
    rtc_redirect e;
    rtc_redirect_begin(&e, 2);
    rt_capture_stdout_start();
    rt_function_not_found(S("g"));
    RtValue s = rt_capture_stdout_stop();
    rtc_redirect_end(&e, err, sizeof err);
    cr_assert(RTC_STR_EQ(s, ""));
    cr_assert_str_eq(err, "Runtime error: Function 'g' not found\n");
    rt_free(s);
}
