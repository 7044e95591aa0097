/*
 * runtime/aop.c — around-advice chains.
 *
 * Implements (spec/ffi/aop.sdn): rt_aop_invoke_around, rt_aop_proceed.
 *
 * Each running advice has a frame on the calling thread's frame list (a
 * linked list through the C stacks of the running advices; a returning
 * advice unlinks its own frame, which need not be the newest one: see
 * unlink_frame). The context an
 * advice receives is not the frame's address but a token: a number taken
 * from a process-wide counter (never reused) with high bits that make it a
 * non-canonical address, so nobody can dereference it by mistake.
 * rt_aop_proceed looks the token up among this thread's running frames and
 * never reads memory through it; a token whose advice has returned (stale),
 * one from another thread (foreign), or an invented one is not found and
 * is refused. A new call at the same stack depth gets a new token, so a
 * stale context cannot alias a live one.
 *
 * Misuse sets the chain's `failed` flag: the enclosing rt_aop_invoke_around
 * then returns NIL whatever the advices returned, and one "AOP error:" line
 * says what happened.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>

#include "runtime/print.h"
#include "simplert/aop.h"

#define ADVICE_MAX UINT64_C(1024)
#define ARGC_MAX (UINT64_C(1) << 20)
#define TOKEN_TAG UINT64_C(0xA0F5000000000000)
#define TOKEN_ID_MASK UINT64_C(0x0000FFFFFFFFFFFF)
_Static_assert(sizeof(uintptr_t) == 8, "context tokens use the high bits of a 64-bit pointer");

typedef struct aop_chain {
    RtAopTarget target;
    const RtAopAdvice *advices;
    uint64_t advice_len, argc;
    const RtValue *argv;
    int failed;
} aop_chain;

typedef struct aop_frame {
    uint64_t token;          /* what the advice got as its context */
    aop_chain *chain;
    uint64_t level;          /* index of the advice this frame runs */
    unsigned proceeds;       /* rt_aop_proceed calls made with this token */
    struct aop_frame *below; /* the frame that was on top before this one */
} aop_frame;

static _Thread_local aop_frame *top;
static _Atomic uint64_t next_id = 1;

static RtValue run_level(aop_chain *c, uint64_t level);
static void unlink_frame(aop_frame *f);
static aop_frame *find_frame(uint64_t token);
static void report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

RT_API RtValue rt_aop_invoke_around(RtAopTarget target, const RtAopAdvice *advices,
                                    uint64_t advice_len, uint64_t argc, const RtValue *argv)
{
    if (target == NULL) {
        report("rt_aop_invoke_around called with a NULL target");
        return RT_NIL;
    }
    if (advice_len > 0 && advices == NULL) {
        report("advice list is NULL but advice_len is %" PRIu64, advice_len);
        return RT_NIL;
    }
    if (advice_len > ADVICE_MAX) {
        report("advice_len %" PRIu64 " exceeds the limit of %" PRIu64, advice_len, ADVICE_MAX);
        return RT_NIL;
    }
    if (argc > 0 && argv == NULL) {
        report("argv is NULL but argc is %" PRIu64, argc);
        return RT_NIL;
    }
    if (argc > ARGC_MAX) {
        report("argc %" PRIu64 " exceeds the limit of %" PRIu64, argc, ARGC_MAX);
        return RT_NIL;
    }
    /* Every entry is checked before anything runs: nothing is half done. */
    for (uint64_t i = 0; i < advice_len; i++) {
        if (advices[i] == NULL) {
            report("advice %" PRIu64 " of %" PRIu64 " is NULL", i, advice_len);
            return RT_NIL;
        }
    }
    if (advice_len == 0)
        return target(argc, argv);
    aop_chain c = {target, advices, advice_len, argc, argv, 0};
    RtValue r = run_level(&c, 0);
    return c.failed ? RT_NIL : r;
}

RT_API RtValue rt_aop_proceed(RtProceedContext *ctx)
{
    if (ctx == NULL) {
        report("rt_aop_proceed called with a NULL context");
        return RT_NIL;
    }
    aop_frame *f = find_frame((uint64_t)(uintptr_t)ctx);
    if (f == NULL) {
        report("rt_aop_proceed called with a context that is not running on this thread "
               "(stale, foreign or invalid)");
        return RT_NIL;
    }
    if (f->proceeds++ > 0) {
        f->chain->failed = 1;
        report("around advice %" PRIu64 " called rt_aop_proceed more than once", f->level);
        return RT_NIL;
    }
    aop_chain *c = f->chain;
    if (f->level + 1 < c->advice_len)
        return run_level(c, f->level + 1);
    return c->target(c->argc, c->argv);
}

/* ---- static helpers ---- */

/* Run advices[level] with a fresh context and check it proceeded once. */
static RtValue run_level(aop_chain *c, uint64_t level)
{
    uint64_t id = atomic_fetch_add_explicit(&next_id, 1, memory_order_relaxed);
    aop_frame f = {TOKEN_TAG | (id & TOKEN_ID_MASK), c, level, 0, top};
    top = &f;
    RtValue r = c->advices[level]((RtProceedContext *)(uintptr_t)f.token, c->argc, c->argv);
    unlink_frame(&f);   /* the advice's context is stale from here on */
    if (f.proceeds == 0) {
        c->failed = 1;
        report("around advice %" PRIu64 " returned without calling rt_aop_proceed", level);
    }
    return r;
}

/* Take f off this thread's frame list. It is usually the top frame, but
 * chains open on one thread need not nest: the work-items of an emulated
 * GPU group run as fibers on one thread and switch at rt_gpu_barrier, so
 * item 1's chain can start after item 0's and finish before it. Restoring
 * `top = f->below` would then drop a live frame and leave the list pointing
 * into a stack that is gone; unlinking keeps exactly the running frames. */
static void unlink_frame(aop_frame *f)
{
    for (aop_frame **p = &top; *p != NULL; p = &(*p)->below) {
        if (*p == f) {
            *p = f->below;
            return;
        }
    }
}

static aop_frame *find_frame(uint64_t token)
{
    for (aop_frame *f = top; f; f = f->below)
        if (f->token == token)
            return f;
    return NULL;
}

/* One "AOP error: ...\n" line, written in one piece to stderr or capture. */
static void report(const char *fmt, ...)
{
    char buf[256];
    int n = snprintf(buf, sizeof buf, "AOP error: ");
    va_list ap;
    va_start(ap, fmt);
    n += vsnprintf(buf + n, sizeof buf - (size_t)n - 1, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof buf - 2)
        n = (int)sizeof buf - 2;
    buf[n++] = '\n';
    rtx_print_emit(RTX_ERR, buf, (size_t)n, NULL, 0);
}
