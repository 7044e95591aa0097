/*
 * coverage_rt/cov_dump.c — reports of the live counts: rt_coverage_dump_sdn,
 * rt_coverage_dump_sdn_cstr, rt_coverage_free_sdn (spec/ffi/coverage.sdn),
 * and the model builder the exit/crash writer shares.
 *
 * rtx_cov_build is async-signal-safe: it takes memory only from the arena it
 * is given (the crash writer's is allocated in advance, cov_persist.c), reads
 * other threads' state with atomic loads only, and sorts with a heapsort.
 * Threads keep probing while it runs, so a report is a snapshot that may
 * miss probes made during it, never one with torn rows: each count is one
 * 64-bit load.
 */
#include <string.h>

#include "coverage_rt/cov_internal.h"
#include "simplert/coverage.h"

#define ALIGN 16u
#define PER_SITE (3 * sizeof(uint64_t) + sizeof(rtx_cov_row))

static pthread_mutex_t g_dump_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t g_out_lock = PTHREAD_MUTEX_INITIALIZER;
static char **g_out;               /* reports handed out and not yet freed */
static size_t g_nout, g_capout;

typedef struct perf_ctx {
    int which;
    uint32_t epoch;
} perf_ctx;
static perf_ctx g_perf_ctx[2];

static void *take(cov_arena *a, size_t n);
static int live(const cov_thread *t, uint32_t epoch);
static int perf_next(void *ctx, rtx_cov_perf *out);
static int track(char *p);

char *rt_coverage_dump_sdn(void)
{
    (void)rt_coverage_enabled();   /* a query: settles SIMPLE_COVERAGE once */
    rtx_cov_dump_lock();
    /* Size the arena from what exists now; sites and traces added meanwhile
     * are left for the next report (rtx_cov_build clamps to the arena). */
    uint32_t open_rows = 0, open_blocks = 0;
    for (cov_thread *t = atomic_load(&rtx_cov_threads); t; t = t->next) {
        uint32_t nt = atomic_load(&t->ntraces);
        for (uint32_t i = 0; i < nt && i < COV_MAX_TRACES; i++) {
            cov_blocks *b = atomic_load(&t->traces[i].buf);
            uint32_t len = atomic_load(&t->traces[i].len);
            open_blocks += b && len <= b->cap ? len : 0;
        }
        open_rows += nt;
    }
    size_t size = rtx_cov_arena_size(rtx_cov_nsites(), open_rows, open_blocks);
    cov_arena a = {.p = rtx_cov_malloc(size), .cap = size};
    char *text = NULL;
    if (a.p != NULL) {
        rtx_cov_model m;
        rtx_cov_build(&a, &m, 0, open_rows, open_blocks);
        rtx_cov_sink s;
        if (rtx_cov_sink_mem_init(&s) == 0)
            rtx_cov_write(&m, &s);
        text = rtx_cov_sink_mem_end(&s, NULL);
        rtx_cov_free(a.p);
    }
    rtx_cov_dump_unlock();
    if (text != NULL && track(text) != 0) {
        rtx_cov_free(text);
        text = NULL;
    }
    return text;
}

char *rt_coverage_dump_sdn_cstr(void) { return rt_coverage_dump_sdn(); }

void rt_coverage_free_sdn(char *sdn)
{
    if (sdn == NULL)
        return;
    int found = 0;
    pthread_mutex_lock(&g_out_lock);
    for (size_t i = 0; i < g_nout; i++) {
        if (g_out[i] == sdn) {
            g_out[i] = g_out[--g_nout];
            found = 1;
            break;
        }
    }
    pthread_mutex_unlock(&g_out_lock);
    if (found)
        rtx_cov_free(sdn);
}

size_t rtx_cov_arena_size(uint32_t sites, uint32_t open_rows, uint32_t open_blocks)
{
    return (size_t)sites * PER_SITE + (size_t)open_rows * sizeof(rtx_cov_row) +
           (size_t)open_blocks * sizeof(uint32_t) + RTX_COV_MAX_VECTORS * sizeof(uint64_t) +
           16 * ALIGN;
}

void rtx_cov_build(cov_arena *a, rtx_cov_model *m, int which, uint32_t open_rows,
                   uint32_t open_blocks)
{
    memset(m, 0, sizeof *m);
    uint32_t epoch = atomic_load(&rtx_cov_epoch);
    size_t fixed = rtx_cov_arena_size(0, open_rows, open_blocks);
    uint32_t n = rtx_cov_nsites();
    if (a->cap - a->used < fixed)
        n = 0, open_rows = 0, open_blocks = 0;
    else if ((a->cap - a->used - fixed) / PER_SITE < n)
        n = (uint32_t)((a->cap - a->used - fixed) / PER_SITE);

    /* Add up every live thread's counts per site. */
    uint64_t(*sum)[3] = take(a, (size_t)n * sizeof *sum);
    if (n)
        memset(sum, 0, (size_t)n * sizeof *sum);
    for (cov_thread *t = atomic_load(&rtx_cov_threads); t; t = t->next) {
        if (!live(t, epoch))
            continue;
        cov_table *tb = atomic_load_explicit(&t->tab, memory_order_acquire);
        for (size_t i = 0; i <= tb->mask; i++) {
            uint32_t g = atomic_load_explicit(&tb->s[i].gidx, memory_order_acquire);
            if (g == 0 || g > n)
                continue;
            for (int c = 0; c < 3; c++)
                sum[g - 1][c] = rtx_cov_sat_add(
                    sum[g - 1][c], atomic_load_explicit(&tb->s[i].n[c], memory_order_relaxed));
        }
        for (int c = 0; c < RTX_COV_NCTR; c++)
            m->ctr[c] = rtx_cov_sat_add(m->ctr[c],
                                        atomic_load_explicit(&t->ctr[c], memory_order_relaxed));
    }

    /* One row per site with counts; open traces join the paths with count 0. */
    size_t cnt[5] = {0};
    for (uint32_t i = 0; i < n; i++) {
        uint32_t k = rtx_cov_site_at(i)->k.kind;
        cnt[k] += (sum[i][0] | sum[i][1] | sum[i][2]) != 0;
    }
    for (int k = RTX_COV_DEC; k <= RTX_COV_PATH; k++)
        m->rows[k] = take(a, (cnt[k] + (k == RTX_COV_PATH ? open_rows : 0)) * sizeof(rtx_cov_row));
    for (uint32_t i = 0; i < n; i++) {
        const cov_site *s = rtx_cov_site_at(i);
        if ((sum[i][0] | sum[i][1] | sum[i][2]) == 0)
            continue;
        rtx_cov_row *r = &m->rows[s->k.kind][m->nrows[s->k.kind]++];
        r->k = s->k;
        memcpy(r->n, sum[i], sizeof r->n);
    }
    uint32_t *blocks = take(a, (size_t)open_blocks * sizeof *blocks), used = 0, rows = 0;
    for (cov_thread *t = atomic_load(&rtx_cov_threads); t; t = t->next) {
        if (!live(t, epoch))
            continue;
        uint32_t nt = atomic_load_explicit(&t->ntraces, memory_order_acquire);
        for (uint32_t i = 0; i < nt && i < COV_MAX_TRACES; i++) {
            cov_trace *tr = &t->traces[i];
            cov_blocks *b = atomic_load_explicit(&tr->buf, memory_order_acquire);
            uint32_t len = atomic_load_explicit(&tr->len, memory_order_acquire);
            if (b == NULL || len == 0)
                continue;
            len = len < b->cap ? len : b->cap;
            if (rows == open_rows || open_blocks - used < len) {
                m->ctr[RTX_COV_C_PATH_OPEN_DROPPED]++;
                continue;
            }
            for (uint32_t j = 0; j < len; j++)
                blocks[used + j] = atomic_load_explicit(&b->b[j], memory_order_relaxed);
            rtx_cov_row *r = &m->rows[RTX_COV_PATH][m->nrows[RTX_COV_PATH]++];
            *r = (rtx_cov_row){.k = {.kind = RTX_COV_PATH,
                                     .dec = atomic_load_explicit(&tr->path_id, memory_order_relaxed),
                                     .nblocks = len, .blocks = blocks + used, .file = ""}};
            used += len;
            rows++;
        }
    }
    m->scratch = take(a, RTX_COV_MAX_VECTORS * sizeof(uint64_t));
    m->scratch_cap = RTX_COV_MAX_VECTORS;
    rtx_cov_model_finish(m);

    g_perf_ctx[which] = (perf_ctx){.which = which, .epoch = epoch};
    for (cov_thread *t = atomic_load(&rtx_cov_threads); t; t = t->next)
        t->perf_cur[which] = 0;
    m->perf_next = perf_next;
    m->perf_ctx = &g_perf_ctx[which];
}

void rtx_cov_dump_reset(void)
{
    for (size_t i = 0; i < g_nout; i++)
        rtx_cov_free(g_out[i]);
    rtx_cov_free(g_out);
    g_out = NULL;
    g_nout = g_capout = 0;
}

void rtx_cov_out_lock(void) { pthread_mutex_lock(&g_out_lock); }
void rtx_cov_out_unlock(void) { pthread_mutex_unlock(&g_out_lock); }
void rtx_cov_dump_lock(void) { pthread_mutex_lock(&g_dump_lock); }
void rtx_cov_dump_unlock(void) { pthread_mutex_unlock(&g_dump_lock); }

/* ---- helpers ---- */

/* n bytes from the arena (never fails: the builder sized its requests). */
static void *take(cov_arena *a, size_t n)
{
    n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    size_t at = (a->used + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    void *p = a->p + at;
    a->used = at + n;
    return p;
}

static int live(const cov_thread *t, uint32_t epoch)
{
    return atomic_load_explicit(&t->epoch, memory_order_acquire) == epoch;
}

/* perf_trace rows in (timestamp, thread) order: a k-way merge of the
 * threads' buffers, each already in time order. */
static int perf_next(void *vctx, rtx_cov_perf *out)
{
    perf_ctx *c = vctx;
    uint32_t nsites = rtx_cov_nsites();
    for (;;) {
        cov_thread *best = NULL;
        uint64_t best_ts = 0;
        for (cov_thread *t = atomic_load(&rtx_cov_threads); t; t = t->next) {
            if (!live(t, c->epoch))
                continue;
            cov_perfbuf *pb = atomic_load_explicit(&t->perf, memory_order_acquire);
            uint32_t cnt = atomic_load_explicit(&t->nperf, memory_order_acquire);
            if (pb == NULL || t->perf_cur[c->which] >= (cnt < pb->cap ? cnt : pb->cap))
                continue;
            uint64_t ts = atomic_load_explicit(&pb->e[t->perf_cur[c->which]].ts,
                                               memory_order_relaxed);
            if (best == NULL || ts < best_ts || (ts == best_ts && t->index < best->index)) {
                best = t;
                best_ts = ts;
            }
        }
        if (best == NULL)
            return 0;
        cov_perfbuf *pb = atomic_load_explicit(&best->perf, memory_order_acquire);
        uint32_t g = atomic_load_explicit(&pb->e[best->perf_cur[c->which]++].gidx,
                                          memory_order_relaxed);
        if (g >= nsites)
            continue;
        const cov_site *s = rtx_cov_site_at(g);
        *out = (rtx_cov_perf){.file = s->k.file, .line = s->k.line, .dec = s->k.dec,
                              .ts = best_ts};
        return 1;
    }
}

static int track(char *p)
{
    int rc = 0;
    pthread_mutex_lock(&g_out_lock);
    if (g_nout == g_capout) {
        size_t cap = g_capout ? g_capout * 2 : 16;
        char **n = rtx_cov_realloc(g_out, cap * sizeof *n);
        if (n == NULL)
            rc = -1;
        else
            g_out = n, g_capout = cap;
    }
    if (rc == 0)
        g_out[g_nout++] = p;
    pthread_mutex_unlock(&g_out_lock);
    return rc;
}
