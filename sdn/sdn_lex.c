/*
 * sdn/sdn_lex.c — the SDN lexer (see sdn_lex.h for the token stream it
 * produces) and the token wording used in error messages.
 */
#include "sdn/sdn_lex.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool lex_indent(sdn_lexer *lx, sdn_token *t);
static void lex_string(sdn_lexer *lx, sdn_token *t);
static void lex_number(sdn_lexer *lx, sdn_token *t);
static void lex_word(sdn_lexer *lx, sdn_token *t);
static void lx_adv(sdn_lexer *lx);
static bool lx_put(sdn_lexer *lx, sdn_token *t, unsigned char c);
static void lx_fail(sdn_lexer *lx, int line, int col, const char *fmt, ...) SDN_PRINTF(4, 5);
static bool is_word_char(const sdn_lexer *lx, int c);
static int to_double(const char *s, size_t n, double *out);
static bool is_digit(int c);

bool sdnlex_init(sdn_lexer *lx, const char *text, size_t len, bool compat)
{
    memset(lx, 0, sizeof *lx);
    lx->s = (const unsigned char *)text;
    lx->len = len;
    lx->line = lx->col = 1;
    lx->compat = compat;
    lx->line_start = true;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        lx->pos = 3; /* UTF-8 byte order mark */
    lx->ind = malloc(8 * sizeof(size_t));
    if (!lx->ind)
        return false;
    lx->ind[0] = 0;
    lx->nind = 1;
    lx->capind = 8;
    return true;
}

void sdnlex_free(sdn_lexer *lx)
{
    free(lx->ind);
    lx->ind = NULL;
}

void sdnlex_describe(const sdn_token *t, char *out, size_t cap)
{
    static const char punct[] = ":=|,{}[]()";
    char buf[40];
    switch (t->kind) {
    case T_EOF: snprintf(out, cap, "end of input"); break;
    case T_NEWLINE: snprintf(out, cap, "end of line"); break;
    case T_INDENT: snprintf(out, cap, "an indented line"); break;
    case T_DEDENT: snprintf(out, cap, "the end of the indented block"); break;
    case T_COLON: case T_EQUALS: case T_PIPE: case T_COMMA:
    case T_LBRACE: case T_RBRACE: case T_LBRACKET: case T_RBRACKET:
    case T_LPAREN: case T_RPAREN:
        snprintf(out, cap, "'%c'", punct[t->kind - T_COLON]);
        break;
    case T_STRING: snprintf(out, cap, "string \"%s\"", sdnlex_show(buf, sizeof buf, t->text, t->len)); break;
    case T_INT: case T_FLOAT:
        snprintf(out, cap, "number %s", sdnlex_show(buf, sizeof buf, t->text, t->len));
        break;
    default: /* words and keywords */
        snprintf(out, cap, "'%s'", sdnlex_show(buf, sizeof buf, t->text, t->len));
        break;
    }
}

/* Copies s[0..n) for a message: control bytes become '?', long text is cut
 * at a UTF-8 character boundary and gets "...". */
const char *sdnlex_show(char *out, size_t cap, const char *s, size_t n)
{
    size_t room = cap - 4; /* room for "..." and the NUL */
    bool cut = n > room;
    if (cut) {
        n = room;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        out[i] = (char)(c < 0x20 || c == 0x7F ? '?' : c);
    }
    if (cut) {
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n] = '\0';
    return out;
}

/* ---------------------------------------------------------------- tokens */

void sdnlex_next(sdn_lexer *lx, sdn_token *t)
{
    t->len = 0;
    if (t->text)
        t->text[0] = '\0';
    if (lx->failed)
        goto error;
    if (lx->dedents > 0) {
        lx->dedents--;
        t->kind = T_DEDENT;
        t->line = lx->dline;
        t->col = lx->dcol;
        return;
    }
    if (lx->line_start) {
        lx->line_start = false;
        if (lex_indent(lx, t))
            goto out;
    }
    for (;;) {
        while (lx->pos < lx->len && (lx->s[lx->pos] == ' ' || lx->s[lx->pos] == '\t'))
            lx_adv(lx);
        t->line = lx->line;
        t->col = lx->col;
        if (lx->pos == lx->len) {
            if (lx->line_has_tokens) {
                lx->line_has_tokens = false;
                t->kind = T_NEWLINE;
            } else if (lx->nind > 1) {
                lx->nind--;
                t->kind = T_DEDENT;
            } else {
                t->kind = T_EOF;
            }
            return;
        }
        int c = lx->s[lx->pos];
        int c1 = lx->pos + 1 < lx->len ? lx->s[lx->pos + 1] : -1;
        if (c == '#') {
            while (lx->pos < lx->len && lx->s[lx->pos] != '\n')
                lx_adv(lx);
            continue;
        }
        if (c == '\n' || (c == '\r' && c1 == '\n')) {
            if (c == '\r')
                lx_adv(lx);
            lx_adv(lx);
            lx->line_start = true;
            lx->line_has_tokens = false;
            t->kind = T_NEWLINE;
            return;
        }
        lx->line_has_tokens = true;
        const char *pch = strchr(":=|,{}[]()", c);
        if (c != 0 && pch) {
            static const sdn_tok_kind kinds[] = { T_COLON, T_EQUALS, T_PIPE, T_COMMA, T_LBRACE,
                                              T_RBRACE, T_LBRACKET, T_RBRACKET, T_LPAREN, T_RPAREN };
            lx_adv(lx);
            t->kind = kinds[pch - ":=|,{}[]()"];
            return;
        }
        if (c == '"')
            lex_string(lx, t);
        else if (is_digit(c) || (c == '-' && is_digit(c1)))
            lex_number(lx, t);
        else if (c == '.' && is_digit(c1))
            lx_fail(lx, t->line, t->col, "a number must start with a digit (write 0.5, not .5)");
        else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c >= 0x80 ||
                 (!lx->compat && (c == '/' || c == '.')))
            lex_word(lx, t);
        else if (c == '\r')
            lx_fail(lx, t->line, t->col, "carriage return not followed by a line feed");
        else if (c == 0)
            lx_fail(lx, t->line, t->col, "NUL byte in the input");
        else if (c > 0x20 && c < 0x7F)
            lx_fail(lx, t->line, t->col,
                    "unexpected character '%c' (put text with special characters in double quotes)", c);
        else
            lx_fail(lx, t->line, t->col, "unexpected byte 0x%02X", (unsigned)c);
        goto out;
    }
out:
    if (!lx->failed)
        return;
error:
    t->kind = T_ERROR;
    t->line = lx->eline;
    t->col = lx->ecol;
}

/* At the start of a line: skips blank and comment-only lines, then measures
 * the indentation (space 1, tab 4) and emits INDENT or the first DEDENT.
 * Returns false when no layout token is due. */
static bool lex_indent(sdn_lexer *lx, sdn_token *t)
{
    size_t width;
    for (;;) {
        width = 0;
        while (lx->pos < lx->len && (lx->s[lx->pos] == ' ' || lx->s[lx->pos] == '\t')) {
            width += lx->s[lx->pos] == ' ' ? 1 : 4;
            lx_adv(lx);
        }
        if (lx->pos == lx->len)
            return false; /* end of input closes all blocks */
        unsigned char c = lx->s[lx->pos];
        if (c == '\n') {
            lx_adv(lx);
        } else if (c == '\r' && lx->pos + 1 < lx->len && lx->s[lx->pos + 1] == '\n') {
            lx_adv(lx);
            lx_adv(lx);
        } else if (c == '#') {
            while (lx->pos < lx->len && lx->s[lx->pos] != '\n')
                lx_adv(lx);
        } else {
            break;
        }
    }
    t->line = lx->line;
    t->col = lx->col;
    size_t top = lx->ind[lx->nind - 1];
    if (width > top) {
        if (lx->nind == lx->capind) {
            size_t *ni = realloc(lx->ind, 2 * lx->capind * sizeof(size_t));
            if (!ni) {
                lx_fail(lx, t->line, t->col, "out of memory");
                return true;
            }
            lx->ind = ni;
            lx->capind *= 2;
        }
        lx->ind[lx->nind++] = width;
        t->kind = T_INDENT;
        return true;
    }
    if (width == top)
        return false;
    size_t pops = 0;
    while (lx->nind > 1 && lx->ind[lx->nind - 1] > width) {
        lx->nind--;
        pops++;
    }
    if (lx->ind[lx->nind - 1] != width) {
        lx_fail(lx, t->line, t->col,
                "unindent to width %zu does not match any outer indentation level (%zu)", width,
                lx->ind[lx->nind - 1]);
        return true;
    }
    lx->dedents = pops - 1;
    lx->dline = t->line;
    lx->dcol = t->col;
    t->kind = T_DEDENT;
    return true;
}

static void lex_string(sdn_lexer *lx, sdn_token *t)
{
    int line = lx->line, col = lx->col;
    lx_adv(lx); /* opening quote */
    for (;;) {
        if (lx->pos == lx->len) {
            lx_fail(lx, line, col, "unterminated string (the opening quote is here)");
            return;
        }
        unsigned char c = lx->s[lx->pos];
        if (c == '"') {
            lx_adv(lx);
            break;
        }
        if (c == 0) {
            lx_fail(lx, lx->line, lx->col, "NUL byte in a string");
            return;
        }
        if (c == '\\' && lx->pos + 1 < lx->len) {
            const char *from = strchr("ntr\\\"", lx->s[lx->pos + 1]);
            if (lx->s[lx->pos + 1] != 0 && from) {
                if (!lx_put(lx, t, (unsigned char)"\n\t\r\\\""[from - "ntr\\\""]))
                    return;
                lx_adv(lx);
                lx_adv(lx);
                continue;
            }
            /* any other escape keeps the backslash; the next byte is read normally */
        }
        if (!lx_put(lx, t, c))
            return;
        lx_adv(lx);
    }
    t->kind = T_STRING;
}

static void lex_number(sdn_lexer *lx, sdn_token *t)
{
    size_t start = lx->pos;
    bool dot = false, exp = false;
    if (lx->s[lx->pos] == '-') {
        if (!lx_put(lx, t, '-'))
            return;
        lx_adv(lx);
    }
    while (lx->pos < lx->len) {
        int c = lx->s[lx->pos];
        int c1 = lx->pos + 1 < lx->len ? lx->s[lx->pos + 1] : -1;
        if (c == '_') {
            lx_adv(lx); /* digit separator */
            continue;
        }
        if (is_digit(c) || (c == '.' && !dot && !exp && is_digit(c1))) {
            dot = dot || c == '.';
        } else if ((c == 'e' || c == 'E') && !exp) {
            exp = true;
            if (!lx_put(lx, t, (unsigned char)c))
                return;
            lx_adv(lx);
            c = lx->pos < lx->len ? lx->s[lx->pos] : -1;
            if (c != '+' && c != '-')
                continue;
            c1 = lx->pos + 1 < lx->len ? lx->s[lx->pos + 1] : -1;
            if (!is_digit(c1))
                continue; /* caught below as a malformed exponent */
        } else {
            break;
        }
        if (!lx_put(lx, t, (unsigned char)c))
            return;
        lx_adv(lx);
    }
    size_t end = lx->pos;
    while (end < lx->len && is_word_char(lx, lx->s[end]) && lx->s[end] != '#')
        end++;
    char shown[40];
    sdnlex_show(shown, sizeof shown, (const char *)lx->s + start, end - start);
    char last = t->text[t->len - 1];
    if (end != lx->pos || last == 'e' || last == 'E') {
        lx_fail(lx, t->line, t->col, "malformed number '%s'", shown);
        return;
    }
    if (dot || exp) {
        int rc = to_double(t->text, t->len, &t->f);
        if (rc < 0)
            lx_fail(lx, t->line, t->col, "out of memory");
        else if (rc == 0)
            lx_fail(lx, t->line, t->col, "malformed number '%s'", shown);
        else if (isinf(t->f))
            lx_fail(lx, t->line, t->col, "number %s is out of range for a 64-bit float", shown);
        else
            t->kind = T_FLOAT;
        return;
    }
    bool neg = t->text[0] == '-';
    uint64_t mag = 0, limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (const char *d = t->text + neg; *d; d++) {
        unsigned dv = (unsigned)(*d - '0');
        if (mag > (limit - dv) / 10) {
            lx_fail(lx, t->line, t->col, "integer %s does not fit in 64 bits", shown);
            return;
        }
        mag = mag * 10 + dv;
    }
    /* -(INT64_MIN) overflows, so the most negative value is built directly */
    t->i = !neg ? (int64_t)mag : mag == limit ? INT64_MIN : -(int64_t)mag;
    t->kind = T_INT;
}

static void lex_word(sdn_lexer *lx, sdn_token *t)
{
    while (lx->pos < lx->len && is_word_char(lx, lx->s[lx->pos])) {
        if (!lx_put(lx, t, lx->s[lx->pos]))
            return;
        lx_adv(lx);
    }
    static const struct { const char *w; sdn_tok_kind k; } kw[] = {
        { "true", T_TRUE }, { "false", T_FALSE }, { "null", T_NULL }, { "nil", T_NULL }, { "table", T_TABLE },
    };
    t->kind = T_WORD;
    for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
        if (strcmp(t->text, kw[i].w) == 0)
            t->kind = kw[i].k;
}

/* Advances one byte; a column counts a UTF-8 character, so continuation
 * bytes do not move it. Line and column saturate at INT_MAX. */
static void lx_adv(sdn_lexer *lx)
{
    unsigned char c = lx->s[lx->pos++];
    if (c == '\n') {
        if (lx->line < INT_MAX)
            lx->line++;
        lx->col = 1;
    } else if ((c & 0xC0) != 0x80 && lx->col < INT_MAX) {
        lx->col++;
    }
}

/* Appends c to the token text, keeping it NUL-terminated. */
static bool lx_put(sdn_lexer *lx, sdn_token *t, unsigned char c)
{
    if (t->len + 2 > t->cap) {
        size_t ncap = t->cap ? 2 * t->cap : 64;
        char *nt = ncap > t->cap ? realloc(t->text, ncap) : NULL;
        if (!nt) {
            lx_fail(lx, t->line, t->col, "out of memory");
            return false;
        }
        t->text = nt;
        t->cap = ncap;
    }
    t->text[t->len++] = (char)c;
    t->text[t->len] = '\0';
    return true;
}

static void lx_fail(sdn_lexer *lx, int line, int col, const char *fmt, ...)
{
    if (lx->failed)
        return;
    lx->failed = true;
    lx->eline = line;
    lx->ecol = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(lx->emsg, sizeof lx->emsg, fmt, ap);
    va_end(ap);
}

static bool is_digit(int c) { return c >= '0' && c <= '9'; }

/* Characters that continue a bare word: letters, digits, _ / . - # and any
 * byte >= 0x80; '%' too outside compat mode. */
static bool is_word_char(const sdn_lexer *lx, int c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) || c == '_' ||
           c == '/' || c == '.' || c == '-' || c == '#' || c >= 0x80 || (c == '%' && !lx->compat);
}

/* strtod of a number lexeme, which spells the decimal point '.', whatever
 * LC_NUMERIC says. Returns 1 ok, 0 unreadable, -1 out of memory. The
 * locale's decimal point is learnt from snprintf, not localeconv(), because
 * localeconv() is not thread-safe. */
static int to_double(const char *s, size_t n, double *out)
{
    char *end;
    *out = strtod(s, &end);
    const char *dot = memchr(s, '.', n);
    if (end == s + n || !dot)
        return end == s + n;
    char probe[16]; /* "0" decimal-point "5" */
    int pl = snprintf(probe, sizeof probe, "%.1f", 0.5);
    if (pl < 3 || (size_t)pl >= sizeof probe || probe[pl - 1] != '5')
        return 0;
    size_t dpl = (size_t)pl - 2, head = (size_t)(dot - s), tl = n - 1 + dpl;
    char *tmp = malloc(tl + 1);
    if (!tmp)
        return -1;
    memcpy(tmp, s, head);
    memcpy(tmp + head, probe + 1, dpl);
    memcpy(tmp + head + dpl, dot + 1, n - head - 1);
    tmp[tl] = '\0';
    *out = strtod(tmp, &end);
    int ok = end == tmp + tl;
    free(tmp);
    return ok;
}
