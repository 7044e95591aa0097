/*
 * tests/sdn/errors.c — every error class of the strict reader, each with its
 * exact line:col and message.
 */
#include "helpers.h"
#include "leakcheck.h"

static void err_is(const char *text, const char *msg)
{
    sdn_error e;
    sdn_value *v = sdn_parse(text, strlen(text), &e);
    if (v) {
        sdn_free(v);
        cr_assert_fail("parsed, expected: %s\n--- text ---\n%s", msg, text);
    }
    cr_assert_str_eq(e.msg, msg);
    int line = 0, col = 0;
    cr_assert_eq(sscanf(msg, "%d:%d:", &line, &col), 2);
    cr_assert_eq(e.line, line);
    cr_assert_eq(e.col, col);
}

Test(errors, the_briefs_example)
{
    err_is("a:\n         x: 1\n         name, x", "3:14: expected ':', '=' or '|' after key \"name\", found ','");
    err_is("a: 1\nb:\n    c: 1\n             name, x", "4:14: unexpected indentation (expected a key)");
    LEAK_CHECK();
}

Test(errors, unexpected_characters)
{
    err_is("a: 1\nb: @x\n", "2:4: unexpected character '@' (put text with special characters in double quotes)");
    err_is("a: x;y\n", "1:5: unexpected character ';' (put text with special characters in double quotes)");
    err_is("a: 'x'\n", "1:4: unexpected character ''' (put text with special characters in double quotes)");
    err_is("a: %x\n", "1:4: unexpected character '%' (put text with special characters in double quotes)");
    err_is("a: -x\n", "1:4: unexpected character '-' (put text with special characters in double quotes)");
    err_is("a: +5\n", "1:4: unexpected character '+' (put text with special characters in double quotes)");
    err_is("a: \\n\n", "1:4: unexpected character '\\' (put text with special characters in double quotes)");
    err_is("a: \x01\n", "1:4: unexpected byte 0x01");
    err_is("a: \x7f\n", "1:4: unexpected byte 0x7F");
    err_is("a: 1\rb: 2\n", "1:5: carriage return not followed by a line feed");
    err_is("a: .5\n", "1:4: a number must start with a digit (write 0.5, not .5)");
    /* columns count UTF-8 characters, not bytes */
    err_is("\xC3\xA9t\xC3\xA9: \xE6\x97\xA5 @\n", "1:8: unexpected character '@' (put text with special characters in double quotes)");
    LEAK_CHECK();
}

Test(errors, nul_bytes)
{
    parse_err_n("a: 1\nb: x\0y\n", 11, 2, 5, "NUL byte in the input");
    parse_err_n("a: \"x\0y\"\n", 9, 1, 6, "NUL byte in a string");
    LEAK_CHECK();
}

Test(errors, unterminated_strings)
{
    err_is("a: \"abc", "1:4: unterminated string (the opening quote is here)");
    err_is("a: 1\nb: \"x\ny\n", "2:4: unterminated string (the opening quote is here)");
    err_is("a: \"abc\\", "1:4: unterminated string (the opening quote is here)");
    err_is("a: \"abc\\\"", "1:4: unterminated string (the opening quote is here)");
    LEAK_CHECK();
}

Test(errors, indentation)
{
    err_is("a:\n    b: 1\n  c: 2\n", "3:3: unindent to width 2 does not match any outer indentation level (0)");
    err_is("a:\n    b:\n        c: 1\n      d: 2\n",
           "4:7: unindent to width 6 does not match any outer indentation level (4)");
    err_is("a: 1\n    b: 2\n", "2:5: unexpected indentation (expected a key)");
    err_is("  a: 1\n", "1:3: unexpected indentation (expected a key)");
    err_is("a:\n    b: 1\n        c: 2\n", "3:9: unexpected indentation (expected a key)");
    err_is("a:\n    1\n        2\n", "3:9: unexpected indentation (expected a value)");
    err_is("t |a|\n    1\n        2\n", "3:9: unexpected indentation (expected a value)");
    LEAK_CHECK();
}

Test(errors, table_rows)
{
    err_is("t |a, b|\n    1, 2\n    3\n", "3:5: row has 1 cell but table \"t\" has 2 columns");
    err_is("t |a, b|\n    1, 2, 3\n", "2:5: row has 3 cells but table \"t\" has 2 columns");
    err_is("t |a, b, c|\n    ,,\n", "2:5: row has 2 cells but table \"t\" has 3 columns");
    err_is("t |a| 1, 2\n", "1:7: row has 2 cells but table \"t\" has 1 column");
    err_is("c: table{f64, f64} = [(1.0, 2.0), (3.5)]\n",
           "1:35: row has 1 cell but table \"c\" has 2 columns");
    err_is("c: table{a}\n    1, 2\n", "2:5: row has 2 cells but table \"c\" has 1 column");
    err_is("z ||\n    1\n", "2:5: table \"z\" has no columns, so it cannot have rows");
    err_is("z: table{} = [()]\n", "1:15: table \"z\" has no columns, so it cannot have rows");
    err_is("t |a, b|\n    1 2\n", "2:7: expected ',' or end of line after a cell of table \"t\", found number 2");
    err_is("t |a, b\n", "1:8: expected ',' or '|' after a column name, found end of line");
    err_is("t |a, 1|\n", "1:7: expected a column name or '|', found number 1");
    err_is("t: table(a)\n", "1:9: expected '{' after 'table', found '('");
    err_is("t: table{a} junk\n", "1:13: expected '=' or end of line after table{...}, found 'junk'");
    err_is("t: table{a} = (1)\n", "1:15: expected '[' after '=', found '('");
    err_is("t: table{a} = [1]\n", "1:16: expected '(' or ']' in the rows of table \"t\", found number 1");
    err_is("t: table{a} = [(1 2)]\n", "1:19: expected ',' or ')' in a row of table \"t\", found number 2");
    err_is("t: table{a} = [(1) (2)]\n", "1:20: expected ',' or ']' after a row of table \"t\", found '('");
    err_is("t: table{a} = [(1)] x\n", "1:21: expected end of line after the rows, found 'x'");
    LEAK_CHECK();
}

Test(errors, numbers)
{
    err_is("a: 9223372036854775808\n", "1:4: integer 9223372036854775808 does not fit in 64 bits");
    err_is("a: -9223372036854775809\n", "1:4: integer -9223372036854775809 does not fit in 64 bits");
    err_is("a: 99999999999999999999999\n", "1:4: integer 99999999999999999999999 does not fit in 64 bits");
    err_is("a:\n    b: 1_000_000_000_000_000_000_000\n",
           "2:8: integer 1_000_000_000_000_000_000_000 does not fit in 64 bits");
    err_is("a: 1e999\n", "1:4: number 1e999 is out of range for a 64-bit float");
    err_is("a: -1e999\n", "1:4: number -1e999 is out of range for a 64-bit float");
    err_is("a: 1e\n", "1:4: malformed number '1e'");
    err_is("a: 1e+\n", "1:4: malformed number '1e'");
    err_is("a: 1.2.3\n", "1:4: malformed number '1.2.3'");
    err_is("a: 12abc\n", "1:4: malformed number '12abc'");
    err_is("a: 1-2\n", "1:4: malformed number '1-2'");
    err_is("a: 10.\n", "1:4: malformed number '10.'");
    err_is("a: 1e5e3\n", "1:4: malformed number '1e5e3'");
    err_is("a: 5%\n", "1:4: malformed number '5%'");
    LEAK_CHECK();
}

Test(errors, statements)
{
    err_is("name, x\n", "1:5: expected ':', '=' or '|' after key \"name\", found ','");
    err_is("name\n", "1:5: expected ':', '=' or '|' after key \"name\", found end of line");
    err_is("a: 1\nname", "2:5: expected ':', '=' or '|' after key \"name\", found end of line");
    err_is("true: 1\n", "1:1: expected a key, found 'true'");
    err_is("table: 1\n", "1:1: expected a key, found 'table'");
    err_is("1: x\n", "1:1: expected a key, found number 1");
    err_is(": x\n", "1:1: expected a key, found ':'");
    err_is("a: 1 2\n", "1:6: expected end of line after the value, found number 2");
    err_is("a: b c\n", "1:6: expected end of line after the value, found 'c'");
    err_is("a = \n", "1:5: expected a value, found end of line");
    err_is("a = | x\n", "1:5: expected a value, found '|'");
    err_is("a: [1] [2]\n", "1:8: expected end of line after the value, found '['");
    err_is("a: table\n", "1:9: expected '{' after 'table', found end of line");
    err_is("a: 1\n)", "2:1: expected a key, found ')'");
    err_is("a:\n    b: 1\n    2\n", "3:5: expected a key, found number 2");
    err_is("a:\n    x\n    b: 2\n", "3:6: expected end of line after a list element, found ':'");
    err_is("a:\n    \"k\" x\n", "2:9: expected end of line after a list element, found 'x'");
    err_is("a:\n    b: 1\n    \"k\"\n", "3:8: expected ':', '=' or '|' after key \"k\", found end of line");
    LEAK_CHECK();
}

Test(errors, inline_collections)
{
    err_is("a = [0 1 2]\n", "1:8: expected ',' or ']' in the [...] list, found number 1");
    err_is("a = [1, 2\n", "1:10: expected ',' or ']' in the [...] list, found end of line");
    err_is("a = [1,\n  2]\n", "1:8: expected a value, found end of line");
    err_is("a = [,]\n", "1:6: expected a value, found ','");
    err_is("a = [1,,2]\n", "1:8: expected a value, found ','");
    err_is("a = {a 1}\n", "1:8: expected ':' after key \"a\" in the {...} dict, found number 1");
    err_is("a = {a: 1 b: 2}\n", "1:11: expected ',' or '}' in the {...} dict, found 'b'");
    err_is("a = {1: 2}\n", "1:6: expected a key or '}' in the {...} dict, found number 1");
    err_is("a = {a: }\n", "1:9: expected a value, found '}'");
    err_is("a = {a: 1\n", "1:10: expected ',' or '}' in the {...} dict, found end of line");
    err_is("a = [table]\n", "1:6: expected a value, found 'table'");
    err_is("a = ]\n", "1:5: expected a value, found ']'");
    err_is("a = [1]]\n", "1:8: expected end of line after the value, found ']'");
    LEAK_CHECK();
}

Test(errors, nesting_depth)
{
    /* the root dict is depth 0, its values depth 1 */
    char ok[2 * SDN_MAX_DEPTH + 16], bad[2 * SDN_MAX_DEPTH + 16];
    int n = snprintf(ok, sizeof ok, "a = ");
    for (int i = 0; i < SDN_MAX_DEPTH; i++)
        ok[n++] = '[';
    for (int i = 0; i < SDN_MAX_DEPTH; i++)
        ok[n++] = ']';
    ok[n] = '\0';
    sdn_value *v = parse_ok(ok);
    sdn_free(v);
    n = snprintf(bad, sizeof bad, "a = ");
    for (int i = 0; i <= SDN_MAX_DEPTH; i++)
        bad[n++] = '[';
    bad[n] = '\0';
    parse_err(bad, 1, 4 + SDN_MAX_DEPTH + 1, "nesting deeper than 128 levels");

    /* indented blocks count too */
    size_t cap = (size_t)(SDN_MAX_DEPTH + 2) * (SDN_MAX_DEPTH + 2) * 4 + 64;
    char *blk = malloc(cap);
    cr_assert_not_null(blk);
    size_t m = 0;
    for (int d = 0; d < SDN_MAX_DEPTH + 1; d++) {
        memset(blk + m, ' ', (size_t)d * 4);
        m += (size_t)d * 4;
        m += (size_t)snprintf(blk + m, cap - m, "k:\n");
    }
    blk[m] = '\0';
    parse_err(blk, SDN_MAX_DEPTH + 1, SDN_MAX_DEPTH * 4 + 1, "nesting deeper than 128 levels");
    free(blk);
    LEAK_CHECK();
}

Test(errors, lexer_errors_are_reported_in_order)
{
    /* the parser peeks two tokens to classify a block; an error in the
     * second must not hide or pre-empt an error in the first */
    err_is("a:\n    x @\n", "2:7: unexpected character '@' (put text with special characters in double quotes)");
    err_is("a:\n    ) @\n", "2:5: expected a value, found ')'");
    err_is("a:\n    \"k\" \"unterminated\n", "2:9: unterminated string (the opening quote is here)");
    LEAK_CHECK();
}

Test(errors, first_error_wins_and_err_may_be_null)
{
    cr_assert_null(sdn_parse("a: @ @ @\n", 9, NULL));
    sdn_error e = { 99, 99, "stale" };
    cr_assert_null(sdn_parse(NULL, 5, &e));
    cr_assert_eq(e.line, 0);
    cr_assert_str_eq(e.msg, "no input (NULL text)");
    sdn_value *v = sdn_parse("", 0, &e);
    cr_assert_not_null(v);
    cr_assert_eq(e.line, 0);
    cr_assert_str_empty(e.msg); /* cleared on success */
    sdn_free(v);
    LEAK_CHECK();
}

Test(errors, long_keys_are_shortened_in_messages)
{
    char text[400];
    memset(text, 'k', 300);
    memcpy(text + 300, ", x\n", 5);
    sdn_error e;
    cr_assert_null(sdn_parse(text, strlen(text), &e));
    cr_assert_lt(strlen(e.msg), sizeof e.msg);
    cr_assert_not_null(strstr(e.msg, "...\""), "%s", e.msg);
    cr_assert_eq(e.col, 301);
    LEAK_CHECK();
}
