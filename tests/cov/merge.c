/* tests/cov/merge.c — `simplert cov merge` and the report reader
 * (tools/cov_read.c, tools/cov_cmd.c). */
#include <stdarg.h>

#include "tests/cov/helpers.h"

static const char rep_a[] =
    "# Coverage Report\n"
    "version: 1.0\n"
    "coverage_extension: decision-condition-v1\n"
    "\n"
    "decisions |id, file, line, column, true_count, false_count|\n"
    "    1, a.spl, 3, 2, 1, 0\n"
    "    2, a%2Cb.spl, 5, 1, 0, 4\n"
    "\n"
    "conditions |decision_id, condition_id, file, line, column, true_count, false_count|\n"
    "    1, 0, a.spl, 3, 4, 1, 0\n"
    "\n"
    "mcdc_vectors |decision_id, file, line, column, vector, outcome, count|\n"
    "    1, a.spl, 3, 2, \"TT\", true, 1\n"
    "\n"
    "paths |path_id, blocks, hit_count|\n"
    "    1, \"0,1,2\", 2\n"
    "    2, \"5\", 0\n"
    "\n"
    "summary:\n"
    "    mcdc_frame_overflow: 1\n";

static const char rep_b[] =
    "decisions |id, file, line, column, true_count, false_count|\n"
    "    1, a.spl, 3, 2, 0, 2\n"
    "conditions |decision_id, condition_id, file, line, column, true_count, false_count|\n"
    "    1, 0, a.spl, 3, 4, 0, 2\n"
    "    1, 1, a.spl, 3, 9, 1, 0\n"
    "mcdc_vectors |decision_id, file, line, column, vector, outcome, count|\n"
    "    1, a.spl, 3, 2, \"F-\", false, 2\n"
    "    1, a.spl, 3, 2, \"TT\", true, 3\n"
    "paths |path_id, blocks, hit_count|\n"
    "    2, \"5\", 1\n"
    "summary:\n"
    "    mcdc_frame_overflow: 2\n";

Test(cov_merge, counts_add_vectors_and_paths_union)
{
    char *dir = tdir(), *a = tpath(dir, "a.sdn"), *b = tpath(dir, "b.sdn"), *o = tpath(dir, "o.sdn");
    put(a, rep_a);
    put(b, rep_b);
    cr_assert_eq(run_cov(NULL, "merge", a, b, "-o", o, NULL), 0);
    char *t = slurp(o);
    cr_assert_not_null(strstr(t, "decisions |id, file, line, column, true_count, false_count|\n"
                                 "    1, a.spl, 3, 2, 1, 2\n"
                                 "    2, a%2Cb.spl, 5, 1, 0, 4\n"), "%s", t);
    cr_assert_not_null(strstr(t, "    1, 0, a.spl, 3, 4, 1, 2\n    1, 1, a.spl, 3, 9, 1, 0\n"));
    cr_assert_not_null(strstr(t, "    1, a.spl, 3, 2, \"F-\", false, 2\n"
                                 "    1, a.spl, 3, 2, \"TT\", true, 4\n"), "vectors: union, counts add");
    cr_assert_not_null(strstr(t, "    1, a.spl, 3, 2, 2, 2, \"0\", \"0\", \"1\", 0, short-circuit\n"),
                       "MC/DC recomputed from the merged vectors");
    cr_assert_not_null(strstr(t, "    1, \"0,1,2\", 2\n    2, \"5\", 1\n"), "paths: union, counts add");
    cr_assert_not_null(strstr(t, "    mcdc_frame_overflow: 3\n"), "counters add");
    cr_assert_not_null(strstr(t, "    decision_percent: 50.0\n"));
    free(t);
    free(a), free(b), free(o), free(dir);
    LEAK_CHECK();
}

Test(cov_merge, reads_upstream_c_collector_report_and_unescapes_names)
{
    cov_doc d;
    doc_of(&d, "# Coverage Report\nversion: 1.0\ncoverage_extension: decision-condition-v1\n\n"
               "decisions |id, file, line, column, true_count, false_count|\n"
               "    2, a%252Cspl, 1, 2, 1, 0\n    2, a%2Cspl, 1, 2, 0, 1\n"
               "    9, z.spl, 3, 4, 1, 1\n\n"
               "conditions |decision_id, condition_id, file, line, column, true_count, false_count|\n"
               "    9, 7, z.spl, 3, 5, 1, 1\n");
    cr_assert_eq(d.m.nrows[RTX_COV_DEC], 3);
    cr_assert_str_eq(d.m.rows[RTX_COV_DEC][0].k.file, "a%2Cspl");
    cr_assert_str_eq(d.m.rows[RTX_COV_DEC][1].k.file, "a,spl");
    char *t = cov_doc_write(&d, NULL);
    cr_assert_eq(strncmp(t, "# Coverage Report\nversion: 1.0\ncoverage_extension: decision-condition-v1\n\n"
                            "decisions |id, file, line, column, true_count, false_count|\n"
                            "    2, a%252Cspl, 1, 2, 1, 0\n    2, a%2Cspl, 1, 2, 0, 1\n", 160), 0,
                 "written back as the C collector wrote it:\n%s", t);
    free(t);
    cov_doc_free(&d);
    LEAK_CHECK();
}

Test(cov_merge, directory_input_and_saturation)
{
    char *dir = tdir(), *sub = tpath(dir, "runs");
    cr_assert_eq(mkdir_p(sub), 0);
    char *f1 = tpath(sub, "coverage-1.sdn"), *f2 = tpath(sub, "coverage-2.sdn");
    char *skip = tpath(sub, "notes.txt"), *o = tpath(dir, "m.sdn");
    put(f1, "decisions |id, file, line, column, true_count, false_count|\n"
            "    1, x.spl, 1, 1, 9223372036854775807, 1\n");
    put(f2, "decisions |id, file, line, column, true_count, false_count|\n"
            "    1, x.spl, 1, 1, 5, 2\n");
    put(skip, "not a report");
    cr_assert_eq(run_cov(NULL, "merge", sub, "-o", o, NULL), 0);
    char *t = slurp(o);
    cr_assert_not_null(strstr(t, "    1, x.spl, 1, 1, 9223372036854775807, 3\n"),
                       "saturates at INT64_MAX:\n%s", t);
    free(t);
    unlink(skip);
    free(f1), free(f2), free(skip), free(o), free(sub), free(dir);
    LEAK_CHECK();
}

Test(cov_merge, bad_input_is_an_error_with_exit_2)
{
    static const char *const bad[] = {
        "decisions |id, file, line, column, true_count|\n    1, a, 1, 1, 1\n",          /* a column missing */
        "decisions |id, file, line, column, true_count, false_count|\n    1, a, 1, 1, -1, 0\n",
        "decisions |id, file, line, column, true_count, false_count|\n    4294967296, a, 1, 1, 1, 0\n",
        "decisions |id, file, line, column, true_count, false_count|\n    1, 7, 1, 1, 1, 0\n",
        "mcdc_vectors |decision_id, file, line, column, vector, outcome, count|\n    1, a, 1, 1, \"TX\", true, 1\n",
        "mcdc_vectors |decision_id, file, line, column, vector, outcome, count|\n    1, a, 1, 1, \"T\", 1, 1\n",
        "paths |path_id, blocks, hit_count|\n    1, \"0,,1\", 1\n",
        "paths |path_id, blocks, hit_count|\n    1, \"0,1,\", 1\n",
        "paths |path_id, blocks, hit_count|\n    1, [0 1 2], 1\n",   /* upstream Rust: not SDN */
        "decisions: 3\n",
        "summary:\n    path_overflow: -3\n",
    };
    char *dir = tdir(), *f = tpath(dir, "bad.sdn"), *o = tpath(dir, "o.sdn");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        put(f, bad[i]);
        cr_assert_eq(run_cov(NULL, "merge", f, "-o", o, NULL), 2, "input %zu", i);
        cr_assert_not(file_exists(o), "no output on error (input %zu)", i);
    }
    cr_assert_eq(run_cov(NULL, "merge", "/nonexistent/x.sdn", "-o", o, NULL), 2);
    cr_assert_eq(run_cov(NULL, "merge", f, NULL), 2, "-o is required");
    cr_assert_eq(run_cov(NULL, "merge", "-o", o, NULL), 2, "inputs are required");
    cr_assert_eq(run_cov(NULL, "merge", f, "--bogus", "-o", o, NULL), 2);
    cr_assert_eq(run_cov(NULL, "frobnicate", NULL), 2);
    unlink(f);
    free(f), free(o), free(dir);
    LEAK_CHECK();
}

/* ---- the property: merge is associative and commutative ---- */

static uint64_t rng = 0x243F6A8885A308D3u;
static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

/* A random report over a small key space, so merges share keys. */
static char *random_report(void)
{
    static const char *const files[] = {"a.spl", "b c.spl", "x%y.spl", ""};
    tbuf t = {0};
    tbuf_puts(&t, "decisions |id, file, line, column, true_count, false_count|\n");
    for (uint32_t i = rnd(6); i > 0; i--)
        tbuf_printf(&t, "    %u, \"%s\", %u, 1, %u, %u\n", rnd(3), files[rnd(4)], rnd(2), rnd(5),
                    rnd(5));
    tbuf_puts(&t, "conditions |decision_id, condition_id, file, line, column, true_count, false_count|\n");
    for (uint32_t i = rnd(6); i > 0; i--)
        tbuf_printf(&t, "    %u, %u, \"%s\", 1, 1, %u, %u\n", rnd(3), rnd(3), files[rnd(4)], rnd(5),
                    rnd(5));
    tbuf_puts(&t, "mcdc |decision_id, file, line, column, vector_overflow|\n");
    if (rnd(3) == 0)
        tbuf_printf(&t, "    %u, \"%s\", %u, 1, %u\n", rnd(3), files[rnd(4)], rnd(2), 1 + rnd(4));
    tbuf_puts(&t, "mcdc_vectors |decision_id, file, line, column, vector, outcome, count|\n");
    for (uint32_t i = rnd(8); i > 0; i--) {
        char v[5] = {0};
        for (int c = 0; c < 4; c++)
            v[c] = "TF-"[rnd(3)];
        v[0] = "TF"[rnd(2)];
        tbuf_printf(&t, "    %u, \"%s\", %u, 1, \"%s\", %s, %u\n", rnd(3), files[rnd(4)], rnd(2), v,
                    rnd(2) ? "true" : "false", 1 + rnd(5));
    }
    tbuf_puts(&t, "paths |path_id, blocks, hit_count|\n");
    for (uint32_t i = rnd(4); i > 0; i--)
        tbuf_printf(&t, "    %u, \"%u,%u\", %u\n", rnd(2), rnd(3), rnd(3), rnd(3));
    if (rnd(2)) {
        tbuf_puts(&t, "perf_trace |file, line, decision_id, timestamp_ns, delta_ns|\n");
        for (uint32_t i = 1 + rnd(3); i > 0; i--)
            tbuf_printf(&t, "    \"%s\", 1, %u, %u, 0\n", files[rnd(4)], rnd(3), rnd(100));
    }
    tbuf_printf(&t, "summary:\n    path_overflow: %u\n", rnd(3));
    return t.s;
}

static char *merge_texts(const char *x, const char *y)
{
    cov_doc d = {0};
    char err[256];
    cr_assert_eq(cov_doc_read(&d, x, strlen(x), "x", err, sizeof err), 0, "%s", err);
    if (y)
        cr_assert_eq(cov_doc_read(&d, y, strlen(y), "y", err, sizeof err), 0, "%s", err);
    cov_doc_finish(&d);
    char *t = cov_doc_write(&d, NULL);
    cr_assert_not_null(t);
    cov_doc_free(&d);
    return t;
}

Test(cov_merge, property_associative_and_commutative)
{
    for (int round = 0; round < 200; round++) {
        char *a = random_report(), *b = random_report(), *c = random_report();
        char *ab = merge_texts(a, b), *ba = merge_texts(b, a);
        cr_assert_str_eq(ab, ba, "round %d: merge(A,B) != merge(B,A)", round);
        char *bc = merge_texts(b, c);
        char *ab_c = merge_texts(ab, c), *a_bc = merge_texts(a, bc);
        cr_assert_str_eq(ab_c, a_bc, "round %d: (A+B)+C != A+(B+C)", round);
        char *once = merge_texts(a, NULL), *again = merge_texts(once, NULL);
        cr_assert_str_eq(once, again, "round %d: write -> read -> write changed the text", round);
        free(a), free(b), free(c), free(ab), free(ba), free(bc), free(ab_c), free(a_bc);
        free(once), free(again);
    }
    LEAK_CHECK();
}
