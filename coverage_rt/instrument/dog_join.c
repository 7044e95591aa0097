/*
 * coverage_rt/instrument/dog_join.c — `rtcov join`: the manifests and the
 * merged run of the dogfood workload become reports/runtime-coverage.sdn.
 *
 * The report is first a coverage report `simplert cov report` reads (the
 * run's rows, plus a zero row for every decision and condition of the
 * manifests that never ran, so HTML and LCOV show what was never reached),
 * then these sections, computed against the manifests:
 *   dogfood:              totals over every instrumented decision, condition,
 *                         MC/DC obligation, function and acyclic path
 *   dogfood_files         the same per source file
 *   dogfood_functions     per function: acyclic paths, distinct normalised
 *                         paths seen, model (exact/approx)
 *   dogfood_skipped       what the instrumenter could not rewrite, and why
 *   dogfood_not_instrumented  files compiled without probes, and why
 *
 * Ratchet (--ratchet FILE): a `ratchet:` dict of percentages and
 * files_not_instrumented. The join fails when a percentage is more than
 * `tolerance` points below its ratchet value, or files_not_instrumented
 * grew; --update-ratchet rewrites FILE with the current numbers.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coverage_rt/instrument/dog.h"
#include "sdn/sdn.h"
#include "tools/util.h"

typedef struct tot {
    uint64_t dec, dec_cov, cond, cond_cov, mcdc, mcdc_uc, mcdc_mask, fn, fn_reached, paths,
        paths_cov;
    double path_ratio_sum;
} tot;

static uint64_t sat_add(uint64_t a, uint64_t b)
{
    return a > (uint64_t)INT64_MAX - b ? (uint64_t)INT64_MAX : a + b;
}

static double pct(uint64_t c, uint64_t n)
{
    return n ? floor(1000.0 * (double)c / (double)n) / 10.0 : 100.0;
}

/* The metric names of the summary and the ratchet, in order. */
static const char *const metric[] = {"decision_percent", "condition_percent",
                                     "mcdc_unique_cause_percent", "mcdc_masking_percent",
                                     "function_percent", "path_mean_percent"};
enum { NMETRIC = 6 };

static void metrics(const tot *t, double *out)
{
    out[0] = pct(t->dec_cov, t->dec);
    out[1] = pct(t->cond_cov, t->cond);
    out[2] = pct(t->mcdc_uc, t->mcdc);
    out[3] = pct(t->mcdc_mask, t->mcdc);
    out[4] = pct(t->fn_reached, t->fn);
    out[5] = t->fn ? floor(1000.0 * t->path_ratio_sum / (double)t->fn) / 10.0 : 100.0;
}

static const char *const usage =
    "usage: rtcov join -m MANIFEST... -r RUN... -o OUT.sdn [--expect LIST] [--ratchet FILE\n"
    "                  [--update-ratchet]]\n"
    "  -m   manifests (files, or directories searched for *.sdn)\n"
    "  -r   the run: a merged report, or the SIMPLE_COVERAGE_OUTPUT directory\n"
    "  --expect LIST   a file naming one source per line that must be instrumented\n";

/* The run's rows plus a zero row for every manifest decision and condition
 * (reading more rows into a doc adds them up, so a zero row changes no count). */
static char *joined_report(const dmodel *m, char **runs, size_t nruns, size_t *len)
{
    cov_doc doc = {0};
    char err[512];
    for (size_t i = 0; i < nruns; i++)
        if (cov_doc_read_path(&doc, runs[i], err, sizeof err) != 0) {
            fprintf(stderr, "rtcov join: %s\n", err);
            cov_doc_free(&doc);
            return NULL;
        }
    tbuf t = {0};
    tbuf_puts(&t, "decisions |id, file, line, column, true_count, false_count|\n");
    for (size_t i = 0; i < m->ndec; i++)
        tbuf_printf(&t, "    %u, \"%s\", %u, %u, 0, 0\n", m->dec[i].id, m->dec[i].file,
                    m->dec[i].line, m->dec[i].col);
    tbuf_puts(&t, "conditions |decision_id, condition_id, file, line, column, true_count, "
                  "false_count|\n");
    for (size_t i = 0; i < m->ncond; i++)
        tbuf_printf(&t, "    %u, %u, \"%s\", %u, %u, 0, 0\n", m->cond[i].dec, m->cond[i].cond,
                    m->cond[i].file, m->cond[i].line, m->cond[i].col);
    char *text = NULL;
    if (cov_doc_read(&doc, t.s, t.len, "<manifest zero rows>", err, sizeof err) != 0)
        fprintf(stderr, "rtcov join: %s\n", err);
    else {
        cov_doc_finish(&doc);
        text = cov_doc_write(&doc, len);
    }
    tbuf_free(&t);
    cov_doc_free(&doc);
    return text;
}

#define I(v) sdn_new_int((int64_t)(v))
#define F(v) sdn_new_float(v)
#define S(v) sdn_new_cstr(v)

static sdn_value *table(sdn_value *root, const char *key, const char *const *cols, size_t n)
{
    sdn_value *t = sdn_new_table(n, cols, NULL);
    sdn_dict_set(root, key, t);
    return t;
}

static void count_file(const dmodel *m, const drun *r, const uint64_t *pcov, const char *file,
                       tot *t)
{
    const rtx_cov_model *cm = &r->doc.m;
    for (size_t i = 0; i < m->ndec; i++) {
        const d_dec *d = &m->dec[i];
        if (file && strcmp(d->file, file) != 0)
            continue;
        t->dec++;
        if (r->dec_of[i] != SIZE_MAX) {
            const rtx_cov_row *row = &cm->rows[RTX_COV_DEC][r->dec_of[i]];
            t->dec_cov += row->n[0] && row->n[1];
        }
        t->mcdc += d->nconds;
        if (r->has_vec[i])
            for (unsigned c = 0; c < d->nconds && c < 64; c++) {
                t->mcdc_uc += (r->mcdc[i].unique_cause >> c) & 1;
                t->mcdc_mask += (r->mcdc[i].masking >> c) & 1;
            }
    }
    for (size_t i = 0; i < m->ncond; i++) {
        if (file && strcmp(m->cond[i].file, file) != 0)
            continue;
        t->cond++;
        if (r->cond_of[i] != SIZE_MAX) {
            const rtx_cov_row *row = &cm->rows[RTX_COV_COND][r->cond_of[i]];
            t->cond_cov += row->n[0] && row->n[1];
        }
    }
    for (size_t i = 0; i < m->nfn; i++) {
        const d_fn *f = &m->fn[i];
        if (file && strcmp(f->file, file) != 0)
            continue;
        uint64_t c = pcov[i] < f->paths ? pcov[i] : f->paths;
        t->fn++;
        t->fn_reached += pcov[i] > 0;
        t->paths = sat_add(t->paths, f->paths);
        t->paths_cov = sat_add(t->paths_cov, c);
        t->path_ratio_sum += f->paths ? (double)c / (double)f->paths : 1.0;
    }
}

static int check_ratchet(const char *path, const double *cur, uint64_t not_inst, int update)
{
    if (update) {
        tbuf t = {0};
        tbuf_puts(&t, "# The dogfood coverage ratchet (make dogfood): the runtime's coverage,\n"
                      "# measured by its own collector, may not drop by more than `tolerance`\n"
                      "# points. Raise it with `make dogfood-ratchet` when the numbers go up.\n"
                      "ratchet:\n    tolerance: 1.0\n");
        for (int i = 0; i < NMETRIC; i++)
            tbuf_printf(&t, "    %s: %.1f\n", metric[i], cur[i]);
        tbuf_printf(&t, "    files_not_instrumented: %llu\n", (unsigned long long)not_inst);
        int rc = write_file(path, t.s, t.len);
        tbuf_free(&t);
        if (rc != 0) {
            perror(path);
            return 1;
        }
        printf("rtcov join: ratchet %s updated\n", path);
        return 0;
    }
    sdn_error err;
    sdn_value *doc = sdn_parse_file(path, &err);
    const sdn_value *rt = doc ? sdn_get(doc, "ratchet") : NULL;
    if (rt == NULL) {
        fprintf(stderr, "rtcov join: ratchet %s: %s\n", path, doc ? "no ratchet: dict" : err.msg);
        sdn_free(doc);
        return 1;
    }
    double tol = sdn_float(sdn_get(rt, "tolerance"));
    int bad = 0, up = 0;
    for (int i = 0; i < NMETRIC; i++) {
        const sdn_value *v = sdn_get(rt, metric[i]);
        double want = sdn_type_of(v) == SDN_INT ? (double)sdn_int(v) : sdn_float(v);
        if (v == NULL)
            continue;
        if (cur[i] + tol < want) {
            printf("rtcov join: RATCHET: %s dropped to %.1f (ratchet %.1f, tolerance %.1f)\n",
                   metric[i], cur[i], want, tol);
            bad = 1;
        } else if (cur[i] > want + tol)
            up = 1;
    }
    int64_t ni = sdn_get_int(rt, "files_not_instrumented", 0);
    if ((int64_t)not_inst > ni) {
        printf("rtcov join: RATCHET: %llu file(s) not instrumented (ratchet %lld)\n",
               (unsigned long long)not_inst, (long long)ni);
        bad = 1;
    }
    sdn_free(doc);
    if (bad)
        printf("rtcov join: coverage of the runtime dropped: add tests for the new code, or, if\n"
               "  the drop is deliberate, lower %s by hand and say why in the commit\n", path);
    else if (up)
        printf("rtcov join: coverage went up: raise the ratchet with `make dogfood-ratchet`\n");
    return bad;
}

static int expect_files(const dmodel *m, const char *list)
{
    size_t len;
    char *text = read_file(list, &len);
    if (text == NULL) {
        perror(list);
        return 1;
    }
    int bad = 0;
    for (char *save = NULL, *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        if (!*l)
            continue;
        int found = 0;
        for (size_t i = 0; i < m->nfile && !found; i++)
            found = strcmp(m->file[i].name, l) == 0;
        if (!found) {
            printf("rtcov join: %s has no manifest (not built by the dogfood variant?)\n", l);
            bad = 1;
        }
    }
    free(text);
    return bad;
}

int dog_join(int argc, char **argv)
{
    tlist mans = {0}, runs = {0};
    const char *out = NULL, *ratchet = NULL, *expect = NULL;
    int update = 0;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "-m") && i + 1 < argc)
            tlist_add(&mans, argv[++i]);
        else if (!strcmp(argv[i], "-r") && i + 1 < argc)
            tlist_add(&runs, argv[++i]);
        else if (!strcmp(argv[i], "-o") && i + 1 < argc)
            out = argv[++i];
        else if (!strcmp(argv[i], "--ratchet") && i + 1 < argc)
            ratchet = argv[++i];
        else if (!strcmp(argv[i], "--expect") && i + 1 < argc)
            expect = argv[++i];
        else if (!strcmp(argv[i], "--update-ratchet"))
            update = 1;
        else {
            fprintf(stderr, "rtcov join: unexpected '%s'\n%s", argv[i], usage);
            return 2;
        }
    }
    if (!mans.n || !runs.n || !out) {
        fputs(usage, stderr);
        return 2;
    }
    dmodel m = {0};
    drun r;
    int rc = 2;
    if (dm_load(&m, mans.v, mans.n) != 0 || drun_load(&r, &m, runs.v, runs.n) != 0)
        goto done0;
    {
        size_t len;
        char *text = joined_report(&m, runs.v, runs.n, &len);
        if (text == NULL)
            goto done;
        uint64_t *pcov = xcalloc(m.nfn + 1, sizeof *pcov), open_traces, fragments;
        size_t unknown = dp_cover(&m, &r.doc, pcov, &open_traces, &fragments);
        tot all = {0};
        count_file(&m, &r, pcov, NULL, &all);
        uint64_t not_inst = 0, unmodeled = 0;
        for (size_t i = 0; i < m.nfile; i++)
            not_inst += strcmp(m.file[i].status, "instrumented") != 0;
        for (size_t i = 0; i < m.nfn; i++)
            unmodeled += pcov[i] > m.fn[i].paths;
        double cur[NMETRIC];
        metrics(&all, cur);

        sdn_value *root = sdn_new_dict(), *dg = sdn_new_dict();
        sdn_dict_set(root, "dogfood", dg);
        sdn_dict_set(dg, "files", I(m.nfile));
        sdn_dict_set(dg, "files_not_instrumented", I(not_inst));
        sdn_dict_set(dg, "total_decisions", I(all.dec));
        sdn_dict_set(dg, "covered_decisions", I(all.dec_cov));
        sdn_dict_set(dg, "total_conditions", I(all.cond));
        sdn_dict_set(dg, "covered_conditions", I(all.cond_cov));
        sdn_dict_set(dg, "total_mcdc_conditions", I(all.mcdc));
        sdn_dict_set(dg, "covered_mcdc_unique_cause", I(all.mcdc_uc));
        sdn_dict_set(dg, "covered_mcdc_masking", I(all.mcdc_mask));
        sdn_dict_set(dg, "total_functions", I(all.fn));
        sdn_dict_set(dg, "reached_functions", I(all.fn_reached));
        sdn_dict_set(dg, "total_acyclic_paths", I(all.paths));
        sdn_dict_set(dg, "covered_acyclic_paths", I(all.paths_cov));
        sdn_dict_set(dg, "path_percent", F(pct(all.paths_cov, all.paths)));
        for (int i = 0; i < NMETRIC; i++)
            sdn_dict_set(dg, metric[i], F(cur[i]));
        sdn_dict_set(dg, "skipped_decisions", I(m.nskip));
        sdn_dict_set(dg, "open_traces", I(open_traces));
        sdn_dict_set(dg, "trace_fragments", I(fragments));
        sdn_dict_set(dg, "functions_beyond_model", I(unmodeled));
        sdn_dict_set(dg, "path_rows_without_manifest", I(unknown));

        static const char *const fcols[] = {"file", "status", "decisions", "covered_decisions",
                                            "conditions", "covered_conditions", "mcdc",
                                            "covered_mcdc_unique_cause", "functions",
                                            "reached_functions", "path_mean_percent"};
        sdn_value *t = table(root, "dogfood_files", fcols, 11);
        for (size_t i = 0; i < m.nfile; i++) {
            tot ft = {0};
            count_file(&m, &r, pcov, m.file[i].name, &ft);
            double fm[NMETRIC];
            metrics(&ft, fm);
            sdn_value *row[] = {S(m.file[i].name), S(m.file[i].status), I(ft.dec),
                                I(ft.dec_cov), I(ft.cond), I(ft.cond_cov), I(ft.mcdc),
                                I(ft.mcdc_uc), I(ft.fn), I(ft.fn_reached), F(fm[5])};
            sdn_table_add_row(t, row);
        }
        static const char *const ncols[] = {"file", "function", "path_id", "line",
                                            "acyclic_paths", "covered_paths", "model"};
        t = table(root, "dogfood_functions", ncols, 7);
        for (size_t i = 0; i < m.nfn; i++) {
            const d_fn *f = &m.fn[i];
            sdn_value *row[] = {S(f->file), S(f->name), I(f->pid), I(f->line), I(f->paths),
                                I(pcov[i] < f->paths ? pcov[i] : f->paths),
                                S(f->approx ? "approx" : "exact")};
            sdn_table_add_row(t, row);
        }
        static const char *const scols[] = {"file", "line", "column", "kind", "reason"};
        t = table(root, "dogfood_skipped", scols, 5);
        for (size_t i = 0; i < m.nskip; i++) {
            const d_skip *s = &m.skip[i];
            sdn_value *row[] = {S(s->file), I(s->line), I(s->col), S(s->kind), S(s->reason)};
            sdn_table_add_row(t, row);
        }
        static const char *const xcols[] = {"file", "reason"};
        t = table(root, "dogfood_not_instrumented", xcols, 2);
        for (size_t i = 0; i < m.nfile; i++)
            if (strcmp(m.file[i].status, "instrumented") != 0) {
                sdn_value *row[] = {S(m.file[i].name), S(m.file[i].reason)};
                sdn_table_add_row(t, row);
            }
        size_t elen;
        char *extra = sdn_write(root, &elen);
        sdn_free(root);
        tbuf all_text = {0};
        tbuf_put(&all_text, text, len);
        tbuf_puts(&all_text, "\n# rtcov join: coverage of every instrumented site, from the "
                             "manifests (coverage_rt/instrument)\n");
        if (extra)
            tbuf_put(&all_text, extra, elen);
        free(extra);
        free(text);
        rc = write_file(out, all_text.s, all_text.len) == 0 ? 0 : 2;
        if (rc)
            perror(out);
        tbuf_free(&all_text);

        printf("rtcov join: %zu files (%llu not instrumented), %llu functions, %zu skipped "
               "decisions\n",
               m.nfile, (unsigned long long)not_inst, (unsigned long long)all.fn, m.nskip);
        printf("  decisions   %6.1f%%  (%llu/%llu)\n", cur[0], (unsigned long long)all.dec_cov,
               (unsigned long long)all.dec);
        printf("  conditions  %6.1f%%  (%llu/%llu)\n", cur[1], (unsigned long long)all.cond_cov,
               (unsigned long long)all.cond);
        printf("  MC/DC uc    %6.1f%%  masking %.1f%%  (%llu, %llu of %llu)\n", cur[2], cur[3],
               (unsigned long long)all.mcdc_uc, (unsigned long long)all.mcdc_mask,
               (unsigned long long)all.mcdc);
        printf("  functions   %6.1f%%  (%llu/%llu reached)\n", cur[4],
               (unsigned long long)all.fn_reached, (unsigned long long)all.fn);
        printf("  paths       %6.1f%% mean per function; %llu of %llu acyclic paths\n", cur[5],
               (unsigned long long)all.paths_cov, (unsigned long long)all.paths);
        for (size_t i = 0; i < m.nfn; i++)
            if (pcov[i] > m.fn[i].paths)
                printf("  %s:%u %s: %llu distinct paths seen, the %s model counts %llu (capped)\n",
                       m.fn[i].file, m.fn[i].line, m.fn[i].name, (unsigned long long)pcov[i],
                       m.fn[i].approx ? "approximate" : "exact",
                       (unsigned long long)m.fn[i].paths);
        if (rc == 0 && expect)
            rc = expect_files(&m, expect);
        if (rc == 0 && ratchet)
            rc = check_ratchet(ratchet, cur, not_inst, update);
        free(pcov);
    }
done:
    drun_free(&r, &m);
done0:
    dm_free(&m);
    tlist_free(&mans);
    tlist_free(&runs);
    return rc;
}
