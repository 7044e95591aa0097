/*
 * runtime/async_pool.c — the async-file worker pool (see async_pool.h).
 * Implements no spec row by itself; native_async_file_* queue loads here.
 */
#include "runtime/async_pool.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#define MIN_WORKERS 4
#define MAX_WORKERS 64

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t more = PTHREAD_COND_INITIALIZER;   /* a job was queued, or stop */
static rtx_afjob *head, *tail;                           /* FIFO, under lock */
static pthread_t workers[MAX_WORKERS];
static int nworkers;       /* started in this process, under lock */
static int stopping;       /* set once at exit, under lock */
static int hooks_set;      /* atexit and atfork registered, under lock */
static int test_hold;      /* RTX_TESTING: workers leave the queue alone */

static int start_locked(void);
static void *worker(void *arg);
static void shutdown_pool(void);
static void fork_prepare(void);
static void fork_parent(void);
static void fork_child(void);

int rtx_afpool_submit(rtx_afjob *job)
{
    pthread_mutex_lock(&lock);
    int rc = -1;
    if (!stopping && (nworkers > 0 || start_locked() == 0)) {
        job->next = NULL;
        if (tail)
            tail->next = job;
        else
            head = job;
        tail = job;
        pthread_cond_signal(&more);
        rc = 0;
    }
    pthread_mutex_unlock(&lock);
    return rc;
}

int rtx_afpool_cancel(rtx_afjob *job)
{
    pthread_mutex_lock(&lock);
    int found = 0;
    for (rtx_afjob **p = &head, *prev = NULL; *p; prev = *p, p = &(*p)->next) {
        if (*p == job) {
            *p = job->next;
            if (tail == job)
                tail = prev;
            found = 1;
            break;
        }
    }
    pthread_mutex_unlock(&lock);
    return found;
}

int rtx_afpool_kick(void)
{
    pthread_mutex_lock(&lock);
    int rc = 0;
    if (head != NULL && nworkers == 0)
        rc = stopping ? -1 : start_locked();
    pthread_mutex_unlock(&lock);
    return rc;
}

#ifdef RTX_TESTING
int rtx_afpool_test_workers(void)
{
    pthread_mutex_lock(&lock);
    int n = nworkers;
    pthread_mutex_unlock(&lock);
    return n;
}

void rtx_afpool_test_hold(int hold)
{
    pthread_mutex_lock(&lock);
    test_hold = hold;
    pthread_cond_broadcast(&more);
    pthread_mutex_unlock(&lock);
}
#endif

/* Start the workers; caller holds lock. 0 if at least one started. */
static int start_locked(void)
{
    if (!hooks_set) {
        if (atexit(shutdown_pool) != 0 ||
            pthread_atfork(fork_prepare, fork_parent, fork_child) != 0)
            return -1;
        hooks_set = 1;
    }
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int want = cpus > MIN_WORKERS ? (cpus > MAX_WORKERS ? MAX_WORKERS : (int)cpus) : MIN_WORKERS;
    /* Workers inherit a full signal mask: the program's handlers run on
     * its own threads, never on a loader. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    while (nworkers < want && pthread_create(&workers[nworkers], NULL, worker, NULL) == 0)
        nworkers++;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return nworkers > 0 ? 0 : -1;
}

static void *worker(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    for (;;) {
        while ((head == NULL || test_hold) && !stopping)
            pthread_cond_wait(&more, &lock);
        if (stopping)
            break;
        rtx_afjob *j = head;
        head = j->next;
        if (head == NULL)
            tail = NULL;
        pthread_mutex_unlock(&lock);
        j->run(j, 0);
        pthread_mutex_lock(&lock);
    }
    pthread_mutex_unlock(&lock);
    return NULL;
}

/* atexit: stop and join the workers (each finishes its current job), then
 * finish the jobs nobody took without doing them. */
static void shutdown_pool(void)
{
    pthread_mutex_lock(&lock);
    stopping = 1;
    pthread_cond_broadcast(&more);
    int n = nworkers;
    pthread_mutex_unlock(&lock);
    for (int i = 0; i < n; i++)
        pthread_join(workers[i], NULL);
    pthread_mutex_lock(&lock);
    nworkers = 0;
    rtx_afjob *j = head;
    head = tail = NULL;
    pthread_mutex_unlock(&lock);
    while (j) {
        rtx_afjob *next = j->next;
        j->run(j, 1);
        j = next;
    }
}

/* fork: hold the lock across fork so the child gets a consistent queue;
 * the child has none of the parent's workers. */
static void fork_prepare(void) { pthread_mutex_lock(&lock); }
static void fork_parent(void) { pthread_mutex_unlock(&lock); }
static void fork_child(void)
{
    /* The parent's waiters on `more` do not exist here. */
    pthread_cond_t fresh = PTHREAD_COND_INITIALIZER;
    more = fresh;
    nworkers = 0;
    pthread_mutex_unlock(&lock);
}
