/*
 * conformance/vk/vkt.c — under Valgrind (vg variant), the one test that
 * runs every vk case in a single process (see vkt.h for why). Empty in
 * the other variants.
 */
#include <stdio.h>
#include <time.h>

#include "conformance/vk/vkt.h"

#ifdef RTC_FORK_RUNNER
typedef struct vkt_case {
    const char *name;
    void (*fn)(void);
} vkt_case;
static vkt_case cases[128];
static size_t ncases;

/* Cases left to the other variants: the atomic table makes lavapipe
 * JIT-compile and run three dispatches of ~35,000 contending invocations,
 * about 30 s under Valgrind with no simplert code in the loop; every vk
 * function it calls is walked by the other cases here. */
static const char *const asan_only[] = {"vk_atomic_table::"};

void vkt_register(const char *name, void (*fn)(void))
{
    for (size_t i = 0; i < sizeof asan_only / sizeof asan_only[0]; i++)
        if (strncmp(name, asan_only[i], strlen(asan_only[i])) == 0)
            return;
    if (ncases < sizeof cases / sizeof cases[0])
        cases[ncases++] = (vkt_case){name, fn};
}

/* Plain Test(): RTC_TEST is the registering macro in this variant. */
Test(vk_valgrind, every_case_in_one_process)
{
    cr_assert_lt(ncases, sizeof cases / sizeof cases[0], "raise the case limit");
    for (size_t i = 0; i < ncases; i++) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        uint64_t live = rtx_heap_live();
        cases[i].fn();
        cr_assert_eq(rtx_heap_live(), live, "%s leaked heap objects", cases[i].name);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        fprintf(stderr, "[vk] %-55s %6.1f s\n", cases[i].name,
                (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    }
}
#endif
