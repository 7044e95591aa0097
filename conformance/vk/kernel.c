/* Conformance: rt_vk_kernel_compile, rt_vk_kernel_free,
 * rt_vk_kernel_launch, rt_vk_kernel_launch_1d (spec/ffi/vk.sdn): real
 * SPIR-V compute shaders (gpu/shaders/) on the Vulkan device,
 * SPIR-V refused before the driver sees it, launch arguments and limits. */
#include <pthread.h>

#include "conformance/vk/vkt.h"

/* A copy of vk_double's words to corrupt. */
static uint32_t *copy_double(void)
{
    uint32_t *w = malloc(rtx_spv_vk_double_len);
    cr_assert_not_null(w);
    memcpy(w, rtx_spv_vk_double, rtx_spv_vk_double_len);
    return w;
}

RTC_TEST(vk_kernel, compile_refuses_bad_spirv)
{
    VKT_REQUIRE();
    uint64_t d = vkt_device();
    const uint8_t *good = (const uint8_t *)rtx_spv_vk_double;
    size_t n = rtx_spv_vk_double_len, words = n / 4;
    cr_assert_eq(rt_vk_kernel_compile(d, NULL, n), 0u, "NULL");
    cr_assert_eq(rt_vk_kernel_compile(d, good, 0), 0u, "empty");
    cr_assert_eq(rt_vk_kernel_compile(d, good, 16), 0u, "shorter than the header");
    cr_assert_eq(rt_vk_kernel_compile(d, good, n - 1), 0u, "not a multiple of 4");
    cr_assert_eq(rt_vk_kernel_compile(d, good, UINT64_MAX & ~UINT64_C(3)), 0u, "huge: refused");
    cr_assert_eq(rt_vk_kernel_compile(d, good, (UINT64_C(64) << 20) + 4), 0u, "above 64 MiB");
    uint32_t *w = copy_double();
    w[0] = 0x03022307;   /* byte-swapped magic */
    cr_assert_eq(rt_vk_kernel_compile(d, (uint8_t *)w, n), 0u, "wrong magic");
    memcpy(w, rtx_spv_vk_double, n);
    w[1] = 0x00020000;
    cr_assert_eq(rt_vk_kernel_compile(d, (uint8_t *)w, n), 0u, "unknown SPIR-V version");
    memcpy(w, rtx_spv_vk_double, n);
    w[5] = (w[5] & 0xFFFFu) | (0xFFFFu << 16);
    cr_assert_eq(rt_vk_kernel_compile(d, (uint8_t *)w, n), 0u, "an instruction past the end");
    memcpy(w, rtx_spv_vk_double, n);
    cr_assert_eq(w[5], (2u << 16) | 17u, "first instruction: OpCapability");
    w[6] = 4;   /* Addresses: a capability simplert does not enable */
    cr_assert_eq(rt_vk_kernel_compile(d, (uint8_t *)w, n), 0u, "unsupported capability");
    /* Cut at every instruction boundary: never a valid module. */
    for (size_t at = 5; at < words;) {
        uint32_t wc = rtx_spv_vk_double[at] >> 16;
        cr_assert_eq(rt_vk_kernel_compile(d, good, at * 4), 0u, "cut after word %zu", at);
        at += wc ? wc : 1;
    }
    free(w);
    cr_assert_eq(VKT_COMPILE(d, vk_bad_ubo), 0u, "a uniform block");
    cr_assert_eq(VKT_COMPILE(d, vk_bad_push), 0u, "push constants");
    cr_assert_eq(VKT_COMPILE(d, vk_bad_set1), 0u, "descriptor set 1");
    for (size_t i = 0; i < VKT_NBOGUS; i++)
        cr_assert_eq(rt_vk_kernel_compile(vkt_bogus[i], good, n), 0u);
    /* An unaligned copy of a good module compiles: the bytes are copied. */
    uint8_t *odd = malloc(n + 1);
    memcpy(odd + 1, good, n);
    uint64_t k = rt_vk_kernel_compile(d, odd + 1, n);
    cr_assert_neq(k, 0u, "unaligned input");
    free(odd);
    cr_assert_eq(rt_vk_kernel_free(k), 0);
    cr_assert_eq(rt_vk_device_free(d), 0);
}

RTC_TEST(vk_kernel, launch_1d_runs_the_shader)
{
    VKT_REQUIRE();
    uint64_t d = vkt_device();
    enum { N = 1000 };   /* not a multiple of 64: a partial last group */
    uint64_t b = rt_vk_buffer_alloc(d, N * 4);
    uint64_t k = VKT_COMPILE(d, vk_double);
    cr_assert(b && k);
    uint32_t v[N];
    for (uint32_t i = 0; i < N; i++)
        v[i] = i;
    cr_assert_eq(rt_vk_buffer_upload(b, v, sizeof v), 0);
    cr_assert_eq(rt_vk_kernel_launch_1d(k, &b, 1, N), 0);
    /* Vulkan runs whole work-groups: a shader guards its own range. This
     * one guards by the buffer length, so a prefix must be whole groups. */
    cr_assert_eq(rt_vk_kernel_launch_1d(k, &b, 1, 512), 0, "the first 512 again");
    cr_assert_eq(rt_vk_buffer_download(b, v, sizeof v), 0);
    for (uint32_t i = 0; i < N; i++)
        cr_assert_eq(v[i], i < 512 ? 4 * i + 3 : 2 * i + 1, "v[%u]", i);
    cr_assert_eq(rt_vk_kernel_launch(k, &b, 1, N, 1, 1, 64, 1, 1), 0, "the same as launch_1d");
    cr_assert_eq(rt_vk_buffer_download(b, v, 4), 0);
    cr_assert_eq(v[0], 7u);
    cr_assert_eq(rt_vk_kernel_free(k), 0);
    cr_assert_eq(rt_vk_buffer_free(b), 0);
    cr_assert_eq(rt_vk_device_free(d), 0);
}

RTC_TEST(vk_kernel, three_dimensions_with_partial_groups)
{
    VKT_REQUIRE();
    uint64_t d = vkt_device();
    const uint32_t g[3] = {10, 9, 5}, n = 10 * 9 * 5;
    uint32_t dims[4] = {g[0], g[1], g[2], 0}, out[10 * 9 * 5 + 16];
    uint64_t bufs[2] = {rt_vk_buffer_alloc(d, sizeof dims), rt_vk_buffer_alloc(d, sizeof out)};
    uint64_t k = VKT_COMPILE(d, vk_ids3d);
    cr_assert(bufs[0] && bufs[1] && k);
    cr_assert_eq(rt_vk_buffer_upload(bufs[0], dims, sizeof dims), 0);
    cr_assert_eq(rt_vk_kernel_launch(k, bufs, 2, g[0], g[1], g[2], 4, 4, 2), 0);
    cr_assert_eq(rt_vk_buffer_download(bufs[1], out, sizeof out), 0);
    for (uint32_t z = 0; z < g[2]; z++)
        for (uint32_t y = 0; y < g[1]; y++)
            for (uint32_t x = 0; x < g[0]; x++)
                cr_assert_eq(out[x + g[0] * (y + g[1] * z)], 1 + x + (y << 10) + (z << 20),
                             "(%u,%u,%u) ran once with its id", x, y, z);
    for (uint32_t i = n; i < n + 16; i++)
        cr_assert_eq(out[i], 0u, "nothing outside the range");
    cr_assert_eq(rt_vk_kernel_launch(k, bufs, 2, g[0], g[1], g[2], 4, 4, 1), -7,
                 "a fixed local size must match the shader's (4,4,2)");
    cr_assert_eq(rt_vk_kernel_launch_1d(k, bufs, 2, 64), -7, "(64,1,1) is not (4,4,2)");
    cr_assert_eq(rt_vk_kernel_free(k), 0);
    cr_assert_eq(rt_vk_buffer_free(bufs[0]), 0);
    cr_assert_eq(rt_vk_buffer_free(bufs[1]), 0);
    cr_assert_eq(rt_vk_device_free(d), 0);
}

/* layout(local_size_x_id = 0): the launch's lx specialises the pipeline;
 * more sizes than the kernel keeps pipelines for. */
RTC_TEST(vk_kernel, specialised_local_size)
{
    VKT_REQUIRE();
    uint64_t d = vkt_device();
    uint64_t b = rt_vk_buffer_alloc(d, 256 * 4), k = VKT_COMPILE(d, vk_spec_local);
    cr_assert(b && k);
    /* 6 distinct sizes: more than the 4 pipelines a kernel keeps, so some
     * are replaced and made again; repeats hit the kept ones. */
    static const uint32_t sizes[] = {32, 1, 32, 7, 64, 256, 3, 1, 32};
    uint32_t o[256];
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        uint32_t lx = sizes[s];
        cr_assert_eq(rt_vk_kernel_launch(k, &b, 1, 256, 1, 1, lx, 1, 1), 0, "lx %u", lx);
        cr_assert_eq(rt_vk_buffer_download(b, o, sizeof o), 0);
        for (uint32_t i = 0; i < 256; i++)
            cr_assert_eq(o[i], (lx << 16) | (i % lx), "lx %u item %u", lx, i);
    }
    cr_assert_eq(rt_vk_kernel_launch(k, &b, 1, 256, 1, 1, 1, 2, 1), -7, "y is not specialisable");
    cr_assert_eq(rt_vk_kernel_launch(k, &b, 1, 256, 1, 1, 4096, 1, 1), -7, "above the device limit");
    cr_assert_eq(rt_vk_kernel_free(k), 0);
    cr_assert_eq(rt_vk_buffer_free(b), 0);
    cr_assert_eq(rt_vk_device_free(d), 0);
}

RTC_TEST(vk_kernel, launch_bad_arguments)
{
    VKT_REQUIRE();
    uint64_t d = vkt_device(), d2 = vkt_device();
    uint64_t b = rt_vk_buffer_alloc(d, 256), other = rt_vk_buffer_alloc(d2, 256);
    uint64_t k = VKT_COMPILE(d, vk_double), none = VKT_COMPILE(d, vk_nobuf);
    cr_assert(b && other && k && none);
    uint32_t v[64];
    for (uint32_t i = 0; i < 64; i++)
        v[i] = i;
    cr_assert_eq(rt_vk_buffer_upload(b, v, sizeof v), 0);
    uint64_t many[33];
    for (int i = 0; i < 33; i++)
        many[i] = b;
    cr_assert_eq(rt_vk_kernel_launch_1d(k, NULL, 1, 64), -7, "NULL buffers with a count");
    cr_assert_eq(rt_vk_kernel_launch_1d(k, many, 33, 64), -7, "more than 32 buffers");
    cr_assert_eq(rt_vk_kernel_launch_1d(k, NULL, 0, 64), -7, "fewer buffers than bindings");
    cr_assert_eq(rt_vk_kernel_launch(k, &b, 1, 64, 1, 1, 0, 1, 1), -7, "lx 0");
    cr_assert_eq(rt_vk_kernel_launch(k, &b, 1, 64, 1, 1, 64, 0, 1), -7, "ly 0");
    cr_assert_eq(rt_vk_kernel_launch(k, &b, 1, 64, 1, 1, 64, 1, 0), -7, "lz 0");
    cr_assert_eq(rt_vk_kernel_launch(k, &b, 1, UINT32_MAX, 1, 1, 64, 1, 1), -7, "too many groups");
    cr_assert_eq(rt_vk_kernel_launch(k, &b, 1, 64, UINT32_MAX, 1, 64, 1, 1), -7);
    for (size_t i = 0; i < VKT_NBOGUS; i++) {
        cr_assert_eq(rt_vk_kernel_launch_1d(vkt_bogus[i], &b, 1, 64), -2, "bad pipeline");
        cr_assert_eq(rt_vk_kernel_launch_1d(k, &vkt_bogus[i], 1, 64), -2, "bad buffer");
        cr_assert_eq(rt_vk_kernel_free(vkt_bogus[i]), -2);
    }
    cr_assert_eq(rt_vk_kernel_launch_1d(b, &b, 1, 64), -2, "a buffer is no pipeline");
    cr_assert_eq(rt_vk_kernel_launch_1d(k, &k, 1, 64), -2, "a pipeline is no buffer");
    cr_assert_eq(rt_vk_kernel_launch_1d(k, &other, 1, 64), -2, "a buffer of another device");
    cr_assert_eq(rt_vk_kernel_free(b), -2);
    /* An empty range dispatches nothing. */
    cr_assert_eq(rt_vk_kernel_launch_1d(k, &b, 1, 0), 0);
    cr_assert_eq(rt_vk_kernel_launch(k, &b, 1, 64, 0, 1, 64, 1, 1), 0);
    cr_assert_eq(rt_vk_kernel_launch(k, &b, 1, 64, 1, 0, 64, 1, 1), 0);
    cr_assert_eq(rt_vk_buffer_download(b, v, sizeof v), 0);
    for (uint32_t i = 0; i < 64; i++)
        cr_assert_eq(v[i], i, "refused and empty launches ran nothing");
    /* No bindings: (NULL, 0) is fine; extra live buffers are checked, not bound. */
    cr_assert_eq(rt_vk_kernel_launch_1d(none, NULL, 0, 1), -7, "local size 1, not 64");
    cr_assert_eq(rt_vk_kernel_launch(none, NULL, 0, 5, 1, 1, 1, 1, 1), 0);
    cr_assert_eq(rt_vk_kernel_launch(none, &b, 1, 5, 1, 1, 1, 1, 1), 0);
    cr_assert_eq(rt_vk_kernel_launch(none, &vkt_bogus[1], 1, 5, 1, 1, 1, 1, 1), -2);
    /* Freed objects. */
    cr_assert_eq(rt_vk_buffer_free(other), 0);
    cr_assert_eq(rt_vk_kernel_launch_1d(k, &other, 1, 64), -2, "a freed buffer");
    cr_assert_eq(rt_vk_kernel_free(k), 0);
    cr_assert_eq(rt_vk_kernel_free(k), -2, "double free");
    cr_assert_eq(rt_vk_kernel_launch_1d(k, &b, 1, 64), -2, "a freed pipeline");
    cr_assert_eq(rt_vk_kernel_free(none), 0);
    cr_assert_eq(rt_vk_buffer_free(b), 0);
    cr_assert_eq(rt_vk_device_free(d), 0);
    cr_assert_eq(rt_vk_device_free(d2), 0);
}

/* Two threads launch on one device at once: launches serialise on the
 * device, both results are right. */
typedef struct lt_arg {
    uint64_t k, b;
    int rounds, ok;
} lt_arg;

static void *launcher(void *p)
{
    lt_arg *a = p;
    a->ok = 1;
    for (int r = 0; r < a->rounds; r++)
        if (rt_vk_kernel_launch_1d(a->k, &a->b, 1, 128) != 0)
            a->ok = 0;
    return NULL;
}

RTC_TEST(vk_kernel, concurrent_launches)
{
    VKT_REQUIRE();
    uint64_t d = vkt_device();
    uint64_t k = VKT_COMPILE(d, vk_double);
    lt_arg a[2] = {{k, rt_vk_buffer_alloc(d, 512), 5, 0}, {k, rt_vk_buffer_alloc(d, 512), 3, 0}};
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        cr_assert_eq(pthread_create(&t[i], NULL, launcher, &a[i]), 0);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < 2; i++) {
        uint32_t v[128];
        cr_assert(a[i].ok);
        cr_assert_eq(rt_vk_buffer_download(a[i].b, v, sizeof v), 0);
        cr_assert_eq(v[5], (1u << a[i].rounds) - 1, "x -> 2x+1, %d times from 0", a[i].rounds);
        cr_assert_eq(rt_vk_buffer_free(a[i].b), 0);
    }
    cr_assert_eq(rt_vk_kernel_free(k), 0);
    cr_assert_eq(rt_vk_device_free(d), 0);
}
