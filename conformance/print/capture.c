/* Conformance: rt_capture_stdout_start, rt_capture_stdout_stop,
 * rt_capture_stderr_start, rt_capture_stderr_stop (spec/ffi/print.sdn). */
#include <pthread.h>

#include "conformance/rtc.h"
#include "conformance/rtc_io.h"
#include "runtime/print.h"

#define S(lit) (const uint8_t *)(lit), (sizeof(lit) - 1)

RTC_TEST(capture, stop_without_start_is_an_empty_string)
{
    RtValue a = rt_capture_stdout_stop(), b = rt_capture_stderr_stop();
    cr_assert(RTC_STR_EQ(a, "") && RTC_STR_EQ(b, ""));
    rt_free(a);
    rt_free(b);
    /* Twice in a row, and after a completed capture. */
    rt_capture_stdout_start();
    rt_print_str(S("x"));
    a = rt_capture_stdout_stop();
    b = rt_capture_stdout_stop();
    cr_assert(RTC_STR_EQ(a, "x") && RTC_STR_EQ(b, ""));
    rt_free(a);
    rt_free(b);
}

/* Upstream: a second start replaces the buffer with an empty one. */
RTC_TEST(capture, second_start_discards_what_was_captured)
{
    rt_capture_stdout_start();
    rt_print_str(S("first"));
    rt_capture_stdout_start();
    rt_print_str(S("second"));
    RtValue s = rt_capture_stdout_stop();
    cr_assert(RTC_STR_EQ(s, "second"));
    rt_free(s);
    rt_capture_stderr_start();
    rt_eprint_str(S("first"));
    rt_capture_stderr_start();
    s = rt_capture_stderr_stop();
    cr_assert(RTC_STR_EQ(s, ""));
    rt_free(s);
}

/* Upstream test_multiple_captures_independent. */
RTC_TEST(capture, streams_are_independent)
{
    char out[64];
    rt_capture_stdout_start();
    rt_capture_stderr_start();
    rt_print_str(S("out"));
    rt_eprint_str(S("err"));
    RtValue o = rt_capture_stdout_stop();
    cr_assert(RTC_STR_EQ(o, "out"));
    rtc_redirect r;
    rtc_redirect_begin(&r, 1);
    rt_print_str(S("direct"));   /* stdout capture is off now */
    rt_eprint_str(S("+more"));   /* stderr capture still on */
    rtc_redirect_end(&r, out, sizeof out);
    cr_assert_str_eq(out, "direct");
    RtValue e = rt_capture_stderr_stop();
    cr_assert(RTC_STR_EQ(e, "err+more"));
    rt_free(o);
    rt_free(e);
}

RTC_TEST(capture, captured_text_does_not_reach_the_descriptors)
{
    char out[64], err[64];
    rtc_redirect r, e;
    rtc_redirect_begin(&r, 1);
    rtc_redirect_begin(&e, 2);
    rt_capture_stdout_start();
    rt_capture_stderr_start();
    rt_println_str(S("hidden"));
    rt_eprintln_value(rt_value_int(7));
    RtValue o = rt_capture_stdout_stop(), x = rt_capture_stderr_stop();
    rt_print_str(S("shown"));
    size_t ne = rtc_redirect_end(&e, err, sizeof err);
    rtc_redirect_end(&r, out, sizeof out);
    cr_assert_str_eq(out, "shown");
    cr_assert_eq(ne, 0);
    cr_assert(RTC_STR_EQ(o, "hidden\n") && RTC_STR_EQ(x, "7\n"));
    rt_free(o);
    rt_free(x);
}

RTC_TEST(capture, large_and_repeated_captures)
{
    static uint8_t block[100000];
    for (size_t i = 0; i < sizeof block; i++)
        block[i] = (uint8_t)('a' + i % 26);
    rt_capture_stdout_start();
    for (int i = 0; i < 20; i++)
        rt_print_str(block, sizeof block);
    RtValue s = rt_capture_stdout_stop();
    cr_assert_eq(rt_string_len(s), 20 * (int64_t)sizeof block);
    cr_assert_eq(memcmp(rt_string_data(s) + 19 * sizeof block, block, sizeof block), 0);
    rt_free(s);
    for (int i = 0; i < 1000; i++) {
        rt_capture_stderr_start();
        rt_eprint_value(rt_value_int(i));
        s = rt_capture_stderr_stop();
        char want[16];
        int n = snprintf(want, sizeof want, "%d", i);
        cr_assert(rtc_str_eq(s, want, (size_t)n));
        rt_free(s);
    }
}

static void *exit_while_capturing(void *arg)
{
    (void)arg;
    rt_capture_stdout_start();
    rt_capture_stderr_start();
    static uint8_t block[5000];
    rt_print_str(block, sizeof block);
    rt_eprint_str(block, sizeof block);
    return NULL;   /* no stop: the thread-exit destructor frees the buffers */
}

RTC_TEST(capture, thread_exit_releases_the_buffers)
{
    for (int i = 0; i < 4; i++) {
        pthread_t t;
        pthread_create(&t, NULL, exit_while_capturing, NULL);
        pthread_join(t, NULL);
    }
    /* The leak checks of RTC_TEST (and Valgrind) would report the buffers. */
}

#ifdef RTX_TESTING
#include "runtime/mem.h"

/* Text beyond the limit (1 GiB, lowered here) is dropped. */
RTC_TEST(capture, text_beyond_the_limit_is_dropped)
{
    rtx_print_set_capture_limit(10);
    rt_capture_stdout_start();
    rt_print_str(S("123456"));
    rt_println_str(S("7890ab"));
    rt_print_str(S("more"));
    RtValue s = rt_capture_stdout_stop();
    rtx_print_set_capture_limit(0);
    cr_assert(RTC_STR_EQ(s, "1234567890"));
    rt_free(s);
}

/* Stop always ends the capture, even when its string cannot be made. */
RTC_TEST(capture, stop_out_of_memory_is_nil_and_stops)
{
    char out[32];
    rt_capture_stdout_start();
    rt_print_str(S("lost"));
    rtx_mem_fail_at(1, 1);
    RtValue s = rt_capture_stdout_stop();
    rtx_mem_fail_at(0, 0);
    cr_assert_eq(s, RT_NIL);
    rtc_redirect r;
    rtc_redirect_begin(&r, 1);
    rt_print_str(S("after"));
    rtc_redirect_end(&r, out, sizeof out);
    cr_assert_str_eq(out, "after", "capture ended");
}

/* A buffer that cannot grow drops the text, keeps what it had. */
RTC_TEST(capture, growth_out_of_memory_drops_text)
{
    static uint8_t block[1000];
    memset(block, 'x', sizeof block);
    rt_capture_stderr_start();
    rt_eprint_str(S("kept"));
    rtx_mem_fail_at(1, 1);
    rt_eprint_str(block, sizeof block);
    rtx_mem_fail_at(0, 0);
    rt_eprint_str(S("!"));
    RtValue s = rt_capture_stderr_stop();
    cr_assert(RTC_STR_EQ(s, "kept!"));
    rt_free(s);
}
#endif
