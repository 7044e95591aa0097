/*
 * tools/qualify_cmd.c — `simplert qualify` (what `make qualify` runs): every
 * qualification stage as a subprocess with a progress display, then the
 * reports, then the failing gates and the exit status.
 *
 * The stage list is data (stages[] below). A stage names the make target it
 * runs; when that target does not exist in the Makefile yet (a family or a
 * tool still to land, like `make dogfood`), the stage shows "n/a" instead of
 * failing, and runs as soon as the target appears. Each stage's output goes
 * to reports/logs/<stage>.log; the line that summarises it (its "markers")
 * is shown on the dashboard. Durations are kept in reports/qualify-times.sdn
 * and are the next run's estimates.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sdn/sdn.h"
#include "tools/cli.h"
#include "tools/proc.h"
#include "tools/qualify.h"

/* The stages, in order. cmd: %J the parallel jobs, %F the fuzz budget (s). */
#define S(n, t, p, c, m, d, g)                                                             \
    {.name = n, .title = t, .probe = p, .cmd = c, .markers = m, .needs = d, .gate = g}
static const q_stage stage_table[] = {
    S("deps", "install the Debian packages qualify needs (ci/deps.sh --qualify)", "deps",
     "ci/deps.sh --qualify", "ci/deps.sh", NULL, true),
    S("build", "release library and CLI, -Wall -Wextra -Werror", "all",
     "make --no-print-directory -j%J V=release all", "error:|warning:", "deps", true),
    S("spec", "spec rows against the public headers (simplert spec check)", "spec-check",
     "make --no-print-directory spec-check", "spec", "build", true),
    S("asan", "conformance and unit suites under ASan+UBSan", "run-conformance",
     "make --no-print-directory -s -j%J V=asan suites && "
     "make --no-print-directory -s V=asan run-conformance run-unit",
     "total:|FAILED", "build", true),
    S("tsan", "the concurrent families' suites under ThreadSanitizer", "tsan",
     "make --no-print-directory -s -j%J tsan", "total:|FAILED|tsan:", "build", true),
    S("valgrind", "conformance and unit suites under Valgrind memcheck", "valgrind",
     "make --no-print-directory -s -j%J valgrind", "total:|FAILED", "build", true),
    S("fuzz-replay", "corpora and regressions replayed under ASan+UBSan, then libFuzzer briefly",
     "fuzz-smoke", "make --no-print-directory -s -j%J fuzz-smoke FUZZ_SMOKE_TIME=10",
     "targets clean|FAILED", "build", true),
    S("fuzz", "AFL++ campaign, one budget shared by the targets (simplert fuzz)", "fuzz",
     "make --no-print-directory -s fuzz FUZZ_TIME=%F FUZZ_JOBS=%J", "[fuzz] clean|FAILED",
     "build", true),
    S("oom", "OOM fault injection: every test and corpus input, one allocation failing",
     "oom", "make --no-print-directory -s oom OOM_ARGS='--max 0'",
     "oom total|oom: FAILED", "build", true),
    S("dogfood", "the runtime instrumented by its own coverage collector, cross-checked",
     "dogfood", "make --no-print-directory dogfood dogfood-crosscheck", "dogfood|mismatch", "build", true),
    S("coverage", "gcov line, branch and decision coverage against ci/coverage-floor.sdn",
     "coverage", "make --no-print-directory -s coverage", "coverage of|FAILED", "build", true),
    S("install", "make install into a temporary prefix, a pkg-config downstream build",
     "install-check", "make --no-print-directory -s install-check", "install", "build", true),
    S("audit", "stub-status report: fails when a fact contradicts a spec row", "audit",
     "make --no-print-directory -s audit", "audit:", "build", true),
    S("bench", "benchmarks against their peers; goals reported, not gated", "bench",
     "make --no-print-directory -s bench", "bench ", "build", false),
    S("render", "the dashboard rendered by headless Chromium, DOM and console checked",
     "@chromium", NULL, "render:", NULL, true),
};
#define NSTAGES (sizeof stage_table / sizeof stage_table[0])

static const char usage_head[] =
    "usage: simplert qualify [options]\n"
    "       simplert qualify coverage-check [--ratchet] ...   (see its --help)\n"
    "\n"
    "Runs the qualification stages in order, each as a subprocess with its output in\n"
    "reports/logs/<stage>.log and a progress line (stage, elapsed, the estimate from\n"
    "the previous run), then writes reports/index.html (the dashboard),\n"
    "reports/qualification.sdn, reports/junit.xml, reports/coverage/{cobertura.xml,\n"
    "lcov.info}, and reports/dashboard.png. A failed stage does not stop the run: later\n"
    "stages run unless one they need failed. Exits 1 listing the failing gates.\n"
    "\n"
    "Stages (a stage whose make target does not exist yet shows n/a, not a failure):\n";

static const char usage_tail[] =
    "\n"
    "  --fuzz-time T     the AFL++ campaign's budget, shared by the targets (seconds, or\n"
    "                    with s/m/h; default 10m)\n"
    "  --jobs N          parallel jobs for make and fuzzing (default: CPUs)\n"
    "  --skip S[,S...]   do not run these stages (repeatable)\n"
    "  --only S[,S...]   run only these stages (repeatable); the reports are still written\n"
    "  --keep-going      run a stage even when a stage it needs failed\n"
    "  --list            print the stages, whether each is available, and the estimates\n"
    "  --report-only     run no stage: write the reports from what reports/ holds\n"
    "  --no-progress     plain lines even on a terminal\n"
    "\n"
    "The environment of every stage has SIMPLERT_STRESS=1 (the suites' long runs).\n"
    "Exit status: 0 every gate passed; 1 a gate failed (listed at the end); 2 usage.\n";

typedef struct q_opts {
    double fuzz_time;
    int jobs;
    tlist skip, only;
    bool keep_going, list, report_only, progress;
} q_opts;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void fmt_dur(char *buf, size_t n, double s)
{
    long t = (long)(s + 0.5);
    snprintf(buf, n, "%ld:%02ld", t / 60, t % 60);
}

static void add_list(tlist *l, const char *csv)
{
    char *copy = xstrdup(csv);
    for (char *tok = strtok(copy, ","); tok; tok = strtok(NULL, ","))
        tlist_add(l, tok);
    free(copy);
}

/* ---- availability -------------------------------------------------------------------- */

/* The Makefile's targets: `make -pq` prints its database without running
 * anything (a name that is no target is marked "# Not a target:"). */
static void make_targets(tlist *out)
{
    char *db = proc_capture("make -pq --no-print-directory __simplert_qualify_probe__", false,
                            NULL);
    if (db == NULL)
        return;
    const char *prev = "";
    for (char *line = strtok(db, "\n"); line; line = strtok(NULL, "\n")) {
        size_t n = strspn(line, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                "0123456789_.-/");
        if (n > 0 && line[n] == ':' && line[n + 1] != '=' && strcmp(prev, "# Not a target:") != 0) {
            char *name = xstrndup(line, n);
            if (!tlist_has(out, name))
                tlist_add(out, name);
            free(name);
        }
        prev = line;
    }
    free(db);
}

static bool in_path(const char *prog)
{
    tbuf c = {0};
    tbuf_puts(&c, "command -v ");
    proc_shell_quote(&c, prog);
    int st;
    char *out = proc_capture(c.s, false, &st);
    tbuf_free(&c);
    bool ok = out && st == 0 && out[0];
    free(out);
    return ok;
}

static bool available(const q_stage *s, const tlist *targets)
{
    if (s->probe == NULL)
        return true;
    if (s->probe[0] == '@')
        return in_path(s->probe + 1);
    return tlist_has(targets, s->probe);
}

/* ---- estimates: reports/qualify-times.sdn -------------------------------------------- */

static void read_times(q_stage *st, size_t n)
{
    sdn_error e;
    sdn_value *doc = file_exists("reports/qualify-times.sdn")
                         ? sdn_parse_file("reports/qualify-times.sdn", &e) : NULL;
    const sdn_value *t = sdn_get(doc, "times");
    int cs = sdn_table_col_index(t, "stage"), cv = sdn_table_col_index(t, "seconds");
    for (size_t r = 0; cs >= 0 && cv >= 0 && r < sdn_len(t); r++) {
        const char *name = sdn_str(sdn_table_cell(t, r, (size_t)cs), NULL);
        const sdn_value *v = sdn_table_cell(t, r, (size_t)cv);
        double secs = sdn_type_of(v) == SDN_FLOAT ? sdn_float(v) : (double)sdn_int(v);
        for (size_t k = 0; name && k < n; k++)
            if (strcmp(st[k].name, name) == 0)
                st[k].estimate = secs;
    }
    sdn_free(doc);
}

static void write_times(const q_stage *st, size_t n)
{
    tbuf b = {0};
    tbuf_puts(&b, "# Written by `simplert qualify`: each stage's duration the last time it ran\n"
                  "# (the progress display's estimates).\ntimes |stage, seconds|\n");
    for (size_t k = 0; k < n; k++) {
        double secs = st[k].state == QS_OK || st[k].state == QS_FAIL ? st[k].seconds
                                                                      : st[k].estimate;
        if (secs > 0)
            tbuf_printf(&b, "    %s, %.1f\n", st[k].name, secs);
    }
    write_file("reports/qualify-times.sdn", b.s, b.len);
    tbuf_free(&b);
}

/* ---- running a stage ----------------------------------------------------------------- */

static volatile sig_atomic_t interrupted;
static pid_t running_pid;

static void on_signal(int sig)
{
    interrupted = sig;
    if (running_pid > 0)
        kill(-running_pid, SIGTERM);
}

static char *expand(const char *cmd, const q_opts *o)
{
    tbuf b = {0};
    for (const char *p = cmd; *p; p++) {
        if (p[0] == '%' && p[1] == 'J')
            tbuf_printf(&b, "%d", o->jobs), p++;
        else if (p[0] == '%' && p[1] == 'F')
            tbuf_printf(&b, "%.0f", o->fuzz_time), p++;
        else
            tbuf_put(&b, p, 1);
    }
    return b.s;
}

/* The log lines that contain one of the stage's markers, joined (the last
 * ones win when they do not all fit). */
static void summarise(q_stage *s, const char *log)
{
    char *text = read_file(log, NULL);
    if (text == NULL || s->markers == NULL) {
        free(text);
        return;
    }
    tlist hits = {0};
    char *markers = xstrdup(s->markers);
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        for (const char *m = markers; *m;) {
            size_t n = strcspn(m, "|");
            char *mk = xstrndup(m, n);
            bool hit = strstr(line, mk) != NULL;
            free(mk);
            if (hit) {
                tlist_add(&hits, line);
                break;
            }
            m += n + (m[n] == '|');
        }
    }
    size_t first = hits.n;
    size_t room = sizeof s->note - 1, used = 0;
    while (first > 0 && used + strlen(hits.v[first - 1]) + 3 <= room)
        used += strlen(hits.v[--first]) + 3;
    if (first == hits.n && hits.n)   /* even the last one alone is too long */
        first = hits.n - 1;
    s->note[0] = '\0';
    for (size_t k = first; k < hits.n; k++) {
        size_t len = strlen(s->note);
        snprintf(s->note + len, sizeof s->note - len, "%s%s", len ? " | " : "", hits.v[k]);
    }
    tlist_free(&hits);
    free(markers);
    free(text);
}

static void progress_line(const q_stage *s, size_t idx, size_t n, double el, bool tty)
{
    char e1[32], e2[32];
    fmt_dur(e1, sizeof e1, el);
    fmt_dur(e2, sizeof e2, s->estimate);
    if (!tty) {
        printf("[%2zu/%zu] %-12s still running: %s%s%s\n", idx, n, s->name, e1,
               s->estimate > 0 ? " of ~" : "", s->estimate > 0 ? e2 : "");
        fflush(stdout);
        return;
    }
    char bar[64] = "";
    if (s->estimate > 0) {
        int w = 24, fill = (int)(w * (el / s->estimate));
        if (fill > w)
            fill = w;
        char *p = bar;
        for (int k = 0; k < w; k++)
            p += sprintf(p, "%s", k < fill ? "#" : ".");
    } else {
        static const char spin[] = "|/-\\";
        snprintf(bar, sizeof bar, "%c", spin[(int)(el * 4) % 4]);
    }
    printf("\r\033[K[%2zu/%zu] %-12s %s  %s%s%s", idx, n, s->name, bar, e1,
           s->estimate > 0 ? " / ~" : "", s->estimate > 0 ? e2 : "");
    fflush(stdout);
}

static void run_stage(q_stage *s, size_t idx, size_t n, const q_opts *o, const char *cmdline)
{
    tbuf log = {0};
    tbuf_printf(&log, "reports/logs/%s.log", s->name);
    unlink(log.s);
    bool tty = o->progress && isatty(1);
    if (!tty) {
        char e[32];
        fmt_dur(e, sizeof e, s->estimate);
        printf("[%2zu/%zu] %-12s started%s%s\n", idx, n, s->name, s->estimate > 0 ? ", ~" : "",
               s->estimate > 0 ? e : "");
        fflush(stdout);
    }
    char *argv[] = {"bash", "-c", (char *)cmdline, NULL};
    double t0 = now_s(), last_beat = t0;
    s->state = QS_RUNNING;
    running_pid = proc_spawn(argv, log.s);
    int st = 127;
    if (running_pid > 0) {
        while (!proc_wait(running_pid, &st, 250)) {
            double el = now_s() - t0;
            if (tty || now_s() - last_beat >= 60) {
                progress_line(s, idx, n, el, tty);
                last_beat = now_s();
            }
        }
    }
    running_pid = 0;
    s->seconds = now_s() - t0;
    s->exit_code = st;
    s->state = st == 0 ? QS_OK : QS_FAIL;
    summarise(s, log.s);
    if (s->state == QS_FAIL && s->note[0] == '\0')
        snprintf(s->note, sizeof s->note, "exit status %d", st);
    char e1[32];
    fmt_dur(e1, sizeof e1, s->seconds);
    printf("%s[%2zu/%zu] %-12s %-4s %6s  %s\n", tty ? "\r\033[K" : "", idx, n, s->name,
           q_state_name(s->state), e1, s->note);
    if (s->state == QS_FAIL) {
        /* The end of the log, so that a CI log shows why without the file. */
        tbuf cmd = {0};
        tbuf_puts(&cmd, "tail -n 15 ");
        proc_shell_quote(&cmd, log.s);
        char *tail = proc_capture(cmd.s, false, NULL);
        for (char *line = tail ? strtok(tail, "\n") : NULL; line; line = strtok(NULL, "\n"))
            printf("         | %s\n", line);
        free(tail);
        tbuf_free(&cmd);
        printf("         | (full log: %s)\n", log.s);
    }
    fflush(stdout);
    tbuf_free(&log);
}

static bool needs_failed(const q_stage *s, const q_stage *all, size_t n, char *why, size_t wl)
{
    if (s->needs == NULL)
        return false;
    char *copy = xstrdup(s->needs);
    bool bad = false;
    for (char *tok = strtok(copy, ","); tok && !bad; tok = strtok(NULL, ","))
        for (size_t k = 0; k < n; k++)
            if (strcmp(all[k].name, tok) == 0 && all[k].state == QS_FAIL) {
                snprintf(why, wl, "not run: %s failed", tok);
                bad = true;
            }
    free(copy);
    return bad;
}

/* ---- the reports ----------------------------------------------------------------------- */

static void meta(q_report *r, double total, const q_opts *o)
{
    time_t t = time(NULL);
    strftime(r->generated, sizeof r->generated, "%Y-%m-%d %H:%M:%S UTC", gmtime(&t));
    char *c = proc_capture("git describe --always --dirty --abbrev=12", false, NULL);
    snprintf(r->commit, sizeof r->commit, "%s", c && c[0] ? strtok(c, "\n") : "unknown");
    free(c);
    gethostname(r->host, sizeof r->host - 1);
    r->cpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
    r->total_seconds = total;
    r->fuzz_budget = o->fuzz_time;
}

/* Per-function results of the tsan and vg runs: the audit over their JSON. */
static void variant_audits(void)
{
    static const char *const v[] = {"tsan", "vg"};
    for (size_t k = 0; k < 2; k++) {
        tbuf res = {0}, out = {0};
        tbuf_printf(&res, "reports/results/%s", v[k]);
        tbuf_printf(&out, "reports/audit-%s", v[k]);
        if (is_dir(res.s) && file_exists("build/release/simplert")) {
            char *argv[] = {"build/release/simplert", "audit", "--results", res.s, "--out",
                            out.s, "--no-gate", "-q", NULL};
            proc_run(argv, "reports/logs/report.log");
        }
        tbuf_free(&res), tbuf_free(&out);
    }
}

static int write_reports(q_report *r)
{
    int rc = 0;
    rc |= q_write_sdn(r, "reports/qualification.sdn");
    rc |= q_write_html(r, "reports/index.html");
    rc |= q_write_junit(r, "reports/junit.xml");
    if (file_exists("reports/coverage/gcovr.json"))
        rc |= q_cov_write_lcov("reports/coverage/gcovr.json", "reports/coverage/lcov.info");
    return rc;
}

static void gates_of(q_report *r)
{
    tlist_free(&r->gates);
    for (size_t k = 0; k < r->nstages; k++) {
        const q_stage *s = &r->stages[k];
        if (s->gate && s->state == QS_FAIL) {
            tbuf g = {0};
            tbuf_printf(&g, "%s: %s", s->name, s->note);
            tlist_add(&r->gates, g.s);
            tbuf_free(&g);
        }
    }
}

/* ---- the command --------------------------------------------------------------------- */

static int parse(q_opts *o, int argc, char **argv)
{
    const char *v;
    for (int k = 1; k < argc; k++) {
        if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0) {
            fputs(usage_head, stdout);
            for (size_t i = 0; i < NSTAGES; i++)
                printf("  %-12s %s%s\n", stage_table[i].name, stage_table[i].title,
                       stage_table[i].gate ? "" : " [not a gate]");
            fputs(usage_tail, stdout);
            exit(0);
        } else if ((v = opt_value(&k, argc, argv, "--fuzz-time"))) {
            char *end;
            o->fuzz_time = strtod(v, &end);
            o->fuzz_time *= *end == 'm' ? 60 : *end == 'h' ? 3600 : 1;
            if (o->fuzz_time <= 0)
                return fprintf(stderr, "simplert qualify: bad --fuzz-time '%s'\n", v), 2;
        } else if ((v = opt_value(&k, argc, argv, "--jobs"))) {
            o->jobs = atoi(v);
        } else if ((v = opt_value(&k, argc, argv, "--skip"))) {
            add_list(&o->skip, v);
        } else if ((v = opt_value(&k, argc, argv, "--only"))) {
            add_list(&o->only, v);
        } else if (strcmp(argv[k], "--keep-going") == 0) o->keep_going = true;
        else if (strcmp(argv[k], "--list") == 0) o->list = true;
        else if (strcmp(argv[k], "--report-only") == 0) o->report_only = true;
        else if (strcmp(argv[k], "--no-progress") == 0) o->progress = false;
        else
            return fprintf(stderr, "simplert qualify: unknown option '%s' (try --help)\n",
                           argv[k]), 2;
    }
    tlist *lists[] = {&o->skip, &o->only};
    for (int l = 0; l < 2; l++)
        for (size_t i = 0; i < lists[l]->n; i++) {
            bool known = false;
            for (size_t k = 0; k < NSTAGES; k++)
                known |= strcmp(stage_table[k].name, lists[l]->v[i]) == 0;
            if (!known)
                return fprintf(stderr, "simplert qualify: no stage '%s' (try --list)\n",
                               lists[l]->v[i]), 2;
        }
    if (o->jobs < 1)
        o->jobs = 1;
    return 0;
}

int cmd_qualify(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "coverage-check") == 0)
        return cmd_qualify_coverage(argc - 1, argv + 1);
    q_opts o = {.fuzz_time = 600, .jobs = (int)sysconf(_SC_NPROCESSORS_ONLN), .progress = true};
    int rc = parse(&o, argc, argv);
    if (rc)
        return rc;
    q_stage st[NSTAGES];
    memcpy(st, stage_table, sizeof st);
    mkdir_p("reports/logs");
    read_times(st, NSTAGES);
    /* Stages run make themselves: an outer make's jobserver must not leak in. */
    unsetenv("MAKEFLAGS");
    unsetenv("MAKELEVEL");
    unsetenv("MFLAGS");
    setenv("SIMPLERT_STRESS", getenv("SIMPLERT_STRESS") ? getenv("SIMPLERT_STRESS") : "1", 1);
    tlist targets = {0};
    make_targets(&targets);
    for (size_t k = 0; k < NSTAGES; k++)
        if (!available(&st[k], &targets)) {
            st[k].state = QS_NA;
            snprintf(st[k].note, sizeof st[k].note, "not available yet (%s%s)",
                     st[k].probe[0] == '@' ? "no " : "no make target ",
                     st[k].probe + (st[k].probe[0] == '@'));
        }
    tlist_free(&targets);
    if (o.list) {
        for (size_t k = 0; k < NSTAGES; k++) {
            char e[32];
            fmt_dur(e, sizeof e, st[k].estimate);
            printf("%-12s %-9s %-6s %s  %s\n", st[k].name,
                   st[k].state == QS_NA ? "n/a" : "available", st[k].estimate > 0 ? e : "-",
                   st[k].gate ? "gate" : "info", st[k].title);
        }
        return 0;
    }
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    double t0 = now_s();
    size_t idx = 0;
    for (size_t k = 0; k < NSTAGES; k++) {
        q_stage *s = &st[k];
        idx++;
        bool selected = (o.only.n == 0 || tlist_has(&o.only, s->name)) &&
                        !tlist_has(&o.skip, s->name) && !o.report_only;
        if (s->state == QS_NA) {
            printf("[%2zu/%zu] %-12s n/a   %s\n", idx, NSTAGES, s->name, s->note);
            continue;
        }
        if (!selected || interrupted) {
            s->state = QS_SKIPPED;
            snprintf(s->note, sizeof s->note, "%s", interrupted ? "interrupted" : "not selected");
            continue;
        }
        char why[128];
        if (!o.keep_going && needs_failed(s, st, NSTAGES, why, sizeof why)) {
            s->state = QS_SKIPPED;
            snprintf(s->note, sizeof s->note, "%s", why);
            printf("[%2zu/%zu] %-12s skip  %s\n", idx, NSTAGES, s->name, why);
            continue;
        }
        if (strcmp(s->name, "render") == 0)
            continue;   /* after the reports exist */
        char *cmd = expand(s->cmd, &o);
        run_stage(s, idx, NSTAGES, &o, cmd);
        free(cmd);
        if (strcmp(s->name, "deps") == 0 && s->state == QS_FAIL)
            printf("         the Debian packages are missing: run ci/deps.sh --qualify as root\n");
    }

    q_report r = {.stages = st, .nstages = NSTAGES};
    variant_audits();
    q_collect(&r, "reports");
    meta(&r, now_s() - t0, &o);
    gates_of(&r);
    if (write_reports(&r) != 0)
        fprintf(stderr, "simplert qualify: cannot write the reports\n");
    q_stage *render = &st[NSTAGES - 1];
    if (render->state == QS_PENDING) {
        tbuf cmd = {0};
        tbuf_printf(&cmd, "ci/render-check.sh reports/index.html reports/dashboard.png %zu %s",
                    r.nfuncs, r.gates.n ? "fail" : "pass");
        run_stage(render, NSTAGES, NSTAGES, &o, cmd.s);
        tbuf_free(&cmd);
        r.total_seconds = now_s() - t0;
        gates_of(&r);
        /* The page now says how its own render check went; the screenshot,
         * taken a moment earlier, shows that stage as pending. */
        write_reports(&r);
    }
    write_times(st, NSTAGES);

    char tot[32];
    fmt_dur(tot, sizeof tot, r.total_seconds);
    printf("\nsimplert qualify: %s in %s — reports/index.html, reports/qualification.sdn, "
           "reports/junit.xml\n", r.gates.n ? "FAIL" : "PASS", tot);
    for (size_t k = 0; k < r.gates.n; k++)
        printf("  failing gate: %s\n", r.gates.v[k]);
    rc = r.gates.n ? 1 : 0;
    if (interrupted)
        rc = 130;
    r.stages = NULL;
    q_report_free(&r);
    tlist_free(&o.skip);
    tlist_free(&o.only);
    return rc;
}
