/*
 * fuzz/rtz.h — the fuzz harness: arguments from the spec's parameter kinds.
 *
 * A target is an operation-sequence interpreter: each input is read as a
 * stream of (operation, arguments) records; every operation calls one FFI
 * function with arguments built by the rtz_* builders below. Values the
 * functions return go into per-input pools, so later operations get live
 * objects, objects freed by earlier operations (stale), objects of the
 * wrong type, and invented words. At the end of the input everything the
 * input created is released, so a leak is a real leak.
 *
 * Most operations are generated from spec rows (build/gen/rtz_<family>.h,
 * `simplert spec fuzzgen`): a function whose kinds suffice gets its target
 * with one line:
 *
 *     #include "fuzz/rtz.h"
 *     #include "rtz_value.h"
 *     static const rtz_op ops[] = { RTZ_OP(rt_array_push), RTZ_OP(rt_free), ... };
 *     RTZ_SEQUENCE_TARGET(ops, NULL)
 *
 * The same source builds for libFuzzer (LLVMFuzzerTestOneInput), for AFL++
 * persistent mode (fuzz/afl_driver.c) and for plain replay (fuzz/replay.c).
 */
#ifndef RTZ_H
#define RTZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "simplert.h"

#define RTZ_MAX_VALS 256      /* live heap values per input */
#define RTZ_MAX_STALE 64
#define RTZ_MAX_HANDLES 64    /* per handle kind */
#define RTZ_SCRATCH 8192      /* bytes for buffers handed to functions */
#define RTZ_MAX_OPS 4096      /* operations per input (keeps execs fast) */

/* Handle kinds (spec/README.md `handle_<k>`); a new kind is added here. */
enum rtz_handle_kind {
    RTZ_HK_THREAD, RTZ_HK_FILE, RTZ_HK_ATOMIC_INT, RTZ_HK_ATOMIC_BOOL,
    RTZ_HK_ATOMIC_FLAG, RTZ_HK_ONCE, RTZ_HK_SOCKET, RTZ_HK_VK_DEVICE,
    RTZ_HK_VK_BUFFER, RTZ_HK_VK_PIPELINE, RTZ_HK_VK_LAYOUT, RTZ_HK_VK_POOL, RTZ_HK_VK_SET,
    RTZ_NHK
};

typedef struct rtz {
    const uint8_t *data;
    size_t size, pos;
    RtValue vals[RTZ_MAX_VALS];     /* heap values this input owns */
    size_t nvals;
    RtValue stale[RTZ_MAX_STALE];   /* words of values that were freed */
    size_t nstale;
    uint64_t handles[RTZ_NHK][RTZ_MAX_HANDLES];
    size_t nhandles[RTZ_NHK];
    uint64_t dead_handles[RTZ_NHK][8];   /* released handles, for stale use */
    size_t ndead[RTZ_NHK];
    unsigned scratch_used;
    _Alignas(16) uint8_t scratch[RTZ_SCRATCH];
} rtz;

typedef struct rtz_op {
    const char *name;
    void (*fn)(rtz *z);
} rtz_op;
#define RTZ_OP(f) {#f, rtz_call_##f}

/* ---- input stream ---- */
int rtz_more(const rtz *z);           /* bytes left? */
uint8_t rtz_u8(rtz *z);               /* 0 when the input is exhausted */
uint32_t rtz_u32(rtz *z);
uint64_t rtz_u64(rtz *z);

/* ---- scalar kinds ---- */
int64_t rtz_i64(rtz *z);              /* edge values and random */
uint64_t rtz_u64k(rtz *z);
int32_t rtz_i32(rtz *z);
uint32_t rtz_u32k(rtz *z);
uint8_t rtz_u8k(rtz *z);
bool rtz_bool(rtz *z);
double rtz_f64(rtz *z);
int64_t rtz_index(rtz *z);            /* small, negative, just out of range, huge */
uint64_t rtz_count(rtz *z);           /* small, sometimes 0, sometimes huge */
uint64_t rtz_size(rtz *z);            /* bytes: small, 0 or huge */
int64_t rtz_ms(rtz *z);               /* <= 5 ms, sometimes <= 0 */
int64_t rtz_ns(rtz *z);               /* <= 5 ms in ns, sometimes <= 0 */
int64_t rtz_mode(rtz *z);             /* -2 .. 100 */

/* ---- values ---- */
RtValue rtz_rv(rtz *z);               /* any value, hostile included */
RtValue rtz_rv_of(rtz *z, int heap_type);   /* mostly a live value of the type */
RtValue rtz_rv_int(rtz *z);
RtValue rtz_rv_float(rtz *z);
RtValue rtz_rv_bool(rtz *z);
/* Take ownership of a value a function returned (no-op for immediates,
 * unregistered words and values already owned). */
void rtz_adopt(rtz *z, RtValue v);

/* ---- memory kinds ---- */
const uint8_t *rtz_buf_in(rtz *z, uint64_t *len);   /* sometimes NULL */
uint8_t *rtz_buf_out(rtz *z, uint64_t *len);        /* sometimes NULL */
const char *rtz_cstr(rtz *z);                       /* sometimes NULL */
const RtValue *rtz_rv_ptr(rtz *z, uint64_t *len);
int64_t *rtz_word_i64(rtz *z);
uint32_t *rtz_word_u32(rtz *z);
int32_t *rtz_word_i32(rtz *z);
int64_t *rtz_out_i64(rtz *z);                       /* sometimes NULL */
int32_t *rtz_out_i32(rtz *z);

/* ---- handles ---- */
uint64_t rtz_handle(rtz *z, int kind);   /* live, released, other kind, 0, random */
void rtz_adopt_handle(rtz *z, int kind, uint64_t h);
/* Forget h (the function under test released it); keep it as a stale one. */
void rtz_drop_handle(rtz *z, int kind, uint64_t h);
/* How the end of an input releases the handles of a kind it still owns. */
void rtz_set_release(int kind, void (*release)(uint64_t h));

/* ---- callbacks (fn_<sig> kinds) ---- */
RtFn1 rtz_fn_rv_rv(rtz *z);          /* sometimes NULL */
RtFn2 rtz_fn_rv_rv_rv(rtz *z);
RtKernelFn rtz_fn_kernel(rtz *z);

/* ---- the sequence interpreter ---- */
void rtz_begin(rtz *z, const uint8_t *data, size_t size);
void rtz_end(rtz *z);   /* frees every owned value, releases every owned handle */
int rtz_run_ops(const uint8_t *data, size_t size, const rtz_op *ops, size_t nops,
                void (*check)(rtz *z));

/* An abort() with a message, for targets' own oracles. */
#define RTZ_CHECK(cond)                                                                    \
    do {                                                                                   \
        if (!(cond))                                                                       \
            rtz_fail(__FILE__, __LINE__, #cond);                                           \
    } while (0)
void rtz_fail(const char *file, int line, const char *what) __attribute__((noreturn));

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* check (may be NULL) runs after every operation: a target's invariants. */
#define RTZ_SEQUENCE_TARGET(ops, check)                                                    \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)                          \
    {                                                                                      \
        return rtz_run_ops(data, size, (ops), sizeof(ops) / sizeof((ops)[0]), (check));   \
    }

#endif /* RTZ_H */
