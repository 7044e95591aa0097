/*
 * coverage_rt/cov_thread.c — per-thread coverage state: the counter table,
 * MC/DC evaluation frames and path traces (the slow halves of
 * rt_coverage_decision_probe, rt_coverage_condition_probe,
 * rt_coverage_path_probe, rt_coverage_path_finalize; spec/ffi/coverage.sdn).
 *
 * Everything here runs on the owning thread except what readers of other
 * threads see through atomics (table pointer, slot gidx and counts, trace
 * lengths and blocks, perf entries); see cov_internal.h for the design.
 *
 * MC/DC frames. A condition probe marks its condition in the evaluation
 * frame of its decision (decision id and file address); the decision probe
 * commits the frame's vector with the outcome. Frames form a stack because
 * a condition may itself evaluate other decisions (nested, or the same one
 * recursively). A condition probe for decision D:
 *   - top frame is D and the condition is not yet marked: mark it;
 *   - a frame for D deeper in the stack, condition not marked: the frames
 *     above it were abandoned (their decision probe never came: an exception,
 *     a longjmp); drop them (counted) and mark;
 *   - otherwise (no frame for D, or its nearest frame already has this
 *     condition: a new, recursive evaluation): push a new frame.
 * A decision probe commits its nearest frame (dropping abandoned ones above
 * it) or, with no frame, records no vector (no condition was probed).
 *
 * Paths. rt_coverage_path_probe(p, b) appends b to this thread's innermost
 * open trace for p, or opens one. Seeing a trace's FIRST block again opens a
 * nested trace instead: a CFG's entry block has no predecessors, so control
 * can only reach it again by a new (recursive) activation. Finalize closes
 * the innermost trace for p and counts (p, blocks).
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "coverage_rt/cov_internal.h"

#define TABLE0 64   /* initial slots per thread */

cov_thread rtx_cov_nobody = {.gate = UINT64_MAX};
__thread cov_thread *rtx_cov_tls __attribute__((tls_model("initial-exec"))) = &rtx_cov_nobody;
_Atomic(cov_thread *) rtx_cov_threads;
static _Atomic uint32_t g_nthreads;
static pthread_key_t g_key;
static pthread_once_t g_key_once = PTHREAD_ONCE_INIT;

static void thread_exit(void *p);
static void make_key(void) { pthread_key_create(&g_key, thread_exit); }
static void retire(cov_thread *t, void *obj);
static void ctr_add(cov_thread *t, int c) { rtx_cov_bump(&t->ctr[c]); }
static cov_trace *innermost(cov_thread *t, uint32_t path_id, uint32_t *at);
static void trace_remove(cov_thread *t, uint32_t at);
static int trace_push(cov_thread *t, uint32_t path_id, uint32_t block);
static void trace_append(cov_thread *t, cov_trace *tr, uint32_t block);

cov_thread *rtx_cov_thread_acquire(void)
{
    pthread_once(&g_key_once, make_key);
    cov_thread *t;
    for (t = atomic_load_explicit(&rtx_cov_threads, memory_order_acquire); t; t = t->next) {
        int z = 0;
        if (atomic_load_explicit(&t->owned, memory_order_relaxed) == 0 &&
            atomic_compare_exchange_strong(&t->owned, &z, 1))
            break;
    }
    if (t == NULL) {
        t = rtx_cov_calloc_lines(sizeof *t);
        cov_table *tb = rtx_cov_calloc_lines(sizeof *tb + TABLE0 * sizeof(cov_slot));
        if (t == NULL || tb == NULL) {
            rtx_cov_free(t);
            rtx_cov_free(tb);
            return NULL;
        }
        tb->mask = TABLE0 - 1;
        atomic_init(&t->tab, tb);
        atomic_init(&t->owned, 1);
        t->gate = UINT64_MAX;
        atomic_init(&t->epoch, atomic_load(&rtx_cov_epoch));
        t->index = atomic_fetch_add(&g_nthreads, 1);
        cov_thread *head = atomic_load(&rtx_cov_threads);
        do
            t->next = head;
        while (!atomic_compare_exchange_weak(&rtx_cov_threads, &head, t));
    } else {
        /* Adopted from a thread that exited: its open traces stay reportable
         * but are never extended by this thread; its frames are dead. */
        uint32_t n = atomic_load(&t->ntraces);
        for (uint32_t i = 0; i < n; i++)
            atomic_store(&t->traces[i].orphan, 1);
        t->nframes = t->fbase = 0;
    }
    t->gate = UINT64_MAX;   /* the caller's slow path sets it */
    rtx_cov_tls = t;
    pthread_setspecific(g_key, t);
    if (rtx_cov_persist_active())
        rtx_cov_altstack_install(t);
    return t;
}

void rtx_cov_thread_reset(cov_thread *t)
{
    cov_table *tb = atomic_load_explicit(&t->tab, memory_order_relaxed);
    for (size_t i = 0; i <= tb->mask; i++) {
        for (int c = 0; c < 3; c++)
            atomic_store_explicit(&tb->s[i].n[c], 0, memory_order_relaxed);
        tb->s[i].vec_full = 0;
    }
    t->nframes = t->fbase = 0;
    atomic_store(&t->ntraces, 0);
    atomic_store(&t->nperf, 0);
    for (int c = 0; c < RTX_COV_NCTR; c++)
        atomic_store_explicit(&t->ctr[c], 0, memory_order_relaxed);
    atomic_store(&t->epoch, atomic_load(&rtx_cov_epoch));
}

cov_slot *rtx_cov_insert(cov_thread *t, uint32_t kind, uint64_t k0, uint64_t k1, uint64_t k2,
                         uint32_t gidx)
{
    cov_table *tb = atomic_load_explicit(&t->tab, memory_order_relaxed);
    if ((tb->used + 1) * 2 > tb->mask + 1) {
        /* Grow: copy into a table twice the size, publish it, retire the old
         * one (a concurrent reader may still hold it). */
        size_t cap = (tb->mask + 1) * 2;
        cov_table *nt = rtx_cov_calloc_lines(sizeof *nt + cap * sizeof(cov_slot));
        if (nt == NULL)
            return NULL;
        nt->mask = cap - 1;
        for (size_t i = 0; i <= tb->mask; i++) {
            cov_slot *o = &tb->s[i];
            uint32_t g = atomic_load_explicit(&o->gidx, memory_order_relaxed);
            if (g == 0)
                continue;
            size_t j = (size_t)rtx_cov_hash(o->kind, o->k0, o->k1, o->k2) & nt->mask;
            while (atomic_load_explicit(&nt->s[j].gidx, memory_order_relaxed))
                j = (j + 1) & nt->mask;
            cov_slot *d = &nt->s[j];
            d->k0 = o->k0, d->k1 = o->k1, d->k2 = o->k2, d->kind = o->kind;
            d->vec_full = o->vec_full;
            for (int c = 0; c < 3; c++)
                atomic_init(&d->n[c], atomic_load_explicit(&o->n[c], memory_order_relaxed));
            atomic_init(&d->gidx, g);
        }
        nt->used = tb->used;
        atomic_store_explicit(&t->tab, nt, memory_order_release);
        retire(t, tb);
        tb = nt;
    }
    size_t i = (size_t)rtx_cov_hash(kind, k0, k1, k2) & tb->mask;
    while (atomic_load_explicit(&tb->s[i].gidx, memory_order_relaxed))
        i = (i + 1) & tb->mask;
    cov_slot *s = &tb->s[i];
    s->k0 = k0, s->k1 = k1, s->k2 = k2, s->kind = kind;
    tb->used++;
    atomic_store_explicit(&s->gidx, gidx + 1, memory_order_release);
    return s;
}

cov_slot *rtx_cov_miss(cov_thread *t, uint32_t kind, uint32_t dec, uint32_t cond,
                       const char *file, uint32_t line, uint32_t col)
{
    uint32_t g = rtx_cov_reg_site(kind, dec, cond, file, line, col);
    cov_slot *s = g == COV_NONE ? NULL
                                : rtx_cov_insert(t, kind, (uintptr_t)file,
                                                 dec | (uint64_t)cond << 32,
                                                 line | (uint64_t)col << 32, g);
    if (s == NULL)
        ctr_add(t, RTX_COV_C_PROBES_DROPPED);
    return s;
}

/* ---- MC/DC frames ---- */

#define FRAME(t, i) (&(t)->frames[((t)->fbase + (uint32_t)(i)) % COV_MAX_FRAMES])

void rtx_cov_frame_cond(cov_thread *t, uint32_t dec, uint32_t cond, bool r, const char *file)
{
    uint64_t bit = UINT64_C(1) << cond;
    int i = (int)t->nframes - 1;
    while (i >= 0 && !(FRAME(t, i)->dec == dec && FRAME(t, i)->file == file))
        i--;
    if (i < 0 || (FRAME(t, i)->eval & bit)) {
        if (t->nframes == COV_MAX_FRAMES) {   /* drop the oldest frame */
            t->fbase = (t->fbase + 1) % COV_MAX_FRAMES;
            t->nframes--;
            ctr_add(t, RTX_COV_C_FRAME_OVERFLOW);
        }
        i = (int)t->nframes++;
        *FRAME(t, i) = (cov_frame){.file = file, .dec = dec};
    } else if ((uint32_t)i + 1 < t->nframes) {
        for (uint32_t k = (uint32_t)i + 1; k < t->nframes; k++)
            ctr_add(t, RTX_COV_C_FRAMES_ABANDONED);
        t->nframes = (uint32_t)i + 1;
    }
    cov_frame *f = FRAME(t, i);
    f->eval |= bit;
    if (r)
        f->tmask |= bit;
}

void rtx_cov_frame_commit(cov_thread *t, cov_slot *ds, uint32_t dec, const char *file, bool r)
{
    int i = (int)t->nframes - 1;
    while (i >= 0 && !(FRAME(t, i)->dec == dec && FRAME(t, i)->file == file))
        i--;
    if (i < 0)
        return;
    for (uint32_t k = (uint32_t)i + 1; k < t->nframes; k++)
        ctr_add(t, RTX_COV_C_FRAMES_ABANDONED);
    cov_frame f = *FRAME(t, i);
    t->nframes = (uint32_t)i;
    uint32_t dsite = atomic_load_explicit(&ds->gidx, memory_order_relaxed) - 1;
    uint64_t k2 = dsite | (uint64_t)(r ? 1 : 0) << 32;
    cov_slot *vs = rtx_cov_find(t, RTX_COV_VEC, f.eval, f.tmask, k2);
    if (vs == NULL) {
        /* Once this thread met the decision's cap, vectors it has not seen
         * itself are counted as overflow without asking the registry. */
        uint32_t g = ds->vec_full ? COV_FULL : rtx_cov_reg_vec(dsite, f.eval, f.tmask, r);
        if (g == COV_FULL) {
            ds->vec_full = 1;
            rtx_cov_bump(&ds->n[2]);
            return;
        }
        if (g == COV_NONE || (vs = rtx_cov_insert(t, RTX_COV_VEC, f.eval, f.tmask, k2, g)) == NULL) {
            ctr_add(t, RTX_COV_C_PROBES_DROPPED);
            return;
        }
    }
    rtx_cov_bump(&vs->n[0]);
}

/* ---- paths ---- */

void rtx_cov_path_step(cov_thread *t, uint32_t path_id, uint32_t block)
{
    uint32_t at;
    cov_trace *tr = innermost(t, path_id, &at);
    if (tr != NULL) {
        cov_blocks *b = atomic_load_explicit(&tr->buf, memory_order_relaxed);
        if (atomic_load_explicit(&b->b[0], memory_order_relaxed) != block) {
            trace_append(t, tr, block);
            return;
        }
    }
    if (trace_push(t, path_id, block) != 0)
        ctr_add(t, RTX_COV_C_PROBES_DROPPED);
}

void rtx_cov_path_end(cov_thread *t, uint32_t path_id)
{
    uint32_t at;
    cov_trace *tr = innermost(t, path_id, &at);
    if (tr == NULL)
        return;
    cov_blocks *b = atomic_load_explicit(&tr->buf, memory_order_relaxed);
    uint32_t n = atomic_load_explicit(&tr->len, memory_order_relaxed);
    uint64_t h = rtx_cov_hash_blocks(b->b, n);
    uint64_t k1 = path_id | (uint64_t)n << 32;
    /* Slots with the same hash, id and length form a chain keyed 0, 1, 2...
     * (a 64-bit hash collision); the blocks decide which one is this path. */
    uint64_t k2 = 0;
    cov_slot *s;
    while ((s = rtx_cov_find(t, RTX_COV_PATH, h, k1, k2)) != NULL) {
        const cov_site *site = rtx_cov_site_at(atomic_load_explicit(&s->gidx, memory_order_relaxed) - 1);
        uint32_t i = 0;
        while (i < n && site->k.blocks[i] == atomic_load_explicit(&b->b[i], memory_order_relaxed))
            i++;
        if (i == n)
            break;
        k2++;
    }
    if (s == NULL) {
        uint32_t g = rtx_cov_reg_path(path_id, b->b, n, h);
        if (g == COV_FULL)
            ctr_add(t, RTX_COV_C_PATH_OVERFLOW);
        else if (g == COV_NONE || (s = rtx_cov_insert(t, RTX_COV_PATH, h, k1, k2, g)) == NULL)
            ctr_add(t, RTX_COV_C_PROBES_DROPPED);
    }
    if (s != NULL)
        rtx_cov_bump(&s->n[0]);
    trace_remove(t, at);
}

/* ---- timed mode ---- */

void rtx_cov_perf_add(cov_thread *t, const cov_slot *s)
{
    uint32_t n = atomic_load_explicit(&t->nperf, memory_order_relaxed);
    cov_perfbuf *pb = atomic_load_explicit(&t->perf, memory_order_relaxed);
    if (pb == NULL || n == pb->cap) {
        if (n >= COV_MAX_PERF) {
            ctr_add(t, RTX_COV_C_PERF_DROPPED);
            return;
        }
        uint32_t cap = pb ? pb->cap * 2 : 1024;
        cov_perfbuf *nb = rtx_cov_calloc(1, sizeof *nb + cap * sizeof(cov_perf_ent));
        if (nb == NULL) {
            ctr_add(t, RTX_COV_C_PERF_DROPPED);
            return;
        }
        nb->cap = cap;
        for (uint32_t i = 0; i < n; i++) {
            atomic_init(&nb->e[i].ts, atomic_load_explicit(&pb->e[i].ts, memory_order_relaxed));
            atomic_init(&nb->e[i].gidx, atomic_load_explicit(&pb->e[i].gidx, memory_order_relaxed));
        }
        atomic_store_explicit(&t->perf, nb, memory_order_release);
        if (pb)
            retire(t, pb);
        pb = nb;
    }
    atomic_store_explicit(&pb->e[n].ts, rtx_cov_now_ns(), memory_order_relaxed);
    atomic_store_explicit(&pb->e[n].gidx, atomic_load_explicit(&s->gidx, memory_order_relaxed) - 1,
                          memory_order_relaxed);
    atomic_store_explicit(&t->nperf, n + 1, memory_order_release);
}

void rtx_cov_threads_reset(void)
{
    cov_thread *t = atomic_exchange(&rtx_cov_threads, NULL);
    while (t != NULL) {
        cov_thread *next = t->next;
        for (void *r = t->retired; r != NULL;) {
            void *n = *(void **)r;
            rtx_cov_free(r);
            r = n;
        }
        for (int i = 0; i < COV_MAX_TRACES; i++)
            rtx_cov_free(atomic_load(&t->traces[i].buf));
        rtx_cov_free(atomic_load(&t->tab));
        rtx_cov_free(atomic_load(&t->perf));
        if (!t->altstack_ours)
            rtx_cov_free(t->altstack);
        rtx_cov_free(t);
        t = next;
    }
    atomic_store(&g_nthreads, 0);
    rtx_cov_tls = &rtx_cov_nobody;
    pthread_once(&g_key_once, make_key);
    pthread_setspecific(g_key, NULL);
}

/* ---- fork, exit, signal stacks ---- */

void rtx_cov_fork_child(void)
{
    /* Only the forking thread exists in the child: every other state is
     * free for adoption. The child reports only what it records itself, so
     * parent and child reports add up to the exact totals. */
    for (cov_thread *t = atomic_load(&rtx_cov_threads); t; t = t->next)
        if (t != rtx_cov_tls)
            atomic_store(&t->owned, 0);
    atomic_fetch_add(&rtx_cov_epoch, 1);
    rtx_cov_gate_update();
}

void rtx_cov_altstack_install(cov_thread *t)
{
    stack_t cur;
    if (sigaltstack(NULL, &cur) != 0 || !(cur.ss_flags & SS_DISABLE))
        return;   /* the thread has one already (ASan's, the program's) */
    size_t size = 65536;
    if (t->altstack == NULL && (t->altstack = rtx_cov_malloc(size)) == NULL)
        return;
    stack_t ss = {.ss_sp = t->altstack, .ss_size = size, .ss_flags = 0};
    t->altstack_ours = sigaltstack(&ss, NULL) == 0;
}

static void thread_exit(void *p)
{
    cov_thread *t = p;
    if (t->altstack_ours) {
        stack_t ss = {.ss_flags = SS_DISABLE};
        sigaltstack(&ss, NULL);
        t->altstack_ours = 0;
    }
    if (rtx_cov_tls == t)
        rtx_cov_tls = &rtx_cov_nobody;
    atomic_store(&t->owned, 0);
}

/* ---- helpers ---- */

static void retire(cov_thread *t, void *obj)
{
    *(void **)obj = t->retired;   /* every retirable object starts with its link */
    t->retired = obj;
}

static cov_trace *innermost(cov_thread *t, uint32_t path_id, uint32_t *at)
{
    for (uint32_t i = atomic_load_explicit(&t->ntraces, memory_order_relaxed); i-- > 0;) {
        cov_trace *tr = &t->traces[i];
        if (atomic_load_explicit(&tr->path_id, memory_order_relaxed) == path_id &&
            !atomic_load_explicit(&tr->orphan, memory_order_relaxed)) {
            *at = i;
            return tr;
        }
    }
    return NULL;
}

/* Removes trace `at`, keeping the order of the others; its buffer moves to
 * the free end for reuse. Readers clamp lengths to buffer capacities, so a
 * concurrent reader sees a torn snapshot at worst, never a bad address. */
static void trace_remove(cov_thread *t, uint32_t at)
{
    uint32_t n = atomic_load_explicit(&t->ntraces, memory_order_relaxed);
    /* Parked in the state, not just a local: a fork() in the middle must not
     * leave the child a buffer nothing it has points to. */
    atomic_store_explicit(&t->parked, atomic_load_explicit(&t->traces[at].buf, memory_order_relaxed),
                          memory_order_relaxed);
    atomic_store_explicit(&t->ntraces, n - 1, memory_order_release);
    for (uint32_t i = at; i + 1 < n; i++) {
        cov_trace *d = &t->traces[i], *s = &t->traces[i + 1];
        atomic_store_explicit(&d->len, 0, memory_order_relaxed);
        atomic_store_explicit(&d->buf, atomic_load_explicit(&s->buf, memory_order_relaxed),
                              memory_order_release);
        atomic_store_explicit(&d->path_id, atomic_load_explicit(&s->path_id, memory_order_relaxed),
                              memory_order_relaxed);
        atomic_store_explicit(&d->orphan, atomic_load_explicit(&s->orphan, memory_order_relaxed),
                              memory_order_relaxed);
        atomic_store_explicit(&d->len, atomic_load_explicit(&s->len, memory_order_relaxed),
                              memory_order_release);
    }
    atomic_store_explicit(&t->traces[n - 1].len, 0, memory_order_relaxed);
    atomic_store_explicit(&t->traces[n - 1].buf, atomic_load_explicit(&t->parked, memory_order_relaxed),
                          memory_order_release);
    atomic_store_explicit(&t->parked, NULL, memory_order_relaxed);
}

static int trace_push(cov_thread *t, uint32_t path_id, uint32_t block)
{
    uint32_t n = atomic_load_explicit(&t->ntraces, memory_order_relaxed);
    if (n == COV_MAX_TRACES) {   /* drop the outermost trace */
        trace_remove(t, 0);
        ctr_add(t, RTX_COV_C_PATH_OVERFLOW);
        n--;
    }
    cov_trace *tr = &t->traces[n];
    if (atomic_load_explicit(&tr->buf, memory_order_relaxed) == NULL) {
        cov_blocks *b = rtx_cov_calloc(1, sizeof *b + 16 * sizeof(uint32_t));
        if (b == NULL)
            return -1;
        b->cap = 16;
        atomic_store_explicit(&tr->buf, b, memory_order_release);
    }
    atomic_store_explicit(&tr->len, 0, memory_order_relaxed);
    atomic_store_explicit(&tr->path_id, path_id, memory_order_relaxed);
    atomic_store_explicit(&tr->orphan, 0, memory_order_relaxed);
    atomic_store_explicit(&t->ntraces, n + 1, memory_order_release);
    trace_append(t, tr, block);
    return 0;
}

static void trace_append(cov_thread *t, cov_trace *tr, uint32_t block)
{
    uint32_t n = atomic_load_explicit(&tr->len, memory_order_relaxed);
    cov_blocks *b = atomic_load_explicit(&tr->buf, memory_order_relaxed);
    if (n == RTX_COV_MAX_TRACE) {
        ctr_add(t, RTX_COV_C_PATH_TRUNCATED);
        return;
    }
    if (n == b->cap) {
        uint32_t cap = b->cap * 2 > RTX_COV_MAX_TRACE ? RTX_COV_MAX_TRACE : b->cap * 2;
        cov_blocks *nb = rtx_cov_calloc(1, sizeof *nb + cap * sizeof(uint32_t));
        if (nb == NULL) {
            ctr_add(t, RTX_COV_C_PROBES_DROPPED);
            return;
        }
        nb->cap = cap;
        for (uint32_t i = 0; i < n; i++)
            atomic_init(&nb->b[i], atomic_load_explicit(&b->b[i], memory_order_relaxed));
        atomic_store_explicit(&tr->buf, nb, memory_order_release);
        retire(t, b);
        b = nb;
    }
    atomic_store_explicit(&b->b[n], block, memory_order_relaxed);
    atomic_store_explicit(&tr->len, n + 1, memory_order_release);
}
