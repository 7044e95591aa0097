/*
 * conformance/shim/runner.c — the fork-only test runner behind the shim
 * (see criterion/criterion.h for why it exists).
 *
 * Usage: <suite-binary> [--filter SUITE/NAME-glob] [--list] [-q] [--json FILE]
 *        <suite-binary> --oom [...]            (fault injection: see oom.c)
 * Output: "[PASS]/[FAIL] suite::name" lines and Criterion's
 * "[====] Synthesis: Tested: N | Passing: P | Failing: F | Crashing: C"
 * on stderr; exit 1 if any test failed or crashed. --json writes the
 * results in the shape of Criterion's --json (the audit and the
 * qualification dashboard read both alike).
 */
#include "conformance/shim/shim.h"

#include <fnmatch.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define DEFAULT_TIMEOUT 600  /* seconds; Valgrind is slow */

typedef struct shim_suite {
    const char *name;
    const struct criterion_test_extra_data *opts;
} shim_suite;

static shim_test *tests;
static size_t ntests, captests;
static shim_suite suites[256];
static size_t nsuites;
/* In the child only: */
static int expect_failed;     /* a cr_expect failed */
static int body_completed;    /* the RTC_TEST body returned */
static int failed_after_body; /* a fatal assertion failed after that */

static void write_json(const char *path, const shim_test *const *ran,
                       const shim_result *res, size_t n);
static int oom_main(int argc, char **argv, const char *filter);

void rtc_shim_register_test(const char *suite, const char *name, void (*fn)(void),
                            const struct criterion_test_extra_data *opts, const char *file,
                            int line)
{
    if (ntests == captests) {
        captests = captests ? captests * 2 : 64;
        tests = realloc(tests, captests * sizeof *tests);
        if (tests == NULL) {
            perror("shim: realloc");
            exit(2);
        }
    }
    tests[ntests++] = (shim_test){suite, name, file, line, fn, opts};
}

void rtc_shim_register_suite(const char *suite, const struct criterion_test_extra_data *opts)
{
    if (nsuites < sizeof suites / sizeof suites[0])
        suites[nsuites++] = (shim_suite){suite, opts};
}

static void vreport(const char *file, int line, const char *what, const char *fmt, va_list ap)
{
    fprintf(stderr, "[----] %s:%d: Assertion Failed\n[----]   %s\n", file, line, what);
    if (fmt && *fmt) {
        fputs("[----]   ", stderr);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
    }
}

void rtc_shim_fail(int fatal, const char *file, int line, const char *what, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(file, line, what, fmt, ap);
    va_end(ap);
    if (fatal) {
        failed_after_body = body_completed;
        exit(SHIM_FAIL_STATUS);   /* exit, not _exit: Valgrind's leak check still runs */
    }
    expect_failed = 1;
}

void rtc_shim_body_done(void) { body_completed = 1; }
int rtc_shim_body_completed(void) { return body_completed; }
int rtc_shim_failed_after_body(void) { return failed_after_body; }

void rtc_shim_skip(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("[SKIP] ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(SHIM_SKIP_STATUS);
}

void rtc_shim_log(const char *level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "[%s] ", level);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static const struct criterion_test_extra_data *suite_opts(const char *name)
{
    for (size_t i = 0; i < nsuites; i++)
        if (strcmp(suites[i].name, name) == 0)
            return suites[i].opts;
    return NULL;
}

int rtc_shim_disabled(const shim_test *t)
{
    const struct criterion_test_extra_data *so = suite_opts(t->suite);
    return t->opts->disabled || (so && so->disabled);
}

/* Runs in the child: fixtures around the body, as Criterion orders them. */
static void __attribute__((noreturn)) run_child(const shim_test *t, const shim_run_opts *o)
{
    const struct criterion_test_extra_data *so = suite_opts(t->suite);
    double tmo = (o && o->timeout > 0) ? o->timeout
                 : t->opts->timeout > 0 ? t->opts->timeout
                 : (so && so->timeout > 0) ? so->timeout : DEFAULT_TIMEOUT;
    if (o && o->stderr_fd >= 0)
        dup2(o->stderr_fd, 2);
    alarm((unsigned)(tmo + 0.999));
    if (o && o->before)
        o->before(o->arg);
    if (so && so->init)
        so->init();
    if (t->opts->init)
        t->opts->init();
    t->fn();
    if (t->opts->fini)
        t->opts->fini();
    if (so && so->fini)
        so->fini();
    fflush(NULL);
    exit(expect_failed ? SHIM_FAIL_STATUS : 0);
}

pid_t rtc_shim_start(const shim_test *t, const shim_run_opts *o)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        perror("shim: fork");
        exit(2);
    }
    if (pid == 0)
        run_child(t, o);
    return pid;
}

shim_result rtc_shim_judge(const shim_test *t, int st)
{
    shim_result r = {.outcome = SHIM_PASS, .wait_status = st};
    int want_sig = t->opts->signal, want_code = t->opts->exit_code;
    if (WIFSIGNALED(st)) {
        if (WTERMSIG(st) != want_sig) {
            r.outcome = SHIM_CRASH;
            r.timed_out = WTERMSIG(st) == SIGALRM;
            snprintf(r.why, sizeof r.why, "CRASH (signal %d%s)", WTERMSIG(st),
                     r.timed_out ? ", timed out" : "");
        }
    } else if (WEXITSTATUS(st) == SHIM_SKIP_STATUS) {
        r.outcome = SHIM_SKIP;
    } else if (want_sig) {
        r.outcome = SHIM_FAIL;
        snprintf(r.why, sizeof r.why, "expected signal %d, exited %d", want_sig,
                 WEXITSTATUS(st));
    } else if (WEXITSTATUS(st) != want_code) {
        r.outcome = SHIM_FAIL;
        snprintf(r.why, sizeof r.why, "exit status %d%s", WEXITSTATUS(st),
                 WEXITSTATUS(st) == 99 ? " (Valgrind found errors or leaks)" : "");
    }
    return r;
}

shim_result rtc_shim_run(const shim_test *t, const shim_run_opts *o)
{
    pid_t pid = rtc_shim_start(t, o);
    int st;
    while (waitpid(pid, &st, 0) < 0)
        ;
    return rtc_shim_judge(t, st);
}

int main(int argc, char **argv)
{
    const char *filter = NULL, *json = NULL;
    int list = 0, quiet = 0, oom = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--filter") == 0 && i + 1 < argc)
            filter = argv[++i];
        else if (strncmp(argv[i], "--filter=", 9) == 0)
            filter = argv[i] + 9;
        else if (strcmp(argv[i], "--json") == 0 && i + 1 < argc)
            json = argv[++i];
        else if (strncmp(argv[i], "--json=", 7) == 0)
            json = argv[i] + 7;
        else if (strcmp(argv[i], "--list") == 0 || strcmp(argv[i], "-l") == 0)
            list = 1;
        else if (strcmp(argv[i], "-q") == 0 || strcmp(argv[i], "--quiet") == 0)
            quiet = 1;
        else if (strcmp(argv[i], "--oom") == 0)
            oom = 1;
        /* other Criterion options (-j, --xml, ...) are accepted and ignored */
    }
    if (oom)
        return oom_main(argc, argv, filter);
    size_t tested = 0, passing = 0, failing = 0, crashing = 0, skipped = 0, nran = 0;
    const shim_test **ran = calloc(ntests + 1, sizeof *ran);
    shim_result *res = calloc(ntests + 1, sizeof *res);
    if (ran == NULL || res == NULL) {
        perror("shim: calloc");
        return 2;
    }
    for (size_t i = 0; i < ntests; i++) {
        const shim_test *t = &tests[i];
        char id[512];
        snprintf(id, sizeof id, "%s/%s", t->suite, t->name);
        if (filter && fnmatch(filter, id, 0) != 0)
            continue;
        if (list) {
            printf("%s::%s\n", t->suite, t->name);
            continue;
        }
        if (rtc_shim_disabled(t))
            continue;
        shim_result r = rtc_shim_run(t, NULL);
        ran[nran] = t;
        res[nran++] = r;
        switch (r.outcome) {
        case SHIM_SKIP: skipped++; continue;
        case SHIM_PASS: passing++; break;
        case SHIM_FAIL: failing++; break;
        case SHIM_CRASH: crashing++; break;
        }
        tested++;
        if (r.outcome != SHIM_PASS)
            fprintf(stderr, "[FAIL] %s::%s: %s (%s:%d)\n", t->suite, t->name, r.why, t->file,
                    t->line);
        else if (!quiet)
            fprintf(stderr, "[PASS] %s::%s\n", t->suite, t->name);
    }
    if (list) {
        free(ran);
        free(res);
        return 0;
    }
    fprintf(stderr,
            "[====] Synthesis: Tested: %zu | Passing: %zu | Failing: %zu | Crashing: %zu \n",
            tested, passing, failing, crashing);
    if (skipped)
        fprintf(stderr, "[====] Skipped: %zu\n", skipped);
    if (json)
        write_json(json, ran, res, nran);
    free(ran);
    free(res);
    free(tests);
    return (failing || crashing) ? 1 : 0;
}

/* ---- --oom: the tests as the OOM engine's cases ---------------------------------------- */

static const char *oom_filter;

static void oom_name(size_t i, char *buf, size_t len)
{
    snprintf(buf, len, "%s::%s", tests[i].suite, tests[i].name);
}

static int oom_wanted(size_t i)
{
    char id[512];
    snprintf(id, sizeof id, "%s/%s", tests[i].suite, tests[i].name);
    return !rtc_shim_disabled(&tests[i]) && !(oom_filter && fnmatch(oom_filter, id, 0) != 0);
}

static int oom_signal(size_t i) { return tests[i].opts->signal; }
static pid_t oom_start(size_t i, const shim_run_opts *o) { return rtc_shim_start(&tests[i], o); }
static shim_result oom_judge(size_t i, int st) { return rtc_shim_judge(&tests[i], st); }

static int oom_main(int argc, char **argv, const char *filter)
{
    oom_filter = filter;
    const char *slash = strrchr(argv[0], '/');
    rtc_oom_cases c = {
        .n = ntests, .label = slash ? slash + 1 : argv[0], .kind = "suite",
        .name = oom_name, .wanted = oom_wanted, .expected_signal = oom_signal,
        .start = oom_start, .judge = oom_judge, .body_completed = rtc_shim_body_completed,
        .failed_after_body = rtc_shim_failed_after_body,
    };
    int rc = rtc_oom_main(&c, argc, argv);
    free(tests);
    return rc;
}

/* ---- --json: Criterion's shape ------------------------------------------------------- */

static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static const char *status_name(shim_outcome o)
{
    switch (o) {
    case SHIM_PASS: return "PASSED";
    case SHIM_FAIL: return "FAILED";
    case SHIM_CRASH: return "ERRORED";
    default: return "SKIPPED";
    }
}

static void count(const shim_result *res, const shim_test *const *ran, size_t n,
                  const char *suite, size_t c[4])
{
    c[0] = c[1] = c[2] = c[3] = 0;
    for (size_t i = 0; i < n; i++)
        if (suite == NULL || strcmp(ran[i]->suite, suite) == 0)
            c[res[i].outcome]++;
}

/* Suites appear in the order of their first test; tests in run order. */
static void write_json(const char *path, const shim_test *const *ran, const shim_result *res,
                       size_t n)
{
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        perror(path);
        return;
    }
    size_t c[4];
    count(res, ran, n, NULL, c);
    fprintf(f, "{\n  \"id\": \"simplert shim runner\",\n  \"passed\": %zu,\n  \"failed\": %zu,\n"
               "  \"errored\": %zu,\n  \"skipped\": %zu,\n  \"test_suites\": [",
            c[SHIM_PASS], c[SHIM_FAIL], c[SHIM_CRASH], c[SHIM_SKIP]);
    int first_suite = 1;
    for (size_t i = 0; i < n; i++) {
        int seen = 0;
        for (size_t k = 0; k < i && !seen; k++)
            seen = strcmp(ran[k]->suite, ran[i]->suite) == 0;
        if (seen)
            continue;
        count(res, ran, n, ran[i]->suite, c);
        fprintf(f, "%s\n    {\n      \"name\": ", first_suite ? "" : ",");
        first_suite = 0;
        json_str(f, ran[i]->suite);
        fprintf(f, ",\n      \"passed\": %zu,\n      \"failed\": %zu,\n      \"errored\": %zu,\n"
                   "      \"skipped\": %zu,\n      \"tests\": [",
                c[SHIM_PASS], c[SHIM_FAIL], c[SHIM_CRASH], c[SHIM_SKIP]);
        int first_test = 1;
        for (size_t k = i; k < n; k++) {
            if (strcmp(ran[k]->suite, ran[i]->suite) != 0)
                continue;
            fprintf(f, "%s\n        {\n          \"name\": ", first_test ? "" : ",");
            first_test = 0;
            json_str(f, ran[k]->name);
            fprintf(f, ",\n          \"assertions\": 0,\n          \"status\": \"%s\"",
                    status_name(res[k].outcome));
            if (res[k].why[0]) {
                fputs(",\n          \"messages\": [", f);
                json_str(f, res[k].why);
                fputs("]", f);
            }
            fputs("\n        }", f);
        }
        fputs("\n      ]\n    }", f);
    }
    fputs("\n  ]\n}\n", f);
    if (fclose(f) != 0)
        perror(path);
}
