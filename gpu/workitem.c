/*
 * gpu/workitem.c — rt_gpu_global_id, rt_gpu_local_id, rt_gpu_group_id,
 * rt_gpu_global_size, rt_gpu_local_size, rt_gpu_num_groups,
 * rt_gpu_barrier, rt_gpu_mem_fence, rt_gpu_shared_alloc,
 * rt_gpu_shared_reset (spec/ffi/gpu.sdn).
 *
 * What a running kernel asks about itself. The state is the calling
 * thread's current work-item (gpu/launch.h), so the getters are
 * thread-local as upstream's, and outside a kernel they answer upstream's
 * defaults (ids 0, sizes 1). The dimension is clamped to 2, as upstream.
 *
 * Shared memory is per work-group, as on a GPU: a work-item's k-th
 * rt_gpu_shared_alloc returns the group's k-th block, the same address in
 * every item of the group, so `shared float tile[64]` declared by every
 * item is one array the whole group sees. Blocks come from the group's
 * fixed 64 KiB arena (pointers never move), zeroed when created; the arena
 * is reset when the next group starts. Outside a kernel the calling thread
 * has its own 64 KiB bump arena (upstream's thread-local allocator).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "gpu/launch.h"
#include "runtime/mem.h"
#include "simplert/gpu.h"

static uint32_t clamp(uint32_t dim) { return dim > 2 ? 2 : dim; }

uint64_t rt_gpu_local_id(uint32_t dim)
{
    const rtx_gpu_item *it = rtx_gpu_current;
    return it ? it->local[clamp(dim)] : 0;
}

uint64_t rt_gpu_group_id(uint32_t dim)
{
    const rtx_gpu_item *it = rtx_gpu_current;
    return it ? it->group->id[clamp(dim)] : 0;
}

uint64_t rt_gpu_global_id(uint32_t dim)
{
    const rtx_gpu_item *it = rtx_gpu_current;
    uint32_t d = clamp(dim);
    return it ? (uint64_t)it->group->id[d] * it->group->launch->local[d] + it->local[d] : 0;
}

uint64_t rt_gpu_global_size(uint32_t dim)
{
    const rtx_gpu_item *it = rtx_gpu_current;
    return it ? it->group->launch->global[clamp(dim)] : 1;
}

uint64_t rt_gpu_local_size(uint32_t dim)
{
    const rtx_gpu_item *it = rtx_gpu_current;
    return it ? it->group->launch->local[clamp(dim)] : 1;
}

uint64_t rt_gpu_num_groups(uint32_t dim)
{
    const rtx_gpu_item *it = rtx_gpu_current;
    return it ? it->group->launch->groups[clamp(dim)] : 1;
}

void rt_gpu_barrier(void)
{
    rtx_gpu_item *it = rtx_gpu_current;
    if (it)
        rtx_gpu_group_barrier(it);
    else
        atomic_thread_fence(memory_order_seq_cst);
}

void rt_gpu_mem_fence(uint32_t scope)
{
    if (scope == 0)
        atomic_thread_fence(memory_order_acq_rel);   /* work-group scope */
    else
        atomic_thread_fence(memory_order_seq_cst);   /* device, system, unknown */
}

/* ---- shared memory ---- */

/* Outside kernels: the thread's own arena, freed at thread exit. */
typedef struct own_arena {
    uint8_t *base;
    size_t used;
} own_arena;
static _Thread_local own_arena own;
static pthread_key_t own_key;
static pthread_once_t own_once = PTHREAD_ONCE_INIT;

static void own_free(void *p) { rtx_free(p); }
static void own_init(void) { pthread_key_create(&own_key, own_free); }

static size_t align16(size_t n) { return (n + 15u) & ~(size_t)15u; }

static void *group_alloc(rtx_gpu_item *it, uint64_t size)
{
    rtx_gpu_group *g = it->group;   /* only this thread runs the group's items */
    void *p = NULL;
    uint32_t k = it->next_block;
    if (k < g->nblocks) {
        if (size <= g->blocks[k].size)   /* another item made it already */
            p = g->arena + g->blocks[k].off;
    } else if (k == g->nblocks && k < RTX_GPU_SHARED_BLOCKS) {
        size_t off = align16(g->used);
        if (g->arena == NULL)
            g->arena = rtx_malloc(RTX_GPU_SHARED_BYTES);   /* kept for the launch */
        if (g->arena && off <= RTX_GPU_SHARED_BYTES && size <= RTX_GPU_SHARED_BYTES - off) {
            memset(g->arena + off, 0, (size_t)size);
            g->blocks[k].off = (uint32_t)off;
            g->blocks[k].size = (uint32_t)size;
            g->nblocks++;
            g->used = off + (size_t)size;
            p = g->arena + off;
        }
    }
    if (p)
        it->next_block++;
    return p;
}

void *rt_gpu_shared_alloc(uint64_t size)
{
    rtx_gpu_item *it = rtx_gpu_current;
    if (it)
        return group_alloc(it, size);
    if (own.base == NULL) {
        pthread_once(&own_once, own_init);
        own.base = rtx_malloc(RTX_GPU_SHARED_BYTES);
        if (own.base == NULL)
            return NULL;
        pthread_setspecific(own_key, own.base);
        own.used = 0;
    }
    size_t off = align16(own.used);
    if (off > RTX_GPU_SHARED_BYTES || size > RTX_GPU_SHARED_BYTES - off)
        return NULL;
    own.used = off + (size_t)size;
    memset(own.base + off, 0, (size_t)size);
    return own.base + off;
}

void rt_gpu_shared_reset(void)
{
    rtx_gpu_item *it = rtx_gpu_current;
    if (it) {
        it->next_block = 0;   /* the group's blocks live until the group ends */
        return;
    }
    if (own.base) {
        pthread_setspecific(own_key, NULL);
        rtx_free(own.base);
        own.base = NULL;
        own.used = 0;
    }
}
