/*
 * fuzz/targets/glob.c — the glob matcher (runtime/glob.c) on its own.
 *
 * Input: two bytes of pattern length (little endian, taken modulo what is
 * left), the pattern, then the text. Oracles:
 *   - compiling never runs out of memory here; matching answers 0 or 1 and
 *     the same answer twice;
 *   - work is bounded: at most (tokens + 1) x (characters + 1) steps, so no
 *     input is slow (the crate's own matcher backtracks exponentially);
 *   - a second, naive matcher that follows the crate's recursion literally
 *     (with a budget of steps) agrees whenever it finishes;
 *   - a pattern without metacharacters matches exactly the identical text;
 *   - "*", "**" and "**" "/" match every valid text; the escaped text
 *     (brackets around ? * [ ]) matches the text and not the text plus 'x';
 *   - P matches t implies P followed by '*' matches t.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/utf8.h"
#include "runtime/glob.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c)                                                                           \
    do {                                                                                   \
        if (!(c)) {                                                                        \
            fprintf(stderr, "glob: %s:%d: oracle failed: %s\n", __FILE__, __LINE__, #c);   \
            abort();                                                                       \
        }                                                                                  \
    } while (0)

enum { SUB, MATCH, ENTIRE, GAVE_UP };

typedef struct naive {
    const rtx_glob *g;
    const uint32_t *t;
    size_t n;
    long budget;
} naive;

static int accepts(const rtx_glob *g, const rtx_glob_tok *k, uint32_t c)
{
    if (k->kind == RTX_GLOB_CHAR)
        return c == k->a;
    if (k->kind == RTX_GLOB_ANY)
        return 1;
    int in = 0;
    for (uint32_t i = 0; i < k->b; i++)
        if (g->range[k->a + i].lo <= c && c <= g->range[k->a + i].hi)
            in = 1;
    return k->kind == RTX_GLOB_WITHIN ? in : !in;
}

/* The crate's matches_from, read as prose: a star first tries to match
 * nothing, then consumes characters one by one (a "**" only retries after a
 * '/'), and when the text is used up carries on with the next token; a
 * one-character token at the end of the text fails the whole pattern. */
static int naive_from(naive *s, size_t i, size_t p)
{
    if (--s->budget < 0)
        return GAVE_UP;
    for (size_t ti = i; ti < s->g->ntok; ti++) {
        const rtx_glob_tok *k = &s->g->tok[ti];
        if (k->kind == RTX_GLOB_SEQ || k->kind == RTX_GLOB_RSEQ) {
            int r = naive_from(s, ti + 1, p);
            if (r != SUB)
                return r;
            while (p < s->n) {
                if (--s->budget < 0)
                    return GAVE_UP;
                uint32_t c = s->t[p++];
                if (k->kind == RTX_GLOB_RSEQ && c != '/')
                    continue;
                r = naive_from(s, ti + 1, p);
                if (r != SUB)
                    return r;
            }
        } else {
            if (p == s->n)
                return ENTIRE;
            if (!accepts(s->g, k, s->t[p]))
                return SUB;
            p++;
        }
    }
    return p == s->n ? MATCH : SUB;
}

static size_t chars_of(const uint8_t *b, size_t n, uint32_t *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; k++) {
        size_t l = rtx_utf8_next(b + i, n - i, &out[k]);
        i += l ? l : 1;
    }
    return k;
}

static int compile(const uint8_t *p, size_t n, rtx_glob **g)
{
    int rc = rtx_glob_compile(p, n, g);
    CHECK(rc == RTX_GLOB_OK || rc == RTX_GLOB_INVALID);
    return rc == RTX_GLOB_OK;
}

static int match(const rtx_glob *g, const uint8_t *t, size_t n)
{
    int m = rtx_glob_match(g, t, n);
    CHECK(m == 0 || m == 1);
    return m;
}

static void check_always(const char *pat, const uint8_t *t, size_t n, int valid)
{
    rtx_glob *g;
    CHECK(compile((const uint8_t *)pat, strlen(pat), &g));
    CHECK(match(g, t, n) == valid);
    rtx_glob_free(g);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || size > 8192)
        return 0;
    size_t plen = ((size_t)data[0] | (size_t)data[1] << 8) % (size - 1);
    const uint8_t *pat = data + 2, *text = pat + plen;
    size_t tlen = size - 2 - plen;
    int tvalid = rtx_utf8_valid(text, tlen);

    rtx_glob *g;
    if (compile(pat, plen, &g)) {
        uint64_t steps;
        int m = rtx_glob_match_counted(g, text, tlen, &steps);
        CHECK(m == 0 || m == 1);
        CHECK(match(g, text, tlen) == m);
        static uint32_t tc[8192];
        size_t n = chars_of(text, tlen, tc);
        CHECK(steps <= (uint64_t)(g->ntok + 1) * (n + 1));
        if (!tvalid) {
            CHECK(m == 0);
        } else {
            naive s = {g, tc, n, 200000};
            int r = naive_from(&s, 0, 0);
            if (r != GAVE_UP)
                CHECK((r == MATCH) == m);
        }
        /* P matches t => P* matches t (when P* is a valid pattern). */
        if (m && plen < 8000) {
            static uint8_t ps[8192];
            memcpy(ps, pat, plen);
            ps[plen] = '*';
            rtx_glob *g2;
            if (compile(ps, plen + 1, &g2)) {
                CHECK(match(g2, text, tlen) == 1);
                rtx_glob_free(g2);
            }
        }
        rtx_glob_free(g);
    }

    int literal = rtx_utf8_valid(pat, plen) && !memchr(pat, '*', plen) &&
                  !memchr(pat, '?', plen) && !memchr(pat, '[', plen);
    if (literal) {
        CHECK(compile(pat, plen, &g));
        CHECK(match(g, pat, plen) == 1);
        CHECK(match(g, text, tlen) == (tvalid && tlen == plen && memcmp(text, pat, plen) == 0));
        rtx_glob_free(g);
    }

    check_always("*", text, tlen, tvalid);
    check_always("**", text, tlen, tvalid);
    check_always("**/", text, tlen, tvalid);

    if (tvalid && tlen < 2000) {
        static uint8_t esc[6100], more[2001];
        size_t k = 0;
        for (size_t i = 0; i < tlen; i++) {
            if (strchr("?*[]", text[i]) && text[i]) {
                esc[k++] = '[';
                esc[k++] = text[i];
                esc[k++] = ']';
            } else {
                esc[k++] = text[i];
            }
        }
        CHECK(compile(esc, k, &g));
        CHECK(match(g, text, tlen) == 1);
        memcpy(more, text, tlen);
        more[tlen] = 'x';
        CHECK(match(g, more, tlen + 1) == 0);
        rtx_glob_free(g);
    }
    return 0;
}
