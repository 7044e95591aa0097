/* Conformance: doctest_read_file (spec/ffi/doctest.sdn): exact contents,
 * strict UTF-8, non-regular files, the size limit, permissions, hostile
 * arguments and allocation failure. */
#include "conformance/doctest/tree.h"
#include "runtime/doctest_priv.h"
#ifdef RTX_TESTING
#include "runtime/mem.h"
#endif

static RtValue read_path(const char *path)
{
    RtValue p = str(path);
    RtValue r = doctest_read_file(p);
    rt_free(p);
    return r;
}

/* Writes bytes to a fresh file in t and reads it back. */
static RtValue read_bytes(const tree *t, const char *name, const void *data, size_t n)
{
    tree_write(t, name, data, n);
    return read_path(tpath(t, "%s", name));
}

RTC_TEST(doctest_read_file, exact_contents)
{
    tree t;
    tree_init(&t);
    static const char text[] = "fn main():\n    print \"h\xC3\xA9llo\"\n";
    RtValue r = read_bytes(&t, "a.spl", text, sizeof text - 1);
    assert_text(r, text, sizeof text - 1);
    cr_assert_eq(rt_string_data(r)[sizeof text - 1], 0, "strings keep their NUL");
    rt_free(r);
    /* NUL bytes are valid UTF-8 and come back as they are. */
    r = read_bytes(&t, "nul", "a\0b\0", 4);
    assert_text(r, "a\0b\0", 4);
    rt_free(r);
    /* One byte; a file without a final newline. */
    r = read_bytes(&t, "one", "x", 1);
    assert_text(r, "x", 1);
    rt_free(r);
    tree_done(&t);
}

RTC_TEST(doctest_read_file, empty_file_is_the_empty_string)
{
    tree t;
    tree_init(&t);
    RtValue r = read_bytes(&t, "empty", "", 0);
    cr_assert_neq(r, RT_NIL, "an empty file reads as \"\", not NIL");
    cr_assert_eq(rt_string_len(r), 0);
    rt_free(r);
    tree_done(&t);
}

RTC_TEST(doctest_read_file, large_file_round_trips)
{
    tree t;
    tree_init(&t);
    /* 3 MiB + 7: several read() calls, every 2-, 3- and 4-byte form present. */
    size_t n = (3u << 20) + 7;
    char *buf = malloc(n);
    cr_assert_not_null(buf);
    static const char unit[] = "ab\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\n";
    const size_t u = sizeof unit - 1;   /* 12 bytes */
    for (size_t i = 0; i < n; i++)
        buf[i] = unit[i % u];
    n -= n % u;   /* end on a whole unit so the contents stay valid */
    RtValue r = read_bytes(&t, "big", buf, n);
    assert_text(r, buf, n);
    rt_free(r);
    free(buf);
    tree_done(&t);
}

RTC_TEST(doctest_read_file, invalid_utf8_is_nil)
{
    tree t;
    tree_init(&t);
    static const struct {
        const char *bytes;
        size_t n;
        const char *why;
    } bad[] = {
        {"\x80", 1, "lone continuation byte"},
        {"\xBF", 1, "lone continuation byte"},
        {"\xC0\x80", 2, "overlong NUL"},
        {"\xC1\xBF", 2, "overlong 2-byte"},
        {"\xE0\x80\x80", 3, "overlong 3-byte"},
        {"\xE0\x9F\xBF", 3, "overlong U+07FF"},
        {"\xF0\x80\x80\x80", 4, "overlong 4-byte"},
        {"\xF0\x8F\xBF\xBF", 4, "overlong U+FFFF"},
        {"\xED\xA0\x80", 3, "surrogate U+D800"},
        {"\xED\xBF\xBF", 3, "surrogate U+DFFF"},
        {"\xF4\x90\x80\x80", 4, "U+110000"},
        {"\xF5\x80\x80\x80", 4, "lead byte F5"},
        {"\xFE", 1, "byte FE"},
        {"\xFF", 1, "byte FF"},
        {"ok\xC3", 3, "truncated at the end"},
        {"\xE2\x82", 2, "truncated 3-byte"},
        {"\xE2\x82x", 3, "bad continuation"},
        {"\xF0\x9F\x98", 3, "truncated 4-byte"},
        {"abc\xC3\x28", 5, "continuation out of range"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        RtValue r = read_bytes(&t, "bad", bad[i].bytes, bad[i].n);
        cr_assert_eq(r, RT_NIL, "%s (case %zu) was accepted", bad[i].why, i);
    }
    static const struct {
        const char *bytes;
        size_t n;
    } good[] = {
        {"\x7F", 1}, {"\xC2\x80", 2}, {"\xDF\xBF", 2}, {"\xE0\xA0\x80", 3},
        {"\xED\x9F\xBF", 3}, {"\xEE\x80\x80", 3}, {"\xEF\xBF\xBF", 3},
        {"\xF0\x90\x80\x80", 4}, {"\xF4\x8F\xBF\xBF", 4},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        RtValue r = read_bytes(&t, "good", good[i].bytes, good[i].n);
        cr_assert_neq(r, RT_NIL, "valid case %zu refused", i);
        assert_text(r, good[i].bytes, good[i].n);
        rt_free(r);
    }
    /* An invalid byte far into a long ASCII file (past the 8-byte fast path). */
    char buf[5000];
    memset(buf, 'a', sizeof buf);
    buf[4097] = (char)0xFF;
    cr_assert_eq(read_bytes(&t, "late", buf, sizeof buf), RT_NIL);
    tree_done(&t);
}

RTC_TEST(doctest_read_file, not_a_regular_file_is_nil)
{
    tree t;
    tree_init(&t);
    tree_mkdir(&t, "dir");
    tree_file(&t, "target", "via link");
    tree_link(&t, "target", "link");
    tree_link(&t, "nowhere", "dangling");
    tree_link(&t, "self", "self");
    cr_assert_eq(mkfifo(tpath(&t, "fifo"), 0644), 0);
    cr_assert_eq(read_path(tpath(&t, "dir")), RT_NIL, "a directory");
    cr_assert_eq(read_path(t.root), RT_NIL);
    cr_assert_eq(read_path(tpath(&t, "fifo")), RT_NIL, "a FIFO (and the call did not block)");
    cr_assert_eq(read_path(tpath(&t, "dangling")), RT_NIL);
    cr_assert_eq(read_path(tpath(&t, "self")), RT_NIL, "a symlink loop");
    cr_assert_eq(read_path(tpath(&t, "missing")), RT_NIL);
    cr_assert_eq(read_path(tpath(&t, "target/x")), RT_NIL, "a file used as a directory");
    cr_assert_eq(read_path(""), RT_NIL);
    cr_assert_eq(read_path("/dev/null"), RT_NIL, "devices are refused (deviation)");
    cr_assert_eq(read_path("/dev/zero"), RT_NIL, "and would never end");
    RtValue r = read_path(tpath(&t, "link"));
    assert_text(r, "via link", 8);
    rt_free(r);
    tree_done(&t);
}

RTC_TEST(doctest_read_file, nul_or_invalid_utf8_in_the_path_is_nil)
{
    tree t;
    tree_init(&t);
    tree_file(&t, "f", "contents");
    char p[600];
    int n = snprintf(p, sizeof p, "%s/f", t.root);
    RtValue ok = strn(p, (size_t)n);
    RtValue r = doctest_read_file(ok);
    assert_text(r, "contents", 8);
    rt_free(r);
    rt_free(ok);
    RtValue with_nul = strn(p, (size_t)n + 1);   /* the NUL terminator inside the string */
    cr_assert_eq(doctest_read_file(with_nul), RT_NIL);
    rt_free(with_nul);
    tree_write(&t, "n\xff", "x", 1);
    n = snprintf(p, sizeof p, "%s/n\xff", t.root);
    RtValue bad = strn(p, (size_t)n);
    cr_assert_eq(doctest_read_file(bad), RT_NIL, "a path no Rust String can hold");
    rt_free(bad);
    tree_done(&t);
}

RTC_TEST(doctest_read_file, unreadable_file_is_nil)
{
    tree t;
    tree_init(&t);
    tree_file(&t, "secret", "x");
    cr_assert_eq(chmod(tpath(&t, "secret"), 0), 0);
    as_unprivileged(t.root, tpath(&t, "secret"));
    RtValue r = read_path(tpath(&t, "secret"));
    as_privileged();
    cr_assert_eq(r, RT_NIL);
    tree_done(&t);
}

RTC_TEST(doctest_read_file, over_the_size_limit_is_refused_before_reading)
{
    tree t;
    tree_init(&t);
    /* A sparse file one byte over 256 MiB: refusing it costs one fstat. */
    const char *p = tpath(&t, "huge");
    int fd = open(p, O_WRONLY | O_CREAT, 0644);
    cr_assert_geq(fd, 0);
    cr_assert_eq(ftruncate(fd, (off_t)RTX_DOCTEST_READ_MAX + 1), 0);
    close(fd);
    cr_assert_eq(read_path(p), RT_NIL);
    fd = open(p, O_WRONLY);
    int big = ftruncate(fd, (off_t)1 << 40) == 0;   /* 1 TiB, where the file system allows */
    close(fd);
    if (big)
        cr_assert_eq(read_path(p), RT_NIL);
    tree_done(&t);
}

#ifdef RTX_TESTING
RTC_TEST(doctest_read_file, size_limit_boundary)
{
    tree t;
    tree_init(&t);
    rtx_doctest_set_limits(&(rtx_doctest_limits){.read_max = 10});
    RtValue at = read_bytes(&t, "ten", "0123456789", 10);
    RtValue over = read_bytes(&t, "eleven", "0123456789A", 11);
    /* /proc files report size 0: the limit must hold while reading too. */
    RtValue proc = read_path("/proc/self/status");
    rtx_doctest_set_limits(NULL);
    RtValue proc_full = read_path("/proc/self/status");
    assert_text(at, "0123456789", 10);
    cr_assert_eq(over, RT_NIL, "limit + 1");
    cr_assert_eq(proc, RT_NIL, "a size-0 file longer than the limit");
    if (proc_full != RT_NIL) {
        cr_assert_gt(rt_string_len(proc_full), 10);
        cr_assert_eq(memcmp(rt_string_data(proc_full), "Name:", 5), 0,
                     "a file stat calls empty is read to its end");
    } else {
        cr_log_warn("/proc/self/status unreadable here; size-0 file path not covered");
    }
    rt_free(at);
    rt_free(proc_full);
    tree_done(&t);
}

RTC_TEST(doctest_read_file, allocation_failures_give_nil_and_leak_nothing)
{
    tree t;
    tree_init(&t);
    tree_file(&t, "f", "hello, world");
    RtValue p = str(tpath(&t, "f"));
    int failed_once = 0;
    for (uint64_t k = 1; k < 50; k++) {
        for (int sticky = 0; sticky < 2; sticky++) {
            rtx_mem_fail_at(k, sticky);
            RtValue r = doctest_read_file(p);
            uint64_t failures = rtx_mem_failures();
            rtx_mem_fail_at(0, 0);
            if (failures > 0) {
                failed_once = 1;
                cr_assert_eq(r, RT_NIL, "allocation %" PRIu64 " failed, yet a result came back", k);
            } else {
                assert_text(r, "hello, world", 12);
                rt_free(r);
            }
        }
    }
    cr_assert(failed_once, "fault injection never reached doctest_read_file");
    rt_free(p);
    tree_done(&t);
}
#endif

RTC_TEST(doctest_read_file, hostile_values_are_nil)
{
    RtValue freed = rtc_freed_value();
    RtValue arr = rt_array_new(1), obj = rt_object_new(3, 0), wide = rt_value_int(INT64_MAX);
    RtValue bad[] = {freed, arr, obj, wide, RT_NIL, RT_TRUE, RT_FALSE, rt_value_int(1),
                     rt_value_float(2.0)};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(doctest_read_file(bad[i]), RT_NIL, "value %zu", i);
    for (size_t i = 0; i < RTC_NBOGUS; i++)
        cr_assert_eq(doctest_read_file(rtc_bogus[i]), RT_NIL, "bogus %zu", i);
    for (int i = 0; i < RTC_NIMMEDIATE; i++)
        cr_assert_eq(doctest_read_file(rtc_immediate(i)), RT_NIL);
    rt_free(arr);
    rt_free(obj);
    rt_free(wide);
}
