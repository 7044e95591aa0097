/*
 * simplert/barrier.h — reusable thread barriers (type 0x14) electing exactly one
 * leader per round.
 * Contract: spec/ffi/barrier.sdn.
 */
#ifndef SIMPLERT_BARRIER_H
#define SIMPLERT_BARRIER_H

#include "simplert/core.h"

#ifdef __cplusplus
extern "C" {
#endif

RT_API RtValue rt_barrier_new(int64_t thread_count);
RT_API int64_t rt_barrier_wait(RtValue barrier);
RT_API int64_t rt_barrier_thread_count(RtValue barrier);
RT_API void rt_barrier_free(RtValue barrier);

#ifdef __cplusplus
}
#endif
#endif /* SIMPLERT_BARRIER_H */
