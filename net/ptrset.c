/*
 * net/ptrset.c — sets of pointers the net module handed out.
 *
 * native_net_addr_free and native_http_response_free must ignore a pointer
 * the runtime never returned or already freed (spec/ffi/tcp.sdn, http.sdn);
 * reading such a pointer to look for a magic number would itself be the
 * fault, so the answer comes from this set instead. Open addressing with
 * linear probing and tombstones, under one mutex per set; implements no
 * row by itself.
 */
#include <pthread.h>
#include <string.h>

#include "net/net.h"
#include "runtime/mem.h"

#define EMPTY ((uintptr_t)0)
#define TOMB ((uintptr_t)1)   /* never a real pointer: those are malloc-aligned */

struct rtx_ptrset {
    pthread_mutex_t lock;
    uintptr_t *slots;
    size_t cap;    /* power of two, or 0 */
    size_t used;   /* live + tombstones */
    size_t live;
};

rtx_ptrset rtx_net_addrs = {.lock = PTHREAD_MUTEX_INITIALIZER};
rtx_ptrset rtx_net_responses = {.lock = PTHREAD_MUTEX_INITIALIZER};

static size_t hash(uintptr_t p, size_t cap)
{
    uint64_t h = (uint64_t)p * UINT64_C(0x9E3779B97F4A7C15);
    return (size_t)(h >> 17) & (cap - 1);
}

static void insert(uintptr_t *slots, size_t cap, uintptr_t p)
{
    size_t i = hash(p, cap);
    while (slots[i] != EMPTY && slots[i] != TOMB)
        i = (i + 1) & (cap - 1);
    slots[i] = p;
}

/* Rehash into a table sized for the live entries; drops tombstones. */
static int grow(rtx_ptrset *s)
{
    size_t cap = s->cap ? s->cap : 16;
    while (cap < 4 * (s->live + 1))
        cap *= 2;
    uintptr_t *n = rtx_calloc(cap, sizeof *n);
    if (n == NULL)
        return -1;
    for (size_t i = 0; i < s->cap; i++)
        if (s->slots[i] != EMPTY && s->slots[i] != TOMB)
            insert(n, cap, s->slots[i]);
    rtx_free(s->slots);
    s->slots = n;
    s->cap = cap;
    s->used = s->live;
    return 0;
}

int rtx_ptrset_add(rtx_ptrset *s, const void *p)
{
    uintptr_t v = (uintptr_t)p;
    if (v == EMPTY || v == TOMB)
        return -1;
    int rc = 0;
    pthread_mutex_lock(&s->lock);
    /* Keep the load (tombstones included) under one half. */
    if (2 * (s->used + 1) > s->cap && grow(s) != 0) {
        rc = -1;
    } else {
        size_t i = hash(v, s->cap);
        while (s->slots[i] != EMPTY)
            i = (i + 1) & (s->cap - 1);
        s->slots[i] = v;
        s->used++;
        s->live++;
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

int rtx_ptrset_remove(rtx_ptrset *s, const void *p)
{
    uintptr_t v = (uintptr_t)p;
    int found = 0;
    if (v == EMPTY || v == TOMB)
        return 0;
    pthread_mutex_lock(&s->lock);
    if (s->cap) {
        for (size_t i = hash(v, s->cap); s->slots[i] != EMPTY; i = (i + 1) & (s->cap - 1)) {
            if (s->slots[i] == v) {
                s->slots[i] = TOMB;
                s->live--;
                found = 1;
                break;
            }
        }
        if (s->live == 0) {   /* empty: give the table back, so nothing stays allocated */
            rtx_free(s->slots);
            s->slots = NULL;
            s->cap = s->used = 0;
        }
    }
    pthread_mutex_unlock(&s->lock);
    return found;
}

size_t rtx_ptrset_count(rtx_ptrset *s)
{
    pthread_mutex_lock(&s->lock);
    size_t n = s->live;
    pthread_mutex_unlock(&s->lock);
    return n;
}
