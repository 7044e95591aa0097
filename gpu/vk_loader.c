/*
 * gpu/vk_loader.c — rt_vk_available (spec/ffi/vk.sdn) and the run-time
 * loading every other vk function relies on (see gpu/vk_internal.h).
 *
 * Why dlopen and not -lvulkan: a runtime library that links the Vulkan
 * loader cannot even be loaded on a machine without libvulkan.so.1, yet
 * most Simple programs never touch the GPU. Loading it on first use keeps
 * libsimplert's dependencies at libc, and "no Vulkan here" becomes the
 * documented NotAvailable answer instead of a failure to start.
 *
 * The instance and the chosen physical device live for the rest of the
 * process (the loader is never unloaded): creating an instance costs
 * milliseconds natively and seconds under Valgrind, and every device shares
 * it.
 */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "gpu/vk_internal.h"
#include "simplert/vk.h"

static rtx_vk_api api;
static int api_ok;
static pthread_once_t api_once = PTHREAD_ONCE_INIT;

static void load(void);
static int pick_device(rtx_vk_api *a);

int32_t rt_vk_available(void) { return rtx_vk() != NULL; }

const rtx_vk_api *rtx_vk(void)
{
    pthread_once(&api_once, load);
    return api_ok ? &api : NULL;
}

/* ---- helpers ---- */

static const char *loader_path(void)
{
#ifdef RTX_TESTING
    /* Test builds can point the loader elsewhere to exercise "no Vulkan". */
    const char *p = getenv("SIMPLERT_TEST_VULKAN_LOADER");
    if (p && *p)
        return p;
#endif
    return "libvulkan.so.1";
}

#ifdef RTX_TESTING
/* The loader dlcloses ICDs it probed; LeakSanitizer then reports a block
 * it can no longer attribute (shared/toolchain-notes.md #12). Keeping
 * lavapipe mapped (RTLD_NODELETE) makes that report go away. Test builds
 * only; a missing file is fine. */
static void pin_lavapipe(void)
{
    static const char *const paths[] = {
        "/usr/lib/x86_64-linux-gnu/libvulkan_lvp.so",
        "/usr/lib/aarch64-linux-gnu/libvulkan_lvp.so",
        "/usr/lib64/libvulkan_lvp.so",
        "/usr/lib/libvulkan_lvp.so",
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        if (dlopen(paths[i], RTLD_NOW | RTLD_NODELETE))
            return;
}
#endif

static void load(void)
{
    void *lib = dlopen(loader_path(), RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL)
        return;
#ifdef RTX_TESTING
    pin_lavapipe();
#endif
    PFN_vkGetInstanceProcAddr gipa;
    gipa = (PFN_vkGetInstanceProcAddr)dlsym(lib, "vkGetInstanceProcAddr");
    if (gipa == NULL)
        return;
    PFN_vkCreateInstance create = (PFN_vkCreateInstance)gipa(NULL, "vkCreateInstance");
    PFN_vkEnumerateInstanceVersion version =
        (PFN_vkEnumerateInstanceVersion)gipa(NULL, "vkEnumerateInstanceVersion");
    if (create == NULL)
        return;
    /* Ask for 1.1 where the loader has it: vkGetPhysicalDeviceFeatures2
     * lets the device enable 64-bit atomics. A 1.0 loader gets 1.0. */
    uint32_t v = VK_API_VERSION_1_0;
    if (version && version(&v) != VK_SUCCESS)
        v = VK_API_VERSION_1_0;
    VkApplicationInfo app = {
        .sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
        .pApplicationName = "simplert",
        .pEngineName = "simplert",
        .apiVersion = v >= VK_API_VERSION_1_1 ? VK_API_VERSION_1_1 : VK_API_VERSION_1_0,
    };
    VkInstanceCreateInfo ici = {
        .sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
        .pApplicationInfo = &app,
    };
    if (create(&ici, NULL, &api.instance) != VK_SUCCESS)
        return;
    int missing = 0;
#define RTX_VK_LOAD(f)                                                                     \
    api.f = (PFN_##f)gipa(api.instance, #f);                                               \
    missing |= api.f == NULL;
    RTX_VK_INSTANCE_FNS(RTX_VK_LOAD)
    RTX_VK_DEVICE_FNS(RTX_VK_LOAD)
#undef RTX_VK_LOAD
    if (app.apiVersion >= VK_API_VERSION_1_1)
        api.vkGetPhysicalDeviceFeatures2 =
            (PFN_vkGetPhysicalDeviceFeatures2)gipa(api.instance, "vkGetPhysicalDeviceFeatures2");
    if (missing || !pick_device(&api)) {
        if (api.vkDestroyInstance)
            api.vkDestroyInstance(api.instance, NULL);
        memset(&api, 0, sizeof api);
        return;
    }
    api_ok = 1;
}

/* Rank: discrete 4, integrated 3, virtual 2, CPU 1, other 0. */
static int type_rank(VkPhysicalDeviceType t)
{
    switch (t) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return 4;
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return 3;
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return 2;
    case VK_PHYSICAL_DEVICE_TYPE_CPU: return 1;
    default: return 0;
    }
}

/* The best device with a compute queue; within a device, a family that
 * also does graphics (vk_graphics needs it) is preferred. */
static int pick_device(rtx_vk_api *a)
{
    VkPhysicalDevice devs[16];
    uint32_t n = 16;
    VkResult r = a->vkEnumeratePhysicalDevices(a->instance, &n, devs);
    if ((r != VK_SUCCESS && r != VK_INCOMPLETE) || n == 0)
        return 0;
    int best = -1;
    for (uint32_t i = 0; i < n; i++) {
        VkPhysicalDeviceProperties p;
        a->vkGetPhysicalDeviceProperties(devs[i], &p);
        VkQueueFamilyProperties q[16];
        uint32_t nq = 16;
        a->vkGetPhysicalDeviceQueueFamilyProperties(devs[i], &nq, q);
        int fam = -1, gfx = 0;
        for (uint32_t k = 0; k < nq; k++) {
            if (!(q[k].queueFlags & VK_QUEUE_COMPUTE_BIT) || q[k].queueCount == 0)
                continue;
            int g = (q[k].queueFlags & VK_QUEUE_GRAPHICS_BIT) != 0;
            if (fam < 0 || (g && !gfx)) {
                fam = (int)k;
                gfx = g;
            }
        }
        if (fam < 0)
            continue;
        int rank = type_rank(p.deviceType) * 2 + gfx;
        if (rank > best) {
            best = rank;
            a->phys = devs[i];
            a->queue_family = (uint32_t)fam;
            a->has_graphics = gfx;
        }
    }
    return best >= 0;
}
