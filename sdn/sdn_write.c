/*
 * sdn/sdn_write.c — SDN writer (upstream-abi.md §4.3).
 *
 * Output layout, 4 spaces per level:
 *   key: scalar                     scalars, quoted when not bare-safe
 *   key:                            a non-empty dict, as an indented block
 *       sub: 1
 *   key = {}                        an empty dict
 *   key = [a, {k: v}, [1, 2]]       arrays, always inline on one line
 *   key |a, b|                      a named table, rows indented below
 *       1, x
 *   key: table{T1, T2}              a typed table, plain comma rows below
 *       1.0, 2.0
 * Upstream's reader decides that an indented block is a dict only when its
 * first line is `key:`. So the FIRST entry of a nested block writes an array
 * or empty dict as `key: [..]` / `key: {}` (read identically) instead of
 * `key = ...`. A named table cannot be spelled with ':', so a nested block
 * that starts with one is readable by simplert's reader only.
 */
#define _POSIX_C_SOURCE 200809L
#include "sdn/sdn.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct sbuf {
    char *p;
    size_t n, cap;
    bool oom;  /* an allocation failed: ENOMEM */
    bool bad;  /* the value cannot be written as SDN: EINVAL */
} sbuf;

static void write_entries(sbuf *b, const sdn_value *dict, size_t indent, int depth);
static void write_table(sbuf *b, const sdn_value *t, size_t indent, int depth);
static void write_inline(sbuf *b, const sdn_value *v, int depth);
static void put_float(sbuf *b, double d);
static void put_text(sbuf *b, const char *s, size_t len);
static bool bare_safe(const char *s, size_t len);
static void put_indent(sbuf *b, size_t n);
static void puts_(sbuf *b, const char *s);
static void put(sbuf *b, const char *s, size_t n);
static int write_all(int fd, const char *p, size_t n);

/* ------------------------------------------------------------- public API */

char *sdn_write(const sdn_value *root, size_t *len)
{
    if (len)
        *len = 0;
    if (sdn_type_of(root) != SDN_DICT) {
        errno = EINVAL;
        return NULL;
    }
    sbuf b = { NULL, 0, 0, false, false };
    put(&b, "", 0); /* an empty document is "" rather than NULL */
    write_entries(&b, root, 0, 1);
    if (b.oom || b.bad) {
        free(b.p);
        errno = b.oom ? ENOMEM : EINVAL;
        return NULL;
    }
    if (len)
        *len = b.n;
    return b.p;
}

int sdn_write_file(const sdn_value *root, const char *path)
{
    if (!root || !path) {
        errno = EINVAL;
        return -1;
    }
    size_t n = 0;
    char *text = sdn_write(root, &n);
    if (!text)
        return -1;
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 64);
    if (!tmp) {
        free(text);
        errno = ENOMEM;
        return -1;
    }
    /* A unique sibling name, created with O_EXCL so no other writer can share
     * it; mode 0666 lets the umask decide a new file's permissions. No state
     * is shared between calls, so concurrent calls need no locking. */
    int fd = -1, e = 0;
    unsigned long salt = (unsigned long)time(NULL) ^ (unsigned long)(uintptr_t)&fd;
    for (unsigned attempt = 0; attempt < 100 && fd < 0; attempt++) {
        snprintf(tmp, plen + 64, "%s.tmp.%ld.%lx", path, (long)getpid(), salt + attempt);
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        e = errno;
        goto fail;
    }
    struct stat st;
    if (stat(path, &st) == 0 && fchmod(fd, st.st_mode & 07777) != 0)
        goto fail_errno;
    if (write_all(fd, text, n) != 0 || fsync(fd) != 0)
        goto fail_errno;
    if (close(fd) != 0) {
        fd = -1;
        goto fail_errno;
    }
    fd = -1;
    if (rename(tmp, path) != 0)
        goto fail_errno;
    free(tmp);
    free(text);
    return 0;

fail_errno:
    e = errno;
    if (fd >= 0)
        close(fd);
    unlink(tmp);
fail:
    free(tmp);
    free(text);
    errno = e;
    return -1;
}

/* -------------------------------------------------------------- structure */

/* The entries of dict, one per line at indent. depth is the entries' values'
 * depth. Only the root (indent 0) is not a nested block. */
static void write_entries(sbuf *b, const sdn_value *dict, size_t indent, int depth)
{
    size_t n = sdn_len(dict);
    if (depth > SDN_MAX_DEPTH && n > 0) {
        b->bad = true;
        return;
    }
    for (size_t i = 0; i < n && !b->oom && !b->bad; i++) {
        const char *key = sdn_key_at(dict, i);
        const sdn_value *v = sdn_value_at(dict, i);
        bool colon = indent > 0 && i == 0; /* see the file comment */
        put_indent(b, indent);
        put_text(b, key, strlen(key));
        switch (sdn_type_of(v)) {
        case SDN_DICT:
            if (sdn_len(v) == 0) {
                puts_(b, colon ? ": {}\n" : " = {}\n");
            } else {
                puts_(b, ":\n");
                write_entries(b, v, indent + 4, depth + 1);
            }
            break;
        case SDN_ARRAY:
            puts_(b, colon ? ": " : " = ");
            write_inline(b, v, depth);
            puts_(b, "\n");
            break;
        case SDN_TABLE:
            write_table(b, v, indent, depth);
            break;
        default:
            puts_(b, ": ");
            write_inline(b, v, depth);
            puts_(b, "\n");
            break;
        }
    }
}

/* The table header (after the key) and its rows, indented one level. */
static void write_table(sbuf *b, const sdn_value *t, size_t indent, int depth)
{
    size_t nc = sdn_table_ncols(t), nr = sdn_len(t);
    bool typed = sdn_table_is_typed(t);
    puts_(b, typed ? ": table{" : " |");
    for (size_t c = 0; c < nc; c++) {
        const char *name = typed ? sdn_table_coltype(t, c) : sdn_table_col(t, c);
        if (c > 0)
            puts_(b, ", ");
        put_text(b, name, strlen(name));
    }
    puts_(b, typed ? "}\n" : "|\n");
    for (size_t r = 0; r < nr && !b->oom && !b->bad; r++) {
        put_indent(b, indent + 4);
        for (size_t c = 0; c < nc; c++) {
            if (c > 0)
                puts_(b, ", ");
            write_inline(b, sdn_table_cell(t, r, c), depth + 1);
        }
        puts_(b, "\n");
    }
}

/* A value on one line: a scalar, or an inline [..] / {..}. */
static void write_inline(sbuf *b, const sdn_value *v, int depth)
{
    char num[32];
    size_t len = 0;
    const char *s;
    if (depth > SDN_MAX_DEPTH) {
        b->bad = true;
        return;
    }
    switch (sdn_type_of(v)) {
    case SDN_NULL: puts_(b, "null"); break;
    case SDN_BOOL: puts_(b, sdn_bool(v) ? "true" : "false"); break;
    case SDN_INT:
        snprintf(num, sizeof num, "%" PRId64, sdn_int(v));
        puts_(b, num);
        break;
    case SDN_FLOAT: put_float(b, sdn_float(v)); break;
    case SDN_STRING:
        s = sdn_str(v, &len);
        put_text(b, s, len);
        break;
    case SDN_ARRAY:
        puts_(b, "[");
        for (size_t i = 0; i < sdn_len(v) && !b->bad; i++) {
            if (i > 0)
                puts_(b, ", ");
            write_inline(b, sdn_at(v, i), depth + 1);
        }
        puts_(b, "]");
        break;
    case SDN_DICT:
        puts_(b, "{");
        for (size_t i = 0; i < sdn_len(v) && !b->bad; i++) {
            const char *key = sdn_key_at(v, i);
            if (i > 0)
                puts_(b, ", ");
            put_text(b, key, strlen(key));
            puts_(b, ": ");
            write_inline(b, sdn_value_at(v, i), depth + 1);
        }
        puts_(b, "}");
        break;
    case SDN_TABLE:
        b->bad = true; /* SDN has no inline table */
        break;
    }
}

/* ---------------------------------------------------------------- scalars */

/* Shortest of %.15g/%.16g/%.17g that reads back to the same bits, always
 * with a '.' or an exponent so it reads back as a Float. */
static void put_float(sbuf *b, double d)
{
    if (isnan(d)) {
        puts_(b, "\"nan\"");
        return;
    }
    if (isinf(d)) {
        puts_(b, d > 0 ? "\"inf\"" : "\"-inf\"");
        return;
    }
    char buf[48];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, d);
        double back = strtod(buf, NULL); /* same LC_NUMERIC as snprintf */
        if (memcmp(&back, &d, sizeof d) == 0)
            break;
    }
    /* Whatever LC_NUMERIC says, SDN spells the decimal point '.': any bytes
     * that are not digits, signs or exponent markers are the locale's point
     * (possibly multibyte) and become one '.'. (Not localeconv(): it is not
     * thread-safe.) */
    char out[48];
    size_t o = 0;
    bool point = false;
    for (const char *c = buf; *c; c++) {
        if ((*c >= '0' && *c <= '9') || *c == '-' || *c == '+' || *c == 'e' || *c == 'E')
            out[o++] = *c;
        else if (!point)
            out[o++] = '.', point = true;
    }
    out[o] = '\0';
    if (!point && !strpbrk(out, "eE"))
        strcat(out, ".0"); /* out holds at most 24 chars of %.17g */
    puts_(b, out);
}

/* A string or name: bare when upstream's lexer reads it back as the same
 * word, otherwise quoted with \\ \" \n \t \r escaped (other bytes raw). */
static void put_text(sbuf *b, const char *s, size_t len)
{
    if (bare_safe(s, len)) {
        put(b, s, len);
        return;
    }
    put(b, "\"", 1);
    size_t run = 0; /* bytes before i that need no escape */
    for (size_t i = 0; i < len; i++) {
        const char *esc = NULL;
        switch (s[i]) {
        case '\\': esc = "\\\\"; break;
        case '"': esc = "\\\""; break;
        case '\n': esc = "\\n"; break;
        case '\t': esc = "\\t"; break;
        case '\r': esc = "\\r"; break;
        default: continue;
        }
        put(b, s + run, i - run);
        put(b, esc, 2);
        run = i + 1;
    }
    put(b, s + run, len - run);
    put(b, "\"", 1);
}

/* Non-empty, starts with [A-Za-z_], only [A-Za-z0-9_./#-], not a keyword. */
static bool bare_safe(const char *s, size_t len)
{
    static const char *const keywords[] = { "true", "false", "null", "nil", "table" };
    if (len == 0 || !((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '/' || c == '#' || c == '-'))
            return false;
    }
    for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++)
        if (strlen(keywords[k]) == len && memcmp(keywords[k], s, len) == 0)
            return false;
    return true;
}

/* ----------------------------------------------------------------- buffer */

static void put_indent(sbuf *b, size_t n)
{
    static const char spaces[] = "                                ";
    while (n > 0) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        put(b, spaces, k);
        n -= k;
    }
}

static void puts_(sbuf *b, const char *s) { put(b, s, strlen(s)); }

/* Appends n bytes, keeping the buffer NUL-terminated; on failure sets oom
 * and ignores all later appends. */
static void put(sbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->cap - b->n <= n) {
        size_t ncap = b->cap ? b->cap : 256;
        while (ncap - b->n <= n) {
            if (ncap > SIZE_MAX / 2) {
                b->oom = true;
                return;
            }
            ncap *= 2;
        }
        char *np = realloc(b->p, ncap);
        if (!np) {
            b->oom = true;
            return;
        }
        b->p = np;
        b->cap = ncap;
    }
    if (n > 0)
        memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}
