/*
 * simplert/thread.h — isolated OS threads that run fn(data) and hand back
 * the result on join. Contract: spec/ffi/thread.sdn.
 *
 * fn is a code pointer (the Rust runtime's convention), not a closure
 * object. Handles are generation-tagged table entries: an unknown, freed,
 * already-joined or zero handle gets the documented default and is never
 * dereferenced; spawn returns 0 when fn is NULL or no thread can be made.
 */
#ifndef SIMPLERT_THREAD_H
#define SIMPLERT_THREAD_H

#include "simplert/core.h"

#ifdef __cplusplus
extern "C" {
#endif

RT_API uint64_t rt_thread_spawn_isolated(RtFn1 fn, RtValue data);
RT_API uint64_t rt_thread_spawn_isolated2(RtFn2 fn, RtValue d1, RtValue d2);
RT_API uint64_t rt_thread_spawn_isolated_with_args(RtFn2 fn, RtValue d1, RtValue d2);
RT_API RtValue rt_thread_join(uint64_t handle);
RT_API int64_t rt_thread_is_done(uint64_t handle);
RT_API int64_t rt_thread_id(uint64_t handle);
RT_API void rt_thread_free(uint64_t handle);
RT_API int64_t rt_thread_available_parallelism(void);
RT_API void rt_thread_sleep(int64_t ms);
RT_API void rt_thread_yield(void);

#ifdef __cplusplus
}
#endif
#endif /* SIMPLERT_THREAD_H */
