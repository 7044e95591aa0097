/*
 * runtime/handle.c — generation-tagged handle tables (see handle.h).
 *
 * Slots live in pages that are never moved or freed, so a lock-free reader
 * can always dereference a slot pointer it computed from a handle; the
 * slot's generation tells it whether the handle is still the live one.
 */
#include "runtime/handle.h"

#include "runtime/mem.h"

#define PAGE_SLOTS (1u << RTX_HANDLE_PAGE_BITS)
#define IDX_BITS 24
#define GEN_BITS 24
#define IDX_MASK ((UINT64_C(1) << IDX_BITS) - 1)
#define GEN_MASK ((UINT64_C(1) << GEN_BITS) - 1)

static rtx_handle_slot *slot_at(rtx_handle_table *t, uint32_t idx)
{
    rtx_handle_slot *page =
        atomic_load_explicit(&t->pages[idx >> RTX_HANDLE_PAGE_BITS], memory_order_acquire);
    return page ? &page[idx & (PAGE_SLOTS - 1)] : NULL;
}

static uint64_t encode(const rtx_handle_table *t, uint64_t gen, uint32_t idx)
{
    return ((uint64_t)t->kind << 48) | ((gen & GEN_MASK) << IDX_BITS) | ((uint64_t)idx + 1);
}

uint64_t rtx_handle_new(rtx_handle_table *t, void *obj)
{
    if (t == NULL || obj == NULL)
        return 0;
    uint64_t h = 0;
    pthread_mutex_lock(&t->lock);
    uint32_t idx;
    rtx_handle_slot *s;
    if (t->free_head) {
        idx = t->free_head - 1;
        s = slot_at(t, idx);
        t->free_head = s->next_free;
    } else {
        if ((uint64_t)t->nslots >= (uint64_t)RTX_HANDLE_MAX_PAGES * PAGE_SLOTS)
            goto out;
        idx = t->nslots;
        uint32_t p = idx >> RTX_HANDLE_PAGE_BITS;
        if (atomic_load_explicit(&t->pages[p], memory_order_relaxed) == NULL) {
            rtx_handle_slot *page = rtx_calloc(PAGE_SLOTS, sizeof *page);
            if (page == NULL)
                goto out;
            atomic_store_explicit(&t->pages[p], page, memory_order_release);
        }
        t->nslots++;
        s = slot_at(t, idx);
    }
    /* gen is even while free; publish obj before the odd gen makes it live. */
    uint64_t gen = atomic_load_explicit(&s->gen, memory_order_relaxed) + 1;
    atomic_store_explicit(&s->obj, obj, memory_order_relaxed);
    atomic_store_explicit(&s->gen, gen, memory_order_release);
    atomic_fetch_add_explicit(&t->live, 1, memory_order_relaxed);
    h = encode(t, gen, idx);
out:
    pthread_mutex_unlock(&t->lock);
    return h;
}

/* Slot for h if h has t's kind and a plausible index; NULL otherwise. */
static rtx_handle_slot *decode(rtx_handle_table *t, uint64_t h, uint64_t *gen)
{
    if (t == NULL || h == 0 || (h >> 56) != 0 || ((h >> 48) & 0xFF) != t->kind)
        return NULL;
    uint64_t idx1 = h & IDX_MASK;
    if (idx1 == 0)
        return NULL;
    uint32_t idx = (uint32_t)(idx1 - 1);
    if (idx >> RTX_HANDLE_PAGE_BITS >= RTX_HANDLE_MAX_PAGES)
        return NULL;
    *gen = (h >> IDX_BITS) & GEN_MASK;
    return slot_at(t, idx);
}

void *rtx_handle_get(rtx_handle_table *t, uint64_t h)
{
    uint64_t want;
    rtx_handle_slot *s = decode(t, h, &want);
    if (s == NULL)
        return NULL;
    uint64_t g = atomic_load_explicit(&s->gen, memory_order_acquire);
    if ((g & 1) == 0 || (g & GEN_MASK) != want)
        return NULL;
    void *obj = atomic_load_explicit(&s->obj, memory_order_acquire);
    /* Re-check: a release between the two loads makes the answer stale. */
    if (atomic_load_explicit(&s->gen, memory_order_acquire) != g)
        return NULL;
    return obj;
}

void *rtx_handle_release(rtx_handle_table *t, uint64_t h)
{
    uint64_t want;
    rtx_handle_slot *s = decode(t, h, &want);
    if (s == NULL)
        return NULL;
    void *obj = NULL;
    pthread_mutex_lock(&t->lock);
    uint64_t g = atomic_load_explicit(&s->gen, memory_order_relaxed);
    if ((g & 1) == 1 && (g & GEN_MASK) == want) {
        obj = atomic_load_explicit(&s->obj, memory_order_relaxed);
        atomic_store_explicit(&s->gen, g + 1, memory_order_release);
        atomic_store_explicit(&s->obj, NULL, memory_order_relaxed);
        /* A handle keeps only GEN_BITS of the generation: once the slot has
         * handed out the last odd value they hold, reusing it would give a
         * handle equal to one released long ago. Retire it for good instead
         * (2^23 uses per slot, 2^24 slots: 2^47 handles per table). */
        if ((g & GEN_MASK) != GEN_MASK) {
            s->next_free = t->free_head;
            t->free_head = (uint32_t)(h & IDX_MASK);
        }
        atomic_fetch_sub_explicit(&t->live, 1, memory_order_relaxed);
    }
    pthread_mutex_unlock(&t->lock);
    return obj;
}

uint64_t rtx_handle_live(rtx_handle_table *t)
{
    return t ? atomic_load_explicit(&t->live, memory_order_relaxed) : 0;
}
