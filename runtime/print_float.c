/*
 * runtime/print_float.c — Rust's f64 Display, for the display form of
 * floats (spec/ffi/print.sdn: rt_print_value and the other *_value rows).
 *
 * Rust prints the SHORTEST decimal that reads back as the same double
 * (closest to the exact value when several are that short), positioned
 * without an exponent: 1e300 prints all 301 digits, 1e-7 prints 0.0000001,
 * 1.0 prints 1, -0.0 prints -0, and NaN/inf/-inf are spelled so.
 *
 * The digits come from the free-format algorithm of Steele & White as
 * refined by Burger & Dybvig ("Printing floating-point numbers quickly and
 * accurately", PLDI 1996), in exact big-integer arithmetic: v = r/s, the
 * halfway points to the neighbouring doubles are (r - m-)/s and
 * (r + m+)/s, and digits are produced until the digits so far, or those
 * digits with the last one raised, lie strictly inside that interval
 * (inside or on its ends when the mantissa is even, because a decimal
 * exactly halfway reads back as the even neighbour). When both the digits
 * and the raised digits fit and the exact value lies exactly halfway
 * between them (84401034523507.125 at 16 digits, say), Rust's Dragon
 * (`mant * 2 >= scale`) takes the raised one, and so does this code.
 */
#include <math.h>
#include <string.h>

#include "runtime/print.h"

/* Unsigned big integers, little-endian 32-bit limbs. The largest number
 * the algorithm forms is below 2^1090 (r*10 for the smallest subnormal is
 * 2*10^324 < 2^1080; for the largest double r < 2^1027 and s*10 < 2^1031),
 * so 40 limbs (1280 bits) leave room to spare. */
#define BN_LIMBS 40

typedef struct bn {
    uint32_t d[BN_LIMBS];
    int n;   /* limbs in use; d[n-1] != 0 unless n == 0 */
} bn;

static void bn_set(bn *a, uint64_t v)
{
    memset(a, 0, sizeof *a);
    a->d[0] = (uint32_t)v;
    a->d[1] = (uint32_t)(v >> 32);
    a->n = a->d[1] ? 2 : a->d[0] ? 1 : 0;
}

static void bn_mul_small(bn *a, uint32_t m)
{
    uint64_t carry = 0;
    for (int i = 0; i < a->n; i++) {
        uint64_t x = (uint64_t)a->d[i] * m + carry;
        a->d[i] = (uint32_t)x;
        carry = x >> 32;
    }
    if (carry && a->n < BN_LIMBS)   /* the bound above keeps n < BN_LIMBS */
        a->d[a->n++] = (uint32_t)carry;
}

static void bn_mul_pow10(bn *a, int k)
{
    for (; k >= 9; k -= 9)
        bn_mul_small(a, 1000000000u);
    static const uint32_t p10[9] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
                                    100000000};
    if (k > 0)
        bn_mul_small(a, p10[k]);
}

static void bn_shl(bn *a, int bits)
{
    if (a->n == 0 || bits == 0)
        return;
    int limbs = bits / 32, sh = bits % 32;
    int top = a->n + limbs + 1;
    if (top > BN_LIMBS)
        top = BN_LIMBS;
    for (int i = top - 1; i >= 0; i--) {
        int src = i - limbs;
        uint64_t hi = (src >= 0 && src < a->n) ? a->d[src] : 0;
        uint64_t lo = (src - 1 >= 0 && src - 1 < a->n) ? a->d[src - 1] : 0;
        a->d[i] = sh ? (uint32_t)((hi << sh) | (lo >> (32 - sh))) : (uint32_t)hi;
    }
    a->n = top;
    while (a->n > 0 && a->d[a->n - 1] == 0)
        a->n--;
}

static int bn_cmp(const bn *a, const bn *b)
{
    if (a->n != b->n)
        return a->n < b->n ? -1 : 1;
    for (int i = a->n - 1; i >= 0; i--)
        if (a->d[i] != b->d[i])
            return a->d[i] < b->d[i] ? -1 : 1;
    return 0;
}

/* out = a + b (out may alias a). */
static void bn_add(bn *out, const bn *a, const bn *b)
{
    int n = a->n > b->n ? a->n : b->n;
    uint64_t carry = 0;
    for (int i = 0; i < n; i++) {
        uint64_t x = (uint64_t)(i < a->n ? a->d[i] : 0) + (i < b->n ? b->d[i] : 0) + carry;
        out->d[i] = (uint32_t)x;
        carry = x >> 32;
    }
    out->n = n;
    if (carry && n < BN_LIMBS)
        out->d[out->n++] = (uint32_t)carry;
    for (int i = out->n; i < BN_LIMBS; i++)
        out->d[i] = 0;
}

/* a -= b, requires a >= b. */
static void bn_sub(bn *a, const bn *b)
{
    int64_t borrow = 0;
    for (int i = 0; i < a->n; i++) {
        int64_t x = (int64_t)a->d[i] - (i < b->n ? b->d[i] : 0) - borrow;
        borrow = x < 0;
        a->d[i] = (uint32_t)(x + (borrow ? (INT64_C(1) << 32) : 0));
    }
    while (a->n > 0 && a->d[a->n - 1] == 0)
        a->n--;
}

/* The shortest digits of a positive finite double: digits[0..n) with the
 * value 0.d1d2...dn * 10^k. Returns n (1..17). */
static int shortest_digits(double v, char *digits, int *k_out)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    int be = (int)((bits >> 52) & 0x7FF);
    uint64_t frac = bits & ((UINT64_C(1) << 52) - 1);
    uint64_t f = be ? frac | (UINT64_C(1) << 52) : frac;
    int e = be ? be - 1075 : -1074;
    /* At a power of two the double below is twice as close as the one above. */
    int closer_below = frac == 0 && be > 1;
    int inclusive = (f & 1) == 0;

    bn r, s, mp, mm;
    bn_set(&r, f);
    if (e >= 0) {
        bn_shl(&r, closer_below ? e + 2 : e + 1);
        bn_set(&s, closer_below ? 4 : 2);
        bn_set(&mp, 1);
        bn_shl(&mp, closer_below ? e + 1 : e);
        bn_set(&mm, 1);
        bn_shl(&mm, e);
    } else {
        bn_shl(&r, closer_below ? 2 : 1);
        bn_set(&s, 1);
        bn_shl(&s, closer_below ? 2 - e : 1 - e);
        bn_set(&mp, closer_below ? 2 : 1);
        bn_set(&mm, 1);
    }

    /* k estimate: never too big, at most one too small (fixed below). */
    int k = (int)ceil(log10(v) - 1e-10);
    if (k >= 0) {
        bn_mul_pow10(&s, k);
    } else {
        bn_mul_pow10(&r, -k);
        bn_mul_pow10(&mp, -k);
        bn_mul_pow10(&mm, -k);
    }
    bn hi;
    bn_add(&hi, &r, &mp);
    int c = bn_cmp(&hi, &s);
    if (inclusive ? c >= 0 : c > 0) {   /* the upper end reaches 10^k */
        bn_mul_small(&s, 10);
        k++;
    }

    int n = 0;
    for (;;) {
        bn_mul_small(&r, 10);
        bn_mul_small(&mp, 10);
        bn_mul_small(&mm, 10);
        int d = 0;
        while (bn_cmp(&r, &s) >= 0) {   /* at most 9 rounds */
            bn_sub(&r, &s);
            d++;
        }
        int cl = bn_cmp(&r, &mm);
        int low = inclusive ? cl <= 0 : cl < 0;   /* stopping here rounds down */
        bn_add(&hi, &r, &mp);
        int ch = bn_cmp(&hi, &s);
        int high = inclusive ? ch >= 0 : ch > 0;  /* raising d rounds up */
        if (low && high) {
            bn twice = r;
            bn_mul_small(&twice, 2);
            if (bn_cmp(&twice, &s) >= 0)
                d++;
        } else if (high) {
            d++;
        }
        if (low || high || n == 16) {
            /* A raised 9 carries into the digits before it (defensive: the
             * interval argument of Burger & Dybvig rules it out). */
            while (d == 10 && n > 0) {
                d = digits[--n] - '0' + 1;
            }
            if (d == 10) {   /* all nines: 0.99.. becomes 0.1 * 10^(k+1) */
                d = 1;
                k++;
            }
            digits[n++] = (char)('0' + d);
            break;
        }
        digits[n++] = (char)('0' + d);
    }
    *k_out = k;
    return n;
}

size_t rtx_fmt_f64(double d, char *out)
{
    size_t len = 0;
    if (isnan(d)) {
        memcpy(out, "NaN", 3);
        return 3;
    }
    if (signbit(d))
        out[len++] = '-';   /* Rust prints the sign of -0.0 too */
    if (isinf(d)) {
        memcpy(out + len, "inf", 3);
        return len + 3;
    }
    if (d == 0) {
        out[len++] = '0';
        return len;
    }
    char digits[20];
    int k, n = shortest_digits(fabs(d), digits, &k);
    if (k <= 0) {   /* 0.000ddd */
        out[len++] = '0';
        out[len++] = '.';
        memset(out + len, '0', (size_t)-k);
        len += (size_t)-k;
        memcpy(out + len, digits, (size_t)n);
        len += (size_t)n;
    } else if (k < n) {   /* dd.ddd */
        memcpy(out + len, digits, (size_t)k);
        len += (size_t)k;
        out[len++] = '.';
        memcpy(out + len, digits + k, (size_t)(n - k));
        len += (size_t)(n - k);
    } else {   /* ddd000, no fraction: Display never adds ".0" */
        memcpy(out + len, digits, (size_t)n);
        len += (size_t)n;
        memset(out + len, '0', (size_t)(k - n));
        len += (size_t)(k - n);
    }
    return len;
}
