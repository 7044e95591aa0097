/*
 * coverage_rt/instrument/ins_loc.c — source positions for the walk: byte
 * offsets of cursors in the main file, macro detection, the token-level
 * helpers (balanced ranges, the end of a statement, a `for` header's parts).
 *
 * libclang 19 facts this relies on (toolchain-notes #9): the spelling
 * location of a token from a macro body is the #define, of a macro argument
 * its place in the argument list; the expansion location of either is the
 * macro invocation. A token written in the file has equal spelling and
 * expansion locations. clang_getCursorExtent's end is already moved to the
 * end of a macro invocation unless it lies in a macro argument.
 */
#include <stdlib.h>
#include <string.h>

#include "coverage_rt/instrument/ins_loc.h"

int loc_exp(ins_ctx *g, CXSourceLocation l, unsigned *line, unsigned *col, unsigned *off)
{
    CXFile f;
    unsigned ln, c, o;
    clang_getExpansionLocation(l, &f, &ln, &c, &o);
    if (f == NULL || !clang_File_isEqual(f, g->main_file))
        return -1;
    if (line)
        *line = ln;
    if (col)
        *col = c;
    if (off)
        *off = o;
    return 0;
}

int loc_in_macro(CXSourceLocation l)
{
    CXFile f1, f2;
    unsigned o1, o2;
    clang_getExpansionLocation(l, &f1, NULL, NULL, &o1);
    clang_getSpellingLocation(l, &f2, NULL, NULL, &o2);
    return !(f1 && f2 && clang_File_isEqual(f1, f2) && o1 == o2);
}

int cur_in_macro(CXCursor c)
{
    return loc_in_macro(clang_getCursorLocation(c));
}

/* Skips blanks and comments from `at`. */
static size_t skip_ws(const char *s, size_t len, size_t at)
{
    for (;;) {
        while (at < len && (s[at] == ' ' || s[at] == '\t' || s[at] == '\n' || s[at] == '\r' ||
                            s[at] == '\f' || s[at] == '\v'))
            at++;
        if (at + 1 < len && s[at] == '/' && s[at + 1] == '*') {
            const char *e = strstr(s + at + 2, "*/");
            at = e ? (size_t)(e - s) + 2 : len;
        } else if (at + 1 < len && s[at] == '/' && s[at + 1] == '/') {
            while (at < len && s[at] != '\n')
                at++;
        } else if (at + 1 < len && s[at] == '\\' && s[at + 1] == '\n') {
            at += 2;
        } else
            return at;
    }
}

/* Skips a string or character literal starting at `at` (its quote). */
static size_t skip_lit(const char *s, size_t len, size_t at)
{
    char q = s[at++];
    while (at < len && s[at] != q) {
        if (s[at] == '\\')
            at++;
        at++;
    }
    return at < len ? at + 1 : len;
}

int text_balanced(const char *s, size_t len, size_t a, size_t b)
{
    int depth = 0;
    if (b > len || a >= b)
        return 0;
    for (size_t i = a; i < b;) {
        size_t j = skip_ws(s, b, i);
        if (j != i) {
            i = j;
            continue;
        }
        char ch = s[i];
        if (ch == '"' || ch == '\'') {
            i = skip_lit(s, b, i);
            continue;
        }
        if (ch == '(' || ch == '[' || ch == '{')
            depth++;
        else if (ch == ')' || ch == ']' || ch == '}') {
            if (--depth < 0)
                return 0;
        } else if (ch == ';' && depth == 0)
            return 0;
        i++;
    }
    return depth == 0;
}

/* The end of a macro invocation that starts at `at` (its name): past the
 * name, or past the `)` closing its arguments. 0 when it is not one. */
static size_t invocation_end(const char *s, size_t len, size_t at)
{
    size_t i = at;
    while (i < len && (s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
                       (s[i] >= '0' && s[i] <= '9')))
        i++;
    if (i == at)
        return 0;
    size_t j = skip_ws(s, len, i);
    if (j >= len || s[j] != '(')
        return i;
    int depth = 0;
    while (j < len) {
        if (s[j] == '"' || s[j] == '\'') {
            j = skip_lit(s, len, j);
            continue;
        }
        if (s[j] == '(')
            depth++;
        else if (s[j] == ')' && --depth == 0)
            return j + 1;
        j++;
    }
    return 0;
}

int op_written(ins_ctx *g, CXCursor a, CXCursor b, const char *op)
{
    unsigned as, ae, bs;
    /* b may start with a macro (errno, NULL): its expansion location is then
     * the macro's name, right where the text after the operator starts. */
    if (cur_range(g, a, &as, &ae) != 0 ||
        loc_exp(g, clang_getRangeStart(clang_getCursorExtent(b)), NULL, NULL, &bs) != 0 ||
        ae > bs)
        return 0;
    size_t i = skip_ws(g->src, bs, ae), n = strlen(op);
    if (i + n > bs || memcmp(g->src + i, op, n) != 0)
        return 0;
    return skip_ws(g->src, bs, i + n) == bs;
}

int cur_range(ins_ctx *g, CXCursor c, unsigned *s, unsigned *e)
{
    CXSourceRange r = clang_getCursorExtent(c);
    CXSourceLocation b = clang_getRangeStart(r), en = clang_getRangeEnd(r);
    unsigned so, eo;
    if (loc_exp(g, b, NULL, NULL, &so) != 0 || loc_exp(g, en, NULL, NULL, &eo) != 0)
        return -1;
    if (loc_in_macro(en) || eo <= so) {
        /* The extent ends inside a macro argument: the cursor must be the
         * whole invocation that starts at `so`. */
        size_t ie = invocation_end(g->src, g->srclen, so);
        if (ie == 0 || (!loc_in_macro(en) && eo != ie))
            return -1;
        eo = (unsigned)ie;
    }
    if (eo <= so || eo > g->srclen)
        return -1;
    *s = so;
    *e = eo;
    return 0;
}

unsigned stmt_full_end(ins_ctx *g, unsigned end)
{
    size_t j = skip_ws(g->src, g->srclen, end);
    if (j < g->srclen && g->src[j] == ';')
        return (unsigned)j + 1;
    return end;
}

int for_header(ins_ctx *g, CXCursor forstmt, unsigned *semi1, unsigned *semi2, unsigned *rparen)
{
    CXToken *toks;
    unsigned n;
    clang_tokenize(g->tu, clang_getCursorExtent(forstmt), &toks, &n);
    int depth = 0, nsemi = 0, rc = -1;
    for (unsigned i = 0; i < n; i++) {
        CXString sp = clang_getTokenSpelling(g->tu, toks[i]);
        const char *t = clang_getCString(sp);
        unsigned off;
        int ok = loc_exp(g, clang_getTokenLocation(g->tu, toks[i]), NULL, NULL, &off) == 0;
        if (i == 0 && strcmp(t, "for") != 0) {
            clang_disposeString(sp);
            break;
        }
        if (ok && i > 0) {
            if (!strcmp(t, "(") || !strcmp(t, "[") || !strcmp(t, "{"))
                depth++;
            else if (!strcmp(t, ")") || !strcmp(t, "]") || !strcmp(t, "}")) {
                if (--depth == 0 && nsemi == 2) {
                    *rparen = off;
                    rc = 0;
                    clang_disposeString(sp);
                    break;
                }
            } else if (!strcmp(t, ";") && depth == 1) {
                if (nsemi == 0)
                    *semi1 = off;
                else if (nsemi == 1)
                    *semi2 = off;
                nsemi++;
            }
        }
        clang_disposeString(sp);
    }
    clang_disposeTokens(g->tu, toks, n);
    return nsemi == 2 ? rc : -1;
}

size_t cur_kids(CXCursor c, CXCursor **out)
{
    cur_acc a = {0};
    clang_visitChildren(c, kid_visitor, &a);
    *out = a.v;
    return a.n;
}

enum CXChildVisitResult kid_visitor(CXCursor c, CXCursor parent, CXClientData data)
{
    (void)parent;
    cur_acc *a = data;
    M_PUSH(a->v, a->n, a->cap, c);
    return CXChildVisit_Continue;
}

CXCursor cur_strip(CXCursor c)
{
    for (;;) {
        if (clang_getCursorKind(c) != CXCursor_UnexposedExpr)
            return c;
        CXCursor *k;
        size_t n = cur_kids(c, &k);
        if (n != 1 || !clang_equalRanges(clang_getCursorExtent(c), clang_getCursorExtent(k[0]))) {
            free(k);
            return c;
        }
        c = k[0];
        free(k);
    }
}

int cur_is_logical(CXCursor c, int *is_or)
{
    if (clang_getCursorKind(c) != CXCursor_BinaryOperator)
        return 0;
    enum CXBinaryOperatorKind k = clang_getCursorBinaryOperatorKind(c);
    if (k != CXBinaryOperator_LAnd && k != CXBinaryOperator_LOr)
        return 0;
    if (is_or)
        *is_or = k == CXBinaryOperator_LOr;
    return 1;
}

int cur_is_not(CXCursor c)
{
    return clang_getCursorKind(c) == CXCursor_UnaryOperator &&
           clang_getCursorUnaryOperatorKind(c) == CXUnaryOperator_LNot;
}

int cur_const(CXCursor c, int *value)
{
    CXEvalResult r = clang_Cursor_Evaluate(c);
    if (r == NULL)
        return 0;
    int ok = 0;
    CXEvalResultKind k = clang_EvalResult_getKind(r);
    if (k == CXEval_Int) {
        *value = clang_EvalResult_getAsLongLong(r) != 0;
        ok = 1;
    } else if (k == CXEval_Float) {
        *value = clang_EvalResult_getAsDouble(r) != 0;
        ok = 1;
    }
    clang_EvalResult_dispose(r);
    return ok;
}
