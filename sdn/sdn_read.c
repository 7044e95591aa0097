/*
 * sdn/sdn_read.c — SDN lexer and recursive-descent parser.
 *
 * The lexer is pulled one token at a time; the parser keeps at most two
 * tokens of lookahead (a key and what follows it). Layout is normalised by
 * the lexer: blank and comment-only lines vanish, every line that produced a
 * token ends with exactly one NEWLINE (also at end of input), an indented
 * block is INDENT ... DEDENT, and all open blocks are closed before EOF. So
 * the parser never sees stray NEWLINEs and every block ends with DEDENT.
 *
 * Lexer errors do not stop the parser immediately: the lexer turns into an
 * ERROR token that the parser reports when it reaches it as the current
 * token, so errors come out in source order even with lookahead.
 */
#include "sdn/sdn.h"

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum tok_kind {
    T_EOF, T_NEWLINE, T_INDENT, T_DEDENT,
    T_COLON, T_EQUALS, T_PIPE, T_COMMA,
    T_LBRACE, T_RBRACE, T_LBRACKET, T_RBRACKET, T_LPAREN, T_RPAREN,
    T_STRING, T_WORD, T_INT, T_FLOAT, T_TRUE, T_FALSE, T_NULL, T_TABLE,
    T_ERROR
} tok_kind;

typedef struct token {
    tok_kind kind;
    int line, col;
    char *text; /* STRING/WORD/keyword contents or number lexeme; NUL-terminated */
    size_t len, cap;
    int64_t i;
    double f;
} token;

typedef struct lexer {
    const unsigned char *s;
    size_t len, pos;
    int line, col;         /* position of s[pos] */
    bool compat;           /* upstream subset: no reader extensions */
    size_t *ind;           /* open indentation widths; ind[0] == 0 */
    size_t nind, capind;
    size_t dedents;        /* DEDENTs still owed for the current line */
    int dline, dcol;
    bool line_start;       /* the next token must first measure indentation */
    bool line_has_tokens;  /* a NEWLINE is owed before end of input */
    bool failed;           /* sticky: every later token is T_ERROR */
    int eline, ecol;
    char emsg[128];
} lexer;

typedef struct parser {
    lexer lx;
    token tok[2]; /* tok[0] is current, tok[1] the lookahead; ntok are valid */
    int ntok;
    sdn_error *err;
    bool failed;
} parser;

typedef struct cellvec {
    sdn_value **v;
    size_t n, cap;
} cellvec;

static sdn_value *parse_doc(const char *text, size_t len, bool compat, sdn_error *err);
static void lex_next(lexer *lx, token *t);
static bool lex_indent(lexer *lx, token *t);
static void lex_string(lexer *lx, token *t);
static void lex_number(lexer *lx, token *t);
static void lex_word(lexer *lx, token *t);
static void lx_adv(lexer *lx);
static bool lx_put(lexer *lx, token *t, unsigned char c);
static void lx_fail(lexer *lx, int line, int col, const char *fmt, ...);
static bool is_word_char(const lexer *lx, int c);
static bool is_digit(int c);
static token *peek(parser *p);
static token *peek2(parser *p);
static void advance(parser *p);
static bool is_key(const parser *p, const token *t);
static bool parse_entry(parser *p, sdn_value *dict, int depth, bool in_block);
static sdn_value *parse_colon_rest(parser *p, const char *key, int depth);
static sdn_value *parse_block(parser *p, int depth);
static sdn_value *parse_value(parser *p, int depth);
static sdn_value *parse_inline_array(parser *p, int depth);
static sdn_value *parse_inline_dict(parser *p, int depth);
static sdn_value *parse_named_table(parser *p, const char *key, int depth);
static sdn_value *parse_typed_table(parser *p, const char *key, int depth);
static bool parse_names(parser *p, tok_kind close, const char *what, char ***out, size_t *n);
static bool parse_row_block(parser *p, sdn_value *tbl, const char *key, int depth);
static bool parse_row(parser *p, sdn_value *tbl, const char *key, int depth);
static bool parse_tuples(parser *p, sdn_value *tbl, const char *key, int depth);
static bool finish_row(parser *p, sdn_value *tbl, const char *key, cellvec *c, int line, int col);
static bool expect_eol(parser *p, const char *what);
static bool check_depth(parser *p, int depth);
static bool cells_push(parser *p, cellvec *c, sdn_value *v);
static void cells_free(cellvec *c);
static char *dup_text(parser *p, const token *t);
static void perr(parser *p, int line, int col, const char *fmt, ...);
static void perr_expect(parser *p, const char *fmt, ...);
static void perr_oom(parser *p);
static void describe(const token *t, char *out, size_t cap);
static const char *show(char *out, size_t cap, const char *s, size_t n);

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
    p.lx.s = (const unsigned char *)text;
    p.lx.len = len;
    p.lx.line = p.lx.col = 1;
    p.lx.compat = compat;
    p.lx.line_start = true;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        p.lx.pos = 3; /* UTF-8 byte order mark */

    sdn_value *root = NULL;
    p.lx.ind = malloc(8 * sizeof(size_t));
    if (!p.lx.ind) {
        perr(&p, 1, 1, "out of memory");
        goto done;
    }
    p.lx.ind[0] = 0;
    p.lx.nind = 1;
    p.lx.capind = 8;
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
    free(p.lx.ind);
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
    token *t = peek(p);
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
        perr_expect(p, "':', '=' or '|' after key \"%s\"", show(shown, sizeof shown, key, strlen(key)));
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
    token *t = peek(p);
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
    token *a = peek(p);
    token *b = peek2(p);
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
    token *t = peek(p);
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
        tok_kind k = peek(p)->kind;
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
                        show(shown, sizeof shown, key, strlen(key)));
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
        tok_kind k = peek(p)->kind;
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
    tok_kind k = peek(p)->kind;
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
static bool parse_names(parser *p, tok_kind close, const char *what, char ***out, size_t *n)
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
        tok_kind k = peek(p)->kind;
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
        tok_kind k = peek(p)->kind;
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
                        show(shown, sizeof shown, key, strlen(key)));
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
    const char *k_shown = show(shown, sizeof shown, key, strlen(key));
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
            tok_kind k = peek(p)->kind;
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
        tok_kind k = peek(p)->kind;
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
             show(shown, sizeof shown, key, strlen(key)));
        cells_free(c);
        return false;
    }
    if (c->n != ncols) {
        perr(p, line, col, "row has %zu cell%s but table \"%s\" has %zu column%s", c->n,
             c->n == 1 ? "" : "s", show(shown, sizeof shown, key, strlen(key)), ncols,
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
    token *t = peek(p);
    perr(p, t->line, t->col, "nesting deeper than %d levels", SDN_MAX_DEPTH);
    return false;
}

static bool is_key(const parser *p, const token *t)
{
    return t->kind == T_WORD || (t->kind == T_STRING && !p->lx.compat);
}

static token *peek(parser *p)
{
    if (p->ntok == 0) {
        lex_next(&p->lx, &p->tok[0]);
        p->ntok = 1;
    }
    return &p->tok[0];
}

static token *peek2(parser *p)
{
    peek(p);
    if (p->ntok == 1) {
        lex_next(&p->lx, &p->tok[1]);
        p->ntok = 2;
    }
    return &p->tok[1];
}

/* Drops the current token. Slots are swapped, not copied, so each keeps its
 * own text buffer and no token text is ever reallocated while referenced. */
static void advance(parser *p)
{
    if (p->ntok == 2) {
        token tmp = p->tok[0];
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

static char *dup_text(parser *p, const token *t)
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
    token *t = peek(p);
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
    describe(t, found, sizeof found);
    perr(p, t->line, t->col, "expected %s, found %s", want, found);
}

static void perr_oom(parser *p)
{
    token *t = peek(p);
    perr(p, t->line, t->col, "out of memory");
}

static void describe(const token *t, char *out, size_t cap)
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
    case T_STRING: snprintf(out, cap, "string \"%s\"", show(buf, sizeof buf, t->text, t->len)); break;
    case T_INT: case T_FLOAT:
        snprintf(out, cap, "number %s", show(buf, sizeof buf, t->text, t->len));
        break;
    default: /* words and keywords */
        snprintf(out, cap, "'%s'", show(buf, sizeof buf, t->text, t->len));
        break;
    }
}

/* Copies s[0..n) for a message: control bytes become '?', long text is cut
 * at a UTF-8 character boundary and gets "...". */
static const char *show(char *out, size_t cap, const char *s, size_t n)
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

/* ------------------------------------------------------------------ lexer */

static void lex_next(lexer *lx, token *t)
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
            static const tok_kind kinds[] = { T_COLON, T_EQUALS, T_PIPE, T_COMMA, T_LBRACE,
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
static bool lex_indent(lexer *lx, token *t)
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

static void lex_string(lexer *lx, token *t)
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

static void lex_number(lexer *lx, token *t)
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
    show(shown, sizeof shown, (const char *)lx->s + start, end - start);
    char last = t->text[t->len - 1];
    if (end != lx->pos || last == 'e' || last == 'E') {
        lx_fail(lx, t->line, t->col, "malformed number '%s'", shown);
        return;
    }
    if (dot || exp) {
        char dp = localeconv()->decimal_point[0];
        if (dp != '.' && dp != '\0') {
            char *d = strchr(t->text, '.');
            if (d)
                *d = dp; /* strtod follows LC_NUMERIC */
        }
        char *e = NULL;
        t->f = strtod(t->text, &e);
        if (e != t->text + t->len || isinf(t->f)) {
            lx_fail(lx, t->line, t->col, "number %s is out of range for a 64-bit float", shown);
            return;
        }
        if (dp != '.' && dp != '\0') {
            char *d = strchr(t->text, dp);
            if (d)
                *d = '.';
        }
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

static void lex_word(lexer *lx, token *t)
{
    while (lx->pos < lx->len && is_word_char(lx, lx->s[lx->pos])) {
        if (!lx_put(lx, t, lx->s[lx->pos]))
            return;
        lx_adv(lx);
    }
    static const struct { const char *w; tok_kind k; } kw[] = {
        { "true", T_TRUE }, { "false", T_FALSE }, { "null", T_NULL }, { "nil", T_NULL }, { "table", T_TABLE },
    };
    t->kind = T_WORD;
    for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
        if (strcmp(t->text, kw[i].w) == 0)
            t->kind = kw[i].k;
}

/* Advances one byte; a column counts a UTF-8 character, so continuation
 * bytes do not move it. Line and column saturate at INT_MAX. */
static void lx_adv(lexer *lx)
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
static bool lx_put(lexer *lx, token *t, unsigned char c)
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

static void lx_fail(lexer *lx, int line, int col, const char *fmt, ...)
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
static bool is_word_char(const lexer *lx, int c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) || c == '_' ||
           c == '/' || c == '.' || c == '-' || c == '#' || c >= 0x80 || (c == '%' && !lx->compat);
}
