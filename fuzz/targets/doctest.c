/*
 * fuzz/targets/doctest.c — operation sequences over the doctest family
 * (spec/ffi/doctest.sdn), with oracles.
 *
 * The generated calls (rtz_doctest.h) take any value as a path, so real
 * paths of this machine, relative to the working directory or absolute,
 * reach read_file and the predicates. doctest_walk_directory is driven by a
 * hand-written op instead: an arbitrary root ("/", "..") would walk the
 * whole machine, so every root that is a string is redirected into a small
 * sandbox tree this process builds once (symlink loops, a symlinked
 * directory, a non-UTF-8 name, empty and non-UTF-8 files, a FIFO) and
 * removes at exit; non-string roots and every kind of pattern list stay
 * hostile. The working directory is never changed (libFuzzer writes its
 * corpus and artifacts relative to it).
 *
 * Oracles: predicate answers are TRUE/FALSE and consistent (file and dir
 * exclusive; either implies exists; readable implies file); read_file's
 * result is valid UTF-8 and equals the sandbox file's contents; text tests
 * agree with byte arithmetic; every walk result is a fresh string under the
 * root, a file, kept by the filter rule (checked here with the matcher
 * directly), and a subsequence of the unfiltered walk.
 */
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz/rtz.h"
#include "rtz_doctest.h"
#include "runtime/utf8.h"
#include "runtime/glob.h"

static char box[256];   /* the sandbox root; "" until built */

static const struct {
    const char *name, *text;
} files[] = {
    {"a.spl", "fn a():\n    pass\n"},
    {"b.md", "# B\n"},
    {"empty", ""},
    {"sub/c.spl", "c \xC3\xA9"},
    {"sub/deep/d.txt", "d"},
    {"sub/deep/e.spl", ""},
    {"bad.bin", "\xFF\xFE"},
    {"n\xFFm/x.spl", "x"},
    {"[x].txt", "brackets"},
};

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
    (void)st;
    (void)f;
    return (flag == FTW_DP ? rmdir(p) : unlink(p)), 0;
}

static void box_remove(void)
{
    if (box[0])
        nftw(box, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void box_path(char *out, size_t cap, const char *rel)
{
    snprintf(out, cap, "%s/%s", box, rel);
}

static void box_build(void)
{
    if (box[0])
        return;
    snprintf(box, sizeof box, "/tmp/simplert-fuzz-doctest-XXXXXX");
    if (mkdtemp(box) == NULL) {
        perror("mkdtemp");
        abort();
    }
    atexit(box_remove);
    static const char *const dirs[] = {"sub", "sub/deep", "n\xFFm", "real"};
    char p[512];
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        box_path(p, sizeof p, dirs[i]);
        mkdir(p, 0755);
    }
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        box_path(p, sizeof p, files[i].name);
        FILE *f = fopen(p, "wb");
        if (f) {
            fputs(files[i].text, f);
            fclose(f);
        }
    }
    static const char *const links[][2] = {
        {".", "self"}, {"..", "sub/up"}, {"../sub", "sub/deep/again"}, {"sub", "link_dir"},
        {"a.spl", "link_file"}, {"nowhere", "dangling"}, {"loop_b", "loop_a"},
        {"loop_a", "loop_b"},
    };
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
        box_path(p, sizeof p, links[i][1]);
        if (symlink(links[i][0], p) != 0)
            perror("symlink");
    }
    box_path(p, sizeof p, "fifo");
    mkfifo(p, 0644);
}

/* A new string value the input owns. */
static RtValue own_str(rtz *z, const void *b, size_t n)
{
    RtValue s = rt_string_new(b, n);
    rtz_adopt(z, s);
    return s;
}

/* A path inside the sandbox: a known name, a fuzzed one, or a mix. */
static RtValue box_rel(rtz *z)
{
    static const char *const names[] = {"", "a.spl", "b.md", "empty", "sub", "sub/c.spl",
                                         "sub/deep", "sub/deep/e.spl", "self", "sub/up",
                                         "link_dir", "link_file", "dangling", "loop_a", "fifo",
                                         "bad.bin", "missing", "sub/", ".", "[x].txt"};
    char p[1024];
    uint8_t c = rtz_u8(z);
    int n;
    if (c < 160) {
        n = snprintf(p, sizeof p, "%s/%s", box, names[c % (sizeof names / sizeof names[0])]);
    } else {
        uint64_t len;
        const uint8_t *b = rtz_buf_in(z, &len);
        n = snprintf(p, sizeof p, "%s/", box);
        if (b && len < sizeof p - (size_t)n) {
            memcpy(p + n, b, (size_t)len);
            n += (int)len;
        }
    }
    return own_str(z, p, (size_t)n);
}

/* ---- ops ---- */

static void op_box_predicates(rtz *z)
{
    RtValue p = box_rel(z);
    RtValue e = doctest_path_exists(p), f = doctest_is_file(p), d = doctest_is_dir(p);
    RTZ_CHECK(e == RT_TRUE || e == RT_FALSE);
    RTZ_CHECK(f == RT_TRUE || f == RT_FALSE);
    RTZ_CHECK(d == RT_TRUE || d == RT_FALSE);
    RTZ_CHECK(!(f == RT_TRUE && d == RT_TRUE));
    RTZ_CHECK(e == RT_TRUE || (f == RT_FALSE && d == RT_FALSE));
    RtValue r = doctest_read_file(p);
    if (r != RT_NIL) {
        RTZ_CHECK(f == RT_TRUE);
        int64_t n = rt_string_len(r);
        RTZ_CHECK(n >= 0 && rtx_utf8_valid(rt_string_data(r), (size_t)n));
        size_t pn = (size_t)rt_string_len(p);
        /* A known sandbox file reads back exactly. */
        for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
            char want[512];
            box_path(want, sizeof want, files[i].name);
            if (strlen(want) == pn && memcmp(want, rt_string_data(p), pn) == 0)
                RTZ_CHECK((size_t)n == strlen(files[i].text) &&
                          memcmp(rt_string_data(r), files[i].text, (size_t)n) == 0);
        }
        rt_free(r);
    }
}

/* has_extension and contains agree with plain byte arithmetic. */
static void op_text_oracle(rtz *z)
{
    RtValue a = rtz_rv_of(z, RT_HEAP_STRING), b = rtz_rv_of(z, RT_HEAP_STRING);
    RtValue ext = doctest_path_has_extension(a, b), has = doctest_path_contains(a, b);
    int64_t an = rt_string_len(a), bn = rt_string_len(b);
    int valid = an >= 0 && bn >= 0 && rtx_utf8_valid(rt_string_data(a), (size_t)an) &&
                rtx_utf8_valid(rt_string_data(b), (size_t)bn);
    if (!valid) {
        RTZ_CHECK(ext == RT_FALSE && has == RT_FALSE);
        return;
    }
    const uint8_t *x = rt_string_data(a), *y = rt_string_data(b);
    int want_ext = bn <= an && memcmp(x + an - bn, y, (size_t)bn) == 0;
    int want_has = bn == 0 || memmem(x, (size_t)an, y, (size_t)bn) != NULL;
    RTZ_CHECK(ext == (want_ext ? RT_TRUE : RT_FALSE));
    RTZ_CHECK(has == (want_has ? RT_TRUE : RT_FALSE));
}

/* A pattern list: a live array of fuzzed patterns and hostile elements, or
 * a value that is not an array at all. */
static RtValue pattern_list(rtz *z)
{
    static const char *const common[] = {"*", "*.spl", "**", "**/*.md", "*/sub/*", "[", "a**",
                                         "*[!a]*", "?", "*deep*", "*[[]x]*", "**/"};
    uint8_t c = rtz_u8(z);
    if (c < 32)
        return rtz_rv(z);
    RtValue a = rt_array_new(0);
    rtz_adopt(z, a);
    int n = c % 5;
    for (int i = 0; i < n; i++) {
        uint8_t k = rtz_u8(z);
        RtValue e;
        if (k < 64) {
            const char *s = common[k % (sizeof common / sizeof common[0])];
            char p[300];
            int m = (k & 1) ? snprintf(p, sizeof p, "%s/%s", box, s) : snprintf(p, sizeof p, "%s", s);
            e = own_str(z, p, (size_t)m);
        } else if (k < 200) {
            uint64_t len;
            const uint8_t *b = rtz_buf_in(z, &len);
            e = own_str(z, b ? b : (const uint8_t *)"", b ? (size_t)len : 0);
        } else {
            e = rtz_rv(z);
        }
        rt_array_push(a, e);
    }
    return a;
}

static int compile_list(RtValue list, rtx_glob **out, size_t max)
{
    size_t n = 0;
    int64_t len = rt_value_heap_type(list) == RT_HEAP_ARRAY ? rt_array_len(list) : 0;
    for (int64_t i = 0; i < len && n < max; i++) {
        RtValue e = rt_array_get(list, i);
        int64_t sl = rt_string_len(e);
        if (sl < 0 || !rtx_utf8_valid(rt_string_data(e), (size_t)sl))
            continue;
        if (rtx_glob_compile(rt_string_data(e), (size_t)sl, &out[n]) == RTX_GLOB_OK)
            n++;
    }
    return (int)n;
}

static int any(rtx_glob **g, int n, RtValue s)
{
    for (int i = 0; i < n; i++)
        if (rtx_glob_match(g[i], rt_string_data(s), (size_t)rt_string_len(s)) == 1)
            return 1;
    return 0;
}

static void free_list(RtValue a)
{
    for (int64_t i = 0; i < rt_array_len(a); i++)
        rt_free(rt_array_get(a, i));
    rt_free(a);
}

static void op_walk(rtz *z)
{
    RtValue root;
    uint8_t c = rtz_u8(z);
    if (c < 32) {
        root = rtz_rv(z);
        if (rt_string_len(root) >= 0)
            root = box_rel(z);   /* never a string outside the sandbox */
    } else {
        root = box_rel(z);
    }
    RtValue inc = pattern_list(z), exc = pattern_list(z);
    /* The oracle's own view of the patterns, taken before the walk
     * allocates (a stale word in a list may name one of its results). */
    rtx_glob *gi[8], *ge[8];
    int ni = compile_list(inc, gi, 8), ne = compile_list(exc, ge, 8);
    int exact = rt_array_len(inc) <= 8 && rt_array_len(exc) <= 8;
    RtValue r = doctest_walk_directory(root, inc, exc);
    int64_t rn = rt_string_len(root);
    if (rn < 0 || !rtx_utf8_valid(rt_string_data(root), (size_t)rn)) {
        RTZ_CHECK(r == RT_NIL);
    } else {
        RTZ_CHECK(r != RT_NIL);   /* no allocation fails while fuzzing */
    }
    RtValue all = r == RT_NIL ? RT_NIL : doctest_walk_directory(root, RT_NIL, RT_NIL);
    RTZ_CHECK(r == RT_NIL || (all != RT_NIL && rt_array_len(r) <= rt_array_len(all)));
    int64_t j = 0;
    for (int64_t i = 0; r != RT_NIL && i < rt_array_len(r); i++) {
        RtValue s = rt_array_get(r, i);
        int64_t sn = rt_string_len(s);
        RTZ_CHECK(sn >= rn && memcmp(rt_string_data(s), rt_string_data(root), (size_t)rn) == 0);
        RTZ_CHECK(rtx_utf8_valid(rt_string_data(s), (size_t)sn));
        RTZ_CHECK(doctest_is_file(s) == RT_TRUE);
        for (int64_t k = 0; k < i; k++)
            RTZ_CHECK(rt_array_get(r, k) != s);   /* every element a distinct value */
        if (exact)
            RTZ_CHECK((ni == 0 || any(gi, ni, s)) && !any(ge, ne, s));
        /* r is a subsequence of the unfiltered walk */
        while (j < rt_array_len(all) &&
               (rt_string_len(rt_array_get(all, j)) != sn ||
                memcmp(rt_string_data(rt_array_get(all, j)), rt_string_data(s), (size_t)sn) != 0))
            j++;
        RTZ_CHECK(j < rt_array_len(all));
        j++;
    }
    for (int i = 0; i < ni; i++)
        rtx_glob_free(gi[i]);
    for (int i = 0; i < ne; i++)
        rtx_glob_free(ge[i]);
    if (r != RT_NIL) {
        free_list(r);
        free_list(all);
    }
}

static const rtz_op ops[] = {
    RTZ_OP(doctest_read_file), RTZ_OP(doctest_path_exists), RTZ_OP(doctest_is_file),
    RTZ_OP(doctest_is_dir), RTZ_OP(doctest_path_has_extension), RTZ_OP(doctest_path_contains),
    {"box_predicates", op_box_predicates},
    {"box_predicates", op_box_predicates},
    {"text_oracle", op_text_oracle},
    {"walk", op_walk},
    {"walk", op_walk},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    box_build();
    return rtz_run_ops(data, size, ops, sizeof ops / sizeof ops[0], NULL);
}
