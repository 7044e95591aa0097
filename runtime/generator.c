/*
 * runtime/generator.c — stackless generators with explicit frame slots.
 *
 * Implements (spec/ffi/future.sdn): rt_generator_new, rt_generator_next,
 * rt_generator_get_state, rt_generator_set_state, rt_generator_store_slot,
 * rt_generator_load_slot, rt_generator_get_ctx, rt_generator_mark_done.
 *
 * The object keeps upstream's layout (state@8 slots@16 ctx@24 body@32
 * done@40). Upstream's slots word points to a Rust Vec; here it points to a
 * private growable vector (NULL while there are no slots) that the
 * finalizer frees. The slot count never exceeds RT_GENERATOR_MAX_SLOTS.
 * A generator is driven by one thread at a time (as upstream).
 */
#include <stddef.h>

#include "runtime/heap.h"
#include "runtime/mem.h"
#include "simplert/future.h"
#include "simplert/value.h"

typedef struct gen_slots {
    uint64_t len, cap;
    RtValue v[];
} gen_slots;

typedef struct RtGenerator {
    RtHeapHeader hdr;
    uint64_t state;        /* 0 at entry, n after the nth yield */
    gen_slots *slots;
    RtValue ctx;
    RtFn1 body;            /* the compiled dispatcher; NULL: none */
    uint8_t done;
} RtGenerator;

_Static_assert(offsetof(RtGenerator, state) == 8 && offsetof(RtGenerator, slots) == 16 &&
                   offsetof(RtGenerator, ctx) == 24 && offsetof(RtGenerator, body) == 32 &&
                   offsetof(RtGenerator, done) == 40,
               "generator layout (upstream-abi.md 1.3)");

static RtGenerator *gen_of(RtValue v) { return (RtGenerator *)rtx_heap_get(v, RT_HEAP_GENERATOR); }
static int ensure_len(RtGenerator *g, uint64_t len);

static void gen_finalize(RtHeapHeader *h) { rtx_free(((RtGenerator *)h)->slots); }
RTX_FINALIZER(RT_HEAP_GENERATOR, gen_finalize)

RT_API RtValue rt_generator_new(RtFn1 dispatcher, int64_t slots, RtValue ctx)
{
    if (slots < 0)
        slots = 0;
    if (slots > RT_GENERATOR_MAX_SLOTS)
        return RT_NIL;
    RtGenerator *g = (RtGenerator *)rtx_heap_alloc(RT_HEAP_GENERATOR, sizeof *g);
    if (g == NULL)
        return RT_NIL;
    g->body = dispatcher;
    g->ctx = ctx;
    RtValue v = rtx_heap_value(&g->hdr);
    if (ensure_len(g, (uint64_t)slots) != 0) {
        rt_free(v);
        return RT_NIL;
    }
    return v;
}

RT_API RtValue rt_generator_next(RtValue generator)
{
    RtGenerator *g = gen_of(generator);
    if (g == NULL || g->done || g->body == NULL)
        return RT_NIL;
    return g->body(generator);
}

RT_API int64_t rt_generator_get_state(RtValue generator)
{
    RtGenerator *g = gen_of(generator);
    return g ? (int64_t)g->state : 0;
}

RT_API void rt_generator_set_state(RtValue generator, int64_t state)
{
    RtGenerator *g = gen_of(generator);
    if (g)
        g->state = state < 0 ? 0 : (uint64_t)state;
}

RT_API void rt_generator_store_slot(RtValue generator, int64_t index, RtValue value)
{
    if (index < 0 || index >= RT_GENERATOR_MAX_SLOTS)
        return;
    RtGenerator *g = gen_of(generator);
    if (g == NULL || ensure_len(g, (uint64_t)index + 1) != 0)
        return;
    g->slots->v[index] = value;
}

RT_API RtValue rt_generator_load_slot(RtValue generator, int64_t index)
{
    RtGenerator *g = gen_of(generator);
    if (g == NULL || index < 0 || g->slots == NULL || (uint64_t)index >= g->slots->len)
        return RT_NIL;
    return g->slots->v[index];
}

RT_API RtValue rt_generator_get_ctx(RtValue generator)
{
    RtGenerator *g = gen_of(generator);
    return g ? g->ctx : RT_NIL;
}

RT_API void rt_generator_mark_done(RtValue generator)
{
    RtGenerator *g = gen_of(generator);
    if (g)
        g->done = 1;
}

/* Grow the slot vector to at least len slots (new ones NIL). 0, or -1 on OOM. */
static int ensure_len(RtGenerator *g, uint64_t len)
{
    gen_slots *s = g->slots;
    uint64_t have = s ? s->len : 0;
    if (len <= have)
        return 0;
    if (s == NULL || len > s->cap) {
        uint64_t cap = s ? s->cap : 0;
        cap = cap < 4 ? 4 : cap;
        while (cap < len)
            cap *= 2;
        if (cap > RT_GENERATOR_MAX_SLOTS)
            cap = RT_GENERATOR_MAX_SLOTS;
        gen_slots *n = rtx_realloc(s, sizeof *n + cap * sizeof(RtValue));
        if (n == NULL)
            return -1;
        if (s == NULL)
            n->len = 0;
        n->cap = cap;
        g->slots = s = n;
    }
    for (uint64_t i = s->len; i < len; i++)
        s->v[i] = RT_NIL;
    s->len = len;
    return 0;
}
