/*
 * runtime/args.h — test hooks of the args family (spec/ffi/args.sdn).
 */
#ifndef RTX_ARGS_H
#define RTX_ARGS_H

#ifdef RTX_TESTING
/* Forget the argc/argv captured at load time, so the next auto-
 * initialisation reads /proc/self/cmdline (the fallback path). */
void rtx_args_forget_startup(void);
#endif

#endif /* RTX_ARGS_H */
