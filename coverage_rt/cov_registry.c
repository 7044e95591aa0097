/*
 * coverage_rt/cov_registry.c — the global site registry behind every
 * rt_coverage_* probe (spec/ffi/coverage.sdn): file names interned by
 * content, and one entry per distinct decision, condition, MC/DC vector and
 * path. A thread comes here once per site it has not seen before; probes
 * after that never do (see cov_internal.h).
 *
 * Invariants:
 *  - Entries live in chunks that never move; chunk c holds 256 << c entries.
 *    An entry is complete before g_count (release) covers it, so readers —
 *    dumps and the signal handler — read [0, count) without the lock.
 *  - Writers hold g_lock; lookups by content use an open-addressing index
 *    (site number + 1 per cell, at most half full) that only writers touch.
 *  - Nothing is ever removed: rt_coverage_clear zeroes counts, not sites.
 */
#include <string.h>

#include "coverage_rt/cov_internal.h"

#define NCHUNK 24

static _Atomic(cov_site *) g_chunk[NCHUNK];
static _Atomic uint32_t g_count;
static uint32_t g_cap;                 /* entries the allocated chunks hold */
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static uint32_t *g_index;              /* site number + 1, 0 empty */
static size_t g_index_mask;
static char **g_files;                 /* interned names; open addressing */
static size_t g_files_mask, g_nfiles;
static uint32_t g_npaths;
static uint64_t g_path_blocks;

static uint64_t key_hash(const rtx_cov_key *k, uint64_t blocks_hash);
static int key_eq(const rtx_cov_key *a, const rtx_cov_key *b);
static uint32_t find_or_add(const rtx_cov_key *k, uint64_t h, int *added);
static const char *intern(const char *name);
static uint64_t str_hash(const char *s);

uint32_t rtx_cov_reg_site(uint32_t kind, uint32_t dec, uint32_t cond, const char *file,
                          uint32_t line, uint32_t col)
{
    pthread_mutex_lock(&g_lock);
    uint32_t r = COV_NONE;
    const char *f = intern(file ? file : "");
    if (f) {
        rtx_cov_key k = {.kind = kind, .dec = dec, .cond = cond, .line = line, .col = col,
                         .file = f};
        int added;
        r = find_or_add(&k, key_hash(&k, 0), &added);
    }
    pthread_mutex_unlock(&g_lock);
    return r;
}

uint32_t rtx_cov_reg_vec(uint32_t dec_site, uint64_t eval, uint64_t tmask, uint32_t outcome)
{
    pthread_mutex_lock(&g_lock);
    cov_site *d = (cov_site *)rtx_cov_site_at(dec_site);
    rtx_cov_key k = d->k;   /* the decision's id, file, line, column */
    k.kind = RTX_COV_VEC;
    k.eval = eval;
    k.tmask = tmask & eval;
    k.outcome = outcome ? 1 : 0;
    uint64_t h = key_hash(&k, 0);
    uint32_t r = COV_FULL;
    /* Look up first: a vector another thread registered is never "over the cap". */
    for (size_t i = h & g_index_mask; g_index && g_index[i]; i = (i + 1) & g_index_mask) {
        const cov_site *s = rtx_cov_site_at(g_index[i] - 1);
        if (s->hash == h && key_eq(&s->k, &k)) {
            r = g_index[i] - 1;
            goto out;
        }
    }
    if (atomic_load_explicit(&d->nvec, memory_order_relaxed) < RTX_COV_MAX_VECTORS) {
        int added;
        r = find_or_add(&k, h, &added);
        if (added)
            atomic_fetch_add_explicit(&d->nvec, 1, memory_order_relaxed);
    }
out:
    pthread_mutex_unlock(&g_lock);
    return r;
}

uint32_t rtx_cov_reg_path(uint32_t path_id, const _Atomic uint32_t *blocks, uint32_t n,
                          uint64_t hash)
{
    uint32_t *copy = rtx_cov_malloc((size_t)n * sizeof *copy);
    if (copy == NULL)
        return COV_NONE;
    for (uint32_t i = 0; i < n; i++)
        copy[i] = atomic_load_explicit(&blocks[i], memory_order_relaxed);
    rtx_cov_key k = {.kind = RTX_COV_PATH, .dec = path_id, .nblocks = n, .blocks = copy,
                     .file = ""};
    uint64_t h = key_hash(&k, hash);
    pthread_mutex_lock(&g_lock);
    uint32_t r = COV_FULL;
    int added = 0;
    for (size_t i = h & g_index_mask; g_index && g_index[i]; i = (i + 1) & g_index_mask) {
        const cov_site *s = rtx_cov_site_at(g_index[i] - 1);
        if (s->hash == h && key_eq(&s->k, &k)) {
            r = g_index[i] - 1;
            goto out;
        }
    }
    if (g_npaths < COV_MAX_PATHS && g_path_blocks + n <= COV_MAX_PATH_BLOCKS) {
        r = find_or_add(&k, h, &added);
        if (added) {
            g_npaths++;
            g_path_blocks += n;
        }
    }
out:
    pthread_mutex_unlock(&g_lock);
    if (!added)
        rtx_cov_free(copy);
    return r;
}

const cov_site *rtx_cov_site_at(uint32_t i)
{
    uint32_t q = (i >> 8) + 1;
    int c = 31 - __builtin_clz(q);
    uint32_t off = i - ((((uint32_t)1 << c) - 1) << 8);
    return &atomic_load_explicit(&g_chunk[c], memory_order_acquire)[off];
}

uint32_t rtx_cov_nsites(void) { return atomic_load_explicit(&g_count, memory_order_acquire); }

uint32_t rtx_cov_site_capacity(void)
{
    pthread_mutex_lock(&g_lock);
    uint32_t c = g_cap;
    pthread_mutex_unlock(&g_lock);
    return c;
}

void rtx_cov_reg_reset(void)
{
    uint32_t n = atomic_load(&g_count);
    for (uint32_t i = 0; i < n; i++) {
        const cov_site *s = rtx_cov_site_at(i);
        if (s->k.kind == RTX_COV_PATH)
            rtx_cov_free((void *)s->k.blocks);
    }
    for (int c = 0; c < NCHUNK; c++) {
        rtx_cov_free(atomic_load(&g_chunk[c]));
        atomic_store(&g_chunk[c], NULL);
    }
    for (size_t i = 0; g_files && i <= g_files_mask; i++)
        rtx_cov_free(g_files[i]);
    rtx_cov_free(g_files);
    rtx_cov_free(g_index);
    g_files = NULL;
    g_index = NULL;
    g_files_mask = g_index_mask = g_nfiles = 0;
    g_npaths = 0;
    g_path_blocks = 0;
    g_cap = 0;
    atomic_store(&g_count, 0);
}

void rtx_cov_reg_lock(void) { pthread_mutex_lock(&g_lock); }
void rtx_cov_reg_unlock(void) { pthread_mutex_unlock(&g_lock); }

uint64_t rtx_cov_hash_blocks(const _Atomic uint32_t *b, uint32_t n)
{
    uint64_t h = UINT64_C(0xCBF29CE484222325) ^ n;
    for (uint32_t i = 0; i < n; i++) {
        h ^= atomic_load_explicit(&b[i], memory_order_relaxed);
        h *= UINT64_C(0x100000001B3);
        h ^= h >> 31;
    }
    return h;
}

/* ---- helpers (g_lock held) ---- */

static uint64_t key_hash(const rtx_cov_key *k, uint64_t blocks_hash)
{
    uint64_t h = rtx_cov_hash(k->kind, (uintptr_t)k->file ^ blocks_hash,
                              k->dec | (uint64_t)k->cond << 32,
                              k->line | (uint64_t)k->col << 32);
    h ^= rtx_cov_hash(k->outcome, k->eval, k->tmask, k->nblocks);
    return h ? h : 1;
}

static int key_eq(const rtx_cov_key *a, const rtx_cov_key *b)
{
    if (a->kind != b->kind || a->dec != b->dec || a->cond != b->cond || a->line != b->line ||
        a->col != b->col || a->file != b->file || a->eval != b->eval || a->tmask != b->tmask ||
        a->outcome != b->outcome || a->nblocks != b->nblocks)
        return 0;
    return a->nblocks == 0 || memcmp(a->blocks, b->blocks, a->nblocks * sizeof *a->blocks) == 0;
}

static int grow_index(void)
{
    size_t cap = g_index ? (g_index_mask + 1) * 2 : 1024;
    uint32_t *ni = rtx_cov_calloc(cap, sizeof *ni);
    if (ni == NULL)
        return -1;
    uint32_t n = atomic_load_explicit(&g_count, memory_order_relaxed);
    for (uint32_t s = 0; s < n; s++) {
        size_t i = rtx_cov_site_at(s)->hash & (cap - 1);
        while (ni[i])
            i = (i + 1) & (cap - 1);
        ni[i] = s + 1;
    }
    rtx_cov_free(g_index);
    g_index = ni;
    g_index_mask = cap - 1;
    return 0;
}

/* The site with key k (hash h), added if absent. COV_NONE: out of memory. */
static uint32_t find_or_add(const rtx_cov_key *k, uint64_t h, int *added)
{
    *added = 0;
    uint32_t n = atomic_load_explicit(&g_count, memory_order_relaxed);
    if ((g_index == NULL || (size_t)(n + 1) * 2 > g_index_mask + 1) && grow_index() != 0)
        return COV_NONE;
    size_t i = h & g_index_mask;
    for (; g_index[i]; i = (i + 1) & g_index_mask) {
        const cov_site *s = rtx_cov_site_at(g_index[i] - 1);
        if (s->hash == h && key_eq(&s->k, k))
            return g_index[i] - 1;
    }
    if (n >= UINT32_MAX - 2)
        return COV_NONE;
    if (n == g_cap) {   /* a new chunk */
        int c = 31 - __builtin_clz((n >> 8) + 1);
        if (c >= NCHUNK)
            return COV_NONE;
        cov_site *chunk = rtx_cov_calloc((size_t)256 << c, sizeof *chunk);
        if (chunk == NULL)
            return COV_NONE;
        atomic_store_explicit(&g_chunk[c], chunk, memory_order_release);
        g_cap += (uint32_t)256 << c;
    }
    /* The crash writer must be able to hold every published site. */
    rtx_cov_persist_reserve(n + 1);
    cov_site *s = (cov_site *)rtx_cov_site_at(n);
    s->k = *k;
    s->hash = h;
    g_index[i] = n + 1;
    atomic_store_explicit(&g_count, n + 1, memory_order_release);
    *added = 1;
    return n;
}

static uint64_t str_hash(const char *s)
{
    uint64_t h = UINT64_C(0xCBF29CE484222325);
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= UINT64_C(0x100000001B3);
    }
    return h;
}

/* The registry's copy of name (stable for the life of the process). */
static const char *intern(const char *name)
{
    if (g_files == NULL || (g_nfiles + 1) * 2 > g_files_mask + 1) {
        size_t cap = g_files ? (g_files_mask + 1) * 2 : 64;
        char **nf = rtx_cov_calloc(cap, sizeof *nf);
        if (nf == NULL)
            return NULL;
        for (size_t i = 0; g_files && i <= g_files_mask; i++) {
            if (g_files[i] == NULL)
                continue;
            size_t j = str_hash(g_files[i]) & (cap - 1);
            while (nf[j])
                j = (j + 1) & (cap - 1);
            nf[j] = g_files[i];
        }
        rtx_cov_free(g_files);
        g_files = nf;
        g_files_mask = cap - 1;
    }
    size_t i = str_hash(name) & g_files_mask;
    for (; g_files[i]; i = (i + 1) & g_files_mask)
        if (strcmp(g_files[i], name) == 0)
            return g_files[i];
    size_t len = strlen(name);
    char *copy = rtx_cov_malloc(len + 1);
    if (copy == NULL)
        return NULL;
    memcpy(copy, name, len + 1);
    g_files[i] = copy;
    g_nfiles++;
    return copy;
}
