/*
 * bench/dogfood/work.c — the workload of bench/dogfood.c: value, array,
 * tuple, object, string, vec and SDN operations through the runtime's
 * public API, the mix the conformance suites exercise. Linked against four
 * builds of the runtime (mk/dogfood.mk); bench/dogfood.c runs them side by
 * side. Not a benchmark by itself (it lives below bench/ so `make bench`
 * does not take it for one).
 *
 *   dogfood-work ROUNDS     prints "<ns per round> <checksum>"
 *
 * The checksum lets the driver check that every build computed the same.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sdn/sdn.h"
#include "simplert.h"

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static const char doc[] = "name: bench\n"
                          "size: 42\n"
                          "ratio: 0.5\n"
                          "tags = [a, b, c]\n"
                          "rows |id, value|\n"
                          "    1, one\n"
                          "    2, two\n";

static uint64_t one_round(long i)
{
    uint64_t sum = 0;
    /* arrays of ints: push, get, set, vec reductions, pop */
    RtValue a = rt_array_new(0);
    for (int k = 0; k < 32; k++)
        rt_array_push(a, rt_value_int(i + k));
    for (int k = 0; k < 32; k += 3)
        rt_array_set(a, k, rt_value_int(k * 7));
    for (int k = 0; k < 32; k++)
        sum += (uint64_t)rt_value_as_int(rt_array_get(a, k));
    sum += (uint64_t)rt_value_as_int(rt_vec_sum(a));
    sum += (uint64_t)rt_value_as_int(rt_vec_max(a));
    sum += rt_vec_any(a);
    RtValue w = rt_vec_with(a, 3, rt_value_int(-1));
    sum += (uint64_t)rt_value_as_int(rt_vec_min(w));
    rt_free(w);
    while (rt_array_len(a) > 0)
        sum += rt_value_truthy(rt_array_pop(a));
    rt_free(a);
    /* floats */
    RtValue f = rt_array_new(8);
    for (int k = 0; k < 8; k++)
        rt_array_push(f, rt_value_float((double)(i % 97 + k) * 1.5));
    RtValue r = rt_vec_sqrt(f);
    sum += (uint64_t)(rt_value_as_float(rt_vec_sum(r)) * 16);
    rt_free(r);
    rt_free(f);
    /* strings */
    char buf[64];
    int n = snprintf(buf, sizeof buf, "item-%ld-%s", i, i & 1 ? "odd" : "even");
    RtValue s1 = rt_string_new((const uint8_t *)buf, (uint64_t)n);
    RtValue s2 = rt_string_new((const uint8_t *)"/suffix", 7);
    RtValue s3 = rt_string_concat(s1, s2);
    sum += (uint64_t)rt_string_len(s3) + rt_string_data(s3)[5];
    sum += rt_value_eq(s1, s2);
    rt_free(s1);
    rt_free(s2);
    rt_free(s3);
    /* tuples and objects */
    RtValue t = rt_tuple_new(4);
    RtValue o = rt_object_new(7, 3);
    for (uint32_t k = 0; k < 4; k++)
        rt_tuple_set(t, k, rt_value_int(k + i));
    for (uint32_t k = 0; k < 3; k++)
        rt_object_field_set(o, k, rt_tuple_get(t, k));
    sum += (uint64_t)rt_value_as_int(rt_object_field_get(o, 2)) + (uint64_t)rt_tuple_len(t);
    rt_free(t);
    rt_free(o);
    /* SDN, every fourth round */
    if (i % 4 == 0) {
        sdn_value *d = sdn_parse(doc, sizeof doc - 1, NULL);
        sum += (uint64_t)sdn_get_int(d, "size", 0) + sdn_len(sdn_get(d, "rows"));
        char *text = sdn_write(d, NULL);
        sum += text ? strlen(text) : 0;
        free(text);
        sdn_free(d);
    }
    return sum;
}

int main(int argc, char **argv)
{
    long rounds = argc > 1 ? atol(argv[1]) : 1000;
    if (rounds < 1)
        rounds = 1;
    uint64_t check = 0;
    for (long i = 0; i < rounds / 10 + 1; i++)   /* warm-up: caches, first-sight registration */
        check += one_round(i);
    check = 0;
    uint64_t t0 = now_ns();
    for (long i = 0; i < rounds; i++)
        check = check * 31 + one_round(i);
    uint64_t dt = now_ns() - t0;
    printf("%.3f %" PRIu64 "\n", (double)dt / (double)rounds, check);
    return 0;
}
