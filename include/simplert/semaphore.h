/*
 * simplert/semaphore.h — counting semaphores (type 0x13); timeouts in
 * milliseconds on the monotonic clock.
 * Contract: spec/ffi/semaphore.sdn.
 */
#ifndef SIMPLERT_SEMAPHORE_H
#define SIMPLERT_SEMAPHORE_H

#include "simplert/core.h"

#ifdef __cplusplus
extern "C" {
#endif

RT_API RtValue rt_semaphore_new(int64_t initial);
RT_API int64_t rt_semaphore_acquire(RtValue semaphore);
RT_API int64_t rt_semaphore_try_acquire(RtValue semaphore);
RT_API int64_t rt_semaphore_acquire_timeout(RtValue semaphore, int64_t timeout_ms);
RT_API int64_t rt_semaphore_release(RtValue semaphore);
RT_API int64_t rt_semaphore_count(RtValue semaphore);
RT_API void rt_semaphore_free(RtValue semaphore);

#ifdef __cplusplus
}
#endif
#endif /* SIMPLERT_SEMAPHORE_H */
