/*
 * fuzz/replay.c — run a target over files and directories of inputs
 * (corpora, regressions) without a fuzzing engine: the regression replay
 * `make test` does, under ASan+UBSan or Valgrind.
 *
 *   <target> [-q] PATH...     (a PATH may be a file or a directory)
 *   <target> --oom [...] PATH...   (oom variant: fuzz/replay_oom.c, `make oom`)
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#ifdef RTC_OOM_ENGINE
int rtz_replay_oom_main(int argc, char **argv);
#endif

static long replayed;

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        return -1;
    }
    size_t cap = 4096, len = 0;
    uint8_t *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    if (buf == NULL) {
        fprintf(stderr, "replay: out of memory reading %s\n", path);
        return -1;
    }
    /* An exact-size copy, so ASan sees reads past the input's end. */
    uint8_t *exact = malloc(len ? len : 1);
    memcpy(exact, buf, len);
    free(buf);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    replayed++;
    return 0;
}

static int run_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return 0;   /* a missing corpus directory is not an error */
    if (!S_ISDIR(st.st_mode))
        return run_file(path);
    DIR *d = opendir(path);
    if (d == NULL) {
        perror(path);
        return -1;
    }
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char sub[4096];
        snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
        if (run_path(sub) != 0)
            rc = -1;
    }
    closedir(d);
    return rc;
}

int main(int argc, char **argv)
{
    int quiet = 0, rc = 0;
#ifdef RTC_OOM_ENGINE
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--oom") == 0)
            return rtz_replay_oom_main(argc, argv);
#endif
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-q") == 0)
            quiet = 1;
        else if (run_path(argv[i]) != 0)
            rc = 1;
    }
    if (!quiet)
        fprintf(stderr, "replay: %ld inputs, no crash\n", replayed);
    return rc;
}
