/* Conformance: doctest_walk_directory (spec/ffi/doctest.sdn), the walk
 * itself: order, path joining, symlinks and their loops, unreadable and
 * non-UTF-8 entries, roots of every kind, limits, allocation failure and
 * hostile arguments. Filtering is in walk_filter.c. */
#include "conformance/doctest/tree.h"
#include "runtime/doctest_priv.h"
#ifdef RTX_TESTING
#include "runtime/mem.h"
#endif

static RtValue walk_all(const char *root)
{
    RtValue r = str(root);
    RtValue out = doctest_walk_directory(r, RT_NIL, RT_NIL);
    rt_free(r);
    return out;
}

/* Changes into the tree so paths can be written relative to it; the test
 * process is forked for this test alone. */
static void enter(const tree *t)
{
    cr_assert_eq(chdir(t->root), 0);
}

static void leave(void)
{
    cr_assert_eq(chdir("/"), 0);
}

RTC_TEST(doctest_walk, byte_order_depth_first)
{
    tree t;
    tree_init(&t);
    tree_mkdir(&t, "r");
    tree_file(&t, "r/b", "");
    tree_file(&t, "r/a.txt", "");
    tree_mkdir(&t, "r/a");   /* "a" < "a.txt": the directory's files come first */
    tree_file(&t, "r/a/z", "");
    tree_mkdir(&t, "r/a/m");
    tree_file(&t, "r/a/m/deep", "");
    tree_file(&t, "r/a/0", "");
    tree_file(&t, "r/C", "");        /* 'C' (0x43) sorts before 'a' (0x61) */
    tree_file(&t, "r/\xC3\xA9", ""); /* é: 0xC3 sorts after ASCII */
    tree_file(&t, "r/_", "");
    tree_mkdir(&t, "r/empty_dir");
    enter(&t);
    EXPECT_PATHS(walk_all("r"), "", "r/C", "r/_", "r/a/0", "r/a/m/deep", "r/a/z", "r/a.txt",
                 "r/b", "r/\xC3\xA9");
    leave();
    tree_done(&t);
}

RTC_TEST(doctest_walk, paths_join_like_rust_path_join)
{
    tree t;
    tree_init(&t);
    tree_mkdir(&t, "src");
    tree_mkdir(&t, "src/a");
    tree_file(&t, "src/a/b.spl", "x");
    enter(&t);
    EXPECT_PATHS(walk_all("src"), "", "src/a/b.spl");
    EXPECT_PATHS(walk_all("src/"), "", "src/a/b.spl");
    EXPECT_PATHS(walk_all("src//"), "", "src//a/b.spl");   /* only a missing '/' is added */
    EXPECT_PATHS(walk_all("./src"), "", "./src/a/b.spl");
    EXPECT_PATHS(walk_all("src/./a/.."), "", "src/./a/../a/b.spl");
    EXPECT_PATHS(walk_all("src/a"), "", "src/a/b.spl");
    cr_assert_eq(chdir("src"), 0);
    EXPECT_PATHS(walk_all("."), "", "./a/b.spl");
    EXPECT_PATHS(walk_all(".."), "", "../src/a/b.spl");
    leave();
    /* Absolute roots keep their text too. */
    char want[1024];
    snprintf(want, sizeof want, "%s/src/a/b.spl", t.root);
    RtValue r = walk_all(tpath(&t, "src"));
    EXPECT_PATHS(r, "", want);
    tree_done(&t);
}

RTC_TEST(doctest_walk, empty_files_and_empty_dirs)
{
    tree t;
    tree_init(&t);
    tree_mkdir(&t, "r");
    tree_mkdir(&t, "r/e1");
    tree_mkdir(&t, "r/e1/e2");
    tree_write(&t, "r/zero", "", 0);
    tree_write(&t, "r/e1/e2/zero2", "", 0);
    enter(&t);
    EXPECT_PATHS(walk_all("r"), "", "r/e1/e2/zero2", "r/zero");
    tree_mkdir(&t, "only_dirs");
    tree_mkdir(&t, "only_dirs/x");
    RtValue r = walk_all("only_dirs");
    cr_assert_neq(r, RT_NIL);
    cr_assert_eq(rt_array_len(r), 0, "no files: an empty array, not NIL");
    rt_free(r);
    leave();
    tree_done(&t);
}

RTC_TEST(doctest_walk, symlinked_directory_and_file_are_followed)
{
    tree t;
    tree_init(&t);
    tree_mkdir(&t, "r");
    tree_mkdir(&t, "r/real");
    tree_file(&t, "r/real/f.spl", "x");
    tree_link(&t, "real", "r/link");               /* a symlink to a sibling directory */
    tree_link(&t, "real/f.spl", "r/file_link");    /* a symlink to a file */
    tree_mkdir(&t, "outside");
    tree_file(&t, "outside/o.spl", "x");
    tree_link(&t, "../outside", "r/out");          /* leaves the root */
    enter(&t);
    /* Not a loop, so listed under both names, as upstream. */
    EXPECT_PATHS(walk_all("r"), "", "r/file_link", "r/link/f.spl", "r/out/o.spl",
                 "r/real/f.spl");
    /* A root that is itself a symlink to a directory. */
    tree_link(&t, "r/real", "root_link");
    EXPECT_PATHS(walk_all("root_link"), "", "root_link/f.spl");
    leave();
    tree_done(&t);
}

RTC_TEST(doctest_walk, symlink_loops_terminate)
{
    tree t;
    tree_init(&t);
    tree_mkdir(&t, "r");
    tree_file(&t, "r/top", "");
    tree_link(&t, ".", "r/self");          /* the root itself */
    tree_mkdir(&t, "r/d");
    tree_file(&t, "r/d/f", "");
    tree_link(&t, "..", "r/d/up");         /* the parent */
    tree_mkdir(&t, "r/d/e");
    tree_link(&t, "../../d", "r/d/e/again"); /* a grandparent */
    tree_link(&t, "loop_b", "r/loop_a");   /* a symlink cycle: ELOOP, skipped */
    tree_link(&t, "loop_a", "r/loop_b");
    /* p and q point at each other: a loop through two directories. */
    tree_mkdir(&t, "r/p");
    tree_mkdir(&t, "r/q");
    tree_file(&t, "r/p/pf", "");
    tree_file(&t, "r/q/qf", "");
    tree_link(&t, "../q", "r/p/to_q");
    tree_link(&t, "../p", "r/q/to_p");
    enter(&t);
    EXPECT_PATHS(walk_all("r"), "", "r/d/f", "r/p/pf", "r/p/to_q/qf", "r/q/qf", "r/q/to_p/pf",
                 "r/top");
    leave();
    tree_done(&t);
}

RTC_TEST(doctest_walk, unreadable_subdirectory_is_skipped)
{
    tree t;
    tree_init(&t);
    tree_mkdir(&t, "r");
    tree_file(&t, "r/a", "");
    tree_mkdir(&t, "r/locked");
    tree_file(&t, "r/locked/hidden", "");
    tree_mkdir(&t, "r/open");
    tree_file(&t, "r/open/z", "");
    tree_mkdir(&t, "r/noexec");          /* listable, but entries cannot be stat'ed */
    tree_file(&t, "r/noexec/n", "");
    cr_assert_eq(chmod(tpath(&t, "r/locked"), 0), 0);
    cr_assert_eq(chmod(tpath(&t, "r/noexec"), 0644), 0);
    enter(&t);
    as_unprivileged("r/open", "r/locked");
    RtValue r = walk_all("r");
    RtValue locked_root = walk_all("r/locked");
    as_privileged();
    EXPECT_PATHS(r, "", "r/a", "r/open/z");
    cr_assert_neq(locked_root, RT_NIL);
    cr_assert_eq(rt_array_len(locked_root), 0, "an unreadable root gives an empty array");
    rt_free(locked_root);
    leave();
    tree_done(&t);
}

RTC_TEST(doctest_walk, non_utf8_names_and_special_files_are_skipped)
{
    tree t;
    tree_init(&t);
    tree_mkdir(&t, "r");
    tree_file(&t, "r/ok.spl", "");
    tree_file(&t, "r/bad\xff.spl", "");
    tree_file(&t, "r/over\xC0\xAF", "");
    tree_mkdir(&t, "r/dir\xfe");
    tree_file(&t, "r/dir\xfe/inside.spl", "");   /* a whole subtree under a bad name */
    tree_file(&t, "r/\xE2\x82\xAC.spl", "");     /* €: valid */
    tree_link(&t, "nowhere", "r/dangling");
    cr_assert_eq(mkfifo(tpath(&t, "r/fifo"), 0644), 0);
    enter(&t);
    EXPECT_PATHS(walk_all("r"), "", "r/ok.spl", "r/\xE2\x82\xAC.spl");
    leave();
    tree_done(&t);
}

RTC_TEST(doctest_walk, roots_that_are_not_directories)
{
    tree t;
    tree_init(&t);
    tree_file(&t, "file", "x");
    tree_link(&t, "nowhere", "dangling");
    cr_assert_eq(mkfifo(tpath(&t, "fifo"), 0644), 0);
    const char *roots[] = {tpath(&t, "file"), tpath(&t, "missing"), tpath(&t, "dangling"),
                           tpath(&t, "fifo"), tpath(&t, "file/"), ""};
    for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++) {
        RtValue r = walk_all(roots[i]);
        cr_assert_neq(r, RT_NIL, "root %zu (%s): an empty array, not NIL", i, roots[i]);
        cr_assert_eq(rt_array_len(r), 0, "root %zu (%s)", i, roots[i]);
        rt_free(r);
    }
    /* A NUL in the root: Rust's is_dir fails, so an empty array too. */
    char p[600];
    int n = snprintf(p, sizeof p, "%s", t.root);
    RtValue nul = strn(p, (size_t)n + 1);
    RtValue r = doctest_walk_directory(nul, RT_NIL, RT_NIL);
    cr_assert_neq(r, RT_NIL);
    cr_assert_eq(rt_array_len(r), 0);
    rt_free(r);
    rt_free(nul);
    tree_done(&t);
}

RTC_TEST(doctest_walk, root_not_a_utf8_string_is_nil)
{
    tree t;
    tree_init(&t);
    tree_mkdir(&t, "d\xff");
    tree_file(&t, "d\xff/f", "");
    char p[600];
    int n = snprintf(p, sizeof p, "%s/d\xff", t.root);
    RtValue bad = strn(p, (size_t)n);
    cr_assert_eq(doctest_walk_directory(bad, RT_NIL, RT_NIL), RT_NIL,
                 "an existing directory whose name is not UTF-8");
    rt_free(bad);
    RtValue freed = rtc_freed_value();
    RtValue arr = rt_array_new(0), obj = rt_object_new(1, 2), wide = rt_value_int(INT64_MAX);
    RtValue hostile[] = {freed, arr, obj, wide, RT_NIL, RT_TRUE, RT_FALSE, rt_value_int(0),
                         rt_value_float(3.5)};
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        cr_assert_eq(doctest_walk_directory(hostile[i], RT_NIL, RT_NIL), RT_NIL, "value %zu", i);
        cr_assert_eq(doctest_walk_directory(hostile[i], arr, arr), RT_NIL);
    }
    for (size_t i = 0; i < RTC_NBOGUS; i++)
        cr_assert_eq(doctest_walk_directory(rtc_bogus[i], rtc_bogus[i], rtc_bogus[i]), RT_NIL);
    for (int i = 0; i < RTC_NIMMEDIATE; i++)
        cr_assert_eq(doctest_walk_directory(rtc_immediate(i), RT_NIL, RT_NIL), RT_NIL);
    cr_assert_eq(rt_array_len(arr), 0, "the argument array was not touched");
    rt_free(arr);
    rt_free(obj);
    rt_free(wide);
    tree_done(&t);
}

RTC_TEST(doctest_walk, the_result_is_new_and_owned)
{
    tree t;
    tree_init(&t);
    tree_file(&t, "a", "");
    tree_file(&t, "b", "");
    RtValue root = str(t.root);
    uint64_t before = rtx_heap_live();
    RtValue r1 = doctest_walk_directory(root, RT_NIL, RT_NIL);
    RtValue r2 = doctest_walk_directory(root, RT_NIL, RT_NIL);
    cr_assert_neq(r1, r2, "each call returns a fresh array");
    cr_assert_eq(rtx_heap_live(), before + 2 * 3, "two arrays of two new strings each");
    cr_assert_neq(rt_array_get(r1, 0), rt_array_get(r2, 0), "fresh strings too");
    free_deep(r1);
    free_deep(r2);
    cr_assert_eq(rtx_heap_live(), before);
    rt_free(root);
    tree_done(&t);
}

RTC_TEST(doctest_walk, depth_limit_256)
{
    tree t;
    tree_init(&t);
    /* r/d/d/.../d, 258 levels, with a file "f" at every level. */
    char rel[2048] = "r";
    tree_mkdir(&t, rel);
    tree_file(&t, "r/f", "");
    for (int level = 1; level <= 258; level++) {
        strcat(rel, "/d");
        tree_mkdir(&t, rel);
        char f[2100];
        snprintf(f, sizeof f, "%s/f", rel);
        tree_file(&t, f, "");
    }
    enter(&t);
    RtValue r = walk_all("r");
    leave();
    /* The directory 256 levels down is listed; the one 257 levels down is not. */
    cr_assert_eq(rt_array_len(r), 257);
    const char *deepest = (const char *)rt_string_data(rt_array_get(r, 0));
    cr_assert_eq(strlen(deepest), strlen("r") + 256 * 2 + 2, "deepest listed: 256 levels");
    cr_assert_str_eq((const char *)rt_string_data(rt_array_get(r, 256)), "r/f");
    free_deep(r);
    tree_done(&t);
}

#ifdef RTX_TESTING
/* Files r/0 .. r/(n-1) and sub-directories r/sN each with one file. */
static void wide_tree(const tree *t)
{
    tree_mkdir(t, "r");
    tree_file(t, "r/0", "");
    tree_file(t, "r/1", "");
    tree_mkdir(t, "r/s2");
    tree_file(t, "r/s2/x", "");
    tree_mkdir(t, "r/s3");
    tree_file(t, "r/s3/y", "");
    tree_file(t, "r/z", "");
}

RTC_TEST(doctest_walk, result_and_directory_limits)
{
    tree t;
    tree_init(&t);
    wide_tree(&t);
    enter(&t);
    rtx_doctest_set_limits(&(rtx_doctest_limits){.walk_results = 5});
    RtValue at = walk_all("r");
    rtx_doctest_set_limits(&(rtx_doctest_limits){.walk_results = 4});
    RtValue below = walk_all("r");
    rtx_doctest_set_limits(&(rtx_doctest_limits){.walk_dirs = 2});   /* root + s2 */
    RtValue dirs = walk_all("r");
    rtx_doctest_set_limits(&(rtx_doctest_limits){.walk_depth = 1});
    tree_mkdir(&t, "r/s2/deeper");
    tree_file(&t, "r/s2/deeper/w", "");
    RtValue depth = walk_all("r");
    rtx_doctest_set_limits(NULL);
    RtValue all = walk_all("r");
    leave();
    EXPECT_PATHS(at, "", "r/0", "r/1", "r/s2/x", "r/s3/y", "r/z");
    EXPECT_PATHS(below, "", "r/0", "r/1", "r/s2/x", "r/s3/y");
    EXPECT_PATHS(dirs, "", "r/0", "r/1", "r/s2/x", "r/z");
    EXPECT_PATHS(depth, "", "r/0", "r/1", "r/s2/x", "r/s3/y", "r/z");
    EXPECT_PATHS(all, "", "r/0", "r/1", "r/s2/deeper/w", "r/s2/x", "r/s3/y", "r/z");
    tree_done(&t);
}

RTC_TEST(doctest_walk, allocation_failures_give_nil_and_leak_nothing)
{
    tree t;
    tree_init(&t);
    wide_tree(&t);
    enter(&t);
    RtValue root = str("r");
    RtValue inc = strs("*", "r/[a-z0-9]*", NULL), exc = strs("*.none", NULL);
    int failed = 0, succeeded_after = 0;
    for (uint64_t k = 1; k < 200; k++) {
        for (int sticky = 0; sticky < 2; sticky++) {
            rtx_mem_fail_at(k, sticky);
            RtValue r = doctest_walk_directory(root, inc, exc);
            uint64_t failures = rtx_mem_failures();
            rtx_mem_fail_at(0, 0);
            if (failures > 0) {
                failed = 1;
                cr_assert_eq(r, RT_NIL, "allocation %" PRIu64 " (sticky %d) failed, yet a result "
                             "came back", k, sticky);
            } else {
                succeeded_after = 1;
                EXPECT_PATHS(r, "", "r/0", "r/1", "r/s2/x", "r/s3/y", "r/z");
            }
        }
    }
    cr_assert(failed && succeeded_after, "the sweep reached every allocation and past it");
    free_deep(inc);
    free_deep(exc);
    rt_free(root);
    leave();
    tree_done(&t);
}
#endif
