/*
 * coverage_rt/cov_persist.c — SIMPLE_COVERAGE_OUTPUT: the report written at
 * exit and when the process dies by SIGSEGV, SIGBUS, SIGFPE, SIGILL or
 * SIGABRT (spec/ffi/coverage.sdn, family notes).
 *
 * The variable is read once, when coverage turns on. It names a file, or a
 * directory (an existing one, or any value ending in '/'): then each process
 * writes coverage-<pid>-<monotonic ns>-<n>.sdn there, so forked test runners
 * and parallel test processes never overwrite each other. A forked child
 * gets a new name and reports only what it records after the fork, so the
 * reports of a process tree add up to the exact totals (`simplert cov merge`).
 *
 * The writer is async-signal-safe: the file names, the output buffer and the
 * arena the report model is built in are all allocated in advance (the arena
 * grows with the registry, under its lock, before a new site is published);
 * it calls only open, write, close, rename, unlink, clock_gettime, nanosleep,
 * sigaction, raise and gettid. It writes a temporary file and renames it, so
 * a report on disk is always complete. After writing, the signal handler
 * restores the previous disposition and chains to it, or re-raises the
 * signal, so the process still dies with the original signal.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "coverage_rt/cov_internal.h"

#define NSIG_FATAL 5

typedef struct sig_arena {
    struct sig_arena *retired_next;
    uint32_t sites;              /* sites the arena holds */
    cov_arena a;
} sig_arena;

static _Atomic int g_active;
static int g_dir_mode;
static char g_base[PATH_MAX];
static char g_final[PATH_MAX + 96], g_tmp[PATH_MAX + 128];
static _Atomic(sig_arena *) g_arena;
static sig_arena *g_retired;         /* superseded arenas (a signal may be using one) */
static char g_wbuf[1 << 16];
static _Atomic int g_busy;           /* 0 idle, 1 writing, 2 written */
static _Atomic long g_writer;
static _Atomic uint32_t g_seq;
static _Atomic uint64_t g_t0;
static struct sigaction g_old[NSIG_FATAL];
static const int g_sigs[NSIG_FATAL] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};

static void make_names(void);
static int reserve(uint32_t sites);
static void write_report(void);
static void on_fatal(int sig, siginfo_t *si, void *uc);
static void at_exit(void) { write_report(); }
static uint64_t mono_ns(void);

void rtx_cov_persist_setup(void)
{
    const char *o = getenv("SIMPLE_COVERAGE_OUTPUT");
    size_t len = o ? strlen(o) : 0;
    if (len == 0 || len >= sizeof g_base)
        return;   /* unset, empty, or longer than a path can be: no persistence */
    memcpy(g_base, o, len + 1);
    struct stat st;
    g_dir_mode = o[len - 1] == '/' || (stat(o, &st) == 0 && S_ISDIR(st.st_mode));
    if (g_dir_mode) {
        /* Create the directory and its parents (best effort; retried at write). */
        for (char *p = g_base + 1; *p; p++) {
            if (*p != '/')
                continue;
            *p = 0;
            mkdir(g_base, 0777);
            *p = '/';
        }
        mkdir(g_base, 0777);
    }
    make_names();
    if (reserve(1024) != 0)
        return;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fatal;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < NSIG_FATAL; i++)
        sigaction(g_sigs[i], &sa, &g_old[i]);
    atexit(at_exit);
    atomic_store(&g_active, 1);
    /* The calling thread's signal stack, if it already has coverage state. */
    if (rtx_cov_tls != &rtx_cov_nobody)
        rtx_cov_altstack_install(rtx_cov_tls);
}

void rtx_cov_persist_reserve(uint32_t sites)
{
    if (atomic_load(&g_active))
        reserve(sites);
}

bool rtx_cov_persist_active(void) { return atomic_load(&g_active) != 0; }

void rtx_cov_persist_fork_child(void)
{
    if (!atomic_load(&g_active))
        return;
    atomic_store(&g_busy, 0);
    make_names();
}

uint64_t rtx_cov_now_ns(void)
{
    uint64_t now = mono_ns(), t0 = atomic_load(&g_t0);
    if (t0 == 0) {
        uint64_t z = 0;
        t0 = atomic_compare_exchange_strong(&g_t0, &z, now) ? now : z;
    }
    return now > t0 ? now - t0 : 0;
}

/* ---- helpers ---- */

static uint64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Appends text or a number to a fixed buffer (async-signal-safe). */
static void cat(char *dst, size_t cap, const char *s)
{
    size_t n = strlen(dst), k = strlen(s);
    if (n + k < cap)
        memcpy(dst + n, s, k + 1);
}

static void cat_u64(char *dst, size_t cap, uint64_t v)
{
    char d[21];
    size_t i = sizeof d - 1;
    d[i] = 0;
    do {
        d[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    cat(dst, cap, d + i);
}

/* The report's name and its temporary name (also run in a forked child). */
static void make_names(void)
{
    g_final[0] = 0;
    cat(g_final, sizeof g_final, g_base);
    if (g_dir_mode) {
        if (g_base[strlen(g_base) - 1] != '/')
            cat(g_final, sizeof g_final, "/");
        cat(g_final, sizeof g_final, "coverage-");
        cat_u64(g_final, sizeof g_final, (uint64_t)getpid());
        cat(g_final, sizeof g_final, "-");
        cat_u64(g_final, sizeof g_final, mono_ns());
        cat(g_final, sizeof g_final, "-");
        cat_u64(g_final, sizeof g_final, atomic_fetch_add(&g_seq, 1));
        cat(g_final, sizeof g_final, ".sdn");
    }
    g_tmp[0] = 0;
    cat(g_tmp, sizeof g_tmp, g_final);
    cat(g_tmp, sizeof g_tmp, ".tmp.");
    cat_u64(g_tmp, sizeof g_tmp, (uint64_t)getpid());
}

/* Makes the crash writer's arena hold `sites` sites (registry lock held, or
 * before any site exists). */
static int reserve(uint32_t sites)
{
    sig_arena *cur = atomic_load(&g_arena);
    if (cur != NULL && cur->sites >= sites)
        return 0;
    uint32_t want = cur ? cur->sites : 1024;
    while (want < sites)
        want = want > UINT32_MAX / 2 ? sites : want * 2;
    size_t size = rtx_cov_arena_size(want, COV_OPEN_ROWS, COV_OPEN_BLOCKS);
    sig_arena *na = rtx_cov_malloc(sizeof *na + size);
    if (na == NULL)
        return -1;   /* the crash report then holds the sites the old arena fits */
    na->sites = want;
    na->a = (cov_arena){.p = (char *)(na + 1), .cap = size};
    atomic_store(&g_arena, na);
    if (cur != NULL) {
        cur->retired_next = g_retired;
        g_retired = cur;
    }
    return 0;
}

static void write_report(void)
{
    if (!atomic_load(&g_active))
        return;
    long self = (long)syscall(SYS_gettid);
    int idle = 0;
    if (!atomic_compare_exchange_strong(&g_busy, &idle, 1)) {
        /* Another thread is writing: wait for it (up to 10 s) before this
         * thread lets the process die. Never wait for ourselves. */
        struct timespec ms = {0, 1000000};
        for (int i = 0; i < 10000 && atomic_load(&g_busy) == 1 && atomic_load(&g_writer) != self; i++)
            nanosleep(&ms, NULL);
        return;
    }
    atomic_store(&g_writer, self);
    sig_arena *sa = atomic_load(&g_arena);
    cov_arena a = sa->a;
    a.used = 0;
    rtx_cov_model m;
    rtx_cov_build(&a, &m, 1, COV_OPEN_ROWS, COV_OPEN_BLOCKS);
    int fd = open(g_tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 && g_dir_mode && mkdir(g_base, 0777) == 0)
        fd = open(g_tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) {
        rtx_cov_sink s;
        rtx_cov_sink_fd_init(&s, fd, g_wbuf, sizeof g_wbuf);
        int ok = rtx_cov_write(&m, &s) == 0;
        ok = rtx_cov_sink_fd_end(&s) == 0 && ok;
        ok = close(fd) == 0 && ok;
        if (ok)
            rename(g_tmp, g_final);
        else
            unlink(g_tmp);
    }
    atomic_store(&g_busy, 2);
}

static void on_fatal(int sig, siginfo_t *si, void *uc)
{
    int saved = errno;
    write_report();
    int i = 0;
    while (i < NSIG_FATAL && g_sigs[i] != sig)
        i++;
    if (i < NSIG_FATAL) {
        struct sigaction old = g_old[i];
        sigaction(sig, &old, NULL);
        if ((old.sa_flags & SA_SIGINFO) && old.sa_sigaction != NULL) {
            old.sa_sigaction(sig, si, uc);
            errno = saved;
            return;
        }
        if (!(old.sa_flags & SA_SIGINFO) && old.sa_handler != SIG_DFL &&
            old.sa_handler != SIG_IGN) {
            old.sa_handler(sig);
            errno = saved;
            return;
        }
        if (old.sa_handler == SIG_IGN) {   /* a fatal signal cannot be ignored away */
            struct sigaction dfl;
            memset(&dfl, 0, sizeof dfl);
            dfl.sa_handler = SIG_DFL;
            sigaction(sig, &dfl, NULL);
        }
    }
    /* Pending until this handler returns (the signal is blocked meanwhile);
     * then the default action ends the process with this signal. */
    raise(sig);
    errno = saved;
}
