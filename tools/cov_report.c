/*
 * tools/cov_report.c — `simplert cov report` renderers: text, JSON and LCOV
 * (tools/cov.h). HTML is in tools/cov_html.c.
 *
 * All renderers read a finished cov_doc and recompute the MC/DC analysis per
 * decision with coverage_rt's own code, so they agree with the SDN report.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tools/cov.h"
#include "tools/cov_render.h"
#include "tools/util.h"

/* ---- shared with cov_html.c ---- */

size_t cov_group_end(const rtx_cov_row *v, size_t n, size_t at)
{
    size_t e = at + 1;
    while (e < n && v[e].k.dec == v[at].k.dec && v[e].k.line == v[at].k.line &&
           v[e].k.col == v[at].k.col && strcmp(v[e].k.file, v[at].k.file) == 0)
        e++;
    return e;
}

void cov_vector_str(char *out, const rtx_cov_key *k, uint32_t w)
{
    uint32_t i = 0;
    for (; i < w && i < RTX_COV_MAX_CONDS; i++)
        out[i] = !((k->eval >> i) & 1) ? '-' : ((k->tmask >> i) & 1) ? 'T' : 'F';
    out[i] = 0;
}

void cov_file_totals(cov_doc *d, const char *file, cov_totals *t)
{
    memset(t, 0, sizeof *t);
    const rtx_cov_model *m = &d->m;
    for (size_t i = 0; i < m->nrows[RTX_COV_DEC]; i++) {
        const rtx_cov_row *r = &m->rows[RTX_COV_DEC][i];
        if (strcmp(r->k.file, file) == 0) {
            t->dec++;
            t->dec_cov += r->n[0] && r->n[1];
        }
    }
    for (size_t i = 0; i < m->nrows[RTX_COV_COND]; i++) {
        const rtx_cov_row *r = &m->rows[RTX_COV_COND][i];
        if (strcmp(r->k.file, file) == 0) {
            t->cond++;
            t->cond_cov += r->n[0] && r->n[1];
        }
    }
    const rtx_cov_row *v = m->rows[RTX_COV_VEC];
    for (size_t g = 0, e; g < m->nrows[RTX_COV_VEC]; g = e) {
        e = cov_group_end(v, m->nrows[RTX_COV_VEC], g);
        if (strcmp(v[g].k.file, file) != 0)
            continue;
        rtx_cov_mcdc an;
        rtx_cov_mcdc_analyze(v + g, e - g, m->scratch, &an);
        t->mcdc += an.nconds;
        t->mcdc_uc += (uint64_t)__builtin_popcountll(an.unique_cause);
        t->mcdc_mask += (uint64_t)__builtin_popcountll(an.masking);
    }
}

/* ---- text ---- */

static void list_ids(FILE *out, uint64_t bits)
{
    for (int first = 1; bits; bits &= bits - 1, first = 0)
        fprintf(out, "%s%d", first ? "" : ",", __builtin_ctzll(bits));
}

int cov_render_text(cov_doc *d, FILE *out)
{
    cov_totals t;
    cov_doc_totals(d, &t);
    fprintf(out, "simplert coverage report\n\n%-24s %10s %10s %8s\n", "", "covered", "total",
            "percent");
    const struct {
        const char *name;
        uint64_t c, n;
    } rows[] = {{"decisions", t.dec_cov, t.dec},
                {"conditions", t.cond_cov, t.cond},
                {"mcdc (unique-cause)", t.mcdc_uc, t.mcdc},
                {"mcdc (masking)", t.mcdc_mask, t.mcdc},
                {"paths", t.path_cov, t.path}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        fprintf(out, "  %-22s %10llu %10llu %8.1f\n", rows[i].name, (unsigned long long)rows[i].c,
                (unsigned long long)rows[i].n, cov_pct(rows[i].c, rows[i].n));

    size_t nf;
    const char **files = cov_doc_files(d, &nf);
    if (nf)
        fprintf(out, "\n%-40s %16s %16s %16s\n", "file", "decisions", "conditions",
                "mcdc (masking)");
    for (size_t i = 0; i < nf; i++) {
        cov_totals f;
        cov_file_totals(d, files[i], &f);
        char a[32], b[32], c[32];
        snprintf(a, sizeof a, "%llu/%llu", (unsigned long long)f.dec_cov, (unsigned long long)f.dec);
        snprintf(b, sizeof b, "%llu/%llu", (unsigned long long)f.cond_cov, (unsigned long long)f.cond);
        snprintf(c, sizeof c, "%llu/%llu", (unsigned long long)f.mcdc_mask, (unsigned long long)f.mcdc);
        fprintf(out, "%-40s %16s %16s %16s\n", files[i][0] ? files[i] : "(no file)", a, b, c);
    }
    free(files);

    const rtx_cov_model *m = &d->m;
    int header = 0;
#define UNCOVERED() (header ? (void)0 : (void)(header = 1, fputs("\nnot covered:\n", out)))
    for (size_t i = 0; i < m->nrows[RTX_COV_DEC]; i++) {
        const rtx_cov_row *r = &m->rows[RTX_COV_DEC][i];
        if (r->n[0] && r->n[1])
            continue;
        UNCOVERED();
        fprintf(out, "  %s:%u:%u decision %u: %s\n", r->k.file, r->k.line, r->k.col, r->k.dec,
                !r->n[0] && !r->n[1] ? "never evaluated" : r->n[0] ? "never false" : "never true");
    }
    for (size_t i = 0; i < m->nrows[RTX_COV_COND]; i++) {
        const rtx_cov_row *r = &m->rows[RTX_COV_COND][i];
        if (r->n[0] && r->n[1])
            continue;
        UNCOVERED();
        fprintf(out, "  %s:%u:%u decision %u condition %u: %s\n", r->k.file, r->k.line, r->k.col,
                r->k.dec, r->k.cond,
                !r->n[0] && !r->n[1] ? "never evaluated" : r->n[0] ? "never false" : "never true");
    }
    const rtx_cov_row *v = m->rows[RTX_COV_VEC];
    for (size_t g = 0, e; g < m->nrows[RTX_COV_VEC]; g = e) {
        e = cov_group_end(v, m->nrows[RTX_COV_VEC], g);
        rtx_cov_mcdc an;
        rtx_cov_mcdc_analyze(v + g, e - g, m->scratch, &an);
        uint64_t all = an.nconds == 64 ? ~UINT64_C(0) : (UINT64_C(1) << an.nconds) - 1;
        if ((an.unique_cause & an.masking) == all)
            continue;
        UNCOVERED();
        fprintf(out, "  %s:%u:%u decision %u mcdc: not shown independent: masking [", v[g].k.file,
                v[g].k.line, v[g].k.col, v[g].k.dec);
        list_ids(out, all & ~an.masking);
        fputs("], unique-cause [", out);
        list_ids(out, all & ~an.unique_cause);
        fprintf(out, "]%s\n", an.consistent ? "" : " (vectors do not fit the short-circuit model)");
    }
    for (size_t i = 0; i < m->nrows[RTX_COV_PATH]; i++) {
        const rtx_cov_row *r = &m->rows[RTX_COV_PATH][i];
        if (r->n[0])
            continue;
        UNCOVERED();
        fprintf(out, "  path %u [", r->k.dec);
        for (uint32_t b = 0; b < r->k.nblocks; b++)
            fprintf(out, "%s%u", b ? "," : "", r->k.blocks[b]);
        fputs("]: never completed\n", out);
    }
#undef UNCOVERED
    for (int c = 0; c < RTX_COV_NCTR; c++)
        if (m->ctr[c])
            fprintf(out, "note: %s = %llu\n", rtx_cov_ctr_names[c], (unsigned long long)m->ctr[c]);
    return ferror(out) ? -1 : 0;
}

/* ---- JSON ---- */

void cov_json_str(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

static void json_ids(FILE *out, uint64_t bits)
{
    fputc('[', out);
    list_ids(out, bits);
    fputc(']', out);
}

static void json_metric(FILE *out, const char *name, uint64_t c, uint64_t n, int last)
{
    fprintf(out, "\"%s\": {\"covered\": %llu, \"total\": %llu, \"percent\": %.1f}%s", name,
            (unsigned long long)c, (unsigned long long)n, cov_pct(c, n), last ? "" : ", ");
}

int cov_render_json(cov_doc *d, FILE *out)
{
    const rtx_cov_model *m = &d->m;
    cov_totals t;
    cov_doc_totals(d, &t);
    fputs("{\"summary\": {", out);
    json_metric(out, "decisions", t.dec_cov, t.dec, 0);
    json_metric(out, "conditions", t.cond_cov, t.cond, 0);
    json_metric(out, "mcdc_unique_cause", t.mcdc_uc, t.mcdc, 0);
    json_metric(out, "mcdc_masking", t.mcdc_mask, t.mcdc, 0);
    json_metric(out, "paths", t.path_cov, t.path, 1);
    fputs("}, \"counters\": {", out);
    for (int c = 0; c < RTX_COV_NCTR; c++)
        fprintf(out, "%s\"%s\": %llu", c ? ", " : "", rtx_cov_ctr_names[c],
                (unsigned long long)m->ctr[c]);
    fputs("}, \"files\": [", out);
    size_t nf;
    const char **files = cov_doc_files(d, &nf);
    for (size_t f = 0; f < nf; f++) {
        fprintf(out, "%s{\"file\": ", f ? ", " : "");
        cov_json_str(out, files[f]);
        fputs(", \"decisions\": [", out);
        int first = 1;
        for (size_t i = 0; i < m->nrows[RTX_COV_DEC]; i++) {
            const rtx_cov_row *r = &m->rows[RTX_COV_DEC][i];
            if (strcmp(r->k.file, files[f]) != 0)
                continue;
            fprintf(out, "%s{\"id\": %u, \"line\": %u, \"column\": %u, \"true_count\": %llu, "
                         "\"false_count\": %llu}",
                    first ? "" : ", ", r->k.dec, r->k.line, r->k.col, (unsigned long long)r->n[0],
                    (unsigned long long)r->n[1]);
            first = 0;
        }
        fputs("], \"conditions\": [", out);
        first = 1;
        for (size_t i = 0; i < m->nrows[RTX_COV_COND]; i++) {
            const rtx_cov_row *r = &m->rows[RTX_COV_COND][i];
            if (strcmp(r->k.file, files[f]) != 0)
                continue;
            fprintf(out, "%s{\"decision_id\": %u, \"condition_id\": %u, \"line\": %u, "
                         "\"column\": %u, \"true_count\": %llu, \"false_count\": %llu}",
                    first ? "" : ", ", r->k.dec, r->k.cond, r->k.line, r->k.col,
                    (unsigned long long)r->n[0], (unsigned long long)r->n[1]);
            first = 0;
        }
        fputs("], \"mcdc\": [", out);
        first = 1;
        const rtx_cov_row *v = m->rows[RTX_COV_VEC];
        for (size_t g = 0, e; g < m->nrows[RTX_COV_VEC]; g = e) {
            e = cov_group_end(v, m->nrows[RTX_COV_VEC], g);
            if (strcmp(v[g].k.file, files[f]) != 0)
                continue;
            rtx_cov_mcdc an;
            rtx_cov_mcdc_analyze(v + g, e - g, m->scratch, &an);
            uint64_t all = an.nconds == 64 ? ~UINT64_C(0) : (UINT64_C(1) << an.nconds) - 1;
            fprintf(out, "%s{\"decision_id\": %u, \"line\": %u, \"column\": %u, \"conditions\": %u, "
                         "\"model\": \"%s\", \"unique_cause\": ",
                    first ? "" : ", ", v[g].k.dec, v[g].k.line, v[g].k.col, an.nconds,
                    an.consistent ? "short-circuit" : "inconsistent");
            first = 0;
            json_ids(out, an.unique_cause);
            fputs(", \"masking\": ", out);
            json_ids(out, an.masking);
            fputs(", \"uncovered\": ", out);
            json_ids(out, all & ~an.masking);
            fputs(", \"vectors\": [", out);
            for (size_t i = g; i < e; i++) {
                char s[RTX_COV_MAX_CONDS + 1];
                cov_vector_str(s, &v[i].k, an.nconds);
                fprintf(out, "%s{\"vector\": \"%s\", \"outcome\": %s, \"count\": %llu}",
                        i > g ? ", " : "", s, v[i].k.outcome ? "true" : "false",
                        (unsigned long long)v[i].n[0]);
            }
            fputs("], \"pairs\": [", out);
            for (uint32_t c = 0; c < an.nconds; c++) {
                char a[RTX_COV_MAX_CONDS + 1], b[RTX_COV_MAX_CONDS + 1];
                fprintf(out, "%s{\"condition\": %u, \"unique_cause\": ", c ? ", " : "", c);
                if ((an.unique_cause >> c) & 1) {
                    cov_vector_str(a, &v[g + an.uc_pair[c][0]].k, an.nconds);
                    cov_vector_str(b, &v[g + an.uc_pair[c][1]].k, an.nconds);
                    fprintf(out, "[\"%s\", \"%s\"]", a, b);
                } else {
                    fputs("null", out);
                }
                fputs(", \"masking\": ", out);
                if ((an.masking >> c) & 1) {
                    cov_vector_str(a, &v[g + an.mask_pair[c][0]].k, an.nconds);
                    cov_vector_str(b, &v[g + an.mask_pair[c][1]].k, an.nconds);
                    fprintf(out, "[\"%s\", \"%s\"]}", a, b);
                } else {
                    fputs("null}", out);
                }
            }
            fputs("]}", out);
        }
        fputs("]}", out);
    }
    free(files);
    fputs("], \"paths\": [", out);
    for (size_t i = 0; i < m->nrows[RTX_COV_PATH]; i++) {
        const rtx_cov_row *r = &m->rows[RTX_COV_PATH][i];
        fprintf(out, "%s{\"path_id\": %u, \"blocks\": [", i ? ", " : "", r->k.dec);
        for (uint32_t b = 0; b < r->k.nblocks; b++)
            fprintf(out, "%s%u", b ? ", " : "", r->k.blocks[b]);
        fprintf(out, "], \"hit_count\": %llu}", (unsigned long long)r->n[0]);
    }
    fputs("]}\n", out);
    return ferror(out) ? -1 : 0;
}

/* ---- LCOV ---- */

/* One record per source file. Decisions are branches (block = decision id,
 * branch 0 true, 1 false) and conditions too (branch 2 + 2c true, 3 + 2c
 * false); DA lines carry the decisions' evaluation counts. Rows without a
 * file name or a line (the legacy probes) have no place in LCOV. */
int cov_render_lcov(cov_doc *d, FILE *out)
{
    const rtx_cov_model *m = &d->m;
    size_t nf;
    const char **files = cov_doc_files(d, &nf);
    for (size_t f = 0; f < nf; f++) {
        if (files[f][0] == 0 || strchr(files[f], '\n'))
            continue;
        fprintf(out, "TN:\nSF:%s\n", files[f]);
        uint64_t brf = 0, brh = 0, lf = 0, lh = 0;
        uint32_t last_line = 0;
        uint64_t line_hits;
        for (size_t i = 0; i < m->nrows[RTX_COV_DEC]; i++) {
            const rtx_cov_row *r = &m->rows[RTX_COV_DEC][i];
            if (strcmp(r->k.file, files[f]) != 0 || r->k.line == 0)
                continue;
            for (int b = 0; b < 2; b++) {
                if (r->n[0] + r->n[1] == 0)   /* never evaluated: lcov's "-" */
                    fprintf(out, "BRDA:%u,%u,%d,-\n", r->k.line, r->k.dec, b);
                else
                    fprintf(out, "BRDA:%u,%u,%d,%llu\n", r->k.line, r->k.dec, b,
                            (unsigned long long)r->n[b]);
                brf++;
                brh += r->n[b] > 0;
            }
        }
        for (size_t i = 0; i < m->nrows[RTX_COV_COND]; i++) {
            const rtx_cov_row *r = &m->rows[RTX_COV_COND][i];
            if (strcmp(r->k.file, files[f]) != 0 || r->k.line == 0)
                continue;
            for (int b = 0; b < 2; b++) {
                fprintf(out, "BRDA:%u,%u,%llu,%llu\n", r->k.line, r->k.dec,
                        (unsigned long long)(2 + 2 * (uint64_t)r->k.cond + (uint64_t)b),
                        (unsigned long long)r->n[b]);
                brf++;
                brh += r->n[b] > 0;
            }
        }
        /* DA: the distinct decision lines in ascending order. */
        for (;;) {
            uint32_t next = UINT32_MAX;
            int found = 0;
            line_hits = 0;
            for (size_t i = 0; i < m->nrows[RTX_COV_DEC]; i++) {
                const rtx_cov_row *r = &m->rows[RTX_COV_DEC][i];
                if (strcmp(r->k.file, files[f]) != 0 || r->k.line <= last_line)
                    continue;
                if (r->k.line < next) {
                    next = r->k.line;
                    line_hits = 0;
                }
                if (r->k.line == next) {
                    line_hits = rtx_cov_sat_add(line_hits, rtx_cov_sat_add(r->n[0], r->n[1]));
                    found = 1;
                }
            }
            if (!found)
                break;
            fprintf(out, "DA:%u,%llu\n", next, (unsigned long long)line_hits);
            lf++;
            lh += line_hits > 0;
            last_line = next;
        }
        fprintf(out, "BRF:%llu\nBRH:%llu\nLF:%llu\nLH:%llu\nend_of_record\n",
                (unsigned long long)brf, (unsigned long long)brh, (unsigned long long)lf,
                (unsigned long long)lh);
    }
    free(files);
    return ferror(out) ? -1 : 0;
}
