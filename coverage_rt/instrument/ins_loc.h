/*
 * coverage_rt/instrument/ins_loc.h — positions, macro detection and token
 * helpers for the walk (ins_loc.c).
 */
#ifndef INS_LOC_H
#define INS_LOC_H

#include "coverage_rt/instrument/ins.h"

/* Expansion position of l in the main file; -1 when it is elsewhere. */
int loc_exp(ins_ctx *g, CXSourceLocation l, unsigned *line, unsigned *col, unsigned *off);
/* 1 when l comes from a macro expansion (body or argument). */
int loc_in_macro(CXSourceLocation l);
int cur_in_macro(CXCursor c);
/* [*s, *e) byte range of a cursor in the main file: -1 when it has none we
 * can wrap (outside the file, or ending inside a macro argument of an
 * invocation that is not the whole cursor). */
int cur_range(ins_ctx *g, CXCursor c, unsigned *s, unsigned *e);
/* 1 when the text between cursor a's end and cursor b's start is the
 * operator `op` written in the main file (libclang gives an expression's
 * start, not its operator, as its location). */
int op_written(ins_ctx *g, CXCursor a, CXCursor b, const char *op);
/* 1 when src[a..b) is a balanced run of tokens with no top-level `;`. */
int text_balanced(const char *s, size_t len, size_t a, size_t b);
/* `end`, or past the `;` that follows it (blanks and comments between). */
unsigned stmt_full_end(ins_ctx *g, unsigned end);
/* The two `;` and the `)` of a for statement's header; -1 if not found. */
int for_header(ins_ctx *g, CXCursor forstmt, unsigned *semi1, unsigned *semi2, unsigned *rparen);

/* Children (malloc'd array; the caller frees it). */
size_t cur_kids(CXCursor c, CXCursor **out);
enum CXChildVisitResult kid_visitor(CXCursor c, CXCursor parent, CXClientData data);
/* Looks through implicit casts (an unexposed expression with one child of
 * the same extent). */
CXCursor cur_strip(CXCursor c);
int cur_is_logical(CXCursor c, int *is_or);
int cur_is_not(CXCursor c);
/* 1 and *value when c folds to a constant (clang_Cursor_Evaluate). */
int cur_const(CXCursor c, int *value);

typedef struct cur_acc {
    CXCursor *v;
    size_t n, cap;
} cur_acc;

#endif /* INS_LOC_H */
