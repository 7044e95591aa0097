/*
 * runtime/errors.c — "not found" diagnostics compiled code reports.
 *
 * Implements (spec/ffi/errors.sdn): rt_function_not_found,
 * rt_method_not_found.
 *
 * Each message is assembled in full and written with one write, so lines
 * from different threads never interleave. It goes through the print
 * family's stderr path: into this thread's stderr capture when one is on.
 */
#include <string.h>

#include "runtime/print.h"
#include "runtime/utf8.h"
#include "simplert/errors.h"

/* Names longer than this are cut (at a character boundary) and get "...". */
#define NAME_MAX_BYTES 4096

typedef struct name_view {
    const uint8_t *p;   /* NULL: use the placeholder instead */
    size_t n;
    int cut;
} name_view;

static name_view view_name(const uint8_t *p, uint64_t len);
static void put(char *buf, size_t *at, const void *p, size_t n);
#define PUT_LIT(s) put(buf, &at, (s), sizeof(s) - 1)

RT_API RtValue rt_function_not_found(const uint8_t *name, uint64_t name_len)
{
    char buf[NAME_MAX_BYTES + 128];
    size_t at = 0;
    if (name == NULL) {
        PUT_LIT("Runtime error: Function not found (unknown name)\n");
    } else {
        name_view v = view_name(name, name_len);
        if (v.p == NULL) {
            PUT_LIT("Runtime error: Function not found (invalid UTF-8 name)\n");
        } else {
            PUT_LIT("Runtime error: Function '");
            put(buf, &at, v.p, v.n);
            if (v.cut)
                PUT_LIT("...");
            PUT_LIT("' not found\n");
        }
    }
    rtx_print_emit(RTX_ERR, buf, at, NULL, 0);
    return RT_NIL;
}

RT_API RtValue rt_method_not_found(const uint8_t *type_name, uint64_t type_len,
                                   const uint8_t *method, uint64_t method_len)
{
    static const char invalid[] = "<invalid UTF-8>";
    char buf[2 * NAME_MAX_BYTES + 128];
    size_t at = 0;
    name_view t = {(const uint8_t *)"<unknown type>", 14, 0};
    name_view m = {(const uint8_t *)"<unknown method>", 16, 0};
    if (type_name != NULL) {
        t = view_name(type_name, type_len);
        if (t.p == NULL)
            t = (name_view){(const uint8_t *)invalid, sizeof invalid - 1, 0};
    }
    if (method != NULL) {
        m = view_name(method, method_len);
        if (m.p == NULL)
            m = (name_view){(const uint8_t *)invalid, sizeof invalid - 1, 0};
    }
    PUT_LIT("Runtime error: Method '");
    put(buf, &at, m.p, m.n);
    if (m.cut)
        PUT_LIT("...");
    PUT_LIT("' not found on type '");
    put(buf, &at, t.p, t.n);
    if (t.cut)
        PUT_LIT("...");
    PUT_LIT("'\n");
    rtx_print_emit(RTX_ERR, buf, at, NULL, 0);
    return RT_NIL;
}

/* The printable part of a non-NULL name: at most NAME_MAX_BYTES bytes are
 * read; a cut never splits a character. p is NULL when the bytes read are
 * not UTF-8. */
static name_view view_name(const uint8_t *p, uint64_t len)
{
    name_view v = {p, (size_t)len, 0};
    if (len > NAME_MAX_BYTES) {
        v.n = rtx_utf8_cut(p, NAME_MAX_BYTES);
        v.cut = 1;
    }
    if (!rtx_utf8_valid(p, v.n))
        v.p = NULL;
    return v;
}

static void put(char *buf, size_t *at, const void *p, size_t n)
{
    memcpy(buf + *at, p, n);
    *at += n;
}
