/*
 * coverage_rt/cov_internal.h — the collector's private structures.
 *
 * Concurrency design (why the hot path needs no lock and no atomic RMW):
 *
 *  - Counters live in PER-THREAD tables (cov_thread.tab), written only by the
 *    owning thread with a relaxed load + store. Shared atomic counters would
 *    make two threads probing one site fight over one cache line (two threads
 *    slower than one); per-thread counters scale and stay exact, because each
 *    counter has exactly one writer. A dump (or the crash writer) reads every
 *    thread's table with relaxed loads and adds them up.
 *  - A per-thread table maps (kind, file ADDRESS, ids, line, column) to a slot
 *    holding the global site index and the counts. After a thread's first
 *    sight of a site, a probe is a hash, a probe of that table, and a store.
 *  - First sight registers the site in the global registry (cov_registry.c):
 *    file names interned by content, sites interned by key, entries never
 *    move or die. Registration takes a mutex — once per (thread, site), never
 *    on the hot path — and readers (dumps, the signal handler) never take it:
 *    an entry is fully written before the published count covers it.
 *  - Memory that other threads may be reading (a table that grew, a trace
 *    buffer that grew) is retired onto the owner's list, never freed, so a
 *    concurrent reader never touches freed memory; growth doubles, so the
 *    retired memory is at most the live memory.
 *  - rt_coverage_clear bumps a global epoch; each thread zeroes its own
 *    counts when it next sees the new epoch, and dumps skip threads whose
 *    epoch is stale. No thread ever writes another thread's counts.
 *  - Threads that exit leave their state (owned = 0) for the next new thread
 *    to adopt, so a program that churns threads does not grow without bound.
 */
#ifndef RTX_COV_INTERNAL_H
#define RTX_COV_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "coverage_rt/cov_report.h"

#define COV_NONE UINT32_MAX        /* registration failed: out of memory */
#define COV_FULL (UINT32_MAX - 1)  /* registration refused: a documented cap */

#define COV_MAX_FRAMES 64          /* open MC/DC evaluation frames per thread */
#define COV_MAX_TRACES 64          /* open path traces per thread */
#define COV_MAX_PATHS 65536        /* distinct paths kept per process */
#define COV_MAX_PATH_BLOCKS (1u << 24)   /* block ids stored over all distinct paths */
#define COV_MAX_PERF 65536         /* perf_trace entries per thread */
#define COV_OPEN_BLOCKS 65536      /* open-trace block ids a crash/exit report snapshots */
#define COV_OPEN_ROWS 4096         /* open traces a crash/exit report snapshots */

/* ---- allocation (cov_mem.c) ---- */
void *rtx_cov_malloc(size_t n);
void *rtx_cov_calloc(size_t n, size_t size);
/* Zeroed, 64-byte aligned, a whole number of cache lines; free with rtx_cov_free. */
void *rtx_cov_calloc_lines(size_t bytes);
void *rtx_cov_realloc(void *p, size_t n);
void rtx_cov_free(void *p);
#ifdef RTX_TESTING
/* Fail allocation n (1-based, from now) and, if sticky, every later one; 0 off. */
void rtx_cov_mem_fail_at(uint64_t n, int sticky);
#endif

/* ---- the registry (cov_registry.c) ---- */
typedef struct cov_site {
    rtx_cov_key k;               /* file interned; PATH blocks owned by the registry */
    uint64_t hash;
    _Atomic uint32_t nvec;       /* DEC: distinct vectors registered (cap RTX_COV_MAX_VECTORS) */
    uint32_t pad_;
} cov_site;

uint32_t rtx_cov_reg_site(uint32_t kind, uint32_t dec, uint32_t cond, const char *file,
                          uint32_t line, uint32_t col);
uint32_t rtx_cov_reg_vec(uint32_t dec_site, uint64_t eval, uint64_t tmask, uint32_t outcome);
uint32_t rtx_cov_reg_path(uint32_t path_id, const _Atomic uint32_t *blocks, uint32_t n,
                          uint64_t hash);
const cov_site *rtx_cov_site_at(uint32_t i);
uint32_t rtx_cov_nsites(void);       /* published count (acquire) */
uint32_t rtx_cov_site_capacity(void);
void rtx_cov_reg_lock(void);         /* fork: prepare / parent / child */
void rtx_cov_reg_unlock(void);
uint64_t rtx_cov_hash_blocks(const _Atomic uint32_t *b, uint32_t n);

/* ---- per-thread state (cov_thread.c) ---- */
typedef struct cov_slot {                /* one cache line */
    _Alignas(64) uint64_t k0;    /* key (k0, k1, k2, kind): owner-only */
    uint64_t k1, k2;
    uint32_t kind;               /* owner-only */
    _Atomic uint32_t gidx;       /* site index + 1; 0 = empty. Published last. */
    _Atomic uint64_t n[3];       /* counts (rtx_cov_row.n); one writer: the owner */
    uint64_t vec_full;           /* DEC: this thread saw the decision's vector cap (owner-only) */
} cov_slot;

typedef struct cov_table {
    void *retired_next;          /* link on the owner's retired list */
    size_t mask, used;
    cov_slot s[];                /* at offset 64: slots never straddle lines */
} cov_table;

typedef struct cov_blocks {
    void *retired_next;
    uint32_t cap;
    _Atomic uint32_t b[];
} cov_blocks;

typedef struct cov_trace {
    _Atomic(cov_blocks *) buf;   /* never NULL once the slot was used */
    _Atomic uint32_t len;        /* readers clamp to buf->cap */
    _Atomic uint32_t path_id;
    _Atomic uint32_t orphan;     /* left by a thread that exited: reported, never extended */
} cov_trace;

typedef struct cov_perf_ent {
    _Atomic uint64_t ts;
    _Atomic uint32_t gidx;
} cov_perf_ent;

typedef struct cov_perfbuf {
    void *retired_next;
    uint32_t cap;
    cov_perf_ent e[];
} cov_perfbuf;

typedef struct cov_frame {
    const char *file;
    uint32_t dec, pad_;
    uint64_t eval, tmask;
} cov_frame;

typedef struct cov_thread {   /* aligned: no cache line shared with another thread */
    _Alignas(64) struct cov_thread *next;     /* registration list; immutable once published */
    uint32_t index;              /* registration order (perf_trace tie-break) */
    _Atomic int owned;           /* a live thread uses it */
    _Atomic uint32_t epoch;      /* rtx_cov_epoch this state belongs to */
    uint64_t gate;               /* owner-only: the rtx_cov_gate its fast paths accept */
    _Atomic(cov_table *) tab;
    void *retired;               /* owner-only: superseded tables and buffers */
    uint32_t nframes, fbase;     /* owner-only, as are the frames: a ring, */
    cov_frame frames[COV_MAX_FRAMES];   /* frame i is frames[(fbase + i) % 64] */
    _Atomic uint32_t ntraces;
    cov_trace traces[COV_MAX_TRACES];
    _Atomic(cov_blocks *) parked;   /* a buffer in transit while traces shift (atomic: never elided) */
    _Atomic(cov_perfbuf *) perf;
    _Atomic uint32_t nperf;
    _Atomic uint64_t ctr[RTX_COV_NCTR];
    uint32_t perf_cur[2];        /* report cursors: [0] dumps (dump lock), [1] exit/crash writer */
    void *altstack;              /* signal stack this state installs for its thread */
    int altstack_ours;
} cov_thread;

extern _Atomic int rtx_cov_state;             /* 0 not yet decided, 1 off, 2 on */
extern _Atomic uint32_t rtx_cov_epoch;
extern _Atomic int rtx_cov_timed;
/* The fast paths' one test: epoch << 1 | 1 while coverage is on and not
 * timed, 0 otherwise. A thread copies it into its gate after its slow path
 * has caught up with the epoch; a thread gate is never 0, so "off" and
 * "timed" always fail the test. Writers: rtx_cov_gate_update. */
extern _Atomic uint64_t rtx_cov_gate;
/* Every thread's state pointer starts here: a state no gate matches. */
extern cov_thread rtx_cov_nobody;
void rtx_cov_gate_update(void);
extern _Atomic(cov_thread *) rtx_cov_threads;
extern __thread cov_thread *rtx_cov_tls __attribute__((tls_model("initial-exec")));

bool rtx_cov_on_slow(void);                   /* decides the state once; true when on */
cov_thread *rtx_cov_thread_acquire(void);     /* NULL: out of memory */
void rtx_cov_thread_reset(cov_thread *t);     /* owner: the epoch changed */
cov_slot *rtx_cov_insert(cov_thread *t, uint32_t kind, uint64_t k0, uint64_t k1, uint64_t k2,
                         uint32_t gidx);
cov_slot *rtx_cov_miss(cov_thread *t, uint32_t kind, uint32_t dec, uint32_t cond,
                       const char *file, uint32_t line, uint32_t col);
void rtx_cov_frame_cond(cov_thread *t, uint32_t dec, uint32_t cond, bool r, const char *file);
void rtx_cov_frame_commit(cov_thread *t, cov_slot *ds, uint32_t dec, const char *file, bool r);
void rtx_cov_path_step(cov_thread *t, uint32_t path_id, uint32_t block);
void rtx_cov_path_end(cov_thread *t, uint32_t path_id);
void rtx_cov_perf_add(cov_thread *t, const cov_slot *s);
void rtx_cov_fork_child(void);                /* the state after fork(), in the child */
void rtx_cov_altstack_install(cov_thread *t);

/* ---- reports (cov_dump.c) ---- */
typedef struct cov_arena {
    char *p;
    size_t used, cap;
} cov_arena;
/* Bytes a report needs for `sites` sites and the given open-trace budget. */
size_t rtx_cov_arena_size(uint32_t sites, uint32_t open_rows, uint32_t open_blocks);
/* Builds the model of the current counts into the arena; which: 0 dumps
 * (under the dump lock), 1 the exit/crash writer. Async-signal-safe. */
void rtx_cov_build(cov_arena *a, rtx_cov_model *m, int which, uint32_t open_rows,
                   uint32_t open_blocks);
void rtx_cov_dump_lock(void);
void rtx_cov_dump_unlock(void);
void rtx_cov_out_lock(void);         /* the handed-out reports (fork only) */
void rtx_cov_out_unlock(void);

/* ---- persistence (cov_persist.c) ---- */
void rtx_cov_persist_setup(void);             /* once, when coverage turns on */
/* Called under the registry lock before the site count passes the crash
 * writer's arena: grows it. */
void rtx_cov_persist_reserve(uint32_t sites);
bool rtx_cov_persist_active(void);
void rtx_cov_persist_fork_child(void);
uint64_t rtx_cov_now_ns(void);

/* ---- fuzzing: back to the state of a fresh process (coverage off) ----
 * Frees every site, thread state and report. Only when no other thread uses
 * coverage and no report is referenced any more (the fuzz targets). The
 * persistence settings, once made, are kept. */
void rtx_cov_reset(void);
void rtx_cov_reg_reset(void);
void rtx_cov_threads_reset(void);
void rtx_cov_dump_reset(void);

/* ---- hot-path helpers ---- */
static inline uint64_t rtx_cov_rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

/* One multiply: the table index is taken from the well-mixed high half. */
static inline uint64_t rtx_cov_hash(uint32_t kind, uint64_t a, uint64_t b, uint64_t c)
{
    uint64_t h = (a ^ rtx_cov_rotl(b, 23) ^ rtx_cov_rotl(c, 43) ^ kind) *
                 UINT64_C(0x9E3779B97F4A7C15);
    return h ^ (h >> 31);
}

/* The caller's state when it can take the fast path (coverage on, not timed,
 * state acquired, epoch current); NULL sends the probe to its slow path. */
static inline cov_thread *rtx_cov_fast(void)
{
    cov_thread *t = rtx_cov_tls;
    if (__builtin_expect(t->gate != atomic_load_explicit(&rtx_cov_gate, memory_order_relaxed), 0))
        return NULL;
    return t;
}

/* The caller's state when coverage is on; NULL when off (or out of memory). */
static inline cov_thread *rtx_cov_enter(void)
{
    int st = atomic_load_explicit(&rtx_cov_state, memory_order_acquire);
    if (__builtin_expect(st != 2, 0) && (st == 1 || !rtx_cov_on_slow()))
        return NULL;
    cov_thread *t = rtx_cov_tls;
    if (__builtin_expect(t == &rtx_cov_nobody, 0) && (t = rtx_cov_thread_acquire()) == NULL)
        return NULL;
    /* Gate first, epoch second (writers do the opposite): a gate that does
     * not belong to the epoch just read is not copied, and the next probe
     * comes here again. */
    uint64_t g = atomic_load(&rtx_cov_gate);
    uint32_t e = atomic_load(&rtx_cov_epoch);
    if (__builtin_expect(atomic_load_explicit(&t->epoch, memory_order_relaxed) != e, 0))
        rtx_cov_thread_reset(t);
    t->gate = g == ((uint64_t)e << 1 | 1) && atomic_load_explicit(&t->epoch, memory_order_relaxed) == e
                  ? g
                  : UINT64_MAX;
    return t;
}

static inline cov_slot *rtx_cov_find(cov_thread *t, uint32_t kind, uint64_t k0, uint64_t k1,
                                     uint64_t k2)
{
    cov_table *tb = atomic_load_explicit(&t->tab, memory_order_relaxed);
    size_t i = (size_t)rtx_cov_hash(kind, k0, k1, k2) & tb->mask;
    for (;;) {   /* the table is at most half full, so this ends */
        cov_slot *s = &tb->s[i];
        if (atomic_load_explicit(&s->gidx, memory_order_relaxed) == 0)
            return NULL;
        if (s->k0 == k0 && s->k1 == k1 && s->k2 == k2 && s->kind == kind)
            return s;
        i = (i + 1) & tb->mask;
    }
}

/* One writer per counter: a plain read-modify-write is exact. Saturates. */
static inline void rtx_cov_bump(_Atomic uint64_t *c)
{
    uint64_t v = atomic_load_explicit(c, memory_order_relaxed);
    if (v < RTX_COV_COUNT_MAX)
        atomic_store_explicit(c, v + 1, memory_order_relaxed);
}

#endif /* RTX_COV_INTERNAL_H */
