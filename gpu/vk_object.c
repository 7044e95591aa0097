/*
 * gpu/vk_object.c — handle tables and reference counts of the vk family
 * (the lifetime rules are in gpu/vk_internal.h). No spec row lives here.
 */
#include "gpu/vk_internal.h"

rtx_handle_table rtx_vk_devices = RTX_HANDLE_TABLE_INIT(RTX_HK_VK_DEVICE, "vk_device");
rtx_handle_table rtx_vk_buffers = RTX_HANDLE_TABLE_INIT(RTX_HK_VK_BUFFER, "vk_buffer");
rtx_handle_table rtx_vk_kernels = RTX_HANDLE_TABLE_INIT(RTX_HK_VK_PIPELINE, "vk_pipeline");
rtx_handle_table rtx_vk_layouts = RTX_HANDLE_TABLE_INIT(RTX_HK_VK_LAYOUT, "vk_layout");
rtx_handle_table rtx_vk_pools = RTX_HANDLE_TABLE_INIT(RTX_HK_VK_POOL, "vk_pool");
rtx_handle_table rtx_vk_sets = RTX_HANDLE_TABLE_INIT(RTX_HK_VK_SET, "vk_set");

pthread_mutex_t rtx_vk_lock = PTHREAD_MUTEX_INITIALIZER;

void *rtx_vk_acquire(rtx_handle_table *t, uint64_t h)
{
    pthread_mutex_lock(&rtx_vk_lock);
    rtx_vk_obj *o = rtx_handle_get(t, h);
    /* The handle's own reference keeps refs >= 1 while the handle is live,
     * and releasing the handle takes this same lock. */
    if (o)
        atomic_fetch_add_explicit(&o->refs, 1, memory_order_relaxed);
    pthread_mutex_unlock(&rtx_vk_lock);
    return o;
}

void rtx_vk_get(void *obj)
{
    rtx_vk_obj *o = obj;
    atomic_fetch_add_explicit(&o->refs, 1, memory_order_relaxed);
}

void rtx_vk_put(void *obj)
{
    rtx_vk_obj *o = obj;
    if (o == NULL)
        return;
    /* acq_rel: the destroyer sees every write made under earlier refs. */
    if (atomic_fetch_sub_explicit(&o->refs, 1, memory_order_acq_rel) == 1)
        o->destroy(o);
}

uint64_t rtx_vk_publish(rtx_handle_table *t, void *obj)
{
    uint64_t h = rtx_handle_new(t, obj);
    if (h == 0)
        rtx_vk_put(obj);
    return h;
}

int rtx_vk_unpublish(rtx_handle_table *t, uint64_t h)
{
    pthread_mutex_lock(&rtx_vk_lock);
    rtx_vk_obj *o = rtx_handle_release(t, h);
    pthread_mutex_unlock(&rtx_vk_lock);
    if (o == NULL)
        return RTX_GPU_INVALID_HANDLE;
    rtx_vk_put(o);
    return RTX_GPU_OK;
}
