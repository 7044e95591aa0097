/*
 * simplert/interp.h — the interpreter bridge: compiled code calls back into
 * an embedding interpreter by function name or stored-expression index.
 * Contract: spec/ffi/interp.sdn.
 *
 * Error convention: with no handler installed (or after installing NULL)
 * both calls return NIL; inconsistent pointer/length arguments make
 * rt_interp_call return NIL without calling the handler.
 */
#ifndef SIMPLERT_INTERP_H
#define SIMPLERT_INTERP_H

#include "simplert/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Handlers the host installs; they may be called from any thread. */
typedef RtValue (*RtInterpCallFn)(const uint8_t *name, uint64_t name_len, uint64_t argc, const RtValue *argv);
typedef RtValue (*RtInterpEvalFn)(int64_t expr_index);

RT_API RtValue rt_interp_call(const uint8_t *name, uint64_t name_len, uint64_t argc, const RtValue *argv);
RT_API RtValue rt_interp_eval(int64_t expr_index);
RT_API void rt_set_interp_call_handler(RtInterpCallFn handler);
RT_API void rt_set_interp_eval_handler(RtInterpEvalFn handler);

#ifdef __cplusplus
}
#endif
#endif /* SIMPLERT_INTERP_H */
