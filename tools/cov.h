/*
 * tools/cov.h — `simplert cov`: read coverage reports (sdn/), merge them,
 * and render them (text, JSON, LCOV, HTML) with coverage gates.
 *
 * A cov_doc holds a report model (coverage_rt/cov_report.h) and owns every
 * string and array the model points to. Reading several reports into one
 * doc and finishing it IS the merge: rows with equal keys fold, counts add
 * (saturating at INT64_MAX), vectors and paths form the union. Derived
 * sections (mcdc, mcdc_pairs, summary percentages) are recomputed, never
 * read, so merge is associative and commutative: merge(A, B) and merge(B, A)
 * write the same bytes.
 */
#ifndef TOOLS_COV_H
#define TOOLS_COV_H

#include <stddef.h>
#include <stdio.h>

#include "coverage_rt/cov_report.h"

typedef struct cov_doc {
    rtx_cov_model m;
    size_t cap[5];                /* allocated rows per kind */
    void **owned;                 /* strings and block arrays the rows point to */
    size_t nowned, capowned;
    rtx_cov_perf *perf;
    size_t nperf, capperf, perf_at;
} cov_doc;

/* Adds the report in text[0..len) to d. 0, or -1 with a message in err
 * ("where: what"); d keeps whatever rows were read before the error. */
int cov_doc_read(cov_doc *d, const char *text, size_t len, const char *name, char *err,
                 size_t errlen);
/* Reads a file, or every *.sdn file of a directory (sorted by name). */
int cov_doc_read_path(cov_doc *d, const char *path, char *err, size_t errlen);
/* Sorts, folds duplicates and prepares the analysis; call before writing
 * or rendering (reading more afterwards is allowed; finish again). */
void cov_doc_finish(cov_doc *d);
/* The report as SDN text (malloc'd; the caller frees it). */
char *cov_doc_write(cov_doc *d, size_t *len);
void cov_doc_free(cov_doc *d);

/* Totals used by renderers and gates. */
typedef struct cov_totals {
    uint64_t dec, dec_cov, cond, cond_cov, mcdc, mcdc_uc, mcdc_mask, path, path_cov;
} cov_totals;
void cov_doc_totals(cov_doc *d, cov_totals *t);
double cov_pct(uint64_t covered, uint64_t total);   /* 100.0 when total is 0 */

/* Renderers (tools/cov_report.c, tools/cov_html.c). 0, or -1 with errno set. */
int cov_render_text(cov_doc *d, FILE *out);
int cov_render_json(cov_doc *d, FILE *out);
int cov_render_lcov(cov_doc *d, FILE *out);
int cov_render_html(cov_doc *d, const char *dir);

/* Gate exit bits, OR'ed as gcovr does (2 stays "usage or input error"). */
enum { COV_FAIL_DECISION = 4, COV_FAIL_CONDITION = 8, COV_FAIL_MCDC = 16, COV_FAIL_PATH = 32 };

/* Distinct file names of the rows, sorted (borrowed strings; free the array). */
const char **cov_doc_files(cov_doc *d, size_t *n);

#endif /* TOOLS_COV_H */
