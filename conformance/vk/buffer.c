/* Conformance: rt_vk_buffer_alloc, rt_vk_buffer_free, rt_vk_buffer_upload,
 * rt_vk_buffer_download (spec/ffi/vk.sdn). */
#include "conformance/vk/vkt.h"

RTC_TEST(vk_buffer, round_trip)
{
    VKT_REQUIRE();
    uint64_t d = vkt_device();
    uint64_t b = rt_vk_buffer_alloc(d, 1000);
    cr_assert_neq(b, 0u);
    uint8_t in[1000], out[1000];
    memset(out, 0xEE, sizeof out);
    cr_assert_eq(rt_vk_buffer_download(b, out, sizeof out), 0);
    for (size_t i = 0; i < sizeof out; i++)
        cr_assert_eq(out[i], 0, "a new buffer reads as zeros");
    for (size_t i = 0; i < sizeof in; i++)
        in[i] = (uint8_t)(i * 7 + 3);
    cr_assert_eq(rt_vk_buffer_upload(b, in, sizeof in), 0);
    cr_assert_eq(rt_vk_buffer_download(b, out, sizeof out), 0);
    cr_assert_eq(memcmp(in, out, sizeof in), 0);
    /* A shorter copy touches only the start. */
    cr_assert_eq(rt_vk_buffer_upload(b, "\xAA\xBB", 2), 0);
    cr_assert_eq(rt_vk_buffer_download(b, out, 4), 0);
    cr_assert_eq(out[0], 0xAA);
    cr_assert_eq(out[1], 0xBB);
    cr_assert_eq(out[2], in[2]);
    cr_assert_eq(rt_vk_buffer_free(b), 0);
    cr_assert_eq(rt_vk_device_free(d), 0);
}

RTC_TEST(vk_buffer, sizes)
{
    VKT_REQUIRE();
    uint64_t d = vkt_device();
    cr_assert_eq(rt_vk_buffer_alloc(d, 0), 0u, "size 0");
    cr_assert_eq(rt_vk_buffer_alloc(d, UINT64_MAX), 0u, "huge: refused");
    cr_assert_eq(rt_vk_buffer_alloc(d, UINT64_C(1) << 40), 0u, "beyond the device limit");
    uint64_t one = rt_vk_buffer_alloc(d, 1), big = rt_vk_buffer_alloc(d, 1u << 20);
    cr_assert(one && big);
    uint8_t x = 0x5A, y = 0;
    cr_assert_eq(rt_vk_buffer_upload(one, &x, 1), 0);
    cr_assert_eq(rt_vk_buffer_upload(one, "ab", 2), -6, "larger than the buffer");
    cr_assert_eq(rt_vk_buffer_download(one, &y, 1), 0);
    cr_assert_eq(y, 0x5A, "a refused copy changed nothing");
    uint8_t big_out[2] = {1, 1};
    cr_assert_eq(rt_vk_buffer_download(one, big_out, 2), -6);
    cr_assert_eq(big_out[0], 1, "nothing copied");
    cr_assert_eq(rt_vk_buffer_download(one, &y, UINT64_MAX), -6);
    cr_assert_eq(rt_vk_buffer_free(one), 0);
    cr_assert_eq(rt_vk_buffer_free(big), 0);
    cr_assert_eq(rt_vk_device_free(d), 0);
}

RTC_TEST(vk_buffer, hostile_input)
{
    VKT_REQUIRE();
    uint64_t d = vkt_device();
    uint64_t b = rt_vk_buffer_alloc(d, 64);
    uint64_t k = VKT_COMPILE(d, vk_nobuf);
    uint8_t buf[64] = {0};
    cr_assert_eq(rt_vk_buffer_upload(b, NULL, 8), -7, "NULL data with a size");
    cr_assert_eq(rt_vk_buffer_download(b, NULL, 8), -7);
    cr_assert_eq(rt_vk_buffer_upload(vkt_bogus[3], NULL, 8), -7, "-7 is checked before the handle");
    cr_assert_eq(rt_vk_buffer_upload(b, NULL, 0), 0, "NULL with size 0: an empty copy");
    cr_assert_eq(rt_vk_buffer_download(b, NULL, 0), 0);
    for (size_t i = 0; i < VKT_NBOGUS; i++) {
        cr_assert_eq(rt_vk_buffer_alloc(vkt_bogus[i], 64), 0u);
        cr_assert_eq(rt_vk_buffer_free(vkt_bogus[i]), -2);
        cr_assert_eq(rt_vk_buffer_upload(vkt_bogus[i], buf, 8), -2);
        cr_assert_eq(rt_vk_buffer_download(vkt_bogus[i], buf, 8), -2);
    }
    /* Wrong kinds: a device or a kernel is not a buffer, and vice versa. */
    cr_assert_eq(rt_vk_buffer_upload(d, buf, 8), -2);
    cr_assert_eq(rt_vk_buffer_free(k), -2);
    cr_assert_eq(rt_vk_buffer_alloc(b, 64), 0u, "a buffer is not a device");
    cr_assert_eq(rt_vk_buffer_free(b), 0);
    cr_assert_eq(rt_vk_buffer_free(b), -2, "double free");
    cr_assert_eq(rt_vk_buffer_upload(b, buf, 8), -2, "freed");
    cr_assert_eq(rt_vk_buffer_download(b, buf, 8), -2);
    cr_assert_eq(rt_vk_kernel_free(k), 0);
    cr_assert_eq(rt_vk_device_free(d), 0);
}
