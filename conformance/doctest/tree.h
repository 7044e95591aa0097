/*
 * conformance/doctest/tree.h — real directory trees for the doctest suites.
 *
 * Each test builds its own tree under a fresh mkdtemp directory and removes
 * it at the end (tree_done), so tests share nothing and leave nothing.
 * Everything is static: each suite file gets its own copy.
 */
#ifndef RTC_DOCTEST_TREE_H
#define RTC_DOCTEST_TREE_H

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conformance/rtc.h"

typedef struct tree {
    char root[512];
} tree;

/* Formats into a static buffer (one per call site is enough for tests). */
static inline const char *tpath(const tree *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline const char *tpath(const tree *t, const char *fmt, ...)
{
    static char buf[4][1536];
    static int next;
    char rel[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rel, sizeof rel, fmt, ap);
    va_end(ap);
    char *b = buf[next++ % 4];
    snprintf(b, sizeof buf[0], "%s/%s", t->root, rel);
    return b;
}

static inline void tree_remove(const char *root);

/* The tree of the running test, removed at exit if an assertion failed
 * before tree_done (Criterion ends a failed test's process normally). */
static char tree_pending[512];
static int tree_registered;

static inline void tree_at_exit(void)
{
    if (tree_pending[0])
        tree_remove(tree_pending);
}

static inline void tree_init(tree *t)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(t->root, sizeof t->root, "%s/simplert-doctest-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    cr_assert_not_null(mkdtemp(t->root), "mkdtemp: %s", strerror(errno));
    if (!tree_registered)
        tree_registered = atexit(tree_at_exit) == 0;
    memcpy(tree_pending, t->root, sizeof tree_pending);
    /* World-searchable, so the unprivileged-fsuid checks can reach it. */
    cr_assert_eq(chmod(t->root, 0755), 0);
    umask(022);
}

static inline void tree_mkdir(const tree *t, const char *rel)
{
    cr_assert_eq(mkdir(tpath(t, "%s", rel), 0755), 0, "mkdir %s: %s", rel, strerror(errno));
}

static inline void tree_write(const tree *t, const char *rel, const void *data, size_t n)
{
    const char *p = tpath(t, "%s", rel);
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    cr_assert_geq(fd, 0, "create %s: %s", p, strerror(errno));
    cr_assert_eq(write(fd, data, n), (ssize_t)n);
    close(fd);
}

static inline void tree_file(const tree *t, const char *rel, const char *text)
{
    tree_write(t, rel, text, strlen(text));
}

static inline void tree_link(const tree *t, const char *target, const char *rel)
{
    cr_assert_eq(symlink(target, tpath(t, "%s", rel)), 0, "symlink %s: %s", rel, strerror(errno));
}

static inline int tree_rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
    (void)st;
    (void)f;
    if (flag == FTW_DP || flag == FTW_D || flag == FTW_DNR)
        return rmdir(p) == 0 ? 0 : (chmod(p, 0755), rmdir(p), 0);
    return unlink(p), 0;
}

/* Makes every directory readable again (tests lock some), then removes all. */
static inline int tree_unlock_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
    (void)f;
    if (flag == FTW_D || flag == FTW_DNR || (st && S_ISDIR(st->st_mode) && flag != FTW_SL))
        chmod(p, 0755);
    return 0;
}

static inline void tree_remove(const char *root)
{
    if (geteuid() == 0)
        setfsuid(0);   /* a failed test may have left the unprivileged fsuid on */
    nftw(root, tree_unlock_one, 16, FTW_PHYS);
    nftw(root, tree_unlock_one, 16, FTW_PHYS);   /* reach what the first pass unlocked */
    nftw(root, tree_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static inline void tree_done(tree *t)
{
    if (t->root[0] == 0)
        return;
    tree_remove(t->root);
    tree_pending[0] = 0;
    struct stat st;
    cr_assert_neq(lstat(t->root, &st), 0, "the temporary tree %s was not removed", t->root);
    t->root[0] = 0;
}

/* ---- values ---- */

static inline RtValue str(const char *s)
{
    return rt_string_new((const uint8_t *)s, strlen(s));
}

static inline RtValue strn(const void *s, size_t n)
{
    return rt_string_new((const uint8_t *)s, n);
}

/* An array of new strings (NULL ends the list); free with free_deep. */
static inline RtValue strs(const char *first, ...)
{
    RtValue a = rt_array_new(0);
    va_list ap;
    va_start(ap, first);
    for (const char *s = first; s; s = va_arg(ap, const char *))
        rt_array_push(a, str(s));
    va_end(ap);
    return a;
}

/* Frees an array and its elements (rt_free is shallow). */
static inline void free_deep(RtValue a)
{
    for (int64_t i = 0; i < rt_array_len(a); i++)
        rt_free(rt_array_get(a, i));
    rt_free(a);
}

/* Asserts that the string value s holds exactly text. */
static inline void assert_text(RtValue s, const char *text, size_t n)
{
    cr_assert_eq(rt_string_len(s), (int64_t)n, "length %" PRId64 ", want %zu", rt_string_len(s), n);
    cr_assert_eq(memcmp(rt_string_data(s), text, n), 0, "got \"%s\", want \"%s\"",
                 (const char *)rt_string_data(s), text);
}

/* Asserts that the walk result r is exactly the paths want[0..n) in that
 * order, each written relative to prefix (prefix + want[i]), then frees r. */
static inline void expect_paths(RtValue r, const char *prefix, const char *const *want, size_t n)
{
    cr_assert_neq(r, RT_NIL, "walk returned NIL");
    int64_t len = rt_array_len(r);
    char msg[4096] = "";
    size_t at = 0;
    for (int64_t i = 0; i < len && at < sizeof msg - 200; i++)
        at += (size_t)snprintf(msg + at, sizeof msg - at, "  [%" PRId64 "] %s\n", i,
                               (const char *)rt_string_data(rt_array_get(r, i)));
    cr_assert_eq(len, (int64_t)n, "walk gave %" PRId64 " paths, want %zu:\n%s", len, n, msg);
    for (size_t i = 0; i < n; i++) {
        char full[2048];
        snprintf(full, sizeof full, "%s%s", prefix, want[i]);
        RtValue s = rt_array_get(r, (int64_t)i);
        cr_assert_geq(rt_string_len(s), 0, "element %zu is not a string", i);
        cr_assert_str_eq((const char *)rt_string_data(s), full, "element %zu; all:\n%s", i, msg);
    }
    free_deep(r);
}
#define EXPECT_PATHS(r, prefix, ...)                                                       \
    do {                                                                                   \
        const char *const want_[] = {__VA_ARGS__};                                         \
        expect_paths((r), (prefix), want_, sizeof want_ / sizeof want_[0]);                \
    } while (0)

/* ---- acting as an unprivileged user ---- */

/* Whether this process can open path for reading (open(2) checks the
 * file-system uid; access(2) would check the real uid instead). */
static inline int readable(const char *path)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK);
    if (fd < 0)
        return 0;
    close(fd);
    return 1;
}

static inline void as_privileged(void);

/* Root reads every directory whatever its mode, so a permission test would
 * prove nothing. As root, switch the file-system uid of this (forked, single
 * threaded) test process to nobody, which drops CAP_DAC_OVERRIDE and
 * CAP_DAC_READ_SEARCH; as any other user there is nothing to do. Then check
 * the premise — reachable can be read, locked cannot — or skip the test
 * saying why. as_privileged() undoes the switch. */
static inline void as_unprivileged(const char *reachable, const char *locked)
{
    if (geteuid() == 0) {
        setfsuid(65534);
        if ((uid_t)setfsuid((uid_t)-1) != 65534) {
            as_privileged();
            cr_skip_test("running as root, and setfsuid(65534) did not take effect: cannot make "
                         "a path unreadable to this process");
        }
    }
    int can_reach = readable(reachable), can_lock = !readable(locked);
    if (!can_reach || !can_lock) {
        as_privileged();
        cr_skip_test("premise does not hold as uid %d (file-system uid switched to nobody when "
                     "root): %s %s readable, %s %s readable", (int)geteuid(), reachable,
                     can_reach ? "is" : "is not", locked, can_lock ? "is not" : "is");
    }
}

/* Back to root's file-system uid (and dumpable, which LeakSanitizer needs). */
static inline void as_privileged(void)
{
    if (geteuid() == 0) {
        setfsuid(0);
        prctl(PR_SET_DUMPABLE, 1);
    }
}

#endif /* RTC_DOCTEST_TREE_H */
