/*
 * coverage_rt/instrument/ins_manifest.c — the manifest of one instrumented
 * file, as SDN (written with sdn/, so every manifest reads back):
 *
 *   rtcov_manifest: 1
 *   file: runtime/value.c           the name the probes record
 *   status: instrumented            or "not instrumented" (status_reason says why)
 *   decisions |id, line, column, kind, conditions, root_line, root_column,
 *              function, path_id, block_true, block_false, macro_leaf|
 *   conditions |decision, condition, line, column, op_line, op_column, macro|
 *   functions |name, path_id, line, column, blocks, acyclic_paths, model|
 *   loops |path_id, loop, parent, kind, marker, exit|
 *   blocks |path_id, block, loop|
 *   skipped |line, column, kind, reason|
 *
 * root_*: where the outermost && or || starts (the leaf for a one-condition
 * decision); op_*: where the condition's operand starts (with any `!` and
 * parentheses), which is where clang's MC/DC reports it; macro: 1 when the
 * condition is (or starts with) a macro expansion. model: "exact" or
 * "approx" (coverage_rt/instrument/ins_paths.c).
 */
#include <stdlib.h>
#include <string.h>

#include "coverage_rt/instrument/ins.h"
#include "sdn/sdn.h"

static sdn_value *table(sdn_value *root, const char *key, const char *cols)
{
    const char *names[16];
    char buf[256];
    size_t n = 0;
    strncpy(buf, cols, sizeof buf - 1);
    buf[sizeof buf - 1] = 0;
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t && n < 16;
         t = strtok_r(NULL, ",", &save))
        names[n++] = t;
    sdn_value *tb = sdn_new_table(n, names, NULL);
    sdn_dict_set(root, key, tb);
    return tb;
}

#define I(v) sdn_new_int((int64_t)(v))
#define S(v) sdn_new_cstr(v)

static int cmp_skip(const void *pa, const void *pb)
{
    const m_skip *a = pa, *b = pb;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if (a->col != b->col)
        return a->col < b->col ? -1 : 1;
    int c = strcmp(a->kind, b->kind);
    return c ? c : strcmp(a->reason, b->reason);
}

char *manifest_text(const manifest *m, size_t *len)
{
    sdn_value *root = sdn_new_dict();
    sdn_dict_set(root, "rtcov_manifest", I(1));
    sdn_dict_set(root, "file", S(m->file));
    sdn_dict_set(root, "status", S(m->status));
    if (m->status_reason)
        sdn_dict_set(root, "status_reason", S(m->status_reason));

    sdn_value *t = table(root, "decisions", "id,line,column,kind,conditions,root_line,root_column,"
                                            "function,path_id,block_true,block_false,macro_leaf");
    for (size_t i = 0; i < m->ndec; i++) {
        const m_decision *d = &m->dec[i];
        sdn_value *row[] = {I(d->id), I(d->line), I(d->col), S(d->kind), I(d->nconds),
                            I(d->root_line), I(d->root_col), S(d->function), I(d->path_id),
                            I(d->bt), I(d->bf), I(d->macro_leaf)};
        sdn_table_add_row(t, row);
    }
    t = table(root, "conditions", "decision,condition,line,column,op_line,op_column,macro");
    for (size_t i = 0; i < m->ncond; i++) {
        const m_condition *c = &m->cond[i];
        sdn_value *row[] = {I(c->dec), I(c->cond), I(c->line), I(c->col), I(c->op_line),
                            I(c->op_col), I(c->macro)};
        sdn_table_add_row(t, row);
    }
    t = table(root, "functions", "name,path_id,line,column,blocks,acyclic_paths,model");
    for (size_t i = 0; i < m->nfn; i++) {
        const m_function *f = &m->fn[i];
        sdn_value *row[] = {S(f->name), I(f->path_id), I(f->line), I(f->col), I(f->nblocks),
                            I(f->paths), S(f->approx ? "approx" : "exact")};
        sdn_table_add_row(t, row);
    }
    t = table(root, "loops", "path_id,loop,parent,kind,marker,exit");
    for (size_t i = 0; i < m->nloop; i++) {
        const m_loop *l = &m->loop[i];
        sdn_value *row[] = {I(l->path_id), I(l->loop), I(l->parent), S(l->kind), I(l->marker),
                            I(l->exit)};
        sdn_table_add_row(t, row);
    }
    t = table(root, "blocks", "path_id,block,loop");
    for (size_t i = 0; i < m->nblk; i++) {
        sdn_value *row[] = {I(m->blk[i].path_id), I(m->blk[i].block), I(m->blk[i].loop)};
        sdn_table_add_row(t, row);
    }
    /* Skipped decisions, sorted and without repeats (a macro argument is
     * expanded, and walked, once per use in the macro body). */
    m_skip *sk = NULL;
    if (m->nskip) {
        sk = malloc(m->nskip * sizeof *sk);
        if (sk)
            memcpy(sk, m->skip, m->nskip * sizeof *sk);
    }
    if (sk && m->nskip > 1)
        qsort(sk, m->nskip, sizeof *sk, cmp_skip);
    t = table(root, "skipped", "line,column,kind,reason");
    for (size_t i = 0; sk && i < m->nskip; i++) {
        if (i > 0 && cmp_skip(&sk[i - 1], &sk[i]) == 0)
            continue;
        sdn_value *row[] = {I(sk[i].line), I(sk[i].col), S(sk[i].kind), S(sk[i].reason)};
        sdn_table_add_row(t, row);
    }
    free(sk);
    char *text = sdn_write(root, len);
    sdn_free(root);
    return text;
}

void manifest_free(manifest *m)
{
    for (size_t i = 0; i < m->ndec; i++)
        free(m->dec[i].function);
    for (size_t i = 0; i < m->nfn; i++)
        free(m->fn[i].name);
    for (size_t i = 0; i < m->nskip; i++)
        free(m->skip[i].reason);
    free(m->dec);
    free(m->cond);
    free(m->fn);
    free(m->loop);
    free(m->blk);
    free(m->skip);
    free(m->status_reason);
    memset(m, 0, sizeof *m);
}
