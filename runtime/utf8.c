/*
 * runtime/utf8.c — UTF-8 validation and the maximal-subpart rule for lossy
 * decoding (see utf8.h). Used by the print, errors, contracts and args
 * families; implements no spec row itself.
 */
#include "runtime/utf8.h"

/* The valid range of the second byte for lead byte b (Unicode Table 3-7);
 * continuation bytes after the second are always 0x80..0xBF. */
static int second_ok(uint8_t lead, uint8_t b)
{
    switch (lead) {
    case 0xE0: return b >= 0xA0 && b <= 0xBF;   /* no overlong 3-byte forms */
    case 0xED: return b >= 0x80 && b <= 0x9F;   /* no surrogates */
    case 0xF0: return b >= 0x90 && b <= 0xBF;   /* no overlong 4-byte forms */
    case 0xF4: return b >= 0x80 && b <= 0x8F;   /* nothing above U+10FFFF */
    default: return b >= 0x80 && b <= 0xBF;
    }
}

/* Bytes a character starting with lead byte b needs: 1..4, or 0 when b
 * can never start a character (continuation bytes, C0, C1, F5..FF). */
static size_t need(uint8_t b)
{
    if (b < 0x80)
        return 1;
    if (b >= 0xC2 && b <= 0xDF)
        return 2;
    if (b >= 0xE0 && b <= 0xEF)
        return 3;
    if (b >= 0xF0 && b <= 0xF4)
        return 4;
    return 0;
}

/* How many bytes of p[0..n) form a valid prefix of one character (at
 * most need(p[0])); equal to need(p[0]) when the character is complete. */
static size_t prefix_len(const uint8_t *p, size_t n)
{
    size_t k = need(p[0]);
    if (k <= 1)
        return k;
    size_t i = 1;
    if (i < n && i < k && second_ok(p[0], p[1])) {
        i++;
        while (i < n && i < k && p[i] >= 0x80 && p[i] <= 0xBF)
            i++;
    }
    return i;
}

size_t rtx_utf8_char_len(const uint8_t *p, size_t n)
{
    if (n == 0)
        return 0;
    size_t k = need(p[0]);
    if (k == 0 || k > n)
        return 0;
    return prefix_len(p, n) == k ? k : 0;
}

size_t rtx_utf8_next(const uint8_t *p, size_t n, uint32_t *cp)
{
    size_t k = rtx_utf8_char_len(p, n);
    if (k == 0)
        return 0;
    /* Lead-byte payload bits: 7, 5, 4 or 3 for lengths 1..4. */
    static const uint8_t lead_mask[5] = {0, 0x7F, 0x1F, 0x0F, 0x07};
    uint32_t c = p[0] & lead_mask[k];
    for (size_t i = 1; i < k; i++)
        c = (c << 6) | (p[i] & 0x3Fu);
    *cp = c;
    return k;
}

size_t rtx_utf8_invalid_len(const uint8_t *p, size_t n)
{
    if (n == 0 || rtx_utf8_char_len(p, n) != 0)
        return 0;
    size_t k = prefix_len(p, n);
    return k ? k : 1;   /* a byte that starts nothing is its own subpart */
}

int rtx_utf8_valid(const uint8_t *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        /* ASCII runs are the common case (source files): 8 bytes at a time. */
        while (i + 8 <= n) {
            uint64_t w = 0;
            for (int b = 0; b < 8; b++)
                w |= (uint64_t)p[i + (size_t)b] << (8 * b);
            if (w & UINT64_C(0x8080808080808080))
                break;
            i += 8;
        }
        if (i >= n)
            break;
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = rtx_utf8_char_len(p + i, n - i);
        if (k == 0)
            return 0;
        i += k;
    }
    return 1;
}

size_t rtx_utf8_cut(const uint8_t *p, size_t n)
{
    /* Look back at most 3 bytes for the lead byte of the last character. */
    for (size_t back = 1; back <= 3 && back <= n; back++) {
        uint8_t b = p[n - back];
        if (b >= 0x80 && b <= 0xBF)
            continue;   /* a continuation byte: keep looking */
        size_t k = need(b);
        /* An incomplete but so far valid character at the end: drop it. */
        if (k > back && prefix_len(p + n - back, back) == back)
            return n - back;
        return n;
    }
    return n;
}
