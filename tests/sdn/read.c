/*
 * tests/sdn/read.c — the reader: every lexical rule, the grammar, the
 * canonical examples of upstream-abi.md §4.4 and the coverage reports of
 * §3.1/§3.2.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "helpers.h"
#include "leakcheck.h"

/* ---------------------------------------------------------------- documents */

Test(read, empty_document_is_empty_dict)
{
    const char *docs[] = { "", "\n\n", "# only a comment", "  \n\t\n# c\n   # indented comment\n" };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        sdn_value *v = parse_ok(docs[i]);
        cr_assert_eq(sdn_type_of(v), SDN_DICT);
        cr_assert_eq(sdn_len(v), 0);
        sdn_free(v);
    }
    LEAK_CHECK();
}

Test(read, scalars_and_keywords)
{
    sdn_value *v = parse_ok("i: 42\nn: -17\nf: 3.15\nt: true\nfa: false\nnu: null\nni: nil\n"
                            "w: Alice\ns: \"Hello, World!\"\n");
    cr_assert_eq(sdn_get_int(v, "i", 0), 42);
    cr_assert_eq(sdn_get_int(v, "n", 0), -17);
    cr_assert_eq(sdn_type_of(sdn_get(v, "f")), SDN_FLOAT);
    cr_assert_float_eq(sdn_float(sdn_get(v, "f")), 3.15, 1e-15);
    cr_assert(sdn_bool(sdn_get(v, "t")));
    cr_assert_eq(sdn_type_of(sdn_get(v, "fa")), SDN_BOOL);
    cr_assert(!sdn_bool(sdn_get(v, "fa")));
    cr_assert_eq(sdn_type_of(sdn_get(v, "nu")), SDN_NULL);
    cr_assert_not_null(sdn_get(v, "nu"));
    cr_assert_eq(sdn_type_of(sdn_get(v, "ni")), SDN_NULL);
    cr_assert_str_eq(str_at(v, "w"), "Alice");
    cr_assert_str_eq(str_at(v, "s"), "Hello, World!");
    cr_assert_eq(sdn_len(v), 9);
    cr_assert_str_eq(sdn_key_at(v, 0), "i");
    cr_assert_str_eq(sdn_key_at(v, 8), "s");
    sdn_free(v);
    LEAK_CHECK();
}

Test(read, numbers)
{
    sdn_value *v = parse_ok("a: 1_000_000\nb: 0\nc: -0\nd: 007\ne: 1e5\nf: 1E-3\ng: 2.5e+2\n"
                            "h: -1.5\ni: 1_0.2_5\nj: 9223372036854775807\nk: -9223372036854775808\n"
                            "l: 1e-400\nm: -0.0\nn: 4.9406564584124654e-324\no: 12#comment\n");
    cr_assert_eq(sdn_get_int(v, "a", 0), 1000000);
    cr_assert_eq(sdn_get_int(v, "b", 1), 0);
    cr_assert_eq(sdn_get_int(v, "c", 1), 0);
    cr_assert_eq(sdn_get_int(v, "d", 0), 7);
    cr_assert_eq(sdn_type_of(sdn_get(v, "e")), SDN_FLOAT);
    cr_assert_eq(sdn_float(sdn_get(v, "e")), 1e5);
    cr_assert_eq(sdn_float(sdn_get(v, "f")), 1e-3);
    cr_assert_eq(sdn_float(sdn_get(v, "g")), 250.0);
    cr_assert_eq(sdn_float(sdn_get(v, "h")), -1.5);
    cr_assert_eq(sdn_float(sdn_get(v, "i")), 10.25);
    cr_assert_eq(sdn_get_int(v, "j", 0), INT64_MAX);
    cr_assert_eq(sdn_get_int(v, "k", 0), INT64_MIN);
    cr_assert_eq(sdn_float(sdn_get(v, "l")), 0.0); /* underflow is not an error */
    cr_assert(signbit(sdn_float(sdn_get(v, "m"))));
    cr_assert_eq(sdn_float(sdn_get(v, "n")), 4.9406564584124654e-324);
    cr_assert_eq(sdn_get_int(v, "o", 0), 12);
    sdn_free(v);
    LEAK_CHECK();
}

Test(read, string_escapes)
{
    sdn_value *v = parse_ok("a: \"x\\ny\\tz\\r\\\\q\\\"\"\n"
                            "b: \"\\q\\0\\u00e9\"\n"
                            "c: \"line1\nline2\"\n"
                            "d: \"\"\n"
                            "e: \"caf\xC3\xA9 # not a comment, \\\"quoted\\\"\"\n"
                            "f: \"\\\xC3\xA9\"\n");
    size_t len;
    cr_assert_str_eq(sdn_str(sdn_get(v, "a"), &len), "x\ny\tz\r\\q\"");
    cr_assert_eq(len, 9);
    cr_assert_str_eq(str_at(v, "b"), "\\q\\0\\u00e9"); /* other escapes keep both chars */
    cr_assert_str_eq(str_at(v, "c"), "line1\nline2");   /* raw newlines are allowed */
    cr_assert_str_eq(sdn_str(sdn_get(v, "d"), &len), "");
    cr_assert_eq(len, 0);
    cr_assert_str_eq(str_at(v, "e"), "caf\xC3\xA9 # not a comment, \"quoted\"");
    cr_assert_str_eq(str_at(v, "f"), "\\\xC3\xA9");
    sdn_free(v);
    /* lines keep counting inside a multi-line string */
    parse_err("a: \"1\n2\n3\"\nb: @", 4, 4, "'@'");
    LEAK_CHECK();
}

Test(read, bare_words)
{
    sdn_value *v = parse_ok("a: file.md#sec\nb: a-b_c\nc: x/y.z\nd: some #comment\n"
                            "e: h\xC3\xA9llo\nf: _private\ng: \xE6\x97\xA5\xE6\x9C\xAC\n"
                            "h: CamelCase9\n");
    cr_assert_str_eq(str_at(v, "a"), "file.md#sec");
    cr_assert_str_eq(str_at(v, "b"), "a-b_c");
    cr_assert_str_eq(str_at(v, "c"), "x/y.z");
    cr_assert_str_eq(str_at(v, "d"), "some");
    cr_assert_str_eq(str_at(v, "e"), "h\xC3\xA9llo");
    cr_assert_str_eq(str_at(v, "f"), "_private");
    cr_assert_str_eq(str_at(v, "g"), "\xE6\x97\xA5\xE6\x9C\xAC");
    cr_assert_str_eq(str_at(v, "h"), "CamelCase9");
    sdn_free(v);
    LEAK_CHECK();
}

Test(read, bare_word_extensions)
{
    /* Upstream drops a leading '/' or '.' and every '%'; simplert keeps them. */
    sdn_value *v = parse_ok("a: /usr/lib/x.spl\nb: ./rel/p\nc: .hidden\nd: a%2Cspl\ne: ..\n"
                            "/abs/key: 1\n");
    cr_assert_str_eq(str_at(v, "a"), "/usr/lib/x.spl");
    cr_assert_str_eq(str_at(v, "b"), "./rel/p");
    cr_assert_str_eq(str_at(v, "c"), ".hidden");
    cr_assert_str_eq(str_at(v, "d"), "a%2Cspl");
    cr_assert_str_eq(str_at(v, "e"), "..");
    cr_assert_eq(sdn_get_int(v, "/abs/key", 0), 1);
    sdn_free(v);
    /* compat mode (the upstream subset) rejects each of them */
    sdn_error e;
    cr_assert_null(sdn_parse_compat("a: /x\n", 6, &e));
    cr_assert_str_eq(e.msg, "1:4: unexpected character '/' (put text with special characters in double quotes)");
    cr_assert_null(sdn_parse_compat("a: .x\n", 6, &e));
    cr_assert_eq(e.col, 4);
    cr_assert_null(sdn_parse_compat("a: b%c\n", 7, &e));
    cr_assert_eq(e.col, 5);
    LEAK_CHECK();
}

Test(read, comments)
{
    sdn_value *v = parse_ok("# top\n"
                            "a: 1 # trailing\n"
                            "b:\n"
                            "    # comment inside a block, at any indent\n"
                            "  # and a shallower one\n"
                            "    c: 2\n"
                            "\n"
                            "        # deeper comment\n"
                            "    d: 3\n"
                            "e = [1, 2] # after inline\n"
                            "# final comment without newline");
    cr_assert_eq(sdn_get_int(v, "a", 0), 1);
    cr_assert_eq(sdn_get_int(sdn_get(v, "b"), "c", 0), 2);
    cr_assert_eq(sdn_get_int(sdn_get(v, "b"), "d", 0), 3);
    cr_assert_eq(sdn_len(sdn_get(v, "e")), 2);
    cr_assert_eq(sdn_len(v), 3);
    sdn_free(v);
    LEAK_CHECK();
}

Test(read, dict_and_array_blocks)
{
    sdn_value *v = parse_ok("database:\n"
                            "    primary:\n"
                            "        host: db1.example.com\n"
                            "        port: 5432\n"
                            "    replicas:\n"
                            "        r1\n"
                            "        \"r 2\"\n"
                            "        [1, 2]\n"
                            "        {k: v}\n"
                            "        42\n"
                            "    name: main\n"
                            "top: 1\n");
    const sdn_value *db = sdn_get(v, "database");
    cr_assert_eq(sdn_type_of(db), SDN_DICT);
    cr_assert_str_eq(sdn_key_at(db, 0), "primary");
    cr_assert_str_eq(str_at(sdn_get(db, "primary"), "host"), "db1.example.com");
    cr_assert_eq(sdn_get_int(sdn_get(db, "primary"), "port", 0), 5432);
    const sdn_value *r = sdn_get(db, "replicas");
    cr_assert_eq(sdn_type_of(r), SDN_ARRAY);
    cr_assert_eq(sdn_len(r), 5);
    cr_assert_str_eq(sdn_str(sdn_at(r, 0), NULL), "r1");
    cr_assert_str_eq(sdn_str(sdn_at(r, 1), NULL), "r 2");
    cr_assert_eq(sdn_len(sdn_at(r, 2)), 2);
    cr_assert_str_eq(str_at(sdn_at(r, 3), "k"), "v");
    cr_assert_eq(sdn_int(sdn_at(r, 4)), 42);
    cr_assert_str_eq(str_at(db, "name"), "main");
    cr_assert_eq(sdn_get_int(v, "top", 0), 1);
    sdn_free(v);
    LEAK_CHECK();
}

Test(read, dedent_several_levels_and_tabs)
{
    sdn_value *v = parse_ok("a:\n    b:\n        c:\n            d: 1\ne: 2\n"
                            "f:\n\tg: 3\n\th:\n\t\ti: 4\n    j: 5\n");
    cr_assert_eq(sdn_get_int(sdn_get(sdn_get(sdn_get(v, "a"), "b"), "c"), "d", 0), 1);
    cr_assert_eq(sdn_get_int(v, "e", 0), 2);
    const sdn_value *f = sdn_get(v, "f");
    cr_assert_eq(sdn_get_int(f, "g", 0), 3);
    cr_assert_eq(sdn_get_int(sdn_get(f, "h"), "i", 0), 4);
    cr_assert_eq(sdn_get_int(f, "j", 0), 5); /* a tab counts as 4 spaces */
    sdn_free(v);
    LEAK_CHECK();
}

Test(read, empty_value_is_null)
{
    sdn_value *v = parse_ok("a:\nb: 1\nc:\n    d:\ne:");
    cr_assert_eq(sdn_type_of(sdn_get(v, "a")), SDN_NULL);
    cr_assert_not_null(sdn_get(v, "a"));
    cr_assert_eq(sdn_type_of(sdn_get(sdn_get(v, "c"), "d")), SDN_NULL);
    cr_assert_not_null(sdn_get(v, "e"));
    cr_assert_eq(sdn_type_of(sdn_get(v, "e")), SDN_NULL);
    sdn_free(v);
    LEAK_CHECK();
}

Test(read, bare_word_line_in_dict_block)
{
    sdn_value *v = parse_ok("opts:\n    a: 1\n    verbose\n    b: 2\n");
    const sdn_value *o = sdn_get(v, "opts");
    cr_assert_eq(sdn_len(o), 3);
    cr_assert_str_eq(str_at(o, "verbose"), "verbose");
    cr_assert_str_eq(sdn_key_at(o, 1), "verbose");
    sdn_free(v);
    LEAK_CHECK();
}

Test(read, inline_collections)
{
    sdn_value *v = parse_ok("a = [1, two, \"t h\", 4.5, true, null, [], {}, [[1], {x: [2]}],]\n"
                            "b = {x: 10, y: -20, \"q k\": {n: []}, z: [a, b],}\n"
                            "c = {}\nd = []\ne: [1, 2]\nf: {k: v}\ng = 5\nh = word\n");
    const sdn_value *a = sdn_get(v, "a");
    cr_assert_eq(sdn_len(a), 9);
    cr_assert_eq(sdn_int(sdn_at(a, 0)), 1);
    cr_assert_str_eq(sdn_str(sdn_at(a, 1), NULL), "two");
    cr_assert_eq(sdn_type_of(sdn_at(a, 6)), SDN_ARRAY);
    cr_assert_eq(sdn_type_of(sdn_at(a, 7)), SDN_DICT);
    cr_assert_eq(sdn_int(sdn_at(sdn_get(sdn_at(sdn_at(a, 8), 1), "x"), 0)), 2);
    const sdn_value *b = sdn_get(v, "b");
    cr_assert_eq(sdn_get_int(b, "y", 0), -20);
    cr_assert_eq(sdn_type_of(sdn_get(sdn_get(b, "q k"), "n")), SDN_ARRAY);
    cr_assert_eq(sdn_len(sdn_get(b, "z")), 2);
    cr_assert_eq(sdn_type_of(sdn_get(v, "c")), SDN_DICT);
    cr_assert_eq(sdn_type_of(sdn_get(v, "d")), SDN_ARRAY);
    cr_assert_eq(sdn_len(sdn_get(v, "e")), 2);
    cr_assert_str_eq(str_at(sdn_get(v, "f"), "k"), "v");
    cr_assert_eq(sdn_get_int(v, "g", 0), 5);
    cr_assert_str_eq(str_at(v, "h"), "word");
    sdn_free(v);
    LEAK_CHECK();
}

Test(read, quoted_keys)
{
    sdn_value *v = parse_ok("\"a b\": 1\n\"true\": 2\n\"\": 3\n\"x\":\n    \"y z\": 4\n"
                            "\"t t\" |\"c 1\", c2|\n    5, 6\n");
    cr_assert_eq(sdn_get_int(v, "a b", 0), 1);
    cr_assert_eq(sdn_get_int(v, "true", 0), 2);
    cr_assert_eq(sdn_get_int(v, "", 0), 3);
    cr_assert_eq(sdn_get_int(sdn_get(v, "x"), "y z", 0), 4);
    const sdn_value *t = sdn_get(v, "t t");
    cr_assert_str_eq(sdn_table_col(t, 0), "c 1");
    cr_assert_eq(sdn_table_col_index(t, "c2"), 1);
    sdn_free(v);
    sdn_error e;
    cr_assert_null(sdn_parse_compat("\"a b\": 1\n", 9, &e));
    cr_assert_str_eq(e.msg, "1:1: expected a key, found string \"a b\"");
    LEAK_CHECK();
}

Test(read, duplicate_keys_first_position_last_value)
{
    sdn_value *v = parse_ok("a: 1\nb: 2\na: 3\nc:\n    x: 1\n    y: 2\n    x: 9\nd = {p: 1, q: 2, p: 3}\n"
                            "b:\n    z: 0\n");
    cr_assert_eq(sdn_len(v), 4);
    cr_assert_str_eq(sdn_key_at(v, 0), "a");
    cr_assert_eq(sdn_int(sdn_value_at(v, 0)), 3);
    cr_assert_str_eq(sdn_key_at(v, 1), "b");
    cr_assert_eq(sdn_type_of(sdn_value_at(v, 1)), SDN_DICT); /* last value, any type */
    const sdn_value *c = sdn_get(v, "c");
    cr_assert_eq(sdn_len(c), 2);
    cr_assert_str_eq(sdn_key_at(c, 0), "x");
    cr_assert_eq(sdn_int(sdn_value_at(c, 0)), 9);
    const sdn_value *d = sdn_get(v, "d");
    cr_assert_eq(sdn_len(d), 2);
    cr_assert_str_eq(sdn_key_at(d, 0), "p");
    cr_assert_eq(sdn_int(sdn_value_at(d, 0)), 3);
    sdn_free(v);
    LEAK_CHECK();
}

Test(read, duplicate_keys_in_a_big_dict)
{
    /* past the size where the hash index takes over */
    char text[4096];
    size_t n = 0;
    for (int i = 0; i < 100; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "k%d: %d\n", i, i);
    n += (size_t)snprintf(text + n, sizeof text - n, "k7: 700\nk99: 9900\n");
    sdn_value *v = parse_ok(text);
    cr_assert_eq(sdn_len(v), 100);
    cr_assert_eq(sdn_get_int(v, "k7", 0), 700);
    cr_assert_str_eq(sdn_key_at(v, 7), "k7");
    cr_assert_eq(sdn_int(sdn_value_at(v, 99)), 9900);
    cr_assert_eq(sdn_get_int(v, "k50", 0), 50);
    sdn_free(v);
    LEAK_CHECK();
}

Test(read, named_tables)
{
    sdn_value *v = parse_ok("users |id, name|\n    1, Alice\n    2, \"Bob, Jr\"\n"
                            "one |a, b| 7, x\n"
                            "none |a|\n"
                            "zero ||\n"
                            "data |a, b, c|\n    1, , 3\n    ,,,\n    , x,,\n    [1, 2], {k: v, w: [3, 4]}, \"\"\n");
    const sdn_value *u = sdn_get(v, "users");
    cr_assert_eq(sdn_type_of(u), SDN_TABLE);
    cr_assert(!sdn_table_is_typed(u));
    cr_assert_eq(sdn_table_ncols(u), 2);
    cr_assert_str_eq(sdn_table_col(u, 1), "name");
    cr_assert_null(sdn_table_coltype(u, 0));
    cr_assert_eq(sdn_len(u), 2);
    cr_assert_eq(sdn_int(sdn_table_cell(u, 0, 0)), 1);
    cr_assert_str_eq(sdn_str(sdn_table_cell(u, 1, 1), NULL), "Bob, Jr");
    const sdn_value *one = sdn_get(v, "one");
    cr_assert_eq(sdn_len(one), 1);
    cr_assert_str_eq(sdn_str(sdn_table_cell(one, 0, 1), NULL), "x");
    cr_assert_eq(sdn_len(sdn_get(v, "none")), 0);
    cr_assert_eq(sdn_table_ncols(sdn_get(v, "zero")), 0);
    const sdn_value *d = sdn_get(v, "data");
    cr_assert_eq(sdn_len(d), 4);
    cr_assert_eq(sdn_int(sdn_table_cell(d, 0, 0)), 1);
    cr_assert_str_eq(sdn_str(sdn_table_cell(d, 0, 1), NULL), ""); /* `, ,` is an empty cell */
    cr_assert_eq(sdn_int(sdn_table_cell(d, 0, 2)), 3);
    /* `,,,` is three empty cells: a comma where a cell should start is "" */
    for (size_t c = 0; c < 3; c++)
        cr_assert_str_eq(sdn_str(sdn_table_cell(d, 1, c), NULL), "");
    cr_assert_str_eq(sdn_str(sdn_table_cell(d, 2, 0), NULL), "");
    cr_assert_str_eq(sdn_str(sdn_table_cell(d, 2, 1), NULL), "x");
    cr_assert_str_eq(sdn_str(sdn_table_cell(d, 2, 2), NULL), "");
    /* commas inside brackets belong to the inline value */
    cr_assert_eq(sdn_len(sdn_table_cell(d, 3, 0)), 2);
    cr_assert_eq(sdn_len(sdn_get(sdn_table_cell(d, 3, 1), "w")), 2);
    sdn_free(v);
    LEAK_CHECK();
}

Test(read, row_trailing_comma_rules)
{
    /* `a,` is one cell; `a,,` is two (the second ""); `,a` is two. */
    sdn_value *v = parse_ok("t1 |x| 5,\nt2 |x, y| 5,,\nt3 |x, y| ,5\n");
    cr_assert_eq(sdn_int(sdn_table_cell(sdn_get(v, "t1"), 0, 0)), 5);
    cr_assert_str_eq(sdn_str(sdn_table_cell(sdn_get(v, "t2"), 0, 1), NULL), "");
    cr_assert_str_eq(sdn_str(sdn_table_cell(sdn_get(v, "t3"), 0, 0), NULL), "");
    sdn_free(v);
    LEAK_CHECK();
}

Test(read, typed_tables)
{
    sdn_value *v = parse_ok("coords: table{f64, f64} = [(1.0, 2.0), (3.5, 4.25),]\n"
                            "pts: table{i32, str}\n    10, a\n    20, \"b c\"\n"
                            "empty: table{i32}\n"
                            "e2: table{i32} = []\n"
                            "nocol: table{}\n"
                            "tr: table{a, b,} = [(1, 2,)]\n");
    const sdn_value *c = sdn_get(v, "coords");
    cr_assert(sdn_table_is_typed(c));
    cr_assert_eq(sdn_table_ncols(c), 2);
    cr_assert_str_eq(sdn_table_coltype(c, 0), "f64");
    cr_assert_null(sdn_table_col(c, 0));
    cr_assert_eq(sdn_table_col_index(c, "f64"), -1);
    cr_assert_eq(sdn_len(c), 2);
    cr_assert_eq(sdn_float(sdn_table_cell(c, 1, 1)), 4.25);
    const sdn_value *p = sdn_get(v, "pts");
    cr_assert_eq(sdn_len(p), 2);
    cr_assert_str_eq(sdn_str(sdn_table_cell(p, 1, 1), NULL), "b c");
    cr_assert_eq(sdn_len(sdn_get(v, "empty")), 0);
    cr_assert(sdn_table_is_typed(sdn_get(v, "empty")));
    cr_assert_eq(sdn_len(sdn_get(v, "e2")), 0);
    cr_assert(sdn_table_is_typed(sdn_get(v, "nocol")));
    cr_assert_eq(sdn_table_ncols(sdn_get(v, "nocol")), 0);
    cr_assert_eq(sdn_int(sdn_table_cell(sdn_get(v, "tr"), 0, 1)), 2);
    sdn_free(v);
    LEAK_CHECK();
}

Test(read, tables_inside_dict_blocks)
{
    sdn_value *v = parse_ok("outer:\n    t |a| 1\n    u |a, b|\n        1, 2\n    v: table{x}\n        9\n"
                            "    w: 1\n");
    const sdn_value *o = sdn_get(v, "outer");
    cr_assert_eq(sdn_type_of(o), SDN_DICT); /* first line `t |..|` opens a dict block */
    cr_assert_eq(sdn_len(o), 4);
    cr_assert_eq(sdn_int(sdn_table_cell(sdn_get(o, "u"), 0, 1)), 2);
    cr_assert_eq(sdn_int(sdn_table_cell(sdn_get(o, "v"), 0, 0)), 9);
    sdn_free(v);
    v = parse_ok("outer:\n    a = [1]\n    b: 2\n");
    cr_assert_eq(sdn_type_of(sdn_get(v, "outer")), SDN_DICT);
    sdn_free(v);
    /* upstream reads such a block as a list and fails; compat mode agrees */
    sdn_error e;
    const char *t = "outer:\n    a = [1]\n";
    cr_assert_null(sdn_parse_compat(t, strlen(t), &e));
    cr_assert_str_eq(e.msg, "2:7: expected end of line after a list element, found '='");
    LEAK_CHECK();
}

Test(read, crlf_and_bom)
{
    sdn_value *v = parse_ok("\xEF\xBB\xBF"
                            "a: 1\r\nb:\r\n    c: \"x\r\ny\"\r\n\r\n# c\r\nd: 2\r\n");
    cr_assert_str_eq(sdn_key_at(v, 0), "a");
    cr_assert_str_eq(str_at(sdn_get(v, "b"), "c"), "x\r\ny"); /* raw bytes inside quotes */
    cr_assert_eq(sdn_get_int(v, "d", 0), 2);
    sdn_free(v);
    LEAK_CHECK();
}

Test(read, explicit_length_is_respected)
{
    const char text[] = "a: 1\nb: 2\n@@@";
    sdn_error e;
    sdn_value *v = sdn_parse(text, 10, &e);
    cr_assert_not_null(v, "%s", e.msg);
    cr_assert_eq(sdn_len(v), 2);
    sdn_free(v);
    v = sdn_parse("a: 12345", 5, &e); /* "a: 12" */
    cr_assert_eq(sdn_get_int(v, "a", 0), 12);
    sdn_free(v);
    LEAK_CHECK();
}

/* ---------------------------------------------------- upstream-abi.md §4.4 */

Test(read, canonical_config)
{
    sdn_value *v = parse_ok("# config\n"
                            "app:\n"
                            "    name: MyService\n"
                            "    port: 8080\n"
                            "    ratio: 0.75\n"
                            "    debug: false\n"
                            "features = [auth, logging, \"rate limit\"]\n"
                            "point = {x: 10, y: -20}\n");
    const sdn_value *app = sdn_get(v, "app");
    cr_assert_str_eq(str_at(app, "name"), "MyService");
    cr_assert_eq(sdn_get_int(app, "port", 0), 8080);
    cr_assert_eq(sdn_float(sdn_get(app, "ratio")), 0.75);
    cr_assert_eq(sdn_type_of(sdn_get(app, "debug")), SDN_BOOL);
    const sdn_value *f = sdn_get(v, "features");
    cr_assert_eq(sdn_len(f), 3);
    cr_assert_str_eq(sdn_str(sdn_at(f, 2), NULL), "rate limit");
    cr_assert_eq(sdn_get_int(sdn_get(v, "point"), "y", 0), -20);
    sdn_free(v);
    LEAK_CHECK();
}

Test(read, canonical_users_table)
{
    /* As printed in the spec: the '@' of the e-mail addresses is not a word
     * character (upstream skips it and then fails the row length). */
    parse_err("users |id, name, email, active|\n"
              "    1, \"Alice Chen\", alice@example.com, true\n"
              "    2, Bob, bob@example.com, false\n"
              "coords: table{f64, f64} = [(1.0, 2.0), (3.5, 4.25)]\n",
              2, 27, "unexpected character '@'");
    /* The spec's unquoted `Alice Chen` is two words: a row error, as upstream. */
    parse_err("users |id, name|\n    1, Alice Chen\n", 2, 14,
              "expected ',' or end of line after a cell of table \"users\", found 'Chen'");
    /* Quoted, it parses. */
    sdn_value *v = parse_ok("users |id, name, email, active|\n"
                            "    1, \"Alice Chen\", \"alice@example.com\", true\n"
                            "    2, Bob, \"bob@example.com\", false\n"
                            "coords: table{f64, f64} = [(1.0, 2.0), (3.5, 4.25)]\n");
    const sdn_value *u = sdn_get(v, "users");
    cr_assert_eq(sdn_len(u), 2);
    cr_assert_str_eq(sdn_str(sdn_table_cell(u, 0, 1), NULL), "Alice Chen");
    cr_assert_str_eq(sdn_str(sdn_table_cell(u, 1, 2), NULL), "bob@example.com");
    cr_assert(!sdn_bool(sdn_table_cell(u, 1, 3)));
    cr_assert_eq(sdn_len(sdn_get(v, "coords")), 2);
    sdn_free(v);
    LEAK_CHECK();
}

Test(read, canonical_coverage)
{
    sdn_value *v = parse_ok("# Coverage Report\n"
                            "version: 1.0\n"
                            "\n"
                            "decisions |id, file, line, column, true_count, false_count|\n"
                            "    1, src/a.spl, 10, 5, 2, 1\n"
                            "\n"
                            "summary:\n"
                            "    total_decisions: 1\n"
                            "    covered_decisions: 1\n"
                            "    decision_percent: 100.0\n");
    cr_assert_eq(sdn_float(sdn_get(v, "version")), 1.0);
    const sdn_value *d = sdn_get(v, "decisions");
    cr_assert_eq(sdn_table_col_index(d, "file"), 1);
    cr_assert_str_eq(sdn_str(sdn_table_cell(d, 0, 1), NULL), "src/a.spl");
    cr_assert_eq(sdn_float(sdn_get(sdn_get(v, "summary"), "decision_percent")), 100.0);
    sdn_free(v);
    LEAK_CHECK();
}

/* ------------------------------------------- upstream-abi.md §3.1 and §3.2 */

static const char rust_report[] =
    "# Coverage Report\n"
    "version: 1.0\n"
    "\n"
    "decisions |id, file, line, column, true_count, false_count|\n"
    "    1, src/math.spl, 10, 5, 42, 17\n"
    "\n"
    "conditions |decision_id, condition_id, file, line, column, true_count, false_count|\n"
    "    1, 1, src/math.spl, 10, 5, 42, 17\n"
    "\n"
    "paths |path_id, blocks, hit_count|\n"
    "    1, [0 1 2], 100\n"
    "\n"
    "summary:\n"
    "    total_decisions: 1\n"
    "    covered_decisions: 1\n"
    "    total_conditions: 1\n"
    "    covered_conditions: 1\n"
    "    total_paths: 1\n"
    "    covered_paths: 1\n"
    "    decision_percent: 100.0\n"
    "    condition_percent: 100.0\n"
    "    path_percent: 100.0\n"
    "\n"
    "perf_trace |file, line, decision_id, timestamp_ns, delta_ns|\n"
    "    src/math.spl, 10, 1, 123456, 0\n";

Test(read, rust_coverage_report_space_separated_path_is_an_error)
{
    parse_err(rust_report, 11, 11, "expected ',' or ']' in the [...] list, found number 1");
    LEAK_CHECK();
}

Test(read, rust_coverage_report_with_commas_parses)
{
    char text[sizeof rust_report];
    memcpy(text, rust_report, sizeof text);
    char *p = strstr(text, "[0 1 2]");
    cr_assert_not_null(p);
    memcpy(p, "[0,1,2]", 7);
    sdn_value *v = parse_ok(text);
    cr_assert_eq(sdn_len(v), 6);
    const sdn_value *paths = sdn_get(v, "paths");
    const sdn_value *blocks = sdn_table_cell(paths, 0, 1);
    cr_assert_eq(sdn_type_of(blocks), SDN_ARRAY);
    cr_assert_eq(sdn_len(blocks), 3);
    cr_assert_eq(sdn_int(sdn_at(blocks, 2)), 2);
    cr_assert_eq(sdn_int(sdn_table_cell(paths, 0, 2)), 100);
    const sdn_value *c = sdn_get(v, "conditions");
    cr_assert_eq(sdn_table_ncols(c), 7);
    cr_assert_eq(sdn_int(sdn_table_cell(c, 0, 6)), 17);
    const sdn_value *s = sdn_get(v, "summary");
    cr_assert_eq(sdn_len(s), 9);
    cr_assert_eq(sdn_get_int(s, "covered_paths", 0), 1);
    cr_assert_eq(sdn_float(sdn_get(s, "path_percent")), 100.0);
    const sdn_value *pt = sdn_get(v, "perf_trace");
    cr_assert_eq(sdn_int(sdn_table_cell(pt, 0, 3)), 123456);
    sdn_free(v);
    LEAK_CHECK();
}

Test(read, c_coverage_report)
{
    sdn_value *v = parse_ok("# Coverage Report\n"
                            "version: 1.0\n"
                            "coverage_extension: decision-condition-v1\n"
                            "\n"
                            "decisions |id, file, line, column, true_count, false_count|\n"
                            "    2, a%252Cspl, 1, 2, 1, 0\n"
                            "    2, a%2Cspl, 1, 2, 0, 1\n"
                            "    9, z.spl, 3, 4, 1, 1\n"
                            "\n"
                            "conditions |decision_id, condition_id, file, line, column, true_count, false_count|\n"
                            "    9, 7, z.spl, 3, 5, 1, 1\n");
    cr_assert_str_eq(str_at(v, "coverage_extension"), "decision-condition-v1");
    const sdn_value *d = sdn_get(v, "decisions");
    cr_assert_eq(sdn_len(d), 3);
    cr_assert_str_eq(sdn_str(sdn_table_cell(d, 0, 1), NULL), "a%252Cspl");
    cr_assert_str_eq(sdn_str(sdn_table_cell(d, 1, 1), NULL), "a%2Cspl");
    cr_assert_eq(sdn_int(sdn_table_cell(d, 2, 0)), 9);
    cr_assert_eq(sdn_int(sdn_table_cell(sdn_get(v, "conditions"), 0, 1)), 7);
    sdn_free(v);
    LEAK_CHECK();
}

Test(read, coverage_report_with_empty_tables_and_absolute_paths)
{
    sdn_value *v = parse_ok("version: 1.0\n"
                            "coverage_extension: decision-condition-v1\n"
                            "\n"
                            "decisions |id, file, line, column, true_count, false_count|\n"
                            "    1, /home/u/src/x%25y.spl, 1, 1, 0, 0\n"
                            "\n"
                            "conditions |decision_id, condition_id, file, line, column, true_count, false_count|\n");
    cr_assert_str_eq(sdn_str(sdn_table_cell(sdn_get(v, "decisions"), 0, 1), NULL),
                     "/home/u/src/x%25y.spl");
    cr_assert_eq(sdn_len(sdn_get(v, "conditions")), 0);
    sdn_free(v);
    LEAK_CHECK();
}

/* -------------------------------------------------------------------- files */

Test(read, parse_file)
{
    char path[] = "/tmp/sdn_read_XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    const char text[] = "a: 1\nb:\n    c: [x, y]\n";
    cr_assert_eq(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
    close(fd);
    sdn_error e;
    sdn_value *v = sdn_parse_file(path, &e);
    unlink(path);
    cr_assert_not_null(v, "%s", e.msg);
    cr_assert_eq(sdn_len(sdn_get(sdn_get(v, "b"), "c")), 2);
    sdn_free(v);
    LEAK_CHECK();
}

Test(read, parse_file_errors)
{
    sdn_error e;
    cr_assert_null(sdn_parse_file("/nonexistent/dir/x.sdn", &e));
    cr_assert_eq(e.line, 0);
    cr_assert_eq(e.col, 0);
    cr_assert_str_eq(e.msg, strerror(ENOENT));
    cr_assert_null(sdn_parse_file("/tmp", &e));
    cr_assert_eq(e.line, 0);
    cr_assert_str_eq(e.msg, strerror(EISDIR));
    /* a syntax error in a file carries its line:col */
    char path[] = "/tmp/sdn_read_XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, "a: 1\nb: ?\n", 10), 10);
    close(fd);
    cr_assert_null(sdn_parse_file(path, &e));
    unlink(path);
    cr_assert_eq(e.line, 2);
    cr_assert_eq(e.col, 4);
    LEAK_CHECK();
}
