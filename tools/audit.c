/*
 * tools/audit.c — `simplert audit`: the stub-status report, generated from
 * facts — spec rows, the library's exported symbols, the public headers,
 * Criterion's results, the fuzz targets and their smoke results — never
 * written by hand. Writes reports/stub-status.sdn and .md and fails the
 * gate when a fact contradicts a row.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sdn/sdn.h"
#include "tools/cli.h"
#include "tools/elfsyms.h"
#include "tools/json.h"
#include "tools/spec.h"

static const char usage[] =
    "usage: simplert audit [options]\n"
    "\n"
    "Joins spec/ffi/*.sdn with the exported symbols of the library, the public headers,\n"
    "Criterion's JSON results and the fuzz targets, and writes the stub-status report.\n"
    "\n"
    "  --root DIR          source tree (default .)\n"
    "  --lib PATH          shared library to read exports from\n"
    "                      (default build/release/libsimplert.so)\n"
    "  --results DIR       Criterion JSON results of the conformance run\n"
    "                      (default reports/results/asan)\n"
    "  --fuzz-results DIR  fuzz smoke status files (default reports/results/fuzz)\n"
    "  --out DIR           where stub-status.sdn and stub-status.md go (default reports)\n"
    "  --no-gate           write the report but exit 0 even when rows are contradicted\n"
    "  -q                  print only problems and the closing line\n"
    "\n"
    "The gate fails (exit 1) when: a symbol is exported without a row; an implemented or\n"
    "partial row is not exported or not declared, or has no conformance tests that ran and\n"
    "passed; an implemented row has no fuzz target that calls it, or its target crashed;\n"
    "a planned or out-of-scope row is exported; or the spec itself has problems.\n";

typedef enum { R_PASSED, R_FAILED, R_SKIPPED } result_state;

typedef struct result {
    char *id;   /* suite::name */
    result_state state;
} result;

typedef struct ctx {
    const char *root;
    result *results;
    size_t nresults;
    tlist exports, declared;
    tlist problems;
    int have_fuzz_results;
    const char *fuzz_dir;
} ctx;

typedef struct row_facts {
    int exported, declared, tests, passing, failing, skipped, missing;
    int fuzz_present;       /* target file exists and calls the function */
    long fuzz_crashes;      /* -1: no smoke result for the target */
    char fuzz_state[16];
} row_facts;

static void problem(ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(ctx *c, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    tlist_add(&c->problems, buf);
}

static void load_results(ctx *c, const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0)
            continue;
        tbuf path = {0};
        tbuf_printf(&path, "%s/%s", dir, e->d_name);
        size_t len;
        char *text = read_file(path.s, &len);
        char err[128];
        json *j = text ? json_parse(text, len, err, sizeof err) : NULL;
        if (j == NULL && text)
            problem(c, "%s: unreadable Criterion JSON (%s)", path.s, err);
        const json *suites = json_get(j, "test_suites");
        for (size_t s = 0; suites && suites->type == JSON_ARR && s < suites->n; s++) {
            const char *sname = json_str(json_get(suites->items[s], "name"), "?");
            const json *tests = json_get(suites->items[s], "tests");
            for (size_t t = 0; tests && tests->type == JSON_ARR && t < tests->n; t++) {
                const char *tname = json_str(json_get(tests->items[t], "name"), "?");
                const char *st = json_str(json_get(tests->items[t], "status"), "");
                c->results = xrealloc(c->results, (c->nresults + 1) * sizeof *c->results);
                tbuf id = {0};
                tbuf_printf(&id, "%s::%s", sname, tname);
                /* SKIPPED is neither pass nor fail: a test that cannot run on this
                 * machine (no GPU, no IPv6) says so and is counted apart. */
                result_state rs = strcmp(st, "PASSED") == 0    ? R_PASSED
                                  : strcmp(st, "SKIPPED") == 0 ? R_SKIPPED
                                                               : R_FAILED;
                c->results[c->nresults++] = (result){id.s, rs};
            }
        }
        json_free(j);
        free(text);
        tbuf_free(&path);
    }
    closedir(d);
}

static const result *find_result(const ctx *c, const char *id)
{
    for (size_t i = 0; i < c->nresults; i++)
        if (strcmp(c->results[i].id, id) == 0)
            return &c->results[i];
    return NULL;
}

/* The (suite, name) of every Test()/RTC_TEST() in a source file. */
static void tests_in(const char *src, tlist *ids)
{
    static const char *const macros[] = {"RTC_TEST(", "Test("};
    for (size_t m = 0; m < 2; m++) {
        for (const char *p = strstr(src, macros[m]); p; p = strstr(p + 1, macros[m])) {
            if (p > src && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
                continue;
            const char *q = p + strlen(macros[m]);
            char suite[128], name[128];
            if (sscanf(q, " %127[A-Za-z0-9_] , %127[A-Za-z0-9_]", suite, name) != 2)
                continue;
            if (strcmp(suite, "S") == 0 || strcmp(suite, "Suite") == 0)
                continue;   /* the macro definitions themselves */
            tbuf id = {0};
            tbuf_printf(&id, "%s::%s", suite, name);
            if (!tlist_has(ids, id.s))
                tlist_add(ids, id.s);
            tbuf_free(&id);
        }
    }
}

/* Fuzz smoke status: reports/results/fuzz/<target>.sdn (see ci/fuzz-smoke.sh). */
static void fuzz_status(ctx *c, const char *target, row_facts *f)
{
    f->fuzz_crashes = -1;
    snprintf(f->fuzz_state, sizeof f->fuzz_state, "not run");
    tbuf p = {0};
    tbuf_printf(&p, "%s/%s.sdn", c->fuzz_dir, target);
    sdn_error e;
    sdn_value *doc = file_exists(p.s) ? sdn_parse_file(p.s, &e) : NULL;
    if (doc) {
        f->fuzz_crashes = sdn_get_int(doc, "crashes", -1);
        snprintf(f->fuzz_state, sizeof f->fuzz_state, "%s", sdn_get_str(doc, "status", "?"));
    }
    sdn_free(doc);
    tbuf_free(&p);
}

/* fam_ids collects the family's distinct test ids (for unique counts). */
static void gather(ctx *c, const spec_row *r, row_facts *f, tlist *fam_ids)
{
    memset(f, 0, sizeof *f);
    f->exported = tlist_has(&c->exports, r->name);
    f->declared = tlist_has(&c->declared, r->name);
    for (size_t i = 0; i < r->conformance.n; i++) {
        tbuf p = {0};
        tbuf_printf(&p, "%s/%s", c->root, r->conformance.v[i]);
        char *src = read_file(p.s, NULL);
        tlist ids = {0};
        if (src && mentions_call(src, r->name))
            tests_in(src, &ids);
        for (size_t k = 0; k < ids.n; k++) {
            const result *res = find_result(c, ids.v[k]);
            if (!tlist_has(fam_ids, ids.v[k]))
                tlist_add(fam_ids, ids.v[k]);
            f->tests++;
            if (res == NULL)
                f->missing++;
            else if (res->state == R_PASSED)
                f->passing++;
            else if (res->state == R_SKIPPED)
                f->skipped++;
            else
                f->failing++;
        }
        tlist_free(&ids);
        free(src);
        tbuf_free(&p);
    }
    if (r->fuzz) {
        tbuf p = {0};
        tbuf_printf(&p, "%s/fuzz/targets/%s.c", c->root, r->fuzz);
        char *src = read_file(p.s, NULL);
        f->fuzz_present = src && mentions_call(src, r->name);
        free(src);
        tbuf_free(&p);
        fuzz_status(c, r->fuzz, f);
    }
}

static void judge(ctx *c, const spec_row *r, const row_facts *f)
{
    const char *st = spec_status_name(r->status);
    if (!spec_exported(r)) {
        if (f->exported)
            problem(c, "%s: exported, but its row says %s", r->name, st);
        return;
    }
    if (!f->exported)
        problem(c, "%s: row says %s, but the library does not export it", r->name, st);
    if (!f->declared)
        problem(c, "%s: row says %s, but no public header declares it", r->name, st);
    if (f->tests == 0)
        problem(c, "%s: no conformance test calls it (%s)", r->name,
                r->conformance.n ? r->conformance.v[0] : "no suite named");
    else if (f->passing == 0 && f->failing == 0 && f->missing == 0)
        problem(c, "%s: all %d conformance tests were skipped on this machine", r->name,
                f->tests);
    else if (f->failing)
        problem(c, "%s: %d of %d conformance tests failed", r->name, f->failing, f->tests);
    else if (f->missing)
        problem(c, "%s: %d of %d conformance tests have no result (did the suite run?)",
                r->name, f->missing, f->tests);
    if (r->status == ST_IMPLEMENTED && !f->fuzz_present)
        problem(c, "%s: implemented, but no fuzz target calls it (fuzz: %s)", r->name,
                r->fuzz ? r->fuzz : "none");
    if (f->fuzz_crashes > 0)
        problem(c, "%s: fuzz target %s crashed (%ld crash%s)", r->name, r->fuzz, f->fuzz_crashes,
                f->fuzz_crashes == 1 ? "" : "es");
}

static sdn_value *b(bool v) { return sdn_new_bool(v); }
static sdn_value *i(int64_t v) { return sdn_new_int(v); }
static sdn_value *s(const char *v) { return sdn_new_cstr(v ? v : ""); }

int cmd_audit(int argc, char **argv)
{
    ctx c = {.root = ".", .fuzz_dir = "reports/results/fuzz"};
    const char *lib = "build/release/libsimplert.so", *results = "reports/results/asan";
    const char *out = "reports", *v;
    int gate = 1, quiet = 0;
    for (int k = 1; k < argc; k++) {
        if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if ((v = opt_value(&k, argc, argv, "--root"))) c.root = v;
        else if ((v = opt_value(&k, argc, argv, "--lib"))) lib = v;
        else if ((v = opt_value(&k, argc, argv, "--results"))) results = v;
        else if ((v = opt_value(&k, argc, argv, "--fuzz-results"))) c.fuzz_dir = v;
        else if ((v = opt_value(&k, argc, argv, "--out"))) out = v;
        else if (strcmp(argv[k], "--no-gate") == 0) gate = 0;
        else if (strcmp(argv[k], "-q") == 0) quiet = 1;
        else {
            fprintf(stderr, "simplert audit: unknown option '%s'\n%s", argv[k], usage);
            return 2;
        }
    }
    /* Spec problems are gate problems too; collect them as text. */
    spec sp;
    char *errbuf = NULL;
    size_t errlen = 0;
    FILE *errs = open_memstream(&errbuf, &errlen);
    tbuf dir = {0};
    tbuf_printf(&dir, "%s/spec/ffi", c.root);
    spec_load(dir.s, &sp, errs);
    spec_check_tree(&sp, c.root, errs);
    spec_header_names(c.root, &c.declared, errs);
    fclose(errs);
    for (char *line = strtok(errbuf, "\n"); line; line = strtok(NULL, "\n"))
        problem(&c, "spec: %s", line);
    free(errbuf);
    tbuf_free(&dir);

    char msg[256];
    if (elf_exported_functions(lib, &c.exports, msg, sizeof msg) != 0)
        problem(&c, "%s (build it with `make`)", msg);
    load_results(&c, results);
    if (c.nresults == 0)
        problem(&c, "no conformance results in %s (run `make conformance` first)", results);

    for (size_t k = 0; k < c.exports.n; k++) {
        const char *name = c.exports.v[k];
        if (spec_find(&sp, name) == NULL)
            problem(&c, "%s: exported by %s but has no spec row", name, lib);
    }

    /* The report. */
    sdn_value *doc = sdn_new_dict();
    char when[32];
    time_t now = time(NULL);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    sdn_dict_set(doc, "generated_by", s("simplert audit"));
    sdn_dict_set(doc, "generated_at", s(when));
    sdn_dict_set(doc, "library", s(lib));
    sdn_dict_set(doc, "results", s(results));
    static const char *const fcols[] = {"family", "rows", "implemented", "partial", "planned",
                                        "out_of_scope", "exported", "tests", "passing"};
    static const char *const rcols[] = {"name", "family", "status", "exported", "declared",
                                        "tests", "passing", "failing", "skipped", "fuzz",
                                        "fuzz_state", "deviation"};
    sdn_value *ftab = sdn_new_table(9, fcols, NULL), *rtab = sdn_new_table(12, rcols, NULL);
    tbuf md = {0};
    size_t tot[5] = {0}, tot_exported = 0, tot_tests = 0, tot_pass = 0, tot_skip = 0;
    tbuf_printf(&md, "# simplert stub-status report\n\nGenerated by `simplert audit` at %s from "
                     "spec/ffi, `%s`, `%s` and fuzz/targets. Do not edit.\n\n", when, lib, results);
    tbuf fam_md = {0};
    for (size_t a = 0; a < sp.nfams; a++) {
        const spec_family *f = &sp.fams[a];
        size_t cnt[5] = {0}, exported = 0, tests = 0, passing = 0, fam_skipped = 0;
        tlist fam_ids = {0};
        tbuf_printf(&fam_md, "\n## %s\n\n%s\n\nErrors: %s\n\n"
                             "| function | status | exported | declared | tests | fuzz | deviation |\n"
                             "|---|---|---|---|---|---|---|\n",
                    f->name, f->summary ? f->summary : "", f->errors ? f->errors : "");
        for (size_t k = 0; k < f->nrows; k++) {
            const spec_row *r = &f->rows[k];
            row_facts fx;
            gather(&c, r, &fx, &fam_ids);
            judge(&c, r, &fx);
            cnt[r->status]++;
            exported += fx.exported;
            sdn_value *cells[] = {s(r->name), s(f->name), s(spec_status_name(r->status)),
                                  b(fx.exported), b(fx.declared), i(fx.tests), i(fx.passing),
                                  i(fx.failing), i(fx.skipped), s(r->fuzz ? r->fuzz : ""),
                                  s(r->fuzz ? (fx.fuzz_present ? fx.fuzz_state : "missing") : ""),
                                  b(r->deviation != NULL)};
            sdn_table_add_row(rtab, cells);
            char skipped[32] = "";
            if (fx.skipped)
                snprintf(skipped, sizeof skipped, " (%d skipped)", fx.skipped);
            tbuf_printf(&fam_md, "| `%s` | %s | %s | %s | %d/%d%s | %s | %s |\n", r->name,
                        r->status == ST_OUT_OF_SCOPE ? r->status_text : spec_status_name(r->status),
                        fx.exported ? "yes" : "no", fx.declared ? "yes" : "no", fx.passing,
                        fx.tests, skipped, r->fuzz ? (fx.fuzz_present ? r->fuzz : "missing") : "—",
                        r->deviation ? "yes" : "");
        }
        for (size_t k = 0; k < fam_ids.n; k++) {
            const result *res = find_result(&c, fam_ids.v[k]);
            tests++;
            passing += res && res->state == R_PASSED;
            fam_skipped += res && res->state == R_SKIPPED;
        }
        tlist_free(&fam_ids);
        sdn_value *cells[] = {s(f->name), i((int64_t)f->nrows), i((int64_t)cnt[0]),
                              i((int64_t)cnt[1]), i((int64_t)cnt[2]), i((int64_t)cnt[3]),
                              i((int64_t)exported), i((int64_t)tests), i((int64_t)passing)};
        sdn_table_add_row(ftab, cells);
        for (int k = 0; k < 5; k++)
            tot[k] += cnt[k];
        tot_exported += exported;
        tot_tests += tests;
        tot_pass += passing;
        tot_skip += fam_skipped;
        if (!quiet)
            printf("%-14s %3zu rows: %3zu implemented %3zu partial %3zu planned %3zu out of scope; "
                   "%zu/%zu tests pass%s\n",
                   f->name, f->nrows, cnt[0], cnt[1], cnt[2], cnt[3], passing, tests - fam_skipped,
                   fam_skipped ? " (+ skipped here)" : "");
    }
    sdn_value *sum = sdn_new_dict();
    sdn_dict_set(sum, "families", i((int64_t)sp.nfams));
    sdn_dict_set(sum, "functions", i((int64_t)sp.nrows));
    sdn_dict_set(sum, "implemented", i((int64_t)tot[0]));
    sdn_dict_set(sum, "partial", i((int64_t)tot[1]));
    sdn_dict_set(sum, "planned", i((int64_t)tot[2]));
    sdn_dict_set(sum, "out_of_scope", i((int64_t)tot[3]));
    sdn_dict_set(sum, "exported", i((int64_t)c.exports.n));
    sdn_dict_set(sum, "tests", i((int64_t)tot_tests));
    sdn_dict_set(sum, "tests_passing", i((int64_t)tot_pass));
    sdn_dict_set(sum, "tests_skipped", i((int64_t)tot_skip));
    sdn_dict_set(sum, "problems", i((int64_t)c.problems.n));
    sdn_dict_set(sum, "gate", s(c.problems.n ? "fail" : "pass"));
    sdn_dict_set(doc, "summary", sum);
    sdn_dict_set(doc, "families", ftab);
    sdn_dict_set(doc, "functions", rtab);
    sdn_value *probs = sdn_new_array();
    for (size_t k = 0; k < c.problems.n; k++)
        sdn_array_push(probs, s(c.problems.v[k]));
    sdn_dict_set(doc, "problems", probs);

    tbuf_printf(&md, "| families | functions | implemented | partial | planned | out of scope | "
                     "exported | tests passing | gate |\n|---|---|---|---|---|---|---|---|---|\n"
                     "| %zu | %zu | %zu | %zu | %zu | %zu | %zu | %zu/%zu | %s |\n",
                sp.nfams, sp.nrows, tot[0], tot[1], tot[2], tot[3], c.exports.n, tot_pass,
                tot_tests, c.problems.n ? "**fail**" : "pass");
    if (c.problems.n) {
        tbuf_puts(&md, "\n## Problems\n\n");
        for (size_t k = 0; k < c.problems.n; k++)
            tbuf_printf(&md, "- %s\n", c.problems.v[k]);
    }
    tbuf_put(&md, fam_md.s ? fam_md.s : "", fam_md.len);

    int rc = 0;
    size_t len;
    char *text = sdn_write(doc, &len);
    tbuf p1 = {0}, p2 = {0};
    tbuf_printf(&p1, "%s/stub-status.sdn", out);
    tbuf_printf(&p2, "%s/stub-status.md", out);
    if (text == NULL || write_file(p1.s, text, len) != 0 || write_file(p2.s, md.s, md.len) != 0) {
        fprintf(stderr, "simplert audit: cannot write %s\n", p1.s);
        rc = 2;
    }
    free(text);
    sdn_free(doc);
    for (size_t k = 0; k < c.problems.n; k++)
        fprintf(stderr, "audit: %s\n", c.problems.v[k]);
    printf("audit: %zu functions (%zu implemented, %zu partial, %zu planned, %zu out of scope), "
           "%zu exported, %zu/%zu tests pass, %zu skipped on this machine; %zu problem%s -> %s, %s\n",
           sp.nrows, tot[0], tot[1], tot[2], tot[3], c.exports.n, tot_pass, tot_tests - tot_skip, tot_skip,
           c.problems.n, c.problems.n == 1 ? "" : "s", p1.s, p2.s);
    if (rc == 0 && gate && c.problems.n)
        rc = 1;
    tbuf_free(&p1);
    tbuf_free(&p2);
    tbuf_free(&md);
    tbuf_free(&fam_md);
    for (size_t k = 0; k < c.nresults; k++)
        free(c.results[k].id);
    free(c.results);
    tlist_free(&c.exports);
    tlist_free(&c.declared);
    tlist_free(&c.problems);
    spec_free(&sp);
    return rc;
}
