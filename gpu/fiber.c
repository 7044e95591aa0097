/*
 * gpu/fiber.c — fibers for work-items (see gpu/fiber.h). No FFI row lives
 * here.
 *
 * On x86-64 a switch is a few instructions (below): the callee-saved
 * registers, MXCSR and the x87 control word go on the old stack, the stack
 * pointer changes, and the other side's are popped. glibc's swapcontext
 * would also save and restore the signal mask, a system call each way,
 * which made a barrier round of a 64-item group ~100 us; kernels do not
 * change signal masks, so nothing is lost. Other architectures use
 * ucontext (getcontext/makecontext/swapcontext), correct but slower.
 */
#include "gpu/fiber.h"

#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define FIBER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FIBER_ASAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define FIBER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define FIBER_TSAN 1
#endif
#endif

#ifdef FIBER_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#define ASAN_START(save, lo, size) __sanitizer_start_switch_fiber((save), (lo), (size))
#define ASAN_FINISH(save, lo, size) __sanitizer_finish_switch_fiber((save), (lo), (size))
#else
#define ASAN_START(save, lo, size) ((void)(save), (void)(lo), (void)(size))
#define ASAN_FINISH(save, lo, size) ((void)(save), (void)(lo), (void)(size))
#endif

#ifdef FIBER_TSAN
/* The TSan runtime's fiber API (compiler-rt tsan_interface.h; clang 14
 * ships no header for it). */
void *__tsan_get_current_fiber(void);
void *__tsan_create_fiber(unsigned flags);
void __tsan_destroy_fiber(void *fiber);
void __tsan_switch_to_fiber(void *fiber, unsigned flags);
#define TSAN_CURRENT() __tsan_get_current_fiber()
#define TSAN_CREATE() __tsan_create_fiber(0)
#define TSAN_DESTROY(f) __tsan_destroy_fiber(f)
#define TSAN_SWITCH(f) __tsan_switch_to_fiber((f), 0)   /* 0: synchronise */
#else
#define TSAN_CURRENT() NULL
#define TSAN_CREATE() NULL
#define TSAN_DESTROY(f) ((void)(f))
#define TSAN_SWITCH(f) ((void)(f))
#endif

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define FIBER_VALGRIND 1
#endif
#endif

static size_t page_size(void)
{
    long p = sysconf(_SC_PAGESIZE);
    return p > 0 ? (size_t)p : 4096u;
}

/* ---- the context switch ---- */

#if defined(__x86_64__)
/* void rtx_gpu_ctx_swap(void **save_sp, void *load_sp): push rbp, rbx,
 * r12-r15 and an 8-byte slot with MXCSR and the x87 control word (the
 * state the SysV ABI makes callee-saved), store rsp, load the other
 * stack's rsp, pop the same, return into the other side. */
void rtx_gpu_ctx_swap(void **save_sp, void *load_sp);
__asm__(".text\n"
        ".globl rtx_gpu_ctx_swap\n"
        ".hidden rtx_gpu_ctx_swap\n"
        ".type rtx_gpu_ctx_swap,@function\n"
        "rtx_gpu_ctx_swap:\n"
        "    pushq %rbp\n"
        "    pushq %rbx\n"
        "    pushq %r12\n"
        "    pushq %r13\n"
        "    pushq %r14\n"
        "    pushq %r15\n"
        "    subq $8, %rsp\n"
        "    stmxcsr (%rsp)\n"
        "    fnstcw 4(%rsp)\n"
        "    movq %rsp, (%rdi)\n"
        "    movq %rsi, %rsp\n"
        "    ldmxcsr (%rsp)\n"
        "    fldcw 4(%rsp)\n"
        "    addq $8, %rsp\n"
        "    popq %r15\n"
        "    popq %r14\n"
        "    popq %r13\n"
        "    popq %r12\n"
        "    popq %rbx\n"
        "    popq %rbp\n"
        "    ret\n"
        ".size rtx_gpu_ctx_swap, .-rtx_gpu_ctx_swap\n");

/* A fresh stack that rtx_gpu_ctx_swap "returns" into entry from, laid out
 * as the swap leaves a stack: control words, six registers, the address
 * to return to; above it a zero return address for entry itself, so that
 * entry starts with rsp = 8 mod 16, exactly as after a call. */
static void ctx_make(rtx_gpu_ctx *c, unsigned char *lo, size_t size, void (*entry)(void))
{
    uintptr_t top = ((uintptr_t)(lo + size)) & ~(uintptr_t)15;
    uint64_t *sp = (uint64_t *)top;
    uint32_t mxcsr;
    uint16_t fpucw;
    __asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
    __asm__ volatile("fnstcw %0" : "=m"(fpucw));
    *--sp = 0;                            /* entry's return address: none */
    *--sp = (uint64_t)(uintptr_t)entry;   /* where the swap's ret goes */
    for (int i = 0; i < 6; i++)
        *--sp = 0;                        /* rbp, rbx, r12-r15 */
    *--sp = (uint64_t)mxcsr | ((uint64_t)fpucw << 32);
    c->sp = sp;
}

static void ctx_swap(rtx_gpu_ctx *save, rtx_gpu_ctx *load) { rtx_gpu_ctx_swap(&save->sp, load->sp); }
static void ctx_jump(rtx_gpu_ctx *load)
{
    void *dead;
    rtx_gpu_ctx_swap(&dead, load->sp);
}
#else
static void ctx_make(rtx_gpu_ctx *c, unsigned char *lo, size_t size, void (*entry)(void))
{
    getcontext(c);
    c->uc_stack.ss_sp = lo;
    c->uc_stack.ss_size = size;
    c->uc_link = NULL;
    makecontext(c, entry, 0);
}

static void ctx_swap(rtx_gpu_ctx *save, rtx_gpu_ctx *load) { swapcontext(save, load); }
static void ctx_jump(rtx_gpu_ctx *load) { setcontext(load); }
#endif

/* ---- fibers ---- */

void rtx_gpu_sched_init(rtx_gpu_sched *s)
{
    s->tsan = TSAN_CURRENT();
    s->stack_lo = NULL;
    s->stack_size = 0;
}

int rtx_gpu_fiber_create(rtx_gpu_fiber *f, rtx_gpu_sched *s)
{
    size_t guard = page_size();
    f->map_size = guard + RTX_GPU_FIBER_STACK;
    f->map = mmap(NULL, f->map_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (f->map == MAP_FAILED) {
        f->map = NULL;
        return -1;
    }
    /* The guard page turns a stack overflow into a fault, not corruption. */
    mprotect(f->map, guard, PROT_NONE);
    f->sched = s;
    f->running = 0;
    f->fake_stack = NULL;
    f->tsan = TSAN_CREATE();
#ifdef FIBER_VALGRIND
    f->vg_id = VALGRIND_STACK_REGISTER(f->map + guard, f->map + f->map_size);
#else
    f->vg_id = 0;
#endif
    return 0;
}

void rtx_gpu_fiber_destroy(rtx_gpu_fiber *f)
{
    if (f->map == NULL)
        return;
#ifdef FIBER_VALGRIND
    VALGRIND_STACK_DEREGISTER(f->vg_id);
#endif
    TSAN_DESTROY(f->tsan);
    munmap(f->map, f->map_size);
    f->map = NULL;
}

/* The fiber being switched to, for its first instructions: makecontext
 * passes only ints, so the pointer travels in this thread-local. */
static _Thread_local rtx_gpu_fiber *starting;

/* First code on a new fiber: finish the switch, run, switch back for good. */
static void trampoline(void)
{
    rtx_gpu_fiber *f = starting;
    rtx_gpu_sched *s = f->sched;
    ASAN_FINISH(NULL, &s->stack_lo, &s->stack_size);
    f->fn(f, f->arg);
    f->running = 0;
    /* NULL save: this frame is gone, ASan may drop its fake stack. */
    ASAN_START(NULL, s->stack_lo, s->stack_size);
    TSAN_SWITCH(s->tsan);
    ctx_jump(&s->ctx);
}

void rtx_gpu_fiber_start(rtx_gpu_fiber *f, rtx_gpu_fiber_fn fn, void *arg)
{
    size_t guard = page_size();
#ifdef FIBER_ASAN
    /* The last run's frames may have left poisoned shadow on this stack. */
    __asan_unpoison_memory_region(f->map + guard, f->map_size - guard);
#endif
    ctx_make(&f->ctx, f->map + guard, f->map_size - guard, trampoline);
    f->fn = fn;
    f->arg = arg;
    f->running = 1;
}

void rtx_gpu_fiber_resume(rtx_gpu_fiber *f)
{
    rtx_gpu_sched *s = f->sched;
    size_t guard = page_size();
    void *save = NULL;
    starting = f;
    ASAN_START(&save, f->map + guard, f->map_size - guard);
    TSAN_SWITCH(f->tsan);
    ctx_swap(&s->ctx, &f->ctx);
    ASAN_FINISH(save, NULL, NULL);
}

void rtx_gpu_fiber_yield(rtx_gpu_fiber *f)
{
    rtx_gpu_sched *s = f->sched;
    ASAN_START(&f->fake_stack, s->stack_lo, s->stack_size);
    TSAN_SWITCH(s->tsan);
    ctx_swap(&f->ctx, &s->ctx);
    ASAN_FINISH(f->fake_stack, &s->stack_lo, &s->stack_size);
}
