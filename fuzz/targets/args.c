/*
 * fuzz/targets/args.c — program arguments (spec/ffi/args.sdn): set from
 * fuzz-built argv arrays (NULL entries, invalid UTF-8, empty strings),
 * read back, cleared and auto-initialised in any order.
 *
 * Oracles: after a set with a usable argc, rt_get_argc counts exactly the
 * entries that are non-NULL and UTF-8, and rt_get_args gives back exactly
 * those strings in order; a refused set (argc above 2^20) changes nothing.
 * argc never exceeds the array built unless it is above that limit (refused
 * before argv is read). Every string rt_get_args returns is adopted, so
 * the end of the input frees it (rt_free is shallow).
 */
#include <string.h>

#include "fuzz/rtz.h"
#include "rtz_args.h"
#include "runtime/utf8.h"

#define MAX_ARGS 9

static void adopt_all(rtz *z, RtValue a)
{
    for (int64_t i = 0; i < rt_array_len(a); i++)
        rtz_adopt(z, rt_array_get(a, i));
    rtz_adopt(z, a);
}

static void op_set(rtz *z)
{
    const char *argv[MAX_ARGS];
    size_t n = rtz_u8(z) % (MAX_ARGS + 1);
    for (size_t i = 0; i < n; i++)
        argv[i] = rtz_cstr(z);
    /* Copy the strings out of the scratch area: later builders reuse it. */
    char keep[MAX_ARGS][64];
    for (size_t i = 0; i < n; i++) {
        if (argv[i]) {
            strncpy(keep[i], argv[i], sizeof keep[i] - 1);
            keep[i][sizeof keep[i] - 1] = 0;
            argv[i] = keep[i];
        }
    }
    int64_t before = rt_get_argc();
    uint8_t how = rtz_u8(z) % 8;
    int64_t argc = (int64_t)n;
    if (how == 0)
        argc = -(int64_t)rtz_u8(z);                       /* empty list */
    else if (how == 1)
        argc = (INT64_C(1) << 20) + 1 + rtz_u8(z);        /* refused unread */
    else if (how == 2)
        argc = INT64_MAX;
    rt_set_args(argc, how == 3 ? NULL : argv);
    if (argc > (INT64_C(1) << 20)) {
        RTZ_CHECK(rt_get_argc() == before);
        return;
    }
    if (argc <= 0 || how == 3) {
        RTZ_CHECK(rt_get_argc() == 0);
        return;
    }
    size_t usable = 0;
    const char *want[MAX_ARGS];
    for (size_t i = 0; i < n; i++)
        if (argv[i] && rtx_utf8_valid((const uint8_t *)argv[i], strlen(argv[i])))
            want[usable++] = argv[i];
    int64_t got = rt_get_argc();
    if (got != (int64_t)usable) {
        RTZ_CHECK(got == before);   /* only an allocation failure leaves it unchanged */
        return;
    }
    if (usable == 0)
        return;   /* an empty list: rt_get_args would auto-initialise */
    RtValue a = rt_get_args();
    if (a == RT_NIL)
        return;
    RTZ_CHECK(rt_array_len(a) == (int64_t)usable);
    for (size_t i = 0; i < usable; i++) {
        RtValue s = rt_array_get(a, (int64_t)i);
        size_t len = strlen(want[i]);
        RTZ_CHECK(rt_string_len(s) == (int64_t)len && memcmp(rt_string_data(s), want[i], len) == 0);
    }
    adopt_all(z, a);
}

static void op_get(rtz *z)
{
    RtValue a = rt_get_args();
    RTZ_CHECK(a == RT_NIL || rt_array_len(a) == rt_get_argc());
    adopt_all(z, a);
}

static const rtz_op ops[] = {
    RTZ_OP(rt_get_argc),
    RTZ_OP(rt_clear_args),
    {"set_args", op_set},
    {"get_args", op_get},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rt_clear_args();
    rtz_run_ops(data, size, ops, sizeof ops / sizeof ops[0], NULL);
    rt_clear_args();
    return 0;
}
