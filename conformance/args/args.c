/* Conformance: rt_set_args, rt_get_args, rt_get_argc, rt_clear_args
 * (spec/ffi/args.sdn). */
#include <fcntl.h>
#include <pthread.h>

#include "conformance/rtc.h"
#include "conformance/rtc_io.h"
#include "runtime/args.h"

/* rt_get_args()'s strings must be exactly want[0..n); frees the result. */
static void expect_args(const char *const *want, size_t n)
{
    RtValue a = rt_get_args();
    cr_assert_neq(a, RT_NIL);
    cr_assert_eq(rt_array_len(a), (int64_t)n);
    for (size_t i = 0; i < n; i++) {
        RtValue s = rt_array_get(a, (int64_t)i);
        cr_assert(rtc_str_eq(s, want[i], strlen(want[i])), "argument %zu: want '%s'", i, want[i]);
        rt_free(s);
    }
    rt_free(a);
}

/* Upstream args.rs tests. */
RTC_TEST(args, upstream_cases)
{
    rt_clear_args();
    rt_set_args(0, NULL);
    cr_assert_eq(rt_get_argc(), 0);
    const char *const three[] = {"program", "foo", "bar"};
    rt_set_args(3, three);
    cr_assert_eq(rt_get_argc(), 3);
    expect_args(three, 3);
    const char *const two[] = {"prog", "a"}, *const again[] = {"prog", "b", "c"};
    rt_set_args(2, two);
    cr_assert_eq(rt_get_argc(), 2);
    rt_set_args(3, again);
    cr_assert_eq(rt_get_argc(), 3, "a second set replaces the first");
    expect_args(again, 3);
    rt_clear_args();
    cr_assert_eq(rt_get_argc(), 0);
}

RTC_TEST(args, unusable_entries_are_skipped)
{
    const char *const in[] = {"prog", NULL, "\xFF\xFE", "", "caf\xC3\xA9", "\xED\xA0\x80", "end"};
    rt_set_args(7, in);
    const char *const want[] = {"prog", "", "caf\xC3\xA9", "end"};
    cr_assert_eq(rt_get_argc(), 4);
    expect_args(want, 4);
    /* Nothing usable: an empty list, which rt_get_args then fills from the
     * process (a fuzz-found leak: the empty list's arrays were dropped). */
    const char *const junk[] = {NULL, "\xFF"};
    rt_set_args(2, junk);
    cr_assert_eq(rt_get_argc(), 0);
    RtValue a = rt_get_args();
    cr_assert_gt(rt_array_len(a), 0);
    for (int64_t i = 0; i < rt_array_len(a); i++)
        rt_free(rt_array_get(a, i));
    rt_free(a);
    rt_clear_args();
}

RTC_TEST(args, empty_and_refused_inputs)
{
    const char *const one[] = {"only"};
    static const int64_t empty_argc[] = {0, -1, INT32_MIN, INT64_MIN};
    for (size_t i = 0; i < sizeof empty_argc / sizeof empty_argc[0]; i++) {
        rt_set_args(1, one);
        rt_set_args(empty_argc[i], one);
        cr_assert_eq(rt_get_argc(), 0, "argc %" PRId64 " stores an empty list", empty_argc[i]);
    }
    rt_set_args(1, one);
    rt_set_args(5, NULL);
    cr_assert_eq(rt_get_argc(), 0, "NULL argv stores an empty list");
    /* Above 2^20 the call is refused and argv is never read. */
    rt_set_args(1, one);
    rt_set_args((INT64_C(1) << 20) + 1, one);
    rt_set_args(INT64_MAX, one);
    cr_assert_eq(rt_get_argc(), 1, "the stored list is unchanged");
    expect_args(one, 1);
    /* 2^20 itself is accepted. */
    static const char *big[1 << 20];
    big[0] = "first";
    big[(1 << 20) - 1] = "last";
    rt_set_args(1 << 20, big);
    const char *const want[] = {"first", "last"};
    expect_args(want, 2);
    rt_clear_args();
}

/* The store keeps copies: the caller's buffers may change afterwards, and
 * every rt_get_args result is a fresh array of fresh strings. */
RTC_TEST(args, copies_in_and_out)
{
    char a[] = "alpha", b[] = "beta";
    const char *in[] = {a, b};
    rt_set_args(2, in);
    a[0] = 'X';
    b[0] = 0;
    const char *const want[] = {"alpha", "beta"};
    expect_args(want, 2);
    RtValue x = rt_get_args(), y = rt_get_args();
    cr_assert_neq(x, y);
    RtValue x0 = rt_array_get(x, 0), y0 = rt_array_get(y, 0);
    cr_assert_neq(x0, y0, "elements are new strings too");
    for (int64_t i = 0; i < rt_array_len(x); i++)
        rt_free(rt_array_get(x, i));
    rt_free(x);
    cr_assert(RTC_STR_EQ(y0, "alpha"), "one result outlives the other");
    /* Changing a result changes nothing stored. */
    rt_free(rt_array_get(y, 1));
    rt_array_set(y, 1, RT_NIL);
    expect_args(want, 2);
    rt_free(y0);
    rt_free(y);
    rt_clear_args();
}

/* This process's own arguments, as the test reads them from procfs. */
static size_t own_args(char *buf, size_t cap, const char **argv, size_t max)
{
    int fd = open("/proc/self/cmdline", O_RDONLY);
    cr_assert(fd >= 0);
    size_t n = 0;
    ssize_t r;
    while (n < cap - 1 && (r = read(fd, buf + n, cap - 1 - n)) > 0)
        n += (size_t)r;
    close(fd);
    buf[n] = 0;
    size_t k = 0;
    for (size_t i = 0; i < n && k < max; i += strlen(buf + i) + 1)
        argv[k++] = buf + i;
    return k;
}

/* Nothing set (or cleared): rt_get_args fills the list from the process's
 * arguments; rt_get_argc alone does not. */
RTC_TEST(args, auto_initialises_from_the_process)
{
    static char buf[65536];
    const char *own[256];
    size_t n = own_args(buf, sizeof buf, own, 256);
    cr_assert(n >= 1);
    rt_clear_args();
    cr_assert_eq(rt_get_argc(), 0, "rt_get_argc does not auto-initialise");
    expect_args(own, n);
    cr_assert_eq(rt_get_argc(), (int64_t)n, "the list was filled");
    /* An explicitly empty list is also filled. */
    rt_set_args(0, NULL);
    expect_args(own, n);
    rt_clear_args();
}

/* Without the pair captured at load time, /proc/self/cmdline is read. */
RTC_TEST(args, procfs_fallback)
{
    static char buf[65536];
    const char *own[256];
    size_t n = own_args(buf, sizeof buf, own, 256);
    rtx_args_forget_startup();
    rt_clear_args();
    expect_args(own, n);
    rt_clear_args();
}

#ifdef RTX_TESTING
#include "runtime/mem.h"
/* Out of memory: set leaves the list as it was; get answers NIL; no leak. */
RTC_TEST(args, out_of_memory)
{
    const char *const keep[] = {"keep", "me"}, *const other[] = {"x", "y", "z"};
    rt_set_args(2, keep);
    for (uint64_t k = 1; k <= 6; k++) {
        rtx_mem_fail_at(k, 0);
        rt_set_args(3, other);
        uint64_t failed = rtx_mem_failures();
        rtx_mem_fail_at(0, 0);
        if (failed) {
            cr_assert_eq(rt_get_argc(), 2, "allocation %" PRIu64 " failed: unchanged", k);
        } else {
            cr_assert_eq(rt_get_argc(), 3);
            rt_set_args(2, keep);
        }
    }
    for (uint64_t k = 1; k <= 8; k++) {
        rtx_mem_fail_at(k, 0);
        RtValue a = rt_get_args();
        uint64_t failed = rtx_mem_failures();
        rtx_mem_fail_at(0, 0);
        if (failed)
            cr_assert_eq(a, RT_NIL, "allocation %" PRIu64 " failed", k);
        for (int64_t i = 0; i < rt_array_len(a); i++)
            rt_free(rt_array_get(a, i));
        rt_free(a);
    }
    /* Auto-initialisation failing for memory, through the procfs path too. */
    rtx_args_forget_startup();
    for (uint64_t k = 1; k <= 6; k++) {
        rt_clear_args();
        rtx_mem_fail_at(k, 0);
        RtValue a = rt_get_args();
        uint64_t failed = rtx_mem_failures();
        rtx_mem_fail_at(0, 0);
        if (failed)
            cr_assert_eq(a, RT_NIL);
        for (int64_t i = 0; i < rt_array_len(a); i++)
            rt_free(rt_array_get(a, i));
        rt_free(a);
    }
    rt_clear_args();
}
#endif

/* ---- threads ---- */

static const char *const set_a[] = {"a0", "a1"};
static const char *const set_b[] = {"b0", "b1", "b2"};

static void *args_worker(void *arg)
{
    int id = (int)(intptr_t)arg;
    for (int i = 0; i < 300; i++) {
        switch ((i + id) % 4) {
        case 0: rt_set_args(2, set_a); break;
        case 1: rt_set_args(3, set_b); break;
        case 2: rt_clear_args(); break;
        default: {
            RtValue a = rt_get_args();
            int64_t n = rt_array_len(a);
            /* Some whole list: a, b, or the process's own (never a mix). */
            RtValue first = n > 0 ? rt_array_get(a, 0) : RT_NIL;
            if (RTC_STR_EQ(first, "a0") && !(n == 2 && RTC_STR_EQ(rt_array_get(a, 1), "a1")))
                return (void *)1;
            if (RTC_STR_EQ(first, "b0") && !(n == 3 && RTC_STR_EQ(rt_array_get(a, 1), "b1") &&
                                             RTC_STR_EQ(rt_array_get(a, 2), "b2")))
                return (void *)1;
            for (int64_t k = 0; k < n; k++)
                rt_free(rt_array_get(a, k));
            rt_free(a);
            (void)rt_get_argc();
        }
        }
    }
    return NULL;
}

RTC_TEST(args, concurrent_set_get_clear)
{
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, args_worker, (void *)(intptr_t)i);
    int bad = 0;
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(t[i], &r);
        bad |= r != NULL;
    }
    cr_assert_not(bad, "a reader saw a list mixed from two writers");
    rt_clear_args();
}
