/*
 * runtime/doctest_utf8.h — strict UTF-8 for the doctest family (private).
 *
 * Upstream turns every string argument into a Rust String with
 * String::from_utf8 and reads files with fs::read_to_string, so "valid"
 * here means exactly what Rust accepts (Unicode Table 3-7): no overlong
 * forms, no surrogates U+D800..U+DFFF, nothing above U+10FFFF, no truncated
 * sequence. NUL bytes are valid.
 */
#ifndef RTX_DOCTEST_UTF8_H
#define RTX_DOCTEST_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* 1 when p[0..n) is well-formed UTF-8 (n == 0 is valid; p may then be NULL). */
int rtx_doctest_utf8_valid(const uint8_t *p, size_t n);

/* Decodes the character at p[0..n) (n > 0) into *cp and returns its length
 * in bytes (1..4), or 0 when no well-formed character starts there. */
size_t rtx_doctest_utf8_next(const uint8_t *p, size_t n, uint32_t *cp);

#endif /* RTX_DOCTEST_UTF8_H */
