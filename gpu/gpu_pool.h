/*
 * gpu/gpu_pool.h — where emulated work-groups run in parallel.
 *
 * The kernel emulation (gpu/launch.c) needs one thing from a thread pool:
 * "run this body on up to `width` threads at once, the calling thread
 * being one of them, and return when every started call has returned".
 * The body claims work itself (the launch's next work-group from an atomic
 * counter), so the pool never sees groups, and a call that starts late,
 * after the work is gone, returns at once.
 *
 * Today this is a small pool of pthreads owned by gpu/ (gpu_pool.c): the
 * runtime's executor (issue: executor family, branch conc) was not on main
 * when the emulation was written. Moving the work-groups onto the executor
 * is a change to gpu_pool.c only: implement these two functions with the
 * executor's internal submit/help-while-waiting API; nothing else in gpu/
 * knows how the bodies are scheduled.
 *
 * Because the caller runs the body too, a launch always makes progress
 * even when every pool thread is busy (for instance with the groups of an
 * outer launch whose kernel launched again): nested launches cannot
 * deadlock the pool.
 */
#ifndef RTX_GPU_POOL_H
#define RTX_GPU_POOL_H

typedef void (*rtx_gpu_pool_body)(void *ctx);

/* Run body(ctx) on the caller and on up to width-1 pool threads; return
 * when all calls that started have returned. width 0 or 1: the caller only. */
void rtx_gpu_pool_run(unsigned width, rtx_gpu_pool_body body, void *ctx);

/* How many threads can run bodies at once (pool threads + the caller). */
unsigned rtx_gpu_pool_width(void);

#endif /* RTX_GPU_POOL_H */
