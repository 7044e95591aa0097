/*
 * tests/instrument/probes.c — what the rewritten corpus records: decision
 * and condition counts that match the evaluations made, short-circuited
 * conditions not counted, a path trace closed on every exit (early return,
 * goto, break out of a loop, recursion), and normalised paths that never
 * exceed the manifest's acyclic count.
 */
#include "tests/instrument/ix.h"

Test(instrument, decision_and_condition_counts)
{
    dmodel m;
    drun r;
    ix_manifests(&m);
    rt_coverage_enable();
    rt_coverage_clear();
    ix_cx_and(1, 1);   /* T T -> true */
    ix_cx_and(1, 0);   /* T F -> false */
    ix_cx_and(0, 1);   /* F - -> false: b is not evaluated */
    ix_cx_and(0, 0);
    ix_run(&m, &r);
    size_t d = ix_dec(&m, "cx_and", 0);
    cr_assert_eq(m.dec[d].nconds, 2);
    uint64_t t, f;
    ix_counts(&m, &r, d, -1, &t, &f);
    cr_assert_eq(t, 1);
    cr_assert_eq(f, 3);
    ix_counts(&m, &r, d, 0, &t, &f);
    cr_assert_eq(t, 2);
    cr_assert_eq(f, 2);
    ix_counts(&m, &r, d, 1, &t, &f);
    cr_assert_eq(t, 1, "b: true once");
    cr_assert_eq(f, 1, "b: false once (short-circuited twice)");
    /* MC/DC: (TT, TF) shows b, (TT, F-) shows a. */
    cr_assert(r.has_vec[d]);
    cr_assert_eq(r.mcdc[d].unique_cause, 3);
    drun_free(&r, &m);
    dm_free(&m);
    IX_LEAK_CHECK();
}

Test(instrument, side_effects_counted_once)
{
    dmodel m;
    drun r;
    ix_manifests(&m);
    rt_coverage_enable();
    rt_coverage_clear();
    int calls = 0;
    for (int a = 0; a < 2; a++)
        for (int b = 0; b < 2; b++)
            for (int c = 0; c < 2; c++) {
                ix_cx_ticks = 0;
                ix_cx_effects(a, b, c);
                calls++;
            }
    ix_run(&m, &r);
    /* if (cx_tick(a) && cx_tick(b)): a is evaluated on every call, b only
     * when a is true: each probe counts exactly those evaluations. */
    size_t d = ix_dec(&m, "cx_effects", 0);
    uint64_t t, f;
    ix_counts(&m, &r, d, 0, &t, &f);
    cr_assert_eq(t + f, (uint64_t)calls);
    ix_counts(&m, &r, d, 1, &t, &f);
    cr_assert_eq(t + f, (uint64_t)calls / 2);
    ix_counts(&m, &r, d, -1, &t, &f);
    cr_assert_eq(t + f, (uint64_t)calls);
    drun_free(&r, &m);
    dm_free(&m);
    IX_LEAK_CHECK();
}

/* Every exit closes the trace: no trace is left open, and each route is one
 * distinct completed path. */
static void check_closed(const dmodel *m, const drun *r, const char *fn, uint64_t want_paths)
{
    const d_fn *f = ix_fn(m, fn);
    uint64_t seen = 0;
    for (size_t i = 0; i < r->doc.m.nrows[RTX_COV_PATH]; i++) {
        const rtx_cov_row *row = &r->doc.m.rows[RTX_COV_PATH][i];
        if (row->k.dec != f->pid)
            continue;
        cr_assert_gt(row->n[0], 0, "%s: a trace was left open", fn);
        cr_assert_gt(row->k.nblocks, 0);
        cr_assert_eq(row->k.blocks[0], 0, "%s: a trace must start at the entry block", fn);
        seen++;
    }
    cr_assert_eq(seen, want_paths, "%s: %llu distinct paths, expected %llu", fn,
                 (unsigned long long)seen, (unsigned long long)want_paths);
}

Test(instrument, every_exit_finalizes_the_path)
{
    dmodel m;
    drun r;
    ix_manifests(&m);
    rt_coverage_enable();
    rt_coverage_clear();
    ix_cx_early(0, 0, 0);    /* return 0 */
    ix_cx_early(1, 5, 1);    /* return 1 */
    ix_cx_early(1, 1, 4);    /* return from inside the for loop */
    ix_cx_early(1, 9, 4);    /* hmm: b > c returns 1 again, same path */
    ix_cx_early(1, -1, 0);   /* loop not entered, return 3 */
    ix_cx_goto(-1, 0);       /* goto fail before the second if */
    ix_cx_goto(1, -1);       /* goto fail from the second if */
    ix_cx_goto(1, 1);        /* plain return */
    ix_cx_forever(7);        /* return from inside for (;;) */
    ix_run(&m, &r);
    check_closed(&m, &r, "cx_early", 4);
    check_closed(&m, &r, "cx_goto", 3);
    check_closed(&m, &r, "cx_forever", 1);
    drun_free(&r, &m);
    dm_free(&m);
    IX_LEAK_CHECK();
}

Test(instrument, recursion_gets_one_trace_per_activation)
{
    dmodel m;
    drun r;
    ix_manifests(&m);
    rt_coverage_enable();
    rt_coverage_clear();
    cr_assert_eq(ix_cx_recursive(5), 15);
    ix_run(&m, &r);
    const d_fn *f = ix_fn(&m, "cx_recursive");
    uint64_t total = 0;
    for (size_t i = 0; i < r.doc.m.nrows[RTX_COV_PATH]; i++)
        if (r.doc.m.rows[RTX_COV_PATH][i].k.dec == f->pid)
            total += r.doc.m.rows[RTX_COV_PATH][i].n[0];
    cr_assert_eq(total, 5, "five activations, five completed traces");
    check_closed(&m, &r, "cx_recursive", 2);   /* the base case and the recursive case */
    drun_free(&r, &m);
    dm_free(&m);
    IX_LEAK_CHECK();
}

/* The whole corpus over many inputs: for every function whose model is
 * exact, the distinct normalised paths seen never exceed the count, and the
 * functions whose every counted path is feasible reach exactly their count
 * (cx_while's count includes a `continue` in the first iteration, which
 * i == 0 makes impossible, and cx_switch's an even k reaching `case 1` of
 * its second switch after `case 1` of the first: the count is structural,
 * infeasible paths included, as path coverage's always is). */
Test(instrument, normalised_paths_fit_the_model)
{
    dmodel m;
    drun r;
    ix_manifests(&m);
    rt_coverage_enable();
    rt_coverage_clear();
    static const int in[] = {-3, -1, 0, 1, 2, 3, 4, 5, 7, 9, 12};
    const int n = (int)(sizeof in / sizeof in[0]);
    int o;
    for (int i = 0; i < n; i++) {
        ix_cx_else_if(in[i]), ix_cx_do(in[i]), ix_cx_forever(in[i]), ix_cx_switch(in[i]);
        ix_cx_recursive(in[i]), ix_cx_do_once(in[i]), ix_cx_constant(in[i]);
        for (int j = 0; j < n; j++) {
            ix_cx_while(in[i], in[j]), ix_cx_for(in[i], in[j]);
            ix_cx_nested_loops(in[i], in[j]), ix_cx_goto(in[i], in[j]);
            ix_cx_early(in[i], in[j], 4), ix_cx_macro(in[i], in[j]);
            ix_cx_and(in[i], in[j]), ix_cx_standalone(in[i], in[j], in[i] - in[j], &o);
        }
    }
    ix_run(&m, &r);
    uint64_t *cov = calloc(m.nfn + 1, sizeof *cov), open, frag;
    cr_assert_eq(dp_cover(&m, &r.doc, cov, &open, &frag), 0);
    cr_assert_eq(open, 0);
    cr_assert_eq(frag, 0);
    for (size_t i = 0; i < m.nfn; i++) {
        if (!m.fn[i].approx)
            cr_assert_leq(cov[i], m.fn[i].paths, "%s: %llu normalised paths > model %llu",
                          m.fn[i].name, (unsigned long long)cov[i],
                          (unsigned long long)m.fn[i].paths);
        if (!strcmp(m.fn[i].name, "cx_and") || !strcmp(m.fn[i].name, "cx_else_if") ||
            !strcmp(m.fn[i].name, "cx_goto") || !strcmp(m.fn[i].name, "cx_do_once"))
            cr_assert_eq(cov[i], m.fn[i].paths, "%s: %llu of %llu paths", m.fn[i].name,
                         (unsigned long long)cov[i], (unsigned long long)m.fn[i].paths);
    }
    free(cov);
    drun_free(&r, &m);
    dm_free(&m);
    IX_LEAK_CHECK();
}

/* Normalisation of hand-made traces of a while loop (loop 1: marker 1 =
 * enter, exit 2 = leave; block 3 inside the body). */
Test(instrument, normalise_loop_traces)
{
    int block_loop[4] = {0, 1, 1, 1};
    d_loop loops[2] = {{0}, {1, 0, 1, 2, 'w'}};
    d_fn f = {.nblocks = 4, .block_loop = block_loop, .loops = loops, .nloops = 1};
    uint32_t out[16];
    static const uint32_t zero[] = {0, 2};
    cr_assert_eq(dp_normalize(&f, zero, 2, out), 2);
    static const uint32_t once[] = {0, 1, 3, 2};
    cr_assert_eq(dp_normalize(&f, once, 4, out), 4);
    static const uint32_t many[] = {0, 1, 3, 1, 3, 1, 2};
    size_t k = dp_normalize(&f, many, 7, out);
    cr_assert_eq(k, 4, "kept up to the marker of the second iteration");
    cr_assert(out[0] == 0 && out[1] == 1 && out[2] == 3 && out[3] == 1);
    static const uint32_t many2[] = {0, 1, 1, 3, 1, 1, 3, 2};   /* other iteration bodies */
    k = dp_normalize(&f, many2, 8, out);
    cr_assert_eq(k, 3);
    /* do-while (kind 'd'): the first "repeat" marker already starts iteration 2 */
    loops[1].kind = 'd';
    static const uint32_t d1[] = {0, 3, 2};
    cr_assert_eq(dp_normalize(&f, d1, 3, out), 3);
    static const uint32_t d2[] = {0, 3, 1, 3, 1, 3, 2};
    cr_assert_eq(dp_normalize(&f, d2, 7, out), 3);
    IX_LEAK_CHECK();
}
