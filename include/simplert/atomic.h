/*
 * simplert/atomic.h — heap atomics (RtValue, type 0x15), integer-handle atomics
 * (int, bool, flag; sequentially consistent) and once cells. Bad handles
 * and values read as 0 and are never dereferenced.
 * Contract: spec/ffi/atomic.sdn.
 */
#ifndef SIMPLERT_ATOMIC_H
#define SIMPLERT_ATOMIC_H

#include "simplert/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Heap atomics. */
RT_API RtValue rt_atomic_new(int64_t initial);
RT_API int64_t rt_atomic_load(RtValue atomic);
RT_API void rt_atomic_store(RtValue atomic, int64_t value);
RT_API int64_t rt_atomic_swap(RtValue atomic, int64_t value);
RT_API int64_t rt_atomic_compare_exchange(RtValue atomic, int64_t expected, int64_t desired, int64_t *out_old);
RT_API int64_t rt_atomic_fetch_add(RtValue atomic, int64_t value);
RT_API int64_t rt_atomic_fetch_sub(RtValue atomic, int64_t value);
RT_API int64_t rt_atomic_fetch_and(RtValue atomic, int64_t value);
RT_API int64_t rt_atomic_fetch_or(RtValue atomic, int64_t value);
RT_API void rt_atomic_free(RtValue atomic);

/* Integer-handle atomics: bools are 0/1 words (all-I64 fallback). */
RT_API int64_t rt_atomic_int_new(int64_t initial);
RT_API int64_t rt_atomic_int_load(int64_t handle);
RT_API void rt_atomic_int_store(int64_t handle, int64_t value);
RT_API int64_t rt_atomic_int_swap(int64_t handle, int64_t value);
RT_API int64_t rt_atomic_int_compare_exchange(int64_t handle, int64_t current, int64_t desired);
RT_API int64_t rt_atomic_int_fetch_add(int64_t handle, int64_t value);
RT_API int64_t rt_atomic_int_fetch_sub(int64_t handle, int64_t value);
RT_API int64_t rt_atomic_int_fetch_and(int64_t handle, int64_t value);
RT_API int64_t rt_atomic_int_fetch_or(int64_t handle, int64_t value);
RT_API int64_t rt_atomic_int_fetch_xor(int64_t handle, int64_t value);
RT_API void rt_atomic_int_free(int64_t handle);
RT_API int64_t rt_atomic_bool_new(int64_t initial);
RT_API int64_t rt_atomic_bool_load(int64_t handle);
RT_API void rt_atomic_bool_store(int64_t handle, int64_t value);
RT_API int64_t rt_atomic_bool_swap(int64_t handle, int64_t value);
RT_API void rt_atomic_bool_free(int64_t handle);
RT_API int64_t rt_atomic_flag_new(void);
RT_API int64_t rt_atomic_flag_test_and_set(int64_t handle);
RT_API void rt_atomic_flag_clear(int64_t handle);
RT_API void rt_atomic_flag_free(int64_t handle);

/* Once cells: fn runs exactly once per cell; its result is discarded. */
RT_API int64_t rt_once_new(void);
RT_API void rt_once_call(int64_t handle, RtFn0 fn);
RT_API int64_t rt_once_is_completed(int64_t handle);
RT_API void rt_once_free(int64_t handle);

#ifdef __cplusplus
}
#endif
#endif /* SIMPLERT_ATOMIC_H */
