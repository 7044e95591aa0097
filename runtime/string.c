/*
 * runtime/string.c — immutable byte strings.
 *
 * Implements (spec/ffi/value.sdn): rt_string_new, rt_string_len,
 * rt_string_data, rt_string_concat.
 */
#include <string.h>

#include "runtime/heap.h"
#include "runtime/layout.h"
#include "simplert/value.h"

static uint64_t fnv1a(const uint8_t *p, uint64_t n)
{
    if (n == 0)
        return 0;   /* upstream: the empty string hashes to 0 */
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (uint64_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= UINT64_C(0x100000001b3);
    }
    return h;
}

static const RtString *string_of(RtValue v)
{
    return (const RtString *)rtx_heap_get(v, RT_HEAP_STRING);
}

/* A string of len bytes from two pieces (either may be empty). */
static RtValue make(const uint8_t *a, uint64_t alen, const uint8_t *b, uint64_t blen)
{
    uint64_t len = alen + blen;
    if (len > RTX_STRING_MAX_LEN)
        return RT_NIL;
    RtString *s = (RtString *)rtx_heap_alloc(RT_HEAP_STRING, sizeof *s + len + 1);
    if (s == NULL)
        return RT_NIL;
    if (alen)
        memcpy(s->bytes, a, alen);
    if (blen)
        memcpy(s->bytes + alen, b, blen);
    s->bytes[len] = 0;
    s->len = len;
    s->hash = fnv1a(s->bytes, len);
    return rtx_heap_value(&s->hdr);
}

RT_API RtValue rt_string_new(const uint8_t *bytes, uint64_t len)
{
    if (bytes == NULL && len > 0)
        return RT_NIL;
    return make(bytes, len, NULL, 0);
}

RT_API int64_t rt_string_len(RtValue s)
{
    const RtString *str = string_of(s);
    return str ? (int64_t)str->len : -1;
}

RT_API const uint8_t *rt_string_data(RtValue s)
{
    const RtString *str = string_of(s);
    return str ? str->bytes : NULL;
}

RT_API RtValue rt_string_concat(RtValue a, RtValue b)
{
    const RtString *x = string_of(a), *y = string_of(b);
    if (x == NULL || y == NULL)
        return RT_NIL;
    return make(x->bytes, x->len, y->bytes, y->len);
}
