/*
 * sdn/sdn_lex.h — PRIVATE to sdn/: the SDN lexer used by sdn_read.c.
 *
 * The lexer is pulled one token at a time and normalises layout: blank and
 * comment-only lines vanish, every line that produced a token ends with
 * exactly one NEWLINE (also at end of input), an indented block is
 * INDENT ... DEDENT, and all open blocks are closed before EOF.
 *
 * Errors are sticky: after the first one every token is T_ERROR, and the
 * message and position stay in the lexer (emsg, eline, ecol).
 */
#ifndef SIMPLERT_SDN_LEX_H
#define SIMPLERT_SDN_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* printf-style checking of the error formatters' arguments */
#if defined(__GNUC__)
#define SDN_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define SDN_PRINTF(fmt, args)
#endif

typedef enum sdn_tok_kind {
    T_EOF, T_NEWLINE, T_INDENT, T_DEDENT,
    T_COLON, T_EQUALS, T_PIPE, T_COMMA,
    T_LBRACE, T_RBRACE, T_LBRACKET, T_RBRACKET, T_LPAREN, T_RPAREN,
    T_STRING, T_WORD, T_INT, T_FLOAT, T_TRUE, T_FALSE, T_NULL, T_TABLE,
    T_ERROR
} sdn_tok_kind;

typedef struct sdn_token {
    sdn_tok_kind kind;
    int line, col;
    char *text; /* STRING/WORD/keyword contents or number lexeme; NUL-terminated */
    size_t len, cap;
    int64_t i;
    double f;
} sdn_token;

typedef struct sdn_lexer {
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
} sdn_lexer;

/* Prepares lx over text[0..len); false if out of memory. compat: accept
 * only what upstream's lexer accepts (no '/', '.' word starts, no '%'). */
bool sdnlex_init(sdn_lexer *lx, const char *text, size_t len, bool compat);

/* Releases what sdnlex_init allocated. */
void sdnlex_free(sdn_lexer *lx);

/* The next token into t. t->text is reused between calls (the buffer stays
 * owned by t; free(t->text) when done). */
void sdnlex_next(sdn_lexer *lx, sdn_token *t);

/* "found ..." wording for t, e.g. "','", "end of line", "number 12". */
void sdnlex_describe(const sdn_token *t, char *out, size_t cap);

/* s[0..n) for a message: control bytes become '?', long text is cut at a
 * UTF-8 character boundary and gets "...". Returns out. */
const char *sdnlex_show(char *out, size_t cap, const char *s, size_t n);

#endif
