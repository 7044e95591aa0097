/* Conformance: rt_coverage_decision_probe, rt_coverage_condition_probe,
 * rt_coverage_enabled, rt_coverage_enable, rt_coverage_clear, and the legacy
 * rt_decision_probe, rt_condition_probe (spec/ffi/coverage.sdn).
 *
 * Every test runs in its own process, so the once-per-process enable rule
 * starts fresh in each. */
#include <stdlib.h>

#include "conformance/coverage/cov_helpers.h"
#include "coverage_rt/cov_internal.h"

RTC_TEST(coverage_probes, disabled_by_default_and_probes_are_no_ops)
{
    unsetenv("SIMPLE_COVERAGE");
    cr_assert_not(rt_coverage_enabled());
    rt_coverage_decision_probe(1, true, "a.spl", 1, 1);
    rt_coverage_condition_probe(1, 0, true, "a.spl", 1, 1);
    rt_decision_probe(1, false);
    rt_condition_probe(1, 0, false);
    sdn_value *doc = cov_report(NULL);
    cr_assert_eq(sdn_len(cov_tab(doc, "decisions")), 0);
    cr_assert_eq(sdn_len(cov_tab(doc, "conditions")), 0);
    cr_assert_eq(cov_summary(doc, "total_decisions"), 0);
    cr_assert_float_eq(sdn_float(sdn_get(sdn_get(doc, "summary"), "decision_percent")), 100.0, 0);
    sdn_free(doc);
}

RTC_TEST(coverage_probes, env_one_enables_and_is_read_once)
{
    setenv("SIMPLE_COVERAGE", "1", 1);
    rt_coverage_decision_probe(3, true, "e.spl", 2, 3);   /* the first probe decides */
    setenv("SIMPLE_COVERAGE", "0", 1);                    /* too late: read once */
    cr_assert(rt_coverage_enabled());
    rt_coverage_decision_probe(3, false, "e.spl", 2, 3);
    sdn_value *doc = cov_report(NULL);
    int64_t t, f;
    cov_dec(doc, 3, "e.spl", &t, &f);
    cr_assert_eq(t, 1, "the probe that read the variable is recorded");
    cr_assert_eq(f, 1);
    sdn_free(doc);
}

RTC_TEST(coverage_probes, env_other_values_do_not_enable)
{
    setenv("SIMPLE_COVERAGE", "true", 1);   /* only exactly "1" enables */
    cr_assert_not(rt_coverage_enabled());
    /* Set to "1" after the first query: still off (read once). */
    setenv("SIMPLE_COVERAGE", "1", 1);
    cr_assert_not(rt_coverage_enabled());
    rt_coverage_decision_probe(1, true, "x.spl", 1, 1);
    rt_coverage_enable();
    cr_assert(rt_coverage_enabled(), "rt_coverage_enable turns it on whatever the variable says");
    rt_coverage_enable();   /* idempotent */
    rt_coverage_decision_probe(1, true, "x.spl", 1, 1);
    sdn_value *doc = cov_report(NULL);
    int64_t t, f;
    cov_dec(doc, 1, "x.spl", &t, &f);
    cr_assert_eq(t, 1, "only the probe made while enabled counts");
    cr_assert_eq(f, 0);
    sdn_free(doc);
}

/* upstream coverage.rs test_decision_coverage / test_coverage_percentage */
RTC_TEST(coverage_probes, decision_counts_and_percentage)
{
    rt_coverage_enable();
    rt_coverage_decision_probe(1, true, "test.spl", 10, 5);
    rt_coverage_decision_probe(1, true, "test.spl", 10, 5);
    rt_coverage_decision_probe(1, false, "test.spl", 10, 5);
    rt_coverage_decision_probe(2, true, "test.spl", 20, 5);
    char *text;
    sdn_value *doc = cov_report(&text);
    int64_t t, f;
    cov_dec(doc, 1, "test.spl", &t, &f);
    cr_assert(t == 2 && f == 1, "decision 1: (%lld, %lld)", (long long)t, (long long)f);
    cov_dec(doc, 2, "test.spl", &t, &f);
    cr_assert(t == 1 && f == 0);
    cr_assert_eq(cov_summary(doc, "total_decisions"), 2);
    cr_assert_eq(cov_summary(doc, "covered_decisions"), 1);
    cr_assert_not_null(strstr(text, "\n    decision_percent: 50.0\n"));
    cr_assert_not_null(strstr(text, "\n    condition_percent: 100.0\n"), "no conditions: 100.0");
    rt_coverage_free_sdn(text);
    sdn_free(doc);
}

/* upstream coverage.rs test_condition_coverage */
RTC_TEST(coverage_probes, condition_counts)
{
    rt_coverage_enable();
    rt_coverage_condition_probe(1, 1, true, "test.spl", 10, 5);
    rt_coverage_condition_probe(1, 1, false, "test.spl", 10, 5);
    rt_coverage_condition_probe(1, 2, true, "test.spl", 10, 10);
    sdn_value *doc = cov_report(NULL);
    const sdn_value *c = cov_tab(doc, "conditions");
    cr_assert_eq(sdn_len(c), 2);
    cr_assert_eq(cov_cell_int(c, 0, "condition_id"), 1);
    cr_assert_eq(cov_cell_int(c, 0, "true_count"), 1);
    cr_assert_eq(cov_cell_int(c, 0, "false_count"), 1);
    cr_assert_eq(cov_cell_int(c, 1, "condition_id"), 2);
    cr_assert_eq(cov_cell_int(c, 1, "column"), 10);
    cr_assert_eq(cov_cell_int(c, 1, "true_count"), 1);
    cr_assert_eq(cov_cell_int(c, 1, "false_count"), 0);
    cr_assert_eq(cov_summary(doc, "covered_conditions"), 1);
    sdn_free(doc);
}

RTC_TEST(coverage_probes, keys_are_id_file_line_column_and_files_compare_by_text)
{
    rt_coverage_enable();
    char f1[] = "same.spl", f2[] = "same.spl";   /* two addresses, one text */
    rt_coverage_decision_probe(4, true, f1, 1, 2);
    rt_coverage_decision_probe(4, true, f2, 1, 2);
    rt_coverage_decision_probe(4, true, f1, 1, 3);
    rt_coverage_decision_probe(4, true, f1, 2, 2);
    rt_coverage_decision_probe(4, true, "other.spl", 1, 2);
    rt_coverage_decision_probe(5, true, f1, 1, 2);
    sdn_value *doc = cov_report(NULL);
    const sdn_value *d = cov_tab(doc, "decisions");
    cr_assert_eq(sdn_len(d), 5, "(4,same,1,2) is one row for both addresses");
    cr_assert_eq(cov_cell_int(d, 0, "id"), 4);
    cr_assert_str_eq(cov_cell_str(d, 0, "file"), "other.spl", "sorted by strcmp of the name");
    cr_assert_eq(cov_cell_int(d, 1, "true_count"), 2);
    cr_assert_eq(cov_cell_int(d, 2, "column"), 3);
    cr_assert_eq(cov_cell_int(d, 3, "line"), 2);
    cr_assert_eq(cov_cell_int(d, 4, "id"), 5);
    sdn_free(doc);
}

RTC_TEST(coverage_probes, hostile_null_file_and_extreme_ids)
{
    rt_coverage_enable();
    rt_coverage_decision_probe(UINT32_MAX, true, NULL, UINT32_MAX, UINT32_MAX);
    rt_coverage_decision_probe(UINT32_MAX, false, "", UINT32_MAX, UINT32_MAX);
    rt_coverage_condition_probe(UINT32_MAX, UINT32_MAX, true, NULL, 0, 0);
    rt_coverage_decision_probe(0, true, NULL, 0, 0);
    sdn_value *doc = cov_report(NULL);
    const sdn_value *d = cov_tab(doc, "decisions");
    cr_assert_eq(sdn_len(d), 2);
    cr_assert_eq(cov_cell_int(d, 1, "id"), UINT32_MAX);
    cr_assert_str_eq(cov_cell_str(d, 1, "file"), "", "NULL and \"\" are the empty name");
    cr_assert_eq(cov_cell_int(d, 1, "line"), UINT32_MAX);
    cr_assert_eq(cov_cell_int(d, 1, "true_count"), 1);
    cr_assert_eq(cov_cell_int(d, 1, "false_count"), 1);
    const sdn_value *c = cov_tab(doc, "conditions");
    cr_assert_eq(cov_cell_int(c, 0, "condition_id"), UINT32_MAX);
    cr_assert_eq(cov_summary(doc, "mcdc_conditions_beyond_64"), 1);
    cr_assert_eq(cov_summary(doc, "probes_dropped"), 0);
    sdn_free(doc);
}

RTC_TEST(coverage_probes, legacy_probes_truncate_ids_and_have_no_span)
{
    rt_coverage_enable();
    rt_decision_probe(UINT64_C(0x100000005), true);
    rt_decision_probe(5, false);
    rt_condition_probe(UINT64_C(0xFFFFFFFF00000007), 3, false);
    sdn_value *doc = cov_report(NULL);
    int64_t t, f;
    cov_dec(doc, 5, "", &t, &f);
    cr_assert(t == 1 && f == 1, "both land on decision 5: (%lld, %lld)", (long long)t, (long long)f);
    const sdn_value *d = cov_tab(doc, "decisions");
    cr_assert_eq(cov_cell_int(d, 0, "line"), 0);
    cr_assert_eq(cov_cell_int(d, 0, "column"), 0);
    const sdn_value *c = cov_tab(doc, "conditions");
    cr_assert_eq(sdn_len(c), 1);
    cr_assert_eq(cov_cell_int(c, 0, "decision_id"), 7);
    cr_assert_eq(cov_cell_int(c, 0, "condition_id"), 3);
    cr_assert_eq(cov_cell_int(c, 0, "false_count"), 1);
    sdn_free(doc);
}

/* upstream coverage.rs test_clear: everything goes, coverage stays on */
RTC_TEST(coverage_probes, clear_discards_everything_and_keeps_coverage_on)
{
    rt_coverage_enable();
    rt_coverage_decision_probe(1, true, "test.spl", 10, 5);
    rt_coverage_condition_probe(1, 0, true, "test.spl", 10, 5);
    rt_coverage_decision_probe(1, true, "test.spl", 10, 5);
    rt_coverage_path_probe(1, 0);
    rt_coverage_path_finalize(1);
    rt_coverage_path_probe(2, 0);
    rt_coverage_clear();
    cr_assert(rt_coverage_enabled());
    sdn_value *doc = cov_report(NULL);
    cr_assert_eq(sdn_len(cov_tab(doc, "decisions")), 0);
    cr_assert_eq(sdn_len(cov_tab(doc, "conditions")), 0);
    cr_assert_eq(sdn_len(cov_tab(doc, "mcdc_vectors")), 0);
    cr_assert_eq(sdn_len(cov_tab(doc, "paths")), 0, "finalized and open traces are gone");
    sdn_free(doc);
    rt_coverage_decision_probe(1, false, "test.spl", 10, 5);
    rt_coverage_path_finalize(2);   /* the trace was discarded: a no-op */
    doc = cov_report(NULL);
    int64_t t, f;
    cov_dec(doc, 1, "test.spl", &t, &f);
    cr_assert(t == 0 && f == 1, "counting restarts from zero: (%lld, %lld)", (long long)t,
              (long long)f);
    cr_assert_eq(sdn_len(cov_tab(doc, "paths")), 0);
    sdn_free(doc);
}

RTC_TEST(coverage_probes, out_of_memory_drops_the_probe_and_counts_it)
{
    rt_coverage_enable();
    rt_coverage_decision_probe(1, true, "oom.spl", 1, 1);   /* thread state exists now */
    rtx_cov_mem_fail_at(1, 1);                               /* every allocation fails */
    rt_coverage_decision_probe(2, true, "new-site.spl", 1, 1);
    rt_coverage_decision_probe(1, true, "oom.spl", 1, 1);    /* a seen site needs nothing */
    cr_assert_null(rt_coverage_dump_sdn(), "a report needs memory: NULL");
    rtx_cov_mem_fail_at(0, 0);
    sdn_value *doc = cov_report(NULL);
    int64_t t, f;
    cov_dec(doc, 1, "oom.spl", &t, &f);
    cr_assert_eq(t, 2);
    cov_dec(doc, 2, "new-site.spl", &t, &f);
    cr_assert_eq(t, -1, "the dropped probe left no row");
    cr_assert_eq(cov_summary(doc, "probes_dropped"), 1);
    sdn_free(doc);
}
