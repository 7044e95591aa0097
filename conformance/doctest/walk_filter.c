/* Conformance: doctest_walk_directory's include/exclude filtering
 * (spec/ffi/doctest.sdn, upstream-abi.md §5.5): globs on the full path,
 * upstream's keep rule, dropped patterns and non-string elements. The
 * matcher's own table of cases is tests/glob/match.c. */
#include "conformance/doctest/tree.h"

/* The tree every test here walks, entered as the working directory:
 *   t/a.spl  t/b.md  t/README  t/src/lib.spl  t/src/x.SPL  t/src/skip/s.spl
 *   t/[x].txt  "t/" "*star"  t/é.txt  t/ab.txt */
static void build(tree *tr)
{
    tree_init(tr);
    tree_mkdir(tr, "t");
    tree_file(tr, "t/a.spl", "");
    tree_file(tr, "t/b.md", "");
    tree_file(tr, "t/README", "");
    tree_mkdir(tr, "t/src");
    tree_file(tr, "t/src/lib.spl", "");
    tree_file(tr, "t/src/x.SPL", "");
    tree_mkdir(tr, "t/src/skip");
    tree_file(tr, "t/src/skip/s.spl", "");
    tree_file(tr, "t/[x].txt", "");
    tree_file(tr, "t/*star", "");
    tree_file(tr, "t/\xC3\xA9.txt", "");
    tree_file(tr, "t/ab.txt", "");
    cr_assert_eq(chdir(tr->root), 0);
}

static void finish(tree *tr)
{
    cr_assert_eq(chdir("/"), 0);
    tree_done(tr);
}

/* Walks "t" with the given lists (each a NULL-ended list of patterns, or
 * NULL for NIL), freeing the argument arrays. */
static RtValue walk_with(RtValue inc, RtValue exc)
{
    RtValue root = str("t");
    RtValue r = doctest_walk_directory(root, inc, exc);
    rt_free(root);
    free_deep(inc);
    free_deep(exc);
    return r;
}

/* Everything, in walk order (byte order of names, depth first). */
#define ALL "t/*star", "t/README", "t/[x].txt", "t/a.spl", "t/ab.txt", "t/b.md", \
            "t/src/lib.spl", "t/src/skip/s.spl", "t/src/x.SPL", "t/\xC3\xA9.txt"

RTC_TEST(doctest_walk_filter, no_patterns_keeps_everything)
{
    tree tr;
    build(&tr);
    EXPECT_PATHS(walk_with(RT_NIL, RT_NIL), "", ALL);
    EXPECT_PATHS(walk_with(rt_array_new(0), rt_array_new(0)), "", ALL);
    finish(&tr);
}

RTC_TEST(doctest_walk_filter, star_matches_across_slashes)
{
    tree tr;
    build(&tr);
    /* Upstream's example: "*.spl" keeps src/a/b.spl, at any depth. */
    EXPECT_PATHS(walk_with(strs("*.spl", NULL), RT_NIL), "", "t/a.spl", "t/src/lib.spl",
                 "t/src/skip/s.spl");
    EXPECT_PATHS(walk_with(strs("*.SPL", NULL), RT_NIL), "", "t/src/x.SPL");   /* case */
    EXPECT_PATHS(walk_with(strs("t/*", NULL), RT_NIL), "", ALL);
    EXPECT_PATHS(walk_with(strs("*src*", NULL), RT_NIL), "", "t/src/lib.spl",
                 "t/src/skip/s.spl", "t/src/x.SPL");
    finish(&tr);
}

RTC_TEST(doctest_walk_filter, patterns_match_the_whole_path)
{
    tree tr;
    build(&tr);
    /* The path is "t/src/lib.spl": a pattern for the name alone does not match. */
    RtValue r = walk_with(strs("lib.spl", "src/*", "src/lib.spl", NULL), RT_NIL);
    cr_assert_eq(rt_array_len(r), 0);
    rt_free(r);
    EXPECT_PATHS(walk_with(strs("t/src/lib.spl", NULL), RT_NIL), "", "t/src/lib.spl");
    EXPECT_PATHS(walk_with(strs("t/a.sp", "t/a.spl.", "T/a.spl", "t/a.spl", NULL), RT_NIL), "",
                 "t/a.spl");
    finish(&tr);
}

RTC_TEST(doctest_walk_filter, union_of_includes_minus_excludes)
{
    tree tr;
    build(&tr);
    EXPECT_PATHS(walk_with(strs("*.spl", "*.md", NULL), RT_NIL), "", "t/a.spl", "t/b.md",
                 "t/src/lib.spl", "t/src/skip/s.spl");
    EXPECT_PATHS(walk_with(strs("*.spl", "*.md", NULL), strs("*/skip/*", NULL)), "", "t/a.spl",
                 "t/b.md", "t/src/lib.spl");
    /* Excludes alone apply to everything; excludes win over includes. */
    EXPECT_PATHS(walk_with(RT_NIL, strs("*.spl", "*.txt", "*star", NULL)), "", "t/README",
                 "t/b.md", "t/src/x.SPL");
    RtValue r = walk_with(strs("*.spl", NULL), strs("*", NULL));
    cr_assert_eq(rt_array_len(r), 0, "exclude \"*\" removes everything");
    rt_free(r);
    finish(&tr);
}

RTC_TEST(doctest_walk_filter, recursive_wildcard)
{
    tree tr;
    build(&tr);
    EXPECT_PATHS(walk_with(strs("t/**/*.spl", NULL), RT_NIL), "", "t/a.spl", "t/src/lib.spl",
                 "t/src/skip/s.spl");
    EXPECT_PATHS(walk_with(strs("t/src/**/s.spl", NULL), RT_NIL), "", "t/src/skip/s.spl");
    EXPECT_PATHS(walk_with(strs("**/lib.spl", NULL), RT_NIL), "", "t/src/lib.spl");
    EXPECT_PATHS(walk_with(strs("**", NULL), RT_NIL), "", ALL);
    /* "**" must be a whole component: after a slash and at the end is valid ... */
    EXPECT_PATHS(walk_with(strs("t/src/**", NULL), RT_NIL), "", "t/src/lib.spl",
                 "t/src/skip/s.spl", "t/src/x.SPL");
    /* ... "**" inside a component is invalid, so dropped: with nothing else
     * left in the include list, everything is kept (upstream's rule). */
    EXPECT_PATHS(walk_with(strs("t/**.spl", NULL), RT_NIL), "", ALL);
    EXPECT_PATHS(walk_with(strs("t**", "***", NULL), RT_NIL), "", ALL);
    finish(&tr);
}

RTC_TEST(doctest_walk_filter, question_mark_is_one_character_not_one_byte)
{
    tree tr;
    build(&tr);
    /* é is two bytes but one character. */
    EXPECT_PATHS(walk_with(strs("t/?.txt", NULL), RT_NIL), "", "t/\xC3\xA9.txt");
    EXPECT_PATHS(walk_with(strs("t/??.txt", NULL), RT_NIL), "", "t/ab.txt");
    EXPECT_PATHS(walk_with(strs("t?a.spl", NULL), RT_NIL), "", "t/a.spl");   /* '?' matches '/' */
    finish(&tr);
}

RTC_TEST(doctest_walk_filter, classes_and_escapes)
{
    tree tr;
    build(&tr);
    EXPECT_PATHS(walk_with(strs("t/[ab].*", NULL), RT_NIL), "", "t/a.spl", "t/b.md");
    EXPECT_PATHS(walk_with(strs("t/[!ab]*", NULL), RT_NIL), "", "t/*star", "t/README",
                 "t/[x].txt", "t/src/lib.spl", "t/src/skip/s.spl", "t/src/x.SPL",
                 "t/\xC3\xA9.txt");
    EXPECT_PATHS(walk_with(strs("t/[A-Z]*", NULL), RT_NIL), "", "t/README");
    /* Brackets escape the metacharacters. */
    EXPECT_PATHS(walk_with(strs("t/[[]x[]].txt", NULL), RT_NIL), "", "t/[x].txt");
    EXPECT_PATHS(walk_with(strs("t/[*]star", NULL), RT_NIL), "", "t/*star");
    EXPECT_PATHS(walk_with(strs("t/[*]*", "t/[?]*", NULL), RT_NIL), "", "t/*star");
    /* "[x].txt" as a pattern is the class {x} then ".txt": not the file. */
    RtValue r = walk_with(strs("t/[x].txt", NULL), RT_NIL);
    cr_assert_eq(rt_array_len(r), 0);
    rt_free(r);
    /* Code-point ranges: é (U+00E9) is in [à-ÿ] (U+00E0..U+00FF). */
    EXPECT_PATHS(walk_with(strs("t/[\xC3\xA0-\xC3\xBF].txt", NULL), RT_NIL), "",
                 "t/\xC3\xA9.txt");
    finish(&tr);
}

RTC_TEST(doctest_walk_filter, invalid_patterns_are_dropped)
{
    tree tr;
    build(&tr);
    /* Invalid ones next to a valid one: only the valid one filters. */
    EXPECT_PATHS(walk_with(strs("[", "t/[!", "a**", "**a", "***", "[]", "*.md", NULL), RT_NIL),
                 "", "t/b.md");
    /* Every include invalid: the compiled list is empty, so all files are kept. */
    EXPECT_PATHS(walk_with(strs("[", "abc[def", "t/**x", NULL), RT_NIL), "", ALL);
    /* Invalid excludes exclude nothing. */
    EXPECT_PATHS(walk_with(RT_NIL, strs("[*", "x**", NULL)), "", ALL);
    finish(&tr);
}

RTC_TEST(doctest_walk_filter, non_string_elements_are_ignored)
{
    tree tr;
    build(&tr);
    RtValue freed = rtc_freed_value();
    RtValue inner = strs("*.md", NULL);   /* an array is not a pattern */
    RtValue inc = rt_array_new(0);
    rt_array_push(inc, rt_value_int(42));
    rt_array_push(inc, RT_NIL);
    rt_array_push(inc, freed);
    rt_array_push(inc, inner);
    rt_array_push(inc, rtc_bogus[2]);
    rt_array_push(inc, str("\xFF*"));     /* not UTF-8: not a string to upstream */
    rt_array_push(inc, str("*.md"));
    RtValue root = str("t");
    EXPECT_PATHS(doctest_walk_directory(root, inc, RT_NIL), "", "t/b.md");
    /* Only non-strings: nothing compiled, everything kept. */
    RtValue only = rt_array_new(0);
    rt_array_push(only, rt_value_int(1));
    rt_array_push(only, inner);
    EXPECT_PATHS(doctest_walk_directory(root, only, only), "", ALL);
    rt_free(only);
    rt_free(rt_array_get(inc, 5));
    rt_free(rt_array_get(inc, 6));
    rt_free(inc);
    free_deep(inner);
    rt_free(root);
    finish(&tr);
}

RTC_TEST(doctest_walk_filter, pattern_lists_that_are_not_arrays_count_as_empty)
{
    tree tr;
    build(&tr);
    RtValue root = str("t");
    RtValue s = str("*.md"), tup = rt_tuple_new(1), freed = rt_array_new(1);
    rt_free(freed);
    RtValue notarrays[] = {s, tup, freed, RT_NIL, RT_TRUE, rt_value_int(3), rtc_bogus[0],
                           rtc_bogus[4]};
    for (size_t i = 0; i < sizeof notarrays / sizeof notarrays[0]; i++) {
        RtValue r = doctest_walk_directory(root, notarrays[i], notarrays[i]);
        cr_assert_eq(rt_array_len(r), 10, "value %zu: treated as an empty list", i);
        free_deep(r);
    }
    rt_free(s);
    rt_free(tup);
    rt_free(root);
    finish(&tr);
}

RTC_TEST(doctest_walk_filter, the_same_array_as_include_and_exclude)
{
    tree tr;
    build(&tr);
    RtValue both = strs("*.spl", NULL);
    RtValue root = str("t");
    RtValue r = doctest_walk_directory(root, both, both);
    cr_assert_eq(rt_array_len(r), 0, "every included file is also excluded");
    rt_free(r);
    cr_assert_eq(rt_array_len(both), 1, "the pattern list is not modified");
    free_deep(both);
    rt_free(root);
    finish(&tr);
}
