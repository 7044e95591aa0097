/*
 * bench/gpu.c — the GPU families' benchmarks (`make bench`; `--quick` for
 * fewer repetitions and smaller sizes):
 *
 *   emulated_launch_1d   rt_gpu_launch_1d of a saxpy kernel (one call per
 *                        item, ids from the work-item getters) against the
 *                        same saxpy as a plain loop over 256-item chunks on
 *                        the same threads (gpu_pool: the work-group pool;
 *                        the runtime executor was not on main yet), and
 *                        against a plain loop on one thread
 *   emulated_barrier     a shared-memory tree reduction with a real
 *                        rt_gpu_barrier per step (crew threads) against a
 *                        plain chunked sum on the pool
 *   vk_dispatch_latency  one rt_vk_kernel_launch_1d of 64 items on the
 *                        Vulkan device, upload and download excluded:
 *                        informational (lavapipe is not a speed reference)
 *   vk_launch_1d         a Vulkan dispatch of N items of vk_double
 *                        (v = 2v + 1; N capped at 65535 groups of 64)
 *                        against the emulated saxpy launch of N items
 * All goals are 0 (informational): these measure what the emulation costs,
 * they do not promise a speed.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench/bench.h"
#include "gpu/gpu_pool.h"
#include "gpu_gen/shaders.h"
#include "simplert.h"

#define CHUNK 256u

static uint32_t n_items;
static float *xs, *ys;
static const float a = 1.5f;

static void k_saxpy(void)
{
    uint64_t i = rt_gpu_global_id(0);
    ys[i] = a * xs[i] + ys[i];
}

static double ours_launch(void *ctx)
{
    (void)ctx;
    uint64_t t0 = bench_now_ns();
    if (rt_gpu_launch_1d(k_saxpy, n_items, CHUNK) != 0)
        abort();
    return (double)n_items / ((double)(bench_now_ns() - t0) / 1e9);
}

/* The peer: the same arithmetic, chunks claimed from a counter, on the same
 * threads, with no work-item state and no call per item. */
static _Atomic uint32_t next_chunk;
static void loop_body(void *ctx)
{
    (void)ctx;
    for (;;) {
        uint32_t c = atomic_fetch_add(&next_chunk, 1);
        uint64_t lo = (uint64_t)c * CHUNK;
        if (lo >= n_items)
            return;
        uint64_t hi = lo + CHUNK < n_items ? lo + CHUNK : n_items;
        for (uint64_t i = lo; i < hi; i++)
            ys[i] = a * xs[i] + ys[i];
    }
}

static double peer_pool_loop(void *ctx)
{
    (void)ctx;
    uint64_t t0 = bench_now_ns();
    atomic_store(&next_chunk, 0);
    rtx_gpu_pool_run(rtx_gpu_pool_width(), loop_body, NULL);
    return (double)n_items / ((double)(bench_now_ns() - t0) / 1e9);
}

static double peer_one_thread(void *ctx)
{
    (void)ctx;
    uint64_t t0 = bench_now_ns();
    for (uint32_t i = 0; i < n_items; i++)
        ys[i] = a * xs[i] + ys[i];
    BENCH_KEEP(ys[n_items - 1]);
    return (double)n_items / ((double)(bench_now_ns() - t0) / 1e9);
}

/* Tree reduction, 64 items per group, log2(64) barriers. */
static int64_t *sums, *vals;
static void k_reduce(void)
{
    uint64_t l = rt_gpu_local_id(0);
    int64_t *t = rt_gpu_shared_alloc(64 * sizeof(int64_t));
    t[l] = vals[rt_gpu_global_id(0)];
    for (uint64_t s = 32; s > 0; s /= 2) {
        rt_gpu_barrier();
        if (l < s)
            t[l] += t[l + s];
    }
    if (l == 0)
        sums[rt_gpu_group_id(0)] = t[0];
}

static uint32_t n_reduce;
static double ours_reduce(void *ctx)
{
    (void)ctx;
    uint64_t t0 = bench_now_ns();
    if (rt_gpu_launch_1d(k_reduce, n_reduce, 64) != 0)
        abort();
    return (double)n_reduce / ((double)(bench_now_ns() - t0) / 1e9);
}

static void sum_body(void *ctx)
{
    (void)ctx;
    for (;;) {
        uint32_t c = atomic_fetch_add(&next_chunk, 1);
        uint64_t lo = (uint64_t)c * 64;
        if (lo >= n_reduce)
            return;
        int64_t s = 0;
        for (uint64_t i = lo; i < lo + 64; i++)
            s += vals[i];
        sums[c] = s;
    }
}

static double peer_sum(void *ctx)
{
    (void)ctx;
    uint64_t t0 = bench_now_ns();
    atomic_store(&next_chunk, 0);
    rtx_gpu_pool_run(rtx_gpu_pool_width(), sum_body, NULL);
    return (double)n_reduce / ((double)(bench_now_ns() - t0) / 1e9);
}

/* Vulkan. */
static uint64_t vk_k, vk_small, vk_big;
static double vk_latency(void *ctx)
{
    (void)ctx;
    uint64_t t0 = bench_now_ns();
    if (rt_vk_kernel_launch_1d(vk_k, &vk_small, 1, 64) != 0)
        abort();
    return (double)(bench_now_ns() - t0) / 1e3;
}

/* 1-D Vulkan dispatches of 64-item groups stop at 65535 groups. */
static uint32_t vk_items(void) { return n_items < 65535u * 64 ? n_items : 65535u * 64; }

static double vk_throughput(void *ctx)
{
    (void)ctx;
    uint64_t t0 = bench_now_ns();
    if (rt_vk_kernel_launch_1d(vk_k, &vk_big, 1, vk_items()) != 0)
        abort();
    return (double)vk_items() / ((double)(bench_now_ns() - t0) / 1e9);
}

static double emulated_vk_size(void *ctx)
{
    (void)ctx;
    uint64_t t0 = bench_now_ns();
    if (rt_gpu_launch_1d(k_saxpy, vk_items(), 64) != 0)
        abort();
    return (double)vk_items() / ((double)(bench_now_ns() - t0) / 1e9);
}

int main(int argc, char **argv)
{
    bench b;
    bench_init(&b, "gpu", argc, argv);
    n_items = b.quick ? 1u << 16 : 1u << 22;
    n_reduce = b.quick ? 1u << 12 : 1u << 16;
    xs = calloc(n_items, sizeof *xs);
    ys = calloc(n_items, sizeof *ys);
    vals = calloc(n_reduce, sizeof *vals);
    sums = calloc(n_reduce / 64, sizeof *sums);
    if (!xs || !ys || !vals || !sums)
        return 1;
    for (uint32_t i = 0; i < n_items; i++)
        xs[i] = (float)(i % 1000) * 0.001f;
    for (uint32_t i = 0; i < n_reduce; i++)
        vals[i] = i;
    printf("bench gpu: %u items, %u reduction items, %u pool threads\n", n_items, n_reduce,
           rtx_gpu_pool_width());
    bench_pair(&b, "emulated_launch_1d", "loop_on_pool", "items/s", BENCH_HIGHER, ours_launch,
               peer_pool_loop, NULL, 0);
    bench_pair(&b, "emulated_launch_1d", "loop_1_thread", "items/s", BENCH_HIGHER, ours_launch,
               peer_one_thread, NULL, 0);
    bench_pair(&b, "emulated_barrier_reduce", "sum_on_pool", "items/s", BENCH_HIGHER,
               ours_reduce, peer_sum, NULL, 0);
    if (rt_vk_available()) {
        uint64_t d = rt_vk_device_create();
        vk_k = rt_vk_kernel_compile(d, (const uint8_t *)rtx_spv_vk_double, rtx_spv_vk_double_len);
        vk_small = rt_vk_buffer_alloc(d, 64 * 4);
        vk_big = rt_vk_buffer_alloc(d, (uint64_t)n_items * 4);
        if (!d || !vk_k || !vk_small || !vk_big)
            return 1;
        bench_single(&b, "vk_dispatch_latency", "us", vk_latency, NULL);
        bench_pair(&b, "vk_launch_1d", "emulated_launch_1d", "items/s", BENCH_HIGHER,
                   vk_throughput, emulated_vk_size, NULL, 0);
        rt_vk_buffer_free(vk_small);
        rt_vk_buffer_free(vk_big);
        rt_vk_kernel_free(vk_k);
        rt_vk_device_free(d);
    } else {
        printf("  vk: no Vulkan device, Vulkan cases skipped\n");
    }
    free(xs);
    free(ys);
    free(vals);
    free(sums);
    return bench_finish(&b);
}
