/*
 * tools/qualify_sdn.c — the report model as reports/qualification.sdn: what
 * the dashboard shows, as data (stages, summary, families, functions, fuzz,
 * coverage, OOM, benchmarks).
 */
#include <stdlib.h>
#include <string.h>

#include "sdn/sdn.h"
#include "tools/qualify.h"

static sdn_value *s(const char *v) { return sdn_new_cstr(v ? v : ""); }
static sdn_value *i(int64_t v) { return sdn_new_int(v); }
static sdn_value *b(bool v) { return sdn_new_bool(v); }
/* Floats rounded to 0.01, so the file does not change with noise below that. */
static sdn_value *f(double v)
{
    return sdn_new_float((double)(int64_t)(v * 100.0 + (v < 0 ? -0.5 : 0.5)) / 100.0);
}

static sdn_value *table(size_t n, const char *const *cols) { return sdn_new_table(n, cols, NULL); }
#define COLS(...) (sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *)), \
                  (const char *const[]){__VA_ARGS__}

static void summary(const q_report *r, sdn_value *doc)
{
    sdn_value *sum = sdn_new_dict();
    int impl = 0, part = 0, plan = 0, oos = 0;
    for (size_t k = 0; k < r->nfams; k++) {
        impl += r->fams[k].implemented, part += r->fams[k].partial;
        plan += r->fams[k].planned, oos += r->fams[k].out_of_scope;
    }
    sdn_dict_set(sum, "families", i((int64_t)r->nfams));
    sdn_dict_set(sum, "functions", i((int64_t)r->nfuncs));
    sdn_dict_set(sum, "implemented", i(impl));
    sdn_dict_set(sum, "partial", i(part));
    sdn_dict_set(sum, "planned", i(plan));
    sdn_dict_set(sum, "out_of_scope", i(oos));
    static const char *const vn[] = {"asan", "tsan", "vg", "gcov"};
    for (size_t v = 0; v < 4; v++) {
        int64_t tot = 0, pass = 0;
        for (size_t k = 0; k < r->nresults; k++)
            if (strcmp(r->results[k].variant, vn[v]) == 0) {
                tot++;
                pass += strcmp(r->results[k].status, "PASSED") == 0;
            }
        char key[32];
        snprintf(key, sizeof key, "tests_%s", vn[v]);
        sdn_dict_set(sum, key, i(tot));
        snprintf(key, sizeof key, "passing_%s", vn[v]);
        sdn_dict_set(sum, key, i(pass));
    }
    uint64_t execs = 0, crashes = 0;
    for (size_t k = 0; k < r->nfuzz; k++)
        execs += r->fuzz[k].execs, crashes += r->fuzz[k].crashes;
    sdn_dict_set(sum, "fuzz_execs", i((int64_t)execs));
    sdn_dict_set(sum, "fuzz_crashes", i((int64_t)crashes));
    uint64_t runs = 0, sites = 0, fails = 0;
    for (size_t k = 0; k < r->noom; k++)
        runs += r->oom[k].runs, sites += r->oom[k].sites, fails += r->oom[k].failures;
    sdn_dict_set(sum, "oom_runs", i((int64_t)runs));
    sdn_dict_set(sum, "oom_sites", i((int64_t)sites));
    sdn_dict_set(sum, "oom_failures", i((int64_t)fails));
    if (r->cov.have) {
        const q_cov_file *t = &r->cov.total;
        sdn_dict_set(sum, "coverage_line", f(q_pct(t->lines_hit, t->lines)));
        sdn_dict_set(sum, "coverage_branch", f(q_pct(t->branches_hit, t->branches)));
        sdn_dict_set(sum, "coverage_decision", f(q_pct(t->decisions_hit, t->decisions)));
    }
    int met = 0, goals = 0;
    for (size_t k = 0; k < r->nbench; k++)
        if (r->bench[k].goal > 0)
            goals++, met += r->bench[k].met;
    sdn_dict_set(sum, "bench_goals", i(goals));
    sdn_dict_set(sum, "bench_goals_met", i(met));
    sdn_dict_set(sum, "audit_problems", i(r->audit_problems));
    sdn_dict_set(doc, "summary", sum);
}

static sdn_value *build(const q_report *r)
{
    sdn_value *doc = sdn_new_dict();
    sdn_dict_set(doc, "generated_by", s("simplert qualify"));
    sdn_dict_set(doc, "generated_at", s(r->generated));
    sdn_dict_set(doc, "commit", s(r->commit));
    sdn_dict_set(doc, "host", s(r->host));
    sdn_dict_set(doc, "cpus", i(r->cpus));
    sdn_dict_set(doc, "seconds", f(r->total_seconds));
    sdn_dict_set(doc, "fuzz_budget_seconds", f(r->fuzz_budget));
    sdn_dict_set(doc, "verdict", s(r->gates.n ? "fail" : "pass"));
    sdn_value *gates = sdn_new_array();
    for (size_t k = 0; k < r->gates.n; k++)
        sdn_array_push(gates, s(r->gates.v[k]));
    sdn_dict_set(doc, "failing_gates", gates);
    summary(r, doc);

    sdn_value *st = table(COLS("stage", "state", "gate", "seconds", "estimate", "exit_code",
                               "note"));
    for (size_t k = 0; k < r->nstages; k++) {
        const q_stage *x = &r->stages[k];
        sdn_value *c[] = {s(x->name), s(q_state_name(x->state)), b(x->gate), f(x->seconds),
                          f(x->estimate), i(x->exit_code), s(x->note)};
        sdn_table_add_row(st, c);
    }
    sdn_dict_set(doc, "stages", st);

    sdn_value *ft = table(COLS("family", "rows", "implemented", "partial", "planned",
                               "out_of_scope"));
    for (size_t k = 0; k < r->nfams; k++) {
        const q_family *x = &r->fams[k];
        sdn_value *c[] = {s(x->name), i(x->rows), i(x->implemented), i(x->partial),
                          i(x->planned), i(x->out_of_scope)};
        sdn_table_add_row(ft, c);
    }
    sdn_dict_set(doc, "families", ft);

    sdn_value *fn = table(COLS("name", "family", "status", "asan_tests", "asan_passing",
                               "tsan_tests", "tsan_passing", "vg_tests", "vg_passing", "fuzz",
                               "oom_sites", "oom_failures", "lines", "lines_hit"));
    for (size_t k = 0; k < r->nfuncs; k++) {
        const q_func *x = &r->funcs[k];
        sdn_value *c[] = {s(x->name), s(x->family), s(x->status), i(x->tests[QV_ASAN]),
                          i(x->pass[QV_ASAN]), i(x->tests[QV_TSAN]), i(x->pass[QV_TSAN]),
                          i(x->tests[QV_VG]), i(x->pass[QV_VG]), s(x->fuzz), i(x->oom_sites),
                          i(x->oom_failures), i(x->lines), i(x->lines_hit)};
        sdn_table_add_row(fn, c);
    }
    sdn_dict_set(doc, "functions", fn);

    sdn_value *fz = table(COLS("target", "status", "seconds", "execs", "execs_per_sec", "corpus",
                               "crashes", "hangs", "regressions_added", "smoke_status",
                               "replayed"));
    for (size_t k = 0; k < r->nfuzz; k++) {
        const q_fuzz *x = &r->fuzz[k];
        sdn_value *c[] = {s(x->target), s(x->status ? x->status : "not run"), f(x->seconds),
                          i((int64_t)x->execs), f(x->eps), i((int64_t)x->corpus),
                          i((int64_t)x->crashes), i((int64_t)x->hangs), i(x->added),
                          s(x->smoke_status ? x->smoke_status : "not run"), i(x->replayed)};
        sdn_table_add_row(fz, c);
    }
    sdn_dict_set(doc, "fuzz", fz);

    if (r->cov.have) {
        sdn_value *cv = table(COLS("file", "lines", "lines_hit", "branches", "branches_hit",
                                   "decisions", "decisions_hit"));
        for (size_t k = 0; k <= r->cov.n; k++) {
            const q_cov_file *x = k < r->cov.n ? &r->cov.files[k] : &r->cov.total;
            sdn_value *c[] = {s(x->file), i(x->lines), i(x->lines_hit), i(x->branches),
                              i(x->branches_hit), i(x->decisions), i(x->decisions_hit)};
            sdn_table_add_row(cv, c);
        }
        sdn_dict_set(doc, "coverage", cv);
    }
    sdn_value *floors = sdn_new_dict();
    sdn_dict_set(floors, "line", f(r->cov.floor_line));
    sdn_dict_set(floors, "branch", f(r->cov.floor_branch));
    sdn_dict_set(floors, "decision", f(r->cov.floor_decision));
    sdn_dict_set(doc, "coverage_floors", floors);

    sdn_value *om = table(COLS("name", "kind", "cases", "allocations", "runs", "sites",
                               "failures", "suspects", "baseline_failed"));
    for (size_t k = 0; k < r->noom; k++) {
        const q_oom *x = &r->oom[k];
        sdn_value *c[] = {s(x->name), s(x->kind), i((int64_t)x->cases),
                          i((int64_t)x->allocations), i((int64_t)x->runs), i((int64_t)x->sites),
                          i((int64_t)x->failures), i((int64_t)x->suspects),
                          i((int64_t)x->baseline_failed)};
        sdn_table_add_row(om, c);
    }
    sdn_dict_set(doc, "oom", om);

    sdn_value *bt = table(COLS("bench", "case", "peer", "unit", "better", "ours", "peer_median",
                               "ratio", "goal", "met"));
    for (size_t k = 0; k < r->nbench; k++) {
        const q_bench *x = &r->bench[k];
        sdn_value *c[] = {s(x->bench), s(x->name), s(x->peer), s(x->unit), s(x->better),
                          sdn_new_float(x->ours), sdn_new_float(x->peer_median), f(x->ratio),
                          f(x->goal), b(x->met)};
        sdn_table_add_row(bt, c);
    }
    sdn_dict_set(doc, "bench", bt);
    return doc;
}

int q_write_sdn(const q_report *r, const char *path)
{
    sdn_value *doc = build(r);
    size_t len;
    char *text = sdn_write(doc, &len);
    int rc = text ? write_file(path, text, len) : -1;
    free(text);
    sdn_free(doc);
    return rc;
}
