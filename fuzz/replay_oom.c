/*
 * fuzz/replay_oom.c — `make oom` over the fuzz corpora: a target's replay
 * driver in the oom variant runs every corpus and regression input once per
 * chosen allocation with that allocation failing (the OOM engine,
 * conformance/shim/oom.c), and judges each run with exact oracles:
 *   - no crash, no sanitizer report, no target oracle (RTZ_CHECK) failure;
 *   - as many live heap objects after the input as before it: the harness
 *     owns every value a function returned and frees it at the end of the
 *     input (rtz_end), so anything left is the runtime's leak;
 *   - LeakSanitizer finds nothing unreachable.
 *
 *   build/oom/fuzz/<t> --oom [--oom-all] [--oom-max M] [--oom-out DIR] PATH...
 */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conformance/shim/shim.h"
#include "runtime/heap.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define LEAKS_FOUND() __lsan_do_recoverable_leak_check()
#else
#define LEAKS_FOUND() 0
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int rtz_replay_oom_main(int argc, char **argv);

typedef struct input {
    char *path;
    uint8_t *data;
    size_t len;
} input;

static input *inputs;
static size_t ninputs, capinputs;
static int body_completed, failed_after_body;   /* in the child */

static void add_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return;
    size_t cap = 4096, len = 0, n;
    uint8_t *buf = malloc(cap);
    while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    if (buf == NULL)
        return;
    if (ninputs == capinputs) {
        capinputs = capinputs ? capinputs * 2 : 64;
        inputs = realloc(inputs, capinputs * sizeof *inputs);
        if (inputs == NULL) {
            perror("replay_oom: realloc");
            exit(2);
        }
    }
    inputs[ninputs++] = (input){strdup(path), buf, len};
}

static void add_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return;   /* a missing corpus directory is not an error */
    if (!S_ISDIR(st.st_mode)) {
        add_file(path);
        return;
    }
    struct dirent **ents;
    int n = scandir(path, &ents, NULL, alphasort);   /* sorted: stable reports */
    for (int i = 0; i < n; i++) {
        if (ents[i]->d_name[0] != '.') {
            char sub[4096];
            snprintf(sub, sizeof sub, "%s/%s", path, ents[i]->d_name);
            add_path(sub);
        }
        free(ents[i]);
    }
    if (n >= 0)
        free(ents);
}

static void case_name(size_t i, char *buf, size_t len) { snprintf(buf, len, "%s", inputs[i].path); }
static int case_wanted(size_t i) { return i < ninputs; }
static int child_body_completed(void) { return body_completed; }
static int child_failed_after_body(void) { return failed_after_body; }

static void __attribute__((noreturn)) run_child(size_t i, const shim_run_opts *o)
{
    if (o->stderr_fd >= 0)
        dup2(o->stderr_fd, 2);
    alarm((unsigned)(o->timeout > 0 ? o->timeout + 0.999 : 60));
    if (o->before)
        o->before(o->arg);
    uint64_t live0 = rtx_heap_live();
    /* An exact-size copy, so ASan sees reads past the input's end. */
    uint8_t *exact = malloc(inputs[i].len ? inputs[i].len : 1);
    memcpy(exact, inputs[i].data, inputs[i].len);
    LLVMFuzzerTestOneInput(exact, inputs[i].len);
    free(exact);
    body_completed = 1;
    uint64_t live1 = rtx_heap_live();
    if (live1 != live0) {
        fprintf(stderr, "replay_oom: %llu heap objects live after the input, %llu before\n",
                (unsigned long long)live1, (unsigned long long)live0);
        failed_after_body = 1;
        exit(1);
    }
    if (LEAKS_FOUND()) {
        failed_after_body = 1;
        exit(1);
    }
    exit(0);
}

static pid_t case_start(size_t i, const shim_run_opts *o)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        perror("replay_oom: fork");
        exit(2);
    }
    if (pid == 0)
        run_child(i, o);
    return pid;
}

static shim_result case_judge(size_t i, int st)
{
    (void)i;
    shim_result r = {.outcome = SHIM_PASS, .wait_status = st};
    if (WIFSIGNALED(st)) {
        r.outcome = SHIM_CRASH;
        r.timed_out = WTERMSIG(st) == SIGALRM;
        snprintf(r.why, sizeof r.why, "CRASH (signal %d%s)", WTERMSIG(st),
                 r.timed_out ? ", timed out" : "");
    } else if (WEXITSTATUS(st) != 0) {
        r.outcome = SHIM_FAIL;
        snprintf(r.why, sizeof r.why, "exit status %d", WEXITSTATUS(st));
    }
    return r;
}

/* Called by fuzz/replay.c's main for --oom (oom variant only). */
int rtz_replay_oom_main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--oom-max") == 0 || strcmp(argv[i], "--oom-timeout") == 0 ||
            strcmp(argv[i], "--oom-out") == 0 || strcmp(argv[i], "--oom-jobs") == 0)
            i++;   /* the engine's options and their values */
        else if (argv[i][0] != '-')
            add_path(argv[i]);
    }
    const char *slash = strrchr(argv[0], '/');
    char label[256];
    snprintf(label, sizeof label, "fuzz-%s", slash ? slash + 1 : argv[0]);
    rtc_oom_cases c = {
        .n = ninputs, .label = label, .kind = "fuzz", .name = case_name,
        .wanted = case_wanted, .expected_signal = NULL, .start = case_start,
        .judge = case_judge,
        .body_completed = child_body_completed, .failed_after_body = child_failed_after_body,
    };
    int rc = rtc_oom_main(&c, argc, argv);
    for (size_t i = 0; i < ninputs; i++) {
        free(inputs[i].path);
        free(inputs[i].data);
    }
    free(inputs);
    return rc;
}
