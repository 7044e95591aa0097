/*
 * tools/qualify_cov.c — the runtime's gcov coverage for the qualification:
 * gcovr's JSON (format 0.3, written with --decisions by `make coverage`)
 * read into per-file and per-function counts, an LCOV tracefile written
 * from it (gcovr 5.2 has no LCOV writer), and the coverage floors.
 *
 *   simplert qualify coverage-check [--json F] [--floors F] [--lcov F] [--ratchet]
 *
 * Counting rules (the dashboard and the floors use the same):
 *   lines      lines gcov saw as code, not excluded (gcovr/noncode, gcovr/excluded)
 *   branches   every gcov branch arc of those lines (after gcovr's
 *              --exclude-unreachable-branches)
 *   decisions  gcovr's decision analysis: a "conditional" line has two
 *              outcomes (true, false), a "switch" case line one; "uncheckable"
 *              lines are left out
 * The floors (ci/coverage-floor.sdn) are a ratchet: `make coverage` fails
 * below them; `--ratchet` (make coverage-ratchet) raises each floor to one
 * point under what was measured, rounded down to 0.1, and never lowers one.
 * The point of headroom absorbs run-to-run jitter of the threaded suites.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sdn/sdn.h"
#include "tools/json.h"
#include "tools/qualify.h"

double q_pct(int hit, int total) { return total > 0 ? 100.0 * hit / total : 100.0; }

static json *load(const char *path)
{
    size_t len;
    char *text = read_file(path, &len);
    if (text == NULL)
        return NULL;
    char err[128];
    json *j = json_parse(text, len, err, sizeof err);
    if (j == NULL)
        fprintf(stderr, "qualify: %s: %s\n", path, err);
    free(text);
    return j;
}

static bool is_code(const json *line)
{
    const json *nc = json_get(line, "gcovr/noncode"), *ex = json_get(line, "gcovr/excluded");
    return !(nc && nc->type == JSON_BOOL && nc->b) && !(ex && ex->type == JSON_BOOL && ex->b);
}

static void count_line(const json *line, q_cov_file *c)
{
    if (!is_code(line))
        return;
    c->lines++;
    c->lines_hit += json_num(json_get(line, "count"), 0) > 0;
    const json *br = json_get(line, "branches");
    for (size_t b = 0; br && br->type == JSON_ARR && b < br->n; b++) {
        c->branches++;
        c->branches_hit += json_num(json_get(br->items[b], "count"), 0) > 0;
    }
    const json *d = json_get(line, "gcovr/decision");
    const char *type = json_str(json_get(d, "type"), "");
    if (strcmp(type, "conditional") == 0) {
        c->decisions += 2;
        c->decisions_hit += (json_num(json_get(d, "count_true"), 0) > 0) +
                            (json_num(json_get(d, "count_false"), 0) > 0);
    } else if (strcmp(type, "switch") == 0) {
        c->decisions++;
        c->decisions_hit += json_num(json_get(d, "count"), 0) > 0;
    }
}

static void add(q_cov_file *to, const q_cov_file *c)
{
    to->lines += c->lines, to->lines_hit += c->lines_hit;
    to->branches += c->branches, to->branches_hit += c->branches_hit;
    to->decisions += c->decisions, to->decisions_hit += c->decisions_hit;
}

static int cmp_lineno(const void *a, const void *b)
{
    double x = json_num(json_get(*(const json *const *)a, "lineno"), 0);
    double y = json_num(json_get(*(const json *const *)b, "lineno"), 0);
    return x < y ? -1 : x > y;
}

int q_cov_read(const char *gcovr_json, q_cov *cov, q_fn_cov **fns, size_t *nfns)
{
    json *doc = load(gcovr_json);
    const json *files = json_get(doc, "files");
    if (files == NULL || files->type != JSON_ARR) {
        json_free(doc);
        return -1;
    }
    cov->have = true;
    cov->files = xcalloc(files->n + 1, sizeof *cov->files);
    cov->n = 0;
    memset(&cov->total, 0, sizeof cov->total);
    cov->total.file = xstrdup("total");
    size_t cap = 0;
    for (size_t i = 0; i < files->n; i++) {
        const json *f = files->items[i];
        q_cov_file *c = &cov->files[cov->n++];
        memset(c, 0, sizeof *c);
        c->file = xstrdup(json_str(json_get(f, "file"), "?"));
        const json *lines = json_get(f, "lines");
        for (size_t k = 0; lines && lines->type == JSON_ARR && k < lines->n; k++)
            count_line(lines->items[k], c);
        add(&cov->total, c);
        /* A function's lines: from its first line up to the next function's. */
        const json *fl = json_get(f, "functions");
        if (fns == NULL || fl == NULL || fl->type != JSON_ARR || fl->n == 0)
            continue;
        const json **sorted = xcalloc(fl->n, sizeof *sorted);
        for (size_t k = 0; k < fl->n; k++)
            sorted[k] = fl->items[k];
        qsort(sorted, fl->n, sizeof *sorted, cmp_lineno);
        for (size_t k = 0; k < fl->n; k++) {
            double from = json_num(json_get(sorted[k], "lineno"), 0);
            double to = k + 1 < fl->n ? json_num(json_get(sorted[k + 1], "lineno"), 0) : 1e18;
            q_cov_file part = {0};
            for (size_t m = 0; lines && lines->type == JSON_ARR && m < lines->n; m++) {
                double ln = json_num(json_get(lines->items[m], "line_number"), 0);
                if (ln >= from && ln < to)
                    count_line(lines->items[m], &part);
            }
            if (*nfns == cap)
                *fns = xrealloc(*fns, (cap = cap ? cap * 2 : 256) * sizeof **fns);
            (*fns)[(*nfns)++] = (q_fn_cov){xstrdup(json_str(json_get(sorted[k], "name"), "?")),
                                           part.lines, part.lines_hit};
        }
        free(sorted);
    }
    json_free(doc);
    return 0;
}

char *q_lcov_from_gcovr(const json *doc)
{
    tbuf b = {0};
    const json *files = json_get(doc, "files");
    for (size_t i = 0; files && files->type == JSON_ARR && i < files->n; i++) {
        const json *f = files->items[i];
        tbuf_printf(&b, "TN:\nSF:%s\n", json_str(json_get(f, "file"), "?"));
        const json *fl = json_get(f, "functions");
        size_t fnf = 0, fnh = 0;
        for (size_t k = 0; fl && fl->type == JSON_ARR && k < fl->n; k++) {
            const json *fn = fl->items[k];
            tbuf_printf(&b, "FN:%.0f,%s\n", json_num(json_get(fn, "lineno"), 0),
                        json_str(json_get(fn, "name"), "?"));
        }
        for (size_t k = 0; fl && fl->type == JSON_ARR && k < fl->n; k++) {
            const json *fn = fl->items[k];
            double n = json_num(json_get(fn, "execution_count"), 0);
            tbuf_printf(&b, "FNDA:%.0f,%s\n", n, json_str(json_get(fn, "name"), "?"));
            fnf++;
            fnh += n > 0;
        }
        tbuf_printf(&b, "FNF:%zu\nFNH:%zu\n", fnf, fnh);
        const json *lines = json_get(f, "lines");
        size_t brf = 0, brh = 0, lf = 0, lh = 0;
        for (size_t k = 0; lines && lines->type == JSON_ARR && k < lines->n; k++) {
            const json *l = lines->items[k];
            const json *br = json_get(l, "branches");
            if (!is_code(l))
                continue;
            double ln = json_num(json_get(l, "line_number"), 0);
            double lc = json_num(json_get(l, "count"), 0);
            for (size_t m = 0; br && br->type == JSON_ARR && m < br->n; m++) {
                double c = json_num(json_get(br->items[m], "count"), 0);
                /* "-": the line never ran, so its branches were never evaluated */
                if (lc > 0)
                    tbuf_printf(&b, "BRDA:%.0f,0,%zu,%.0f\n", ln, m, c);
                else
                    tbuf_printf(&b, "BRDA:%.0f,0,%zu,-\n", ln, m);
                brf++;
                brh += c > 0;
            }
        }
        tbuf_printf(&b, "BRF:%zu\nBRH:%zu\n", brf, brh);
        for (size_t k = 0; lines && lines->type == JSON_ARR && k < lines->n; k++) {
            const json *l = lines->items[k];
            if (!is_code(l))
                continue;
            double lc = json_num(json_get(l, "count"), 0);
            tbuf_printf(&b, "DA:%.0f,%.0f\n", json_num(json_get(l, "line_number"), 0), lc);
            lf++;
            lh += lc > 0;
        }
        tbuf_printf(&b, "LF:%zu\nLH:%zu\nend_of_record\n", lf, lh);
    }
    if (b.s == NULL)
        tbuf_puts(&b, "");
    return b.s;
}

int q_cov_write_lcov(const char *gcovr_json, const char *out)
{
    json *doc = load(gcovr_json);
    if (doc == NULL)
        return -1;
    char *text = q_lcov_from_gcovr(doc);
    int rc = write_file(out, text, strlen(text));
    free(text);
    json_free(doc);
    return rc;
}

void q_cov_read_floors(const char *path, q_cov *cov)
{
    cov->floor_line = cov->floor_branch = cov->floor_decision = -1;
    sdn_error e;
    sdn_value *doc = file_exists(path) ? sdn_parse_file(path, &e) : NULL;
    static const char *const keys[] = {"line", "branch", "decision"};
    double *dst[] = {&cov->floor_line, &cov->floor_branch, &cov->floor_decision};
    for (int k = 0; k < 3; k++) {
        const sdn_value *v = sdn_get(doc, keys[k]);
        if (sdn_type_of(v) == SDN_FLOAT)
            *dst[k] = sdn_float(v);
        else if (sdn_type_of(v) == SDN_INT)
            *dst[k] = (double)sdn_int(v);
    }
    sdn_free(doc);
}

static int write_floors(const char *path, const double f[3])
{
    tbuf b = {0};
    tbuf_printf(&b,
                "# ci/coverage-floor.sdn — the runtime's coverage floors (percent), a ratchet.\n"
                "# `make coverage` (and the coverage stage of `make qualify`) fails when the\n"
                "# gcov coverage of the library sources falls below a floor.\n"
                "# `make coverage-ratchet` raises each floor to one point under the last\n"
                "# measurement (rounded down to 0.1) and never lowers one: commit the change.\n"
                "line: %.1f\nbranch: %.1f\ndecision: %.1f\n",
                f[0], f[1], f[2]);
    int rc = write_file(path, b.s, b.len);
    tbuf_free(&b);
    return rc;
}

static const char cov_usage[] =
    "usage: simplert qualify coverage-check [options]\n"
    "\n"
    "Reads gcovr's JSON of the runtime (make coverage writes it), writes LCOV, and\n"
    "compares line, branch and decision coverage with the floors.\n"
    "\n"
    "  --json F      gcovr JSON (default reports/coverage/gcovr.json)\n"
    "  --floors F    the floors (default ci/coverage-floor.sdn)\n"
    "  --lcov F      LCOV output (default reports/coverage/lcov.info)\n"
    "  --ratchet     raise the floors to one point under this measurement (never lower)\n"
    "\n"
    "Exit status: 0 at or above every floor; 1 below one; 2 no coverage data.\n";

int cmd_qualify_coverage(int argc, char **argv)
{
    const char *jpath = "reports/coverage/gcovr.json", *floors = "ci/coverage-floor.sdn";
    const char *lcov = "reports/coverage/lcov.info", *v;
    bool ratchet = false;
    for (int k = 1; k < argc; k++) {
        if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0) {
            fputs(cov_usage, stdout);
            return 0;
        } else if ((v = opt_value(&k, argc, argv, "--json"))) jpath = v;
        else if ((v = opt_value(&k, argc, argv, "--floors"))) floors = v;
        else if ((v = opt_value(&k, argc, argv, "--lcov"))) lcov = v;
        else if (strcmp(argv[k], "--ratchet") == 0) ratchet = true;
        else
            return fprintf(stderr, "coverage-check: unknown option '%s'\n%s", argv[k],
                           cov_usage), 2;
    }
    q_cov cov = {0};
    if (q_cov_read(jpath, &cov, NULL, NULL) != 0) {
        fprintf(stderr, "coverage: no gcovr JSON at %s (run `make coverage`)\n", jpath);
        return 2;
    }
    if (q_cov_write_lcov(jpath, lcov) != 0)
        fprintf(stderr, "coverage: cannot write %s\n", lcov);
    q_cov_read_floors(floors, &cov);
    const q_cov_file *t = &cov.total;
    double now[3] = {q_pct(t->lines_hit, t->lines), q_pct(t->branches_hit, t->branches),
                     q_pct(t->decisions_hit, t->decisions)};
    double fl[3] = {cov.floor_line, cov.floor_branch, cov.floor_decision};
    static const char *const names[] = {"lines", "branches", "decisions"};
    int below = 0;
    printf("coverage of %zu runtime files:", cov.n);
    for (int k = 0; k < 3; k++) {
        printf(" %s %.1f%%", names[k], now[k]);
        if (fl[k] >= 0)
            printf(" (floor %.1f%s)", fl[k], now[k] + 1e-9 < fl[k] ? ", BELOW" : "");
        below += fl[k] >= 0 && now[k] + 1e-9 < fl[k];
    }
    printf("; LCOV in %s\n", lcov);
    if (ratchet) {
        double nf[3];
        int raised = 0;
        for (int k = 0; k < 3; k++) {
            double cand = floor(now[k] * 10.0) / 10.0 - 1.0;
            nf[k] = cand > fl[k] ? cand : fl[k];
            raised += nf[k] != fl[k];
        }
        if (raised && write_floors(floors, nf) == 0)
            printf("coverage: floors raised in %s: line %.1f, branch %.1f, decision %.1f\n",
                   floors, nf[0], nf[1], nf[2]);
        else
            printf("coverage: floors unchanged in %s\n", floors);
        below = 0;
    } else if (fl[0] < 0 && fl[1] < 0 && fl[2] < 0) {
        printf("coverage: no floors in %s (make coverage-ratchet writes them)\n", floors);
    }
    for (size_t i = 0; i < cov.n; i++)
        free(cov.files[i].file);
    free(cov.files);
    free(cov.total.file);
    if (below)
        printf("coverage: FAILED: below the floor (ci/coverage-floor.sdn)\n");
    return below ? 1 : 0;
}
