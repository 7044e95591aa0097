/*
 * conformance/gpu_backend/cuda.c — the CUDA backend (gpu/cuda.c): its
 * answers without a GPU, its plumbing against the stand-in driver, and the
 * cross-backend atomic table as PTX on a real GPU, compared with the host.
 *
 * No spec row lists this file: where no NVIDIA GPU is present (every CI
 * machine so far) the device case is skipped, with the reason the loader
 * gives, and a skipped test must not count against an implemented row.
 */
#include <stdlib.h>
#include <string.h>

#include "conformance/gpu_table.h"
#include "conformance/rtc.h"
#include "gpu/cuda.h"
#include "gpu/gpu_status.h"
#include "gpu_gen/ptx.h"

static const unsigned grid1[3] = {1, 1, 1}, block1[3] = {1, 1, 1};

RTC_TEST(gpu_cuda, reason_matches_availability)
{
    const char *why = rtx_cuda_reason();
    cr_assert_not_null(why);
    cr_assert_eq(rtx_cuda_available(), why[0] == 0, "a reason exactly when unavailable: %s", why);
    if (!rtx_cuda_available())
        cr_assert(strncmp(why, "CUDA: ", 6) == 0, "%s", why);
}

RTC_TEST(gpu_cuda, missing_driver_is_not_available)
{
    setenv("SIMPLERT_TEST_CUDA_DRIVER", "/nonexistent/libcuda.so.1", 1);
    cr_assert_eq(rtx_cuda_available(), 0);
    cr_assert_str_eq(rtx_cuda_reason(), "CUDA: libcuda.so.1 not found (no NVIDIA driver)");
    uint32_t x = 0;
    rtx_cuda_arg a = {&x, sizeof x, 1};
    cr_assert_eq(rtx_cuda_run(rtx_ptx_atomic_table, "atomic_table_u32", &a, 1, grid1, block1),
                 RTX_GPU_NOT_AVAILABLE);
}

RTC_TEST(gpu_cuda, library_without_the_driver_api)
{
    setenv("SIMPLERT_TEST_CUDA_DRIVER", "libm.so.6", 1);   /* loads, but has no cuInit */
    cr_assert_eq(rtx_cuda_available(), 0);
    cr_assert_str_eq(rtx_cuda_reason(), "CUDA: libcuda.so.1 lacks cuInit (driver too old)");
}

static void fake(const char *mode)
{
    setenv("SIMPLERT_TEST_CUDA_DRIVER", RTC_FAKE_CUDA, 1);
    setenv("FAKE_CUDA_MODE", mode, 1);
}

RTC_TEST(gpu_cuda, driver_answers)
{
    fake("initfail");
    cr_assert_eq(rtx_cuda_available(), 0);
    cr_assert_not_null(strstr(rtx_cuda_reason(), "cuInit failed"));
    cr_assert_str_eq(rtx_cuda_last_error(), "CUDA_ERROR_UNKNOWN (999)");
}

RTC_TEST(gpu_cuda, driver_without_devices)
{
    fake("zero");
    cr_assert_eq(rtx_cuda_available(), 0);
    cr_assert_str_eq(rtx_cuda_reason(), "CUDA: no CUDA device (cuDeviceGetCount: 0)");
}

/* The plumbing: buffers go to the device and come back (the stand-in's
 * kernel does nothing), bad arguments are refused, driver errors map to
 * the documented statuses. */
RTC_TEST(gpu_cuda, run_plumbing)
{
    fake("device");
    cr_assert_eq(rtx_cuda_available(), 1);
    uint64_t in[4] = {1, 2, 3, 4}, out[4] = {9, 9, 9, 9}, keep[2] = {5, 6};
    rtx_cuda_arg args[3] = {{in, sizeof in, 0}, {out, sizeof out, 1}, {keep, sizeof keep, 0}};
    cr_assert_eq(rtx_cuda_run(rtx_ptx_atomic_table, "atomic_table_i64", args, 3, grid1, block1),
                 RTX_GPU_OK);
    cr_assert_eq(out[0], 9u, "copied there and back unchanged");
    cr_assert_eq(rtx_cuda_run(rtx_ptx_atomic_table, "no_such_kernel", args, 3, grid1, block1),
                 RTX_GPU_COMPILATION_FAILED);
    cr_assert_eq(rtx_cuda_run(NULL, "atomic_table_i64", args, 3, grid1, block1),
                 RTX_GPU_INVALID_PARAMETER);
    cr_assert_eq(rtx_cuda_run(rtx_ptx_atomic_table, NULL, args, 3, grid1, block1),
                 RTX_GPU_INVALID_PARAMETER);
    cr_assert_eq(rtx_cuda_run(rtx_ptx_atomic_table, "atomic_table_i64", NULL, 1, grid1, block1),
                 RTX_GPU_INVALID_PARAMETER);
    cr_assert_eq(rtx_cuda_run(rtx_ptx_atomic_table, "atomic_table_i64", args, 17, grid1, block1),
                 RTX_GPU_INVALID_PARAMETER);
    rtx_cuda_arg empty = {in, 0, 0};
    cr_assert_eq(rtx_cuda_run(rtx_ptx_atomic_table, "atomic_table_i64", &empty, 1, grid1, block1),
                 RTX_GPU_INVALID_PARAMETER);
    cr_assert_eq(rtx_cuda_run(rtx_ptx_atomic_table, "atomic_table_i64", args, 3, NULL, block1),
                 RTX_GPU_INVALID_PARAMETER);
}

RTC_TEST(gpu_cuda, launch_and_ptx_failures)
{
    fake("launchfail");
    uint32_t x = 0;
    rtx_cuda_arg a = {&x, sizeof x, 1};
    cr_assert_eq(rtx_cuda_run(rtx_ptx_atomic_table, "atomic_table_u32", &a, 1, grid1, block1),
                 RTX_GPU_EXECUTION_FAILED);
    cr_assert_str_eq(rtx_cuda_last_error(), "CUDA_ERROR_LAUNCH_FAILED (719)");
}

RTC_TEST(gpu_cuda, rejected_ptx)
{
    fake("badptx");
    uint32_t x = 0;
    rtx_cuda_arg a = {&x, sizeof x, 1};
    cr_assert_eq(rtx_cuda_run(rtx_ptx_atomic_table, "atomic_table_u32", &a, 1, grid1, block1),
                 RTX_GPU_COMPILATION_FAILED);
    cr_assert_str_eq(rtx_cuda_last_error(), "CUDA_ERROR_INVALID_PTX (218)");
}

/* The table on a real GPU: skipped, with the loader's reason, elsewhere. */
RTC_TEST(gpu_cuda, atomic_table_matches_host)
{
    if (!rtx_cuda_available())
        cr_skip_test("%s", rtx_cuda_reason());
    static const char *const entry[RTX_ACT_N] = {"atomic_table_i32", "atomic_table_u32",
                                                 "atomic_table_i64"};
    gpu_table_result dev, host;
    char msg[256];
    cr_assert(gpu_table_init(&dev) && gpu_table_init(&host));
    for (int t = 0; t < RTX_ACT_N; t++) {
        gpu_table_arrays a;
        cr_assert(gpu_table_arrays_make(&a, t));
        size_t w = a.wsize;
        rtx_cuda_arg args[5] = {
            {a.rows, sizeof a.rows[0] * a.nrows, 0}, {a.words, w * a.nrows, 1},
            {a.opa, w * a.total, 0}, {a.opb, w * a.total, 0}, {a.olds, w * a.total, 1},
        };
        const unsigned grid[3] = {RTX_AC_MAX_ITEMS / 64, a.nrows, 1}, block[3] = {64, 1, 1};
        int r = rtx_cuda_run(rtx_ptx_atomic_table, entry[t], args, 5, grid, block);
        cr_assert_eq(r, RTX_GPU_OK, "%s: %d, %s", entry[t], r, rtx_cuda_last_error());
        gpu_table_arrays_collect(&a, &dev);
        gpu_table_arrays_free(&a);
    }
    const char *bad = gpu_table_verify(&dev, "CUDA", msg, sizeof msg);
    if (bad == NULL) {
        gpu_table_run_host(&host);
        bad = gpu_table_agree(&dev, &host, "CUDA and the host", msg, sizeof msg);
    }
    gpu_table_free(&dev);
    gpu_table_free(&host);
    cr_assert_null(bad, "%s", bad);
}
