/*
 * runtime/object.c — class instances and closures.
 *
 * Implements (spec/ffi/value.sdn): rt_object_new, rt_object_field_get,
 * rt_object_field_set, rt_closure_new, rt_closure_func_ptr,
 * rt_closure_get_capture, rt_closure_set_capture.
 */
#include "runtime/heap.h"
#include "runtime/layout.h"
#include "simplert/value.h"

static RtObject *object_of(RtValue v) { return (RtObject *)rtx_heap_get(v, RT_HEAP_OBJECT); }
static RtClosure *closure_of(RtValue v) { return (RtClosure *)rtx_heap_get(v, RT_HEAP_CLOSURE); }

RT_API RtValue rt_object_new(uint32_t class_id, uint32_t field_count)
{
    if (field_count > RTX_OBJECT_MAX_FIELDS)
        return RT_NIL;
    RtObject *o = (RtObject *)rtx_heap_alloc(RT_HEAP_OBJECT,
                                             sizeof *o + (size_t)field_count * sizeof(RtValue));
    if (o == NULL)
        return RT_NIL;
    o->class_id = class_id;
    o->field_count = field_count;
    for (uint32_t i = 0; i < field_count; i++)
        o->fields[i] = RT_NIL;
    return rtx_heap_value(&o->hdr);
}

RT_API RtValue rt_object_field_get(RtValue object, uint32_t index)
{
    const RtObject *o = object_of(object);
    return (o && index < o->field_count) ? o->fields[index] : RT_NIL;
}

RT_API bool rt_object_field_set(RtValue object, uint32_t index, RtValue value)
{
    RtObject *o = object_of(object);
    if (o == NULL || index >= o->field_count)
        return false;
    o->fields[index] = value;
    return true;
}

RT_API RtValue rt_closure_new(const void *func_ptr, uint32_t capture_count)
{
    if (capture_count > RTX_CLOSURE_MAX_CAPTURES)
        return RT_NIL;
    RtClosure *c = (RtClosure *)rtx_heap_alloc(
        RT_HEAP_CLOSURE, sizeof *c + (size_t)capture_count * sizeof(RtValue));
    if (c == NULL)
        return RT_NIL;
    c->func_ptr = func_ptr;
    c->capture_count = capture_count;
    for (uint32_t i = 0; i < capture_count; i++)
        c->captures[i] = RT_NIL;
    return rtx_heap_value(&c->hdr);
}

RT_API const void *rt_closure_func_ptr(RtValue closure)
{
    const RtClosure *c = closure_of(closure);
    return c ? c->func_ptr : NULL;
}

RT_API RtValue rt_closure_get_capture(RtValue closure, uint32_t index)
{
    const RtClosure *c = closure_of(closure);
    return (c && index < c->capture_count) ? c->captures[index] : RT_NIL;
}

RT_API bool rt_closure_set_capture(RtValue closure, uint32_t index, RtValue value)
{
    RtClosure *c = closure_of(closure);
    if (c == NULL || index >= c->capture_count)
        return false;
    c->captures[index] = value;
    return true;
}
