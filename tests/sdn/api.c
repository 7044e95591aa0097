/*
 * tests/sdn/api.c — builders, accessors, equality, and NULL tolerance of
 * every public function.
 */
#include <errno.h>
#include <math.h>

#include "helpers.h"
#include "leakcheck.h"

Test(api, null_arguments_get_neutral_answers)
{
    sdn_error e;
    cr_assert_null(sdn_parse(NULL, 0, NULL));
    cr_assert_null(sdn_parse(NULL, 3, &e));
    cr_assert_null(sdn_parse_compat(NULL, 0, NULL));
    cr_assert_null(sdn_parse_file(NULL, NULL));
    cr_assert_null(sdn_parse_file(NULL, &e));
    cr_assert_eq(e.line, 0);
    cr_assert_str_eq(e.msg, strerror(EINVAL));
    sdn_free(NULL);
    cr_assert_eq(sdn_type_of(NULL), SDN_NULL);
    cr_assert(!sdn_bool(NULL));
    cr_assert_eq(sdn_int(NULL), 0);
    cr_assert_eq(sdn_float(NULL), 0.0);
    size_t len = 7;
    cr_assert_null(sdn_str(NULL, &len));
    cr_assert_eq(len, 0);
    cr_assert_null(sdn_str(NULL, NULL));
    cr_assert_eq(sdn_len(NULL), 0);
    cr_assert_null(sdn_at(NULL, 0));
    cr_assert_null(sdn_key_at(NULL, 0));
    cr_assert_null(sdn_value_at(NULL, 0));
    cr_assert_null(sdn_get(NULL, "k"));
    cr_assert_str_eq(sdn_get_str(NULL, "k", "dflt"), "dflt");
    cr_assert_null(sdn_get_str(NULL, NULL, NULL));
    cr_assert_eq(sdn_get_int(NULL, "k", -5), -5);
    cr_assert_eq(sdn_table_ncols(NULL), 0);
    cr_assert(!sdn_table_is_typed(NULL));
    cr_assert_null(sdn_table_col(NULL, 0));
    cr_assert_null(sdn_table_coltype(NULL, 0));
    cr_assert_eq(sdn_table_col_index(NULL, "a"), -1);
    cr_assert_null(sdn_table_cell(NULL, 0, 0));
    cr_assert_null(sdn_new_str(NULL, 1));
    cr_assert_null(sdn_new_cstr(NULL));
    cr_assert_null(sdn_new_table(1, NULL, NULL));
    cr_assert_eq(sdn_array_push(NULL, NULL), -1);
    cr_assert_eq(sdn_array_push(NULL, sdn_new_int(1)), -1); /* item freed: LEAK_CHECK */
    cr_assert_eq(sdn_dict_set(NULL, "k", sdn_new_int(1)), -1);
    cr_assert_eq(sdn_dict_set(NULL, NULL, NULL), -1);
    cr_assert_eq(sdn_table_add_row(NULL, NULL), -1);
    cr_assert(sdn_equal(NULL, NULL));
    errno = 0;
    cr_assert_null(sdn_write(NULL, &len));
    cr_assert_eq(errno, EINVAL);
    errno = 0;
    cr_assert_eq(sdn_write_file(NULL, "/tmp/x"), -1);
    cr_assert_eq(errno, EINVAL);

    /* a real container with NULL or wrong-typed partners */
    sdn_value *d = sdn_new_dict(), *a = sdn_new_array(), *i = sdn_new_int(4);
    cr_assert_eq(sdn_dict_set(d, NULL, sdn_new_int(1)), -1);
    cr_assert_eq(sdn_dict_set(d, "k", NULL), -1);
    cr_assert_eq(sdn_array_push(a, NULL), -1);
    cr_assert_eq(sdn_array_push(d, sdn_new_int(1)), -1);   /* not an array */
    cr_assert_eq(sdn_dict_set(a, "k", sdn_new_int(1)), -1); /* not a dict */
    cr_assert_eq(sdn_table_add_row(d, NULL), -1);
    cr_assert_null(sdn_get(d, NULL));
    cr_assert_null(sdn_get(a, "k"));
    cr_assert_null(sdn_at(d, 0));
    cr_assert_null(sdn_key_at(a, 0));
    cr_assert_null(sdn_value_at(i, 0));
    cr_assert_eq(sdn_len(i), 0);
    cr_assert_eq(sdn_table_ncols(d), 0);
    cr_assert_null(sdn_table_cell(a, 0, 0));
    cr_assert(!sdn_equal(d, NULL));
    cr_assert(!sdn_equal(NULL, d));
    cr_assert_eq(sdn_write_file(d, NULL), -1);
    cr_assert_eq(sdn_len(d), 0);
    cr_assert_eq(sdn_len(a), 0);
    sdn_free(d);
    sdn_free(a);
    sdn_free(i);
    LEAK_CHECK();
}

Test(api, scalars)
{
    sdn_value *n = sdn_new_null(), *b = sdn_new_bool(true), *i = sdn_new_int(-3),
              *f = sdn_new_float(2.5), *s = sdn_new_cstr("hi");
    cr_assert_eq(sdn_type_of(n), SDN_NULL);
    cr_assert_eq(sdn_type_of(b), SDN_BOOL);
    cr_assert(sdn_bool(b));
    cr_assert(!sdn_bool(i));
    cr_assert_eq(sdn_int(i), -3);
    cr_assert_eq(sdn_int(f), 0);        /* no silent float->int */
    cr_assert_eq(sdn_float(f), 2.5);
    cr_assert_eq(sdn_float(i), -3.0);   /* int->float is accepted */
    cr_assert_eq(sdn_float(s), 0.0);
    size_t len = 0;
    cr_assert_str_eq(sdn_str(s, &len), "hi");
    cr_assert_eq(len, 2);
    cr_assert_null(sdn_str(i, &len));
    cr_assert_eq(len, 0);
    sdn_free(n);
    sdn_free(b);
    sdn_free(i);
    sdn_free(f);
    sdn_free(s);
    LEAK_CHECK();
}

Test(api, strings_have_explicit_length)
{
    sdn_value *s = sdn_new_str("abcdef", 3);
    size_t len;
    cr_assert_str_eq(sdn_str(s, &len), "abc");
    cr_assert_eq(len, 3);
    sdn_free(s);
    s = sdn_new_str(NULL, 0);
    cr_assert_str_eq(sdn_str(s, &len), "");
    sdn_free(s);
    cr_assert_null(sdn_new_str("a\0b", 3)); /* NUL is the one byte a string cannot hold */
    s = sdn_new_str("\xff\x01\n", 3);
    cr_assert_eq(sdn_str(s, &len)[0], '\xff');
    sdn_free(s);
    LEAK_CHECK();
}

Test(api, arrays)
{
    sdn_value *a = sdn_new_array();
    for (int i = 0; i < 1000; i++)
        cr_assert_eq(sdn_array_push(a, sdn_new_int(i)), 0);
    cr_assert_eq(sdn_len(a), 1000);
    cr_assert_eq(sdn_int(sdn_at(a, 999)), 999);
    cr_assert_null(sdn_at(a, 1000));
    cr_assert_eq(sdn_array_push(a, a), -1); /* refused and NOT freed */
    cr_assert_eq(sdn_len(a), 1000);
    sdn_free(a);
    LEAK_CHECK();
}

Test(api, dicts_keep_order_and_replace_in_place)
{
    sdn_value *d = sdn_new_dict();
    char key[16];
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "k%d", i);
        cr_assert_eq(sdn_dict_set(d, key, sdn_new_int(i)), 0);
    }
    cr_assert_eq(sdn_dict_set(d, "k3", sdn_new_cstr("three")), 0);
    cr_assert_eq(sdn_dict_set(d, "k4999", sdn_new_null()), 0);
    cr_assert_eq(sdn_len(d), 5000);
    cr_assert_str_eq(sdn_key_at(d, 3), "k3");
    cr_assert_str_eq(sdn_get_str(d, "k3", NULL), "three");
    cr_assert_str_eq(sdn_get_str(d, "k4", "dflt"), "dflt"); /* an Int is not a string */
    cr_assert_eq(sdn_get_int(d, "k3", -1), -1);
    cr_assert_eq(sdn_get_int(d, "k1234", -1), 1234);
    cr_assert_eq(sdn_type_of(sdn_value_at(d, 4999)), SDN_NULL);
    cr_assert_null(sdn_get(d, "k5000"));
    cr_assert_null(sdn_key_at(d, 5000));
    cr_assert_null(sdn_value_at(d, 5000));
    for (int i = 0; i < 5000; i += 97) {
        snprintf(key, sizeof key, "k%d", i);
        cr_assert_str_eq(sdn_key_at(d, (size_t)i), key);
        cr_assert_not_null(sdn_get(d, key));
    }
    cr_assert_eq(sdn_dict_set(d, "self", d), -1); /* refused and NOT freed */
    /* small dicts (no hash index) behave the same */
    sdn_value *s = sdn_new_dict();
    cr_assert_eq(sdn_dict_set(s, "a", sdn_new_int(1)), 0);
    cr_assert_eq(sdn_dict_set(s, "b", sdn_new_int(2)), 0);
    cr_assert_eq(sdn_dict_set(s, "a", sdn_new_int(3)), 0);
    cr_assert_str_eq(sdn_key_at(s, 0), "a");
    cr_assert_eq(sdn_get_int(s, "a", 0), 3);
    cr_assert_eq(sdn_get_int(s, "", 7), 7);
    cr_assert_eq(sdn_dict_set(s, "", sdn_new_int(8)), 0);
    cr_assert_eq(sdn_get_int(s, "", 7), 8);
    sdn_free(s);
    sdn_free(d);
    LEAK_CHECK();
}

Test(api, tables)
{
    const char *cols[] = { "id", "name", "id" };
    sdn_value *t = sdn_new_table(3, cols, NULL);
    cr_assert_not_null(t);
    cr_assert(!sdn_table_is_typed(t));
    cr_assert_eq(sdn_table_ncols(t), 3);
    cr_assert_str_eq(sdn_table_col(t, 1), "name");
    cr_assert_null(sdn_table_col(t, 3));
    cr_assert_null(sdn_table_coltype(t, 0));
    cr_assert_eq(sdn_table_col_index(t, "id"), 0); /* the first of duplicates */
    cr_assert_eq(sdn_table_col_index(t, "name"), 1);
    cr_assert_eq(sdn_table_col_index(t, "nope"), -1);
    cr_assert_eq(sdn_table_col_index(t, NULL), -1);
    for (int r = 0; r < 100; r++) {
        sdn_value *row[] = { sdn_new_int(r), sdn_new_cstr("n"), sdn_new_null() };
        cr_assert_eq(sdn_table_add_row(t, row), 0);
    }
    cr_assert_eq(sdn_len(t), 100);
    cr_assert_eq(sdn_int(sdn_table_cell(t, 99, 0)), 99);
    cr_assert_null(sdn_table_cell(t, 100, 0));
    cr_assert_null(sdn_table_cell(t, 0, 3));
    /* a row with a NULL cell is refused and its other cells freed */
    sdn_value *bad[] = { sdn_new_int(1), NULL, sdn_new_int(3) };
    cr_assert_eq(sdn_table_add_row(t, bad), -1);
    cr_assert_eq(sdn_len(t), 100);
    /* a cell that is the table itself is refused but not freed */
    sdn_value *selfrow[] = { sdn_new_int(1), t, sdn_new_int(3) };
    cr_assert_eq(sdn_table_add_row(t, selfrow), -1);
    cr_assert_eq(sdn_len(t), 100);
    sdn_free(t);

    const char *types[] = { "i32", "str" };
    t = sdn_new_table(2, NULL, types);
    cr_assert(sdn_table_is_typed(t));
    cr_assert_str_eq(sdn_table_coltype(t, 1), "str");
    cr_assert_null(sdn_table_col(t, 0));
    cr_assert_eq(sdn_table_col_index(t, "i32"), -1);
    sdn_free(t);

    cr_assert_null(sdn_new_table(2, cols, types)); /* both kinds at once */
    const char *withnull[] = { "a", NULL };
    cr_assert_null(sdn_new_table(2, withnull, NULL));
    t = sdn_new_table(0, NULL, NULL);
    cr_assert_not_null(t);
    sdn_value *cells[] = { sdn_new_int(1) };
    cr_assert_eq(sdn_table_add_row(t, cells), -1); /* no columns, no rows */
    sdn_free(cells[0]); /* ncols is 0, so no cell was taken */
    sdn_free(t);
    LEAK_CHECK();
}

Test(api, equality)
{
    sdn_value *i1 = sdn_new_int(1), *f1 = sdn_new_float(1.0);
    cr_assert(!sdn_equal(i1, f1)); /* Int and Float differ */
    sdn_value *pz = sdn_new_float(0.0), *nz = sdn_new_float(-0.0);
    cr_assert(sdn_equal(pz, nz)); /* ±0 are equal by design */
    sdn_value *n1 = sdn_new_float(NAN), *n2 = sdn_new_float(NAN);
    cr_assert(sdn_equal(n1, n2)); /* same bits */
    sdn_value *a = sdn_new_float(0.1), *b = sdn_new_float(0.1 + 1e-17);
    cr_assert(sdn_equal(a, b) == (0.1 == 0.1 + 1e-17));
    sdn_value *s1 = sdn_new_str("ab", 2), *s2 = sdn_new_str("abc", 2), *s3 = sdn_new_str("ab", 1);
    cr_assert(sdn_equal(s1, s2));
    cr_assert(!sdn_equal(s1, s3));

    sdn_value *d1 = sdn_new_dict(), *d2 = sdn_new_dict();
    sdn_dict_set(d1, "a", sdn_new_int(1));
    sdn_dict_set(d1, "b", sdn_new_int(2));
    sdn_dict_set(d2, "b", sdn_new_int(2));
    sdn_dict_set(d2, "a", sdn_new_int(1));
    cr_assert(!sdn_equal(d1, d2)); /* dict order matters */

    const char *c[] = { "x" };
    sdn_value *tn = sdn_new_table(1, c, NULL), *tt = sdn_new_table(1, NULL, c);
    cr_assert(!sdn_equal(tn, tt)); /* named vs typed with the same names */
    sdn_value *tn2 = sdn_new_table(1, c, NULL);
    cr_assert(sdn_equal(tn, tn2));
    sdn_value *r[] = { sdn_new_int(1) };
    sdn_table_add_row(tn2, r);
    cr_assert(!sdn_equal(tn, tn2));

    sdn_value *vals[] = { i1, f1, pz, nz, n1, n2, a, b, s1, s2, s3, d1, d2, tn, tt, tn2 };
    for (size_t k = 0; k < sizeof vals / sizeof vals[0]; k++)
        sdn_free(vals[k]);
    LEAK_CHECK();
}
