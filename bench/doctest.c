/*
 * bench/doctest.c — the doctest family's glob matcher and walk, side by side
 * with libc: fnmatch(3) (flags 0, where '*' also matches '/', as in the
 * glob crate's default options) and nftw(3) + fnmatch.
 *
 * Every case first checks that both sides give the same answers on its data
 * (the peer pattern is chosen so they must), then times them alternately.
 *
 *     make bench            or   build/release/bench/doctest [--quick]
 */
#include <fnmatch.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench/bench.h"
#include "runtime/glob.h"
#include "simplert.h"

#define NPATHS 4096

typedef struct match_ctx {
    const char *ours, *peer;   /* equivalent patterns on this data */
    rtx_glob *g;
    char *paths[NPATHS];
    size_t lens[NPATHS];
    int rounds;
} match_ctx;

static void make_paths(match_ctx *c)
{
    static const char *const dirs[] = {"src", "src/std_lib", "src/std_lib/collections",
                                       "test/unit", "test/unit/deep/er", "doc"};
    static const char *const exts[] = {".spl", ".md", ".txt", ".spl.bak", ".c"};
    for (int i = 0; i < NPATHS; i++) {
        char p[256];
        snprintf(p, sizeof p, "%s/file_%04d%s", dirs[i % 6], i, exts[(i / 6) % 5]);
        c->paths[i] = strdup(p);
        c->lens[i] = strlen(p);
    }
}

static double run_ours(void *vc)
{
    match_ctx *c = vc;
    uint64_t t0 = bench_now_ns();
    long hits = 0;
    for (int r = 0; r < c->rounds; r++)
        for (int i = 0; i < NPATHS; i++)
            hits += rtx_glob_match(c->g, (const uint8_t *)c->paths[i], c->lens[i]);
    BENCH_KEEP(hits);
    return (double)c->rounds * NPATHS / ((double)(bench_now_ns() - t0) / 1e9);
}

static double run_peer(void *vc)
{
    match_ctx *c = vc;
    uint64_t t0 = bench_now_ns();
    long hits = 0;
    for (int r = 0; r < c->rounds; r++)
        for (int i = 0; i < NPATHS; i++)
            hits += fnmatch(c->peer, c->paths[i], 0) == 0;
    BENCH_KEEP(hits);
    return (double)c->rounds * NPATHS / ((double)(bench_now_ns() - t0) / 1e9);
}

static void match_case(bench *b, match_ctx *c, const char *name, const char *ours,
                       const char *peer)
{
    c->ours = ours;
    c->peer = peer;
    if (rtx_glob_compile((const uint8_t *)ours, strlen(ours), &c->g) != RTX_GLOB_OK) {
        fprintf(stderr, "bench doctest: %s does not compile\n", ours);
        exit(1);
    }
    for (int i = 0; i < NPATHS; i++) {
        int a = rtx_glob_match(c->g, (const uint8_t *)c->paths[i], c->lens[i]);
        int p = fnmatch(peer, c->paths[i], 0) == 0;
        if (a != p) {
            fprintf(stderr, "bench doctest: %s and %s disagree on %s\n", ours, peer, c->paths[i]);
            exit(1);
        }
    }
    bench_pair(b, name, "fnmatch", "paths/s", BENCH_HIGHER, run_ours, run_peer, c, 0);
    rtx_glob_free(c->g);
}

/* ---- walk ---- */

typedef struct walk_ctx {
    char root[256];
    RtValue root_v, inc, exc;
    long files;
} walk_ctx;

static long peer_kept;

static int peer_visit(const char *p, const struct stat *st, int flag, struct FTW *f)
{
    (void)f;
    if (flag == FTW_F && S_ISREG(st->st_mode) && fnmatch("*.spl", p, 0) == 0 &&
        fnmatch("*/deep/*", p, 0) != 0) {
        /* the peer also builds a string per kept path, as the walk does */
        char *copy = strdup(p);
        BENCH_KEEP(copy);
        free(copy);
        peer_kept++;
    }
    return 0;
}

static double walk_ours(void *vc)
{
    walk_ctx *c = vc;
    uint64_t t0 = bench_now_ns();
    RtValue r = doctest_walk_directory(c->root_v, c->inc, c->exc);
    double dt = (double)(bench_now_ns() - t0) / 1e9;
    c->files = rt_array_len(r);
    for (int64_t i = 0; i < rt_array_len(r); i++)
        rt_free(rt_array_get(r, i));
    rt_free(r);
    return (double)c->files / dt;
}

static double walk_peer(void *vc)
{
    walk_ctx *c = vc;
    peer_kept = 0;
    uint64_t t0 = bench_now_ns();
    nftw(c->root, peer_visit, 32, FTW_PHYS);
    double dt = (double)(bench_now_ns() - t0) / 1e9;
    return (double)peer_kept / dt;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
    (void)st;
    (void)f;
    return (flag == FTW_DP ? rmdir(p) : unlink(p)), 0;
}

static RtValue one(const char *s)
{
    RtValue a = rt_array_new(1);
    rt_array_push(a, rt_string_new((const uint8_t *)s, strlen(s)));
    return a;
}

static void walk_case(bench *b)
{
    walk_ctx c = {0};
    snprintf(c.root, sizeof c.root, "/tmp/simplert-bench-doctest-XXXXXX");
    if (mkdtemp(c.root) == NULL)
        return;
    int ndirs = b->quick ? 20 : 100, nfiles = 30;
    for (int d = 0; d < ndirs; d++) {
        char p[512];
        snprintf(p, sizeof p, "%s/pkg%03d", c.root, d);
        mkdir(p, 0755);
        snprintf(p, sizeof p, "%s/pkg%03d/%s", c.root, d, d % 4 ? "src" : "deep");
        mkdir(p, 0755);
        for (int f = 0; f < nfiles; f++) {
            snprintf(p, sizeof p, "%s/pkg%03d/%s/m%02d%s", c.root, d, d % 4 ? "src" : "deep", f,
                     f % 3 ? ".spl" : ".md");
            FILE *fp = fopen(p, "w");
            if (fp)
                fclose(fp);
        }
    }
    c.root_v = rt_string_new((const uint8_t *)c.root, strlen(c.root));
    c.inc = one("*.spl");
    c.exc = one("*/deep/*");
    walk_ours(&c);
    walk_peer(&c);
    if (c.files != peer_kept) {
        fprintf(stderr, "bench doctest: walk kept %ld files, nftw %ld\n", c.files, peer_kept);
        exit(1);
    }
    bench_pair(b, "walk_filter", "nftw+fnmatch", "files/s", BENCH_HIGHER, walk_ours, walk_peer,
               &c, 0);
    for (int i = 0; i < 2; i++) {
        RtValue a = i ? c.exc : c.inc;
        rt_free(rt_array_get(a, 0));
        rt_free(a);
    }
    rt_free(c.root_v);
    nftw(c.root, rm_one, 32, FTW_DEPTH | FTW_PHYS);
}

int main(int argc, char **argv)
{
    bench b;
    bench_init(&b, "doctest", argc, argv);
    static match_ctx c;
    make_paths(&c);
    c.rounds = b.quick ? 5 : 50;
    match_case(&b, &c, "glob_suffix", "*.spl", "*.spl");
    match_case(&b, &c, "glob_recursive", "src/**/*.spl", "src/*.spl");
    match_case(&b, &c, "glob_class", "*/file_[0-4]?[!13]?.*", "*/file_[0-4]?[!13]?.*");
    match_case(&b, &c, "glob_literal", "src/std_lib/file_0001.md", "src/std_lib/file_0001.md");
    walk_case(&b);
    for (int i = 0; i < NPATHS; i++)
        free(c.paths[i]);
    return bench_finish(&b);
}
