/* Conformance: the allocation registry under concurrency — rt_string_new,
 * rt_free, rt_string_len from several threads at once (spec/ffi/value.sdn:
 * every heap argument is validated; validation must stay exact while other
 * threads allocate and free). Runs under TSan too. */
#include <pthread.h>

#include "conformance/rtc.h"

#define NTHREADS 4
#define ROUNDS 2000

static RtValue shared_str;   /* one long-lived value every thread validates */

static void *churn(void *arg)
{
    uintptr_t id = (uintptr_t)arg;
    long bad = 0;
    RtValue mine[16];
    for (int r = 0; r < ROUNDS; r++) {
        for (int k = 0; k < 16; k++) {
            uint8_t b = (uint8_t)('a' + (id + (uintptr_t)k) % 26);
            mine[k] = rt_string_new(&b, 1);
        }
        bad += rt_string_len(shared_str) != 6;
        for (int k = 0; k < 16; k++) {
            bad += rt_string_len(mine[k]) != 1;
            rt_free(mine[k]);
            bad += rt_string_len(mine[k]) != -1 && rt_string_len(mine[k]) != 1;
        }
    }
    return (void *)bad;
}

RTC_TEST(value_registry, concurrent_alloc_validate_free)
{
    shared_str = rt_string_new((const uint8_t *)"shared", 6);
    uint64_t live0 = rtx_heap_live();
    pthread_t t[NTHREADS];
    for (uintptr_t i = 0; i < NTHREADS; i++)
        cr_assert_eq(pthread_create(&t[i], NULL, churn, (void *)i), 0);
    long bad = 0;
    for (int i = 0; i < NTHREADS; i++) {
        void *r;
        pthread_join(t[i], &r);
        bad += (long)r;
    }
    cr_assert_eq(bad, 0, "%ld wrong answers from the registry under concurrency", bad);
    cr_assert_eq(rtx_heap_live(), live0, "every object the threads made was freed exactly once");
    cr_assert_eq(rt_string_len(shared_str), 6);
    rt_free(shared_str);
}

/* Two threads race to free the same objects: exactly one free wins each. */
static RtValue racing[512];

static void *free_all(void *arg)
{
    (void)arg;
    for (int i = 0; i < 512; i++)
        rt_free(racing[i]);
    return NULL;
}

RTC_TEST(value_registry, racing_frees_free_once)
{
    uint64_t live0 = rtx_heap_live();
    for (int i = 0; i < 512; i++)
        racing[i] = rt_array_new(4);
    pthread_t a, b;
    pthread_create(&a, NULL, free_all, NULL);
    pthread_create(&b, NULL, free_all, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    cr_assert_eq(rtx_heap_live(), live0);
    for (int i = 0; i < 512; i++)
        cr_assert_eq(rt_array_len(racing[i]), -1);
}
