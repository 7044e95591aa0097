/*
 * coverage_rt/instrument/ins_edit.c — text insertions keyed on byte offsets
 * of the original source, applied in one pass (no AST printing: everything
 * the instrumenter does not touch stays byte for byte as written). Also the
 * small allocation and buffer helpers of the tool.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coverage_rt/instrument/ins.h"

void *ins_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL) {
        fputs("rtcov-instrument: out of memory\n", stderr);
        exit(3);
    }
    return p;
}

void *ins_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (q == NULL) {
        fputs("rtcov-instrument: out of memory\n", stderr);
        exit(3);
    }
    return q;
}

char *ins_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(ins_xmalloc(n), s, n);
}

void ins_buf_put(ins_buf *b, const char *p, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->s = ins_xrealloc(b->s, b->cap);
    }
    memcpy(b->s + b->len, p, n);
    b->len += n;
    b->s[b->len] = 0;
}

void ins_buf_printf(ins_buf *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof tmp) {
        ins_buf_put(b, tmp, (size_t)n);
        return;
    }
    char *big = ins_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    ins_buf_put(b, big, (size_t)n);
    free(big);
}

static void push(ins_edits *e, ins_edit it)
{
    if (e->n == e->cap) {
        e->cap = e->cap ? 2 * e->cap : 64;
        e->v = ins_xrealloc(e->v, e->cap * sizeof *e->v);
    }
    it.seq = e->seq++;
    e->v[e->n++] = it;
}

void ins_wrap(ins_edits *e, unsigned start, unsigned end, int depth, const char *open,
              const char *close)
{
    push(e, (ins_edit){.off = start, .closer = 0, .span = end - start, .depth = depth,
                       .text = ins_xstrdup(open)});
    push(e, (ins_edit){.off = end, .closer = 1, .span = end - start, .depth = depth,
                       .text = ins_xstrdup(close)});
}

void ins_insert(ins_edits *e, unsigned off, const char *text)
{
    /* An opener wider than any wrap, at depth -1: it goes first. */
    push(e, (ins_edit){.off = off, .closer = 0, .span = ~0u, .depth = -1,
                       .text = ins_xstrdup(text)});
}

static int cmp_edit(const void *pa, const void *pb)
{
    const ins_edit *a = pa, *b = pb;
    if (a->off != b->off)
        return a->off < b->off ? -1 : 1;
    if (a->closer != b->closer)
        return a->closer ? -1 : 1;
    if (a->closer) {   /* inner closes first */
        if (a->span != b->span)
            return a->span < b->span ? -1 : 1;
        if (a->depth != b->depth)
            return a->depth > b->depth ? -1 : 1;
        return a->seq > b->seq ? -1 : 1;
    }
    if (a->span != b->span)   /* outer opens first */
        return a->span > b->span ? -1 : 1;
    if (a->depth != b->depth)
        return a->depth < b->depth ? -1 : 1;
    return a->seq < b->seq ? -1 : 1;
}

char *ins_apply(ins_edits *e, const char *src, size_t len, size_t *outlen)
{
    if (e->n > 1)
        qsort(e->v, e->n, sizeof *e->v, cmp_edit);
    ins_buf out = {0};
    size_t at = 0;
    for (size_t i = 0; i < e->n; i++) {
        size_t off = e->v[i].off <= len ? e->v[i].off : len;
        if (off > at) {
            ins_buf_put(&out, src + at, off - at);
            at = off;
        }
        ins_buf_put(&out, e->v[i].text, strlen(e->v[i].text));
    }
    ins_buf_put(&out, src + at, len - at);
    if (outlen)
        *outlen = out.len;
    return out.s;
}

void ins_edits_free(ins_edits *e)
{
    for (size_t i = 0; i < e->n; i++)
        free(e->v[i].text);
    free(e->v);
    memset(e, 0, sizeof *e);
}
