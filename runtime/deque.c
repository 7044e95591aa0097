/*
 * runtime/deque.c — the Chase–Lev work-stealing deque (see deque.h).
 *
 * Internal to the executor (spec/ffi/executor.sdn); implements no FFI row.
 *
 * Memory orders follow Lê, Pop, Cohen, Zappa Nardelli, "Correct and
 * Efficient Work-Stealing for Weak Memory Models", PPoPP 2013, Fig. 1,
 * with two deliberate strengthenings, both free on x86-64:
 *   - push publishes with a release *store* of bottom instead of a release
 *     fence followed by a relaxed store, and take's stores of bottom are
 *     release too. ThreadSanitizer does not model standalone fences, so
 *     with the paper's fence it would not see that a thief's acquire load
 *     of bottom synchronises with the push (and report the task's argument
 *     as a race). The store form gives the same guarantee in C11.
 *   - the paper's consume load of the array pointer is an acquire load
 *     (compilers implement consume as acquire anyway).
 * The two seq_cst fences (take: between its store of bottom and its load of
 * top; steal: between its loads of top and bottom) are the paper's and are
 * what makes owner and thief agree on the last element.
 *
 * Growth and reclamation: when the owner finds the array full it copies the
 * live range [top, bottom) into an array twice the size and publishes it.
 * A thief may still be reading the old array (it loaded the pointer before
 * the swap); the slots it can reach there hold the same tasks, since the
 * owner never writes an old array again. So old arrays are not freed at
 * growth: each new array links the previous one in `retired`, and
 * rtx_deque_destroy (executor shutdown, after every worker has been joined)
 * frees the chain. The chain's total size is less than the newest array's,
 * so memory stays within 2x of the peak queue length.
 */
#include "runtime/deque.h"

#include "runtime/mem.h"

static rtx_deque_array *array_new(size_t size, rtx_deque_array *retired)
{
    rtx_deque_array *a = rtx_malloc(sizeof *a + size * sizeof a->slot[0]);
    if (a == NULL)
        return NULL;
    a->mask = size - 1;
    a->retired = retired;
    for (size_t i = 0; i < size; i++) {
        atomic_init(&a->slot[i].fn, 0);
        atomic_init(&a->slot[i].arg, 0);
    }
    return a;
}

int rtx_deque_init(rtx_deque *q, size_t log2_size)
{
    rtx_deque_array *a = array_new((size_t)1 << log2_size, NULL);
    if (a == NULL)
        return -1;
    atomic_init(&q->top, 0);
    atomic_init(&q->bottom, 0);
    atomic_init(&q->array, a);
    return 0;
}

void rtx_deque_destroy(rtx_deque *q)
{
    rtx_deque_array *a = atomic_load_explicit(&q->array, memory_order_relaxed);
    while (a) {
        rtx_deque_array *older = a->retired;
        rtx_free(a);
        a = older;
    }
    atomic_store_explicit(&q->array, NULL, memory_order_relaxed);
}

static void slot_put(rtx_deque_array *a, int64_t i, uintptr_t fn, uintptr_t arg)
{
    size_t k = (size_t)i & a->mask;
    atomic_store_explicit(&a->slot[k].fn, fn, memory_order_relaxed);
    atomic_store_explicit(&a->slot[k].arg, arg, memory_order_relaxed);
}

static rtx_task slot_get(rtx_deque_array *a, int64_t i)
{
    size_t k = (size_t)i & a->mask;
    rtx_task t;
    t.fn = (rtx_task_fn)atomic_load_explicit(&a->slot[k].fn, memory_order_relaxed);
    t.arg = (void *)atomic_load_explicit(&a->slot[k].arg, memory_order_relaxed);
    return t;
}

/* Owner: double the array, keeping the old one for thieves still reading it. */
static rtx_deque_array *grow(rtx_deque *q, rtx_deque_array *a, int64_t t, int64_t b)
{
    size_t size = (a->mask + 1) * 2;
    if (size > ((size_t)1 << 40))   /* 16 TiB of tasks: give up, do not wrap */
        return NULL;
    rtx_deque_array *n = array_new(size, a);
    if (n == NULL)
        return NULL;
    for (int64_t i = t; i < b; i++) {
        rtx_task x = slot_get(a, i);
        slot_put(n, i, (uintptr_t)x.fn, (uintptr_t)x.arg);
    }
    atomic_store_explicit(&q->array, n, memory_order_release);
    return n;
}

int rtx_deque_push(rtx_deque *q, rtx_task task)
{
    int64_t b = atomic_load_explicit(&q->bottom, memory_order_relaxed);
    int64_t t = atomic_load_explicit(&q->top, memory_order_acquire);
    rtx_deque_array *a = atomic_load_explicit(&q->array, memory_order_relaxed);
    if (b - t > (int64_t)a->mask) {
        a = grow(q, a, t, b);
        if (a == NULL)
            return -1;
    }
    slot_put(a, b, (uintptr_t)task.fn, (uintptr_t)task.arg);
    /* Paper: fence(release); store(bottom, relaxed). See the file comment. */
    atomic_store_explicit(&q->bottom, b + 1, memory_order_release);
    return 0;
}

int rtx_deque_take(rtx_deque *q, rtx_task *out)
{
    int64_t b = atomic_load_explicit(&q->bottom, memory_order_relaxed) - 1;
    rtx_deque_array *a = atomic_load_explicit(&q->array, memory_order_relaxed);
    atomic_store_explicit(&q->bottom, b, memory_order_release);
    atomic_thread_fence(memory_order_seq_cst);
    int64_t t = atomic_load_explicit(&q->top, memory_order_relaxed);
    if (t > b) {   /* empty: restore bottom */
        atomic_store_explicit(&q->bottom, b + 1, memory_order_release);
        return RTX_DEQUE_EMPTY;
    }
    *out = slot_get(a, b);
    if (t < b)
        return RTX_DEQUE_OK;   /* more than one element: no thief can reach b */
    /* The last element: race the thieves for it through top. */
    int rc = RTX_DEQUE_OK;
    if (!atomic_compare_exchange_strong_explicit(&q->top, &t, t + 1, memory_order_seq_cst,
                                                 memory_order_relaxed))
        rc = RTX_DEQUE_EMPTY;
    atomic_store_explicit(&q->bottom, b + 1, memory_order_release);
    return rc;
}

int rtx_deque_steal(rtx_deque *q, rtx_task *out)
{
    int64_t t = atomic_load_explicit(&q->top, memory_order_acquire);
    atomic_thread_fence(memory_order_seq_cst);
    int64_t b = atomic_load_explicit(&q->bottom, memory_order_acquire);
    if (t >= b)
        return RTX_DEQUE_EMPTY;
    rtx_deque_array *a = atomic_load_explicit(&q->array, memory_order_acquire);
    rtx_task x = slot_get(a, t);
    if (!atomic_compare_exchange_strong_explicit(&q->top, &t, t + 1, memory_order_seq_cst,
                                                 memory_order_relaxed))
        return RTX_DEQUE_ABORT;
    *out = x;
    return RTX_DEQUE_OK;
}

int64_t rtx_deque_size(rtx_deque *q)
{
    int64_t b = atomic_load_explicit(&q->bottom, memory_order_relaxed);
    int64_t t = atomic_load_explicit(&q->top, memory_order_relaxed);
    return b > t ? b - t : 0;
}
