/*
 * tools/cov_render.h — helpers the `simplert cov report` renderers share
 * (tools/cov_report.c, tools/cov_html.c). Private to tools/.
 */
#ifndef TOOLS_COV_RENDER_H
#define TOOLS_COV_RENDER_H

#include <stdio.h>

#include "tools/cov.h"

/* End of the run of VEC rows that belong to v[at]'s decision. */
size_t cov_group_end(const rtx_cov_row *v, size_t n, size_t at);
/* "TF-": the vector as text, w conditions wide (out holds w + 1 bytes). */
void cov_vector_str(char *out, const rtx_cov_key *k, uint32_t w);
/* Totals of one file's rows (paths have no file and are left out). */
void cov_file_totals(cov_doc *d, const char *file, cov_totals *t);
/* A JSON string literal. */
void cov_json_str(FILE *out, const char *s);

#endif /* TOOLS_COV_RENDER_H */
