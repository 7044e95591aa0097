/*
 * tests/sdn/write.c — the writer: layout, quoting, escapes, floats, tables,
 * what it refuses, and the atomic file write.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "leakcheck.h"

static void set(sdn_value *d, const char *k, sdn_value *v) { cr_assert_eq(sdn_dict_set(d, k, v), 0); }

static void push(sdn_value *a, sdn_value *v) { cr_assert_eq(sdn_array_push(a, v), 0); }

/* The text written for one string value under key s. */
static void str_writes_as(const char *s, size_t len, const char *want)
{
    sdn_value *d = sdn_new_dict();
    set(d, "s", sdn_new_str(s, len));
    char line[256];
    snprintf(line, sizeof line, "s: %s\n", want);
    write_is(d, line);
    sdn_free(d);
}

static void float_writes_as(double x, const char *want)
{
    sdn_value *d = sdn_new_dict();
    set(d, "f", sdn_new_float(x));
    char line[256];
    snprintf(line, sizeof line, "f: %s\n", want);
    write_is(d, line);
    sdn_free(d);
}

Test(write, canonical_config_layout)
{
    sdn_value *root = sdn_new_dict(), *app = sdn_new_dict(), *f = sdn_new_array(), *pt = sdn_new_dict();
    set(app, "name", sdn_new_cstr("MyService"));
    set(app, "port", sdn_new_int(8080));
    set(app, "ratio", sdn_new_float(0.75));
    set(app, "debug", sdn_new_bool(false));
    set(root, "app", app);
    push(f, sdn_new_cstr("auth"));
    push(f, sdn_new_cstr("logging"));
    push(f, sdn_new_cstr("rate limit"));
    set(root, "features", f);
    set(pt, "x", sdn_new_int(10));
    set(pt, "y", sdn_new_int(-20));
    set(root, "point", pt);
    set(root, "nothing", sdn_new_null());
    write_is(root, "app:\n"
                   "    name: MyService\n"
                   "    port: 8080\n"
                   "    ratio: 0.75\n"
                   "    debug: false\n"
                   "features = [auth, logging, \"rate limit\"]\n"
                   "point:\n"
                   "    x: 10\n"
                   "    y: -20\n"
                   "nothing: null\n");
    sdn_free(root);
    LEAK_CHECK();
}

Test(write, quoting_rules)
{
    /* bare: starts with a letter or '_', only [A-Za-z0-9_./#-], not a keyword */
    const char *bare[] = { "a", "Alice", "_x", "file.md#sec", "x/y.z", "a-b", "v1.0", "nan", "inf",
                           "e5", "Table", "NULL", "z9_" };
    for (size_t i = 0; i < sizeof bare / sizeof bare[0]; i++)
        str_writes_as(bare[i], strlen(bare[i]), bare[i]);
    const struct { const char *in, *out; } quoted[] = {
        { "", "\"\"" },           { "true", "\"true\"" },   { "false", "\"false\"" },
        { "null", "\"null\"" },   { "nil", "\"nil\"" },     { "table", "\"table\"" },
        { "1abc", "\"1abc\"" },   { "42", "\"42\"" },       { "-x", "\"-x\"" },
        { "/abs", "\"/abs\"" },   { ".hidden", "\".hidden\"" }, { "#c", "\"#c\"" },
        { "a b", "\"a b\"" },     { "a%2C", "\"a%2C\"" },   { "a,b", "\"a,b\"" },
        { "a:b", "\"a:b\"" },     { "a@b", "\"a@b\"" },     { "h\xC3\xA9", "\"h\xC3\xA9\"" },
        { "a=b", "\"a=b\"" },     { "[x]", "\"[x]\"" },     { "a'b", "\"a'b\"" },
    };
    for (size_t i = 0; i < sizeof quoted / sizeof quoted[0]; i++)
        str_writes_as(quoted[i].in, strlen(quoted[i].in), quoted[i].out);
    LEAK_CHECK();
}

Test(write, escapes)
{
    str_writes_as("a\\b\"c\nd\te\rf", 11, "\"a\\\\b\\\"c\\nd\\te\\rf\"");
    str_writes_as("\x01\x7f", 2, "\"\x01\x7f\""); /* other bytes are written raw */
    str_writes_as("\\n", 2, "\"\\\\n\"");
    LEAK_CHECK();
}

Test(write, floats_round_trip_and_look_like_floats)
{
    float_writes_as(1.0, "1.0");
    float_writes_as(-2.0, "-2.0");
    float_writes_as(0.0, "0.0");
    float_writes_as(-0.0, "-0.0");
    float_writes_as(0.75, "0.75");
    float_writes_as(0.1, "0.1");
    float_writes_as(100.0, "100.0");
    float_writes_as(1e20, "1e+20");
    float_writes_as(1e-7, "1e-07");
    float_writes_as(1.0 / 3.0, "0.3333333333333333");
    float_writes_as(0.1 + 0.2, "0.30000000000000004");
    float_writes_as(DBL_MAX, "1.7976931348623157e+308");
    float_writes_as(DBL_MIN, "2.2250738585072014e-308");
    float_writes_as(4.9406564584124654e-324, "4.94065645841247e-324");
    float_writes_as(123456789012345678.0, "1.2345678901234568e+17");
    LEAK_CHECK();
}

Test(write, non_finite_floats_become_strings)
{
    sdn_value *d = sdn_new_dict(), *a = sdn_new_array();
    push(a, sdn_new_float(NAN));
    push(a, sdn_new_float(INFINITY));
    push(a, sdn_new_float(-INFINITY));
    set(d, "a", a);
    write_is(d, "a = [\"nan\", \"inf\", \"-inf\"]\n");
    char *t = sdn_write(d, NULL);
    sdn_value *back = parse_ok(t);
    const sdn_value *ba = sdn_get(back, "a");
    cr_assert_eq(sdn_type_of(sdn_at(ba, 0)), SDN_STRING); /* documented: strings on read */
    cr_assert_str_eq(sdn_str(sdn_at(ba, 2), NULL), "-inf");
    free(t);
    sdn_free(back);
    sdn_free(d);
    LEAK_CHECK();
}

Test(write, ints_and_scalars)
{
    sdn_value *d = sdn_new_dict();
    set(d, "min", sdn_new_int(INT64_MIN));
    set(d, "max", sdn_new_int(INT64_MAX));
    set(d, "t", sdn_new_bool(true));
    write_is(d, "min: -9223372036854775808\nmax: 9223372036854775807\nt: true\n");
    sdn_free(d);
    LEAK_CHECK();
}

Test(write, empty_root_is_empty_text)
{
    sdn_value *d = sdn_new_dict();
    size_t len = 99;
    char *t = sdn_write(d, &len);
    cr_assert_not_null(t);
    cr_assert_eq(len, 0);
    cr_assert_str_eq(t, "");
    free(t);
    sdn_free(d);
    LEAK_CHECK();
}

Test(write, nested_blocks_and_the_first_entry_rule)
{
    sdn_value *root = sdn_new_dict(), *outer = sdn_new_dict(), *inner = sdn_new_dict();
    sdn_value *arr = sdn_new_array(), *arr2 = sdn_new_array(), *in_arr = sdn_new_dict();
    push(arr, sdn_new_int(1));
    set(in_arr, "k", sdn_new_cstr("v"));
    set(in_arr, "n", sdn_new_array());
    push(arr, in_arr);
    set(outer, "list", arr);          /* first entry of a nested block: `list: [...]` */
    set(outer, "empty", sdn_new_dict());
    set(inner, "e", sdn_new_dict());   /* first entry: `e: {}` */
    set(inner, "x", sdn_new_int(1));
    set(outer, "inner", inner);
    push(arr2, sdn_new_cstr("a b"));
    set(outer, "more", arr2);
    set(root, "outer", outer);
    set(root, "top_list", sdn_new_array());
    set(root, "top_empty", sdn_new_dict());
    write_is(root, "outer:\n"
                   "    list: [1, {k: v, n: []}]\n"
                   "    empty = {}\n"
                   "    inner:\n"
                   "        e: {}\n"
                   "        x: 1\n"
                   "    more = [\"a b\"]\n"
                   "top_list = []\n"
                   "top_empty = {}\n");
    /* and upstream's block rule holds: the compat reader reads it back */
    char *t = sdn_write(root, NULL);
    sdn_error e;
    sdn_value *back = sdn_parse_compat(t, strlen(t), &e);
    cr_assert_not_null(back, "%s", e.msg);
    cr_assert(sdn_equal(root, back));
    free(t);
    sdn_free(back);
    sdn_free(root);
    LEAK_CHECK();
}

Test(write, keys_that_are_not_bare_are_quoted)
{
    sdn_value *d = sdn_new_dict(), *in = sdn_new_dict(), *a = sdn_new_array();
    set(d, "a b", sdn_new_int(1));
    set(d, "true", sdn_new_int(2));
    set(d, "", sdn_new_int(3));
    set(in, "q\"k", sdn_new_int(4));
    push(a, in);
    set(d, "/p", a);
    write_is(d, "\"a b\": 1\n\"true\": 2\n\"\": 3\n\"/p\" = [{\"q\\\"k\": 4}]\n");
    sdn_free(d);
    LEAK_CHECK();
}

Test(write, named_tables)
{
    const char *cols[] = { "id", "file", "blocks", "note" };
    sdn_value *t = sdn_new_table(4, cols, NULL);
    sdn_value *blocks = sdn_new_array();
    push(blocks, sdn_new_int(0));
    push(blocks, sdn_new_int(1));
    sdn_value *row[] = { sdn_new_int(1), sdn_new_cstr("/abs/a%2Cb.spl"), blocks, sdn_new_cstr("") };
    cr_assert_eq(sdn_table_add_row(t, row), 0);
    sdn_value *row2[] = { sdn_new_int(2), sdn_new_cstr("src/b.spl"), sdn_new_dict(), sdn_new_null() };
    cr_assert_eq(sdn_table_add_row(t, row2), 0);
    const char *one[] = { "a b" };
    sdn_value *d = sdn_new_dict();
    set(d, "decisions", t);
    set(d, "empty", sdn_new_table(1, one, NULL));
    set(d, "zero", sdn_new_table(0, NULL, NULL));
    write_is(d, "decisions |id, file, blocks, note|\n"
                "    1, \"/abs/a%2Cb.spl\", [0, 1], \"\"\n"
                "    2, src/b.spl, {}, null\n"
                "empty |\"a b\"|\n"
                "zero ||\n");
    sdn_free(d);
    LEAK_CHECK();
}

Test(write, typed_tables)
{
    const char *types[] = { "f64", "f64" };
    sdn_value *t = sdn_new_table(2, NULL, types);
    sdn_value *r1[] = { sdn_new_float(1.0), sdn_new_float(2.0) };
    sdn_value *r2[] = { sdn_new_float(3.5), sdn_new_float(4.25) };
    cr_assert_eq(sdn_table_add_row(t, r1), 0);
    cr_assert_eq(sdn_table_add_row(t, r2), 0);
    const char *none[] = { NULL };
    sdn_value *d = sdn_new_dict();
    set(d, "coords", t);
    set(d, "nocols", sdn_new_table(0, NULL, none));
    write_is(d, "coords: table{f64, f64}\n"
                "    1.0, 2.0\n"
                "    3.5, 4.25\n"
                "nocols: table{}\n");
    char *text = sdn_write(d, NULL);
    sdn_value *back = parse_ok(text);
    cr_assert(sdn_equal(d, back));
    cr_assert(sdn_table_is_typed(sdn_get(back, "nocols")));
    free(text);
    sdn_free(back);
    sdn_free(d);
    LEAK_CHECK();
}

Test(write, named_table_first_in_nested_block)
{
    /* upstream cannot read this (its block rule needs `key:` first);
     * simplert's reader can. */
    const char *cols[] = { "a" };
    sdn_value *d = sdn_new_dict(), *in = sdn_new_dict(), *t = sdn_new_table(1, cols, NULL);
    sdn_value *r[] = { sdn_new_int(1) };
    cr_assert_eq(sdn_table_add_row(t, r), 0);
    set(in, "t", t);
    set(in, "x", sdn_new_int(2));
    set(d, "in", in);
    write_is(d, "in:\n    t |a|\n        1\n    x: 2\n");
    char *text = sdn_write(d, NULL);
    sdn_value *back = parse_ok(text);
    cr_assert(sdn_equal(d, back));
    cr_assert_null(sdn_parse_compat(text, strlen(text), NULL));
    free(text);
    sdn_free(back);
    sdn_free(d);
    LEAK_CHECK();
}

Test(write, refuses_what_sdn_cannot_hold)
{
    const char *cols[] = { "a" };
    sdn_value *d = sdn_new_dict(), *a = sdn_new_array();
    push(a, sdn_new_table(1, cols, NULL));
    set(d, "a", a);
    errno = 0;
    size_t len = 99;
    cr_assert_null(sdn_write(d, &len));
    cr_assert_eq(errno, EINVAL);
    cr_assert_eq(len, 0);
    sdn_free(d);

    /* a table as a table cell, or inside an inline dict */
    d = sdn_new_dict();
    sdn_value *t = sdn_new_table(1, cols, NULL);
    sdn_value *r[] = { sdn_new_table(1, cols, NULL) };
    cr_assert_eq(sdn_table_add_row(t, r), 0);
    set(d, "t", t);
    errno = 0;
    cr_assert_null(sdn_write(d, NULL));
    cr_assert_eq(errno, EINVAL);
    sdn_free(d);

    /* roots that are not dicts */
    sdn_value *i = sdn_new_int(1);
    errno = 0;
    cr_assert_null(sdn_write(i, NULL));
    cr_assert_eq(errno, EINVAL);
    sdn_free(i);
    errno = 0;
    cr_assert_null(sdn_write(NULL, NULL));
    cr_assert_eq(errno, EINVAL);
    LEAK_CHECK();
}

Test(write, depth_limit_matches_reader)
{
    for (int extra = 0; extra <= 1; extra++) {
        sdn_value *v = sdn_new_array();
        for (int i = 1; i < SDN_MAX_DEPTH + extra; i++) {
            sdn_value *outer = sdn_new_array();
            push(outer, v);
            v = outer;
        }
        sdn_value *d = sdn_new_dict();
        set(d, "deep", v);
        errno = 0;
        char *t = sdn_write(d, NULL);
        if (extra == 0) {
            cr_assert_not_null(t);
            sdn_value *back = parse_ok(t);
            cr_assert(sdn_equal(d, back));
            sdn_free(back);
        } else {
            cr_assert_null(t);
            cr_assert_eq(errno, EINVAL);
        }
        free(t);
        sdn_free(d);
    }
    /* dict blocks count the same way */
    sdn_value *v = sdn_new_dict();
    set(v, "leaf", sdn_new_int(1));
    for (int i = 1; i < SDN_MAX_DEPTH + 1; i++) {
        sdn_value *outer = sdn_new_dict();
        set(outer, "k", v);
        v = outer;
    }
    errno = 0;
    cr_assert_null(sdn_write(v, NULL)); /* leaf sits at depth 129 */
    cr_assert_eq(errno, EINVAL);
    sdn_free(v);
    LEAK_CHECK();
}

static int count_dir_entries(const char *dir)
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

Test(write, write_file_is_atomic_and_keeps_mode)
{
    char dir[] = "/tmp/sdn_write_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/out.sdn", dir);
    sdn_value *d = sdn_new_dict();
    set(d, "a", sdn_new_int(1));
    cr_assert_eq(sdn_write_file(d, path), 0);
    sdn_error e;
    sdn_value *back = sdn_parse_file(path, &e);
    cr_assert_not_null(back, "%s", e.msg);
    cr_assert(sdn_equal(d, back));
    sdn_free(back);
    cr_assert_eq(count_dir_entries(dir), 1); /* no temp file left */

    cr_assert_eq(chmod(path, 0600), 0);
    set(d, "b", sdn_new_cstr("two"));
    cr_assert_eq(sdn_write_file(d, path), 0);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0600);
    back = sdn_parse_file(path, &e);
    cr_assert_str_eq(str_at(back, "b"), "two");
    sdn_free(back);
    cr_assert_eq(count_dir_entries(dir), 1);

    /* failures: errno set, nothing left behind, the old file intact */
    char missing[96];
    snprintf(missing, sizeof missing, "%s/no/such/dir.sdn", dir);
    errno = 0;
    cr_assert_eq(sdn_write_file(d, missing), -1);
    cr_assert_eq(errno, ENOENT);
    sdn_value *bad = sdn_new_int(3);
    errno = 0;
    cr_assert_eq(sdn_write_file(bad, path), -1);
    cr_assert_eq(errno, EINVAL);
    sdn_free(bad);
    cr_assert_eq(count_dir_entries(dir), 1);
    back = sdn_parse_file(path, &e);
    cr_assert(sdn_equal(d, back));
    sdn_free(back);

    unlink(path);
    rmdir(dir);
    sdn_free(d);
    LEAK_CHECK();
}
