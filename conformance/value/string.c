/* Conformance: rt_string_new, rt_string_len, rt_string_data, rt_string_concat
 * (spec/ffi/value.sdn). */
#include <string.h>

#include "conformance/rtc.h"
#include "runtime/layout.h"

RTC_TEST(value_string, new_copies_bytes_and_terminates)
{
    uint8_t buf[] = {'h', 'i', 0, 'x'};
    RtValue s = rt_string_new(buf, 4);
    buf[0] = 'X';   /* the string owns a copy */
    cr_assert_eq(rt_string_len(s), 4);
    const uint8_t *d = rt_string_data(s);
    cr_assert_not_null(d);
    cr_assert_arr_eq(d, "hi\0x", 4);
    cr_assert_eq(d[4], 0, "a NUL follows the bytes");
    rt_free(s);
}

RTC_TEST(value_string, layout_and_hash_match_upstream)
{
    RtValue s = rt_string_new((const uint8_t *)"abc", 3);
    const RtString *p = (const RtString *)(uintptr_t)(s & ~RT_TAG_MASK);
    cr_assert_eq(p->hdr.object_type, RT_HEAP_STRING);
    cr_assert_eq(p->len, 3u);
    /* FNV-1a 64 of "abc" */
    cr_assert_eq(p->hash, UINT64_C(0xe71fa2190541574b));
    cr_assert_eq(rt_string_data(s), p->bytes);
    cr_assert_eq((uintptr_t)rt_string_data(s) - (uintptr_t)p, 24u, "bytes at +24");
    rt_free(s);
    RtValue e = rt_string_new((const uint8_t *)"", 0);
    cr_assert_eq(((const RtString *)(uintptr_t)(e & ~RT_TAG_MASK))->hash, 0u, "empty hashes to 0");
    rt_free(e);
}

RTC_TEST(value_string, empty_and_null)
{
    RtValue e = rt_string_new(NULL, 0);
    cr_assert(rt_value_is_heap(e), "NULL with len 0 is the empty string");
    cr_assert_eq(rt_string_len(e), 0);
    cr_assert_eq(rt_string_data(e)[0], 0);
    cr_assert(rt_value_truthy(e));
    rt_free(e);
    cr_assert_eq(rt_string_new(NULL, 5), RT_NIL, "NULL with len > 0 is NIL");
}

RTC_TEST(value_string, huge_length_is_refused)
{
    static const uint8_t one = 'a';
    cr_assert_eq(rt_string_new(&one, (UINT64_C(1) << 30) + 1), RT_NIL);
    cr_assert_eq(rt_string_new(&one, UINT64_MAX), RT_NIL);
}

RTC_TEST(value_string, concat)
{
    RtValue a = rt_string_new((const uint8_t *)"foo", 3), b = rt_string_new((const uint8_t *)"bar", 3);
    RtValue e = rt_string_new(NULL, 0);
    RtValue ab = rt_string_concat(a, b), ae = rt_string_concat(a, e), ee = rt_string_concat(e, e);
    cr_assert_eq(rt_string_len(ab), 6);
    cr_assert_arr_eq(rt_string_data(ab), "foobar", 7);
    cr_assert_eq(rt_string_len(ae), 3);
    cr_assert_neq(ae, a, "concat makes a new string");
    cr_assert_eq(rt_string_len(ee), 0);
    cr_assert_eq(rt_string_concat(a, rt_value_int(1)), RT_NIL);
    cr_assert_eq(rt_string_concat(RT_NIL, b), RT_NIL);
    RtValue vals[] = {a, b, e, ab, ae, ee};
    for (size_t i = 0; i < 6; i++)
        rt_free(vals[i]);
}

RTC_TEST(value_string, hostile_values)
{
    RtValue arr = rt_array_new(1);
    RtValue stale = rtc_freed_value();
    RtValue bad[RTC_NBOGUS + 3];
    memcpy(bad, rtc_bogus, sizeof rtc_bogus);
    bad[RTC_NBOGUS] = arr;
    bad[RTC_NBOGUS + 1] = stale;
    bad[RTC_NBOGUS + 2] = rt_value_int(9);
    for (size_t i = 0; i < RTC_NBOGUS + 3; i++) {
        cr_assert_eq(rt_string_len(bad[i]), -1, "value %zu", i);
        cr_assert_null(rt_string_data(bad[i]), "value %zu", i);
        cr_assert_eq(rt_string_concat(bad[i], bad[i]), RT_NIL, "value %zu", i);
    }
    rt_free(arr);
}
