/*
 * fuzz/targets/errors.c — the errors family (spec/ffi/errors.sdn) with
 * fuzz-chosen names, NULL pointers and random lengths. The stderr capture
 * is on for the whole input (the messages would flood the terminal).
 *
 * Oracles: every call returns NIL and prints one newline-terminated message
 * that starts with "Runtime error: " and stays below the cut limit's size
 * (names are printed as given, so a name may itself hold newlines).
 */
#include <string.h>

#include "fuzz/rtz.h"
#include "rtz_errors.h"

/* Every call through the generated ops, then the oracle on its output. */
static void checked(rtz *z, int method)
{
    rt_capture_stderr_start();
    uint64_t n1, n2;
    const uint8_t *a = rtz_buf_in(z, &n1);
    RtValue r;
    if (method) {
        const uint8_t *b = rtz_buf_in(z, &n2);
        r = rt_method_not_found(a, n1, b, n2);
    } else {
        r = rt_function_not_found(a, n1);
    }
    RTZ_CHECK(r == RT_NIL);
    RtValue s = rt_capture_stderr_stop();
    int64_t len = rt_string_len(s);
    const uint8_t *t = rt_string_data(s);
    RTZ_CHECK(len > 15 && len < 2 * 4096 + 128);
    RTZ_CHECK(memcmp(t, "Runtime error: ", 15) == 0);
    RTZ_CHECK(t[len - 1] == '\n');   /* names are printed as given, newlines too */
    rt_free(s);
    rt_capture_stderr_start();
}

static void prop_function(rtz *z) { checked(z, 0); }
static void prop_method(rtz *z) { checked(z, 1); }

static const rtz_op ops[] = {
    RTZ_OP(rt_function_not_found),
    RTZ_OP(rt_method_not_found),
    {"prop_function", prop_function},
    {"prop_method", prop_method},
};

/* Empty the capture now and then: memory stays bounded. */
static void check(rtz *z)
{
    static unsigned n;
    (void)z;
    if (++n % 64 == 0) {
        rt_free(rt_capture_stderr_stop());
        rt_capture_stderr_start();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rt_capture_stderr_start();
    rtz_run_ops(data, size, ops, sizeof ops / sizeof ops[0], check);
    rt_free(rt_capture_stderr_stop());
    return 0;
}
