/*
 * conformance/rtc_sync.h — waiting for threads to be inside a sync object
 * (mutex, rwlock, semaphore, barrier suites).
 */
#ifndef RTC_SYNC_H
#define RTC_SYNC_H

#include <sched.h>

#include "conformance/rtc.h"
#include "runtime/sync_core.h"

/* Spin until n threads are inside the object v of heap type `type` (its
 * users count, a test hook). An object that was never made (its
 * constructor refused under make oom) fails the test here: no thread can
 * ever enter NIL, and waiting would hang. */
static inline void rtc_await_users(RtValue v, uint8_t type, int64_t n)
{
    cr_assert(rt_value_is_heap(v), "the sync object was not made (out of memory?)");
    while (rtx_sync_test_users(v, type) != n)
        sched_yield();
}

#endif /* RTC_SYNC_H */
