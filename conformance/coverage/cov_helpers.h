/*
 * conformance/coverage/cov_helpers.h — helpers the coverage suites share:
 * take a report, parse it with sdn/ (every report must parse), and look up
 * rows of its tables by key. Everything is static so each suite gets a copy.
 */
#ifndef CONFORMANCE_COV_HELPERS_H
#define CONFORMANCE_COV_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformance/rtc.h"
#include "sdn/sdn.h"

/* The current report, which must parse; *text gets the text (free it with
 * rt_coverage_free_sdn) when text is not NULL. */
static inline sdn_value *cov_report(char **text)
{
    char *t = rt_coverage_dump_sdn();
    cr_assert_not_null(t, "rt_coverage_dump_sdn returned NULL");
    sdn_error e;
    sdn_value *doc = sdn_parse(t, strlen(t), &e);
    if (doc == NULL) {
        cr_log_error("report that does not parse:\n%s", t);
        rt_coverage_free_sdn(t);
        cr_assert_fail("the report does not parse with sdn/: %s", e.msg);
    }
    if (text)
        *text = t;
    else
        rt_coverage_free_sdn(t);
    return doc;
}

static inline int64_t cov_cell_int(const sdn_value *t, size_t row, const char *col)
{
    int c = sdn_table_col_index(t, col);
    cr_assert_geq(c, 0, "no column %s", col);
    const sdn_value *v = sdn_table_cell(t, row, (size_t)c);
    cr_assert_eq(sdn_type_of(v), SDN_INT, "column %s row %zu is not an int", col, row);
    return sdn_int(v);
}

static inline const char *cov_cell_str(const sdn_value *t, size_t row, const char *col)
{
    int c = sdn_table_col_index(t, col);
    cr_assert_geq(c, 0, "no column %s", col);
    const char *s = sdn_str(sdn_table_cell(t, row, (size_t)c), NULL);
    cr_assert_not_null(s, "column %s row %zu is not a string", col, row);
    return s;
}

/* Row index of the first row whose `idcol` is id and file is file (-1: none). */
static inline long cov_find(const sdn_value *t, const char *idcol, int64_t id, const char *file)
{
    for (size_t r = 0; r < sdn_len(t); r++)
        if (cov_cell_int(t, r, idcol) == id && strcmp(cov_cell_str(t, r, "file"), file) == 0)
            return (long)r;
    return -1;
}

static inline const sdn_value *cov_tab(const sdn_value *doc, const char *name)
{
    const sdn_value *t = sdn_get(doc, name);
    cr_assert_eq(sdn_type_of(t), SDN_TABLE, "the report has no table %s", name);
    return t;
}

static inline int64_t cov_summary(const sdn_value *doc, const char *key)
{
    const sdn_value *s = sdn_get(doc, "summary");
    cr_assert_eq(sdn_type_of(s), SDN_DICT, "no summary");
    const sdn_value *v = sdn_get(s, key);
    cr_assert_eq(sdn_type_of(v), SDN_INT, "summary %s is not an int", key);
    return sdn_int(v);
}

/* Decision counts for (id, file) in the decisions table; -1 when absent. */
static inline void cov_dec(const sdn_value *doc, int64_t id, const char *file, int64_t *t,
                           int64_t *f)
{
    const sdn_value *tab = cov_tab(doc, "decisions");
    long r = cov_find(tab, "id", id, file);
    *t = r < 0 ? -1 : cov_cell_int(tab, (size_t)r, "true_count");
    *f = r < 0 ? -1 : cov_cell_int(tab, (size_t)r, "false_count");
}

/* The mcdc_pairs row of (decision, file, condition): its two pair strings. */
static inline void cov_pairs(const sdn_value *doc, int64_t dec, const char *file, int64_t cond,
                             const char **uc, const char **mask)
{
    const sdn_value *t = cov_tab(doc, "mcdc_pairs");
    for (size_t r = 0; r < sdn_len(t); r++) {
        if (cov_cell_int(t, r, "decision_id") == dec &&
            strcmp(cov_cell_str(t, r, "file"), file) == 0 && cov_cell_int(t, r, "condition") == cond) {
            *uc = cov_cell_str(t, r, "unique_cause_pair");
            *mask = cov_cell_str(t, r, "masking_pair");
            return;
        }
    }
    cr_assert_fail("no mcdc_pairs row for decision %lld condition %lld", (long long)dec,
                   (long long)cond);
}

#endif /* CONFORMANCE_COV_HELPERS_H */
