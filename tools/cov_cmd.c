/*
 * tools/cov_cmd.c — `simplert cov merge` and `simplert cov report`
 * (command line; the work is in tools/cov_read.c, cov_report.c, cov_html.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tools/cli.h"
#include "tools/cov.h"
#include "tools/util.h"

static const char usage[] =
    "usage: simplert cov merge IN... -o OUT\n"
    "       simplert cov report IN... [--json] [--lcov FILE] [--html DIR] [--fail-under-* N]\n"
    "\n"
    "Coverage reports are the SDN files rt_coverage_dump_sdn returns and SIMPLE_COVERAGE_OUTPUT\n"
    "writes (decisions, conditions, MC/DC vectors, paths). IN is a report or a directory:\n"
    "every *.sdn file in it, e.g. the directory each test process wrote its report to.\n"
    "\n"
    "merge    add reports up into OUT: counts add (saturating at 2^63-1), MC/DC vectors and\n"
    "         paths form the union, MC/DC verdicts and the summary are recomputed. The result\n"
    "         does not depend on the order or grouping of the inputs.\n"
    "  -o, --output OUT           the merged report (written atomically)\n"
    "\n"
    "report   render a report (several inputs are merged first)\n"
    "  (default)                  totals, per-file table and what is not covered, on stdout\n"
    "  --json                     JSON on stdout instead of the text\n"
    "  --lcov FILE                also write an LCOV tracefile (decisions and conditions as\n"
    "                             branches, decision lines as lines)\n"
    "  --html DIR                 also write a static HTML report (DIR/index.html)\n"
    "  --fail-under-decision N    fail when decision coverage is below N percent\n"
    "  --fail-under-condition N   ... condition coverage\n"
    "  --fail-under-mcdc N        ... MC/DC (masking: conditions shown independent)\n"
    "  --fail-under-path N        ... path coverage (paths completed at least once)\n"
    "\n"
    "exit status (as gcovr's, bits OR'ed): 0 ok; 2 usage error or unreadable input;\n"
    "  4 decision, 8 condition, 16 MC/DC, 32 path coverage below its threshold.\n";

static int read_all(cov_doc *d, const tlist *in)
{
    char err[512];
    for (size_t i = 0; i < in->n; i++) {
        if (cov_doc_read_path(d, in->v[i], err, sizeof err) != 0) {
            fprintf(stderr, "simplert cov: %s\n", err);
            return -1;
        }
    }
    cov_doc_finish(d);
    return 0;
}

static int parse_pct(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= 0 && v <= 100))
        return -1;
    *out = v;
    return 0;
}

static int cmd_merge(int argc, char **argv)
{
    tlist in = {0};
    const char *outp = NULL, *v;
    for (int i = 2; i < argc; i++) {
        if ((v = opt_value(&i, argc, argv, "-o")) || (v = opt_value(&i, argc, argv, "--output")))
            outp = v;
        else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "simplert cov merge: unknown option '%s'\n%s", argv[i], usage);
            tlist_free(&in);
            return 2;
        } else
            tlist_add(&in, argv[i]);
    }
    if (outp == NULL || in.n == 0) {
        fprintf(stderr, "simplert cov merge: %s\n%s",
                outp ? "no input reports" : "-o OUT is required", usage);
        tlist_free(&in);
        return 2;
    }
    cov_doc d = {0};
    int rc = read_all(&d, &in) == 0 ? 0 : 2;
    if (rc == 0) {
        size_t len;
        char *text = cov_doc_write(&d, &len);
        if (text == NULL || write_file(outp, text, len) != 0) {
            fprintf(stderr, "simplert cov merge: cannot write %s: %s\n", outp, strerror(errno));
            rc = 2;
        }
        free(text);
    }
    cov_doc_free(&d);
    tlist_free(&in);
    return rc;
}

static int cmd_report(int argc, char **argv)
{
    tlist in = {0};
    const char *lcov = NULL, *html = NULL, *v;
    int json = 0;
    double th[4] = {-1, -1, -1, -1};
    static const char *const gates[4] = {"--fail-under-decision", "--fail-under-condition",
                                         "--fail-under-mcdc", "--fail-under-path"};
    for (int i = 2; i < argc; i++) {
        int g = -1;
        for (int k = 0; k < 4 && g < 0; k++)
            if ((v = opt_value(&i, argc, argv, gates[k])) != NULL)
                g = k;
        if (g >= 0) {
            if (parse_pct(v, &th[g]) != 0) {
                fprintf(stderr, "simplert cov report: %s wants a percentage 0..100, not '%s'\n",
                        gates[g], v);
                tlist_free(&in);
                return 2;
            }
        } else if ((v = opt_value(&i, argc, argv, "--lcov")))
            lcov = v;
        else if ((v = opt_value(&i, argc, argv, "--html")))
            html = v;
        else if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "simplert cov report: unknown option '%s'\n%s", argv[i], usage);
            tlist_free(&in);
            return 2;
        } else
            tlist_add(&in, argv[i]);
    }
    if (in.n == 0) {
        fprintf(stderr, "simplert cov report: no input reports\n%s", usage);
        return 2;
    }
    cov_doc d = {0};
    int rc = read_all(&d, &in) == 0 ? 0 : 2;
    if (rc == 0 && (json ? cov_render_json(&d, stdout) : cov_render_text(&d, stdout)) != 0)
        rc = 2;
    if (rc == 0 && lcov) {
        FILE *f = fopen(lcov, "w");
        if (f == NULL || cov_render_lcov(&d, f) != 0 || fclose(f) != 0) {
            fprintf(stderr, "simplert cov report: cannot write %s: %s\n", lcov, strerror(errno));
            rc = 2;
        }
    }
    if (rc == 0 && html && cov_render_html(&d, html) != 0) {
        fprintf(stderr, "simplert cov report: cannot write %s: %s\n", html, strerror(errno));
        rc = 2;
    }
    if (rc == 0) {
        cov_totals t;
        cov_doc_totals(&d, &t);
        double pct[4] = {cov_pct(t.dec_cov, t.dec), cov_pct(t.cond_cov, t.cond),
                         cov_pct(t.mcdc_mask, t.mcdc), cov_pct(t.path_cov, t.path)};
        static const int bit[4] = {COV_FAIL_DECISION, COV_FAIL_CONDITION, COV_FAIL_MCDC,
                                   COV_FAIL_PATH};
        for (int k = 0; k < 4; k++) {
            if (th[k] >= 0 && pct[k] < th[k]) {
                fprintf(stderr, "simplert cov report: %s coverage %.1f%% is below %g%%\n",
                        gates[k] + 13, pct[k], th[k]);
                rc |= bit[k];
            }
        }
    }
    cov_doc_free(&d);
    tlist_free(&in);
    return rc;
}

int cmd_cov(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        }
    }
    if (strcmp(argv[1], "merge") == 0)
        return cmd_merge(argc, argv);
    if (strcmp(argv[1], "report") == 0)
        return cmd_report(argc, argv);
    fprintf(stderr, "simplert cov: unknown command '%s'\n%s", argv[1], usage);
    return 2;
}
