/*
 * coverage_rt/instrument/dog_manifest.c — reading the manifests that
 * rtcov-instrument writes (layout in ins_manifest.c) and indexing a run's
 * report rows by manifest decision and condition.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "coverage_rt/instrument/dog.h"
#include "sdn/sdn.h"
#include "tools/util.h"

static const char *own(dmodel *m, const char *s)
{
    char *c = xstrdup(s ? s : "");
    D_PUSH(m->owned, m->nowned, m->capowned, c);
    return c;
}

typedef struct tab {
    const sdn_value *t;
    int col[16];
} tab;

/* Resolves the columns of table `key`; -1 if the table or a column is missing. */
static int tab_open(tab *t, const sdn_value *doc, const char *key, const char *const *cols,
                    size_t ncols)
{
    t->t = sdn_get(doc, key);
    if (t->t == NULL || sdn_type_of(t->t) != SDN_TABLE)
        return -1;
    for (size_t i = 0; i < ncols; i++)
        if ((t->col[i] = sdn_table_col_index(t->t, cols[i])) < 0)
            return -1;
    return 0;
}

static int64_t ci(const tab *t, size_t row, int c)
{
    return sdn_int(sdn_table_cell(t->t, row, (size_t)t->col[c]));
}

static const char *cs(const tab *t, size_t row, int c)
{
    const char *s = sdn_str(sdn_table_cell(t->t, row, (size_t)t->col[c]), NULL);
    return s ? s : "";
}

static int load_one(dmodel *m, const char *path)
{
    sdn_error err;
    sdn_value *doc = sdn_parse_file(path, &err);
    if (doc == NULL) {
        fprintf(stderr, "rtcov: %s: %s\n", path, err.msg);
        return -1;
    }
    if (sdn_get_int(doc, "rtcov_manifest", 0) != 1) {
        sdn_free(doc);
        return 0;   /* another kind of SDN file: not ours */
    }
    const char *file = own(m, sdn_get_str(doc, "file", ""));
    d_file f = {file, own(m, sdn_get_str(doc, "status", "")),
                own(m, sdn_get_str(doc, "status_reason", ""))};
    D_PUSH(m->file, m->nfile, m->capfile, f);

    static const char *const dcols[] = {"id", "line", "column", "kind", "conditions",
                                        "root_line", "root_column", "function", "path_id",
                                        "block_true", "block_false", "macro_leaf"};
    static const char *const ccols[] = {"decision", "condition", "line", "column", "op_line",
                                        "op_column", "macro"};
    static const char *const fcols[] = {"name", "path_id", "line", "column", "blocks",
                                        "acyclic_paths", "model"};
    static const char *const lcols[] = {"path_id", "loop", "parent", "kind", "marker", "exit"};
    static const char *const bcols[] = {"path_id", "block", "loop"};
    static const char *const scols[] = {"line", "column", "kind", "reason"};
    tab td, tc, tf, tl, tb, ts;
    if (tab_open(&td, doc, "decisions", dcols, 12) || tab_open(&tc, doc, "conditions", ccols, 7) ||
        tab_open(&tf, doc, "functions", fcols, 7) || tab_open(&tl, doc, "loops", lcols, 6) ||
        tab_open(&tb, doc, "blocks", bcols, 3) || tab_open(&ts, doc, "skipped", scols, 4)) {
        fprintf(stderr, "rtcov: %s: not a complete rtcov manifest\n", path);
        sdn_free(doc);
        return -1;
    }
    size_t cbase = m->ncond;
    for (size_t r = 0; r < sdn_len(tc.t); r++) {
        d_cond c = {file, (unsigned)ci(&tc, r, 0), (unsigned)ci(&tc, r, 1), (unsigned)ci(&tc, r, 2),
                    (unsigned)ci(&tc, r, 3), (unsigned)ci(&tc, r, 4), (unsigned)ci(&tc, r, 5),
                    (int)ci(&tc, r, 6)};
        D_PUSH(m->cond, m->ncond, m->capcond, c);
    }
    for (size_t r = 0; r < sdn_len(td.t); r++) {
        d_dec d = {.file = file, .kind = own(m, cs(&td, r, 3)), .function = own(m, cs(&td, r, 7)),
                   .id = (unsigned)ci(&td, r, 0), .line = (unsigned)ci(&td, r, 1),
                   .col = (unsigned)ci(&td, r, 2), .nconds = (unsigned)ci(&td, r, 4),
                   .root_line = (unsigned)ci(&td, r, 5), .root_col = (unsigned)ci(&td, r, 6),
                   .pid = (uint32_t)ci(&td, r, 8), .bt = (int)ci(&td, r, 9),
                   .bf = (int)ci(&td, r, 10), .macro_leaf = (int)ci(&td, r, 11),
                   .cond0 = SIZE_MAX};
        for (size_t c = cbase; c < m->ncond; c++)
            if (m->cond[c].dec == d.id && m->cond[c].cond == 0) {
                d.cond0 = c;
                break;
            }
        D_PUSH(m->dec, m->ndec, m->capdec, d);
    }
    for (size_t r = 0; r < sdn_len(tf.t); r++) {
        d_fn f2 = {.file = file, .name = own(m, cs(&tf, r, 0)), .pid = (uint32_t)ci(&tf, r, 1),
                   .line = (unsigned)ci(&tf, r, 2), .col = (unsigned)ci(&tf, r, 3),
                   .nblocks = (unsigned)ci(&tf, r, 4), .paths = (uint64_t)ci(&tf, r, 5),
                   .approx = strcmp(cs(&tf, r, 6), "exact") != 0};
        f2.block_loop = xcalloc(f2.nblocks ? f2.nblocks : 1, sizeof *f2.block_loop);
        for (size_t b = 0; b < sdn_len(tb.t); b++)
            if ((uint32_t)ci(&tb, b, 0) == f2.pid && ci(&tb, b, 1) >= 0 &&
                ci(&tb, b, 1) < (int64_t)f2.nblocks)
                f2.block_loop[ci(&tb, b, 1)] = (int)ci(&tb, b, 2);
        for (size_t l = 0; l < sdn_len(tl.t); l++)
            if ((uint32_t)ci(&tl, l, 0) == f2.pid && ci(&tl, l, 1) > f2.nloops)
                f2.nloops = (int)ci(&tl, l, 1);
        f2.loops = xcalloc((size_t)f2.nloops + 1, sizeof *f2.loops);
        for (size_t l = 0; l < sdn_len(tl.t); l++) {
            if ((uint32_t)ci(&tl, l, 0) != f2.pid)
                continue;
            int id = (int)ci(&tl, l, 1);
            const char *k = cs(&tl, l, 3);
            f2.loops[id] = (d_loop){id, (int)ci(&tl, l, 2), (int)ci(&tl, l, 4), (int)ci(&tl, l, 5),
                                    k[0] == 'd' ? 'd' : k[0] == 'f' ? 'f' : 'w'};
        }
        D_PUSH(m->fn, m->nfn, m->capfn, f2);
    }
    for (size_t r = 0; r < sdn_len(ts.t); r++) {
        d_skip s = {file, own(m, cs(&ts, r, 2)), own(m, cs(&ts, r, 3)), (unsigned)ci(&ts, r, 0),
                    (unsigned)ci(&ts, r, 1)};
        D_PUSH(m->skip, m->nskip, m->capskip, s);
    }
    sdn_free(doc);
    return 0;
}

static int load_path(dmodel *m, const char *path)
{
    if (!is_dir(path))
        return load_one(m, path);
    DIR *d = opendir(path);
    if (d == NULL) {
        perror(path);
        return -1;
    }
    tlist names = {0};
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            tlist_add(&names, e->d_name);
    closedir(d);
    tlist_sort(&names);
    int rc = 0;
    for (size_t i = 0; i < names.n && rc == 0; i++) {
        tbuf p = {0};
        tbuf_printf(&p, "%s/%s", path, names.v[i]);
        size_t len = strlen(p.s);
        if (is_dir(p.s) || (len > 4 && strcmp(p.s + len - 4, ".sdn") == 0))
            rc = load_path(m, p.s);
        tbuf_free(&p);
    }
    tlist_free(&names);
    return rc;
}

int dm_load(dmodel *m, char **paths, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (load_path(m, paths[i]) != 0)
            return -1;
    /* Path ids are global (the collector keys paths by id alone). */
    for (size_t i = 0; i < m->nfn; i++)
        for (size_t j = i + 1; j < m->nfn; j++)
            if (m->fn[i].pid == m->fn[j].pid) {
                fprintf(stderr,
                        "rtcov: path id %u is shared by %s:%s and %s:%s (FNV-1a collision); "
                        "rename one of them\n",
                        (unsigned)m->fn[i].pid, m->fn[i].file, m->fn[i].name, m->fn[j].file,
                        m->fn[j].name);
                return -1;
            }
    return 0;
}

void dm_free(dmodel *m)
{
    for (size_t i = 0; i < m->nfn; i++) {
        free(m->fn[i].block_loop);
        free(m->fn[i].loops);
    }
    for (size_t i = 0; i < m->nowned; i++)
        free(m->owned[i]);
    free(m->owned);
    free(m->file);
    free(m->dec);
    free(m->cond);
    free(m->fn);
    free(m->skip);
    memset(m, 0, sizeof *m);
}

const d_fn *dm_fn(const dmodel *m, uint32_t pid)
{
    for (size_t i = 0; i < m->nfn; i++)
        if (m->fn[i].pid == pid)
            return &m->fn[i];
    return NULL;
}

const d_dec *dm_dec(const dmodel *m, const char *file, unsigned id)
{
    for (size_t i = 0; i < m->ndec; i++)
        if (m->dec[i].id == id && strcmp(m->dec[i].file, file) == 0)
            return &m->dec[i];
    return NULL;
}

/* ---- a run's rows by manifest key ---- */

/* Index of the manifest decision for (file, id, line, col), by binary search
 * over a sorted copy of the keys. */
typedef struct dkey {
    const char *file;
    unsigned id, line, col;
    size_t at;
} dkey;

static int cmp_dkey(const void *pa, const void *pb)
{
    const dkey *a = pa, *b = pb;
    int c = strcmp(a->file, b->file);
    if (c)
        return c;
    if (a->id != b->id)
        return a->id < b->id ? -1 : 1;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if (a->col != b->col)
        return a->col < b->col ? -1 : 1;
    return 0;
}

int drun_load(drun *r, const dmodel *m, char **paths, size_t n)
{
    memset(r, 0, sizeof *r);
    char err[512];
    for (size_t i = 0; i < n; i++)
        if (cov_doc_read_path(&r->doc, paths[i], err, sizeof err) != 0) {
            fprintf(stderr, "rtcov: %s\n", err);
            return -1;
        }
    cov_doc_finish(&r->doc);
    r->dec_of = xmalloc((m->ndec + 1) * sizeof *r->dec_of);
    r->cond_of = xmalloc((m->ncond + 1) * sizeof *r->cond_of);
    r->mcdc = xcalloc(m->ndec + 1, sizeof *r->mcdc);
    r->has_vec = xcalloc(m->ndec + 1, 1);
    dkey *dk = xmalloc((m->ndec + 1) * sizeof *dk), *ck = xmalloc((m->ncond + 1) * sizeof *ck);
    for (size_t i = 0; i < m->ndec; i++) {
        dk[i] = (dkey){m->dec[i].file, m->dec[i].id, m->dec[i].line, m->dec[i].col, i};
        r->dec_of[i] = SIZE_MAX;
    }
    for (size_t i = 0; i < m->ncond; i++) {
        /* conditions are keyed (decision, condition << 16 | 0, line, col) */
        ck[i] = (dkey){m->cond[i].file, m->cond[i].dec << 16 | m->cond[i].cond, m->cond[i].line,
                       m->cond[i].col, i};
        r->cond_of[i] = SIZE_MAX;
    }
    qsort(dk, m->ndec, sizeof *dk, cmp_dkey);
    qsort(ck, m->ncond, sizeof *ck, cmp_dkey);
    const rtx_cov_model *cm = &r->doc.m;
    for (size_t i = 0; i < cm->nrows[RTX_COV_DEC]; i++) {
        const rtx_cov_key *k = &cm->rows[RTX_COV_DEC][i].k;
        dkey q = {k->file, k->dec, k->line, k->col, 0};
        dkey *hit = bsearch(&q, dk, m->ndec, sizeof *dk, cmp_dkey);
        if (hit)
            r->dec_of[hit->at] = i;
    }
    for (size_t i = 0; i < cm->nrows[RTX_COV_COND]; i++) {
        const rtx_cov_key *k = &cm->rows[RTX_COV_COND][i].k;
        if (k->cond >= 1u << 16 || k->dec >= 1u << 16)
            continue;
        dkey q = {k->file, k->dec << 16 | k->cond, k->line, k->col, 0};
        dkey *hit = bsearch(&q, ck, m->ncond, sizeof *ck, cmp_dkey);
        if (hit)
            r->cond_of[hit->at] = i;
    }
    const rtx_cov_row *v = cm->rows[RTX_COV_VEC];
    size_t nv = cm->nrows[RTX_COV_VEC];
    for (size_t g = 0, e; g < nv; g = e) {
        e = g + 1;
        while (e < nv && v[e].k.dec == v[g].k.dec && v[e].k.line == v[g].k.line &&
               v[e].k.col == v[g].k.col && strcmp(v[e].k.file, v[g].k.file) == 0)
            e++;
        dkey q = {v[g].k.file, v[g].k.dec, v[g].k.line, v[g].k.col, 0};
        dkey *hit = bsearch(&q, dk, m->ndec, sizeof *dk, cmp_dkey);
        if (hit) {
            rtx_cov_mcdc_analyze(v + g, e - g, cm->scratch, &r->mcdc[hit->at]);
            r->has_vec[hit->at] = 1;
        }
    }
    free(dk);
    free(ck);
    return 0;
}

void drun_free(drun *r, const dmodel *m)
{
    (void)m;
    cov_doc_free(&r->doc);
    free(r->dec_of);
    free(r->cond_of);
    free(r->mcdc);
    free(r->has_vec);
    memset(r, 0, sizeof *r);
}
