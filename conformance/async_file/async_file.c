/* Conformance: native_async_file_create, native_async_file_start_loading,
 * native_async_file_is_ready, native_async_file_get_state,
 * native_async_file_wait, native_async_file_close (spec/ffi/async_file.sdn),
 * including every test of upstream's async_file_tests.rs: create, the
 * loading lifecycle, an invalid path, handle 99999, multiple handles,
 * prefault, a non-string path. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conformance/rtc_threads.h"
#include "runtime/async_pool.h"

enum { PENDING = 0, LOADING = 1, READY = 2, FAILED = 3 };

/* A scratch directory per test process (tests run in forked children). */
static char dir[64];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/simplert-af-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(async_file, .init = setup, .fini = teardown);

/* Write `len` bytes (a repeating pattern, or `text`) to dir/name. */
static const char *make_file(const char *name, const char *text, size_t len)
{
    static char path[4][128];
    static int k;
    char *p = path[k++ % 4];
    snprintf(p, 128, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    cr_assert_not_null(f);
    for (size_t i = 0; i < len; i++)
        fputc(text ? text[i] : (int)('a' + i % 23), f);
    cr_assert_eq(fclose(f), 0);
    return p;
}

static RtValue str(const char *s) { return rt_string_new((const uint8_t *)s, strlen(s)); }

static int64_t create(const char *path, int32_t mode, int32_t prefault)
{
    RtValue s = str(path);
    int64_t h = native_async_file_create(s, mode, prefault);
    rt_free(s);   /* create copies the path */
    return h;
}

RTC_TEST(async_file, upstream_create)
{
    const char *p = make_file("create.txt", "Hello, async file!", 18);
    int64_t h = create(p, O_RDONLY, 0);
    cr_assert_gt(h, 0);
    cr_assert_eq(native_async_file_close(h), 0);
}

RTC_TEST(async_file, upstream_loading_lifecycle)
{
    const char *text = "Async file loading test content";
    const char *p = make_file("lifecycle.txt", text, strlen(text));
    int64_t h = create(p, O_RDONLY, 0);
    cr_assert_gt(h, 0);
    cr_assert_eq(native_async_file_get_state(h), PENDING);
    cr_assert_eq(native_async_file_is_ready(h), 0);
    native_async_file_start_loading(h);
    RtValue r = native_async_file_wait(h);
    cr_assert(rt_value_is_int(r));
    const char *mapped = (const char *)(uintptr_t)rt_value_as_int(r);
    cr_assert_not_null(mapped);
    cr_assert_eq(memcmp(mapped, text, strlen(text)), 0, "the mapping holds the file's bytes");
    cr_assert_eq(native_async_file_is_ready(h), 1);
    cr_assert_eq(native_async_file_get_state(h), READY);
    cr_assert_eq(native_async_file_wait(h), r, "a second wait answers the same mapping");
    native_async_file_start_loading(h);   /* already loaded: no-op */
    cr_assert_eq(native_async_file_get_state(h), READY);
    cr_assert_eq(native_async_file_close(h), 0);
}

RTC_TEST(async_file, upstream_invalid_path)
{
    char p[128];
    snprintf(p, sizeof p, "%s/nonexistent_file_12345.txt", dir);
    int64_t h = create(p, O_RDONLY, 0);
    cr_assert_gt(h, 0, "nothing is opened at create");
    native_async_file_start_loading(h);
    cr_assert_eq(native_async_file_wait(h), rt_value_int(0));
    cr_assert_eq(native_async_file_get_state(h), FAILED);
    cr_assert_eq(native_async_file_is_ready(h), 0);
    cr_assert_eq(native_async_file_close(h), 0);
}

RTC_TEST(async_file, upstream_invalid_handle)
{
    const int64_t bogus[] = {99999, 0, -1, 1, INT64_MIN, INT64_MAX,
                             (INT64_C(2) << 48) | 1, (INT64_C(2) << 48) | (INT64_C(9) << 24) | 1};
    for (size_t i = 0; i < sizeof bogus / sizeof bogus[0]; i++) {
        cr_assert_eq(native_async_file_is_ready(bogus[i]), 0, "handle %zu", i);
        cr_assert_eq(native_async_file_get_state(bogus[i]), FAILED);
        cr_assert_eq(native_async_file_wait(bogus[i]), rt_value_int(0));
        native_async_file_start_loading(bogus[i]);
        cr_assert_eq(native_async_file_close(bogus[i]), -1);
    }
    int64_t other = rt_atomic_int_new(5);   /* a live handle of another kind */
    cr_assert_eq(native_async_file_get_state(other), FAILED);
    cr_assert_eq(native_async_file_close(other), -1);
    cr_assert_eq(rt_atomic_int_load(other), 5);
    rt_atomic_int_free(other);
}

RTC_TEST(async_file, upstream_multiple_handles)
{
    const char *p1 = make_file("multi1.txt", "File 1 content", 14);
    const char *p2 = make_file("multi2.txt", "File 2 content", 14);
    int64_t h1 = create(p1, O_RDONLY, 0), h2 = create(p2, O_RDONLY, 0);
    cr_assert_gt(h1, 0);
    cr_assert_gt(h2, 0);
    cr_assert_neq(h1, h2);
    native_async_file_start_loading(h1);
    native_async_file_start_loading(h2);
    RtValue r1 = native_async_file_wait(h1), r2 = native_async_file_wait(h2);
    cr_assert_neq(r1, rt_value_int(0));
    cr_assert_neq(r2, rt_value_int(0));
    cr_assert_eq(memcmp((const char *)(uintptr_t)rt_value_as_int(r1), "File 1", 6), 0);
    cr_assert_eq(memcmp((const char *)(uintptr_t)rt_value_as_int(r2), "File 2", 6), 0);
    cr_assert_eq(native_async_file_close(h1), 0);
    cr_assert_eq(native_async_file_close(h2), 0);
}

RTC_TEST(async_file, upstream_prefault)
{
    const char *p = make_file("prefault.txt", NULL, 4096);
    int64_t h = create(p, O_RDONLY, 1);
    native_async_file_start_loading(h);
    RtValue r = native_async_file_wait(h);
    cr_assert_neq(r, rt_value_int(0));
    cr_assert_eq(native_async_file_is_ready(h), 1);
    const char *m = (const char *)(uintptr_t)rt_value_as_int(r);
    for (size_t i = 0; i < 4096; i++)
        cr_assert_eq(m[i], (char)('a' + i % 23), "byte %zu", i);
    cr_assert_eq(native_async_file_close(h), 0);
}

RTC_TEST(async_file, upstream_non_string_path)
{
    RtValue arr = rt_array_new(1);
    RtValue bad[] = {rt_value_int(42), RT_NIL, RT_TRUE, rt_value_float(1.5), arr,
                     rtc_freed_value(), rtc_bogus[0], rtc_bogus[2], rtc_bogus[4]};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(native_async_file_create(bad[i], O_RDONLY, 0), 0, "value %zu", i);
    rt_free(arr);
}

RTC_TEST(async_file, wait_starts_a_pending_load)
{
    const char *p = make_file("pending.txt", "xyz", 3);
    int64_t h = create(p, O_RDONLY, 0);
    cr_assert_eq(native_async_file_get_state(h), PENDING);
    RtValue r = native_async_file_wait(h);   /* upstream would spin forever here */
    cr_assert_eq(memcmp((const char *)(uintptr_t)rt_value_as_int(r), "xyz", 3), 0);
    cr_assert_eq(native_async_file_get_state(h), READY);
    cr_assert_eq(native_async_file_close(h), 0);
}

RTC_TEST(async_file, empty_file_is_ready_with_an_empty_region)
{
    const char *p = make_file("empty.txt", "", 0);
    for (int prefault = 0; prefault < 2; prefault++) {
        int64_t h = create(p, O_RDONLY, prefault);
        native_async_file_start_loading(h);
        RtValue r = native_async_file_wait(h);
        cr_assert(rt_value_is_int(r));
        cr_assert_neq(rt_value_as_int(r), 0, "Ready, with a non-zero address");
        cr_assert_eq(native_async_file_get_state(h), READY);
        cr_assert_eq(native_async_file_is_ready(h), 1);
        cr_assert_eq(native_async_file_close(h), 0);
    }
}

RTC_TEST(async_file, close_releases_the_handle)
{
    const char *p = make_file("close.txt", "abc", 3);
    int64_t h = create(p, O_RDONLY, 0);
    native_async_file_start_loading(h);
    cr_assert_neq(native_async_file_wait(h), rt_value_int(0));
    cr_assert_eq(native_async_file_close(h), 0);
    cr_assert_eq(native_async_file_close(h), -1, "second close");
    cr_assert_eq(native_async_file_get_state(h), FAILED);
    cr_assert_eq(native_async_file_is_ready(h), 0);
    cr_assert_eq(native_async_file_wait(h), rt_value_int(0));
    int64_t h2 = create(p, O_RDONLY, 0);
    cr_assert_neq(h2, h, "a closed handle is not handed out again");
    cr_assert_eq(native_async_file_get_state(h2), PENDING);
    cr_assert_eq(native_async_file_close(h2), 0, "close of a handle never loaded");
}

RTC_TEST(async_file, write_and_create_flags_are_refused)
{
    const char *p = make_file("keep.txt", "keep me", 7);
    const int32_t modes[] = {O_WRONLY, O_RDWR, O_RDONLY | O_TRUNC, O_RDONLY | O_CREAT,
                             O_RDONLY | O_APPEND, O_RDONLY | O_EXCL, O_TMPFILE | O_RDWR,
                             O_WRONLY | O_TRUNC, -1, O_ACCMODE};
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
        cr_assert_eq(create(p, modes[i], 0), 0, "mode %#x", (unsigned)modes[i]);
    struct stat st;
    cr_assert_eq(stat(p, &st), 0);
    cr_assert_eq(st.st_size, 7, "the file was never touched");
    /* Harmless read-side flags are accepted. */
    int64_t h = create(p, O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0);
    cr_assert_gt(h, 0);
    cr_assert_eq(memcmp((const char *)(uintptr_t)rt_value_as_int(native_async_file_wait(h)),
                        "keep me", 7), 0);
    cr_assert_eq(native_async_file_close(h), 0);
}

RTC_TEST(async_file, paths_that_are_not_regular_files_fail)
{
    char fifo[128], sub[128];
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    snprintf(sub, sizeof sub, "%s/subdir", dir);
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    cr_assert_eq(mkdir(sub, 0700), 0);
    const char *paths[] = {fifo, sub, "/dev/null", "", "/"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        int64_t h = create(paths[i], O_RDONLY, 1);
        cr_assert_gt(h, 0);
        /* A FIFO with no writer must not park a worker forever. */
        cr_assert_eq(native_async_file_wait(h), rt_value_int(0), "path %s", paths[i]);
        cr_assert_eq(native_async_file_get_state(h), FAILED);
        cr_assert_eq(native_async_file_close(h), 0);
    }
}

RTC_TEST(async_file, path_with_an_embedded_nul_fails)
{
    const char *p = make_file("nul.txt", "n", 1);
    char buf[160];
    size_t n = strlen(p);
    memcpy(buf, p, n);
    memcpy(buf + n, "\0tail", 5);   /* "<p>\0tail": must not open <p> */
    RtValue s = rt_string_new((const uint8_t *)buf, n + 5);
    int64_t h = native_async_file_create(s, O_RDONLY, 0);
    rt_free(s);
    cr_assert_gt(h, 0);
    cr_assert_eq(native_async_file_wait(h), rt_value_int(0));
    cr_assert_eq(native_async_file_get_state(h), FAILED);
    cr_assert_eq(native_async_file_close(h), 0);
}

RTC_TEST(async_file, pool_has_at_least_four_workers)
{
    const char *p = make_file("pool.txt", "p", 1);
    int64_t h = create(p, O_RDONLY, 0);
    cr_assert_neq(native_async_file_wait(h), rt_value_int(0));
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int want = cpus < 4 ? 4 : cpus > 64 ? 64 : (int)cpus;
    cr_assert_eq(rtx_afpool_test_workers(), want, "max(CPU count, 4), capped at 64");
    cr_assert_eq(native_async_file_close(h), 0);
}

/* ---- fork ---- */

#if defined(__SANITIZE_THREAD__)
#define RTC_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define RTC_TSAN 1
#endif
#endif

/* A load queued when the process forks is queued in the child too, and the
 * child has none of its parent's workers: its own must run the load, or a
 * child that waits (wait cannot queue the load again) or polls the state
 * blocks for ever. Child 0 waits, child 1 polls is_ready. */
static int child_sees_the_file(int64_t h, int poll, const char *text, size_t len)
{
    rtx_afpool_test_hold(0);
    alarm(30);   /* a wait or poll that never ends kills the child: SIGALRM */
    if (poll) {
        while (!native_async_file_is_ready(h)) {
            if (native_async_file_get_state(h) == FAILED)
                return 0;
            sched_yield();
        }
    }
    int64_t addr = rt_value_as_int(native_async_file_wait(h));
    return addr != 0 && memcmp((const void *)(uintptr_t)addr, text, len) == 0 &&
           native_async_file_get_state(h) == READY && native_async_file_close(h) == 0;
}

RTC_TEST(async_file, load_queued_at_fork_completes_in_the_child, .timeout = RTC_SLOW_TIMEOUT)
{
#ifdef RTC_TSAN
    cr_skip_test("TSan cannot start threads in the child of a multi-threaded fork");
#endif
    const char *text = "queued across fork";
    size_t len = strlen(text);
    const char *p = make_file("fork.txt", text, len);
    for (int poll = 0; poll < 2; poll++) {
        int64_t h = create(p, O_RDONLY, 0);
        rtx_afpool_test_hold(1);
        native_async_file_start_loading(h);   /* starts the workers; the load stays queued */
        cr_assert_eq(native_async_file_get_state(h), PENDING);
        fflush(NULL);
        pid_t pid = fork();
        cr_assert_neq(pid, -1);
        if (pid == 0)
            _exit(child_sees_the_file(h, poll, text, len) ? 0 : 1);
        rtx_afpool_test_hold(0);
        int64_t addr = rt_value_as_int(native_async_file_wait(h));
        cr_assert_neq(addr, 0);
        cr_assert_eq(memcmp((const void *)(uintptr_t)addr, text, len), 0);
        int st;
        cr_assert_eq(waitpid(pid, &st, 0), pid);
        cr_assert(!(WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM),
                  "child %d never saw its load end: nobody ran the load queued at the fork",
                  poll);
        cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child %d status %#x", poll, st);
        cr_assert_eq(native_async_file_close(h), 0);
    }
}

/* ---- close while the load is queued or running ---- */

RTC_TEST(async_file, close_while_loading_is_safe, .timeout = RTC_SLOW_TIMEOUT)
{
    /* 24 MiB with prefault: six 4 MiB chunks with pauses between them. */
    char p[128];
    snprintf(p, sizeof p, "%s/big.bin", dir);
    int fd = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0600);
    cr_assert_geq(fd, 0);
    cr_assert_eq(ftruncate(fd, 24 << 20), 0);
    cr_assert_eq(close(fd), 0);
    long rounds = rtc_scale(16, 8);
    int64_t hs[16];
    for (long r = 0; r < rounds; r++) {
        int n = 0;
        for (int i = 0; i < 16; i++) {   /* more loads than workers: some stay queued */
            hs[n] = create(p, O_RDONLY, 1);
            cr_assert_gt(hs[n], 0);
            native_async_file_start_loading(hs[n++]);
        }
        for (int i = 0; i < n; i++) {
            int64_t st = native_async_file_get_state(hs[i]);
            cr_assert(st >= PENDING && st <= FAILED);
            cr_assert_eq(native_async_file_close(hs[i]), 0, "round %ld handle %d", r, i);
            cr_assert_eq(native_async_file_get_state(hs[i]), FAILED);
        }
    }
}

typedef struct waiter_arg {
    int64_t h;
    RtValue got;
} waiter_arg;

static void *waiter(void *arg)
{
    waiter_arg *w = arg;
    w->got = native_async_file_wait(w->h);
    return NULL;
}

RTC_TEST(async_file, many_waiters_and_a_racing_close, .timeout = RTC_SLOW_TIMEOUT)
{
    enum { N = 6 };
    const char *p = make_file("shared.txt", NULL, 10000);
    long rounds = rtc_scale(10, 20);
    for (long r = 0; r < rounds; r++) {
        waiter_arg w[N];
        int64_t h = create(p, O_RDONLY, (int32_t)(r & 1));
        for (int i = 0; i < N; i++)
            w[i] = (waiter_arg){.h = h};
        rtc_team team;
        rtc_team_start(&team, N, waiter, w, sizeof w[0]);
        if (r % 3 == 2)
            cr_assert_eq(native_async_file_close(h), 0);   /* close races the waiters */
        rtc_team_join(&team);
        for (int i = 1; i < N; i++)
            cr_assert(w[i].got == w[0].got || w[i].got == rt_value_int(0) ||
                          w[0].got == rt_value_int(0),
                      "waiters of one load agree on the mapping");
        if (r % 3 != 2) {
            cr_assert_neq(w[0].got, rt_value_int(0));
            cr_assert_eq(native_async_file_close(h), 0);
        }
    }
}

typedef struct loader_arg {
    const char *path;
    long rounds;
    long bad;
} loader_arg;

static void *loader(void *arg)
{
    loader_arg *l = arg;
    for (long i = 0; i < l->rounds; i++) {
        int64_t h = create(l->path, O_RDONLY, (int32_t)(i & 1));
        if (h <= 0) {
            l->bad++;
            continue;
        }
        if (i % 2)
            native_async_file_start_loading(h);
        RtValue r = native_async_file_wait(h);
        const char *m = (const char *)(uintptr_t)rt_value_as_int(r);
        if (m == NULL || m[0] != 'a' || m[999] != (char)('a' + 999 % 23))
            l->bad++;
        if (native_async_file_close(h) != 0)
            l->bad++;
    }
    return NULL;
}

RTC_TEST(async_file, concurrent_loads_from_many_threads, .timeout = RTC_SLOW_TIMEOUT)
{
    enum { N = 6 };
    const char *p = make_file("many.txt", NULL, 1000);
    loader_arg args[N];
    for (int i = 0; i < N; i++)
        args[i] = (loader_arg){.path = p, .rounds = rtc_scale(30, 30)};
    rtc_team team;
    rtc_team_start(&team, N, loader, args, sizeof args[0]);
    rtc_team_join(&team);
    for (int i = 0; i < N; i++)
        cr_assert_eq(args[i].bad, 0, "thread %d", i);
}

static void close_handle(int64_t h) { cr_assert_eq(native_async_file_close(h), 0); }

RTC_TEST(async_file, allocation_failures_give_0)
{
    const char *p = make_file("oom.txt", "o", 1);
    RtValue s = str(p);
    RTC_EACH_ALLOCATION_FAILS(int64_t, native_async_file_create(s, O_RDONLY, 0), 0,
                              close_handle);
    rt_free(s);
}
