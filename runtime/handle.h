/*
 * runtime/handle.h — generation-tagged integer handle tables.
 *
 * Families that hand out integer handles (threads, sockets, files, atomics,
 * Vulkan objects) keep their objects in one table per kind. A handle is
 *
 *     bits 63..56  0
 *     bits 55..48  kind tag (1..255), so a socket handle is no thread handle
 *     bits 47..24  generation of the slot (bumped on every release)
 *     bits 23..0   slot index + 1
 *
 * so it is always positive and never 0. A released, invented or
 * other-kind handle is answered with NULL by rtx_handle_get, never
 * dereferenced, and never names an object again: a slot whose generation
 * has used up its 24 bits (2^23 new/release cycles) is retired instead of
 * reused. Lookups take no lock; new and release take the table's mutex.
 */
#ifndef RTX_HANDLE_H
#define RTX_HANDLE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#define RTX_HANDLE_PAGE_BITS 10
#define RTX_HANDLE_MAX_PAGES 16384   /* 2^24 slots per table */

typedef struct rtx_handle_slot {
    _Atomic uint64_t gen;    /* odd while the slot holds an object */
    _Atomic(void *) obj;
    uint32_t next_free;      /* free list (index + 1; 0 ends it), under lock */
} rtx_handle_slot;

typedef struct rtx_handle_table {
    pthread_mutex_t lock;
    uint8_t kind;            /* the kind tag stamped into every handle */
    const char *name;        /* for diagnostics */
    uint32_t nslots;         /* slots ever created */
    uint32_t free_head;      /* index + 1 of the first free slot, 0: none */
    _Atomic uint64_t live;
    _Atomic(rtx_handle_slot *) pages[RTX_HANDLE_MAX_PAGES];
} rtx_handle_table;

#define RTX_HANDLE_TABLE_INIT(kind_tag, label)                               \
    { .lock = PTHREAD_MUTEX_INITIALIZER, .kind = (kind_tag), .name = (label) }

/* Kind tags, one per table in the project (keep them unique). */
enum {
    RTX_HK_THREAD = 1, RTX_HK_FILE = 2, RTX_HK_ATOMIC_INT = 3,
    RTX_HK_ATOMIC_BOOL = 4, RTX_HK_ATOMIC_FLAG = 5, RTX_HK_ONCE = 6,
    RTX_HK_SOCKET = 7, RTX_HK_VK_DEVICE = 8, RTX_HK_VK_BUFFER = 9,
    RTX_HK_VK_PIPELINE = 10, RTX_HK_VK_LAYOUT = 11, RTX_HK_VK_POOL = 12, RTX_HK_VK_SET = 13,
    RTX_HK_TEST = 250
};

/* A new handle for obj (non-NULL), or 0 when out of memory or slots. */
uint64_t rtx_handle_new(rtx_handle_table *t, void *obj);

/* The object behind h, or NULL for 0, other kinds, released or unknown h. */
void *rtx_handle_get(rtx_handle_table *t, uint64_t h);

/* Invalidate h and return its object (NULL if h was not live). Of two
 * racing releases of one handle exactly one gets the object. */
void *rtx_handle_release(rtx_handle_table *t, uint64_t h);

/* Live handles in t. */
uint64_t rtx_handle_live(rtx_handle_table *t);

#endif /* RTX_HANDLE_H */
