/* Conformance: rt_vk_available (spec/ffi/vk.sdn), and what every vk
 * function answers when Vulkan cannot be loaded: NotAvailable (-1) or a 0
 * handle. The second test loads a loader that does not exist, so it runs
 * in its own process (a plain Test, see vkt.h). */
#include "conformance/vk/vkt.h"

RTC_TEST(vk_available, lavapipe_counts)
{
    VKT_REQUIRE();
    cr_assert_eq(rt_vk_available(), 1);
    cr_assert_eq(rt_vk_available(), 1, "stable: probed once");
}

Test(vk_available, no_loader_means_not_available)
{
    uint64_t live = rtx_heap_live();
    setenv("SIMPLERT_TEST_VULKAN_LOADER", "/nonexistent/libvulkan.so.1", 1);
    cr_assert_eq(rt_vk_available(), 0);
    cr_assert_eq(rt_vk_device_create(), 0u);
    for (size_t i = 0; i < VKT_NBOGUS; i++) {
        uint64_t h = vkt_bogus[i];
        cr_assert_eq(rt_vk_device_free(h), -1);
        cr_assert_eq(rt_vk_device_sync(h), -1);
        cr_assert_eq(rt_vk_buffer_alloc(h, 64), 0u);
        cr_assert_eq(rt_vk_buffer_free(h), -1);
        cr_assert_eq(rt_vk_buffer_upload(h, "x", 1), -1);
        cr_assert_eq(rt_vk_buffer_download(h, (char[1]){0}, 1), -1);
        cr_assert_eq(rt_vk_kernel_compile(h, (const uint8_t *)rtx_spv_vk_double,
                                          rtx_spv_vk_double_len), 0u);
        cr_assert_eq(rt_vk_kernel_free(h), -1);
        cr_assert_eq(rt_vk_kernel_launch(h, &h, 1, 1, 1, 1, 1, 1, 1), -1);
        cr_assert_eq(rt_vk_kernel_launch_1d(h, NULL, 0, 64), -1);
        cr_assert_eq(rt_vk_descriptor_layout_create_uniform(h), 0u);
        cr_assert_eq(rt_vk_descriptor_layout_create_sampler(h), 0u);
        cr_assert_eq(rt_vk_descriptor_layout_free(h), -1);
        cr_assert_eq(rt_vk_descriptor_pool_create(h, 4), 0u);
        cr_assert_eq(rt_vk_descriptor_pool_free(h), -1);
        cr_assert_eq(rt_vk_descriptor_set_allocate(h, h, h), 0u);
        cr_assert_eq(rt_vk_descriptor_set_free(h), -1);
        cr_assert_eq(rt_vk_descriptor_set_update_buffer(h, 0, h, 0, UINT64_MAX), -1);
    }
    cr_assert_eq(rtx_heap_live(), live);
    RTC_LSAN_CHECK();
}
