/*
 * tests/glob/match.c — the glob matcher (runtime/glob.c) against the Rust
 * glob crate's behaviour (0.3, Pattern::new + Pattern::matches, default
 * MatchOptions, Unix).
 *
 * Expectations come from the crate's documentation and its own test suite
 * (src/lib.rs `mod test`: test_wildcards, test_recursive_wildcards,
 * test_range_pattern, test_pattern_matches, test_pattern_escape, the
 * default-option halves of the case, separator and leading-dot tests, and
 * the error tests), marked [crate]; the rest, marked [doc], follow from the
 * rules the crate documents (see runtime/glob.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformance/rtc.h"
#include "runtime/glob.h"
#ifdef RTX_TESTING
#include "runtime/mem.h"
#endif

enum { NO = 0, YES = 1, BAD = -1 };   /* BAD: Pattern::new fails */

static const struct gcase {
    const char *pat, *text;
    int want;
} cases[] = {
    /* [crate] test_wildcards, test_pattern_from_str, and the doc examples */
    {"a*b", "a_b", YES},
    {"a*b*c", "abc", YES},
    {"a*b*c", "abcd", NO},
    {"a*b*c", "a_b_c", YES},
    {"a*b*c", "a___b___c", YES},
    {"abc*abc*abc", "abcabcabcabcabcabcabc", YES},
    {"abc*abc*abc", "abcabcabcabcabcabcabca", NO},
    {"a*a*a*a*a*a*a*a*a", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", YES},
    {"a*b[xyz]c*d", "abxcdbxcddd", YES},
    {"c?t", "cat", YES},
    {"k[!e]tteh", "kitteh", YES},
    {"d*g", "doog", YES},
    /* [crate] test_recursive_wildcards */
    {"some/**/needle.txt", "some/needle.txt", YES},
    {"some/**/needle.txt", "some/one/needle.txt", YES},
    {"some/**/needle.txt", "some/one/two/needle.txt", YES},
    {"some/**/needle.txt", "some/other/needle.txt", YES},
    {"some/**/needle.txt", "some/other/notthis.txt", NO},
    {"**", "abcde", YES},
    {"**", "", YES},
    {"**", ".asdf", YES},
    {"**", "/x/.asdf", YES},
    {"some/**/**/needle.txt", "some/needle.txt", YES},
    {"some/**/**/needle.txt", "some/one/needle.txt", YES},
    {"some/**/**/needle.txt", "some/one/two/needle.txt", YES},
    {"some/**/**/needle.txt", "some/other/notthis.txt", NO},
    {"**/test", "one/two/test", YES},
    {"**/test", "one/test", YES},
    {"**/test", "test", YES},
    {"/**/test", "/one/two/test", YES},
    {"/**/test", "/one/test", YES},
    {"/**/test", "/test", YES},
    {"/**/test", "/one/notthis", NO},
    {"/**/test", "/notthis", NO},
    {"**/.*", ".abc", YES},
    {"**/.*", "abc/.abc", YES},
    {"**/.*", "ab.c", NO},
    {"**/.*", "abc/ab.c", NO},
    /* [crate] test_range_pattern */
    {"a[0-9]b", "a0b", YES},
    {"a[0-9]b", "a5b", YES},
    {"a[0-9]b", "a9b", YES},
    {"a[0-9]b", "a_b", NO},
    {"a[!0-9]b", "a0b", NO},
    {"a[!0-9]b", "a9b", NO},
    {"a[!0-9]b", "a_b", YES},
    {"[a-z123]", "a", YES},
    {"[a-z123]", "z", YES},
    {"[a-z123]", "2", YES},
    {"[1a-z23]", "m", YES},
    {"[1a-z23]", "3", YES},
    {"[123a-z]", "q", YES},
    {"[123a-z]", "1", YES},
    {"[abc-]", "-", YES},
    {"[abc-]", "c", YES},
    {"[abc-]", "d", NO},
    {"[-abc]", "-", YES},
    {"[-abc]", "a", YES},
    {"[-abc]", "d", NO},
    {"[a-c-]", "b", YES},
    {"[a-c-]", "-", YES},
    {"[a-c-]", "d", NO},
    {"[2-1]", "1", NO},
    {"[2-1]", "2", NO},
    {"[-]", "-", YES},
    {"[!-]", "-", NO},
    /* [crate] test_pattern_matches */
    {"*hello.txt", "hello.txt", YES},
    {"*hello.txt", "gareth_says_hello.txt", YES},
    {"*hello.txt", "some/path/to/hello.txt", YES},
    {"*hello.txt", "some\\path\\to\\hello.txt", YES},
    {"*hello.txt", "/an/absolute/path/to/hello.txt", YES},
    {"*hello.txt", "hello.txt-and-then-some", NO},
    {"*hello.txt", "goodbye.txt", NO},
    {"*some/path/to/hello.txt", "some/path/to/hello.txt", YES},
    {"*some/path/to/hello.txt", "a/bigger/some/path/to/hello.txt", YES},
    {"*some/path/to/hello.txt", "some/path/to/hello.txt-and-then-some", NO},
    {"*some/path/to/hello.txt", "some/other/path/to/hello.txt", NO},
    /* [crate] test_pattern_escape: escape("_[_]_?_*_!_") */
    {"_[[]_[]]_[?]_[*]_!_", "_[_]_?_*_!_", YES},
    /* [crate] case-sensitive halves of the case tests; default options */
    {"[a]", "A", NO},
    {"[!a]", "A", YES},
    {"aBcDeFg", "aBcDeFg", YES},
    {"aBcDeFg", "abcdefg", NO},
    /* [crate] require_literal_separator = false (the default) */
    {"abc/def", "abc/def", YES},
    {"abc?def", "abc/def", YES},
    {"abc*def", "abc/def", YES},
    {"abc[/]def", "abc/def", YES},
    /* [crate] require_literal_leading_dot = false (the default) */
    {"*.txt", ".hello.txt", YES},
    {".*.*", ".hello.txt", YES},
    {"aaa/bbb/*", "aaa/bbb/.ccc", YES},
    {"aaa/bbb/*", "aaa/bbb/c.c.c.", YES},
    {"aaa/bbb/.*", "aaa/bbb/.ccc", YES},
    {"aaa/?bbb", "aaa/.bbb", YES},
    {"aaa/[.]bbb", "aaa/.bbb", YES},
    {"**/*", ".bbb", YES},
    {"a/b", "a/b", YES},
    /* [crate] invalid patterns: test_wildcard_errors, test_unclosed_bracket_errors */
    {"a/**b", "a/xb", BAD},
    {"a/bc**", "a/bc", BAD},
    {"a/*****", "a/", BAD},
    {"a/b**c**d", "a/bcd", BAD},
    {"a**b", "ab", BAD},
    {"abc[def", "abcd", BAD},
    {"abc[!def", "abcx", BAD},
    {"abc[", "abc[", BAD},
    {"abc[!", "abc[!", BAD},
    {"abc[d", "abcd", BAD},
    {"abc[!d", "abcx", BAD},
    {"abc[]", "abc]", BAD},
    {"abc[!]", "abcx", BAD},
    {"one/**/*.rs", "one/two/x.rs", YES},   /* test_path_join: valid */
    /* [doc] '?' and classes take one character (a Unicode scalar), not a byte */
    {"?", "\xC3\xA9", YES},
    {"??", "\xC3\xA9", NO},
    {"?", "\xF0\x9F\x98\x80", YES},
    {"[\xC3\xA9]", "\xC3\xA9", YES},
    {"[!\xC3\xA9]", "\xC3\xA9", NO},
    {"[\xC3\xA0-\xC3\xBF]x", "\xC3\xA9x", YES},      /* [à-ÿ]: U+00E0..U+00FF */
    {"[a-z]", "\xC3\xA9", NO},
    {"caf?", "caf\xC3\xA9", YES},
    /* [doc] ']' first in a class is a member; '[' '?' '*' escape in brackets */
    {"[]]", "]", YES},
    {"[]]", "a", NO},
    {"[!]]", "]", NO},
    {"[!]]", "a", YES},
    {"[]a]", "a", YES},
    {"[!]a]", "b", YES},
    {"[?]", "?", YES},
    {"[?]", "a", NO},
    {"[*]", "*", YES},
    {"[*]", "ab", NO},
    {"[[]", "[", YES},
    {"]", "]", YES},
    {"!", "!", YES},
    {"[!]", "!", BAD},
    {"[", "[", BAD},
    {"[]", "", BAD},
    {"[!", "", BAD},
    {"[!x", "y", BAD},
    /* [doc] '*' and '?' match '/', and case matters */
    {"*", "", YES},
    {"*", "a/b/c", YES},
    {"?", "/", YES},
    {"a?b", "a/b", YES},
    {"*.spl", "src/a/b.spl", YES},   /* upstream-abi.md §5.5's example */
    {"*.SPL", "a.spl", NO},
    {"", "", YES},
    {"", "a", NO},
    {"abc", "ab", NO},
    {"ab", "abc", NO},
    /* [doc] '**' is a whole component; a '/' after it belongs to it */
    {"**/", "abc", YES},
    {"a/**", "a/", YES},
    {"a/**", "a", NO},
    {"a/**", "a/b/c", YES},
    {"a/**/", "a/b", YES},
    {"**/b", "a/xb", NO},
    {"**/b", "a/b", YES},
    {"*/b", "a/xb", NO},
    {"*b", "a/xb", YES},
    {"**/**", "x/y", YES},
    {"a/**/**/b", "a/x/y/b", YES},
    {"a/**/b", "a/b/", NO},
    {"a/**/b", "a//b", YES},
    {"**a", "a", BAD},
    {"a**", "a", BAD},
    {"***", "", BAD},
    {"a/***/b", "a/b", BAD},
    {"[/]**", "/", BAD},   /* the '/' before "**" must be a literal one */
    {"/**", "/a", YES},
    {"**/*.spl", "a.spl", YES},
    {"**/*.spl", "a/b/c.spl", YES},
    {"**/*.spl", "a/b/c.sp", NO},
};

static int run(const char *pat, const char *text)
{
    rtx_glob *g = NULL;
    int rc = rtx_glob_compile((const uint8_t *)pat, strlen(pat), &g);
    if (rc == RTX_GLOB_INVALID) {
        cr_assert_null(g);
        return BAD;
    }
    cr_assert_eq(rc, RTX_GLOB_OK);
    int m = rtx_glob_match(g, (const uint8_t *)text, strlen(text));
    int again = rtx_glob_match(g, (const uint8_t *)text, strlen(text));
    rtx_glob_free(g);
    cr_assert_eq(m, again, "matching is deterministic");
    cr_assert(m == 0 || m == 1);
    return m;
}

RTC_TEST(glob_match, table)
{
    size_t n = sizeof cases / sizeof cases[0];
    cr_assert_geq(n, 60);
    for (size_t i = 0; i < n; i++) {
        int got = run(cases[i].pat, cases[i].text);
        cr_expect_eq(got, cases[i].want, "case %zu: pattern \"%s\" on \"%s\": got %d, want %d", i,
                     cases[i].pat, cases[i].text, got, cases[i].want);
    }
}

/* Pattern::escape(s) — brackets around ? * [ ] — matches s and only s. */
RTC_TEST(glob_match, escaped_text_matches_itself)
{
    static const char *const texts[] = {"_[_]_?_*_!_", "[]", "**", "a/**/b", "[!x]", "?*?",
                                        "plain", "", "\xC3\xA9[\xC3\xA9]"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        char esc[128];
        size_t k = 0;
        for (const char *c = texts[i]; *c; c++) {
            if (strchr("?*[]", *c)) {
                esc[k++] = '[';
                esc[k++] = *c;
                esc[k++] = ']';
            } else {
                esc[k++] = *c;
            }
        }
        esc[k] = 0;
        char longer[130];
        snprintf(longer, sizeof longer, "%sx", texts[i]);
        cr_assert_eq(run(esc, texts[i]), YES, "escape of \"%s\" is \"%s\"", texts[i], esc);
        cr_assert_eq(run(esc, longer), NO);
    }
}

RTC_TEST(glob_match, bytes_that_are_not_utf8)
{
    rtx_glob *g = NULL;
    cr_assert_eq(rtx_glob_compile((const uint8_t *)"a\xFF", 2, &g), RTX_GLOB_INVALID,
                 "a Rust str cannot hold the pattern");
    cr_assert_eq(rtx_glob_compile((const uint8_t *)"\xED\xA0\x80", 3, &g), RTX_GLOB_INVALID);
    cr_assert_eq(rtx_glob_compile((const uint8_t *)"*", 1, &g), RTX_GLOB_OK);
    cr_assert_eq(rtx_glob_match(g, (const uint8_t *)"a\xFF", 2), 0, "nor the text");
    cr_assert_eq(rtx_glob_match(g, (const uint8_t *)"a\0b", 3), 1, "NUL is a character");
    rtx_glob_free(g);
    cr_assert_eq(rtx_glob_compile((const uint8_t *)"a\0?", 3, &g), RTX_GLOB_OK);
    cr_assert_eq(rtx_glob_match(g, (const uint8_t *)"a\0b", 3), 1);
    cr_assert_eq(rtx_glob_match(g, (const uint8_t *)"a\0", 2), 0);
    rtx_glob_free(g);
    cr_assert_eq(rtx_glob_compile(NULL, 0, &g), RTX_GLOB_OK, "NULL with length 0 is \"\"");
    cr_assert_eq(rtx_glob_match(g, NULL, 0), 1);
    cr_assert_eq(rtx_glob_match(g, NULL, 5), 0);
    rtx_glob_free(g);
    cr_assert_eq(rtx_glob_compile(NULL, 3, &g), RTX_GLOB_INVALID);
    cr_assert_eq(rtx_glob_match(NULL, (const uint8_t *)"x", 1), 0);
}

RTC_TEST(glob_match, pattern_length_limit)
{
    size_t n = RTX_GLOB_MAX_PATTERN + 1;
    char *p = malloc(n);
    cr_assert_not_null(p);
    memset(p, 'a', n);
    rtx_glob *g = NULL;
    cr_assert_eq(rtx_glob_compile((const uint8_t *)p, n, &g), RTX_GLOB_INVALID, "limit + 1");
    cr_assert_eq(rtx_glob_compile((const uint8_t *)p, n - 1, &g), RTX_GLOB_OK, "at the limit");
    cr_assert_eq(rtx_glob_match(g, (const uint8_t *)p, n - 1), 1, "itself");
    cr_assert_eq(rtx_glob_match(g, (const uint8_t *)p, n - 2), 0, "one 'a' short");
    cr_assert_eq(rtx_glob_match(g, (const uint8_t *)p, n), 0, "one 'a' more");
    rtx_glob_free(g);
    /* A star pattern at the limit against texts too short for it: no work. */
    p[0] = '*';
    cr_assert_eq(rtx_glob_compile((const uint8_t *)p, n - 1, &g), RTX_GLOB_OK);
    uint64_t steps = 1;
    cr_assert_eq(rtx_glob_match_counted(g, (const uint8_t *)p + 2, 4000, &steps), 0);
    cr_assert_eq(steps, 0, "rejected by length before the table");
    rtx_glob_free(g);
    free(p);
}

/* Patterns that make a naive backtracking matcher exponential finish here
 * with a bounded amount of work: (tokens + 1) x (characters + 1) cells. */
RTC_TEST(glob_match, no_exponential_backtracking)
{
    char pat[256] = "", text[4200];
    for (int i = 0; i < 40; i++)
        strcat(pat, "a*");
    strcat(pat, "b");
    memset(text, 'a', 4000);
    text[4000] = 0;   /* > 512 characters: the matcher's heap path */
    rtx_glob *g = NULL;
    cr_assert_eq(rtx_glob_compile((const uint8_t *)pat, strlen(pat), &g), RTX_GLOB_OK);
    uint64_t steps = 0;
    cr_assert_eq(rtx_glob_match_counted(g, (const uint8_t *)text, 4000, &steps), 0);
    cr_assert_leq(steps, (uint64_t)(g->ntok + 1) * 4001);
    text[3999] = 'b';
    cr_assert_eq(rtx_glob_match_counted(g, (const uint8_t *)text, 4000, &steps), 1);
    rtx_glob_free(g);
    /* Stars at both ends: no prefix or suffix shortcut, the whole table. */
    strcpy(pat, "*");
    for (int i = 0; i < 40; i++)
        strcat(pat, "a*");
    strcat(pat, "b*");
    text[3999] = 'a';
    cr_assert_eq(rtx_glob_compile((const uint8_t *)pat, strlen(pat), &g), RTX_GLOB_OK);
    cr_assert_eq(rtx_glob_match_counted(g, (const uint8_t *)text, 4000, &steps), 0);
    cr_assert_gt(steps, (uint64_t)4000 * 40, "the table was filled");
    cr_assert_leq(steps, (uint64_t)(g->ntok + 1) * 4001);
    text[2000] = 'b';
    cr_assert_eq(rtx_glob_match(g, (const uint8_t *)text, 4000), 1);
    rtx_glob_free(g);
    /* The same with recursive wildcards and separators. */
    char pat2[512] = "", text2[4200];
    for (int i = 0; i < 30; i++)
        strcat(pat2, "**/a/");
    strcat(pat2, "x");
    for (int i = 0; i < 4000; i += 2)
        memcpy(text2 + i, "a/", 2);
    text2[4000] = 0;
    cr_assert_eq(rtx_glob_compile((const uint8_t *)pat2, strlen(pat2), &g), RTX_GLOB_OK);
    cr_assert_eq(rtx_glob_match_counted(g, (const uint8_t *)text2, 4000, &steps), 0);
    cr_assert_leq(steps, (uint64_t)(g->ntok + 1) * 4001);
    text2[3998] = 'x';   /* "a/a/.../a/x": 1999 components before the x */
    cr_assert_eq(rtx_glob_match(g, (const uint8_t *)text2, 3999), 1);
    rtx_glob_free(g);
}

#ifdef RTX_TESTING
RTC_TEST(glob_match, allocation_failures)
{
    rtx_mem_fail_at(1, 1);
    rtx_glob *g = (rtx_glob *)1;
    int rc = rtx_glob_compile((const uint8_t *)"*.spl", 5, &g);
    rtx_mem_fail_at(0, 0);
    cr_assert_eq(rc, RTX_GLOB_NOMEM);
    cr_assert_null(g);
    cr_assert_eq(rtx_glob_compile((const uint8_t *)"*.spl", 5, &g), RTX_GLOB_OK);
    char text[2000];
    memset(text, 'x', sizeof text);
    memcpy(text + sizeof text - 4, ".spl", 4);
    rtx_mem_fail_at(1, 1);
    int m = rtx_glob_match(g, (const uint8_t *)text, sizeof text);       /* needs the heap */
    int small = rtx_glob_match(g, (const uint8_t *)"a.spl", 5);          /* stack only */
    rtx_mem_fail_at(0, 0);
    cr_assert_eq(m, -1);
    cr_assert_eq(small, 1);
    cr_assert_eq(rtx_glob_match(g, (const uint8_t *)text, sizeof text), 1);
    rtx_glob_free(g);
}
#endif
