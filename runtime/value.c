/*
 * runtime/value.c — immediate values and boxed wide ints.
 *
 * Implements (spec/ffi/value.sdn): rt_value_int, rt_value_float,
 * rt_value_bool, rt_value_nil, rt_value_as_int, rt_value_as_float,
 * rt_value_as_bool, rt_value_truthy, rt_value_is_nil, rt_value_is_int,
 * rt_value_is_float, rt_value_is_bool, rt_value_is_heap, rt_value_eq.
 */
#include <string.h>

#include "runtime/heap.h"
#include "runtime/layout.h"
#include "simplert/value.h"

static uint64_t tag_of(RtValue v) { return v & RT_TAG_MASK; }

static const RtBigInt *bigint_of(RtValue v)
{
    return (const RtBigInt *)rtx_heap_get(v, RT_HEAP_BIGINT);
}

RT_API RtValue rt_value_int(int64_t i)
{
    if (i >= RT_INT_INLINE_MIN && i <= RT_INT_INLINE_MAX)
        return (RtValue)((uint64_t)i << 3);
    /* Outside 61 bits: box it rather than truncate (upstream Rust wraps). */
    RtBigInt *b = (RtBigInt *)rtx_heap_alloc(RT_HEAP_BIGINT, sizeof *b);
    if (b == NULL)
        return RT_NIL;
    b->value = i;
    return rtx_heap_value(&b->hdr);
}

RT_API RtValue rt_value_float(double f)
{
    uint64_t bits;
    memcpy(&bits, &f, sizeof bits);
    return (bits & ~RT_TAG_MASK) | RT_TAG_FLOAT;
}

RT_API RtValue rt_value_bool(bool b) { return b ? RT_TRUE : RT_FALSE; }

RT_API RtValue rt_value_nil(void) { return RT_NIL; }

RT_API int64_t rt_value_as_int(RtValue v)
{
    if (tag_of(v) == RT_TAG_INT)
        return (int64_t)v >> 3;   /* arithmetic shift: gcc/clang guarantee it */
    const RtBigInt *b = bigint_of(v);
    return b ? b->value : 0;
}

RT_API double rt_value_as_float(RtValue v)
{
    if (tag_of(v) != RT_TAG_FLOAT)
        return 0.0;
    uint64_t bits = v & ~RT_TAG_MASK;
    double f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

RT_API int64_t rt_value_as_bool(RtValue v) { return v == RT_TRUE; }

RT_API bool rt_value_truthy(RtValue v)
{
    switch (tag_of(v)) {
    case RT_TAG_INT:
        return v != 0;
    case RT_TAG_FLOAT:
        return rt_value_as_float(v) != 0.0;   /* NaN is truthy, -0.0 falsy */
    case RT_TAG_SPECIAL:
        return v == RT_TRUE;
    case RT_TAG_HEAP:
        /* As upstream: any non-null pointer (a boxed int is never 0). */
        return (v & ~RT_TAG_MASK) != 0;
    default:
        return false;
    }
}

RT_API int64_t rt_value_is_nil(RtValue v) { return v == RT_NIL; }

RT_API int64_t rt_value_is_int(RtValue v)
{
    return tag_of(v) == RT_TAG_INT || bigint_of(v) != NULL;
}

RT_API int64_t rt_value_is_float(RtValue v) { return tag_of(v) == RT_TAG_FLOAT; }

RT_API int64_t rt_value_is_bool(RtValue v) { return v == RT_TRUE || v == RT_FALSE; }

RT_API int64_t rt_value_is_heap(RtValue v) { return tag_of(v) == RT_TAG_HEAP; }

RT_API int64_t rt_value_eq(RtValue a, RtValue b)
{
    if (tag_of(a) == RT_TAG_FLOAT && tag_of(b) == RT_TAG_FLOAT)
        return rt_value_as_float(a) == rt_value_as_float(b);   /* NaN != NaN */
    if (a == b)
        return true;
    /* Boxed ints compare by value; a box never equals an inline int. */
    const RtBigInt *x = bigint_of(a), *y = x ? bigint_of(b) : NULL;
    return x && y && x->value == y->value;
}
