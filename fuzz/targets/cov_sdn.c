/*
 * fuzz/targets/cov_sdn.c — `simplert cov` merge and report on fuzzed SDN
 * (tools/cov.h; the reports rt_coverage_dump_sdn writes, spec/ffi/coverage.sdn).
 *
 * The input is split at the first NUL into two reports A and B (B may be
 * empty). Whatever the reader accepts must:
 *  - write a report that parses with sdn/ and reads back to the same text
 *    (write -> read -> write is the identity);
 *  - merge commutatively and associatively: merge(A, B) == merge(B, A) and
 *    merge(merge(A, B), A) == merge(A, merge(B, A)), byte for byte;
 *  - render as text, LCOV, and JSON that tools/json.h parses.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz/rtz.h"
#include "sdn/sdn.h"
#include "tools/cov.h"
#include "tools/json.h"

/* Reads the given texts (in order) into one finished doc; NULL if any fails. */
static char *merged(const char *const *texts, const size_t *lens, int n, cov_doc *keep)
{
    cov_doc d = {0};
    char err[256];
    for (int i = 0; i < n; i++) {
        if (cov_doc_read(&d, texts[i], lens[i], "fuzz", err, sizeof err) != 0) {
            cov_doc_free(&d);
            return NULL;
        }
    }
    cov_doc_finish(&d);
    char *t = cov_doc_write(&d, NULL);
    RTZ_CHECK(t != NULL);
    if (keep)
        *keep = d;
    else
        cov_doc_free(&d);
    return t;
}

static void render_checks(cov_doc *d)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    RTZ_CHECK(f != NULL);
    RTZ_CHECK(cov_render_json(d, f) == 0);
    fclose(f);
    char err[128];
    json *j = json_parse(buf, len, err, sizeof err);
    RTZ_CHECK(j != NULL);
    json_free(j);
    free(buf);
    buf = NULL;
    f = open_memstream(&buf, &len);
    RTZ_CHECK(cov_render_text(d, f) == 0 && cov_render_lcov(d, f) == 0);
    fclose(f);
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *a = (const char *)data;
    const char *nul = memchr(data, 0, size);
    size_t la = nul ? (size_t)(nul - a) : size;
    const char *b = nul ? nul + 1 : "";
    size_t lb = nul ? size - la - 1 : 0;

    cov_doc da;
    const char *ta[] = {a};
    char *wa = merged(ta, &la, 1, &da);
    if (wa == NULL)
        return 0;   /* not a report the reader accepts: nothing more to check */
    sdn_error e;
    sdn_value *v = sdn_parse(wa, strlen(wa), &e);
    RTZ_CHECK(v != NULL);
    sdn_free(v);
    render_checks(&da);
    cov_doc_free(&da);
    size_t lwa = strlen(wa);
    const char *tw[] = {wa};
    char *wa2 = merged(tw, &lwa, 1, NULL);
    RTZ_CHECK(wa2 != NULL && strcmp(wa, wa2) == 0);
    free(wa2);

    const char *tb[] = {b};
    char *wb = merged(tb, &lb, 1, NULL);
    if (wb != NULL) {
        size_t lwb = strlen(wb);
        const char *ab[] = {wa, wb}, *ba[] = {wb, wa};
        size_t lab[] = {lwa, lwb}, lba[] = {lwb, lwa};
        char *mab = merged(ab, lab, 2, NULL), *mba = merged(ba, lba, 2, NULL);
        RTZ_CHECK(mab && mba && strcmp(mab, mba) == 0);
        size_t lmab = strlen(mab), lmba = strlen(mba);
        const char *left[] = {mab, wa}, *right[] = {wa, mba};
        size_t ll[] = {lmab, lwa}, lr[] = {lwa, lmba};
        char *x = merged(left, ll, 2, NULL), *y = merged(right, lr, 2, NULL);
        RTZ_CHECK(x && y && strcmp(x, y) == 0);
        free(x);
        free(y);
        free(mab);
        free(mba);
        free(wb);
    }
    free(wa);
    return 0;
}
