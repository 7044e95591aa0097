/*
 * sdn/sdn_read.c — the SDN recursive-descent parser and the parse API.
 *
 * Tokens come from sdn_lex.c; the parser keeps at most two of lookahead (a
 * key and what follows it). The lexer normalises layout (see sdn_lex.h), so
 * the parser never sees stray NEWLINEs and every block ends with DEDENT.
 *
 * Lexer errors do not stop the parser immediately: the lexer turns into an
 * ERROR token that the parser reports when it reaches it as the current
 * token, so errors come out in source order even with lookahead.
 */
#include "sdn/sdn.h"
#include "sdn/sdn_lex.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct parser {
    sdn_lexer lx;
    sdn_token tok[2]; /* tok[0] is current, tok[1] the lookahead; ntok are valid */
    int ntok;
    sdn_error *err;
    bool failed;
} parser;

typedef struct cellvec {
    sdn_value **v;
    size_t n, cap;
} cellvec;

static sdn_value *parse_doc(const char *text, size_t len, bool compat, sdn_error *err);
static sdn_token *peek(parser *p);
static sdn_token *peek2(parser *p);
static void advance(parser *p);
static bool is_key(const parser *p, const sdn_token *t);
static bool parse_entry(parser *p, sdn_value *dict, int depth, bool in_block);
static sdn_value *parse_colon_rest(parser *p, const char *key, int depth);
static sdn_value *parse_block(parser *p, int depth);
static sdn_value *parse_value(parser *p, int depth);
static sdn_value *parse_inline_array(parser *p, int depth);
static sdn_value *parse_inline_dict(parser *p, int depth);
static sdn_value *parse_named_table(parser *p, const char *key, int depth);
static sdn_value *parse_typed_table(parser *p, const char *key, int depth);
static bool parse_names(parser *p, sdn_tok_kind close, const char *what, char ***out, size_t *n);
static bool parse_row_block(parser *p, sdn_value *tbl, const char *key, int depth);
static bool parse_row(parser *p, sdn_value *tbl, const char *key, int depth);
static bool parse_tuples(parser *p, sdn_value *tbl, const char *key, int depth);
static bool finish_row(parser *p, sdn_value *tbl, const char *key, cellvec *c, int line, int col);
static bool expect_eol(parser *p, const char *what);
static bool check_depth(parser *p, int depth);
static bool cells_push(parser *p, cellvec *c, sdn_value *v);
static void cells_free(cellvec *c);
static char *dup_text(parser *p, const sdn_token *t);
static void perr(parser *p, int line, int col, const char *fmt, ...) SDN_PRINTF(4, 5);
static void perr_expect(parser *p, const char *fmt, ...) SDN_PRINTF(2, 3);
static void perr_oom(parser *p);

/* ------------------------------------------------------------- public API */

sdn_value *sdn_parse(const char *text, size_t len, sdn_error *err)
{
    return parse_doc(text, len, false, err);
}

sdn_value *sdn_parse_compat(const char *text, size_t len, sdn_error *err)
{
    return parse_doc(text, len, true, err);
}

sdn_value *sdn_parse_file(const char *path, sdn_error *err)
{
    if (err)
        *err = (sdn_error){ 0, 0, "" };
    int e = EINVAL;
    FILE *f = path ? fopen(path, "rb") : NULL;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    if (!f) {
        if (path)
            e = errno;
        goto io_error;
    }
    for (;;) {
        if (len == cap) {
            size_t ncap = cap ? cap * 2 : 65536;
            char *nb = ncap > cap ? realloc(buf, ncap) : NULL;
            if (!nb) {
                e = ENOMEM;
                goto io_error;
            }
            buf = nb;
            cap = ncap;
        }
        errno = 0;
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) {
            if (ferror(f)) {
                e = errno ? errno : EIO;
                goto io_error;
            }
            break;
        }
    }
    fclose(f);
    sdn_value *root = sdn_parse(buf, len, err);
    free(buf);
    return root;

io_error:
    if (f)
        fclose(f);
    free(buf);
    if (err)
        snprintf(err->msg, sizeof err->msg, "%s", strerror(e));
    errno = e;
    return NULL;
}

/* ----------------------------------------------------------------- parser */

static sdn_value *parse_doc(const char *text, size_t len, bool compat, sdn_error *err)
{
    if (err)
        *err = (sdn_error){ 0, 0, "" };
    if (!text) {
        if (err)
            snprintf(err->msg, sizeof err->msg, "no input (NULL text)");
        return NULL;
    }
    parser p;
    memset(&p, 0, sizeof p);
    p.err = err;
    sdn_value *root = NULL;
    if (!sdnlex_init(&p.lx, text, len, compat)) {
        perr(&p, 1, 1, "out of memory");
        goto done;
    }
    root = sdn_new_dict();
    if (!root) {
        perr(&p, 1, 1, "out of memory");
        goto done;
    }
    while (peek(&p)->kind != T_EOF) {
        if (!parse_entry(&p, root, 1, false)) {
            sdn_free(root);
            root = NULL;
            break;
        }
    }
done:
    sdnlex_free(&p.lx);
    free(p.tok[0].text);
    free(p.tok[1].text);
    return root;
}

/* One `key ...` line (plus whatever block or rows belong to it) into dict.
 * depth is the depth of the entry's value. */
static bool parse_entry(parser *p, sdn_value *dict, int depth, bool in_block)
{
    if (!check_depth(p, depth))
        return false; /* also covers values that check nothing: `key:` alone */
    sdn_token *t = peek(p);
    if (!is_key(p, t)) {
        perr_expect(p, "a key");
        return false;
    }
    bool bare = t->kind == T_WORD;
    char *key = dup_text(p, t);
    if (!key)
        return false;
    advance(p);
    sdn_value *v = NULL;
    char shown[48];
    t = peek(p);
    if (t->kind == T_COLON) {
        advance(p);
        v = parse_colon_rest(p, key, depth);
    } else if (t->kind == T_EQUALS) {
        advance(p);
        v = parse_value(p, depth);
        if (v && !expect_eol(p, "after the value")) {
            sdn_free(v);
            v = NULL;
        }
    } else if (t->kind == T_PIPE) {
        v = parse_named_table(p, key, depth);
    } else if (t->kind == T_NEWLINE && in_block && bare) {
        /* upstream: a bare word alone in a dict block is word: "word" */
        advance(p);
        v = sdn_new_cstr(key);
        if (!v)
            perr_oom(p);
    } else {
        perr_expect(p, "':', '=' or '|' after key \"%s\"", sdnlex_show(shown, sizeof shown, key, strlen(key)));
    }
    bool ok = v != NULL;
    if (ok && sdn_dict_set(dict, key, v) != 0) {
        perr_oom(p);
        ok = false;
    }
    free(key);
    return ok;
}

static sdn_value *parse_colon_rest(parser *p, const char *key, int depth)
{
    sdn_token *t = peek(p);
    if (t->kind == T_TABLE) {
        advance(p);
        return parse_typed_table(p, key, depth);
    }
    if (t->kind == T_NEWLINE) {
        advance(p);
        if (peek(p)->kind == T_INDENT) {
            advance(p);
            return parse_block(p, depth);
        }
        sdn_value *v = sdn_new_null(); /* `key:` with nothing under it */
        if (!v)
            perr_oom(p);
        return v;
    }
    sdn_value *v = parse_value(p, depth);
    if (v && !expect_eol(p, "after the value")) {
        sdn_free(v);
        v = NULL;
    }
    return v;
}

/* After INDENT. A block is a dict if its first line is `key:` (or, outside
 * compat mode, `key =` / `key |`); otherwise a list with one value per line. */
static sdn_value *parse_block(parser *p, int depth)
{
    if (!check_depth(p, depth))
        return NULL;
    sdn_token *a = peek(p);
    sdn_token *b = peek2(p);
    bool dict = is_key(p, a) &&
                (b->kind == T_COLON ||
                 (!p->lx.compat && (b->kind == T_EQUALS || b->kind == T_PIPE)));
    sdn_value *v = dict ? sdn_new_dict() : sdn_new_array();
    if (!v) {
        perr_oom(p);
        return NULL;
    }
    while (peek(p)->kind != T_DEDENT) {
        if (dict) {
            if (!parse_entry(p, v, depth + 1, true))
                goto fail;
            continue;
        }
        sdn_value *item = parse_value(p, depth + 1);
        if (!item)
            goto fail;
        if (sdn_array_push(v, item) != 0) {
            perr_oom(p);
            goto fail;
        }
        if (!expect_eol(p, "after a list element"))
            goto fail;
    }
    advance(p);
    return v;
fail:
    sdn_free(v);
    return NULL;
}

static sdn_value *parse_value(parser *p, int depth)
{
    if (!check_depth(p, depth))
        return NULL;
    sdn_token *t = peek(p);
    sdn_value *v;
    switch (t->kind) {
    case T_INT: v = sdn_new_int(t->i); break;
    case T_FLOAT: v = sdn_new_float(t->f); break;
    case T_STRING:
    case T_WORD: v = sdn_new_str(t->text, t->len); break;
    case T_TRUE: v = sdn_new_bool(true); break;
    case T_FALSE: v = sdn_new_bool(false); break;
    case T_NULL: v = sdn_new_null(); break;
    case T_LBRACKET: return parse_inline_array(p, depth);
    case T_LBRACE: return parse_inline_dict(p, depth);
    default:
        perr_expect(p, "a value");
        return NULL;
    }
    if (!v) {
        perr_oom(p);
        return NULL;
    }
    advance(p);
    return v;
}

static sdn_value *parse_inline_array(parser *p, int depth)
{
    advance(p); /* [ */
    sdn_value *a = sdn_new_array();
    if (!a) {
        perr_oom(p);
        return NULL;
    }
    while (peek(p)->kind != T_RBRACKET) {
        sdn_value *v = parse_value(p, depth + 1);
        if (!v)
            goto fail;
        if (sdn_array_push(a, v) != 0) {
            perr_oom(p);
            goto fail;
        }
        sdn_tok_kind k = peek(p)->kind;
        if (k == T_COMMA)
            advance(p);
        else if (k != T_RBRACKET) {
            perr_expect(p, "',' or ']' in the [...] list");
            goto fail;
        }
    }
    advance(p);
    return a;
fail:
    sdn_free(a);
    return NULL;
}

static sdn_value *parse_inline_dict(parser *p, int depth)
{
    advance(p); /* { */
    sdn_value *d = sdn_new_dict();
    char shown[48];
    if (!d) {
        perr_oom(p);
        return NULL;
    }
    while (peek(p)->kind != T_RBRACE) {
        if (!is_key(p, peek(p))) {
            perr_expect(p, "a key or '}' in the {...} dict");
            goto fail;
        }
        char *key = dup_text(p, peek(p));
        if (!key)
            goto fail;
        advance(p);
        if (peek(p)->kind != T_COLON) {
            perr_expect(p, "':' after key \"%s\" in the {...} dict",
                        sdnlex_show(shown, sizeof shown, key, strlen(key)));
            free(key);
            goto fail;
        }
        advance(p);
        sdn_value *v = parse_value(p, depth + 1);
        int rc = v ? sdn_dict_set(d, key, v) : -1;
        free(key);
        if (!v)
            goto fail;
        if (rc != 0) {
            perr_oom(p);
            goto fail;
        }
        sdn_tok_kind k = peek(p)->kind;
        if (k == T_COMMA)
            advance(p);
        else if (k != T_RBRACE) {
            perr_expect(p, "',' or '}' in the {...} dict");
            goto fail;
        }
    }
    advance(p);
    return d;
fail:
    sdn_free(d);
    return NULL;
}

/* `key |f1, f2|` then an inline row on the same line, or indented rows. */
static sdn_value *parse_named_table(parser *p, const char *key, int depth)
{
    if (!check_depth(p, depth))
        return NULL;
    advance(p); /* | */
    char **names = NULL;
    size_t n = 0;
    if (!parse_names(p, T_PIPE, "column name", &names, &n))
        return NULL;
    sdn_value *tbl = sdn_new_table(n, (const char *const *)names, NULL);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (!tbl) {
        perr_oom(p);
        return NULL;
    }
    bool ok;
    if (peek(p)->kind == T_NEWLINE) {
        advance(p);
        ok = parse_row_block(p, tbl, key, depth);
    } else {
        ok = parse_row(p, tbl, key, depth);
    }
    if (!ok) {
        sdn_free(tbl);
        return NULL;
    }
    return tbl;
}

/* After `key: table`: `{T1, T2}` then `= [(..), (..)]` or indented rows. */
static sdn_value *parse_typed_table(parser *p, const char *key, int depth)
{
    static const char *const no_types[1] = { NULL }; /* non-NULL: typed */
    if (!check_depth(p, depth))
        return NULL;
    if (peek(p)->kind != T_LBRACE) {
        perr_expect(p, "'{' after 'table'");
        return NULL;
    }
    advance(p);
    char **names = NULL;
    size_t n = 0;
    if (!parse_names(p, T_RBRACE, "type name", &names, &n))
        return NULL;
    sdn_value *tbl = sdn_new_table(n, NULL, n ? (const char *const *)names : no_types);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (!tbl) {
        perr_oom(p);
        return NULL;
    }
    bool ok = false;
    sdn_tok_kind k = peek(p)->kind;
    if (k == T_EQUALS) {
        advance(p);
        ok = parse_tuples(p, tbl, key, depth) && expect_eol(p, "after the rows");
    } else if (k == T_NEWLINE) {
        advance(p);
        ok = parse_row_block(p, tbl, key, depth);
    } else {
        perr_expect(p, "'=' or end of line after table{...}");
    }
    if (!ok) {
        sdn_free(tbl);
        return NULL;
    }
    return tbl;
}

/* Comma-separated names up to the closing token (consumed). */
static bool parse_names(parser *p, sdn_tok_kind close, const char *what, char ***out, size_t *n)
{
    char closech = close == T_PIPE ? '|' : '}';
    char **names = NULL;
    size_t cap = 0;
    *n = 0;
    while (peek(p)->kind != close) {
        if (!is_key(p, peek(p))) {
            perr_expect(p, "a %s or '%c'", what, closech);
            goto fail;
        }
        if (*n == cap) {
            size_t ncap = cap ? 2 * cap : 8;
            char **nn = ncap < SIZE_MAX / sizeof(char *) ? realloc(names, ncap * sizeof(char *)) : NULL;
            if (!nn) {
                perr_oom(p);
                goto fail;
            }
            names = nn;
            cap = ncap;
        }
        names[*n] = dup_text(p, peek(p));
        if (!names[*n])
            goto fail;
        (*n)++;
        advance(p);
        sdn_tok_kind k = peek(p)->kind;
        if (k == T_COMMA)
            advance(p);
        else if (k != close) {
            perr_expect(p, "',' or '%c' after a %s", closech, what);
            goto fail;
        }
    }
    advance(p);
    *out = names;
    return true;
fail:
    for (size_t i = 0; i < *n; i++)
        free(names[i]);
    free(names);
    *n = 0;
    return false;
}

/* Rows after NEWLINE: an indented block of rows, or none at all. */
static bool parse_row_block(parser *p, sdn_value *tbl, const char *key, int depth)
{
    if (peek(p)->kind != T_INDENT)
        return true;
    advance(p);
    while (peek(p)->kind != T_DEDENT)
        if (!parse_row(p, tbl, key, depth))
            return false;
    advance(p);
    return true;
}

/* One comma row through its NEWLINE. As upstream: a comma where a cell
 * should start is an empty cell "", and a comma followed by the end of the
 * line ends the row (so `a,` is one cell and `a,,` two). */
static bool parse_row(parser *p, sdn_value *tbl, const char *key, int depth)
{
    cellvec c = { NULL, 0, 0 };
    int line = peek(p)->line, col = peek(p)->col;
    char shown[48];
    for (;;) {
        sdn_tok_kind k = peek(p)->kind;
        if (k == T_NEWLINE)
            break;
        if (k == T_COMMA) {
            sdn_value *empty = sdn_new_str("", 0);
            if (!empty) {
                perr_oom(p);
                goto fail;
            }
            if (!cells_push(p, &c, empty))
                goto fail;
            advance(p);
            continue;
        }
        sdn_value *v = parse_value(p, depth + 1);
        if (!v || !cells_push(p, &c, v))
            goto fail;
        k = peek(p)->kind;
        if (k == T_COMMA)
            advance(p);
        else if (k != T_NEWLINE) {
            perr_expect(p, "',' or end of line after a cell of table \"%s\"",
                        sdnlex_show(shown, sizeof shown, key, strlen(key)));
            goto fail;
        }
    }
    advance(p);
    return finish_row(p, tbl, key, &c, line, col);
fail:
    cells_free(&c);
    return false;
}

/* `[(v, v), (v, v)]` */
static bool parse_tuples(parser *p, sdn_value *tbl, const char *key, int depth)
{
    char shown[48];
    const char *k_shown = sdnlex_show(shown, sizeof shown, key, strlen(key));
    if (peek(p)->kind != T_LBRACKET) {
        perr_expect(p, "'[' after '='");
        return false;
    }
    advance(p);
    while (peek(p)->kind != T_RBRACKET) {
        if (peek(p)->kind != T_LPAREN) {
            perr_expect(p, "'(' or ']' in the rows of table \"%s\"", k_shown);
            return false;
        }
        int line = peek(p)->line, col = peek(p)->col;
        advance(p);
        cellvec c = { NULL, 0, 0 };
        while (peek(p)->kind != T_RPAREN) {
            sdn_value *v = parse_value(p, depth + 1);
            if (!v || !cells_push(p, &c, v)) {
                cells_free(&c);
                return false;
            }
            sdn_tok_kind k = peek(p)->kind;
            if (k == T_COMMA)
                advance(p);
            else if (k != T_RPAREN) {
                perr_expect(p, "',' or ')' in a row of table \"%s\"", k_shown);
                cells_free(&c);
                return false;
            }
        }
        advance(p);
        if (!finish_row(p, tbl, key, &c, line, col))
            return false;
        sdn_tok_kind k = peek(p)->kind;
        if (k == T_COMMA)
            advance(p);
        else if (k != T_RBRACKET) {
            perr_expect(p, "',' or ']' after a row of table \"%s\"", k_shown);
            return false;
        }
    }
    advance(p);
    return true;
}

/* Checks the cell count and moves the cells into the table; c is emptied. */
static bool finish_row(parser *p, sdn_value *tbl, const char *key, cellvec *c, int line, int col)
{
    char shown[48];
    size_t ncols = sdn_table_ncols(tbl);
    if (ncols == 0) {
        perr(p, line, col, "table \"%s\" has no columns, so it cannot have rows",
             sdnlex_show(shown, sizeof shown, key, strlen(key)));
        cells_free(c);
        return false;
    }
    if (c->n != ncols) {
        perr(p, line, col, "row has %zu cell%s but table \"%s\" has %zu column%s", c->n,
             c->n == 1 ? "" : "s", sdnlex_show(shown, sizeof shown, key, strlen(key)), ncols,
             ncols == 1 ? "" : "s");
        cells_free(c);
        return false;
    }
    int rc = sdn_table_add_row(tbl, c->v); /* frees the cells on failure */
    free(c->v);
    *c = (cellvec){ NULL, 0, 0 };
    if (rc != 0) {
        perr_oom(p);
        return false;
    }
    return true;
}

static bool expect_eol(parser *p, const char *what)
{
    if (peek(p)->kind == T_NEWLINE) {
        advance(p);
        return true;
    }
    perr_expect(p, "end of line %s", what);
    return false;
}

static bool check_depth(parser *p, int depth)
{
    if (depth <= SDN_MAX_DEPTH)
        return true;
    sdn_token *t = peek(p);
    perr(p, t->line, t->col, "nesting deeper than %d levels", SDN_MAX_DEPTH);
    return false;
}

static bool is_key(const parser *p, const sdn_token *t)
{
    return t->kind == T_WORD || (t->kind == T_STRING && !p->lx.compat);
}

static sdn_token *peek(parser *p)
{
    if (p->ntok == 0) {
        sdnlex_next(&p->lx, &p->tok[0]);
        p->ntok = 1;
    }
    return &p->tok[0];
}

static sdn_token *peek2(parser *p)
{
    peek(p);
    if (p->ntok == 1) {
        sdnlex_next(&p->lx, &p->tok[1]);
        p->ntok = 2;
    }
    return &p->tok[1];
}

/* Drops the current token. Slots are swapped, not copied, so each keeps its
 * own text buffer and no token text is ever reallocated while referenced. */
static void advance(parser *p)
{
    if (p->ntok == 2) {
        sdn_token tmp = p->tok[0];
        p->tok[0] = p->tok[1];
        p->tok[1] = tmp;
        p->ntok = 1;
    } else {
        p->ntok = 0;
    }
}

static bool cells_push(parser *p, cellvec *c, sdn_value *v)
{
    if (c->n == c->cap) {
        size_t ncap = c->cap ? 2 * c->cap : 8;
        sdn_value **nv = ncap < SIZE_MAX / sizeof(sdn_value *) ? realloc(c->v, ncap * sizeof *nv) : NULL;
        if (!nv) {
            sdn_free(v);
            perr_oom(p);
            return false;
        }
        c->v = nv;
        c->cap = ncap;
    }
    c->v[c->n++] = v;
    return true;
}

static void cells_free(cellvec *c)
{
    for (size_t i = 0; i < c->n; i++)
        sdn_free(c->v[i]);
    free(c->v);
    *c = (cellvec){ NULL, 0, 0 };
}

static char *dup_text(parser *p, const sdn_token *t)
{
    char *s = malloc(t->len + 1);
    if (!s) {
        perr_oom(p);
        return NULL;
    }
    if (t->len)
        memcpy(s, t->text, t->len);
    s[t->len] = '\0';
    return s;
}

/* ------------------------------------------------------------------ errors */

static void perr(parser *p, int line, int col, const char *fmt, ...)
{
    if (p->failed)
        return; /* keep the first error */
    p->failed = true;
    if (!p->err)
        return;
    p->err->line = line;
    p->err->col = col;
    int n = snprintf(p->err->msg, sizeof p->err->msg, "%d:%d: ", line, col);
    if (n < 0 || (size_t)n >= sizeof p->err->msg)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err->msg + n, sizeof p->err->msg - (size_t)n, fmt, ap);
    va_end(ap);
}

/* "expected <fmt...>, found <current token>" at the current token; a lexer
 * error at that token is reported instead, as it explains more. */
static void perr_expect(parser *p, const char *fmt, ...)
{
    sdn_token *t = peek(p);
    if (t->kind == T_ERROR) {
        perr(p, p->lx.eline, p->lx.ecol, "%s", p->lx.emsg);
        return;
    }
    char want[112], found[64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(want, sizeof want, fmt, ap);
    va_end(ap);
    if (t->kind == T_INDENT) {
        perr(p, t->line, t->col, "unexpected indentation (expected %s)", want);
        return;
    }
    sdnlex_describe(t, found, sizeof found);
    perr(p, t->line, t->col, "expected %s, found %s", want, found);
}

static void perr_oom(parser *p)
{
    sdn_token *t = peek(p);
    perr(p, t->line, t->col, "out of memory");
}
