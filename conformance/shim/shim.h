/*
 * conformance/shim/shim.h — private interface between the fork-only runner
 * (runner.c) and its OOM mode (oom.c). Suites never include this.
 */
#ifndef RTC_SHIM_SHIM_H
#define RTC_SHIM_SHIM_H

#include <criterion/criterion.h>
#include <stddef.h>
#include <sys/types.h>

#define SHIM_SKIP_STATUS 77   /* child exit status meaning "skipped" */
#define SHIM_FAIL_STATUS 1

typedef struct shim_test {
    const char *suite, *name, *file;
    int line;
    void (*fn)(void);
    const struct criterion_test_extra_data *opts;
} shim_test;

typedef enum { SHIM_PASS, SHIM_FAIL, SHIM_CRASH, SHIM_SKIP } shim_outcome;

typedef struct shim_result {
    shim_outcome outcome;
    int wait_status;      /* from waitpid */
    int timed_out;
    char why[160];        /* empty when the test passed or was skipped */
} shim_result;

/* What a caller may change about one child run. */
typedef struct shim_run_opts {
    void (*before)(void *arg);   /* in the child, before the fixtures */
    void *arg;
    int stderr_fd;               /* >= 0: the child's stderr goes there */
    double timeout;              /* > 0: overrides the test's and suite's timeout */
} shim_run_opts;

/* True when the test or its suite is disabled. */
int rtc_shim_disabled(const shim_test *t);
/* Fork, run the test's fixtures and body in the child, judge its end as
 * Criterion would (expected signal / exit code, skip, timeout). */
shim_result rtc_shim_run(const shim_test *t, const shim_run_opts *o);
/* The same in two halves: start the child (its pid), and judge the wait
 * status it ended with. */
pid_t rtc_shim_start(const shim_test *t, const shim_run_opts *o);
shim_result rtc_shim_judge(const shim_test *t, int wait_status);

/* In a child: did the RTC_TEST body run to its end, and did a fatal
 * assertion fail after that (the leak checks RTC_TEST runs last)? */
int rtc_shim_body_completed(void);
int rtc_shim_failed_after_body(void);

/* ---- the OOM engine (oom.c), shared by the runner's --oom mode and the
 * fuzz targets' OOM replay (fuzz/oom_replay.c) ---- */

/* What the engine injects into: tests of a suite, or fuzz inputs. */
typedef struct rtc_oom_cases {
    size_t n;
    const char *label;        /* the report's name: reports/oom/<label>.sdn */
    const char *kind;         /* "suite" or "fuzz" */
    void (*name)(size_t i, char *buf, size_t len);
    int (*wanted)(size_t i);            /* 0: skip (filtered out, disabled) */
    int (*expected_signal)(size_t i);   /* a signal that ends case i normally, or 0 */
    /* Fork a child that calls o->before(o->arg) and runs case i (its pid);
     * then judge the wait status it ended with. */
    pid_t (*start)(size_t i, const shim_run_opts *o);
    shim_result (*judge)(size_t i, int wait_status);
    /* In the child, at its end: did the case's body return, and did a check
     * after it (the leak checks) fail? */
    int (*body_completed)(void);
    int (*failed_after_body)(void);
} rtc_oom_cases;

/* Parses the --oom-* options in argv, runs the cases (--oom-jobs of the
 * injected runs at once), writes the report; returns the process exit
 * status (1 when a run crashed, leaked or hung). */
int rtc_oom_main(const rtc_oom_cases *c, int argc, char **argv);

#endif /* RTC_SHIM_SHIM_H */
