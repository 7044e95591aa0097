/*
 * conformance/gpu_table.h — the runners of the cross-backend atomic table
 * (gpu/atomic_cases.h): host threads calling rt_gpu_atomic_*, a Vulkan
 * compute shader through rt_vk_*, the PTX kernel through the CUDA loader.
 * Each fills a gpu_table_result; gpu_table_verify checks one result
 * against the model, gpu_table_agree two results against each other.
 *
 * Included by the suites that run a backend (gpu_atomic, gpu, vk,
 * gpu_backend); plain C plus pthreads, no Criterion, so a failure comes
 * back as text the suite asserts on.
 */
#ifndef CONFORMANCE_GPU_TABLE_H
#define CONFORMANCE_GPU_TABLE_H

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpu/atomic_cases.h"
#include "gpu/gpu_atomic.h"
#include "simplert.h"

typedef struct gpu_table_result {
    uint64_t final[RTX_AC_NCASES];
    uint32_t first[RTX_AC_NCASES];   /* row r's old values start at olds[first[r]] */
    uint64_t *olds;
    uint32_t total;
} gpu_table_result;

static inline int gpu_table_init(gpu_table_result *r)
{
    r->total = rtx_ac_layout(r->first);
    r->olds = calloc(r->total, sizeof *r->olds);
    return r->olds != NULL;
}

static inline void gpu_table_free(gpu_table_result *r)
{
    free(r->olds);
    r->olds = NULL;
}

/* ---- the host: rt_gpu_atomic_* ---- */

/* Apply one row's operation to word w through the FFI. Odd items of i64
 * rows use the untyped forms, so both spellings contend on one word;
 * i32 rows use the u32 forms (bit-identical) and, for min and max, the
 * signed helpers (gpu/gpu_atomic.h). */
static inline uint64_t gpu_table_host_op(const rtx_ac_case *c, void *w, uint32_t item,
                                         uint64_t x, uint64_t y)
{
    if (c->type == RTX_ACT_I64) {
        int64_t *p = w, a = (int64_t)x, b = (int64_t)y, old;
        int u = item & 1;
        switch (c->op) {
        case RTX_ACO_ADD: return (uint64_t)(u ? rt_gpu_atomic_add(p, a) : rt_gpu_atomic_add_i64(p, a));
        case RTX_ACO_SUB: return (uint64_t)(u ? rt_gpu_atomic_sub(p, a) : rt_gpu_atomic_sub_i64(p, a));
        case RTX_ACO_MIN: return (uint64_t)(u ? rt_gpu_atomic_min(p, a) : rt_gpu_atomic_min_i64(p, a));
        case RTX_ACO_MAX: return (uint64_t)(u ? rt_gpu_atomic_max(p, a) : rt_gpu_atomic_max_i64(p, a));
        case RTX_ACO_AND: return (uint64_t)(u ? rt_gpu_atomic_and(p, a) : rt_gpu_atomic_and_i64(p, a));
        case RTX_ACO_OR: return (uint64_t)(u ? rt_gpu_atomic_or(p, a) : rt_gpu_atomic_or_i64(p, a));
        case RTX_ACO_XOR: return (uint64_t)(u ? rt_gpu_atomic_xor(p, a) : rt_gpu_atomic_xor_i64(p, a));
        case RTX_ACO_XCHG:
            return (uint64_t)(u ? rt_gpu_atomic_exchange(p, a) : rt_gpu_atomic_xchg_i64(p, a));
        case RTX_ACO_CMPXCHG:
            return (uint64_t)(u ? rt_gpu_atomic_cmpxchg(p, a, b) : rt_gpu_atomic_cmpxchg_i64(p, a, b));
        case RTX_ACO_CASADD:
            old = rt_gpu_atomic_add_i64(p, 0);   /* an atomic read */
            for (;;) {
                int64_t want = (int64_t)((uint64_t)old + (uint64_t)a);
                int64_t got = u ? rt_gpu_atomic_cmpxchg(p, old, want)
                                : rt_gpu_atomic_cmpxchg_i64(p, old, want);
                if (got == old)
                    return (uint64_t)old;
                old = got;
            }
        default: return 0;
        }
    }
    uint32_t *p = w, a = (uint32_t)x, b = (uint32_t)y, old;
    int sgn = c->type == RTX_ACT_I32;
    switch (c->op) {
    case RTX_ACO_ADD: return rt_gpu_atomic_add_u32(p, a);
    case RTX_ACO_SUB: return rt_gpu_atomic_sub_u32(p, a);
    case RTX_ACO_MIN:
        return sgn ? (uint32_t)rtx_gpu_atomic_min_i32((int32_t *)w, (int32_t)a)
                   : rt_gpu_atomic_min_u32(p, a);
    case RTX_ACO_MAX:
        return sgn ? (uint32_t)rtx_gpu_atomic_max_i32((int32_t *)w, (int32_t)a)
                   : rt_gpu_atomic_max_u32(p, a);
    case RTX_ACO_AND: return rt_gpu_atomic_and_u32(p, a);
    case RTX_ACO_OR: return rt_gpu_atomic_or_u32(p, a);
    case RTX_ACO_XOR: return rt_gpu_atomic_xor_u32(p, a);
    case RTX_ACO_XCHG: return rt_gpu_atomic_xchg_u32(p, a);
    case RTX_ACO_CMPXCHG: return rt_gpu_atomic_cmpxchg_u32(p, a, b);
    case RTX_ACO_CASADD:
        old = rt_gpu_atomic_add_u32(p, 0);
        for (;;) {
            uint32_t got = rt_gpu_atomic_cmpxchg_u32(p, old, old + a);
            if (got == old)
                return old;
            old = got;
        }
    default: return 0;
    }
}

#define GPU_TABLE_THREADS 8

typedef struct gpu_table_host {
    gpu_table_result *res;
    pthread_barrier_t *start;
    union {
        int64_t i64;
        uint32_t u32;
    } words[RTX_AC_NCASES];
    unsigned index;
} gpu_table_host;

typedef struct gpu_table_host_thread {
    gpu_table_host *h;
    unsigned t;
} gpu_table_host_thread;

static inline void *gpu_table_host_main(void *arg)
{
    gpu_table_host_thread *th = arg;
    gpu_table_host *h = th->h;
    for (size_t r = 0; r < RTX_AC_NCASES; r++) {
        const rtx_ac_case *c = &rtx_ac_cases[r];
        pthread_barrier_wait(h->start);   /* every thread starts the row together */
        for (uint32_t i = th->t; i < c->items; i += GPU_TABLE_THREADS) {
            uint64_t x, y;
            rtx_ac_operands(c, i, &x, &y);
            h->res->olds[h->res->first[r] + i] = gpu_table_host_op(c, &h->words[r], i, x, y);
        }
    }
    return NULL;
}

/* Run every row on GPU_TABLE_THREADS threads that contend on the row's
 * word. Returns NULL or what went wrong. */
static inline const char *gpu_table_run_host(gpu_table_result *res)
{
    static gpu_table_host h;
    pthread_barrier_t start;
    pthread_t tid[GPU_TABLE_THREADS];
    gpu_table_host_thread th[GPU_TABLE_THREADS];
    memset(&h, 0, sizeof h);
    h.res = res;
    h.start = &start;
    for (size_t r = 0; r < RTX_AC_NCASES; r++) {
        if (rtx_ac_cases[r].type == RTX_ACT_I64)
            h.words[r].i64 = (int64_t)rtx_ac_cases[r].init;
        else
            h.words[r].u32 = (uint32_t)rtx_ac_cases[r].init;
    }
    pthread_barrier_init(&start, NULL, GPU_TABLE_THREADS);
    unsigned n = 0;
    for (; n < GPU_TABLE_THREADS; n++) {
        th[n] = (gpu_table_host_thread){&h, n};
        if (pthread_create(&tid[n], NULL, gpu_table_host_main, &th[n]) != 0)
            break;
    }
    if (n < GPU_TABLE_THREADS)
        abort();   /* the barrier would never open: a broken test machine */
    for (unsigned i = 0; i < n; i++)
        pthread_join(tid[i], NULL);
    pthread_barrier_destroy(&start);
    for (size_t r = 0; r < RTX_AC_NCASES; r++)
        res->final[r] = rtx_ac_cases[r].type == RTX_ACT_I64 ? (uint64_t)h.words[r].i64
                                                           : (uint64_t)h.words[r].u32;
    return NULL;
}

/* ---- checks ---- */

/* Every row of res against the model; NULL, or a message naming the row
 * (in buf). */
static inline const char *gpu_table_verify(const gpu_table_result *res, const char *backend,
                                           char *buf, size_t bufsize)
{
    uint64_t *scratch = malloc(RTX_AC_SCRATCH(RTX_AC_MAX_ITEMS) * sizeof *scratch);
    unsigned char *used = malloc(RTX_AC_MAX_ITEMS);
    const char *bad = NULL;
    if (scratch == NULL || used == NULL) {
        bad = "out of memory";
    } else {
        for (size_t r = 0; r < RTX_AC_NCASES && !bad; r++) {
            const char *why = rtx_ac_check(&rtx_ac_cases[r], res->final[r],
                                           res->olds + res->first[r], scratch, used);
            if (why) {
                snprintf(buf, bufsize, "%s, row \"%s\": %s (final 0x%llx)", backend,
                         rtx_ac_cases[r].name, why, (unsigned long long)res->final[r]);
                bad = buf;
            }
        }
    }
    free(scratch);
    free(used);
    return bad;
}

/* Do two backends agree on every row (gpu/atomic_cases.h, rtx_ac_agree)? */
static inline const char *gpu_table_agree(const gpu_table_result *a, const gpu_table_result *b,
                                          const char *names, char *buf, size_t bufsize)
{
    uint64_t *scratch = malloc(RTX_AC_SCRATCH(RTX_AC_MAX_ITEMS) * sizeof *scratch);
    const char *bad = scratch ? NULL : "out of memory";
    for (size_t r = 0; r < RTX_AC_NCASES && !bad; r++) {
        const rtx_ac_case *c = &rtx_ac_cases[r];
        if (!rtx_ac_agree(c, a->final[r], a->olds + a->first[r], b->final[r],
                          b->olds + b->first[r], scratch)) {
            snprintf(buf, bufsize, "%s disagree on row \"%s\": final 0x%llx vs 0x%llx", names,
                     c->name, (unsigned long long)a->final[r], (unsigned long long)b->final[r]);
            bad = buf;
        }
    }
    free(scratch);
    return bad;
}

/* ---- device runners: the per-type arrays both GPU APIs take ---- */

typedef struct gpu_table_arrays {
    uint32_t nrows;
    uint32_t rows[RTX_AC_NCASES][4];   /* op, items, first, pad */
    size_t row_of[RTX_AC_NCASES];      /* table index of each row */
    uint32_t total;
    size_t wsize;                      /* bytes per word: 4 or 8 */
    void *words, *opa, *opb, *olds;
} gpu_table_arrays;

/* Build the arrays for the rows of one type; 0 on OOM. */
static inline int gpu_table_arrays_make(gpu_table_arrays *a, int type)
{
    memset(a, 0, sizeof *a);
    a->wsize = type == RTX_ACT_I64 ? 8 : 4;
    for (size_t r = 0; r < RTX_AC_NCASES; r++) {
        const rtx_ac_case *c = &rtx_ac_cases[r];
        if (c->type != type)
            continue;
        uint32_t k = a->nrows++;
        a->rows[k][0] = c->op;
        a->rows[k][1] = c->items;
        a->rows[k][2] = a->total;
        a->row_of[k] = r;
        a->total += c->items;
    }
    a->words = calloc(a->nrows, a->wsize);
    a->opa = calloc(a->total, a->wsize);
    a->opb = calloc(a->total, a->wsize);
    a->olds = calloc(a->total, a->wsize);
    if (!a->words || !a->opa || !a->opb || !a->olds)
        return 0;
    for (uint32_t k = 0; k < a->nrows; k++) {
        const rtx_ac_case *c = &rtx_ac_cases[a->row_of[k]];
        uint64_t x, y;
        if (a->wsize == 8)
            ((uint64_t *)a->words)[k] = c->init;
        else
            ((uint32_t *)a->words)[k] = (uint32_t)c->init;
        for (uint32_t i = 0; i < c->items; i++) {
            rtx_ac_operands(c, i, &x, &y);
            uint32_t at = a->rows[k][2] + i;
            if (a->wsize == 8) {
                ((uint64_t *)a->opa)[at] = x;
                ((uint64_t *)a->opb)[at] = y;
            } else {
                ((uint32_t *)a->opa)[at] = (uint32_t)x;
                ((uint32_t *)a->opb)[at] = (uint32_t)y;
            }
        }
    }
    return 1;
}

/* Copy a device run's words and old values into res. */
static inline void gpu_table_arrays_collect(const gpu_table_arrays *a, gpu_table_result *res)
{
    for (uint32_t k = 0; k < a->nrows; k++) {
        size_t r = a->row_of[k];
        const rtx_ac_case *c = &rtx_ac_cases[r];
        res->final[r] = a->wsize == 8 ? ((uint64_t *)a->words)[k] : ((uint32_t *)a->words)[k];
        for (uint32_t i = 0; i < c->items; i++) {
            uint32_t at = a->rows[k][2] + i;
            res->olds[res->first[r] + i] =
                a->wsize == 8 ? ((uint64_t *)a->olds)[at] : ((uint32_t *)a->olds)[at];
        }
    }
}

static inline void gpu_table_arrays_free(gpu_table_arrays *a)
{
    free(a->words);
    free(a->opa);
    free(a->opb);
    free(a->olds);
}

#endif /* CONFORMANCE_GPU_TABLE_H */
