/*
 * coverage_rt/instrument/ins_main.c — rtcov-instrument: rewrites one C
 * translation unit so that its decisions, conditions and function paths
 * call the rt_coverage_* probes, and writes the manifest of what it
 * instrumented and what it skipped (coverage_rt/instrument/README.md).
 *
 *   rtcov-instrument [-o OUT.c] [-m MANIFEST.sdn] [--name NAME] SRC [-- CFLAGS...]
 *   rtcov-instrument --not-instrumented REASON -m MANIFEST.sdn [--name NAME] SRC
 *
 * The second form only writes a manifest saying SRC was compiled without
 * probes, and why (the build uses it when an instrumented file does not
 * compile, and then compiles the original).
 * It never fails a build for a reason of its own: when the file cannot be
 * parsed, OUT is a copy of SRC and the manifest says "not instrumented" and
 * why (exit 0). Exit 2: usage; 1: a file cannot be read or written.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coverage_rt/instrument/ins.h"

static const char usage[] =
    "usage: rtcov-instrument [-o OUT.c] [-m MANIFEST.sdn] [--name NAME] SRC [-- CFLAGS...]\n"
    "  -o OUT.c        the instrumented source (default: stdout)\n"
    "  -m MANIFEST     the manifest (SDN): decisions, conditions, functions, paths, skips\n"
    "  --name NAME     the file name the probes record (default: SRC as given)\n"
    "  CFLAGS          the compiler flags of SRC; -I -D -U -std -i* -m* are passed to libclang\n"
    "  --not-instrumented REASON   only write a manifest: SRC is built without probes\n";

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    ins_buf b = {0};
    char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
        ins_buf_put(&b, tmp, n);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(b.s);
        return NULL;
    }
    if (b.s == NULL)
        b.s = ins_xstrdup("");
    *len = b.len;
    return b.s;
}

static int write_all(const char *path, const char *text, size_t len)
{
    if (path == NULL)
        return fwrite(text, 1, len, stdout) == len ? 0 : -1;
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return -1;
    int ok = fwrite(text, 1, len, f) == len;
    return fclose(f) == 0 && ok ? 0 : -1;
}

/* A C string literal's body for s. */
static void put_cstr(ins_buf *b, const char *s)
{
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            ins_buf_put(b, "\\", 1);
        ins_buf_put(b, s, 1);
    }
}

/* Declarations and inline helpers the inserted calls use. No #include: a
 * file's own feature-test macros must still come before any system header.
 * The #line at the end keeps __LINE__, __FILE__ and diagnostics as they were. */
static void prelude(ins_buf *b, const char *name, const char *src_path)
{
    ins_buf_printf(b, "/* Instrumented by rtcov-instrument (coverage_rt/instrument): do not edit. */\n");
    ins_buf_printf(b, "typedef __UINT32_TYPE__ rtcov__u32;\n");
#define V "__attribute__((visibility(\"default\"))) "
    ins_buf_printf(b, V "void rt_coverage_decision_probe(rtcov__u32, _Bool, const char *, "
                        "rtcov__u32, rtcov__u32);\n");
    ins_buf_printf(b, V "void rt_coverage_condition_probe(rtcov__u32, rtcov__u32, _Bool, "
                        "const char *, rtcov__u32, rtcov__u32);\n");
    ins_buf_printf(b, V "void rt_coverage_path_probe(rtcov__u32, rtcov__u32);\n");
    ins_buf_printf(b, V "void rt_coverage_path_finalize(rtcov__u32);\n");
#undef V
    ins_buf_printf(b, "static const char rtcov__file[] __attribute__((unused)) = \"");
    put_cstr(b, name);
    ins_buf_printf(b, "\";\n");
#define H "static inline __attribute__((always_inline, unused)) "
    ins_buf_printf(b, H "int rtcov__c(rtcov__u32 rtcov__d_, rtcov__u32 rtcov__k_, "
                        "rtcov__u32 rtcov__l_, rtcov__u32 rtcov__o_, int rtcov__v_)\n"
                        "{ rt_coverage_condition_probe(rtcov__d_, rtcov__k_, rtcov__v_, "
                        "rtcov__file, rtcov__l_, rtcov__o_); return rtcov__v_; }\n");
    ins_buf_printf(b, H "int rtcov__d(rtcov__u32 rtcov__d_, rtcov__u32 rtcov__l_, "
                        "rtcov__u32 rtcov__o_, int rtcov__v_)\n"
                        "{ rt_coverage_decision_probe(rtcov__d_, rtcov__v_, rtcov__file, "
                        "rtcov__l_, rtcov__o_); return rtcov__v_; }\n");
    ins_buf_printf(b, H "int rtcov__dp(rtcov__u32 rtcov__d_, rtcov__u32 rtcov__l_, "
                        "rtcov__u32 rtcov__o_, rtcov__u32 rtcov__p_, rtcov__u32 rtcov__t_, "
                        "rtcov__u32 rtcov__f_, int rtcov__v_)\n"
                        "{ rt_coverage_decision_probe(rtcov__d_, rtcov__v_, rtcov__file, "
                        "rtcov__l_, rtcov__o_);\n"
                        "  rt_coverage_path_probe(rtcov__p_, rtcov__v_ ? rtcov__t_ : rtcov__f_);"
                        " return rtcov__v_; }\n");
    ins_buf_printf(b, H "void rtcov__fin(const rtcov__u32 *rtcov__p_)\n"
                        "{ rt_coverage_path_finalize(*rtcov__p_); }\n");
#undef H
    ins_buf_printf(b, "#line 1 \"");
    put_cstr(b, src_path);
    ins_buf_printf(b, "\"\n");
}

static int keep_flag(const char *a)
{
    return !strncmp(a, "-I", 2) || !strncmp(a, "-D", 2) || !strncmp(a, "-U", 2) ||
           !strncmp(a, "-std=", 5) || !strncmp(a, "-i", 2) || !strncmp(a, "-m", 2);
}

int main(int argc, char **argv)
{
    const char *out = NULL, *mpath = NULL, *name = NULL, *src = NULL, *notinst = NULL;
    const char **cargs = ins_xmalloc(((size_t)argc + 4) * sizeof *cargs);
    int ncargs = 0, i;
    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        if (!strcmp(argv[i], "-o") && i + 1 < argc)
            out = argv[++i];
        else if (!strcmp(argv[i], "-m") && i + 1 < argc)
            mpath = argv[++i];
        else if (!strcmp(argv[i], "--name") && i + 1 < argc)
            name = argv[++i];
        else if (!strcmp(argv[i], "--not-instrumented") && i + 1 < argc)
            notinst = argv[++i];
        else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(usage, stdout);
            return 0;
        } else if (argv[i][0] == '-' || src) {
            fprintf(stderr, "rtcov-instrument: unexpected '%s'\n%s", argv[i], usage);
            return 2;
        } else
            src = argv[i];
    }
    if (src == NULL) {
        fputs(usage, stderr);
        return 2;
    }
    cargs[ncargs++] = "-x";
    cargs[ncargs++] = "c";
    for (; i < argc; i++) {
        if (keep_flag(argv[i]))
            cargs[ncargs++] = argv[i];
        /* -include/-iquote/-isystem FILE as two words */
        if ((!strcmp(argv[i], "-include") || !strcmp(argv[i], "-iquote") ||
             !strcmp(argv[i], "-isystem")) && i + 1 < argc)
            cargs[ncargs++] = argv[++i];
    }
    if (name == NULL)
        name = src;

    ins_ctx g = {.name = name, .next_decision = 1};
    g.man.file = name;
    if (notinst) {
        g.man.status = "not instrumented";
        g.man.status_reason = ins_xstrdup(notinst);
        size_t mlen;
        char *mt = manifest_text(&g.man, &mlen);
        int bad = mpath == NULL || mt == NULL || write_all(mpath, mt, mlen) != 0;
        if (bad)
            fprintf(stderr, "rtcov-instrument: cannot write the manifest\n");
        free(mt);
        manifest_free(&g.man);
        free(cargs);
        return bad;
    }
    char *text = read_all(src, &g.srclen);
    if (text == NULL) {
        fprintf(stderr, "rtcov-instrument: %s: %s\n", src, strerror(errno));
        return 1;
    }
    g.src = text;

    CXIndex idx = clang_createIndex(0, 0);
    enum CXErrorCode ec = clang_parseTranslationUnit2(idx, src, cargs, ncargs, NULL, 0,
                                                      CXTranslationUnit_None, &g.tu);
    ins_buf why = {0};
    if (ec != CXError_Success || g.tu == NULL)
        ins_buf_printf(&why, "libclang could not parse the file (error %d)", (int)ec);
    else {
        for (unsigned d = 0; d < clang_getNumDiagnostics(g.tu) && why.len == 0; d++) {
            CXDiagnostic dg = clang_getDiagnostic(g.tu, d);
            if (clang_getDiagnosticSeverity(dg) >= CXDiagnostic_Error) {
                CXString s = clang_formatDiagnostic(dg, clang_defaultDiagnosticDisplayOptions());
                ins_buf_printf(&why, "parse error: %s", clang_getCString(s));
                clang_disposeString(s);
            }
            clang_disposeDiagnostic(dg);
        }
        g.main_file = clang_getFile(g.tu, src);
        if (why.len == 0 && g.main_file == NULL)
            ins_buf_printf(&why, "libclang lost the main file");
    }

    char *result;
    size_t rlen;
    if (why.len) {
        /* Not instrumented: the build compiles the file as it is. */
        g.man.status = "not instrumented";
        g.man.status_reason = why.s;
        why.s = NULL;
        result = ins_xstrdup(text);
        rlen = g.srclen;
        fprintf(stderr, "rtcov-instrument: %s: not instrumented: %s\n", src,
                g.man.status_reason);
    } else {
        g.man.status = "instrumented";
        ins_walk_tu(&g);
        ins_buf b = {0};
        prelude(&b, name, src);
        size_t blen;
        char *body = ins_apply(&g.edits, text, g.srclen, &blen);
        ins_buf_put(&b, body, blen);
        free(body);
        result = b.s;
        rlen = b.len;
    }
    free(why.s);
    int rc = 0;
    if (write_all(out, result, rlen) != 0) {
        fprintf(stderr, "rtcov-instrument: cannot write %s: %s\n", out ? out : "stdout",
                strerror(errno));
        rc = 1;
    }
    if (mpath) {
        size_t mlen;
        char *mt = manifest_text(&g.man, &mlen);
        if (mt == NULL || write_all(mpath, mt, mlen) != 0) {
            fprintf(stderr, "rtcov-instrument: cannot write %s\n", mpath);
            rc = 1;
        }
        free(mt);
    }
    free(result);
    free(text);
    ins_edits_free(&g.edits);
    manifest_free(&g.man);
    if (g.tu)
        clang_disposeTranslationUnit(g.tu);
    clang_disposeIndex(idx);
    free(cargs);
    return rc;
}
