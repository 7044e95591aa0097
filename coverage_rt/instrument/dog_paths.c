/*
 * coverage_rt/instrument/dog_paths.c — normalising recorded traces to the
 * acyclic paths the manifest counts (the rule and the count are defined
 * together at the top of ins_paths.c), and counting the distinct ones.
 *
 * Walking a trace, a stack holds the loops the trace is inside, each
 * "first" (its first iteration is running) or "dropping" (a later
 * iteration began: its blocks are dropped until the trace leaves it).
 *   - Before a block b: pop every loop that does not contain b (the trace
 *     left it: by its exit outcome, break, or goto).
 *   - If the top loop is dropping, drop b; its exit outcome also pops it.
 *   - Otherwise keep b. If b is a loop's marker: a loop not on the stack is
 *     pushed (a do-while loop's first marker already starts iteration 2, so
 *     it is pushed dropping); a while/test-less loop that is "first" turns
 *     dropping. If b is the top loop's exit outcome, pop it.
 */
#include <stdlib.h>
#include <string.h>

#include "coverage_rt/instrument/dog.h"
#include "tools/util.h"

static int loop_of(const d_fn *f, uint32_t b)
{
    return b < f->nblocks ? f->block_loop[b] : 0;
}

/* Is loop `outer` loop `l` or one of its ancestors? */
static int contains(const d_fn *f, int outer, int l)
{
    for (int guard = 0; l > 0 && l <= f->nloops && guard <= f->nloops; guard++) {
        if (l == outer)
            return 1;
        l = f->loops[l].parent;
    }
    return 0;
}

size_t dp_normalize(const d_fn *f, const uint32_t *b, size_t n, uint32_t *out)
{
    enum { FIRST = 1, DROPPING = 2 };
    int stk[256], st[256], sp = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int lb = loop_of(f, b[i]);
        while (sp > 0 && !contains(f, stk[sp - 1], lb))
            sp--;
        if (sp > 0 && st[sp - 1] == DROPPING) {
            if ((int)b[i] == f->loops[stk[sp - 1]].exit)
                sp--;
            continue;
        }
        out[k++] = b[i];
        if (lb > 0 && (int)b[i] == f->loops[lb].marker) {
            if (sp > 0 && stk[sp - 1] == lb) {
                if (st[sp - 1] == FIRST && f->loops[lb].kind != 'd')
                    st[sp - 1] = DROPPING;
            } else if (sp < 256) {
                stk[sp] = lb;
                st[sp++] = f->loops[lb].kind == 'd' ? DROPPING : FIRST;
            }
        } else if (lb > 0 && sp > 0 && stk[sp - 1] == lb && (int)b[i] == f->loops[lb].exit)
            sp--;
    }
    return k;
}

/* ---- distinct normalised paths per function ---- */

typedef struct pent {
    size_t fn;
    uint64_t h;
    uint32_t *b;
    size_t n;
} pent;

static uint64_t hash(const uint32_t *b, size_t n, size_t fn)
{
    uint64_t h = 1469598103934665603ull ^ fn;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

typedef struct fidx {
    uint32_t pid;
    size_t at;
} fidx;

static int cmp_fidx(const void *a, const void *b)
{
    uint32_t x = ((const fidx *)a)->pid, y = ((const fidx *)b)->pid;
    return x < y ? -1 : x > y;
}

size_t dp_cover(const dmodel *m, const cov_doc *run, uint64_t *covered, uint64_t *open_traces,
                uint64_t *fragments)
{
    memset(covered, 0, m->nfn * sizeof *covered);
    *open_traces = *fragments = 0;
    fidx *ix = xmalloc((m->nfn + 1) * sizeof *ix);
    for (size_t i = 0; i < m->nfn; i++)
        ix[i] = (fidx){m->fn[i].pid, i};
    qsort(ix, m->nfn, sizeof *ix, cmp_fidx);

    size_t cap = 1024, used = 0, unknown = 0;
    pent *tab = xcalloc(cap, sizeof *tab);
    const rtx_cov_row *rows = run->m.rows[RTX_COV_PATH];
    size_t nrows = run->m.nrows[RTX_COV_PATH];
    uint32_t *buf = NULL;
    size_t bufcap = 0;
    for (size_t r = 0; r < nrows; r++) {
        const rtx_cov_key *k = &rows[r].k;
        fidx q = {k->dec, 0};
        fidx *hit = bsearch(&q, ix, m->nfn, sizeof *ix, cmp_fidx);
        if (hit == NULL) {
            unknown++;
            continue;
        }
        if (rows[r].n[0] == 0) {   /* still open when the process reported */
            (*open_traces)++;
            continue;
        }
        if (k->nblocks == 0 || k->blocks[0] != 0) {
            /* Not from the entry: the tail of a trace the collector dropped
             * when more than 64 were open on a thread (deep recursion). */
            (*fragments)++;
            continue;
        }
        if (k->nblocks > bufcap) {
            bufcap = k->nblocks;
            buf = xrealloc(buf, bufcap * sizeof *buf);
        }
        size_t n = dp_normalize(&m->fn[hit->at], k->blocks, k->nblocks, buf);
        uint64_t h = hash(buf, n, hit->at);
        if ((used + 1) * 2 > cap) {
            size_t ncap = cap * 2;
            pent *nt = xcalloc(ncap, sizeof *nt);
            for (size_t i = 0; i < cap; i++)
                if (tab[i].b) {
                    size_t j = tab[i].h & (ncap - 1);
                    while (nt[j].b)
                        j = (j + 1) & (ncap - 1);
                    nt[j] = tab[i];
                }
            free(tab);
            tab = nt;
            cap = ncap;
        }
        size_t j = h & (cap - 1);
        int found = 0;
        while (tab[j].b) {
            if (tab[j].h == h && tab[j].fn == hit->at && tab[j].n == n &&
                memcmp(tab[j].b, buf, n * sizeof *buf) == 0) {
                found = 1;
                break;
            }
            j = (j + 1) & (cap - 1);
        }
        if (!found) {
            tab[j] = (pent){hit->at, h, xmalloc((n + 1) * sizeof *buf), n};
            memcpy(tab[j].b, buf, n * sizeof *buf);
            used++;
            covered[hit->at]++;
        }
    }
    for (size_t i = 0; i < cap; i++)
        free(tab[i].b);
    free(tab);
    free(buf);
    free(ix);
    return unknown;
}
