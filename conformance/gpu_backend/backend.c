/* Conformance: rt_gpu_backend_available, rt_gpu_backend_set,
 * rt_gpu_backend_get, rt_gpu_backend_is_available, rt_gpu_backend_name
 * (spec/ffi/gpu_backend.sdn). Real detection on this machine, and a
 * stand-in CUDA driver (fake/fake_cuda.c) for the machines this is not:
 * test builds load it through SIMPLERT_TEST_CUDA_DRIVER, and
 * SIMPLERT_TEST_VULKAN_LOADER pointing nowhere turns Vulkan off. Every
 * test runs in its own process, so detection starts fresh in each. */
#include <stdlib.h>
#include <string.h>

#include "conformance/rtc.h"
#include "gpu/cuda.h"

enum { CPU = 0, VULKAN = 1, CUDA = 2, AUTO = 99 };

static void no_vulkan(void) { setenv("SIMPLERT_TEST_VULKAN_LOADER", "/nonexistent/libvulkan.so.1", 1); }

static void fake_cuda(const char *mode)
{
    setenv("SIMPLERT_TEST_CUDA_DRIVER", RTC_FAKE_CUDA, 1);
    setenv("FAKE_CUDA_MODE", mode, 1);
}

static const int64_t invalid_ids[] = {-1, 3, 4, 98, 100, INT64_MIN, INT64_MAX,
                                      (INT64_C(1) << 32) + 0, (INT64_C(1) << 32) + 1,
                                      (INT64_C(1) << 32) + 99, -INT64_C(4294967295)};
#define NINVALID (sizeof invalid_ids / sizeof invalid_ids[0])

RTC_TEST(gpu_backend, names)
{
    static const struct {
        int64_t id;
        const char *name;
    } want[] = {{CPU, "CPU"}, {VULKAN, "Vulkan"}, {CUDA, "CUDA"}, {AUTO, "Auto"}};
    uint8_t buf[16];
    for (size_t i = 0; i < 4; i++) {
        int64_t n = (int64_t)strlen(want[i].name);
        memset(buf, 0xEE, sizeof buf);
        cr_assert_eq(rt_gpu_backend_name(want[i].id, buf, sizeof buf), n);
        cr_assert_str_eq((const char *)buf, want[i].name);
        memset(buf, 0xEE, sizeof buf);
        cr_assert_eq(rt_gpu_backend_name(want[i].id, buf, 3), n, "truncated: full length back");
        cr_assert_eq(buf[2], 0, "NUL-terminated within buf_len");
        cr_assert_eq(memcmp(buf, want[i].name, 2), 0);
        cr_assert_eq(buf[3], 0xEE, "nothing past buf_len");
        cr_assert_eq(rt_gpu_backend_name(want[i].id, buf, 1), n);
        cr_assert_eq(buf[0], 0, "length 1: just the NUL");
        cr_assert_eq(rt_gpu_backend_name(want[i].id, buf, n + 1), n);
        cr_assert_str_eq((const char *)buf, want[i].name, "exactly fits");
    }
}

RTC_TEST(gpu_backend, name_bad_input)
{
    uint8_t buf[8];
    cr_assert_eq(rt_gpu_backend_name(CPU, NULL, 8), -1, "NULL buffer");
    cr_assert_eq(rt_gpu_backend_name(CPU, buf, 0), -1, "zero length");
    cr_assert_eq(rt_gpu_backend_name(CPU, buf, -5), -1);
    cr_assert_eq(rt_gpu_backend_name(CPU, buf, INT64_MIN), -1);
    for (size_t i = 0; i < NINVALID; i++) {
        memset(buf, 0xEE, sizeof buf);
        cr_assert_eq(rt_gpu_backend_name(invalid_ids[i], buf, sizeof buf), -1);
        for (size_t b = 0; b < sizeof buf; b++)
            cr_assert_eq(buf[b], 0xEE, "invalid id %" PRId64 ": buf untouched", invalid_ids[i]);
    }
}

RTC_TEST(gpu_backend, ids_and_validity)
{
    no_vulkan();
    cr_assert_eq(rt_gpu_backend_is_available(CPU), 1, "the CPU backend is always there");
    cr_assert_eq(rt_gpu_backend_is_available(AUTO), 1);
    for (size_t i = 0; i < NINVALID; i++) {
        cr_assert_eq(rt_gpu_backend_is_available(invalid_ids[i]), -1, "id %" PRId64, invalid_ids[i]);
        cr_assert_eq(rt_gpu_backend_set(invalid_ids[i]), -1, "id %" PRId64, invalid_ids[i]);
        cr_assert_eq(rt_gpu_backend_get(), CPU, "an invalid id leaves the selection alone");
    }
}

/* What this machine really has: the backend answers agree with the
 * Vulkan and CUDA probes themselves. */
RTC_TEST(gpu_backend, real_detection_agrees_with_the_probes)
{
    int vk = rt_vk_available(), cu = rtx_cuda_available();
    cr_log_info("this machine: Vulkan %s, %s", vk ? "available" : "not available",
                cu ? "CUDA available" : rtx_cuda_reason());
    cr_assert_eq(rt_gpu_backend_is_available(VULKAN), vk);
    cr_assert_eq(rt_gpu_backend_is_available(CUDA), cu);
    int32_t ids[4] = {-9, -9, -9, -9};
    int64_t n = rt_gpu_backend_available(ids, 4);
    cr_assert_eq(n, 1 + vk + cu);
    cr_assert_eq(ids[0], CPU, "CPU first");
    if (vk)
        cr_assert_eq(ids[1], VULKAN);
    if (cu)
        cr_assert_eq(ids[n - 1], CUDA, "CUDA last");
    cr_assert_eq(ids[n], -9, "nothing past the count");
    cr_assert_eq(rt_gpu_backend_set(AUTO), cu ? CUDA : vk ? VULKAN : CPU, "Auto: the best there is");
    cr_assert_eq(rt_gpu_backend_get(), cu ? CUDA : vk ? VULKAN : CPU, "never 99");
    if (vk) {
        cr_assert_eq(rt_gpu_backend_set(VULKAN), VULKAN);
        cr_assert_eq(rt_gpu_backend_get(), VULKAN);
    }
    cr_assert_eq(rt_gpu_backend_set(CPU), CPU);
    cr_assert_eq(rt_gpu_backend_get(), CPU);
}

RTC_TEST(gpu_backend, available_output_limits)
{
    no_vulkan();
    int32_t ids[4] = {-9, -9, -9, -9};
    cr_assert_eq(rt_gpu_backend_available(NULL, 4), 1, "NULL: the count, nothing written");
    cr_assert_eq(rt_gpu_backend_available(ids, 0), 1);
    cr_assert_eq(ids[0], -9, "max 0 writes nothing");
    cr_assert_eq(rt_gpu_backend_available(ids, -1), 1);
    cr_assert_eq(rt_gpu_backend_available(ids, INT64_MIN), 1);
    cr_assert_eq(ids[0], -9, "a negative max writes nothing");
    cr_assert_eq(rt_gpu_backend_available(ids, INT64_MAX), 1);
    cr_assert_eq(ids[0], CPU);
    cr_assert_eq(ids[1], -9, "only the count is written");
}

RTC_TEST(gpu_backend, nothing_but_cpu)
{
    no_vulkan();
    setenv("SIMPLERT_TEST_CUDA_DRIVER", "/nonexistent/libcuda.so.1", 1);
    cr_assert_eq(rt_gpu_backend_is_available(VULKAN), 0);
    cr_assert_eq(rt_gpu_backend_is_available(CUDA), 0);
    cr_assert_eq(rt_gpu_backend_set(VULKAN), -2, "unavailable");
    cr_assert_eq(rt_gpu_backend_get(), CPU, "the selection stays");
    cr_assert_eq(rt_gpu_backend_set(CUDA), -2);
    cr_assert_eq(rt_gpu_backend_get(), CPU);
    cr_assert_eq(rt_gpu_backend_set(AUTO), CPU, "Auto falls back to CPU");
    cr_assert_str_eq(rtx_cuda_reason(), "CUDA: libcuda.so.1 not found (no NVIDIA driver)");
}

RTC_TEST(gpu_backend, auto_prefers_cuda)
{
    no_vulkan();
    fake_cuda("device");
    cr_assert_eq(rt_gpu_backend_is_available(CUDA), 1, "a driver with a device");
    int32_t ids[4] = {-9, -9, -9, -9};
    cr_assert_eq(rt_gpu_backend_available(ids, 4), 2);
    cr_assert_eq(ids[0], CPU);
    cr_assert_eq(ids[1], CUDA);
    cr_assert_eq(rt_gpu_backend_set(AUTO), CUDA, "CUDA (20) beats Vulkan (10) and CPU (0)");
    cr_assert_eq(rt_gpu_backend_get(), CUDA);
    cr_assert_eq(rt_gpu_backend_set(VULKAN), -2);
    cr_assert_eq(rt_gpu_backend_get(), CUDA, "kept after a refused set");
    cr_assert_eq(rt_gpu_backend_set(CPU), CPU);
}

RTC_TEST(gpu_backend, cuda_driver_without_a_device)
{
    no_vulkan();
    fake_cuda("nodevice");
    cr_assert_eq(rt_gpu_backend_is_available(CUDA), 0);
    cr_assert_eq(rt_gpu_backend_set(CUDA), -2);
    cr_assert_eq(rt_gpu_backend_set(AUTO), CPU);
    cr_assert_not_null(strstr(rtx_cuda_reason(), "finds no CUDA device"), "%s", rtx_cuda_reason());
}
