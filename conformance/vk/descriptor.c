/* Conformance: rt_vk_descriptor_layout_create_uniform,
 * rt_vk_descriptor_layout_create_sampler, rt_vk_descriptor_layout_free,
 * rt_vk_descriptor_pool_create, rt_vk_descriptor_pool_free,
 * rt_vk_descriptor_set_allocate, rt_vk_descriptor_set_free,
 * rt_vk_descriptor_set_update_buffer (spec/ffi/vk.sdn). */
#include "conformance/vk/vkt.h"

RTC_TEST(vk_descriptor, layouts_pools_sets)
{
    VKT_REQUIRE();
    uint64_t d = vkt_device();
    uint64_t ul = rt_vk_descriptor_layout_create_uniform(d);
    uint64_t sl = rt_vk_descriptor_layout_create_sampler(d);
    uint64_t pool = rt_vk_descriptor_pool_create(d, 3);
    cr_assert(ul && sl && pool && ul != sl);
    uint64_t s1 = rt_vk_descriptor_set_allocate(d, pool, ul);
    uint64_t s2 = rt_vk_descriptor_set_allocate(d, pool, sl);
    uint64_t s3 = rt_vk_descriptor_set_allocate(d, pool, ul);
    cr_assert(s1 && s2 && s3);
    cr_assert_eq(rt_vk_descriptor_set_allocate(d, pool, ul), 0u, "the pool holds 3 sets");
    cr_assert_eq(rt_vk_descriptor_set_free(s3), 0);
    uint64_t s4 = rt_vk_descriptor_set_allocate(d, pool, ul);
    cr_assert_neq(s4, 0u, "a freed set makes room");
    cr_assert_eq(rt_vk_descriptor_set_free(s3), -2, "double free");
    cr_assert_eq(rt_vk_descriptor_set_free(s4), 0);
    cr_assert_eq(rt_vk_descriptor_set_free(s2), 0);
    cr_assert_eq(rt_vk_descriptor_set_free(s1), 0);
    cr_assert_eq(rt_vk_descriptor_pool_free(pool), 0);
    cr_assert_eq(rt_vk_descriptor_pool_free(pool), -2);
    cr_assert_eq(rt_vk_descriptor_layout_free(ul), 0);
    cr_assert_eq(rt_vk_descriptor_layout_free(sl), 0);
    cr_assert_eq(rt_vk_descriptor_layout_free(ul), -2);
    cr_assert_eq(rt_vk_device_free(d), 0);
}

RTC_TEST(vk_descriptor, pool_limits_and_hostile_handles)
{
    VKT_REQUIRE();
    uint64_t d = vkt_device();
    cr_assert_eq(rt_vk_descriptor_pool_create(d, 0), 0u, "max_sets 0");
    cr_assert_eq(rt_vk_descriptor_pool_create(d, 4097), 0u, "above 4096");
    cr_assert_eq(rt_vk_descriptor_pool_create(d, UINT32_MAX), 0u);
    uint64_t big = rt_vk_descriptor_pool_create(d, 4096);
    cr_assert_neq(big, 0u, "4096 is allowed");
    uint64_t lay = rt_vk_descriptor_layout_create_uniform(d);
    uint64_t buf = rt_vk_buffer_alloc(d, 256);
    for (size_t i = 0; i < VKT_NBOGUS; i++) {
        uint64_t h = vkt_bogus[i];
        cr_assert_eq(rt_vk_descriptor_layout_create_uniform(h), 0u);
        cr_assert_eq(rt_vk_descriptor_layout_create_sampler(h), 0u);
        cr_assert_eq(rt_vk_descriptor_layout_free(h), -2);
        cr_assert_eq(rt_vk_descriptor_pool_create(h, 4), 0u);
        cr_assert_eq(rt_vk_descriptor_pool_free(h), -2);
        cr_assert_eq(rt_vk_descriptor_set_allocate(h, big, lay), 0u);
        cr_assert_eq(rt_vk_descriptor_set_allocate(d, h, lay), 0u);
        cr_assert_eq(rt_vk_descriptor_set_allocate(d, big, h), 0u);
        cr_assert_eq(rt_vk_descriptor_set_free(h), -2);
        cr_assert_eq(rt_vk_descriptor_set_update_buffer(h, 0, buf, 0, UINT64_MAX), -2);
    }
    /* Wrong kinds everywhere. */
    cr_assert_eq(rt_vk_descriptor_layout_free(big), -2, "a pool is not a layout");
    cr_assert_eq(rt_vk_descriptor_pool_free(lay), -2);
    cr_assert_eq(rt_vk_descriptor_set_free(buf), -2);
    cr_assert_eq(rt_vk_descriptor_set_allocate(d, lay, big), 0u, "pool and layout swapped");
    cr_assert_eq(rt_vk_descriptor_set_allocate(buf, big, lay), 0u);
    /* Pool and layout of another device. */
    uint64_t d2 = vkt_device();
    uint64_t lay2 = rt_vk_descriptor_layout_create_uniform(d2);
    cr_assert_eq(rt_vk_descriptor_set_allocate(d, big, lay2), 0u, "layout from another device");
    cr_assert_eq(rt_vk_descriptor_set_allocate(d2, big, lay2), 0u, "pool from another device");
    cr_assert_eq(rt_vk_descriptor_layout_free(lay2), 0);
    cr_assert_eq(rt_vk_device_free(d2), 0);
    cr_assert_eq(rt_vk_buffer_free(buf), 0);
    cr_assert_eq(rt_vk_descriptor_layout_free(lay), 0);
    cr_assert_eq(rt_vk_descriptor_pool_free(big), 0);
    cr_assert_eq(rt_vk_device_free(d), 0);
}

RTC_TEST(vk_descriptor, update_buffer)
{
    VKT_REQUIRE();
    uint64_t d = vkt_device();
    uint64_t ul = rt_vk_descriptor_layout_create_uniform(d);
    uint64_t sl = rt_vk_descriptor_layout_create_sampler(d);
    uint64_t pool = rt_vk_descriptor_pool_create(d, 4);
    uint64_t us = rt_vk_descriptor_set_allocate(d, pool, ul);
    uint64_t ss = rt_vk_descriptor_set_allocate(d, pool, sl);
    uint64_t b = rt_vk_buffer_alloc(d, 1024), k = VKT_COMPILE(d, vk_nobuf);
    cr_assert(us && ss && b && k);
    cr_assert_eq(rt_vk_descriptor_set_update_buffer(us, 0, b, 0, UINT64_MAX), 0, "whole buffer");
    cr_assert_eq(rt_vk_descriptor_set_update_buffer(us, 0, b, 256, 768), 0, "to the end");
    cr_assert_eq(rt_vk_descriptor_set_update_buffer(us, 0, b, 256, UINT64_MAX), 0);
    cr_assert_eq(rt_vk_descriptor_set_update_buffer(us, 0, b, 0, 1), 0, "one byte");
    cr_assert_eq(rt_vk_descriptor_set_update_buffer(us, 1, b, 0, 16), -7, "no binding 1");
    cr_assert_eq(rt_vk_descriptor_set_update_buffer(us, UINT32_MAX, b, 0, 16), -7);
    cr_assert_eq(rt_vk_descriptor_set_update_buffer(ss, 0, b, 0, 16), -7, "a sampler binding");
    cr_assert_eq(rt_vk_descriptor_set_update_buffer(us, 0, b, 1024, 1), -7, "offset at the end");
    cr_assert_eq(rt_vk_descriptor_set_update_buffer(us, 0, b, 1024, UINT64_MAX), -7);
    cr_assert_eq(rt_vk_descriptor_set_update_buffer(us, 0, b, 256, 769), -7, "past the end");
    cr_assert_eq(rt_vk_descriptor_set_update_buffer(us, 0, b, 512, UINT64_MAX - 100), -7,
                 "offset + range overflows");
    cr_assert_eq(rt_vk_descriptor_set_update_buffer(us, 0, b, UINT64_MAX, 1), -7);
    cr_assert_eq(rt_vk_descriptor_set_update_buffer(us, 0, b, 0, 0), -7, "an empty range");
    cr_assert_eq(rt_vk_descriptor_set_update_buffer(us, 0, b, 3, 16), -7, "misaligned offset");
    cr_assert_eq(rt_vk_descriptor_set_update_buffer(us, 0, k, 0, 16), -2, "a kernel is no buffer");
    cr_assert_eq(rt_vk_descriptor_set_update_buffer(b, 0, b, 0, 16), -2, "a buffer is no set");
    /* A set outlives its layout's handle. */
    cr_assert_eq(rt_vk_descriptor_layout_free(ul), 0);
    cr_assert_eq(rt_vk_descriptor_set_update_buffer(us, 0, b, 0, 64), 0);
    /* A set of another device's buffer. */
    uint64_t d2 = vkt_device(), b2 = rt_vk_buffer_alloc(d2, 64);
    cr_assert_eq(rt_vk_descriptor_set_update_buffer(us, 0, b2, 0, 64), -7);
    cr_assert_eq(rt_vk_buffer_free(b2), 0);
    cr_assert_eq(rt_vk_device_free(d2), 0);
    cr_assert_eq(rt_vk_buffer_free(b), 0);
    cr_assert_eq(rt_vk_descriptor_set_update_buffer(us, 0, b, 0, 64), -2, "a freed buffer");
    cr_assert_eq(rt_vk_kernel_free(k), 0);
    cr_assert_eq(rt_vk_descriptor_set_free(us), 0);
    cr_assert_eq(rt_vk_descriptor_set_free(ss), 0);
    cr_assert_eq(rt_vk_descriptor_layout_free(sl), 0);
    cr_assert_eq(rt_vk_descriptor_pool_free(pool), 0);
    cr_assert_eq(rt_vk_device_free(d), 0);
}

/* Sets die with their pool: their handles become invalid at once. */
RTC_TEST(vk_descriptor, freeing_the_pool_frees_its_sets)
{
    VKT_REQUIRE();
    uint64_t d = vkt_device();
    uint64_t ul = rt_vk_descriptor_layout_create_uniform(d);
    uint64_t pool = rt_vk_descriptor_pool_create(d, 8), other = rt_vk_descriptor_pool_create(d, 8);
    uint64_t b = rt_vk_buffer_alloc(d, 256);
    uint64_t sets[5], keep = rt_vk_descriptor_set_allocate(d, other, ul);
    for (int i = 0; i < 5; i++) {
        sets[i] = rt_vk_descriptor_set_allocate(d, pool, ul);
        cr_assert_neq(sets[i], 0u);
    }
    cr_assert_eq(rt_vk_descriptor_set_free(sets[2]), 0);
    cr_assert_eq(rt_vk_device_free(d), 0, "the device handle goes first: children keep it alive");
    cr_assert_eq(rt_vk_descriptor_pool_free(pool), 0);
    for (int i = 0; i < 5; i++) {
        cr_assert_eq(rt_vk_descriptor_set_free(sets[i]), -2, "set %d died with its pool", i);
        cr_assert_eq(rt_vk_descriptor_set_update_buffer(sets[i], 0, b, 0, 64), -2);
    }
    cr_assert_eq(rt_vk_descriptor_set_update_buffer(keep, 0, b, 0, 64), 0, "another pool's set");
    cr_assert_eq(rt_vk_descriptor_pool_free(other), 0);
    cr_assert_eq(rt_vk_descriptor_set_free(keep), -2);
    cr_assert_eq(rt_vk_buffer_free(b), 0);
    cr_assert_eq(rt_vk_descriptor_layout_free(ul), 0);
}
