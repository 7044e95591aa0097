/*
 * coverage_rt/instrument/dog_main.c — the rtcov command line (dog.h lists
 * the commands; each one's rules are at the top of its file).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coverage_rt/instrument/dog.h"
#include "tools/util.h"

static const char usage[] =
    "usage: rtcov join  -m MANIFEST... -r RUN... -o OUT.sdn [--expect LIST] [--ratchet FILE\n"
    "                   [--update-ratchet]]\n"
    "       rtcov paths -m MANIFEST... -r RUN...\n"
    "       rtcov xgcov -m MANIFEST... -r RUN... [-r2 RUN...] --gcovr GCOVR.json\n"
    "       rtcov xmcdc -m MANIFEST... -r RUN... [-r2 RUN...] --llvm-show SHOW.txt\n"
    "MANIFEST: rtcov-instrument manifests (files or directories); RUN: coverage reports or\n"
    "SIMPLE_COVERAGE_OUTPUT directories. coverage_rt/instrument/README.md explains each.\n";

/* Every function's normalised paths, one per line (a debugging aid). */
int dog_paths(int argc, char **argv)
{
    tlist mans = {0}, runs = {0};
    for (int i = 2; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "-m"))
            tlist_add(&mans, argv[i + 1]);
        else if (!strcmp(argv[i], "-r"))
            tlist_add(&runs, argv[i + 1]);
    }
    dmodel m = {0};
    cov_doc d = {0};
    char err[512];
    int rc = dm_load(&m, mans.v, mans.n) != 0 ? 2 : 0;
    for (size_t i = 0; rc == 0 && i < runs.n; i++)
        if (cov_doc_read_path(&d, runs.v[i], err, sizeof err) != 0) {
            fprintf(stderr, "rtcov paths: %s\n", err);
            rc = 2;
        }
    if (rc == 0) {
        cov_doc_finish(&d);
        const rtx_cov_row *rows = d.m.rows[RTX_COV_PATH];
        for (size_t r = 0; r < d.m.nrows[RTX_COV_PATH]; r++) {
            const d_fn *f = dm_fn(&m, rows[r].k.dec);
            if (f == NULL)
                continue;
            uint32_t *out = xmalloc((rows[r].k.nblocks + 1) * sizeof *out);
            size_t n = dp_normalize(f, rows[r].k.blocks, rows[r].k.nblocks, out);
            printf("%s:%s %llu [", f->file, f->name, (unsigned long long)rows[r].n[0]);
            for (size_t i = 0; i < rows[r].k.nblocks; i++)
                printf("%s%u", i ? "," : "", rows[r].k.blocks[i]);
            printf("] -> [");
            for (size_t i = 0; i < n; i++)
                printf("%s%u", i ? "," : "", out[i]);
            printf("]\n");
            free(out);
        }
    }
    cov_doc_free(&d);
    dm_free(&m);
    tlist_free(&mans);
    tlist_free(&runs);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (!strcmp(argv[1], "join"))
        return dog_join(argc, argv);
    if (!strcmp(argv[1], "paths"))
        return dog_paths(argc, argv);
    if (!strcmp(argv[1], "xgcov"))
        return dog_xgcov(argc, argv);
    if (!strcmp(argv[1], "xmcdc"))
        return dog_xmcdc(argc, argv);
    fprintf(stderr, "rtcov: unknown command '%s'\n%s", argv[1], usage);
    return 2;
}
