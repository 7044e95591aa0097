/*
 * gpu/vk_device.c — rt_vk_device_create, rt_vk_device_free,
 * rt_vk_device_sync (spec/ffi/vk.sdn).
 *
 * A device owns what every launch needs, created once: one queue, a
 * command pool with one command buffer, a fence and a descriptor pool for
 * the launch's one descriptor set. Launches are synchronous (submit, wait,
 * reset) under the device lock, so these are reused, never multiplied.
 * 64-bit buffer atomics (shaderBufferInt64Atomics), shaderInt64/16,
 * shaderFloat64 and robustBufferAccess are enabled when the device has
 * them.
 */
#include <string.h>

#include "gpu/vk_internal.h"
#include "runtime/mem.h"
#include "simplert/vk.h"

static void device_destroy(rtx_vk_obj *o);
static int device_init(rtx_vk_device *d, const rtx_vk_api *a);
static int has_extension(const rtx_vk_api *a, const char *name);

uint64_t rt_vk_device_create(void)
{
    const rtx_vk_api *a = rtx_vk();
    if (a == NULL)
        return 0;
    rtx_vk_device *d = rtx_calloc(1, sizeof *d);
    if (d == NULL)
        return 0;
    atomic_init(&d->hdr.refs, 1);
    d->hdr.destroy = device_destroy;
    d->vk = a;
    if (pthread_mutex_init(&d->lock, NULL) != 0) {
        rtx_free(d);
        return 0;
    }
    if (!device_init(d, a)) {
        device_destroy(&d->hdr);
        return 0;
    }
    return rtx_vk_publish(&rtx_vk_devices, d);
}

int32_t rt_vk_device_free(uint64_t device)
{
    if (!rtx_vk_ready())
        return RTX_GPU_NOT_AVAILABLE;
    return rtx_vk_unpublish(&rtx_vk_devices, device);
}

int32_t rt_vk_device_sync(uint64_t device)
{
    if (!rtx_vk_ready())
        return RTX_GPU_NOT_AVAILABLE;
    rtx_vk_device *d = rtx_vk_acquire(&rtx_vk_devices, device);
    if (d == NULL)
        return RTX_GPU_INVALID_HANDLE;
    pthread_mutex_lock(&d->lock);
    VkResult r = d->vk->vkDeviceWaitIdle(d->dev);
    pthread_mutex_unlock(&d->lock);
    rtx_vk_put(d);
    return r == VK_SUCCESS ? RTX_GPU_OK : RTX_GPU_EXECUTION_FAILED;
}

/* ---- helpers ---- */

static int device_init(rtx_vk_device *d, const rtx_vk_api *a)
{
    VkPhysicalDeviceProperties props;
    a->vkGetPhysicalDeviceProperties(a->phys, &props);
    d->limits = props.limits;
    a->vkGetPhysicalDeviceMemoryProperties(a->phys, &d->mem);

    VkPhysicalDeviceFeatures have, want;
    a->vkGetPhysicalDeviceFeatures(a->phys, &have);
    memset(&want, 0, sizeof want);
    /* Bounds-checked buffer access where the device has it: a kernel that
     * indexes past its buffers then reads zeros and writes nowhere, instead
     * of corrupting the host memory a CPU driver like lavapipe uses. */
    want.robustBufferAccess = have.robustBufferAccess;
    want.shaderInt64 = have.shaderInt64;
    want.shaderInt16 = have.shaderInt16;
    want.shaderFloat64 = have.shaderFloat64;
    d->features = want;

    /* 64-bit atomics on storage buffers: VK_KHR_shader_atomic_int64 (core
     * in 1.2, still advertised as an extension), queried through
     * vkGetPhysicalDeviceFeatures2 when the instance is 1.1. */
    VkPhysicalDeviceShaderAtomicInt64Features a64 = {
        .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_ATOMIC_INT64_FEATURES,
    };
    const char *exts[1];
    uint32_t next = 0;
    if (a->vkGetPhysicalDeviceFeatures2 && has_extension(a, "VK_KHR_shader_atomic_int64")) {
        VkPhysicalDeviceFeatures2 f2 = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2,
                                        .pNext = &a64};
        a->vkGetPhysicalDeviceFeatures2(a->phys, &f2);
        if (a64.shaderBufferInt64Atomics && have.shaderInt64) {
            a64.shaderSharedInt64Atomics = VK_FALSE;
            a64.pNext = NULL;
            exts[next++] = "VK_KHR_shader_atomic_int64";
            d->int64_atomics = 1;
        }
    }
    float prio = 1.0f;
    VkDeviceQueueCreateInfo q = {
        .sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
        .queueFamilyIndex = a->queue_family,
        .queueCount = 1,
        .pQueuePriorities = &prio,
    };
    VkDeviceCreateInfo dci = {
        .sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
        .pNext = d->int64_atomics ? &a64 : NULL,
        .queueCreateInfoCount = 1,
        .pQueueCreateInfos = &q,
        .enabledExtensionCount = next,
        .ppEnabledExtensionNames = next ? exts : NULL,
        .pEnabledFeatures = &want,
    };
    if (a->vkCreateDevice(a->phys, &dci, NULL, &d->dev) != VK_SUCCESS) {
        d->dev = VK_NULL_HANDLE;
        return 0;
    }
    a->vkGetDeviceQueue(d->dev, a->queue_family, 0, &d->queue);

    VkCommandPoolCreateInfo cpi = {
        .sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
        .flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT,
        .queueFamilyIndex = a->queue_family,
    };
    if (a->vkCreateCommandPool(d->dev, &cpi, NULL, &d->cmd_pool) != VK_SUCCESS)
        return 0;
    VkCommandBufferAllocateInfo cai = {
        .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
        .commandPool = d->cmd_pool,
        .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
        .commandBufferCount = 1,
    };
    if (a->vkAllocateCommandBuffers(d->dev, &cai, &d->cmd) != VK_SUCCESS)
        return 0;
    VkFenceCreateInfo fci = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    if (a->vkCreateFence(d->dev, &fci, NULL, &d->fence) != VK_SUCCESS)
        return 0;
    VkDescriptorPoolSize ps = {VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, RTX_VK_MAX_BINDINGS};
    VkDescriptorPoolCreateInfo dpi = {
        .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO,
        .maxSets = 1,
        .poolSizeCount = 1,
        .pPoolSizes = &ps,
    };
    if (a->vkCreateDescriptorPool(d->dev, &dpi, NULL, &d->launch_pool) != VK_SUCCESS)
        return 0;

    /* Buffers: a storage descriptor must cover the whole buffer, and the
     * buffer must fit the largest host-visible, coherent heap. */
    uint64_t heap = 0;
    for (uint32_t i = 0; i < d->mem.memoryTypeCount; i++) {
        VkMemoryPropertyFlags want_f =
            VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
        if ((d->mem.memoryTypes[i].propertyFlags & want_f) != want_f)
            continue;
        uint64_t s = d->mem.memoryHeaps[d->mem.memoryTypes[i].heapIndex].size;
        if (s > heap)
            heap = s;
    }
    d->max_buffer = d->limits.maxStorageBufferRange;
    if (heap < d->max_buffer)
        d->max_buffer = heap;
    return d->max_buffer > 0;
}

static int has_extension(const rtx_vk_api *a, const char *name)
{
    uint32_t n = 0;
    if (a->vkEnumerateDeviceExtensionProperties(a->phys, NULL, &n, NULL) != VK_SUCCESS || n == 0)
        return 0;
    VkExtensionProperties *p = rtx_calloc(n, sizeof *p);
    if (p == NULL)
        return 0;
    int found = 0;
    VkResult r = a->vkEnumerateDeviceExtensionProperties(a->phys, NULL, &n, p);
    if (r == VK_SUCCESS || r == VK_INCOMPLETE)
        for (uint32_t i = 0; i < n && !found; i++)
            found = strcmp(p[i].extensionName, name) == 0;
    rtx_free(p);
    return found;
}

/* The last reference is gone: every child has been destroyed, so nothing
 * else can use the VkDevice. vkDestroy* accept VK_NULL_HANDLE, so a device
 * whose creation stopped half-way is destroyed the same way. */
static void device_destroy(rtx_vk_obj *o)
{
    rtx_vk_device *d = (rtx_vk_device *)o;
    const rtx_vk_api *a = d->vk;
    if (d->dev != VK_NULL_HANDLE) {
        a->vkDeviceWaitIdle(d->dev);
        a->vkDestroyDescriptorPool(d->dev, d->launch_pool, NULL);
        a->vkDestroyFence(d->dev, d->fence, NULL);
        a->vkDestroyCommandPool(d->dev, d->cmd_pool, NULL);
        a->vkDestroyDevice(d->dev, NULL);
    }
    pthread_mutex_destroy(&d->lock);
    rtx_free(d);
}
