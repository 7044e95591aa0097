/* Conformance: SIMPLE_COVERAGE_OUTPUT through rt_coverage_enable and the
 * probes (spec/ffi/coverage.sdn, family notes): the report written at exit
 * and when the process dies by a fatal signal, one file per process in a
 * directory, forked children reporting only their own counts.
 *
 * The processes under test are this binary re-executed with RTC_COV_CHILD
 * naming a scenario: the constructor below runs it before any test runner
 * starts. Sanitizers are told to leave SIGSEGV, SIGBUS and SIGFPE to the
 * program (shared/toolchain-notes.md #2). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conformance/coverage/cov_helpers.h"

extern char **environ;

static void child_probes(int n)
{
    for (int i = 0; i < n; i++)
        rt_coverage_decision_probe(1, i % 2 == 0, "child.spl", 1, 1);
    rt_coverage_condition_probe(2, 0, true, "child.spl", 2, 1);
    rt_coverage_decision_probe(2, true, "child.spl", 2, 0);
    rt_coverage_path_probe(3, 0);
    rt_coverage_path_probe(3, 1);   /* open when the child dies */
}

static void old_handler(int sig)
{
    (void)sig;
    _exit(42);   /* the program's own handler: coverage must chain to it */
}

__attribute__((constructor)) static void cov_child_main(void)
{
    const char *m = getenv("RTC_COV_CHILD");
    if (m == NULL)
        return;
    if (strcmp(m, "chain") == 0)
        signal(SIGSEGV, old_handler);   /* installed before coverage turns on */
    if (strcmp(m, "enable") == 0)
        rt_coverage_enable();           /* SIMPLE_COVERAGE is unset for this one */
    child_probes(3);   /* SIMPLE_COVERAGE=1: the first probe turns coverage on */
    if (strcmp(m, "segv-raise") == 0 || strcmp(m, "chain") == 0)
        raise(SIGSEGV);
    if (strcmp(m, "segv-fault") == 0)
        *(volatile int *)(uintptr_t)8 = 1;
    if (strcmp(m, "abort") == 0)
        abort();
    if (strcmp(m, "fpe") == 0)
        raise(SIGFPE);
    if (strcmp(m, "fork") == 0) {
        pid_t p = fork();
        if (p == 0) {
            rt_coverage_decision_probe(1, false, "child.spl", 1, 1);
            exit(0);
        }
        waitpid(p, NULL, 0);
        rt_coverage_decision_probe(1, true, "child.spl", 1, 1);
    }
    exit(0);   /* "exit" and "fork": the atexit writer */
}

/* Runs this binary as scenario m with SIMPLE_COVERAGE_OUTPUT=out (NULL:
 * unset); returns its wait status. */
static int run_child(const char *m, const char *out)
{
    /* The path of this binary (under Valgrind, /proc/self/exe itself would
     * name the tool; readlink is answered with the program's path). */
    static char self[4096];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    cr_assert_gt(len, 0);
    self[len] = 0;
    pid_t p = fork();
    cr_assert_neq(p, -1);
    if (p == 0) {
        size_t n = 0;
        while (environ[n])
            n++;
        char **env = calloc(n + 8, sizeof *env);
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (strncmp(environ[i], "SIMPLE_COVERAGE", 15) != 0 &&
                strncmp(environ[i], "ASAN_OPTIONS=", 13) != 0 &&
                strncmp(environ[i], "TSAN_OPTIONS=", 13) != 0 &&
                strncmp(environ[i], "RTC_COV_CHILD=", 14) != 0)
                env[k++] = environ[i];
        static char mode[64], output[512];
        snprintf(mode, sizeof mode, "RTC_COV_CHILD=%s", m);
        env[k++] = mode;
        if (strcmp(m, "enable") != 0)
            env[k++] = "SIMPLE_COVERAGE=1";
        if (out) {
            snprintf(output, sizeof output, "SIMPLE_COVERAGE_OUTPUT=%s", out);
            env[k++] = output;
        }
        env[k++] = "ASAN_OPTIONS=handle_segv=0:handle_sigbus=0:handle_sigfpe=0:detect_leaks=0";
        env[k++] = "TSAN_OPTIONS=handle_segv=0:handle_sigbus=0:handle_sigfpe=0";
        char *argv[] = {"coverage-child", NULL};
        execve(self, argv, env);
        _exit(127);
    }
    int st;
    cr_assert_eq(waitpid(p, &st, 0), p);
    return st;
}

static char *tmpdir(void)
{
    char tmpl[] = "/tmp/rtc-cov-XXXXXX";
    char *d = mkdtemp(tmpl);
    cr_assert_not_null(d);
    return strdup(d);
}

/* Names of the regular files in dir (at most 8), sorted; returns the count. */
static int list_dir(const char *dir, char names[8][256])
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.' && n < 8)
            snprintf(names[n++], 256, "%s", e->d_name);
    closedir(d);
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (strcmp(names[i], names[j]) > 0) {
                char t[256];
                memcpy(t, names[i], 256);
                memcpy(names[i], names[j], 256);
                memcpy(names[j], t, 256);
            }
    return n;
}

static sdn_value *parse_file(const char *path)
{
    sdn_error e;
    sdn_value *doc = sdn_parse_file(path, &e);
    cr_assert_not_null(doc, "%s does not parse: %s", path, e.msg);
    return doc;
}

static void rm_rf(const char *dir)
{
    char names[8][256];
    int n = list_dir(dir, names);
    for (int i = 0; i < n; i++) {
        char p[1024];
        snprintf(p, sizeof p, "%.500s/%.255s", dir, names[i]);
        unlink(p);
    }
    rmdir(dir);
}

/* The child's report: one file in dir, parsed; checks the common content. */
static sdn_value *only_report(const char *dir, int64_t want_true, int64_t want_false)
{
    char names[8][256];
    int n = list_dir(dir, names);
    cr_assert_eq(n, 1, "one report, no temporary file left (found %d)", n);
    cr_assert_eq(strncmp(names[0], "coverage-", 9), 0, "%s", names[0]);
    char p[1024];
    snprintf(p, sizeof p, "%.500s/%.255s", dir, names[0]);
    sdn_value *doc = parse_file(p);
    int64_t t, f;
    cov_dec(doc, 1, "child.spl", &t, &f);
    cr_assert(t == want_true && f == want_false, "decision 1: (%lld, %lld)", (long long)t,
              (long long)f);
    cr_assert_str_eq(cov_cell_str(cov_tab(doc, "mcdc_vectors"), 0, "vector"), "T");
    const sdn_value *paths = cov_tab(doc, "paths");
    cr_assert_eq(sdn_len(paths), 1);
    cr_assert_str_eq(cov_cell_str(paths, 0, "blocks"), "0,1", "the open trace is reported");
    return doc;
}

static void crash_case(const char *scenario, int sig)
{
    char *dir = tmpdir();
    int st = run_child(scenario, dir);
    cr_assert(WIFSIGNALED(st), "%s: the child must die by a signal (status %#x)", scenario, st);
    cr_assert_eq(WTERMSIG(st), sig, "%s: died by %d", scenario, WTERMSIG(st));
    sdn_free(only_report(dir, 2, 1));
    rm_rf(dir);
    free(dir);
}

RTC_TEST(coverage_persist, sigsegv_raised_leaves_a_report_that_parses)
{
    crash_case("segv-raise", SIGSEGV);
}

RTC_TEST(coverage_persist, sigsegv_fault_leaves_a_report_that_parses)
{
    crash_case("segv-fault", SIGSEGV);
}

RTC_TEST(coverage_persist, sigabrt_leaves_a_report) { crash_case("abort", SIGABRT); }

RTC_TEST(coverage_persist, sigfpe_leaves_a_report) { crash_case("fpe", SIGFPE); }

RTC_TEST(coverage_persist, exit_writes_the_report)
{
    char *dir = tmpdir();
    int st = run_child("exit", dir);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
    sdn_free(only_report(dir, 2, 1));
    rm_rf(dir);
    free(dir);
}

RTC_TEST(coverage_persist, rt_coverage_enable_also_sets_up_the_report)
{
    char *dir = tmpdir();
    int st = run_child("enable", dir);   /* exits normally after rt_coverage_enable */
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
    sdn_free(only_report(dir, 2, 1));
    rm_rf(dir);
    free(dir);
}

RTC_TEST(coverage_persist, previous_handler_is_chained)
{
    char *dir = tmpdir();
    int st = run_child("chain", dir);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 42, "the program's handler ran (status %#x)", st);
    sdn_free(only_report(dir, 2, 1));
    rm_rf(dir);
    free(dir);
}

RTC_TEST(coverage_persist, file_mode_writes_that_file)
{
    char *dir = tmpdir();
    char path[600];
    snprintf(path, sizeof path, "%s/report.sdn", dir);
    int st = run_child("segv-raise", path);
    cr_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
    char names[8][256];
    cr_assert_eq(list_dir(dir, names), 1);
    cr_assert_str_eq(names[0], "report.sdn");
    sdn_value *doc = parse_file(path);
    int64_t t, f;
    cov_dec(doc, 1, "child.spl", &t, &f);
    cr_assert(t == 2 && f == 1);
    sdn_free(doc);
    rm_rf(dir);
    free(dir);
}

/* A directory: every process its own file. The forked grandchild reports
 * only its own probe, so the two reports add up to the exact totals. */
RTC_TEST(coverage_persist, directory_mode_one_file_per_process_and_fork)
{
    char *dir = tmpdir();
    char out[600];
    snprintf(out, sizeof out, "%s/nested/", dir);   /* created on demand */
    int st = run_child("fork", out);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    st = run_child("exit", out);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    char names[8][256];
    int n = list_dir(out, names);
    cr_assert_eq(n, 3, "fork child, its child, and a second process: %d files", n);
    int64_t tt = 0, ff = 0, grandchild = 0;
    for (int i = 0; i < n; i++) {
        char p[1024];
        snprintf(p, sizeof p, "%.600s%.255s", out, names[i]);
        sdn_value *doc = parse_file(p);
        int64_t t, f;
        cov_dec(doc, 1, "child.spl", &t, &f);
        grandchild += t == 0 && f == 1;
        tt += t;
        ff += f;
        sdn_free(doc);
    }
    cr_assert_eq(grandchild, 1, "the forked child counted only its own probe");
    cr_assert_eq(tt, 2 + 1 + 2, "true counts add up exactly");
    cr_assert_eq(ff, 1 + 1 + 1, "false counts add up exactly");
    rm_rf(out);
    rm_rf(dir);
    free(dir);
}

RTC_TEST(coverage_persist, no_output_variable_no_file)
{
    char *dir = tmpdir();
    cr_assert_eq(chdir(dir), 0);
    int st = run_child("exit", NULL);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    char names[8][256];
    cr_assert_eq(list_dir(dir, names), 0);
    rm_rf(dir);
    free(dir);
}
