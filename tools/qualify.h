/*
 * tools/qualify.h — `simplert qualify`: the report model and the pieces that
 * fill and write it.
 *
 *   qualify_cmd.c      options, the stage table, running stages with progress
 *   qualify_collect.c  results on disk -> the model (q_report)
 *   qualify_cov.c      gcovr's JSON -> coverage, LCOV, the floors (coverage-check)
 *   qualify_sdn.c      the model -> reports/qualification.sdn
 *   qualify_html.c     the model -> reports/index.html (the dashboard)
 *   qualify_xml.c      the model -> JUnit XML; coverage -> LCOV
 */
#ifndef TOOLS_QUALIFY_H
#define TOOLS_QUALIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "tools/util.h"

/* ---- stages -------------------------------------------------------------------------- */

typedef enum {
    QS_PENDING,   /* not reached yet */
    QS_OK,
    QS_FAIL,
    QS_SKIPPED,   /* --skip/--only, or a stage it needs failed */
    QS_NA,        /* its make target (or tool) does not exist yet: not a failure */
    QS_RUNNING,
} q_state;

typedef struct q_stage {
    const char *name;
    const char *title;     /* one line for --help and the dashboard */
    const char *probe;     /* make target that must exist, "@tool" a program in PATH, or NULL */
    const char *cmd;       /* shell command line; %F the fuzz time, %J the jobs */
    const char *markers;   /* '|'-separated substrings: the log line that summarises it */
    const char *needs;     /* ','-separated stages that must have passed, or NULL */
    bool gate;             /* its failure fails the qualification */
    q_state state;
    double seconds, estimate;   /* estimate: the previous run's duration, 0 unknown */
    int exit_code;
    char note[256];        /* the summary line from its log, or why it did not run */
} q_stage;

const char *q_state_name(q_state s);

/* ---- results ------------------------------------------------------------------------- */

enum { QV_ASAN, QV_TSAN, QV_VG, QV_N };   /* the variants whose suites count */
extern const char *const q_variant_names[QV_N];

typedef struct q_func {
    char *name, *family, *status, *fuzz, *fuzz_state;
    bool deviation;
    int tests[QV_N], pass[QV_N], fail[QV_N];   /* tests[v] < 0: no results for v */
    int lines, lines_hit;        /* coverage of its body; lines < 0: unknown */
    int oom_sites, oom_runs, oom_failures;
} q_func;

typedef struct q_family {
    char *name;
    int rows, implemented, partial, planned, out_of_scope;
} q_family;

typedef struct q_fuzz {
    char *target, *status;                 /* campaign (simplert fuzz); status NULL: none */
    double seconds, eps;
    uint64_t execs, corpus, crashes, hangs;
    int added;
    char *smoke_status;                    /* replay + smoke (make fuzz-smoke); NULL: none */
    long replayed, smoke_execs, smoke_crashes;
} q_fuzz;

typedef struct q_cov_file {
    char *file;
    int lines, lines_hit, branches, branches_hit, decisions, decisions_hit;
} q_cov_file;

typedef struct q_cov {
    bool have;
    q_cov_file *files;
    size_t n;
    q_cov_file total;                  /* file = "total" */
    double floor_line, floor_branch, floor_decision;   /* < 0: no floor */
} q_cov;

typedef struct q_oom {
    char *name, *kind;
    uint64_t cases, allocations, runs, sites, failures, suspects, baseline_failed;
} q_oom;

typedef struct q_bench {
    char *bench, *name, *peer, *unit, *better;
    double ours, peer_median, ratio, goal;
    bool met;
} q_bench;

typedef struct q_result {   /* one test in one variant, for JUnit */
    char *variant, *suite, *test, *status, *message;
} q_result;

typedef struct q_report {
    q_stage *stages;
    size_t nstages;
    q_func *funcs;
    size_t nfuncs;
    q_family *fams;
    size_t nfams;
    q_fuzz *fuzz;
    size_t nfuzz;
    q_cov cov;
    q_oom *oom;
    size_t noom;
    q_bench *bench;
    size_t nbench;
    q_result *results;
    size_t nresults;
    tlist gates;              /* failing gates, "stage: why" */
    char generated[32], commit[64], host[128];
    int cpus;
    double total_seconds, fuzz_budget;
    int audit_problems;       /* -1: no audit report */
} q_report;

/* ---- collecting (qualify_collect.c) ---------------------------------------------------- */

/* Reads everything under reports/ (audit, suite results of every variant,
 * fuzz, OOM, coverage, benchmarks) into r; missing parts stay empty. */
void q_collect(q_report *r, const char *reports);
/* Per-test results of one Criterion (or shim) JSON file, appended. */
void q_read_results(q_report *r, const char *variant, const char *json_path);
void q_report_free(q_report *r);

/* ---- coverage (qualify_cov.c) ---------------------------------------------------------- */

/* gcovr JSON (format 0.3, with --decisions) -> per-file and total counts,
 * and the lines of each function (fn_* arrays parallel, caller frees). */
typedef struct q_fn_cov {
    char *name;
    int lines, lines_hit;
} q_fn_cov;
int q_cov_read(const char *gcovr_json, q_cov *cov, q_fn_cov **fns, size_t *nfns);
/* LCOV tracefile from the same JSON. */
int q_cov_write_lcov(const char *gcovr_json, const char *out);
/* The floors file: "line: 80.0" etc.; missing keys stay < 0. */
void q_cov_read_floors(const char *path, q_cov *cov);
double q_pct(int hit, int total);   /* 100 when total == 0 */
int cmd_qualify_coverage(int argc, char **argv);

/* ---- writers --------------------------------------------------------------------------- */

int q_write_sdn(const q_report *r, const char *path);
int q_write_html(const q_report *r, const char *path);
int q_write_junit(const q_report *r, const char *path);
/* The dashboard's HTML text (for the writer and the unit tests). */
char *q_html(const q_report *r);
char *q_junit(const q_report *r);
/* LCOV text from a parsed gcovr JSON document (see qualify_cov.c). */
struct json;
char *q_lcov_from_gcovr(const struct json *doc);

#endif /* TOOLS_QUALIFY_H */
