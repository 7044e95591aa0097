/*
 * runtime/exec.h — the executor's private API for other runtime modules
 * (futures, parallel iterators, kernel launch, and later the GPU family's
 * CPU work-groups). The FFI surface is include/simplert/executor.h.
 *
 * There is one executor per process (as upstream). In Threaded mode tasks
 * run on a pool of workers, each with a Chase–Lev deque (runtime/deque.h);
 * a task submitted from a worker goes to that worker's deque, one submitted
 * from any other thread goes to a shared FIFO injection queue that idle
 * workers take shares of. In Manual mode tasks wait in a FIFO until some
 * thread polls (rt_executor_poll, or an awaiting future: rtx_exec_help).
 */
#ifndef RTX_EXEC_H
#define RTX_EXEC_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/deque.h"

/* Queue fn(arg). In Threaded mode this starts the executor if it has not
 * started (as upstream's submit). Returns 0, or -1 when nothing will ever
 * run the task: the executor is shut down (or shutting down), no worker
 * could be started, or memory ran out. On -1 the caller still owns arg and
 * usually runs fn(arg) itself. */
int rtx_exec_submit(rtx_task_fn fn, void *arg);

/* Run at most one queued task on the calling thread, if this thread may:
 * in Manual mode any thread polls the FIFO; in Threaded mode only a worker
 * helps (its FIFO share, its deque, the FIFO, then stealing). Used by
 * code that must wait for a task without blocking the thread that would
 * run it. Returns 1 if a task ran, 0 otherwise. */
int rtx_exec_help(void);

/* A batch: run fn(ctx, begin, end) over [begin, end) in chunks, on executor
 * workers (and on the waiting thread if it helps). One allocation and at
 * most `runners` queued tasks per batch, whatever its size; workers claim
 * chunks with one atomic add each. The GPU family's work-groups and the
 * par family's loops run on it. */
typedef void (*rtx_range_fn)(void *ctx, int64_t begin, int64_t end);
typedef struct rtx_batch rtx_batch;

/* Start a batch with up to `runners` worker tasks (fewer if there are fewer
 * chunks). chunk > 0: chunks of that size; chunk <= 0: guided chunks, large
 * first and small at the end. Returns NULL when the batch cannot be
 * allocated: the caller then runs fn(ctx, begin, end) itself. A batch whose
 * runners the executor refuses (Manual mode, shut down) is run by its
 * waiter. */
rtx_batch *rtx_exec_batch(int64_t begin, int64_t end, int64_t chunk, int runners, rtx_range_fn fn,
                          void *ctx);
/* Run unclaimed chunks of b on the calling thread. */
void rtx_exec_batch_help(rtx_batch *b);
/* Wait until every chunk has run (running the chunks no runner can take:
 * help = 0 leaves them to the workers when there are any), then release b.
 * fn and ctx are not used after this returns. */
void rtx_exec_batch_wait(rtx_batch *b, int help);

/* How many executor workers may help with a parallel job right now: 0 in
 * Manual mode or after shutdown; in Threaded mode the worker count (the
 * executor is started if needed; 0 if no worker could be started). */
int rtx_exec_workers(void);

/* True on an executor worker thread. */
int rtx_exec_on_worker(void);

/* The number of CPUs this process may run on (>= 1); rt_thread_available_parallelism. */
int64_t rtx_thread_cpu_count(void);

/* Create a joinable thread running fn(arg) with the OS name `name`
 * (truncated to 15 bytes, as Linux allows and as Rust's std does) and a
 * stack of `stack` bytes (0: the default). Returns 0 or an errno value
 * (thread.c; executor workers and kernel work items use it too). */
int rtx_thread_create(pthread_t *tid, void *(*fn)(void *), void *arg, const char *name,
                      size_t stack);

#ifdef RTX_TESTING
/* Make the next n thread creations fail with EAGAIN (0: none). */
void rtx_thread_fail_next(int n);
#endif

#endif /* RTX_EXEC_H */
