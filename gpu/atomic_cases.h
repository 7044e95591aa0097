/*
 * gpu/atomic_cases.h — the one table of atomic cases every backend runs
 * (issue #6 item 6), with the sequential model and the agreement rules.
 *
 * Three runners execute the same rows: the host functions
 * (conformance/gpu_atomic/table.c, and through rt_gpu_launch in
 * conformance/gpu/table.c), a Vulkan compute shader
 * (gpu/shaders/atomic_table.comp, conformance/vk/atomic_table.c) and a CUDA
 * PTX kernel (gpu/kernels/atomic_table.cu, conformance/gpu_backend/cuda.c).
 * Every work-item of a row applies the row's operation to the row's one
 * word and records the old value it got back.
 *
 * What "identical on every backend" means. Under contention the order in
 * which work-items reach the word is not defined, so old values cannot be
 * compared item by item. For every row:
 *   1. the final word is bit-identical on every backend and equal to the
 *      sequential model, because every operation is commutative for the
 *      row's operands; the one exception is exchange with distinct values,
 *      where the last writer wins: there the sorted multiset of the old
 *      values plus the final word (always {init} + the operands) is what
 *      must be identical (rtx_ac_order_free, rtx_ac_agree);
 *   2. rows where every item passes the same operands (RTX_ACG_SAME): the
 *      sorted multiset of old values does not depend on the order either
 *      (add: init + k*v for k < n; and/or/min/max: init once, then the
 *      settled value; xor: two alternating values; exchange: init then v;
 *      cmpxchg: one winner; the compare-exchange loop: init + k*v), so it
 *      is identical across backends and equal to the model's;
 *   3. every row: the old values are linearizable: some order of the items
 *      reproduces exactly those old values and the final word
 *      (rtx_ac_linearizable). For distinct-operand rows this is the check
 *      that replaces 2; their generators keep every state distinct, so the
 *      greedy reconstruction below is complete.
 *
 * Memory order: the host functions are sequentially consistent; GLSL and
 * PTX atomics without qualifiers are relaxed at device scope. Every row
 * works on one word, where per-location coherence makes the two give the
 * same outcomes, so the table checks read-modify-write semantics
 * (arithmetic, signedness, wraparound, atomicity), not ordering between
 * different words.
 *
 * Words are carried in uint64_t; 32-bit rows use the low 32 bits (an i32
 * word is its two's-complement bit pattern). Plain C, no test framework,
 * no allocation of its own: callers pass the scratch buffers.
 */
#ifndef RTX_GPU_ATOMIC_CASES_H
#define RTX_GPU_ATOMIC_CASES_H

#include <stddef.h>
#include <stdint.h>

/* Operations; the numbering is shared with the shader and the PTX kernel. */
enum rtx_ac_op {
    RTX_ACO_ADD = 0, RTX_ACO_SUB = 1, RTX_ACO_MIN = 2, RTX_ACO_MAX = 3, RTX_ACO_AND = 4,
    RTX_ACO_OR = 5, RTX_ACO_XOR = 6, RTX_ACO_XCHG = 7, RTX_ACO_CMPXCHG = 8,
    RTX_ACO_CASADD = 9,   /* cmpxchg loop that adds x: how kernels build other RMWs */
    RTX_ACO_N
};
enum rtx_ac_type { RTX_ACT_I32 = 0, RTX_ACT_U32 = 1, RTX_ACT_I64 = 2, RTX_ACT_N };

/* How item i's operands are made from the row's a and b. */
enum rtx_ac_gen {
    RTX_ACG_SAME = 0,   /* x = a, y = b for every item (cmpxchg: expected a, desired b) */
    RTX_ACG_STEP = 1,   /* x = a + i*b (wrapping) */
    RTX_ACG_BIT = 2,    /* x = a << i (items <= word width) */
    RTX_ACG_NBIT = 3,   /* x = ~(a << i) */
};

typedef struct rtx_ac_case {
    const char *name;
    uint8_t op, type, gen;
    uint32_t items;        /* work-items contending on the row's word */
    uint64_t init, a, b;
    int has_expect;        /* hand-checked final word, anchoring the model */
    uint64_t expect;
} rtx_ac_case;

#define RTX_AC_MAX_ITEMS 1024u

#define I32W(v) ((uint64_t)(uint32_t)(int32_t)(v))
#define U32W(v) ((uint64_t)(uint32_t)(v))
#define I64W(v) ((uint64_t)(int64_t)(v))
#define AC(nm, o, t, g, n, i, x, y) {nm, RTX_ACO_##o, RTX_ACT_##t, RTX_ACG_##g, n, i, x, y, 0, 0}
#define ACX(nm, o, t, i, x, y, e) {nm, RTX_ACO_##o, RTX_ACT_##t, RTX_ACG_SAME, 1, i, x, y, 1, e}

/* Rows are grouped by type: each backend runs one dispatch per type. */
static const rtx_ac_case rtx_ac_cases[] = {
    /* ---- i32: boundaries, one item, hand-checked ---- */
    ACX("i32 add INT_MAX+1 wraps", ADD, I32, I32W(INT32_MAX), I32W(1), 0, I32W(INT32_MIN)),
    ACX("i32 add INT_MIN+-1 wraps", ADD, I32, I32W(INT32_MIN), I32W(-1), 0, I32W(INT32_MAX)),
    ACX("i32 sub INT_MIN-1 wraps", SUB, I32, I32W(INT32_MIN), I32W(1), 0, I32W(INT32_MAX)),
    ACX("i32 sub 0-INT_MIN", SUB, I32, 0, I32W(INT32_MIN), 0, I32W(INT32_MIN)),
    ACX("i32 min is signed", MIN, I32, I32W(-1), I32W(1), 0, I32W(-1)),
    ACX("i32 min INT_MIN", MIN, I32, I32W(5), I32W(INT32_MIN), 0, I32W(INT32_MIN)),
    ACX("i32 max is signed", MAX, I32, I32W(INT32_MIN), I32W(-1), 0, I32W(-1)),
    ACX("i32 max INT_MAX", MAX, I32, I32W(-7), I32W(INT32_MAX), 0, I32W(INT32_MAX)),
    ACX("i32 and", AND, I32, I32W(0xF0F0F0F0), I32W(0xFF00FF00), 0, I32W(0xF000F000)),
    ACX("i32 or", OR, I32, I32W(0xF0F0F0F0), I32W(0x0F000001), 0, I32W(0xFFF0F0F1)),
    ACX("i32 xor", XOR, I32, I32W(0xF0F0F0F0), I32W(0xFFFFFFFF), 0, I32W(0x0F0F0F0F)),
    ACX("i32 xchg INT_MIN->INT_MAX", XCHG, I32, I32W(INT32_MIN), I32W(INT32_MAX), 0,
        I32W(INT32_MAX)),
    ACX("i32 cmpxchg hit", CMPXCHG, I32, I32W(INT32_MIN), I32W(INT32_MIN), I32W(-1), I32W(-1)),
    ACX("i32 cmpxchg miss", CMPXCHG, I32, I32W(INT32_MIN), I32W(INT32_MAX), I32W(3),
        I32W(INT32_MIN)),
    ACX("i32 casadd INT_MAX+1", CASADD, I32, I32W(INT32_MAX), I32W(1), 0, I32W(INT32_MIN)),
    /* ---- i32: contention ---- */
    AC("i32 add 1 x1024", ADD, I32, SAME, 1024, I32W(INT32_MAX - 500), I32W(1), 0),
    AC("i32 add -3 x1024 through 0", ADD, I32, SAME, 1024, I32W(1000), I32W(-3), 0),
    AC("i32 sub 7 x1024 past INT_MIN", SUB, I32, SAME, 1024, I32W(INT32_MIN + 100), I32W(7), 0),
    AC("i32 min same x1024", MIN, I32, SAME, 1024, I32W(10), I32W(-10), 0),
    AC("i32 max same x1024", MAX, I32, SAME, 1024, I32W(-10), I32W(10), 0),
    AC("i32 and same x1024", AND, I32, SAME, 1024, I32W(-1), I32W(0x0F0F0F0F), 0),
    AC("i32 or same x1024", OR, I32, SAME, 1024, I32W(0x100), I32W(INT32_MIN), 0),
    AC("i32 xor same x1024", XOR, I32, SAME, 1024, I32W(0x5A5A5A5A), I32W(-1), 0),
    AC("i32 xor same x1023", XOR, I32, SAME, 1023, I32W(0x5A5A5A5A), I32W(-1), 0),
    AC("i32 xchg same x1024", XCHG, I32, SAME, 1024, I32W(INT32_MIN), I32W(INT32_MAX), 0),
    AC("i32 cmpxchg one winner x1024", CMPXCHG, I32, SAME, 1024, I32W(-1), I32W(-1), I32W(42)),
    AC("i32 casadd 1 x1024 wraps", CASADD, I32, SAME, 1024, I32W(INT32_MAX - 100), I32W(1), 0),
    AC("i32 add 1..1024", ADD, I32, STEP, 1024, I32W(INT32_MAX - 1000), I32W(1), I32W(1)),
    AC("i32 sub 5,10,.. past INT_MIN", SUB, I32, STEP, 1024, I32W(INT32_MIN + 7), I32W(5),
       I32W(5)),
    AC("i32 min 1000,993,.. signed", MIN, I32, STEP, 1024, 0, I32W(1000), I32W(-7)),
    AC("i32 max -1000,-993,..", MAX, I32, STEP, 1024, I32W(INT32_MIN), I32W(-1000), I32W(7)),
    AC("i32 and clears one bit each", AND, I32, NBIT, 32, I32W(-1), 1, 0),
    AC("i32 or sets one bit each", OR, I32, BIT, 32, 0, 1, 0),
    AC("i32 xor flips one bit each", XOR, I32, BIT, 32, I32W(0x12345678), 1, 0),
    AC("i32 xchg distinct", XCHG, I32, STEP, 1024, I32W(INT32_MIN), I32W(INT32_MIN + 1), 1),

    /* ---- u32: boundaries ---- */
    ACX("u32 add max+1 wraps", ADD, U32, U32W(UINT32_MAX), 1, 0, 0),
    ACX("u32 add max+max", ADD, U32, U32W(UINT32_MAX), U32W(UINT32_MAX), 0, U32W(0xFFFFFFFE)),
    ACX("u32 sub 0-1 wraps", SUB, U32, 0, 1, 0, U32W(UINT32_MAX)),
    ACX("u32 min is unsigned", MIN, U32, U32W(UINT32_MAX), 1, 0, 1),
    ACX("u32 min 0x80000000 vs 0x7FFFFFFF", MIN, U32, U32W(0x80000000u), U32W(0x7FFFFFFF), 0,
        U32W(0x7FFFFFFF)),
    ACX("u32 max is unsigned", MAX, U32, 1, U32W(0x80000000u), 0, U32W(0x80000000u)),
    ACX("u32 max keeps max", MAX, U32, U32W(UINT32_MAX), 0, 0, U32W(UINT32_MAX)),
    ACX("u32 and", AND, U32, U32W(0xDEADBEEF), U32W(0xFFFF0000), 0, U32W(0xDEAD0000)),
    ACX("u32 or", OR, U32, U32W(0xDEAD0000), U32W(0x0000BEEF), 0, U32W(0xDEADBEEF)),
    ACX("u32 xor", XOR, U32, U32W(0xDEADBEEF), U32W(0xDEADBEEF), 0, 0),
    ACX("u32 xchg", XCHG, U32, 0, U32W(UINT32_MAX), 0, U32W(UINT32_MAX)),
    ACX("u32 cmpxchg hit", CMPXCHG, U32, U32W(UINT32_MAX), U32W(UINT32_MAX), 7, 7),
    ACX("u32 cmpxchg miss", CMPXCHG, U32, 7, 8, 9, 7),
    ACX("u32 casadd max+2", CASADD, U32, U32W(UINT32_MAX), 2, 0, 1),
    /* ---- u32: contention ---- */
    AC("u32 add 1 x1024 wraps", ADD, U32, SAME, 1024, U32W(UINT32_MAX - 10), 1, 0),
    AC("u32 sub 1 x1024 below 0", SUB, U32, SAME, 1024, 100, 1, 0),
    AC("u32 min same x1024", MIN, U32, SAME, 1024, U32W(UINT32_MAX), 5, 0),
    AC("u32 max same x1024", MAX, U32, SAME, 1024, 5, U32W(0x80000000u), 0),
    AC("u32 and same x1024", AND, U32, SAME, 1024, U32W(0xFFFF), U32W(0xFF0), 0),
    AC("u32 or same x1024", OR, U32, SAME, 1024, 0, U32W(0x80000001u), 0),
    AC("u32 xor same x1024", XOR, U32, SAME, 1024, U32W(0xA5A5A5A5u), U32W(0xFFFF0000u), 0),
    AC("u32 xchg same x1024", XCHG, U32, SAME, 1024, 1, U32W(UINT32_MAX), 0),
    AC("u32 cmpxchg one winner x1024", CMPXCHG, U32, SAME, 1024, 0, 0, U32W(UINT32_MAX)),
    AC("u32 casadd 3 x1024 wraps", CASADD, U32, SAME, 1024, U32W(UINT32_MAX - 1000), 3, 0),
    AC("u32 add 1..1024 wraps", ADD, U32, STEP, 1024, U32W(UINT32_MAX - 5000), 1, 1),
    AC("u32 sub 2,4,.. below 0", SUB, U32, STEP, 1024, 1000, 2, 2),
    AC("u32 min 0xFFFFFF00,.. unsigned", MIN, U32, STEP, 1024, U32W(UINT32_MAX),
       U32W(0xFFFFFF00u), U32W(-3)),
    AC("u32 max 0x7FFFFF00,.. past 0x80000000", MAX, U32, STEP, 1024, 0, U32W(0x7FFFFF00),
       U32W(1)),
    AC("u32 and clears one bit each", AND, U32, NBIT, 32, U32W(UINT32_MAX), 1, 0),
    AC("u32 or sets one bit each", OR, U32, BIT, 32, 0, 1, 0),
    AC("u32 xor flips one bit each", XOR, U32, BIT, 32, U32W(0xCAFEF00D), 1, 0),
    AC("u32 xchg distinct", XCHG, U32, STEP, 1024, 0, 1, 1),

    /* ---- i64: boundaries ---- */
    ACX("i64 add INT64_MAX+1 wraps", ADD, I64, I64W(INT64_MAX), 1, 0, I64W(INT64_MIN)),
    ACX("i64 add INT64_MIN+-1 wraps", ADD, I64, I64W(INT64_MIN), I64W(-1), 0, I64W(INT64_MAX)),
    ACX("i64 add crosses 2^32", ADD, I64, I64W(0xFFFFFFFF), 1, 0, I64W(0x100000000)),
    ACX("i64 sub INT64_MIN-1 wraps", SUB, I64, I64W(INT64_MIN), 1, 0, I64W(INT64_MAX)),
    ACX("i64 sub borrows from 2^32", SUB, I64, I64W(0x100000000), 1, 0, I64W(0xFFFFFFFF)),
    ACX("i64 min is signed", MIN, I64, I64W(-1), 1, 0, I64W(-1)),
    ACX("i64 min INT64_MIN", MIN, I64, I64W(INT64_MAX), I64W(INT64_MIN), 0, I64W(INT64_MIN)),
    ACX("i64 max is signed", MAX, I64, I64W(INT64_MIN), I64W(-1), 0, I64W(-1)),
    ACX("i64 max high word decides", MAX, I64, I64W(0x1FFFFFFFF), I64W(0x200000000), 0,
        I64W(0x200000000)),
    ACX("i64 and", AND, I64, I64W(-1), I64W(0x00FF00FF00FF00FF), 0, I64W(0x00FF00FF00FF00FF)),
    ACX("i64 or", OR, I64, I64W(INT64_MIN), 1, 0, I64W(INT64_MIN + 1)),
    ACX("i64 xor", XOR, I64, I64W(0x0123456789ABCDEF), I64W(-1), 0, I64W(~0x0123456789ABCDEF)),
    ACX("i64 xchg", XCHG, I64, I64W(INT64_MAX), I64W(INT64_MIN), 0, I64W(INT64_MIN)),
    ACX("i64 cmpxchg hit", CMPXCHG, I64, I64W(INT64_MIN), I64W(INT64_MIN), I64W(INT64_MAX),
        I64W(INT64_MAX)),
    ACX("i64 cmpxchg miss by high word", CMPXCHG, I64, I64W(0x100000001), I64W(0x000000001),
        I64W(5), I64W(0x100000001)),
    ACX("i64 casadd INT64_MAX+1", CASADD, I64, I64W(INT64_MAX), 1, 0, I64W(INT64_MIN)),
    /* ---- i64: contention ---- */
    AC("i64 add 1 x1024 wraps", ADD, I64, SAME, 1024, I64W(INT64_MAX - 500), 1, 0),
    AC("i64 add 2^32 x1024", ADD, I64, SAME, 1024, I64W(-5), I64W(0x100000000), 0),
    AC("i64 sub 7 x1024 past INT64_MIN", SUB, I64, SAME, 1024, I64W(INT64_MIN + 100), 7, 0),
    AC("i64 min same x1024", MIN, I64, SAME, 1024, I64W(INT64_MAX), I64W(-1), 0),
    AC("i64 max same x1024", MAX, I64, SAME, 1024, I64W(INT64_MIN), I64W(0x100000000), 0),
    AC("i64 and same x1024", AND, I64, SAME, 1024, I64W(-1), I64W(0xFFFF0000FFFF0000), 0),
    AC("i64 or same x1024", OR, I64, SAME, 1024, 0, I64W(INT64_MIN + 1), 0),
    AC("i64 xor same x1024", XOR, I64, SAME, 1024, I64W(0x0123456789ABCDEF), I64W(-1), 0),
    AC("i64 xchg same x1024", XCHG, I64, SAME, 1024, I64W(INT64_MIN), I64W(INT64_MAX), 0),
    AC("i64 cmpxchg one winner x1024", CMPXCHG, I64, SAME, 1024, I64W(0x100000000),
       I64W(0x100000000), I64W(-2)),
    AC("i64 casadd 2^31 x1024", CASADD, I64, SAME, 1024, I64W(INT64_MAX - 0x7FFFFFFFFF),
       I64W(0x80000000), 0),
    AC("i64 add 1..1024", ADD, I64, STEP, 1024, I64W(INT64_MAX - 1000), 1, 1),
    AC("i64 sub 2^32,2*2^32,..", SUB, I64, STEP, 1024, 0, I64W(0x100000000), I64W(0x100000000)),
    AC("i64 min descending signed", MIN, I64, STEP, 1024, 0, I64W(1000), I64W(-0x100000001)),
    AC("i64 max ascending signed", MAX, I64, STEP, 1024, I64W(INT64_MIN), I64W(INT64_MIN + 1),
       I64W(0x1000000000001)),
    AC("i64 and clears one bit each", AND, I64, NBIT, 64, I64W(-1), 1, 0),
    AC("i64 or sets one bit each", OR, I64, BIT, 64, 0, 1, 0),
    AC("i64 xor flips one bit each", XOR, I64, BIT, 64, I64W(0x0F0F0F0F0F0F0F0F), 1, 0),
    AC("i64 xchg distinct", XCHG, I64, STEP, 1024, I64W(INT64_MIN), I64W(-0x100000000),
       I64W(0x100000001)),
};
#define RTX_AC_NCASES (sizeof rtx_ac_cases / sizeof rtx_ac_cases[0])

#undef I32W
#undef U32W
#undef I64W
#undef AC
#undef ACX

static inline uint64_t rtx_ac_mask(int type)
{
    return type == RTX_ACT_I64 ? UINT64_MAX : UINT64_C(0xFFFFFFFF);
}

static inline unsigned rtx_ac_width(int type) { return type == RTX_ACT_I64 ? 64u : 32u; }

/* Item i's operands: x (the operand, or cmpxchg's expected) and y
 * (cmpxchg's desired), already masked to the word width. */
static inline void rtx_ac_operands(const rtx_ac_case *c, uint32_t i, uint64_t *x, uint64_t *y)
{
    uint64_t m = rtx_ac_mask(c->type), v;
    switch (c->gen) {
    case RTX_ACG_STEP: v = c->a + (uint64_t)i * c->b; break;
    case RTX_ACG_BIT: v = c->a << (i % rtx_ac_width(c->type)); break;
    case RTX_ACG_NBIT: v = ~(c->a << (i % rtx_ac_width(c->type))); break;
    default: v = c->a; break;
    }
    *x = v & m;
    *y = c->gen == RTX_ACG_SAME ? (c->b & m) : 0;
}

/* Signed value of a word of the given type (for min/max). */
static inline int64_t rtx_ac_signed(int type, uint64_t w)
{
    return type == RTX_ACT_I32 ? (int64_t)(int32_t)(uint32_t)w : (int64_t)w;
}

/* One sequential step: the word after applying op to cur. */
static inline uint64_t rtx_ac_step(int op, int type, uint64_t cur, uint64_t x, uint64_t y)
{
    uint64_t m = rtx_ac_mask(type);
    int sgn = type != RTX_ACT_U32;
    switch (op) {
    case RTX_ACO_ADD: case RTX_ACO_CASADD: return (cur + x) & m;
    case RTX_ACO_SUB: return (cur - x) & m;
    case RTX_ACO_MIN:
        return (sgn ? rtx_ac_signed(type, x) < rtx_ac_signed(type, cur) : x < cur) ? x : cur;
    case RTX_ACO_MAX:
        return (sgn ? rtx_ac_signed(type, x) > rtx_ac_signed(type, cur) : x > cur) ? x : cur;
    case RTX_ACO_AND: return cur & x;
    case RTX_ACO_OR: return cur | x;
    case RTX_ACO_XOR: return cur ^ x;
    case RTX_ACO_XCHG: return x;
    case RTX_ACO_CMPXCHG: return cur == x ? y : cur;
    default: return cur;
    }
}

/* The sequential model: items in index order. olds[i] gets item i's old value. */
static inline uint64_t rtx_ac_model(const rtx_ac_case *c, uint64_t *olds)
{
    uint64_t cur = c->init & rtx_ac_mask(c->type), x, y;
    for (uint32_t i = 0; i < c->items; i++) {
        rtx_ac_operands(c, i, &x, &y);
        olds[i] = cur;
        cur = rtx_ac_step(c->op, c->type, cur, x, y);
    }
    return cur;
}

static inline void rtx_ac_sort(uint64_t *v, uint32_t n)
{
    /* Shell sort: n <= 1024, no allocation, no qsort callback. */
    static const uint32_t gaps[] = {701, 301, 132, 57, 23, 10, 4, 1};
    for (size_t g = 0; g < sizeof gaps / sizeof gaps[0]; g++) {
        for (uint32_t i = gaps[g]; i < n; i++) {
            uint64_t t = v[i];
            uint32_t j = i;
            for (; j >= gaps[g] && v[j - gaps[g]] > t; j -= gaps[g])
                v[j] = v[j - gaps[g]];
            v[j] = t;
        }
    }
}

/* Is the final word independent of the order the items ran in? True for
 * every row but exchange with distinct values (the last writer wins). */
static inline int rtx_ac_order_free(const rtx_ac_case *c)
{
    return !(c->op == RTX_ACO_XCHG && c->gen != RTX_ACG_SAME);
}

/* Sort item indices by their old value (shell sort, as above). */
static inline void rtx_ac_sort_idx(uint32_t *idx, const uint64_t *olds, uint64_t m, uint32_t n)
{
    static const uint32_t gaps[] = {701, 301, 132, 57, 23, 10, 4, 1};
    for (uint32_t i = 0; i < n; i++)
        idx[i] = i;
    for (size_t g = 0; g < sizeof gaps / sizeof gaps[0]; g++) {
        for (uint32_t i = gaps[g]; i < n; i++) {
            uint32_t t = idx[i], j = i;
            for (; j >= gaps[g] && (olds[idx[j - gaps[g]]] & m) > (olds[t] & m); j -= gaps[g])
                idx[j] = idx[j - gaps[g]];
            idx[j] = t;
        }
    }
}

/*
 * Is there an order of the items that yields exactly these old values and
 * this final word? Greedy: from the initial word, repeatedly take an unused
 * item whose old value is the current word, preferring items that leave the
 * word unchanged (a failed cmpxchg, min/max/and/or that do not win). In a
 * real execution only one item that changes the word can have seen a given
 * state unless states repeat; the table's distinct-operand rows never
 * repeat a state, and in same-operand rows all changing items are
 * interchangeable, so the greedy choice is complete for every row.
 * idx must hold c->items entries, used c->items bytes. 1 when linearizable.
 */
static inline int rtx_ac_linearizable(const rtx_ac_case *c, uint64_t final, const uint64_t *olds,
                                      uint32_t *idx, unsigned char *used)
{
    uint64_t m = rtx_ac_mask(c->type), cur = c->init & m, x, y;
    uint32_t n = c->items;
    rtx_ac_sort_idx(idx, olds, m, n);
    for (uint32_t i = 0; i < n; i++)
        used[i] = 0;
    for (uint32_t done = 0; done < n; done++) {
        uint32_t lo = 0, hi = n;   /* first position whose old value is >= cur */
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if ((olds[idx[mid]] & m) < cur)
                lo = mid + 1;
            else
                hi = mid;
        }
        uint32_t pick = UINT32_MAX;
        for (uint32_t k = lo; k < n && (olds[idx[k]] & m) == cur; k++) {
            uint32_t i = idx[k];
            if (used[i])
                continue;
            rtx_ac_operands(c, i, &x, &y);
            if (rtx_ac_step(c->op, c->type, cur, x, y) == cur) {
                pick = i;   /* a no-op item: always safe to take first */
                break;
            }
            if (pick == UINT32_MAX)
                pick = i;
        }
        if (pick == UINT32_MAX)
            return 0;
        used[pick] = 1;
        rtx_ac_operands(c, pick, &x, &y);
        cur = rtx_ac_step(c->op, c->type, cur, x, y);
    }
    return cur == (final & m);
}

/* Scratch a row's checks need: RTX_AC_SCRATCH(n) words and n bytes. */
#define RTX_AC_SCRATCH(n) (3u * (n) + 2u)

/*
 * Check one backend's result for a row against the model: NULL when it
 * holds, else a static reason. scratch: RTX_AC_SCRATCH(c->items) words;
 * used: c->items bytes. olds is not modified.
 */
static inline const char *rtx_ac_check(const rtx_ac_case *c, uint64_t final, const uint64_t *olds,
                                       uint64_t *scratch, unsigned char *used)
{
    uint64_t m = rtx_ac_mask(c->type);
    uint64_t *model = scratch, *got = scratch + c->items;
    uint64_t want = rtx_ac_model(c, model);
    if (c->has_expect && want != (c->expect & m))
        return "the model disagrees with the hand-checked final word";
    if (rtx_ac_order_free(c) && (final & m) != want)
        return "final word differs from the sequential model";
    if (c->gen == RTX_ACG_SAME) {
        for (uint32_t i = 0; i < c->items; i++)
            got[i] = olds[i] & m;
        rtx_ac_sort(model, c->items);
        rtx_ac_sort(got, c->items);
        for (uint32_t i = 0; i < c->items; i++)
            if (got[i] != model[i])
                return "sorted old values differ from the model's";
    }
    if (!rtx_ac_linearizable(c, final, olds, (uint32_t *)(void *)(scratch + 2u * c->items), used))
        return "old values are not linearizable (no order of the items explains them)";
    return NULL;
}

/*
 * Do two backends agree on a row? Order-free rows: the final words are
 * equal, and for same-operand rows the sorted old values too. Exchange
 * with distinct values: the sorted multisets {olds} + {final} are equal
 * (each is {init} + the operands whatever the order). scratch:
 * RTX_AC_SCRATCH(c->items) words.
 */
static inline int rtx_ac_agree(const rtx_ac_case *c, uint64_t final_a, const uint64_t *olds_a,
                               uint64_t final_b, const uint64_t *olds_b, uint64_t *scratch)
{
    uint64_t m = rtx_ac_mask(c->type);
    uint32_t n = c->items;
    int free_ = rtx_ac_order_free(c);
    if (free_ && (final_a & m) != (final_b & m))
        return 0;
    if (free_ && c->gen != RTX_ACG_SAME)
        return 1;
    uint64_t *a = scratch, *b = scratch + n + 1;
    for (uint32_t i = 0; i < n; i++) {
        a[i] = olds_a[i] & m;
        b[i] = olds_b[i] & m;
    }
    if (!free_) {
        a[n] = final_a & m;
        b[n] = final_b & m;
        n++;
    }
    rtx_ac_sort(a, n);
    rtx_ac_sort(b, n);
    for (uint32_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

/* Offsets of each row's old values in one flat array, and the total. */
static inline uint32_t rtx_ac_layout(uint32_t *first)
{
    uint32_t n = 0;
    for (size_t r = 0; r < RTX_AC_NCASES; r++) {
        first[r] = n;
        n += rtx_ac_cases[r].items;
    }
    return n;
}

#endif /* RTX_GPU_ATOMIC_CASES_H */
