/*
 * conformance/gpu_backend/fake/fake_cuda.c — a stand-in libcuda.so.1 for
 * the gpu_backend suite, so the answers the CUDA loader (gpu/cuda.c) gives
 * on machines unlike this one can be tested here: a driver without a
 * device, a failing cuInit, a working device. It runs no kernel: it cannot
 * stand in for the cross-backend table, only for the loader's plumbing.
 * Built by mk/gpu.mk into build/<V>/gpu/fake_libcuda.so; test builds load
 * it when SIMPLERT_TEST_CUDA_DRIVER names it. FAKE_CUDA_MODE selects:
 *   nodevice   cuInit -> 100 (CUDA_ERROR_NO_DEVICE), as with the driver but no GPU
 *   initfail   cuInit -> 999 (CUDA_ERROR_UNKNOWN)
 *   zero       cuInit ok, no device
 *   device     one device; memory is host memory; launches do nothing
 *   launchfail as device, but cuLaunchKernel -> 719 (CUDA_ERROR_LAUNCH_FAILED)
 *   badptx     as device, but cuModuleLoadData -> 218 (CUDA_ERROR_INVALID_PTX)
 */
#include <stdlib.h>
#include <string.h>

typedef int CUresult;

static int mode(const char *m)
{
    const char *e = getenv("FAKE_CUDA_MODE");
    return e && strcmp(e, m) == 0;
}

static int has_device(void) { return mode("device") || mode("launchfail") || mode("badptx"); }

CUresult cuInit(unsigned flags);
CUresult cuInit(unsigned flags)
{
    (void)flags;
    return mode("nodevice") ? 100 : mode("initfail") ? 999 : 0;
}

CUresult cuDeviceGetCount(int *n);
CUresult cuDeviceGetCount(int *n)
{
    *n = has_device();
    return 0;
}

CUresult cuDeviceGet(int *d, int ordinal);
CUresult cuDeviceGet(int *d, int ordinal)
{
    *d = ordinal;
    return ordinal == 0 && has_device() ? 0 : 101;
}

static int ctx_storage;
CUresult cuDevicePrimaryCtxRetain(void **ctx, int dev);
CUresult cuDevicePrimaryCtxRetain(void **ctx, int dev)
{
    (void)dev;
    *ctx = &ctx_storage;
    return 0;
}

CUresult cuCtxSetCurrent(void *ctx);
CUresult cuCtxSetCurrent(void *ctx) { return ctx == &ctx_storage ? 0 : 201; }

CUresult cuCtxSynchronize(void);
CUresult cuCtxSynchronize(void) { return 0; }

static int module_storage, function_storage;
CUresult cuModuleLoadData(void **mod, const void *image);
CUresult cuModuleLoadData(void **mod, const void *image)
{
    if (mode("badptx") || image == NULL)
        return 218;
    *mod = &module_storage;
    return 0;
}

CUresult cuModuleGetFunction(void **fn, void *mod, const char *name);
CUresult cuModuleGetFunction(void **fn, void *mod, const char *name)
{
    if (mod != &module_storage || strncmp(name, "atomic_table_", 13) != 0)
        return 500;   /* CUDA_ERROR_NOT_FOUND */
    *fn = &function_storage;
    return 0;
}

CUresult cuModuleUnload(void *mod);
CUresult cuModuleUnload(void *mod) { return mod == &module_storage ? 0 : 400; }

CUresult cuMemAlloc_v2(unsigned long long *p, size_t n);
CUresult cuMemAlloc_v2(unsigned long long *p, size_t n)
{
    void *m = malloc(n);
    *p = (unsigned long long)(size_t)m;
    return m ? 0 : 2;
}

CUresult cuMemFree_v2(unsigned long long p);
CUresult cuMemFree_v2(unsigned long long p)
{
    free((void *)(size_t)p);
    return 0;
}

CUresult cuMemcpyHtoD_v2(unsigned long long d, const void *h, size_t n);
CUresult cuMemcpyHtoD_v2(unsigned long long d, const void *h, size_t n)
{
    memcpy((void *)(size_t)d, h, n);
    return 0;
}

CUresult cuMemcpyDtoH_v2(void *h, unsigned long long d, size_t n);
CUresult cuMemcpyDtoH_v2(void *h, unsigned long long d, size_t n)
{
    memcpy(h, (const void *)(size_t)d, n);
    return 0;
}

CUresult cuLaunchKernel(void *f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
                        unsigned bz, unsigned shared, void *stream, void **params, void **extra);
CUresult cuLaunchKernel(void *f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
                        unsigned bz, unsigned shared, void *stream, void **params, void **extra)
{
    (void)gx, (void)gy, (void)gz, (void)bx, (void)by, (void)bz, (void)shared, (void)stream;
    (void)params, (void)extra;
    if (f != &function_storage)
        return 400;
    return mode("launchfail") ? 719 : 0;
}

CUresult cuGetErrorName(CUresult r, const char **name);
CUresult cuGetErrorName(CUresult r, const char **name)
{
    switch (r) {
    case 100: *name = "CUDA_ERROR_NO_DEVICE"; return 0;
    case 218: *name = "CUDA_ERROR_INVALID_PTX"; return 0;
    case 719: *name = "CUDA_ERROR_LAUNCH_FAILED"; return 0;
    case 999: *name = "CUDA_ERROR_UNKNOWN"; return 0;
    default: return 1;
    }
}
