/*
 * simplert/value.h — RtValue constructors and accessors, strings, arrays,
 * tuples, objects, closures, rt_free. Contract: spec/ffi/value.sdn.
 *
 * Error convention: a function given a value of the wrong type, a freed
 * object or a bogus word returns its documented default (NIL, false, -1,
 * 0, NULL) and changes nothing. Heap values are the caller's to rt_free;
 * rt_free is shallow (it does not free the elements of a container).
 */
#ifndef SIMPLERT_VALUE_H
#define SIMPLERT_VALUE_H

#include "simplert/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Immediate values */
RT_API RtValue rt_value_int(int64_t i);
RT_API RtValue rt_value_float(double f);
RT_API RtValue rt_value_bool(bool b);
RT_API RtValue rt_value_nil(void);
RT_API int64_t rt_value_as_int(RtValue v);
RT_API double rt_value_as_float(RtValue v);
RT_API int64_t rt_value_as_bool(RtValue v);
RT_API bool rt_value_truthy(RtValue v);
RT_API int64_t rt_value_is_nil(RtValue v);
RT_API int64_t rt_value_is_int(RtValue v);
RT_API int64_t rt_value_is_float(RtValue v);
RT_API int64_t rt_value_is_bool(RtValue v);
RT_API int64_t rt_value_is_heap(RtValue v);
RT_API int64_t rt_value_eq(RtValue a, RtValue b);

/* Memory */
RT_API void rt_free(RtValue v);

/* Strings */
RT_API RtValue rt_string_new(const uint8_t *bytes, uint64_t len);
RT_API int64_t rt_string_len(RtValue s);
RT_API const uint8_t *rt_string_data(RtValue s);
RT_API RtValue rt_string_concat(RtValue a, RtValue b);

/* Arrays */
RT_API RtValue rt_array_new(uint64_t capacity);
RT_API int64_t rt_array_len(RtValue array);
RT_API RtValue rt_array_get(RtValue array, int64_t index);
RT_API bool rt_array_set(RtValue array, int64_t index, RtValue value);
RT_API bool rt_array_push(RtValue array, RtValue value);
RT_API RtValue rt_array_pop(RtValue array);
RT_API bool rt_array_clear(RtValue array);

/* Tuples */
RT_API RtValue rt_tuple_new(uint64_t len);
RT_API int64_t rt_tuple_len(RtValue tuple);
RT_API RtValue rt_tuple_get(RtValue tuple, uint64_t index);
RT_API bool rt_tuple_set(RtValue tuple, uint64_t index, RtValue value);

/* Objects */
RT_API RtValue rt_object_new(uint32_t class_id, uint32_t field_count);
RT_API RtValue rt_object_field_get(RtValue object, uint32_t index);
RT_API bool rt_object_field_set(RtValue object, uint32_t index, RtValue value);

/* Closures */
RT_API RtValue rt_closure_new(const void *func_ptr, uint32_t capture_count);
RT_API const void *rt_closure_func_ptr(RtValue closure);
RT_API RtValue rt_closure_get_capture(RtValue closure, uint32_t index);
RT_API bool rt_closure_set_capture(RtValue closure, uint32_t index, RtValue value);

#ifdef __cplusplus
}
#endif
#endif /* SIMPLERT_VALUE_H */
