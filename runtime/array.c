/*
 * runtime/array.c — growable arrays and fixed-length tuples.
 *
 * Implements (spec/ffi/value.sdn): rt_array_new, rt_array_len,
 * rt_array_get, rt_array_set, rt_array_push, rt_array_pop, rt_array_clear,
 * rt_tuple_new, rt_tuple_len, rt_tuple_get, rt_tuple_set.
 *
 * One array is not safe to mutate from two threads at once (as upstream);
 * callers synchronise.
 */
#include "runtime/heap.h"
#include "runtime/layout.h"
#include "runtime/mem.h"
#include "simplert/value.h"

#define MIN_CAP 4

static RtArray *array_of(RtValue v) { return (RtArray *)rtx_heap_get(v, RT_HEAP_ARRAY); }
static RtTuple *tuple_of(RtValue v) { return (RtTuple *)rtx_heap_get(v, RT_HEAP_TUPLE); }

static void array_finalize(RtHeapHeader *h) { rtx_free(((RtArray *)h)->data); }
RTX_FINALIZER(RT_HEAP_ARRAY, array_finalize)

/* Python-style index: -1 is the last element. Returns -1 when out of range. */
static int64_t norm_index(int64_t index, uint64_t len)
{
    int64_t n = (int64_t)len;   /* len <= RTX_ARRAY_MAX_CAP, fits */
    if (index < 0)
        index += n;
    return (index < 0 || index >= n) ? -1 : index;
}

RT_API RtValue rt_array_new(uint64_t capacity)
{
    if (capacity > RTX_ARRAY_MAX_CAP)
        return RT_NIL;
    if (capacity < MIN_CAP)
        capacity = MIN_CAP;
    RtArray *a = (RtArray *)rtx_heap_alloc(RT_HEAP_ARRAY, sizeof *a);
    if (a == NULL)
        return RT_NIL;
    a->data = rtx_calloc(capacity, sizeof(RtValue));   /* unused slots read int 0 */
    if (a->data == NULL) {
        rt_free(rtx_heap_value(&a->hdr));
        return RT_NIL;
    }
    a->cap = capacity;
    return rtx_heap_value(&a->hdr);
}

RT_API int64_t rt_array_len(RtValue array)
{
    const RtArray *a = array_of(array);
    return a ? (int64_t)a->len : -1;
}

RT_API RtValue rt_array_get(RtValue array, int64_t index)
{
    const RtArray *a = array_of(array);
    if (a == NULL)
        return RT_NIL;
    int64_t i = norm_index(index, a->len);
    return i < 0 ? RT_NIL : a->data[i];
}

RT_API bool rt_array_set(RtValue array, int64_t index, RtValue value)
{
    RtArray *a = array_of(array);
    if (a == NULL)
        return false;
    int64_t i = norm_index(index, a->len);
    if (i < 0)
        return false;
    a->data[i] = value;
    return true;
}

RT_API bool rt_array_push(RtValue array, RtValue value)
{
    RtArray *a = array_of(array);
    if (a == NULL)
        return false;
    if (a->len == a->cap) {
        if (a->cap >= RTX_ARRAY_MAX_CAP)
            return false;
        uint64_t ncap = a->cap * 2 > RTX_ARRAY_MAX_CAP ? RTX_ARRAY_MAX_CAP : a->cap * 2;
        RtValue *nd = rtx_realloc(a->data, ncap * sizeof(RtValue));
        if (nd == NULL)
            return false;   /* the array is unchanged */
        for (uint64_t i = a->cap; i < ncap; i++)
            nd[i] = 0;
        a->data = nd;
        a->cap = ncap;
    }
    a->data[a->len++] = value;
    return true;
}

RT_API RtValue rt_array_pop(RtValue array)
{
    RtArray *a = array_of(array);
    if (a == NULL || a->len == 0)
        return RT_NIL;
    return a->data[--a->len];
}

RT_API bool rt_array_clear(RtValue array)
{
    RtArray *a = array_of(array);
    if (a == NULL)
        return false;
    a->len = 0;
    return true;
}

RT_API RtValue rt_tuple_new(uint64_t len)
{
    if (len > RTX_TUPLE_MAX_LEN)
        return RT_NIL;
    RtTuple *t = (RtTuple *)rtx_heap_alloc(RT_HEAP_TUPLE, sizeof *t + len * sizeof(RtValue));
    if (t == NULL)
        return RT_NIL;
    t->len = len;   /* items are zero: int 0, as upstream */
    return rtx_heap_value(&t->hdr);
}

RT_API int64_t rt_tuple_len(RtValue tuple)
{
    const RtTuple *t = tuple_of(tuple);
    return t ? (int64_t)t->len : -1;
}

RT_API RtValue rt_tuple_get(RtValue tuple, uint64_t index)
{
    const RtTuple *t = tuple_of(tuple);
    return (t && index < t->len) ? t->items[index] : RT_NIL;
}

RT_API bool rt_tuple_set(RtValue tuple, uint64_t index, RtValue value)
{
    RtTuple *t = tuple_of(tuple);
    if (t == NULL || index >= t->len)
        return false;
    t->items[index] = value;
    return true;
}
