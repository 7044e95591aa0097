/*
 * fuzz/targets/gpu_vk_pin.h — for fuzz targets that reach Vulkan. The
 * loader dlcloses the ICDs it probed, and LeakSanitizer then reports a
 * block it cannot attribute (shared/toolchain-notes.md #12); test builds of
 * the library pin lavapipe themselves, fuzz builds are not test builds, so
 * the target does it before its first Vulkan call.
 */
#ifndef FUZZ_GPU_VK_PIN_H
#define FUZZ_GPU_VK_PIN_H

#include <dlfcn.h>
#include <stdlib.h>

static void gpu_vk_pin(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    setenv("MESA_SHADER_CACHE_DISABLE", "true", 0);
    static const char *const paths[] = {"/usr/lib/x86_64-linux-gnu/libvulkan_lvp.so",
                                        "/usr/lib/aarch64-linux-gnu/libvulkan_lvp.so"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        if (dlopen(paths[i], RTLD_NOW | RTLD_NODELETE))
            return;
}

#endif /* FUZZ_GPU_VK_PIN_H */
