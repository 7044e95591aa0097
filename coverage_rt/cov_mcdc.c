/*
 * coverage_rt/cov_mcdc.c — MC/DC analysis of a decision's observed condition
 * vectors (the `mcdc` and `mcdc_pairs` sections of the report; no spec row of
 * its own: it backs rt_coverage_dump_sdn and `simplert cov`).
 *
 * Definitions
 * -----------
 * A decision D has conditions 0..n-1, numbered in evaluation order (left to
 * right, as the compiler lowers `&&`/`||`). Each evaluation of D yields a
 * vector u = (E_u, T_u, o_u): E_u the conditions evaluated, T_u ⊆ E_u those
 * that were true, o_u the outcome. u[c] is T, F, or "-" (not evaluated,
 * because short-circuiting skipped it). n is 1 + the highest condition ever
 * evaluated: a runtime collector cannot see conditions no run evaluated.
 *
 * Unique-cause MC/DC (Chilenski & Miller, "Applicability of modified
 * condition/decision coverage to software testing", Software Engineering
 * Journal 9(5), 1994; DO-178B/C), in its short-circuit form (DO-248C FAQ #13;
 * the form clang's -fcoverage-mcdc reports): a pair (u, w) shows condition c
 * independent iff
 *   c ∈ E_u ∩ E_w,  u[c] ≠ w[c],  o_u ≠ o_w,  and
 *   for every k ≠ c evaluated in BOTH vectors, u[k] = w[k].
 * A condition not evaluated in one of the two vectors is "don't care" and may
 * differ: equivalently, the vectors have completions that differ only in c.
 *
 * Masking MC/DC (FAA CAST-6, "Rationale for Accepting Masking MC/DC in
 * Certification Projects", 2001; Chilenski, "An Investigation of Three Forms
 * of the MC/DC Criterion", DOT/FAA/AR-01/18, 2001): other conditions may
 * change between the two tests as long as they are masked, i.e. the pair
 * (u, w) shows c iff c ∈ E_u ∩ E_w, u[c] ≠ w[c], o_u ≠ o_w, and c DETERMINES
 * the outcome in both tests: flipping c alone flips the outcome.
 *
 * Deciding "c determines the outcome of u" needs the decision's Boolean
 * function, which the runtime does not see; it is recovered from the vectors
 * under the short-circuit model. Evaluating an expression built from
 * conditions, `!`, `&&` and `||` walks its conditions in increasing order and,
 * after condition k yields value v, always continues with the same next
 * condition or the same outcome: a function succ(k, v). Every observed vector
 * u with evaluated conditions c1 < c2 < ... < cm contributes the edges
 * succ(ci, u[ci]) = c(i+1) and succ(cm, u[cm]) = o_u. Then c determines the
 * outcome of u iff, starting at succ(c, ¬u[c]) and reading u's value at every
 * condition u evaluated (a condition u did not evaluate is don't care: either
 * edge), the walk can reach the outcome ¬o_u through observed edges only.
 * An edge never observed proves nothing, so the analysis is conservative.
 *
 * If two vectors disagree about an edge (the same condition value followed by
 * different conditions or outcomes), the decision does not fit the model
 * (conditions not numbered in evaluation order, or probes that are not the
 * compiler's); its masking result is then its unique-cause result and
 * `consistent` is 0 (the report's `model` column says "inconsistent").
 *
 * By construction masking ⊇ unique-cause: in a unique-cause pair, flipping c
 * in u follows w's own (observed) path to w's outcome.
 *
 * The pair reported for a condition is the first pair (i, j), i < j, in the
 * order of the sorted vectors (see rtx_cov_key_cmp) that shows it.
 */
#include <string.h>

#include "coverage_rt/cov_report.h"

/* succ() targets: a condition number 0..63, or one of these. */
enum { S_UNKNOWN = 0xFF, S_OUT_F = 0xFE, S_OUT_T = 0xFD };

static int infer_edges(const rtx_cov_row *vec, size_t n, uint8_t succ[][2]);
static uint64_t determines(const rtx_cov_key *u, const uint8_t succ[][2], uint32_t nconds);

void rtx_cov_mcdc_analyze(const rtx_cov_row *vec, size_t n, uint64_t *scratch,
                          rtx_cov_mcdc *out)
{
    memset(out, 0, sizeof *out);
    uint64_t any = 0;
    for (size_t i = 0; i < n; i++)
        any |= vec[i].k.eval;
    out->nconds = any ? 64u - (uint32_t)__builtin_clzll(any) : 0;
    uint64_t all = out->nconds == 64 ? ~UINT64_C(0) : (UINT64_C(1) << out->nconds) - 1;

    uint8_t succ[RTX_COV_MAX_CONDS][2];
    out->consistent = infer_edges(vec, n, succ);
    for (size_t i = 0; i < n; i++)
        scratch[i] = out->consistent ? determines(&vec[i].k, succ, out->nconds) : 0;

    /* One pass over the pairs in order; each pair credits every condition it
     * shows that has no pair yet. Stops once every condition has both. */
    for (size_t i = 0; i < n && ((out->unique_cause & out->masking) != all); i++) {
        const rtx_cov_key *u = &vec[i].k;
        for (size_t j = i + 1; j < n; j++) {
            const rtx_cov_key *w = &vec[j].k;
            if (u->outcome == w->outcome)
                continue;
            uint64_t both = u->eval & w->eval;
            uint64_t diff = (u->tmask ^ w->tmask) & both;
            if (diff == 0)
                continue;
            uint64_t uc = (diff & (diff - 1)) == 0 ? diff : 0;   /* exactly one differs */
            uint64_t mk = out->consistent ? (diff & scratch[i] & scratch[j]) : uc;
            for (uint64_t nu = uc & ~out->unique_cause; nu; nu &= nu - 1) {
                int c = __builtin_ctzll(nu);
                out->uc_pair[c][0] = (uint32_t)i;
                out->uc_pair[c][1] = (uint32_t)j;
            }
            out->unique_cause |= uc;
            for (uint64_t nm = mk & ~out->masking; nm; nm &= nm - 1) {
                int c = __builtin_ctzll(nm);
                out->mask_pair[c][0] = (uint32_t)i;
                out->mask_pair[c][1] = (uint32_t)j;
            }
            out->masking |= mk;
        }
    }
    if (!out->consistent)
        memcpy(out->mask_pair, out->uc_pair, sizeof out->mask_pair);
}

/* Builds succ[][] from the vectors; returns 0 when two vectors disagree. */
static int infer_edges(const rtx_cov_row *vec, size_t n, uint8_t succ[][2])
{
    memset(succ, S_UNKNOWN, RTX_COV_MAX_CONDS * 2);
    for (size_t i = 0; i < n; i++) {
        const rtx_cov_key *u = &vec[i].k;
        int prev = -1, prev_v = 0;
        for (uint64_t e = u->eval; ; e &= e - 1) {
            uint8_t to;
            int c = -1, v = 0;
            if (e) {
                c = __builtin_ctzll(e);
                v = (int)((u->tmask >> c) & 1);
                to = (uint8_t)c;
            } else {
                to = u->outcome ? S_OUT_T : S_OUT_F;
            }
            if (prev >= 0) {
                uint8_t *slot = &succ[prev][prev_v];
                if (*slot != S_UNKNOWN && *slot != to)
                    return 0;
                *slot = to;
            }
            if (!e)
                break;
            prev = c;
            prev_v = v;
        }
    }
    return 1;
}

/* The conditions of u that determine its outcome (see the definitions). */
static uint64_t determines(const rtx_cov_key *u, const uint8_t succ[][2], uint32_t nconds)
{
    /* reach[k]: outcomes reachable from condition k under u's values; bit 0
     * false, bit 1 true. Edges go to higher conditions, so fill downwards. */
    uint8_t reach[RTX_COV_MAX_CONDS];
    uint64_t det = 0;
    for (int k = (int)nconds - 1; k >= 0; k--) {
        uint8_t r = 0;
        for (int v = 0; v < 2; v++) {
            if (((u->eval >> k) & 1) && (int)((u->tmask >> k) & 1) != v)
                continue;   /* u fixes k's value */
            uint8_t to = succ[k][v];
            r |= to == S_OUT_F ? 1 : to == S_OUT_T ? 2 : to < RTX_COV_MAX_CONDS ? reach[to] : 0;
        }
        reach[k] = r;
    }
    uint8_t want = u->outcome ? 1 : 2;   /* the other outcome */
    for (uint64_t e = u->eval; e; e &= e - 1) {
        int c = __builtin_ctzll(e);
        int flipped = !((u->tmask >> c) & 1);
        uint8_t to = succ[c][flipped];
        uint8_t r = to == S_OUT_F ? 1 : to == S_OUT_T ? 2 : to < RTX_COV_MAX_CONDS ? reach[to] : 0;
        if (r & want)
            det |= UINT64_C(1) << c;
    }
    return det;
}
