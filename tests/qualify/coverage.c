/* Unit tests: gcovr JSON -> coverage counts, per-function spans, LCOV, the
 * floors file, and Criterion-shaped JSON results (tools/qualify_cov.c,
 * tools/qualify_collect.c), on hand-written inputs with exact answers. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "conformance/rtc.h"
#include "tools/json.h"
#include "tools/qualify.h"

/* Two functions in one file: f (lines 1-4) and g (line 10 on); line 2 is a
 * conditional taken one way, line 3 never ran, line 5 is not code, line 11
 * a switch case that ran, line 12 an uncheckable decision. */
static const char gcovr[] =
    "{\"gcovr/format_version\": \"0.3\", \"files\": [{\"file\": \"runtime/x.c\","
    " \"functions\": [{\"name\": \"g\", \"lineno\": 10, \"execution_count\": 0},"
    "                 {\"name\": \"f\", \"lineno\": 1, \"execution_count\": 3}],"
    " \"lines\": ["
    "  {\"line_number\": 1, \"count\": 3, \"branches\": [], \"gcovr/noncode\": false},"
    "  {\"line_number\": 2, \"count\": 3, \"branches\": [{\"count\": 3}, {\"count\": 0}],"
    "   \"gcovr/decision\": {\"type\": \"conditional\", \"count_true\": 3, \"count_false\": 0}},"
    "  {\"line_number\": 3, \"count\": 0, \"branches\": [{\"count\": 0}, {\"count\": 0}]},"
    "  {\"line_number\": 5, \"count\": 0, \"branches\": [], \"gcovr/noncode\": true},"
    "  {\"line_number\": 10, \"count\": 0, \"branches\": []},"
    "  {\"line_number\": 11, \"count\": 2, \"branches\": [],"
    "   \"gcovr/decision\": {\"type\": \"switch\", \"count\": 2}},"
    "  {\"line_number\": 12, \"count\": 1, \"branches\": [], \"gcovr/excluded\": false,"
    "   \"gcovr/decision\": {\"type\": \"uncheckable\"}}"
    " ]}]}";

static char *temp_with(const char *text)
{
    char *path = strdup("/tmp/qualify-cov-XXXXXX");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

RTC_TEST(qualify_coverage, counts_lines_branches_decisions)
{
    char *path = temp_with(gcovr);
    q_cov cov = {0};
    q_fn_cov *fns = NULL;
    size_t nfns = 0;
    cr_assert_eq(q_cov_read(path, &cov, &fns, &nfns), 0);
    unlink(path);
    free(path);
    cr_assert(cov.have);
    cr_assert_eq(cov.n, 1u);
    const q_cov_file *t = &cov.total;
    cr_assert_eq(t->lines, 6);          /* 1 2 3 10 11 12; 5 is not code */
    cr_assert_eq(t->lines_hit, 4);      /* 1 2 11 12 */
    cr_assert_eq(t->branches, 4);
    cr_assert_eq(t->branches_hit, 1);
    cr_assert_eq(t->decisions, 3);      /* conditional: 2 outcomes; switch case: 1 */
    cr_assert_eq(t->decisions_hit, 2);  /* true, and the case */
    cr_assert_eq(nfns, 2u);
    /* Sorted by first line: f covers 1..9, g 10 on. */
    cr_assert_str_eq(fns[0].name, "f");
    cr_assert_eq(fns[0].lines, 3);
    cr_assert_eq(fns[0].lines_hit, 2);
    cr_assert_str_eq(fns[1].name, "g");
    cr_assert_eq(fns[1].lines, 3);
    cr_assert_eq(fns[1].lines_hit, 2);
    for (size_t i = 0; i < nfns; i++)
        free(fns[i].name);
    free(fns);
    free(cov.files[0].file);
    free(cov.files);
    free(cov.total.file);
    cr_assert_float_eq(q_pct(1, 4), 25.0, 1e-9);
    cr_assert_float_eq(q_pct(0, 0), 100.0, 1e-9, "nothing to cover counts as covered");
}

RTC_TEST(qualify_coverage, lcov_is_exact)
{
    char err[128];
    json *doc = json_parse(gcovr, strlen(gcovr), err, sizeof err);
    cr_assert_not_null(doc, "%s", err);
    char *lcov = q_lcov_from_gcovr(doc);
    cr_assert_str_eq(lcov, "TN:\nSF:runtime/x.c\n"
                           "FN:10,g\nFN:1,f\nFNDA:0,g\nFNDA:3,f\nFNF:2\nFNH:1\n"
                           "BRDA:2,0,0,3\nBRDA:2,0,1,0\nBRDA:3,0,0,-\nBRDA:3,0,1,-\n"
                           "BRF:4\nBRH:1\n"
                           "DA:1,3\nDA:2,3\nDA:3,0\nDA:10,0\nDA:11,2\nDA:12,1\n"
                           "LF:6\nLH:4\nend_of_record\n", "got:\n%s", lcov);
    free(lcov);
    json_free(doc);
}

RTC_TEST(qualify_coverage, floors_file)
{
    char *path = temp_with("# floors\nline: 80.5\nbranch: 70\n");
    q_cov cov = {0};
    q_cov_read_floors(path, &cov);
    unlink(path);
    free(path);
    cr_assert_float_eq(cov.floor_line, 80.5, 1e-9);
    cr_assert_float_eq(cov.floor_branch, 70.0, 1e-9, "an int floor reads as a number");
    cr_assert_lt(cov.floor_decision, 0.0, "a missing floor is no floor");
    q_cov none = {0};
    q_cov_read_floors("/nonexistent/floors.sdn", &none);
    cr_assert_lt(none.floor_line, 0.0);
}

RTC_TEST(qualify_coverage, results_json_of_both_runners)
{
    char *path = temp_with(
        "{\"id\": \"simplert shim runner\", \"test_suites\": [{\"name\": \"s\", \"tests\": ["
        "{\"name\": \"a\", \"assertions\": 0, \"status\": \"PASSED\"},"
        "{\"name\": \"b\", \"assertions\": 0, \"status\": \"ERRORED\","
        " \"messages\": [\"CRASH (signal 11)\"]}]}]}");
    q_report r = {0};
    q_read_results(&r, "tsan", path);
    q_read_results(&r, "tsan", "/nonexistent.json");   /* missing: nothing added */
    unlink(path);
    free(path);
    cr_assert_eq(r.nresults, 2u);
    cr_assert_str_eq(r.results[0].variant, "tsan");
    cr_assert_str_eq(r.results[0].suite, "s");
    cr_assert_str_eq(r.results[0].test, "a");
    cr_assert_str_eq(r.results[0].status, "PASSED");
    cr_assert_null(r.results[0].message);
    cr_assert_str_eq(r.results[1].status, "ERRORED");
    cr_assert_str_eq(r.results[1].message, "CRASH (signal 11)");
    q_report_free(&r);
}
