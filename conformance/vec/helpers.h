/*
 * conformance/vec/helpers.h — array builders, lane checks and the hostile
 * non-array values the vec suites share. Everything is static.
 */
#ifndef CONF_VEC_HELPERS_H
#define CONF_VEC_HELPERS_H

#include <math.h>
#include <string.h>

#include "conformance/rtc.h"

#define CANON_NAN UINT64_C(0x7FF8000000000002)   /* the word of every NaN result */

static inline RtValue I(int64_t x)   /* inline ints only: no box to free */
{
    cr_assert(x >= RT_INT_INLINE_MIN && x <= RT_INT_INLINE_MAX);
    return rt_value_int(x);
}

static inline RtValue F(double d) { return rt_value_float(d); }

static inline RtValue f_bits(uint64_t bits)
{
    double d;
    memcpy(&d, &bits, sizeof d);
    return rt_value_float(d);
}

static inline RtValue arr_of(size_t n, const RtValue *v)
{
    RtValue a = rt_array_new(n);
    cr_assert_neq(a, RT_NIL);
    for (size_t i = 0; i < n; i++)
        cr_assert(rt_array_push(a, v[i]));
    return a;
}
#define ARR(...) arr_of(sizeof((RtValue[]){__VA_ARGS__}) / sizeof(RtValue), (RtValue[]){__VA_ARGS__})
#define EMPTY() rt_array_new(0)

/* arr has exactly the n words of want. */
static inline void lanes_are(RtValue arr, size_t n, const RtValue *want, const char *what)
{
    cr_assert_eq(rt_array_len(arr), (int64_t)n, "%s: length %" PRId64 ", want %zu", what,
                 rt_array_len(arr), n);
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(rt_array_get(arr, (int64_t)i), want[i],
                     "%s lane %zu: %#" PRIx64 ", want %#" PRIx64, what, i,
                     rt_array_get(arr, (int64_t)i), want[i]);
}
#define LANES(arr, what, ...)                                                              \
    lanes_are((arr), sizeof((RtValue[]){__VA_ARGS__}) / sizeof(RtValue),                   \
              (RtValue[]){__VA_ARGS__}, (what))

/* Checks the lanes of a new result, then frees it. */
#define LANES_FREE(arr, what, ...)                                                         \
    do {                                                                                   \
        RtValue lanes_free_ = (arr);                                                       \
        LANES(lanes_free_, what, __VA_ARGS__);                                             \
        rt_free(lanes_free_);                                                              \
    } while (0)

/* Values that are not arrays. hostile_free releases the live ones. */
#define NHOSTILE (RTC_NBOGUS + 9)
typedef struct hostile {
    RtValue v[NHOSTILE];
    RtValue str, tuple;
} hostile;

static inline void hostile_init(hostile *h)
{
    size_t k = 0;
    h->str = rt_string_new((const uint8_t *)"not an array", 12);
    h->tuple = rt_tuple_new(3);   /* a heap object of another type */
    RtValue freed = rt_array_new(4);
    rt_free(freed);               /* a stale array word */
    h->v[k++] = h->str;
    h->v[k++] = h->tuple;
    h->v[k++] = freed;
    h->v[k++] = RT_NIL;
    h->v[k++] = RT_TRUE;
    h->v[k++] = rt_value_int(3);
    h->v[k++] = rt_value_float(1.5);
    h->v[k++] = (RtValue)((UINT64_C(9) << 3) | RT_TAG_SPECIAL);
    h->v[k++] = 0;
    for (size_t i = 0; i < RTC_NBOGUS; i++)
        h->v[k++] = rtc_bogus[i];
}

static inline void hostile_free(hostile *h)
{
    rt_free(h->str);
    rt_free(h->tuple);
}

#endif /* CONF_VEC_HELPERS_H */
