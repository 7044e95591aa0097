/*
 * tools/qualify_collect.c — the results on disk, into the report model:
 *   reports/stub-status.sdn            functions, families (simplert audit)
 *   reports/audit-<variant>/stub-status.sdn  per-function results of tsan, vg
 *   reports/results/<variant>/<suite>.json  Criterion's (or the shim runner's) JSON
 *   reports/fuzz/<t>.sdn               AFL++ campaigns (simplert fuzz)
 *   reports/results/fuzz/<t>.sdn       replay + smoke (ci/fuzz-smoke.sh)
 *   reports/oom/<name>.sdn             OOM fault injection (make oom)
 *   reports/coverage/gcovr.json        coverage (make coverage), floors in
 *                                      ci/coverage-floor.sdn
 *   reports/bench/<name>.sdn           benchmarks (make bench)
 * Anything missing leaves its part of the model empty: the dashboard shows
 * "not run" rather than failing.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "sdn/sdn.h"
#include "tools/json.h"
#include "tools/qualify.h"

const char *const q_variant_names[QV_N] = {"asan", "tsan", "vg"};

const char *q_state_name(q_state s)
{
    static const char *const n[] = {"pending", "ok", "FAIL", "skipped", "n/a", "running"};
    return (unsigned)s < sizeof n / sizeof n[0] ? n[s] : "?";
}

static double num(const sdn_value *dict, const char *key, double dflt)
{
    const sdn_value *v = sdn_get(dict, key);
    switch (sdn_type_of(v)) {
    case SDN_INT: return (double)sdn_int(v);
    case SDN_FLOAT: return sdn_float(v);
    default: return dflt;
    }
}

static const char *cell_str(const sdn_value *t, size_t row, const char *col, const char *dflt)
{
    int c = sdn_table_col_index(t, col);
    if (c < 0)
        return dflt;
    const sdn_value *v = sdn_table_cell(t, row, (size_t)c);
    if (sdn_type_of(v) == SDN_BOOL)
        return sdn_bool(v) ? "true" : "false";
    const char *s = sdn_str(v, NULL);
    return s ? s : dflt;
}

static double cell_num(const sdn_value *t, size_t row, const char *col, double dflt)
{
    int c = sdn_table_col_index(t, col);
    if (c < 0)
        return dflt;
    const sdn_value *v = sdn_table_cell(t, row, (size_t)c);
    switch (sdn_type_of(v)) {
    case SDN_INT: return (double)sdn_int(v);
    case SDN_FLOAT: return sdn_float(v);
    case SDN_BOOL: return sdn_bool(v);
    default: return dflt;
    }
}

static sdn_value *parse(const char *path)
{
    if (!file_exists(path))
        return NULL;
    sdn_error e;
    sdn_value *doc = sdn_parse_file(path, &e);
    if (doc == NULL)
        fprintf(stderr, "qualify: %s: %s (ignored)\n", path, e.msg);
    return doc;
}

/* Files in dir ending in ext, sorted, as "dir/name". */
static void files_in(const char *dir, const char *ext, tlist *out)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *e;
    size_t el = strlen(ext);
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (e->d_name[0] == '.' || n <= el || strcmp(e->d_name + n - el, ext) != 0)
            continue;
        tbuf p = {0};
        tbuf_printf(&p, "%s/%s", dir, e->d_name);
        tlist_add(out, p.s);
        tbuf_free(&p);
    }
    closedir(d);
    tlist_sort(out);
}

static q_func *find_func(q_report *r, const char *name)
{
    for (size_t i = 0; i < r->nfuncs; i++)
        if (strcmp(r->funcs[i].name, name) == 0)
            return &r->funcs[i];
    return NULL;
}

/* ---- functions and families: the audit's report ---------------------------------------- */

static void read_audit(q_report *r, const char *reports)
{
    tbuf p = {0};
    tbuf_printf(&p, "%s/stub-status.sdn", reports);
    sdn_value *doc = parse(p.s);
    tbuf_free(&p);
    r->audit_problems = doc ? (int)sdn_get_int(sdn_get(doc, "summary"), "problems", -1) : -1;
    const sdn_value *ft = sdn_get(doc, "families"), *rt = sdn_get(doc, "functions");
    r->nfams = sdn_len(ft);
    r->fams = xcalloc(r->nfams + 1, sizeof *r->fams);
    for (size_t i = 0; i < r->nfams; i++) {
        q_family *f = &r->fams[i];
        f->name = xstrdup(cell_str(ft, i, "family", "?"));
        f->rows = (int)cell_num(ft, i, "rows", 0);
        f->implemented = (int)cell_num(ft, i, "implemented", 0);
        f->partial = (int)cell_num(ft, i, "partial", 0);
        f->planned = (int)cell_num(ft, i, "planned", 0);
        f->out_of_scope = (int)cell_num(ft, i, "out_of_scope", 0);
    }
    r->nfuncs = sdn_len(rt);
    r->funcs = xcalloc(r->nfuncs + 1, sizeof *r->funcs);
    for (size_t i = 0; i < r->nfuncs; i++) {
        q_func *f = &r->funcs[i];
        f->name = xstrdup(cell_str(rt, i, "name", "?"));
        f->family = xstrdup(cell_str(rt, i, "family", "?"));
        f->status = xstrdup(cell_str(rt, i, "status", "?"));
        const char *fz = cell_str(rt, i, "fuzz", "");
        f->fuzz = fz[0] ? xstrdup(fz) : NULL;
        f->fuzz_state = xstrdup(cell_str(rt, i, "fuzz_state", ""));
        f->deviation = strcmp(cell_str(rt, i, "deviation", "false"), "true") == 0;
        for (int v = 0; v < QV_N; v++)
            f->tests[v] = -1;
        f->tests[QV_ASAN] = (int)cell_num(rt, i, "tests", 0);
        f->pass[QV_ASAN] = (int)cell_num(rt, i, "passing", 0);
        f->fail[QV_ASAN] = (int)cell_num(rt, i, "failing", 0);
        f->lines = -1;
    }
    sdn_free(doc);
}

/* reports/audit-<variant>/stub-status.sdn: the audit run over another variant's results. */
static void read_variant_audit(q_report *r, const char *reports, int variant)
{
    tbuf p = {0};
    tbuf_printf(&p, "%s/audit-%s/stub-status.sdn", reports, q_variant_names[variant]);
    sdn_value *doc = parse(p.s);
    tbuf_free(&p);
    const sdn_value *rt = sdn_get(doc, "functions");
    for (size_t i = 0; i < sdn_len(rt); i++) {
        q_func *f = find_func(r, cell_str(rt, i, "name", ""));
        if (f == NULL)
            continue;
        int pass = (int)cell_num(rt, i, "passing", 0), fail = (int)cell_num(rt, i, "failing", 0);
        /* A variant that ran none of the row's tests (a family TSan skips) has no column. */
        f->tests[variant] = pass + fail ? (int)cell_num(rt, i, "tests", 0) : -1;
        f->pass[variant] = pass;
        f->fail[variant] = fail;
    }
    sdn_free(doc);
}

/* ---- suite results (JUnit) ------------------------------------------------------------ */

void q_read_results(q_report *r, const char *variant, const char *json_path)
{
    size_t len;
    char *text = read_file(json_path, &len);
    char err[128];
    json *j = text ? json_parse(text, len, err, sizeof err) : NULL;
    const json *suites = json_get(j, "test_suites");
    for (size_t s = 0; suites && suites->type == JSON_ARR && s < suites->n; s++) {
        const char *sname = json_str(json_get(suites->items[s], "name"), "?");
        const json *tests = json_get(suites->items[s], "tests");
        for (size_t t = 0; tests && tests->type == JSON_ARR && t < tests->n; t++) {
            const json *tj = tests->items[t];
            const json *msgs = json_get(tj, "messages");
            tbuf m = {0};
            for (size_t k = 0; msgs && msgs->type == JSON_ARR && k < msgs->n; k++)
                tbuf_printf(&m, "%s%s", k ? "\n" : "", json_str(msgs->items[k], ""));
            r->results = xrealloc(r->results, (r->nresults + 1) * sizeof *r->results);
            r->results[r->nresults++] = (q_result){
                xstrdup(variant), xstrdup(sname), xstrdup(json_str(json_get(tj, "name"), "?")),
                xstrdup(json_str(json_get(tj, "status"), "?")), m.s};
        }
    }
    json_free(j);
    free(text);
}

static void read_all_results(q_report *r, const char *reports)
{
    static const char *const variants[] = {"asan", "tsan", "vg", "gcov"};
    for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
        tbuf dir = {0};
        tbuf_printf(&dir, "%s/results/%s", reports, variants[v]);
        tlist files = {0};
        files_in(dir.s, ".json", &files);
        for (size_t i = 0; i < files.n; i++)
            q_read_results(r, variants[v], files.v[i]);
        tlist_free(&files);
        tbuf_free(&dir);
    }
}

/* ---- fuzzing --------------------------------------------------------------------------- */

static q_fuzz *fuzz_entry(q_report *r, const char *target)
{
    for (size_t i = 0; i < r->nfuzz; i++)
        if (strcmp(r->fuzz[i].target, target) == 0)
            return &r->fuzz[i];
    r->fuzz = xrealloc(r->fuzz, (r->nfuzz + 1) * sizeof *r->fuzz);
    q_fuzz *f = &r->fuzz[r->nfuzz++];
    memset(f, 0, sizeof *f);
    f->target = xstrdup(target);
    return f;
}

static void read_fuzz(q_report *r, const char *reports)
{
    tbuf d1 = {0}, d2 = {0};
    tbuf_printf(&d1, "%s/fuzz", reports);
    tbuf_printf(&d2, "%s/results/fuzz", reports);
    tlist files = {0};
    files_in(d1.s, ".sdn", &files);
    for (size_t i = 0; i < files.n; i++) {
        sdn_value *doc = parse(files.v[i]);
        const char *t = sdn_get_str(doc, "target", NULL);
        if (t) {
            q_fuzz *f = fuzz_entry(r, t);
            f->status = xstrdup(sdn_get_str(doc, "status", "?"));
            f->seconds = num(doc, "seconds", 0);
            f->eps = num(doc, "execs_per_sec", 0);
            f->execs = (uint64_t)num(doc, "execs", 0);
            f->corpus = (uint64_t)num(doc, "corpus", 0);
            f->crashes = (uint64_t)num(doc, "crashes", 0);
            f->hangs = (uint64_t)num(doc, "hangs", 0);
            f->added = (int)sdn_len(sdn_get(doc, "regressions_added"));
        }
        sdn_free(doc);
    }
    tlist_free(&files);
    files_in(d2.s, ".sdn", &files);
    for (size_t i = 0; i < files.n; i++) {
        sdn_value *doc = parse(files.v[i]);
        const char *t = sdn_get_str(doc, "target", NULL);
        if (t) {
            q_fuzz *f = fuzz_entry(r, t);
            f->smoke_status = xstrdup(sdn_get_str(doc, "status", "?"));
            f->replayed = (long)num(doc, "replayed", 0);
            f->smoke_execs = (long)num(doc, "execs", 0);
            f->smoke_crashes = (long)num(doc, "crashes", 0);
        }
        sdn_free(doc);
    }
    tlist_free(&files);
    tbuf_free(&d1), tbuf_free(&d2);
}

/* ---- OOM ------------------------------------------------------------------------------- */

static void read_oom(q_report *r, const char *reports)
{
    tbuf dir = {0};
    tbuf_printf(&dir, "%s/oom", reports);
    tlist files = {0};
    files_in(dir.s, ".sdn", &files);
    for (size_t i = 0; i < files.n; i++) {
        sdn_value *doc = parse(files.v[i]);
        if (doc == NULL)
            continue;
        r->oom = xrealloc(r->oom, (r->noom + 1) * sizeof *r->oom);
        q_oom *o = &r->oom[r->noom++];
        o->name = xstrdup(sdn_get_str(doc, "name", "?"));
        o->kind = xstrdup(sdn_get_str(doc, "kind", "?"));
        o->cases = (uint64_t)num(doc, "cases", 0);
        o->allocations = (uint64_t)num(doc, "allocations", 0);
        o->runs = (uint64_t)num(doc, "runs", 0);
        o->sites = (uint64_t)num(doc, "sites", 0);
        o->failures = (uint64_t)num(doc, "failures", 0);
        o->suspects = (uint64_t)num(doc, "suspects", 0);
        o->baseline_failed = (uint64_t)num(doc, "baseline_failed", 0);
        /* Per FFI entry: the allocation sites its runs reached. */
        const sdn_value *st = sdn_get(doc, "sites_table");
        for (size_t k = 0; k < sdn_len(st); k++) {
            q_func *f = find_func(r, cell_str(st, k, "entry", ""));
            if (f == NULL)
                continue;
            f->oom_sites++;
            f->oom_runs += (int)cell_num(st, k, "runs", 0);
            f->oom_failures += (int)cell_num(st, k, "failures", 0);
        }
        sdn_free(doc);
    }
    tlist_free(&files);
    tbuf_free(&dir);
}

/* ---- coverage and benchmarks ----------------------------------------------------------- */

static void read_coverage(q_report *r, const char *reports)
{
    tbuf p = {0};
    tbuf_printf(&p, "%s/coverage/gcovr.json", reports);
    q_fn_cov *fns = NULL;
    size_t nfns = 0;
    if (file_exists(p.s) && q_cov_read(p.s, &r->cov, &fns, &nfns) == 0) {
        for (size_t i = 0; i < nfns; i++) {
            q_func *f = find_func(r, fns[i].name);
            if (f) {
                f->lines = fns[i].lines;
                f->lines_hit = fns[i].lines_hit;
            }
        }
    }
    for (size_t i = 0; i < nfns; i++)
        free(fns[i].name);
    free(fns);
    q_cov_read_floors("ci/coverage-floor.sdn", &r->cov);
    tbuf_free(&p);
}

static void read_bench(q_report *r, const char *reports)
{
    tbuf dir = {0};
    tbuf_printf(&dir, "%s/bench", reports);
    tlist files = {0};
    files_in(dir.s, ".sdn", &files);
    for (size_t i = 0; i < files.n; i++) {
        sdn_value *doc = parse(files.v[i]);
        const sdn_value *t = sdn_get(doc, "cases");
        for (size_t k = 0; k < sdn_len(t); k++) {
            r->bench = xrealloc(r->bench, (r->nbench + 1) * sizeof *r->bench);
            q_bench *b = &r->bench[r->nbench++];
            b->bench = xstrdup(sdn_get_str(doc, "bench", "?"));
            b->name = xstrdup(cell_str(t, k, "case", "?"));
            b->peer = xstrdup(cell_str(t, k, "peer", ""));
            b->unit = xstrdup(cell_str(t, k, "unit", ""));
            b->better = xstrdup(cell_str(t, k, "better", "higher"));
            b->ours = cell_num(t, k, "ours_median", 0);
            b->peer_median = cell_num(t, k, "peer_median", 0);
            b->ratio = cell_num(t, k, "ratio", 0);
            b->goal = cell_num(t, k, "goal", 0);
            b->met = cell_num(t, k, "met", 0) != 0;
        }
        sdn_free(doc);
    }
    tlist_free(&files);
    tbuf_free(&dir);
}

void q_collect(q_report *r, const char *reports)
{
    read_audit(r, reports);
    read_variant_audit(r, reports, QV_TSAN);
    read_variant_audit(r, reports, QV_VG);
    read_all_results(r, reports);
    read_fuzz(r, reports);
    read_oom(r, reports);
    read_coverage(r, reports);
    read_bench(r, reports);
}

void q_report_free(q_report *r)
{
    for (size_t i = 0; i < r->nfuncs; i++) {
        q_func *f = &r->funcs[i];
        free(f->name), free(f->family), free(f->status), free(f->fuzz), free(f->fuzz_state);
    }
    free(r->funcs);
    for (size_t i = 0; i < r->nfams; i++)
        free(r->fams[i].name);
    free(r->fams);
    for (size_t i = 0; i < r->nfuzz; i++)
        free(r->fuzz[i].target), free(r->fuzz[i].status), free(r->fuzz[i].smoke_status);
    free(r->fuzz);
    for (size_t i = 0; i < r->cov.n; i++)
        free(r->cov.files[i].file);
    free(r->cov.files);
    free(r->cov.total.file);
    for (size_t i = 0; i < r->noom; i++)
        free(r->oom[i].name), free(r->oom[i].kind);
    free(r->oom);
    for (size_t i = 0; i < r->nbench; i++) {
        q_bench *b = &r->bench[i];
        free(b->bench), free(b->name), free(b->peer), free(b->unit), free(b->better);
    }
    free(r->bench);
    for (size_t i = 0; i < r->nresults; i++) {
        q_result *x = &r->results[i];
        free(x->variant), free(x->suite), free(x->test), free(x->status), free(x->message);
    }
    free(r->results);
    tlist_free(&r->gates);
}
