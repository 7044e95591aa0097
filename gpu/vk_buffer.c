/*
 * gpu/vk_buffer.c — rt_vk_buffer_alloc, rt_vk_buffer_free,
 * rt_vk_buffer_upload, rt_vk_buffer_download (spec/ffi/vk.sdn).
 *
 * Buffers live in host-visible, host-coherent memory and stay mapped for
 * their whole life, so upload and download are memcpy into the mapping: no
 * staging buffer, no flush. They carry storage, uniform, vertex, index and
 * transfer usage so vk_graphics can use the same buffers. Copies take the
 * device lock, which a launch holds from submit to completion, so a copy
 * never overlaps a running kernel on the same device.
 */
#include <string.h>

#include "gpu/vk_internal.h"
#include "runtime/mem.h"
#include "simplert/vk.h"

static void buffer_destroy(rtx_vk_obj *o);
static int memory_type(const rtx_vk_device *d, uint32_t bits);
static int32_t copy(uint64_t buffer, void *host, uint64_t size, int upload);

uint64_t rt_vk_buffer_alloc(uint64_t device, uint64_t size)
{
    if (size == 0 || !rtx_vk_ready())
        return 0;
    rtx_vk_device *d = rtx_vk_acquire(&rtx_vk_devices, device);
    if (d == NULL)
        return 0;
    uint64_t h = 0;
    const rtx_vk_api *a = d->vk;
    rtx_vk_buffer *b = NULL;
    if (size > d->max_buffer)   /* refused before the driver sees it */
        goto out;
    b = rtx_calloc(1, sizeof *b);
    if (b == NULL)
        goto out;
    atomic_init(&b->hdr.refs, 1);
    b->hdr.destroy = buffer_destroy;
    b->d = d;
    rtx_vk_get(d);
    b->size = size;
    VkBufferCreateInfo bci = {
        .sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
        .size = size,
        .usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT |
                 VK_BUFFER_USAGE_VERTEX_BUFFER_BIT | VK_BUFFER_USAGE_INDEX_BUFFER_BIT |
                 VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT,
        .sharingMode = VK_SHARING_MODE_EXCLUSIVE,
    };
    if (a->vkCreateBuffer(d->dev, &bci, NULL, &b->buf) != VK_SUCCESS) {
        b->buf = VK_NULL_HANDLE;
        goto fail;
    }
    VkMemoryRequirements req;
    a->vkGetBufferMemoryRequirements(d->dev, b->buf, &req);
    int type = memory_type(d, req.memoryTypeBits);
    if (type < 0)
        goto fail;
    VkMemoryAllocateInfo mai = {
        .sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
        .allocationSize = req.size,
        .memoryTypeIndex = (uint32_t)type,
    };
    if (a->vkAllocateMemory(d->dev, &mai, NULL, &b->memory) != VK_SUCCESS) {
        b->memory = VK_NULL_HANDLE;
        goto fail;
    }
    if (a->vkBindBufferMemory(d->dev, b->buf, b->memory, 0) != VK_SUCCESS ||
        a->vkMapMemory(d->dev, b->memory, 0, VK_WHOLE_SIZE, 0, &b->map) != VK_SUCCESS) {
        b->map = NULL;
        goto fail;
    }
    /* New buffers read as zeros on every driver. */
    memset(b->map, 0, (size_t)size);
    h = rtx_vk_publish(&rtx_vk_buffers, b);
    goto out;
fail:
    buffer_destroy(&b->hdr);
out:
    rtx_vk_put(d);
    return h;
}

int32_t rt_vk_buffer_free(uint64_t buffer)
{
    if (!rtx_vk_ready())
        return RTX_GPU_NOT_AVAILABLE;
    return rtx_vk_unpublish(&rtx_vk_buffers, buffer);
}

int32_t rt_vk_buffer_upload(uint64_t buffer, const void *data, uint64_t size)
{
    return copy(buffer, (void *)(uintptr_t)data, size, 1);
}

int32_t rt_vk_buffer_download(uint64_t buffer, void *data, uint64_t size)
{
    return copy(buffer, data, size, 0);
}

/* ---- helpers ---- */

static int32_t copy(uint64_t buffer, void *host, uint64_t size, int upload)
{
    if (!rtx_vk_ready())
        return RTX_GPU_NOT_AVAILABLE;
    if (host == NULL && size > 0)   /* checked before the handle, as upstream */
        return RTX_GPU_INVALID_PARAMETER;
    rtx_vk_buffer *b = rtx_vk_acquire(&rtx_vk_buffers, buffer);
    if (b == NULL)
        return RTX_GPU_INVALID_HANDLE;
    int32_t r = RTX_GPU_OK;
    if (size > b->size) {
        r = RTX_GPU_BUFFER_TOO_SMALL;
    } else if (size > 0) {
        /* Under the device lock: a copy never overlaps a launch (which
         * holds it from submit to completion) on the same device. */
        pthread_mutex_lock(&b->d->lock);
        if (upload)
            memcpy(b->map, host, (size_t)size);
        else
            memcpy(host, b->map, (size_t)size);
        pthread_mutex_unlock(&b->d->lock);
    }
    rtx_vk_put(b);
    return r;
}

/* A memory type allowed by bits that is host-visible and coherent. */
static int memory_type(const rtx_vk_device *d, uint32_t bits)
{
    VkMemoryPropertyFlags want =
        VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
    for (uint32_t i = 0; i < d->mem.memoryTypeCount; i++)
        if ((bits & (1u << i)) && (d->mem.memoryTypes[i].propertyFlags & want) == want)
            return (int)i;
    return -1;
}

static void buffer_destroy(rtx_vk_obj *o)
{
    rtx_vk_buffer *b = (rtx_vk_buffer *)o;
    const rtx_vk_api *a = b->d->vk;
    if (b->map)
        a->vkUnmapMemory(b->d->dev, b->memory);
    a->vkDestroyBuffer(b->d->dev, b->buf, NULL);
    a->vkFreeMemory(b->d->dev, b->memory, NULL);
    rtx_vk_put(b->d);
    rtx_free(b);
}
