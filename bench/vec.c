/*
 * bench/vec.c — the vec family's SIMDe fast paths against the scalar
 * reference (simd/vec_ref.c, the spec's definition), side by side in one
 * run: sum, min and max of 1M-element arrays of ints and of floats (goal:
 * 4x), plus all/any and two element-wise operations for information, and
 * three cases against a plain C loop with no type checks (information: how
 * near the fast path is to the simplest loop over the same words).
 *
 * "ours" is the exported function (validation included); "peer" is the
 * reference kernel on the same buffer. Both give the same bits (checked
 * here once per case before timing; tests/simd checks it on random data).
 * Metric: million elements per second (higher is better).
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench/bench.h"
#include "simd/vec_internal.h"
#include "simplert.h"

typedef struct ctx {
    RtValue arr;
    const RtValue *data;
    size_t n;
    int which;   /* WHAT_* */
} ctx;

enum { WHAT_SUM, WHAT_MIN, WHAT_MAX, WHAT_ALL, WHAT_ABS, WHAT_ROUND };

static uint64_t rng = UINT64_C(0x9E3779B97F4A7C15);
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static double melems(const ctx *c, uint64_t t0)
{
    double s = (double)(bench_now_ns() - t0) / 1e9;
    return (double)c->n / 1e6 / (s > 0 ? s : 1e-9);
}

static double run_ours(void *p)
{
    const ctx *c = p;
    uint64_t t0 = bench_now_ns();
    RtValue r = RT_NIL;
    bool b = false;
    switch (c->which) {
    case WHAT_SUM: r = rt_vec_sum(c->arr); rt_free(r); break;
    case WHAT_MIN: r = rt_vec_min(c->arr); break;
    case WHAT_MAX: r = rt_vec_max(c->arr); break;
    case WHAT_ALL: b = rt_vec_all(c->arr); break;
    case WHAT_ABS: r = rt_vec_abs(c->arr); rt_free(r); break;
    default: r = rt_vec_round(c->arr); rt_free(r); break;
    }
    BENCH_KEEP(r);
    BENCH_KEEP(b);
    return melems(c, t0);
}

static double run_ref(void *p)
{
    const ctx *c = p;
    const rtx_vec_kernels *k = &rtx_vec_ref_kernels;
    uint64_t t0 = bench_now_ns();
    RtValue r = RT_NIL;
    bool b = false;
    switch (c->which) {
    case WHAT_SUM: {
        rtx_vec_num s = k->sum(c->data, c->n);
        r = s.is_float ? rtx_vec_float_word(s.f) : rt_value_int(s.i);
        rt_free(r);
        break;
    }
    case WHAT_MIN: r = k->min(c->data, c->n); break;
    case WHAT_MAX: r = k->max(c->data, c->n); break;
    case WHAT_ALL: b = k->all(c->data, c->n); break;
    default: {   /* the same allocation as the exported function, then the kernel */
        RtValue out = rt_array_new(c->n);
        RtArray *o = rtx_vec_array(out);
        (void)k->unary(c->which == WHAT_ABS ? RTX_VEC_ABS : RTX_VEC_ROUND, c->data, c->n, o->data);
        o->len = c->n;
        r = out;
        rt_free(out);
        break;
    }
    }
    BENCH_KEEP(r);
    BENCH_KEEP(b);
    return melems(c, t0);
}

static double run_ours_of(void *p) { return run_ours(((void **)p)[0]); }
static double run_plain_of(void *p);

/* A plain C loop with no type checks at all (not an implementation of the
 * spec: it assumes every word is an int, or every word a float, and adds
 * floats strictly left to right): how close the fast path comes to what the
 * compiler makes of the simplest loop over the same words. */
static double run_plain(void *p)
{
    const ctx *c = p;
    const RtValue *d = c->data;
    uint64_t t0 = bench_now_ns();
    if (c->which == WHAT_SUM) {
        int64_t s = 0;
        for (size_t i = 0; i < c->n; i++)
            s += (int64_t)d[i] >> 3;
        BENCH_KEEP(s);
    } else if (c->which == WHAT_SUM + 100) {
        double s = 0.0;
        for (size_t i = 0; i < c->n; i++)
            s += rtx_vec_bits_to_f64(d[i] & RTX_VEC_FLOAT_MASK);
        BENCH_KEEP(s);
    } else {
        int64_t m = (int64_t)d[0];
        for (size_t i = 1; i < c->n; i++)
            m = (int64_t)d[i] < m ? (int64_t)d[i] : m;
        BENCH_KEEP(m);
    }
    return melems(c, t0);
}

static double run_plain_of(void *p) { return run_plain(((void **)p)[1]); }

/* The two sides agree before anything is timed. */
static void same_answer(const ctx *c, const char *name)
{
    const rtx_vec_kernels *k = &rtx_vec_ref_kernels;
    int ok = 1;
    if (c->which == WHAT_SUM) {
        RtValue a = rt_vec_sum(c->arr);
        rtx_vec_num s = k->sum(c->data, c->n);
        ok = s.is_float ? a == rtx_vec_float_word(s.f) : rt_value_as_int(a) == s.i;
        rt_free(a);
    } else if (c->which == WHAT_MIN) {
        ok = rt_vec_min(c->arr) == k->min(c->data, c->n);
    } else if (c->which == WHAT_MAX) {
        ok = rt_vec_max(c->arr) == k->max(c->data, c->n);
    } else if (c->which == WHAT_ALL) {
        ok = rt_vec_all(c->arr) == k->all(c->data, c->n);
    }
    if (!ok) {
        fprintf(stderr, "bench vec: %s: the fast path and the reference disagree\n", name);
        exit(1);
    }
}

static RtValue make_array(size_t n, int floats)
{
    RtValue a = rt_array_new(n);
    for (size_t i = 0; i < n; i++) {
        int64_t x = (int64_t)(next() % 2000001) - 1000000;
        rt_array_push(a, floats ? rt_value_float((double)x / 1024.0) : rt_value_int(x));
    }
    return a;
}

static void pair(bench *b, const char *name, RtValue arr, int which, double goal)
{
    const RtArray *a = rtx_vec_array(arr);
    ctx c = {arr, a->data, a->len, which};
    same_answer(&c, name);
    bench_pair(b, name, "scalar reference", "Melem/s", BENCH_HIGHER, run_ours, run_ref, &c, goal);
}

/* Informational: the fast path against run_plain (plain_kind: WHAT_SUM for
 * ints, WHAT_SUM + 100 for floats, WHAT_MIN for ints). */
static void vs_plain(bench *b, const char *name, RtValue arr, int which, int plain_kind)
{
    const RtArray *a = rtx_vec_array(arr);
    ctx ours = {arr, a->data, a->len, which};
    ctx plain = {arr, a->data, a->len, plain_kind};
    void *both[2] = {&ours, &plain};
    bench_pair(b, name, "plain C loop", "Melem/s", BENCH_HIGHER, run_ours_of, run_plain_of, both, 0);
}

int main(int argc, char **argv)
{
    bench b;
    bench_init(&b, "vec", argc, argv);
    size_t n = b.quick ? 100000 : 1000000;
    RtValue ints = make_array(n, 0), floats = make_array(n, 1);
    RtValue ones = rt_array_new(n);
    for (size_t i = 0; i < n; i++)
        rt_array_push(ones, rt_value_int(1 + (int64_t)(i & 7)));

    pair(&b, "sum_int_1M", ints, WHAT_SUM, 4.0);
    pair(&b, "sum_float_1M", floats, WHAT_SUM, 4.0);
    pair(&b, "min_int_1M", ints, WHAT_MIN, 4.0);
    pair(&b, "max_int_1M", ints, WHAT_MAX, 4.0);
    pair(&b, "min_float_1M", floats, WHAT_MIN, 4.0);
    pair(&b, "max_float_1M", floats, WHAT_MAX, 4.0);
    pair(&b, "all_int_1M", ones, WHAT_ALL, 0);
    pair(&b, "abs_int_1M", ints, WHAT_ABS, 0);
    pair(&b, "round_float_1M", floats, WHAT_ROUND, 0);
    vs_plain(&b, "sum_int_1M_plain", ints, WHAT_SUM, WHAT_SUM);
    vs_plain(&b, "sum_float_1M_plain", floats, WHAT_SUM, WHAT_SUM + 100);
    vs_plain(&b, "min_int_1M_plain", ints, WHAT_MIN, WHAT_MIN);

    rt_free(ints);
    rt_free(floats);
    rt_free(ones);
    return bench_finish(&b);
}
