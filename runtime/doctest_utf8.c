/*
 * runtime/doctest_utf8.c — strict UTF-8 validation and decoding for the
 * doctest family (spec/ffi/doctest.sdn: every string argument, and the
 * contents doctest_read_file returns). See doctest_utf8.h.
 */
#include "runtime/doctest_utf8.h"

size_t rtx_doctest_utf8_next(const uint8_t *p, size_t n, uint32_t *cp)
{
    uint8_t b0 = p[0];
    if (b0 < 0x80) {
        *cp = b0;
        return 1;
    }
    /* Table 3-7: the second byte's range depends on the lead byte, which is
     * what rules out overlongs (E0, F0), surrogates (ED) and > U+10FFFF (F4). */
    size_t len;
    uint8_t lo = 0x80, hi = 0xBF;
    uint32_t c;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        len = 2;
        c = b0 & 0x1Fu;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        len = 3;
        c = b0 & 0x0Fu;
        if (b0 == 0xE0)
            lo = 0xA0;
        else if (b0 == 0xED)
            hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        len = 4;
        c = b0 & 0x07u;
        if (b0 == 0xF0)
            lo = 0x90;
        else if (b0 == 0xF4)
            hi = 0x8F;
    } else {
        return 0;   /* 0x80..0xC1 (continuation or overlong lead), 0xF5..0xFF */
    }
    if (n < len || p[1] < lo || p[1] > hi)
        return 0;
    c = (c << 6) | (p[1] & 0x3Fu);
    for (size_t i = 2; i < len; i++) {
        if ((p[i] & 0xC0u) != 0x80u)
            return 0;
        c = (c << 6) | (p[i] & 0x3Fu);
    }
    *cp = c;
    return len;
}

int rtx_doctest_utf8_valid(const uint8_t *p, size_t n)
{
    size_t i = 0;
    uint32_t cp;
    while (i < n) {
        /* ASCII runs are the common case (source files): skip them 8 at a time. */
        while (i + 8 <= n) {
            uint64_t w = 0;
            for (int k = 0; k < 8; k++)
                w |= (uint64_t)p[i + (size_t)k] << (8 * k);
            if (w & UINT64_C(0x8080808080808080))
                break;
            i += 8;
        }
        if (i >= n)
            break;
        size_t len = rtx_doctest_utf8_next(p + i, n - i, &cp);
        if (len == 0)
            return 0;
        i += len;
    }
    return 1;
}
