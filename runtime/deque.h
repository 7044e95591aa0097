/*
 * runtime/deque.h — a work-stealing deque of tasks (one per executor worker).
 *
 * The Chase–Lev deque ("Dynamic Circular Work-Stealing Deque", SPAA 2005) in
 * the C11 formulation of Lê, Pop, Cohen and Zappa Nardelli, "Correct and
 * Efficient Work-Stealing for Weak Memory Models" (PPoPP 2013). The owner
 * pushes and takes at the bottom (LIFO); any other thread steals at the top
 * (FIFO). Push and take are wait-free for the owner except when the array
 * grows; steal is lock-free.
 *
 * An element is a task: a function and its argument (two words).
 */
#ifndef RTX_DEQUE_H
#define RTX_DEQUE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

typedef void (*rtx_task_fn)(void *arg);

typedef struct rtx_task {
    rtx_task_fn fn;
    void *arg;
} rtx_task;

/* A circular array of 2^k slots; each slot is two atomic words so that a
 * thief racing with the owner reads them without a data race (the value it
 * reads is only used when its CAS on top succeeds, which proves nobody
 * overwrote the slot in between). */
typedef struct rtx_deque_array {
    size_t mask;                        /* size - 1 */
    struct rtx_deque_array *retired;    /* older arrays, freed with the deque */
    struct {
        _Atomic uintptr_t fn, arg;
    } slot[];
} rtx_deque_array;

typedef struct rtx_deque {
    _Alignas(64) _Atomic int64_t top;      /* thieves' end */
    _Alignas(64) _Atomic int64_t bottom;   /* owner's end */
    _Atomic(rtx_deque_array *) array;
    char pad[64 - sizeof(void *)];
} rtx_deque;

enum { RTX_DEQUE_OK = 0, RTX_DEQUE_EMPTY = 1, RTX_DEQUE_ABORT = 2 };

/* 0, or -1 when the first array cannot be allocated. */
int rtx_deque_init(rtx_deque *q, size_t log2_size);
/* Frees the array and every retired one; no thread may use q afterwards. */
void rtx_deque_destroy(rtx_deque *q);

/* Owner only. 0, or -1 when the array had to grow and could not (q unchanged). */
int rtx_deque_push(rtx_deque *q, rtx_task t);
/* Owner only. RTX_DEQUE_OK (task in *t) or RTX_DEQUE_EMPTY. */
int rtx_deque_take(rtx_deque *q, rtx_task *t);
/* Any thread. RTX_DEQUE_OK, RTX_DEQUE_EMPTY, or RTX_DEQUE_ABORT (lost a race; retry). */
int rtx_deque_steal(rtx_deque *q, rtx_task *t);
/* A racy estimate of the number of tasks (any thread). */
int64_t rtx_deque_size(rtx_deque *q);

#endif /* RTX_DEQUE_H */
