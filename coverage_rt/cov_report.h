/*
 * coverage_rt/cov_report.h — the coverage report model, its SDN writer and
 * the MC/DC analysis. Shared by the in-process collector (rt_coverage_dump_sdn,
 * the exit and crash writers) and the `simplert cov` CLI, so that a report
 * written by a process and one written by `cov merge` are the same text for
 * the same data.
 *
 * Everything declared here is async-signal-safe (no allocation, no locks, no
 * stdio) except rtx_cov_sink_mem_init's flush, which reallocates.
 *
 * A model is a set of sorted row arrays, one per kind; rtx_cov_model_finish
 * sorts them and folds duplicate keys by adding their counts, so a model may
 * be built in any order (the CLI's merge relies on that).
 */
#ifndef RTX_COV_REPORT_H
#define RTX_COV_REPORT_H

#include <stddef.h>
#include <stdint.h>

/* Kinds of site. */
enum { RTX_COV_DEC = 1, RTX_COV_COND = 2, RTX_COV_VEC = 3, RTX_COV_PATH = 4 };

/* Bounds (documented in spec/ffi/coverage.sdn). */
#define RTX_COV_MAX_CONDS 64            /* conditions per decision in an MC/DC vector */
#define RTX_COV_MAX_VECTORS 1024        /* distinct vectors kept per decision */
#define RTX_COV_MAX_TRACE 65536         /* block ids kept per path trace */
#define RTX_COV_COUNT_MAX ((uint64_t)INT64_MAX)   /* counters saturate here */

/* The identity of one row. Pointers are borrowed from whoever built the model.
 *   DEC   dec, file, line, col
 *   COND  dec, cond, file, line, col
 *   VEC   dec, file, line, col (its decision's), eval, tmask (tmask ⊆ eval), outcome
 *   PATH  dec = path id, blocks[nblocks]                                        */
typedef struct rtx_cov_key {
    uint32_t kind, dec, cond, line, col, outcome, nblocks, pad_;
    const char *file;          /* raw name (not escaped), never NULL */
    uint64_t eval, tmask;
    const uint32_t *blocks;
} rtx_cov_key;

/* A row and its counts:
 *   DEC   n[0] true, n[1] false, n[2] MC/DC vectors not kept (over the cap)
 *   COND  n[0] true, n[1] false
 *   VEC   n[0] evaluations with this vector
 *   PATH  n[0] completed traces (0: a trace still open when the report was made) */
typedef struct rtx_cov_row {
    rtx_cov_key k;
    uint64_t n[3];
} rtx_cov_row;

/* Process-wide counters reported in `summary` after upstream's keys. */
enum {
    RTX_COV_C_FRAME_OVERFLOW,     /* conditions not tracked: frame stack full */
    RTX_COV_C_FRAMES_ABANDONED,   /* evaluation frames dropped without a decision probe */
    RTX_COV_C_WIDE_CONDITIONS,    /* condition evaluations with id >= 64 (kept out of vectors) */
    RTX_COV_C_PATH_TRUNCATED,     /* block ids dropped from traces longer than the cap */
    RTX_COV_C_PATH_OVERFLOW,      /* traces not kept: path store or trace stack full */
    RTX_COV_C_PATH_OPEN_DROPPED,  /* open traces left out of a report (snapshot budget) */
    RTX_COV_C_PERF_DROPPED,       /* perf_trace entries not kept (per-thread cap) */
    RTX_COV_C_PROBES_DROPPED,     /* probes not recorded: out of memory */
    RTX_COV_NCTR
};
extern const char *const rtx_cov_ctr_names[RTX_COV_NCTR];

typedef struct rtx_cov_perf {
    const char *file;
    uint32_t line, dec;
    uint64_t ts;
} rtx_cov_perf;

typedef struct rtx_cov_model {
    rtx_cov_row *rows[5];      /* indexed by kind; [0] unused */
    size_t nrows[5];
    uint64_t ctr[RTX_COV_NCTR];
    /* perf_trace rows in report order; NULL when there are none. Returns 1 and
     * fills *out, or 0 at the end. */
    int (*perf_next)(void *ctx, rtx_cov_perf *out);
    void *perf_ctx;
    /* Scratch for the MC/DC analysis: at least as many words as the largest
     * decision's vector count. */
    uint64_t *scratch;
    size_t scratch_cap;
} rtx_cov_model;

/* Order of rows (the upstream C collector's for DEC and COND: id, condition,
 * strcmp of the raw file name, line, column). */
int rtx_cov_key_cmp(const rtx_cov_key *a, const rtx_cov_key *b);
/* Sorts every row array and folds equal keys (counts add, saturating). */
void rtx_cov_model_finish(rtx_cov_model *m);
/* In-place heapsort (async-signal-safe, no allocation). */
void rtx_cov_sort_rows(rtx_cov_row *rows, size_t n);
uint64_t rtx_cov_sat_add(uint64_t a, uint64_t b);

/* ---- MC/DC analysis (coverage_rt/cov_mcdc.c has the definitions) ---- */
typedef struct rtx_cov_mcdc {
    uint32_t nconds;           /* 1 + highest condition evaluated in any vector */
    int consistent;            /* vectors fit the short-circuit model (masking analysed) */
    uint64_t unique_cause;     /* bit c: shown independent, unique-cause */
    uint64_t masking;          /* bit c: shown independent, masking (⊇ unique_cause) */
    uint32_t uc_pair[RTX_COV_MAX_CONDS][2];     /* indices into the vectors */
    uint32_t mask_pair[RTX_COV_MAX_CONDS][2];
} rtx_cov_mcdc;
/* vec: n VEC rows of one decision, sorted; scratch: n words. */
void rtx_cov_mcdc_analyze(const rtx_cov_row *vec, size_t n, uint64_t *scratch,
                          rtx_cov_mcdc *out);

/* ---- output ---- */
typedef struct rtx_cov_sink {
    char *buf;
    size_t len, cap;
    /* Makes room for at least `need` more bytes: writes the buffer out, or
     * grows it. Returns 0, or -1 (the sink then fails). */
    int (*flush)(struct rtx_cov_sink *s, size_t need);
    int fd;
    int failed;
} rtx_cov_sink;

void rtx_cov_put(rtx_cov_sink *s, const char *p, size_t n);
void rtx_cov_puts(rtx_cov_sink *s, const char *p);
void rtx_cov_put_u64(rtx_cov_sink *s, uint64_t v);
/* covered/total*100 with one decimal, rounded as Rust's {:.1} does; "100.0"
 * when total is 0. */
void rtx_cov_put_pct(rtx_cov_sink *s, uint64_t covered, uint64_t total);
/* A file name as upstream's C collector escapes it (% , CR LF), then quoted
 * only if an SDN reader would not read it back as one bare string. */
void rtx_cov_put_file(rtx_cov_sink *s, const char *raw);
/* The MC/DC vector of width w: "T", "F" or "-" per condition, quoted. */
void rtx_cov_put_vector(rtx_cov_sink *s, uint64_t eval, uint64_t tmask, uint32_t w);
/* Writes the whole report. Returns 0, or -1 when the sink failed. */
int rtx_cov_write(const rtx_cov_model *m, rtx_cov_sink *s);

/* A sink that flushes to a file descriptor with write(2) from buf[cap]. */
void rtx_cov_sink_fd_init(rtx_cov_sink *s, int fd, char *buf, size_t cap);
int rtx_cov_sink_fd_end(rtx_cov_sink *s);
/* A sink that grows a malloc'd, NUL-terminated buffer (not signal-safe). */
int rtx_cov_sink_mem_init(rtx_cov_sink *s);
/* Terminates and returns the text (caller frees with free()), or NULL when
 * the sink failed (the buffer is freed). */
char *rtx_cov_sink_mem_end(rtx_cov_sink *s, size_t *len);

#endif /* RTX_COV_REPORT_H */
