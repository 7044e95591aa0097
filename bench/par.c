/*
 * bench/par.c — rt_par_* against the sequential loop it replaces.
 *
 *   map_1M       rt_par_map over 1M ints with a trivial closure (x + 1)
 *                against a sequential loop doing the same work: validate the
 *                array and closure, allocate the result, call f(closure, x)
 *                for each element. Goal >= 1.8x on 2 cores.
 *   map_100      the same over 100 elements (many calls per measurement):
 *                small inputs must not pay for parallelism. Goal <= 1.1x
 *                the sequential time.
 *   map_1M_heavy the same with a closure doing 40 dependent multiply-adds per
 *                element (informational): the scaling when each element
 *                costs more than reading and writing it.
 *   reduce_1M    rt_par_reduce (+) against a sequential fold (informational).
 *   filter_1M    rt_par_filter (odd) against a sequential filter (informational).
 *
 * The sequential peer is the same map without parallelism: one validation,
 * the result allocated as rt_par_map allocates it (not zeroed, since every
 * slot is written), direct buffer access. So the ratio is what parallelism
 * buys, not what validation or allocation strategy costs.
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench/bench.h"
#include "runtime/heap.h"
#include "runtime/layout.h"
#include "simplert.h"

typedef RtValue (*clo2)(RtValue, RtValue);
typedef RtValue (*clo3)(RtValue, RtValue, RtValue);

static RtValue plus1(RtValue clo, RtValue x)
{
    (void)clo;
    return (RtValue)((uint64_t)x + 8);   /* an inline int + 1 */
}

static RtValue heavy(RtValue clo, RtValue x)
{
    (void)clo;
    uint64_t v = x;
    for (int i = 0; i < 40; i++)
        v = v * 6364136223846793005u + 1442695040888963407u;
    return (RtValue)(v & ~UINT64_C(7));   /* an int */
}

static RtValue is_odd(RtValue clo, RtValue x)
{
    (void)clo;
    return (x >> 3) & 1 ? RT_TRUE : RT_FALSE;
}

static RtValue add(RtValue clo, RtValue acc, RtValue x)
{
    (void)clo;
    return (RtValue)((uint64_t)acc + (uint64_t)x);   /* tagged ints add */
}

typedef struct ctx {
    RtValue in, clo, clo_odd, clo_add, clo_heavy, map_clo;
    int64_t n;
    long calls;   /* per measurement, for the small case */
} ctx;

/* The result array as rt_par_map makes it: a buffer every slot of which is
 * written, so not zeroed first (same allocation work on both sides). */
static RtValue array_to_fill(uint64_t n)
{
    RtValue out = rt_array_new(0);
    RtArray *o = (RtArray *)rtx_heap_get(out, RT_HEAP_ARRAY);
    if (n > o->cap) {
        free(o->data);
        o->data = malloc(n * sizeof(RtValue));
        o->cap = n;
    }
    return out;
}

static RtValue seq_map(RtValue in, RtValue clo)
{
    RtArray *a = (RtArray *)rtx_heap_get(in, RT_HEAP_ARRAY);
    RtClosure *c = (RtClosure *)rtx_heap_get(clo, RT_HEAP_CLOSURE);
    if (a == NULL || c == NULL)
        abort();
    RtValue out = array_to_fill(a->len);
    RtArray *o = (RtArray *)rtx_heap_get(out, RT_HEAP_ARRAY);
    clo2 f = (clo2)c->func_ptr;
    for (uint64_t i = 0; i < a->len; i++)
        o->data[i] = f(clo, a->data[i]);
    o->len = a->len;
    return out;
}

static double per_elem(uint64_t t0, double elems) { return elems / ((double)(bench_now_ns() - t0) / 1e9); }

static double ours_map(void *p)
{
    ctx *c = p;
    uint64_t t0 = bench_now_ns();
    RtValue out = rt_par_map(c->in, 0, c->map_clo, 0);
    double r = per_elem(t0, (double)c->n);
    if (rt_array_len(out) != c->n)
        abort();
    rt_free(out);
    return r;
}

static double peer_map(void *p)
{
    ctx *c = p;
    uint64_t t0 = bench_now_ns();
    RtValue out = seq_map(c->in, c->map_clo);
    double r = per_elem(t0, (double)c->n);
    if (rt_array_len(out) != c->n)
        abort();
    rt_free(out);
    return r;
}

/* Small inputs: ns per call over many calls. */
static double ours_map_small(void *p)
{
    ctx *c = p;
    uint64_t t0 = bench_now_ns();
    for (long k = 0; k < c->calls; k++)
        rt_free(rt_par_map(c->in, 0, c->map_clo, 0));
    return (double)(bench_now_ns() - t0) / (double)c->calls;
}

static double peer_map_small(void *p)
{
    ctx *c = p;
    uint64_t t0 = bench_now_ns();
    for (long k = 0; k < c->calls; k++)
        rt_free(seq_map(c->in, c->map_clo));
    return (double)(bench_now_ns() - t0) / (double)c->calls;
}

static double ours_reduce(void *p)
{
    ctx *c = p;
    uint64_t t0 = bench_now_ns();
    RtValue r = rt_par_reduce(c->in, 0, rt_value_int(0), c->clo_add, 0);
    double v = per_elem(t0, (double)c->n);
    if (r != rt_value_int(c->n * (c->n - 1) / 2))
        abort();
    return v;
}

static double peer_reduce(void *p)
{
    ctx *c = p;
    uint64_t t0 = bench_now_ns();
    RtArray *a = (RtArray *)rtx_heap_get(c->in, RT_HEAP_ARRAY);
    RtClosure *cl = (RtClosure *)rtx_heap_get(c->clo_add, RT_HEAP_CLOSURE);
    clo3 f = (clo3)cl->func_ptr;
    RtValue acc = rt_value_int(0);
    for (uint64_t i = 0; i < a->len; i++)
        acc = f(c->clo_add, acc, a->data[i]);
    double v = per_elem(t0, (double)c->n);
    if (acc != rt_value_int(c->n * (c->n - 1) / 2))
        abort();
    return v;
}

static double ours_filter(void *p)
{
    ctx *c = p;
    uint64_t t0 = bench_now_ns();
    RtValue out = rt_par_filter(c->in, 0, c->clo_odd, 0);
    double v = per_elem(t0, (double)c->n);
    if (rt_array_len(out) != c->n / 2)
        abort();
    rt_free(out);
    return v;
}

static double peer_filter(void *p)
{
    ctx *c = p;
    uint64_t t0 = bench_now_ns();
    RtArray *a = (RtArray *)rtx_heap_get(c->in, RT_HEAP_ARRAY);
    RtClosure *cl = (RtClosure *)rtx_heap_get(c->clo_odd, RT_HEAP_CLOSURE);
    clo2 f = (clo2)cl->func_ptr;
    RtValue out = rt_array_new(0);
    for (uint64_t i = 0; i < a->len; i++)
        if (rt_value_truthy(f(c->clo_odd, a->data[i])))
            rt_array_push(out, a->data[i]);
    double v = per_elem(t0, (double)c->n);
    if (rt_array_len(out) != c->n / 2)
        abort();
    rt_free(out);
    return v;
}

static RtValue iota(int64_t n)
{
    RtValue a = rt_array_new((uint64_t)n);
    for (int64_t i = 0; i < n; i++)
        rt_array_push(a, rt_value_int(i));
    return a;
}

int main(int argc, char **argv)
{
    bench b;
    bench_init(&b, "par", argc, argv);
    ctx c = {0};
    c.clo = rt_closure_new((const void *)plus1, 0);
    c.clo_odd = rt_closure_new((const void *)is_odd, 0);
    c.clo_add = rt_closure_new((const void *)add, 0);
    c.clo_heavy = rt_closure_new((const void *)heavy, 0);
    printf("par: %lld CPUs available, executor default (4 workers)\n",
           (long long)rt_thread_available_parallelism());

    c.n = 1000000;
    c.in = iota(c.n);
    c.map_clo = c.clo;
    bench_pair(&b, "map_1M", "sequential loop", "elem/s", BENCH_HIGHER, ours_map, peer_map, &c,
               1.8);
    c.map_clo = c.clo_heavy;
    bench_pair(&b, "map_1M_heavy", "sequential loop", "elem/s", BENCH_HIGHER, ours_map, peer_map,
               &c, 0);
    bench_pair(&b, "reduce_1M", "sequential fold", "elem/s", BENCH_HIGHER, ours_reduce,
               peer_reduce, &c, 0);
    bench_pair(&b, "filter_1M", "sequential filter", "elem/s", BENCH_HIGHER, ours_filter,
               peer_filter, &c, 0);
    rt_free(c.in);

    c.n = 100;
    c.in = iota(c.n);
    c.calls = b.quick ? 20000 : 200000;
    c.map_clo = c.clo;
    bench_pair(&b, "map_100", "sequential loop", "ns/call", BENCH_LOWER, ours_map_small,
               peer_map_small, &c, 1.1);
    rt_free(c.in);
    rt_free(c.clo);
    rt_free(c.clo_odd);
    rt_free(c.clo_add);
    rt_free(c.clo_heavy);
    rt_executor_shutdown();
    return bench_finish(&b);
}
