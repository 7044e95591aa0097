/*
 * gpu/vk_internal.h — what the vk_*.c files share: the Vulkan entry points
 * loaded at run time, the process-wide instance, and the reference-counted
 * objects behind the vk family's handles.
 *
 * Loading. libvulkan.so.1 is opened with dlopen on first use and every
 * entry point is fetched through vkGetInstanceProcAddr, so libsimplert links
 * nothing from Vulkan and runs (with rt_vk_available() == 0) where no loader
 * is installed. <vulkan/vulkan.h> is used for its types only
 * (VK_NO_PROTOTYPES). Device-level functions are fetched through the
 * instance too: the loader's trampolines dispatch to whichever device a
 * call names, so one table serves every device.
 *
 * Lifetime. Every object starts with rtx_vk_obj: a reference count and a
 * destructor. The handle holds one reference; every operation takes one
 * for as long as it uses the object (rtx_vk_acquire ... rtx_vk_put), and
 * a child (buffer, kernel, layout, pool) holds one on its device, a set on
 * its pool and its layout. So freeing a handle never pulls an object out
 * from under a running operation or a child, and the Vulkan object is
 * destroyed by whoever drops the last reference. Handle lookup and
 * reference taking happen under one lock (rtx_vk_lock), the same lock a
 * free takes to invalidate the handle, so a lookup either sees the object
 * with its handle reference still held or does not see it at all.
 */
#ifndef RTX_VK_INTERNAL_H
#define RTX_VK_INTERNAL_H

#define VK_NO_PROTOTYPES
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <vulkan/vulkan.h>

#include "gpu/gpu_status.h"
#include "runtime/handle.h"

/* Every entry point simplert uses; X(name) expands once per function. */
#define RTX_VK_INSTANCE_FNS(X)                                                             \
    X(vkDestroyInstance) X(vkEnumeratePhysicalDevices) X(vkGetPhysicalDeviceProperties)    \
    X(vkGetPhysicalDeviceQueueFamilyProperties) X(vkGetPhysicalDeviceMemoryProperties)     \
    X(vkGetPhysicalDeviceFeatures) X(vkEnumerateDeviceExtensionProperties)                 \
    X(vkCreateDevice)
#define RTX_VK_DEVICE_FNS(X)                                                               \
    X(vkDestroyDevice) X(vkGetDeviceQueue) X(vkDeviceWaitIdle) X(vkQueueSubmit)            \
    X(vkCreateBuffer) X(vkDestroyBuffer) X(vkGetBufferMemoryRequirements)                  \
    X(vkAllocateMemory) X(vkFreeMemory) X(vkBindBufferMemory) X(vkMapMemory)               \
    X(vkUnmapMemory) X(vkCreateShaderModule) X(vkDestroyShaderModule)                      \
    X(vkCreateDescriptorSetLayout) X(vkDestroyDescriptorSetLayout)                         \
    X(vkCreatePipelineLayout) X(vkDestroyPipelineLayout) X(vkCreateComputePipelines)       \
    X(vkDestroyPipeline) X(vkCreateDescriptorPool) X(vkDestroyDescriptorPool)              \
    X(vkResetDescriptorPool) X(vkAllocateDescriptorSets) X(vkFreeDescriptorSets)           \
    X(vkUpdateDescriptorSets) X(vkCreateCommandPool) X(vkDestroyCommandPool)               \
    X(vkAllocateCommandBuffers) X(vkResetCommandBuffer) X(vkBeginCommandBuffer)            \
    X(vkEndCommandBuffer) X(vkCmdBindPipeline) X(vkCmdBindDescriptorSets)                  \
    X(vkCmdDispatch) X(vkCmdPipelineBarrier) X(vkCreateFence) X(vkDestroyFence)            \
    X(vkWaitForFences) X(vkResetFences)

typedef struct rtx_vk_api {
#define RTX_VK_DECL(f) PFN_##f f;
    RTX_VK_INSTANCE_FNS(RTX_VK_DECL)
    RTX_VK_DEVICE_FNS(RTX_VK_DECL)
#undef RTX_VK_DECL
    /* Optional (Vulkan 1.1 instances): finer feature queries. */
    PFN_vkGetPhysicalDeviceFeatures2 vkGetPhysicalDeviceFeatures2;
    VkInstance instance;
    VkPhysicalDevice phys;      /* the chosen device (discrete > integrated > virtual > cpu) */
    uint32_t queue_family;      /* a family with compute */
    int has_graphics;           /* that family also does graphics */
} rtx_vk_api;

/* The loaded API, or NULL when Vulkan cannot be used here (no loader, no
 * instance, or no device with a compute queue). Initialised once. */
const rtx_vk_api *rtx_vk(void);

/* ---- objects behind handles ---- */

typedef struct rtx_vk_obj rtx_vk_obj;
struct rtx_vk_obj {
    _Atomic uint32_t refs;
    void (*destroy)(rtx_vk_obj *o);   /* releases the Vulkan object and the memory */
};

/* The handle tables of the family (one per kind: a buffer handle is no
 * pipeline handle). */
extern rtx_handle_table rtx_vk_devices, rtx_vk_buffers, rtx_vk_kernels, rtx_vk_layouts,
    rtx_vk_pools, rtx_vk_sets;

/* The family lock: handle lookups with reference taking, handle release,
 * and the pool -> sets lists. Never held while calling the driver. */
extern pthread_mutex_t rtx_vk_lock;

/* The object behind h with one more reference, or NULL. */
void *rtx_vk_acquire(rtx_handle_table *t, uint64_t h);
/* Drop one reference; the last one destroys the object. NULL is ignored. */
void rtx_vk_put(void *obj);
void rtx_vk_get(void *obj);   /* take one more reference on an object one holds */
/* A handle for obj, which hands its one reference to the handle; on
 * failure (0) the reference is dropped and the object destroyed. */
uint64_t rtx_vk_publish(rtx_handle_table *t, void *obj);
/* Invalidate h and drop the handle's reference: RTX_GPU_OK or -2. */
int rtx_vk_unpublish(rtx_handle_table *t, uint64_t h);

/* A logical device. Its lock serialises what Vulkan requires callers to
 * synchronise: the queue, the command pool and buffer, the launch
 * descriptor pool, descriptor-set updates and pool allocation. */
typedef struct rtx_vk_device {
    rtx_vk_obj hdr;
    const rtx_vk_api *vk;
    VkDevice dev;
    VkQueue queue;
    pthread_mutex_t lock;
    VkCommandPool cmd_pool;
    VkCommandBuffer cmd;
    VkFence fence;
    VkDescriptorPool launch_pool;   /* one set per launch, reset after it */
    VkPhysicalDeviceLimits limits;
    VkPhysicalDeviceMemoryProperties mem;
    uint64_t max_buffer;            /* largest buffer rt_vk_buffer_alloc accepts */
    VkPhysicalDeviceFeatures features;   /* the ones enabled */
    int int64_atomics;              /* shaderBufferInt64Atomics enabled */
} rtx_vk_device;

typedef struct rtx_vk_buffer {
    rtx_vk_obj hdr;
    rtx_vk_device *d;               /* holds a reference */
    VkBuffer buf;
    VkDeviceMemory memory;
    void *map;                      /* persistently mapped, host-coherent */
    uint64_t size;
} rtx_vk_buffer;

/* Largest number of buffers a kernel binds (upstream: count above 32 is -7). */
#define RTX_VK_MAX_BINDINGS 32u

/* Status shared by every function: -1 when Vulkan is not usable here. */
static inline int rtx_vk_ready(void) { return rtx_vk() != NULL; }

/* A descriptor-set layout of the family (uniform or sampler at binding 0). */
enum { RTX_VK_LAYOUT_UNIFORM = 1, RTX_VK_LAYOUT_SAMPLER = 2 };

#endif /* RTX_VK_INTERNAL_H */
