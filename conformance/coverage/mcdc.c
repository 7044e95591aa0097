/* Conformance: MC/DC through rt_coverage_condition_probe and
 * rt_coverage_decision_probe (spec/ffi/coverage.sdn; the definitions are in
 * coverage_rt/cov_mcdc.c): the textbook decisions with their known vectors
 * and independence pairs in both flavours, nested and recursive decisions,
 * abandoned frames, the 65th condition, the vector cap, and an oracle check
 * of the masking analysis against the expressions themselves. */
#include <stdio.h>

#include "conformance/coverage/cov_helpers.h"

#define F "mc.spl"

/* Short-circuit evaluation with probes, as compiled code does. */
static bool cnd(uint32_t dec, uint32_t c, bool v)
{
    rt_coverage_condition_probe(dec, c, v, F, dec, 10 + c);
    return v;
}

static bool decide(uint32_t dec, bool r)
{
    rt_coverage_decision_probe(dec, r, F, dec, 1);
    return r;
}

static bool and2(bool a, bool b) { return decide(1, cnd(1, 0, a) && cnd(1, 1, b)); }
static bool or2(bool a, bool b) { return decide(2, cnd(2, 0, a) || cnd(2, 1, b)); }
static bool ab_or_c(bool a, bool b, bool c)
{
    return decide(3, (cnd(3, 0, a) && cnd(3, 1, b)) || cnd(3, 2, c));
}
static bool two_ands(bool a, bool b, bool c, bool d)
{
    return decide(4, (cnd(4, 0, a) && cnd(4, 1, b)) || (cnd(4, 2, c) && cnd(4, 3, d)));
}

/* The mcdc row of decision dec: its lists and counts. */
static void mcdc_row(const sdn_value *doc, int64_t dec, int64_t conds, int64_t vectors,
                     const char *uc, const char *mask, const char *uncovered)
{
    const sdn_value *t = cov_tab(doc, "mcdc");
    long r = cov_find(t, "decision_id", dec, F);
    cr_assert_geq(r, 0, "no mcdc row for decision %lld", (long long)dec);
    cr_assert_eq(cov_cell_int(t, (size_t)r, "conditions"), conds, "decision %lld", (long long)dec);
    cr_assert_eq(cov_cell_int(t, (size_t)r, "vectors"), vectors, "decision %lld", (long long)dec);
    cr_assert_str_eq(cov_cell_str(t, (size_t)r, "unique_cause"), uc, "decision %lld", (long long)dec);
    cr_assert_str_eq(cov_cell_str(t, (size_t)r, "masking"), mask, "decision %lld", (long long)dec);
    cr_assert_str_eq(cov_cell_str(t, (size_t)r, "uncovered"), uncovered);
    cr_assert_str_eq(cov_cell_str(t, (size_t)r, "model"), "short-circuit");
}

static void pair(const sdn_value *doc, int64_t dec, int64_t cond, const char *uc, const char *mask)
{
    const char *u = NULL, *m = NULL;
    cov_pairs(doc, dec, F, cond, &u, &m);
    cr_assert_str_eq(u, uc, "decision %lld condition %lld unique-cause", (long long)dec,
                     (long long)cond);
    cr_assert_str_eq(m, mask, "decision %lld condition %lld masking", (long long)dec,
                     (long long)cond);
}

/* The vectors of decision dec in report order, as "VEC:outcome:count;". */
static void vectors(const sdn_value *doc, int64_t dec, const char *want)
{
    const sdn_value *t = cov_tab(doc, "mcdc_vectors");
    char got[512] = "";
    for (size_t r = 0; r < sdn_len(t); r++) {
        if (cov_cell_int(t, r, "decision_id") != dec)
            continue;
        int c = sdn_table_col_index(t, "outcome");
        size_t n = strlen(got);
        snprintf(got + n, sizeof got - n, "%s:%c:%lld;", cov_cell_str(t, r, "vector"),
                 sdn_bool(sdn_table_cell(t, r, (size_t)c)) ? 'T' : 'F',
                 (long long)cov_cell_int(t, r, "count"));
    }
    cr_assert_str_eq(got, want, "decision %lld vectors", (long long)dec);
}

RTC_TEST(coverage_mcdc, a_and_b)
{
    rt_coverage_enable();
    for (int x = 0; x < 4; x++)
        and2(x & 1, x & 2);
    sdn_value *doc = cov_report(NULL);
    vectors(doc, 1, "F-:F:2;TF:F:1;TT:T:1;");
    mcdc_row(doc, 1, 2, 3, "0,1", "0,1", "");
    pair(doc, 1, 0, "F-/TT", "F-/TT");
    pair(doc, 1, 1, "TF/TT", "TF/TT");
    cr_assert_eq(cov_summary(doc, "total_mcdc_conditions"), 2);
    cr_assert_eq(cov_summary(doc, "covered_mcdc_masking"), 2);
    sdn_free(doc);
}

RTC_TEST(coverage_mcdc, a_or_b)
{
    rt_coverage_enable();
    for (int x = 0; x < 4; x++)
        or2(x & 1, x & 2);
    sdn_value *doc = cov_report(NULL);
    vectors(doc, 2, "FF:F:1;FT:T:1;T-:T:2;");
    mcdc_row(doc, 2, 2, 3, "0,1", "0,1", "");
    pair(doc, 2, 0, "FF/T-", "FF/T-");
    pair(doc, 2, 1, "FF/FT", "FF/FT");
    sdn_free(doc);
}

RTC_TEST(coverage_mcdc, a_and_b_or_c_full)
{
    rt_coverage_enable();
    for (int x = 0; x < 8; x++)
        ab_or_c(x & 1, x & 2, x & 4);
    sdn_value *doc = cov_report(NULL);
    vectors(doc, 3, "F-F:F:2;F-T:T:2;TFF:F:1;TFT:T:1;TT-:T:2;");
    mcdc_row(doc, 3, 3, 5, "0,1,2", "0,1,2", "");
    pair(doc, 3, 0, "F-F/TT-", "F-F/TT-");
    pair(doc, 3, 1, "TFF/TT-", "TFF/TT-");
    pair(doc, 3, 2, "F-F/F-T", "F-F/F-T");
    sdn_free(doc);
}

/* The textbook masking case: with TT-, TFT and F-F, condition c is shown by
 * (F-F, TFT) although a changes too: a && b is false in both (b is false in
 * TFT, a in F-F), so a is masked. Unique-cause cannot show c from these. */
RTC_TEST(coverage_mcdc, a_and_b_or_c_masking_beats_unique_cause)
{
    rt_coverage_enable();
    ab_or_c(1, 1, 0);
    ab_or_c(1, 0, 1);
    ab_or_c(0, 1, 0);
    sdn_value *doc = cov_report(NULL);
    vectors(doc, 3, "F-F:F:1;TFT:T:1;TT-:T:1;");
    mcdc_row(doc, 3, 3, 3, "0", "0,2", "1");
    pair(doc, 3, 0, "F-F/TT-", "F-F/TT-");
    pair(doc, 3, 1, "", "");
    pair(doc, 3, 2, "", "F-F/TFT");
    cr_assert_eq(cov_summary(doc, "covered_mcdc_unique_cause"), 1);
    cr_assert_eq(cov_summary(doc, "covered_mcdc_masking"), 2);
    sdn_free(doc);
}

RTC_TEST(coverage_mcdc, two_ands_or_full)
{
    rt_coverage_enable();
    for (int x = 0; x < 16; x++)
        two_ands(x & 1, x & 2, x & 4, x & 8);
    sdn_value *doc = cov_report(NULL);
    vectors(doc, 4, "F-F-:F:4;F-TF:F:2;F-TT:T:2;TFF-:F:2;TFTF:F:1;TFTT:T:1;TT--:T:4;");
    mcdc_row(doc, 4, 4, 7, "0,1,2,3", "0,1,2,3", "");
    pair(doc, 4, 0, "F-F-/TT--", "F-F-/TT--");
    pair(doc, 4, 1, "TFF-/TT--", "TFF-/TT--");
    pair(doc, 4, 2, "F-F-/F-TT", "F-F-/F-TT");
    pair(doc, 4, 3, "F-TF/F-TT", "F-TF/F-TT");
    sdn_free(doc);
}

/* (c1 && c2) || (c3 && c4) from two tests: c3 changes with c1, but c1 && c2
 * is false in both, so masking shows c3; unique-cause shows nothing. */
RTC_TEST(coverage_mcdc, two_ands_or_masking_pair_only)
{
    rt_coverage_enable();
    two_ands(1, 0, 1, 1);
    two_ands(0, 1, 0, 1);
    sdn_value *doc = cov_report(NULL);
    vectors(doc, 4, "F-F-:F:1;TFTT:T:1;");
    mcdc_row(doc, 4, 4, 2, "", "2", "0,1,3");
    pair(doc, 4, 2, "", "F-F-/TFTT");
    pair(doc, 4, 0, "", "");
    sdn_free(doc);
}

/* Outer decision 10 = a && inner, inner decision 11 = b && c, evaluated
 * inside condition 1 of the outer one: a frame stack keeps them apart. */
RTC_TEST(coverage_mcdc, nested_decisions)
{
    rt_coverage_enable();
    for (int x = 0; x < 8; x++) {
        bool a = x & 1, b = x & 2, c = x & 4, r = false;
        if (cnd(10, 0, a)) {
            bool in = decide(11, cnd(11, 0, b) && cnd(11, 1, c));
            r = cnd(10, 1, in);
        }
        decide(10, r);
    }
    sdn_value *doc = cov_report(NULL);
    vectors(doc, 10, "F-:F:4;TF:F:3;TT:T:1;");
    vectors(doc, 11, "F-:F:2;TF:F:1;TT:T:1;");
    cr_assert_eq(cov_summary(doc, "mcdc_frames_abandoned"), 0);
    sdn_free(doc);
}

/* f(n) = n > 0 && (n == 1 || f(n - 1)): decision 20 evaluates again inside
 * its own condition 1; each activation commits its own vector. */
static bool f(int n)
{
    bool r = false;
    if (cnd(20, 0, n > 0))
        r = cnd(20, 1, n == 1 ? true : f(n - 1));
    return decide(20, r);
}

RTC_TEST(coverage_mcdc, recursive_decision)
{
    rt_coverage_enable();
    f(3);
    f(0);
    sdn_value *doc = cov_report(NULL);
    vectors(doc, 20, "F-:F:1;TT:T:3;");
    int64_t t, fl;
    cov_dec(doc, 20, F, &t, &fl);
    cr_assert(t == 3 && fl == 1);
    cr_assert_eq(cov_summary(doc, "mcdc_frames_abandoned"), 0);
    sdn_free(doc);
}

RTC_TEST(coverage_mcdc, abandoned_frame_is_dropped_and_counted)
{
    rt_coverage_enable();
    cnd(7, 0, true);
    cnd(8, 0, true);   /* decision 8 never completes (an exception, say) */
    cnd(7, 1, false);  /* back in decision 7: frame 8 is abandoned */
    decide(7, false);
    decide(8, true);   /* no frame left for 8: no vector */
    sdn_value *doc = cov_report(NULL);
    vectors(doc, 7, "TF:F:1;");
    vectors(doc, 8, "");
    cr_assert_eq(cov_summary(doc, "mcdc_frames_abandoned"), 1);
    int64_t t, fl;
    cov_dec(doc, 8, F, &t, &fl);
    cr_assert_eq(t, 1, "its decision count is kept");
    sdn_free(doc);
}

RTC_TEST(coverage_mcdc, condition_64_is_counted_but_not_in_vectors)
{
    rt_coverage_enable();
    for (uint32_t c = 0; c <= 64; c++)
        cnd(30, c, true);
    decide(30, true);
    sdn_value *doc = cov_report(NULL);
    char want[80];
    memset(want, 'T', 64);
    strcpy(want + 64, ":T:1;");
    vectors(doc, 30, want);
    cr_assert_eq(sdn_len(cov_tab(doc, "conditions")), 65);
    cr_assert_eq(cov_summary(doc, "mcdc_conditions_beyond_64"), 1);
    const sdn_value *m = cov_tab(doc, "mcdc");
    cr_assert_eq(cov_cell_int(m, 0, "conditions"), 64);
    sdn_free(doc);
}

RTC_TEST(coverage_mcdc, distinct_vectors_are_capped_and_the_rest_counted)
{
    rt_coverage_enable();
    for (uint32_t x = 0; x < 1100; x++) {
        for (uint32_t c = 0; c < 11; c++)
            cnd(40, c, (x >> c) & 1);
        decide(40, x & 1);
    }
    sdn_value *doc = cov_report(NULL);
    const sdn_value *m = cov_tab(doc, "mcdc");
    long r = cov_find(m, "decision_id", 40, F);
    cr_assert_eq(cov_cell_int(m, (size_t)r, "vectors"), 1024);
    cr_assert_eq(cov_cell_int(m, (size_t)r, "vector_overflow"), 76);
    cr_assert_eq(cov_summary(doc, "mcdc_vector_overflow"), 76);
    int64_t t, fl;
    cov_dec(doc, 40, F, &t, &fl);
    cr_assert_eq(t + fl, 1100, "every evaluation is counted");
    sdn_free(doc);
}

RTC_TEST(coverage_mcdc, inconsistent_vectors_fall_back_to_unique_cause)
{
    rt_coverage_enable();
    /* Condition 0 true is followed by condition 1 once and by the outcome
     * once: no short-circuit expression does that. */
    cnd(50, 0, true);
    cnd(50, 1, true);
    decide(50, true);
    cnd(50, 0, true);
    decide(50, true);
    cnd(50, 0, false);
    decide(50, false);
    decide(60, true);   /* a decision without condition probes has no MC/DC row */
    sdn_value *doc = cov_report(NULL);
    const sdn_value *m = cov_tab(doc, "mcdc");
    cr_assert_eq(sdn_len(m), 1);
    cr_assert_str_eq(cov_cell_str(m, 0, "model"), "inconsistent");
    cr_assert_str_eq(cov_cell_str(m, 0, "unique_cause"), cov_cell_str(m, 0, "masking"));
    sdn_free(doc);
}

/* ---- oracle: random and/or/not expressions ---- */

typedef struct node {
    int op;   /* 0 leaf, 1 not, 2 and, 3 or */
    int a, b, leaf;
} node;

typedef struct expr {
    node n[32];
    int nn, leaves, root;
} expr;

static uint64_t rng = 88172645463325252u;
static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

static int gen(expr *e, int lo, int hi)
{
    int i = e->nn++;
    if (hi - lo == 1) {
        e->n[i] = (node){.op = 0, .leaf = lo};
    } else {
        int mid = lo + 1 + (int)rnd((uint32_t)(hi - lo - 1));
        int a = gen(e, lo, mid), b = gen(e, mid, hi);
        e->n[i] = (node){.op = 2 + (int)rnd(2), .a = a, .b = b};
    }
    if (rnd(4) == 0) {   /* a negation above it */
        int j = e->nn++;
        e->n[j] = (node){.op = 1, .a = i};
        return j;
    }
    return i;
}

/* Short-circuit evaluation; probes when dec != 0; records the vector. */
static bool ev(const expr *e, int i, uint32_t in, uint32_t dec, uint64_t *eval, uint64_t *tm)
{
    const node *n = &e->n[i];
    switch (n->op) {
    case 0: {
        bool v = (in >> n->leaf) & 1;
        *eval |= UINT64_C(1) << n->leaf;
        if (v)
            *tm |= UINT64_C(1) << n->leaf;
        if (dec)
            rt_coverage_condition_probe(dec, (uint32_t)n->leaf, v, "oracle.spl", dec, 0);
        return v;
    }
    case 1: return !ev(e, n->a, in, dec, eval, tm);
    case 2: return ev(e, n->a, in, dec, eval, tm) && ev(e, n->b, in, dec, eval, tm);
    default: return ev(e, n->a, in, dec, eval, tm) || ev(e, n->b, in, dec, eval, tm);
    }
}

static bool full(const expr *e, uint32_t in)
{
    uint64_t x = 0, y = 0;
    return ev(e, e->root, in, 0, &x, &y);
}

typedef struct vec {
    uint64_t eval, tm;
    bool out;
} vec;

/* Masking oracle from the expression itself: some input that agrees with u
 * on u's evaluated conditions other than c, has c flipped, and changes the
 * outcome. */
static bool determines(const expr *e, const vec *u, int c)
{
    uint64_t fixed = u->eval & ~(UINT64_C(1) << c);
    for (uint32_t x = 0; x < (1u << e->leaves); x++) {
        if (((x ^ u->tm) & fixed) != 0 || ((x >> c) & 1) == ((u->tm >> c) & 1))
            continue;
        if (full(e, x) != u->out)
            return true;
    }
    return false;
}

static uint64_t parse_list(const char *s)
{
    uint64_t b = 0;
    while (*s) {
        b |= UINT64_C(1) << strtol(s, (char **)&s, 10);
        if (*s == ',')
            s++;
    }
    return b;
}

RTC_TEST(coverage_mcdc, masking_matches_the_expression_oracle)
{
    enum { NEXPR = 240 };
    static expr ex[NEXPR];
    static vec seen[NEXPR][64];
    static int nseen[NEXPR];
    rt_coverage_enable();
    for (int k = 0; k < NEXPR; k++) {
        expr *e = &ex[k];
        e->leaves = 2 + (int)rnd(5);
        e->root = gen(e, 0, e->leaves);
        int complete = k % 2 == 0;
        for (uint32_t x = 0; x < (1u << e->leaves); x++) {
            if (!complete && rnd(2))
                continue;
            vec v = {0};
            v.out = ev(e, e->root, x, 100 + (uint32_t)k, &v.eval, &v.tm);
            rt_coverage_decision_probe(100 + (uint32_t)k, v.out, "oracle.spl", 100 + (uint32_t)k, 0);
            int dup = 0;
            for (int i = 0; i < nseen[k]; i++)
                dup |= seen[k][i].eval == v.eval && seen[k][i].tm == v.tm;
            if (!dup)
                seen[k][nseen[k]++] = v;
        }
    }
    sdn_value *doc = cov_report(NULL);
    const sdn_value *m = cov_tab(doc, "mcdc");
    int checked = 0;
    for (int k = 0; k < NEXPR; k++) {
        long r = cov_find(m, "decision_id", 100 + k, "oracle.spl");
        if (r < 0)
            continue;   /* a partial test set that ran nothing */
        uint64_t uc = 0, mk = 0;
        for (int i = 0; i < nseen[k]; i++) {
            for (int j = 0; j < nseen[k]; j++) {
                const vec *u = &seen[k][i], *w = &seen[k][j];
                if (u->out == w->out)
                    continue;
                uint64_t both = u->eval & w->eval, diff = (u->tm ^ w->tm) & both;
                if (diff && !(diff & (diff - 1)))
                    uc |= diff;
                for (int c = 0; c < 64; c++)
                    if (((diff >> c) & 1) && determines(&ex[k], u, c) && determines(&ex[k], w, c))
                        mk |= UINT64_C(1) << c;
            }
        }
        uint64_t got_uc = parse_list(cov_cell_str(m, (size_t)r, "unique_cause"));
        uint64_t got_mk = parse_list(cov_cell_str(m, (size_t)r, "masking"));
        cr_assert_str_eq(cov_cell_str(m, (size_t)r, "model"), "short-circuit", "expression %d", k);
        cr_assert_eq(got_uc, uc, "expression %d: unique-cause", k);
        cr_assert_eq(got_uc & ~got_mk, 0, "expression %d: masking includes unique-cause", k);
        if (k % 2 == 0)
            cr_assert_eq(got_mk, mk, "expression %d (all inputs): masking", k);
        else
            cr_assert_eq(got_mk & ~mk, 0, "expression %d (some inputs): never more than the oracle", k);
        checked++;
    }
    cr_assert_geq(checked, NEXPR / 2 + NEXPR / 4);
    sdn_free(doc);
}
