/*
 * simplert/par.h — parallel map/filter/reduce/for_each over arrays, and the
 * CPU kernel model (work-item ids, group barrier, shared memory, launch,
 * i64 atomics). Contract: spec/ffi/par.sdn.
 *
 * Iterators take a closure object (heap type 0x06) and call its code as
 * f(closure, element) (reduce: f(closure, acc, element)); results keep
 * index order. Launches return 0, or -7 for a NULL kernel or a launch over
 * the limits. Atomics refuse NULL and misaligned pointers (return 0).
 */
#ifndef SIMPLERT_PAR_H
#define SIMPLERT_PAR_H

#include "simplert/core.h"

#ifdef __cplusplus
extern "C" {
#endif

RT_API RtValue rt_par_map(RtValue input, int64_t len, RtValue closure, int32_t backend);
RT_API RtValue rt_par_filter(RtValue input, int64_t len, RtValue predicate, int32_t backend);
RT_API RtValue rt_par_reduce(RtValue input, int64_t len, RtValue initial, RtValue closure, int32_t backend);
RT_API void rt_par_for_each(RtValue input, int64_t len, RtValue closure, int32_t backend);

RT_API int64_t rt_par_global_id(uint32_t dim);
RT_API int64_t rt_par_local_id(uint32_t dim);
RT_API int64_t rt_par_group_id(uint32_t dim);
RT_API int64_t rt_par_global_size(uint32_t dim);
RT_API int64_t rt_par_local_size(uint32_t dim);
RT_API int64_t rt_par_num_groups(uint32_t dim);
RT_API void rt_par_barrier(void);
RT_API void rt_par_mem_fence(uint32_t scope);
RT_API void *rt_par_shared_alloc(uint64_t size, uint64_t align);
RT_API void rt_par_shared_reset(void);
RT_API int64_t rt_par_launch_1d(RtKernelFn kernel, int64_t global_size, int64_t local_size);
RT_API int64_t rt_par_launch(RtKernelFn kernel, int64_t gx, int64_t gy, int64_t gz, int64_t lx, int64_t ly, int64_t lz);
RT_API int64_t rt_par_atomic_add_i64(int64_t *ptr, int64_t value);
RT_API int64_t rt_par_atomic_sub_i64(int64_t *ptr, int64_t value);
RT_API int64_t rt_par_atomic_xchg_i64(int64_t *ptr, int64_t value);
RT_API int64_t rt_par_atomic_cmpxchg_i64(int64_t *ptr, int64_t expected, int64_t desired);
RT_API int64_t rt_par_atomic_min_i64(int64_t *ptr, int64_t value);
RT_API int64_t rt_par_atomic_max_i64(int64_t *ptr, int64_t value);

#ifdef __cplusplus
}
#endif
#endif /* SIMPLERT_PAR_H */
