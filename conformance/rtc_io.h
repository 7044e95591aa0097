/*
 * conformance/rtc_io.h — helpers for suites that check what reaches a file
 * descriptor: redirect fd 1 or fd 2 into a temporary file and read it back,
 * feed fd 0 from given bytes, and run a function in a forked child whose
 * stderr is collected (for functions that abort by contract).
 *
 * Each Criterion test runs in its own process, so redirecting a standard
 * descriptor inside a test affects that test only.
 */
#ifndef RTC_IO_H
#define RTC_IO_H

#include <signal.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "simplert.h"

typedef struct rtc_redirect {
    int fd, saved;
    FILE *tmp;
} rtc_redirect;

/* From now on, what is written to fd goes into a temporary file. */
static inline void rtc_redirect_begin(rtc_redirect *r, int fd)
{
    fflush(stdout);
    fflush(stderr);
    r->fd = fd;
    r->tmp = tmpfile();
    r->saved = dup(fd);
    if (r->tmp == NULL || r->saved < 0 || dup2(fileno(r->tmp), fd) < 0)
        abort();
}

/* Restore fd and copy what was written into buf (NUL-terminated, at most
 * cap - 1 bytes); returns the number of bytes written to fd. */
static inline size_t rtc_redirect_end(rtc_redirect *r, char *buf, size_t cap)
{
    fflush(stdout);
    fflush(stderr);
    if (dup2(r->saved, r->fd) < 0)
        abort();
    close(r->saved);
    fseek(r->tmp, 0, SEEK_END);
    long total = ftell(r->tmp);
    rewind(r->tmp);
    size_t n = cap ? fread(buf, 1, cap - 1, r->tmp) : 0;
    if (cap)
        buf[n] = 0;
    fclose(r->tmp);
    return total > 0 ? (size_t)total : 0;
}

/* Make fd 0 (and stdin) read the bytes data[0..n); returns the saved fd 0
 * for rtc_stdin_restore. */
static inline int rtc_stdin_from(const void *data, size_t n)
{
    FILE *t = tmpfile();
    if (t == NULL || (n && fwrite(data, 1, n, t) != n) || fflush(t) != 0)
        abort();
    rewind(t);
    int saved = dup(0);
    if (saved < 0 || dup2(fileno(t), 0) < 0)
        abort();
    fclose(t);          /* fd 0 keeps the file open */
    __fpurge(stdin);    /* drop anything stdio buffered from the old fd 0 */
    clearerr(stdin);
    return saved;
}

static inline void rtc_stdin_restore(int saved)
{
    __fpurge(stdin);
    if (dup2(saved, 0) < 0)
        abort();
    close(saved);
    clearerr(stdin);
}

/* Run fn(arg) in a forked child with its stderr on a pipe. Returns the
 * child's wait status; what it wrote to stderr is in buf (NUL-terminated). */
static inline int rtc_child_stderr(void (*fn)(void *), void *arg, char *buf, size_t cap)
{
    int p[2];
    if (pipe(p) != 0)
        abort();
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0)
        abort();
    if (pid == 0) {
        close(p[0]);
        dup2(p[1], 2);
        close(p[1]);
        fn(arg);
        _exit(0);
    }
    close(p[1]);
    size_t n = 0;
    ssize_t r;
    while (n < cap - 1 && (r = read(p[0], buf + n, cap - 1 - n)) > 0)
        n += (size_t)r;
    buf[n] = 0;
    /* Drain anything beyond cap so the child never blocks on a full pipe. */
    char sink[4096];
    while (read(p[0], sink, sizeof sink) > 0)
        ;
    close(p[0]);
    int st = 0;
    while (waitpid(pid, &st, 0) < 0)
        ;
    return st;
}

/* 1 when s is a live string holding exactly want[0..n). */
static inline int rtc_str_eq(RtValue s, const void *want, size_t n)
{
    return rt_string_len(s) == (int64_t)n && (n == 0 || memcmp(rt_string_data(s), want, n) == 0);
}
#define RTC_STR_EQ(s, lit) rtc_str_eq((s), (lit), sizeof(lit) - 1)

#endif /* RTC_IO_H */
