/*
 * fuzz/targets/introspection.c — the introspection family
 * (spec/ffi/introspection.sdn) on every kind of value, with the oracle that
 * names and type numbers agree with each other.
 */
#include <string.h>

#include "fuzz/rtz.h"
#include "rtz_introspection.h"
#include "rtz_value.h"

static void prop_name_matches_type(rtz *z)
{
    RtValue v = rtz_rv(z);
    const char *name = rt_value_type_name(v);
    int64_t t = rt_value_heap_type(v);
    RTZ_CHECK(name != NULL);
    if (t == RT_HEAP_OBJECT) {
        RTZ_CHECK(strcmp(name, "object") == 0);
        RTZ_CHECK(rt_object_field_count(v) >= 0 && rt_object_class_id(v) >= 0);
    } else {
        RTZ_CHECK(rt_object_class_id(v) == -1 && rt_object_field_count(v) == -1);
    }
    if (t == RT_HEAP_STRING)
        RTZ_CHECK(strcmp(name, "string") == 0);
}

static const rtz_op ops[] = {
    RTZ_OP(rt_object_class_id), RTZ_OP(rt_object_field_count), RTZ_OP(rt_value_heap_type),
    RTZ_OP(rt_value_type_name), RTZ_OP(rt_object_new), RTZ_OP(rt_free),
    RTZ_OP(rt_string_new), RTZ_OP(rt_value_int),
    {"prop_name_matches_type", prop_name_matches_type},
};

RTZ_SEQUENCE_TARGET(ops, NULL)
