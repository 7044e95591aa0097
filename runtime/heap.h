/*
 * runtime/heap.h — heap objects and the allocation registry.
 *
 * Every heap object the runtime hands out is registered here; every heap
 * RtValue that crosses the FFI boundary is looked up before it is touched.
 * A lookup never reads the object's memory unless the address is
 * registered, so a freed, invented or misaligned pointer is answered with
 * NULL (and the caller returns its documented default) instead of a crash.
 *
 * Limits (documented in spec/ffi/value.sdn):
 * - Validation protects against stale and bogus values, not against one
 *   thread freeing an object while another is still using it (no GC).
 * - After a free, malloc may reuse the address for a new object; an old
 *   RtValue with that address then names the new object (as upstream).
 */
#ifndef RTX_HEAP_H
#define RTX_HEAP_H

#include "simplert/core.h"

/* Allocate `size` zeroed bytes (>= sizeof(RtHeapHeader)), fill the header
 * and register the object. NULL on OOM. */
RtHeapHeader *rtx_heap_alloc(uint8_t type, size_t size);

/* The object behind v if v is a registered heap value of `type`
 * (type < 0: any type); NULL otherwise. */
RtHeapHeader *rtx_heap_get(RtValue v, int type);

/* True when p is the address of a registered heap object. */
int rtx_heap_registered(const void *p);

/* Unregister and free (runs the type's finalizer first). Returns 0, or -1
 * if v was not a registered heap value (nothing happens then). */
int rtx_heap_free(RtValue v);

/* A finalizer releases what the object owns besides its own block (e.g.
 * the out-of-line array buffer). It must not free the object itself. */
typedef void (*rtx_heap_finalizer)(RtHeapHeader *obj);
void rtx_heap_set_finalizer(uint8_t type, rtx_heap_finalizer fn);

/* Number of live registered objects (tests use it as a leak check that
 * works in every build, not only under ASan). */
uint64_t rtx_heap_live(void);

static inline RtValue rtx_heap_value(const RtHeapHeader *h)
{
    return (RtValue)(uintptr_t)h | RT_TAG_HEAP;
}

/* Register a finalizer before main() runs (one per module, per type). */
#define RTX_FINALIZER(type, fn)                                              \
    __attribute__((constructor)) static void rtx_fin_ctor_##fn(void)         \
    {                                                                        \
        rtx_heap_set_finalizer((type), (fn));                                \
    }

#endif /* RTX_HEAP_H */
