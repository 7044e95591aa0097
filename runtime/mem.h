/*
 * runtime/mem.h — every allocation the runtime makes goes through here.
 *
 * Testing builds (-DRTX_TESTING) can be told to fail the Nth allocation
 * (SQLite/Lua-style fault injection, used by `make oom`); production builds
 * compile straight to libc with no counter.
 */
#ifndef RTX_MEM_H
#define RTX_MEM_H

#include <stddef.h>
#include <stdint.h>

void *rtx_malloc(size_t n);
void *rtx_calloc(size_t count, size_t size);
void *rtx_realloc(void *p, size_t n);
void rtx_free(void *p);
char *rtx_strndup(const char *s, size_t n);

#ifdef RTX_TESTING
/* Fail allocation number n (1-based, counted from this call) and every one
 * after it when sticky is nonzero; n == 0 disables injection. */
void rtx_mem_fail_at(uint64_t n, int sticky);
/* Allocations attempted since the last rtx_mem_fail_at (for site counting). */
uint64_t rtx_mem_attempts(void);
/* Number of allocations that were failed on purpose. */
uint64_t rtx_mem_failures(void);
/* The OOM plan of `make oom`, independent of rtx_mem_fail_at: fail attempt
 * n (1-based, counted from this call; 0: fail none, only count) once. The
 * hook (may be NULL) sees every attempt, in the allocating thread, before
 * the allocation: its number and whether it is the one made to fail. */
typedef void (*rtx_mem_oom_hook)(uint64_t attempt, int failing);
void rtx_mem_oom_plan(uint64_t n, rtx_mem_oom_hook hook);
/* Allocations attempted since the last rtx_mem_oom_plan. */
uint64_t rtx_mem_oom_attempts(void);
#endif

#endif /* RTX_MEM_H */
