/*
 * runtime/atomic.c — heap atomics addressed by RtValue, heap type 0x15.
 *
 * Implements spec/ffi/atomic.sdn: rt_atomic_new, rt_atomic_load,
 * rt_atomic_store, rt_atomic_swap, rt_atomic_compare_exchange,
 * rt_atomic_fetch_add, rt_atomic_fetch_sub, rt_atomic_fetch_and,
 * rt_atomic_fetch_or, rt_atomic_free.
 *
 * Orderings as upstream: acquire loads, release stores, acq_rel
 * read-modify-writes. Every call enters the object through the sync
 * lifetime protocol (sync_core.h), so a concurrent free waits for calls
 * already inside instead of pulling the word out from under them.
 */
#include "runtime/sync_core.h"
#include "simplert/atomic.h"

typedef struct RtAtomic {
    rtx_sync s;
    _Atomic int64_t value;
    int64_t id;   /* as upstream's atomic_id: from 1, for diagnostics */
} RtAtomic;

enum op { OP_SWAP, OP_ADD, OP_SUB, OP_AND, OP_OR };

static _Atomic int64_t next_id = 1;

static RtAtomic *enter(RtValue v) { return (RtAtomic *)rtx_sync_enter(v, RT_HEAP_ATOMIC); }
static void leave(RtAtomic *a) { rtx_sync_leave(&a->s); }
static int64_t rmw(RtValue atomic, enum op op, int64_t value);
static void finalize(RtHeapHeader *h);
RTX_FINALIZER(RT_HEAP_ATOMIC, finalize)

RT_API RtValue rt_atomic_new(int64_t initial)
{
    RtAtomic *a = (RtAtomic *)rtx_sync_alloc(RT_HEAP_ATOMIC, sizeof *a);
    if (a == NULL)
        return RT_NIL;
    atomic_init(&a->value, initial);
    a->id = atomic_fetch_add_explicit(&next_id, 1, memory_order_relaxed);
    return rtx_heap_value(&a->s.hdr);
}

RT_API int64_t rt_atomic_load(RtValue atomic)
{
    RtAtomic *a = enter(atomic);
    if (a == NULL)
        return 0;
    int64_t v = atomic_load_explicit(&a->value, memory_order_acquire);
    leave(a);
    return v;
}

RT_API void rt_atomic_store(RtValue atomic, int64_t value)
{
    RtAtomic *a = enter(atomic);
    if (a == NULL)
        return;
    atomic_store_explicit(&a->value, value, memory_order_release);
    leave(a);
}

RT_API int64_t rt_atomic_swap(RtValue atomic, int64_t value) { return rmw(atomic, OP_SWAP, value); }

RT_API int64_t rt_atomic_compare_exchange(RtValue atomic, int64_t expected, int64_t desired,
                                          int64_t *out_old)
{
    RtAtomic *a = enter(atomic);
    if (a == NULL)
        return 0;
    int64_t seen = expected;   /* on failure the current value lands here */
    bool ok = atomic_compare_exchange_strong_explicit(&a->value, &seen, desired,
                                                      memory_order_acq_rel, memory_order_acquire);
    leave(a);
    if (out_old != NULL)
        *out_old = seen;
    return ok ? 1 : 0;
}

RT_API int64_t rt_atomic_fetch_add(RtValue atomic, int64_t value) { return rmw(atomic, OP_ADD, value); }
RT_API int64_t rt_atomic_fetch_sub(RtValue atomic, int64_t value) { return rmw(atomic, OP_SUB, value); }
RT_API int64_t rt_atomic_fetch_and(RtValue atomic, int64_t value) { return rmw(atomic, OP_AND, value); }
RT_API int64_t rt_atomic_fetch_or(RtValue atomic, int64_t value) { return rmw(atomic, OP_OR, value); }

RT_API void rt_atomic_free(RtValue atomic)
{
    /* Never refused: calls on the atomic do not block, so the finalizer's
     * wait for calls already inside is short. */
    (void)rtx_sync_free(atomic, RT_HEAP_ATOMIC, NULL);
}

/* Wrapping arithmetic: C11 atomic add/sub on signed types wrap (two's
 * complement, no undefined behaviour), as upstream's fetch_add does. */
static int64_t rmw(RtValue atomic, enum op op, int64_t value)
{
    RtAtomic *a = enter(atomic);
    if (a == NULL)
        return 0;
    int64_t old = 0;
    const memory_order mo = memory_order_acq_rel;
    switch (op) {
    case OP_SWAP: old = atomic_exchange_explicit(&a->value, value, mo); break;
    case OP_ADD: old = atomic_fetch_add_explicit(&a->value, value, mo); break;
    case OP_SUB: old = atomic_fetch_sub_explicit(&a->value, value, mo); break;
    case OP_AND: old = atomic_fetch_and_explicit(&a->value, value, mo); break;
    case OP_OR: old = atomic_fetch_or_explicit(&a->value, value, mo); break;
    }
    leave(a);
    return old;
}

static void finalize(RtHeapHeader *h)
{
    rtx_sync_retire(&((RtAtomic *)h)->s, NULL);
}
