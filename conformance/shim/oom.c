/*
 * conformance/shim/oom.c — the OOM engine behind `make oom`: run each case
 * (a test of a suite, or a fuzz input) again and again with one allocation
 * failing (SQLite/Lua-style fault injection through runtime/mem.c's OOM
 * plan, rtx_mem_oom_plan). Used by the runner's --oom mode (runner.c) and
 * by the fuzz targets' OOM replay (fuzz/oom_replay.c).
 *
 *   options: [--oom-all] [--oom-max M] [--oom-timeout S] [--oom-out DIR] [-q]
 *
 * Per case: a counting run (no failure) gives N, the allocation attempts
 * the case makes, and a hash of each attempt's call stack; then one run per
 * chosen k fails attempt k (pick_ks: by default the first, second and last
 * attempt of every distinct allocation call stack; --oom-all every k too;
 * --oom-max caps the runs per case). Each run's end is judged:
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

#include "runtime/mem.h"

#define MAX_FRAMES 24
#define MAX_TRACE 65536          /* attempts whose call stacks the counting run hashes */
#define DEFAULT_OOM_TIMEOUT 60

enum {
    V_ABSORBED, V_REFUSED, V_ORACLE, V_LEAKED, V_HEAP_LEAKED, V_CRASHED, V_TEST_CRASHED,
    V_HUNG, V_UNREACHED, V_SKIPPED, NV
};
static const char *const vnames[NV] = {"absorbed", "refused", "oracle_refused", "leaked",
                                       "heap_leaked", "crashed", "test_crashed", "hung",
                                       "unreached", "skipped"};

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

typedef struct plan_arg {
    uint64_t k;              /* 0: the counting run */
    int expected_signal;     /* such an end is recorded too */
} plan_arg;

typedef struct oom_opts {
    uint64_t max;
    int all, quiet;
    double timeout;
    const char *dir;
} oom_opts;

static oom_page *page;
static const rtc_oom_cases *cases;
extern char __executable_start;

static void arm(void *arg);
static void reset_run(int errfd);
static int judge(const shim_result *r, const char *err);
static size_t pick_ks(uint64_t n, uint64_t max, int all, uint64_t *ks);
static char *read_fd(int fd);
static void write_report(const oom_opts *oo, const char *exe, const case_rec *cr,
                         const run_rec *runs, size_t nruns);

/* Failures of the runtime; heap leaks only where the harness owns everything. */
static int is_failure(int v)
{
    return v == V_LEAKED || v == V_CRASHED || v == V_HUNG ||
           (v == V_HEAP_LEAKED && strcmp(cases->kind, "fuzz") == 0);
}

static int is_suspect(int v)
{
    return !is_failure(v) && (v == V_TEST_CRASHED || v == V_HEAP_LEAKED);
}

int rtc_oom_main(const rtc_oom_cases *c, int argc, char **argv)
{
    oom_opts oo = {.timeout = DEFAULT_OOM_TIMEOUT, .dir = "reports/oom"};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--oom-max") == 0 && i + 1 < argc)
            oo.max = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--oom-all") == 0)
            oo.all = 1;
        else if (strcmp(argv[i], "--oom-timeout") == 0 && i + 1 < argc)
            oo.timeout = atof(argv[++i]);
        else if (strcmp(argv[i], "--oom-out") == 0 && i + 1 < argc)
            oo.dir = argv[++i];
        else if (strcmp(argv[i], "-q") == 0)
            oo.quiet = 1;
    }
    cases = c;
    char exe[4096];
    ssize_t el = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[el > 0 ? el : 0] = '\0';

    page = mmap(NULL, sizeof *page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) {
        perror("oom: mmap");
        return 2;
    }
    void *warm[2];
    (void)backtrace(warm, 2);   /* load the unwinder now, not inside a failing malloc */

    case_rec *cr = calloc(c->n + 1, sizeof *cr);
    size_t nruns = 0, capruns = 1024;
    run_rec *runs = malloc(capruns * sizeof *runs);
    char logpath[4200];
    snprintf(logpath, sizeof logpath, "%s/%s.log", oo.dir, c->label);
    FILE *log = fopen(logpath, "w");
    FILE *errf = tmpfile();
    if (cr == NULL || runs == NULL || log == NULL || errf == NULL) {
        perror(log == NULL ? logpath : "oom");
        return 2;
    }
    int errfd = fileno(errf);
    uint64_t failures = 0, suspects = 0, total_runs = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (!c->wanted(i))
            continue;
        char id[512];
        c->name(i, id, sizeof id);
        /* The counting run is also the baseline, which must pass. */
        plan_arg pa = {.expected_signal = c->expected_signal ? c->expected_signal(i) : 0};
        shim_run_opts o = {.before = arm, .arg = &pa, .stderr_fd = errfd, .timeout = oo.timeout};
        reset_run(errfd);
        shim_result base = c->run(i, &o);
        if (base.outcome == SHIM_SKIP)
            continue;
        if (base.outcome != SHIM_PASS || !page->exited) {
            char *err = read_fd(errfd);
            cr[i].baseline_failed = 1;
            fprintf(stderr, "[OOM ] %s: fails without injection (%s); not injected\n", id,
                    base.why[0] ? base.why : "no normal end");
            fprintf(log, "==== %s without injection: %s\n%s\n", id, base.why, err ? err : "");
            free(err);
            continue;
        }
        uint64_t n = page->attempts;
        cr[i].allocations = n;
        cr[i].ran = 1;
        uint64_t *ks = malloc((n + 1) * sizeof *ks);
        size_t nks = ks ? pick_ks(n, oo.max, oo.all, ks) : 0;
        for (size_t j = 0; j < nks; j++) {
            pa.k = ks[j];
            reset_run(errfd);
            shim_result r = c->run(i, &o);
            char *err = read_fd(errfd);
            int v = page->fired ? judge(&r, err) : V_UNREACHED;
            cr[i].runs++;
            cr[i].by_verdict[v]++;
            total_runs++;
            if (page->fired) {
                if (nruns == capruns) {
                    run_rec *nr = realloc(runs, (capruns *= 2) * sizeof *runs);
                    if (nr == NULL) {
                        perror("oom: realloc");
                        return 2;
                    }
                    runs = nr;
                }
                run_rec *rr = &runs[nruns++];
                rr->cs = i;
                rr->k = (uint32_t)ks[j];
                rr->verdict = v;
                rr->nframes = page->nframes;
                for (int f = 0; f < page->nframes; f++)
                    rr->frames[f] = (uintptr_t)page->frames[f] - (uintptr_t)&__executable_start;
            }
            if (is_failure(v) || is_suspect(v)) {
                failures += is_failure(v) != 0;
                suspects += is_failure(v) == 0;
                if (is_failure(v) || !oo.quiet)
                    fprintf(stderr, "[OOM ] %s: allocation %" PRIu64 " of %" PRIu64 " failed -> %s%s%s\n",
                            id, ks[j], n, vnames[v], r.why[0] ? ": " : "", r.why);
                fprintf(log, "==== %s allocation %" PRIu64 " of %" PRIu64 ": %s%s %s\n%s\n", id,
                        ks[j], n, vnames[v], is_failure(v) ? " (FAILURE)" : " (suspect)", r.why,
                        err ? err : "");
            }
            free(err);
        }
        free(ks);
        if (!oo.quiet)
            fprintf(stderr, "[OOM ] %s: %" PRIu64 " allocations, %" PRIu64 " runs: %" PRIu64
                            " absorbed, %" PRIu64 " refused\n",
                    id, n, cr[i].runs, cr[i].by_verdict[V_ABSORBED],
                    cr[i].by_verdict[V_REFUSED] + cr[i].by_verdict[V_ORACLE]);
    }
    fclose(log);
    fclose(errf);
    write_report(&oo, exe, cr, runs, nruns);
    fprintf(stderr, "[====] OOM %s: %" PRIu64 " runs, %" PRIu64 " failure%s, %" PRIu64
                    " suspect%s (%s/%s.sdn)\n",
            c->label, total_runs, failures, failures == 1 ? "" : "s", suspects,
            suspects == 1 ? "" : "s", oo.dir, c->label);
    free(cr);
    free(runs);
    return failures ? 1 : 0;
}

static void reset_run(int errfd)
{
    memset(page, 0, sizeof *page);
    if (ftruncate(errfd, 0) != 0 || lseek(errfd, 0, SEEK_SET) != 0)
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

static int judge(const shim_result *r, const char *err)
{
    if (r->timed_out)
        return V_HUNG;
    if (err && strstr(err, "ERROR: LeakSanitizer"))
        return V_LEAKED;
    if (r->outcome == SHIM_CRASH && WIFSIGNALED(r->wait_status) &&
        WTERMSIG(r->wait_status) == SIGABRT && err && strstr(err, "oracle failed") &&
        !strstr(err, "Sanitizer"))
        return V_ORACLE;
    if (r->outcome == SHIM_CRASH || !page->exited ||
        (err && (strstr(err, "ERROR: AddressSanitizer") || strstr(err, "runtime error:") ||
                 strstr(err, "ERROR: ThreadSanitizer"))))
        return err && report_in_test_code(err) ? V_TEST_CRASHED : V_CRASHED;
    if (r->outcome == SHIM_SKIP)
        return V_SKIPPED;
    if (r->outcome == SHIM_PASS)
        return V_ABSORBED;
    return page->failed_after_body ? V_HEAP_LEAKED : V_REFUSED;
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
static size_t pick_ks(uint64_t n, uint64_t max, int all, uint64_t *ks)
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
        by[k - 1] = (hk){page->stack_hash[k - 1] ? page->stack_hash[k - 1] : k << 1, k};
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

/* ---- symbolisation and the report --------------------------------------------------- */

#define MAX_INLINE 6

typedef struct sym {
    uintptr_t off;
    int nlev;                 /* inline levels, innermost first */
    char func[MAX_INLINE][128], loc[MAX_INLINE][160];
} sym;

/* Copy with truncation (snprintf("%s") would warn about it under -Werror). */
static void scopy(char *d, size_t n, const char *s)
{
    size_t l = strlen(s);
    if (l >= n)
        l = n - 1;
    memcpy(d, s, l);
    d[l] = '\0';
}

static int cmp_uptr(const void *a, const void *b)
{
    uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;
    return x < y ? -1 : x > y;
}

/* Reads `addr2line -a -f -i` output: "0x<addr>" then (function, file:line)
 * pairs, one per inline level. */
static void parse_addr2line(FILE *p, sym *syms, size_t u)
{
    char line[512];
    long cur = -1;
    int want_loc = 0;
    while (fgets(line, sizeof line, p)) {
        line[strcspn(line, "\n")] = '\0';
        if (!want_loc && strncmp(line, "0x", 2) == 0) {
            cur++;
            continue;
        }
        if (cur < 0 || (size_t)cur >= u)
            break;
        sym *s = &syms[cur];
        if (!want_loc) {
            if (s->nlev < MAX_INLINE)
                scopy(s->func[s->nlev], sizeof s->func[0], line);
            want_loc = 1;
            continue;
        }
        char *d = strstr(line, " (discriminator");
        if (d)
            *d = '\0';
        if (s->nlev < MAX_INLINE)
            scopy(s->loc[s->nlev++], sizeof s->loc[0], line);
        want_loc = 0;
    }
}

/* One addr2line call for every distinct return address (minus one, so the
 * call instruction is named, not the line after it). */
static sym *symbolise(const char *exe, const run_rec *runs, size_t nruns, size_t *nsyms)
{
    size_t cap = 0;
    for (size_t i = 0; i < nruns; i++)
        cap += (size_t)runs[i].nframes;
    uintptr_t *offs = malloc((cap + 1) * sizeof *offs);
    sym *syms = NULL;
    size_t n = 0, u = 0;
    if (offs == NULL)
        goto out;
    for (size_t i = 0; i < nruns; i++)
        for (int f = 0; f < runs[i].nframes; f++)
            offs[n++] = runs[i].frames[f] - 1;
    qsort(offs, n, sizeof *offs, cmp_uptr);
    for (size_t i = 0; i < n; i++)
        if (u == 0 || offs[u - 1] != offs[i])
            offs[u++] = offs[i];
    syms = calloc(u + 1, sizeof *syms);
    if (syms == NULL)
        goto out;
    for (size_t i = 0; i < u; i++)
        syms[i].off = offs[i];
    char tmp[] = "/tmp/simplert-oom-XXXXXX";
    int fd = mkstemp(tmp);
    FILE *af = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (af == NULL)
        goto out;
    for (size_t i = 0; i < u; i++)
        fprintf(af, "0x%lx\n", (unsigned long)offs[i]);
    fclose(af);
    char cmd[8400];
    snprintf(cmd, sizeof cmd, "addr2line -a -f -i -e '%s' < %s", exe, tmp);
    FILE *p = popen(cmd, "r");
    if (p) {
        parse_addr2line(p, syms, u);
        pclose(p);
    }
    unlink(tmp);
out:
    free(offs);
    *nsyms = syms ? u : 0;
    return syms;
}

static const sym *find_sym(const sym *syms, size_t n, uintptr_t off)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (syms[mid].off < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && syms[lo].off == off ? &syms[lo] : NULL;
}

static int is_mem_frame(const char *func, const char *loc)
{
    return strstr(loc, "runtime/mem.c") || strstr(loc, "conformance/shim/") ||
           strncmp(func, "rtx_malloc", 10) == 0 || strncmp(func, "rtx_calloc", 10) == 0 ||
           strncmp(func, "rtx_realloc", 11) == 0 || strcmp(func, "backtrace") == 0 ||
           strcmp(func, "??") == 0;
}

/* An FFI function of the library (not a test or harness function that
 * happens to share the prefix). */
static int is_entry(const char *func, const char *loc)
{
    return (strncmp(func, "rt_", 3) == 0 || strncmp(func, "native_", 7) == 0 ||
            strncmp(func, "doctest_", 8) == 0 || strncmp(func, "simple_", 7) == 0) &&
           !strstr(loc, "conformance/") && !strstr(loc, "fuzz/") && !strstr(loc, "tests/");
}

typedef struct site_row {
    char site[200], func[128], entry[128];
    uint64_t runs, failures;
} site_row;

/* The allocation's site (file:line, function) and the outermost FFI entry. */
static void site_of(const run_rec *r, const sym *syms, size_t nsyms, site_row *out)
{
    scopy(out->site, sizeof out->site, "?");
    scopy(out->func, sizeof out->func, "?");
    scopy(out->entry, sizeof out->entry, "-");
    int have_site = 0;
    for (int f = 0; f < r->nframes; f++) {
        const sym *s = find_sym(syms, nsyms, r->frames[f] - 1);
        for (int l = 0; s && l < s->nlev; l++) {
            if (!have_site && !is_mem_frame(s->func[l], s->loc[l])) {
                const char *loc = s->loc[l], *rel = NULL;
                static const char *const roots[] = {"/runtime/", "/sdn/", "/coverage_rt/",
                                                    "/gpu/", "/simd/", "/net/"};
                for (size_t k = 0; k < sizeof roots / sizeof roots[0] && !rel; k++)
                    rel = strstr(loc, roots[k]);
                scopy(out->site, sizeof out->site, rel ? rel + 1 : loc);
                scopy(out->func, sizeof out->func, s->func[l]);
                have_site = 1;
            }
            if (have_site && is_entry(s->func[l], s->loc[l]))
                scopy(out->entry, sizeof out->entry, s->func[l]);   /* keeps the outermost */
        }
    }
}

static void q(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '\n') {
            fputs("\\n", f);
            continue;
        }
        if (*s == '"' || *s == '\\')
            fputc('\\', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static uint64_t count_failures(const case_rec *c)
{
    uint64_t n = 0;
    for (int v = 0; v < NV; v++)
        if (is_failure(v))
            n += c->by_verdict[v];
    return n;
}

static uint64_t count_suspects(const case_rec *c)
{
    uint64_t n = 0;
    for (int v = 0; v < NV; v++)
        if (is_suspect(v) && !is_failure(v))
            n += c->by_verdict[v];
    return n;
}

static void write_report(const oom_opts *oo, const char *exe, const case_rec *cr,
                         const run_rec *runs, size_t nruns)
{
    size_t nsyms;
    sym *syms = symbolise(exe, runs, nruns, &nsyms);
    site_row *sites = calloc(nruns + 1, sizeof *sites);
    site_row *per_run = calloc(nruns + 1, sizeof *per_run);
    size_t nsites = 0;
    char path[4200], tmp[4300], id[512];
    FILE *f = NULL;
    if (sites == NULL || per_run == NULL)
        goto out;
    for (size_t i = 0; i < nruns; i++) {
        site_of(&runs[i], syms, nsyms, &per_run[i]);
        size_t j = 0;
        while (j < nsites && !(strcmp(sites[j].site, per_run[i].site) == 0 &&
                               strcmp(sites[j].entry, per_run[i].entry) == 0))
            j++;
        if (j == nsites)
            sites[nsites++] = per_run[i];
        sites[j].runs++;
        sites[j].failures += is_failure(runs[i].verdict) != 0;
    }
    size_t distinct = 0;   /* distinct file:line, whatever the entry */
    for (size_t j = 0; j < nsites; j++) {
        int seen = 0;
        for (size_t k = 0; k < j && !seen; k++)
            seen = strcmp(sites[k].site, sites[j].site) == 0;
        distinct += !seen;
    }
    uint64_t tot[NV] = {0}, allocs = 0, nruns_all = 0, ran = 0, with_allocs = 0, bfail = 0;
    uint64_t fails = 0, sus_total = 0;
    for (size_t i = 0; i < cases->n; i++) {
        for (int v = 0; v < NV; v++)
            tot[v] += cr[i].by_verdict[v];
        allocs += cr[i].allocations;
        nruns_all += cr[i].runs;
        ran += (uint64_t)cr[i].ran;   /* baseline passed (cases with no allocation too) */
        with_allocs += cr[i].allocations > 0;
        bfail += (uint64_t)cr[i].baseline_failed;
        fails += count_failures(&cr[i]);
        sus_total += count_suspects(&cr[i]);
    }
    snprintf(path, sizeof path, "%s/%s.sdn", oo->dir, cases->label);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    f = fopen(tmp, "w");
    if (f == NULL) {
        perror(tmp);
        goto out;
    }
    fputs("# Generated by the OOM engine (conformance/shim/oom.c); README, \"make oom\".\n"
          "name: ", f);
    q(f, cases->label);
    fprintf(f, "\nkind: %s\nmode: %s\nmax_per_case: %" PRIu64 "\ncases: %" PRIu64
               "\ncases_allocating: %" PRIu64 "\nallocations: %" PRIu64 "\nruns: %" PRIu64
               "\nsites: %zu\nsite_entries: %zu\nfailures: %" PRIu64
               "\nsuspects: %" PRIu64 "\nbaseline_failed: %" PRIu64 "\nverdicts:\n",
            cases->kind, oo->all ? "all" : "directed", oo->max, ran, with_allocs, allocs,
            nruns_all, distinct, nsites, fails, sus_total, bfail);
    for (int v = 0; v < NV; v++)
        fprintf(f, "    %s: %" PRIu64 "\n", vnames[v], tot[v]);
    fputs("\ncases_table |case, allocations, runs, absorbed, refused, failures, suspects, "
          "baseline_failed|\n", f);
    for (size_t i = 0; i < cases->n; i++) {
        if (!cr[i].ran && !cr[i].baseline_failed)
            continue;
        cases->name(i, id, sizeof id);
        uint64_t fl = count_failures(&cr[i]);
        uint64_t sus = count_suspects(&cr[i]);
        fputs("    ", f);
        q(f, id);
        fprintf(f, ", %" PRIu64 ", %" PRIu64 ", %" PRIu64 ", %" PRIu64 ", %" PRIu64 ", %" PRIu64
                   ", %s\n",
                cr[i].allocations, cr[i].runs, cr[i].by_verdict[V_ABSORBED],
                cr[i].by_verdict[V_REFUSED] + cr[i].by_verdict[V_ORACLE], fl, sus, cr[i].baseline_failed ? "true" : "false");
    }
    fputs("\nsites_table |site, function, entry, runs, failures|\n", f);
    for (size_t j = 0; j < nsites; j++) {
        fputs("    ", f);
        q(f, sites[j].site);
        fputs(", ", f);
        q(f, sites[j].func);
        fputs(", ", f);
        q(f, sites[j].entry);
        fprintf(f, ", %" PRIu64 ", %" PRIu64 "\n", sites[j].runs, sites[j].failures);
    }
    fputs("\nfindings_table |case, allocation, verdict, failure, site, entry|\n", f);
    for (size_t i = 0; i < nruns; i++) {
        int v = runs[i].verdict;
        if (!is_failure(v) && !is_suspect(v))
            continue;
        cases->name(runs[i].cs, id, sizeof id);
        fputs("    ", f);
        q(f, id);
        fprintf(f, ", %u, %s, %s, ", runs[i].k, vnames[v], is_failure(v) ? "true" : "false");
        q(f, per_run[i].site);
        fputs(", ", f);
        q(f, per_run[i].entry);
        fputc('\n', f);
    }
    if (fclose(f) == 0)
        rename(tmp, path);
out:
    free(syms);
    free(sites);
    free(per_run);
}
