/*
 * tools/fuzz_cmd.c — `simplert fuzz`: AFL++ campaigns, one per fuzz target.
 *
 * Each target gets a slice of the time budget and --jobs afl-fuzz instances
 * over one sync directory (AFL++'s own main/secondary scheme: -M for the
 * first, -S for the others), seeded with fuzz/corpus/<t> and its dictionary
 * fuzz/dict/<t>.dict. The state stays in fuzz/work/<t>/ (or --sync-dir
 * DIR/<t>/, shared with other machines), so a second run resumes (-i -).
 * afl-fuzz exits 0 even when it found crashes, so the verdict comes from
 * the instances' crashes/ folders and fuzzer_stats: every new crash is
 * minimised with afl-tmin and replayed under ASan+UBSan; one input per
 * distinct crash (sanitizer SUMMARY or oracle line) goes to
 * fuzz/regressions/<t>/crash-<hash>, which the regression replay of
 * `make test` then runs forever. Writes
 * reports/fuzz/<t>.sdn and reports/fuzz/summary.sdn; exits 1 when a target
 * crashed or a campaign could not run.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tools/cli.h"
#include "tools/fuzz.h"
#include "tools/proc.h"

static const char usage[] =
    "usage: simplert fuzz [TARGET...] [options]\n"
    "\n"
    "AFL++ campaigns over the fuzz targets (all of fuzz/targets/ unless named).\n"
    "\n"
    "  --time T           the whole campaign's wall-clock budget, shared by the targets\n"
    "                     (seconds, or with s/m/h; default 10m); each target gets\n"
    "                     T / targets, at least --min-slice\n"
    "  --min-slice S      the shortest slice a target gets (default 10 s)\n"
    "  --jobs N           afl-fuzz instances per target, at once (default: CPUs)\n"
    "  --changed REF      only the targets a change since git REF can affect: their own\n"
    "                     files, the harness, or a library file their objects reach\n"
    "  --sync-dir DIR     keep each target's state in DIR/<target>/ and run this machine's\n"
    "                     instances as AFL++ secondaries (-S) over it, so that several\n"
    "                     machines fuzz one campaign; DIR is shared (NFS, or rsync)\n"
    "  --main             with --sync-dir: this machine runs the main instance (-M);\n"
    "                     exactly one machine per campaign does\n"
    "  --name NAME        instance name prefix (default: the host name)\n"
    "  --minimize-corpus  afterwards, afl-cmin the queue and the corpus back into\n"
    "                     fuzz/corpus/<target>/ (rewrites committed files)\n"
    "  --no-tmin          keep crashes as found instead of minimising them\n"
    "  --no-build         do not run `make fuzz-afl-bins` first\n"
    "  --work DIR         local campaign state (default fuzz/work)\n"
    "  --out DIR          summaries (default reports/fuzz)\n"
    "  --list             print the selected targets and exit\n"
    "  --dry-run          print the afl-fuzz commands, run nothing\n"
    "\n"
    "Environment set for afl-fuzz (unless already set): AFL_NO_UI=1 (plain logs),\n"
    "AFL_SKIP_CPUFREQ=1 (containers cannot set the governor), AFL_NO_AFFINITY=1 (a shared\n"
    "machine: no core pinning, so more instances than free cores still start), and\n"
    "AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 only when kernel.core_pattern pipes cores to\n"
    "a program (afl-fuzz refuses to start then; crashes are still seen through wait()).\n"
    "\n"
    "Exit status: 0 no new crash; 1 a target crashed or a campaign failed to run; 2 usage.\n";

typedef struct fz_opts {
    double time, min_slice;
    int jobs;
    const char *changed, *sync_dir, *name, *work, *out;
    bool main_role, minimize, tmin, list, dry, build;
} fz_opts;

typedef struct fz_result {
    const char *target;
    int instances;
    double seconds;
    uint64_t execs, corpus, found, crashes_new, crashes_total, hangs;
    double eps, cvg;
    long edges, total_edges;
    int added, resumed;
    const char *status;   /* clean | crash | error | dry-run */
    tlist new_regressions;
} fz_result;

static double parse_time(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || v < 0)
        return -1;
    if (*end == 'm')
        v *= 60;
    else if (*end == 'h')
        v *= 3600;
    else if (*end != '\0' && *end != 's')
        return -1;
    return v;
}

void fuzz_all_targets(const char *root, tlist *out)
{
    tbuf dir = {0};
    tbuf_printf(&dir, "%s/fuzz/targets", root);
    DIR *d = opendir(dir.s);
    tbuf_free(&dir);
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n > 2 && strcmp(e->d_name + n - 2, ".c") == 0) {
            char *name = xstrndup(e->d_name, n - 2);
            tlist_add(out, name);
            free(name);
        }
    }
    closedir(d);
    tlist_sort(out);
}

static void set_default_env(const char *k, const char *v)
{
    if (getenv(k) == NULL)
        setenv(k, v, 1);
}

/* ---- AFL++ state --------------------------------------------------------------------- */

/* Value of "key : value" in an instance's fuzzer_stats, or NULL. */
static const char *stat_of(const char *stats, const char *key, char *buf, size_t len)
{
    size_t kl = strlen(key);
    for (const char *p = stats; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (strncmp(p, key, kl) == 0 && (p[kl] == ' ' || p[kl] == ':')) {
            const char *v = strchr(p, ':');
            if (v == NULL)
                return NULL;
            v++;
            while (*v == ' ')
                v++;
            size_t n = strcspn(v, "\n");
            if (n >= len)
                n = len - 1;
            memcpy(buf, v, n);
            buf[n] = '\0';
            return buf;
        }
    }
    return NULL;
}

static double stat_num(const char *stats, const char *key)
{
    char buf[64];
    return stat_of(stats, key, buf, sizeof buf) ? strtod(buf, NULL) : 0;
}

/* Names of the files in dir that start with "id:". */
static void list_ids(const char *dir, tlist *out)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strncmp(e->d_name, "id:", 3) == 0)
            tlist_add(out, e->d_name);
    closedir(d);
    tlist_sort(out);
}

static uint64_t fnv64(const char *data, size_t n)
{
    uint64_t h = UINT64_C(1469598103934665603);
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)data[i];
        h *= UINT64_C(1099511628211);
    }
    return h;
}

static int copy_file(const char *from, const char *to)
{
    size_t n;
    char *data = read_file(from, &n);
    int rc = data ? write_file(to, data, n) : -1;
    free(data);
    return rc;
}

/* What a crashing input does, for grouping: the sanitizer's SUMMARY line or
 * the harness's "oracle failed" line of the ASan+UBSan replay build, digits
 * dropped (leak sizes, addresses); "" when the replay does not crash. */
static char *crash_signature(const char *t, const char *input)
{
    tbuf cmd = {0};
    tbuf_puts(&cmd, "ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:allocator_may_return_null=1 "
                    "UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ");
    tbuf_printf(&cmd, "build/asan/fuzz/%s -q ", t);
    proc_shell_quote(&cmd, input);
    tbuf_puts(&cmd, " 2>&1");
    int st;
    char *out = proc_capture(cmd.s, true, &st);
    tbuf_free(&cmd);
    tbuf sig = {0};
    if (out && st != 0) {
        const char *line = strstr(out, "oracle failed:");
        if (line == NULL)
            line = strstr(out, "SUMMARY: ");
        if (line) {
            while (line > out && line[-1] != '\n')
                line--;
            for (const char *p = line; *p && *p != '\n'; p++)
                if (*p < '0' || *p > '9')
                    tbuf_put(&sig, p, 1);
        } else {
            tbuf_printf(&sig, "exit status %d", st);
        }
    }
    free(out);
    if (sig.s == NULL)
        tbuf_puts(&sig, "");
    return sig.s;
}

typedef struct crash_group {
    char *sig, *data;
    size_t len;
} crash_group;

/* Minimise one crash with afl-tmin (or keep it as found); the bytes. */
static char *minimise(const fz_opts *o, const char *bin, const char *crash,
                      const char *workdir, size_t *len)
{
    tbuf min = {0};
    tbuf_printf(&min, "%s/tmin.out", workdir);
    unlink(min.s);
    int ok = 0;
    if (o->tmin) {
        char *argv[] = {"afl-tmin", "-i", (char *)crash, "-o", min.s, "-t", "2000", "--",
                        (char *)bin, NULL};
        tbuf log = {0};
        tbuf_printf(&log, "%s/tmin.log", workdir);
        unlink(log.s);
        pid_t pid = proc_spawn(argv, log.s);
        int st = -1;
        if (pid > 0 && !proc_wait(pid, &st, 120 * 1000)) {
            proc_kill_group(pid, SIGKILL);
            proc_wait(pid, &st, -1);
        }
        ok = st == 0 && file_exists(min.s);
        tbuf_free(&log);
    }
    char *data = read_file(ok ? min.s : crash, len);
    tbuf_free(&min);
    return data;
}

/* Each new crash: minimised, replayed under ASan+UBSan for its signature;
 * the smallest input per signature goes to
 * fuzz/regressions/<t>/crash-<hash of the signature> unless that file
 * exists (the same bug found again). Returns the files written. */
static int keep_crashes(const fz_opts *o, const char *t, const char *bin, const tlist *crashes,
                        const char *workdir, tlist *added)
{
    if (crashes->n == 0)
        return 0;
    tbuf mk = {0};
    tbuf_printf(&mk, "make --no-print-directory -s V=asan build/asan/fuzz/%s", t);
    free(proc_capture(mk.s, false, NULL));
    tbuf_free(&mk);
    crash_group *g = xcalloc(crashes->n, sizeof *g);
    size_t ng = 0;
    tbuf cand = {0};
    tbuf_printf(&cand, "%s/candidate", workdir);
    for (size_t i = 0; i < crashes->n; i++) {
        size_t len;
        char *data = minimise(o, bin, crashes->v[i], workdir, &len);
        if (data == NULL || write_file(cand.s, data, len) != 0) {
            free(data);
            continue;
        }
        char *sig = crash_signature(t, cand.s);
        if (sig[0] == '\0') {   /* crashes only the AFL++ build: one group for all */
            free(sig);
            sig = xstrdup("no crash under the ASan+UBSan replay build");
        }
        size_t k = 0;
        while (k < ng && strcmp(g[k].sig, sig) != 0)
            k++;
        if (k == ng) {
            g[ng++] = (crash_group){sig, data, len};
        } else {
            free(sig);
            if (len < g[k].len) {
                free(g[k].data);
                g[k].data = data, g[k].len = len;
            } else {
                free(data);
            }
        }
    }
    int wrote = 0;
    for (size_t k = 0; k < ng; k++) {
        tbuf dst = {0};
        tbuf_printf(&dst, "fuzz/regressions/%s/crash-%016llx", t,
                    (unsigned long long)fnv64(g[k].sig, strlen(g[k].sig)));
        if (!file_exists(dst.s) && write_file(dst.s, g[k].data, g[k].len) == 0) {
            tlist_add(added, dst.s);
            printf("[fuzz] %-16s crash: %s\n", t, g[k].sig);
            wrote++;
        }
        free(g[k].sig);
        free(g[k].data);
        tbuf_free(&dst);
    }
    free(g);
    unlink(cand.s);
    tbuf_free(&cand);
    return wrote;
}

/* afl-cmin the union of the corpus and every instance's queue back into
 * fuzz/corpus/<t>/: surviving seeds keep their names, new ones are named
 * by content hash, the rest are removed. */
static void minimize_corpus(const char *t, const char *bin, const char *sync, const char *workdir)
{
    tbuf in = {0}, outd = {0}, corpus = {0};
    tbuf_printf(&in, "%s/cmin-in", workdir);
    tbuf_printf(&outd, "%s/cmin-out", workdir);
    tbuf_printf(&corpus, "fuzz/corpus/%s", t);
    tbuf rm = {0};
    tbuf_puts(&rm, "rm -rf ");
    proc_shell_quote(&rm, in.s);
    tbuf_puts(&rm, " ");
    proc_shell_quote(&rm, outd.s);
    free(proc_capture(rm.s, false, NULL));
    tbuf_free(&rm);
    mkdir_p(in.s);
    tlist srcs = {0};
    tlist_add(&srcs, corpus.s);
    DIR *d = opendir(sync);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        tbuf q = {0};
        tbuf_printf(&q, "%s/%s/queue", sync, e->d_name);
        if (is_dir(q.s))
            tlist_add(&srcs, q.s);
        tbuf_free(&q);
    }
    if (d)
        closedir(d);
    size_t before = 0;
    for (size_t s = 0; s < srcs.n; s++) {
        DIR *sd = opendir(srcs.v[s]);
        while (sd && (e = readdir(sd)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            tbuf f = {0}, g = {0};
            tbuf_printf(&f, "%s/%s", srcs.v[s], e->d_name);
            size_t n;
            char *data = is_dir(f.s) ? NULL : read_file(f.s, &n);
            if (data) {
                /* corpus files keep their names; queue entries get their hash */
                if (s == 0)
                    tbuf_printf(&g, "%s/%s", in.s, e->d_name);
                else
                    tbuf_printf(&g, "%s/cmin-%016llx", in.s, (unsigned long long)fnv64(data, n));
                if (!file_exists(g.s) && write_file(g.s, data, n) == 0)
                    before++;
                free(data);
            }
            tbuf_free(&f), tbuf_free(&g);
        }
        if (sd)
            closedir(sd);
    }
    char *argv[] = {"afl-cmin", "-i", in.s, "-o", outd.s, "-t", "2000", "--", (char *)bin, NULL};
    tbuf log = {0};
    tbuf_printf(&log, "%s/cmin.log", workdir);
    int st = proc_run(argv, log.s);
    DIR *od = st == 0 ? opendir(outd.s) : NULL;
    if (od == NULL) {
        printf("[fuzz] %-16s corpus minimisation failed (see %s)\n", t, log.s);
    } else {
        /* Replace the corpus with afl-cmin's choice. */
        tbuf clr = {0};
        tbuf_puts(&clr, "find ");
        proc_shell_quote(&clr, corpus.s);
        tbuf_puts(&clr, " -maxdepth 1 -type f -delete");
        free(proc_capture(clr.s, false, NULL));
        tbuf_free(&clr);
        size_t after = 0;
        while ((e = readdir(od)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            tbuf f = {0}, g = {0};
            tbuf_printf(&f, "%s/%s", outd.s, e->d_name);
            tbuf_printf(&g, "%s/%s", corpus.s, e->d_name);
            after += copy_file(f.s, g.s) == 0;
            tbuf_free(&f), tbuf_free(&g);
        }
        closedir(od);
        printf("[fuzz] %-16s corpus minimised: %zu inputs -> %zu in %s/\n", t, before, after,
               corpus.s);
    }
    tbuf_free(&log);
    tlist_free(&srcs);
    tbuf_free(&in), tbuf_free(&outd), tbuf_free(&corpus);
}

/* ---- one target ---------------------------------------------------------------------- */

static void instance_name(const fz_opts *o, int i, char *buf, size_t len)
{
    if (o->sync_dir == NULL)
        snprintf(buf, len, i == 0 ? "main" : "s%d", i);
    else if (o->main_role && i == 0)
        snprintf(buf, len, "%s-main", o->name);
    else
        snprintf(buf, len, "%s-%d", o->name, i);
}

static void campaign(const fz_opts *o, const char *t, double slice, fz_result *r)
{
    memset(r, 0, sizeof *r);
    r->target = t;
    r->status = "clean";
    r->instances = o->jobs;
    r->seconds = slice;
    tbuf bin = {0}, sync = {0}, workdir = {0}, seeds = {0}, dict = {0};
    tbuf_printf(&bin, "build/fuzz-afl/bin/%s", t);
    tbuf_printf(&workdir, "%s/%s", o->work, t);
    if (o->sync_dir)
        tbuf_printf(&sync, "%s/%s", o->sync_dir, t);
    else
        tbuf_printf(&sync, "%s/sync", workdir.s);
    tbuf_printf(&seeds, "fuzz/corpus/%s", t);
    tbuf_printf(&dict, "fuzz/dict/%s.dict", t);
    mkdir_p(workdir.s);
    mkdir_p(sync.s);
    tlist probe = {0};
    DIR *sd = opendir(seeds.s);
    struct dirent *e;
    while (sd && (e = readdir(sd)) != NULL)
        if (e->d_name[0] != '.')
            tlist_add(&probe, e->d_name);
    if (sd)
        closedir(sd);
    if (probe.n == 0) {   /* afl-fuzz needs one input to start from */
        tbuf_free(&seeds);
        tbuf_printf(&seeds, "%s/seeds", workdir.s);
        mkdir_p(seeds.s);
        tbuf s0 = {0};
        tbuf_printf(&s0, "%s/seed0", seeds.s);
        write_file(s0.s, "0\n", 2);
        tbuf_free(&s0);
    }
    tlist_free(&probe);

    pid_t *pids = xcalloc((size_t)o->jobs, sizeof *pids);
    tlist before[64] = {{0}};
    int n = o->jobs < 64 ? o->jobs : 64;
    for (int i = 0; i < n; i++) {
        char inst[128], vs[32];
        instance_name(o, i, inst, sizeof inst);
        snprintf(vs, sizeof vs, "%d", (int)(slice + 0.5));
        tbuf idir = {0}, stats = {0}, crashes = {0}, log = {0};
        tbuf_printf(&idir, "%s/%s", sync.s, inst);
        tbuf_printf(&stats, "%s/fuzzer_stats", idir.s);
        tbuf_printf(&crashes, "%s/crashes", idir.s);
        tbuf_printf(&log, "%s/%s.log", workdir.s, inst);
        list_ids(crashes.s, &before[i]);
        int resume = file_exists(stats.s);
        r->resumed |= resume;
        char *argv[24];
        int a = 0;
        argv[a++] = "afl-fuzz";
        argv[a++] = "-i";
        argv[a++] = resume ? "-" : seeds.s;
        argv[a++] = "-o";
        argv[a++] = sync.s;
        argv[a++] = (o->sync_dir == NULL || o->main_role) && i == 0 ? "-M" : "-S";
        argv[a++] = inst;
        argv[a++] = "-V";
        argv[a++] = vs;
        argv[a++] = "-t";
        argv[a++] = "1000+";
        if (file_exists(dict.s)) {
            argv[a++] = "-x";
            argv[a++] = dict.s;
        }
        argv[a++] = "--";
        argv[a++] = bin.s;
        argv[a] = NULL;
        if (o->dry) {
            for (int k = 0; k < a; k++)
                printf("%s%s", k ? " " : "  ", argv[k]);
            printf("\n");
        } else {
            unlink(log.s);
            pids[i] = proc_spawn(argv, log.s);
            if (pids[i] < 0)
                r->status = "error";
        }
        tbuf_free(&idir), tbuf_free(&stats), tbuf_free(&crashes), tbuf_free(&log);
    }
    if (o->dry) {
        r->status = "dry-run";
        goto out;
    }
    /* afl-fuzz -V stops each instance itself; the deadline only guards a stuck one. */
    for (int i = 0; i < n; i++) {
        int st = 0;
        if (pids[i] <= 0)
            continue;
        if (!proc_wait(pids[i], &st, (int)((slice + 120) * 1000))) {
            proc_kill_group(pids[i], SIGTERM);
            if (!proc_wait(pids[i], &st, 10 * 1000)) {
                proc_kill_group(pids[i], SIGKILL);
                proc_wait(pids[i], &st, -1);
            }
        }
        if (st != 0) {
            char inst[128];
            instance_name(o, i, inst, sizeof inst);
            printf("[fuzz] %-16s afl-fuzz %s exited %d — see %s/%s.log\n", t, inst, st,
                   workdir.s, inst);
            r->status = "error";
        }
    }
    /* Statistics and new crashes of this machine's instances. */
    tlist fresh = {0};
    for (int i = 0; i < n; i++) {
        char inst[128];
        instance_name(o, i, inst, sizeof inst);
        tbuf stats = {0}, crashes = {0};
        tbuf_printf(&stats, "%s/%s/fuzzer_stats", sync.s, inst);
        tbuf_printf(&crashes, "%s/%s/crashes", sync.s, inst);
        char *s = read_file(stats.s, NULL);
        if (s) {
            r->execs += (uint64_t)stat_num(s, "execs_done");
            r->eps += stat_num(s, "execs_per_sec");
            uint64_t cc = (uint64_t)stat_num(s, "corpus_count");
            r->corpus = cc > r->corpus ? cc : r->corpus;
            r->found += (uint64_t)stat_num(s, "corpus_found");
            r->hangs += (uint64_t)stat_num(s, "saved_hangs");
            long ef = (long)stat_num(s, "edges_found"), te = (long)stat_num(s, "total_edges");
            if (ef > r->edges)
                r->edges = ef, r->total_edges = te;
            double cv = stat_num(s, "bitmap_cvg");
            r->cvg = cv > r->cvg ? cv : r->cvg;
        }
        free(s);
        tlist now = {0};
        list_ids(crashes.s, &now);
        r->crashes_total += now.n;
        for (size_t k = 0; k < now.n; k++) {
            if (tlist_has(&before[i], now.v[k]))
                continue;
            r->crashes_new++;
            tbuf f = {0};
            tbuf_printf(&f, "%s/%s", crashes.s, now.v[k]);
            tlist_add(&fresh, f.s);
            tbuf_free(&f);
        }
        tlist_free(&now);
        tbuf_free(&stats), tbuf_free(&crashes);
    }
    r->added = keep_crashes(o, t, bin.s, &fresh, workdir.s, &r->new_regressions);
    tlist_free(&fresh);
    if (r->crashes_new)
        r->status = "crash";
    if (o->minimize)
        minimize_corpus(t, bin.s, sync.s, workdir.s);
out:
    for (int i = 0; i < n; i++)
        tlist_free(&before[i]);
    free(pids);
    tbuf_free(&bin), tbuf_free(&sync), tbuf_free(&workdir), tbuf_free(&seeds), tbuf_free(&dict);
}

/* ---- reports ------------------------------------------------------------------------- */

static void write_target_report(const fz_opts *o, const fz_result *r)
{
    tbuf p = {0}, s = {0};
    tbuf_printf(&p, "%s/%s.sdn", o->out, r->target);
    tbuf_printf(&s, "# Generated by `simplert fuzz` (AFL++ campaign of one target).\n"
                    "target: %s\nstatus: %s\ninstances: %d\nseconds: %.0f\nresumed: %s\n"
                    "execs: %llu\nexecs_per_sec: %.1f\ncorpus: %llu\nfound: %llu\n"
                    "edges: %ld\ntotal_edges: %ld\nbitmap_cvg: %.2f\ncrashes: %llu\n"
                    "crashes_total: %llu\nhangs: %llu\nregressions_added = [",
                r->target, r->status, r->instances, r->seconds, r->resumed ? "true" : "false",
                (unsigned long long)r->execs, r->eps, (unsigned long long)r->corpus,
                (unsigned long long)r->found, r->edges, r->total_edges, r->cvg,
                (unsigned long long)r->crashes_new, (unsigned long long)r->crashes_total,
                (unsigned long long)r->hangs);
    for (size_t i = 0; i < r->new_regressions.n; i++)
        tbuf_printf(&s, "%s\"%s\"", i ? ", " : "", r->new_regressions.v[i]);
    tbuf_puts(&s, "]\n");
    if (write_file(p.s, s.s, s.len) != 0)
        fprintf(stderr, "simplert fuzz: cannot write %s\n", p.s);
    tbuf_free(&p), tbuf_free(&s);
}

static void write_summary(const fz_opts *o, const fz_result *rs, size_t n, double budget)
{
    tbuf p = {0}, s = {0};
    tbuf_printf(&p, "%s/summary.sdn", o->out);
    tbuf_printf(&s, "# Generated by `simplert fuzz`.\nbudget_seconds: %.0f\njobs: %d\n"
                    "targets |target, status, seconds, execs, execs_per_sec, corpus, crashes, "
                    "hangs, regressions_added|\n",
                budget, o->jobs);
    for (size_t i = 0; i < n; i++)
        tbuf_printf(&s, "    %s, %s, %.0f, %llu, %.1f, %llu, %llu, %llu, %d\n", rs[i].target,
                    rs[i].status, rs[i].seconds, (unsigned long long)rs[i].execs, rs[i].eps,
                    (unsigned long long)rs[i].corpus, (unsigned long long)rs[i].crashes_new,
                    (unsigned long long)rs[i].hangs, rs[i].added);
    if (write_file(p.s, s.s, s.len) != 0)
        fprintf(stderr, "simplert fuzz: cannot write %s\n", p.s);
    tbuf_free(&p), tbuf_free(&s);
}

/* ---- the command --------------------------------------------------------------------- */

int cmd_fuzz(int argc, char **argv)
{
    char host[128] = "host";
    gethostname(host, sizeof host - 1);
    fz_opts o = {.time = 600, .min_slice = 10, .jobs = (int)sysconf(_SC_NPROCESSORS_ONLN),
                 .name = host, .work = "fuzz/work", .out = "reports/fuzz", .tmin = true,
                 .build = true};
    tlist targets = {0}, all = {0};
    const char *v;
    for (int k = 1; k < argc; k++) {
        if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if ((v = opt_value(&k, argc, argv, "--time"))) {
            if ((o.time = parse_time(v)) <= 0)
                return fprintf(stderr, "simplert fuzz: bad --time '%s'\n", v), 2;
        } else if ((v = opt_value(&k, argc, argv, "--min-slice"))) {
            if ((o.min_slice = parse_time(v)) <= 0)
                return fprintf(stderr, "simplert fuzz: bad --min-slice '%s'\n", v), 2;
        } else if ((v = opt_value(&k, argc, argv, "--jobs"))) {
            o.jobs = atoi(v);
        } else if ((v = opt_value(&k, argc, argv, "--changed"))) o.changed = v;
        else if ((v = opt_value(&k, argc, argv, "--sync-dir"))) o.sync_dir = v;
        else if ((v = opt_value(&k, argc, argv, "--name"))) o.name = v;
        else if ((v = opt_value(&k, argc, argv, "--work"))) o.work = v;
        else if ((v = opt_value(&k, argc, argv, "--out"))) o.out = v;
        else if (strcmp(argv[k], "--main") == 0) o.main_role = true;
        else if (strcmp(argv[k], "--minimize-corpus") == 0) o.minimize = true;
        else if (strcmp(argv[k], "--no-tmin") == 0) o.tmin = false;
        else if (strcmp(argv[k], "--no-build") == 0) o.build = false;
        else if (strcmp(argv[k], "--list") == 0) o.list = true;
        else if (strcmp(argv[k], "--dry-run") == 0) o.dry = true;
        else if (argv[k][0] == '-')
            return fprintf(stderr, "simplert fuzz: unknown option '%s'\n%s", argv[k], usage), 2;
        else
            tlist_add(&targets, argv[k]);
    }
    if (o.jobs < 1 || o.jobs > 64)
        return fprintf(stderr, "simplert fuzz: --jobs must be 1..64\n"), 2;
    if (o.main_role && o.sync_dir == NULL)
        return fprintf(stderr, "simplert fuzz: --main needs --sync-dir\n"), 2;
    fuzz_all_targets(".", &all);
    for (size_t i = 0; i < targets.n; i++)
        if (!tlist_has(&all, targets.v[i]))
            return fprintf(stderr, "simplert fuzz: no target '%s' (fuzz/targets/%s.c)\n",
                           targets.v[i], targets.v[i]), 2;
    if (targets.n == 0)
        for (size_t i = 0; i < all.n; i++)
            tlist_add(&targets, all.v[i]);
    if (o.changed) {
        tlist sel = {0};
        printf("[fuzz] targets affected by changes since %s:\n", o.changed);
        if (fuzz_changed_targets(o.changed, &targets, &sel, stdout) != 0)
            return 2;
        tlist_free(&targets);
        targets = sel;
        if (targets.n == 0)
            printf("  (none)\n");
    }
    if (o.list) {
        for (size_t i = 0; i < targets.n; i++)
            puts(targets.v[i]);
        return 0;
    }
    if (targets.n == 0)
        return 0;
    if (o.build && !o.dry) {
        char *mk[] = {"make", "--no-print-directory", "-s", "fuzz-afl-bins", NULL};
        if (proc_run(mk, NULL) != 0)
            return fprintf(stderr, "simplert fuzz: building the AFL++ targets failed\n"), 1;
    }
    set_default_env("AFL_NO_UI", "1");
    set_default_env("AFL_SKIP_CPUFREQ", "1");
    set_default_env("AFL_NO_AFFINITY", "1");
    char *cp = read_file("/proc/sys/kernel/core_pattern", NULL);
    if (cp && cp[0] == '|')
        set_default_env("AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES", "1");
    free(cp);
    mkdir_p(o.out);

    double slice = o.time / (double)targets.n;
    if (slice < o.min_slice)
        slice = o.min_slice;
    printf("[fuzz] %zu target%s, %.0f s each, %d instance%s each%s%s\n", targets.n,
           targets.n == 1 ? "" : "s", slice, o.jobs, o.jobs == 1 ? "" : "s",
           o.sync_dir ? ", sync dir " : "", o.sync_dir ? o.sync_dir : "");
    fz_result *rs = xcalloc(targets.n, sizeof *rs);
    int bad = 0;
    for (size_t i = 0; i < targets.n; i++) {
        campaign(&o, targets.v[i], slice, &rs[i]);
        if (o.dry)
            continue;
        write_target_report(&o, &rs[i]);
        printf("[fuzz] %-16s %-5s %10llu execs %8.0f/s  corpus %5llu  crashes %llu  hangs %llu"
               "%s\n", rs[i].target, rs[i].status, (unsigned long long)rs[i].execs, rs[i].eps,
               (unsigned long long)rs[i].corpus, (unsigned long long)rs[i].crashes_new,
               (unsigned long long)rs[i].hangs, rs[i].resumed ? "  (resumed)" : "");
        for (size_t k = 0; k < rs[i].new_regressions.n; k++)
            printf("         new regression input: %s (replay: build/asan/fuzz/%s %s)\n",
                   rs[i].new_regressions.v[k], rs[i].target, rs[i].new_regressions.v[k]);
        bad |= strcmp(rs[i].status, "clean") != 0;
    }
    if (!o.dry) {
        write_summary(&o, rs, targets.n, o.time);
        printf("[fuzz] %s — summaries in %s/\n", bad ? "FAILED: a target crashed or did not run"
                                                      : "clean", o.out);
    }
    for (size_t i = 0; i < targets.n; i++)
        tlist_free(&rs[i].new_regressions);
    free(rs);
    tlist_free(&targets);
    tlist_free(&all);
    return bad ? 1 : 0;
}
