/*
 * fuzz/targets/coverage.c — a probe-sequence interpreter over the coverage
 * family (spec/ffi/coverage.sdn). Each input starts from a fresh collector
 * (rtx_cov_reset) and is a stream of probe, path, clear, enable and report
 * operations with mostly small ids (so decisions repeat and build MC/DC
 * vectors) and sometimes extreme ones, NULL or fuzzed file names.
 *
 * Oracles, checked at every report: it parses with sdn/; the decision and
 * condition counts add up to exactly the probes made while enabled since the
 * last clear; no MC/DC vector count exceeds its decision's evaluations;
 * rt_coverage_enabled agrees with the enable operations.
 */
#include <string.h>

#include "coverage_rt/cov_internal.h"
#include "fuzz/rtz.h"
#include "sdn/sdn.h"

static struct {
    int on;
    uint64_t dec, cond;   /* probes made while on, since the last clear */
    int dumps;            /* reports built in this input (each parses in full) */
} shadow;

static const char *const files[] = {"a.spl", "dir/b.spl", "odd, name %.spl", "", "z.spl"};

static const char *pick_file(rtz *z)
{
    uint8_t c = rtz_u8(z) % 16;
    if (c < 10)
        return files[c % 5];
    if (c < 13)
        return NULL;
    return rtz_cstr(z);   /* any text, sometimes NULL */
}

static uint32_t small_id(rtz *z)
{
    uint8_t c = rtz_u8(z);
    return c < 224 ? c % 8 : rtz_u32k(z);
}

static void op_decision(rtz *z)
{
    uint32_t id = small_id(z);
    bool r = rtz_bool(z);
    const char *f = pick_file(z);
    uint32_t line = small_id(z), col = small_id(z);
    rt_coverage_decision_probe(id, r, f, line, col);
    shadow.dec += shadow.on;
}

static void op_condition(rtz *z)
{
    uint32_t id = small_id(z), cond = rtz_u8(z) % 70;   /* past 63 too */
    bool r = rtz_bool(z);
    const char *f = pick_file(z);
    uint32_t line = small_id(z), col = small_id(z);
    rt_coverage_condition_probe(id, cond, r, f, line, col);
    shadow.cond += shadow.on;
}

/* A whole short-circuit evaluation of (c0 && c1) || c2, as codegen emits. */
static void op_evaluation(rtz *z)
{
    uint32_t id = 100 + rtz_u8(z) % 4;
    bool a = rtz_bool(z), b = rtz_bool(z), c = rtz_bool(z), r;
    rt_coverage_condition_probe(id, 0, a, "eval.spl", id, 1);
    shadow.cond += shadow.on;
    r = a;
    if (a) {
        rt_coverage_condition_probe(id, 1, b, "eval.spl", id, 2);
        shadow.cond += shadow.on;
        r = b;
    }
    if (!r) {
        rt_coverage_condition_probe(id, 2, c, "eval.spl", id, 3);
        shadow.cond += shadow.on;
        r = c;
    }
    rt_coverage_decision_probe(id, r, "eval.spl", id, 0);
    shadow.dec += shadow.on;
}

static void op_legacy(rtz *z)
{
    uint64_t id = rtz_u8(z) < 200 ? rtz_u8(z) % 8 : rtz_u64k(z);
    switch (rtz_u8(z) % 3) {
    case 0:
        rt_decision_probe(id, rtz_bool(z));
        shadow.dec += shadow.on;
        break;
    case 1:
        rt_condition_probe(id, rtz_u8(z) % 70, rtz_bool(z));
        shadow.cond += shadow.on;
        break;
    default:
        rt_path_probe(id, small_id(z));
        break;
    }
}

static void op_path(rtz *z)
{
    uint32_t id = rtz_u8(z) % 4, n = rtz_u8(z) % 8;
    for (uint32_t i = 0; i < n; i++)
        rt_coverage_path_probe(id, small_id(z));
}

static void op_finalize(rtz *z) { rt_coverage_path_finalize(rtz_u8(z) < 240 ? rtz_u8(z) % 4 : rtz_u32k(z)); }

static void op_switches(rtz *z)
{
    switch (rtz_u8(z) % 5) {
    case 0:
        rt_coverage_enable();
        shadow.on = 1;
        break;
    case 1:
        rt_coverage_enable_timed();
        shadow.on = 1;
        break;
    case 2:
        rt_coverage_clear();
        shadow.dec = shadow.cond = 0;
        break;
    default:
        RTZ_CHECK(rt_coverage_enabled() == (shadow.on != 0));
        break;
    }
}

static int64_t column_sum(const sdn_value *t, const char *a, const char *b)
{
    int ca = sdn_table_col_index(t, a), cb = sdn_table_col_index(t, b);
    RTZ_CHECK(ca >= 0 && cb >= 0);
    int64_t s = 0;
    for (size_t r = 0; r < sdn_len(t); r++)
        s += sdn_int(sdn_table_cell(t, r, (size_t)ca)) + sdn_int(sdn_table_cell(t, r, (size_t)cb));
    return s;
}

static void check_report(const char *text)
{
    sdn_error e;
    sdn_value *doc = sdn_parse(text, strlen(text), &e);
    RTZ_CHECK(doc != NULL);
    const sdn_value *sum = sdn_get(doc, "summary");
    int64_t dropped = sdn_get_int(sum, "probes_dropped", -1);
    RTZ_CHECK(dropped >= 0);
    if (dropped == 0) {
        RTZ_CHECK(column_sum(sdn_get(doc, "decisions"), "true_count", "false_count") ==
                  (int64_t)shadow.dec);
        RTZ_CHECK(column_sum(sdn_get(doc, "conditions"), "true_count", "false_count") ==
                  (int64_t)shadow.cond);
    }
    int64_t vecs = 0;
    const sdn_value *v = sdn_get(doc, "mcdc_vectors");
    int cc = sdn_table_col_index(v, "count");
    for (size_t r = 0; r < sdn_len(v); r++)
        vecs += sdn_int(sdn_table_cell(v, r, (size_t)cc));
    RTZ_CHECK(vecs <= (int64_t)shadow.dec);
    sdn_free(doc);
}

static void op_dump(rtz *z)
{
    if (++shadow.dumps > 4)
        return;   /* keeps an input's cost bounded; the end of input checks again */
    char *t = rtz_u8(z) & 1 ? rt_coverage_dump_sdn() : rt_coverage_dump_sdn_cstr();
    RTZ_CHECK(t != NULL);
    check_report(t);
    if (rtz_u8(z) % 4 == 0)
        rt_coverage_free_sdn(t + 1);   /* not a report: ignored */
    rt_coverage_free_sdn(t);
    if (rtz_u8(z) % 4 == 0)
        rt_coverage_free_sdn(t);       /* freed already: ignored */
}

static void op_free_bogus(rtz *z)
{
    uint64_t len;
    rt_coverage_free_sdn((char *)rtz_buf_out(z, &len));
}

static const rtz_op ops[] = {
    {"rt_coverage_decision_probe", op_decision},
    {"rt_coverage_condition_probe", op_condition},
    {"evaluation", op_evaluation},
    {"legacy", op_legacy},
    {"rt_coverage_path_probe", op_path},
    {"rt_coverage_path_finalize", op_finalize},
    {"switches", op_switches},
    {"rt_coverage_dump_sdn", op_dump},
    {"rt_coverage_free_sdn", op_free_bogus},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rtx_cov_reset();
    memset(&shadow, 0, sizeof shadow);
    rtz_run_ops(data, size, ops, sizeof ops / sizeof ops[0], NULL);
    char *t = rt_coverage_dump_sdn();
    RTZ_CHECK(t != NULL);
    check_report(t);
    rt_coverage_free_sdn(t);
    return 0;
}
