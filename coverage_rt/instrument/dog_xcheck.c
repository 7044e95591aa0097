/*
 * coverage_rt/instrument/dog_xcheck.c — the two cross-checks of the
 * collector against independent tools, on the same sources and workload.
 *
 * (a) `rtcov xgcov`: gcc --coverage -O0 of the uninstrumented sources, read
 * through `gcovr --json` (branch counts per line, in CFG order). gcc lowers
 * `a && b` to one conditional jump per condition, each with two out-edges,
 * all attributed to the line where the decision starts. So on a line L:
 *   - if gcov lists 2 x (the conditions of every decision starting on L)
 *     branches, each condition's (true, false) counts must equal one
 *     consecutive branch pair — in column order, or else as a multiset (gcc
 *     puts a loop's test after its body, and may invert a jump, so pair
 *     order and the order inside a pair are not relied on);
 *   - else the line is skipped ("branch layout differs": a switch on the
 *     line, conditions gcc folded into one test such as (a|b) == 0 or a
 *     bit test, a ?: gcc made branch-free, a decision written over several
 *     lines, whose jumps gcc spreads over them), and counted.
 * Lines holding a decision the instrumenter skipped in a macro expansion
 * are skipped too, as are decisions with a condition that is a macro with
 * conditions of its own.
 *
 * (b) `rtcov xmcdc`: clang-19 -fprofile-instr-generate -fcoverage-mapping
 * -fcoverage-mcdc, read through `llvm-cov-19 show --show-mcdc`. A clang
 * MC/DC record matches a decision when it starts between the decision's
 * first character and its outermost && / || (clang drops the parentheses
 * and `!` around it), has as many conditions, and each condition Ck starts
 * between where its operand starts and its leaf (for a condition that is a
 * macro expansion clang gives a place in the #define: not checked). For each condition the
 * unique-cause verdict ("Ck-Pair: covered") must equal simplert's (both are
 * the short-circuit form: conditions not evaluated are don't-care). clang
 * 19 makes no MC/DC record for one-condition decisions; its limits
 * (-fmcdc-max-conditions 32767, -fmcdc-max-test-vectors 2^31-2) are far
 * above anything here.
 *
 * Nondeterminism: given more runs of the simplert build on the same workload
 * (-r2, repeatable), decisions whose counts (a) or verdicts (b) differ
 * between any two runs are not compared, and counted. dogfood.sh makes those
 * runs with the heap shifted (RTCOV_XC_HEAP_SHIFT, xc_helper.c): the
 * runtime's heap registry is sharded by object address, so how many
 * allocations an object costs — and so where an allocation-failure test
 * stops — depends on the heap layout, which differs between builds.
 *
 * A mismatch prints file:line:column of the decision and both sides; the
 * exit status is then 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coverage_rt/instrument/dog.h"
#include "tools/json.h"
#include "tools/util.h"

typedef struct why {
    const char *reason;
    size_t n;
} why;
typedef struct tally {
    why v[16];
    size_t nv;
    int verbose;
    size_t compared_dec, compared_cond, mismatches;
    size_t compared_run;     /* compared decisions that ran at least once */
} tally;

static void skipped(tally *t, const char *reason, size_t n)
{
    for (size_t i = 0; i < t->nv; i++)
        if (strcmp(t->v[i].reason, reason) == 0) {
            t->v[i].n += n;
            return;
        }
    if (t->nv < 16)
        t->v[t->nv++] = (why){reason, n};
}

/* -v: the decisions behind a skip reason. */
static void skipped_at(tally *t, const d_dec *d, const char *reason)
{
    if (t->verbose)
        printf("  skip %s:%u:%u decision %u (%s): %s\n", d->file, d->line, d->col, d->id,
               d->kind, reason);
    skipped(t, reason, 1);
}

static void report(const char *name, const tally *t)
{
    printf("rtcov %s: compared %zu decisions (%zu conditions; %zu of the decisions ran), "
           "%zu mismatches\n",
           name, t->compared_dec, t->compared_cond, t->compared_run, t->mismatches);
    for (size_t i = 0; i < t->nv; i++)
        printf("  skipped %6zu: %s\n", t->v[i].n, t->v[i].reason);
}

#define MAX_ALT 8
typedef struct args {
    tlist mans, runs, runs2, inputs;   /* inputs: the reference, then repeat runs */
    int verbose;
    dmodel m;
    drun r, alt[MAX_ALT];
    size_t nalt;
} args;

static int parse_args(args *a, int argc, char **argv, const char *inopt)
{
    memset(a, 0, sizeof *a);
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "-m") && i + 1 < argc)
            tlist_add(&a->mans, argv[++i]);
        else if (!strcmp(argv[i], "-r") && i + 1 < argc)
            tlist_add(&a->runs, argv[++i]);
        else if (!strcmp(argv[i], "-r2") && i + 1 < argc && a->runs2.n < MAX_ALT)
            tlist_add(&a->runs2, argv[++i]);
        else if (!strcmp(argv[i], inopt) && i + 1 < argc)
            tlist_add(&a->inputs, argv[++i]);
        else if (!strcmp(argv[i], "-v"))
            a->verbose = 1;
        else {
            fprintf(stderr, "rtcov: unexpected '%s'\nusage: rtcov %s -m MANIFEST... -r RUN... "
                            "[-r2 RUN...] %s FILE...\n", argv[i], argv[1], inopt);
            return 2;
        }
    }
    if (!a->mans.n || !a->runs.n || !a->inputs.n) {
        fprintf(stderr, "usage: rtcov %s -m MANIFEST... -r RUN... [-r2 RUN...] %s FILE...\n",
                argv[1], inopt);
        return 2;
    }
    if (dm_load(&a->m, a->mans.v, a->mans.n) != 0 ||
        drun_load(&a->r, &a->m, a->runs.v, a->runs.n) != 0)
        return 2;
    for (size_t i = 0; i < a->runs2.n; i++) {
        if (drun_load(&a->alt[i], &a->m, &a->runs2.v[i], 1) != 0)
            return 2;
        a->nalt++;
    }
    return 0;
}

static void free_args(args *a)
{
    drun_free(&a->r, &a->m);
    for (size_t i = 0; i < a->nalt; i++)
        drun_free(&a->alt[i], &a->m);
    dm_free(&a->m);
    tlist_free(&a->mans);
    tlist_free(&a->runs);
    tlist_free(&a->runs2);
    tlist_free(&a->inputs);
}

/* Counts of decision i (k < 0) or of its condition k in run r. */
static void counts(const dmodel *m, const drun *r, size_t i, int k, uint64_t out[2])
{
    out[0] = out[1] = 0;
    size_t row;
    int kind;
    if (k < 0) {
        row = r->dec_of[i];
        kind = RTX_COV_DEC;
    } else {
        row = m->dec[i].cond0 == SIZE_MAX ? SIZE_MAX : r->cond_of[m->dec[i].cond0 + (size_t)k];
        kind = RTX_COV_COND;
    }
    if (row != SIZE_MAX) {
        out[0] = r->doc.m.rows[kind][row].n[0];
        out[1] = r->doc.m.rows[kind][row].n[1];
    }
}

static int stable(const args *a, size_t i)
{
    uint64_t x[2], y[2];
    for (size_t r = 0; r < a->nalt; r++)
        for (int k = -1; k < (int)a->m.dec[i].nconds; k++) {
            counts(&a->m, &a->r, i, k, x);
            counts(&a->m, &a->alt[r], i, k, y);
            if (x[0] != y[0] || x[1] != y[1])
                return 0;
        }
    return 1;
}

static int stable_mcdc(const args *a, size_t i)
{
    for (size_t r = 0; r < a->nalt; r++)
        if (a->r.mcdc[i].unique_cause != a->alt[r].mcdc[i].unique_cause ||
            a->r.has_vec[i] != a->alt[r].has_vec[i])
            return 0;
    return 1;
}

/* ---- (a) gcov ---- */

static int cmp_pair(const void *pa, const void *pb)
{
    const uint64_t *a = pa, *b = pb;
    if (a[0] != b[0])
        return a[0] < b[0] ? -1 : 1;
    return a[1] < b[1] ? -1 : a[1] > b[1];
}

/* Multiset equality of unordered pairs. */
static int same_pairs(uint64_t (*x)[2], uint64_t (*y)[2], size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (x[i][0] > x[i][1]) {
            uint64_t t = x[i][0];
            x[i][0] = x[i][1];
            x[i][1] = t;
        }
        if (y[i][0] > y[i][1]) {
            uint64_t t = y[i][0];
            y[i][0] = y[i][1];
            y[i][1] = t;
        }
    }
    qsort(x, n, sizeof *x, cmp_pair);
    qsort(y, n, sizeof *y, cmp_pair);
    return memcmp(x, y, n * sizeof *x) == 0;
}

static const json *gcov_file(const json *root, const char *name)
{
    const json *files = json_get(root, "files");
    for (size_t i = 0; files && i < files->n; i++) {
        const char *f = json_str(json_get(files->items[i], "file"), "");
        size_t lf = strlen(f), ln = strlen(name);
        if (strcmp(f, name) == 0 || (lf > ln && strcmp(f + lf - ln, name) == 0 && f[lf - ln - 1] == '/'))
            return files->items[i];
    }
    return NULL;
}

static const json *gcov_line(const json *file, unsigned line)
{
    const json *lines = json_get(file, "lines");
    for (size_t i = 0; lines && i < lines->n; i++)
        if ((unsigned)json_num(json_get(lines->items[i], "line_number"), 0) == line)
            return lines->items[i];
    return NULL;
}

static int tainted(const dmodel *m, const char *file, unsigned line)
{
    for (size_t i = 0; i < m->nskip; i++)
        if (m->skip[i].line == line && strcmp(m->skip[i].file, file) == 0 &&
            strcmp(m->skip[i].reason, "constant condition") != 0 &&
            strncmp(m->skip[i].reason, "in an operand that is not", 25) != 0 &&
            strcmp(m->skip[i].kind, "case") != 0 && strcmp(m->skip[i].kind, "function") != 0)
            return 1;
    return 0;
}

static void skip_line(tally *t, const dmodel *m, const size_t *ds, size_t nd, const char *reason)
{
    for (size_t i = 0; i < nd; i++)
        skipped_at(t, &m->dec[ds[i]], reason);
}

/* The same branch counts on the line in every repeat gcov run? */
static int gcov_stable(const json *const *roots, size_t nroots, const char *file, unsigned line,
                       const json *br)
{
    for (size_t r = 1; r < nroots; r++) {
        const json *gf = gcov_file(roots[r], file);
        const json *gl = gf ? gcov_line(gf, line) : NULL;
        const json *b2 = gl ? json_get(gl, "branches") : NULL;
        size_t n1 = br ? br->n : 0, n2 = b2 ? b2->n : 0;
        if (n1 != n2)
            return 0;
        for (size_t i = 0; i < n1; i++)
            if (json_num(json_get(br->items[i], "count"), 0) !=
                json_num(json_get(b2->items[i], "count"), 0))
                return 0;
    }
    return 1;
}

static int xgcov_line(args *a, const json *const *roots, size_t nroots, const json *gf,
                      const size_t *ds, size_t nd, tally *t)
{
    const dmodel *m = &a->m;
    const d_dec *d0 = &m->dec[ds[0]];
    const json *gl = gcov_line(gf, d0->line);
    const json *br = gl ? json_get(gl, "branches") : NULL;
    size_t nb = br ? br->n : 0, nconds = 0;
    for (size_t i = 0; i < nd; i++)
        nconds += m->dec[ds[i]].nconds;
    for (size_t i = 0; i < nd; i++)
        if (m->dec[ds[i]].macro_leaf) {
            skip_line(t, m, ds, nd, "a condition is a macro with conditions of its own");
            return 0;
        }
    if (tainted(m, d0->file, d0->line)) {
        skip_line(t, m, ds, nd, "the line also holds a decision from a macro expansion");
        return 0;
    }
    for (size_t i = 0; i < nd; i++)
        if (!stable(a, ds[i])) {
            skip_line(t, m, ds, nd, "counts differ between simplert runs (nondeterministic)");
            return 0;
        }
    if (!gcov_stable(roots, nroots, d0->file, d0->line, br)) {
        skip_line(t, m, ds, nd, "counts differ between gcov runs (nondeterministic)");
        return 0;
    }
    if (nb != 2 * nconds) {
        skip_line(t, m, ds, nd, nb ? "branch layout differs (gcov has other branches on the line)"
                                   : "gcov has no branches on the line");
        return 0;
    }
    size_t np = nconds;
    uint64_t (*ours)[2] = xcalloc(np + 1, sizeof *ours), (*gc)[2] = xcalloc(np + 1, sizeof *gc);
    for (size_t i = 0, p = 0; i < nd; i++)
        for (unsigned k = 0; k < m->dec[ds[i]].nconds; k++)
            counts(m, &a->r, ds[i], (int)k, ours[p++]);
    for (size_t p = 0; p < np; p++) {
        gc[p][0] = (uint64_t)json_num(json_get(br->items[2 * p], "count"), 0);
        gc[p][1] = (uint64_t)json_num(json_get(br->items[2 * p + 1], "count"), 0);
    }
    int ok = 1;
    for (size_t p = 0; p < np && ok; p++)   /* in order, either way round */
        ok = (ours[p][0] == gc[p][0] && ours[p][1] == gc[p][1]) ||
             (ours[p][0] == gc[p][1] && ours[p][1] == gc[p][0]);
    if (!ok) {
        uint64_t (*x)[2] = xmalloc((np + 1) * sizeof *x), (*y)[2] = xmalloc((np + 1) * sizeof *y);
        memcpy(x, ours, np * sizeof *x);
        memcpy(y, gc, np * sizeof *y);
        ok = same_pairs(x, y, np);
        free(x);
        free(y);
    }
    if (!ok) {
        for (size_t i = 0, p = 0; i < nd; i++) {
            const d_dec *d = &m->dec[ds[i]];
            printf("rtcov xgcov: MISMATCH %s:%u:%u decision %u (%s, %u condition%s):", d->file,
                   d->line, d->col, d->id, d->kind, d->nconds, d->nconds == 1 ? "" : "s");
            for (size_t k = 0; k < d->nconds; k++, p++)
                printf(" simplert %llu/%llu", (unsigned long long)ours[p][0],
                       (unsigned long long)ours[p][1]);
            printf("\n");
        }
        printf("    gcov branches on %s:%u:", d0->file, d0->line);
        for (size_t p = 0; p < np; p++)
            printf(" %llu/%llu", (unsigned long long)gc[p][0], (unsigned long long)gc[p][1]);
        printf("\n");
        t->mismatches += nd;
    }
    t->compared_dec += nd;
    t->compared_cond += nconds;
    for (size_t i = 0; i < nd; i++) {
        uint64_t c[2];
        counts(m, &a->r, ds[i], -1, c);
        t->compared_run += c[0] + c[1] > 0;
    }
    free(ours);
    free(gc);
    return ok;
}

static int cmp_dec_pos(const void *pa, const void *pb, void *ctx)
{
    const dmodel *m = ctx;
    const d_dec *a = &m->dec[*(const size_t *)pa], *b = &m->dec[*(const size_t *)pb];
    int c = strcmp(a->file, b->file);
    if (c)
        return c;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return a->col < b->col ? -1 : a->col > b->col;
}

int dog_xgcov(int argc, char **argv)
{
    args a;
    int rc = parse_args(&a, argc, argv, "--gcovr");
    if (rc) {
        free_args(&a);
        return rc;
    }
    json **roots = xcalloc(a.inputs.n + 1, sizeof *roots);
    for (size_t i = 0; i < a.inputs.n; i++) {
        size_t len;
        char *text = read_file(a.inputs.v[i], &len), err[256] = "cannot read";
        roots[i] = text ? json_parse(text, len, err, sizeof err) : NULL;
        free(text);
        if (roots[i] == NULL) {
            fprintf(stderr, "rtcov xgcov: %s: %s\n", a.inputs.v[i], err);
            for (size_t j = 0; j < i; j++)
                json_free(roots[j]);
            free(roots);
            free_args(&a);
            return 2;
        }
    }
    const json *root = roots[0];
    size_t *ord = xmalloc((a.m.ndec + 1) * sizeof *ord);
    for (size_t i = 0; i < a.m.ndec; i++)
        ord[i] = i;
    qsort_r(ord, a.m.ndec, sizeof *ord, cmp_dec_pos, &a.m);
    tally t = {.verbose = a.verbose};
    for (size_t i = 0, e; i < a.m.ndec; i = e) {
        const d_dec *d = &a.m.dec[ord[i]];
        for (e = i + 1; e < a.m.ndec && a.m.dec[ord[e]].line == d->line &&
                        strcmp(a.m.dec[ord[e]].file, d->file) == 0;
             e++)
            ;
        const json *gf = gcov_file(root, d->file);
        if (gf == NULL) {
            skip_line(&t, &a.m, ord + i, e - i, "no gcov data for the file");
            continue;
        }
        xgcov_line(&a, (const json *const *)roots, a.inputs.n, gf, ord + i, e - i, &t);
    }
    report("xgcov", &t);
    rc = t.mismatches ? 1 : 0;
    free(ord);
    for (size_t i = 0; i < a.inputs.n; i++)
        json_free(roots[i]);
    free(roots);
    free_args(&a);
    return rc;
}

/* ---- (b) llvm-cov MC/DC ---- */

typedef struct crec {
    const char *file;          /* manifest file name */
    unsigned line, col, n;
    unsigned cl[64], cc[64];
    int covered[64];
} crec;

static int le(unsigned l1, unsigned c1, unsigned l2, unsigned c2)
{
    return l1 < l2 || (l1 == l2 && c1 <= c2);
}

static const char *manifest_name(const dmodel *m, const char *path)
{
    size_t lp = strlen(path);
    for (size_t i = 0; i < m->nfile; i++) {
        size_t ln = strlen(m->file[i].name);
        if (strcmp(path, m->file[i].name) == 0 ||
            (lp > ln && strcmp(path + lp - ln, m->file[i].name) == 0 && path[lp - ln - 1] == '/'))
            return m->file[i].name;
    }
    return NULL;
}

static void xmcdc_one(args *a, const crec *c, char *used, tally *t)
{
    const dmodel *m = &a->m;
    for (size_t i = 0; i < m->ndec; i++) {
        const d_dec *d = &m->dec[i];
        if (strcmp(d->file, c->file) != 0 || !le(d->line, d->col, c->line, c->col) ||
            !le(c->line, c->col, d->root_line, d->root_col))
            continue;
        if (d->nconds != c->n) {
            if (d->nconds < 2)
                continue;   /* a one-condition decision around it */
            skipped_at(t, d, "condition count differs from llvm-cov's");
            used[i] = 1;
            return;
        }
        used[i] = 1;
        if (d->macro_leaf) {
            skipped_at(t, d, "a condition is a macro with conditions of its own");
            return;
        }
        for (unsigned k = 0; k < c->n; k++) {
            const d_cond *dc = &m->cond[d->cond0 + k];
            if (dc->macro)
                continue;   /* clang gives the macro body's position */
            if (!le(dc->op_line, dc->op_col, c->cl[k], c->cc[k]) ||
                !le(c->cl[k], c->cc[k], dc->line, dc->col)) {
                skipped_at(t, d, "condition positions differ from llvm-cov's");
                return;
            }
        }
        if (!stable_mcdc(a, i)) {
            skipped_at(t, d, "verdicts differ between simplert runs (nondeterministic)");
            return;
        }
        int bad = 0;
        for (unsigned k = 0; k < c->n; k++) {
            int ours = a->r.has_vec[i] && k < 64 && ((a->r.mcdc[i].unique_cause >> k) & 1);
            if (ours != c->covered[k]) {
                printf("rtcov xmcdc: MISMATCH %s:%u:%u decision %u condition %u (%s:%u:%u): "
                       "simplert %s, llvm-cov %s\n",
                       d->file, d->line, d->col, d->id, k, d->file, m->cond[d->cond0 + k].line,
                       m->cond[d->cond0 + k].col, ours ? "covered" : "not covered",
                       c->covered[k] ? "covered" : "not covered");
                bad = 1;
            }
        }
        t->mismatches += bad;
        t->compared_dec++;
        t->compared_run += a->r.has_vec[i];
        t->compared_cond += c->n;
        return;
    }
    if (t->verbose)
        printf("  skip llvm-cov record %s:%u:%u: no instrumented simplert decision\n", c->file,
               c->line, c->col);
    skipped(t, "llvm-cov record with no instrumented simplert decision (macro, skipped)", 1);
}

typedef struct crecs {
    crec *v;
    size_t n, cap;
    const char **files;      /* manifest names of the files the listing shows */
    size_t nfiles, capfiles;
} crecs;

/* The MC/DC records of one `llvm-cov show --show-mcdc` listing. */
static int parse_show(const dmodel *m, const char *path, crecs *out)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        perror(path);
        return -1;
    }
    crec c = {0};
    int in_rec = 0;
    const char *cur = m->nfile == 1 ? m->file[0].name : NULL;
    if (cur)
        D_PUSH(out->files, out->nfiles, out->capfiles, cur);
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        size_t n = strlen(line);
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = 0;
        unsigned l1, c1, l2, c2, k;
        char *p;
        if (n && line[0] != ' ' && line[n - 1] == ':') {   /* a file's header */
            line[n - 1] = 0;
            cur = manifest_name(m, line);
            if (cur)
                D_PUSH(out->files, out->nfiles, out->capfiles, cur);
        } else if ((p = strstr(line, "MC/DC Decision Region (")) &&
                   sscanf(p, "MC/DC Decision Region (%u:%u) to (%u:%u)", &l1, &c1, &l2, &c2) == 4) {
            if (in_rec && c.file)
                D_PUSH(out->v, out->n, out->cap, c);
            memset(&c, 0, sizeof c);
            c.file = cur;
            c.line = l1;
            c.col = c1;
            in_rec = 1;
        } else if (in_rec && (p = strstr(line, "Condition C")) &&
                   sscanf(p, "Condition C%u --> (%u:%u)", &k, &l1, &c1) == 3 && k >= 1 &&
                   k <= 64) {
            c.cl[k - 1] = l1;
            c.cc[k - 1] = c1;
            if (k > c.n)
                c.n = k;
        } else if (in_rec && (p = strstr(line, "-Pair: ")) && p - line >= 2) {
            char *q = p;
            while (q > line && q[-1] >= '0' && q[-1] <= '9')
                q--;
            if (q > line && q[-1] == 'C' && sscanf(q, "%u", &k) == 1 && k >= 1 && k <= 64)
                c.covered[k - 1] = strncmp(p + 7, "covered", 7) == 0;
        }
    }
    if (in_rec && c.file)
        D_PUSH(out->v, out->n, out->cap, c);
    fclose(f);
    return 0;
}

/* The same verdicts for this record in every repeat clang run? */
static int clang_stable(const crecs *runs, size_t nruns, const crec *c)
{
    for (size_t r = 1; r < nruns; r++) {
        int found = 0;
        for (size_t i = 0; i < runs[r].n && !found; i++) {
            const crec *o = &runs[r].v[i];
            if (o->file == c->file && o->line == c->line && o->col == c->col && o->n == c->n) {
                found = 1;
                if (memcmp(o->covered, c->covered, sizeof c->covered) != 0)
                    return 0;
            }
        }
        if (!found)
            return 0;
    }
    return 1;
}

int dog_xmcdc(int argc, char **argv)
{
    args a;
    int rc = parse_args(&a, argc, argv, "--llvm-show");
    if (rc) {
        free_args(&a);
        return rc;
    }
    crecs *runs = xcalloc(a.inputs.n + 1, sizeof *runs);
    for (size_t i = 0; i < a.inputs.n && rc == 0; i++)
        if (parse_show(&a.m, a.inputs.v[i], &runs[i]) != 0)
            rc = 2;
    char *used = xcalloc(a.m.ndec + 1, 1);
    tally t = {.verbose = a.verbose};
    for (size_t i = 0; rc == 0 && i < runs[0].n; i++) {
        if (!clang_stable(runs, a.inputs.n, &runs[0].v[i])) {
            if (t.verbose)
                printf("  skip llvm-cov record %s:%u:%u: verdicts differ between clang runs\n",
                       runs[0].v[i].file, runs[0].v[i].line, runs[0].v[i].col);
            skipped(&t, "verdicts differ between clang runs (nondeterministic)", 1);
            continue;
        }
        xmcdc_one(&a, &runs[0].v[i], used, &t);
    }
    size_t single = 0, norec = 0, nofile = 0;
    for (size_t i = 0; i < a.m.ndec; i++)
        if (!used[i]) {
            int seen = 0;   /* does the listing cover the decision's file at all? */
            for (size_t k = 0; k < runs[0].nfiles && !seen; k++)
                seen = runs[0].files[k] == a.m.dec[i].file;
            if (a.m.dec[i].nconds < 2)
                single++;
            else if (!seen)
                nofile++;
            else {
                norec++;
                if (t.verbose)
                    printf("  skip %s:%u:%u decision %u (%s, %u conditions): no llvm-cov record\n",
                           a.m.dec[i].file, a.m.dec[i].line, a.m.dec[i].col, a.m.dec[i].id,
                           a.m.dec[i].kind, a.m.dec[i].nconds);
            }
        }
    skipped(&t, "one condition: clang makes no MC/DC record", single);
    if (nofile)
        skipped(&t, "file not linked into the workload's binaries (no llvm-cov listing)", nofile);
    if (norec)
        skipped(&t, "two or more conditions but no llvm-cov record", norec);
    if (rc == 0) {
        report("xmcdc", &t);
        rc = t.mismatches ? 1 : 0;
    }
    for (size_t i = 0; i < a.inputs.n; i++) {
        free(runs[i].v);
        free(runs[i].files);
    }
    free(runs);
    free(used);
    free_args(&a);
    return rc;
}
