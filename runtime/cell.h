/*
 * runtime/cell.h — type-stable objects behind integer handles, for the
 * handle atomics and once cells (spec/ffi/atomic.sdn).
 *
 * Why: rtx_handle_get answers "which object does h name" without keeping
 * the object alive, and an atomic fetch_add must not pay for a lock. Cells
 * come from pools whose memory is never returned to malloc, so a pointer
 * obtained from a handle always points at a cell of the right kind, even if
 * the handle is released a moment later. Each cell counts the calls inside
 * it; a call increments that count and then re-checks that the handle still
 * names the cell, and release waits for the count to drain before the cell
 * is reused. A call therefore acts on the cell of the handle it was given,
 * never on a recycled one.
 *
 * Pool memory grows to the peak number of live cells of its kind and stays
 * reachable for the life of the process (Valgrind: still reachable).
 */
#ifndef RTX_CELL_H
#define RTX_CELL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/handle.h"

/* The first member of every pooled cell. */
typedef struct rtx_cell {
    _Atomic uint32_t users;      /* calls inside this cell */
    struct rtx_cell *next_free;  /* pool free list, under the pool lock */
} rtx_cell;

typedef struct rtx_cell_pool {
    pthread_mutex_t lock;
    size_t item_size;            /* >= sizeof(rtx_cell), a multiple of 16 */
    rtx_cell *free;
    void *chunks;                /* every chunk ever allocated (kept reachable) */
} rtx_cell_pool;

#define RTX_CELL_POOL_INIT(type)                                                           \
    { .lock = PTHREAD_MUTEX_INITIALIZER, .item_size = (sizeof(type) + 15u) & ~(size_t)15u }

/* A cell from the pool (NULL on OOM). Its memory is zero the first time
 * and keeps whatever the previous owner left otherwise: *fresh says which. */
void *rtx_cell_take(rtx_cell_pool *p, int *fresh);
void rtx_cell_give(rtx_cell_pool *p, void *cell);

/* The cell behind h, counted as used; NULL if h is not live in t. */
void *rtx_cell_enter(rtx_handle_table *t, uint64_t h);
void rtx_cell_leave(void *cell);

/* Release h and wait until no call is inside its cell; returns the cell
 * (for rtx_cell_give) or NULL if h was not live. */
void *rtx_cell_retire(rtx_handle_table *t, uint64_t h);

#endif /* RTX_CELL_H */
