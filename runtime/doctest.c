/*
 * runtime/doctest.c — file-system queries for doctest discovery.
 *
 * Implements (spec/ffi/doctest.sdn): doctest_read_file, doctest_path_exists,
 * doctest_is_file, doctest_is_dir, doctest_path_has_extension,
 * doctest_path_contains. doctest_walk_directory is in doctest_walk.c.
 *
 * Every argument is an RtValue. Like upstream, a string argument counts only
 * when it is a live string whose bytes are valid UTF-8; anything else gets
 * the row's default (FALSE for the predicates, NIL for read_file). The
 * predicates follow symlinks (stat), as Rust's Path::exists/is_file/is_dir.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/doctest_priv.h"
#include "runtime/utf8.h"
#include "runtime/heap.h"
#include "runtime/layout.h"
#include "runtime/mem.h"
#include "simplert/doctest.h"
#include "simplert/value.h"

static int path_stat(RtValue path, struct stat *st);
static int read_all(int fd, uint64_t size_hint, uint64_t max, uint8_t **out, size_t *len);

RT_API RtValue doctest_read_file(RtValue path)
{
    size_t plen;
    const char *p = rtx_doctest_path(path, &plen);
    if (p == NULL)
        return RT_NIL;
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; the S_ISREG
     * check below then refuses it (and devices, which may never end). */
    int fd;
    do
        fd = open(p, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    while (fd < 0 && errno == EINTR);
    if (fd < 0)
        return RT_NIL;
    struct stat st;
    RtValue result = RT_NIL;
    uint8_t *buf = NULL;
    size_t len = 0;
    uint64_t max = rtx_doctest_limits_now()->read_max;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0 &&
        (uint64_t)st.st_size <= max && read_all(fd, (uint64_t)st.st_size, max, &buf, &len) == 0 &&
        rtx_utf8_valid(buf, len))
        result = rt_string_new(buf, len);
    rtx_free(buf);
    close(fd);
    return result;
}

RT_API RtValue doctest_path_exists(RtValue path)
{
    struct stat st;
    return path_stat(path, &st) == 0 ? RT_TRUE : RT_FALSE;
}

RT_API RtValue doctest_is_file(RtValue path)
{
    struct stat st;
    return path_stat(path, &st) == 0 && S_ISREG(st.st_mode) ? RT_TRUE : RT_FALSE;
}

RT_API RtValue doctest_is_dir(RtValue path)
{
    struct stat st;
    return path_stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? RT_TRUE : RT_FALSE;
}

RT_API RtValue doctest_path_has_extension(RtValue path, RtValue ext)
{
    size_t plen = 0, elen = 0;
    const uint8_t *p = rtx_doctest_text(path, &plen), *e = rtx_doctest_text(ext, &elen);
    if (p == NULL || e == NULL)
        return RT_FALSE;
    return elen <= plen && memcmp(p + plen - elen, e, elen) == 0 ? RT_TRUE : RT_FALSE;
}

RT_API RtValue doctest_path_contains(RtValue path, RtValue pattern)
{
    size_t plen = 0, nlen = 0;
    const uint8_t *p = rtx_doctest_text(path, &plen), *n = rtx_doctest_text(pattern, &nlen);
    if (p == NULL || n == NULL)
        return RT_FALSE;
    if (nlen == 0)
        return RT_TRUE;   /* Rust: every str contains "" */
    return memmem(p, plen, n, nlen) != NULL ? RT_TRUE : RT_FALSE;
}

/* ---- shared with doctest_walk.c ---- */

static const rtx_doctest_limits defaults = {RTX_DOCTEST_READ_MAX, RTX_DOCTEST_WALK_MAX_DEPTH,
                                            RTX_DOCTEST_WALK_MAX_RESULTS,
                                            RTX_DOCTEST_WALK_MAX_DIRS};

#ifdef RTX_TESTING
static rtx_doctest_limits testing_limits = {RTX_DOCTEST_READ_MAX, RTX_DOCTEST_WALK_MAX_DEPTH,
                                            RTX_DOCTEST_WALK_MAX_RESULTS,
                                            RTX_DOCTEST_WALK_MAX_DIRS};

const rtx_doctest_limits *rtx_doctest_limits_now(void) { return &testing_limits; }

void rtx_doctest_set_limits(const rtx_doctest_limits *l)
{
    testing_limits = defaults;
    if (l == NULL)
        return;
    if (l->read_max)
        testing_limits.read_max = l->read_max;
    if (l->walk_depth && l->walk_depth < RTX_DOCTEST_WALK_MAX_DEPTH)
        testing_limits.walk_depth = l->walk_depth;
    if (l->walk_results)
        testing_limits.walk_results = l->walk_results;
    if (l->walk_dirs)
        testing_limits.walk_dirs = l->walk_dirs;
}
#else
const rtx_doctest_limits *rtx_doctest_limits_now(void) { return &defaults; }
#endif

const uint8_t *rtx_doctest_text(RtValue v, size_t *len)
{
    const RtString *s = (const RtString *)rtx_heap_get(v, RT_HEAP_STRING);
    if (s == NULL || !rtx_utf8_valid(s->bytes, s->len))
        return NULL;
    *len = s->len;
    return s->bytes;   /* the string layout keeps a NUL after the bytes */
}

const char *rtx_doctest_path(RtValue v, size_t *len)
{
    const uint8_t *p = rtx_doctest_text(v, len);
    if (p == NULL || memchr(p, 0, *len) != NULL)
        return NULL;
    return (const char *)p;
}

/* ---- helpers ---- */

static int path_stat(RtValue path, struct stat *st)
{
    size_t len;
    const char *p = rtx_doctest_path(path, &len);
    return p ? stat(p, st) : -1;
}

/* Reads fd to its end into a new buffer (*out, freed by the caller even on
 * failure). 0, or -1 on a read error, allocation failure, or more than max
 * bytes (a file that grew, or a /proc file whose size stat reports as 0). */
static int read_all(int fd, uint64_t size_hint, uint64_t max, uint8_t **out, size_t *len)
{
    /* One byte more than the size, so the read that sees EOF needs no growth. */
    size_t cap = (size_t)size_hint + 1, n = 0;
    if (cap < 4096)
        cap = 4096;
    uint8_t *buf = rtx_malloc(cap);
    *out = buf;
    *len = 0;
    if (buf == NULL)
        return -1;
    for (;;) {
        if (n == cap) {
            if (cap > max)
                return -1;   /* already holds more than the limit */
            size_t ncap = cap * 2 > max + 1 ? (size_t)max + 1 : cap * 2;
            uint8_t *nb = rtx_realloc(buf, ncap);
            if (nb == NULL)
                return -1;
            *out = buf = nb;
            cap = ncap;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    if (n > max)
        return -1;
    *len = n;
    return 0;
}
