/*
 * fuzz/targets/aop.c — around-advice chains (spec/ffi/aop.sdn): chains of
 * well-behaved and misbehaving advices (no proceed, two proceeds, stale,
 * invented and NULL contexts, nested chains), bad argument combinations,
 * and rt_aop_proceed called outside any advice with kept contexts.
 *
 * The advice array handed over always holds advice_len entries unless
 * advice_len is above the 1024 limit (refused before any read), and argc
 * likewise never exceeds argv's length unless it is above 2^20. The stderr
 * capture is on for the whole input: misuse writes "AOP error:" lines.
 *
 * Oracles: refused calls and chains with a misbehaving advice return NIL
 * and call nothing they should not; a chain of well-behaved advices over
 * the first-argument target returns that argument plus one per advice;
 * rt_aop_proceed outside a running advice is always NIL.
 */
#include "fuzz/rtz.h"
#include "rtz_aop.h"

#define MAX_ADVICES 12
#define KEPT 8

static RtProceedContext *kept[KEPT];   /* contexts seen, stale once their advice returned */
static unsigned nkept, depth;
static unsigned long target_calls;

static void keep(RtProceedContext *c)
{
    kept[nkept++ % KEPT] = c;
}

static RtValue t_first(uint64_t argc, const RtValue *argv)
{
    target_calls++;
    return argc ? rt_value_int((int64_t)(argv[0] >> 3) & 0xFFFF) : rt_value_int(0);
}

static RtValue t_nil(uint64_t argc, const RtValue *argv)
{
    (void)argc, (void)argv;
    target_calls++;
    return RT_NIL;
}

static RtValue plus_one(RtValue r)
{
    return r == RT_NIL ? RT_NIL : rt_value_int(rt_value_as_int(r) + 1);
}

static RtValue a_good(RtProceedContext *c, uint64_t argc, const RtValue *argv)
{
    (void)argc, (void)argv;
    keep(c);
    return plus_one(rt_aop_proceed(c));
}

static RtValue a_skip(RtProceedContext *c, uint64_t argc, const RtValue *argv)
{
    (void)argc, (void)argv;
    keep(c);
    return rt_value_int(7);
}

static RtValue a_twice(RtProceedContext *c, uint64_t argc, const RtValue *argv)
{
    (void)argc, (void)argv;
    RtValue r = rt_aop_proceed(c);
    RTZ_CHECK(rt_aop_proceed(c) == RT_NIL);
    return r;
}

static RtValue a_bad_ctx(RtProceedContext *c, uint64_t argc, const RtValue *argv)
{
    (void)argc, (void)argv;
    RTZ_CHECK(rt_aop_proceed(NULL) == RT_NIL);
    RTZ_CHECK(rt_aop_proceed((RtProceedContext *)(uintptr_t)0x10001) == RT_NIL);
    /* Stale ones are refused; live ones belong to outer advices that have
     * proceeded already, so they count as a second proceed. */
    for (unsigned i = 0; i < KEPT && i < nkept; i++)
        RTZ_CHECK(rt_aop_proceed(kept[i]) == RT_NIL);
    return plus_one(rt_aop_proceed(c));
}

static RtValue a_nested(RtProceedContext *c, uint64_t argc, const RtValue *argv)
{
    if (depth < 3) {
        depth++;
        static const RtAopAdvice inner[] = {a_good, a_good};
        RtValue r = rt_aop_invoke_around(t_first, inner, 2, argc, argv);
        int64_t base = argc ? ((int64_t)(argv[0] >> 3) & 0xFFFF) : 0;
        RTZ_CHECK(r == rt_value_int(base + 2));
        depth--;
    }
    return plus_one(rt_aop_proceed(c));
}

static const RtAopAdvice pool[] = {a_good, a_good, a_good, a_skip, a_twice, a_bad_ctx, a_nested};
#define NPOOL (sizeof pool / sizeof pool[0])

static void op_invoke(rtz *z)
{
    RtAopAdvice list[MAX_ADVICES];
    uint64_t n = rtz_u8(z) % (MAX_ADVICES + 1);
    int all_good = 1, some_bad = 0;
    for (uint64_t i = 0; i < n; i++) {
        uint8_t c = rtz_u8(z);
        list[i] = c == 255 ? NULL : pool[c % NPOOL];
        all_good &= list[i] == a_good || list[i] == a_nested;
        some_bad |= list[i] == a_skip || list[i] == a_twice;
    }
    const RtAopAdvice *advices = list;
    uint8_t how = rtz_u8(z) % 16;
    if (how == 0)
        advices = NULL;
    else if (how == 1)
        n = 1025 + rtz_u8(z);   /* refused unread */
    else if (how == 2)
        n = UINT64_MAX;
    uint64_t argc;
    const RtValue *argv = rtz_rv_ptr(z, &argc);
    if (how == 3 && argv)
        argc = (UINT64_C(1) << 20) + 1;   /* refused unread */
    RtAopTarget target = how == 4 ? NULL : (how == 5 ? t_nil : t_first);
    unsigned long before = target_calls;
    RtValue r = rt_aop_invoke_around(target, advices, n, argc, argv);
    int refused = target == NULL || (advices == NULL && n > 0) || n > 1024 ||
                  (argv == NULL && argc > 0) || argc > (UINT64_C(1) << 20);
    for (uint64_t i = 0; !refused && i < n; i++)
        refused = list[i] == NULL;
    if (refused) {
        RTZ_CHECK(r == RT_NIL && target_calls == before);
        return;
    }
    if (all_good && target == t_first) {
        int64_t base = argc ? ((int64_t)(argv[0] >> 3) & 0xFFFF) : 0;
        RTZ_CHECK(r == rt_value_int(base + (int64_t)n));
    }
    if (some_bad)
        RTZ_CHECK(r == RT_NIL);   /* an advice skipped proceed or proceeded twice */
    /* a_bad_ctx's result depends on the contexts it found: no oracle. */
}

/* Outside any advice every context is stale (or invented). */
static void op_proceed(rtz *z)
{
    uint8_t c = rtz_u8(z);
    RtProceedContext *ctx = NULL;
    if (c % 4 == 1 && nkept)
        ctx = kept[rtz_u8(z) % (nkept < KEPT ? nkept : KEPT)];
    else if (c % 4 == 2)
        ctx = (RtProceedContext *)(uintptr_t)rtz_u64(z);
    unsigned long before = target_calls;
    RTZ_CHECK(rt_aop_proceed(ctx) == RT_NIL);
    RTZ_CHECK(target_calls == before);
}

static const rtz_op ops[] = {
    {"invoke_around", op_invoke},
    {"invoke_around", op_invoke},
    {"proceed", op_proceed},
};

static void check(rtz *z)
{
    static unsigned n;
    (void)z;
    if (++n % 64 == 0) {   /* keep the capture small */
        rt_free(rt_capture_stderr_stop());
        rt_capture_stderr_start();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nkept = depth = 0;
    rt_capture_stderr_start();
    rtz_run_ops(data, size, ops, sizeof ops / sizeof ops[0], check);
    rt_free(rt_capture_stderr_stop());
    return 0;
}
