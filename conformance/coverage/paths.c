/* Conformance: rt_coverage_path_probe, rt_coverage_path_finalize and the
 * legacy rt_path_probe (spec/ffi/coverage.sdn): per-thread traces, nested
 * traces for recursion, open traces reported with hit_count 0, the caps. */
#include "conformance/coverage/cov_helpers.h"

/* The paths table as "id:blocks:count;" in report order. */
static void paths(const sdn_value *doc, const char *want)
{
    const sdn_value *t = cov_tab(doc, "paths");
    size_t cap = 4096, n = 0;
    char *got = malloc(cap);
    cr_assert_not_null(got);
    got[0] = 0;
    for (size_t r = 0; r < sdn_len(t); r++) {
        const char *b = cov_cell_str(t, r, "blocks");
        size_t need = strlen(b) + 64;
        if (n + need >= cap) {
            cap = (n + need) * 2;
            got = realloc(got, cap);
            cr_assert_not_null(got);
        }
        n += (size_t)snprintf(got + n, cap - n, "%lld:%s:%lld;",
                              (long long)cov_cell_int(t, r, "path_id"), b,
                              (long long)cov_cell_int(t, r, "hit_count"));
    }
    int ok = strcmp(got, want) == 0;
    if (!ok)
        cr_log_error("paths: got %.300s", got);
    free(got);
    cr_assert(ok, "paths table differs from %s", want);
}

/* upstream coverage.rs test_path_coverage */
RTC_TEST(coverage_paths, same_path_twice_counts_two)
{
    rt_coverage_enable();
    for (int k = 0; k < 2; k++) {
        rt_coverage_path_probe(1, 0);
        rt_coverage_path_probe(1, 1);
        rt_coverage_path_probe(1, 2);
        rt_coverage_path_finalize(1);
    }
    char *text;
    sdn_value *doc = cov_report(&text);
    paths(doc, "1:0,1,2:2;");
    cr_assert_not_null(strstr(text, "\npaths |path_id, blocks, hit_count|\n    1, \"0,1,2\", 2\n"),
                       "blocks are a quoted comma-separated list");
    cr_assert_eq(cov_summary(doc, "total_paths"), 1);
    cr_assert_eq(cov_summary(doc, "covered_paths"), 1);
    rt_coverage_free_sdn(text);
    sdn_free(doc);
}

RTC_TEST(coverage_paths, distinct_paths_and_open_traces)
{
    rt_coverage_enable();
    rt_coverage_path_finalize(5);   /* nothing open: no-op */
    rt_coverage_path_probe(1, 0);
    rt_coverage_path_probe(1, 2);
    rt_coverage_path_finalize(1);
    rt_coverage_path_probe(1, 0);
    rt_coverage_path_probe(1, 1);
    rt_coverage_path_finalize(1);
    rt_coverage_path_probe(2, 7);   /* never finalized (as upstream codegen does) */
    rt_coverage_path_probe(2, 8);
    rt_coverage_path_finalize(3);   /* another id: no-op */
    sdn_value *doc = cov_report(NULL);
    paths(doc, "1:0,1:1;1:0,2:1;2:7,8:0;");
    cr_assert_eq(cov_summary(doc, "total_paths"), 3);
    cr_assert_eq(cov_summary(doc, "covered_paths"), 2);
    sdn_free(doc);
    rt_coverage_path_finalize(2);   /* completing it later counts it */
    doc = cov_report(NULL);
    paths(doc, "1:0,1:1;1:0,2:1;2:7,8:1;");
    sdn_free(doc);
}

RTC_TEST(coverage_paths, entry_block_again_opens_a_nested_trace)
{
    rt_coverage_enable();
    rt_coverage_path_probe(1, 0);   /* activation 1 enters */
    rt_coverage_path_probe(1, 1);
    rt_coverage_path_probe(1, 0);   /* recursive activation 2 */
    rt_coverage_path_probe(1, 5);
    rt_coverage_path_finalize(1);   /* closes activation 2 */
    rt_coverage_path_probe(1, 2);
    rt_coverage_path_finalize(1);
    /* Interleaved ids keep separate traces. */
    rt_coverage_path_probe(3, 0);
    rt_coverage_path_probe(4, 0);
    rt_coverage_path_probe(3, 1);
    rt_coverage_path_probe(4, 1);
    rt_coverage_path_finalize(4);
    rt_coverage_path_finalize(3);
    sdn_value *doc = cov_report(NULL);
    paths(doc, "1:0,1,2:1;1:0,5:1;3:0,1:1;4:0,1:1;");
    sdn_free(doc);
}

RTC_TEST(coverage_paths, legacy_probe_truncates_the_id)
{
    rt_coverage_enable();
    rt_path_probe(UINT64_C(0x700000003), 7);
    rt_coverage_path_finalize(3);
    rt_path_probe(UINT32_MAX, 0);
    sdn_value *doc = cov_report(NULL);
    paths(doc, "3:7:1;4294967295:0:0;");
    sdn_free(doc);
}

RTC_TEST(coverage_paths, long_trace_is_truncated_and_counted)
{
    rt_coverage_enable();
    rt_coverage_path_probe(9, 0);
    for (uint32_t b = 1; b <= 65536; b++)   /* 65537 blocks in all */
        rt_coverage_path_probe(9, b);
    rt_coverage_path_finalize(9);
    sdn_value *doc = cov_report(NULL);
    const sdn_value *t = cov_tab(doc, "paths");
    cr_assert_eq(sdn_len(t), 1);
    const char *b = cov_cell_str(t, 0, "blocks");
    size_t commas = 0;
    for (const char *p = b; *p; p++)
        commas += *p == ',';
    cr_assert_eq(commas + 1, 65536, "the cap keeps 65536 blocks");
    cr_assert_eq(strncmp(b, "0,1,2,", 6), 0);
    cr_assert_not_null(strstr(b, ",65535") , "the last one kept is 65535");
    cr_assert_null(strstr(b, ",65536"));
    cr_assert_eq(cov_summary(doc, "path_blocks_truncated"), 1);
    sdn_free(doc);
}

RTC_TEST(coverage_paths, too_many_open_traces_drops_the_outermost)
{
    rt_coverage_enable();
    for (uint32_t id = 0; id < 65; id++)
        rt_coverage_path_probe(id, 1);
    sdn_value *doc = cov_report(NULL);
    const sdn_value *t = cov_tab(doc, "paths");
    cr_assert_eq(sdn_len(t), 64);
    cr_assert_eq(cov_cell_int(t, 0, "path_id"), 1, "trace 0 was dropped");
    cr_assert_eq(cov_summary(doc, "path_overflow"), 1);
    sdn_free(doc);
    rt_coverage_path_finalize(0);   /* gone: no-op */
    rt_coverage_path_finalize(64);
    doc = cov_report(NULL);
    t = cov_tab(doc, "paths");
    cr_assert_eq(cov_cell_int(t, 63, "path_id"), 64);
    cr_assert_eq(cov_cell_int(t, 63, "hit_count"), 1);
    sdn_free(doc);
}

RTC_TEST(coverage_paths, disabled_path_probes_are_no_ops)
{
    unsetenv("SIMPLE_COVERAGE");
    rt_coverage_path_probe(1, 0);
    rt_coverage_path_finalize(1);
    rt_path_probe(1, 0);
    rt_coverage_enable();
    rt_coverage_path_finalize(1);   /* nothing was opened while disabled */
    sdn_value *doc = cov_report(NULL);
    paths(doc, "");
    sdn_free(doc);
}
