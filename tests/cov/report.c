/* tests/cov/report.c — `simplert cov report`: text, JSON, LCOV, HTML and the
 * --fail-under gates with their exit bits (tools/cov_report.c, cov_html.c,
 * cov_cmd.c), and a report made in this process by rt_coverage_dump_sdn. */
#include "simplert.h"
#include "tests/cov/helpers.h"
#include "tools/json.h"

/* decisions: 1 covered, 2 true only; conditions: 1 of 2 covered;
 * MC/DC of decision 1 (a && b, F- and TT seen): unique-cause and masking
 * show condition 0 only; paths: 1 of 2 completed. */
static const char rep[] =
    "decisions |id, file, line, column, true_count, false_count|\n"
    "    1, src/a.spl, 3, 2, 1, 2\n"
    "    2, \"<b>.spl\", 7, 1, 4, 0\n"
    "conditions |decision_id, condition_id, file, line, column, true_count, false_count|\n"
    "    1, 0, src/a.spl, 3, 4, 1, 2\n"
    "    1, 1, src/a.spl, 3, 9, 1, 0\n"
    "mcdc_vectors |decision_id, file, line, column, vector, outcome, count|\n"
    "    1, src/a.spl, 3, 2, \"F-\", false, 2\n"
    "    1, src/a.spl, 3, 2, \"TT\", true, 1\n"
    "paths |path_id, blocks, hit_count|\n"
    "    1, \"0,1\", 3\n"
    "    1, \"0,2\", 0\n";

static char *setup(char **dir)
{
    *dir = tdir();
    char *f = tpath(*dir, "r.sdn");
    put(f, rep);
    return f;
}

Test(cov_report, text_totals_and_what_is_not_covered)
{
    char *dir, *f = setup(&dir), *out;
    cr_assert_eq(run_cov(&out, "report", f, NULL), 0);
    cr_assert_not_null(strstr(out, "  decisions                       1          2     50.0\n"), "%s", out);
    cr_assert_not_null(strstr(out, "  conditions                      1          2     50.0\n"));
    cr_assert_not_null(strstr(out, "  mcdc (masking)                  1          2     50.0\n"));
    cr_assert_not_null(strstr(out, "  paths                           1          2     50.0\n"));
    cr_assert_not_null(strstr(out, "  <b>.spl:7:1 decision 2: never false\n"));
    cr_assert_not_null(strstr(out, "  src/a.spl:3:9 decision 1 condition 1: never false\n"));
    cr_assert_not_null(strstr(out, "  src/a.spl:3:2 decision 1 mcdc: not shown independent: "
                                   "masking [1], unique-cause [1]\n"));
    cr_assert_not_null(strstr(out, "  path 1 [0,2]: never completed\n"));
    free(out);
    unlink(f);
    free(f), free(dir);
    LEAK_CHECK();
}

Test(cov_report, json_parses_and_carries_the_numbers)
{
    char *dir, *f = setup(&dir), *out;
    cr_assert_eq(run_cov(&out, "report", f, "--json", NULL), 0);
    char err[128];
    json *j = json_parse(out, strlen(out), err, sizeof err);
    cr_assert_not_null(j, "%s\n%s", err, out);
    const json *dec = json_get(json_get(j, "summary"), "decisions");
    cr_assert_float_eq(json_num(json_get(dec, "covered"), -1), 1, 0);
    cr_assert_float_eq(json_num(json_get(dec, "percent"), -1), 50.0, 0);
    const json *files = json_get(j, "files");
    cr_assert_eq(files->n, 2);
    cr_assert_str_eq(json_str(json_get(files->items[0], "file"), ""), "<b>.spl");
    const json *mc = json_get(files->items[1], "mcdc")->items[0];
    cr_assert_float_eq(json_num(json_get(mc, "conditions"), -1), 2, 0);
    const json *p0 = json_get(mc, "pairs")->items[0];
    cr_assert_str_eq(json_str(json_get(p0, "masking")->items[0], ""), "F-");
    cr_assert_str_eq(json_str(json_get(p0, "masking")->items[1], ""), "TT");
    cr_assert_eq(json_get(json_get(mc, "pairs")->items[1], "masking")->type, JSON_NULL);
    json_free(j);
    free(out);
    unlink(f);
    free(f), free(dir);
    LEAK_CHECK();
}

Test(cov_report, lcov_tracefile)
{
    char *dir, *f = setup(&dir), *lcov = tpath(dir, "cov.info");
    cr_assert_eq(run_cov(NULL, "report", f, "--lcov", lcov, NULL), 0);
    char *t = slurp(lcov);
    cr_assert_str_eq(t, "TN:\nSF:<b>.spl\nBRDA:7,2,0,4\nBRDA:7,2,1,0\nDA:7,4\n"
                        "BRF:2\nBRH:1\nLF:1\nLH:1\nend_of_record\n"
                        "TN:\nSF:src/a.spl\nBRDA:3,1,0,1\nBRDA:3,1,1,2\n"
                        "BRDA:3,1,2,1\nBRDA:3,1,3,2\nBRDA:3,1,4,1\nBRDA:3,1,5,0\nDA:3,3\n"
                        "BRF:6\nBRH:5\nLF:1\nLH:1\nend_of_record\n");
    free(t);
    unlink(lcov);
    unlink(f);
    free(lcov), free(f), free(dir);
    LEAK_CHECK();
}

Test(cov_report, html_index_and_file_pages_escape_names)
{
    char *dir, *f = setup(&dir), *html = tpath(dir, "html/out");
    cr_assert_eq(run_cov(NULL, "report", f, "--html", html, NULL), 0);
    char *index = tpath(html, "index.html"), *p0 = tpath(html, "file-0.html"),
         *p1 = tpath(html, "file-1.html");
    char *ti = slurp(index), *t0 = slurp(p0), *t1 = slurp(p1);
    cr_assert_not_null(strstr(ti, "<a href=\"file-0.html\"><code>&lt;b&gt;.spl</code></a>"));
    cr_assert_null(strstr(ti, "<b>.spl"), "names are escaped");
    cr_assert_null(strstr(ti, "http"), "no external assets");
    cr_assert_not_null(strstr(t1, "<td><code>F- / TT</code></td><td><code>F- / TT</code></td>"));
    cr_assert_not_null(strstr(t0, "<h1><code>&lt;b&gt;.spl</code></h1>"));
    free(ti), free(t0), free(t1);
    unlink(index), unlink(p0), unlink(p1);
    free(index), free(p0), free(p1);
    unlink(f);
    free(html), free(f), free(dir);
    LEAK_CHECK();
}

Test(cov_report, fail_under_gates_or_their_bits)
{
    char *dir, *f = setup(&dir);
    cr_assert_eq(run_cov(NULL, "report", f, "--fail-under-decision", "50", NULL), 0, "50 >= 50");
    cr_assert_eq(run_cov(NULL, "report", f, "--fail-under-decision=50.1", NULL), 4);
    cr_assert_eq(run_cov(NULL, "report", f, "--fail-under-condition", "60", NULL), 8);
    cr_assert_eq(run_cov(NULL, "report", f, "--fail-under-mcdc", "100", NULL), 16);
    cr_assert_eq(run_cov(NULL, "report", f, "--fail-under-path", "75", NULL), 32);
    cr_assert_eq(run_cov(NULL, "report", f, "--fail-under-decision", "90", "--fail-under-mcdc",
                         "90", "--fail-under-path", "10", NULL),
                 4 | 16);
    cr_assert_eq(run_cov(NULL, "report", f, "--fail-under-decision", "101", NULL), 2);
    cr_assert_eq(run_cov(NULL, "report", f, "--fail-under-decision", "x", NULL), 2);
    cr_assert_eq(run_cov(NULL, "report", f, "--fail-under-path", NULL), 2, "a value is needed");
    cr_assert_eq(run_cov(NULL, "report", NULL), 2);
    cr_assert_eq(run_cov(NULL, "report", "/nonexistent.sdn", NULL), 2);
    char *help;
    cr_assert_eq(run_cov(&help, "report", "--help", NULL), 0);
    cr_assert_not_null(strstr(help, "--fail-under-mcdc"));
    free(help);
    unlink(f);
    free(f), free(dir);
    LEAK_CHECK();
}

/* A report made by this process's own collector reads, renders and merges:
 * merged with itself every count doubles and the verdicts stay. */
Test(cov_report, report_from_the_collector_merges_with_itself)
{
    rt_coverage_enable();
    for (int x = 0; x < 4; x++) {
        bool a = x & 1, b = x & 2, r = a;
        rt_coverage_condition_probe(1, 0, a, "live.spl", 1, 4);
        if (a) {
            rt_coverage_condition_probe(1, 1, b, "live.spl", 1, 9);
            r = b;
        }
        rt_coverage_decision_probe(1, r, "live.spl", 1, 1);
    }
    rt_coverage_path_probe(1, 0);
    char *text = rt_coverage_dump_sdn();
    cr_assert_not_null(text);
    char *dir = tdir(), *f = tpath(dir, "live.sdn"), *o = tpath(dir, "twice.sdn");
    put(f, text);
    cr_assert_eq(run_cov(NULL, "merge", f, f, "-o", o, NULL), 0);
    char *t = slurp(o);
    cr_assert_not_null(strstr(t, "    1, live.spl, 1, 1, 2, 6\n"), "%s", t);
    cr_assert_not_null(strstr(t, "    1, live.spl, 1, 1, 2, 3, \"0,1\", \"0,1\", \"\", 0, short-circuit\n"));
    cr_assert_not_null(strstr(t, "    1, live.spl, 1, 1, \"F-\", false, 4\n"));
    cr_assert_not_null(strstr(t, "    1, \"0\", 0\n"), "the open trace stays open");
    cov_doc d;
    doc_of(&d, text);
    char *again = cov_doc_write(&d, NULL);
    cr_assert_str_eq(again, text, "the CLI writes the collector's report byte for byte");
    free(again);
    cov_doc_free(&d);
    rt_coverage_free_sdn(text);
    free(t);
    unlink(f), unlink(o);
    free(f), free(o), free(dir);
    LEAK_CHECK();
}
