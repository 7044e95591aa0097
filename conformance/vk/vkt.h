/*
 * conformance/vk/vkt.h — what the vk suites share: the compiled test
 * shaders (build/gen/gpu_gen/shaders.h, from gpu/shaders/), small
 * helpers, and how the suite runs under Valgrind.
 *
 * Under Valgrind every process that creates a Vulkan instance pays about
 * 5 s, and every pipeline lavapipe compiles a few more. So in the vg
 * variant (RTC_FORK_RUNNER) RTC_TEST does not make one forked test per
 * case: it registers the case, and vkt.c's single test runs every case one
 * after another in one process, each with the same heap-leak check
 * RTC_TEST makes (Valgrind's own leak check covers the process). ASan and
 * the other variants keep one process per test. A test that needs a
 * process of its own (it changes how Vulkan loads) is a plain Test().
 */
#ifndef CONFORMANCE_VK_VKT_H
#define CONFORMANCE_VK_VKT_H

#include <stdlib.h>
#include <string.h>

#include "conformance/rtc.h"
#include "gpu_gen/shaders.h"

#ifdef RTC_FORK_RUNNER
void vkt_register(const char *name, void (*fn)(void));
#undef RTC_TEST
#define RTC_TEST(S, N, ...)                                                                \
    static void rtc_body_##S##_##N(void);                                                  \
    __attribute__((constructor)) static void vkt_reg_##S##_##N(void)                       \
    {                                                                                      \
        vkt_register(#S "::" #N, rtc_body_##S##_##N);                                      \
    }                                                                                      \
    static void rtc_body_##S##_##N(void)
#endif

/* Every vk test needs a Vulkan device; CI has lavapipe (ci/deps.sh). */
#define VKT_REQUIRE()                                                                      \
    do {                                                                                   \
        if (!rt_vk_available())                                                            \
            cr_skip_test("no Vulkan device (install mesa-vulkan-drivers for lavapipe)");   \
    } while (0)

static inline uint64_t vkt_device(void)
{
    uint64_t d = rt_vk_device_create();
    cr_assert_neq(d, 0u, "rt_vk_device_create");
    return d;
}

#define VKT_COMPILE(dev, name)                                                             \
    rt_vk_kernel_compile((dev), (const uint8_t *)rtx_spv_##name, rtx_spv_##name##_len)

/* Handles that are not live handles of any kind. */
static const uint64_t vkt_bogus[] = {0, 1, 42, UINT64_MAX, UINT64_C(0x0008000001000001) + 77,
                                     UINT64_C(0x00FF000001000001), UINT64_C(0xDEADBEEF)};
#define VKT_NBOGUS (sizeof vkt_bogus / sizeof vkt_bogus[0])

#endif /* CONFORMANCE_VK_VKT_H */
