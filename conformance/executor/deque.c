/* The executor's Chase–Lev deque (runtime/deque.c) on its own: one owner
 * pushing and taking while thieves steal, under every sanitizer. Every task
 * must come out exactly once. Not an FFI row; it backs rt_executor_*. */
#include <sched.h>

#include "conformance/rtc.h"
#include "conformance/conc.h"
#include "runtime/deque.h"

static void nop(void *arg) { (void)arg; }

/* A deadlock fails the test instead of hanging the gate. */
TestSuite(executor_deque, .timeout = 120);

RTC_TEST(executor_deque, owner_is_lifo_thief_is_fifo)
{
    rtx_deque q;
    cr_assert_eq(rtx_deque_init(&q, 1), 0);   /* 2 slots: forces growth */
    for (intptr_t i = 1; i <= 10; i++)
        cr_assert_eq(rtx_deque_push(&q, (rtx_task){nop, (void *)i}), 0);
    cr_assert_eq(rtx_deque_size(&q), 10);
    rtx_task t;
    cr_assert_eq(rtx_deque_steal(&q, &t), RTX_DEQUE_OK);
    cr_assert_eq((intptr_t)t.arg, 1, "thieves take the oldest");
    cr_assert_eq(rtx_deque_take(&q, &t), RTX_DEQUE_OK);
    cr_assert_eq((intptr_t)t.arg, 10, "the owner takes the newest");
    cr_assert_eq(t.fn, nop);
    int n = 0;
    while (rtx_deque_take(&q, &t) == RTX_DEQUE_OK)
        n++;
    cr_assert_eq(n, 8);
    cr_assert_eq(rtx_deque_take(&q, &t), RTX_DEQUE_EMPTY);
    cr_assert_eq(rtx_deque_steal(&q, &t), RTX_DEQUE_EMPTY);
    cr_assert_eq(rtx_deque_size(&q), 0);
    rtx_deque_destroy(&q);
}

RTC_TEST(executor_deque, push_reports_out_of_memory)
{
    rtx_deque q;
    cr_assert_eq(rtx_deque_init(&q, 1), 0);
    cr_assert_eq(rtx_deque_push(&q, (rtx_task){nop, (void *)1}), 0);
    cr_assert_eq(rtx_deque_push(&q, (rtx_task){nop, (void *)2}), 0);
    rtx_mem_fail_at(1, 0);
    cr_assert_eq(rtx_deque_push(&q, (rtx_task){nop, (void *)3}), -1, "growth failed");
    rtx_mem_fail_at(0, 0);
    cr_assert_eq(rtx_deque_size(&q), 2, "the deque is unchanged");
    rtx_task t;
    cr_assert_eq(rtx_deque_take(&q, &t), RTX_DEQUE_OK);
    cr_assert_eq((intptr_t)t.arg, 2);
    rtx_deque_destroy(&q);
}

#define THIEVES 3
static rtx_deque shared_q;
static _Atomic int owner_done;
static _Atomic uint8_t *seen;
static _Atomic long stolen, aborts;

static void *thief(void *arg)
{
    (void)arg;
    rtx_task t;
    for (;;) {
        int rc = rtx_deque_steal(&shared_q, &t);
        if (rc == RTX_DEQUE_OK) {
            atomic_fetch_add(&seen[(intptr_t)t.arg], 1);
            atomic_fetch_add(&stolen, 1);
        } else if (rc == RTX_DEQUE_ABORT) {
            atomic_fetch_add(&aborts, 1);
        } else if (atomic_load(&owner_done)) {
            return NULL;
        } else {
            sched_yield();
        }
    }
}

RTC_TEST(executor_deque, concurrent_steals_take_each_task_once)
{
    long n = rtc_size(4000000, 500000, 30000);
    seen = calloc((size_t)n, 1);
    cr_assert_not_null(seen);
    cr_assert_eq(rtx_deque_init(&shared_q, 2), 0);
    pthread_t th[THIEVES];
    for (int i = 0; i < THIEVES; i++)
        pthread_create(&th[i], NULL, thief, NULL);
    rtx_task t;
    long taken = 0;
    for (long i = 0; i < n; i++) {
        cr_assert_eq(rtx_deque_push(&shared_q, (rtx_task){nop, (void *)(intptr_t)i}), 0);
        /* Take back about a third, often racing the thieves for the last one. */
        if (i % 3 == 0 && rtx_deque_take(&shared_q, &t) == RTX_DEQUE_OK) {
            atomic_fetch_add(&seen[(intptr_t)t.arg], 1);
            taken++;
        }
    }
    while (rtx_deque_take(&shared_q, &t) == RTX_DEQUE_OK) {
        atomic_fetch_add(&seen[(intptr_t)t.arg], 1);
        taken++;
    }
    atomic_store(&owner_done, 1);
    for (int i = 0; i < THIEVES; i++)
        pthread_join(th[i], NULL);
    cr_assert_eq(taken + atomic_load(&stolen), n);
    for (long i = 0; i < n; i++)
        cr_assert_eq(atomic_load(&seen[i]), 1, "task %ld came out %d times", i,
                     (int)atomic_load(&seen[i]));
    cr_log_info("deque: %ld taken by the owner, %ld stolen, %ld aborted steals", taken,
                atomic_load(&stolen), atomic_load(&aborts));
    free((void *)seen);
    rtx_deque_destroy(&shared_q);
}
