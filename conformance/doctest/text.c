/* Conformance: doctest_path_has_extension, doctest_path_contains
 * (spec/ffi/doctest.sdn): plain byte tests on the text, no file system. */
#include "conformance/doctest/tree.h"

typedef RtValue (*text_fn)(RtValue, RtValue);

static RtValue call(text_fn f, const char *a, size_t an, const char *b, size_t bn)
{
    RtValue x = strn(a, an), y = strn(b, bn);
    cr_assert(x != RT_NIL && y != RT_NIL);
    RtValue r = f(x, y);
    rt_free(x);
    rt_free(y);
    cr_assert(r == RT_TRUE || r == RT_FALSE, "answered 0x%" PRIx64, r);
    return r;
}
#define CALL(f, a, b) call((f), (a), sizeof(a) - 1, (b), sizeof(b) - 1)

RTC_TEST(doctest_text, has_extension_is_ends_with)
{
    text_fn f = doctest_path_has_extension;
    cr_assert_eq(CALL(f, "test.spl", ".spl"), RT_TRUE, "upstream's own test");
    cr_assert_eq(CALL(f, "a/b/test.spl", "spl"), RT_TRUE, "plain text: no dot needed");
    cr_assert_eq(CALL(f, "test.spl", "test.spl"), RT_TRUE, "the whole path");
    cr_assert_eq(CALL(f, "spl", ".spl"), RT_FALSE, "longer than the path");
    cr_assert_eq(CALL(f, "test.SPL", ".spl"), RT_FALSE, "case-sensitive");
    cr_assert_eq(CALL(f, "test.spl.bak", ".spl"), RT_FALSE);
    cr_assert_eq(CALL(f, "test.spl/", ".spl"), RT_FALSE, "no path logic");
    cr_assert_eq(CALL(f, "anything", ""), RT_TRUE, "every string ends with \"\"");
    cr_assert_eq(CALL(f, "", ""), RT_TRUE);
    cr_assert_eq(CALL(f, "", "x"), RT_FALSE);
    cr_assert_eq(CALL(f, "a\0b", "\0b"), RT_TRUE, "NUL is ordinary text");
    cr_assert_eq(CALL(f, "a\0b", "ab"), RT_FALSE);
    cr_assert_eq(CALL(f, "caf\xC3\xA9", "\xC3\xA9"), RT_TRUE, "multi-byte suffix");
}

RTC_TEST(doctest_text, contains_is_a_substring_test)
{
    text_fn f = doctest_path_contains;
    cr_assert_eq(CALL(f, "simple/std_lib/src/collections.spl", "/std_lib/"), RT_TRUE,
                 "upstream's own test");
    cr_assert_eq(CALL(f, "std_lib/src/collections.spl", "/src/"), RT_TRUE);
    cr_assert_eq(CALL(f, "std_lib/src/collections.spl", "/std_lib/"), RT_FALSE,
                 "no leading slash in the path");
    cr_assert_eq(CALL(f, "abc", "abc"), RT_TRUE);
    cr_assert_eq(CALL(f, "abc", "abcd"), RT_FALSE);
    cr_assert_eq(CALL(f, "abc", "a"), RT_TRUE);
    cr_assert_eq(CALL(f, "abc", "c"), RT_TRUE);
    cr_assert_eq(CALL(f, "abc", "B"), RT_FALSE, "case-sensitive");
    cr_assert_eq(CALL(f, "a*c", "*"), RT_TRUE, "no globbing: '*' is a character");
    cr_assert_eq(CALL(f, "abc", "*"), RT_FALSE, "no globbing");
    cr_assert_eq(CALL(f, "abc", "a?c"), RT_FALSE, "no globbing");
    cr_assert_eq(CALL(f, "abc", ""), RT_TRUE, "every string contains \"\"");
    cr_assert_eq(CALL(f, "", ""), RT_TRUE);
    cr_assert_eq(CALL(f, "", "a"), RT_FALSE);
    cr_assert_eq(CALL(f, "x\0y", "\0"), RT_TRUE, "NUL is ordinary text");
    cr_assert_eq(CALL(f, "aaab", "aab"), RT_TRUE, "overlapping prefix");
}

RTC_TEST(doctest_text, long_texts)
{
    size_t n = 1u << 20;
    char *p = malloc(n + 1);
    cr_assert_not_null(p);
    memset(p, 'a', n);
    p[n - 1] = 'b';
    cr_assert_eq(call(doctest_path_contains, p, n, p + 1, n - 1), RT_TRUE);
    cr_assert_eq(call(doctest_path_contains, p + 1, n - 1, p, n), RT_FALSE);
    cr_assert_eq(call(doctest_path_has_extension, p, n, p + n - 5, 5), RT_TRUE);
    cr_assert_eq(call(doctest_path_contains, p, n, "ab", 2), RT_TRUE);
    cr_assert_eq(call(doctest_path_contains, p, n, "ba", 2), RT_FALSE);
    free(p);
}

RTC_TEST(doctest_text, invalid_utf8_on_either_side_is_false)
{
    /* Upstream converts both arguments with String::from_utf8 first. */
    static const char *const bad[] = {"\xFF", "a\xC0\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80",
                                      "\xE2\x82", "\x80"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t n = strlen(bad[i]);
        cr_assert_eq(call(doctest_path_has_extension, bad[i], n, "", 0), RT_FALSE, "bad %zu", i);
        cr_assert_eq(call(doctest_path_has_extension, "abc", 3, bad[i], n), RT_FALSE);
        cr_assert_eq(call(doctest_path_contains, bad[i], n, "", 0), RT_FALSE);
        cr_assert_eq(call(doctest_path_contains, "abc", 3, bad[i], n), RT_FALSE);
        cr_assert_eq(call(doctest_path_contains, bad[i], n, bad[i], n), RT_FALSE);
    }
    /* The largest scalar value and a 4-byte character are fine. */
    cr_assert_eq(CALL(doctest_path_contains, "x\xF4\x8F\xBF\xBFy", "\xF4\x8F\xBF\xBF"), RT_TRUE);
    cr_assert_eq(CALL(doctest_path_has_extension, "x\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80"),
                 RT_TRUE);
    /* A valid string never starts inside a character, so byte and character
     * suffixes agree; the tail byte alone is not a string at all. */
    cr_assert_eq(CALL(doctest_path_has_extension, "\xF0\x9F\x98\x80", "\x80"), RT_FALSE);
}

RTC_TEST(doctest_text, hostile_values_are_false)
{
    RtValue ok = str("a.spl");
    RtValue freed = rtc_freed_value();
    RtValue arr = rt_array_new(0), tup = rt_tuple_new(2), wide = rt_value_int(INT64_MIN);
    RtValue bad[] = {freed, arr, tup, wide, RT_NIL, RT_TRUE, rt_value_int(7)};
    text_fn fns[] = {doctest_path_has_extension, doctest_path_contains};
    for (size_t f = 0; f < 2; f++) {
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            cr_assert_eq(fns[f](bad[i], ok), RT_FALSE, "fn %zu value %zu as path", f, i);
            cr_assert_eq(fns[f](ok, bad[i]), RT_FALSE, "fn %zu value %zu as needle", f, i);
            cr_assert_eq(fns[f](bad[i], bad[i]), RT_FALSE);
        }
        for (size_t i = 0; i < RTC_NBOGUS; i++) {
            cr_assert_eq(fns[f](rtc_bogus[i], ok), RT_FALSE);
            cr_assert_eq(fns[f](ok, rtc_bogus[i]), RT_FALSE);
        }
        for (int i = 0; i < RTC_NIMMEDIATE; i++)
            cr_assert_eq(fns[f](ok, rtc_immediate(i)), RT_FALSE);
        cr_assert_eq(fns[f](ok, ok), RT_TRUE, "the same string value on both sides");
    }
    rt_free(ok);
    rt_free(arr);
    rt_free(tup);
    rt_free(wide);
}
