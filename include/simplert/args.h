/*
 * simplert/args.h — the program's arguments, stored process-wide.
 * Contract: spec/ffi/args.sdn.
 *
 * Error convention: nothing fails. Bad argv entries (NULL, not UTF-8) are
 * skipped, a NULL argv or non-positive argc stores an empty list, and an
 * argc above 2^20 is refused. rt_get_args returns a NEW array of NEW
 * strings: the caller frees every element and then the array with rt_free
 * (rt_free is shallow); it returns NIL only when memory runs out.
 */
#ifndef SIMPLERT_ARGS_H
#define SIMPLERT_ARGS_H

#include "simplert/core.h"

#ifdef __cplusplus
extern "C" {
#endif

RT_API void rt_set_args(int64_t argc, const char *const *argv);
RT_API RtValue rt_get_args(void);
RT_API int64_t rt_get_argc(void);
RT_API void rt_clear_args(void);

#ifdef __cplusplus
}
#endif
#endif /* SIMPLERT_ARGS_H */
