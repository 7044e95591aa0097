/*
 * fuzz/targets/vk.c — operation sequences over the vk family
 * (spec/ffi/vk.sdn) on the machine's Vulkan device (lavapipe in CI):
 * devices, buffers, kernels, launches and descriptor objects created,
 * used, freed and reused in any order, with live, freed, wrong-kind and
 * invented handles everywhere. Kernels are the suite's real shaders
 * (build/gen/gpu_gen/shaders.h) and corruptions of them that the SPIR-V
 * check must refuse; random bytes go through the generated compile op.
 * Launch sizes stay small so an input runs in milliseconds. Oracles: every
 * status is one the contract lists, a refused compile returns 0, a launch
 * of vk_double on a buffer it owns computes 2x+1, and a buffer round-trips.
 */
#include <string.h>

#include "fuzz/rtz.h"
#include "gpu_gen/shaders.h"
#include "gpu_vk_pin.h"
#include "rtz_vk.h"

static const struct {
    const uint32_t *words;
    size_t len;
} shaders[] = {
    {rtx_spv_vk_double, sizeof rtx_spv_vk_double},
    {rtx_spv_vk_ids3d, sizeof rtx_spv_vk_ids3d},
    {rtx_spv_vk_spec_local, sizeof rtx_spv_vk_spec_local},
    {rtx_spv_vk_nobuf, sizeof rtx_spv_vk_nobuf},
    {rtx_spv_atomic_table_u32, sizeof rtx_spv_atomic_table_u32},
};
#define NSHADERS (sizeof shaders / sizeof shaders[0])

static void release_device(uint64_t h) { rt_vk_device_free(h); }
static void release_buffer(uint64_t h) { rt_vk_buffer_free(h); }
static void release_kernel(uint64_t h) { rt_vk_kernel_free(h); }
static void release_layout(uint64_t h) { rt_vk_descriptor_layout_free(h); }
static void release_pool(uint64_t h) { rt_vk_descriptor_pool_free(h); }
static void release_set(uint64_t h) { rt_vk_descriptor_set_free(h); }

static void setup(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    gpu_vk_pin();
    rtz_set_release(RTZ_HK_VK_DEVICE, release_device);
    rtz_set_release(RTZ_HK_VK_BUFFER, release_buffer);
    rtz_set_release(RTZ_HK_VK_PIPELINE, release_kernel);
    rtz_set_release(RTZ_HK_VK_LAYOUT, release_layout);
    rtz_set_release(RTZ_HK_VK_POOL, release_pool);
    rtz_set_release(RTZ_HK_VK_SET, release_set);
}

/* A device: usually one the input owns, made on demand. */
static uint64_t device(rtz *z)
{
    if (z->nhandles[RTZ_HK_VK_DEVICE] == 0 && rtz_u8(z) % 4) {
        uint64_t d = rt_vk_device_create();
        rtz_adopt_handle(z, RTZ_HK_VK_DEVICE, d);
    }
    return rtz_handle(z, RTZ_HK_VK_DEVICE);
}

static void op_compile_known(rtz *z)
{
    setup();
    uint64_t d = device(z);
    size_t i = rtz_u8(z) % NSHADERS, n = shaders[i].len;
    uint32_t *w = malloc(n);
    if (w == NULL)
        return;
    memcpy(w, shaders[i].words, n);
    int refuse = 1;
    switch (rtz_u8(z) % 6) {
    case 0: w[0] ^= 1u << (rtz_u8(z) % 32); break;                 /* magic */
    case 1: w[1] = rtz_u32(z) | 0x01000000u; break;               /* version */
    case 2: n = 4 * (5 + rtz_u32(z) % (n / 4 - 5)); break;        /* cut short */
    case 3: w[6] = 4 + rtz_u8(z) % 5; break;                       /* capability 4..8 */
    default: refuse = 0; break;                                    /* as built */
    }
    uint64_t k = rt_vk_kernel_compile(d, (const uint8_t *)w, n);
    if (refuse)
        RTZ_CHECK(k == 0);
    rtz_adopt_handle(z, RTZ_HK_VK_PIPELINE, k);
    free(w);
}

static void op_launch(rtz *z)
{
    setup();
    uint64_t k = rtz_handle(z, RTZ_HK_VK_PIPELINE);
    uint64_t bufs[40];
    uint64_t n = rtz_u8(z) % 8 == 0 ? 33 + rtz_u8(z) % 4 : rtz_u8(z) % 6;
    for (uint64_t i = 0; i < n && i < 40; i++)
        bufs[i] = rtz_handle(z, RTZ_HK_VK_BUFFER);
    const uint64_t *arg = rtz_u8(z) % 10 == 0 ? NULL : bufs;
    static const uint32_t locals[][3] = {{64, 1, 1}, {4, 4, 2}, {1, 1, 1}, {32, 1, 1},
                                         {0, 1, 1}, {7, 1, 1}, {2048, 1, 1}, {64, 2, 1}};
    const uint32_t *l = locals[rtz_u8(z) % 8];
    uint32_t g[3];
    for (int i = 0; i < 3; i++)
        g[i] = rtz_u8(z) % 16 == 0 ? (uint32_t)rtz_u64k(z) : rtz_u8(z) % 9 * l[i];
    /* Keep dispatches small: big valid ones would only burn time. */
    if ((uint64_t)g[0] * g[1] * g[2] > 8192 && g[0] < 65536u * 64 && g[1] < 65536 && g[2] < 65536)
        g[2] = 0;
    int32_t r = rtz_u8(z) & 1 ? rt_vk_kernel_launch(k, arg, n, g[0], g[1], g[2], l[0], l[1], l[2])
                              : rt_vk_kernel_launch_1d(k, arg, n, g[0] % 4096);
    RTZ_CHECK(r == 0 || r == -2 || r == -4 || r == -7 || (r == -1 && !rt_vk_available()));
}

/* A kernel of known effect on a buffer the input owns: 2x+1 per element. */
static void prop_double(rtz *z)
{
    setup();
    uint64_t d = device(z);
    uint32_t n = 1 + rtz_u8(z) % 200, v[200], out[200];
    uint64_t b = rt_vk_buffer_alloc(d, n * 4);
    uint64_t k = rt_vk_kernel_compile(d, (const uint8_t *)rtx_spv_vk_double,
                                      sizeof rtx_spv_vk_double);
    if (b && k) {
        for (uint32_t i = 0; i < n; i++)
            v[i] = rtz_u32(z);
        RTZ_CHECK(rt_vk_buffer_upload(b, v, n * 4) == 0);
        RTZ_CHECK(rt_vk_kernel_launch_1d(k, &b, 1, n) == 0);
        RTZ_CHECK(rt_vk_buffer_download(b, out, n * 4) == 0);
        for (uint32_t i = 0; i < n; i++)
            RTZ_CHECK(out[i] == v[i] * 2u + 1u);
    }
    rtz_adopt_handle(z, RTZ_HK_VK_BUFFER, b);
    rtz_adopt_handle(z, RTZ_HK_VK_PIPELINE, k);
}

/* Upload then download the same bytes; sizes past the end are -6. */
static void prop_round_trip(rtz *z)
{
    setup();
    uint64_t b = rtz_handle(z, RTZ_HK_VK_BUFFER);
    uint64_t len;
    const uint8_t *in = rtz_buf_in(z, &len);
    uint8_t out[RTZ_SCRATCH];
    int32_t r = rt_vk_buffer_upload(b, in, len);
    RTZ_CHECK(r == 0 || r == -2 || r == -6 || r == -7 || (r == -1 && !rt_vk_available()));
    if (r == 0 && len > 0 && len <= sizeof out) {
        RTZ_CHECK(rt_vk_buffer_download(b, out, len) == 0);
        RTZ_CHECK(memcmp(in, out, (size_t)len) == 0);
    }
}

static void op_free_any(rtz *z)
{
    setup();
    static const int kinds[] = {RTZ_HK_VK_DEVICE, RTZ_HK_VK_BUFFER, RTZ_HK_VK_PIPELINE,
                                RTZ_HK_VK_LAYOUT, RTZ_HK_VK_POOL, RTZ_HK_VK_SET};
    int k = kinds[rtz_u8(z) % 6];
    uint64_t h = rtz_handle(z, k);
    int64_t r;
    switch (k) {
    case RTZ_HK_VK_DEVICE: r = rt_vk_device_free(h); break;
    case RTZ_HK_VK_BUFFER: r = rt_vk_buffer_free(h); break;
    case RTZ_HK_VK_PIPELINE: r = rt_vk_kernel_free(h); break;
    case RTZ_HK_VK_LAYOUT: r = rt_vk_descriptor_layout_free(h); break;
    case RTZ_HK_VK_POOL: r = rt_vk_descriptor_pool_free(h); break;
    default: r = rt_vk_descriptor_set_free(h); break;
    }
    RTZ_CHECK(r == 0 || r == -2 || (r == -1 && !rt_vk_available()));
    if (r == 0)
        rtz_drop_handle(z, k, h);
}

/* Generated ops get their device through the harness pools; make sure a
 * device exists now and then. */
static void op_device(rtz *z)
{
    setup();
    (void)device(z);
}

static const rtz_op ops[] = {
    RTZ_OP(rt_vk_available), RTZ_OP(rt_vk_device_create), RTZ_OP(rt_vk_device_free),
    RTZ_OP(rt_vk_device_sync), RTZ_OP(rt_vk_buffer_alloc), RTZ_OP(rt_vk_buffer_free),
    RTZ_OP(rt_vk_buffer_upload), RTZ_OP(rt_vk_buffer_download), RTZ_OP(rt_vk_kernel_compile),
    RTZ_OP(rt_vk_kernel_free), RTZ_OP(rt_vk_descriptor_layout_create_uniform),
    RTZ_OP(rt_vk_descriptor_layout_create_sampler), RTZ_OP(rt_vk_descriptor_layout_free),
    RTZ_OP(rt_vk_descriptor_pool_create), RTZ_OP(rt_vk_descriptor_pool_free),
    RTZ_OP(rt_vk_descriptor_set_allocate), RTZ_OP(rt_vk_descriptor_set_free),
    RTZ_OP(rt_vk_descriptor_set_update_buffer),
    {"rt_vk_kernel_compile(known)", op_compile_known},
    {"rt_vk_kernel_launch/rt_vk_kernel_launch_1d", op_launch},
    {"prop_double", prop_double},
    {"prop_round_trip", prop_round_trip},
    {"op_free_any", op_free_any},
    {"op_device", op_device},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup();
    return rtz_run_ops(data, size, ops, sizeof ops / sizeof ops[0], NULL);
}
