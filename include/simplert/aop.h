/*
 * simplert/aop.h — around advice: a target function wrapped in a chain of
 * advices, each of which continues the chain with rt_aop_proceed exactly
 * once. Contract: spec/ffi/aop.sdn.
 *
 * Error convention: misuse is reported, never fatal. Bad arguments, an
 * advice that does not proceed exactly once, and a NULL, stale or foreign
 * context make the affected call return NIL and write one line starting
 * "AOP error:" to stderr (or to this thread's stderr capture).
 */
#ifndef SIMPLERT_AOP_H
#define SIMPLERT_AOP_H

#include "simplert/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Opaque: valid only while the advice it was given to runs, on its thread. */
typedef struct RtProceedContext RtProceedContext;
typedef RtValue (*RtAopTarget)(uint64_t argc, const RtValue *argv);
typedef RtValue (*RtAopAdvice)(RtProceedContext *ctx, uint64_t argc, const RtValue *argv);

RT_API RtValue rt_aop_invoke_around(RtAopTarget target, const RtAopAdvice *advices, uint64_t advice_len, uint64_t argc, const RtValue *argv);
RT_API RtValue rt_aop_proceed(RtProceedContext *ctx);

#ifdef __cplusplus
}
#endif
#endif /* SIMPLERT_AOP_H */
