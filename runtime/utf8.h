/*
 * runtime/utf8.h — UTF-8 validation and lossy decoding, as Rust's
 * str::from_utf8 and String::from_utf8_lossy define them (upstream prints
 * and stores text through those two).
 *
 * Well-formed means Unicode Table 3-7: no overlong forms, no surrogates
 * (U+D800..U+DFFF), nothing above U+10FFFF.
 */
#ifndef RTX_UTF8_H
#define RTX_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* 1 when p[0..n) is well-formed UTF-8 (n == 0 is valid; p may be NULL then). */
int rtx_utf8_valid(const uint8_t *p, size_t n);

/* Length of the longest prefix of p[0..n) that does not end inside a
 * character: a trailing lead byte with only some of its continuation bytes
 * is dropped (used when a text is cut at a byte limit). Invalid bytes
 * elsewhere are not looked at. */
size_t rtx_utf8_cut(const uint8_t *p, size_t n);

/* Length of the invalid sequence at p[0..n) (n > 0, p[0] starts no valid
 * character there): the "maximal subpart" that from_utf8_lossy replaces by
 * one U+FFFD. Returns 0 when a valid character starts at p. */
size_t rtx_utf8_invalid_len(const uint8_t *p, size_t n);

/* Length of the valid character at p[0..n), or 0 when none starts there. */
size_t rtx_utf8_char_len(const uint8_t *p, size_t n);

/* Decodes the valid character at p[0..n) into *cp and returns its length
 * (1..4), or 0 (cp untouched) when no well-formed character starts there. */
size_t rtx_utf8_next(const uint8_t *p, size_t n, uint32_t *cp);

#endif /* RTX_UTF8_H */
