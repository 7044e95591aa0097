/*
 * runtime/async_pool.h — the worker pool behind native_async_file_*
 * (spec/ffi/async_file.sdn).
 *
 * max(CPU count, 4) workers (at most 64), started on the first submit. At
 * process exit the workers are stopped and joined (so Valgrind and LSan see
 * no thread left behind) and jobs still queued are run with abandoned = 1,
 * which must finish them without doing the work. A forked child starts its
 * own workers on its next submit, or when a job queued before the fork is
 * waited for (rtx_afpool_kick); jobs the parent's workers were running at
 * the fork are not run in the child.
 */
#ifndef RTX_ASYNC_POOL_H
#define RTX_ASYNC_POOL_H

typedef struct rtx_afjob {
    struct rtx_afjob *next;   /* queue link, owned by the pool while queued */
    /* Runs on a worker (abandoned 0), or at exit for a job no worker took
     * (abandoned 1). */
    void (*run)(struct rtx_afjob *job, int abandoned);
} rtx_afjob;

/* Queue job; 0, or -1 when no worker can run it (the pool could not start
 * any thread, or the process is exiting). */
int rtx_afpool_submit(rtx_afjob *job);

/* Take job back out of the queue: 1 if it was still queued (it will never
 * run), 0 if a worker already took it (or it was never submitted). */
int rtx_afpool_cancel(rtx_afjob *job);

/* Make sure queued jobs have a worker: a forked child inherits its parent's
 * queue but none of its workers, so the first caller that finds a job of its
 * own still queued starts them. 0, or -1 when jobs are queued and no worker
 * can be started (the caller then cancels its job). */
int rtx_afpool_kick(void);

#ifdef RTX_TESTING
/* Workers started so far in this process (tests check the pool size). */
int rtx_afpool_test_workers(void);
/* hold 1: workers leave queued jobs in the queue until hold 0, so tests can
 * fork (or close) while a load is certainly still queued. */
void rtx_afpool_test_hold(int hold);
#endif

#endif /* RTX_ASYNC_POOL_H */
