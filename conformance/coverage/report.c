/* Conformance: rt_coverage_dump_sdn, rt_coverage_dump_sdn_cstr,
 * rt_coverage_free_sdn, rt_coverage_enable_timed (spec/ffi/coverage.sdn;
 * report layout: upstream-abi.md §3 and the family notes). */
#include <stdio.h>
#include <stdlib.h>

#include "conformance/coverage/cov_helpers.h"
#include "coverage_rt/cov_report.h"

static const char empty_report[] =
    "# Coverage Report\n"
    "version: 1.0\n"
    "coverage_extension: decision-condition-v1\n"
    "\n"
    "decisions |id, file, line, column, true_count, false_count|\n"
    "\n"
    "conditions |decision_id, condition_id, file, line, column, true_count, false_count|\n"
    "\n"
    "mcdc |decision_id, file, line, column, conditions, vectors, unique_cause, masking, uncovered, "
    "vector_overflow, model|\n"
    "\n"
    "mcdc_vectors |decision_id, file, line, column, vector, outcome, count|\n"
    "\n"
    "mcdc_pairs |decision_id, file, line, column, condition, unique_cause_pair, masking_pair|\n"
    "\n"
    "paths |path_id, blocks, hit_count|\n"
    "\n"
    "summary:\n"
    "    total_decisions: 0\n"
    "    covered_decisions: 0\n"
    "    total_conditions: 0\n"
    "    covered_conditions: 0\n"
    "    total_paths: 0\n"
    "    covered_paths: 0\n"
    "    decision_percent: 100.0\n"
    "    condition_percent: 100.0\n"
    "    path_percent: 100.0\n"
    "    total_mcdc_conditions: 0\n"
    "    covered_mcdc_unique_cause: 0\n"
    "    covered_mcdc_masking: 0\n"
    "    mcdc_unique_cause_percent: 100.0\n"
    "    mcdc_masking_percent: 100.0\n"
    "    mcdc_vector_overflow: 0\n"
    "    mcdc_frame_overflow: 0\n"
    "    mcdc_frames_abandoned: 0\n"
    "    mcdc_conditions_beyond_64: 0\n"
    "    path_blocks_truncated: 0\n"
    "    path_overflow: 0\n"
    "    path_open_dropped: 0\n"
    "    perf_trace_dropped: 0\n"
    "    probes_dropped: 0\n";

RTC_TEST(coverage_report, empty_report_exact_text)
{
    char *t = rt_coverage_dump_sdn();   /* disabled and nothing recorded */
    cr_assert_not_null(t);
    cr_assert_str_eq(t, empty_report);
    rt_coverage_free_sdn(t);
    rt_coverage_enable();
    rt_coverage_decision_probe(1, true, "x.spl", 1, 1);
    rt_coverage_clear();
    t = rt_coverage_dump_sdn();
    cr_assert_str_eq(t, empty_report, "cleared: the same empty report");
    rt_coverage_free_sdn(t);
}

/* upstream-abi.md §3.2: the C collector's escaping and sorting example,
 * byte for byte; simplert's sections follow it. */
RTC_TEST(coverage_report, c_collector_example_byte_for_byte)
{
    rt_coverage_enable();
    rt_coverage_decision_probe(9, true, "z.spl", 3, 4);
    rt_coverage_decision_probe(9, false, "z.spl", 3, 4);
    rt_coverage_decision_probe(2, false, "a,spl", 1, 2);
    rt_coverage_decision_probe(2, true, "a%2Cspl", 1, 2);
    rt_coverage_condition_probe(9, 7, true, "z.spl", 3, 5);
    rt_coverage_condition_probe(9, 7, false, "z.spl", 3, 5);
    static const char want[] =
        "# Coverage Report\n"
        "version: 1.0\n"
        "coverage_extension: decision-condition-v1\n"
        "\n"
        "decisions |id, file, line, column, true_count, false_count|\n"
        "    2, a%252Cspl, 1, 2, 1, 0\n"
        "    2, a%2Cspl, 1, 2, 0, 1\n"
        "    9, z.spl, 3, 4, 1, 1\n"
        "\n"
        "conditions |decision_id, condition_id, file, line, column, true_count, false_count|\n"
        "    9, 7, z.spl, 3, 5, 1, 1\n";
    char *t;
    sdn_value *doc = cov_report(&t);
    cr_assert_eq(strncmp(t, want, sizeof want - 1), 0, "report begins:\n%.*s", (int)sizeof want, t);
    cr_assert_eq(strncmp(t + sizeof want - 1, "\nmcdc |", 7), 0, "then simplert's sections");
    /* The reader gets the raw names back once %25 and %2C are undone. */
    cr_assert_str_eq(cov_cell_str(cov_tab(doc, "decisions"), 0, "file"), "a%252Cspl");
    rt_coverage_free_sdn(t);
    sdn_free(doc);
}

RTC_TEST(coverage_report, summary_keys_upstream_first_in_order)
{
    rt_coverage_enable();
    rt_coverage_decision_probe(1, true, "s.spl", 1, 1);
    sdn_value *doc = cov_report(NULL);
    const sdn_value *s = sdn_get(doc, "summary");
    static const char *const keys[] = {
        "total_decisions", "covered_decisions", "total_conditions", "covered_conditions",
        "total_paths", "covered_paths", "decision_percent", "condition_percent", "path_percent"};
    for (size_t i = 0; i < 9; i++)
        cr_assert_str_eq(sdn_key_at(s, i), keys[i]);
    cr_assert_eq(sdn_type_of(sdn_get(s, "decision_percent")), SDN_FLOAT);
    cr_assert_float_eq(sdn_float(sdn_get(s, "decision_percent")), 0.0, 0);
    cr_assert_str_eq(sdn_key_at(doc, 0), "version", "the comment line is not a key");
    cr_assert_str_eq(sdn_get_str(doc, "coverage_extension", ""), "decision-condition-v1");
    sdn_free(doc);
}

/* Percentages: the double Rust computes, rounded to one decimal as {:.1}
 * (and glibc's "%.1f") round: exactly, ties to even. */
RTC_TEST(coverage_report, percent_matches_rust_and_printf_rounding)
{
    char buf[64], want[64];
    for (uint64_t total = 1; total <= 420; total++) {
        for (uint64_t covered = 0; covered <= total; covered++) {
            rtx_cov_sink s = {.buf = buf, .cap = sizeof buf - 1, .flush = NULL};
            rtx_cov_put_pct(&s, covered, total);
            buf[s.len] = 0;
            snprintf(want, sizeof want, "%.1f", (double)covered / (double)total * 100.0);
            cr_assert_str_eq(buf, want, "%llu/%llu", (unsigned long long)covered,
                             (unsigned long long)total);
        }
    }
    static const uint64_t big[][2] = {{1, 400}, {3, 400}, {1, 8}, {1, 3}, {2, 3},
                                      {UINT64_C(1) << 62, UINT64_MAX}, {1, UINT64_MAX},
                                      {999999, 1000000}, {1999, 2000}};
    for (size_t i = 0; i < sizeof big / sizeof big[0]; i++) {
        rtx_cov_sink s = {.buf = buf, .cap = sizeof buf - 1, .flush = NULL};
        rtx_cov_put_pct(&s, big[i][0], big[i][1]);
        buf[s.len] = 0;
        snprintf(want, sizeof want, "%.1f", (double)big[i][0] / (double)big[i][1] * 100.0);
        cr_assert_str_eq(buf, want);
    }
}

/* Undo upstream's escaping (what a reader of the report does). */
static void unescape(const char *s, char *out)
{
    while (*s) {
        if (s[0] == '%' && s[1] == '2' && s[2] == '5')
            *out++ = '%', s += 3;
        else if (s[0] == '%' && s[1] == '2' && s[2] == 'C')
            *out++ = ',', s += 3;
        else if (s[0] == '%' && s[1] == '0' && s[2] == 'A')
            *out++ = '\n', s += 3;
        else
            *out++ = *s++;
    }
    *out = 0;
}

RTC_TEST(coverage_report, any_file_name_round_trips_through_the_report)
{
    static const char *const names[] = {
        "src/a.spl", "a,b.spl", "100%.spl", "my file.spl", "quote\"d.spl", "back\\slash.spl",
        "1st.spl", "true", "null", "nil", "table", "#hash.spl", "-dash.spl", ".5x", "./rel.spl",
        "/abs/path.spl", "", "\xc3\xbc.spl", "line\nbreak", "cr\rhere", "tab\there", "a:b",
        "semi;colon", "{brace}", "x|y", "%", "%2C", ",", "a b,c%d\"e\\f"};
    size_t n = sizeof names / sizeof names[0];
    rt_coverage_enable();
    for (size_t i = 0; i < n; i++)
        rt_coverage_decision_probe((uint32_t)i, true, names[i], 1, 1);
    char *text;
    sdn_value *doc = cov_report(&text);
    const sdn_value *d = cov_tab(doc, "decisions");
    cr_assert_eq(sdn_len(d), n);
    for (size_t i = 0; i < n; i++) {
        char got[64], want[64];
        unescape(cov_cell_str(d, i, "file"), got);
        snprintf(want, sizeof want, "%s", names[i]);
        for (char *p = want; *p; p++)
            if (*p == '\r')
                *p = '\n';   /* upstream writes CR and LF alike as %0A */
        cr_assert_eq(cov_cell_int(d, i, "id"), (int64_t)i);
        cr_assert_str_eq(got, want, "name %zu", i);
    }
    cr_assert_not_null(strstr(text, "    0, src/a.spl, 1, 1, 1, 0\n"), "readable names stay bare");
    cr_assert_not_null(strstr(text, "    1, a%2Cb.spl, 1, 1, 1, 0\n"));
    cr_assert_not_null(strstr(text, "    3, \"my file.spl\", 1, 1, 1, 0\n"), "others are quoted");
    cr_assert_not_null(strstr(text, "    16, , 1, 1, 1, 0\n"), "the empty name as upstream");
    rt_coverage_free_sdn(text);
    sdn_free(doc);
}

RTC_TEST(coverage_report, dump_sdn_cstr_is_the_same_text)
{
    rt_coverage_enable();
    rt_coverage_decision_probe(1, true, "c.spl", 1, 1);
    rt_coverage_path_probe(4, 1);
    char *a = rt_coverage_dump_sdn(), *b = rt_coverage_dump_sdn_cstr();
    cr_assert_not_null(a);
    cr_assert_not_null(b);
    cr_assert_neq(a, b, "two reports, two buffers");
    cr_assert_str_eq(a, b);
    rt_coverage_free_sdn(a);
    rt_coverage_free_sdn(b);
}

RTC_TEST(coverage_report, free_sdn_ignores_pointers_it_did_not_hand_out)
{
    rt_coverage_free_sdn(NULL);
    char *mine = malloc(16);
    cr_assert_not_null(mine);
    rt_coverage_free_sdn(mine);   /* not ours: left alone (freeing it twice would crash) */
    free(mine);
    char local[8] = "x";
    rt_coverage_free_sdn(local);
    rt_coverage_free_sdn((char *)"a literal");
    char *t = rt_coverage_dump_sdn();
    cr_assert_not_null(t);
    rt_coverage_free_sdn(t + 1);  /* inside a report: not a report */
    rt_coverage_free_sdn(t);
    rt_coverage_free_sdn(t);      /* already freed: ignored */
    char *many[40];
    for (int i = 0; i < 40; i++)
        cr_assert_not_null(many[i] = rt_coverage_dump_sdn());
    for (int i = 39; i >= 0; i--)
        rt_coverage_free_sdn(many[i]);
}

RTC_TEST(coverage_report, timed_mode_perf_trace_in_time_order)
{
    rt_coverage_enable_timed();
    cr_assert(rt_coverage_enabled());
    rt_coverage_decision_probe(1, true, "t.spl", 4, 1);
    rt_coverage_condition_probe(1, 0, true, "t.spl", 4, 2);
    rt_coverage_decision_probe(2, false, "u v.spl", 5, 1);
    rt_coverage_enable_timed();   /* keeps the first origin */
    rt_coverage_decision_probe(1, false, "t.spl", 4, 1);
    sdn_value *doc = cov_report(NULL);
    const sdn_value *p = cov_tab(doc, "perf_trace");
    cr_assert_eq(sdn_len(p), 4);
    static const struct {
        const char *file;
        int64_t line, dec;
    } want[] = {{"t.spl", 4, 1}, {"t.spl", 4, 1}, {"u v.spl", 5, 2}, {"t.spl", 4, 1}};
    int64_t prev = 0;
    for (size_t i = 0; i < 4; i++) {
        cr_assert_str_eq(cov_cell_str(p, i, "file"), want[i].file);
        cr_assert_eq(cov_cell_int(p, i, "line"), want[i].line);
        cr_assert_eq(cov_cell_int(p, i, "decision_id"), want[i].dec);
        int64_t ts = cov_cell_int(p, i, "timestamp_ns"), dl = cov_cell_int(p, i, "delta_ns");
        cr_assert_geq(ts, prev, "rows in time order");
        cr_assert_eq(dl, prev > 0 && ts > prev ? ts - prev : 0, "row %zu delta", i);
        prev = ts;
    }
    sdn_free(doc);
    rt_coverage_clear();   /* leaves timed mode */
    rt_coverage_decision_probe(1, true, "t.spl", 4, 1);
    doc = cov_report(NULL);
    cr_assert_null(sdn_get(doc, "perf_trace"), "no timed entries after clear");
    int64_t t, f;
    cov_dec(doc, 1, "t.spl", &t, &f);
    cr_assert_eq(t, 1);
    sdn_free(doc);
}
