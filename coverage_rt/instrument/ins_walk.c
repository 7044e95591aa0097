/*
 * coverage_rt/instrument/ins_walk.c — the AST walk of one translation unit:
 * which decisions, conditions, functions and path blocks get probes, and
 * the wraps that add them (coverage_rt/instrument/README.md has the rules).
 *
 * A decision is the condition of an if/while/for/do, the first operand of
 * `?:`, or an `&&`/`||` expression that is not itself inside such a
 * condition's and/or/not tree. Its conditions are the leaves of that tree
 * (parentheses, `!`, `&&`, `||` are the tree; everything else is a leaf),
 * numbered 0.. left to right, which is the order C evaluates them in.
 *
 *   leaf       ->  rtcov__c(D, K, line, col, !!(leaf))
 *   condition  ->  rtcov__d(D, line, col, !!(condition))                (?:, &&, ||)
 *              ->  rtcov__dp(D, line, col, P, bt, bf, !!(condition))    (if, loops)
 *
 * Every wrap is a call whose argument is the original text: each leaf is
 * evaluated once, where and when it was before, and `&&`/`||` still skip
 * what they skipped. `!!` turns any scalar (pointer, float, int, _Bool)
 * into the int 0/1 that C's logical operators produce anyway, so the
 * expression's value and type are unchanged where a truth value is used.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coverage_rt/instrument/ins_loc.h"

enum { D_OK, D_CONST, D_SKIP };

typedef struct wctx {
    ins_ctx *g;
    int in_fn;
    uint32_t pid;
    const char *fname;
    int nblocks, nloops, loop;   /* loop: the innermost loop's id, 0 outside loops */
    int paths_on;                /* blocks may be added (not in macros, statement expressions) */
    int depth;
    const char *listing;         /* non-NULL: decisions here are only listed, for this reason */
    int stmt_expr;               /* inside a GNU statement expression */
    int approx;
    int case_top;                /* at the top level of a switch body */
    int has_default;
} wctx;

static pnode *walk_stmt(wctx *w, CXCursor c);
static void walk_expr(wctx *w, CXCursor c);

uint32_t ins_fnv1a(const char *a, const char *b)
{
    uint32_t h = 2166136261u;
    for (const char *p = a; *p; p++)
        h = (h ^ (uint8_t)*p) * 16777619u;
    h = (h ^ 0u) * 16777619u;
    for (const char *p = b; *p; p++)
        h = (h ^ (uint8_t)*p) * 16777619u;
    return h ? h : 1;
}

static void skip(wctx *w, CXCursor at, const char *kind, const char *reason)
{
    unsigned line = 0, col = 0;
    if (loc_exp(w->g, clang_getCursorLocation(at), &line, &col, NULL) != 0)
        return;   /* not in this file: another file's manifest lists it */
    m_skip s = {line, col, kind, ins_xstrdup(reason)};
    M_PUSH(w->g->man.skip, w->g->man.nskip, w->g->man.capskip, s);
}

static int new_block(wctx *w)
{
    int b = ++w->nblocks;
    m_block r = {w->pid, b, w->loop};
    M_PUSH(w->g->man.blk, w->g->man.nblk, w->g->man.capblk, r);
    return b;
}

/* A new loop inside the current one; returns its index in the manifest. */
static size_t new_loop(wctx *w, const char *kind)
{
    m_loop l = {w->pid, ++w->nloops, w->loop, -1, -1, kind};
    M_PUSH(w->g->man.loop, w->g->man.nloop, w->g->man.caploop, l);
    return w->g->man.nloop - 1;
}

/* ---- decisions ---- */

typedef struct leaf {
    CXCursor c;
    unsigned s, e, line, col, op_line, op_col;
    int macro;
} leaf;
typedef struct tree {
    leaf *v;
    size_t n, cap;
    int macro_leaf, bad, root_set;
    unsigned root_line, root_col;
} tree;

/* Is the node's own token (keyword, operator, parenthesis) from a macro? */
static int node_in_macro(wctx *w, CXCursor c)
{
    int is_or;
    const char *op = NULL;
    if (cur_is_logical(c, &is_or))
        op = is_or ? "||" : "&&";
    else if (clang_getCursorKind(c) == CXCursor_ConditionalOperator)
        op = "?";
    if (op == NULL)
        return cur_in_macro(c);
    CXCursor *kids;
    size_t n = cur_kids(c, &kids);
    int in = n < 2 || !op_written(w->g, kids[0], kids[1], op);
    free(kids);
    return in;
}

static void start_of(wctx *w, CXCursor c, unsigned *line, unsigned *col)
{
    *line = *col = 0;
    loc_exp(w->g, clang_getRangeStart(clang_getCursorExtent(c)), line, col, NULL);
}

/* Does c's and/or/not tree hold an && or ||? */
static int has_logical(CXCursor c)
{
    c = cur_strip(c);
    if (cur_is_logical(c, NULL))
        return 1;
    if (clang_getCursorKind(c) != CXCursor_ParenExpr && !cur_is_not(c))
        return 0;
    CXCursor *kids;
    size_t n = cur_kids(c, &kids);
    int r = n == 1 && has_logical(kids[0]);
    free(kids);
    return r;
}

/* Collects the leaves under c. op_line/op_col: where the operand of the
 * innermost && or || that holds c starts (clang reports conditions there). */
static void collect(wctx *w, tree *t, CXCursor c, unsigned op_line, unsigned op_col)
{
    c = cur_strip(c);
    enum CXCursorKind k = clang_getCursorKind(c);
    int is_tree = k == CXCursor_ParenExpr || cur_is_not(c) || cur_is_logical(c, NULL);
    if (is_tree && !node_in_macro(w, c)) {
        CXCursor *kids;
        size_t n = cur_kids(c, &kids);
        if (cur_is_logical(c, NULL) && n == 2) {
            if (!t->root_set) {
                start_of(w, c, &t->root_line, &t->root_col);
                t->root_set = 1;
            }
            for (size_t i = 0; i < 2; i++) {
                unsigned l, cc;
                start_of(w, kids[i], &l, &cc);
                collect(w, t, kids[i], l, cc);
            }
        } else if (n == 1) {
            collect(w, t, kids[0], op_line, op_col);
        } else
            t->bad = 1;
        free(kids);
        return;
    }
    leaf l = {.c = c, .op_line = op_line, .op_col = op_col};
    if (is_tree && has_logical(c))
        t->macro_leaf = 1;   /* a macro that expands to its own && or || */
    if (cur_range(w->g, c, &l.s, &l.e) != 0 ||
        !text_balanced(w->g->src, w->g->srclen, l.s, l.e)) {
        t->bad = 1;
        return;
    }
    start_of(w, c, &l.line, &l.col);
    l.macro = loc_in_macro(clang_getRangeStart(clang_getCursorExtent(c)));
    M_PUSH(t->v, t->n, t->cap, l);
}

/* Walks the leaves of c's and/or/not tree (nested decisions live there). */
static void walk_leaves(wctx *w, CXCursor c)
{
    c = cur_strip(c);
    if (clang_getCursorKind(c) == CXCursor_ParenExpr || cur_is_not(c) || cur_is_logical(c, NULL)) {
        CXCursor *kids;
        size_t n = cur_kids(c, &kids);
        for (size_t i = 0; i < n; i++)
            walk_leaves(w, kids[i]);
        free(kids);
    } else
        walk_expr(w, c);
}

/* anchor: the statement or operator (its location is the keyword or
 * operator); cond: the condition expression. */
static int decision(wctx *w, CXCursor anchor, CXCursor cond, const char *kind, int blocks,
                    int *bt, int *bf, int *cval)
{
    *bt = *bf = -1;
    const char *why = NULL;
    int cv;
    if (w->listing)
        why = w->listing;
    else if (!w->in_fn)
        why = "outside a function body";
    else if (node_in_macro(w, anchor))
        why = "in a macro expansion";   /* a condition that is a macro is a leaf: collect() */
    else if (cur_const(cond, &cv)) {
        skip(w, anchor, kind, "constant condition");
        *cval = cv;
        walk_leaves(w, cond);
        return D_CONST;
    }
    unsigned s = 0, e = 0;
    tree t = {0};
    if (why == NULL) {
        if (cur_range(w->g, cond, &s, &e) != 0 ||
            !text_balanced(w->g->src, w->g->srclen, s, e))
            why = "cannot delimit the condition in the source";
        else {
            unsigned l, c;
            start_of(w, cond, &l, &c);
            collect(w, &t, cond, l, c);
            if (t.bad || t.n == 0)
                why = "a condition is only partly inside a macro expansion";
        }
    }
    if (why != NULL) {
        skip(w, anchor, kind, why);
        free(t.v);
        walk_leaves(w, cond);
        return D_SKIP;
    }

    ins_ctx *g = w->g;
    unsigned id = g->next_decision++;
    m_decision d = {.id = id, .kind = kind, .nconds = (unsigned)t.n,
                    .function = ins_xstrdup(w->fname ? w->fname : ""), .path_id = w->pid,
                    .macro_leaf = t.macro_leaf, .bt = -1, .bf = -1};
    start_of(w, cond, &d.line, &d.col);
    if (t.root_set) {
        d.root_line = t.root_line;
        d.root_col = t.root_col;
    } else {
        d.root_line = t.v[0].line;
        d.root_col = t.v[0].col;
    }
    char open[160];
    if (blocks && w->paths_on) {
        *bt = d.bt = new_block(w);
        *bf = d.bf = new_block(w);
        snprintf(open, sizeof open, "rtcov__dp(%u, %u, %u, %uu, %d, %d, !!(", id, d.line, d.col,
                 (unsigned)w->pid, d.bt, d.bf);
    } else
        snprintf(open, sizeof open, "rtcov__d(%u, %u, %u, !!(", id, d.line, d.col);
    ins_wrap(&g->edits, s, e, w->depth, open, "))");
    M_PUSH(g->man.dec, g->man.ndec, g->man.capdec, d);

    w->depth += 2;
    for (size_t i = 0; i < t.n; i++) {
        const leaf *l = &t.v[i];
        m_condition mc = {id, (unsigned)i, l->line, l->col, l->op_line, l->op_col, l->macro};
        M_PUSH(g->man.cond, g->man.ncond, g->man.capcond, mc);
        snprintf(open, sizeof open, "rtcov__c(%u, %u, %u, %u, !!(", id, (unsigned)i, l->line,
                 l->col);
        ins_wrap(&g->edits, l->s, l->e, w->depth - 1, open, "))");
        walk_expr(w, l->c);
    }
    w->depth -= 2;
    free(t.v);
    return D_OK;
}

/* ---- expressions ---- */

static int has_gnu_cond(wctx *w, CXCursor c)
{
    unsigned s, e;
    if (cur_range(w->g, c, &s, &e) != 0)
        return 0;
    for (unsigned i = s; i < e; i++)
        if (w->g->src[i] == '?') {
            unsigned j = i + 1;
            while (j < e && (w->g->src[j] == ' ' || w->g->src[j] == '\t' || w->g->src[j] == '\n'))
                j++;
            if (j < e && w->g->src[j] == ':')
                return 1;
        }
    return 0;
}

static void walk_kids_expr(wctx *w, CXCursor c)
{
    CXCursor *kids;
    size_t n = cur_kids(c, &kids);
    for (size_t i = 0; i < n; i++)
        walk_expr(w, kids[i]);
    free(kids);
}

static void walk_expr(wctx *w, CXCursor c)
{
    enum CXCursorKind k = clang_getCursorKind(c);
    int bt, bf, cv, is_or;
    if (k == CXCursor_ConditionalOperator) {
        CXCursor *kids;
        size_t n = cur_kids(c, &kids);
        if (n == 3) {
            decision(w, c, kids[0], "ternary", 0, &bt, &bf, &cv);
            walk_expr(w, kids[1]);
            walk_expr(w, kids[2]);
        }
        free(kids);
    } else if (cur_is_logical(c, &is_or)) {
        decision(w, c, c, is_or ? "or" : "and", 0, &bt, &bf, &cv);
    } else if (k == CXCursor_UnaryExpr || k == CXCursor_GenericSelectionExpr) {
        /* sizeof, _Alignof, _Generic: operands that are never evaluated. */
        const char *saved = w->listing;
        if (saved == NULL)
            w->listing = "in an operand that is not evaluated (sizeof, _Alignof, _Generic)";
        walk_kids_expr(w, c);
        w->listing = saved;
    } else if (k == CXCursor_StmtExpr) {
        /* A GNU statement expression: decisions inside get probes, but no
         * path blocks (the expression is one step of its statement). */
        int saved = w->paths_on;
        w->paths_on = 0;
        w->stmt_expr++;
        CXCursor *kids;
        size_t n = cur_kids(c, &kids);
        for (size_t i = 0; i < n; i++)
            pn_free(walk_stmt(w, kids[i]));
        free(kids);
        w->stmt_expr--;
        w->paths_on = saved;
    } else if (k == CXCursor_UnexposedExpr && has_gnu_cond(w, c)) {
        CXCursor *kids;
        size_t n = cur_kids(c, &kids);
        free(kids);
        if (n >= 2) {
            /* `a ?: b` (BinaryConditionalOperator): its operand is shared by
             * two children, so nothing under it is rewritten. */
            if (!cur_in_macro(c))
                skip(w, c, "ternary", "GNU conditional with an omitted operand (a ?: b)");
            const char *saved = w->listing;
            if (saved == NULL)
                w->listing = "inside a GNU conditional with an omitted operand";
            walk_kids_expr(w, c);
            w->listing = saved;
        } else
            walk_kids_expr(w, c);
    } else
        walk_kids_expr(w, c);
}

/* ---- statements ---- */

/* The marker block of a test-less loop, at the start of every iteration. */
static void loop_marker(wctx *w, CXCursor body, size_t li)
{
    unsigned s, e;
    if (!w->paths_on || cur_range(w->g, body, &s, &e) != 0) {
        w->approx = 1;
        return;
    }
    int blk = new_block(w);
    w->g->man.loop[li].marker = blk;
    char txt[96];
    snprintf(txt, sizeof txt, "rt_coverage_path_probe(%uu, %du); ", (unsigned)w->pid, blk);
    if (clang_getCursorKind(body) == CXCursor_CompoundStmt && !cur_in_macro(body)) {
        ins_insert(&w->g->edits, s + 1, txt);
    } else {
        char open[112];
        snprintf(open, sizeof open, "{ %s", txt);
        ins_wrap(&w->g->edits, s, stmt_full_end(w->g, e), -1, open, " }");
    }
}

/* A loop body walked inside a new loop (when blocks are on). */
static pnode *loop_body(wctx *w, pnode *p, CXCursor body, size_t li, int forever)
{
    int saved = w->loop;
    if (li != (size_t)-1)
        w->loop = w->g->man.loop[li].loop;
    if (forever && li != (size_t)-1)
        loop_marker(w, body, li);
    pn_add(p, walk_stmt(w, body));
    w->loop = saved;
    return p;
}

/* A loop whose condition was instrumented records which probe marks an
 * iteration and which the exit, so traces can tell iterations apart; any
 * other loop node is opaque and the function's path count approximate. */
static void mark_loop(wctx *w, pnode *p, int r, size_t li, int bt, int bf)
{
    if (r == D_OK && li != (size_t)-1 && bt >= 0) {
        w->g->man.loop[li].marker = bt;
        w->g->man.loop[li].exit = bf;
    } else {
        p->opaque = 1;
        if (w->paths_on)
            w->approx = 1;   /* iterations cannot be told apart in traces */
    }
}

static pnode *walk_loop(wctx *w, CXCursor c, CXCursor *cond, CXCursor body, const char *kind)
{
    int bt, bf, cv;
    int has_cond = cond != NULL;
    if (has_cond && cur_const(*cond, &cv)) {
        skip(w, c, kind, "constant condition");
        walk_leaves(w, *cond);
        if (!cv)
            return loop_body(w, pn_new(P_NEVER), body, (size_t)-1, 0);
        has_cond = 0;
    }
    if (!has_cond) {
        size_t li = w->paths_on ? new_loop(w, "forever") : (size_t)-1;
        pnode *p = loop_body(w, pn_new(P_FOREVER), body, li, 1);
        p->opaque = li == (size_t)-1;
        return p;
    }
    size_t li = w->paths_on ? new_loop(w, "while") : (size_t)-1;
    int saved = w->loop;
    if (li != (size_t)-1)
        w->loop = w->g->man.loop[li].loop;
    int r = decision(w, c, *cond, kind, 1, &bt, &bf, &cv);
    w->loop = saved;
    pnode *p = pn_new(P_WHILE);
    mark_loop(w, p, r, li, bt, bf);
    return loop_body(w, p, body, li, 0);
}

static pnode *walk_do(wctx *w, CXCursor c, CXCursor body, CXCursor cond)
{
    int bt, bf, cv;
    if (cur_const(cond, &cv) && !cur_in_macro(c)) {
        if (!cv) {   /* do { } while (0): one pass, not a loop */
            pnode *p = pn_new(P_ONCE);
            pn_add(p, walk_stmt(w, body));
            skip(w, c, "do", "constant condition");
            return p;
        }
        size_t li = w->paths_on ? new_loop(w, "forever") : (size_t)-1;
        pnode *p = loop_body(w, pn_new(P_FOREVER), body, li, 1);
        p->opaque = li == (size_t)-1;
        skip(w, c, "do", "constant condition");
        return p;
    }
    size_t li = w->paths_on ? new_loop(w, "do") : (size_t)-1;
    pnode *p = loop_body(w, pn_new(P_DO), body, li, 0);
    int saved = w->loop;
    if (li != (size_t)-1)
        w->loop = w->g->man.loop[li].loop;
    int r = decision(w, c, cond, "do", 1, &bt, &bf, &cv);
    w->loop = saved;
    mark_loop(w, p, r, li, bt, bf);
    return p;
}

static pnode *walk_for(wctx *w, CXCursor c, CXCursor *kids, size_t n)
{
    unsigned s1, s2, rp;
    CXCursor *init = NULL, *cond = NULL, *inc = NULL;
    if (n == 0)
        return pn_new(P_SIMPLE);
    if (cur_in_macro(c) || for_header(w->g, c, &s1, &s2, &rp) != 0) {
        skip(w, c, "for", cur_in_macro(c) ? "in a macro expansion"
                                          : "cannot find the parts of the for header");
        for (size_t i = 0; i + 1 < n; i++)
            walk_expr(w, kids[i]);
        pnode *p = pn_new(P_WHILE);
        p->opaque = 1;
        if (w->paths_on)
            w->approx = 1;
        pn_add(p, walk_stmt(w, kids[n - 1]));
        return p;
    }
    for (size_t i = 0; i + 1 < n; i++) {
        unsigned off;
        if (loc_exp(w->g, clang_getRangeStart(clang_getCursorExtent(kids[i])), NULL, NULL, &off))
            continue;
        if (off < s1)
            init = &kids[i];
        else if (off < s2)
            cond = &kids[i];
        else if (off < rp)
            inc = &kids[i];
    }
    if (init) {
        if (clang_getCursorKind(*init) == CXCursor_DeclStmt)
            pn_free(walk_stmt(w, *init));
        else
            walk_expr(w, *init);
    }
    /* The increment is walked after the test (source order of ids), but
     * belongs to no block: it runs between iterations. */
    pnode *p;
    if (cond) {
        int bt, bf, cv;
        if (cur_const(*cond, &cv)) {
            p = walk_loop(w, c, cond, kids[n - 1], "for");
            if (inc)
                walk_expr(w, *inc);
            return p;
        }
        size_t li = w->paths_on ? new_loop(w, "while") : (size_t)-1;
        int saved = w->loop;
        if (li != (size_t)-1)
            w->loop = w->g->man.loop[li].loop;
        int r = decision(w, c, *cond, "for", 1, &bt, &bf, &cv);
        w->loop = saved;
        if (inc)
            walk_expr(w, *inc);
        p = pn_new(P_WHILE);
        mark_loop(w, p, r, li, bt, bf);
        return loop_body(w, p, kids[n - 1], li, 0);
    }
    if (inc)
        walk_expr(w, *inc);
    return walk_loop(w, c, NULL, kids[n - 1], "for");
}

static void case_block(wctx *w, CXCursor c, CXCursor sub)
{
    unsigned s, e;
    if (!w->paths_on || !w->in_fn)
        return;
    if (cur_in_macro(c) || cur_range(w->g, sub, &s, &e) != 0) {
        skip(w, c, "case", "case label in a macro expansion: no path block");
        w->approx = 1;
        return;
    }
    /* `case 1: case 2:` becomes `case 1: probe; fallthrough; case 2: probe;`:
     * the attribute keeps -Wimplicit-fallthrough quiet about our statement. */
    enum CXCursorKind sk = clang_getCursorKind(sub);
    int label = sk == CXCursor_CaseStmt || sk == CXCursor_DefaultStmt;
    char txt[128];
    snprintf(txt, sizeof txt, "rt_coverage_path_probe(%uu, %du);%s ", (unsigned)w->pid,
             new_block(w), label ? " __attribute__((fallthrough));" : "");
    ins_insert(&w->g->edits, s, txt);
}

static pnode *walk_stmt(wctx *w, CXCursor c)
{
    enum CXCursorKind k = clang_getCursorKind(c);
    int macro = cur_in_macro(c);
    int saved_paths = w->paths_on;
    int top = w->case_top;
    w->case_top = 0;
    if (macro)
        w->paths_on = 0;
    CXCursor *kids;
    size_t n = cur_kids(c, &kids);
    pnode *p;
    int bt, bf, cv;
    switch (k) {
    case CXCursor_CompoundStmt:
        p = pn_new(P_SEQ);
        for (size_t i = 0; i < n; i++) {
            w->case_top = top;
            pn_add(p, walk_stmt(w, kids[i]));
        }
        break;
    case CXCursor_IfStmt:
        p = pn_new(P_IF);
        if (n >= 2) {
            int r = decision(w, c, kids[0], "if", 1, &bt, &bf, &cv);
            if (r == D_CONST)
                p->arm = cv;
            else if (r == D_SKIP) {
                p->opaque = 1;
                if (w->paths_on)
                    w->approx = 1;
            }
            pn_add(p, walk_stmt(w, kids[1]));
            if (n > 2)
                pn_add(p, walk_stmt(w, kids[2]));
        }
        break;
    case CXCursor_WhileStmt:
        p = n == 2 ? walk_loop(w, c, &kids[0], kids[1], "while") : pn_new(P_SIMPLE);
        break;
    case CXCursor_DoStmt:
        p = n == 2 ? walk_do(w, c, kids[0], kids[1]) : pn_new(P_SIMPLE);
        break;
    case CXCursor_ForStmt:
        p = walk_for(w, c, kids, n);
        break;
    case CXCursor_SwitchStmt: {
        p = pn_new(P_SWITCH);
        int saved_def = w->has_default;
        w->has_default = 0;
        for (size_t i = 0; i + 1 < n; i++)
            walk_expr(w, kids[i]);
        if (n > 0) {
            w->case_top = 1;
            pn_add(p, walk_stmt(w, kids[n - 1]));
        }
        p->has_default = w->has_default;
        w->has_default = saved_def;
        break;
    }
    case CXCursor_CaseStmt:
    case CXCursor_DefaultStmt:
        p = pn_new(P_CASE);
        p->nested = !top;
        if (k == CXCursor_DefaultStmt)
            w->has_default = 1;
        if (n > 0) {
            case_block(w, c, kids[n - 1]);
            w->case_top = top;
            pn_add(p, walk_stmt(w, kids[n - 1]));
        }
        break;
    case CXCursor_LabelStmt: {
        p = pn_new(P_LABEL);
        CXString sp = clang_getCursorSpelling(c);
        p->label = ins_xstrdup(clang_getCString(sp));
        clang_disposeString(sp);
        if (n > 0) {
            w->case_top = top;
            pn_add(p, walk_stmt(w, kids[n - 1]));
        }
        break;
    }
    case CXCursor_ReturnStmt:
        for (size_t i = 0; i < n; i++)
            walk_expr(w, kids[i]);
        p = pn_new(P_RETURN);
        if (w->stmt_expr)
            w->approx = 1;
        break;
    case CXCursor_BreakStmt:
        p = pn_new(P_BREAK);
        break;
    case CXCursor_ContinueStmt:
        p = pn_new(P_CONTINUE);
        break;
    case CXCursor_GotoStmt:
        p = pn_new(P_GOTO);
        for (size_t i = 0; i < n; i++)
            if (clang_getCursorKind(kids[i]) == CXCursor_LabelRef) {
                CXString sp = clang_getCursorSpelling(kids[i]);
                p->label = ins_xstrdup(clang_getCString(sp));
                clang_disposeString(sp);
            }
        if (w->stmt_expr)
            w->approx = 1;
        break;
    case CXCursor_IndirectGotoStmt:
        for (size_t i = 0; i < n; i++)
            walk_expr(w, kids[i]);
        p = pn_new(P_GOTO);   /* no label: counted as an exit, approx */
        break;
    default:
        /* Expression statements, declarations, asm, null statements. */
        walk_expr(w, c);
        p = pn_new(P_SIMPLE);
        break;
    }
    free(kids);
    if (macro)
        p->opaque = 1;
    w->paths_on = saved_paths;
    return p;
}

/* ---- functions and the translation unit ---- */

static void walk_function(wctx *w, CXCursor fn, CXCursor body)
{
    ins_ctx *g = w->g;
    CXString sp = clang_getCursorSpelling(fn);
    char *name = ins_xstrdup(clang_getCString(sp));
    clang_disposeString(sp);
    unsigned s, e, line = 0, col = 0;
    loc_exp(g, clang_getCursorLocation(fn), &line, &col, NULL);
    if (cur_in_macro(fn) || cur_in_macro(body) || cur_range(g, body, &s, &e) != 0 ||
        g->src[s] != '{') {
        skip(w, fn, "function", "function defined in a macro expansion: no path probes");
        w->in_fn = 1;   /* its decisions are in the macro too: each is listed */
        w->paths_on = 0;
        pn_free(walk_stmt(w, body));
        w->in_fn = 0;
        free(name);
        return;
    }
    *w = (wctx){.g = g, .in_fn = 1, .pid = ins_fnv1a(g->name, name), .fname = name,
                .paths_on = 1};
    m_block entry = {w->pid, 0, 0};
    M_PUSH(g->man.blk, g->man.nblk, g->man.capblk, entry);
    char txt[200];
    snprintf(txt, sizeof txt,
             " __attribute__((cleanup(rtcov__fin), unused)) const rtcov__u32 rtcov__pid = %uu;"
             " rt_coverage_path_probe(%uu, 0u);",
             (unsigned)w->pid, (unsigned)w->pid);
    ins_insert(&g->edits, s + 1, txt);
    pnode *p = walk_stmt(w, body);
    m_function f = {.name = name, .path_id = w->pid, .line = line, .col = col,
                    .nblocks = (unsigned)w->nblocks + 1};
    f.approx = w->approx;
    f.paths = pn_count_function(p, &f.approx);
    pn_free(p);
    M_PUSH(g->man.fn, g->man.nfn, g->man.capfn, f);
    *w = (wctx){.g = g};
}

void ins_walk_tu(ins_ctx *g)
{
    wctx w = {.g = g};
    CXCursor *kids;
    size_t n = cur_kids(clang_getTranslationUnitCursor(g->tu), &kids);
    for (size_t i = 0; i < n; i++) {
        unsigned off;
        if (loc_exp(g, clang_getCursorLocation(kids[i]), NULL, NULL, &off) != 0)
            continue;   /* declared in a header */
        enum CXCursorKind k = clang_getCursorKind(kids[i]);
        if (k == CXCursor_FunctionDecl && clang_isCursorDefinition(kids[i])) {
            CXCursor *fk;
            size_t fn = cur_kids(kids[i], &fk);
            if (fn > 0 && clang_getCursorKind(fk[fn - 1]) == CXCursor_CompoundStmt)
                walk_function(&w, kids[i], fk[fn - 1]);
            free(fk);
        } else {
            w.listing = "outside a function body";
            walk_expr(&w, kids[i]);
            w.listing = NULL;
        }
    }
    free(kids);
}
