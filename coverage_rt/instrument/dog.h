/*
 * coverage_rt/instrument/dog.h — rtcov, the host tool that turns the
 * dogfood run into reports and checks them (a tool, not part of the
 * library; links tools/cov_*.c and the release library):
 *
 *   rtcov join      manifests + merged run -> reports/runtime-coverage.sdn (+ ratchet)
 *   rtcov paths     print the normalised paths of a run (debugging aid)
 *   rtcov xgcov     cross-check (a): simplert counts vs gcov's branch counts (gcovr JSON)
 *   rtcov xmcdc     cross-check (b): simplert unique-cause verdicts vs llvm-cov-19's
 *
 *   dog_manifest.c  reading manifests (coverage_rt/instrument/ins_manifest.c writes them)
 *   dog_paths.c     trace normalisation (the rule is in ins_paths.c)
 *   dog_join.c      the joined report and the ratchet
 *   dog_xcheck.c    both cross-checks
 *   dog_main.c      the command line
 */
#ifndef DOG_H
#define DOG_H

#include <stddef.h>
#include <stdint.h>

#include "tools/cov.h"

typedef struct d_dec {
    const char *file, *kind, *function;
    unsigned id, line, col, nconds, root_line, root_col;
    uint32_t pid;
    int bt, bf, macro_leaf;
    size_t cond0;            /* index of condition 0 in dmodel.cond */
} d_dec;
typedef struct d_cond {
    const char *file;
    unsigned dec, cond, line, col, op_line, op_col;
    int macro;
} d_cond;
typedef struct d_loop {
    int loop, parent, marker, exit;
    int kind;                /* 'w' while/for, 'd' do, 'f' forever */
} d_loop;
typedef struct d_fn {
    const char *file, *name;
    uint32_t pid;
    unsigned line, col, nblocks;
    uint64_t paths;
    int approx;
    int *block_loop;         /* [nblocks]: innermost loop of each block, 0 none */
    d_loop *loops;           /* [nloops + 1], index = loop id */
    int nloops;
} d_fn;
typedef struct d_skip {
    const char *file, *kind, *reason;
    unsigned line, col;
} d_skip;
typedef struct d_file {
    const char *name, *status, *reason;
} d_file;

typedef struct dmodel {
    d_file *file; size_t nfile, capfile;
    d_dec *dec; size_t ndec, capdec;
    d_cond *cond; size_t ncond, capcond;
    d_fn *fn; size_t nfn, capfn;
    d_skip *skip; size_t nskip, capskip;
    char **owned; size_t nowned, capowned;
} dmodel;

#define D_PUSH(arr, n, cap, item)                                                             \
    do {                                                                                      \
        if ((n) == (cap)) {                                                                   \
            (cap) = (cap) ? 2 * (cap) : 64;                                                    \
            (arr) = xrealloc((arr), (cap) * sizeof *(arr));                                  \
        }                                                                                     \
        (arr)[(n)++] = (item);                                                                \
    } while (0)

/* Reads manifests: files, or directories searched recursively for *.sdn.
 * 0, or -1 with a message on stderr. */
int dm_load(dmodel *m, char **paths, size_t n);
void dm_free(dmodel *m);
const d_fn *dm_fn(const dmodel *m, uint32_t pid);
/* The manifest decision (file, id), or NULL. */
const d_dec *dm_dec(const dmodel *m, const char *file, unsigned id);

/* Trace normalisation: out receives the kept blocks (capacity n); returns
 * how many. */
size_t dp_normalize(const d_fn *f, const uint32_t *b, size_t n, uint32_t *out);
/* Distinct normalised paths with hit_count > 0 of each function: fills
 * covered[i] for m->fn[i] (caller allocates nfn entries). Traces still open
 * at report time and fragments (no entry block) are counted, not covered.
 * Returns the number of path rows whose path id is in no manifest. */
size_t dp_cover(const dmodel *m, const cov_doc *run, uint64_t *covered, uint64_t *open_traces,
                uint64_t *fragments);

/* A run's rows looked up by their manifest key. */
typedef struct drun {
    cov_doc doc;
    size_t *dec_of;          /* [m->ndec]: DEC row index, or SIZE_MAX */
    size_t *cond_of;         /* [m->ncond]: COND row index, or SIZE_MAX */
    rtx_cov_mcdc *mcdc;      /* [m->ndec]: analysis of the decision's vectors */
    char *has_vec;           /* [m->ndec] */
} drun;
/* Reads a run (a report, or a directory of per-process reports). */
int drun_load(drun *r, const dmodel *m, char **paths, size_t n);
void drun_free(drun *r, const dmodel *m);

int dog_join(int argc, char **argv);
int dog_paths(int argc, char **argv);
int dog_xgcov(int argc, char **argv);
int dog_xmcdc(int argc, char **argv);

#endif /* DOG_H */
