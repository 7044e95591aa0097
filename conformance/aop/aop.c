/* Conformance: rt_aop_invoke_around, rt_aop_proceed (spec/ffi/aop.sdn).
 * Upstream has no tests for this family; these pin its documented
 * behaviour (advices[0] outermost, proceed exactly once) and simplert's
 * answers to misuse, which upstream turns into panics. */
#include <pthread.h>

#include "conformance/rtc.h"
#include "conformance/rtc_io.h"

/* ---- an event log the callbacks write to ---- */

static char trace[4096];
static void log_ev(const char *s)
{
    strncat(trace, s, sizeof trace - strlen(trace) - 1);
}

static int target_calls;
static uint64_t target_argc;
static const RtValue *target_argv;

static RtValue sum_target(uint64_t argc, const RtValue *argv)
{
    target_calls++;
    target_argc = argc;
    target_argv = argv;
    log_ev("T ");
    int64_t s = 0;
    for (uint64_t i = 0; i < argc; i++)
        s += rt_value_as_int(argv[i]);
    return rt_value_int(s);
}

static RtProceedContext *last_ctx;   /* the context the last advice got */
static int advice_calls;

/* A well-behaved advice: logs, proceeds once, adds 100 to the result. */
#define NAMED_ADVICE(NAME, TAG)                                                            \
    static RtValue NAME(RtProceedContext *ctx, uint64_t argc, const RtValue *argv)         \
    {                                                                                      \
        advice_calls++;                                                                    \
        last_ctx = ctx;                                                                    \
        cr_assert(argc == target_argc_expected && argv == argv_expected,                   \
                  "every level sees the same argc/argv");                                  \
        log_ev(TAG "< ");                                                                  \
        RtValue r = rt_aop_proceed(ctx);                                                   \
        log_ev(TAG "> ");                                                                  \
        return rt_value_int(rt_value_as_int(r) + 100);                                     \
    }
static uint64_t target_argc_expected;
static const RtValue *argv_expected;
NAMED_ADVICE(adv_a, "a")
NAMED_ADVICE(adv_b, "b")
NAMED_ADVICE(adv_c, "c")

static void reset(uint64_t argc, const RtValue *argv)
{
    trace[0] = 0;
    target_calls = advice_calls = 0;
    target_argc_expected = argc;
    argv_expected = argv;
    last_ctx = NULL;
}

/* Runs call with stderr captured; returns the captured text as a string. */
#define WITH_STDERR(out, ...)                                                              \
    do {                                                                                   \
        rt_capture_stderr_start();                                                         \
        __VA_ARGS__;                                                                       \
        (out) = rt_capture_stderr_stop();                                                  \
    } while (0)

static int starts_with(RtValue s, const char *prefix)
{
    size_t n = strlen(prefix);
    return rt_string_len(s) >= (int64_t)n && memcmp(rt_string_data(s), prefix, n) == 0;
}

static int line_count(RtValue s)
{
    int n = 0;
    for (int64_t i = 0; i < rt_string_len(s); i++)
        n += rt_string_data(s)[i] == '\n';
    return n;
}

RTC_TEST(aop, no_advice_calls_the_target)
{
    RtValue args[] = {rt_value_int(2), rt_value_int(3)};
    reset(2, args);
    cr_assert_eq(rt_aop_invoke_around(sum_target, NULL, 0, 2, args), rt_value_int(5));
    cr_assert(target_calls == 1 && target_argc == 2 && target_argv == args);
    RtAopAdvice unused[1] = {adv_a};
    cr_assert_eq(rt_aop_invoke_around(sum_target, unused, 0, 0, NULL), rt_value_int(0));
    cr_assert_eq(advice_calls, 0);
}

RTC_TEST(aop, advices_nest_outermost_first)
{
    RtValue args[] = {rt_value_int(1), rt_value_int(2), rt_value_int(4)};
    RtAopAdvice chain[] = {adv_a, adv_b, adv_c};
    reset(3, args);
    RtValue r = rt_aop_invoke_around(sum_target, chain, 3, 3, args);
    cr_assert_eq(r, rt_value_int(307), "each advice adds 100 to the target's 7");
    cr_assert_str_eq(trace, "a< b< c< T c> b> a> ");
    cr_assert(target_calls == 1 && advice_calls == 3);
    cr_assert(target_argc == 3 && target_argv == args, "the target gets the same argv");
    reset(0, NULL);
    cr_assert_eq(rt_aop_invoke_around(sum_target, chain, 1, 0, NULL), rt_value_int(100));
    cr_assert_str_eq(trace, "a< T a> ");
}

/* An advice may replace the result, or skip nothing and pass it on. */
static RtValue adv_replace(RtProceedContext *ctx, uint64_t argc, const RtValue *argv)
{
    (void)argc, (void)argv;
    rt_aop_proceed(ctx);
    return RT_TRUE;
}

RTC_TEST(aop, advice_result_is_the_chain_result)
{
    RtValue args[] = {rt_value_int(9)};
    RtAopAdvice chain[] = {adv_replace};
    reset(1, args);
    cr_assert_eq(rt_aop_invoke_around(sum_target, chain, 1, 1, args), RT_TRUE);
    cr_assert_eq(target_calls, 1);
}

/* ---- misuse inside the chain ---- */

static RtValue adv_skip(RtProceedContext *ctx, uint64_t argc, const RtValue *argv)
{
    (void)ctx, (void)argc, (void)argv;
    advice_calls++;
    return rt_value_int(5);
}

static RtValue adv_twice(RtProceedContext *ctx, uint64_t argc, const RtValue *argv)
{
    (void)argc, (void)argv;
    RtValue first = rt_aop_proceed(ctx);
    RtValue second = rt_aop_proceed(ctx);
    cr_assert_neq(first, RT_NIL);
    cr_assert_eq(second, RT_NIL, "a second proceed is refused");
    return first;
}

RTC_TEST(aop, advice_that_does_not_proceed)
{
    RtValue err;
    RtAopAdvice chain[] = {adv_a, adv_skip, adv_c};
    reset(0, NULL);
    WITH_STDERR(err, cr_assert_eq(rt_aop_invoke_around(sum_target, chain, 3, 0, NULL), RT_NIL));
    cr_assert_eq(target_calls, 0, "the chain stopped at the advice");
    cr_assert_str_eq(trace, "a< a> ", "the outer advice still finished");
    cr_assert(RTC_STR_EQ(
        err, "AOP error: around advice 1 returned without calling rt_aop_proceed\n"));
    rt_free(err);
    /* Alone, too. */
    WITH_STDERR(err, cr_assert_eq(rt_aop_invoke_around(sum_target, chain + 1, 1, 0, NULL), RT_NIL));
    cr_assert(starts_with(err, "AOP error:") && line_count(err) == 1);
    rt_free(err);
}

RTC_TEST(aop, advice_that_proceeds_twice)
{
    RtValue err;
    RtAopAdvice chain[] = {adv_twice, adv_a};
    reset(0, NULL);
    WITH_STDERR(err, cr_assert_eq(rt_aop_invoke_around(sum_target, chain, 2, 0, NULL), RT_NIL));
    cr_assert_eq(target_calls, 1, "the second proceed ran nothing");
    cr_assert_eq(advice_calls, 1);
    cr_assert(RTC_STR_EQ(err, "AOP error: around advice 0 called rt_aop_proceed more than once\n"));
    rt_free(err);
}

/* An inner advice proceeding with the outer advice's context: that context
 * has already proceeded once, so this is a second proceed. */
static RtProceedContext *outer_ctx;
static RtValue adv_remember(RtProceedContext *ctx, uint64_t argc, const RtValue *argv)
{
    (void)argc, (void)argv;
    outer_ctx = ctx;
    return rt_aop_proceed(ctx);
}
static RtValue adv_use_outer(RtProceedContext *ctx, uint64_t argc, const RtValue *argv)
{
    (void)argc, (void)argv;
    cr_assert_eq(rt_aop_proceed(outer_ctx), RT_NIL);
    return rt_aop_proceed(ctx);
}

RTC_TEST(aop, proceed_with_an_outer_context_is_a_second_proceed)
{
    RtValue err;
    RtAopAdvice chain[] = {adv_remember, adv_use_outer};
    reset(0, NULL);
    WITH_STDERR(err, cr_assert_eq(rt_aop_invoke_around(sum_target, chain, 2, 0, NULL), RT_NIL));
    cr_assert_eq(target_calls, 1);
    cr_assert(RTC_STR_EQ(err, "AOP error: around advice 0 called rt_aop_proceed more than once\n"));
    rt_free(err);
}

/* ---- contexts outside their advice ---- */

RTC_TEST(aop, null_and_invented_contexts)
{
    RtValue err;
    int local;
    RtProceedContext *bogus[] = {NULL, (RtProceedContext *)(uintptr_t)0x1,
                                 (RtProceedContext *)(uintptr_t)0x10001,
                                 (RtProceedContext *)&local,
                                 (RtProceedContext *)(uintptr_t)UINT64_C(0xA0F5000000000001),
                                 (RtProceedContext *)(uintptr_t)UINT64_MAX};
    reset(0, NULL);
    for (size_t i = 0; i < sizeof bogus / sizeof bogus[0]; i++) {
        WITH_STDERR(err, cr_assert_eq(rt_aop_proceed(bogus[i]), RT_NIL));
        cr_assert(starts_with(err, "AOP error: rt_aop_proceed called with a "), "context %zu", i);
        cr_assert_eq(line_count(err), 1);
        rt_free(err);
    }
    cr_assert_eq(target_calls, 0);
}

/* A context kept after its advice returned is stale, even when a new
 * advice runs in the very same stack slot. */
static RtProceedContext *stale_ctx;
static RtValue adv_stash(RtProceedContext *ctx, uint64_t argc, const RtValue *argv)
{
    (void)argc, (void)argv;
    stale_ctx = ctx;
    return rt_aop_proceed(ctx);
}
static int stale_refused;
static RtValue adv_try_stale(RtProceedContext *ctx, uint64_t argc, const RtValue *argv)
{
    (void)argc, (void)argv;
    stale_refused = rt_aop_proceed(stale_ctx) == RT_NIL;
    return rt_aop_proceed(ctx);
}

RTC_TEST(aop, stale_context_is_refused)
{
    RtValue err;
    RtAopAdvice first[] = {adv_stash}, second[] = {adv_try_stale};
    reset(0, NULL);
    cr_assert_eq(rt_aop_invoke_around(sum_target, first, 1, 0, NULL), rt_value_int(0));
    cr_assert_eq(target_calls, 1);
    WITH_STDERR(err, cr_assert_eq(rt_aop_proceed(stale_ctx), RT_NIL));
    cr_assert(starts_with(err, "AOP error: rt_aop_proceed called with a context that is not "
                               "running on this thread"));
    rt_free(err);
    cr_assert_eq(target_calls, 1, "nothing ran");
    /* Same call depth, new advice: the old context still names nothing. */
    WITH_STDERR(err, cr_assert_eq(rt_aop_invoke_around(sum_target, second, 1, 0, NULL),
                                  rt_value_int(0)));
    cr_assert(stale_refused);
    cr_assert_eq(target_calls, 2, "only the live context proceeded");
    cr_assert_eq(line_count(err), 1);
    rt_free(err);
}

static RtProceedContext *shared_ctx;
static void *proceed_elsewhere(void *arg)
{
    (void)arg;
    rt_capture_stderr_start();
    RtValue r = rt_aop_proceed(shared_ctx);
    RtValue err = rt_capture_stderr_stop();
    int ok = r == RT_NIL && starts_with(err, "AOP error:");
    rt_free(err);
    return (void *)(intptr_t)ok;
}
static RtValue adv_share(RtProceedContext *ctx, uint64_t argc, const RtValue *argv)
{
    (void)argc, (void)argv;
    shared_ctx = ctx;
    pthread_t t;
    void *ok;
    pthread_create(&t, NULL, proceed_elsewhere, NULL);
    pthread_join(t, &ok);
    cr_assert(ok, "another thread cannot proceed with this context");
    return rt_aop_proceed(ctx);
}

RTC_TEST(aop, foreign_thread_context_is_refused)
{
    RtAopAdvice chain[] = {adv_share};
    reset(0, NULL);
    cr_assert_eq(rt_aop_invoke_around(sum_target, chain, 1, 0, NULL), rt_value_int(0));
    cr_assert_eq(target_calls, 1);
}

/* ---- bad arguments: NIL, nothing called, one diagnostic line ---- */

RTC_TEST(aop, bad_arguments_are_refused)
{
    RtValue one = rt_value_int(1), err;
    RtAopAdvice good[] = {adv_a, adv_b};
    RtAopAdvice with_null[] = {adv_a, NULL, adv_b};
    static RtAopAdvice many[1025];
    for (size_t i = 0; i < 1025; i++)
        many[i] = adv_a;
    reset(1, &one);
    struct {
        RtAopTarget t;
        const RtAopAdvice *a;
        uint64_t n, argc;
        const RtValue *argv;
        const char *msg;
    } cases[] = {
        {NULL, good, 2, 1, &one, "AOP error: rt_aop_invoke_around called with a NULL target\n"},
        {NULL, NULL, 0, 0, NULL, "AOP error: rt_aop_invoke_around called with a NULL target\n"},
        {sum_target, NULL, 1, 1, &one, "AOP error: advice list is NULL but advice_len is 1\n"},
        {sum_target, NULL, UINT64_MAX, 1, &one,
         "AOP error: advice list is NULL but advice_len is 18446744073709551615\n"},
        {sum_target, many, 1025, 1, &one, "AOP error: advice_len 1025 exceeds the limit of 1024\n"},
        {sum_target, good, UINT64_MAX, 1, &one,
         "AOP error: advice_len 18446744073709551615 exceeds the limit of 1024\n"},
        {sum_target, with_null, 3, 1, &one, "AOP error: advice 1 of 3 is NULL\n"},
        {sum_target, good, 2, 1, NULL, "AOP error: argv is NULL but argc is 1\n"},
        {sum_target, good, 2, (UINT64_C(1) << 20) + 1, &one,
         "AOP error: argc 1048577 exceeds the limit of 1048576\n"},
        {sum_target, NULL, 0, 5, NULL, "AOP error: argv is NULL but argc is 5\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        WITH_STDERR(err, cr_assert_eq(rt_aop_invoke_around(cases[i].t, cases[i].a, cases[i].n,
                                                           cases[i].argc, cases[i].argv),
                                      RT_NIL, "case %zu", i));
        cr_assert(rtc_str_eq(err, cases[i].msg, strlen(cases[i].msg)), "case %zu: want %s", i,
                  cases[i].msg);
        rt_free(err);
    }
    cr_assert(target_calls == 0 && advice_calls == 0, "nothing was called");
}

RTC_TEST(aop, limits_are_inclusive)
{
    static RtAopAdvice many[1024];
    for (size_t i = 0; i < 1024; i++)
        many[i] = adv_a;
    reset(0, NULL);
    cr_assert_eq(rt_aop_invoke_around(sum_target, many, 1024, 0, NULL), rt_value_int(102400));
    cr_assert(advice_calls == 1024 && target_calls == 1);
    static RtValue args[1 << 20];
    args[5] = rt_value_int(3);
    reset(1 << 20, args);
    cr_assert_eq(rt_aop_invoke_around(sum_target, NULL, 0, 1 << 20, args), rt_value_int(3));
}

/* The diagnostics go to fd 2 when stderr is not captured. */
RTC_TEST(aop, diagnostics_reach_stderr)
{
    char buf[256];
    rtc_redirect e;
    rtc_redirect_begin(&e, 2);
    rt_aop_proceed(NULL);
    rtc_redirect_end(&e, buf, sizeof buf);
    cr_assert_str_eq(buf, "AOP error: rt_aop_proceed called with a NULL context\n");
}

/* ---- recursion and threads ---- */

static int depth;
static RtValue adv_recurse(RtProceedContext *ctx, uint64_t argc, const RtValue *argv)
{
    RtValue inner = rt_value_int(0);
    if (depth < 5) {
        depth++;
        RtAopAdvice again[] = {adv_recurse};
        inner = rt_aop_invoke_around(sum_target, again, 1, argc, argv);
        depth--;
    }
    RtValue r = rt_aop_proceed(ctx);   /* this chain's own context, after the inner one */
    if (r == RT_NIL || inner == RT_NIL)
        return RT_NIL;
    return rt_value_int(rt_value_as_int(r) + rt_value_as_int(inner));
}

/* An advice may run a whole new chain inside itself, several deep, and its
 * own context stays valid across the inner chain. */
RTC_TEST(aop, recursive_chains)
{
    RtValue arg = rt_value_int(1);
    RtAopAdvice chain[] = {adv_recurse};
    reset(1, &arg);
    depth = 0;
    RtValue r = rt_aop_invoke_around(sum_target, chain, 1, 1, &arg);
    /* Six chains (depths 0..5), each adding its target's 1. */
    cr_assert_eq(r, rt_value_int(6));
    cr_assert_eq(target_calls, 6);
}

/* Thread-safe callbacks for the concurrent test: no shared state. */
static RtValue first_arg(uint64_t argc, const RtValue *argv)
{
    return argc ? argv[0] : RT_NIL;
}
static RtValue plus_one(RtProceedContext *ctx, uint64_t argc, const RtValue *argv)
{
    (void)argc, (void)argv;
    RtValue r = rt_aop_proceed(ctx);
    return r == RT_NIL ? RT_NIL : rt_value_int(rt_value_as_int(r) + 1);
}
static RtValue no_proceed(RtProceedContext *ctx, uint64_t argc, const RtValue *argv)
{
    (void)ctx, (void)argc, (void)argv;
    return rt_value_int(-1);
}

static void *chain_worker(void *arg)
{
    int64_t base = (int64_t)(intptr_t)arg;
    RtAopAdvice good[] = {plus_one, plus_one, plus_one};
    RtAopAdvice bad[] = {plus_one, no_proceed};
    for (int i = 0; i < 2000; i++) {
        RtValue v = rt_value_int(base * 100000 + i);
        if (rt_aop_invoke_around(first_arg, good, 3, 1, &v) != rt_value_int(base * 100000 + i + 3))
            return (void *)1;
        if (i % 100 == 0) {
            rt_capture_stderr_start();
            RtValue r = rt_aop_invoke_around(first_arg, bad, 2, 1, &v);
            RtValue err = rt_capture_stderr_stop();
            int ok = r == RT_NIL && starts_with(err, "AOP error:");
            rt_free(err);
            if (!ok)
                return (void *)1;
        }
    }
    return NULL;
}

RTC_TEST(aop, concurrent_chains)
{
    pthread_t t[6];
    for (int i = 0; i < 6; i++)
        pthread_create(&t[i], NULL, chain_worker, (void *)(intptr_t)i);
    int bad = 0;
    for (int i = 0; i < 6; i++) {
        void *r;
        pthread_join(t[i], &r);
        bad |= r != NULL;
    }
    cr_assert_not(bad, "a chain returned the wrong value on some thread");
}

/* ---- chains on one thread that do not nest: emulated GPU work-items ----
 *
 * The work-items of a group that meets at rt_gpu_barrier run as fibers on
 * one OS thread (gpu/launch.h): item 0 runs until the barrier, then item 1
 * does, then item 0 resumes. So chains started by different items are
 * open on one thread at once without being nested in each other: the last
 * one started is not the first one to finish. Each item's chain must still
 * work, and no chain may leave this thread's frame list pointing into a
 * stack that is gone. */

#define ITEMS 4
static RtValue item_result[ITEMS];

static RtValue local_id_target(uint64_t argc, const RtValue *argv)
{
    (void)argc, (void)argv;
    return rt_value_int(1000 + (int64_t)rt_gpu_local_id(0));
}

/* An advice with a barrier between its start and its proceed. */
static RtValue barrier_advice(RtProceedContext *ctx, uint64_t argc, const RtValue *argv)
{
    (void)argc, (void)argv;
    rt_gpu_barrier();
    return rt_aop_proceed(ctx);
}

static void aop_kernel(void)
{
    RtAopAdvice adv[] = {barrier_advice};
    item_result[rt_gpu_local_id(0)] = rt_aop_invoke_around(local_id_target, adv, 1, 0, NULL);
}

RTC_TEST(aop, chains_of_gpu_work_items_that_meet_at_a_barrier)
{
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < ITEMS; i++)
            item_result[i] = RT_NIL;
        /* One group: its items all run on this thread, whose stderr
         * capture therefore collects any AOP error they report. */
        rt_capture_stderr_start();
        int32_t rc = rt_gpu_launch_1d(aop_kernel, ITEMS, ITEMS);
        RtValue err = rt_capture_stderr_stop();
        int64_t errlen = rt_string_len(err);
        rt_free(err);
        cr_assert_eq(rc, 0);
        for (int i = 0; i < ITEMS; i++)
            cr_assert_eq(item_result[i], rt_value_int(1000 + i),
                         "round %d: item %d's chain answered %#" PRIx64, round, i,
                         item_result[i]);
        cr_assert_eq(errlen, 0, "round %d: AOP errors reported", round);
    }
    /* This thread's frame list is empty again: a stale context is refused
     * (and the refusal does not walk into a dead fiber stack). */
    reset(0, NULL);
    RtAopAdvice one[] = {adv_a};
    cr_assert_eq(rt_aop_invoke_around(sum_target, one, 1, 0, NULL), rt_value_int(100));
    rt_capture_stderr_start();
    cr_assert_eq(rt_aop_proceed(last_ctx), RT_NIL);
    RtValue err = rt_capture_stderr_stop();
    cr_assert(starts_with(err, "AOP error:"));
    rt_free(err);
}
