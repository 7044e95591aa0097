/*
 * bench/dogfood.c — what the dogfood instrumentation costs (issue #4): one
 * workload (bench/dogfood/work.c) linked against four builds of the runtime
 * (mk/dogfood.mk), run side by side in one run by this driver, which
 * alternates the two builds of each pair (A B A B ...) and compares medians
 * (bench/bench.h):
 *
 *   gcc -O2 plain           build/release            (what ships)
 *   gcc -O2 instrumented    build/bench-dogfood      (rtcov-instrument; SIMPLE_COVERAGE=1:
 *                                                     decision, condition, MC/DC and path
 *                                                     probes all recording)
 *   clang-19 -O2 plain      build/bench-clang
 *   clang-19 -O2 MC/DC      build/bench-mcdc         (-fprofile-instr-generate
 *                                                     -fcoverage-mapping -fcoverage-mcdc)
 *
 * Cases (ns per workload round, lower is better):
 *   instrumented_vs_plain   simplert's MC/DC + path coverage against the plain build;
 *                           goal: at most +25% (ratio <= 1.25)
 *   clang_mcdc_vs_clang     clang's MC/DC against clang's plain build (the reference
 *                           cost; informational)
 *   instrumented_vs_clang_mcdc  the two instrumented builds against each other
 *                           (informational: different compilers)
 * Each repetition is one process: the workload times its own rounds after a
 * warm-up (process start and the reports written at exit are not timed) and
 * prints a checksum, which must be the same for all four builds.
 */
#include <errno.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/bench.h"

extern char **environ;

typedef struct side {
    const char *path;
    int coverage;          /* run with SIMPLE_COVERAGE=1 */
    int profile;           /* LLVM_PROFILE_FILE into a temporary file */
    uint64_t check;
    int have_check;
} side;

typedef struct ctx {
    side *s;
    long rounds;
    int bad;
} ctx;

static char g_prof[64];
static int g_checks_differ;
static uint64_t g_check;
static int g_have_check;

/* Runs one side once; returns its ns per round (or a huge number on error). */
static double run_side(side *s, long rounds)
{
    int fds[2];
    if (pipe(fds) != 0)
        return 1e18;
    char arg[32];
    snprintf(arg, sizeof arg, "%ld", rounds);
    char *argv[] = {(char *)s->path, arg, NULL};
    size_t ne = 0;
    while (environ[ne])
        ne++;
    char **env = calloc(ne + 4, sizeof *env);
    size_t k = 0;
    for (size_t i = 0; i < ne; i++)
        if (strncmp(environ[i], "SIMPLE_COVERAGE", 15) != 0 &&
            strncmp(environ[i], "LLVM_PROFILE_FILE=", 18) != 0)
            env[k++] = environ[i];
    char prof[96];
    if (s->coverage)
        env[k++] = "SIMPLE_COVERAGE=1";
    if (s->profile) {
        snprintf(prof, sizeof prof, "LLVM_PROFILE_FILE=%s/w.profraw", g_prof);
        env[k++] = prof;
    }
    env[k] = NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    pid_t pid;
    int rc = posix_spawn(&pid, s->path, &fa, NULL, argv, env);
    posix_spawn_file_actions_destroy(&fa);
    free(env);
    close(fds[1]);
    if (rc != 0) {
        fprintf(stderr, "dogfood bench: cannot run %s: %s\n", s->path, strerror(rc));
        close(fds[0]);
        return 1e18;
    }
    char out[256] = {0};
    size_t got = 0;
    ssize_t r;
    while (got < sizeof out - 1 && (r = read(fds[0], out + got, sizeof out - 1 - got)) > 0)
        got += (size_t)r;
    close(fds[0]);
    int st;
    waitpid(pid, &st, 0);
    double ns;
    uint64_t check;
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || sscanf(out, "%lf %" SCNu64, &ns, &check) != 2) {
        fprintf(stderr, "dogfood bench: %s failed (output '%s')\n", s->path, out);
        return 1e18;
    }
    if (!g_have_check) {
        g_check = check;
        g_have_check = 1;
    } else if (check != g_check)
        g_checks_differ = 1;
    return ns;
}

typedef struct pair {
    side *a, *b;
    long rounds;
} pair;

static double run_a(void *v) { pair *p = v; return run_side(p->a, p->rounds); }
static double run_b(void *v) { pair *p = v; return run_side(p->b, p->rounds); }

int main(int argc, char **argv)
{
    bench b;
    bench_init(&b, "dogfood", argc, argv);
    snprintf(g_prof, sizeof g_prof, "/tmp/dogfood-bench-XXXXXX");
    if (mkdtemp(g_prof) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    side plain = {"build/release/dogfood-work", 0, 0, 0, 0};
    side instr = {"build/bench-dogfood/dogfood-work", 1, 0, 0, 0};
    side clang = {"build/bench-clang/dogfood-work", 0, 0, 0, 0};
    side mcdc = {"build/bench-mcdc/dogfood-work", 0, 1, 0, 0};
    side *all[] = {&plain, &instr, &clang, &mcdc};
    for (size_t i = 0; i < 4; i++)
        if (access(all[i]->path, X_OK) != 0) {
            fprintf(stderr, "dogfood bench: %s is missing (make dogfood-bench-work)\n",
                    all[i]->path);
            return 1;
        }
    long rounds = b.quick ? 2000 : 20000;
    pair p1 = {&instr, &plain, rounds}, p2 = {&mcdc, &clang, rounds}, p3 = {&instr, &mcdc, rounds};
    bench_pair(&b, "instrumented_vs_plain", "gcc -O2 plain", "ns/round", BENCH_LOWER, run_a,
               run_b, &p1, 1.25);
    bench_pair(&b, "clang_mcdc_vs_clang", "clang-19 -O2 plain", "ns/round", BENCH_LOWER, run_a,
               run_b, &p2, 0);
    bench_pair(&b, "instrumented_vs_clang_mcdc", "clang-19 -O2 MC/DC", "ns/round", BENCH_LOWER,
               run_a, run_b, &p3, 0);
    char rm[128];
    snprintf(rm, sizeof rm, "rm -rf %s", g_prof);
    if (system(rm) != 0)
        fprintf(stderr, "dogfood bench: could not remove %s\n", g_prof);
    if (g_checks_differ) {
        fprintf(stderr, "dogfood bench: the builds computed different checksums\n");
        return 1;
    }
    return bench_finish(&b);
}
