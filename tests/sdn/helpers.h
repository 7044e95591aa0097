/*
 * tests/sdn/helpers.h — small assertions shared by the sdn suites.
 * Everything is static so each suite file gets its own copy.
 */
#ifndef SDN_TEST_HELPERS_H
#define SDN_TEST_HELPERS_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdn/sdn.h"

/* Parses NUL-terminated text and asserts success. */
static inline sdn_value *parse_ok(const char *text)
{
    sdn_error e;
    sdn_value *v = sdn_parse(text, strlen(text), &e);
    cr_assert_not_null(v, "parse failed: %s\n--- text ---\n%s", e.msg, text);
    cr_assert_eq(e.line, 0);
    cr_assert_str_empty(e.msg);
    return v;
}

/* Parses len bytes and asserts an error at line:col whose message contains
 * want and starts with "line:col: ". */
static inline void parse_err_n(const char *text, size_t len, int line, int col, const char *want)
{
    sdn_error e;
    sdn_value *v = sdn_parse(text, len, &e);
    if (v) {
        sdn_free(v);
        cr_assert_fail("parsed, but expected an error at %d:%d (%s)\n--- text ---\n%s", line, col,
                       want, text);
    }
    char prefix[32];
    snprintf(prefix, sizeof prefix, "%d:%d: ", line, col);
    cr_assert(e.line == line && e.col == col, "error at %d:%d, expected %d:%d: %s", e.line, e.col,
              line, col, e.msg);
    cr_assert(strncmp(e.msg, prefix, strlen(prefix)) == 0, "message lacks the prefix '%s': %s",
              prefix, e.msg);
    cr_assert(strstr(e.msg, want) != NULL, "message '%s' lacks '%s'", e.msg, want);
}

static inline void parse_err(const char *text, int line, int col, const char *want)
{
    parse_err_n(text, strlen(text), line, col, want);
}

/* Writes v and asserts the exact text. */
static inline void write_is(const sdn_value *v, const char *want)
{
    size_t len = 0;
    char *got = sdn_write(v, &len);
    cr_assert_not_null(got, "sdn_write failed");
    cr_assert_eq(len, strlen(got));
    cr_assert_str_eq(got, want, "--- got ---\n%s--- want ---\n%s", got, want);
    free(got);
}

/* The string at dict[key], asserting it is one. */
static inline const char *str_at(const sdn_value *d, const char *key)
{
    const sdn_value *v = sdn_get(d, key);
    cr_assert_eq(sdn_type_of(v), SDN_STRING, "%s is not a string", key);
    return sdn_str(v, NULL);
}

#endif
