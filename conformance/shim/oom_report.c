/*
 * conformance/shim/oom_report.c — the OOM engine's report: every injected
 * run's call stack symbolised with addr2line (the allocation's site and the
 * FFI entry it was reached under), then reports/oom/<name>.sdn with the
 * summary, the verdicts, one row per case, one per site and entry, and
 * every failure or suspect. See oom.c for the verdicts.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conformance/shim/oom.h"

static const rtc_oom_cases *cases;

int rtc_oom_is_failure(const rtc_oom_cases *c, int v)
{
    return v == V_LEAKED || v == V_CRASHED || v == V_HUNG ||
           (v == V_HEAP_LEAKED && strcmp(c->kind, "fuzz") == 0);
}

int rtc_oom_is_suspect(const rtc_oom_cases *c, int v)
{
    return !rtc_oom_is_failure(c, v) && (v == V_TEST_CRASHED || v == V_HEAP_LEAKED);
}

static int is_failure(int v) { return rtc_oom_is_failure(cases, v); }
static int is_suspect(int v) { return rtc_oom_is_suspect(cases, v); }
#define vnames rtc_oom_verdicts


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

void rtc_oom_write_report(const oom_opts *oo, const rtc_oom_cases *c, const char *exe,
                          const case_rec *cr, const run_rec *runs, size_t nruns)
{
    cases = c;
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
                cr[i].by_verdict[V_REFUSED] + cr[i].by_verdict[V_ORACLE], fl, sus,
                cr[i].baseline_failed ? "true" : "false");
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
