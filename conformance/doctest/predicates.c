/* Conformance: doctest_path_exists, doctest_is_file, doctest_is_dir
 * (spec/ffi/doctest.sdn), on a real tree: files, directories, symlinks to
 * both, dangling and looping symlinks, a FIFO, and hostile arguments. */
#include "conformance/doctest/tree.h"

/* The three predicates of one path, as "EFD" letters: E exists, F file, D
 * dir, '-' for FALSE. Any answer other than TRUE/FALSE fails the test. */
static const char *probe(RtValue p)
{
    static char out[4];
    RtValue r[3] = {doctest_path_exists(p), doctest_is_file(p), doctest_is_dir(p)};
    const char *letters = "EFD";
    for (int i = 0; i < 3; i++) {
        cr_assert(r[i] == RT_TRUE || r[i] == RT_FALSE, "predicate %d answered 0x%" PRIx64, i,
                  r[i]);
        out[i] = r[i] == RT_TRUE ? letters[i] : '-';
    }
    out[3] = 0;
    return out;
}

static const char *probe_path(const char *path)
{
    RtValue p = str(path);
    const char *r = probe(p);
    rt_free(p);
    return r;
}

RTC_TEST(doctest_predicates, classify_a_real_tree)
{
    tree t;
    tree_init(&t);
    tree_mkdir(&t, "dir");
    tree_file(&t, "dir/file.spl", "x");
    tree_write(&t, "empty", "", 0);
    tree_link(&t, "dir/file.spl", "link_to_file");
    tree_link(&t, "dir", "link_to_dir");
    tree_link(&t, "nowhere", "dangling");
    tree_link(&t, "loop_b", "loop_a");
    tree_link(&t, "loop_a", "loop_b");
    cr_assert_eq(mkfifo(tpath(&t, "fifo"), 0644), 0);

    cr_assert_str_eq(probe_path(t.root), "E-D");
    cr_assert_str_eq(probe_path(tpath(&t, "dir")), "E-D");
    cr_assert_str_eq(probe_path(tpath(&t, "dir/")), "E-D", "a trailing slash names the dir");
    cr_assert_str_eq(probe_path(tpath(&t, "dir/file.spl")), "EF-");
    cr_assert_str_eq(probe_path(tpath(&t, "dir/file.spl/")), "---", "a file is no directory");
    cr_assert_str_eq(probe_path(tpath(&t, "empty")), "EF-", "an empty file is a file");
    cr_assert_str_eq(probe_path(tpath(&t, "link_to_file")), "EF-", "symlinks are followed");
    cr_assert_str_eq(probe_path(tpath(&t, "link_to_dir")), "E-D");
    cr_assert_str_eq(probe_path(tpath(&t, "dangling")), "---", "Path::exists follows links");
    cr_assert_str_eq(probe_path(tpath(&t, "loop_a")), "---", "ELOOP is an error");
    cr_assert_str_eq(probe_path(tpath(&t, "fifo")), "E--", "a FIFO is neither");
    cr_assert_str_eq(probe_path(tpath(&t, "missing")), "---");
    cr_assert_str_eq(probe_path(tpath(&t, "dir/../dir/./file.spl")), "EF-");
    cr_assert_str_eq(probe_path(""), "---", "the empty path does not exist");
    cr_assert_str_eq(probe_path("/"), "E-D");
    cr_assert_str_eq(probe_path("/dev/null"), "E--", "a device is neither");
    tree_done(&t);
}

RTC_TEST(doctest_predicates, relative_paths_use_the_working_directory)
{
    tree t;
    tree_init(&t);
    tree_mkdir(&t, "sub");
    tree_file(&t, "sub/a.txt", "a");
    char old[4096];
    cr_assert_not_null(getcwd(old, sizeof old));
    cr_assert_eq(chdir(t.root), 0);
    cr_assert_str_eq(probe_path("sub"), "E-D");
    cr_assert_str_eq(probe_path("sub/a.txt"), "EF-");
    cr_assert_str_eq(probe_path("./sub/a.txt"), "EF-");
    cr_assert_str_eq(probe_path("."), "E-D");
    cr_assert_str_eq(probe_path("a.txt"), "---");
    cr_assert_eq(chdir(old), 0);
    tree_done(&t);
}

RTC_TEST(doctest_predicates, nul_and_invalid_utf8_paths_are_false)
{
    tree t;
    tree_init(&t);
    tree_file(&t, "f", "x");
    /* A NUL cuts nothing: Rust rejects the whole path (InvalidInput). */
    char p[600];
    int n = snprintf(p, sizeof p, "%s/f", t.root);
    p[n] = 0;
    memcpy(p + n, "\0tail", 5);
    RtValue with_nul = strn(p, (size_t)n + 5);
    cr_assert_str_eq(probe(with_nul), "---");
    rt_free(with_nul);
    RtValue trailing_nul = strn(p, (size_t)n + 1);
    cr_assert_str_eq(probe(trailing_nul), "---");
    rt_free(trailing_nul);
    /* A file whose name is not UTF-8 exists, but no Rust String can name it. */
    char bad[600];
    n = snprintf(bad, sizeof bad, "%s/bad\xff", t.root);
    tree_write(&t, "bad\xff", "x", 1);
    struct stat st;
    cr_assert_eq(stat(bad, &st), 0, "the file exists");
    RtValue v = strn(bad, (size_t)n);
    cr_assert_str_eq(probe(v), "---");
    rt_free(v);
    /* Overlong '/' (C0 AF) and a lone surrogate are not UTF-8 either. */
    RtValue overlong = strn("\xC0\xAF", 2), surrogate = strn("/\xED\xA0\x80", 4);
    cr_assert_str_eq(probe(overlong), "---");
    cr_assert_str_eq(probe(surrogate), "---");
    rt_free(overlong);
    rt_free(surrogate);
    tree_done(&t);
}

RTC_TEST(doctest_predicates, unicode_names_work)
{
    tree t;
    tree_init(&t);
    tree_file(&t, "\xC3\xA9t\xC3\xA9.spl", "x");              /* été.spl */
    tree_mkdir(&t, "\xE6\x97\xA5\xE6\x9C\xAC");                /* 日本 */
    tree_file(&t, "\xF0\x9F\x98\x80", "x");                    /* U+1F600 */
    cr_assert_str_eq(probe_path(tpath(&t, "\xC3\xA9t\xC3\xA9.spl")), "EF-");
    cr_assert_str_eq(probe_path(tpath(&t, "\xE6\x97\xA5\xE6\x9C\xAC")), "E-D");
    cr_assert_str_eq(probe_path(tpath(&t, "\xF0\x9F\x98\x80")), "EF-");
    tree_done(&t);
}

RTC_TEST(doctest_predicates, no_search_permission_is_false)
{
    tree t;
    tree_init(&t);
    tree_mkdir(&t, "locked");
    tree_file(&t, "locked/inner", "x");
    cr_assert_eq(chmod(tpath(&t, "locked"), 0), 0);
    as_unprivileged(t.root, tpath(&t, "locked"));
    char got_inner[4], got_locked[4];   /* probe answers in a static buffer */
    memcpy(got_inner, probe_path(tpath(&t, "locked/inner")), 4);
    memcpy(got_locked, probe_path(tpath(&t, "locked")), 4);
    as_privileged();
    cr_assert_str_eq(got_inner, "---", "stat below a directory without search permission fails");
    cr_assert_str_eq(got_locked, "E-D", "the locked directory itself is still a directory");
    tree_done(&t);
}

RTC_TEST(doctest_predicates, hostile_values_are_false)
{
    RtValue freed = rtc_freed_value();
    RtValue arr = rt_array_new(1), obj = rt_object_new(1, 1);
    RtValue wide = rt_value_int(INT64_MAX);   /* a boxed int: a live heap value */
    RtValue bad[] = {freed, arr, obj, wide, RT_NIL, RT_TRUE, RT_FALSE, rt_value_int(0),
                     rt_value_int(-1), rt_value_float(0.5)};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_str_eq(probe(bad[i]), "---", "value %zu", i);
    for (size_t i = 0; i < RTC_NBOGUS; i++)
        cr_assert_str_eq(probe(rtc_bogus[i]), "---", "bogus %zu", i);
    for (int i = 0; i < RTC_NIMMEDIATE; i++)
        cr_assert_str_eq(probe(rtc_immediate(i)), "---", "immediate %d", i);
    cr_assert_eq(rt_array_len(arr), 0, "the array was not touched");
    rt_free(arr);
    rt_free(obj);
    rt_free(wide);
}

RTC_TEST(doctest_predicates, long_paths_are_false_not_a_crash)
{
    /* 1 MiB of "a/": far beyond PATH_MAX, so stat fails with ENAMETOOLONG. */
    size_t n = 1u << 20;
    char *p = malloc(n);
    cr_assert_not_null(p);
    for (size_t i = 0; i < n; i++)
        p[i] = (i & 1) ? '/' : 'a';
    RtValue v = strn(p, n);
    free(p);
    cr_assert_str_eq(probe(v), "---");
    rt_free(v);
}
