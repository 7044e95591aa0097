/*
 * runtime/kernel_mem.c — shared memory of the kernel engine (see
 * runtime/kernel.h): the arena of a group in flight, and the calling
 * thread's own arenas outside kernels.
 *
 * Internal; implements no FFI row. rt_par_shared_alloc/reset
 * (runtime/par_kernel.c) and rt_gpu_shared_alloc/reset (gpu/workitem.c)
 * are the rows; each passes its own alignment and block limit.
 *
 * A group arena is one allocation: 4096 bytes of slack for the alignment,
 * the 64 KiB of shared bytes, then the block records. Every item keeps its
 * place in the group's sequence of blocks (next_block), so its nth
 * allocation is the group's nth block whoever made it; the arena's epoch
 * tells an item that the sequence restarted (a clear, or a new group).
 * Only the thread running the group touches its arena: no lock.
 */
#include "runtime/kernel.h"

#include <pthread.h>
#include <string.h>

#include "runtime/mem.h"

#define BYTES ((size_t)RTX_KERNEL_SHARED_BYTES)
#define ALIGN ((uintptr_t)RTX_KERNEL_SHARED_ALIGN)

/* A thread's arena outside kernels: bump allocation, no records. */
typedef struct own_arena {
    void *block;
    uint8_t *base;     /* BYTES, 4096-aligned; NULL until used */
    size_t used;
    uint32_t count;    /* allocations since the last reset */
} own_arena;

static _Thread_local own_arena own[RTX_KERNEL_OWN_N];
static pthread_key_t own_key;
static pthread_once_t own_once = PTHREAD_ONCE_INIT;
static int own_key_ok;

static uint8_t *align_up(void *p) { return (uint8_t *)(((uintptr_t)p + ALIGN - 1) & ~(ALIGN - 1)); }

void rtx_kernel_arena_begin(rtx_kernel_arena *a)
{
    a->used = 0;
    a->nblocks = 0;
    a->epoch++;   /* every item of the new group starts at block 0 */
}

void rtx_kernel_arena_free(rtx_kernel_arena *a)
{
    rtx_free(a->block);
    a->block = NULL;
    a->base = NULL;
    a->rec = NULL;
}

void *rtx_kernel_shared_alloc(rtx_kernel_item *it, uint64_t size, uint64_t align,
                              uint32_t max_blocks)
{
    rtx_kernel_arena *a = &it->group->arena;
    if (it->epoch != a->epoch) {   /* cleared since this item's last call */
        it->epoch = a->epoch;
        it->next_block = 0;
    }
    uint32_t k = it->next_block;
    if (k < a->nblocks) {   /* another item made this one already */
        if (size > a->rec[k].size || (a->rec[k].off & (align - 1)) != 0)
            return NULL;   /* the items' sequences disagree */
        it->next_block++;
        return a->base + a->rec[k].off;
    }
    if (k != a->nblocks || k >= max_blocks || k >= RTX_KERNEL_SHARED_BLOCKS)
        return NULL;
    if (a->base == NULL) {   /* first use on this thread: bytes and records at once */
        a->block = rtx_malloc(ALIGN + BYTES + RTX_KERNEL_SHARED_BLOCKS * sizeof *a->rec);
        if (a->block == NULL)
            return NULL;
        a->base = align_up(a->block);
        a->rec = (void *)(a->base + BYTES);
    }
    size_t off = (a->used + (size_t)align - 1) & ~((size_t)align - 1);
    if (off > BYTES || size > BYTES - off)
        return NULL;
    memset(a->base + off, 0, (size_t)size);
    a->rec[k].off = (uint32_t)off;
    a->rec[k].size = (uint32_t)size;
    a->nblocks++;
    a->used = off + (size_t)size;
    it->next_block++;
    return a->base + off;
}

void rtx_kernel_shared_rewind(rtx_kernel_item *it)
{
    it->next_block = 0;
    it->epoch = it->group->arena.epoch;
}

void rtx_kernel_shared_clear(rtx_kernel_item *it)
{
    rtx_kernel_arena *a = &it->group->arena;
    a->used = 0;
    a->nblocks = 0;
    a->epoch++;
}

/* ---- outside kernels ---- */

static void own_release(void *p)
{
    own_arena *o = p;
    for (int i = 0; i < RTX_KERNEL_OWN_N; i++) {
        rtx_free(o[i].block);
        o[i].block = NULL;
        o[i].base = NULL;
    }
}

static void own_key_init(void) { own_key_ok = pthread_key_create(&own_key, own_release) == 0; }

void *rtx_kernel_own_alloc(int which, uint64_t size, uint64_t align, uint32_t max_allocs)
{
    own_arena *o = &own[which];
    if (o->base == NULL) {
        /* Freed at thread exit: without the key it would leak, so refuse. */
        pthread_once(&own_once, own_key_init);
        if (!own_key_ok || pthread_setspecific(own_key, own) != 0)
            return NULL;
        o->block = rtx_malloc(ALIGN + BYTES);
        if (o->block == NULL)
            return NULL;
        o->base = align_up(o->block);
        o->used = 0;
        o->count = 0;
    }
    if (o->count >= max_allocs)
        return NULL;
    size_t off = (o->used + (size_t)align - 1) & ~((size_t)align - 1);
    if (off > BYTES || size > BYTES - off)
        return NULL;
    memset(o->base + off, 0, (size_t)size);
    o->used = off + (size_t)size;
    o->count++;
    return o->base + off;
}

void rtx_kernel_own_reset(int which, int release)
{
    own_arena *o = &own[which];
    o->used = 0;
    o->count = 0;
    if (release) {
        rtx_free(o->block);
        o->block = NULL;
        o->base = NULL;
    }
}
