/*
 * simplert/future.h — lazy futures run by the executor, the async
 * state-machine helpers, and stackless generators with frame slots.
 * Contract: spec/ffi/future.sdn.
 *
 * A future's body runs once, through the executor, at its first await;
 * every await (from any number of threads) returns the same result. A
 * non-future, non-generator, freed or raw-word argument gets the row's
 * default (NIL, 0 or no effect). Bodies and dispatchers are RtFn1 code
 * pointers; NULL means "no code" (awaiting or resuming gives NIL).
 */
#ifndef SIMPLERT_FUTURE_H
#define SIMPLERT_FUTURE_H

#include "simplert/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Generators refuse more frame slots than this. */
#define RT_GENERATOR_MAX_SLOTS 65536

RT_API RtValue rt_future_new(RtFn1 body, RtValue ctx);
RT_API RtValue rt_future_await(RtValue future);
RT_API int64_t rt_future_is_ready(RtValue future);
RT_API RtValue rt_future_get_result(RtValue future);
RT_API RtValue rt_future_all(RtValue futures);
RT_API RtValue rt_future_race(RtValue futures);
RT_API RtValue rt_future_resolve(RtValue value);
RT_API RtValue rt_future_reject(RtValue error);
RT_API int64_t rt_async_get_state(RtValue future);
RT_API void rt_async_set_state(RtValue future, int64_t state);
RT_API RtValue rt_async_get_ctx(RtValue future);
RT_API void rt_async_mark_done(RtValue future);

RT_API RtValue rt_generator_new(RtFn1 dispatcher, int64_t slots, RtValue ctx);
RT_API RtValue rt_generator_next(RtValue generator);
RT_API int64_t rt_generator_get_state(RtValue generator);
RT_API void rt_generator_set_state(RtValue generator, int64_t state);
RT_API void rt_generator_store_slot(RtValue generator, int64_t index, RtValue value);
RT_API RtValue rt_generator_load_slot(RtValue generator, int64_t index);
RT_API RtValue rt_generator_get_ctx(RtValue generator);
RT_API void rt_generator_mark_done(RtValue generator);

#ifdef __cplusplus
}
#endif
#endif /* SIMPLERT_FUTURE_H */
