/*
 * simplert/async_file.h — background memory-mapped file loading behind
 * integer handles. States: 0 Pending, 1 Loading, 2 Ready, 3 Failed.
 * Contract: spec/ffi/async_file.sdn.
 */
#ifndef SIMPLERT_ASYNC_FILE_H
#define SIMPLERT_ASYNC_FILE_H

#include "simplert/core.h"

#ifdef __cplusplus
extern "C" {
#endif

RT_API int64_t native_async_file_create(RtValue path, int32_t mode, int32_t prefault);
RT_API void native_async_file_start_loading(int64_t handle);
RT_API int64_t native_async_file_is_ready(int64_t handle);
RT_API int64_t native_async_file_get_state(int64_t handle);
RT_API RtValue native_async_file_wait(int64_t handle);
RT_API int64_t native_async_file_close(int64_t handle);

#ifdef __cplusplus
}
#endif
#endif /* SIMPLERT_ASYNC_FILE_H */
