/* Conformance: rt_vk_device_create, rt_vk_device_free, rt_vk_device_sync
 * (spec/ffi/vk.sdn): handles, lifetime (children outlive the device
 * handle), hostile handles. */
#include "conformance/vk/vkt.h"
#include "runtime/mem.h"

RTC_TEST(vk_device, create_sync_free)
{
    VKT_REQUIRE();
    uint64_t a = vkt_device(), b = vkt_device();
    cr_assert_neq(a, b, "each call a new device");
    cr_assert_eq(rt_vk_device_sync(a), 0);
    cr_assert_eq(rt_vk_device_sync(b), 0);
    cr_assert_eq(rt_vk_device_free(a), 0);
    cr_assert_eq(rt_vk_device_free(a), -2, "a second free");
    cr_assert_eq(rt_vk_device_sync(a), -2, "a freed handle");
    cr_assert_eq(rt_vk_buffer_alloc(a, 16), 0u, "a freed device makes nothing");
    cr_assert_eq(rt_vk_device_sync(b), 0, "the other device is untouched");
    cr_assert_eq(rt_vk_device_free(b), 0);
}

RTC_TEST(vk_device, hostile_handles)
{
    VKT_REQUIRE();
    uint64_t d = vkt_device();
    uint64_t buf = rt_vk_buffer_alloc(d, 64);
    uint64_t k = VKT_COMPILE(d, vk_nobuf);
    uint64_t lay = rt_vk_descriptor_layout_create_uniform(d);
    cr_assert(buf && k && lay);
    for (size_t i = 0; i < VKT_NBOGUS; i++) {
        cr_assert_eq(rt_vk_device_free(vkt_bogus[i]), -2, "handle %zu", i);
        cr_assert_eq(rt_vk_device_sync(vkt_bogus[i]), -2, "handle %zu", i);
    }
    /* Live handles of other kinds are not devices. */
    cr_assert_eq(rt_vk_device_sync(buf), -2);
    cr_assert_eq(rt_vk_device_free(buf), -2);
    cr_assert_eq(rt_vk_device_free(k), -2);
    cr_assert_eq(rt_vk_device_free(lay), -2);
    cr_assert_eq(rt_vk_buffer_free(buf), 0, "still a live buffer");
    cr_assert_eq(rt_vk_kernel_free(k), 0);
    cr_assert_eq(rt_vk_descriptor_layout_free(lay), 0);
    cr_assert_eq(rt_vk_device_free(d), 0);
}

/* Freeing the device handle first: its buffers and kernels keep working
 * (they keep the VkDevice alive, upstream's Arc semantics). */
RTC_TEST(vk_device, children_outlive_the_handle)
{
    VKT_REQUIRE();
    uint64_t d = vkt_device();
    uint64_t b = rt_vk_buffer_alloc(d, 256 * 4);
    uint64_t k = VKT_COMPILE(d, vk_double);
    cr_assert(b && k);
    cr_assert_eq(rt_vk_device_free(d), 0);
    uint32_t v[256];
    for (uint32_t i = 0; i < 256; i++)
        v[i] = i;
    cr_assert_eq(rt_vk_buffer_upload(b, v, sizeof v), 0);
    cr_assert_eq(rt_vk_kernel_launch_1d(k, &b, 1, 256), 0);
    cr_assert_eq(rt_vk_buffer_download(b, v, sizeof v), 0);
    for (uint32_t i = 0; i < 256; i++)
        cr_assert_eq(v[i], 2 * i + 1);
    cr_assert_eq(rt_vk_kernel_free(k), 0);
    cr_assert_eq(rt_vk_buffer_free(b), 0);
}

/* Out of memory (test builds fail allocations on request): creators give
 * 0, nothing leaks, and everything works again afterwards. */
RTC_TEST(vk_device, out_of_memory)
{
    VKT_REQUIRE();
    uint64_t d = vkt_device();
    uint64_t lay = rt_vk_descriptor_layout_create_uniform(d);
    uint64_t pool = rt_vk_descriptor_pool_create(d, 2);
    cr_assert(lay && pool);
    rtx_mem_fail_at(1, 1);
    cr_assert_eq(rt_vk_device_create(), 0u);
    cr_assert_eq(rt_vk_buffer_alloc(d, 64), 0u);
    cr_assert_eq(VKT_COMPILE(d, vk_double), 0u);
    cr_assert_eq(rt_vk_descriptor_layout_create_sampler(d), 0u);
    cr_assert_eq(rt_vk_descriptor_pool_create(d, 2), 0u);
    cr_assert_eq(rt_vk_descriptor_set_allocate(d, pool, lay), 0u);
    rtx_mem_fail_at(0, 0);
    uint64_t b = rt_vk_buffer_alloc(d, 64), s = rt_vk_descriptor_set_allocate(d, pool, lay);
    cr_assert(b && s, "allocation works again");
    cr_assert_eq(rt_vk_descriptor_set_free(s), 0);
    cr_assert_eq(rt_vk_buffer_free(b), 0);
    cr_assert_eq(rt_vk_descriptor_pool_free(pool), 0);
    cr_assert_eq(rt_vk_descriptor_layout_free(lay), 0);
    cr_assert_eq(rt_vk_device_free(d), 0);
}
