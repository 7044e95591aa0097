/*
 * tools/cov_read.c — reading coverage reports into a cov_doc, merging,
 * writing them back (tools/cov.h).
 *
 * Columns are found by name, so a report with extra columns or tables still
 * reads; a table with a column missing, a cell of the wrong type, a number
 * out of range, or a malformed vector is an error naming the report, table
 * and row. Reports from upstream's C collector (decisions and conditions
 * only) read as they are; file names are un-escaped (%25 %2C %0A).
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sdn/sdn.h"
#include "tools/cov.h"
#include "tools/util.h"

typedef struct rd {
    cov_doc *d;
    const char *name, *table;
    char *err;
    size_t errlen;
    int failed;
} rd;

static void fail(rd *r, size_t row, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static rtx_cov_row *add_row(cov_doc *d, int kind);
static void *own(cov_doc *d, void *p);
static int col(rd *r, const sdn_value *t, const char *name);
static int cell_u32(rd *r, const sdn_value *t, size_t row, int c, uint32_t *out);
static int cell_count(rd *r, const sdn_value *t, size_t row, int c, uint64_t *out);
static int cell_file(rd *r, const sdn_value *t, size_t row, int c, const char **out);
static int cell_str(rd *r, const sdn_value *t, size_t row, int c, const char **s, size_t *n);
static void read_decisions(rd *r, const sdn_value *t, int cond);
static void read_mcdc(rd *r, const sdn_value *t);
static void read_vectors(rd *r, const sdn_value *t);
static void read_paths(rd *r, const sdn_value *t);
static void read_perf(rd *r, const sdn_value *t);
static void read_summary(rd *r, const sdn_value *s);
static int perf_next(void *ctx, rtx_cov_perf *out);

/* End of the run of VEC rows that belong to v[at]'s decision. */
static size_t group_end(const rtx_cov_row *v, size_t n, size_t at)
{
    size_t e = at + 1;
    while (e < n && v[e].k.dec == v[at].k.dec && v[e].k.line == v[at].k.line &&
           v[e].k.col == v[at].k.col && strcmp(v[e].k.file, v[at].k.file) == 0)
        e++;
    return e;
}

int cov_doc_read(cov_doc *d, const char *text, size_t len, const char *name, char *err,
                 size_t errlen)
{
    rd r = {.d = d, .name = name ? name : "<report>", .err = err, .errlen = errlen};
    sdn_error e;
    sdn_value *doc = sdn_parse(text, len, &e);
    if (doc == NULL) {
        snprintf(err, errlen, "%s: not SDN: %s", r.name, e.msg);
        return -1;
    }
    static const struct {
        const char *key;
        int what;
    } tables[] = {{"decisions", 0}, {"conditions", 1}, {"mcdc", 2}, {"mcdc_vectors", 3},
                  {"paths", 4}, {"perf_trace", 5}};
    for (size_t i = 0; i < sizeof tables / sizeof tables[0] && !r.failed; i++) {
        const sdn_value *t = sdn_get(doc, tables[i].key);
        if (t == NULL)
            continue;
        r.table = tables[i].key;
        if (sdn_type_of(t) != SDN_TABLE || sdn_table_is_typed(t)) {
            fail(&r, 0, "not a named table");
            break;
        }
        switch (tables[i].what) {
        case 0: read_decisions(&r, t, 0); break;
        case 1: read_decisions(&r, t, 1); break;
        case 2: read_mcdc(&r, t); break;
        case 3: read_vectors(&r, t); break;
        case 4: read_paths(&r, t); break;
        default: read_perf(&r, t); break;
        }
    }
    const sdn_value *sum = sdn_get(doc, "summary");
    if (!r.failed && sum != NULL && sdn_type_of(sum) == SDN_DICT)
        read_summary(&r, sum);
    sdn_free(doc);
    return r.failed ? -1 : 0;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int cov_doc_read_path(cov_doc *d, const char *path, char *err, size_t errlen)
{
    if (is_dir(path)) {
        DIR *dir = opendir(path);
        if (dir == NULL) {
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
            return -1;
        }
        tlist names = {0};
        struct dirent *e;
        while ((e = readdir(dir)) != NULL) {
            size_t n = strlen(e->d_name);
            if (n > 4 && strcmp(e->d_name + n - 4, ".sdn") == 0)
                tlist_add(&names, e->d_name);
        }
        closedir(dir);
        if (names.n > 1)
            qsort(names.v, names.n, sizeof *names.v, cmp_name);
        int rc = 0;
        for (size_t i = 0; i < names.n && rc == 0; i++) {
            tbuf p = {0};
            tbuf_printf(&p, "%s/%s", path, names.v[i]);
            rc = cov_doc_read_path(d, p.s, err, errlen);
            tbuf_free(&p);
        }
        tlist_free(&names);
        return rc;
    }
    size_t len;
    char *text = read_file(path, &len);
    if (text == NULL) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    int rc = cov_doc_read(d, text, len, path, err, errlen);
    free(text);
    return rc;
}

static int cmp_perf(const void *a, const void *b)
{
    const rtx_cov_perf *x = a, *y = b;
    if (x->ts != y->ts)
        return x->ts < y->ts ? -1 : 1;
    int c = strcmp(x->file, y->file);
    if (c)
        return c;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return x->dec < y->dec ? -1 : x->dec > y->dec;
}

void cov_doc_finish(cov_doc *d)
{
    rtx_cov_model *m = &d->m;
    rtx_cov_model_finish(m);
    size_t maxg = 1;
    const rtx_cov_row *v = m->rows[RTX_COV_VEC];
    for (size_t g = 0, e; g < m->nrows[RTX_COV_VEC]; g = e) {
        e = group_end(v, m->nrows[RTX_COV_VEC], g);
        if (e - g > maxg)
            maxg = e - g;
    }
    if (maxg > m->scratch_cap) {
        free(m->scratch);
        m->scratch = xcalloc(maxg, sizeof *m->scratch);
        m->scratch_cap = maxg;
    }
    if (d->nperf > 1)
        qsort(d->perf, d->nperf, sizeof *d->perf, cmp_perf);
    d->perf_at = 0;
    m->perf_next = d->nperf ? perf_next : NULL;
    m->perf_ctx = d;
}

char *cov_doc_write(cov_doc *d, size_t *len)
{
    d->perf_at = 0;
    rtx_cov_sink s;
    if (rtx_cov_sink_mem_init(&s) != 0)
        return NULL;
    rtx_cov_write(&d->m, &s);
    return rtx_cov_sink_mem_end(&s, len);
}

void cov_doc_free(cov_doc *d)
{
    for (int k = 0; k < 5; k++)
        free(d->m.rows[k]);
    free(d->m.scratch);
    for (size_t i = 0; i < d->nowned; i++)
        free(d->owned[i]);
    free(d->owned);
    free(d->perf);
    memset(d, 0, sizeof *d);
}

double cov_pct(uint64_t covered, uint64_t total)
{
    return total ? (double)covered / (double)total * 100.0 : 100.0;
}

void cov_doc_totals(cov_doc *d, cov_totals *t)
{
    memset(t, 0, sizeof *t);
    const rtx_cov_model *m = &d->m;
    for (size_t i = 0; i < m->nrows[RTX_COV_DEC]; i++) {
        t->dec++;
        t->dec_cov += m->rows[RTX_COV_DEC][i].n[0] && m->rows[RTX_COV_DEC][i].n[1];
    }
    for (size_t i = 0; i < m->nrows[RTX_COV_COND]; i++) {
        t->cond++;
        t->cond_cov += m->rows[RTX_COV_COND][i].n[0] && m->rows[RTX_COV_COND][i].n[1];
    }
    for (size_t i = 0; i < m->nrows[RTX_COV_PATH]; i++) {
        t->path++;
        t->path_cov += m->rows[RTX_COV_PATH][i].n[0] > 0;
    }
    const rtx_cov_row *v = m->rows[RTX_COV_VEC];
    size_t nv = m->nrows[RTX_COV_VEC];
    for (size_t g = 0, e; g < nv; g = e) {
        e = group_end(v, nv, g);
        rtx_cov_mcdc an;
        rtx_cov_mcdc_analyze(v + g, e - g, m->scratch, &an);
        t->mcdc += an.nconds;
        t->mcdc_uc += (uint64_t)__builtin_popcountll(an.unique_cause);
        t->mcdc_mask += (uint64_t)__builtin_popcountll(an.masking);
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char **cov_doc_files(cov_doc *d, size_t *n)
{
    size_t total = 0;
    for (int k = RTX_COV_DEC; k <= RTX_COV_VEC; k++)
        total += d->m.nrows[k];
    const char **v = xcalloc(total + 1, sizeof *v);
    size_t c = 0;
    for (int k = RTX_COV_DEC; k <= RTX_COV_VEC; k++)
        for (size_t i = 0; i < d->m.nrows[k]; i++)
            v[c++] = d->m.rows[k][i].k.file;
    qsort(v, c, sizeof *v, cmp_str);
    size_t out = 0;
    for (size_t i = 0; i < c; i++)
        if (out == 0 || strcmp(v[out - 1], v[i]) != 0)
            v[out++] = v[i];
    *n = out;
    return v;
}

/* ---- helpers ---- */

static void fail(rd *r, size_t row, const char *fmt, ...)
{
    if (r->failed)
        return;
    r->failed = 1;
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (row)
        snprintf(r->err, r->errlen, "%s: %s row %zu: %s", r->name, r->table, row, what);
    else
        snprintf(r->err, r->errlen, "%s: %s: %s", r->name, r->table ? r->table : "report", what);
}

static rtx_cov_row *add_row(cov_doc *d, int kind)
{
    if (d->m.nrows[kind] == d->cap[kind]) {
        d->cap[kind] = d->cap[kind] ? d->cap[kind] * 2 : 64;
        d->m.rows[kind] = xrealloc(d->m.rows[kind], d->cap[kind] * sizeof(rtx_cov_row));
    }
    rtx_cov_row *r = &d->m.rows[kind][d->m.nrows[kind]++];
    memset(r, 0, sizeof *r);
    r->k.kind = (uint32_t)kind;
    r->k.file = "";
    return r;
}

static void *own(cov_doc *d, void *p)
{
    if (d->nowned == d->capowned) {
        d->capowned = d->capowned ? d->capowned * 2 : 64;
        d->owned = xrealloc(d->owned, d->capowned * sizeof *d->owned);
    }
    d->owned[d->nowned++] = p;
    return p;
}

static int col(rd *r, const sdn_value *t, const char *name)
{
    int c = sdn_table_col_index(t, name);
    if (c < 0)
        fail(r, 0, "no column '%s'", name);
    return c;
}

static int cell_u32(rd *r, const sdn_value *t, size_t row, int c, uint32_t *out)
{
    const sdn_value *v = sdn_table_cell(t, row, (size_t)c);
    if (sdn_type_of(v) != SDN_INT || sdn_int(v) < 0 || sdn_int(v) > UINT32_MAX) {
        fail(r, row + 1, "'%s' is not an integer in 0..4294967295", sdn_table_col(t, (size_t)c));
        return -1;
    }
    *out = (uint32_t)sdn_int(v);
    return 0;
}

static int cell_count(rd *r, const sdn_value *t, size_t row, int c, uint64_t *out)
{
    const sdn_value *v = sdn_table_cell(t, row, (size_t)c);
    if (sdn_type_of(v) != SDN_INT || sdn_int(v) < 0) {
        fail(r, row + 1, "'%s' is not a count (an integer >= 0)", sdn_table_col(t, (size_t)c));
        return -1;
    }
    *out = (uint64_t)sdn_int(v);
    return 0;
}

static int cell_str(rd *r, const sdn_value *t, size_t row, int c, const char **s, size_t *n)
{
    const sdn_value *v = sdn_table_cell(t, row, (size_t)c);
    *s = sdn_str(v, n);
    if (*s == NULL) {
        fail(r, row + 1, "'%s' is not a string", sdn_table_col(t, (size_t)c));
        return -1;
    }
    return 0;
}

/* A file cell, un-escaped (%25 -> %, %2C -> ',', %0A -> newline). */
static int cell_file(rd *r, const sdn_value *t, size_t row, int c, const char **out)
{
    const char *s;
    size_t n;
    if (cell_str(r, t, row, c, &s, &n) != 0)
        return -1;
    char *raw = own(r->d, xmalloc(n + 1)), *o = raw;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n) {
            if (s[i + 1] == '2' && s[i + 2] == '5') { *o++ = '%'; i += 2; continue; }
            if (s[i + 1] == '2' && s[i + 2] == 'C') { *o++ = ','; i += 2; continue; }
            if (s[i + 1] == '0' && s[i + 2] == 'A') { *o++ = '\n'; i += 2; continue; }
        }
        *o++ = s[i];
    }
    *o = 0;
    *out = raw;
    return 0;
}

static void read_decisions(rd *r, const sdn_value *t, int cond)
{
    int cd = col(r, t, cond ? "decision_id" : "id"), cc = cond ? col(r, t, "condition_id") : 0;
    int cf = col(r, t, "file"), cl = col(r, t, "line"), co = col(r, t, "column");
    int ct = col(r, t, "true_count"), cx = col(r, t, "false_count");
    for (size_t i = 0; i < sdn_len(t) && !r->failed; i++) {
        rtx_cov_row *row = add_row(r->d, cond ? RTX_COV_COND : RTX_COV_DEC);
        if (cell_u32(r, t, i, cd, &row->k.dec) || (cond && cell_u32(r, t, i, cc, &row->k.cond)) ||
            cell_file(r, t, i, cf, &row->k.file) || cell_u32(r, t, i, cl, &row->k.line) ||
            cell_u32(r, t, i, co, &row->k.col) || cell_count(r, t, i, ct, &row->n[0]) ||
            cell_count(r, t, i, cx, &row->n[1]))
            r->d->m.nrows[row->k.kind]--;
    }
}

/* Only vector_overflow is data here; the rest is derived from the vectors. */
static void read_mcdc(rd *r, const sdn_value *t)
{
    int cd = col(r, t, "decision_id"), cf = col(r, t, "file"), cl = col(r, t, "line");
    int co = col(r, t, "column"), cv = col(r, t, "vector_overflow");
    for (size_t i = 0; i < sdn_len(t) && !r->failed; i++) {
        rtx_cov_row *row = add_row(r->d, RTX_COV_DEC);
        if (cell_u32(r, t, i, cd, &row->k.dec) || cell_file(r, t, i, cf, &row->k.file) ||
            cell_u32(r, t, i, cl, &row->k.line) || cell_u32(r, t, i, co, &row->k.col) ||
            cell_count(r, t, i, cv, &row->n[2]) || row->n[2] == 0)
            r->d->m.nrows[RTX_COV_DEC]--;   /* no overflow: nothing to add */
    }
}

static void read_vectors(rd *r, const sdn_value *t)
{
    int cd = col(r, t, "decision_id"), cf = col(r, t, "file"), cl = col(r, t, "line");
    int co = col(r, t, "column"), cv = col(r, t, "vector"), cr = col(r, t, "outcome");
    int cn = col(r, t, "count");
    for (size_t i = 0; i < sdn_len(t) && !r->failed; i++) {
        rtx_cov_row *row = add_row(r->d, RTX_COV_VEC);
        const char *v;
        size_t n;
        if (cell_u32(r, t, i, cd, &row->k.dec) || cell_file(r, t, i, cf, &row->k.file) ||
            cell_u32(r, t, i, cl, &row->k.line) || cell_u32(r, t, i, co, &row->k.col) ||
            cell_str(r, t, i, cv, &v, &n) || cell_count(r, t, i, cn, &row->n[0])) {
            r->d->m.nrows[RTX_COV_VEC]--;
            return;
        }
        const sdn_value *oc = sdn_table_cell(t, i, (size_t)cr);
        if (sdn_type_of(oc) != SDN_BOOL) {
            fail(r, i + 1, "'outcome' is not true or false");
            r->d->m.nrows[RTX_COV_VEC]--;
            return;
        }
        row->k.outcome = sdn_bool(oc);
        if (n > RTX_COV_MAX_CONDS) {
            fail(r, i + 1, "a vector has at most %d conditions", RTX_COV_MAX_CONDS);
            r->d->m.nrows[RTX_COV_VEC]--;
            return;
        }
        for (size_t c = 0; c < n; c++) {
            if (v[c] != 'T' && v[c] != 'F' && v[c] != '-') {
                fail(r, i + 1, "a vector holds only T, F and -");
                r->d->m.nrows[RTX_COV_VEC]--;
                return;
            }
            if (v[c] != '-')
                row->k.eval |= UINT64_C(1) << c;
            if (v[c] == 'T')
                row->k.tmask |= UINT64_C(1) << c;
        }
        if (row->k.eval == 0)   /* no condition evaluated: no MC/DC information */
            r->d->m.nrows[RTX_COV_VEC]--;
    }
}

static void read_paths(rd *r, const sdn_value *t)
{
    int cp = col(r, t, "path_id"), cb = col(r, t, "blocks"), cn = col(r, t, "hit_count");
    for (size_t i = 0; i < sdn_len(t) && !r->failed; i++) {
        rtx_cov_row *row = add_row(r->d, RTX_COV_PATH);
        const char *s;
        size_t n;
        if (cell_u32(r, t, i, cp, &row->k.dec) || cell_str(r, t, i, cb, &s, &n) ||
            cell_count(r, t, i, cn, &row->n[0])) {
            r->d->m.nrows[RTX_COV_PATH]--;
            return;
        }
        /* "3,1,4": block ids separated by single commas; "" is an empty path. */
        uint32_t *b = own(r->d, xcalloc(n / 2 + 1, sizeof *b)), nb = 0;
        for (size_t p = 0; p < n; p++) {
            uint64_t v = 0;
            size_t q = p;
            while (q < n && s[q] >= '0' && s[q] <= '9' && v <= UINT32_MAX)
                v = v * 10 + (uint64_t)(s[q++] - '0');
            int bad = q == p || v > UINT32_MAX || (q < n && s[q] != ',') || q + 1 == n;
            if (bad || nb == RTX_COV_MAX_TRACE) {
                fail(r, i + 1, "'blocks' is not a comma-separated list of block ids");
                r->d->m.nrows[RTX_COV_PATH]--;
                return;
            }
            b[nb++] = (uint32_t)v;
            p = q;   /* at the comma (or the end); the loop steps past it */
        }
        row->k.blocks = b;
        row->k.nblocks = nb;
    }
}

static void read_perf(rd *r, const sdn_value *t)
{
    int cf = col(r, t, "file"), cl = col(r, t, "line"), cd = col(r, t, "decision_id");
    int cs = col(r, t, "timestamp_ns");
    for (size_t i = 0; i < sdn_len(t) && !r->failed; i++) {
        rtx_cov_perf p;
        uint64_t ts;
        if (cell_file(r, t, i, cf, &p.file) || cell_u32(r, t, i, cl, &p.line) ||
            cell_u32(r, t, i, cd, &p.dec) || cell_count(r, t, i, cs, &ts))
            return;
        p.ts = ts;
        cov_doc *d = r->d;
        if (d->nperf == d->capperf) {
            d->capperf = d->capperf ? d->capperf * 2 : 64;
            d->perf = xrealloc(d->perf, d->capperf * sizeof *d->perf);
        }
        d->perf[d->nperf++] = p;
    }
}

static void read_summary(rd *r, const sdn_value *s)
{
    r->table = "summary";
    for (int c = 0; c < RTX_COV_NCTR; c++) {
        const sdn_value *v = sdn_get(s, rtx_cov_ctr_names[c]);
        if (v == NULL)
            continue;
        if (sdn_type_of(v) != SDN_INT || sdn_int(v) < 0) {
            fail(r, 0, "'%s' is not a count", rtx_cov_ctr_names[c]);
            return;
        }
        r->d->m.ctr[c] = rtx_cov_sat_add(r->d->m.ctr[c], (uint64_t)sdn_int(v));
    }
}

static int perf_next(void *ctx, rtx_cov_perf *out)
{
    cov_doc *d = ctx;
    if (d->perf_at >= d->nperf)
        return 0;
    *out = d->perf[d->perf_at++];
    return 1;
}
