/*
 * runtime/fiber.h — user-level contexts for the work-items of a kernel
 * work-group that meets at barriers (runtime/kernel.c). No FFI row lives
 * here.
 *
 * A fiber is a saved context (a stack pointer on x86-64, a ucontext
 * elsewhere) with its own mmap'ed stack (a guard page below it). It is
 * made once and then runs jobs: rtx_fiber_start gives it a function, and
 * the fiber runs it on its next resume until the function yields or
 * returns; after a return the fiber waits for its next job, so one stack
 * and one set of tool contexts serve many work-items. A scheduler
 * (rtx_fiber_sched) is the context that resumes fibers: the one that
 * called rtx_fiber_start, on the thread that owns the fiber.
 *
 * Every switch is announced to the tools that track stacks:
 *   ASan   __sanitizer_start_switch_fiber / __sanitizer_finish_switch_fiber
 *          (with the fake-stack handshake, so detect_stack_use_after_return
 *          keeps working);
 *   TSan   __tsan_create_fiber / __tsan_switch_to_fiber (which also gives
 *          the happens-before a barrier implies);
 *   Valgrind VALGRIND_STACK_REGISTER for every stack.
 * Without those builds the annotations compile to nothing.
 *
 * A fiber belongs to the thread that created it: it is only ever resumed
 * there (the kernel engine keeps idle fibers in a per-thread cache).
 */
#ifndef RTX_FIBER_H
#define RTX_FIBER_H

#include <stddef.h>
#include <stdint.h>
#if !defined(__x86_64__)
#include <fenv.h>
#include <ucontext.h>
#endif

#define RTX_FIBER_STACK (256u << 10)   /* usable bytes per fiber stack */

typedef struct rtx_fiber_sched rtx_fiber_sched;
typedef struct rtx_fiber rtx_fiber;
typedef void (*rtx_fiber_fn)(void *arg);

#if defined(__x86_64__)
typedef struct rtx_fiber_ctx {
    void *sp;   /* where rtx_fiber_ctx_swap left the registers */
} rtx_fiber_ctx;
#else
typedef ucontext_t rtx_fiber_ctx;
#endif

struct rtx_fiber {
    rtx_fiber_ctx ctx;
    rtx_fiber_sched *sched;  /* who resumes it for the current job */
    unsigned char *map;      /* the mapping: guard page + stack */
    size_t map_size;
    unsigned char *stack;    /* the usable part, above the guard page */
    size_t stack_size;
    unsigned vg_id;          /* Valgrind's stack id */
    void *tsan;              /* TSan's fiber */
    void *fake_stack;        /* ASan's saved fake stack while switched away */
    rtx_fiber_fn fn;         /* the job; NULL tells an idle fiber to end */
    void *arg;
#if defined(__x86_64__)
    uint64_t fpctl;          /* the starter's MXCSR and x87 control word */
#else
    fenv_t fpenv;            /* the starter's floating-point environment */
#endif
    int entered;             /* its stack runs the job loop (first resume done) */
    int running;             /* a job started and not yet returned */
};

/* The resuming side of the switches. */
struct rtx_fiber_sched {
    rtx_fiber_ctx ctx;
    void *tsan;              /* TSan's fiber of the resuming context */
    const void *stack_lo;    /* ASan: the resuming stack, learnt at a switch */
    size_t stack_size;
};

/* Prepare the calling context to resume fibers. */
void rtx_fiber_sched_init(rtx_fiber_sched *s);

/* Map a stack for f: 0, or -1 when memory is short. */
int rtx_fiber_create(rtx_fiber *f);
/* End f (it must not be running a job) and unmap its stack. */
void rtx_fiber_destroy(rtx_fiber *f);

/* Give f (idle, on this thread) the job fn(arg), resumed by s. The job
 * starts with the caller's floating-point control state (rounding,
 * flush-to-zero), as a plain call from here would. */
void rtx_fiber_start(rtx_fiber *f, rtx_fiber_sched *s, rtx_fiber_fn fn, void *arg);

/* Scheduler: run f's job until it yields or returns (f->running is then
 * 0). */
void rtx_fiber_resume(rtx_fiber *f);

/* Inside f's job: give the thread back to the scheduler until resumed. */
void rtx_fiber_yield(rtx_fiber *f);

#ifdef RTX_TESTING
/* Make the next n rtx_fiber_create calls fail (0: none), as a refused
 * mmap would. */
void rtx_fiber_fail_next(int n);
#endif

#endif /* RTX_FIBER_H */
