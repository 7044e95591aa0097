/*
 * tests/sdn/roundtrip.c — write -> parse -> sdn_equal on a seeded random
 * document generator, plus fixed round trips and a scaling check.
 */
#define _POSIX_C_SOURCE 200809L
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <time.h>

#include "helpers.h"
#include "leakcheck.h"

/* ------------------------------------------------------------- generator */

typedef struct rng {
    uint64_t s;
} rng;

/* splitmix64: tiny, seedable, good enough for test data */
static uint64_t rnd(rng *r)
{
    uint64_t z = (r->s += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static size_t below(rng *r, size_t n) { return (size_t)(rnd(r) % n); }

static const char *const pieces[] = {
    "", "a", "Z9", "_", "a b", "\"", "\\", "\n", "\t", "\r", "%", ",", ":", "#", "=", "|",
    "{", "}", "[", "]", "(", ")", "-", ".", "/", "@", "'", "\x01", "\x7f",
    "\xC3\xA9", "\xE6\x97\xA5\xE6\x9C\xAC", "\xF0\x9F\x98\x80",
    "true", "null", "nil", "table", "1", "-1", "0.5", "1e5", "nan", "src/a.spl", "a%2Cb",
    "/abs/p", "./rel", "file.md#sec", " ", "  lead", "trail  ", "\\n", "\\\"",
};

static sdn_value *gen_string(rng *r)
{
    char buf[128];
    size_t n = 0, parts = below(r, 5);
    for (size_t i = 0; i < parts; i++) {
        const char *p = pieces[below(r, sizeof pieces / sizeof pieces[0])];
        size_t l = strlen(p);
        if (n + l < sizeof buf) {
            memcpy(buf + n, p, l);
            n += l;
        }
    }
    buf[n] = '\0';
    return sdn_new_str(buf, n);
}

/* Keys: mostly identifiers (what real documents use), sometimes anything. */
static void gen_key(rng *r, char *out, size_t cap)
{
    if (below(r, 4) == 0) {
        sdn_value *s = gen_string(r);
        snprintf(out, cap, "%s", sdn_str(s, NULL));
        sdn_free(s);
        return;
    }
    static const char alpha[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_";
    static const char rest[] = "abcdefghijklmnopqrstuvwxyz0123456789_./#-";
    size_t n = 1 + below(r, 8);
    out[0] = alpha[below(r, sizeof alpha - 1)];
    for (size_t i = 1; i < n && i + 1 < cap; i++)
        out[i] = rest[below(r, sizeof rest - 1)];
    out[n < cap ? n : cap - 1] = '\0';
}

static sdn_value *gen_float(rng *r)
{
    static const double edge[] = { 0.0, -0.0, 1.0, -1.0, 0.1, 1e300, -1e-300, DBL_MAX, -DBL_MAX,
                                   DBL_MIN, 4.9406564584124654e-324, -4.9406564584124654e-324,
                                   2.2250738585072009e-308, 1e16, 123456789.125, 0.30000000000000004 };
    if (below(r, 3) == 0)
        return sdn_new_float(edge[below(r, sizeof edge / sizeof edge[0])]);
    double d;
    do {
        uint64_t bits = rnd(r);
        memcpy(&d, &bits, sizeof d);
    } while (!isfinite(d));
    return sdn_new_float(d);
}

static sdn_value *gen_scalar(rng *r)
{
    static const int64_t edge[] = { 0, 1, -1, INT64_MIN, INT64_MAX, INT64_MIN + 1, INT64_MAX - 1,
                                    1000000, -42 };
    switch (below(r, 6)) {
    case 0: return below(r, 2) ? sdn_new_null() : sdn_new_bool(below(r, 2));
    case 1: return sdn_new_int(edge[below(r, sizeof edge / sizeof edge[0])]);
    case 2: return sdn_new_int((int64_t)rnd(r));
    case 3: return gen_float(r);
    default: return gen_string(r);
    }
}

static sdn_value *gen_inline(rng *r, int depth);

/* Arrays and dicts that are written inline: no tables inside. */
static sdn_value *gen_inline(rng *r, int depth)
{
    size_t kind = depth >= 4 ? 0 : below(r, 5);
    if (kind == 3) {
        sdn_value *a = sdn_new_array();
        for (size_t i = 0, n = below(r, 4); i < n; i++)
            sdn_array_push(a, gen_inline(r, depth + 1));
        return a;
    }
    if (kind == 4) {
        sdn_value *d = sdn_new_dict();
        char key[128];
        for (size_t i = 0, n = below(r, 4); i < n; i++) {
            gen_key(r, key, sizeof key);
            sdn_dict_set(d, key, gen_inline(r, depth + 1));
        }
        return d;
    }
    return gen_scalar(r);
}

static sdn_value *gen_table(rng *r, int depth)
{
    size_t ncols = below(r, 5);
    char names[4][128];
    const char *ptrs[4];
    for (size_t c = 0; c < ncols; c++) {
        gen_key(r, names[c], sizeof names[c]);
        ptrs[c] = names[c];
    }
    bool typed = below(r, 3) == 0;
    sdn_value *t = sdn_new_table(ncols, typed ? NULL : ptrs, typed ? ptrs : NULL);
    size_t nrows = ncols ? below(r, 5) : 0;
    for (size_t i = 0; i < nrows; i++) {
        sdn_value *cells[4];
        for (size_t c = 0; c < ncols; c++)
            cells[c] = gen_inline(r, depth + 1);
        sdn_table_add_row(t, cells);
    }
    return t;
}

static sdn_value *gen_dict(rng *r, int depth)
{
    sdn_value *d = sdn_new_dict();
    char key[128];
    for (size_t i = 0, n = below(r, 6); i < n; i++) {
        gen_key(r, key, sizeof key);
        size_t kind = depth >= 4 ? 0 : below(r, 6);
        sdn_value *v = kind == 1 ? gen_dict(r, depth + 1)
                     : kind == 2 ? gen_table(r, depth + 1)
                     : gen_inline(r, depth + 1);
        sdn_dict_set(d, key, v);
    }
    return d;
}

/* ------------------------------------------- upstream-readability filter */

static bool bare_safe(const char *s)
{
    static const char *const kw[] = { "true", "false", "null", "nil", "table" };
    if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
        return false;
    for (const char *p = s; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./#-", *p))
            return false;
    for (size_t i = 0; i < 5; i++)
        if (strcmp(s, kw[i]) == 0)
            return false;
    return true;
}

/* True if the written form of v needs no reader extension: every name is
 * bare-safe and no nested dict block starts with a named table. */
static bool upstream_readable(const sdn_value *v, bool nested_block)
{
    switch (sdn_type_of(v)) {
    case SDN_ARRAY:
        for (size_t i = 0; i < sdn_len(v); i++)
            if (!upstream_readable(sdn_at(v, i), false))
                return false;
        return true;
    case SDN_DICT:
        for (size_t i = 0; i < sdn_len(v); i++) {
            const sdn_value *e = sdn_value_at(v, i);
            if (!bare_safe(sdn_key_at(v, i)))
                return false;
            if (nested_block && i == 0 && sdn_type_of(e) == SDN_TABLE && !sdn_table_is_typed(e))
                return false;
            if (!upstream_readable(e, sdn_type_of(e) == SDN_DICT && sdn_len(e) > 0))
                return false;
        }
        return true;
    case SDN_TABLE:
        for (size_t c = 0; c < sdn_table_ncols(v); c++) {
            const char *n = sdn_table_is_typed(v) ? sdn_table_coltype(v, c) : sdn_table_col(v, c);
            if (!bare_safe(n))
                return false;
        }
        for (size_t row = 0; row < sdn_len(v); row++)
            for (size_t c = 0; c < sdn_table_ncols(v); c++)
                if (!upstream_readable(sdn_table_cell(v, row, c), false))
                    return false;
        return true;
    default:
        return true;
    }
}

/* Same as sdn_equal but also tells -0.0 from +0.0. */
static bool same(const sdn_value *a, const sdn_value *b)
{
    if (!sdn_equal(a, b))
        return false;
    switch (sdn_type_of(a)) {
    case SDN_FLOAT: return signbit(sdn_float(a)) == signbit(sdn_float(b));
    case SDN_ARRAY:
        for (size_t i = 0; i < sdn_len(a); i++)
            if (!same(sdn_at(a, i), sdn_at(b, i)))
                return false;
        return true;
    case SDN_DICT:
        for (size_t i = 0; i < sdn_len(a); i++)
            if (!same(sdn_value_at(a, i), sdn_value_at(b, i)))
                return false;
        return true;
    case SDN_TABLE:
        for (size_t row = 0; row < sdn_len(a); row++)
            for (size_t c = 0; c < sdn_table_ncols(a); c++)
                if (!same(sdn_table_cell(a, row, c), sdn_table_cell(b, row, c)))
                    return false;
        return true;
    default: return true;
    }
}

/* ------------------------------------------------------------------ tests */

#define PROPERTY_DOCS 3000

Test(roundtrip, random_documents, .timeout = 300)
{
    size_t upstream_checked = 0;
    for (uint64_t seed = 1; seed <= PROPERTY_DOCS; seed++) {
        rng r = { seed * UINT64_C(0x2545F4914F6CDD1D) };
        sdn_value *doc = gen_dict(&r, 0);
        size_t len = 0;
        char *text = sdn_write(doc, &len);
        if (!text) {
            sdn_free(doc);
            cr_assert_fail("seed %llu: sdn_write failed", (unsigned long long)seed);
        }
        sdn_error e;
        sdn_value *back = sdn_parse(text, len, &e);
        if (!back || !same(doc, back)) {
            fprintf(stderr, "roundtrip failed for seed %llu: %s\n--- written ---\n%s--- end ---\n",
                    (unsigned long long)seed, back ? "documents differ" : e.msg, text);
            cr_assert_fail("seed %llu: %s", (unsigned long long)seed, back ? "differ" : e.msg);
        }
        /* what needs no reader extension must parse in the upstream subset */
        if (upstream_readable(doc, false)) {
            sdn_value *compat = sdn_parse_compat(text, len, &e);
            if (!compat || !sdn_equal(doc, compat)) {
                fprintf(stderr, "compat failed for seed %llu: %s\n--- written ---\n%s--- end ---\n",
                        (unsigned long long)seed, compat ? "documents differ" : e.msg, text);
                cr_assert_fail("seed %llu: compat %s", (unsigned long long)seed,
                               compat ? "differ" : e.msg);
            }
            sdn_free(compat);
            upstream_checked++;
        }
        /* writing is deterministic: the re-read document writes the same text */
        size_t len2 = 0;
        char *text2 = sdn_write(back, &len2);
        cr_assert(text2 && len2 == len && memcmp(text, text2, len) == 0, "seed %llu: unstable text",
                  (unsigned long long)seed);
        free(text2);
        free(text);
        sdn_free(back);
        sdn_free(doc);
    }
    cr_assert_gt(upstream_checked, PROPERTY_DOCS / 10, "only %zu compat checks", upstream_checked);
    cr_log_info("%d documents round-tripped, %zu also through the upstream subset", PROPERTY_DOCS,
                upstream_checked);
    LEAK_CHECK();
}

Test(roundtrip, negative_zero_and_subnormals)
{
    sdn_value *d = sdn_new_dict();
    sdn_dict_set(d, "nz", sdn_new_float(-0.0));
    sdn_dict_set(d, "sub", sdn_new_float(-4.9406564584124654e-324));
    sdn_dict_set(d, "sub2", sdn_new_float(2.2250738585072009e-308));
    char *t = sdn_write(d, NULL);
    sdn_value *back = parse_ok(t);
    cr_assert(signbit(sdn_float(sdn_get(back, "nz"))));
    cr_assert(same(d, back));
    free(t);
    sdn_free(back);
    sdn_free(d);
    LEAK_CHECK();
}

Test(roundtrip, fixtures_parse_write_parse)
{
    const char *docs[] = {
        "# config\napp:\n    name: MyService\n    port: 8080\n    ratio: 0.75\n    debug: false\n"
        "features = [auth, logging, \"rate limit\"]\npoint = {x: 10, y: -20}\n",
        "users |id, name, email, active|\n    1, \"Alice Chen\", \"alice@example.com\", true\n"
        "coords: table{f64, f64} = [(1.0, 2.0), (3.5, 4.25)]\n",
        "version: 1.0\ncoverage_extension: decision-condition-v1\n\n"
        "decisions |id, file, line, column, true_count, false_count|\n    2, a%252Cspl, 1, 2, 1, 0\n"
        "    2, /abs/a%2Cspl, 1, 2, 0, 1\n\nconditions |decision_id, condition_id, file|\n",
        "a:\n    b:\n        c: [1, [2, {d: e}]]\n    verbose\nt |x, y|\n    ,,\n    1,,\n",
        "list:\n    1\n    two\n    [3]\n    {four: 4}\nempty:\n",
    };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        sdn_value *v = parse_ok(docs[i]);
        char *t = sdn_write(v, NULL);
        cr_assert_not_null(t);
        sdn_value *back = parse_ok(t);
        cr_assert(sdn_equal(v, back), "fixture %zu\n--- written ---\n%s", i, t);
        free(t);
        sdn_free(back);
        sdn_free(v);
    }
    LEAK_CHECK();
}

Test(roundtrip, decimal_point_is_dot_in_any_locale)
{
    /* A host program may call setlocale(); SDN floats still use '.'. */
    static const char *const names[] = { "de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8",
                                         "de_DE", "fr_FR", "ru_RU.UTF-8" };
    const char *got = NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && !got; i++)
        got = setlocale(LC_NUMERIC, names[i]);
    char probe[16];
    snprintf(probe, sizeof probe, "%.1f", 0.5);
    if (!got || strcmp(probe, "0.5") == 0)
        cr_skip_test("no locale with a ',' decimal point is installed (try LOCPATH, see sdn/README.md)");
    sdn_value *v = parse_ok("a: 3.25\nb: -0.5e-3\nc: 1e5\nd = [0.1, 2.5]\n");
    cr_assert_eq(sdn_float(sdn_get(v, "a")), 3.25);
    cr_assert_eq(sdn_float(sdn_get(v, "b")), -0.5e-3);
    write_is(v, "a: 3.25\nb: -0.0005\nc: 100000.0\nd = [0.1, 2.5]\n");
    sdn_free(v);
    setlocale(LC_NUMERIC, "C");
    LEAK_CHECK();
}

/* -------------------------------------------------------------- scaling */

/* About `target` bytes of SDN: a big flat dict (hash index), nested blocks,
 * tables with many rows and inline arrays. */
static char *big_doc(size_t target, size_t *len)
{
    size_t cap = target + 4096, n = 0;
    char *p = malloc(cap);
    cr_assert_not_null(p);
    for (size_t i = 0; n + 512 < cap / 4; i++)
        n += (size_t)snprintf(p + n, cap - n, "key_%zu: \"value %zu\"\n", i, i);
    n += (size_t)snprintf(p + n, cap - n, "decisions |id, file, line, column, t, f|\n");
    for (size_t i = 0; n + 512 < cap / 2; i++)
        n += (size_t)snprintf(p + n, cap - n, "    %zu, /src/dir%zu/file_%zu.spl, %zu, 5, 42, 0.5\n",
                              i, i % 17, i, i * 3);
    for (size_t i = 0; n + 512 < cap; i++)
        n += (size_t)snprintf(p + n, cap - n,
                              "block_%zu:\n    name: n%zu\n    list = [1, 2.5, x, \"y z\", {k: v}]\n"
                              "    inner:\n        deep: true\n",
                              i, i);
    *len = n;
    return p;
}

static double parse_seconds(const char *text, size_t len)
{
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    sdn_error e;
    sdn_value *v = sdn_parse(text, len, &e);
    clock_gettime(CLOCK_MONOTONIC, &b);
    cr_assert_not_null(v, "%s", e.msg);
    sdn_free(v);
    return (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) * 1e-9;
}

Test(roundtrip, parse_time_scales_linearly, .timeout = 300)
{
    size_t small_len, big_len;
    char *small = big_doc(500 * 1000, &small_len);
    char *big = big_doc(5 * 1000 * 1000, &big_len);
    double ts = parse_seconds(small, small_len);
    double tb = parse_seconds(big, big_len);
    cr_log_info("parse: %zu bytes in %.3f s, %zu bytes in %.3f s", small_len, ts, big_len, tb);
    /* linear is 10x; quadratic would be ~100x. Generous for noisy hosts. */
    cr_assert_lt(tb, 30.0 * ts + 0.05, "%.3f s vs %.3f s", tb, ts);
    sdn_value *v = sdn_parse(big, big_len, NULL);
    char *t = sdn_write(v, NULL);
    cr_assert_not_null(t);
    free(t);
    sdn_free(v);
    free(small);
    free(big);
    LEAK_CHECK();
}
