/*
 * runtime/print.c — printing, per-thread output capture, line input.
 *
 * Implements (spec/ffi/print.sdn): rt_print_str, rt_println_str,
 * rt_eprint_str, rt_eprintln_str, rt_print_value, rt_println_value,
 * rt_eprint_value, rt_eprintln_value, rt_capture_stdout_start,
 * rt_capture_stdout_stop, rt_capture_stderr_start, rt_capture_stderr_stop,
 * rt_read_stdin_line. The display form lives in print_display.c and
 * print_float.c.
 *
 * Output goes to fd 1 / fd 2 with one writev per call (text and newline
 * together, so lines of different threads do not interleave inside a
 * call), after flushing the matching stdio FILE under its lock, so output
 * is flushed and ordered with the caller's own printf. SIGPIPE is blocked
 * around the write and a SIGPIPE the write raised is consumed: a closed
 * pipe is a write error, and write errors are ignored (as Rust, which
 * ignores SIGPIPE, does).
 *
 * Capture is per thread, as upstream's thread_local buffers: while a
 * stream's capture is on, what this thread prints to that stream is
 * appended to the buffer instead. A thread that exits with a capture on
 * frees its buffer through a pthread key destructor.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "runtime/mem.h"
#include "runtime/print.h"
#include "simplert/print.h"
#include "simplert/value.h"

#define CAPTURE_LIMIT (UINT64_C(1) << 30)    /* 1 GiB per capture buffer */
#define STDIN_LINE_LIMIT (UINT64_C(16) << 20) /* 16 MiB per returned line */
#define WRITE_CHUNK ((size_t)1 << 30)         /* keeps one writev below SSIZE_MAX */

typedef struct capture {
    int on;
    uint8_t *buf;
    size_t len, cap;
} capture;

typedef struct print_tls {
    capture cap[2];   /* [RTX_OUT], [RTX_ERR] */
} print_tls;

static _Thread_local print_tls tls;
static pthread_key_t exit_key;
static int exit_key_ok;
static pthread_once_t exit_key_once = PTHREAD_ONCE_INIT;
static size_t capture_limit = CAPTURE_LIMIT;
static size_t line_limit = STDIN_LINE_LIMIT;

static void text_out(int stream, const uint8_t *ptr, uint64_t len, int newline);
static void value_out(int stream, RtValue v, int newline);
static void capture_start(int stream);
static RtValue capture_stop(int stream);
static int capture_put(int stream, const void *p, size_t n);
static void write_all(int fd, struct iovec *iov, int cnt);

RT_API void rt_print_str(const uint8_t *ptr, uint64_t len) { text_out(RTX_OUT, ptr, len, 0); }
RT_API void rt_println_str(const uint8_t *ptr, uint64_t len) { text_out(RTX_OUT, ptr, len, 1); }
RT_API void rt_eprint_str(const uint8_t *ptr, uint64_t len) { text_out(RTX_ERR, ptr, len, 0); }
RT_API void rt_eprintln_str(const uint8_t *ptr, uint64_t len) { text_out(RTX_ERR, ptr, len, 1); }

RT_API void rt_print_value(RtValue value) { value_out(RTX_OUT, value, 0); }
RT_API void rt_println_value(RtValue value) { value_out(RTX_OUT, value, 1); }
RT_API void rt_eprint_value(RtValue value) { value_out(RTX_ERR, value, 0); }
RT_API void rt_eprintln_value(RtValue value) { value_out(RTX_ERR, value, 1); }

RT_API void rt_capture_stdout_start(void) { capture_start(RTX_OUT); }
RT_API RtValue rt_capture_stdout_stop(void) { return capture_stop(RTX_OUT); }
RT_API void rt_capture_stderr_start(void) { capture_start(RTX_ERR); }
RT_API RtValue rt_capture_stderr_stop(void) { return capture_stop(RTX_ERR); }

RT_API RtValue rt_read_stdin_line(void)
{
    rtx_text line = {0};
    int c = EOF, got_newline = 0, error = 0;
    flockfile(stdin);
    /* Rust's stdin has no sticky end-of-file: a terminal user may type on
     * after ^D, so every call reads afresh. */
    clearerr_unlocked(stdin);
    while (line.len < line_limit && (c = getc_unlocked(stdin)) != EOF) {
        if (c == '\n') {
            got_newline = 1;
            break;
        }
        uint8_t b = (uint8_t)c;
        rtx_text_put(&line, &b, 1);
    }
    error = c == EOF && ferror_unlocked(stdin);
    funlockfile(stdin);
    RtValue out = RT_NIL;
    if (!error && !line.failed && (line.len > 0 || got_newline)) {
        size_t n = line.len;
        if (got_newline && n > 0 && line.p[n - 1] == '\r')
            n--;   /* \r\n ends a line too; a lone trailing \r at EOF stays */
        rtx_text clean = {0};
        rtx_text_put_lossy(&clean, line.p, n);
        if (!clean.failed)
            out = rt_string_new(clean.p ? clean.p : (const uint8_t *)"", clean.len);
        rtx_text_free(&clean);
    }
    rtx_text_free(&line);
    return out;
}

/* ---- internals shared with errors.c and aop.c (runtime/print.h) ---- */

void rtx_print_emit(int stream, const void *a, size_t an, const void *b, size_t bn)
{
    stream = stream == RTX_ERR ? RTX_ERR : RTX_OUT;
    if (a == NULL)
        an = 0;
    if (b == NULL)
        bn = 0;
    if (capture_put(stream, a, an)) {
        capture_put(stream, b, bn);
        return;
    }
    FILE *f = stream == RTX_ERR ? stderr : stdout;
    flockfile(f);
    fflush_unlocked(f);
    struct iovec iov[2];
    int cnt = 0;
    if (an)
        iov[cnt++] = (struct iovec){(void *)a, an};
    if (bn)
        iov[cnt++] = (struct iovec){(void *)b, bn};
    write_all(stream == RTX_ERR ? STDERR_FILENO : STDOUT_FILENO, iov, cnt);
    funlockfile(f);
}

void rtx_print_raw_stderr(struct iovec *iov, int cnt)
{
    flockfile(stderr);
    fflush_unlocked(stderr);
    write_all(STDERR_FILENO, iov, cnt);
    funlockfile(stderr);
}

#ifdef RTX_TESTING
void rtx_print_set_capture_limit(size_t bytes)
{
    capture_limit = bytes ? bytes : CAPTURE_LIMIT;
}

void rtx_print_set_line_limit(size_t bytes)
{
    line_limit = bytes ? bytes : STDIN_LINE_LIMIT;
}
#endif

/* ---- static helpers ---- */

static void text_out(int stream, const uint8_t *ptr, uint64_t len, int newline)
{
    if (ptr == NULL)
        len = 0;   /* NULL prints nothing, whatever len says */
    rtx_print_emit(stream, ptr, (size_t)len, "\n", newline ? 1 : 0);
}

static void value_out(int stream, RtValue v, int newline)
{
    rtx_text t = {0};
    const uint8_t *direct;
    size_t direct_len;
    rtx_display(&t, v, &direct, &direct_len);
    if (direct == NULL && !t.failed) {
        direct = t.p;
        direct_len = t.len;
    }
    /* Out of memory while building the text: only the newline is printed. */
    rtx_print_emit(stream, direct, direct ? direct_len : 0, "\n", newline ? 1 : 0);
    rtx_text_free(&t);
}

static void exit_destructor(void *p)
{
    print_tls *s = p;
    for (int i = 0; i < 2; i++) {
        rtx_free(s->cap[i].buf);
        s->cap[i] = (capture){0};
    }
}

static void exit_key_init(void)
{
    exit_key_ok = pthread_key_create(&exit_key, exit_destructor) == 0;
}

static void capture_start(int stream)
{
    capture *c = &tls.cap[stream];
    /* A second start discards what was captured so far (upstream). */
    rtx_free(c->buf);
    *c = (capture){.on = 1};
    pthread_once(&exit_key_once, exit_key_init);
    if (exit_key_ok && pthread_getspecific(exit_key) == NULL)
        (void)pthread_setspecific(exit_key, &tls);
}

static RtValue capture_stop(int stream)
{
    capture *c = &tls.cap[stream];
    RtValue s = rt_string_new(c->buf ? c->buf : (const uint8_t *)"", c->len);
    rtx_free(c->buf);
    *c = (capture){0};   /* stopped either way, even when the string failed */
    return s;
}

/* Append to this thread's capture of the stream; 0 when it is off. Text
 * beyond the size limit, or that memory cannot be found for, is dropped. */
static int capture_put(int stream, const void *p, size_t n)
{
    capture *c = &tls.cap[stream];
    if (!c->on)
        return 0;
    if (c->len >= capture_limit)
        return 1;
    if (n > capture_limit - c->len)
        n = capture_limit - c->len;
    if (n == 0)
        return 1;
    if (c->len + n > c->cap) {
        size_t cap = c->cap ? c->cap : 256;
        while (cap < c->len + n)
            cap = cap > capture_limit / 2 ? capture_limit : cap * 2;
        uint8_t *nb = rtx_realloc(c->buf, cap);
        if (nb == NULL)
            return 1;
        c->buf = nb;
        c->cap = cap;
    }
    memcpy(c->buf + c->len, p, n);
    c->len += n;
    return 1;
}

/* writev all of iov to fd; errors end the write silently. SIGPIPE is
 * blocked meanwhile and one the write raised is consumed, unless one was
 * already pending before (that one belongs to someone else). */
static void write_all(int fd, struct iovec *iov, int cnt)
{
    sigset_t pipe_set, old, pending;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    sigemptyset(&pending);
    sigpending(&pending);
    int was_pending = sigismember(&pending, SIGPIPE) == 1, broken = 0;
    while (cnt > 0) {
        struct iovec part[RTX_IOV_MAX];
        size_t budget = WRITE_CHUNK;
        int np = 0;
        for (int i = 0; i < cnt && i < RTX_IOV_MAX && budget > 0; i++) {
            size_t take = iov[i].iov_len < budget ? iov[i].iov_len : budget;
            part[np++] = (struct iovec){iov[i].iov_base, take};
            budget -= take;
        }
        ssize_t w = writev(fd, part, np);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            broken = errno == EPIPE;
            break;
        }
        size_t done = (size_t)w;
        while (cnt > 0 && done >= iov[0].iov_len) {
            done -= iov[0].iov_len;
            iov++;
            cnt--;
        }
        if (cnt > 0) {
            iov[0].iov_base = (char *)iov[0].iov_base + done;
            iov[0].iov_len -= done;
        }
    }
    if (broken && !was_pending) {
        const struct timespec zero = {0, 0};
        while (sigtimedwait(&pipe_set, NULL, &zero) < 0 && errno == EINTR)
            ;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}
