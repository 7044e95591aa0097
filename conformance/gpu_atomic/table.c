/* Conformance: the cross-backend atomic table (gpu/atomic_cases.h) on the
 * host — every rt_gpu_atomic_* function (spec/ffi/gpu_atomic.sdn), typed
 * and untyped, with GPU_TABLE_THREADS threads contending on each row's
 * word — against the sequential model. The Vulkan, emulated and CUDA runs
 * of the same table are compared with this one in conformance/vk,
 * conformance/gpu and conformance/gpu_backend. */
#include "conformance/gpu_table.h"
#include "conformance/rtc.h"

RTC_TEST(gpu_atomic_table, host_threads_match_the_model)
{
    gpu_table_result res;
    char msg[256];
    cr_assert(gpu_table_init(&res));
    cr_assert_null(gpu_table_run_host(&res));
    const char *bad = gpu_table_verify(&res, "host", msg, sizeof msg);
    gpu_table_free(&res);
    cr_assert_null(bad, "%s", bad);
}

RTC_TEST(gpu_atomic_table, two_host_runs_agree)
{
    gpu_table_result a, b;
    char msg[256];
    cr_assert(gpu_table_init(&a) && gpu_table_init(&b));
    gpu_table_run_host(&a);
    gpu_table_run_host(&b);
    const char *bad = gpu_table_agree(&a, &b, "two host runs", msg, sizeof msg);
    gpu_table_free(&a);
    gpu_table_free(&b);
    cr_assert_null(bad, "%s", bad);
}

/* The table's own checks can fail: a corrupted result is caught. */
RTC_TEST(gpu_atomic_table, checks_catch_a_wrong_result)
{
    gpu_table_result res;
    char msg[256];
    cr_assert(gpu_table_init(&res));
    gpu_table_run_host(&res);
    size_t add = 0, same = 0, xchg = 0;
    for (size_t r = 0; r < RTX_AC_NCASES; r++) {
        const rtx_ac_case *c = &rtx_ac_cases[r];
        if (c->op == RTX_ACO_ADD && c->gen == RTX_ACG_STEP)
            add = r;
        if (c->op == RTX_ACO_XOR && c->gen == RTX_ACG_SAME && c->items > 1)
            same = r;
        if (c->op == RTX_ACO_XCHG && c->gen == RTX_ACG_STEP)
            xchg = r;
    }
    res.final[add]++;   /* a lost or doubled update */
    cr_assert_not_null(gpu_table_verify(&res, "host", msg, sizeof msg));
    res.final[add]--;
    res.olds[res.first[same] + 3] ^= 1;   /* an old value that never existed */
    cr_assert_not_null(gpu_table_verify(&res, "host", msg, sizeof msg));
    res.olds[res.first[same] + 3] ^= 1;
    uint64_t *o = res.olds + res.first[xchg];
    uint64_t t = o[0];   /* two items claiming to have seen the same value */
    o[0] = o[1];
    cr_assert_not_null(gpu_table_verify(&res, "host", msg, sizeof msg));
    o[0] = t;
    cr_assert_null(gpu_table_verify(&res, "host", msg, sizeof msg), "restored: %s", msg);
    gpu_table_free(&res);
}
