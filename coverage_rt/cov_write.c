/*
 * coverage_rt/cov_write.c — the SDN report text (backs rt_coverage_dump_sdn,
 * rt_coverage_dump_sdn_cstr and the exit/crash writers; spec/ffi/coverage.sdn
 * family notes give the layout).
 *
 * Layout: upstream's C collector text byte for byte (`# Coverage Report`,
 * `version: 1.0`, `coverage_extension: decision-condition-v1`, the decisions
 * and conditions tables, always present, sorted, file names %-escaped), then
 * simplert's sections: mcdc, mcdc_vectors, mcdc_pairs, paths, summary (with
 * upstream's nine keys first), and perf_trace when timed mode recorded any.
 *
 * Async-signal-safe: no allocation, no stdio, no locale; numbers are
 * formatted here. The only deviation from upstream's bytes is a file name an
 * SDN reader could not read back as one string (spaces, a leading digit, a
 * keyword, ...): it is written in double quotes. Names upstream writes
 * readably, such as `src/a.spl`, `a%2Cspl` or the empty name, are unchanged.
 */
#include <string.h>

#include "coverage_rt/cov_report.h"

const char *const rtx_cov_ctr_names[RTX_COV_NCTR] = {
    "mcdc_frame_overflow",     "mcdc_frames_abandoned", "mcdc_conditions_beyond_64",
    "path_blocks_truncated",   "path_overflow",         "path_open_dropped",
    "perf_trace_dropped",      "probes_dropped",
};

static int dec_key_cmp(const rtx_cov_key *a, const rtx_cov_key *b);
static int vec_cmp(const rtx_cov_key *a, const rtx_cov_key *b);
static void put_list(rtx_cov_sink *s, uint64_t bits);
static void put_pair(rtx_cov_sink *s, const rtx_cov_row *g, const uint32_t pair[2], uint32_t w);
static void put_dec_key(rtx_cov_sink *s, const rtx_cov_key *k);
static size_t group_end(const rtx_cov_row *v, size_t n, size_t at);

/* ---- ordering and folding ---- */

int rtx_cov_key_cmp(const rtx_cov_key *a, const rtx_cov_key *b)
{
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->kind == RTX_COV_PATH) {
        if (a->dec != b->dec)
            return a->dec < b->dec ? -1 : 1;
        uint32_t n = a->nblocks < b->nblocks ? a->nblocks : b->nblocks;
        for (uint32_t i = 0; i < n; i++)
            if (a->blocks[i] != b->blocks[i])
                return a->blocks[i] < b->blocks[i] ? -1 : 1;
        return a->nblocks == b->nblocks ? 0 : a->nblocks < b->nblocks ? -1 : 1;
    }
    if (a->kind == RTX_COV_COND) {
        if (a->dec != b->dec)
            return a->dec < b->dec ? -1 : 1;
        if (a->cond != b->cond)
            return a->cond < b->cond ? -1 : 1;
    }
    int c = dec_key_cmp(a, b);
    if (c != 0 || a->kind != RTX_COV_VEC)
        return c;
    return vec_cmp(a, b);
}

uint64_t rtx_cov_sat_add(uint64_t a, uint64_t b)
{
    if (a > RTX_COV_COUNT_MAX)
        a = RTX_COV_COUNT_MAX;
    if (b > RTX_COV_COUNT_MAX)
        b = RTX_COV_COUNT_MAX;
    return a > RTX_COV_COUNT_MAX - b ? RTX_COV_COUNT_MAX : a + b;
}

static void sift(rtx_cov_row *r, size_t root, size_t n)
{
    for (;;) {
        size_t big = root, l = 2 * root + 1, rr = l + 1;
        if (l < n && rtx_cov_key_cmp(&r[l].k, &r[big].k) > 0)
            big = l;
        if (rr < n && rtx_cov_key_cmp(&r[rr].k, &r[big].k) > 0)
            big = rr;
        if (big == root)
            return;
        rtx_cov_row t = r[root];
        r[root] = r[big];
        r[big] = t;
        root = big;
    }
}

void rtx_cov_sort_rows(rtx_cov_row *rows, size_t n)
{
    if (n < 2)
        return;
    for (size_t i = n / 2; i-- > 0;)
        sift(rows, i, n);
    for (size_t end = n - 1; end > 0; end--) {
        rtx_cov_row t = rows[0];
        rows[0] = rows[end];
        rows[end] = t;
        sift(rows, 0, end);
    }
}

void rtx_cov_model_finish(rtx_cov_model *m)
{
    for (int k = RTX_COV_DEC; k <= RTX_COV_PATH; k++) {
        rtx_cov_row *r = m->rows[k];
        size_t n = m->nrows[k], out = 0;
        rtx_cov_sort_rows(r, n);
        for (size_t i = 0; i < n; i++) {
            if (out > 0 && rtx_cov_key_cmp(&r[out - 1].k, &r[i].k) == 0) {
                for (int c = 0; c < 3; c++)
                    r[out - 1].n[c] = rtx_cov_sat_add(r[out - 1].n[c], r[i].n[c]);
            } else {
                r[out++] = r[i];
            }
        }
        m->nrows[k] = out;
    }
}

/* ---- primitives ---- */

void rtx_cov_put(rtx_cov_sink *s, const char *p, size_t n)
{
    while (n > 0 && !s->failed) {
        if (s->len == s->cap && s->flush(s, n) != 0) {
            s->failed = 1;
            return;
        }
        size_t k = s->cap - s->len < n ? s->cap - s->len : n;
        memcpy(s->buf + s->len, p, k);
        s->len += k;
        p += k;
        n -= k;
    }
}

void rtx_cov_puts(rtx_cov_sink *s, const char *p) { rtx_cov_put(s, p, strlen(p)); }

void rtx_cov_put_u64(rtx_cov_sink *s, uint64_t v)
{
    char d[20];
    size_t i = sizeof d;
    do {
        d[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    rtx_cov_put(s, d + i, sizeof d - i);
}

void rtx_cov_put_pct(rtx_cov_sink *s, uint64_t covered, uint64_t total)
{
    if (total == 0) {
        rtx_cov_puts(s, "100.0");
        return;
    }
    /* The same double Rust computes, then its exact decimal value rounded to
     * one place, ties to even (what `{:.1}` and glibc's "%.1f" do). */
    double p = (double)covered / (double)total * 100.0;
    uint64_t bits;
    memcpy(&bits, &p, sizeof bits);
    int be = (int)((bits >> 52) & 0x7FF);
    uint64_t mant = bits & ((UINT64_C(1) << 52) - 1);
    if (be == 0)
        be = 1;
    else
        mant |= UINT64_C(1) << 52;
    int sh = 1075 - be;          /* p = mant / 2^sh; p <= 100 keeps sh >= 46 */
    uint64_t q = 0;
    if (sh < 60) {               /* 10*mant < 2^57: at sh >= 60 the result rounds to 0 */
        uint64_t num = mant * 10, ip = num >> sh, rem = num & ((UINT64_C(1) << sh) - 1);
        uint64_t half = UINT64_C(1) << (sh - 1);
        q = ip + (rem > half || (rem == half && (ip & 1)));
    }
    rtx_cov_put_u64(s, q / 10);
    char tail[2] = {'.', (char)('0' + q % 10)};
    rtx_cov_put(s, tail, 2);
}

/* Bytes that may continue a bare SDN word, after upstream's escaping. */
static int word_byte(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '/' || c == '.' || c == '-' || c == '#' || c >= 0x80;
}

static const char *esc_of(unsigned char c)
{
    return c == '%' ? "%25" : c == ',' ? "%2C" : (c == '\r' || c == '\n') ? "%0A" : NULL;
}

void rtx_cov_put_file(rtx_cov_sink *s, const char *raw)
{
    const unsigned char *p = (const unsigned char *)raw;
    /* Bare iff the escaped text starts a word (a letter, '_', a byte >= 0x80,
     * '/', or '.' not before a digit), continues as one, and is no keyword. */
    int bare = 1;
    if (p[0] != 0) {
        unsigned char c0 = p[0], c1 = p[1];
        int starts = (c0 >= 'A' && c0 <= 'Z') || (c0 >= 'a' && c0 <= 'z') || c0 == '_' ||
                     c0 >= 0x80 || c0 == '/' || (c0 == '.' && !(c1 >= '0' && c1 <= '9'));
        bare = starts;
        for (const unsigned char *q = p; bare && *q; q++)
            bare = word_byte(*q) || esc_of(*q) != NULL;
        static const char *const kw[] = {"true", "false", "null", "nil", "table"};
        for (size_t i = 0; bare && i < sizeof kw / sizeof kw[0]; i++)
            bare = strcmp(raw, kw[i]) != 0;
    }
    if (!bare)
        rtx_cov_put(s, "\"", 1);
    for (const unsigned char *q = p; *q; q++) {
        const char *e = esc_of(*q);
        if (e)
            rtx_cov_put(s, e, 3);
        else if (!bare && (*q == '"' || *q == '\\')) {
            char b[2] = {'\\', (char)*q};
            rtx_cov_put(s, b, 2);
        } else
            rtx_cov_put(s, (const char *)q, 1);
    }
    if (!bare)
        rtx_cov_put(s, "\"", 1);
}

void rtx_cov_put_vector(rtx_cov_sink *s, uint64_t eval, uint64_t tmask, uint32_t w)
{
    char b[RTX_COV_MAX_CONDS + 2];
    size_t n = 0;
    b[n++] = '"';
    for (uint32_t i = 0; i < w && i < RTX_COV_MAX_CONDS; i++)
        b[n++] = !((eval >> i) & 1) ? '-' : ((tmask >> i) & 1) ? 'T' : 'F';
    b[n++] = '"';
    rtx_cov_put(s, b, n);
}

/* ---- the report ---- */

int rtx_cov_write(const rtx_cov_model *m, rtx_cov_sink *s)
{
    const rtx_cov_row *dec = m->rows[RTX_COV_DEC], *cond = m->rows[RTX_COV_COND];
    const rtx_cov_row *vec = m->rows[RTX_COV_VEC], *path = m->rows[RTX_COV_PATH];
    size_t ndec = m->nrows[RTX_COV_DEC], ncond = m->nrows[RTX_COV_COND];
    size_t nvec = m->nrows[RTX_COV_VEC], npath = m->nrows[RTX_COV_PATH];

    rtx_cov_puts(s, "# Coverage Report\nversion: 1.0\ncoverage_extension: decision-condition-v1\n"
                    "\ndecisions |id, file, line, column, true_count, false_count|\n");
    uint64_t covered_dec = 0, covered_cond = 0, covered_path = 0, vec_overflow = 0;
    for (size_t i = 0; i < ndec; i++) {
        const rtx_cov_row *r = &dec[i];
        put_dec_key(s, &r->k);
        rtx_cov_puts(s, ", ");
        rtx_cov_put_u64(s, r->n[0]);
        rtx_cov_puts(s, ", ");
        rtx_cov_put_u64(s, r->n[1]);
        rtx_cov_puts(s, "\n");
        covered_dec += r->n[0] > 0 && r->n[1] > 0;
        vec_overflow = rtx_cov_sat_add(vec_overflow, r->n[2]);
    }
    rtx_cov_puts(s, "\nconditions |decision_id, condition_id, file, line, column, true_count, "
                    "false_count|\n");
    for (size_t i = 0; i < ncond; i++) {
        const rtx_cov_row *r = &cond[i];
        rtx_cov_puts(s, "    ");
        rtx_cov_put_u64(s, r->k.dec);
        rtx_cov_puts(s, ", ");
        rtx_cov_put_u64(s, r->k.cond);
        rtx_cov_puts(s, ", ");
        rtx_cov_put_file(s, r->k.file);
        rtx_cov_puts(s, ", ");
        rtx_cov_put_u64(s, r->k.line);
        rtx_cov_puts(s, ", ");
        rtx_cov_put_u64(s, r->k.col);
        rtx_cov_puts(s, ", ");
        rtx_cov_put_u64(s, r->n[0]);
        rtx_cov_puts(s, ", ");
        rtx_cov_put_u64(s, r->n[1]);
        rtx_cov_puts(s, "\n");
        covered_cond += r->n[0] > 0 && r->n[1] > 0;
    }

    /* mcdc: one row per decision that has vectors or lost some; DEC rows and
     * VEC groups are both sorted by the decision key, so join them. */
    rtx_cov_puts(s, "\nmcdc |decision_id, file, line, column, conditions, vectors, unique_cause, "
                    "masking, uncovered, vector_overflow, model|\n");
    uint64_t mc_total = 0, mc_uc = 0, mc_mask = 0;
    rtx_cov_mcdc an;
    size_t di = 0, vi = 0;
    while (di < ndec || vi < nvec) {
        int c = di == ndec ? 1 : vi == nvec ? -1 : dec_key_cmp(&dec[di].k, &vec[vi].k);
        const rtx_cov_key *key = c <= 0 ? &dec[di].k : &vec[vi].k;
        uint64_t over = c <= 0 ? dec[di].n[2] : 0;
        size_t ve = c >= 0 ? group_end(vec, nvec, vi) : vi;
        if (c <= 0)
            di++;
        if (ve == vi && over == 0)
            continue;
        if (ve - vi > m->scratch_cap) {   /* the caller sized scratch wrongly */
            s->failed = 1;
            return -1;
        }
        /* no vectors (only an overflow count): vec may be NULL, so no vec + vi */
        rtx_cov_mcdc_analyze(ve > vi ? vec + vi : NULL, ve - vi, m->scratch, &an);
        uint64_t all = an.nconds == 64 ? ~UINT64_C(0) : (UINT64_C(1) << an.nconds) - 1;
        put_dec_key(s, key);
        rtx_cov_puts(s, ", ");
        rtx_cov_put_u64(s, an.nconds);
        rtx_cov_puts(s, ", ");
        rtx_cov_put_u64(s, ve - vi);
        rtx_cov_puts(s, ", ");
        put_list(s, an.unique_cause);
        rtx_cov_puts(s, ", ");
        put_list(s, an.masking);
        rtx_cov_puts(s, ", ");
        put_list(s, all & ~an.masking);
        rtx_cov_puts(s, ", ");
        rtx_cov_put_u64(s, over);
        rtx_cov_puts(s, an.consistent ? ", short-circuit\n" : ", inconsistent\n");
        mc_total += an.nconds;
        mc_uc += (uint64_t)__builtin_popcountll(an.unique_cause);
        mc_mask += (uint64_t)__builtin_popcountll(an.masking);
        vi = ve;
    }

    rtx_cov_puts(s, "\nmcdc_vectors |decision_id, file, line, column, vector, outcome, count|\n");
    for (size_t g = 0; g < nvec;) {
        size_t ge = group_end(vec, nvec, g);
        uint64_t any = 0;
        for (size_t i = g; i < ge; i++)
            any |= vec[i].k.eval;
        uint32_t w = any ? 64u - (uint32_t)__builtin_clzll(any) : 0;
        for (size_t i = g; i < ge; i++) {
            put_dec_key(s, &vec[i].k);
            rtx_cov_puts(s, ", ");
            rtx_cov_put_vector(s, vec[i].k.eval, vec[i].k.tmask, w);
            rtx_cov_puts(s, vec[i].k.outcome ? ", true, " : ", false, ");
            rtx_cov_put_u64(s, vec[i].n[0]);
            rtx_cov_puts(s, "\n");
        }
        g = ge;
    }

    rtx_cov_puts(s, "\nmcdc_pairs |decision_id, file, line, column, condition, unique_cause_pair, "
                    "masking_pair|\n");
    for (size_t g = 0; g < nvec;) {
        size_t ge = group_end(vec, nvec, g);
        rtx_cov_mcdc_analyze(vec + g, ge - g, m->scratch, &an);
        for (uint32_t c = 0; c < an.nconds; c++) {
            put_dec_key(s, &vec[g].k);
            rtx_cov_puts(s, ", ");
            rtx_cov_put_u64(s, c);
            rtx_cov_puts(s, ", ");
            put_pair(s, (an.unique_cause >> c) & 1 ? vec + g : NULL, an.uc_pair[c], an.nconds);
            rtx_cov_puts(s, ", ");
            put_pair(s, (an.masking >> c) & 1 ? vec + g : NULL, an.mask_pair[c], an.nconds);
            rtx_cov_puts(s, "\n");
        }
        g = ge;
    }

    rtx_cov_puts(s, "\npaths |path_id, blocks, hit_count|\n");
    for (size_t i = 0; i < npath; i++) {
        const rtx_cov_row *r = &path[i];
        rtx_cov_puts(s, "    ");
        rtx_cov_put_u64(s, r->k.dec);
        rtx_cov_puts(s, ", \"");
        for (uint32_t b = 0; b < r->k.nblocks; b++) {
            if (b)
                rtx_cov_puts(s, ",");
            rtx_cov_put_u64(s, r->k.blocks[b]);
        }
        rtx_cov_puts(s, "\", ");
        rtx_cov_put_u64(s, r->n[0]);
        rtx_cov_puts(s, "\n");
        covered_path += r->n[0] > 0;
    }

    static const char *const keys[] = {
        "total_decisions", "covered_decisions", "total_conditions", "covered_conditions",
        "total_paths", "covered_paths"};
    uint64_t vals[] = {ndec, covered_dec, ncond, covered_cond, npath, covered_path};
    rtx_cov_puts(s, "\nsummary:\n");
    for (size_t i = 0; i < 6; i++) {
        rtx_cov_puts(s, "    ");
        rtx_cov_puts(s, keys[i]);
        rtx_cov_puts(s, ": ");
        rtx_cov_put_u64(s, vals[i]);
        rtx_cov_puts(s, "\n");
    }
    rtx_cov_puts(s, "    decision_percent: ");
    rtx_cov_put_pct(s, covered_dec, ndec);
    rtx_cov_puts(s, "\n    condition_percent: ");
    rtx_cov_put_pct(s, covered_cond, ncond);
    rtx_cov_puts(s, "\n    path_percent: ");
    rtx_cov_put_pct(s, covered_path, npath);
    rtx_cov_puts(s, "\n    total_mcdc_conditions: ");
    rtx_cov_put_u64(s, mc_total);
    rtx_cov_puts(s, "\n    covered_mcdc_unique_cause: ");
    rtx_cov_put_u64(s, mc_uc);
    rtx_cov_puts(s, "\n    covered_mcdc_masking: ");
    rtx_cov_put_u64(s, mc_mask);
    rtx_cov_puts(s, "\n    mcdc_unique_cause_percent: ");
    rtx_cov_put_pct(s, mc_uc, mc_total);
    rtx_cov_puts(s, "\n    mcdc_masking_percent: ");
    rtx_cov_put_pct(s, mc_mask, mc_total);
    rtx_cov_puts(s, "\n    mcdc_vector_overflow: ");
    rtx_cov_put_u64(s, vec_overflow);
    rtx_cov_puts(s, "\n");
    for (int i = 0; i < RTX_COV_NCTR; i++) {
        rtx_cov_puts(s, "    ");
        rtx_cov_puts(s, rtx_cov_ctr_names[i]);
        rtx_cov_puts(s, ": ");
        rtx_cov_put_u64(s, m->ctr[i] > RTX_COV_COUNT_MAX ? RTX_COV_COUNT_MAX : m->ctr[i]);
        rtx_cov_puts(s, "\n");
    }

    rtx_cov_perf p;
    if (m->perf_next && m->perf_next(m->perf_ctx, &p)) {
        rtx_cov_puts(s, "\nperf_trace |file, line, decision_id, timestamp_ns, delta_ns|\n");
        uint64_t prev = 0;
        do {
            rtx_cov_puts(s, "    ");
            rtx_cov_put_file(s, p.file);
            rtx_cov_puts(s, ", ");
            rtx_cov_put_u64(s, p.line);
            rtx_cov_puts(s, ", ");
            rtx_cov_put_u64(s, p.dec);
            rtx_cov_puts(s, ", ");
            rtx_cov_put_u64(s, p.ts);
            rtx_cov_puts(s, ", ");
            /* upstream: the first row's delta is 0, later ones saturate at 0 */
            rtx_cov_put_u64(s, prev > 0 && p.ts > prev ? p.ts - prev : 0);
            rtx_cov_puts(s, "\n");
            prev = p.ts;
        } while (m->perf_next(m->perf_ctx, &p));
    }
    return s->failed ? -1 : 0;
}

/* ---- helpers ---- */

/* Order of the decision key (id, file, line, column). */
static int dec_key_cmp(const rtx_cov_key *a, const rtx_cov_key *b)
{
    if (a->dec != b->dec)
        return a->dec < b->dec ? -1 : 1;
    int c = strcmp(a->file, b->file);
    if (c)
        return c < 0 ? -1 : 1;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if (a->col != b->col)
        return a->col < b->col ? -1 : 1;
    return 0;
}

/* Vectors compare condition by condition, '-' < 'F' < 'T', then by outcome. */
static int vec_cmp(const rtx_cov_key *a, const rtx_cov_key *b)
{
    uint64_t ea = a->eval, eb = b->eval;
    uint64_t diff = (ea ^ eb) | ((a->tmask ^ b->tmask) & ea & eb);
    if (diff) {
        int i = __builtin_ctzll(diff);
        int sa = (ea >> i) & 1 ? 1 + (int)((a->tmask >> i) & 1) : 0;
        int sb = (eb >> i) & 1 ? 1 + (int)((b->tmask >> i) & 1) : 0;
        return sa < sb ? -1 : 1;
    }
    return a->outcome == b->outcome ? 0 : a->outcome < b->outcome ? -1 : 1;
}

/* End of the group of VEC rows sharing vec[at]'s decision. */
static size_t group_end(const rtx_cov_row *v, size_t n, size_t at)
{
    size_t e = at;
    while (e < n && dec_key_cmp(&v[e].k, &v[at].k) == 0)
        e++;
    return e;
}

static void put_dec_key(rtx_cov_sink *s, const rtx_cov_key *k)
{
    rtx_cov_puts(s, "    ");
    rtx_cov_put_u64(s, k->dec);
    rtx_cov_puts(s, ", ");
    rtx_cov_put_file(s, k->file);
    rtx_cov_puts(s, ", ");
    rtx_cov_put_u64(s, k->line);
    rtx_cov_puts(s, ", ");
    rtx_cov_put_u64(s, k->col);
}

/* Condition ids as a quoted comma-separated list ("" when none). */
static void put_list(rtx_cov_sink *s, uint64_t bits)
{
    rtx_cov_puts(s, "\"");
    for (int first = 1; bits; bits &= bits - 1, first = 0) {
        if (!first)
            rtx_cov_puts(s, ",");
        rtx_cov_put_u64(s, (uint64_t)__builtin_ctzll(bits));
    }
    rtx_cov_puts(s, "\"");
}

/* "TT/F-": the two vectors of a pair; "" when g is NULL (no pair). */
static void put_pair(rtx_cov_sink *s, const rtx_cov_row *g, const uint32_t pair[2], uint32_t w)
{
    char b[2 * RTX_COV_MAX_CONDS + 3];
    size_t n = 0;
    b[n++] = '"';
    for (int side = 0; g && side < 2; side++) {
        const rtx_cov_key *k = &g[pair[side]].k;
        if (side)
            b[n++] = '/';
        for (uint32_t i = 0; i < w; i++)
            b[n++] = !((k->eval >> i) & 1) ? '-' : ((k->tmask >> i) & 1) ? 'T' : 'F';
    }
    b[n++] = '"';
    rtx_cov_put(s, b, n);
}
