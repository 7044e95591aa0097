/*
 * simplert/mutex.h — mutexes protecting one RtValue (type 0x11); lock holds the
 * lock for the calling thread until unlock. Misuse is refused, not fatal.
 * Contract: spec/ffi/mutex.sdn.
 */
#ifndef SIMPLERT_MUTEX_H
#define SIMPLERT_MUTEX_H

#include "simplert/core.h"

#ifdef __cplusplus
extern "C" {
#endif

RT_API RtValue rt_mutex_new(RtValue value);
RT_API RtValue rt_mutex_lock(RtValue mutex);
RT_API RtValue rt_mutex_try_lock(RtValue mutex);
RT_API int64_t rt_mutex_unlock(RtValue mutex, RtValue new_value);
RT_API int64_t rt_mutex_id(RtValue mutex);
RT_API void rt_mutex_free(RtValue mutex);

#ifdef __cplusplus
}
#endif
#endif /* SIMPLERT_MUTEX_H */
