/*
 * simplert/executor.h — the process-wide executor that runs future bodies.
 * Contract: spec/ffi/executor.sdn.
 *
 * Threaded mode (0, the default) runs tasks on a pool of worker threads
 * (4 unless rt_executor_set_workers says otherwise before start); Manual
 * mode (1) queues them until a thread polls. Mode and worker count can be
 * changed only before the executor starts; shutdown drains pending work and
 * is final. Out-of-range arguments are refused without effect.
 */
#ifndef SIMPLERT_EXECUTOR_H
#define SIMPLERT_EXECUTOR_H

#include "simplert/core.h"

#ifdef __cplusplus
extern "C" {
#endif

RT_API int64_t rt_executor_set_mode(int64_t mode);
RT_API int64_t rt_executor_get_mode(void);
RT_API void rt_executor_start(void);
RT_API void rt_executor_set_workers(int64_t n);
RT_API int64_t rt_executor_poll(void);
RT_API int64_t rt_executor_poll_all(void);
RT_API int64_t rt_executor_pending_count(void);
RT_API void rt_executor_shutdown(void);
RT_API int64_t rt_executor_is_manual(void);

#ifdef __cplusplus
}
#endif
#endif /* SIMPLERT_EXECUTOR_H */
