/*
 * runtime/par.c — parallel iterators over arrays.
 *
 * Implements (spec/ffi/par.sdn): rt_par_map, rt_par_filter, rt_par_reduce,
 * rt_par_for_each. (Work items and launch are in par_kernel.c.)
 *
 * The closure is a closure object; its code is called as f(closure, x)
 * (reduce: f(closure, acc, x)), as upstream's rt_array_filter does. The loop
 * runs on runtime/par_run.c: selections of at most SEQ_MAX elements run on
 * the caller with no parallel overhead at all; larger ones are measured and
 * split only when the work is worth it. Results keep index order.
 *
 * Elements are read in place (no copy of the input), re-reading the
 * array's length and buffer for every element so that a closure that
 * resizes the input on a single thread reads NILs past the end instead of
 * freed memory. When the loop runs on several threads, a closure that
 * resizes or frees the input is a data race (documented in the row).
 *
 * reduce's grouping is a function of the selection length only (see
 * reduce_chunk), so its result never depends on workers, mode or timing.
 */
#include "runtime/heap.h"
#include "runtime/layout.h"
#include "runtime/mem.h"
#include "runtime/par_run.h"
#include "simplert/par.h"
#include "simplert/value.h"

#define SEQ_MAX 1024                /* selections up to this run on the caller */
#define EAGER_MIN 65536             /* selections from this size start parallel at once */
#define REDUCE_CHUNK_MIN 4096       /* reduce: elements per chunk, at least */
#define REDUCE_MAX_CHUNKS 1024      /* reduce: chunks, at most */

typedef RtValue (*clo2_fn)(RtValue clo, RtValue x);
typedef RtValue (*clo3_fn)(RtValue clo, RtValue acc, RtValue x);

typedef struct par_call {
    RtArray *in;
    RtValue clo;
    const void *code;
    int64_t n;          /* selected elements */
    RtValue *out;       /* map: result buffer */
    uint8_t *keep;      /* filter: one flag per element */
    RtValue initial;    /* reduce */
    int64_t chunk;      /* reduce: elements per chunk */
    RtValue *partial;   /* reduce: one result per chunk */
} par_call;

static inline int prepare(par_call *pc, RtValue input, int64_t len, RtValue clo, int32_t backend);
static RtArray *array_to_fill(int64_t n, RtValue *out);
static RtValue elem(const par_call *pc, int64_t i);
static inline RtValue elem_of(const RtArray *a, int64_t i);
static int64_t reduce_chunk(int64_t n);
static void map_body(void *p, int64_t b, int64_t e);
static void filter_body(void *p, int64_t b, int64_t e);
static void each_body(void *p, int64_t b, int64_t e);
static void reduce_body(void *p, int64_t b, int64_t e);

/* ---- FFI ---------------------------------------------------------------------------- */

RT_API RtValue rt_par_map(RtValue input, int64_t len, RtValue closure, int32_t backend)
{
    par_call pc;
    if (!prepare(&pc, input, len, closure, backend))
        return RT_NIL;
    RtValue out;
    RtArray *oa = array_to_fill(pc.n, &out);   /* nobody else can see `out` yet */
    if (oa == NULL)
        return RT_NIL;
    pc.out = oa->data;
    if (pc.n <= SEQ_MAX)
        map_body(&pc, 0, pc.n);   /* the common small case: a direct call */
    else
        rtx_par_run(pc.n, SEQ_MAX, EAGER_MIN, map_body, &pc);
    oa->len = (uint64_t)pc.n;
    return out;
}

RT_API RtValue rt_par_filter(RtValue input, int64_t len, RtValue predicate, int32_t backend)
{
    par_call pc;
    if (!prepare(&pc, input, len, predicate, backend))
        return RT_NIL;
    pc.keep = rtx_malloc(pc.n ? (size_t)pc.n : 1);
    if (pc.keep == NULL)
        return RT_NIL;
    rtx_par_run(pc.n, SEQ_MAX, EAGER_MIN, filter_body, &pc);
    int64_t k = 0;
    for (int64_t i = 0; i < pc.n; i++)
        k += pc.keep[i];
    RtValue out = RT_NIL;
    RtArray *oa = array_to_fill(k, &out);
    if (oa != NULL) {
        int64_t j = 0;
        for (int64_t i = 0; i < pc.n; i++)
            if (pc.keep[i])
                oa->data[j++] = elem(&pc, i);
        oa->len = (uint64_t)j;
    }
    rtx_free(pc.keep);
    return out;
}

RT_API RtValue rt_par_reduce(RtValue input, int64_t len, RtValue initial, RtValue closure,
                             int32_t backend)
{
    par_call pc;
    if (!prepare(&pc, input, len, closure, backend))
        return initial;
    pc.initial = initial;
    pc.chunk = reduce_chunk(pc.n);
    int64_t nchunks = pc.n ? (pc.n + pc.chunk - 1) / pc.chunk : 0;
    if (nchunks <= 1) {   /* a plain left fold */
        RtValue acc = initial;
        clo3_fn f = (clo3_fn)pc.code;
        for (int64_t i = 0; i < pc.n; i++)
            acc = f(closure, acc, elem_of(pc.in, i));
        return acc;
    }
    pc.partial = rtx_malloc((size_t)nchunks * sizeof(RtValue));
    if (pc.partial == NULL)
        return initial;
    rtx_par_run(nchunks, 1, EAGER_MIN / REDUCE_CHUNK_MIN, reduce_body, &pc);
    RtValue acc = pc.partial[0];
    for (int64_t k = 1; k < nchunks; k++)
        acc = ((clo3_fn)pc.code)(pc.clo, acc, pc.partial[k]);
    rtx_free(pc.partial);
    return acc;
}

RT_API void rt_par_for_each(RtValue input, int64_t len, RtValue closure, int32_t backend)
{
    par_call pc;
    if (prepare(&pc, input, len, closure, backend))
        rtx_par_run(pc.n, SEQ_MAX, EAGER_MIN, each_body, &pc);
}

/* ---- helpers ------------------------------------------------------------------------ */

/* Validate and fill pc; 0 when the call must be refused. */
static inline int prepare(par_call *pc, RtValue input, int64_t len, RtValue clo, int32_t backend)
{
    if (backend < 0 || backend > 3 || len < 0)
        return 0;
    RtArray *a = (RtArray *)rtx_heap_get(input, RT_HEAP_ARRAY);
    RtClosure *c = (RtClosure *)rtx_heap_get(clo, RT_HEAP_CLOSURE);
    if (a == NULL || c == NULL || c->func_ptr == NULL)
        return 0;
    pc->in = a;
    pc->clo = clo;
    pc->code = c->func_ptr;
    /* len 0 is codegen's placeholder for "the whole array"; longer is clamped. */
    pc->n = (len == 0 || (uint64_t)len > a->len) ? (int64_t)a->len : len;
    pc->out = NULL;
    pc->keep = NULL;
    pc->partial = NULL;
    return 1;
}

/* A new empty array (in *out) with room for n values, which the caller
 * writes all of before setting len = n; NULL when out of memory.
 * rt_array_new zeroes its buffer (unused slots read as int 0); a buffer
 * whose every slot is written anyway skips that pass (for 1M elements it
 * took a third of a map's time). */
static RtArray *array_to_fill(int64_t n, RtValue *out)
{
    *out = rt_array_new(0);
    if (*out == RT_NIL)
        return NULL;
    RtArray *a = (RtArray *)rtx_heap_get(*out, RT_HEAP_ARRAY);
    if ((uint64_t)n > a->cap) {   /* n <= the input's length <= RTX_ARRAY_MAX_CAP */
        RtValue *buf = rtx_malloc((size_t)n * sizeof(RtValue));
        if (buf == NULL) {
            rt_free(*out);
            *out = RT_NIL;
            return NULL;
        }
        rtx_free(a->data);
        a->data = buf;
        a->cap = (uint64_t)n;
    }
    return a;
}

/* Element i of a, or NIL if the array has shrunk below i since the call
 * began (len and data are re-read after every closure call). */
static inline RtValue elem_of(const RtArray *a, int64_t i)
{
    return (uint64_t)i < a->len ? a->data[i] : RT_NIL;
}

static RtValue elem(const par_call *pc, int64_t i) { return elem_of(pc->in, i); }

/* Elements per reduce chunk: a function of n alone, so the grouping of a
 * non-associative closure is the same on every run. */
static int64_t reduce_chunk(int64_t n)
{
    int64_t c = (n + REDUCE_MAX_CHUNKS - 1) / REDUCE_MAX_CHUNKS;
    return c < REDUCE_CHUNK_MIN ? REDUCE_CHUNK_MIN : c;
}

/* The loop bodies copy what they use into locals: the closure call may
 * write any memory, so fields read through pc would be reloaded per element. */
static void map_body(void *p, int64_t b, int64_t e)
{
    const par_call *pc = p;
    const RtArray *in = pc->in;
    clo2_fn f = (clo2_fn)pc->code;
    RtValue clo = pc->clo, *out = pc->out;
    for (int64_t i = b; i < e; i++)
        out[i] = f(clo, elem_of(in, i));
}

static void filter_body(void *p, int64_t b, int64_t e)
{
    const par_call *pc = p;
    const RtArray *in = pc->in;
    clo2_fn f = (clo2_fn)pc->code;
    RtValue clo = pc->clo;
    uint8_t *keep = pc->keep;
    for (int64_t i = b; i < e; i++)
        keep[i] = rt_value_truthy(f(clo, elem_of(in, i)));
}

static void each_body(void *p, int64_t b, int64_t e)
{
    const par_call *pc = p;
    const RtArray *in = pc->in;
    clo2_fn f = (clo2_fn)pc->code;
    RtValue clo = pc->clo;
    for (int64_t i = b; i < e; i++)
        (void)f(clo, elem_of(in, i));
}

/* Chunks [b, e): chunk 0 folds from initial, every other chunk from its own
 * first element; results go to partial[k] and are combined in order. */
static void reduce_body(void *p, int64_t b, int64_t e)
{
    const par_call *pc = p;
    const RtArray *in = pc->in;
    clo3_fn f = (clo3_fn)pc->code;
    RtValue clo = pc->clo;
    for (int64_t k = b; k < e; k++) {
        int64_t lo = k * pc->chunk, hi = lo + pc->chunk < pc->n ? lo + pc->chunk : pc->n;
        RtValue acc = k == 0 ? pc->initial : elem_of(in, lo++);
        for (int64_t i = lo; i < hi; i++)
            acc = f(clo, acc, elem_of(in, i));
        pc->partial[k] = acc;
    }
}
