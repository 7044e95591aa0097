/*
 * fuzz/targets/print.c — the print family (spec/ffi/print.sdn): printing
 * every kind of value and byte string, capture start/stop in any order,
 * and line input from fuzz-controlled stdin contents.
 *
 * Both captures are on for the whole input (and switched back on right
 * after every stop operation), so fuzzing never floods the terminal; the
 * capture buffers are emptied every few dozen operations to keep memory
 * bounded. fd 0 is an empty file at the start of each input and the
 * feed_stdin operation replaces it with fuzz bytes; the original fd 0 comes
 * back at the end of the input (AFL++ may read inputs from it).
 *
 * Oracles: a captured print gives back exactly the bytes printed (plus the
 * newline); an int prints as printf's %lld; a float's text has no exponent
 * and reads back (strtod) as the inline value; a string's display is its
 * bytes when they are UTF-8 and valid UTF-8 otherwise.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz/rtz.h"
#include "rtz_print.h"
#include "rtz_value.h"
#include "runtime/utf8.h"

static unsigned ops_since_drain;

/* Stop and restart both captures: the text so far is dropped. */
static void drain(void)
{
    rt_free(rt_capture_stdout_stop());
    rt_free(rt_capture_stderr_stop());
    rt_capture_stdout_start();
    rt_capture_stderr_start();
    ops_since_drain = 0;
}

static void op_stdout_stop(rtz *z)
{
    rtz_adopt(z, rt_capture_stdout_stop());
    rt_capture_stdout_start();
}

static void op_stderr_stop(rtz *z)
{
    rtz_adopt(z, rt_capture_stderr_stop());
    rt_capture_stderr_start();
}

static void op_feed_stdin(rtz *z)
{
    uint64_t n;
    const uint8_t *b = rtz_buf_in(z, &n);
    int fd = memfd_create("rtz-stdin", MFD_CLOEXEC);
    if (fd < 0)
        return;
    if (b && n && write(fd, b, (size_t)n) < 0)
        n = 0;
    lseek(fd, 0, SEEK_SET);
    dup2(fd, 0);
    close(fd);
    __fpurge(stdin);
    clearerr(stdin);
}

/* What fn printed for the arguments, through a fresh stdout/stderr capture. */
static RtValue captured_str(void (*fn)(const uint8_t *, uint64_t), int err, const uint8_t *p,
                            uint64_t n)
{
    if (err)
        rt_capture_stderr_start();
    else
        rt_capture_stdout_start();
    fn(p, n);
    return err ? rt_capture_stderr_stop() : rt_capture_stdout_stop();
}

static RtValue captured_value(void (*fn)(RtValue), RtValue v)
{
    rt_capture_stdout_start();
    fn(v);
    return rt_capture_stdout_stop();
}

static void prop_str_round_trip(rtz *z)
{
    uint64_t n;
    const uint8_t *b = rtz_buf_in(z, &n);
    void (*const fns[4])(const uint8_t *, uint64_t) = {rt_print_str, rt_println_str,
                                                       rt_eprint_str, rt_eprintln_str};
    int which = rtz_u8(z) % 4, ln = which & 1;
    RtValue s = captured_str(fns[which], which >= 2, b, n);
    uint64_t want = (b ? n : 0) + (uint64_t)ln;
    RTZ_CHECK(rt_string_len(s) == (int64_t)want);
    if (b && n)
        RTZ_CHECK(memcmp(rt_string_data(s), b, (size_t)n) == 0);
    if (ln)
        RTZ_CHECK(rt_string_data(s)[want - 1] == '\n');
    rt_free(s);
    rt_capture_stdout_start();   /* the helper stopped it */
    rt_capture_stderr_start();
}

static void prop_int_display(rtz *z)
{
    int64_t x = rtz_i64(z);
    RtValue v = rt_value_int(x);
    if (v == RT_NIL)
        return;   /* out of memory for a box */
    RtValue s = captured_value(rt_print_value, v);
    char want[32];
    int n = snprintf(want, sizeof want, "%" PRId64, x);
    RTZ_CHECK(rt_string_len(s) == n && memcmp(rt_string_data(s), want, (size_t)n) == 0);
    rt_free(s);
    rt_free(v);
    rt_capture_stdout_start();
}

static void prop_float_display(rtz *z)
{
    double d = rtz_f64(z);
    RtValue v = rt_value_float(d);
    double inl = rt_value_as_float(v);
    RtValue s = captured_value(rt_println_value, v);
    int64_t n = rt_string_len(s);
    RTZ_CHECK(n >= 2 && n < 400);
    char text[400];
    memcpy(text, rt_string_data(s), (size_t)n - 1);
    text[n - 1] = 0;
    RTZ_CHECK(strpbrk(text, "eE") == NULL);
    if (isnan(inl)) {
        RTZ_CHECK(strcmp(text, "NaN") == 0);
    } else {
        double back = strtod(text, NULL);
        RTZ_CHECK(memcmp(&back, &inl, sizeof back) == 0);
    }
    rt_free(s);
    rt_capture_stdout_start();
}

static void prop_string_display(rtz *z)
{
    RtValue v = rtz_rv_of(z, RT_HEAP_STRING);
    int64_t n = rt_string_len(v);
    if (n < 0)
        return;
    RtValue s = captured_value(rt_print_value, v);
    const uint8_t *in = rt_string_data(v), *out = rt_string_data(s);
    int64_t m = rt_string_len(s);
    RTZ_CHECK(m >= 0 && rtx_utf8_valid(out, (size_t)m));
    if (rtx_utf8_valid(in, (size_t)n))
        RTZ_CHECK(m == n && memcmp(in, out, (size_t)n) == 0);
    rt_free(s);
    rt_capture_stdout_start();
}

static const rtz_op ops[] = {
    RTZ_OP(rt_print_str), RTZ_OP(rt_println_str), RTZ_OP(rt_eprint_str),
    RTZ_OP(rt_eprintln_str), RTZ_OP(rt_print_value), RTZ_OP(rt_println_value),
    RTZ_OP(rt_eprint_value), RTZ_OP(rt_eprintln_value), RTZ_OP(rt_capture_stdout_start),
    RTZ_OP(rt_capture_stderr_start), RTZ_OP(rt_read_stdin_line), RTZ_OP(rt_read_stdin_line),
    RTZ_OP(rt_string_new), RTZ_OP(rt_array_new), RTZ_OP(rt_free),
    {"capture_stdout_stop", op_stdout_stop},
    {"capture_stderr_stop", op_stderr_stop},
    {"feed_stdin", op_feed_stdin},
    {"prop_str_round_trip", prop_str_round_trip},
    {"prop_int_display", prop_int_display},
    {"prop_float_display", prop_float_display},
    {"prop_string_display", prop_string_display},
};

static void check(rtz *z)
{
    (void)z;
    if (++ops_since_drain >= 64)
        drain();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int saved0 = dup(0);
    int empty = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (empty >= 0) {
        dup2(empty, 0);
        close(empty);
    }
    __fpurge(stdin);
    clearerr(stdin);
    rt_capture_stdout_start();
    rt_capture_stderr_start();
    ops_since_drain = 0;
    rtz_run_ops(data, size, ops, sizeof ops / sizeof ops[0], check);
    rt_free(rt_capture_stdout_stop());
    rt_free(rt_capture_stderr_stop());
    if (saved0 >= 0) {
        dup2(saved0, 0);
        close(saved0);
    }
    __fpurge(stdin);
    clearerr(stdin);
    return 0;
}
