/*
 * runtime/print_display.c — the display form of a value, as upstream's
 * io_print.rs value_to_display_string writes it (spec/ffi/print.sdn:
 * rt_print_value, rt_println_value, rt_eprint_value, rt_eprintln_value).
 *
 *   nil, true, false; ints in decimal (boxed wide ints too); floats as
 *   Rust's f64 Display (print_float.c); strings as their bytes, invalid
 *   UTF-8 replaced by U+FFFD; <array@0x..>, <dict@0x..>, <object@0x..>,
 *   <closure@0x..>, <heap@0x..> for other live heap objects; <value:0x..>
 *   with the raw word for everything else (symbols, reserved tags, and
 *   heap words the registry does not know, which are never read).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "runtime/heap.h"
#include "runtime/layout.h"
#include "runtime/mem.h"
#include "runtime/print.h"
#include "runtime/utf8.h"

void rtx_display(rtx_text *t, RtValue v, const uint8_t **direct, size_t *direct_len)
{
    char buf[RTX_F64_BUF + 64];
    int n = -1;
    *direct = NULL;
    *direct_len = 0;
    switch (v & RT_TAG_MASK) {
    case RT_TAG_INT:
        n = snprintf(buf, sizeof buf, "%" PRId64, (int64_t)v >> 3);
        break;
    case RT_TAG_FLOAT: {
        uint64_t bits = v & ~RT_TAG_MASK;   /* the 3 low mantissa bits are gone */
        double d;
        memcpy(&d, &bits, sizeof d);
        n = (int)rtx_fmt_f64(d, buf);
        break;
    }
    case RT_TAG_SPECIAL:
        if (v == RT_NIL || v == RT_TRUE || v == RT_FALSE)
            n = snprintf(buf, sizeof buf, "%s",
                         v == RT_NIL ? "nil" : v == RT_TRUE ? "true" : "false");
        break;
    case RT_TAG_HEAP: {
        const RtHeapHeader *h = rtx_heap_get(v, -1);
        if (h == NULL)
            break;   /* freed or invented: printed as a raw word below */
        const char *kind = "heap";
        switch (h->object_type) {
        case RT_HEAP_STRING: {
            const RtString *s = (const RtString *)h;
            if (rtx_utf8_valid(s->bytes, (size_t)s->len)) {
                *direct = s->bytes;
                *direct_len = (size_t)s->len;
            } else {
                rtx_text_put_lossy(t, s->bytes, (size_t)s->len);
            }
            return;
        }
        case RT_HEAP_BIGINT:
            n = snprintf(buf, sizeof buf, "%" PRId64, ((const RtBigInt *)h)->value);
            goto out;
        case RT_HEAP_ARRAY: kind = "array"; break;
        case RT_HEAP_DICT: kind = "dict"; break;
        case RT_HEAP_OBJECT: kind = "object"; break;
        case RT_HEAP_CLOSURE: kind = "closure"; break;
        default: break;
        }
        /* Rust's {:p}: 0x and the lowercase hex address, no padding. */
        n = snprintf(buf, sizeof buf, "<%s@0x%" PRIxPTR ">", kind, (uintptr_t)h);
        break;
    }
    default:
        break;
    }
out:
    if (n < 0)   /* Rust's {:#x} of the raw word */
        n = snprintf(buf, sizeof buf, "<value:0x%" PRIx64 ">", (uint64_t)v);
    rtx_text_put(t, buf, (size_t)n);
}

void rtx_text_put(rtx_text *t, const void *p, size_t n)
{
    if (t->failed || n == 0)
        return;
    if (n > SIZE_MAX / 2 - t->len) {
        t->failed = 1;
        return;
    }
    if (t->len + n > t->cap) {
        size_t cap = t->cap ? t->cap : 64;
        while (cap < t->len + n)
            cap *= 2;
        uint8_t *np = rtx_realloc(t->p, cap);
        if (np == NULL) {
            t->failed = 1;
            return;
        }
        t->p = np;
        t->cap = cap;
    }
    memcpy(t->p + t->len, p, n);
    t->len += n;
}

void rtx_text_put_lossy(rtx_text *t, const uint8_t *p, size_t n)
{
    static const uint8_t replacement[3] = {0xEF, 0xBF, 0xBD};   /* U+FFFD */
    size_t run = 0, i = 0;
    while (i < n) {
        size_t k = p[i] < 0x80 ? 1 : rtx_utf8_char_len(p + i, n - i);
        if (k) {
            i += k;
            continue;
        }
        rtx_text_put(t, p + run, i - run);
        rtx_text_put(t, replacement, sizeof replacement);
        i += rtx_utf8_invalid_len(p + i, n - i);
        run = i;
    }
    rtx_text_put(t, p + run, n - run);
}

void rtx_text_free(rtx_text *t)
{
    rtx_free(t->p);
    t->p = NULL;
    t->len = t->cap = 0;
    t->failed = 0;
}
