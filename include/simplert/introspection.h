/*
 * simplert/introspection.h — what a value is. Contract:
 * spec/ffi/introspection.sdn. Non-matching values give -1 or "null".
 */
#ifndef SIMPLERT_INTROSPECTION_H
#define SIMPLERT_INTROSPECTION_H

#include "simplert/core.h"

#ifdef __cplusplus
extern "C" {
#endif

RT_API int64_t rt_object_class_id(RtValue object);
RT_API int64_t rt_object_field_count(RtValue object);
RT_API int64_t rt_value_heap_type(RtValue v);
RT_API const char *rt_value_type_name(RtValue v);

#ifdef __cplusplus
}
#endif
#endif /* SIMPLERT_INTROSPECTION_H */
