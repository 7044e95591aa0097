/* Conformance: rt_print_value, rt_println_value, rt_eprint_value,
 * rt_eprintln_value (spec/ffi/print.sdn): the display form of every kind
 * of value. Floats have their own suite (float_display.c). */
#include "conformance/rtc.h"
#include "conformance/rtc_io.h"
#include "runtime/heap.h"

/* The display form of v through each of the four functions; all four must
 * agree (the ln ones with a newline) and the text is returned in buf. */
static void display(RtValue v, char *buf, size_t cap)
{
    void (*const fns[4])(RtValue) = {rt_print_value, rt_println_value, rt_eprint_value,
                                     rt_eprintln_value};
    char first[512] = "";
    size_t first_len = 0;
    for (int i = 0; i < 4; i++) {
        int err = i >= 2, ln = i & 1;
        if (err)
            rt_capture_stderr_start();
        else
            rt_capture_stdout_start();
        fns[i](v);
        RtValue s = err ? rt_capture_stderr_stop() : rt_capture_stdout_stop();
        int64_t n = rt_string_len(s);
        cr_assert(n >= ln && (size_t)n < sizeof first, "function %d", i);
        const uint8_t *d = rt_string_data(s);
        if (ln)
            cr_assert_eq(d[n - 1], '\n', "function %d ends the line", i);
        size_t body = (size_t)n - (size_t)ln;
        if (i == 0) {
            memcpy(first, d, body);
            first_len = body;
        } else {
            cr_assert(body == first_len && memcmp(first, d, body) == 0,
                      "function %d disagrees with rt_print_value", i);
        }
        rt_free(s);
    }
    cr_assert(first_len < cap);
    memcpy(buf, first, first_len);
    buf[first_len] = 0;
}

static void expect(RtValue v, const char *want)
{
    char got[512];
    display(v, got, sizeof got);
    cr_assert_str_eq(got, want, "value 0x%" PRIx64, (uint64_t)v);
}

/* The upstream io_print.rs and value_to_display_string cases. */
RTC_TEST(print_value, upstream_cases)
{
    expect(rt_value_int(42), "42");
    expect(rt_value_int(99), "99");
    expect(RT_TRUE, "true");
    expect(RT_FALSE, "false");
    expect(RT_NIL, "nil");
    expect(rt_value_float(3.14), "3.139999999999997");   /* 3 mantissa bits lost */
    expect(rt_value_float(3.25), "3.25");
    rt_capture_stdout_start();
    rt_print_value(RT_TRUE);
    rt_print_str((const uint8_t *)" ", 1);
    rt_print_value(RT_FALSE);
    RtValue s = rt_capture_stdout_stop();
    cr_assert(RTC_STR_EQ(s, "true false"));
    rt_free(s);
    rt_capture_stdout_start();
    rt_println_value(rt_value_int(42));
    s = rt_capture_stdout_stop();
    cr_assert(RTC_STR_EQ(s, "42\n"));
    rt_free(s);
    rt_capture_stderr_start();
    rt_eprint_value(rt_value_int(99));
    s = rt_capture_stderr_stop();
    cr_assert(RTC_STR_EQ(s, "99"));
    rt_free(s);
    rt_capture_stderr_start();
    rt_eprintln_value(rt_value_int(99));
    s = rt_capture_stderr_stop();
    cr_assert(RTC_STR_EQ(s, "99\n"));
    rt_free(s);
}

RTC_TEST(print_value, ints_in_decimal)
{
    expect(rt_value_int(0), "0");
    expect(rt_value_int(-1), "-1");
    expect(rt_value_int(RT_INT_INLINE_MAX), "1152921504606846975");
    expect(rt_value_int(RT_INT_INLINE_MIN), "-1152921504606846976");
    RtValue big = rt_value_int(INT64_MAX), small = rt_value_int(INT64_MIN);
    cr_assert(rt_value_is_heap(big) && rt_value_is_heap(small), "boxed");
    expect(big, "9223372036854775807");
    expect(small, "-9223372036854775808");
    rt_free(big);
    rt_free(small);
    expect((RtValue)0, "0");
}

RTC_TEST(print_value, strings_as_their_bytes)
{
    RtValue s = rt_string_new((const uint8_t *)"héllo wörld", 13);
    expect(s, "héllo wörld");
    rt_free(s);
    s = rt_string_new(NULL, 0);
    expect(s, "");
    rt_free(s);
    /* Embedded NUL bytes are printed too. */
    s = rt_string_new((const uint8_t *)"a\0b", 3);
    rt_capture_stdout_start();
    rt_println_value(s);
    RtValue out = rt_capture_stdout_stop();
    cr_assert(rtc_str_eq(out, "a\0b\n", 4));
    rt_free(out);
    rt_free(s);
}

/* Invalid UTF-8 is replaced as String::from_utf8_lossy does: one U+FFFD
 * per maximal ill-formed subpart (Unicode §3.9, Table 3-8). */
RTC_TEST(print_value, invalid_utf8_is_replaced_lossily)
{
    static const struct {
        const char *in;
        size_t n;
        const char *want;
    } cases[] = {
        {"ab\xFF" "c", 4, "ab\xEF\xBF\xBD" "c"},
        {"\xFF\xFE", 2, "\xEF\xBF\xBD\xEF\xBF\xBD"},
        {"\xC0\x80", 2, "\xEF\xBF\xBD\xEF\xBF\xBD"},             /* overlong: 2 subparts */
        {"\xE0\x80\x80", 3, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
        {"\xED\xA0\x80", 3, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"}, /* surrogate */
        {"\xF0\x90\x80" "A", 4, "\xEF\xBF\xBD" "A"},              /* truncated 4-byte: one */
        {"\xE2\x82", 2, "\xEF\xBF\xBD"},                          /* truncated at the end */
        {"\xF4\x90\x80\x80", 4, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
        {"\xE2\x82\xAC", 3, "\xE2\x82\xAC"},                      /* a valid euro sign */
        {"\xF0\x9F\x98\x80\x80", 5, "\xF0\x9F\x98\x80\xEF\xBF\xBD"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        RtValue s = rt_string_new((const uint8_t *)cases[i].in, cases[i].n);
        expect(s, cases[i].want);
        rt_free(s);
    }
}

static void expect_addr(RtValue v, const char *kind)
{
    char want[64];
    snprintf(want, sizeof want, "<%s@0x%" PRIxPTR ">", kind, (uintptr_t)(v & ~RT_TAG_MASK));
    expect(v, want);
}

RTC_TEST(print_value, heap_objects_by_address)
{
    RtValue a = rt_array_new(2), o = rt_object_new(1, 2), c = rt_closure_new(NULL, 0);
    RtValue t = rt_tuple_new(1);
    expect_addr(a, "array");
    expect_addr(o, "object");
    expect_addr(c, "closure");
    expect_addr(t, "heap");   /* upstream names only the four kinds above */
    /* Kinds other families create, built here as bare registered objects. */
    RtValue cv = rt_contract_violation_new(0, NULL, 0, NULL, 0);
    expect_addr(cv, "heap");
    rt_free(cv);
    RtHeapHeader *d = rtx_heap_alloc(RT_HEAP_DICT, 32);
    RtHeapHeader *m = rtx_heap_alloc(RT_HEAP_MUTEX, 32);
    cr_assert(d && m);
    expect_addr(rtx_heap_value(d), "dict");
    expect_addr(rtx_heap_value(m), "heap");
    rt_free(rtx_heap_value(d));
    rt_free(rtx_heap_value(m));
    rt_free(a);
    rt_free(o);
    rt_free(c);
    rt_free(t);
}

/* Symbols, reserved tags, freed and invented heap words: the raw word. */
RTC_TEST(print_value, everything_else_as_the_raw_word)
{
    expect((RtValue)0x1B, "<value:0x1b>");   /* symbol 3 (C runtime's ERROR) */
    expect((RtValue)((UINT64_C(77) << 3) | 3), "<value:0x26b>");
    expect((RtValue)0x4, "<value:0x4>");
    expect((RtValue)0x5, "<value:0x5>");
    expect((RtValue)0x6, "<value:0x6>");
    expect((RtValue)UINT64_C(0xFFFFFFFFFFFFFFFF), "<value:0xffffffffffffffff>");
    for (size_t i = 0; i < RTC_NBOGUS; i++) {
        char want[64];
        snprintf(want, sizeof want, "<value:0x%" PRIx64 ">", (uint64_t)rtc_bogus[i]);
        expect(rtc_bogus[i], want);
    }
    RtValue stale = rtc_freed_value();
    char want[64];
    snprintf(want, sizeof want, "<value:0x%" PRIx64 ">", (uint64_t)stale);
    expect(stale, want);
}

RTC_TEST(print_value, goes_to_the_right_descriptor)
{
    char out[64], err[64];
    rtc_redirect r, e;
    rtc_redirect_begin(&r, 1);
    rtc_redirect_begin(&e, 2);
    RtValue s = rt_string_new((const uint8_t *)"s", 1);
    rt_print_value(rt_value_int(1));
    rt_println_value(s);
    rt_eprint_value(RT_NIL);
    rt_eprintln_value(rt_value_float(-0.0));
    rt_free(s);
    rtc_redirect_end(&e, err, sizeof err);
    rtc_redirect_end(&r, out, sizeof out);
    cr_assert_str_eq(out, "1s\n");
    cr_assert_str_eq(err, "nil-0\n");
}

#ifdef RTX_TESTING
#include "runtime/mem.h"
/* Out of memory while making a lossy copy: only the newline is printed. */
RTC_TEST(print_value, out_of_memory_prints_only_the_newline)
{
    RtValue s = rt_string_new((const uint8_t *)"\xFF", 1);
    rt_capture_stdout_start();
    rt_print_str((const uint8_t *)"x", 1);   /* the capture buffer exists now */
    rtx_mem_fail_at(1, 1);
    rt_println_value(s);
    rtx_mem_fail_at(0, 0);
    RtValue out = rt_capture_stdout_stop();
    cr_assert(RTC_STR_EQ(out, "x\n"));
    rt_free(out);
    rt_free(s);
}
#endif
