/*
 * runtime/heap.c — the allocation registry behind rtx_heap_get.
 *
 * Implements: rt_free (spec/ffi/value.sdn) and the validation every other
 * family relies on.
 *
 * The registry is a set of object addresses split into shards, each an
 * open-addressing table behind its own mutex, so threads that allocate
 * and validate different objects rarely meet on a lock.
 */
#include "runtime/heap.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "runtime/mem.h"
#include "simplert/value.h"

#define SHARD_BITS 6
#define NSHARDS (1u << SHARD_BITS)
#define SLOT_EMPTY ((uintptr_t)0)
#define SLOT_TOMB ((uintptr_t)1)   /* never a real address: those are >= 4096 */
#define MIN_ADDR ((uintptr_t)4096)

typedef struct shard {
    pthread_mutex_t lock;
    uintptr_t *slots;   /* capacity is a power of two, or 0 */
    size_t cap;
    size_t used;        /* live entries */
    size_t tombs;       /* tombstones; used + tombs <= cap * 3/4 */
    char pad[64];       /* keep neighbouring shards' locks off one cache line */
} shard;

static shard shards[NSHARDS] = {
#define S(i) [i] = {.lock = PTHREAD_MUTEX_INITIALIZER}
    S(0),  S(1),  S(2),  S(3),  S(4),  S(5),  S(6),  S(7),  S(8),  S(9),  S(10),
    S(11), S(12), S(13), S(14), S(15), S(16), S(17), S(18), S(19), S(20), S(21),
    S(22), S(23), S(24), S(25), S(26), S(27), S(28), S(29), S(30), S(31), S(32),
    S(33), S(34), S(35), S(36), S(37), S(38), S(39), S(40), S(41), S(42), S(43),
    S(44), S(45), S(46), S(47), S(48), S(49), S(50), S(51), S(52), S(53), S(54),
    S(55), S(56), S(57), S(58), S(59), S(60), S(61), S(62), S(63)
#undef S
};

static _Atomic uint64_t live_count;
static _Atomic(rtx_heap_finalizer) finalizers[256];

static uint64_t mix(uintptr_t p)
{
    uint64_t x = (uint64_t)p >> 3;
    x *= UINT64_C(0x9E3779B97F4A7C15);
    return x ^ (x >> 29);
}

static shard *shard_of(uint64_t h) { return &shards[h >> (64 - SHARD_BITS)]; }

/* Index of p in s, or of the first free slot on its probe path (cap > 0). */
static size_t probe(const shard *s, uintptr_t p, uint64_t h, int *found)
{
    size_t mask = s->cap - 1, i = (size_t)h & mask, first_free = SIZE_MAX;
    for (size_t n = 0; n < s->cap; n++, i = (i + 1) & mask) {
        uintptr_t e = s->slots[i];
        if (e == p) {
            *found = 1;
            return i;
        }
        if (e == SLOT_TOMB && first_free == SIZE_MAX)
            first_free = i;
        if (e == SLOT_EMPTY) {
            *found = 0;
            return first_free != SIZE_MAX ? first_free : i;
        }
    }
    *found = 0;
    return first_free;   /* table full of tombstones: never happens (load cap) */
}

/* Rehash into a table sized for the live entries; caller holds the lock. */
static int grow(shard *s)
{
    size_t ncap = s->cap ? s->cap : 64;
    while ((s->used + 1) * 2 > ncap)
        ncap *= 2;
    uintptr_t *ns = rtx_calloc(ncap, sizeof *ns);
    if (ns == NULL)
        return -1;
    for (size_t i = 0; i < s->cap; i++) {
        uintptr_t e = s->slots[i];
        if (e > SLOT_TOMB) {
            size_t j = (size_t)mix(e) & (ncap - 1);
            while (ns[j] != SLOT_EMPTY)
                j = (j + 1) & (ncap - 1);
            ns[j] = e;
        }
    }
    rtx_free(s->slots);
    s->slots = ns;
    s->cap = ncap;
    s->tombs = 0;
    return 0;
}

static int registry_insert(uintptr_t p)
{
    uint64_t h = mix(p);
    shard *s = shard_of(h);
    int found, rc = 0;
    pthread_mutex_lock(&s->lock);
    if ((s->used + s->tombs + 1) * 4 > s->cap * 3 && grow(s) != 0) {
        rc = -1;
    } else {
        size_t i = probe(s, p, h, &found);
        if (!found) {
            if (s->slots[i] == SLOT_TOMB)
                s->tombs--;
            s->slots[i] = p;
            s->used++;
        }
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

static int registry_remove(uintptr_t p)
{
    uint64_t h = mix(p);
    shard *s = shard_of(h);
    int found = 0;
    pthread_mutex_lock(&s->lock);
    if (s->cap) {
        size_t i = probe(s, p, h, &found);
        if (found) {
            s->slots[i] = SLOT_TOMB;
            s->used--;
            s->tombs++;
        }
    }
    pthread_mutex_unlock(&s->lock);
    return found ? 0 : -1;
}

int rtx_heap_registered(const void *ptr)
{
    uintptr_t p = (uintptr_t)ptr;
    if (p < MIN_ADDR || (p & 7) != 0)
        return 0;
    uint64_t h = mix(p);
    shard *s = shard_of(h);
    int found = 0;
    pthread_mutex_lock(&s->lock);
    if (s->cap)
        (void)probe(s, p, h, &found);
    pthread_mutex_unlock(&s->lock);
    return found;
}

RtHeapHeader *rtx_heap_alloc(uint8_t type, size_t size)
{
    if (size < sizeof(RtHeapHeader))
        size = sizeof(RtHeapHeader);
    RtHeapHeader *h = rtx_calloc(1, size);
    if (h == NULL)
        return NULL;
    h->object_type = type;
    h->size = size > UINT32_MAX ? UINT32_MAX : (uint32_t)size;
    if (registry_insert((uintptr_t)h) != 0) {
        rtx_free(h);
        return NULL;
    }
    atomic_fetch_add_explicit(&live_count, 1, memory_order_relaxed);
    return h;
}

RtHeapHeader *rtx_heap_get(RtValue v, int type)
{
    if ((v & RT_TAG_MASK) != RT_TAG_HEAP)
        return NULL;
    RtHeapHeader *h = (RtHeapHeader *)(uintptr_t)(v & ~RT_TAG_MASK);
    /* Only read the header once the registry vouches for the address. */
    if (!rtx_heap_registered(h))
        return NULL;
    if (type >= 0 && h->object_type != (uint8_t)type)
        return NULL;
    return h;
}

int rtx_heap_free(RtValue v)
{
    if ((v & RT_TAG_MASK) != RT_TAG_HEAP)
        return -1;
    uintptr_t p = (uintptr_t)(v & ~RT_TAG_MASK);
    if (p < MIN_ADDR || (p & 7) != 0)
        return -1;
    /* Removal is the arbiter: of two racing frees only one finds the entry. */
    if (registry_remove(p) != 0)
        return -1;
    RtHeapHeader *h = (RtHeapHeader *)p;
    rtx_heap_finalizer fin = atomic_load(&finalizers[h->object_type]);
    if (fin)
        fin(h);
    atomic_fetch_sub_explicit(&live_count, 1, memory_order_relaxed);
    rtx_free(h);
    return 0;
}

void rtx_heap_set_finalizer(uint8_t type, rtx_heap_finalizer fn)
{
    atomic_store(&finalizers[type], fn);
}

uint64_t rtx_heap_live(void)
{
    return atomic_load_explicit(&live_count, memory_order_relaxed);
}

RT_API void rt_free(RtValue v)
{
    (void)rtx_heap_free(v);
}
