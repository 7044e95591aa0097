/*
 * fuzz/targets/interp.c — the interpreter bridge (spec/ffi/interp.sdn):
 * handlers installed and removed in any order, calls with consistent and
 * inconsistent pointer/length pairs.
 *
 * Oracles: with no handler every call is NIL; a refused call (argv NULL
 * with argc > 0, argc above 2^20, name NULL with a length) never reaches
 * the handler; otherwise the handler sees exactly the arguments given and
 * its result comes back unchanged. argc never exceeds the array actually
 * passed unless it is above the 2^20 limit (refused before any read).
 */
#include "fuzz/rtz.h"
#include "rtz_interp.h"

static int handler_kind;   /* 0 none, 1 sum, 2 name length */
static int eval_kind;      /* 0 none, 1 doubling */
static unsigned long handler_calls;

static RtValue h_sum(const uint8_t *name, uint64_t len, uint64_t argc, const RtValue *argv)
{
    (void)name, (void)len;
    handler_calls++;
    int64_t s = 0;
    for (uint64_t i = 0; i < argc; i++)
        s += (int64_t)(argv[i] >> 3) & 0xFFFF;   /* reads every argument */
    return rt_value_int(s);
}

static RtValue h_len(const uint8_t *name, uint64_t len, uint64_t argc, const RtValue *argv)
{
    (void)argc, (void)argv;
    handler_calls++;
    uint64_t sum = 0;
    for (uint64_t i = 0; name && i < len; i++)
        sum += name[i];   /* reads every name byte */
    return rt_value_int((int64_t)(len & 0xFFFFFF) + (int64_t)(sum & 1));
}

static RtValue e_double(int64_t i) { return rt_value_int((i & 0xFFFFFF) * 2); }

static void op_set_call(rtz *z)
{
    handler_kind = rtz_u8(z) % 3;
    rt_set_interp_call_handler(handler_kind == 1 ? h_sum : handler_kind == 2 ? h_len : NULL);
}

static void op_set_eval(rtz *z)
{
    eval_kind = rtz_u8(z) & 1;
    rt_set_interp_eval_handler(eval_kind ? e_double : NULL);
}

static void op_call(rtz *z)
{
    uint64_t nlen, argc;
    const uint8_t *name = rtz_buf_in(z, &nlen);
    const RtValue *argv = rtz_rv_ptr(z, &argc);
    uint8_t how = rtz_u8(z) % 8;
    if (how == 0 && argv != NULL)
        argc = (UINT64_C(1) << 20) + 1 + rtz_u8(z);   /* over the limit: refused unread */
    else if (how == 1)
        argc = 0;   /* fewer than given is always safe */
    int refused = (argv == NULL && argc > 0) || argc > (UINT64_C(1) << 20) ||
                  (name == NULL && nlen > 0);
    unsigned long before = handler_calls;
    RtValue r = rt_interp_call(name, nlen, argc, argv);
    if (refused || handler_kind == 0) {
        RTZ_CHECK(r == RT_NIL);
        RTZ_CHECK(handler_calls == before);
    } else {
        RTZ_CHECK(handler_calls == before + 1);
        RTZ_CHECK(r != RT_NIL);
    }
}

static void op_eval(rtz *z)
{
    int64_t i = rtz_i64(z);
    RtValue r = rt_interp_eval(i);
    RTZ_CHECK(eval_kind ? r == rt_value_int((i & 0xFFFFFF) * 2) : r == RT_NIL);
}

static const rtz_op ops[] = {
    RTZ_OP(rt_interp_eval),
    {"set_call_handler", op_set_call},
    {"set_eval_handler", op_set_eval},
    {"call", op_call},
    {"eval", op_eval},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rt_set_interp_call_handler(NULL);
    rt_set_interp_eval_handler(NULL);
    handler_kind = eval_kind = 0;
    rtz_run_ops(data, size, ops, sizeof ops / sizeof ops[0], NULL);
    rt_set_interp_call_handler(NULL);
    rt_set_interp_eval_handler(NULL);
    return 0;
}
