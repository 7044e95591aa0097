/*
 * gpu/atomic.c — rt_gpu_atomic_* (spec/ffi/gpu_atomic.sdn): every typed
 * i64 and u32 form, and the untyped forms upstream only declared in its
 * SPEC table, which operate on an int64_t word.
 *
 * All operations are sequentially consistent and return the old value.
 * Arithmetic is done on the unsigned type, so add and sub wrap modulo 2^n
 * (never signed-overflow UB); min and max are compare-exchange loops
 * because C11 has no fetch_min. The only checks possible on a raw address
 * are NULL and alignment: either returns 0 and touches nothing.
 */
#include "gpu/gpu_atomic.h"

#include <stdint.h>

#include "simplert/gpu_atomic.h"

#define SEQ __ATOMIC_SEQ_CST

static inline int bad64(const void *p) { return p == NULL || ((uintptr_t)p & 7u) != 0; }
static inline int bad32(const void *p) { return p == NULL || ((uintptr_t)p & 3u) != 0; }

/* Replace *p with f(*p, v) when `better` says v wins; returns the old word. */
#define MINMAX_LOOP(T, p, v, better)                                                       \
    do {                                                                                   \
        T cur_ = __atomic_load_n((p), SEQ);                                                \
        while (better((v), cur_) &&                                                        \
               !__atomic_compare_exchange_n((p), &cur_, (v), 0, SEQ, SEQ)) {               \
        }                                                                                  \
        return cur_;                                                                       \
    } while (0)
#define LESS(a, b) ((a) < (b))
#define GREATER(a, b) ((a) > (b))

/* ---- int64_t ---- */

int64_t rt_gpu_atomic_add_i64(int64_t *ptr, int64_t value)
{
    if (bad64(ptr))
        return 0;
    return (int64_t)__atomic_fetch_add((uint64_t *)ptr, (uint64_t)value, SEQ);
}

int64_t rt_gpu_atomic_sub_i64(int64_t *ptr, int64_t value)
{
    if (bad64(ptr))
        return 0;
    return (int64_t)__atomic_fetch_sub((uint64_t *)ptr, (uint64_t)value, SEQ);
}

int64_t rt_gpu_atomic_xchg_i64(int64_t *ptr, int64_t value)
{
    if (bad64(ptr))
        return 0;
    return __atomic_exchange_n(ptr, value, SEQ);
}

int64_t rt_gpu_atomic_min_i64(int64_t *ptr, int64_t value)
{
    if (bad64(ptr))
        return 0;
    MINMAX_LOOP(int64_t, ptr, value, LESS);
}

int64_t rt_gpu_atomic_max_i64(int64_t *ptr, int64_t value)
{
    if (bad64(ptr))
        return 0;
    MINMAX_LOOP(int64_t, ptr, value, GREATER);
}

int64_t rt_gpu_atomic_and_i64(int64_t *ptr, int64_t value)
{
    if (bad64(ptr))
        return 0;
    return (int64_t)__atomic_fetch_and((uint64_t *)ptr, (uint64_t)value, SEQ);
}

int64_t rt_gpu_atomic_or_i64(int64_t *ptr, int64_t value)
{
    if (bad64(ptr))
        return 0;
    return (int64_t)__atomic_fetch_or((uint64_t *)ptr, (uint64_t)value, SEQ);
}

int64_t rt_gpu_atomic_xor_i64(int64_t *ptr, int64_t value)
{
    if (bad64(ptr))
        return 0;
    return (int64_t)__atomic_fetch_xor((uint64_t *)ptr, (uint64_t)value, SEQ);
}

int64_t rt_gpu_atomic_cmpxchg_i64(int64_t *ptr, int64_t expected, int64_t desired)
{
    if (bad64(ptr))
        return 0;
    /* On failure the builtin writes the current value into `expected`;
     * on success `expected` already is the old value. */
    __atomic_compare_exchange_n(ptr, &expected, desired, 0, SEQ, SEQ);
    return expected;
}

/* ---- uint32_t ---- */

uint32_t rt_gpu_atomic_add_u32(uint32_t *ptr, uint32_t value)
{
    if (bad32(ptr))
        return 0;
    return __atomic_fetch_add(ptr, value, SEQ);
}

uint32_t rt_gpu_atomic_sub_u32(uint32_t *ptr, uint32_t value)
{
    if (bad32(ptr))
        return 0;
    return __atomic_fetch_sub(ptr, value, SEQ);
}

uint32_t rt_gpu_atomic_xchg_u32(uint32_t *ptr, uint32_t value)
{
    if (bad32(ptr))
        return 0;
    return __atomic_exchange_n(ptr, value, SEQ);
}

uint32_t rt_gpu_atomic_min_u32(uint32_t *ptr, uint32_t value)
{
    if (bad32(ptr))
        return 0;
    MINMAX_LOOP(uint32_t, ptr, value, LESS);
}

uint32_t rt_gpu_atomic_max_u32(uint32_t *ptr, uint32_t value)
{
    if (bad32(ptr))
        return 0;
    MINMAX_LOOP(uint32_t, ptr, value, GREATER);
}

uint32_t rt_gpu_atomic_and_u32(uint32_t *ptr, uint32_t value)
{
    if (bad32(ptr))
        return 0;
    return __atomic_fetch_and(ptr, value, SEQ);
}

uint32_t rt_gpu_atomic_or_u32(uint32_t *ptr, uint32_t value)
{
    if (bad32(ptr))
        return 0;
    return __atomic_fetch_or(ptr, value, SEQ);
}

uint32_t rt_gpu_atomic_xor_u32(uint32_t *ptr, uint32_t value)
{
    if (bad32(ptr))
        return 0;
    return __atomic_fetch_xor(ptr, value, SEQ);
}

uint32_t rt_gpu_atomic_cmpxchg_u32(uint32_t *ptr, uint32_t expected, uint32_t desired)
{
    if (bad32(ptr))
        return 0;
    __atomic_compare_exchange_n(ptr, &expected, desired, 0, SEQ, SEQ);
    return expected;
}

/* ---- untyped (SPEC [I,I] -> [I]): an int64_t word, as the _i64 forms ---- */

int64_t rt_gpu_atomic_add(int64_t *ptr, int64_t value) { return rt_gpu_atomic_add_i64(ptr, value); }
int64_t rt_gpu_atomic_sub(int64_t *ptr, int64_t value) { return rt_gpu_atomic_sub_i64(ptr, value); }
int64_t rt_gpu_atomic_min(int64_t *ptr, int64_t value) { return rt_gpu_atomic_min_i64(ptr, value); }
int64_t rt_gpu_atomic_max(int64_t *ptr, int64_t value) { return rt_gpu_atomic_max_i64(ptr, value); }
int64_t rt_gpu_atomic_and(int64_t *ptr, int64_t value) { return rt_gpu_atomic_and_i64(ptr, value); }
int64_t rt_gpu_atomic_or(int64_t *ptr, int64_t value) { return rt_gpu_atomic_or_i64(ptr, value); }
int64_t rt_gpu_atomic_xor(int64_t *ptr, int64_t value) { return rt_gpu_atomic_xor_i64(ptr, value); }

int64_t rt_gpu_atomic_exchange(int64_t *ptr, int64_t value)
{
    return rt_gpu_atomic_xchg_i64(ptr, value);
}

int64_t rt_gpu_atomic_cmpxchg(int64_t *ptr, int64_t expected, int64_t desired)
{
    return rt_gpu_atomic_cmpxchg_i64(ptr, expected, desired);
}

/* ---- internal: signed 32-bit min/max (see gpu/gpu_atomic.h) ---- */

int32_t rtx_gpu_atomic_min_i32(int32_t *ptr, int32_t value)
{
    if (bad32(ptr))
        return 0;
    MINMAX_LOOP(int32_t, ptr, value, LESS);
}

int32_t rtx_gpu_atomic_max_i32(int32_t *ptr, int32_t value)
{
    if (bad32(ptr))
        return 0;
    MINMAX_LOOP(int32_t, ptr, value, GREATER);
}
