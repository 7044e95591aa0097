/*
 * fuzz/rtz.c — argument builders and the sequence interpreter (see rtz.h).
 *
 * Builders never fail and never allocate outside the pools: when the input
 * runs out they return the kind's most boring valid value, so a short input
 * still makes every call.
 */
#include "fuzz/rtz.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "runtime/heap.h"

static void (*releasers[RTZ_NHK])(uint64_t h);

/* ---- input stream ---- */

int rtz_more(const rtz *z) { return z->pos < z->size; }

uint8_t rtz_u8(rtz *z) { return z->pos < z->size ? z->data[z->pos++] : 0; }

uint32_t rtz_u32(rtz *z)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v = (v << 8) | rtz_u8(z);
    return v;
}

uint64_t rtz_u64(rtz *z) { return ((uint64_t)rtz_u32(z) << 32) | rtz_u32(z); }

/* ---- scalar kinds ---- */

static const int64_t edge_i64[] = {
    0, 1, -1, 2, 7, 8, 42, 255, 256, 4096, 65535, 65536, INT32_MAX, INT32_MIN,
    (int64_t)UINT32_MAX, RT_INT_INLINE_MAX, RT_INT_INLINE_MIN, RT_INT_INLINE_MAX + 1,
    RT_INT_INLINE_MIN - 1, INT64_MAX, INT64_MIN, INT64_MAX - 1, INT64_MIN + 1,
    INT64_C(1) << 32, -(INT64_C(1) << 32), 100000000, 100000001,
};
#define NEDGE (sizeof edge_i64 / sizeof edge_i64[0])

int64_t rtz_i64(rtz *z)
{
    uint8_t c = rtz_u8(z);
    if (c < 128)
        return edge_i64[c % NEDGE];
    if (c < 192)
        return (int64_t)(int8_t)rtz_u8(z);
    return (int64_t)rtz_u64(z);
}

uint64_t rtz_u64k(rtz *z) { return (uint64_t)rtz_i64(z); }
int32_t rtz_i32(rtz *z) { return (int32_t)rtz_i64(z); }
uint32_t rtz_u32k(rtz *z) { return (uint32_t)rtz_i64(z); }
uint8_t rtz_u8k(rtz *z) { return rtz_u8(z); }
bool rtz_bool(rtz *z) { return rtz_u8(z) & 1; }

double rtz_f64(rtz *z)
{
    static const double edge[] = {0.0, -0.0, 1.0, -1.0, 0.5, 1e300, -1e300, 5e-324,
                                  2.2250738585072014e-308, 1.5, 2.5, -2.5, 0.1};
    uint8_t c = rtz_u8(z);
    if (c < 96)
        return edge[c % (sizeof edge / sizeof edge[0])];
    if (c < 112)
        return NAN;
    if (c < 128)
        return (c & 1) ? INFINITY : -INFINITY;
    if (c < 160)
        return (double)(int8_t)rtz_u8(z);
    uint64_t bits = rtz_u64(z);
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

int64_t rtz_index(rtz *z)
{
    uint8_t c = rtz_u8(z);
    if (c < 160)
        return (int64_t)(c % 20) - 6;   /* -6 .. 13: in range, negative, just past */
    return rtz_i64(z);
}

uint64_t rtz_count(rtz *z)
{
    uint8_t c = rtz_u8(z);
    if (c < 200)
        return c % 17;
    return rtz_u64k(z);
}

uint64_t rtz_size(rtz *z)
{
    uint8_t c = rtz_u8(z);
    if (c < 180)
        return (uint64_t)c * 3;
    if (c < 200)
        return 0;
    return rtz_u64k(z);
}

int64_t rtz_ms(rtz *z)
{
    uint8_t c = rtz_u8(z);
    if (c < 32)
        return -(int64_t)c;
    return c % 6;   /* never more than 5 ms: fuzzing must stay fast */
}

int64_t rtz_ns(rtz *z)
{
    uint8_t c = rtz_u8(z);
    if (c < 32)
        return -(int64_t)c;
    return (int64_t)(c % 6) * 1000000 + rtz_u8(z);
}

int64_t rtz_mode(rtz *z) { return (int64_t)(rtz_u8(z) % 103) - 2; }

/* ---- values ---- */

static int owned(const rtz *z, RtValue v)
{
    for (size_t i = 0; i < z->nvals; i++)
        if (z->vals[i] == v)
            return 1;
    return 0;
}

void rtz_adopt(rtz *z, RtValue v)
{
    if ((v & RT_TAG_MASK) != RT_TAG_HEAP || !rtx_heap_get(v, -1) || owned(z, v))
        return;
    if (z->nvals == RTZ_MAX_VALS) {
        /* Pool full: free the new value now rather than leak it. */
        rt_free(v);
        return;
    }
    z->vals[z->nvals++] = v;
}

/* A fresh value of a constructible heap type, owned by the input. */
static RtValue fresh(rtz *z, int type)
{
    RtValue v = RT_NIL;
    uint8_t n = rtz_u8(z) % 8;
    switch (type) {
    case RT_HEAP_STRING: {
        uint64_t len;
        const uint8_t *b = rtz_buf_in(z, &len);
        v = rt_string_new(b ? b : (const uint8_t *)"", b ? len : 0);
        break;
    }
    case RT_HEAP_ARRAY:
        v = rt_array_new(n);
        for (uint8_t i = 0; i < n; i++)
            rt_array_push(v, (i & 1) ? rt_value_float(rtz_f64(z)) : (RtValue)((uint64_t)rtz_i64(z) << 3));
        break;
    case RT_HEAP_TUPLE:
        v = rt_tuple_new(n);
        break;
    case RT_HEAP_OBJECT:
        v = rt_object_new(rtz_u8(z), n);
        break;
    case RT_HEAP_CLOSURE:
        v = rt_closure_new((const void *)rtz_fn_rv_rv(z), n);
        break;
    case RT_HEAP_BIGINT:
        v = rt_value_int(INT64_MAX - rtz_u8(z));
        break;
    default:
        return RT_NIL;
    }
    rtz_adopt(z, v);
    return v;
}

static RtValue pooled(rtz *z, int type)
{
    if (z->nvals == 0)
        return RT_NIL;
    size_t start = rtz_u8(z) % z->nvals;
    for (size_t k = 0; k < z->nvals; k++) {
        RtValue v = z->vals[(start + k) % z->nvals];
        if (type < 0 || rt_value_heap_type(v) == type)
            return v;
    }
    return RT_NIL;
}

/* A word that named a live object of this input and was freed. */
static RtValue stale(rtz *z)
{
    if (z->nstale == 0 || (z->nstale < RTZ_MAX_STALE && rtz_u8(z) % 4 == 0)) {
        RtValue v = rt_tuple_new(rtz_u8(z) % 4);
        rt_free(v);
        if (v != RT_NIL)
            z->stale[z->nstale++] = v;
    }
    return z->nstale ? z->stale[rtz_u8(z) % z->nstale] : RT_NIL;
}

static const RtValue bogus[] = {UINT64_C(0x1), UINT64_C(0x9), UINT64_C(0x10001),
                                UINT64_C(0xFFF9), UINT64_C(0x7FFFFFFFFFF1),
                                UINT64_C(0xFFFFFFFFFFFFFFF9), UINT64_C(0x1B),
                                UINT64_C(0x4), UINT64_C(0x5), UINT64_C(0x6), UINT64_C(0x7)};

RtValue rtz_rv(rtz *z)
{
    static const int types[] = {RT_HEAP_STRING, RT_HEAP_ARRAY, RT_HEAP_TUPLE, RT_HEAP_OBJECT,
                                RT_HEAP_CLOSURE, RT_HEAP_BIGINT};
    uint8_t c = rtz_u8(z) % 16;
    switch (c) {
    case 0: case 1: return (RtValue)((uint64_t)rtz_i64(z) << 3);
    case 2: return rt_value_float(rtz_f64(z));
    case 3: return (rtz_u8(z) % 3 == 0) ? RT_NIL : (rtz_bool(z) ? RT_TRUE : RT_FALSE);
    case 4: return ((uint64_t)rtz_u8(z) << 3) | RT_TAG_SPECIAL;   /* symbols */
    case 5: case 6: case 7: {
        RtValue v = pooled(z, -1);
        return v != RT_NIL ? v : fresh(z, types[rtz_u8(z) % 6]);
    }
    case 8: case 9: return fresh(z, types[rtz_u8(z) % 6]);
    case 10: return stale(z);
    case 11: return bogus[rtz_u8(z) % (sizeof bogus / sizeof bogus[0])];
    case 12: return rtz_u64(z);   /* any word at all */
    default: {
        RtValue v = pooled(z, -1);
        return v != RT_NIL ? v : rt_value_int(rtz_i64(z) & 0xFFFF);
    }
    }
}

RtValue rtz_rv_of(rtz *z, int heap_type)
{
    uint8_t c = rtz_u8(z) % 8;
    if (c < 5) {
        RtValue v = pooled(z, heap_type);
        if (v == RT_NIL || c == 0)
            v = fresh(z, heap_type);
        if (v != RT_NIL)
            return v;
    }
    return rtz_rv(z);
}

RtValue rtz_rv_int(rtz *z)
{
    if (rtz_u8(z) % 8 == 0)
        return rtz_rv(z);
    RtValue v = rt_value_int(rtz_i64(z));
    rtz_adopt(z, v);   /* wide ints are boxed */
    return v;
}

RtValue rtz_rv_float(rtz *z)
{
    return rtz_u8(z) % 8 == 0 ? rtz_rv(z) : rt_value_float(rtz_f64(z));
}

RtValue rtz_rv_bool(rtz *z)
{
    return rtz_u8(z) % 8 == 0 ? rtz_rv(z) : (rtz_bool(z) ? RT_TRUE : RT_FALSE);
}

/* ---- memory kinds ---- */

/* Carve n bytes (16-aligned) from the scratch area; wraps when full. */
static uint8_t *carve(rtz *z, size_t n)
{
    if (n > RTZ_SCRATCH)
        n = RTZ_SCRATCH;
    size_t at = (z->scratch_used + 15u) & ~(size_t)15u;
    if (at + n > RTZ_SCRATCH)
        at = 0;
    z->scratch_used = (unsigned)(at + n);
    return z->scratch + at;
}

const uint8_t *rtz_buf_in(rtz *z, uint64_t *len)
{
    uint8_t c = rtz_u8(z);
    if (c < 16) {
        *len = c < 8 ? 0 : rtz_u64k(z);   /* NULL with 0 or with a random length */
        return NULL;
    }
    size_t n = rtz_u8(z);
    if (c >= 240)
        n = n * 16;   /* sometimes a few KiB */
    uint8_t *b = carve(z, n);
    n = n > RTZ_SCRATCH ? RTZ_SCRATCH : n;
    for (size_t i = 0; i < n; i++)
        b[i] = rtz_more(z) ? rtz_u8(z) : (uint8_t)('a' + i % 26);
    *len = n;
    return b;
}

uint8_t *rtz_buf_out(rtz *z, uint64_t *len)
{
    uint8_t c = rtz_u8(z);
    if (c < 16) {
        *len = c < 8 ? 0 : rtz_u64k(z);
        return NULL;
    }
    size_t n = (size_t)rtz_u8(z) * ((c & 1) ? 16 : 1);
    uint8_t *b = carve(z, n);
    memset(b, 0xA5, n);
    *len = n;
    return b;
}

const char *rtz_cstr(rtz *z)
{
    uint64_t len;
    const uint8_t *b = rtz_buf_in(z, &len);
    if (b == NULL)
        return NULL;
    char *s = (char *)carve(z, (size_t)len + 1);
    memmove(s, b, (size_t)len);   /* the two may overlap when the scratch wrapped */
    s[len] = 0;
    return s;
}

const RtValue *rtz_rv_ptr(rtz *z, uint64_t *len)
{
    uint8_t c = rtz_u8(z);
    if (c < 16) {
        *len = c < 8 ? 0 : rtz_u64k(z);
        return NULL;
    }
    size_t n = c % 9;
    RtValue *v = (RtValue *)carve(z, n * sizeof(RtValue));
    for (size_t i = 0; i < n; i++)
        v[i] = rtz_rv(z);
    *len = n;
    return v;
}

int64_t *rtz_word_i64(rtz *z)
{
    int64_t *w = (int64_t *)carve(z, 8);
    *w = rtz_i64(z);
    return w;
}

uint32_t *rtz_word_u32(rtz *z)
{
    uint32_t *w = (uint32_t *)carve(z, 4);
    *w = rtz_u32k(z);
    return w;
}

int32_t *rtz_word_i32(rtz *z)
{
    int32_t *w = (int32_t *)carve(z, 4);
    *w = rtz_i32(z);
    return w;
}

int64_t *rtz_out_i64(rtz *z) { return (rtz_u8(z) & 3) ? (int64_t *)carve(z, 8) : NULL; }
int32_t *rtz_out_i32(rtz *z) { return (rtz_u8(z) & 3) ? (int32_t *)carve(z, 4) : NULL; }

/* ---- handles ---- */

uint64_t rtz_handle(rtz *z, int kind)
{
    uint8_t c = rtz_u8(z) % 8;
    if (c < 4 && z->nhandles[kind])
        return z->handles[kind][rtz_u8(z) % z->nhandles[kind]];
    if (c == 4 && z->ndead[kind])
        return z->dead_handles[kind][rtz_u8(z) % z->ndead[kind]];
    if (c == 5) {   /* a live handle of another kind */
        int other = (kind + 1 + rtz_u8(z) % (RTZ_NHK - 1)) % RTZ_NHK;
        if (z->nhandles[other])
            return z->handles[other][0];
    }
    if (c == 6)
        return 0;
    return rtz_u64k(z);
}

void rtz_adopt_handle(rtz *z, int kind, uint64_t h)
{
    if (h == 0 || kind < 0 || kind >= RTZ_NHK)
        return;
    for (size_t i = 0; i < z->nhandles[kind]; i++)
        if (z->handles[kind][i] == h)
            return;
    if (z->nhandles[kind] == RTZ_MAX_HANDLES) {
        if (releasers[kind])
            releasers[kind](h);
        return;
    }
    z->handles[kind][z->nhandles[kind]++] = h;
}

void rtz_drop_handle(rtz *z, int kind, uint64_t h)
{
    for (size_t i = 0; i < z->nhandles[kind]; i++) {
        if (z->handles[kind][i] == h) {
            z->handles[kind][i] = z->handles[kind][--z->nhandles[kind]];
            if (z->ndead[kind] < 8)
                z->dead_handles[kind][z->ndead[kind]++] = h;
            return;
        }
    }
}

void rtz_set_release(int kind, void (*release)(uint64_t h))
{
    if (kind >= 0 && kind < RTZ_NHK)
        releasers[kind] = release;
}

/* ---- callbacks ---- */

static RtValue cb_identity(RtValue v) { return v; }
static RtValue cb_nil(RtValue v) { (void)v; return RT_NIL; }
/* Masks before doubling: the fuzzer passes INT64_MAX-sized ints (no UB). */
static RtValue cb_double(RtValue v) { return rt_value_int((rt_value_as_int(v) & 0xFFFFFFF) * 2); }
static RtValue cb_truthy(RtValue v) { return rt_value_truthy(v) ? RT_TRUE : RT_FALSE; }
static RtValue cb2_first(RtValue a, RtValue b) { (void)b; return a; }
static RtValue cb2_add(RtValue a, RtValue b)
{
    return rt_value_int((rt_value_as_int(a) & 0xFFFFFF) + (rt_value_as_int(b) & 0xFFFFFF));
}
static void cb_kernel_nop(void) {}

RtFn1 rtz_fn_rv_rv(rtz *z)
{
    static const RtFn1 fns[] = {cb_identity, cb_nil, cb_double, cb_truthy, NULL};
    return fns[rtz_u8(z) % 5];
}

RtFn2 rtz_fn_rv_rv_rv(rtz *z)
{
    static const RtFn2 fns[] = {cb2_first, cb2_add, NULL};
    return fns[rtz_u8(z) % 3];
}

RtKernelFn rtz_fn_kernel(rtz *z) { return (rtz_u8(z) % 4) ? cb_kernel_nop : NULL; }

/* ---- the interpreter ---- */

void rtz_begin(rtz *z, const uint8_t *data, size_t size)
{
    memset(z, 0, offsetof(rtz, scratch));
    z->data = data;
    z->size = size;
}

void rtz_end(rtz *z)
{
    for (size_t i = 0; i < z->nvals; i++)
        rt_free(z->vals[i]);   /* validated: values an op already freed are skipped */
    z->nvals = 0;
    for (int k = 0; k < RTZ_NHK; k++) {
        for (size_t i = 0; i < z->nhandles[k]; i++)
            if (releasers[k])
                releasers[k](z->handles[k][i]);
        z->nhandles[k] = 0;
    }
}

int rtz_run_ops(const uint8_t *data, size_t size, const rtz_op *ops, size_t nops,
                void (*check)(rtz *z))
{
    static rtz z;   /* static: 8 KiB of scratch stays off the stack */
    rtz_begin(&z, data, size);
    for (int n = 0; n < RTZ_MAX_OPS && rtz_more(&z); n++) {
        const rtz_op *op = &ops[rtz_u8(&z) % nops];
        op->fn(&z);
        if (check)
            check(&z);
    }
    rtz_end(&z);
    return 0;
}

void rtz_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "rtz: %s:%d: oracle failed: %s\n", file, line, what);
    abort();
}
