/* Conformance: the cross-backend atomic table (gpu/atomic_cases.h) run as
 * an emulated GPU kernel: rt_gpu_launch (spec/ffi/gpu.sdn) with work-group
 * row y on word y, exactly the shape of the Vulkan and CUDA dispatches,
 * against the model and against the host threads. */
#include "conformance/gpu_table.h"
#include "conformance/rtc.h"

static gpu_table_result *emu;
static union {
    int64_t i64;
    uint32_t u32;
} words[RTX_AC_NCASES];

static void k_table(void)
{
    size_t r = rt_gpu_group_id(1);
    uint32_t i = (uint32_t)rt_gpu_global_id(0);
    const rtx_ac_case *c = &rtx_ac_cases[r];
    if (i >= c->items)
        return;
    uint64_t x, y;
    rtx_ac_operands(c, i, &x, &y);
    emu->olds[emu->first[r] + i] = gpu_table_host_op(c, &words[r], i, x, y);
}

RTC_TEST(gpu_table, emulated_launch_matches_model_and_host)
{
    gpu_table_result e, h;
    char msg[256];
    cr_assert(gpu_table_init(&e) && gpu_table_init(&h));
    for (size_t r = 0; r < RTX_AC_NCASES; r++) {
        if (rtx_ac_cases[r].type == RTX_ACT_I64)
            words[r].i64 = (int64_t)rtx_ac_cases[r].init;
        else
            words[r].u32 = (uint32_t)rtx_ac_cases[r].init;
    }
    emu = &e;
    cr_assert_eq(rt_gpu_launch(k_table, RTX_AC_MAX_ITEMS, RTX_AC_NCASES, 1, 64, 1, 1), 0);
    for (size_t r = 0; r < RTX_AC_NCASES; r++)
        e.final[r] = rtx_ac_cases[r].type == RTX_ACT_I64 ? (uint64_t)words[r].i64
                                                         : (uint64_t)words[r].u32;
    const char *bad = gpu_table_verify(&e, "emulated launch", msg, sizeof msg);
    if (bad == NULL) {
        gpu_table_run_host(&h);
        bad = gpu_table_agree(&e, &h, "emulated launch and host threads", msg, sizeof msg);
    }
    gpu_table_free(&e);
    gpu_table_free(&h);
    cr_assert_null(bad, "%s", bad);
}
