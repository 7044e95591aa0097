/*
 * runtime/glob.h — Rust glob::Pattern (crate glob 0.3) reproduced in C, for
 * doctest_walk_directory's include/exclude filters (private to the doctest
 * family; tested directly by tests/glob and fuzz/targets/glob.c).
 *
 * Semantics: exactly Pattern::new(p) and Pattern::matches(s) with the
 * default MatchOptions (case-sensitive, '*' and '?' also match '/', no
 * leading-dot rule), on Unix (the only separator is '/'):
 *   ?        one character (a Unicode scalar value, not a byte)
 *   *        any run of characters, '/' included
 *   **       valid only as a whole path component: at the start of the
 *            pattern or right after a '/', and followed by a '/' (which
 *            belongs to it) or the end. It matches the empty string at its
 *            position, or any run that ends with '/', or the whole rest of
 *            the text. Three or more stars, "a**" and "**a" are invalid.
 *   [...]    one character from the set; "a-z" ranges by code point; a ']'
 *            right after "[" or "[!" is a member; '-' first or last is a
 *            member. [!...] is the complement. An unclosed '[' is invalid.
 *   other    itself, so "[*]", "[?]", "[[]" and "[]]" escape metacharacters.
 * The crate's matcher is a backtracking search whose answer has three
 * values (match, this branch fails, the whole pattern fails); this module
 * computes the same function by dynamic programming, in O(tokens x chars)
 * time and O(chars) memory, so no pattern is slow. A text shorter than the
 * pattern's one-character tokens is rejected before any of that, and a
 * pattern without stars is compared in one pass, so every pattern that
 * reaches the table has at most about 3 tokens per text character (stars
 * never stand side by side except "**" pairs) and the work is O(chars^2).
 */
#ifndef RTX_GLOB_H
#define RTX_GLOB_H

#include <stddef.h>
#include <stdint.h>

/* Patterns longer than this many bytes are refused as invalid (a limit of
 * simplert; spec/ffi/doctest.sdn documents it). */
#define RTX_GLOB_MAX_PATTERN 65536

enum rtx_glob_tok_kind {
    RTX_GLOB_CHAR,      /* a: the code point */
    RTX_GLOB_ANY,       /* ? */
    RTX_GLOB_SEQ,       /* * */
    RTX_GLOB_RSEQ,      /* ** (with its trailing '/', if any) */
    RTX_GLOB_WITHIN,    /* [...]: ranges[a .. a+b) */
    RTX_GLOB_EXCEPT     /* [!...]: ranges[a .. a+b) */
};

typedef struct rtx_glob_tok {
    uint32_t kind;
    uint32_t a, b;
} rtx_glob_tok;

typedef struct rtx_glob_range {
    uint32_t lo, hi;    /* a single character has lo == hi; lo > hi matches nothing */
} rtx_glob_range;

typedef struct rtx_glob {
    size_t ntok, nrange;
    size_t nfixed;      /* tokens that take exactly one character (not * or **) */
    rtx_glob_tok *tok;
    rtx_glob_range *range;
} rtx_glob;

enum { RTX_GLOB_OK = 0, RTX_GLOB_INVALID = -1, RTX_GLOB_NOMEM = -2 };

/* Compiles len bytes of pattern. RTX_GLOB_OK and *out set; RTX_GLOB_INVALID
 * when Pattern::new would fail, the bytes are not valid UTF-8 (Rust could not
 * hold them in a str) or len > RTX_GLOB_MAX_PATTERN; RTX_GLOB_NOMEM. */
int rtx_glob_compile(const uint8_t *pat, size_t len, rtx_glob **out);
void rtx_glob_free(rtx_glob *g);

/* 1 when text[0..len) matches, 0 when not (also when text is not valid
 * UTF-8: the crate only matches str), -1 on allocation failure. */
int rtx_glob_match(const rtx_glob *g, const uint8_t *text, size_t len);

/* rtx_glob_match that also reports the matcher's work: *steps is the
 * number of characters it compared or DP cells it filled, never more than
 * (ntok + 1) * (chars + 1). */
int rtx_glob_match_counted(const rtx_glob *g, const uint8_t *text, size_t len,
                           uint64_t *steps);

#endif /* RTX_GLOB_H */
