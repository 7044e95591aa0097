/*
 * tools/qualify_html.c — reports/index.html, the qualification dashboard:
 * one self-contained file (inline CSS and SVG, no script, no network).
 *
 * Sections: verdict and failing gates; stages with timings (an SVG bar
 * chart); summary figures; the family x function matrix in the spirit of
 * Mesa's features.txt (status, tests per sanitizer, fuzz target, OOM sites,
 * line coverage of the body); fuzz campaigns (SVG bars of executions); OOM
 * injection per suite and target; coverage per file against the floors;
 * benchmark ratios against their goals (SVG, log scale). The <main> element
 * carries data-verdict and data-functions, which the render check compares
 * with qualification.sdn.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tools/qualify.h"

static void h(tbuf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': tbuf_puts(b, "&amp;"); break;
        case '<': tbuf_puts(b, "&lt;"); break;
        case '>': tbuf_puts(b, "&gt;"); break;
        case '"': tbuf_puts(b, "&quot;"); break;
        default: tbuf_put(b, s, 1);
        }
    }
}

static void dur(tbuf *b, double s)
{
    long t = (long)(s + 0.5);
    if (t >= 3600)
        tbuf_printf(b, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        tbuf_printf(b, "%ld:%02ld", t / 60, t % 60);
}

static void count(tbuf *b, uint64_t n)
{
    if (n >= 10000000)
        tbuf_printf(b, "%.1fM", n / 1e6);
    else if (n >= 100000)
        tbuf_printf(b, "%.0fk", n / 1e3);
    else
        tbuf_printf(b, "%llu", (unsigned long long)n);
}

static const char css[] =
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;"
    "color:#1d2330;background:#f5f6f8}"
    "main{max-width:1320px;margin:0 auto;padding:24px 28px 60px}"
    "h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:34px 0 10px;"
    "border-bottom:2px solid #d8dce3;padding-bottom:4px}"
    ".meta{color:#5b6475;font-size:13px}"
    ".verdict{display:inline-block;padding:3px 14px;border-radius:14px;font-weight:700;"
    "color:#fff;margin-left:10px;font-size:15px;vertical-align:3px}"
    ".pass{background:#1f8a4c}.fail{background:#c62d2d}"
    ".gates{background:#fff1f0;border:1px solid #f0b4ae;border-radius:6px;padding:10px 16px;"
    "margin:16px 0}.gates li{margin:2px 0}"
    "table{border-collapse:collapse;background:#fff;width:100%;font-size:13px;"
    "box-shadow:0 1px 2px rgba(0,0,0,.06)}"
    "th,td{padding:4px 8px;border-bottom:1px solid #e7e9ee;text-align:left;vertical-align:top}"
    "th{background:#eef0f4;font-weight:600;position:sticky;top:0}"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}"
    "tr.fam td{background:#e3e8f2;font-weight:600;border-top:2px solid #c5cede}"
    ".st{display:inline-block;min-width:92px;text-align:center;border-radius:3px;"
    "padding:0 6px;font-size:12px;font-weight:600}"
    ".s-implemented,.s-ok,.s-clean,.s-pass{background:#d5f2df;color:#17613a}"
    ".s-partial,.s-skipped,.s-warn{background:#fff0c9;color:#7a5400}"
    ".s-planned,.s-na,.s-pending,.s-none{background:#eceef2;color:#6b7280}"
    ".s-out-of-scope{background:#f3f4f6;color:#9aa1ad}"
    ".s-fail,.s-crash,.s-error{background:#fbd5d2;color:#9b1c13}"
    ".bad{color:#b42318;font-weight:600}.good{color:#17613a}.dim{color:#8a93a3}"
    ".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:12px}"
    ".card{background:#fff;border-radius:6px;padding:10px 14px;"
    "box-shadow:0 1px 2px rgba(0,0,0,.06)}.card b{display:block;font-size:22px}"
    ".card span{color:#5b6475;font-size:12px}"
    ".bar{display:inline-block;height:9px;background:#dfe3ea;width:90px;border-radius:2px;"
    "vertical-align:middle;margin-right:6px;position:relative}"
    ".bar i{display:block;height:9px;border-radius:2px;background:#3d7be0}"
    "svg text{font:12px system-ui,sans-serif;fill:#1d2330}"
    "code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace}"
    "footer{margin-top:40px;color:#5b6475;font-size:12px}";

static const char *state_class(q_state s)
{
    switch (s) {
    case QS_OK: return "s-ok";
    case QS_FAIL: return "s-fail";
    case QS_SKIPPED: return "s-skipped";
    case QS_NA: return "s-na";
    default: return "s-pending";
    }
}

static void pct_bar(tbuf *b, int hit, int total, double floor_pct)
{
    double p = q_pct(hit, total);
    const char *col = floor_pct >= 0 && p + 1e-9 < floor_pct ? "#c62d2d" : p >= 80 ? "#1f8a4c"
                      : p >= 60                                     ? "#d9a021"
                                                                    : "#c62d2d";
    tbuf_printf(b, "<span class=\"bar\"><i style=\"width:%.0f%%;background:%s\"></i></span>%.1f%%",
                p, col, p);
}

/* ---- sections ------------------------------------------------------------------------ */

static void header(tbuf *b, const q_report *r)
{
    bool pass = r->gates.n == 0;
    tbuf_printf(b, "<h1>simplert qualification<span class=\"verdict %s\">%s</span></h1>\n",
                pass ? "pass" : "fail", pass ? "PASS" : "FAIL");
    tbuf_puts(b, "<div class=\"meta\">generated ");
    h(b, r->generated);
    tbuf_puts(b, " &middot; commit <code>");
    h(b, r->commit);
    tbuf_puts(b, "</code> &middot; ");
    h(b, r->host);
    tbuf_printf(b, " (%d CPUs) &middot; total ", r->cpus);
    dur(b, r->total_seconds);
    tbuf_puts(b, "</div>\n");
    if (!pass) {
        tbuf_puts(b, "<div class=\"gates\" id=\"failing-gates\"><b>Failing gates</b><ul>\n");
        for (size_t k = 0; k < r->gates.n; k++) {
            tbuf_puts(b, "<li>");
            h(b, r->gates.v[k]);
            tbuf_puts(b, "</li>\n");
        }
        tbuf_puts(b, "</ul></div>\n");
    }
}

static void stages(tbuf *b, const q_report *r)
{
    tbuf_puts(b, "<h2>Stages</h2>\n<table><tr><th>stage</th><th>state</th><th>gate</th>"
                 "<th class=n>time</th><th class=n>previous</th><th>what it says</th></tr>\n");
    double max = 1;
    for (size_t k = 0; k < r->nstages; k++)
        if (r->stages[k].seconds > max)
            max = r->stages[k].seconds;
    for (size_t k = 0; k < r->nstages; k++) {
        const q_stage *s = &r->stages[k];
        tbuf_puts(b, "<tr><td><b>");
        h(b, s->name);
        tbuf_puts(b, "</b><br><span class=dim>");
        h(b, s->title);
        tbuf_printf(b, "</span></td><td><span class=\"st %s\">%s</span></td><td>%s</td>"
                       "<td class=n>", state_class(s->state), q_state_name(s->state),
                    s->gate ? "gate" : "<span class=dim>report only</span>");
        if (s->state == QS_OK || s->state == QS_FAIL)
            dur(b, s->seconds);
        tbuf_puts(b, "</td><td class=n>");
        if (s->estimate > 0)
            dur(b, s->estimate);
        tbuf_puts(b, "</td><td><code>");
        h(b, s->note);
        tbuf_puts(b, "</code>");
        if (s->state == QS_OK || s->state == QS_FAIL)
            tbuf_printf(b, " <a href=\"logs/%s.log\">log</a>", s->name);
        tbuf_puts(b, "</td></tr>\n");
    }
    tbuf_puts(b, "</table>\n");
    /* Timings as bars. */
    int rowh = 20, left = 120, width = 760;
    size_t n = r->nstages;
    tbuf_printf(b, "<svg id=\"stage-times\" width=\"%d\" height=\"%zu\" role=\"img\" "
                   "aria-label=\"stage durations\">\n", left + width + 80, n * rowh + 10);
    for (size_t k = 0; k < n; k++) {
        const q_stage *s = &r->stages[k];
        double w = s->seconds / max * width;
        const char *col = s->state == QS_FAIL ? "#c62d2d"
                          : s->state == QS_OK ? "#3d7be0"
                                              : "#c9ced8";
        tbuf_printf(b, "<text x=\"%d\" y=\"%zu\" text-anchor=\"end\">", left - 8, k * rowh + 15);
        h(b, s->name);
        tbuf_printf(b, "</text><rect x=\"%d\" y=\"%zu\" width=\"%.1f\" height=\"14\" fill=\"%s\"/>",
                    left, k * rowh + 4, w < 1 ? 1 : w, col);
        if (s->estimate > 0) {
            double ew = s->estimate / max * width;
            tbuf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%zu\" y2=\"%zu\" stroke=\"#1d2330\" "
                           "stroke-dasharray=\"2,2\"/>", left + ew, left + ew, k * rowh + 2,
                        k * rowh + 20);
        }
        tbuf_printf(b, "<text x=\"%.1f\" y=\"%zu\">", left + (w < 1 ? 1 : w) + 6, k * rowh + 15);
        if (s->state == QS_OK || s->state == QS_FAIL)
            dur(b, s->seconds);
        else
            tbuf_puts(b, q_state_name(s->state));
        tbuf_puts(b, "</text>\n");
    }
    tbuf_puts(b, "</svg>\n<div class=dim>Bars: this run; dashed line: the previous run "
                 "(the estimate the progress display used).</div>\n");
}

static void cards(tbuf *b, const q_report *r)
{
    int impl = 0, part = 0, plan = 0;
    for (size_t k = 0; k < r->nfams; k++)
        impl += r->fams[k].implemented, part += r->fams[k].partial, plan += r->fams[k].planned;
    int tot[QV_N + 1] = {0}, pass[QV_N + 1] = {0};
    static const char *const vn[] = {"asan", "tsan", "vg", "gcov"};
    for (size_t k = 0; k < r->nresults; k++)
        for (int v = 0; v < 4; v++)
            if (strcmp(r->results[k].variant, vn[v]) == 0 &&
                strcmp(r->results[k].status, "SKIPPED") != 0) {
                tot[v]++;
                pass[v] += strcmp(r->results[k].status, "PASSED") == 0;
            }
    uint64_t execs = 0, crashes = 0, oruns = 0, osites = 0, ofail = 0;
    for (size_t k = 0; k < r->nfuzz; k++)
        execs += r->fuzz[k].execs, crashes += r->fuzz[k].crashes;
    for (size_t k = 0; k < r->noom; k++)
        oruns += r->oom[k].runs, osites += r->oom[k].sites, ofail += r->oom[k].failures;
    tbuf_puts(b, "<h2>Summary</h2>\n<div class=cards>\n");
    tbuf_printf(b, "<div class=card><b>%d / %zu</b><span>functions implemented (%d partial, "
                   "%d planned) in %zu families</span></div>\n",
                impl, r->nfuncs, part, plan, r->nfams);
    static const char *const label[] = {"ASan+UBSan", "TSan", "Valgrind", "gcov build"};
    for (int v = 0; v < 4; v++)
        tbuf_printf(b, "<div class=card><b class=\"%s\">%d / %d</b><span>tests passing under "
                       "%s%s</span></div>\n", pass[v] < tot[v] ? "bad" : "", pass[v], tot[v],
                    label[v], tot[v] ? "" : " (not run)");
    tbuf_puts(b, "<div class=card><b>");
    count(b, execs);
    tbuf_printf(b, "</b><span>AFL++ executions, <span class=\"%s\">%llu new crash%s</span></span>"
                   "</div>\n", crashes ? "bad" : "", (unsigned long long)crashes,
                crashes == 1 ? "" : "es");
    tbuf_printf(b, "<div class=card><b class=\"%s\">%llu</b><span>OOM failures in %llu "
                   "injected runs over %llu allocation sites</span></div>\n",
                ofail ? "bad" : "", (unsigned long long)ofail, (unsigned long long)oruns,
                (unsigned long long)osites);
    if (r->cov.have) {
        const q_cov_file *t = &r->cov.total;
        tbuf_printf(b, "<div class=card><b>%.1f%%</b><span>line coverage (branches %.1f%%, "
                       "decisions %.1f%%)</span></div>\n",
                    q_pct(t->lines_hit, t->lines), q_pct(t->branches_hit, t->branches),
                    q_pct(t->decisions_hit, t->decisions));
    }
    int goals = 0, met = 0;
    for (size_t k = 0; k < r->nbench; k++)
        if (r->bench[k].goal > 0)
            goals++, met += r->bench[k].met;
    tbuf_printf(b, "<div class=card><b>%d / %d</b><span>benchmark goals met (not a gate)</span>"
                   "</div>\n</div>\n", met, goals);
}

static void tests_cell(tbuf *b, const q_func *f, int v)
{
    if (f->tests[v] <= 0) {
        tbuf_puts(b, "<td class=\"n dim\">&mdash;</td>");
        return;
    }
    const char *cls = f->fail[v] ? "bad" : f->pass[v] == f->tests[v] && f->tests[v] ? "good" : "";
    tbuf_printf(b, "<td class=\"n %s\">%d/%d</td>", cls, f->pass[v], f->tests[v]);
}

static const q_fuzz *fuzz_of(const q_report *r, const char *target)
{
    for (size_t m = 0; target && m < r->nfuzz; m++)
        if (strcmp(r->fuzz[m].target, target) == 0)
            return &r->fuzz[m];
    return NULL;
}

/* One line per family: how far it is, and its facts summed over its rows. */
static void families(tbuf *b, const q_report *r)
{
    tbuf_puts(b, "<h2>Families</h2>\n<table id=\"families\"><tr><th>family</th><th>implemented"
                 "</th><th class=n>ASan</th><th class=n>TSan</th><th class=n>Valgrind</th>"
                 "<th class=n>fuzz executions</th><th class=n>OOM sites</th><th>lines of its "
                 "functions</th></tr>\n");
    for (size_t a = 0; a < r->nfams; a++) {
        const q_family *fam = &r->fams[a];
        int tests[QV_N] = {0}, pass[QV_N] = {0}, fail[QV_N] = {0}, lines = 0, hit = 0;
        int sites = 0, ofail = 0;
        uint64_t execs = 0, crashes = 0;
        tlist targets = {0};
        for (size_t k = 0; k < r->nfuncs; k++) {
            const q_func *f = &r->funcs[k];
            if (strcmp(f->family, fam->name) != 0)
                continue;
            for (int v = 0; v < QV_N; v++)
                if (f->tests[v] > 0)
                    tests[v] += f->tests[v], pass[v] += f->pass[v], fail[v] += f->fail[v];
            if (f->lines > 0)
                lines += f->lines, hit += f->lines_hit;
            sites += f->oom_sites, ofail += f->oom_failures;
            const q_fuzz *z = fuzz_of(r, f->fuzz);
            if (z && !tlist_has(&targets, z->target)) {
                tlist_add(&targets, z->target);
                execs += z->execs, crashes += z->crashes;
            }
        }
        tlist_free(&targets);
        int live = fam->rows - fam->out_of_scope;
        tbuf_printf(b, "<tr><td><a href=\"#fam-%s\">%s</a></td><td>", fam->name, fam->name);
        tbuf_printf(b, "<span class=\"bar\"><i style=\"width:%.0f%%;background:%s\"></i></span>"
                       "%d/%d%s</td>", live ? 100.0 * fam->implemented / live : 0,
                    fam->implemented == live && live ? "#1f8a4c" : "#3d7be0", fam->implemented,
                    live, fam->partial ? " (+partial)" : "");
        for (int v = 0; v < QV_N; v++) {
            if (tests[v] == 0)
                tbuf_puts(b, "<td class=\"n dim\">&mdash;</td>");
            else
                tbuf_printf(b, "<td class=\"n %s\">%d/%d</td>", fail[v] ? "bad" : "good", pass[v],
                            tests[v]);
        }
        tbuf_printf(b, "<td class=\"n %s\">", crashes ? "bad" : "");
        if (execs)
            count(b, execs);
        else
            tbuf_puts(b, "<span class=dim>&mdash;</span>");
        tbuf_printf(b, "%s</td><td class=\"n %s\">", crashes ? " crashed" : "", ofail ? "bad" : "");
        if (sites)
            tbuf_printf(b, "%d%s", sites, ofail ? " !" : "");
        else
            tbuf_puts(b, "<span class=dim>&mdash;</span>");
        tbuf_puts(b, "</td><td>");
        if (lines)
            pct_bar(b, hit, lines, -1);
        else
            tbuf_puts(b, "<span class=dim>&mdash;</span>");
        tbuf_puts(b, "</td></tr>\n");
    }
    tbuf_puts(b, "</table>\n");
}

static void func_row(tbuf *b, const q_report *r, const q_func *f)
{
    tbuf_puts(b, "<tr><td><code>");
    h(b, f->name);
    tbuf_printf(b, "</code>%s</td><td><span class=\"st s-%s\">", f->deviation
                    ? " <span class=dim title=\"deliberate deviation from upstream\">"
                      "&#9670;</span>" : "", f->status);
    h(b, f->status);
    tbuf_puts(b, "</span></td>");
    for (int v = 0; v < QV_N; v++)
        tests_cell(b, f, v);
    tbuf_puts(b, "<td>");
    const q_fuzz *z = fuzz_of(r, f->fuzz);
    if (f->fuzz) {
        h(b, f->fuzz);
        if (z && z->status) {
            tbuf_printf(b, " <span class=\"%s\">", z->crashes ? "bad" : "dim");
            count(b, z->execs);
            tbuf_printf(b, "%s</span>", z->crashes ? " CRASHED" : "");
        } else if (f->fuzz_state[0]) {
            tbuf_puts(b, " <span class=dim>");
            h(b, f->fuzz_state);
            tbuf_puts(b, "</span>");
        }
    } else {
        tbuf_puts(b, "<span class=dim>&mdash;</span>");
    }
    tbuf_puts(b, "</td>");
    if (f->oom_sites)
        tbuf_printf(b, "<td class=\"n %s\">%d%s</td>", f->oom_failures ? "bad" : "",
                    f->oom_sites, f->oom_failures ? " !" : "");
    else
        tbuf_puts(b, "<td class=\"n dim\">&mdash;</td>");
    tbuf_puts(b, "<td>");
    if (f->lines > 0)
        pct_bar(b, f->lines_hit, f->lines, -1);
    else
        tbuf_puts(b, "<span class=dim>&mdash;</span>");
    tbuf_puts(b, "</td></tr>\n");
}

/* Mesa's features.txt, as a table: every function under its family. Rows
 * out of scope are listed on one line per family. */
static void matrix(tbuf *b, const q_report *r)
{
    tbuf_puts(b, "<h2>Families and functions</h2>\n<div class=dim>Status from the spec rows "
                 "(checked by <code>simplert audit</code>; &#9670; a documented deviation from "
                 "upstream); tests that call the function, passing / run, per sanitizer; the "
                 "fuzz target and its executions; allocation sites OOM injection reached under "
                 "the function; gcov line coverage of its body.</div>\n"
                 "<table id=\"matrix\"><tr><th>function</th><th>status</th><th class=n>ASan"
                 "</th><th class=n>TSan</th><th class=n>Valgrind</th><th>fuzz target</th>"
                 "<th class=n>OOM sites</th><th>lines</th></tr>\n");
    for (size_t a = 0; a < r->nfams; a++) {
        const q_family *fam = &r->fams[a];
        tbuf_puts(b, "<tr class=fam id=\"fam-");
        h(b, fam->name);
        tbuf_puts(b, "\"><td colspan=8>");
        h(b, fam->name);
        tbuf_printf(b, " &mdash; %d function%s: %d implemented, %d partial, %d planned",
                    fam->rows, fam->rows == 1 ? "" : "s", fam->implemented, fam->partial,
                    fam->planned);
        if (fam->out_of_scope)
            tbuf_printf(b, ", %d out of scope", fam->out_of_scope);
        tbuf_puts(b, "</td></tr>\n");
        tbuf oos = {0};
        for (size_t k = 0; k < r->nfuncs; k++) {
            const q_func *f = &r->funcs[k];
            if (strcmp(f->family, fam->name) != 0)
                continue;
            if (strncmp(f->status, "out-of-scope", 12) == 0) {
                tbuf_puts(&oos, oos.len ? ", " : "");
                h(&oos, f->name);
                continue;
            }
            func_row(b, r, f);
        }
        if (oos.len)
            tbuf_printf(b, "<tr><td colspan=8><span class=\"st s-out-of-scope\">out of scope"
                           "</span> <code class=dim>%s</code></td></tr>\n", oos.s);
        tbuf_free(&oos);
    }
    tbuf_puts(b, "</table>\n");
}

static void fuzzing(tbuf *b, const q_report *r)
{
    tbuf_printf(b, "<h2>Fuzzing</h2>\n<div class=dim>AFL++ campaign (<code>simplert fuzz</code>, "
                   "%.0f s budget shared by the targets) and the regression replay + libFuzzer "
                   "smoke run. A crash is minimised into <code>fuzz/regressions/&lt;target&gt;/"
                   "</code>.</div>\n", r->fuzz_budget);
    tbuf_puts(b, "<table id=\"fuzz\"><tr><th>target</th><th>campaign</th><th class=n>time</th>"
                 "<th class=n>executions</th><th class=n>exec/s</th><th class=n>corpus</th>"
                 "<th class=n>crashes</th><th class=n>hangs</th><th>replay + smoke</th>"
                 "<th class=n>replayed</th></tr>\n");
    uint64_t max = 1;
    for (size_t k = 0; k < r->nfuzz; k++)
        if (r->fuzz[k].execs > max)
            max = r->fuzz[k].execs;
    for (size_t k = 0; k < r->nfuzz; k++) {
        const q_fuzz *z = &r->fuzz[k];
        tbuf_puts(b, "<tr><td><code>");
        h(b, z->target);
        tbuf_printf(b, "</code></td><td><span class=\"st s-%s\">%s</span></td>",
                    z->status ? z->status : "none", z->status ? z->status : "not run");
        tbuf_puts(b, "<td class=n>");
        if (z->status)
            dur(b, z->seconds);
        tbuf_puts(b, "</td><td class=n>");
        count(b, z->execs);
        tbuf_printf(b, "</td><td class=n>%.0f</td><td class=n>%llu</td><td class=\"n %s\">%llu"
                       "</td><td class=n>%llu</td>", z->eps, (unsigned long long)z->corpus,
                    z->crashes ? "bad" : "", (unsigned long long)z->crashes,
                    (unsigned long long)z->hangs);
        tbuf_printf(b, "<td><span class=\"st s-%s\">%s</span></td><td class=n>%ld</td></tr>\n",
                    z->smoke_status ? (strcmp(z->smoke_status, "clean") == 0 ? "clean" : "fail")
                                    : "none",
                    z->smoke_status ? z->smoke_status : "not run", z->replayed);
    }
    tbuf_puts(b, "</table>\n");
    if (r->nfuzz == 0)
        return;
    int rowh = 18, left = 130, width = 700;
    tbuf_printf(b, "<svg id=\"fuzz-execs\" width=\"%d\" height=\"%zu\" role=\"img\" "
                   "aria-label=\"executions per target\">\n", left + width + 90,
                r->nfuzz * rowh + 8);
    for (size_t k = 0; k < r->nfuzz; k++) {
        const q_fuzz *z = &r->fuzz[k];
        double w = (double)z->execs / (double)max * width;
        tbuf_printf(b, "<text x=\"%d\" y=\"%zu\" text-anchor=\"end\">", left - 8, k * rowh + 13);
        h(b, z->target);
        tbuf_printf(b, "</text><rect x=\"%d\" y=\"%zu\" width=\"%.1f\" height=\"12\" fill=\"%s\"/>"
                       "<text x=\"%.1f\" y=\"%zu\">", left, k * rowh + 3, w < 1 ? 1 : w,
                    z->crashes ? "#c62d2d" : "#3d7be0", left + (w < 1 ? 1 : w) + 6, k * rowh + 13);
        count(b, z->execs);
        tbuf_puts(b, "</text>\n");
    }
    tbuf_puts(b, "</svg>\n");
}

static void oom(tbuf *b, const q_report *r)
{
    tbuf_puts(b, "<h2>Out-of-memory injection</h2>\n<div class=dim><code>make oom</code>: every "
                 "test (suite) or corpus input (fuzz) again with one allocation failing. Failures: "
                 "a crash, a hang or a leak in the runtime. Suspects (not failures): a test that "
                 "crashed on a result it did not check, or a heap object left over by a test.</div>"
                 "\n<table id=\"oom\"><tr><th>suite / target</th><th>kind</th><th class=n>cases"
                 "</th><th class=n>allocations</th><th class=n>injected runs</th><th class=n>"
                 "sites</th><th class=n>failures</th><th class=n>suspects</th></tr>\n");
    for (size_t k = 0; k < r->noom; k++) {
        const q_oom *o = &r->oom[k];
        tbuf_puts(b, "<tr><td><code>");
        h(b, o->name);
        tbuf_puts(b, "</code></td><td>");
        h(b, o->kind);
        tbuf_printf(b, "</td><td class=n>%llu</td><td class=n>%llu</td><td class=n>%llu</td>"
                       "<td class=n>%llu</td><td class=\"n %s\">%llu</td><td class=n>%llu</td>"
                       "</tr>\n",
                    (unsigned long long)o->cases, (unsigned long long)o->allocations,
                    (unsigned long long)o->runs, (unsigned long long)o->sites,
                    o->failures ? "bad" : "", (unsigned long long)o->failures,
                    (unsigned long long)o->suspects);
    }
    if (r->noom == 0)
        tbuf_puts(b, "<tr><td colspan=8 class=dim>not run</td></tr>\n");
    tbuf_puts(b, "</table>\n");
}

static void coverage(tbuf *b, const q_report *r)
{
    tbuf_puts(b, "<h2>Coverage of the runtime</h2>\n");
    if (!r->cov.have) {
        tbuf_puts(b, "<div class=dim>not run</div>\n");
        return;
    }
    const q_cov_file *t = &r->cov.total;
    const int hit[] = {t->lines_hit, t->branches_hit, t->decisions_hit};
    const int tot[] = {t->lines, t->branches, t->decisions};
    const double fl[] = {r->cov.floor_line, r->cov.floor_branch, r->cov.floor_decision};
    static const char *const names[] = {"lines", "branches", "decisions"};
    tbuf_puts(b, "<svg id=\"coverage-floors\" width=\"620\" height=\"80\" role=\"img\" "
                 "aria-label=\"coverage against the floors\">\n");
    for (int k = 0; k < 3; k++) {
        double p = q_pct(hit[k], tot[k]);
        bool below = fl[k] >= 0 && p + 1e-9 < fl[k];
        tbuf_printf(b, "<text x=\"80\" y=\"%d\" text-anchor=\"end\">%s</text>"
                       "<rect x=\"90\" y=\"%d\" width=\"400\" height=\"14\" fill=\"#dfe3ea\"/>"
                       "<rect x=\"90\" y=\"%d\" width=\"%.1f\" height=\"14\" fill=\"%s\"/>"
                       "<text x=\"500\" y=\"%d\">%.1f%%</text>",
                    k * 24 + 15, names[k], k * 24 + 4, k * 24 + 4, p * 4,
                    below ? "#c62d2d" : "#1f8a4c", k * 24 + 15, p);
        if (fl[k] >= 0)
            tbuf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#1d2330\" "
                           "stroke-width=\"2\"/><text x=\"550\" y=\"%d\" class=dim>floor %.1f"
                           "</text>", 90 + fl[k] * 4, 90 + fl[k] * 4, k * 24 + 1, k * 24 + 21,
                        k * 24 + 15, fl[k]);
        tbuf_puts(b, "\n");
    }
    tbuf_puts(b, "</svg>\n<table id=\"coverage\"><tr><th>file</th><th>lines</th><th>branches"
                 "</th><th>decisions</th><th class=n>lines</th></tr>\n");
    for (size_t k = 0; k <= r->cov.n; k++) {
        const q_cov_file *c = k < r->cov.n ? &r->cov.files[k] : t;
        tbuf_printf(b, "<tr%s><td><code>", k == r->cov.n ? " class=fam" : "");
        h(b, c->file);
        tbuf_puts(b, "</code></td><td>");
        pct_bar(b, c->lines_hit, c->lines, k == r->cov.n ? fl[0] : -1);
        tbuf_puts(b, "</td><td>");
        pct_bar(b, c->branches_hit, c->branches, k == r->cov.n ? fl[1] : -1);
        tbuf_puts(b, "</td><td>");
        pct_bar(b, c->decisions_hit, c->decisions, k == r->cov.n ? fl[2] : -1);
        tbuf_printf(b, "</td><td class=n>%d/%d</td></tr>\n", c->lines_hit, c->lines);
    }
    tbuf_puts(b, "</table>\n");
}

/* Ratios on a log2 axis from 1/16 to 64; parity (1) and each goal marked. */
static double lx(double ratio)
{
    double l = log2(ratio > 0 ? ratio : 1.0 / 64);
    if (l < -4)
        l = -4;
    if (l > 6)
        l = 6;
    return 260 + (l + 4) * 50;
}

static void bench(tbuf *b, const q_report *r)
{
    tbuf_puts(b, "<h2>Benchmarks</h2>\n<div class=dim>Ours against the named peer in one "
                 "process, alternating, medians; the ratio is oriented so that right of 1 is "
                 "better for us. Goals are reported, not gated: the machine is shared and "
                 "noisy.</div>\n");
    if (r->nbench == 0) {
        tbuf_puts(b, "<div class=dim>not run</div>\n");
        return;
    }
    int rowh = 20;
    tbuf_printf(b, "<svg id=\"bench-ratios\" width=\"880\" height=\"%zu\" role=\"img\" "
                   "aria-label=\"benchmark ratios\">\n", r->nbench * rowh + 34);
    for (int e = -4; e <= 6; e += 2) {
        double x = lx(pow(2, e));
        tbuf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"0\" y2=\"%zu\" stroke=\"%s\"/>"
                       "<text x=\"%.1f\" y=\"%zu\" text-anchor=\"middle\">%g&#215;</text>\n", x, x,
                    r->nbench * rowh + 4, e == 0 ? "#1d2330" : "#e1e4ea", x,
                    r->nbench * rowh + 20, pow(2, e));
    }
    for (size_t k = 0; k < r->nbench; k++) {
        const q_bench *x = &r->bench[k];
        /* Oriented: > 1 is better for us whichever way the metric goes. */
        bool lower = strcmp(x->better, "lower") == 0;
        double good = x->ratio > 0 ? (lower ? 1 / x->ratio : x->ratio) : 0;
        double goal = x->goal > 0 ? (lower ? 1 / x->goal : x->goal) : 0;
        double x0 = lx(1), x1 = lx(good);
        tbuf_printf(b, "<text x=\"250\" y=\"%zu\" text-anchor=\"end\">", k * rowh + 14);
        h(b, x->bench);
        tbuf_puts(b, ": ");
        h(b, x->name);
        tbuf_printf(b, "</text><rect x=\"%.1f\" y=\"%zu\" width=\"%.1f\" height=\"12\" "
                       "fill=\"%s\"/>", x1 < x0 ? x1 : x0, k * rowh + 4, fabs(x1 - x0) + 1,
                    x->goal <= 0 ? "#8a93a3" : x->met ? "#1f8a4c" : "#d9a021");
        if (goal > 0)
            tbuf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%zu\" y2=\"%zu\" stroke=\"#c62d2d\" "
                           "stroke-width=\"2\"/>", lx(goal), lx(goal), k * rowh + 1,
                        k * rowh + 19);
        tbuf_printf(b, "<text x=\"%.1f\" y=\"%zu\">%.2f&#215;</text>\n", lx(64) + 10,
                    k * rowh + 14, good);
    }
    tbuf_puts(b, "</svg>\n<table id=\"bench\"><tr><th>benchmark</th><th>case</th><th>peer</th>"
                 "<th class=n>ours</th><th class=n>peer</th><th>unit</th><th class=n>ratio</th>"
                 "<th class=n>goal</th><th>met</th></tr>\n");
    for (size_t k = 0; k < r->nbench; k++) {
        const q_bench *x = &r->bench[k];
        tbuf_puts(b, "<tr><td>");
        h(b, x->bench);
        tbuf_puts(b, "</td><td>");
        h(b, x->name);
        tbuf_puts(b, "</td><td>");
        h(b, x->peer);
        tbuf_printf(b, "</td><td class=n>%.4g</td><td class=n>%.4g</td><td>", x->ours,
                    x->peer_median);
        h(b, x->unit);
        tbuf_printf(b, " (%s is better)</td><td class=n>%.3g</td><td class=n>", x->better,
                    x->ratio);
        if (x->goal > 0)
            tbuf_printf(b, "%.3g</td><td><span class=\"st %s\">%s</span></td></tr>\n", x->goal,
                        x->met ? "s-ok" : "s-warn", x->met ? "met" : "not met");
        else
            tbuf_puts(b, "&mdash;</td><td class=dim>informational</td></tr>\n");
    }
    tbuf_puts(b, "</table>\n");
}

char *q_html(const q_report *r)
{
    tbuf b = {0};
    tbuf_printf(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n"
                    "<title>simplert qualification: %s</title>\n<style>%s</style></head>\n<body>"
                    "<main id=\"dashboard\" data-verdict=\"%s\" data-functions=\"%zu\" "
                    "data-stages=\"%zu\">\n",
                r->gates.n ? "FAIL" : "PASS", css, r->gates.n ? "fail" : "pass", r->nfuncs,
                r->nstages);
    header(&b, r);
    stages(&b, r);
    cards(&b, r);
    families(&b, r);
    matrix(&b, r);
    fuzzing(&b, r);
    oom(&b, r);
    coverage(&b, r);
    bench(&b, r);
    tbuf_puts(&b, "<footer>Written by <code>simplert qualify</code>. The same data: "
                  "<a href=\"qualification.sdn\">qualification.sdn</a>; for other tools: "
                  "<a href=\"junit.xml\">JUnit XML</a>, <a href=\"coverage/cobertura.xml\">"
                  "Cobertura XML</a>, <a href=\"coverage/lcov.info\">LCOV</a>; the audit: "
                  "<a href=\"stub-status.md\">stub-status.md</a>.</footer>\n</main></body>"
                  "</html>\n");
    return b.s;
}

int q_write_html(const q_report *r, const char *path)
{
    char *x = q_html(r);
    int rc = write_file(path, x, strlen(x));
    free(x);
    return rc;
}
