/* Conformance: rt_read_stdin_line (spec/ffi/print.sdn), with fd 0 replaced
 * by a temporary file or a pipe inside each test. */
#include <fcntl.h>

#include "conformance/rtc.h"
#include "conformance/rtc_io.h"
#include "runtime/print.h"

/* Read lines until NIL; they must be want[0..n) and then NIL. */
static void expect_lines(const char *input, size_t len, const char *const *want, size_t n)
{
    int saved = rtc_stdin_from(input, len);
    for (size_t i = 0; i < n; i++) {
        RtValue s = rt_read_stdin_line();
        cr_assert(rtc_str_eq(s, want[i], strlen(want[i])), "line %zu: want '%s', got %" PRId64
                  " bytes", i, want[i], rt_string_len(s));
        rt_free(s);
    }
    cr_assert_eq(rt_read_stdin_line(), RT_NIL, "end of input is NIL");
    cr_assert_eq(rt_read_stdin_line(), RT_NIL, "and stays NIL");
    rtc_stdin_restore(saved);
}
#define LINES(input, ...)                                                                  \
    do {                                                                                   \
        static const char *const w_[] = {__VA_ARGS__};                                     \
        expect_lines((input), sizeof(input) - 1, w_, sizeof w_ / sizeof w_[0]);            \
    } while (0)

/* Upstream's mock-stdin cases, on a real descriptor. */
RTC_TEST(stdin_line, upstream_cases)
{
    LINES("test input\n", "test input");
    LINES("line1\nline2\n", "line1", "line2");
    LINES("line1\nline2\nline3\n", "line1", "line2", "line3");
    LINES("single line", "single line");
}

RTC_TEST(stdin_line, line_endings)
{
    LINES("a\r\nb\r\n", "a", "b");
    LINES("a\r\nb", "a", "b");
    LINES("mixed\nends\r\nhere", "mixed", "ends", "here");
    LINES("\n\n", "", "");
    LINES("\r\n", "");
    LINES("x\r", "x\r");            /* a \r without \n is kept */
    LINES("a\rb\n", "a\rb");        /* and so is one inside a line */
    LINES("x\r\r\n", "x\r");        /* only one \r goes with the \n */
}

RTC_TEST(stdin_line, empty_input_is_nil)
{
    int saved = rtc_stdin_from("", 0);
    cr_assert_eq(rt_read_stdin_line(), RT_NIL);
    rtc_stdin_restore(saved);
}

RTC_TEST(stdin_line, bytes_pass_and_invalid_utf8_is_replaced)
{
    LINES("caf\xC3\xA9 \xE2\x82\xAC\n", "caf\xC3\xA9 \xE2\x82\xAC");
    LINES("a\xFF" "b\n\xC0\x80\n", "a\xEF\xBF\xBD" "b", "\xEF\xBF\xBD\xEF\xBF\xBD");
    /* A NUL byte is part of the line. */
    int saved = rtc_stdin_from("a\0b\n", 4);
    RtValue s = rt_read_stdin_line();
    cr_assert(rtc_str_eq(s, "a\0b", 3));
    rt_free(s);
    rtc_stdin_restore(saved);
}

/* A pipe whose writer closed after writing: lines, then NIL. */
RTC_TEST(stdin_line, from_a_pipe)
{
    int p[2];
    cr_assert_eq(pipe(p), 0);
    const char text[] = "one\ntwo";
    cr_assert_eq(write(p[1], text, sizeof text - 1), (ssize_t)sizeof text - 1);
    close(p[1]);
    int saved = dup(0);
    dup2(p[0], 0);
    close(p[0]);
    __fpurge(stdin);
    RtValue a = rt_read_stdin_line(), b = rt_read_stdin_line();
    cr_assert(RTC_STR_EQ(a, "one") && RTC_STR_EQ(b, "two"));
    cr_assert_eq(rt_read_stdin_line(), RT_NIL);
    rt_free(a);
    rt_free(b);
    rtc_stdin_restore(saved);
}

/* End of input is not sticky: text that arrives later is read. */
RTC_TEST(stdin_line, end_of_input_is_not_sticky)
{
    char path[] = "/tmp/simplert-stdin-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    unlink(path);
    cr_assert_eq(write(fd, "first\n", 6), 6);
    /* A second, read-only open of the same file, with its own offset. */
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    int rd = open(link, O_RDONLY);
    cr_assert(rd >= 0);
    int saved = dup(0);
    dup2(rd, 0);
    close(rd);
    __fpurge(stdin);
    RtValue a = rt_read_stdin_line();
    cr_assert(RTC_STR_EQ(a, "first"));
    cr_assert_eq(rt_read_stdin_line(), RT_NIL);
    cr_assert_eq(write(fd, "second\n", 7), 7);
    RtValue b = rt_read_stdin_line();
    cr_assert(RTC_STR_EQ(b, "second"), "read after an earlier end of input");
    rt_free(a);
    rt_free(b);
    close(fd);
    rtc_stdin_restore(saved);
}

/* A read error (here fd 0 closed: EBADF) is NIL. */
RTC_TEST(stdin_line, read_error_is_nil)
{
    int saved = dup(0);
    close(0);
    __fpurge(stdin);
    clearerr(stdin);
    cr_assert_eq(rt_read_stdin_line(), RT_NIL);
    cr_assert_eq(rt_read_stdin_line(), RT_NIL);
    rtc_stdin_restore(saved);
}

RTC_TEST(stdin_line, long_lines)
{
    static char big[300000];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\n';
    int saved = rtc_stdin_from(big, sizeof big);
    RtValue s = rt_read_stdin_line();
    cr_assert_eq(rt_string_len(s), (int64_t)sizeof big - 1);
    cr_assert_eq(rt_string_data(s)[12345], 'q');
    rt_free(s);
    cr_assert_eq(rt_read_stdin_line(), RT_NIL);
    rtc_stdin_restore(saved);
}

#ifdef RTX_TESTING
/* Past the limit (16 MiB, lowered here) the rest comes with the next call. */
RTC_TEST(stdin_line, over_the_limit_is_split)
{
    rtx_print_set_line_limit(4);
    LINES("abcdefghij\nxy\n", "abcd", "efgh", "ij", "xy");
    LINES("abcd\nef\n", "abcd", "", "ef");   /* exactly the limit: the \n comes next */
    rtx_print_set_line_limit(0);
}

#include "runtime/mem.h"
RTC_TEST(stdin_line, out_of_memory_is_nil)
{
    int saved = rtc_stdin_from("some line\n", 10);
    rtx_mem_fail_at(1, 1);
    RtValue s = rt_read_stdin_line();
    rtx_mem_fail_at(0, 0);
    cr_assert_eq(s, RT_NIL);
    rtc_stdin_restore(saved);
}
#endif
