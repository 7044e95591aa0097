/*
 * conformance/shim/oom.c — the OOM engine behind `make oom`: run each case
 * (a test of a suite, or a fuzz input) again and again with one allocation
 * failing (SQLite/Lua-style fault injection through runtime/mem.c's OOM
 * plan, rtx_mem_oom_plan). Used by the runner's --oom mode (runner.c) and
 * by the fuzz targets' OOM replay (fuzz/oom_replay.c).
 *
 *   options: [--oom-all] [--oom-max M] [--oom-jobs J] [--oom-timeout S]
 *            [--oom-out DIR] [-q]
 *
 * Per case: a counting run (no failure) gives N, the allocation attempts
 * the case makes, and a hash of each attempt's call stack; then one run per
 * chosen k fails attempt k (pick_ks: by default the first, second and last
 * attempt of every distinct allocation call stack; --oom-all every k too;
 * --oom-max caps the runs per case), --oom-jobs of them at once, each in
 * its own forked child with its own shared page. Each run's end is judged:
 *   absorbed      it passed anyway (the allocation was optional or retried)
 *   refused       an assertion stopped the test: it saw an error, not success
 *   oracle_refused  a fuzz target's property oracle ("oracle failed", then
 *                 abort) rejected a result after the injected failure: the
 *                 function reported the failure in a way the oracle, written
 *                 for success, does not accept; counted, not a failure (the
 *                 run's leak checks are lost, the other runs keep them)
 *   leaked        LeakSanitizer found unreachable memory after the body ran
 *                 to its end                                         FAILURE
 *   heap_leaked   live heap objects outnumber those before the case after
 *                 the body ran to its end: a FAILURE for fuzz inputs (the
 *                 harness owns everything); for tests only reported, since
 *                 a test may drop an object of its own when a setup call
 *                 it does not check fails
 *   crashed       a signal or a sanitizer report in the runtime      FAILURE
 *   test_crashed  a sanitizer report whose first frame of ours is test code
 *                 (conformance/): the test used a result it did not check;
 *                 reported, not a failure of the runtime
 *   hung          outlived --oom-timeout (a deadlock on an error path) FAILURE
 *   unreached     attempt k never happened (threads make counts vary)
 * A case that fails without injection is reported as baseline_failed and
 * not injected.
 *
 * Each failed attempt's call stack is recorded in the child and symbolised
 * with addr2line at the end: the "site" is the first frame outside
 * runtime/mem.c (file:line of the allocation), the "entry" the outermost FFI
 * function (rt_*, native_*, doctest_*, simple_*) of the library on the stack.
 * Writes DIR/<label>.sdn (summary, per case, per site, failures) and
 * DIR/<label>.log (the stderr of every run judged a failure or a suspect).
 */
#include "conformance/shim/shim.h"

#include <execinfo.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conformance/shim/oom.h"
#include "runtime/mem.h"

typedef struct plan_arg {
    uint64_t k;              /* 0: the counting run */
    int expected_signal;     /* such an end is recorded too */
} plan_arg;

/* One run in flight: its own shared page and stderr capture. */
typedef struct slot {
    oom_page *page;
    FILE *errf;
    int errfd;
    pid_t pid;        /* 0: free */
    size_t cs;
    plan_arg pa;
} slot;

static oom_page *page;   /* the page of the run being started (the child keeps it) */
static const rtc_oom_cases *cases;
extern char __executable_start;

const char *const rtc_oom_verdicts[NV] = {"absorbed", "refused", "oracle_refused", "leaked",
                                          "heap_leaked", "crashed", "test_crashed", "hung",
                                          "unreached", "skipped"};
#define vnames rtc_oom_verdicts

static void arm(void *arg);
static void reset_run(slot *s);
static int judge(const shim_result *r, const char *err, const oom_page *pg);
static size_t pick_ks(const oom_page *pg, uint64_t n, uint64_t max, int all, uint64_t *ks);
static char *read_fd(int fd);

static int is_failure(int v) { return rtc_oom_is_failure(cases, v); }
static int is_suspect(int v) { return rtc_oom_is_suspect(cases, v); }

typedef struct engine {
    oom_opts oo;
    slot *slots;
    case_rec *cr;
    run_rec *runs;
    size_t nruns, capruns;
    FILE *log;
    uint64_t failures, suspects, total_runs;
} engine;

static pid_t start_run(engine *e, slot *s, size_t i, uint64_t k)
{
    reset_run(s);
    s->cs = i;
    s->pa.k = k;
    s->pa.expected_signal = cases->expected_signal ? cases->expected_signal(i) : 0;
    shim_run_opts o = {.before = arm, .arg = &s->pa, .stderr_fd = s->errfd,
                       .timeout = e->oo.timeout};
    page = s->page;
    s->pid = cases->start(i, &o);
    return s->pid;
}

/* An injected run ended: judge it, record it, report failures. */
static void finish_run(engine *e, slot *s, int st, uint64_t n)
{
    char id[512];
    size_t i = s->cs;
    cases->name(i, id, sizeof id);
    shim_result r = cases->judge(i, st);
    char *err = read_fd(s->errfd);
    const oom_page *pg = s->page;
    int v = pg->fired ? judge(&r, err, pg) : V_UNREACHED;
    e->cr[i].runs++;
    e->cr[i].by_verdict[v]++;
    e->total_runs++;
    if (pg->fired) {
        if (e->nruns == e->capruns) {
            run_rec *nr = realloc(e->runs, (e->capruns *= 2) * sizeof *e->runs);
            if (nr == NULL) {
                perror("oom: realloc");
                exit(2);
            }
            e->runs = nr;
        }
        run_rec *rr = &e->runs[e->nruns++];
        rr->cs = i;
        rr->k = (uint32_t)s->pa.k;
        rr->verdict = v;
        rr->nframes = pg->nframes;
        for (int f = 0; f < pg->nframes; f++)
            rr->frames[f] = (uintptr_t)pg->frames[f] - (uintptr_t)&__executable_start;
    }
    if (is_failure(v) || is_suspect(v)) {
        e->failures += is_failure(v) != 0;
        e->suspects += is_failure(v) == 0;
        if (is_failure(v) || !e->oo.quiet)
            fprintf(stderr, "[OOM ] %s: allocation %" PRIu64 " of %" PRIu64 " failed -> %s%s%s\n",
                    id, s->pa.k, n, vnames[v], r.why[0] ? ": " : "", r.why);
        fprintf(e->log, "==== %s allocation %" PRIu64 " of %" PRIu64 ": %s%s %s\n%s\n", id,
                s->pa.k, n, vnames[v], is_failure(v) ? " (FAILURE)" : " (suspect)", r.why,
                err ? err : "");
    }
    free(err);
    s->pid = 0;
}

/* The baseline run of case i, then its injected runs, e->oo.jobs at a time. */
static void run_case(engine *e, size_t i)
{
    char id[512];
    cases->name(i, id, sizeof id);
    slot *s0 = &e->slots[0];
    int st;
    pid_t pid = start_run(e, s0, i, 0);
    while (waitpid(pid, &st, 0) < 0)
        ;
    s0->pid = 0;
    shim_result base = cases->judge(i, st);
    if (base.outcome == SHIM_SKIP)
        return;
    if (base.outcome != SHIM_PASS || !s0->page->exited) {
        char *err = read_fd(s0->errfd);
        e->cr[i].baseline_failed = 1;
        fprintf(stderr, "[OOM ] %s: fails without injection (%s); not injected\n", id,
                base.why[0] ? base.why : "no normal end");
        fprintf(e->log, "==== %s without injection: %s\n%s\n", id, base.why, err ? err : "");
        free(err);
        return;
    }
    uint64_t n = s0->page->attempts;
    e->cr[i].allocations = n;
    e->cr[i].ran = 1;
    uint64_t *ks = malloc((n + 1) * sizeof *ks);
    size_t nks = ks ? pick_ks(s0->page, n, e->oo.max, e->oo.all, ks) : 0;
    size_t next = 0, inflight = 0;
    while (next < nks || inflight) {
        for (int j = 0; j < e->oo.jobs && next < nks; j++)
            if (e->slots[j].pid == 0) {
                start_run(e, &e->slots[j], i, ks[next++]);
                inflight++;
            }
        pid_t done = waitpid(-1, &st, 0);
        for (int j = 0; done > 0 && j < e->oo.jobs; j++)
            if (e->slots[j].pid == done) {
                finish_run(e, &e->slots[j], st, n);
                inflight--;
            }
    }
    free(ks);
    if (!e->oo.quiet)
        fprintf(stderr, "[OOM ] %s: %" PRIu64 " allocations, %" PRIu64 " runs: %" PRIu64
                        " absorbed, %" PRIu64 " refused\n",
                id, n, e->cr[i].runs, e->cr[i].by_verdict[V_ABSORBED],
                e->cr[i].by_verdict[V_REFUSED] + e->cr[i].by_verdict[V_ORACLE]);
}

int rtc_oom_main(const rtc_oom_cases *c, int argc, char **argv)
{
    engine e = {.oo = {.timeout = DEFAULT_OOM_TIMEOUT, .dir = "reports/oom", .jobs = 1},
                .capruns = 1024};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--oom-max") == 0 && i + 1 < argc)
            e.oo.max = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--oom-all") == 0)
            e.oo.all = 1;
        else if (strcmp(argv[i], "--oom-jobs") == 0 && i + 1 < argc)
            e.oo.jobs = atoi(argv[++i]);
        else if (strcmp(argv[i], "--oom-timeout") == 0 && i + 1 < argc)
            e.oo.timeout = atof(argv[++i]);
        else if (strcmp(argv[i], "--oom-out") == 0 && i + 1 < argc)
            e.oo.dir = argv[++i];
        else if (strcmp(argv[i], "-q") == 0)
            e.oo.quiet = 1;
    }
    if (e.oo.jobs < 1 || e.oo.jobs > 64)
        e.oo.jobs = 1;
    cases = c;
    char exe[4096];
    ssize_t el = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[el > 0 ? el : 0] = '\0';
    void *warm[2];
    (void)backtrace(warm, 2);   /* load the unwinder now, not inside a failing malloc */

    e.slots = calloc((size_t)e.oo.jobs, sizeof *e.slots);
    for (int j = 0; e.slots && j < e.oo.jobs; j++) {
        slot *s = &e.slots[j];
        s->page = mmap(NULL, sizeof *s->page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                       -1, 0);
        s->errf = tmpfile();
        if (s->page == MAP_FAILED || s->errf == NULL) {
            perror("oom: mmap/tmpfile");
            return 2;
        }
        s->errfd = fileno(s->errf);
    }
    e.cr = calloc(c->n + 1, sizeof *e.cr);
    e.runs = malloc(e.capruns * sizeof *e.runs);
    char logpath[4200];
    snprintf(logpath, sizeof logpath, "%s/%s.log", e.oo.dir, c->label);
    e.log = fopen(logpath, "w");
    if (e.slots == NULL || e.cr == NULL || e.runs == NULL || e.log == NULL) {
        perror(e.log == NULL ? logpath : "oom");
        return 2;
    }
    for (size_t i = 0; i < c->n; i++)
        if (c->wanted(i))
            run_case(&e, i);
    fclose(e.log);
    rtc_oom_write_report(&e.oo, c, exe, e.cr, e.runs, e.nruns);
    fprintf(stderr, "[====] OOM %s: %" PRIu64 " runs, %" PRIu64 " failure%s, %" PRIu64
                    " suspect%s (%s/%s.sdn)\n",
            c->label, e.total_runs, e.failures, e.failures == 1 ? "" : "s", e.suspects,
            e.suspects == 1 ? "" : "s", e.oo.dir, c->label);
    for (int j = 0; j < e.oo.jobs; j++) {
        fclose(e.slots[j].errf);
        munmap(e.slots[j].page, sizeof *e.slots[j].page);
    }
    free(e.slots);
    free(e.cr);
    free(e.runs);
    return e.failures ? 1 : 0;
}

static void reset_run(slot *s)
{
    memset(s->page, 0, sizeof *s->page);
    if (ftruncate(s->errfd, 0) != 0 || lseek(s->errfd, 0, SEEK_SET) != 0)
        perror("oom: cannot reset the capture file");
}

/* ---- in the child ------------------------------------------------------------------- */

static void child_exit(void)
{
    page->attempts = rtx_mem_oom_attempts();
    page->body_completed = cases->body_completed();
    page->failed_after_body = cases->failed_after_body();
    page->exited = 1;
}

static void on_expected_signal(int sig)
{
    child_exit();   /* plain stores and atomic loads: async-signal-safe */
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Injected runs: the failing allocation records its call stack. */
static void on_attempt(uint64_t k, int failing)
{
    (void)k;
    if (!failing)
        return;
    page->nframes = backtrace(page->frames, MAX_FRAMES);
    page->fired = 1;
}

/* The counting run: every attempt's call stack, hashed (FNV-1a over the
 * return addresses), so that pick_ks can aim at distinct allocation paths. */
static void on_count(uint64_t k, int failing)
{
    (void)failing;
    if (k == 0 || k > MAX_TRACE)
        return;
    void *fr[16];
    int n = backtrace(fr, 16);
    uint64_t h = UINT64_C(1469598103934665603);
    for (int i = 0; i < n; i++) {
        h ^= (uint64_t)(uintptr_t)fr[i];
        h *= UINT64_C(1099511628211);
    }
    page->stack_hash[k - 1] = h | 1;   /* never 0: 0 means "not recorded" */
}

static void arm(void *arg)
{
    const plan_arg *pa = arg;
    atexit(child_exit);
    if (pa->expected_signal)
        signal(pa->expected_signal, on_expected_signal);
    rtx_mem_oom_plan(pa->k, pa->k ? on_attempt : on_count);
}

/* ---- in the parent ------------------------------------------------------------------ */

/* The first frame of a sanitizer report that is in this repository's code:
 * 1 when it is test code (conformance/, not the runner), 0 otherwise. */
static int report_in_test_code(const char *err)
{
    static const char *const ours[] = {"runtime/", "sdn/", "coverage_rt/", "gpu/", "simd/",
                                       "net/", "fuzz/", "conformance/"};
    const char *ue = strstr(err, ": runtime error:");
    if (ue) {   /* UBSan: "path:line:col: runtime error: ..." */
        const char *ls = ue;
        while (ls > err && ls[-1] != '\n')
            ls--;
        return strncmp(ls, "conformance/", 12) == 0 && strncmp(ls, "conformance/shim/", 17) != 0;
    }
    for (const char *p = strstr(err, "    #"); p; p = strstr(p + 1, "    #")) {
        const char *in = strstr(p, " in ");
        const char *eol = strchr(p, '\n');
        if (in == NULL || (eol && in > eol))
            continue;
        const char *path = strchr(in + 4, ' ');   /* after the function name */
        if (path == NULL || (eol && path > eol))
            continue;
        path++;
        for (size_t k = 0; k < sizeof ours / sizeof ours[0]; k++) {
            const char *at = strstr(path, ours[k]);
            if (at && (!eol || at < eol))
                return strcmp(ours[k], "conformance/") == 0 &&
                       strncmp(at, "conformance/shim/", 17) != 0;
        }
    }
    return 0;
}

static int judge(const shim_result *r, const char *err, const oom_page *pg)
{
    if (r->timed_out)
        return V_HUNG;
    if (err && strstr(err, "ERROR: LeakSanitizer"))
        return V_LEAKED;
    if (r->outcome == SHIM_CRASH && WIFSIGNALED(r->wait_status) &&
        WTERMSIG(r->wait_status) == SIGABRT && err && strstr(err, "oracle failed") &&
        !strstr(err, "Sanitizer"))
        return V_ORACLE;
    if (r->outcome == SHIM_CRASH || !pg->exited ||
        (err && (strstr(err, "ERROR: AddressSanitizer") || strstr(err, "runtime error:") ||
                 strstr(err, "ERROR: ThreadSanitizer"))))
        return err && report_in_test_code(err) ? V_TEST_CRASHED : V_CRASHED;
    if (r->outcome == SHIM_SKIP)
        return V_SKIPPED;
    if (r->outcome == SHIM_PASS)
        return V_ABSORBED;
    return pg->failed_after_body ? V_HEAP_LEAKED : V_REFUSED;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

typedef struct hk {
    uint64_t h, k;
} hk;

static int cmp_hk(const void *a, const void *b)
{
    const hk *x = a, *y = b;
    if (x->h != y->h)
        return x->h < y->h ? -1 : 1;
    return x->k < y->k ? -1 : x->k > y->k;
}

/* The attempts to fail, from the counting run's stack hashes:
 *  - directed (default): for every distinct allocation call stack, its
 *    first, second and last attempt (the second and the last fail a loop
 *    after earlier iterations succeeded: the partial-cleanup paths);
 *  - all (--oom-all): every attempt 1..n as well.
 * With max > 0, at most max attempts: the directed ones by rank (every
 * stack's first before any second, seconds before lasts), then all-mode's
 * evenly spaced over 1..n. Returns them sorted and distinct. */
static size_t pick_ks(const oom_page *pg, uint64_t n, uint64_t max, int all, uint64_t *ks)
{
    uint64_t traced = n < MAX_TRACE ? n : MAX_TRACE;
    hk *by = malloc((traced + 1) * sizeof *by);
    uint8_t *rank = calloc(traced + 1, 1);
    uint64_t *cand = malloc((3 * traced + n + 1) * sizeof *cand);
    size_t nc = 0;
    if (by == NULL || rank == NULL || cand == NULL) {
        free(by), free(rank), free(cand);
        return 0;
    }
    /* An attempt whose stack was not recorded counts as a stack of its own. */
    for (uint64_t k = 1; k <= traced; k++)
        by[k - 1] = (hk){pg->stack_hash[k - 1] ? pg->stack_hash[k - 1] : k << 1, k};
    qsort(by, traced, sizeof *by, cmp_hk);
    for (uint64_t i = 0; i < traced;) {
        uint64_t j = i;
        while (j < traced && by[j].h == by[i].h)
            j++;
        rank[by[i].k - 1] = 1;
        if (j - i >= 2)
            rank[by[i + 1].k - 1] = 2;
        if (j - i >= 3)
            rank[by[j - 1].k - 1] = 3;
        i = j;
    }
    for (uint8_t r = 1; r <= 3; r++)
        for (uint64_t k = 1; k <= traced; k++)
            if (rank[k - 1] == r)
                cand[nc++] = k;
    if (max && nc > max)
        nc = max;
    if (all) {
        uint64_t room = max ? (max > nc ? max - nc : 0) : n;
        for (uint64_t j = 1; j <= room; j++) {
            uint64_t k = room >= n ? j : (j * n + room - 1) / room;
            if (k >= 1 && k <= n)
                cand[nc++] = k;
        }
    }
    qsort(cand, nc, sizeof *cand, cmp_u64);
    size_t m = 0;
    for (size_t i = 0; i < nc; i++)
        if (m == 0 || ks[m - 1] != cand[i])
            ks[m++] = cand[i];
    free(by), free(rank), free(cand);
    return m;
}

static char *read_fd(int fd)
{
    off_t len = lseek(fd, 0, SEEK_END);
    if (len <= 0)
        return NULL;
    if (len > 65536)
        len = 65536;   /* the start holds the report that matters */
    char *s = malloc((size_t)len + 1);
    if (s == NULL)
        return NULL;
    ssize_t got = pread(fd, s, (size_t)len, 0);
    s[got > 0 ? got : 0] = '\0';
    return s;
}

