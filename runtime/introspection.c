/*
 * runtime/introspection.c — what a value is.
 *
 * Implements (spec/ffi/introspection.sdn): rt_object_class_id,
 * rt_object_field_count, rt_value_heap_type, rt_value_type_name.
 */
#include "runtime/heap.h"
#include "runtime/layout.h"
#include "simplert/introspection.h"

RT_API int64_t rt_object_class_id(RtValue object)
{
    const RtObject *o = (const RtObject *)rtx_heap_get(object, RT_HEAP_OBJECT);
    return o ? (int64_t)o->class_id : -1;
}

RT_API int64_t rt_object_field_count(RtValue object)
{
    const RtObject *o = (const RtObject *)rtx_heap_get(object, RT_HEAP_OBJECT);
    return o ? (int64_t)o->field_count : -1;
}

RT_API int64_t rt_value_heap_type(RtValue v)
{
    const RtHeapHeader *h = rtx_heap_get(v, -1);
    return h ? (int64_t)h->object_type : -1;
}

/* Upstream's type_name() strings, indexed by heap type. */
static const char *const heap_names[] = {
    [RT_HEAP_STRING] = "string", [RT_HEAP_ARRAY] = "array", [RT_HEAP_DICT] = "dict",
    [RT_HEAP_TUPLE] = "tuple", [RT_HEAP_OBJECT] = "object", [RT_HEAP_CLOSURE] = "closure",
    [RT_HEAP_ENUM] = "enum", [RT_HEAP_FUTURE] = "future", [RT_HEAP_GENERATOR] = "generator",
    [RT_HEAP_ACTOR] = "actor", [RT_HEAP_UNIQUE] = "unique", [RT_HEAP_SHARED] = "shared",
    [RT_HEAP_BORROW] = "borrow", [RT_HEAP_CHANNEL] = "channel", [RT_HEAP_WEAK] = "weak",
    [RT_HEAP_CONTRACT_VIOLATION] = "contract_violation", [RT_HEAP_MUTEX] = "mutex",
    [RT_HEAP_RWLOCK] = "rwlock", [RT_HEAP_SEMAPHORE] = "semaphore",
    [RT_HEAP_BARRIER] = "barrier", [RT_HEAP_ATOMIC] = "atomic",
    [RT_HEAP_MONOIO_FUTURE] = "monoio_future", [RT_HEAP_HASHMAP] = "hashmap",
    [RT_HEAP_BTREEMAP] = "btreemap", [RT_HEAP_HASHSET] = "hashset",
    [RT_HEAP_BTREESET] = "btreeset", [RT_HEAP_FFI_OBJECT] = "ffi_object",
    [RT_HEAP_FLOAT] = "float", [RT_HEAP_BIGINT] = "int",
};

RT_API const char *rt_value_type_name(RtValue v)
{
    switch (v & RT_TAG_MASK) {
    case RT_TAG_INT:
        return "int";
    case RT_TAG_FLOAT:
        return "float";
    case RT_TAG_SPECIAL:
        if (v == RT_NIL)
            return "nil";
        return (v == RT_TRUE || v == RT_FALSE) ? "bool" : "symbol";
    case RT_TAG_HEAP: {
        const RtHeapHeader *h = rtx_heap_get(v, -1);
        const char *n = NULL;
        if (h && h->object_type < sizeof heap_names / sizeof heap_names[0])
            n = heap_names[h->object_type];
        return n ? n : "null";   /* upstream's name for an unknown heap value */
    }
    default:
        return "unknown";
    }
}
