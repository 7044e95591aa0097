/* conformance/par/par_util.h — closures and arrays for the par suites. */
#ifndef RTC_PAR_UTIL_H
#define RTC_PAR_UTIL_H

#include "conformance/rtc.h"
#include "conformance/conc.h"
#include "runtime/par_run.h"

/* [0, 1, ..., n-1] as ints. */
static inline RtValue iota(int64_t n)
{
    RtValue a = rt_array_new((uint64_t)n);
    for (int64_t i = 0; i < n; i++)
        rt_array_push(a, rt_value_int(i));
    return a;
}

/* A closure object whose code is fn (called as fn(closure, x...)). */
static inline RtValue closure_of(const void *fn, uint32_t ncap)
{
    return rt_closure_new(fn, ncap);
}

/* Every way a closure argument can be wrong; frees nothing it returns
 * except through rtc_hostile_free. */
typedef struct hostile_set {
    RtValue v[RTC_NBOGUS + RTC_NIMMEDIATE + 4];
    size_t n;
    RtValue own[3];
} hostile_set;

static inline void hostile_init(hostile_set *h)
{
    h->n = 0;
    for (size_t i = 0; i < RTC_NBOGUS; i++)
        h->v[h->n++] = rtc_bogus[i];
    for (int i = 0; i < RTC_NIMMEDIATE; i++)
        h->v[h->n++] = rtc_immediate(i);
    h->own[0] = rt_string_new((const uint8_t *)"nope", 4);
    h->own[1] = rt_closure_new(NULL, 0);   /* a closure without code */
    h->own[2] = rt_tuple_new(2);
    h->v[h->n++] = h->own[0];
    h->v[h->n++] = h->own[1];
    h->v[h->n++] = h->own[2];
    h->v[h->n++] = rtc_freed_value();
}

static inline void hostile_free(hostile_set *h)
{
    for (int i = 0; i < 3; i++)
        rt_free(h->own[i]);
}

#endif
