/*
 * gpu/vk_descriptor.c — rt_vk_descriptor_layout_create_uniform,
 * rt_vk_descriptor_layout_create_sampler, rt_vk_descriptor_layout_free,
 * rt_vk_descriptor_pool_create, rt_vk_descriptor_pool_free,
 * rt_vk_descriptor_set_allocate, rt_vk_descriptor_set_free,
 * rt_vk_descriptor_set_update_buffer (spec/ffi/vk.sdn).
 *
 * Upstream's descriptor sets feed graphics pipelines (vk_graphics): a
 * layout has one descriptor at binding 0, a uniform buffer or a combined
 * image sampler, visible to every stage.
 *
 * Lifetimes (gpu/vk_internal.h): a set holds references on its pool and its
 * layout, because Vulkan forbids updating a set whose layout was destroyed
 * and frees sets with their pool. Freeing a pool invalidates the handles
 * of its live sets at once (upstream: sets die with their pool); each set
 * object is then destroyed, returning its VkDescriptorSet to the still
 * existing pool, and the pool's VkDescriptorPool goes when its last set
 * does. The pool remembers its sets' handles in a list kept under the
 * family lock.
 */
#include "gpu/vk_internal.h"
#include "runtime/mem.h"
#include "simplert/vk.h"

#define MAX_SETS 4096u

typedef struct rtx_vk_layout {
    rtx_vk_obj hdr;
    rtx_vk_device *d;
    VkDescriptorSetLayout dsl;
    int type;   /* RTX_VK_LAYOUT_* */
} rtx_vk_layout;

typedef struct rtx_vk_pool {
    rtx_vk_obj hdr;
    rtx_vk_device *d;
    VkDescriptorPool pool;
    uint64_t *sets;   /* handles of live sets (family lock) */
    uint32_t nsets, cap;
    uint32_t max_sets, pending;   /* pending: allocations under way (family lock) */
} rtx_vk_pool;

typedef struct rtx_vk_set {
    rtx_vk_obj hdr;
    rtx_vk_pool *pool;     /* reference */
    rtx_vk_layout *layout; /* reference */
    VkDescriptorSet set;
} rtx_vk_set;

static uint64_t layout_create(uint64_t device, int type);
static void layout_destroy(rtx_vk_obj *o);
static void pool_destroy(rtx_vk_obj *o);
static void set_destroy(rtx_vk_obj *o);
static void forget_set(rtx_vk_pool *p, uint64_t h);

uint64_t rt_vk_descriptor_layout_create_uniform(uint64_t device)
{
    return layout_create(device, RTX_VK_LAYOUT_UNIFORM);
}

uint64_t rt_vk_descriptor_layout_create_sampler(uint64_t device)
{
    return layout_create(device, RTX_VK_LAYOUT_SAMPLER);
}

int64_t rt_vk_descriptor_layout_free(uint64_t layout)
{
    if (!rtx_vk_ready())
        return RTX_GPU_NOT_AVAILABLE;
    return rtx_vk_unpublish(&rtx_vk_layouts, layout);
}

uint64_t rt_vk_descriptor_pool_create(uint64_t device, uint32_t max_sets)
{
    if (max_sets == 0 || max_sets > MAX_SETS || !rtx_vk_ready())
        return 0;
    rtx_vk_device *d = rtx_vk_acquire(&rtx_vk_devices, device);
    if (d == NULL)
        return 0;
    uint64_t h = 0;
    rtx_vk_pool *p = rtx_calloc(1, sizeof *p);
    if (p == NULL)
        goto out;
    atomic_init(&p->hdr.refs, 1);
    p->hdr.destroy = pool_destroy;
    p->d = d;
    rtx_vk_get(d);
    p->max_sets = max_sets;
    VkDescriptorPoolSize sizes[2] = {
        {VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, max_sets},
        {VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, max_sets},
    };
    VkDescriptorPoolCreateInfo ci = {
        .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO,
        .flags = VK_DESCRIPTOR_POOL_CREATE_FREE_DESCRIPTOR_SET_BIT,   /* sets free one by one */
        .maxSets = max_sets,
        .poolSizeCount = 2,
        .pPoolSizes = sizes,
    };
    if (d->vk->vkCreateDescriptorPool(d->dev, &ci, NULL, &p->pool) != VK_SUCCESS) {
        p->pool = VK_NULL_HANDLE;
        pool_destroy(&p->hdr);
        goto out;
    }
    h = rtx_vk_publish(&rtx_vk_pools, p);
out:
    rtx_vk_put(d);
    return h;
}

int64_t rt_vk_descriptor_pool_free(uint64_t pool)
{
    if (!rtx_vk_ready())
        return RTX_GPU_NOT_AVAILABLE;
    pthread_mutex_lock(&rtx_vk_lock);
    rtx_vk_pool *p = rtx_handle_release(&rtx_vk_pools, pool);
    uint64_t *sets = NULL;
    uint32_t nsets = 0;
    if (p) {
        /* Invalidate every set handle now, under the lock that lookups
         * take; destroy the objects after unlocking. */
        sets = p->sets;
        nsets = p->nsets;
        p->sets = NULL;
        p->nsets = p->cap = 0;
        for (uint32_t i = 0; i < nsets; i++) {
            rtx_vk_set *s = rtx_handle_release(&rtx_vk_sets, sets[i]);
            sets[i] = (uint64_t)(uintptr_t)s;   /* reuse the array for the objects */
        }
    }
    pthread_mutex_unlock(&rtx_vk_lock);
    if (p == NULL)
        return RTX_GPU_INVALID_HANDLE;
    for (uint32_t i = 0; i < nsets; i++)
        rtx_vk_put((void *)(uintptr_t)sets[i]);
    rtx_free(sets);
    rtx_vk_put(p);
    return RTX_GPU_OK;
}

uint64_t rt_vk_descriptor_set_allocate(uint64_t device, uint64_t pool, uint64_t layout)
{
    if (!rtx_vk_ready())
        return 0;
    rtx_vk_device *d = rtx_vk_acquire(&rtx_vk_devices, device);
    rtx_vk_pool *p = rtx_vk_acquire(&rtx_vk_pools, pool);
    rtx_vk_layout *l = rtx_vk_acquire(&rtx_vk_layouts, layout);
    uint64_t h = 0;
    rtx_vk_set *s = NULL;
    if (d == NULL || p == NULL || l == NULL || p->d != d || l->d != d)
        goto out;
    /* Drivers may allocate past maxSets (lavapipe does); the contract is a
     * full pool refuses, so count here: reserve a place first. */
    pthread_mutex_lock(&rtx_vk_lock);
    int room = p->nsets + p->pending < p->max_sets;
    p->pending += room;
    pthread_mutex_unlock(&rtx_vk_lock);
    if (!room)
        goto out;
    s = rtx_calloc(1, sizeof *s);
    if (s == NULL)
        goto unreserve;
    VkDescriptorSetAllocateInfo ai = {
        .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO,
        .descriptorPool = p->pool,
        .descriptorSetCount = 1,
        .pSetLayouts = &l->dsl,
    };
    pthread_mutex_lock(&d->lock);   /* the pool is externally synchronised */
    VkResult r = d->vk->vkAllocateDescriptorSets(d->dev, &ai, &s->set);
    pthread_mutex_unlock(&d->lock);
    if (r != VK_SUCCESS) {   /* pool exhausted (VK_ERROR_OUT_OF_POOL_MEMORY) or OOM */
        rtx_free(s);
        goto unreserve;
    }
    atomic_init(&s->hdr.refs, 1);
    s->hdr.destroy = set_destroy;
    s->pool = p;
    s->layout = l;
    rtx_vk_get(p);
    rtx_vk_get(l);
    /* Publish and record in the pool's list in one critical section, so a
     * racing pool free either sees the set in the list or the pool handle
     * is already gone and the set is refused. */
    pthread_mutex_lock(&rtx_vk_lock);
    p->pending--;
    if (rtx_handle_get(&rtx_vk_pools, pool) == p) {
        if (p->nsets == p->cap) {
            uint32_t cap = p->cap ? p->cap * 2 : 8;
            uint64_t *n = rtx_realloc(p->sets, cap * sizeof *n);
            if (n) {
                p->sets = n;
                p->cap = cap;
            }
        }
        if (p->nsets < p->cap) {
            h = rtx_handle_new(&rtx_vk_sets, s);
            if (h)
                p->sets[p->nsets++] = h;
        }
    }
    pthread_mutex_unlock(&rtx_vk_lock);
    if (h == 0)
        rtx_vk_put(s);
    goto out;
unreserve:
    pthread_mutex_lock(&rtx_vk_lock);
    p->pending--;
    pthread_mutex_unlock(&rtx_vk_lock);
out:
    rtx_vk_put(l);
    rtx_vk_put(p);
    rtx_vk_put(d);
    return h;
}

int64_t rt_vk_descriptor_set_free(uint64_t set)
{
    if (!rtx_vk_ready())
        return RTX_GPU_NOT_AVAILABLE;
    pthread_mutex_lock(&rtx_vk_lock);
    rtx_vk_set *s = rtx_handle_release(&rtx_vk_sets, set);
    if (s)
        forget_set(s->pool, set);
    pthread_mutex_unlock(&rtx_vk_lock);
    if (s == NULL)
        return RTX_GPU_INVALID_HANDLE;
    rtx_vk_put(s);
    return RTX_GPU_OK;
}

int64_t rt_vk_descriptor_set_update_buffer(uint64_t set, uint32_t binding, uint64_t buffer,
                                           uint64_t offset, uint64_t range)
{
    if (!rtx_vk_ready())
        return RTX_GPU_NOT_AVAILABLE;
    rtx_vk_set *s = rtx_vk_acquire(&rtx_vk_sets, set);
    rtx_vk_buffer *b = rtx_vk_acquire(&rtx_vk_buffers, buffer);
    int64_t r = RTX_GPU_OK;
    if (s == NULL || b == NULL) {
        r = RTX_GPU_INVALID_HANDLE;
        goto out;
    }
    rtx_vk_device *d = s->pool->d;
    uint64_t len = range == UINT64_MAX ? (offset < b->size ? b->size - offset : 0) : range;
    /* Binding 0 is the layout's only binding and must be a uniform buffer;
     * the window must lie inside the buffer (checked without overflow),
     * be non-empty, fit the device's uniform range and alignment. */
    if (binding != 0 || s->layout->type != RTX_VK_LAYOUT_UNIFORM || b->d != d ||
        offset >= b->size || len == 0 || len > b->size - offset ||
        len > d->limits.maxUniformBufferRange ||
        offset % d->limits.minUniformBufferOffsetAlignment != 0) {
        r = RTX_GPU_INVALID_PARAMETER;
        goto out;
    }
    VkDescriptorBufferInfo bi = {b->buf, offset, len};
    VkWriteDescriptorSet wr = {
        .sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
        .dstSet = s->set,
        .dstBinding = 0,
        .descriptorCount = 1,
        .descriptorType = VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER,
        .pBufferInfo = &bi,
    };
    pthread_mutex_lock(&d->lock);   /* descriptor sets are externally synchronised */
    d->vk->vkUpdateDescriptorSets(d->dev, 1, &wr, 0, NULL);
    pthread_mutex_unlock(&d->lock);
out:
    rtx_vk_put(b);
    rtx_vk_put(s);
    return r;
}

/* ---- helpers ---- */

static uint64_t layout_create(uint64_t device, int type)
{
    if (!rtx_vk_ready())
        return 0;
    rtx_vk_device *d = rtx_vk_acquire(&rtx_vk_devices, device);
    if (d == NULL)
        return 0;
    uint64_t h = 0;
    rtx_vk_layout *l = rtx_calloc(1, sizeof *l);
    if (l == NULL)
        goto out;
    atomic_init(&l->hdr.refs, 1);
    l->hdr.destroy = layout_destroy;
    l->d = d;
    rtx_vk_get(d);
    l->type = type;
    VkDescriptorSetLayoutBinding b = {
        .binding = 0,
        .descriptorType = type == RTX_VK_LAYOUT_UNIFORM ? VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER
                                                        : VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER,
        .descriptorCount = 1,
        .stageFlags = VK_SHADER_STAGE_ALL,
    };
    VkDescriptorSetLayoutCreateInfo ci = {
        .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO,
        .bindingCount = 1,
        .pBindings = &b,
    };
    if (d->vk->vkCreateDescriptorSetLayout(d->dev, &ci, NULL, &l->dsl) != VK_SUCCESS) {
        l->dsl = VK_NULL_HANDLE;
        layout_destroy(&l->hdr);
        goto out;
    }
    h = rtx_vk_publish(&rtx_vk_layouts, l);
out:
    rtx_vk_put(d);
    return h;
}

/* Drop h from p's list (family lock held). */
static void forget_set(rtx_vk_pool *p, uint64_t h)
{
    for (uint32_t i = 0; i < p->nsets; i++) {
        if (p->sets[i] == h) {
            p->sets[i] = p->sets[--p->nsets];
            return;
        }
    }
}

static void layout_destroy(rtx_vk_obj *o)
{
    rtx_vk_layout *l = (rtx_vk_layout *)o;
    l->d->vk->vkDestroyDescriptorSetLayout(l->d->dev, l->dsl, NULL);
    rtx_vk_put(l->d);
    rtx_free(l);
}

static void pool_destroy(rtx_vk_obj *o)
{
    rtx_vk_pool *p = (rtx_vk_pool *)o;
    p->d->vk->vkDestroyDescriptorPool(p->d->dev, p->pool, NULL);
    rtx_free(p->sets);
    rtx_vk_put(p->d);
    rtx_free(p);
}

/* The set's VkDescriptorSet goes back to its pool, which this set's
 * reference keeps alive. */
static void set_destroy(rtx_vk_obj *o)
{
    rtx_vk_set *s = (rtx_vk_set *)o;
    rtx_vk_device *d = s->pool->d;
    pthread_mutex_lock(&d->lock);
    d->vk->vkFreeDescriptorSets(d->dev, s->pool->pool, 1, &s->set);
    pthread_mutex_unlock(&d->lock);
    rtx_vk_put(s->layout);
    rtx_vk_put(s->pool);
    rtx_free(s);
}
