/* Conformance: rt_contract_violation_new, rt_contract_violation_kind,
 * rt_contract_violation_func_name, rt_contract_violation_message,
 * rt_is_contract_violation, rt_contract_violation_free
 * (spec/ffi/contracts.sdn). */
#include "conformance/rtc.h"
#include "conformance/rtc_io.h"

#define S(lit) (const uint8_t *)(lit), (int64_t)(sizeof(lit) - 1)

/* Upstream contracts.rs test_ffi_contract_violation_new and friends. */
RTC_TEST(violation, upstream_cases)
{
    RtValue v = rt_contract_violation_new(0, S("ffi_test"), S("test message"));
    cr_assert_neq(v, RT_NIL);
    cr_assert(rt_value_is_heap(v));
    cr_assert_eq(rt_contract_violation_kind(v), 0);
    cr_assert_eq(rt_is_contract_violation(v), 1);
    RtValue n = rt_contract_violation_func_name(v), m = rt_contract_violation_message(v);
    cr_assert(RTC_STR_EQ(n, "ffi_test") && RTC_STR_EQ(m, "test message"));
    rt_free(n);
    rt_free(m);
    rt_contract_violation_free(v);
    cr_assert_eq(rt_is_contract_violation(v), 0, "freed");
    /* test_ffi_not_a_violation */
    cr_assert_eq(rt_is_contract_violation(rt_value_int(42)), 0);
    cr_assert_eq(rt_contract_violation_kind(rt_value_int(42)), -1);
}

RTC_TEST(violation, kinds)
{
    for (int64_t k = 0; k <= 5; k++) {
        RtValue v = rt_contract_violation_new(k, S("f"), NULL, 0);
        cr_assert_eq(rt_contract_violation_kind(v), k, "kind 5 (Assertion) is kept too");
        rt_free(v);
    }
    static const int64_t unknown[] = {6, -1, 255, 256, INT64_MIN, INT64_MAX};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        RtValue v = rt_contract_violation_new(unknown[i], S("f"), NULL, 0);
        cr_assert_eq(rt_contract_violation_kind(v), 0, "unknown kind %" PRId64, unknown[i]);
        rt_free(v);
    }
}

/* The layout of upstream's RuntimeContractViolation (heap type 0x10). */
RTC_TEST(violation, layout_matches_upstream)
{
    RtValue v = rt_contract_violation_new(3, S("fn"), S("msg"));
    const uint8_t *p = (const uint8_t *)(uintptr_t)(v & ~RT_TAG_MASK);
    cr_assert_eq(((const RtHeapHeader *)p)->object_type, 0x10);
    cr_assert_eq(p[8], 3);
    const char *name, *msg;
    uint64_t nlen, mlen;
    memcpy(&name, p + 16, 8);
    memcpy(&nlen, p + 24, 8);
    memcpy(&msg, p + 32, 8);
    memcpy(&mlen, p + 40, 8);
    cr_assert_eq(nlen, 2);
    cr_assert_str_eq(name, "fn", "NUL-terminated copy");
    cr_assert_eq(mlen, 3);
    cr_assert_str_eq(msg, "msg");
    rt_contract_violation_free(v);
    v = rt_contract_violation_new(0, S("fn"), NULL, 0);
    p = (const uint8_t *)(uintptr_t)(v & ~RT_TAG_MASK);
    memcpy(&msg, p + 32, 8);
    memcpy(&mlen, p + 40, 8);
    cr_assert(msg == NULL && mlen == 0, "no message");
    rt_free(v);
}

static void expect_texts(RtValue v, const char *name, const char *msg)
{
    RtValue n = rt_contract_violation_func_name(v), m = rt_contract_violation_message(v);
    cr_assert(rtc_str_eq(n, name, strlen(name)), "name %s", name);
    if (msg)
        cr_assert(rtc_str_eq(m, msg, strlen(msg)), "message %s", msg);
    else
        cr_assert_eq(m, RT_NIL, "no message");
    rt_free(n);
    rt_free(m);
}

RTC_TEST(violation, name_and_message_rules)
{
    struct {
        const uint8_t *name;
        int64_t name_len;
        const uint8_t *msg;
        int64_t msg_len;
        const char *want_name, *want_msg;
    } cases[] = {
        {NULL, 0, NULL, 0, "<unknown>", NULL},
        {NULL, 7, (const uint8_t *)"m", 1, "<unknown>", "m"},
        {(const uint8_t *)"f", 0, (const uint8_t *)"m", 0, "<unknown>", NULL},
        {(const uint8_t *)"f", -1, (const uint8_t *)"m", -1, "<unknown>", NULL},
        {(const uint8_t *)"f", INT64_MIN, NULL, 9, "<unknown>", NULL},
        {(const uint8_t *)"\xFF\xFE\xFD", 3, (const uint8_t *)"ok", 2, "<invalid UTF-8>", "ok"},
        {(const uint8_t *)"f", 1, (const uint8_t *)"\xED\xA0\x80", 3, "f", NULL},
        {(const uint8_t *)"caf\xC3\xA9", 5, (const uint8_t *)"\xE2\x82\xAC", 3, "caf\xC3\xA9",
         "\xE2\x82\xAC"},
        {(const uint8_t *)"a\0b", 3, (const uint8_t *)"", 0, "a", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        RtValue v = rt_contract_violation_new(1, cases[i].name, cases[i].name_len, cases[i].msg,
                                              cases[i].msg_len);
        cr_assert_neq(v, RT_NIL, "case %zu", i);
        if (i == 8) {   /* an embedded NUL is part of the name */
            RtValue n = rt_contract_violation_func_name(v);
            cr_assert(rtc_str_eq(n, "a\0b", 3));
            rt_free(n);
        } else {
            expect_texts(v, cases[i].want_name, cases[i].want_msg);
        }
        rt_contract_violation_free(v);
    }
}

RTC_TEST(violation, long_texts_are_cut)
{
    static uint8_t name[70000], msg[70000];
    memset(name, 'n', sizeof name);
    memset(msg, 'm', sizeof msg);
    msg[65535] = 0xC3;   /* a 2-byte character across the limit */
    msg[65536] = 0xA9;
    RtValue v = rt_contract_violation_new(0, name, sizeof name, msg, sizeof msg);
    RtValue n = rt_contract_violation_func_name(v), m = rt_contract_violation_message(v);
    cr_assert_eq(rt_string_len(n), 65536);
    cr_assert_eq(rt_string_len(m), 65535);
    rt_free(n);
    rt_free(m);
    rt_free(v);
    /* Lengths are believed only up to the limit. */
    v = rt_contract_violation_new(0, name, INT64_MAX, NULL, 0);
    n = rt_contract_violation_func_name(v);
    cr_assert_eq(rt_string_len(n), 65536);
    rt_free(n);
    rt_free(v);
}

/* Accessor results are new strings, independent of the object. */
RTC_TEST(violation, results_are_new_strings)
{
    RtValue v = rt_contract_violation_new(0, S("f"), S("m"));
    RtValue a = rt_contract_violation_func_name(v), b = rt_contract_violation_func_name(v);
    cr_assert_neq(a, b);
    rt_contract_violation_free(v);
    cr_assert(RTC_STR_EQ(a, "f") && RTC_STR_EQ(b, "f"), "outlive the violation");
    rt_free(a);
    rt_free(b);
}

/* rt_free and rt_contract_violation_free release the same things, and a
 * second free of either kind is a no-op. */
RTC_TEST(violation, free_paths)
{
    uint64_t live = rtx_heap_live();
    RtValue a = rt_contract_violation_new(2, S("a"), S("message a"));
    RtValue b = rt_contract_violation_new(2, S("b"), S("message b"));
    cr_assert_eq(rtx_heap_live(), live + 2);
    rt_free(a);
    rt_contract_violation_free(b);
    cr_assert_eq(rtx_heap_live(), live);
    rt_free(a);
    rt_contract_violation_free(a);
    rt_contract_violation_free(b);
    rt_free(b);
    cr_assert_eq(rtx_heap_live(), live);
    /* The RTC_TEST leak checks catch a name or message left behind. */
}

RTC_TEST(violation, hostile_values)
{
    RtValue str = rt_string_new((const uint8_t *)"s", 1), arr = rt_array_new(1);
    RtValue stale = rt_contract_violation_new(0, S("gone"), NULL, 0);
    rt_contract_violation_free(stale);
    RtValue bad[RTC_NBOGUS + RTC_NIMMEDIATE + 4];
    size_t nb = 0;
    for (size_t i = 0; i < RTC_NBOGUS; i++)
        bad[nb++] = rtc_bogus[i];
    for (int i = 0; i < RTC_NIMMEDIATE; i++)
        bad[nb++] = rtc_immediate(i);
    bad[nb++] = str;
    bad[nb++] = arr;
    bad[nb++] = stale;
    bad[nb++] = rtc_freed_value();
    uint64_t live = rtx_heap_live();
    for (size_t i = 0; i < nb; i++) {
        cr_assert_eq(rt_contract_violation_kind(bad[i]), -1, "value %zu", i);
        cr_assert_eq(rt_contract_violation_func_name(bad[i]), RT_NIL);
        cr_assert_eq(rt_contract_violation_message(bad[i]), RT_NIL);
        cr_assert_eq(rt_is_contract_violation(bad[i]), 0);
        rt_contract_violation_free(bad[i]);
    }
    cr_assert_eq(rtx_heap_live(), live, "nothing was freed");
    cr_assert_eq(rt_string_len(str), 1, "the string is untouched");
    cr_assert_eq(rt_array_len(arr), 0);
    rt_free(str);
    rt_free(arr);
}

#ifdef RTX_TESTING
#include "runtime/mem.h"
/* Every allocation of _new can fail: NIL and nothing leaked. */
RTC_TEST(violation, out_of_memory_is_nil)
{
    for (uint64_t n = 1; n <= 4; n++) {
        rtx_mem_fail_at(n, 0);
        RtValue v = rt_contract_violation_new(1, S("name"), S("message"));
        uint64_t failed = rtx_mem_failures();
        rtx_mem_fail_at(0, 0);
        if (failed)
            cr_assert_eq(v, RT_NIL, "allocation %" PRIu64 " failed", n);
        rt_free(v);
    }
    RtValue v = rt_contract_violation_new(1, S("name"), S("message"));
    rtx_mem_fail_at(1, 1);
    RtValue n = rt_contract_violation_func_name(v), m = rt_contract_violation_message(v);
    rtx_mem_fail_at(0, 0);
    cr_assert(n == RT_NIL && m == RT_NIL);
    rt_free(v);
}
#endif
