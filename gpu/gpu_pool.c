/*
 * gpu/gpu_pool.c — the work-group pool behind gpu/gpu_pool.h, on plain
 * pthreads. No FFI row lives here.
 *
 * Pool threads start on the first parallel launch: one fewer than the
 * processors (the caller is the other), at most 15. A job is a request on
 * the caller's stack: "up to `want` more threads may run body(ctx)". Pool
 * threads take one slot of the oldest job that still wants helpers, run
 * the body, and report back. When the caller's own body returns, the work
 * is all claimed, so the caller withdraws the remaining slots and waits
 * only for helpers already running. Pool threads live until the process
 * ends; they sleep on a condition variable while there is no job.
 */
#include "gpu/gpu_pool.h"

#include <pthread.h>
#include <stddef.h>
#include <unistd.h>

#define MAX_THREADS 15u

typedef struct job {
    rtx_gpu_pool_body body;
    void *ctx;
    unsigned want;      /* helpers that may still start */
    unsigned active;    /* helpers running the body now */
    pthread_cond_t done;
    struct job *next;
} job;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work = PTHREAD_COND_INITIALIZER;
static job *jobs;   /* oldest first */
static unsigned nthreads;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void start(void);
static void *worker(void *arg);

unsigned rtx_gpu_pool_width(void)
{
    pthread_once(&once, start);
    return nthreads + 1;
}

void rtx_gpu_pool_run(unsigned width, rtx_gpu_pool_body body, void *ctx)
{
    unsigned helpers = width > 1 ? width - 1 : 0;
    if (helpers > 0)
        pthread_once(&once, start);
    if (helpers > nthreads)
        helpers = nthreads;
    if (helpers == 0) {
        body(ctx);
        return;
    }
    job j = {.body = body, .ctx = ctx, .want = helpers};
    pthread_cond_init(&j.done, NULL);
    pthread_mutex_lock(&lock);
    job **tail = &jobs;
    while (*tail)
        tail = &(*tail)->next;
    *tail = &j;
    pthread_cond_broadcast(&work);
    pthread_mutex_unlock(&lock);

    body(ctx);

    pthread_mutex_lock(&lock);
    j.want = 0;   /* the work is claimed: late helpers would find nothing */
    while (j.active > 0)
        pthread_cond_wait(&j.done, &lock);
    for (job **p = &jobs; *p; p = &(*p)->next) {
        if (*p == &j) {
            *p = j.next;
            break;
        }
    }
    pthread_mutex_unlock(&lock);
    pthread_cond_destroy(&j.done);
}

/* ---- helpers ---- */

static void start(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned want = n > 1 ? (unsigned)n - 1 : 0;
    if (want > MAX_THREADS)
        want = MAX_THREADS;
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    for (unsigned i = 0; i < want; i++) {
        pthread_t t;
        if (pthread_create(&t, &a, worker, NULL) != 0)
            break;   /* fewer helpers; the caller still does all the work */
        nthreads++;
    }
    pthread_attr_destroy(&a);
}

static void *worker(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    for (;;) {
        job *j = jobs;
        while (j && j->want == 0)
            j = j->next;
        if (j == NULL) {
            pthread_cond_wait(&work, &lock);
            continue;
        }
        j->want--;
        j->active++;
        pthread_mutex_unlock(&lock);
        j->body(j->ctx);
        pthread_mutex_lock(&lock);
        if (--j->active == 0)
            pthread_cond_signal(&j->done);
    }
    return NULL;
}
