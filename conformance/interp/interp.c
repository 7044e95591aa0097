/* Conformance: rt_interp_call, rt_interp_eval, rt_set_interp_call_handler,
 * rt_set_interp_eval_handler (spec/ffi/interp.sdn). */
#include <pthread.h>
#include <stdatomic.h>

#include "conformance/rtc.h"

static _Atomic int calls;

static RtValue const_handler(const uint8_t *name, uint64_t len, uint64_t argc, const RtValue *argv)
{
    (void)name, (void)len, (void)argc, (void)argv;
    atomic_fetch_add(&calls, 1);
    return rt_value_int(12345);
}

static RtValue name_echo(const uint8_t *name, uint64_t len, uint64_t argc, const RtValue *argv)
{
    (void)argc, (void)argv;
    atomic_fetch_add(&calls, 1);
    return (name == NULL || len == 0) ? rt_value_int(0) : rt_value_int((int64_t)len);
}

static RtValue arg_sum(const uint8_t *name, uint64_t len, uint64_t argc, const RtValue *argv)
{
    (void)name, (void)len;
    atomic_fetch_add(&calls, 1);
    int64_t sum = 0;
    for (uint64_t i = 0; argv && i < argc; i++)
        sum += rt_value_is_int(argv[i]) ? rt_value_as_int(argv[i]) : 0;
    return rt_value_int(sum);
}

/* Records exactly what it was given. */
static const uint8_t *seen_name;
static uint64_t seen_len, seen_argc;
static const RtValue *seen_argv;
static RtValue recorder(const uint8_t *name, uint64_t len, uint64_t argc, const RtValue *argv)
{
    atomic_fetch_add(&calls, 1);
    seen_name = name, seen_len = len, seen_argc = argc, seen_argv = argv;
    return RT_TRUE;
}

static RtValue eval_double(int64_t i) { return rt_value_int(i * 2); }
static int64_t seen_index;
static RtValue eval_record(int64_t i)
{
    seen_index = i;
    return RT_FALSE;
}

/* Upstream interpreter_bridge.rs tests. */
RTC_TEST(interp, defaults_return_nil)
{
    cr_assert_eq(rt_interp_call(NULL, 0, 0, NULL), RT_NIL);
    cr_assert_eq(rt_interp_call((const uint8_t *)"f", 1, 0, NULL), RT_NIL);
    cr_assert_eq(rt_interp_eval(42), RT_NIL);
    cr_assert_eq(rt_interp_eval(INT64_MIN), RT_NIL);
}

RTC_TEST(interp, upstream_handler_cases)
{
    rt_set_interp_call_handler(const_handler);
    cr_assert_eq(rt_value_as_int(rt_interp_call(NULL, 0, 0, NULL)), 12345);
    rt_set_interp_call_handler(name_echo);
    cr_assert_eq(rt_value_as_int(rt_interp_call((const uint8_t *)"my_function", 11, 0, NULL)), 11);
    rt_set_interp_call_handler(arg_sum);
    RtValue args[] = {rt_value_int(10), rt_value_int(20), rt_value_int(30)};
    cr_assert_eq(rt_value_as_int(rt_interp_call(NULL, 0, 3, args)), 60);
    rt_set_interp_eval_handler(eval_double);
    cr_assert_eq(rt_value_as_int(rt_interp_eval(21)), 42);
    /* NULL restores the default. */
    rt_set_interp_call_handler(NULL);
    rt_set_interp_eval_handler(NULL);
    cr_assert_eq(rt_interp_call(NULL, 0, 3, args), RT_NIL);
    cr_assert_eq(rt_interp_eval(21), RT_NIL);
}

RTC_TEST(interp, arguments_reach_the_handler_unchanged)
{
    rt_set_interp_call_handler(recorder);
    RtValue args[2] = {RT_NIL, rtc_bogus[2]};   /* values are the handler's business */
    const uint8_t name[] = "fn\xFF";
    cr_assert_eq(rt_interp_call(name, 3, 2, args), RT_TRUE);
    cr_assert(seen_name == name && seen_len == 3 && seen_argc == 2 && seen_argv == args);
    cr_assert_eq(rt_interp_call(NULL, 0, 0, NULL), RT_TRUE, "(NULL, 0, 0, NULL) is passed on");
    cr_assert(seen_name == NULL && seen_len == 0 && seen_argc == 0 && seen_argv == NULL);
    cr_assert_eq(rt_interp_call(name, 0, 0, args), RT_TRUE, "argv with argc 0 is fine");
    rt_set_interp_eval_handler(eval_record);
    static const int64_t idx[] = {-1, 0, INT64_MIN, INT64_MAX};
    for (size_t i = 0; i < 4; i++) {
        cr_assert_eq(rt_interp_eval(idx[i]), RT_FALSE);
        cr_assert_eq(seen_index, idx[i], "any index goes to the handler");
    }
    rt_set_interp_call_handler(NULL);
    rt_set_interp_eval_handler(NULL);
}

/* Pointer/length pairs that cannot be valid never reach the handler. */
RTC_TEST(interp, inconsistent_arguments_are_refused)
{
    rt_set_interp_call_handler(recorder);
    RtValue one = rt_value_int(1);
    atomic_store(&calls, 0);
    cr_assert_eq(rt_interp_call((const uint8_t *)"f", 1, 1, NULL), RT_NIL);
    cr_assert_eq(rt_interp_call((const uint8_t *)"f", 1, UINT64_MAX, NULL), RT_NIL);
    cr_assert_eq(rt_interp_call((const uint8_t *)"f", 1, (UINT64_C(1) << 20) + 1, &one), RT_NIL);
    cr_assert_eq(rt_interp_call((const uint8_t *)"f", 1, UINT64_MAX, &one), RT_NIL);
    cr_assert_eq(rt_interp_call(NULL, 1, 0, NULL), RT_NIL);
    cr_assert_eq(rt_interp_call(NULL, UINT64_MAX, 1, &one), RT_NIL);
    cr_assert_eq(atomic_load(&calls), 0, "the handler was never called");
    /* The largest accepted argc is 2^20 (here with a matching array). */
    static RtValue many[1 << 20];
    rt_set_interp_call_handler(arg_sum);
    many[(1 << 20) - 1] = rt_value_int(5);
    cr_assert_eq(rt_value_as_int(rt_interp_call(NULL, 0, 1 << 20, many)), 5);
    rt_set_interp_call_handler(NULL);
}

/* ---- threads ---- */

static _Atomic int stop;

static void *toggler(void *arg)
{
    (void)arg;
    for (int i = 0; !atomic_load(&stop) && i < 20000; i++) {
        rt_set_interp_call_handler((i % 3) == 0 ? const_handler : (i % 3) == 1 ? arg_sum : NULL);
        rt_set_interp_eval_handler((i & 1) ? eval_double : NULL);
    }
    return NULL;
}

static void *caller(void *arg)
{
    (void)arg;
    RtValue args[] = {rt_value_int(1), rt_value_int(2)};
    for (int i = 0; i < 5000; i++) {
        RtValue r = rt_interp_call(NULL, 0, 2, args);
        /* One of the three installed behaviours, never anything else. */
        if (!(r == RT_NIL || r == rt_value_int(12345) || r == rt_value_int(3)))
            return (void *)1;
        RtValue e = rt_interp_eval(4);
        if (!(e == RT_NIL || e == rt_value_int(8)))
            return (void *)1;
    }
    return NULL;
}

RTC_TEST(interp, concurrent_install_and_calls)
{
    pthread_t t[5];
    pthread_create(&t[0], NULL, toggler, NULL);
    for (int i = 1; i < 5; i++)
        pthread_create(&t[i], NULL, caller, NULL);
    int bad = 0;
    for (int i = 1; i < 5; i++) {
        void *r;
        pthread_join(t[i], &r);
        bad |= r != NULL;
    }
    atomic_store(&stop, 1);
    pthread_join(t[0], NULL);
    cr_assert_not(bad, "a call saw a result no installed handler gives");
    rt_set_interp_call_handler(NULL);
    rt_set_interp_eval_handler(NULL);
}
