/*
 * runtime/cell.c — type-stable cell pools for handle atomics and once
 * cells (see cell.h). Implements no spec row by itself.
 */
#include "runtime/cell.h"

#include <sched.h>

#include "runtime/mem.h"

#define CHUNK_CELLS 64

/* A chunk: a link to the previous chunk, then CHUNK_CELLS cells. */
typedef struct chunk {
    struct chunk *prev;
    _Alignas(16) unsigned char cells[];
} chunk;

void *rtx_cell_take(rtx_cell_pool *p, int *fresh)
{
    pthread_mutex_lock(&p->lock);
    rtx_cell *c = p->free;
    if (c != NULL) {
        p->free = c->next_free;
        *fresh = 0;
    } else {
        chunk *k = rtx_calloc(1, sizeof(chunk) + CHUNK_CELLS * p->item_size);
        if (k != NULL) {
            k->prev = p->chunks;
            p->chunks = k;
            /* Cell 0 goes to the caller, the rest onto the free list. */
            for (size_t i = CHUNK_CELLS - 1; i >= 1; i--) {
                rtx_cell *f = (rtx_cell *)(k->cells + i * p->item_size);
                f->next_free = p->free;
                p->free = f;
            }
            c = (rtx_cell *)k->cells;
            *fresh = 1;
        }
    }
    pthread_mutex_unlock(&p->lock);
    return c;
}

void rtx_cell_give(rtx_cell_pool *p, void *cell)
{
    rtx_cell *c = cell;
    pthread_mutex_lock(&p->lock);
    c->next_free = p->free;
    p->free = c;
    pthread_mutex_unlock(&p->lock);
}

void *rtx_cell_enter(rtx_handle_table *t, uint64_t h)
{
    rtx_cell *c = rtx_handle_get(t, h);
    if (c == NULL)
        return NULL;
    /* Safe even if h was released meanwhile: cell memory is never freed. */
    atomic_fetch_add_explicit(&c->users, 1, memory_order_seq_cst);
    /* Still h's cell? Either this re-check sees a release of h, or the
     * retiring thread sees our count and waits (the two seq_cst fences,
     * here and in rtx_cell_retire, rule out both missing each other). */
    atomic_thread_fence(memory_order_seq_cst);
    if (rtx_handle_get(t, h) != c) {
        atomic_fetch_sub_explicit(&c->users, 1, memory_order_release);
        return NULL;
    }
    return c;
}

void rtx_cell_leave(void *cell)
{
    atomic_fetch_sub_explicit(&((rtx_cell *)cell)->users, 1, memory_order_release);
}

void *rtx_cell_retire(rtx_handle_table *t, uint64_t h)
{
    rtx_cell *c = rtx_handle_release(t, h);
    if (c == NULL)
        return NULL;
    atomic_thread_fence(memory_order_seq_cst);
    /* Calls inside are short (atomic ops, or a once cell that is not
     * running: rt_once_free refuses a running one). */
    while (atomic_load_explicit(&c->users, memory_order_seq_cst) != 0)
        sched_yield();
    return c;
}
