/*
 * runtime/mem.c — allocation wrappers with optional fault injection.
 *
 * Testing builds have two independent injectors: rtx_mem_fail_at (a suite's
 * own OOM scenarios) and the OOM plan of `make oom` (conformance/shim/oom.c),
 * which fails one attempt of a whole test. They keep separate counters so a
 * suite that injects its own failures still works while `make oom` runs it.
 */
#include "runtime/mem.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#ifdef RTX_TESTING
static _Atomic uint64_t fail_at;    /* 0: off; else the attempt number that fails */
static _Atomic uint64_t attempts;   /* attempts since rtx_mem_fail_at() */
static _Atomic uint64_t failures;
static _Atomic int fail_sticky;
static _Atomic uint64_t oom_at;          /* the OOM plan: 0 off, else the attempt to fail */
static _Atomic uint64_t oom_attempts;
static _Atomic rtx_mem_oom_hook oom_hook;

void rtx_mem_fail_at(uint64_t n, int sticky)
{
    atomic_store(&attempts, 0);
    atomic_store(&failures, 0);
    atomic_store(&fail_sticky, sticky);
    atomic_store(&fail_at, n);
}

uint64_t rtx_mem_attempts(void) { return atomic_load(&attempts); }
uint64_t rtx_mem_failures(void) { return atomic_load(&failures); }

void rtx_mem_oom_plan(uint64_t n, rtx_mem_oom_hook hook)
{
    atomic_store(&oom_at, 0);
    atomic_store(&oom_hook, (rtx_mem_oom_hook)NULL);
    atomic_store(&oom_attempts, 0);
    atomic_store(&oom_hook, hook);
    atomic_store(&oom_at, n);
}

uint64_t rtx_mem_oom_attempts(void) { return atomic_load(&oom_attempts); }

/* True when this allocation attempt must fail. Both injectors count every
 * attempt, whichever of them fails it, so attempt k names the same
 * allocation in every run of a test. */
static int should_fail(void)
{
    uint64_t ko = atomic_fetch_add(&oom_attempts, 1) + 1;
    uint64_t k = atomic_fetch_add(&attempts, 1) + 1;
    int oom = ko == atomic_load_explicit(&oom_at, memory_order_relaxed);
    rtx_mem_oom_hook hook = atomic_load_explicit(&oom_hook, memory_order_acquire);
    if (hook)
        hook(ko, oom);
    if (oom)
        return 1;
    uint64_t target = atomic_load_explicit(&fail_at, memory_order_relaxed);
    if (target == 0)
        return 0;
    if (k == target || (k > target && atomic_load(&fail_sticky))) {
        atomic_fetch_add(&failures, 1);
        return 1;
    }
    return 0;
}
#define INJECT_FAIL() should_fail()
#else
#define INJECT_FAIL() 0
#endif

void *rtx_malloc(size_t n)
{
    if (INJECT_FAIL())
        return NULL;
    return malloc(n ? n : 1);
}

void *rtx_calloc(size_t count, size_t size)
{
    if (INJECT_FAIL())
        return NULL;
    if (count == 0 || size == 0)
        count = size = 1;
    return calloc(count, size);
}

void *rtx_realloc(void *p, size_t n)
{
    if (INJECT_FAIL())
        return NULL;
    return realloc(p, n ? n : 1);
}

void rtx_free(void *p) { free(p); }

char *rtx_strndup(const char *s, size_t n)
{
    char *d = rtx_malloc(n + 1);
    if (d == NULL)
        return NULL;
    if (n)
        memcpy(d, s, n);
    d[n] = '\0';
    return d;
}
