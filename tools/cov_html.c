/*
 * tools/cov_html.c — `simplert cov report --html DIR`: a static site with no
 * external assets. DIR/index.html has the totals and one row per source
 * file; DIR/file-<n>.html has that file's decisions, conditions, and per
 * decision the MC/DC verdicts with the observed vectors and the pairs that
 * show each condition (tools/cov.h). Paths are listed on the index.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tools/cov.h"
#include "tools/cov_render.h"
#include "tools/util.h"

static const char css[] =
    "<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}"
    "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;"
    "text-align:left}th{background:#eee}.ok{background:#dfd}.bad{background:#fdd}"
    ".part{background:#ffd}code{font-family:ui-monospace,monospace}</style>";

static void esc(FILE *o, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", o); break;
        case '>': fputs("&gt;", o); break;
        case '&': fputs("&amp;", o); break;
        case '"': fputs("&quot;", o); break;
        default: fputc(*s, o);
        }
    }
}

static const char *cls(uint64_t c, uint64_t n) { return c == n ? "ok" : c == 0 ? "bad" : "part"; }

static void metric(FILE *o, const char *name, uint64_t c, uint64_t n)
{
    fprintf(o, "<tr class=\"%s\"><td>%s</td><td>%llu</td><td>%llu</td><td>%.1f%%</td></tr>\n",
            cls(c, n), name, (unsigned long long)c, (unsigned long long)n, cov_pct(c, n));
}

static void ids(FILE *o, uint64_t bits)
{
    if (!bits)
        fputs("—", o);
    for (int first = 1; bits; bits &= bits - 1, first = 0)
        fprintf(o, "%s%d", first ? "" : ", ", __builtin_ctzll(bits));
}

static FILE *open_page(const char *dir, const char *name, const char *title)
{
    tbuf p = {0};
    tbuf_printf(&p, "%s/%s", dir, name);
    FILE *o = fopen(p.s, "w");
    tbuf_free(&p);
    if (o) {
        fprintf(o, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>");
        esc(o, title);
        fprintf(o, "</title>%s</head><body>\n", css);
    }
    return o;
}

static int close_page(FILE *o)
{
    fputs("</body></html>\n", o);
    int bad = ferror(o);
    return (fclose(o) != 0 || bad) ? -1 : 0;
}

static void file_page(FILE *o, cov_doc *d, const char *file)
{
    const rtx_cov_model *m = &d->m;
    fputs("<p><a href=\"index.html\">&larr; all files</a></p><h1><code>", o);
    esc(o, file[0] ? file : "(no file)");
    fputs("</code></h1>\n<h2>Decisions</h2><table><tr><th>id</th><th>line:col</th>"
          "<th>true</th><th>false</th></tr>\n", o);
    for (size_t i = 0; i < m->nrows[RTX_COV_DEC]; i++) {
        const rtx_cov_row *r = &m->rows[RTX_COV_DEC][i];
        if (strcmp(r->k.file, file) == 0)
            fprintf(o, "<tr class=\"%s\"><td>%u</td><td>%u:%u</td><td>%llu</td><td>%llu</td></tr>\n",
                    cls((r->n[0] > 0) + (r->n[1] > 0), 2), r->k.dec, r->k.line, r->k.col,
                    (unsigned long long)r->n[0], (unsigned long long)r->n[1]);
    }
    fputs("</table>\n<h2>Conditions</h2><table><tr><th>decision</th><th>condition</th>"
          "<th>line:col</th><th>true</th><th>false</th></tr>\n", o);
    for (size_t i = 0; i < m->nrows[RTX_COV_COND]; i++) {
        const rtx_cov_row *r = &m->rows[RTX_COV_COND][i];
        if (strcmp(r->k.file, file) == 0)
            fprintf(o, "<tr class=\"%s\"><td>%u</td><td>%u</td><td>%u:%u</td><td>%llu</td>"
                       "<td>%llu</td></tr>\n",
                    cls((r->n[0] > 0) + (r->n[1] > 0), 2), r->k.dec, r->k.cond, r->k.line,
                    r->k.col, (unsigned long long)r->n[0], (unsigned long long)r->n[1]);
    }
    fputs("</table>\n<h2>MC/DC</h2>\n", o);
    const rtx_cov_row *v = m->rows[RTX_COV_VEC];
    for (size_t g = 0, e; g < m->nrows[RTX_COV_VEC]; g = e) {
        e = cov_group_end(v, m->nrows[RTX_COV_VEC], g);
        if (strcmp(v[g].k.file, file) != 0)
            continue;
        rtx_cov_mcdc an;
        rtx_cov_mcdc_analyze(v + g, e - g, m->scratch, &an);
        uint64_t all = an.nconds == 64 ? ~UINT64_C(0) : (UINT64_C(1) << an.nconds) - 1;
        fprintf(o, "<h3>decision %u at %u:%u</h3><p>%u conditions; independent (unique-cause): ",
                v[g].k.dec, v[g].k.line, v[g].k.col, an.nconds);
        ids(o, an.unique_cause);
        fputs("; independent (masking): ", o);
        ids(o, an.masking);
        fputs("; not shown: ", o);
        ids(o, all & ~an.masking);
        fprintf(o, "%s</p>\n<table><tr><th>vector</th><th>outcome</th><th>count</th></tr>\n",
                an.consistent ? "" : " (vectors do not fit the short-circuit model: masking = "
                                     "unique-cause)");
        for (size_t i = g; i < e; i++) {
            char s[RTX_COV_MAX_CONDS + 1];
            cov_vector_str(s, &v[i].k, an.nconds);
            fprintf(o, "<tr><td><code>%s</code></td><td>%s</td><td>%llu</td></tr>\n", s,
                    v[i].k.outcome ? "true" : "false", (unsigned long long)v[i].n[0]);
        }
        fputs("</table><table><tr><th>condition</th><th>unique-cause pair</th>"
              "<th>masking pair</th></tr>\n", o);
        for (uint32_t c = 0; c < an.nconds; c++) {
            fprintf(o, "<tr class=\"%s\"><td>%u</td>",
                    cls(((an.unique_cause >> c) & 1) + ((an.masking >> c) & 1), 2), c);
            for (int f = 0; f < 2; f++) {
                uint64_t set = f ? an.masking : an.unique_cause;
                const uint32_t *p = f ? an.mask_pair[c] : an.uc_pair[c];
                if ((set >> c) & 1) {
                    char a[RTX_COV_MAX_CONDS + 1], b[RTX_COV_MAX_CONDS + 1];
                    cov_vector_str(a, &v[g + p[0]].k, an.nconds);
                    cov_vector_str(b, &v[g + p[1]].k, an.nconds);
                    fprintf(o, "<td><code>%s / %s</code></td>", a, b);
                } else {
                    fputs("<td>—</td>", o);
                }
            }
            fputs("</tr>\n", o);
        }
        fputs("</table>\n", o);
    }
}

int cov_render_html(cov_doc *d, const char *dir)
{
    if (mkdir_p(dir) != 0)
        return -1;
    FILE *o = open_page(dir, "index.html", "simplert coverage");
    if (o == NULL)
        return -1;
    cov_totals t;
    cov_doc_totals(d, &t);
    fputs("<h1>Coverage</h1><table><tr><th></th><th>covered</th><th>total</th><th>percent</th>"
          "</tr>\n", o);
    metric(o, "decisions", t.dec_cov, t.dec);
    metric(o, "conditions", t.cond_cov, t.cond);
    metric(o, "MC/DC (unique-cause)", t.mcdc_uc, t.mcdc);
    metric(o, "MC/DC (masking)", t.mcdc_mask, t.mcdc);
    metric(o, "paths", t.path_cov, t.path);
    fputs("</table>\n<h2>Files</h2><table><tr><th>file</th><th>decisions</th><th>conditions</th>"
          "<th>MC/DC (masking)</th></tr>\n", o);
    size_t nf;
    const char **files = cov_doc_files(d, &nf);
    int rc = 0;
    for (size_t f = 0; f < nf && rc == 0; f++) {
        cov_totals ft;
        cov_file_totals(d, files[f], &ft);
        fprintf(o, "<tr><td><a href=\"file-%zu.html\"><code>", f);
        esc(o, files[f][0] ? files[f] : "(no file)");
        fprintf(o, "</code></a></td><td class=\"%s\">%llu/%llu</td><td class=\"%s\">%llu/%llu</td>"
                   "<td class=\"%s\">%llu/%llu</td></tr>\n",
                cls(ft.dec_cov, ft.dec), (unsigned long long)ft.dec_cov, (unsigned long long)ft.dec,
                cls(ft.cond_cov, ft.cond), (unsigned long long)ft.cond_cov,
                (unsigned long long)ft.cond, cls(ft.mcdc_mask, ft.mcdc),
                (unsigned long long)ft.mcdc_mask, (unsigned long long)ft.mcdc);
        char name[64];
        snprintf(name, sizeof name, "file-%zu.html", f);
        FILE *p = open_page(dir, name, files[f]);
        if (p == NULL) {
            rc = -1;
            break;
        }
        file_page(p, d, files[f]);
        rc = close_page(p);
    }
    free(files);
    fputs("</table>\n<h2>Paths</h2><table><tr><th>path</th><th>blocks</th><th>completed</th></tr>\n",
          o);
    const rtx_cov_model *m = &d->m;
    for (size_t i = 0; i < m->nrows[RTX_COV_PATH]; i++) {
        const rtx_cov_row *r = &m->rows[RTX_COV_PATH][i];
        fprintf(o, "<tr class=\"%s\"><td>%u</td><td><code>", r->n[0] ? "ok" : "bad", r->k.dec);
        for (uint32_t b = 0; b < r->k.nblocks; b++)
            fprintf(o, "%s%u", b ? "," : "", r->k.blocks[b]);
        fprintf(o, "</code></td><td>%llu</td></tr>\n", (unsigned long long)r->n[0]);
    }
    fputs("</table>\n", o);
    int rc2 = close_page(o);
    return rc ? rc : rc2;
}
