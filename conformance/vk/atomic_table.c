/* Conformance: the cross-backend atomic table (gpu/atomic_cases.h) inside
 * a Vulkan compute shader (gpu/shaders/atomic_table.comp, one dispatch
 * per word type) through rt_vk_kernel_compile, rt_vk_buffer_upload,
 * rt_vk_kernel_launch and rt_vk_buffer_download (spec/ffi/vk.sdn),
 * against the model and against the host's rt_gpu_atomic_* run. */
#include "conformance/gpu_table.h"
#include "conformance/vk/vkt.h"

static void run_type(uint64_t d, int type, const uint32_t *spv, size_t len,
                     gpu_table_result *res)
{
    gpu_table_arrays a;
    cr_assert(gpu_table_arrays_make(&a, type));
    size_t w = a.wsize;
    uint64_t k = rt_vk_kernel_compile(d, (const uint8_t *)spv, len);
    cr_assert_neq(k, 0u, "the type %d shader compiles (64-bit atomics need shaderBufferInt64Atomics)",
                  type);
    uint64_t b[5] = {
        rt_vk_buffer_alloc(d, sizeof a.rows[0] * a.nrows), rt_vk_buffer_alloc(d, w * a.nrows),
        rt_vk_buffer_alloc(d, w * a.total), rt_vk_buffer_alloc(d, w * a.total),
        rt_vk_buffer_alloc(d, w * a.total),
    };
    for (int i = 0; i < 5; i++)
        cr_assert_neq(b[i], 0u);
    cr_assert_eq(rt_vk_buffer_upload(b[0], a.rows, sizeof a.rows[0] * a.nrows), 0);
    cr_assert_eq(rt_vk_buffer_upload(b[1], a.words, w * a.nrows), 0);
    cr_assert_eq(rt_vk_buffer_upload(b[2], a.opa, w * a.total), 0);
    cr_assert_eq(rt_vk_buffer_upload(b[3], a.opb, w * a.total), 0);
    cr_assert_eq(rt_vk_kernel_launch(k, b, 5, RTX_AC_MAX_ITEMS, a.nrows, 1, 64, 1, 1), 0);
    cr_assert_eq(rt_vk_buffer_download(b[1], a.words, w * a.nrows), 0);
    cr_assert_eq(rt_vk_buffer_download(b[4], a.olds, w * a.total), 0);
    gpu_table_arrays_collect(&a, res);
    for (int i = 0; i < 5; i++)
        cr_assert_eq(rt_vk_buffer_free(b[i]), 0);
    cr_assert_eq(rt_vk_kernel_free(k), 0);
    gpu_table_arrays_free(&a);
}

RTC_TEST(vk_atomic_table, lavapipe_matches_model_and_host)
{
    VKT_REQUIRE();
    uint64_t d = vkt_device();
    gpu_table_result dev, host;
    char msg[256];
    cr_assert(gpu_table_init(&dev) && gpu_table_init(&host));
    run_type(d, RTX_ACT_I32, rtx_spv_atomic_table_i32, rtx_spv_atomic_table_i32_len, &dev);
    run_type(d, RTX_ACT_U32, rtx_spv_atomic_table_u32, rtx_spv_atomic_table_u32_len, &dev);
    run_type(d, RTX_ACT_I64, rtx_spv_atomic_table_i64, rtx_spv_atomic_table_i64_len, &dev);
    cr_assert_eq(rt_vk_device_free(d), 0);
    const char *bad = gpu_table_verify(&dev, "Vulkan", msg, sizeof msg);
    if (bad == NULL) {
        gpu_table_run_host(&host);
        bad = gpu_table_agree(&dev, &host, "Vulkan and the host", msg, sizeof msg);
    }
    gpu_table_free(&dev);
    gpu_table_free(&host);
    cr_assert_null(bad, "%s", bad);
}
