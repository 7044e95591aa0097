/*
 * fuzz/targets/value.c — operation sequences over the value family
 * (spec/ffi/value.sdn), with oracles: round trips hold, lengths stay sane,
 * and every live string keeps its NUL terminator.
 */
#include <math.h>
#include <string.h>

#include "fuzz/rtz.h"
#include "rtz_value.h"

/* rt_value_int/as_int round-trip every int64, boxed or not. */
static void prop_int_round_trip(rtz *z)
{
    int64_t x = rtz_i64(z);
    RtValue v = rt_value_int(x);
    RTZ_CHECK(v == RT_NIL || rt_value_as_int(v) == x);
    RTZ_CHECK(v == RT_NIL || rt_value_is_int(v));
    rt_free(v);
}

/* A float keeps all but its 3 low mantissa bits. */
static void prop_float_round_trip(rtz *z)
{
    double d = rtz_f64(z);
    double back = rt_value_as_float(rt_value_float(d));
    uint64_t a, b;
    memcpy(&a, &d, 8);
    memcpy(&b, &back, 8);
    RTZ_CHECK((a & ~UINT64_C(7)) == b);
}

/* push then get(-1) answers what was pushed; pop gives it back. */
static void prop_array_push_pop(rtz *z)
{
    RtValue a = rtz_rv_of(z, RT_HEAP_ARRAY), v = rtz_rv(z);
    int64_t n = rt_array_len(a);
    if (rt_array_push(a, v)) {
        RTZ_CHECK(rt_array_len(a) == n + 1);
        RTZ_CHECK(rt_array_get(a, -1) == v);
        RTZ_CHECK(rt_array_pop(a) == v);
        RTZ_CHECK(rt_array_len(a) == n);
    }
}

/* concat's length is the sum, its bytes the two strings in order. */
static void prop_concat(rtz *z)
{
    RtValue x = rtz_rv_of(z, RT_HEAP_STRING), y = rtz_rv_of(z, RT_HEAP_STRING);
    RtValue c = rt_string_concat(x, y);
    if (c != RT_NIL) {
        int64_t lx = rt_string_len(x), ly = rt_string_len(y);
        RTZ_CHECK(rt_string_len(c) == lx + ly);
        RTZ_CHECK(memcmp(rt_string_data(c), rt_string_data(x), (size_t)lx) == 0);
        RTZ_CHECK(memcmp(rt_string_data(c) + lx, rt_string_data(y), (size_t)ly) == 0);
        rtz_adopt(z, c);
    }
}

static const rtz_op ops[] = {
    RTZ_OP(rt_value_int), RTZ_OP(rt_value_float), RTZ_OP(rt_value_bool), RTZ_OP(rt_value_nil),
    RTZ_OP(rt_value_as_int), RTZ_OP(rt_value_as_float), RTZ_OP(rt_value_as_bool),
    RTZ_OP(rt_value_truthy), RTZ_OP(rt_value_is_nil), RTZ_OP(rt_value_is_int),
    RTZ_OP(rt_value_is_float), RTZ_OP(rt_value_is_bool), RTZ_OP(rt_value_is_heap),
    RTZ_OP(rt_value_eq), RTZ_OP(rt_free), RTZ_OP(rt_string_new), RTZ_OP(rt_string_len),
    RTZ_OP(rt_string_data), RTZ_OP(rt_string_concat), RTZ_OP(rt_array_new),
    RTZ_OP(rt_array_len), RTZ_OP(rt_array_get), RTZ_OP(rt_array_set), RTZ_OP(rt_array_push),
    RTZ_OP(rt_array_pop), RTZ_OP(rt_array_clear), RTZ_OP(rt_tuple_new), RTZ_OP(rt_tuple_len),
    RTZ_OP(rt_tuple_get), RTZ_OP(rt_tuple_set), RTZ_OP(rt_object_new),
    RTZ_OP(rt_object_field_get), RTZ_OP(rt_object_field_set), RTZ_OP(rt_closure_new),
    RTZ_OP(rt_closure_func_ptr), RTZ_OP(rt_closure_get_capture),
    RTZ_OP(rt_closure_set_capture),
    {"prop_int_round_trip", prop_int_round_trip},
    {"prop_float_round_trip", prop_float_round_trip},
    {"prop_array_push_pop", prop_array_push_pop},
    {"prop_concat", prop_concat},
};

/* After every operation: whatever the pool holds is still well formed. */
static void check(rtz *z)
{
    for (size_t i = 0; i < z->nvals; i++) {
        RtValue v = z->vals[i];
        int64_t n = rt_string_len(v);
        if (n >= 0)
            RTZ_CHECK(rt_string_data(v)[n] == 0);
        RTZ_CHECK(rt_array_len(v) >= -1 && rt_array_len(v) <= 100000000);
    }
}

RTZ_SEQUENCE_TARGET(ops, check)
