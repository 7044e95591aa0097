/* Conformance: the float display form of rt_print_value and
 * rt_println_value (spec/ffi/print.sdn): Rust's f64 Display of the inline
 * value. Three independent checks:
 *   1. a table computed by Rust itself (float_table.rs -> float_table.h);
 *   2. a property test on many doubles: the text has no exponent, reads
 *      back (strtod) as the same double, no decimal with fewer significant
 *      digits reads back as it, and among decimals of its length it is
 *      glibc's correctly rounded one whenever that one reads back (on an
 *      exact tie Rust takes the upper one, glibc the even one);
 *   3. the special spellings (NaN, inf, -inf, -0) and the shape rules. */
#include <math.h>
#include <stdlib.h>

#include "conformance/rtc.h"
#include "conformance/rtc_io.h"

static const struct {
    uint64_t bits;
    const char *want;
} table[] = {
#include "float_table.h"
};

static double from_bits(uint64_t b)
{
    double d;
    memcpy(&d, &b, sizeof d);
    return d;
}

static uint64_t to_bits(double d)
{
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    return b;
}

/* The text rt_print_value prints for the inline float of d. */
static void shown(double d, char *buf, size_t cap)
{
    rt_capture_stdout_start();
    rt_print_value(rt_value_float(d));
    RtValue s = rt_capture_stdout_stop();
    int64_t n = rt_string_len(s);
    cr_assert(n > 0 && (size_t)n < cap);
    memcpy(buf, rt_string_data(s), (size_t)n);
    buf[n] = 0;
    rt_free(s);
}

RTC_TEST(float_display, matches_rust_display)
{
    char got[512];
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        shown(from_bits(table[i].bits), got, sizeof got);
        cr_assert_str_eq(got, table[i].want, "bits 0x%016" PRIx64, table[i].bits);
    }
}

RTC_TEST(float_display, special_spellings)
{
    char got[512];
    static const struct {
        double d;
        const char *want;
    } cases[] = {
        {1.0, "1"},          {-1.0, "-1"},       {0.0, "0"},
        {-0.0, "-0"},        {100.0, "100"},     {0.5, "0.5"},
        {1e-7, "0.0000001"}, {1e21, "1000000000000000000000"},
        {INFINITY, "inf"},   {-INFINITY, "-inf"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        shown(cases[i].d, got, sizeof got);
        cr_assert_str_eq(got, cases[i].want);
    }
    shown(NAN, got, sizeof got);
    cr_assert_str_eq(got, "NaN");
    shown(-NAN, got, sizeof got);
    cr_assert_str_eq(got, "NaN", "no sign on NaN");
    /* 1e300 prints all of its digits; 5e-324's inline value is 0. */
    shown(1e300, got, sizeof got);
    cr_assert_eq(strlen(got), 300, "9.999999999999995e299 in full");
    cr_assert_eq(strncmp(got, "9999999999999995", 16), 0);
    cr_assert_eq(strspn(got + 16, "0"), 284);
    shown(5e-324, got, sizeof got);
    cr_assert_str_eq(got, "0");
    /* The line variant ends it with one newline and nothing else. */
    rt_capture_stdout_start();
    rt_println_value(rt_value_float(2.5));
    RtValue s = rt_capture_stdout_stop();
    cr_assert(RTC_STR_EQ(s, "2.5\n"));
    rt_free(s);
}

/* Significant digits of a positional decimal as an integer M and the
 * exponent E with value = M * 10^E; returns the digit count. */
static int significant(const char *text, uint64_t *m, int *e)
{
    const char *p = text + (*text == '-');
    const char *dot = strchr(p, '.');
    int frac = dot ? (int)strlen(dot + 1) : 0;
    char digits[400];
    size_t n = 0;
    for (const char *q = p; *q; q++)
        if (*q != '.')
            digits[n++] = *q;
    digits[n] = 0;
    size_t lead = strspn(digits, "0");
    size_t end = n;
    int exp = -frac;
    while (end > lead && digits[end - 1] == '0') {
        end--;
        exp++;
    }
    int count = (int)(end - lead);
    uint64_t v = 0;
    for (size_t i = lead; i < end; i++)
        v = v * 10 + (uint64_t)(digits[i] - '0');
    *m = v;
    *e = exp;
    return count;
}

static int reads_back(uint64_t m, int e, double want)
{
    char s[64];
    snprintf(s, sizeof s, "%" PRIu64 "e%d", m, e);
    return to_bits(strtod(s, NULL)) == to_bits(want);
}

/* glibc's correctly rounded decimal of |d| with `digits` significant digits. */
static void nearest(double d, int digits, uint64_t *m, int *e)
{
    char s[64];
    snprintf(s, sizeof s, "%.*e", digits - 1, fabs(d));
    uint64_t v = 0;
    int n = 0;
    char *p = s;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9') {
            v = v * 10 + (uint64_t)(*p - '0');
            n++;
        }
    *m = v;
    *e = atoi(p + 1) - (n - 1);
}

/* 1 when the exact decimal expansion of d (positive) has a 5 right after
 * its first n significant digits and nothing but zeros after that. */
static int exact_tie(double d, int n)
{
    static char s[1200];   /* every double's expansion ends within 767 digits */
    snprintf(s, sizeof s, "%.800e", d);
    char digits[1200];
    size_t k = 0;
    for (const char *p = s; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9')
            digits[k++] = *p;
    if ((size_t)n >= k || digits[n] != '5')
        return 0;
    for (size_t i = (size_t)n + 1; i < k; i++)
        if (digits[i] != '0')
            return 0;
    return 1;
}

static void check_shortest(double d)
{
    double v = from_bits(to_bits(d) & ~UINT64_C(7));   /* the inline value */
    if (!isfinite(v) || v == 0)
        return;
    char text[512];
    shown(d, text, sizeof text);
    cr_assert_eq(strpbrk(text, "eE"), NULL, "no exponent: %s", text);
    cr_assert_eq(to_bits(strtod(text, NULL)), to_bits(v), "round trip of %s", text);
    uint64_t m;
    int e, n = significant(text, &m, &e);
    cr_assert(n >= 1 && n <= 17, "%d digits in %s", n, text);
    double av = fabs(v);
    if (n > 1) {
        /* Every decimal of n-1 digits that could read back as v lies next
         * to the correctly rounded one: none of the three may. */
        uint64_t c;
        int ce;
        nearest(av, n - 1, &c, &ce);
        for (int k = -1; k <= 1; k++)
            cr_assert_not(reads_back(c + (uint64_t)k, ce, av),
                          "%s is not shortest: %" PRIu64 "e%d reads back", text,
                          c + (uint64_t)k, ce);
    }
    uint64_t c;
    int ce;
    nearest(av, n, &c, &ce);
    if (reads_back(c, ce, av)) {
        /* Both have exactly n significant digits. An exact tie (the value
         * is n digits and a 5) goes up in Rust, to even in glibc. */
        if (m == c + 1 && e == ce && exact_tie(av, n))
            return;
        cr_assert(m == c && e == ce, "%s is not the closest %d-digit decimal (%" PRIu64 "e%d)",
                  text, n, c, ce);
    }
}

RTC_TEST(float_display, shortest_round_trip_property)
{
    uint64_t x = UINT64_C(0x9E3779B97F4A7C15);
    int rounds = getenv("SIMPLERT_STRESS") ? 200000 : 4000;
    for (int i = 0; i < rounds; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        uint64_t bits = x;
        switch (i % 4) {
        case 1: bits &= UINT64_C(0x800FFFFFFFFFFFFF);   /* subnormals */
            break;
        case 2: /* exponents near 1: the everyday range */
            bits = (bits & UINT64_C(0x800FFFFFFFFFFFFF)) | ((UINT64_C(1000) + (x >> 58)) << 52);
            break;
        default: break;
        }
        check_shortest(from_bits(bits));
    }
    /* Powers of two: the neighbour below is twice as close as the one above. */
    for (int k = -1070; k <= 1023; k += 7) {
        check_shortest(ldexp(1.0, k));
        check_shortest(nextafter(ldexp(1.0, k), INFINITY));
    }
    /* Decimal powers and their neighbours. */
    for (int k = -300; k <= 300; k += 3) {
        char s[16];
        snprintf(s, sizeof s, "1e%d", k);
        double p = strtod(s, NULL);
        check_shortest(p);
        check_shortest(nextafter(p, 0));
        check_shortest(nextafter(p, INFINITY));
    }
}
