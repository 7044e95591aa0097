/*
 * fuzz/targets/gpu_backend.c — operation sequences over the gpu_backend
 * family (spec/ffi/gpu_backend.sdn) with the machine's real detection.
 * Oracles: the selection is always a concrete available backend, a set
 * answers exactly as the availability says, available() lists what
 * is_available() reports, in order, and names are NUL-terminated within
 * the buffer with their full length returned.
 */
#include <string.h>

#include "fuzz/rtz.h"
#include "gpu_vk_pin.h"
#include "rtz_gpu_backend.h"

static int valid(int64_t id) { return id == 0 || id == 1 || id == 2 || id == 99; }

static void op_available(rtz *z)
{
    gpu_vk_pin();
    int32_t ids[8];
    for (int i = 0; i < 8; i++)
        ids[i] = -100;
    uint8_t c = rtz_u8(z);
    int64_t max = c < 32 ? (int64_t)rtz_u64k(z) : c % 9;   /* sometimes negative or huge */
    int64_t lim = max < 0 ? 0 : max > 8 ? 8 : max;   /* at most 3 are ever written */
    int use_null = rtz_u8(z) % 5 == 0;
    int64_t n = rt_gpu_backend_available(use_null ? NULL : ids, max);
    RTZ_CHECK(n >= 1 && n <= 3);
    if (use_null)
        return;
    int64_t w = lim < n ? lim : n;
    for (int64_t i = 0; i < 8; i++)
        RTZ_CHECK(i < w ? rt_gpu_backend_is_available(ids[i]) == 1 : ids[i] == -100);
    for (int64_t i = 1; i < w; i++)
        RTZ_CHECK(ids[i] > ids[i - 1]);   /* CPU, then Vulkan, then CUDA */
    if (w > 0)
        RTZ_CHECK(ids[0] == 0);
}

static void prop_set(rtz *z)
{
    gpu_vk_pin();
    int64_t id = rtz_u8(z) % 4 ? rtz_mode(z) : rtz_i64(z), before = rt_gpu_backend_get();
    int64_t r = rt_gpu_backend_set(id), after = rt_gpu_backend_get();
    if (!valid(id)) {
        RTZ_CHECK(r == -1 && after == before);
    } else if (id != 99 && rt_gpu_backend_is_available(id) != 1) {
        RTZ_CHECK(r == -2 && after == before);
    } else {
        RTZ_CHECK(r == after && r != 99 && rt_gpu_backend_is_available(r) == 1);
        if (id != 99)
            RTZ_CHECK(r == id);
    }
}

static void prop_name(rtz *z)
{
    int64_t id = rtz_mode(z);
    uint8_t buf[16];
    memset(buf, 0xEE, sizeof buf);
    int64_t len = (int64_t)(rtz_u8(z) % 18) - 1;   /* -1 .. 16 */
    int64_t r = rt_gpu_backend_name(id, buf, len);
    if (!valid(id) || len <= 0) {
        RTZ_CHECK(r == -1);
        if (!valid(id))
            RTZ_CHECK(buf[0] == 0xEE);
        return;
    }
    RTZ_CHECK(r >= 3 && r <= 6);
    size_t n = strnlen((const char *)buf, sizeof buf);
    RTZ_CHECK((int64_t)n == (r < len ? r : len - 1));
    if (len < 16)
        RTZ_CHECK(buf[len] == 0xEE);
}

static const rtz_op ops[] = {
    RTZ_OP(rt_gpu_backend_set), RTZ_OP(rt_gpu_backend_get), RTZ_OP(rt_gpu_backend_is_available),
    RTZ_OP(rt_gpu_backend_name),
    {"rt_gpu_backend_available", op_available},
    {"prop_set", prop_set},
    {"prop_name", prop_name},
};

/* After every operation the selection names a concrete, available backend. */
static void check(rtz *z)
{
    (void)z;
    int64_t s = rt_gpu_backend_get();
    RTZ_CHECK(s == 0 || s == 1 || s == 2);
    RTZ_CHECK(rt_gpu_backend_is_available(s) == 1);
}

RTZ_SEQUENCE_TARGET(ops, check)
