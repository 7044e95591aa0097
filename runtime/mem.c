/*
 * runtime/mem.c — allocation wrappers with optional fault injection.
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

void rtx_mem_fail_at(uint64_t n, int sticky)
{
    atomic_store(&attempts, 0);
    atomic_store(&failures, 0);
    atomic_store(&fail_sticky, sticky);
    atomic_store(&fail_at, n);
}

uint64_t rtx_mem_attempts(void) { return atomic_load(&attempts); }
uint64_t rtx_mem_failures(void) { return atomic_load(&failures); }

/* True when this allocation attempt must fail. */
static int should_fail(void)
{
    uint64_t target = atomic_load_explicit(&fail_at, memory_order_relaxed);
    uint64_t k = atomic_fetch_add(&attempts, 1) + 1;
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
