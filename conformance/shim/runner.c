/*
 * conformance/shim/runner.c — the fork-only test runner behind the shim
 * (see criterion/criterion.h for why it exists).
 *
 * Usage: <suite-binary> [--filter SUITE/NAME-glob] [--list] [-q]
 * Output: "[FAIL] suite::name: reason" lines and Criterion's
 * "[====] Synthesis: Tested: N | Passing: P | Failing: F | Crashing: C"
 * on stderr; exit 1 if any test failed or crashed.
 */
#include <criterion/criterion.h>
#include <fnmatch.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define SKIP_STATUS 77       /* child exit status meaning "skipped" */
#define FAIL_STATUS 1
#define DEFAULT_TIMEOUT 600  /* seconds; Valgrind is slow */

typedef struct shim_test {
    const char *suite, *name, *file;
    int line;
    void (*fn)(void);
    const struct criterion_test_extra_data *opts;
} shim_test;

typedef struct shim_suite {
    const char *name;
    const struct criterion_test_extra_data *opts;
} shim_suite;

static shim_test *tests;
static size_t ntests, captests;
static shim_suite suites[256];
static size_t nsuites;
static int expect_failed;   /* in the child: a cr_expect failed */

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
    if (fatal)
        exit(FAIL_STATUS);   /* exit, not _exit: Valgrind's leak check still runs */
    expect_failed = 1;
}

void rtc_shim_skip(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("[SKIP] ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(SKIP_STATUS);
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

/* Runs in the child: fixtures around the body, as Criterion orders them. */
static void __attribute__((noreturn)) run_child(const shim_test *t)
{
    const struct criterion_test_extra_data *so = suite_opts(t->suite);
    double tmo = t->opts->timeout > 0 ? t->opts->timeout
                 : (so && so->timeout > 0) ? so->timeout : DEFAULT_TIMEOUT;
    alarm((unsigned)(tmo + 0.999));
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
    exit(expect_failed ? FAIL_STATUS : 0);
}

int main(int argc, char **argv)
{
    const char *filter = NULL;
    int list = 0, quiet = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--filter") == 0 && i + 1 < argc)
            filter = argv[++i];
        else if (strncmp(argv[i], "--filter=", 9) == 0)
            filter = argv[i] + 9;
        else if (strcmp(argv[i], "--list") == 0 || strcmp(argv[i], "-l") == 0)
            list = 1;
        else if (strcmp(argv[i], "-q") == 0 || strcmp(argv[i], "--quiet") == 0)
            quiet = 1;
        /* other Criterion options (-j, --json, ...) are accepted and ignored */
    }
    size_t tested = 0, passing = 0, failing = 0, crashing = 0, skipped = 0;
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
        const struct criterion_test_extra_data *so = suite_opts(t->suite);
        if (t->opts->disabled || (so && so->disabled))
            continue;
        fflush(NULL);
        pid_t pid = fork();
        if (pid < 0) {
            perror("shim: fork");
            return 2;
        }
        if (pid == 0)
            run_child(t);
        int st;
        while (waitpid(pid, &st, 0) < 0)
            ;
        tested++;
        int want_sig = t->opts->signal, want_code = t->opts->exit_code;
        const char *verdict = NULL;
        char why[128] = "";
        if (WIFSIGNALED(st)) {
            if (WTERMSIG(st) == want_sig) {
                passing++;
            } else {
                crashing++;
                snprintf(why, sizeof why, "CRASH (signal %d%s)", WTERMSIG(st),
                         WTERMSIG(st) == SIGALRM ? ", timed out" : "");
                verdict = why;
            }
        } else if (WEXITSTATUS(st) == SKIP_STATUS) {
            skipped++;
            tested--;
        } else if (want_sig) {
            failing++;
            snprintf(why, sizeof why, "expected signal %d, exited %d", want_sig,
                     WEXITSTATUS(st));
            verdict = why;
        } else if (WEXITSTATUS(st) == want_code) {
            passing++;
        } else {
            failing++;
            snprintf(why, sizeof why, "exit status %d%s", WEXITSTATUS(st),
                     WEXITSTATUS(st) == 99 ? " (Valgrind found errors or leaks)" : "");
            verdict = why;
        }
        if (verdict)
            fprintf(stderr, "[FAIL] %s::%s: %s (%s:%d)\n", t->suite, t->name, verdict,
                    t->file, t->line);
        else if (!quiet)
            fprintf(stderr, "[PASS] %s::%s\n", t->suite, t->name);
    }
    if (list)
        return 0;
    fprintf(stderr,
            "[====] Synthesis: Tested: %zu | Passing: %zu | Failing: %zu | Crashing: %zu \n",
            tested, passing, failing, crashing);
    if (skipped)
        fprintf(stderr, "[====] Skipped: %zu\n", skipped);
    free(tests);
    return (failing || crashing) ? 1 : 0;
}
