/*
 * fuzz/targets/contracts.c — contract checks and violation objects
 * (spec/ffi/contracts.sdn).
 *
 * simple_contract_check and simple_contract_check_msg abort the process by
 * contract when the condition is 0, so this target passes them only
 * non-zero conditions (a 0 from the input becomes 1); their false case is
 * covered by the conformance suite in forked children. Everything else is
 * fuzzed as generated: violations with any kind, name and message bytes,
 * accessors and frees on violations, freed violations and other values.
 *
 * Oracles: a new violation is one (rt_is_contract_violation 1), its kind is
 * in 0..5, its name is a non-empty UTF-8 string and its message NIL or a
 * non-empty UTF-8 string; anything that is not a live violation answers
 * -1, NIL and 0; after a free it is no violation any more.
 */
#include "fuzz/rtz.h"
#include "rtz_contracts.h"
#include "rtz_value.h"
#include "runtime/utf8.h"

static void op_check(rtz *z)
{
    int64_t cond = rtz_i64(z);
    int64_t kind = rtz_mode(z);
    uint64_t n;
    const uint8_t *name = rtz_buf_in(z, &n);
    simple_contract_check(cond ? cond : 1, kind, name, (int64_t)n);
}

static void op_check_msg(rtz *z)
{
    int64_t cond = rtz_i64(z);
    int64_t kind = rtz_mode(z);
    uint64_t n, m;
    const uint8_t *name = rtz_buf_in(z, &n);
    const uint8_t *msg = rtz_buf_in(z, &m);
    simple_contract_check_msg(cond ? cond : 1, kind, name, (int64_t)n, msg, (int64_t)m);
}

static int utf8_string(RtValue s)
{
    int64_t n = rt_string_len(s);
    return n > 0 && rtx_utf8_valid(rt_string_data(s), (size_t)n);
}

static void prop_new_is_well_formed(rtz *z)
{
    int64_t kind = rtz_mode(z);
    uint64_t n, m;
    const uint8_t *name = rtz_buf_in(z, &n);
    const uint8_t *msg = rtz_buf_in(z, &m);
    RtValue v = rt_contract_violation_new(kind, name, (int64_t)n, msg, (int64_t)m);
    if (v == RT_NIL)
        return;   /* out of memory */
    RTZ_CHECK(rt_is_contract_violation(v) == 1);
    int64_t k = rt_contract_violation_kind(v);
    RTZ_CHECK(k == (kind >= 0 && kind <= 5 ? kind : 0));
    RtValue fn = rt_contract_violation_func_name(v), mm = rt_contract_violation_message(v);
    RTZ_CHECK(fn == RT_NIL || utf8_string(fn));
    RTZ_CHECK(mm == RT_NIL || utf8_string(mm));
    if (msg == NULL || (int64_t)m <= 0)
        RTZ_CHECK(mm == RT_NIL);
    rt_free(fn);
    rt_free(mm);
    if (rtz_u8(z) & 1)
        rt_contract_violation_free(v);
    else
        rt_free(v);
    RTZ_CHECK(rt_is_contract_violation(v) == 0);
    RTZ_CHECK(rt_contract_violation_kind(v) == -1);
    rt_contract_violation_free(v);   /* a second free is a no-op */
}

static void prop_other_values(rtz *z)
{
    RtValue v = rtz_rv(z);
    if (rt_is_contract_violation(v))
        return;
    RTZ_CHECK(rt_contract_violation_kind(v) == -1);
    RTZ_CHECK(rt_contract_violation_func_name(v) == RT_NIL);
    RTZ_CHECK(rt_contract_violation_message(v) == RT_NIL);
    int64_t before = rt_value_heap_type(v);
    rt_contract_violation_free(v);
    RTZ_CHECK(rt_value_heap_type(v) == before);   /* nothing else is freed */
}

static const rtz_op ops[] = {
    RTZ_OP(rt_contract_violation_new), RTZ_OP(rt_contract_violation_new),
    RTZ_OP(rt_contract_violation_kind), RTZ_OP(rt_contract_violation_func_name),
    RTZ_OP(rt_contract_violation_message), RTZ_OP(rt_is_contract_violation),
    RTZ_OP(rt_contract_violation_free), RTZ_OP(rt_free), RTZ_OP(rt_string_new),
    {"check", op_check},
    {"check_msg", op_check_msg},
    {"prop_new_is_well_formed", prop_new_is_well_formed},
    {"prop_other_values", prop_other_values},
};

RTZ_SEQUENCE_TARGET(ops, NULL)
