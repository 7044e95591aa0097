/*
 * runtime/park.h — block a thread until a 32-bit word changes.
 *
 * The futex idea (Linux futex(2); a striped mutex/condvar table elsewhere):
 * rtx_park_wait sleeps only while *word still equals `expected`, so a waker
 * that changes the word and then calls rtx_park_wake can never be missed.
 * Waits may return early (spuriously); callers re-check their condition.
 *
 * rtx_park_wake may be called on a word whose object was just freed by a
 * woken waiter (it only uses the address as a key; on Linux a stale address
 * at worst wakes an unrelated waiter spuriously, which waiters tolerate).
 */
#ifndef RTX_PARK_H
#define RTX_PARK_H

#include <stdatomic.h>
#include <stdint.h>

/* Sleep while *word == expected, at most timeout_ns (< 0: no limit). */
void rtx_park_wait(_Atomic uint32_t *word, uint32_t expected, int64_t timeout_ns);
/* Wake up to n threads waiting on word (n <= 0 or INT32_MAX: all). */
void rtx_park_wake(_Atomic uint32_t *word, int n);

/* Monotonic clock in nanoseconds. */
uint64_t rtx_now_ns(void);

#endif /* RTX_PARK_H */
