/*
 * tests/cov/helpers.h — shared by the `simplert cov` suites: run the command
 * with its stdout captured, read files, build reports, leak checks.
 */
#ifndef TESTS_COV_HELPERS_H
#define TESTS_COV_HELPERS_H

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tools/cli.h"
#include "tools/cov.h"
#include "tools/util.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define LEAK_CHECK() cr_assert_eq(__lsan_do_recoverable_leak_check(), 0, "memory leaked")
#else
#define LEAK_CHECK() ((void)0)
#endif

/* A fresh temporary directory (the caller frees the string). */
static inline char *tdir(void)
{
    char tmpl[] = "/tmp/cov-cli-XXXXXX";
    cr_assert_not_null(mkdtemp(tmpl));
    return xstrdup(tmpl);
}

static inline char *tpath(const char *dir, const char *name)
{
    tbuf b = {0};
    tbuf_printf(&b, "%s/%s", dir, name);
    return b.s;
}

static inline void put(const char *path, const char *text)
{
    cr_assert_eq(write_file(path, text, strlen(text)), 0, "cannot write %s", path);
}

static inline char *slurp(const char *path)
{
    char *t = read_file(path, NULL);
    cr_assert_not_null(t, "cannot read %s", path);
    return t;
}

/* Runs `simplert cov ARGS...` (NULL-terminated); its stdout goes to *out
 * (malloc'd; may be NULL to discard). Returns the exit status. */
static inline int run_cov(char **out, ...)
{
    char *argv[32] = {"cov"};
    int argc = 1;
    va_list ap;
    va_start(ap, out);
    for (char *a; (a = va_arg(ap, char *)) != NULL && argc < 31;)
        argv[argc++] = a;
    va_end(ap);
    char tmpl[] = "/tmp/cov-out-XXXXXX";
    int fd = mkstemp(tmpl);
    cr_assert_geq(fd, 0);
    fflush(stdout);
    int saved = dup(1);
    dup2(fd, 1);
    int rc = cmd_cov(argc, argv);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    close(fd);
    if (out)
        *out = slurp(tmpl);
    unlink(tmpl);
    return rc;
}

/* A finished doc from one text; asserts it reads. */
static inline void doc_of(cov_doc *d, const char *text)
{
    char err[256];
    memset(d, 0, sizeof *d);
    cr_assert_eq(cov_doc_read(d, text, strlen(text), "t", err, sizeof err), 0, "%s", err);
    cov_doc_finish(d);
}

#endif /* TESTS_COV_HELPERS_H */
