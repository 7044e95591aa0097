/* Conformance: the return width of the value rows that compiled Simple code
 * reads as a 64-bit word (spec/ffi/value.sdn; upstream-abi.md §2.0, §2.18).
 *
 * rt_value_eq is in the newest SPEC as [I64, I64] -> [I64]; rt_value_as_bool
 * and rt_value_is_{nil,int,float,bool,heap} are in no SPEC version, so the
 * compiler calls them through the all-I64 fallback. Either way the caller
 * reads all of RAX, so these functions must return a full int64_t 0 or 1: a
 * C bool return sets only AL and leaves the caller the rest of whatever RAX
 * held (for rt_value_eq of two boxed ints, the upper bits of the second
 * int). The rows that SPEC declares with an I8 return (rt_value_truthy,
 * rt_array_push/set/clear, rt_tuple_set, rt_object_field_set,
 * rt_closure_set_capture) keep bool. */
#include "conformance/rtc.h"

#define RETURNS_I64(e) _Generic((e), int64_t: 1, default: 0)

/* How the compiled caller sees these functions. The pointer goes through a
 * volatile object so that the C compiler, which knows the declared type,
 * cannot rewrite the call to the declared signature. */
typedef int64_t (*i64_of_1)(RtValue);
typedef int64_t (*i64_of_2)(RtValue, RtValue);
typedef void (*any_fn)(void);

static i64_of_1 as_i64_1(any_fn f)
{
    any_fn volatile p = f;
    return (i64_of_1)p;
}

static i64_of_2 as_i64_2(any_fn f)
{
    any_fn volatile p = f;
    return (i64_of_2)p;
}
#define AS_I64_1(f) as_i64_1((any_fn)(f))
#define AS_I64_2(f) as_i64_2((any_fn)(f))

RTC_TEST(value_abi, rows_read_as_i64_return_int64_t)
{
    cr_assert(RETURNS_I64(rt_value_eq(RT_NIL, RT_NIL)), "rt_value_eq: SPEC returns I64");
    cr_assert(RETURNS_I64(rt_value_as_bool(RT_NIL)), "rt_value_as_bool: all-I64 fallback");
    cr_assert(RETURNS_I64(rt_value_is_nil(RT_NIL)), "rt_value_is_nil: all-I64 fallback");
    cr_assert(RETURNS_I64(rt_value_is_int(RT_NIL)), "rt_value_is_int: all-I64 fallback");
    cr_assert(RETURNS_I64(rt_value_is_float(RT_NIL)), "rt_value_is_float: all-I64 fallback");
    cr_assert(RETURNS_I64(rt_value_is_bool(RT_NIL)), "rt_value_is_bool: all-I64 fallback");
    cr_assert(RETURNS_I64(rt_value_is_heap(RT_NIL)), "rt_value_is_heap: all-I64 fallback");
}

/* The same functions called the way compiled code calls them: the whole
 * word is 0 or 1. */
RTC_TEST(value_abi, whole_word_is_0_or_1)
{
    RtValue big1 = rt_value_int(INT64_C(1) << 62), big2 = rt_value_int((INT64_C(1) << 62) + 1);
    RtValue s = rt_string_new((const uint8_t *)"s", 1);
    const RtValue vals[] = {RT_NIL,  RT_TRUE, RT_FALSE,          rt_value_int(7),
                            big1,    big2,    rt_value_float(2.5), s,
                            rtc_bogus[0], rtc_bogus[6]};
    const size_t n = sizeof vals / sizeof vals[0];
    for (size_t i = 0; i < n; i++) {
        RtValue v = vals[i];
        cr_assert_eq(AS_I64_1(rt_value_as_bool)(v), v == RT_TRUE, "as_bool %zu", i);
        cr_assert_eq(AS_I64_1(rt_value_is_nil)(v), v == RT_NIL, "is_nil %zu", i);
        cr_assert_eq(AS_I64_1(rt_value_is_int)(v), (v & 7) == 0 || v == big1 || v == big2,
                     "is_int %zu", i);
        cr_assert_eq(AS_I64_1(rt_value_is_float)(v), (v & 7) == 2, "is_float %zu", i);
        cr_assert_eq(AS_I64_1(rt_value_is_bool)(v), v == RT_TRUE || v == RT_FALSE,
                     "is_bool %zu", i);
        cr_assert_eq(AS_I64_1(rt_value_is_heap)(v), (v & 7) == 1, "is_heap %zu", i);
        for (size_t j = 0; j < n; j++)
            cr_assert_eq(AS_I64_2(rt_value_eq)(v, vals[j]), i == j, "eq %zu %zu", i, j);
    }
    rt_free(big1);
    rt_free(big2);
    rt_free(s);
}
