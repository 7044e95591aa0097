/*
 * coverage_rt/instrument/ins_paths.c — the path model of one function and
 * its number of acyclic paths (the manifest's `acyclic_paths`).
 *
 * What a path is
 * --------------
 * An instrumented function records a trace: block 0 at entry, then one block
 * per branch outcome taken — the then/else outcome of each `if`, the
 * enter/leave outcome of each loop test, the case or default label a
 * `switch` enters (and every label it falls through), and the head marker of
 * a loop without a test (`for (;;)`, `while (1)`) at the start of every
 * iteration — and the trace is closed on every exit (a cleanup variable).
 * `?:`, `&&` and `||` have decision and condition probes but no blocks: a
 * path is the statement-level route through the function.
 *
 * Loops are cut to their acyclic unrolling. A trace is NORMALISED (the
 * `rtcov` join does it, from the manifest's loops and blocks tables): for
 * each loop activation everything is kept up to and including the marker
 * that begins its SECOND iteration (a while/for loop's second "enter"
 * outcome, a do-while loop's first "repeat" outcome, a test-less loop's
 * second head marker); from there the loop's own blocks are dropped until
 * the trace leaves the loop. So a loop is taken 0 times, exactly once, or
 * "more than once" — and the first iteration's route is kept in each case.
 *
 * Counting rule
 * -------------
 * For a statement S, count(S) = (N, B, C, R): the number of distinct block
 * sequences through S that end by completing S normally, by `break`, by
 * `continue`, and by leaving the function (`return`, or a `goto` to a label
 * of the function body followed to the function's end). With k = N + C of
 * a loop body (b = B, r = R of the body):
 *   plain statement         (1, 0, 0, 0)
 *   return / break / cont.  (0,0,0,1) / (0,1,0,0) / (0,0,1,0)
 *   S1; S2                  N = N1 N2, X = X1 + N1 X2 for X in B, C, R
 *   if                      the sum of both arms (a missing else is (1,0,0,0));
 *                           a constant condition counts only the arm it takes
 *   while/for with a test   N = 1 + 2k + b          (0 times; once then the test
 *                                                    fails; more than once; break
 *                                                    in the first iteration)
 *                           R = r + (r > 0 ? k : 0) (return in the first, or in a
 *                                                    later iteration)
 *   do S while (c)          N = 2k + b,   R = r + (r > 0 ? k : 0)
 *   for (;;), while (1)     N = b + (b > 0 ? k : 0), R = r + (r > 0 ? k : 0)
 *   do S while (0)          N = n + b + c, R = r   (one pass, no loop)
 *   switch                  per case/default label at the top of its body, the
 *                           sequence from that label to the end (break counts
 *                           as N); plus 1 when there is no default
 *   goto L                  R += (paths from L to the function's end), when L
 *                           labels a statement of the function body after the
 *                           goto's own top-level statement
 * A construct that records no block of its own (a statement from a macro
 * expansion, an `if` or loop whose decision was skipped) contributes at most
 * one sequence per way out: its counts are clamped to 0 or 1.
 * The function's count is N + R of its body (at least 1).
 *
 * `approx` is set when the model cannot match the traces exactly: a goto
 * backwards or to a label nested inside a statement, a case label not at
 * the top of its switch body, a computed goto, control flow inside a GNU
 * statement expression. Reports then cap covered paths at the count.
 * Counts saturate at INT64_MAX (2^63 - 1).
 */
#include <stdlib.h>
#include <string.h>

#include "coverage_rt/instrument/ins.h"

typedef struct cnt {
    uint64_t n, b, c, r;
} cnt;

#define SAT ((uint64_t)INT64_MAX)

static uint64_t add(uint64_t a, uint64_t b)
{
    return a > SAT - b ? SAT : a + b;
}

static uint64_t mul(uint64_t a, uint64_t b)
{
    if (a == 0 || b == 0)
        return 0;
    return a > SAT / b ? SAT : a * b;
}

/* Labels of the function body's top level and the paths from each to the
 * function's end; gotos look them up. */
typedef struct lab {
    const char *name;
    size_t pos;
    uint64_t total;
    int known;
} lab;
typedef struct cctx {
    lab *labs;
    size_t nlabs, caplabs;
    size_t top;             /* index of the top-level item being counted */
    int *approx;
} cctx;

static cnt count(const pnode *p, cctx *x);

pnode *pn_new(int kind)
{
    pnode *p = ins_xmalloc(sizeof *p);
    memset(p, 0, sizeof *p);
    p->kind = kind;
    p->arm = -1;
    return p;
}

void pn_add(pnode *p, pnode *kid)
{
    if (p->nk == p->capk) {
        p->capk = p->capk ? 2 * p->capk : 4;
        p->k = ins_xrealloc(p->k, p->capk * sizeof *p->k);
    }
    p->k[p->nk++] = kid;
}

void pn_free(pnode *p)
{
    if (p == NULL)
        return;
    for (size_t i = 0; i < p->nk; i++)
        pn_free(p->k[i]);
    free(p->k);
    free(p->label);
    free(p);
}

/* Items of a sequence with labels flattened: `L: S` is the marker L, then
 * S (itself flattened when it is another label). */
typedef struct items {
    const pnode **v;
    size_t n, cap;
} items;

static void flatten(items *it, const pnode *p)
{
    if (p->kind == P_SEQ) {
        for (size_t i = 0; i < p->nk; i++)
            flatten(it, p->k[i]);
        return;
    }
    M_PUSH(it->v, it->n, it->cap, p);
    if ((p->kind == P_LABEL || p->kind == P_CASE) && p->nk == 1)
        flatten(it, p->k[0]);
}

static cnt seq(const pnode *const *v, size_t n, cctx *x)
{
    cnt acc = {1, 0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        cnt k = count(v[i], x);
        acc.b = add(acc.b, mul(acc.n, k.b));
        acc.c = add(acc.c, mul(acc.n, k.c));
        acc.r = add(acc.r, mul(acc.n, k.r));
        acc.n = mul(acc.n, k.n);
    }
    return acc;
}

static cnt clamp(cnt c)
{
    return (cnt){c.n > 0, c.b > 0, c.c > 0, c.r > 0};
}

static cnt count_switch(const pnode *p, cctx *x)
{
    cnt out = {p->has_default ? 0 : 1, 0, 0, 0};
    if (p->nk == 0)
        return out;
    items it = {0};
    flatten(&it, p->k[0]);
    for (size_t i = 0; i < it.n; i++) {
        if (it.v[i]->kind != P_CASE)
            continue;
        /* From this label to the end of the body; the labels crossed on the
         * way are no-ops for the count (their blocks are deterministic). */
        cnt s = seq(it.v + i + 1, it.n - i - 1, x);
        out.n = add(out.n, add(s.n, s.b));
        out.c = add(out.c, s.c);
        out.r = add(out.r, s.r);
    }
    free(it.v);
    return out;
}

static cnt count(const pnode *p, cctx *x)
{
    cnt c = {1, 0, 0, 0};
    switch (p->kind) {
    case P_SIMPLE:
    case P_NEVER:
        break;
    case P_CASE:
    case P_LABEL:
        if (p->kind == P_CASE && p->nested)   /* not an entry the switch count knows */
            *x->approx = 1;
        break;   /* markers; their statement is the next item */
    case P_RETURN: c = (cnt){0, 0, 0, 1}; break;
    case P_BREAK: c = (cnt){0, 1, 0, 0}; break;
    case P_CONTINUE: c = (cnt){0, 0, 1, 0}; break;
    case P_GOTO: {
        c = (cnt){0, 0, 0, 1};
        int found = 0;
        for (size_t i = 0; i < x->nlabs && p->label; i++)
            if (strcmp(x->labs[i].name, p->label) == 0 && x->labs[i].known &&
                x->labs[i].pos > x->top) {
                c.r = x->labs[i].total;
                found = 1;
            }
        if (!found)
            *x->approx = 1;
        break;
    }
    case P_SEQ:
        c = seq((const pnode *const *)p->k, p->nk, x);
        break;
    case P_IF: {
        cnt t = p->nk > 0 ? count(p->k[0], x) : (cnt){1, 0, 0, 0};
        cnt e = p->nk > 1 ? count(p->k[1], x) : (cnt){1, 0, 0, 0};
        if (p->arm == 1)
            c = t;
        else if (p->arm == 0)
            c = e;
        else
            c = (cnt){add(t.n, e.n), add(t.b, e.b), add(t.c, e.c), add(t.r, e.r)};
        break;
    }
    case P_WHILE:
    case P_DO:
    case P_FOREVER:
    case P_ONCE: {
        cnt b = p->nk > 0 ? count(p->k[0], x) : (cnt){1, 0, 0, 0};
        uint64_t k = add(b.n, b.c);
        uint64_t r = add(b.r, b.r ? k : 0);
        if (p->kind == P_WHILE)
            c = (cnt){add(add(1, mul(2, k)), b.b), 0, 0, r};
        else if (p->kind == P_DO)
            c = (cnt){add(mul(2, k), b.b), 0, 0, r};
        else if (p->kind == P_FOREVER)
            c = (cnt){add(b.b, b.b ? k : 0), 0, 0, r};
        else
            c = (cnt){add(add(b.n, b.b), b.c), 0, 0, b.r};
        break;
    }
    case P_SWITCH:
        c = count_switch(p, x);
        break;
    }
    /* A construct without blocks of its own: one sequence per way out. */
    if (p->opaque)
        c = clamp(c);
    return c;
}

uint64_t pn_count_function(pnode *body, int *approx)
{
    items it = {0};
    flatten(&it, body);
    cctx x = {.approx = approx};
    for (size_t i = 0; i < it.n; i++)
        if (it.v[i]->kind == P_LABEL && it.v[i]->label) {
            lab l = {.name = it.v[i]->label, .pos = i};
            M_PUSH(x.labs, x.nlabs, x.caplabs, l);
        }
    /* T[i]: paths from item i to the function's end; computed backwards so a
     * forward goto finds its label's total. */
    uint64_t t = 1;
    for (size_t i = it.n; i-- > 0;) {
        x.top = i;
        const pnode *p = it.v[i];
        if (p->kind == P_LABEL) {
            for (size_t j = 0; j < x.nlabs; j++)
                if (x.labs[j].pos == i) {
                    x.labs[j].total = t;
                    x.labs[j].known = 1;
                }
            continue;
        }
        cnt c = count(p, &x);
        t = add(mul(c.n, t), c.r);
    }
    free(it.v);
    free(x.labs);
    return t ? t : 1;
}
