/* Conformance: rt_print_str, rt_println_str, rt_eprint_str, rt_eprintln_str
 * (spec/ffi/print.sdn), captured and written to the real descriptors. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>

#include "conformance/rtc.h"
#include "conformance/rtc_io.h"

#define S(lit) (const uint8_t *)(lit), (sizeof(lit) - 1)

static RtValue out_of(void (*fn)(const uint8_t *, uint64_t), int err, const uint8_t *p,
                      uint64_t n)
{
    if (err)
        rt_capture_stderr_start();
    else
        rt_capture_stdout_start();
    fn(p, n);
    return err ? rt_capture_stderr_stop() : rt_capture_stdout_stop();
}

/* The upstream io_print.rs tests, one by one. */
RTC_TEST(print_str, upstream_capture_cases)
{
    RtValue s = out_of(rt_print_str, 0, S("Hello, world!"));
    cr_assert(RTC_STR_EQ(s, "Hello, world!"));
    rt_free(s);
    s = out_of(rt_println_str, 0, S("Hello"));
    cr_assert(RTC_STR_EQ(s, "Hello\n"));
    rt_free(s);
    s = out_of(rt_eprint_str, 1, S("Error message"));
    cr_assert(RTC_STR_EQ(s, "Error message"));
    rt_free(s);
    s = out_of(rt_eprintln_str, 1, S("Error"));
    cr_assert(RTC_STR_EQ(s, "Error\n"));
    rt_free(s);
    s = out_of(rt_print_str, 0, NULL, 0);
    cr_assert(RTC_STR_EQ(s, ""), "NULL prints nothing");
    rt_free(s);
}

RTC_TEST(print_str, null_pointer_prints_only_the_newline)
{
    static const uint64_t lens[] = {0, 1, 5, 4096, UINT64_MAX};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        RtValue a = out_of(rt_print_str, 0, NULL, lens[i]);
        RtValue b = out_of(rt_println_str, 0, NULL, lens[i]);
        RtValue c = out_of(rt_eprint_str, 1, NULL, lens[i]);
        RtValue d = out_of(rt_eprintln_str, 1, NULL, lens[i]);
        cr_assert(RTC_STR_EQ(a, "") && RTC_STR_EQ(c, ""), "len %" PRIu64, lens[i]);
        cr_assert(RTC_STR_EQ(b, "\n") && RTC_STR_EQ(d, "\n"), "len %" PRIu64, lens[i]);
        rt_free(a);
        rt_free(b);
        rt_free(c);
        rt_free(d);
    }
}

RTC_TEST(print_str, bytes_are_written_as_given)
{
    /* NUL and invalid UTF-8 are not touched by the _str functions. */
    static const uint8_t raw[] = {'a', 0, 'b', 0xFF, 0xFE, 0xC0, 0x80, '\r'};
    RtValue s = out_of(rt_print_str, 0, raw, sizeof raw);
    cr_assert(rtc_str_eq(s, raw, sizeof raw));
    rt_free(s);
    s = out_of(rt_eprintln_str, 1, raw, sizeof raw);
    cr_assert_eq(rt_string_len(s), (int64_t)sizeof raw + 1);
    cr_assert_eq(memcmp(rt_string_data(s), raw, sizeof raw), 0);
    cr_assert_eq(rt_string_data(s)[sizeof raw], '\n');
    rt_free(s);
    s = out_of(rt_println_str, 0, raw, 0);
    cr_assert(RTC_STR_EQ(s, "\n"), "len 0 prints nothing but the newline");
    rt_free(s);
}

RTC_TEST(print_str, stdout_gets_the_bytes_flushed_and_in_order)
{
    char buf[256], err[64];
    rtc_redirect r, e;
    rtc_redirect_begin(&r, 1);
    rtc_redirect_begin(&e, 2);
    printf("[");   /* buffered in stdio: print must flush it first */
    rt_print_str(S("ab"));
    rt_println_str(S("cd"));
    rt_println_str(NULL, 3);
    static const uint8_t raw[] = {0xFF, 0, 'z'};
    rt_print_str(raw, sizeof raw);
    printf("]");
    size_t ne = rtc_redirect_end(&e, err, sizeof err);
    size_t n = rtc_redirect_end(&r, buf, sizeof buf);
    cr_assert_eq(n, 11);
    cr_assert_eq(memcmp(buf, "[abcd\n\n\xFF\0z]", 11), 0);
    cr_assert_eq(ne, 0, "nothing went to stderr");
}

RTC_TEST(print_str, stderr_gets_the_bytes)
{
    char buf[256], out[64];
    rtc_redirect r, o;
    rtc_redirect_begin(&o, 1);
    rtc_redirect_begin(&r, 2);
    fprintf(stderr, "<");
    rt_eprint_str(S("warn"));
    rt_eprintln_str(S(": x"));
    rt_eprintln_str(NULL, 0);
    size_t n = rtc_redirect_end(&r, buf, sizeof buf);
    size_t no = rtc_redirect_end(&o, out, sizeof out);
    cr_assert_eq(n, 10);
    cr_assert_str_eq(buf, "<warn: x\n\n");
    cr_assert_eq(no, 0, "nothing went to stdout");
}

static int sigpipe_pending_or_blocked(void)
{
    sigset_t pend, mask;
    sigpending(&pend);
    pthread_sigmask(SIG_BLOCK, NULL, &mask);
    return sigismember(&pend, SIGPIPE) == 1 || sigismember(&mask, SIGPIPE) == 1;
}

/* A reader that went away must not kill the process (SIGPIPE's default)
 * nor leave SIGPIPE pending or blocked afterwards. */
RTC_TEST(print_str, broken_pipe_is_ignored)
{
    for (int fd = 1; fd <= 2; fd++) {
        int p[2];
        cr_assert_eq(pipe(p), 0);
        close(p[0]);
        fflush(NULL);
        int saved = dup(fd);
        dup2(p[1], fd);
        close(p[1]);
        if (fd == 1) {
            rt_print_str(S("lost"));
            rt_println_str(S("lost"));
        } else {
            rt_eprint_str(S("lost"));
            rt_eprintln_str(S("lost"));
        }
        dup2(saved, fd);
        close(saved);
        clearerr(stdout);
        clearerr(stderr);
        cr_assert_not(sigpipe_pending_or_blocked(), "fd %d", fd);
    }
}

/* A SIGPIPE that was pending before the call belongs to someone else. */
RTC_TEST(print_str, foreign_pending_sigpipe_is_kept)
{
    sigset_t set, old, pend;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, &old);
    raise(SIGPIPE);
    int p[2];
    cr_assert_eq(pipe(p), 0);
    close(p[0]);
    int saved = dup(1);
    dup2(p[1], 1);
    close(p[1]);
    rt_println_str(S("lost"));
    dup2(saved, 1);
    close(saved);
    sigpending(&pend);
    cr_assert(sigismember(&pend, SIGPIPE), "the earlier SIGPIPE is still pending");
    const struct timespec zero = {0, 0};
    cr_assert_eq(sigtimedwait(&set, NULL, &zero), SIGPIPE);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

RTC_TEST(print_str, closed_descriptor_is_ignored)
{
    fflush(NULL);
    int saved = dup(1);
    close(1);
    rt_println_str(S("nowhere"));
    rt_print_value(rt_value_int(1));
    dup2(saved, 1);
    close(saved);
    clearerr(stdout);
    RtValue s = out_of(rt_print_str, 0, S("still works"));
    cr_assert(RTC_STR_EQ(s, "still works"));
    rt_free(s);
}

/* ---- threads ---- */

#define NTHREADS 8
#define NLINES 200

static void *line_writer(void *arg)
{
    int id = (int)(intptr_t)arg;
    char line[128];
    for (int i = 0; i < NLINES; i++) {
        int n = snprintf(line, sizeof line, "thread-%d-line-%03d-%s", id, i,
                         "abcdefghijklmnopqrstuvwxyz0123456789");
        if (id & 1)
            rt_println_str((const uint8_t *)line, (uint64_t)n);
        else
            rt_eprintln_str((const uint8_t *)line, (uint64_t)n);
    }
    return NULL;
}

/* Text and newline of one call go out in one write: lines never mix. */
RTC_TEST(print_str, concurrent_lines_stay_whole)
{
    static char out[NTHREADS * NLINES * 80], err[NTHREADS * NLINES * 80];
    rtc_redirect r, e;
    rtc_redirect_begin(&r, 1);
    rtc_redirect_begin(&e, 2);
    pthread_t t[NTHREADS];
    for (int i = 0; i < NTHREADS; i++)
        pthread_create(&t[i], NULL, line_writer, (void *)(intptr_t)i);
    for (int i = 0; i < NTHREADS; i++)
        pthread_join(t[i], NULL);
    rtc_redirect_end(&e, err, sizeof err);
    rtc_redirect_end(&r, out, sizeof out);
    int seen[NTHREADS] = {0};
    for (int which = 0; which < 2; which++) {
        char *save = NULL;
        for (char *l = strtok_r(which ? err : out, "\n", &save); l;
             l = strtok_r(NULL, "\n", &save)) {
            int id, i;
            char tail[64];
            cr_assert_eq(sscanf(l, "thread-%d-line-%d-%63s", &id, &i, tail), 3, "bad line '%s'", l);
            cr_assert(id >= 0 && id < NTHREADS && (id & 1) == !which, "line '%s'", l);
            cr_assert_str_eq(tail, "abcdefghijklmnopqrstuvwxyz0123456789");
            cr_assert_eq(i, seen[id], "thread %d's lines in order", id);
            seen[id]++;
        }
    }
    for (int i = 0; i < NTHREADS; i++)
        cr_assert_eq(seen[i], NLINES, "thread %d", i);
}

static void *private_capture(void *arg)
{
    int id = (int)(intptr_t)arg;
    char want[64];
    int ok = 1;
    for (int round = 0; round < 50; round++) {
        int n = snprintf(want, sizeof want, "t%d r%d", id, round);
        rt_capture_stdout_start();
        rt_capture_stderr_start();
        rt_print_str((const uint8_t *)want, (uint64_t)n);
        rt_eprint_value(rt_value_int(id));
        RtValue o = rt_capture_stdout_stop(), e = rt_capture_stderr_stop();
        char ide[16];
        int ne = snprintf(ide, sizeof ide, "%d", id);
        ok &= rtc_str_eq(o, want, (size_t)n) && rtc_str_eq(e, ide, (size_t)ne);
        rt_free(o);
        rt_free(e);
    }
    return (void *)(intptr_t)ok;
}

/* Capture is per thread: no thread sees another's text. */
RTC_TEST(print_str, capture_is_per_thread)
{
    rt_capture_stdout_start();
    rt_print_str(S("main"));
    pthread_t t[NTHREADS];
    for (int i = 0; i < NTHREADS; i++)
        pthread_create(&t[i], NULL, private_capture, (void *)(intptr_t)i);
    for (int i = 0; i < NTHREADS; i++) {
        void *ok;
        pthread_join(t[i], &ok);
        cr_assert(ok, "thread %d saw foreign text", i);
    }
    RtValue s = rt_capture_stdout_stop();
    cr_assert(RTC_STR_EQ(s, "main"));
    rt_free(s);
}
