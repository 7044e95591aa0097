/*
 * runtime/glob.c — glob::Pattern::new and Pattern::matches (crate glob 0.3,
 * default MatchOptions, Unix) for doctest_walk_directory
 * (spec/ffi/doctest.sdn). Semantics and their sources: runtime/glob.h.
 *
 * Matching. The crate defines matches_from(i, p) — "do tokens i.. match the
 * text from character p" — recursively, with three answers: MATCH, SUB
 * (this way fails, the caller may try another) and ENTIRE (the text ran out
 * while a token still needed a character: the caller gives up too). It is
 * a pure function of (i, p): the only state it carries besides them,
 * "follows a separator", is whether character p-1 is '/' (or p == 0). So
 * the table R[i][p] is filled from the last token backwards, one row of
 * chars+1 cells per token, each cell in O(1):
 *   end of pattern   R = MATCH if p == N, else SUB
 *   ?  [..]  char    R = ENTIRE if p == N; SUB if token rejects t[p];
 *                    else R[i+1][p+1]
 *   *                R = R[i+1][p] unless that is SUB; then R[i][p+1]
 *                    (at p == N: R[i+1][N])
 *   **               R = R[i+1][p] unless that is SUB; then the first
 *                    non-SUB R[i+1][q] over q > p with t[q-1] == '/'; if
 *                    none, R[i+1][N] (the crate falls through to the next
 *                    token once the text is used up)
 * The answer is R[0][0] == MATCH. No row needs more than the next one.
 */
#include "runtime/glob.h"

#include <string.h>

#include "runtime/utf8.h"
#include "runtime/mem.h"

enum { SUB = 0, MATCH = 1, ENTIRE = 2 };

/* Characters decoded on the stack before the matcher needs the heap. */
#define STACK_CHARS 512

static int parse(const uint32_t *c, size_t n, rtx_glob *g);
static void add_ranges(rtx_glob *g, const uint32_t *s, size_t m);
static inline int tok_accepts(const rtx_glob *g, const rtx_glob_tok *t, uint32_t ch);
static size_t decode(const uint8_t *p, size_t len, uint32_t *out);
static int match_chars(const rtx_glob *g, const uint32_t *t, size_t n, uint8_t *rows,
                       uint64_t *steps);
static int table(const rtx_glob *g, size_t i0, const uint32_t *t, size_t n, uint8_t *rows,
                 uint64_t *steps);

int rtx_glob_compile(const uint8_t *pat, size_t len, rtx_glob **out)
{
    *out = NULL;
    if ((pat == NULL && len > 0) || len > RTX_GLOB_MAX_PATTERN)
        return RTX_GLOB_INVALID;
    if (!rtx_utf8_valid(pat, len))
        return RTX_GLOB_INVALID;
    /* One block: the decoded pattern, then at most one token and one range
     * per pattern character. */
    size_t n = len;   /* characters <= bytes */
    size_t bytes = sizeof(rtx_glob) + n * (sizeof(uint32_t) + sizeof(rtx_glob_tok) +
                                           sizeof(rtx_glob_range));
    rtx_glob *g = rtx_malloc(bytes);
    if (g == NULL)
        return RTX_GLOB_NOMEM;
    uint32_t *chars = (uint32_t *)(g + 1);
    n = decode(pat, len, chars);
    g->tok = (rtx_glob_tok *)(chars + len);
    g->range = (rtx_glob_range *)(g->tok + len);
    g->ntok = g->nrange = g->nfixed = 0;
    if (parse(chars, n, g) != 0) {
        rtx_free(g);
        return RTX_GLOB_INVALID;
    }
    *out = g;
    return RTX_GLOB_OK;
}

void rtx_glob_free(rtx_glob *g)
{
    rtx_free(g);
}

int rtx_glob_match(const rtx_glob *g, const uint8_t *text, size_t len)
{
    uint64_t steps;
    return rtx_glob_match_counted(g, text, len, &steps);
}

int rtx_glob_match_counted(const rtx_glob *g, const uint8_t *text, size_t len,
                           uint64_t *steps)
{
    *steps = 0;
    if (g == NULL || (text == NULL && len > 0))
        return 0;
    uint32_t tbuf[STACK_CHARS];
    uint8_t rbuf[2 * (STACK_CHARS + 1)];
    uint32_t *t = tbuf;
    uint8_t *rows = rbuf;
    void *heap = NULL;
    if (len > STACK_CHARS) {   /* chars <= bytes, so len bounds both buffers */
        if (!rtx_utf8_valid(text, len))
            return 0;
        if (len > (SIZE_MAX - 2) / (sizeof(uint32_t) + 2))
            return -1;
        heap = rtx_malloc(len * sizeof(uint32_t) + 2 * (len + 1));
        if (heap == NULL)
            return -1;
        t = heap;
        rows = (uint8_t *)(t + len);
    }
    size_t n = decode(text, len, t);
    int r = n != SIZE_MAX && match_chars(g, t, n, rows, steps);
    rtx_free(heap);
    return r;
}

/* ---- helpers ---- */

static int is_star(const rtx_glob_tok *k)
{
    return k->kind == RTX_GLOB_SEQ || k->kind == RTX_GLOB_RSEQ;
}

/* The answer for the decoded text t[0..n). Shortcuts first, each exact:
 * only MATCH counts, and a token that takes one character takes exactly
 * the next one, so leading one-character tokens must accept the first
 * characters (and the table may start after them: no cell looks left),
 * and trailing ones the last characters of any match. */
static int match_chars(const rtx_glob *g, const uint32_t *t, size_t n, uint8_t *rows,
                       uint64_t *steps)
{
    if (n < g->nfixed)
        return 0;   /* every one-character token needs its own character */
    size_t i0 = 0;
    for (; i0 < g->ntok && !is_star(&g->tok[i0]); i0++, ++*steps)
        if (!tok_accepts(g, &g->tok[i0], t[i0]))   /* i0 < nfixed <= n */
            return 0;
    if (i0 == g->ntok)
        return n == g->ntok;   /* no stars: one token per character */
    size_t i1 = g->ntok;
    while (!is_star(&g->tok[i1 - 1]))   /* stops at the last star (there is one) */
        i1--;
    size_t k = g->ntok - i1;   /* i0 + k <= nfixed <= n */
    for (size_t j = 0; j < k; j++, ++*steps)
        if (!tok_accepts(g, &g->tok[i1 + j], t[n - k + j]))
            return 0;
    /* "prefix*suffix": the star takes whatever lies between. */
    if (i1 - i0 == 1 && g->tok[i0].kind == RTX_GLOB_SEQ)
        return 1;
    return table(g, i0, t, n, rows, steps);
}

/* The dynamic program of the top comment for tokens i0.. from character i0
 * (the same index: tokens before i0 each took one character) over t[0..n);
 * rows holds two rows of n + 1 cells. */
static int table(const rtx_glob *g, size_t i0, const uint32_t *t, size_t n, uint8_t *rows,
                 uint64_t *steps)
{
    uint8_t *next = rows, *cur = rows + n + 1;

    /* Row "after the last token": only the end of the text matches. */
    memset(next, SUB, n);
    next[n] = MATCH;
    for (size_t i = g->ntok; i-- > i0;) {
        const rtx_glob_tok *tk = &g->tok[i];
        cur[n] = is_star(tk) ? next[n] : ENTIRE;
        if (tk->kind == RTX_GLOB_SEQ) {
            for (size_t p = n; p-- > i0;)
                cur[p] = next[p] != SUB ? next[p] : cur[p + 1];
        } else if (tk->kind == RTX_GLOB_RSEQ) {
            /* cont: what the loop over q > p answers (see the top comment);
             * for p = n-1 it is the fall-through, R[i+1][n]. */
            uint8_t cont = next[n];
            for (size_t p = n; p-- > i0;) {
                cur[p] = next[p] != SUB ? next[p] : cont;
                if (p > 0 && t[p - 1] == '/' && next[p] != SUB)
                    cont = next[p];
            }
        } else if (tk->kind == RTX_GLOB_CHAR) {
            for (size_t p = i0; p < n; p++)
                cur[p] = t[p] == tk->a ? next[p + 1] : SUB;
        } else {
            for (size_t p = i0; p < n; p++)
                cur[p] = tok_accepts(g, tk, t[p]) ? next[p + 1] : SUB;
        }
        *steps += n + 1 - i0;
        uint8_t *tmp = next;
        next = cur;
        cur = tmp;
    }
    return next[i0] == MATCH;
}

/* Decodes UTF-8 into code points: their number, or SIZE_MAX when the
 * bytes are not valid UTF-8 (one pass does both). */
static size_t decode(const uint8_t *p, size_t len, uint32_t *out)
{
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        if (p[i] < 0x80) {
            out[n++] = p[i++];
            continue;
        }
        size_t k = rtx_utf8_next(p + i, len - i, &out[n]);
        if (k == 0)
            return SIZE_MAX;
        i += k;
        n++;
    }
    return n;
}

static void push(rtx_glob *g, uint32_t kind, uint32_t a, uint32_t b)
{
    g->tok[g->ntok++] = (rtx_glob_tok){kind, a, b};
    if (kind != RTX_GLOB_SEQ && kind != RTX_GLOB_RSEQ)
        g->nfixed++;
}

/* Pattern::new over the decoded characters c[0..n); 0 or -1 (invalid).
 * Tokens and ranges never outnumber characters, so the buffers suffice. */
static int parse(const uint32_t *c, size_t n, rtx_glob *g)
{
    size_t i = 0;
    while (i < n) {
        if (c[i] == '?') {
            push(g, RTX_GLOB_ANY, 0, 0);
            i++;
        } else if (c[i] == '*') {
            size_t old = i;
            while (i < n && c[i] == '*')
                i++;
            size_t count = i - old;
            if (count > 2)
                return -1;
            if (count == 1) {
                push(g, RTX_GLOB_SEQ, 0, 0);
                continue;
            }
            /* "**" must be a whole component: at the start or after '/',
             * and followed by '/' (which it swallows) or the end. */
            if (old != 0 && c[old - 1] != '/')
                return -1;
            if (i < n && c[i] == '/')
                i++;
            else if (i != n)
                return -1;
            /* The crate collapses "**" after "**" only past the first token. */
            if (!(g->ntok > 1 && g->tok[g->ntok - 1].kind == RTX_GLOB_RSEQ))
                push(g, RTX_GLOB_RSEQ, 0, 0);
        } else if (c[i] == '[') {
            /* "[!" needs room for one member and ']' ("[!x]"); "[" for "[x]".
             * The member right after "[" or "[!" may itself be ']'. */
            int neg = i + 4 <= n && c[i + 1] == '!';
            if (!neg && !(i + 3 <= n && c[i + 1] != '!'))
                return -1;
            size_t first = i + (neg ? 2 : 1), close = first + 1;
            while (close < n && c[close] != ']')
                close++;
            if (close >= n)
                return -1;
            uint32_t at = (uint32_t)g->nrange;
            add_ranges(g, c + first, close - first);
            push(g, neg ? RTX_GLOB_EXCEPT : RTX_GLOB_WITHIN, at, (uint32_t)g->nrange - at);
            i = close + 1;
        } else {
            push(g, RTX_GLOB_CHAR, c[i], 0);
            i++;
        }
    }
    return 0;
}

/* The members of a class: "x-y" is a range whenever a '-' is second of
 * three remaining characters, so '-' first or last stands for itself. */
static void add_ranges(rtx_glob *g, const uint32_t *s, size_t m)
{
    for (size_t k = 0; k < m;) {
        if (k + 3 <= m && s[k + 1] == '-') {
            g->range[g->nrange++] = (rtx_glob_range){s[k], s[k + 2]};
            k += 3;
        } else {
            g->range[g->nrange++] = (rtx_glob_range){s[k], s[k]};
            k++;
        }
    }
}

static inline int tok_accepts(const rtx_glob *g, const rtx_glob_tok *t, uint32_t ch)
{
    switch (t->kind) {
    case RTX_GLOB_CHAR:
        return ch == t->a;
    case RTX_GLOB_ANY:
        return 1;
    default: {
        int in = 0;
        for (uint32_t k = 0; k < t->b && !in; k++)
            in = g->range[t->a + k].lo <= ch && ch <= g->range[t->a + k].hi;
        return t->kind == RTX_GLOB_WITHIN ? in : !in;
    }
    }
}
