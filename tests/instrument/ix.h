/*
 * tests/instrument/ix.h — what the instrumenter's tests share. The test
 * binary links the corpus (coverage_rt/instrument/corpus) twice: as written
 * (cx_* names) and as rtcov-instrument rewrote it, compiled with every
 * cx_ name renamed ix_cx_ (mk/dogfood.mk), so the two can be compared call
 * by call. IX_GEN_DIR holds the rewritten sources and their manifests.
 */
#ifndef TESTS_INSTRUMENT_IX_H
#define TESTS_INSTRUMENT_IX_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "coverage_rt/instrument/corpus/corpus.h"
#undef RTCOV_CORPUS_H
#include "ix_rename.h"
#include "coverage_rt/instrument/corpus/corpus.h"
#include "ix_unrename.h"
#include "coverage_rt/instrument/dog.h"
#include "simplert/coverage.h"
#include "tools/util.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define IX_LEAK_CHECK() cr_assert_eq(__lsan_do_recoverable_leak_check(), 0, "memory leaked")
#else
#define IX_LEAK_CHECK() ((void)0)
#endif

#ifndef IX_GEN_DIR
#error "IX_GEN_DIR: the folder of the rewritten corpus (mk/dogfood.mk sets it)"
#endif

/* The manifests of the rewritten corpus. */
static inline void ix_manifests(dmodel *m)
{
    char *dirs[] = {(char *)IX_GEN_DIR};
    memset(m, 0, sizeof *m);
    cr_assert_eq(dm_load(m, dirs, 1), 0, "cannot read the manifests in %s", IX_GEN_DIR);
    cr_assert_gt(m->nfile, 0, "no manifest in %s", IX_GEN_DIR);
}

/* The collector's report of this process so far, read back through the
 * manifests' keys (dump -> temporary file -> the join's reader). */
static inline void ix_run(const dmodel *m, drun *r)
{
    char *text = rt_coverage_dump_sdn();
    cr_assert_not_null(text);
    char path[] = "/tmp/ix-run-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    size_t len = strlen(text);
    cr_assert_eq(write(fd, text, len), (ssize_t)len);
    close(fd);
    rt_coverage_free_sdn(text);
    char *paths[] = {path};
    cr_assert_eq(drun_load(r, m, paths, 1), 0);
    unlink(path);
}

/* The manifest decision number `nth` (0-based, source order) of a function. */
static inline size_t ix_dec(const dmodel *m, const char *function, unsigned nth)
{
    for (size_t i = 0; i < m->ndec; i++)
        if (strcmp(m->dec[i].function, function) == 0 && nth-- == 0)
            return i;
    cr_assert_fail("no decision %u in %s", nth, function);
    return 0;
}

/* Counts of decision i (k < 0) or its condition k. */
static inline void ix_counts(const dmodel *m, const drun *r, size_t i, int k, uint64_t *t,
                             uint64_t *f)
{
    size_t row = k < 0 ? r->dec_of[i] : r->cond_of[m->dec[i].cond0 + (size_t)k];
    int kind = k < 0 ? RTX_COV_DEC : RTX_COV_COND;
    *t = *f = 0;
    if (row != SIZE_MAX) {
        *t = r->doc.m.rows[kind][row].n[0];
        *f = r->doc.m.rows[kind][row].n[1];
    }
}

static inline const d_fn *ix_fn(const dmodel *m, const char *name)
{
    for (size_t i = 0; i < m->nfn; i++)
        if (strcmp(m->fn[i].name, name) == 0)
            return &m->fn[i];
    cr_assert_fail("no function %s in the manifests", name);
    return NULL;
}

#endif /* TESTS_INSTRUMENT_IX_H */
