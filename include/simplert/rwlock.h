/*
 * simplert/rwlock.h — read-write locks protecting one RtValue (type 0x12); every
 * call takes the lock, copies or stores the value and releases it at once.
 * Contract: spec/ffi/rwlock.sdn.
 */
#ifndef SIMPLERT_RWLOCK_H
#define SIMPLERT_RWLOCK_H

#include "simplert/core.h"

#ifdef __cplusplus
extern "C" {
#endif

RT_API RtValue rt_rwlock_new(RtValue value);
RT_API RtValue rt_rwlock_read(RtValue lock);
RT_API RtValue rt_rwlock_try_read(RtValue lock);
RT_API RtValue rt_rwlock_write(RtValue lock);
RT_API RtValue rt_rwlock_try_write(RtValue lock);
RT_API int64_t rt_rwlock_set(RtValue lock, RtValue new_value);
RT_API void rt_rwlock_unlock_read(RtValue lock);
RT_API void rt_rwlock_unlock_write(RtValue lock);
RT_API void rt_rwlock_free(RtValue lock);

#ifdef __cplusplus
}
#endif
#endif /* SIMPLERT_RWLOCK_H */
