/*
 * tests/instrument/manifest.c — what rtcov-instrument writes besides code:
 * the same output for the same input (stable ids), line numbers kept, and a
 * manifest that lists every decision with its conditions, every function
 * with its path count, and every decision it skipped, with the reason.
 */
#include "tests/instrument/ix.h"

static const char *const names[] = {"shapes", "loops", "effects"};

static size_t count_char(const char *s, char c)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == c;
    return n;
}

Test(instrument, same_output_every_run)
{
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char a[256], b[256];
        snprintf(a, sizeof a, "%s/%s.c", IX_GEN_DIR, names[i]);
        snprintf(b, sizeof b, "%s/again/%s.c", IX_GEN_DIR, names[i]);
        char *x = read_file(a, NULL), *y = read_file(b, NULL);
        cr_assert_not_null(x, "%s", a);
        cr_assert_not_null(y, "%s", b);
        cr_assert(strcmp(x, y) == 0, "%s: two runs of the instrumenter differ", names[i]);
        free(x);
        free(y);
        snprintf(a, sizeof a, "%s/%s.sdn", IX_GEN_DIR, names[i]);
        snprintf(b, sizeof b, "%s/again/%s.sdn.txt", IX_GEN_DIR, names[i]);
        x = read_file(a, NULL), y = read_file(b, NULL);
        cr_assert(x && y && strcmp(x, y) == 0, "%s: two manifests differ", names[i]);
        free(x);
        free(y);
    }
    IX_LEAK_CHECK();
}

Test(instrument, line_numbers_are_kept)
{
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char a[256], b[256];
        snprintf(a, sizeof a, "coverage_rt/instrument/corpus/%s.c", names[i]);
        snprintf(b, sizeof b, "%s/%s.c", IX_GEN_DIR, names[i]);
        char *orig = read_file(a, NULL), *inst = read_file(b, NULL);
        cr_assert(orig && inst);
        const char *body = strstr(inst, "#line 1 \"");
        cr_assert_not_null(body, "%s: no #line after the prelude", names[i]);
        body = strchr(body, '\n') + 1;
        cr_assert_eq(count_char(body, '\n'), count_char(orig, '\n'),
                     "%s: the rewrite changed the number of lines", names[i]);
        free(orig);
        free(inst);
    }
    IX_LEAK_CHECK();
}

Test(instrument, manifest_lists_decisions_conditions_functions)
{
    dmodel m;
    ix_manifests(&m);
    cr_assert_eq(m.nfile, 3);
    for (size_t f = 0; f < m.nfile; f++)
        cr_assert_str_eq(m.file[f].status, "instrumented");
    size_t want_cond = 0;
    for (size_t i = 0; i < m.ndec; i++) {
        const d_dec *d = &m.dec[i];
        cr_assert_gt(d->nconds, 0);
        cr_assert_neq(d->cond0, SIZE_MAX, "%s:%u: no condition rows", d->file, d->line);
        for (unsigned k = 0; k < d->nconds; k++) {
            const d_cond *c = &m.cond[d->cond0 + k];
            cr_assert_eq(c->dec, d->id);
            cr_assert_eq(c->cond, k, "conditions are numbered in order");
        }
        want_cond += d->nconds;
        /* ids: 1, 2, 3... in each file */
        if (i > 0 && strcmp(m.dec[i - 1].file, d->file) == 0)
            cr_assert_eq(d->id, m.dec[i - 1].id + 1);
        else
            cr_assert_eq(d->id, 1);
    }
    cr_assert_eq(m.ncond, want_cond);
    /* eight conditions in cx_many's one decision */
    cr_assert_eq(m.dec[ix_dec(&m, "cx_many", 0)].nconds, 8);
    /* acyclic path counts of small functions, by the rule in ins_paths.c */
    cr_assert_eq(ix_fn(&m, "cx_and")->paths, 2);
    cr_assert_eq(ix_fn(&m, "cx_goto")->paths, 3);
    cr_assert_eq(ix_fn(&m, "cx_else_if")->paths, 4);
    cr_assert_eq(ix_fn(&m, "cx_do_once")->paths, 2);    /* break, or fall out of do-while(0) */
    cr_assert_eq(ix_fn(&m, "cx_while")->paths, 6);      /* 1 + 2k + b with k = 2, b = 1 */
    cr_assert_eq(ix_fn(&m, "cx_switch")->paths, 11);    /* (5 entries x 2) + 1 return */
    for (size_t i = 0; i < m.nfn; i++)
        cr_assert(!m.fn[i].approx, "%s: the corpus has no construct the model approximates",
                  m.fn[i].name);
    dm_free(&m);
    IX_LEAK_CHECK();
}

static int skipped_has(const dmodel *m, const char *kind, const char *reason_prefix)
{
    for (size_t i = 0; i < m->nskip; i++)
        if (strcmp(m->skip[i].kind, kind) == 0 &&
            strncmp(m->skip[i].reason, reason_prefix, strlen(reason_prefix)) == 0)
            return 1;
    return 0;
}

Test(instrument, skipped_decisions_are_listed)
{
    dmodel m;
    ix_manifests(&m);
    /* CX_BOTH's && and CX_MAX's ?: are inside macro bodies */
    cr_assert(skipped_has(&m, "and", "in a macro expansion"));
    cr_assert(skipped_has(&m, "ternary", "in a macro expansion"));
    /* while (1), if (CX_FLAG), do ... while (0), sizeof(int) == 4 ? : */
    cr_assert(skipped_has(&m, "while", "constant condition"));
    cr_assert(skipped_has(&m, "if", "constant condition"));
    cr_assert(skipped_has(&m, "do", "constant condition"));
    cr_assert(skipped_has(&m, "ternary", "constant condition"));
    /* sizeof(a && r) is never evaluated */
    cr_assert(skipped_has(&m, "and", "in an operand that is not evaluated"));
    /* a condition that is a whole macro invocation is one condition; one that
     * expands to its own && is flagged */
    size_t both = ix_dec(&m, "cx_macro", 2);
    cr_assert_eq(m.dec[both].nconds, 1);
    cr_assert_eq(m.dec[both].macro_leaf, 1);
    size_t neg = ix_dec(&m, "cx_macro", 1);
    cr_assert_eq(m.dec[neg].nconds, 2);
    cr_assert_eq(m.dec[neg].macro_leaf, 0);
    cr_assert_eq(m.cond[m.dec[neg].cond0].macro, 1);
    dm_free(&m);
    IX_LEAK_CHECK();
}
