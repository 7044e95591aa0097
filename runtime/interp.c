/*
 * runtime/interp.c — the interpreter bridge.
 *
 * Implements (spec/ffi/interp.sdn): rt_interp_call, rt_interp_eval,
 * rt_set_interp_call_handler, rt_set_interp_eval_handler.
 *
 * Handlers live in sequentially consistent atomic pointers (as upstream's
 * AtomicPtr with SeqCst): installation may race with calls on any thread,
 * and a call in progress finishes with the handler it loaded. NULL means
 * "no handler": the call answers NIL.
 */
#include <stdatomic.h>

#include "simplert/interp.h"

/* Arguments above this are refused (the same bound as aop and args). */
#define ARGC_MAX (UINT64_C(1) << 20)

static _Atomic(RtInterpCallFn) call_handler;
static _Atomic(RtInterpEvalFn) eval_handler;

RT_API RtValue rt_interp_call(const uint8_t *name, uint64_t name_len, uint64_t argc,
                              const RtValue *argv)
{
    /* Refuse pairs that cannot describe readable memory, before any call. */
    if ((argv == NULL && argc > 0) || argc > ARGC_MAX || (name == NULL && name_len > 0))
        return RT_NIL;
    RtInterpCallFn h = atomic_load(&call_handler);
    return h ? h(name, name_len, argc, argv) : RT_NIL;
}

RT_API RtValue rt_interp_eval(int64_t expr_index)
{
    RtInterpEvalFn h = atomic_load(&eval_handler);
    return h ? h(expr_index) : RT_NIL;
}

RT_API void rt_set_interp_call_handler(RtInterpCallFn handler)
{
    atomic_store(&call_handler, handler);
}

RT_API void rt_set_interp_eval_handler(RtInterpEvalFn handler)
{
    atomic_store(&eval_handler, handler);
}
