/*
 * gpu/backend.c — rt_gpu_backend_available, rt_gpu_backend_set,
 * rt_gpu_backend_get, rt_gpu_backend_is_available, rt_gpu_backend_name
 * (spec/ffi/gpu_backend.sdn).
 *
 * Availability is real, not assumed: CPU emulation always; Vulkan when the
 * loader loads and finds a device with a compute queue (rt_vk_available:
 * Mesa lavapipe counts); CUDA when libcuda.so.1 loads, cuInit succeeds and
 * a device exists (gpu/cuda.c). Each is probed once per process, on first
 * need. Auto resolves to the available backend of highest priority:
 * CUDA 20 > Vulkan 10 > CPU 0 (upstream's priorities).
 */
#include <stdatomic.h>
#include <string.h>

#include "gpu/cuda.h"
#include "simplert/gpu_backend.h"
#include "simplert/vk.h"

enum { CPU = 0, VULKAN = 1, CUDA = 2, AUTO = 99 };

static _Atomic int64_t selected = CPU;

static int known(int64_t id) { return id == CPU || id == VULKAN || id == CUDA || id == AUTO; }

/* Is a concrete backend usable here? (Auto: always, it falls back to CPU.) */
static int usable(int64_t id)
{
    switch (id) {
    case VULKAN: return rt_vk_available() == 1;
    case CUDA: return rtx_cuda_available();
    default: return 1;
    }
}

static int64_t best(void) { return usable(CUDA) ? CUDA : usable(VULKAN) ? VULKAN : CPU; }

int64_t rt_gpu_backend_available(int32_t *out_ids, int64_t max_count)
{
    static const int32_t order[] = {CPU, VULKAN, CUDA};
    int64_t n = 0;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        if (!usable(order[i]))
            continue;
        if (out_ids && n < max_count)
            out_ids[n] = order[i];
        n++;
    }
    return n;
}

int64_t rt_gpu_backend_set(int64_t backend)
{
    if (!known(backend))
        return -1;
    int64_t id = backend == AUTO ? best() : backend;
    if (!usable(id))
        return -2;   /* the previous selection stays */
    atomic_store(&selected, id);
    return id;
}

int64_t rt_gpu_backend_get(void) { return atomic_load(&selected); }

int64_t rt_gpu_backend_is_available(int64_t backend)
{
    if (!known(backend))
        return -1;
    return usable(backend);
}

int64_t rt_gpu_backend_name(int64_t backend, uint8_t *buf, int64_t buf_len)
{
    const char *name;
    switch (backend) {
    case CPU: name = "CPU"; break;
    case VULKAN: name = "Vulkan"; break;
    case CUDA: name = "CUDA"; break;
    case AUTO: name = "Auto"; break;
    default: return -1;   /* buf untouched */
    }
    if (buf == NULL || buf_len <= 0)
        return -1;
    size_t len = strlen(name);
    size_t n = len < (uint64_t)(buf_len - 1) ? len : (size_t)(buf_len - 1);
    memcpy(buf, name, n);
    buf[n] = 0;
    return (int64_t)len;
}
