/*
 * runtime/print.h — internals of the print family shared with the
 * families that report errors (errors, aop): capture-aware output, the
 * display form of values, and Rust's f64 Display.
 */
#ifndef RTX_PRINT_H
#define RTX_PRINT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "simplert/core.h"

enum { RTX_OUT = 0, RTX_ERR = 1 };   /* the two streams print knows */

/* Write a then b (either may be empty) to the stream: into this thread's
 * capture of it when one is on, else to fd 1 or 2 in one writev after
 * flushing the stdio FILE (so earlier printf output stays first). Write
 * errors, EPIPE included, are ignored, and no SIGPIPE is delivered. */
void rtx_print_emit(int stream, const void *a, size_t an, const void *b, size_t bn);

/* Write iov[0..cnt) (cnt <= RTX_IOV_MAX; iov is consumed) straight to
 * fd 2 in one writev, never into a capture: a contract failure is about to
 * abort the process, and a capture buffer would be lost with it. */
#define RTX_IOV_MAX 8
void rtx_print_raw_stderr(struct iovec *iov, int cnt);

/* A growable byte buffer; `failed` records an allocation that failed
 * (the text is then incomplete and callers drop it). */
typedef struct rtx_text {
    uint8_t *p;
    size_t len, cap;
    int failed;
} rtx_text;
void rtx_text_put(rtx_text *t, const void *p, size_t n);
void rtx_text_free(rtx_text *t);
/* Append p[0..n) with every invalid UTF-8 subpart replaced by U+FFFD
 * (String::from_utf8_lossy). */
void rtx_text_put_lossy(rtx_text *t, const uint8_t *p, size_t n);

/* The display form of v (see spec/ffi/print.sdn notes) appended to t.
 * A live string is returned through *direct / *direct_len instead when it
 * is valid UTF-8, so printing it needs no copy; otherwise *direct is NULL. */
void rtx_display(rtx_text *t, RtValue v, const uint8_t **direct, size_t *direct_len);

/* Rust's `format!("{}", d)` for an f64: shortest round-trip digits, never
 * an exponent. Writes at most RTX_F64_BUF bytes (no NUL); returns the length. */
#define RTX_F64_BUF 400
size_t rtx_fmt_f64(double d, char *out);

#ifdef RTX_TESTING
/* Lower the capture size limit (default 1 GiB) so tests can reach it;
 * 0 restores the default. */
void rtx_print_set_capture_limit(size_t bytes);
/* Lower the rt_read_stdin_line limit (default 16 MiB); 0 restores it. */
void rtx_print_set_line_limit(size_t bytes);
#endif

#endif /* RTX_PRINT_H */
