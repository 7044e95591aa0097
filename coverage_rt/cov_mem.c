/*
 * coverage_rt/cov_mem.c — coverage_rt's own allocation wrappers (it must not
 * depend on runtime/, so that the runtime can be instrumented with it) and
 * the two output sinks: a growing memory buffer (rt_coverage_dump_sdn) and a
 * write(2) stream (the exit and crash writers).
 *
 * Testing builds (-DRTX_TESTING) can fail the Nth allocation, as
 * runtime/mem.c does, so OOM paths are exercised.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "coverage_rt/cov_internal.h"

#ifdef RTX_TESTING
static _Atomic uint64_t fail_at, attempts;
static _Atomic int fail_sticky;

void rtx_cov_mem_fail_at(uint64_t n, int sticky)
{
    atomic_store(&attempts, 0);
    atomic_store(&fail_sticky, sticky);
    atomic_store(&fail_at, n);
}

static int should_fail(void)
{
    uint64_t target = atomic_load_explicit(&fail_at, memory_order_relaxed);
    if (target == 0)
        return 0;
    uint64_t k = atomic_fetch_add(&attempts, 1) + 1;
    return k == target || (k > target && atomic_load(&fail_sticky));
}
#define INJECT_FAIL() should_fail()
#else
#define INJECT_FAIL() 0
#endif

void *rtx_cov_malloc(size_t n)
{
    if (INJECT_FAIL())
        return NULL;
    return malloc(n ? n : 1);
}

void *rtx_cov_calloc(size_t n, size_t size)
{
    if (INJECT_FAIL())
        return NULL;
    return calloc(n ? n : 1, size ? size : 1);
}

void *rtx_cov_realloc(void *p, size_t n)
{
    if (INJECT_FAIL())
        return NULL;
    return realloc(p, n ? n : 1);
}

void *rtx_cov_calloc_lines(size_t bytes)
{
    if (INJECT_FAIL())
        return NULL;
    size_t n = (bytes + 63) & ~(size_t)63;
    void *p = NULL;
    if (n < bytes || posix_memalign(&p, 64, n ? n : 64) != 0)
        return NULL;
    memset(p, 0, n ? n : 64);
    return p;
}

void rtx_cov_free(void *p) { free(p); }

/* ---- sinks ---- */

static int fd_flush(rtx_cov_sink *s, size_t need)
{
    (void)need;
    size_t off = 0;
    while (off < s->len) {
        ssize_t w = write(s->fd, s->buf + off, s->len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        off += (size_t)w;
    }
    s->len = 0;
    return 0;
}

void rtx_cov_sink_fd_init(rtx_cov_sink *s, int fd, char *buf, size_t cap)
{
    *s = (rtx_cov_sink){.buf = buf, .cap = cap, .flush = fd_flush, .fd = fd};
}

int rtx_cov_sink_fd_end(rtx_cov_sink *s)
{
    if (!s->failed && s->len && fd_flush(s, 0) != 0)
        s->failed = 1;
    return s->failed ? -1 : 0;
}

/* Grows by doubling; one byte is always kept free for the NUL. */
static int mem_flush(rtx_cov_sink *s, size_t need)
{
    size_t cap = s->buf ? s->cap + 1 : 4096;
    while (cap < s->len + need + 1) {
        if (cap > SIZE_MAX / 2)
            return -1;
        cap *= 2;
    }
    char *b = rtx_cov_realloc(s->buf, cap);
    if (b == NULL)
        return -1;
    s->buf = b;
    s->cap = cap - 1;
    return 0;
}

int rtx_cov_sink_mem_init(rtx_cov_sink *s)
{
    *s = (rtx_cov_sink){.flush = mem_flush, .fd = -1};
    if (mem_flush(s, 16384) != 0) {
        s->failed = 1;
        return -1;
    }
    return 0;
}

char *rtx_cov_sink_mem_end(rtx_cov_sink *s, size_t *len)
{
    if (s->failed || s->buf == NULL) {
        rtx_cov_free(s->buf);
        s->buf = NULL;
        return NULL;
    }
    s->buf[s->len] = 0;   /* cap excludes the byte kept for this */
    if (len)
        *len = s->len;
    char *b = s->buf;
    s->buf = NULL;
    return b;
}
