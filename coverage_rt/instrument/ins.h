/*
 * coverage_rt/instrument/ins.h — rtcov-instrument, the libclang-19 source
 * rewriter that adds rt_coverage_* probes to one C translation unit
 * (coverage_rt/instrument/README.md has the rules). A host tool: not part of
 * libsimplert.
 *
 *   ins_main.c      command line, parsing, the prelude, writing the outputs
 *   ins_walk.c      the AST walk: functions, statements, decisions, conditions
 *   ins_edit.c      text insertions keyed on byte offsets, applied in one pass
 *   ins_paths.c     the per-function path model and its acyclic path count
 *   ins_manifest.c  the manifest (SDN) rows
 */
#ifndef INS_H
#define INS_H

#include <stddef.h>
#include <stdint.h>

#include <clang-c/Index.h>

/* ---- growable text ---- */
typedef struct ins_buf {
    char *s;
    size_t len, cap;
} ins_buf;
void ins_buf_put(ins_buf *b, const char *p, size_t n);
void ins_buf_printf(ins_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void *ins_xmalloc(size_t n);
void *ins_xrealloc(void *p, size_t n);
char *ins_xstrdup(const char *s);

/* ---- edits: text inserted at byte offsets of the original source ----
 * A wrap is an opener at `start` and a closer at `end` (start < end). At one
 * offset closers come before openers; closers of shorter spans first, openers
 * of longer spans first, and `depth` (AST nesting) breaks ties so that a
 * decision and its single condition over the same span nest correctly. */
typedef struct ins_edit {
    unsigned off;
    int closer;         /* 1 closer, 0 opener */
    unsigned span;      /* end - start of the wrap */
    int depth;
    unsigned seq;       /* creation order: the last tie-break, for a stable sort */
    char *text;
} ins_edit;

typedef struct ins_edits {
    ins_edit *v;
    size_t n, cap;
    unsigned seq;
} ins_edits;
void ins_wrap(ins_edits *e, unsigned start, unsigned end, int depth, const char *open,
              const char *close);
/* A statement inserted at `off`, before any wrap that opens there. */
void ins_insert(ins_edits *e, unsigned off, const char *text);
/* The rewritten text of src[0..len) (malloc'd, NUL-terminated). */
char *ins_apply(ins_edits *e, const char *src, size_t len, size_t *outlen);
void ins_edits_free(ins_edits *e);

/* ---- the path model of one function (ins_paths.c) ---- */
enum {
    P_SIMPLE, P_SEQ, P_IF, P_WHILE, P_DO, P_FOREVER, P_ONCE, P_NEVER, P_SWITCH, P_CASE,
    P_LABEL, P_RETURN, P_BREAK, P_CONTINUE, P_GOTO
};
typedef struct pnode {
    int kind;
    int arm;                 /* P_IF: -1 both arms; 1 or 0 when the condition is constant */
    int has_default;         /* P_SWITCH */
    int opaque;              /* records no block of its own: counts clamped to 0/1 */
    int nested;              /* P_CASE: not at the top level of its switch body */
    char *label;             /* P_LABEL, P_GOTO */
    struct pnode **k;        /* P_SEQ items; P_IF then, else; loops: body; P_SWITCH: body */
    size_t nk, capk;
} pnode;
pnode *pn_new(int kind);
void pn_add(pnode *p, pnode *kid);
void pn_free(pnode *p);
/* Number of acyclic paths through a function body (saturating at
 * INT64_MAX); *approx is set when the model cannot be exact (see the rules
 * in ins_paths.c). */
uint64_t pn_count_function(pnode *body, int *approx);

/* ---- the manifest ---- */
typedef struct m_decision {
    unsigned id, line, col, nconds, root_line, root_col;
    const char *kind;
    char *function;
    uint32_t path_id;
    int macro_leaf;          /* a condition is a macro expansion that may hold several */
    int bt, bf;              /* path blocks of the outcomes, -1 when none */
} m_decision;
typedef struct m_condition {
    unsigned dec, cond, line, col, op_line, op_col;
    int macro;               /* the condition starts in a macro expansion */
} m_condition;
typedef struct m_function {
    char *name;
    uint32_t path_id;
    unsigned line, col, nblocks;
    uint64_t paths;
    int approx;
} m_function;
typedef struct m_loop {
    uint32_t path_id;
    int loop, parent, marker, exit;
    const char *kind;        /* "while" (also for), "do", "forever" */
} m_loop;
typedef struct m_block {
    uint32_t path_id;
    int block, loop;
} m_block;
typedef struct m_skip {
    unsigned line, col;
    const char *kind;
    char *reason;
} m_skip;

typedef struct manifest {
    const char *file;        /* the name recorded in probes */
    const char *status;      /* "instrumented" or "not instrumented" */
    char *status_reason;
    m_decision *dec; size_t ndec, capdec;
    m_condition *cond; size_t ncond, capcond;
    m_function *fn; size_t nfn, capfn;
    m_loop *loop; size_t nloop, caploop;
    m_block *blk; size_t nblk, capblk;
    m_skip *skip; size_t nskip, capskip;
} manifest;
#define M_PUSH(arr, n, cap, item)                                                             \
    do {                                                                                      \
        if ((n) == (cap)) {                                                                   \
            (cap) = (cap) ? 2 * (cap) : 16;                                                    \
            (arr) = ins_xrealloc((arr), (cap) * sizeof *(arr));                              \
        }                                                                                     \
        (arr)[(n)++] = (item);                                                                \
    } while (0)
char *manifest_text(const manifest *m, size_t *len);
void manifest_free(manifest *m);

/* ---- the walk (ins_walk.c) ---- */
typedef struct ins_ctx {
    CXTranslationUnit tu;
    CXFile main_file;
    const char *src;
    size_t srclen;
    const char *name;        /* file name recorded in probes and the manifest */
    ins_edits edits;
    manifest man;
    unsigned next_decision;  /* 1-based, source order */
} ins_ctx;
/* Walks the translation unit, filling ctx->edits and ctx->man. */
void ins_walk_tu(ins_ctx *ctx);

uint32_t ins_fnv1a(const char *a, const char *b);

#endif /* INS_H */
