/*
 * conformance/shim/oom.h — private to the OOM engine: the records the
 * engine (oom.c) keeps and the report writer (oom_report.c) turns into
 * reports/oom/<name>.sdn.
 */
#ifndef RTC_SHIM_OOM_H
#define RTC_SHIM_OOM_H

#include <stdint.h>
#include <stdio.h>

#include "conformance/shim/shim.h"

#define MAX_FRAMES 24
#define MAX_TRACE 65536          /* attempts whose call stacks the counting run hashes */
#define DEFAULT_OOM_TIMEOUT 60

enum {
    V_ABSORBED, V_REFUSED, V_ORACLE, V_LEAKED, V_HEAP_LEAKED, V_CRASHED, V_TEST_CRASHED,
    V_HUNG, V_UNREACHED, V_SKIPPED, NV
};
extern const char *const rtc_oom_verdicts[NV];

/* Shared with the child (MAP_SHARED): what happened inside it. */
typedef struct oom_page {
    uint64_t attempts;
    int fired, body_completed, failed_after_body, exited;
    int nframes;
    void *frames[MAX_FRAMES];
    uint64_t stack_hash[MAX_TRACE];   /* counting run: attempt k's call stack, hashed */
} oom_page;

typedef struct run_rec {        /* one injected run that reached its attempt */
    size_t cs;
    uint32_t k;
    int verdict;
    int nframes;
    uintptr_t frames[MAX_FRAMES];   /* offsets from __executable_start */
} run_rec;

typedef struct case_rec {
    uint64_t allocations, runs;
    int ran, baseline_failed;
    uint64_t by_verdict[NV];
} case_rec;

typedef struct oom_opts {
    uint64_t max;
    int all, quiet, jobs;
    double timeout;
    const char *dir;
} oom_opts;

/* Failures of the runtime (a heap leak only where the harness owns every
 * value: fuzz inputs); suspects are reported for a person to look at. */
int rtc_oom_is_failure(const rtc_oom_cases *c, int verdict);
int rtc_oom_is_suspect(const rtc_oom_cases *c, int verdict);

/* Symbolises the recorded runs (addr2line on exe) and writes
 * <dir>/<label>.sdn. */
void rtc_oom_write_report(const oom_opts *oo, const rtc_oom_cases *c, const char *exe,
                          const case_rec *cr, const run_rec *runs, size_t nruns);

#endif /* RTC_SHIM_OOM_H */
