/*
 * gpu/cuda.c — the CUDA driver API loaded at run time (see gpu/cuda.h).
 * No FFI row lives here.
 *
 * Only the driver API is used (libcuda.so.1, what the NVIDIA driver
 * installs), not the runtime API (libcudart, part of the toolkit): a
 * machine that can run CUDA kernels always has the former, rarely the
 * latter. Kernels arrive as PTX text; the driver JIT-compiles them for the
 * device it finds. The prototypes below are the driver's documented C ABI
 * (cuda.h), declared here so that building needs no CUDA headers either.
 * Entry points with a _v2 ABI are looked up by their _v2 names, which is
 * what cuda.h's macros select for 64-bit code.
 *
 * Probing: libcuda.so.1 missing is the common "no GPU" case. Where the
 * driver is installed without a usable GPU, cuInit answers
 * CUDA_ERROR_NO_DEVICE (100); a driver newer than the kernel module, or a
 * container without the device nodes, answers other codes — all mean
 * "not available", each with its own reason text.
 */
#include "gpu/cuda.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "gpu/gpu_status.h"

typedef int CUresult;
typedef int CUdevice;
typedef struct CUctx_st *CUcontext;
typedef struct CUmod_st *CUmodule;
typedef struct CUfunc_st *CUfunction;
typedef struct CUstream_st *CUstream;
typedef unsigned long long CUdeviceptr;

#define CUDA_SUCCESS 0
#define CUDA_ERROR_NO_DEVICE 100
#define MAX_ARGS 16

#define CUDA_FNS(X)                                                                        \
    X(cuInit, "cuInit", CUresult (*)(unsigned))                                            \
    X(cuDeviceGetCount, "cuDeviceGetCount", CUresult (*)(int *))                           \
    X(cuDeviceGet, "cuDeviceGet", CUresult (*)(CUdevice *, int))                           \
    X(cuDevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain",                                \
      CUresult (*)(CUcontext *, CUdevice))                                                 \
    X(cuCtxSetCurrent, "cuCtxSetCurrent", CUresult (*)(CUcontext))                         \
    X(cuCtxSynchronize, "cuCtxSynchronize", CUresult (*)(void))                            \
    X(cuModuleLoadData, "cuModuleLoadData", CUresult (*)(CUmodule *, const void *))        \
    X(cuModuleGetFunction, "cuModuleGetFunction",                                          \
      CUresult (*)(CUfunction *, CUmodule, const char *))                                  \
    X(cuModuleUnload, "cuModuleUnload", CUresult (*)(CUmodule))                            \
    X(cuMemAlloc, "cuMemAlloc_v2", CUresult (*)(CUdeviceptr *, size_t))                    \
    X(cuMemFree, "cuMemFree_v2", CUresult (*)(CUdeviceptr))                                \
    X(cuMemcpyHtoD, "cuMemcpyHtoD_v2", CUresult (*)(CUdeviceptr, const void *, size_t))    \
    X(cuMemcpyDtoH, "cuMemcpyDtoH_v2", CUresult (*)(void *, CUdeviceptr, size_t))          \
    X(cuLaunchKernel, "cuLaunchKernel",                                                    \
      CUresult (*)(CUfunction, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, \
                   unsigned, CUstream, void **, void **))                                  \
    X(cuGetErrorName, "cuGetErrorName", CUresult (*)(CUresult, const char **))

static struct {
#define CUDA_DECL(f, sym, type) __typeof__(type) f;
    CUDA_FNS(CUDA_DECL)
#undef CUDA_DECL
    CUcontext ctx;
} cu;

static int ok;
static const char *reason = "CUDA: not probed";
static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_mutex_t run_lock = PTHREAD_MUTEX_INITIALIZER;
static char last_error[96];

static void probe(void);
static int fail(CUresult r, int status);

int rtx_cuda_available(void)
{
    pthread_once(&once, probe);
    return ok;
}

const char *rtx_cuda_reason(void)
{
    pthread_once(&once, probe);
    return ok ? "" : reason;
}

const char *rtx_cuda_last_error(void) { return last_error; }

int rtx_cuda_run(const char *ptx, const char *entry, const rtx_cuda_arg *args, unsigned nargs,
                 const unsigned grid[3], const unsigned block[3])
{
    if (!rtx_cuda_available())
        return RTX_GPU_NOT_AVAILABLE;
    if (ptx == NULL || entry == NULL || grid == NULL || block == NULL || nargs > MAX_ARGS ||
        (nargs > 0 && args == NULL))
        return RTX_GPU_INVALID_PARAMETER;
    for (unsigned i = 0; i < nargs; i++)
        if (args[i].host == NULL || args[i].size == 0)
            return RTX_GPU_INVALID_PARAMETER;
    pthread_mutex_lock(&run_lock);
    CUdeviceptr dev[MAX_ARGS] = {0};
    void *params[MAX_ARGS];
    CUmodule mod = NULL;
    CUfunction fn;
    CUresult r;
    int status = RTX_GPU_OK;
    if ((r = cu.cuCtxSetCurrent(cu.ctx)) != CUDA_SUCCESS) {
        status = fail(r, RTX_GPU_EXECUTION_FAILED);
        goto out;
    }
    if ((r = cu.cuModuleLoadData(&mod, ptx)) != CUDA_SUCCESS ||
        (r = cu.cuModuleGetFunction(&fn, mod, entry)) != CUDA_SUCCESS) {
        status = fail(r, RTX_GPU_COMPILATION_FAILED);
        goto out;
    }
    for (unsigned i = 0; i < nargs; i++) {
        if ((r = cu.cuMemAlloc(&dev[i], args[i].size)) != CUDA_SUCCESS) {
            dev[i] = 0;
            status = fail(r, RTX_GPU_ALLOCATION_FAILED);
            goto out;
        }
        if ((r = cu.cuMemcpyHtoD(dev[i], args[i].host, args[i].size)) != CUDA_SUCCESS) {
            status = fail(r, RTX_GPU_EXECUTION_FAILED);
            goto out;
        }
        params[i] = &dev[i];   /* the kernel's i-th parameter is the device pointer */
    }
    if ((r = cu.cuLaunchKernel(fn, grid[0], grid[1], grid[2], block[0], block[1], block[2], 0,
                               NULL, params, NULL)) != CUDA_SUCCESS ||
        (r = cu.cuCtxSynchronize()) != CUDA_SUCCESS) {
        status = fail(r, RTX_GPU_EXECUTION_FAILED);
        goto out;
    }
    for (unsigned i = 0; i < nargs; i++) {
        if (args[i].copy_back &&
            (r = cu.cuMemcpyDtoH(args[i].host, dev[i], args[i].size)) != CUDA_SUCCESS) {
            status = fail(r, RTX_GPU_EXECUTION_FAILED);
            goto out;
        }
    }
out:
    for (unsigned i = 0; i < nargs; i++)
        if (dev[i])
            cu.cuMemFree(dev[i]);
    if (mod)
        cu.cuModuleUnload(mod);
    pthread_mutex_unlock(&run_lock);
    return status;
}

/* ---- helpers ---- */

static const char *driver_path(void)
{
#ifdef RTX_TESTING
    /* Test builds can load a stand-in driver to reach the other answers. */
    const char *p = getenv("SIMPLERT_TEST_CUDA_DRIVER");
    if (p && *p)
        return p;
#endif
    return "libcuda.so.1";
}

static void probe(void)
{
    void *lib = dlopen(driver_path(), RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        reason = "CUDA: libcuda.so.1 not found (no NVIDIA driver)";
        return;
    }
#define CUDA_LOAD(f, sym, type)                                                            \
    cu.f = (__typeof__(type))dlsym(lib, sym);                                              \
    if (cu.f == NULL) {                                                                    \
        reason = "CUDA: libcuda.so.1 lacks " sym " (driver too old)";                      \
        return;                                                                            \
    }
    CUDA_FNS(CUDA_LOAD)
#undef CUDA_LOAD
    CUresult r = cu.cuInit(0);
    if (r == CUDA_ERROR_NO_DEVICE) {
        reason = "CUDA: the driver is installed but finds no CUDA device (cuInit: 100)";
        return;
    }
    if (r != CUDA_SUCCESS) {
        fail(r, 0);
        reason = "CUDA: cuInit failed (driver and kernel module mismatch, or no device "
                 "nodes); see rtx_cuda_last_error";
        return;
    }
    int n = 0;
    CUdevice dev;
    if (cu.cuDeviceGetCount(&n) != CUDA_SUCCESS || n < 1) {
        reason = "CUDA: no CUDA device (cuDeviceGetCount: 0)";
        return;
    }
    if ((r = cu.cuDeviceGet(&dev, 0)) != CUDA_SUCCESS ||
        (r = cu.cuDevicePrimaryCtxRetain(&cu.ctx, dev)) != CUDA_SUCCESS) {
        fail(r, 0);
        reason = "CUDA: cannot create a context on device 0";
        return;
    }
    ok = 1;
}

/* Remember r as the last error; return status. */
static int fail(CUresult r, int status)
{
    const char *name = NULL;
    if (cu.cuGetErrorName == NULL || cu.cuGetErrorName(r, &name) != CUDA_SUCCESS || !name)
        name = "CUDA_ERROR_UNKNOWN";
    snprintf(last_error, sizeof last_error, "%s (%d)", name, r);
    return status;
}
