/*
 * tests/qualify/model.h — a small report model the writer tests share:
 * two families, three functions (one with a hostile name), a failed gate,
 * two tests, one fuzz target, one OOM suite, one benchmark case.
 */
#ifndef TESTS_QUALIFY_MODEL_H
#define TESTS_QUALIFY_MODEL_H

#include <stdlib.h>
#include <string.h>

#include "tools/qualify.h"

static inline q_report *model_new(void)
{
    q_report *r = xcalloc(1, sizeof *r);
    static q_stage stages[3];
    memset(stages, 0, sizeof stages);
    stages[0] = (q_stage){.name = "asan", .title = "suites under ASan", .gate = true,
                          .state = QS_FAIL, .seconds = 75, .estimate = 70, .exit_code = 1};
    snprintf(stages[0].note, sizeof stages[0].note, "1 <failing> test");
    stages[1] = (q_stage){.name = "dogfood", .title = "dogfood", .gate = true, .state = QS_NA};
    stages[2] = (q_stage){.name = "bench", .title = "benchmarks", .gate = false, .state = QS_OK,
                          .seconds = 3};
    r->stages = stages;
    r->nstages = 3;
    r->nfams = 2;
    r->fams = xcalloc(2, sizeof *r->fams);
    r->fams[0] = (q_family){xstrdup("value"), 2, 1, 0, 0, 1};
    r->fams[1] = (q_family){xstrdup("net"), 1, 0, 0, 1, 0};
    r->nfuncs = 3;
    r->funcs = xcalloc(3, sizeof *r->funcs);
    const char *names[] = {"rt_array_push", "rt_<b>&", "native_tcp_bind"};
    const char *fams[] = {"value", "value", "net"};
    const char *status[] = {"implemented", "out-of-scope", "planned"};
    for (int i = 0; i < 3; i++) {
        q_func *f = &r->funcs[i];
        f->name = xstrdup(names[i]);
        f->family = xstrdup(fams[i]);
        f->status = xstrdup(status[i]);
        f->fuzz = i == 0 ? xstrdup("value") : NULL;
        f->fuzz_state = xstrdup(i == 0 ? "clean" : "");
        for (int v = 0; v < QV_N; v++)
            f->tests[v] = -1;
        f->lines = -1;
    }
    r->funcs[0].tests[QV_ASAN] = 3, r->funcs[0].pass[QV_ASAN] = 2, r->funcs[0].fail[QV_ASAN] = 1;
    r->funcs[0].tests[QV_VG] = 3, r->funcs[0].pass[QV_VG] = 3;
    r->funcs[0].lines = 40, r->funcs[0].lines_hit = 30;
    r->funcs[0].oom_sites = 4;
    r->nresults = 2;
    r->results = xcalloc(2, sizeof *r->results);
    r->results[0] = (q_result){xstrdup("asan"), xstrdup("value_array"), xstrdup("push"),
                               xstrdup("PASSED"), NULL};
    r->results[1] = (q_result){xstrdup("asan"), xstrdup("value_array"), xstrdup("grow"),
                               xstrdup("FAILED"), xstrdup("array.c:9: a < b & \"c\"\nmore")};
    r->nfuzz = 1;
    r->fuzz = xcalloc(1, sizeof *r->fuzz);
    r->fuzz[0] = (q_fuzz){.target = xstrdup("value"), .status = xstrdup("clean"),
                          .seconds = 60, .eps = 1000, .execs = 60000, .corpus = 12};
    r->noom = 1;
    r->oom = xcalloc(1, sizeof *r->oom);
    r->oom[0] = (q_oom){xstrdup("value"), xstrdup("suite"), 10, 50, 30, 7, 0, 2, 0};
    r->nbench = 1;
    r->bench = xcalloc(1, sizeof *r->bench);
    r->bench[0] = (q_bench){xstrdup("vec"), xstrdup("sum_1m"), xstrdup("scalar"),
                            xstrdup("Melem/s"), xstrdup("higher"), 800, 200, 4, 2, true};
    tlist_add(&r->gates, "asan: 1 <failing> test");
    snprintf(r->generated, sizeof r->generated, "2026-01-01 00:00:00 UTC");
    snprintf(r->commit, sizeof r->commit, "abc123");
    snprintf(r->host, sizeof r->host, "ci");
    r->cpus = 2;
    r->total_seconds = 78;
    r->fuzz_budget = 60;
    r->audit_problems = 0;
    r->cov.floor_line = r->cov.floor_branch = r->cov.floor_decision = -1;
    return r;
}

static inline void model_free(q_report *r)
{
    r->stages = NULL;   /* static */
    q_report_free(r);
    free(r);
}

#endif /* TESTS_QUALIFY_MODEL_H */
