/*
 * runtime/fiber.c — fibers for kernel work-items (see runtime/fiber.h).
 * Internal; implements no FFI row.
 *
 * On x86-64 a switch is a few instructions (below): the callee-saved
 * registers, MXCSR and the x87 control word go on the old stack, the stack
 * pointer changes, and the other side's are popped. glibc's swapcontext
 * would also save and restore the signal mask, a system call each way,
 * which made a barrier round of a 64-item group ~100 us; kernels do not
 * change signal masks, so nothing is lost. Other architectures use
 * ucontext (getcontext/makecontext/swapcontext), correct but slower.
 */
#include "runtime/fiber.h"

#include <stdatomic.h>

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
/* void rtx_fiber_ctx_swap(void **save_sp, void *load_sp): push rbp, rbx,
 * r12-r15 and an 8-byte slot with MXCSR and the x87 control word (the
 * state the SysV ABI makes callee-saved), store rsp, load the other
 * stack's rsp, pop the same, return into the other side. */
void rtx_fiber_ctx_swap(void **save_sp, void *load_sp);
__asm__(".text\n"
        ".globl rtx_fiber_ctx_swap\n"
        ".hidden rtx_fiber_ctx_swap\n"
        ".type rtx_fiber_ctx_swap,@function\n"
        "rtx_fiber_ctx_swap:\n"
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
        ".size rtx_fiber_ctx_swap, .-rtx_fiber_ctx_swap\n");

/* A fresh stack that rtx_fiber_ctx_swap "returns" into entry from, laid out
 * as the swap leaves a stack: control words, six registers, the address
 * to return to; above it a zero return address for entry itself, so that
 * entry starts with rsp = 8 mod 16, exactly as after a call. */
static void ctx_make(rtx_fiber_ctx *c, unsigned char *lo, size_t size, void (*entry)(void))
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

static void ctx_swap(rtx_fiber_ctx *save, rtx_fiber_ctx *load)
{
    rtx_fiber_ctx_swap(&save->sp, load->sp);
}

static void ctx_jump(rtx_fiber_ctx *load)
{
    void *dead;
    rtx_fiber_ctx_swap(&dead, load->sp);
}

/* The control words a job starts with (the swap itself keeps each side's
 * own across switches). */
static void fp_save(rtx_fiber *f)
{
    uint32_t mxcsr;
    uint16_t fpucw;
    __asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
    __asm__ volatile("fnstcw %0" : "=m"(fpucw));
    f->fpctl = (uint64_t)mxcsr | ((uint64_t)fpucw << 32);
}

static void fp_load(const rtx_fiber *f)
{
    uint32_t mxcsr = (uint32_t)f->fpctl;
    uint16_t fpucw = (uint16_t)(f->fpctl >> 32);
    __asm__ volatile("ldmxcsr %0" : : "m"(mxcsr));
    __asm__ volatile("fldcw %0" : : "m"(fpucw));
}
#else
static void ctx_make(rtx_fiber_ctx *c, unsigned char *lo, size_t size, void (*entry)(void))
{
    getcontext(c);
    c->uc_stack.ss_sp = lo;
    c->uc_stack.ss_size = size;
    c->uc_link = NULL;
    makecontext(c, entry, 0);
}

static void ctx_swap(rtx_fiber_ctx *save, rtx_fiber_ctx *load) { swapcontext(save, load); }
static void ctx_jump(rtx_fiber_ctx *load) { setcontext(load); }
static void fp_save(rtx_fiber *f) { fegetenv(&f->fpenv); }
static void fp_load(const rtx_fiber *f) { fesetenv(&f->fpenv); }
#endif

/* ---- fibers ---- */

#ifdef RTX_TESTING
static _Atomic int fail_next;
void rtx_fiber_fail_next(int n) { atomic_store(&fail_next, n > 0 ? n : 0); }
#endif

/* The fiber being entered for the first time: makecontext passes only
 * ints, so the pointer travels in this thread-local. */
static _Thread_local rtx_fiber *starting;

static void trampoline(void);

void rtx_fiber_sched_init(rtx_fiber_sched *s)
{
    s->tsan = TSAN_CURRENT();
    s->stack_lo = NULL;
    s->stack_size = 0;
}

int rtx_fiber_create(rtx_fiber *f)
{
#ifdef RTX_TESTING
    int left = atomic_load(&fail_next);
    while (left > 0 && !atomic_compare_exchange_weak(&fail_next, &left, left - 1)) {
    }
    if (left > 0)
        return -1;
#endif
    size_t guard = page_size();
    f->map_size = guard + RTX_FIBER_STACK;
    f->map = mmap(NULL, f->map_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (f->map == MAP_FAILED) {
        f->map = NULL;
        return -1;
    }
    /* The guard page turns a stack overflow into a fault, not corruption. */
    mprotect(f->map, guard, PROT_NONE);
    f->stack = f->map + guard;
    f->stack_size = RTX_FIBER_STACK;
    f->sched = NULL;
    f->fake_stack = NULL;
    f->fn = NULL;
    f->arg = NULL;
    f->entered = 0;
    f->running = 0;
    f->tsan = TSAN_CREATE();
#ifdef FIBER_VALGRIND
    f->vg_id = VALGRIND_STACK_REGISTER(f->stack, f->stack + f->stack_size);
#else
    f->vg_id = 0;
#endif
    ctx_make(&f->ctx, f->stack, f->stack_size, trampoline);
    return 0;
}

void rtx_fiber_destroy(rtx_fiber *f)
{
    if (f->map == NULL)
        return;
    if (f->entered) {
        /* Its stack holds the job loop: let the loop end, so that the tools
         * drop what they keep for it (ASan's fake stack above all). */
        rtx_fiber_sched s;
        rtx_fiber_sched_init(&s);
        f->sched = &s;
        f->fn = NULL;
        rtx_fiber_resume(f);
    }
#ifdef FIBER_ASAN
    /* Frames that ran here may have left poisoned shadow: whatever is
     * mapped at these addresses next must not inherit it. */
    __asan_unpoison_memory_region(f->stack, f->stack_size);
#endif
#ifdef FIBER_VALGRIND
    VALGRIND_STACK_DEREGISTER(f->vg_id);
#endif
    TSAN_DESTROY(f->tsan);
    munmap(f->map, f->map_size);
    f->map = NULL;
}

void rtx_fiber_start(rtx_fiber *f, rtx_fiber_sched *s, rtx_fiber_fn fn, void *arg)
{
    fp_save(f);
    f->sched = s;
    f->fn = fn;
    f->arg = arg;
    f->running = 1;
}

void rtx_fiber_resume(rtx_fiber *f)
{
    rtx_fiber_sched *s = f->sched;
    void *save = NULL;
    starting = f;
    ASAN_START(&save, f->stack, f->stack_size);
    TSAN_SWITCH(f->tsan);
    ctx_swap(&s->ctx, &f->ctx);
    ASAN_FINISH(save, NULL, NULL);
}

void rtx_fiber_yield(rtx_fiber *f)
{
    rtx_fiber_sched *s = f->sched;
    ASAN_START(&f->fake_stack, s->stack_lo, s->stack_size);
    TSAN_SWITCH(s->tsan);
    ctx_swap(&f->ctx, &s->ctx);
    /* The resumer may be another scheduler (a new job): learn its stack. */
    s = f->sched;
    ASAN_FINISH(f->fake_stack, &s->stack_lo, &s->stack_size);
}

/* The bottom frame of every fiber: finish the first switch, then run jobs
 * until told to end, waiting (yielded) between two jobs. */
static void trampoline(void)
{
    rtx_fiber *f = starting;
    f->entered = 1;
    ASAN_FINISH(NULL, &f->sched->stack_lo, &f->sched->stack_size);
    while (f->fn != NULL) {
        fp_load(f);
        f->fn(f->arg);
        f->running = 0;
        rtx_fiber_yield(f);
    }
    /* NULL save: this frame is gone for good, ASan may drop its fake stack. */
    rtx_fiber_sched *s = f->sched;
    f->entered = 0;
    ASAN_START(NULL, s->stack_lo, s->stack_size);
    TSAN_SWITCH(s->tsan);
    ctx_jump(&s->ctx);
}
