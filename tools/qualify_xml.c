/*
 * tools/qualify_xml.c — JUnit XML for other tools (CI servers, IDEs):
 * one <testsuite> per variant and Criterion suite, named "<variant>.<suite>",
 * from the results of every variant; and a "qualify" suite with one
 * <testcase> per gate stage. Cobertura comes from gcovr, LCOV from
 * qualify_cov.c.
 */
#include <stdlib.h>
#include <string.h>

#include "tools/qualify.h"

/* XML 1.0 text: the five entities escaped; control characters other than
 * tab and newline (not allowed in XML 1.0) become '?'. */
static void esc(tbuf *b, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&': tbuf_puts(b, "&amp;"); break;
        case '<': tbuf_puts(b, "&lt;"); break;
        case '>': tbuf_puts(b, "&gt;"); break;
        case '"': tbuf_puts(b, "&quot;"); break;
        case '\'': tbuf_puts(b, "&apos;"); break;
        default:
            if (c < 0x20 && c != '\t' && c != '\n')
                tbuf_puts(b, "?");
            else
                tbuf_put(b, s, 1);
        }
    }
}

static bool same_suite(const q_result *a, const q_result *b)
{
    return strcmp(a->variant, b->variant) == 0 && strcmp(a->suite, b->suite) == 0;
}

static void testcase(tbuf *b, const char *cls, const char *name, const char *status,
                     const char *message)
{
    tbuf_puts(b, "    <testcase classname=\"");
    esc(b, cls);
    tbuf_puts(b, "\" name=\"");
    esc(b, name);
    tbuf_puts(b, "\"");
    const char *tag = strcmp(status, "FAILED") == 0    ? "failure"
                      : strcmp(status, "ERRORED") == 0 ? "error"
                      : strcmp(status, "SKIPPED") == 0 ? "skipped"
                                                       : NULL;
    if (tag == NULL) {
        tbuf_puts(b, "/>\n");
        return;
    }
    tbuf_printf(b, ">\n      <%s message=\"", tag);
    const char *m = message && *message ? message : status;
    size_t first = strcspn(m, "\n");
    char *line = xstrndup(m, first);
    esc(b, line);
    free(line);
    tbuf_puts(b, "\">");
    esc(b, m);
    tbuf_printf(b, "</%s>\n    </testcase>\n", tag);
}

char *q_junit(const q_report *r)
{
    size_t tot = 0, fail = 0, err = 0, skip = 0;
    for (size_t k = 0; k < r->nresults; k++) {
        const char *st = r->results[k].status;
        tot++;
        fail += strcmp(st, "FAILED") == 0;
        err += strcmp(st, "ERRORED") == 0;
        skip += strcmp(st, "SKIPPED") == 0;
    }
    size_t gtot = 0, gfail = 0, gskip = 0;
    for (size_t k = 0; k < r->nstages; k++) {
        if (!r->stages[k].gate)
            continue;
        gtot++;
        gfail += r->stages[k].state == QS_FAIL;
        gskip += r->stages[k].state != QS_FAIL && r->stages[k].state != QS_OK;
    }
    tbuf b = {0};
    tbuf_printf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    "<testsuites name=\"simplert qualification\" tests=\"%zu\" failures=\"%zu\" "
                    "errors=\"%zu\" skipped=\"%zu\">\n",
                tot + gtot, fail + gfail, err, skip + gskip);
    tbuf_printf(&b, "  <testsuite name=\"qualify\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
                    "skipped=\"%zu\" time=\"%.1f\">\n",
                gtot, gfail, gskip, r->total_seconds);
    for (size_t k = 0; k < r->nstages; k++) {
        const q_stage *s = &r->stages[k];
        if (!s->gate)
            continue;
        const char *st = s->state == QS_FAIL ? "FAILED" : s->state == QS_OK ? "PASSED" : "SKIPPED";
        tbuf msg = {0};
        tbuf_printf(&msg, "%s: %s", q_state_name(s->state), s->note);
        testcase(&b, "qualify", s->name, st, msg.s);
        tbuf_free(&msg);
    }
    tbuf_puts(&b, "  </testsuite>\n");
    /* Results arrive grouped by file; a suite may appear in several runs of
     * a variant only when a family's suites share a name, so group by
     * (variant, suite) in first-appearance order. */
    bool *done = xcalloc(r->nresults + 1, sizeof *done);
    for (size_t k = 0; k < r->nresults; k++) {
        if (done[k])
            continue;
        size_t n = 0, f = 0, e = 0, sk = 0;
        for (size_t m = k; m < r->nresults; m++) {
            if (done[m] || !same_suite(&r->results[k], &r->results[m]))
                continue;
            n++;
            f += strcmp(r->results[m].status, "FAILED") == 0;
            e += strcmp(r->results[m].status, "ERRORED") == 0;
            sk += strcmp(r->results[m].status, "SKIPPED") == 0;
        }
        tbuf cls = {0};
        tbuf_printf(&cls, "%s.%s", r->results[k].variant, r->results[k].suite);
        tbuf_puts(&b, "  <testsuite name=\"");
        esc(&b, cls.s);
        tbuf_printf(&b, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\">\n", n, f,
                    e, sk);
        for (size_t m = k; m < r->nresults; m++) {
            if (done[m] || !same_suite(&r->results[k], &r->results[m]))
                continue;
            done[m] = true;
            testcase(&b, cls.s, r->results[m].test, r->results[m].status, r->results[m].message);
        }
        tbuf_puts(&b, "  </testsuite>\n");
        tbuf_free(&cls);
    }
    free(done);
    tbuf_puts(&b, "</testsuites>\n");
    return b.s;
}

int q_write_junit(const q_report *r, const char *path)
{
    char *x = q_junit(r);
    int rc = write_file(path, x, strlen(x));
    free(x);
    return rc;
}
