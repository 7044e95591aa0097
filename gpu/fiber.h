/*
 * gpu/fiber.h — user-level contexts for the work-items of a work-group
 * that meets at barriers (gpu/launch.c). No FFI row lives here.
 *
 * A fiber is a saved context (a stack pointer on x86-64, a ucontext
 * elsewhere) with its own mmap'ed stack (a guard page below it). A scheduler (one per thread that runs work-groups) starts fibers and
 * switches to them; a fiber runs until it yields back or its function
 * returns. Every switch is announced to the tools that track stacks:
 *   ASan   __sanitizer_start_switch_fiber / __sanitizer_finish_switch_fiber
 *          (with the fake-stack handshake, so detect_stack_use_after_return
 *          keeps working);
 *   TSan   __tsan_create_fiber / __tsan_switch_to_fiber (which also gives
 *          the happens-before a barrier implies);
 *   Valgrind VALGRIND_STACK_REGISTER for every stack.
 * Without those builds the annotations compile to nothing.
 */
#ifndef RTX_GPU_FIBER_H
#define RTX_GPU_FIBER_H

#include <stddef.h>
#if !defined(__x86_64__)
#include <ucontext.h>
#endif

#define RTX_GPU_FIBER_STACK (256u << 10)   /* usable bytes per fiber stack */

typedef struct rtx_gpu_sched rtx_gpu_sched;
typedef struct rtx_gpu_fiber rtx_gpu_fiber;
typedef void (*rtx_gpu_fiber_fn)(rtx_gpu_fiber *f, void *arg);

#if defined(__x86_64__)
typedef struct rtx_gpu_ctx {
    void *sp;   /* where rtx_gpu_ctx_swap left the registers */
} rtx_gpu_ctx;
#else
typedef ucontext_t rtx_gpu_ctx;
#endif

struct rtx_gpu_fiber {
    rtx_gpu_ctx ctx;
    rtx_gpu_sched *sched;
    unsigned char *map;      /* the mapping: guard page + stack */
    size_t map_size;
    unsigned vg_id;          /* Valgrind's stack id */
    void *tsan;              /* TSan's fiber */
    void *fake_stack;        /* ASan's saved fake stack while switched away */
    rtx_gpu_fiber_fn fn;
    void *arg;
    int running;             /* started and not yet returned */
};

/* The thread's side of the switches. */
struct rtx_gpu_sched {
    rtx_gpu_ctx ctx;
    void *tsan;              /* TSan's fiber of the thread */
    const void *stack_lo;    /* ASan: the thread's stack, learnt at the first switch */
    size_t stack_size;
};

/* Prepare the calling thread to run fibers. */
void rtx_gpu_sched_init(rtx_gpu_sched *s);

/* Map a stack for f: 0, or -1 when memory is short. */
int rtx_gpu_fiber_create(rtx_gpu_fiber *f, rtx_gpu_sched *s);
void rtx_gpu_fiber_destroy(rtx_gpu_fiber *f);

/* Arrange for the next rtx_gpu_fiber_resume to call fn(f, arg) from the
 * top of f's stack (f must not be running). */
void rtx_gpu_fiber_start(rtx_gpu_fiber *f, rtx_gpu_fiber_fn fn, void *arg);

/* Scheduler: run f until it yields or returns. */
void rtx_gpu_fiber_resume(rtx_gpu_fiber *f);

/* Inside f: give the thread back to the scheduler until resumed. */
void rtx_gpu_fiber_yield(rtx_gpu_fiber *f);

#endif /* RTX_GPU_FIBER_H */
