/* Unit tests: the qualification report writers (tools/qualify_*.c) on a
 * small model — exact JUnit XML, the SDN read back, and the dashboard's
 * data attributes, escaping and sections. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "conformance/rtc.h"
#include "sdn/sdn.h"
#include "tests/qualify/model.h"

static const char junit_want[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<testsuites name=\"simplert qualification\" tests=\"4\" failures=\"2\" errors=\"0\" "
    "skipped=\"1\">\n"
    "  <testsuite name=\"qualify\" tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"1\" "
    "time=\"78.0\">\n"
    "    <testcase classname=\"qualify\" name=\"asan\">\n"
    "      <failure message=\"FAIL: 1 &lt;failing&gt; test\">FAIL: 1 &lt;failing&gt; test"
    "</failure>\n"
    "    </testcase>\n"
    "    <testcase classname=\"qualify\" name=\"dogfood\">\n"
    "      <skipped message=\"n/a: \">n/a: </skipped>\n"
    "    </testcase>\n"
    "  </testsuite>\n"
    "  <testsuite name=\"asan.value_array\" tests=\"2\" failures=\"1\" errors=\"0\" "
    "skipped=\"0\">\n"
    "    <testcase classname=\"asan.value_array\" name=\"push\"/>\n"
    "    <testcase classname=\"asan.value_array\" name=\"grow\">\n"
    "      <failure message=\"array.c:9: a &lt; b &amp; &quot;c&quot;\">array.c:9: a &lt; b "
    "&amp; &quot;c&quot;\nmore</failure>\n"
    "    </testcase>\n"
    "  </testsuite>\n"
    "</testsuites>\n";

RTC_TEST(qualify_writers, junit_is_exact)
{
    q_report *r = model_new();
    char *x = q_junit(r);
    cr_assert_str_eq(x, junit_want, "got:\n%s", x);
    free(x);
    model_free(r);
}

RTC_TEST(qualify_writers, junit_of_nothing_is_an_empty_run)
{
    q_report r = {0};
    char *x = q_junit(&r);
    cr_assert_str_eq(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                        "<testsuites name=\"simplert qualification\" tests=\"0\" failures=\"0\" "
                        "errors=\"0\" skipped=\"0\">\n"
                        "  <testsuite name=\"qualify\" tests=\"0\" failures=\"0\" errors=\"0\" "
                        "skipped=\"0\" time=\"0.0\">\n  </testsuite>\n</testsuites>\n");
    free(x);
}

RTC_TEST(qualify_writers, sdn_reads_back)
{
    q_report *r = model_new();
    char path[] = "/tmp/qualify-sdn-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    close(fd);
    cr_assert_eq(q_write_sdn(r, path), 0);
    sdn_error e;
    sdn_value *doc = sdn_parse_file(path, &e);
    unlink(path);
    cr_assert_not_null(doc, "%s", e.msg);
    cr_assert_str_eq(sdn_get_str(doc, "verdict", ""), "fail");
    const sdn_value *g = sdn_get(doc, "failing_gates");
    cr_assert_eq(sdn_len(g), 1u);
    cr_assert_str_eq(sdn_str(sdn_at(g, 0), NULL), "asan: 1 <failing> test");
    const sdn_value *sum = sdn_get(doc, "summary");
    cr_assert_eq(sdn_get_int(sum, "functions", -1), 3);
    cr_assert_eq(sdn_get_int(sum, "implemented", -1), 1);
    cr_assert_eq(sdn_get_int(sum, "tests_asan", -1), 2);
    cr_assert_eq(sdn_get_int(sum, "passing_asan", -1), 1);
    cr_assert_eq(sdn_get_int(sum, "fuzz_execs", -1), 60000);
    cr_assert_eq(sdn_get_int(sum, "oom_sites", -1), 7);
    cr_assert_eq(sdn_get_int(sum, "bench_goals_met", -1), 1);
    const sdn_value *fn = sdn_get(doc, "functions");
    cr_assert_eq(sdn_len(fn), 3u);
    int c = sdn_table_col_index(fn, "name");
    cr_assert_str_eq(sdn_str(sdn_table_cell(fn, 1, (size_t)c), NULL), "rt_<b>&");
    c = sdn_table_col_index(fn, "asan_passing");
    cr_assert_eq(sdn_int(sdn_table_cell(fn, 0, (size_t)c)), 2);
    c = sdn_table_col_index(fn, "tsan_tests");
    cr_assert_eq(sdn_int(sdn_table_cell(fn, 0, (size_t)c)), -1, "no TSan results: -1");
    const sdn_value *st = sdn_get(doc, "stages");
    c = sdn_table_col_index(st, "state");
    cr_assert_str_eq(sdn_str(sdn_table_cell(st, 1, (size_t)c), NULL), "n/a");
    sdn_free(doc);
    model_free(r);
}

static int has(const char *hay, const char *needle) { return strstr(hay, needle) != NULL; }

RTC_TEST(qualify_writers, html_carries_its_data_and_escapes)
{
    q_report *r = model_new();
    char *x = q_html(r);
    cr_assert(has(x, "<main id=\"dashboard\" data-verdict=\"fail\" data-functions=\"3\" "
                     "data-stages=\"3\">"));
    cr_assert(has(x, "<li>asan: 1 &lt;failing&gt; test</li>"), "the failing gate, escaped");
    cr_assert(!has(x, "rt_<b>"), "a hostile name is never raw HTML");
    cr_assert(has(x, "rt_&lt;b&gt;&amp;"), "out-of-scope rows listed, escaped");
    cr_assert(has(x, "<td class=\"n bad\">2/3</td>"), "ASan 2 of 3 passing, marked bad");
    cr_assert(has(x, "<td class=\"n good\">3/3</td>"), "Valgrind 3 of 3");
    cr_assert(has(x, "width:75%"), "30 of 40 lines: a 75%% bar");
    cr_assert(has(x, "<svg id=\"stage-times\""));
    cr_assert(has(x, "<svg id=\"bench-ratios\""));
    cr_assert(has(x, "<table id=\"matrix\">"));
    cr_assert(has(x, "<tr class=fam id=\"fam-net\">"));
    cr_assert(has(x, "not available yet") || has(x, "n/a"));
    cr_assert(!has(x, "<script"), "the page has no script");
    cr_assert(!has(x, "http://") && !has(x, "https://"), "and loads nothing");
    free(x);
    model_free(r);
}

RTC_TEST(qualify_writers, html_of_a_passing_empty_report)
{
    q_report r = {0};
    char *x = q_html(&r);
    cr_assert(has(x, "data-verdict=\"pass\" data-functions=\"0\""));
    cr_assert(has(x, ">PASS</span>"));
    cr_assert(!has(x, "failing-gates"));
    free(x);
}
