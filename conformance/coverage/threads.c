/* Conformance: the probes under concurrency (spec/ffi/coverage.sdn): exact
 * counts from two threads, per-thread MC/DC frames and path traces, thread
 * exit and reuse of its state, reports and clears while threads probe.
 * Run under TSan too.
 *
 * The exactness test makes 2 x 10M probes; the Valgrind build makes 2 x 1M
 * (Valgrind runs it ~50x slower) unless SIMPLERT_STRESS=1. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conformance/coverage/cov_helpers.h"
#include "coverage_rt/cov_internal.h"

static long probes_per_thread(void)
{
    const char *s = getenv("SIMPLERT_STRESS");
#ifdef RTC_FORK_RUNNER
    if (!(s && strcmp(s, "1") == 0))
        return 1000000;
#else
    (void)s;
#endif
    return 10000000;
}

static long g_n;
static const char *const k_file = "threads.spl";

static void *hammer(void *arg)
{
    uint32_t line = (uint32_t)(uintptr_t)arg;
    for (long i = 0; i < g_n; i++) {
        rt_coverage_decision_probe(1, i & 1, k_file, 1, 1);        /* shared by both threads */
        if ((i & 1023) == 0)
            rt_coverage_condition_probe(1, 0, true, k_file, line, 1);   /* one per thread */
    }
    return NULL;
}

RTC_TEST(coverage_threads, exact_counts_two_threads)
{
    g_n = probes_per_thread();
    rt_coverage_enable();
    pthread_t a, b;
    cr_assert_eq(pthread_create(&a, NULL, hammer, (void *)(uintptr_t)10), 0);
    cr_assert_eq(pthread_create(&b, NULL, hammer, (void *)(uintptr_t)20), 0);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    sdn_value *doc = cov_report(NULL);
    int64_t t, f;
    cov_dec(doc, 1, k_file, &t, &f);
    cr_assert_eq(t, g_n, "true count exact: %lld of %ld", (long long)t, g_n);
    cr_assert_eq(f, g_n, "false count exact: %lld of %ld", (long long)f, g_n);
    const sdn_value *c = cov_tab(doc, "conditions");
    cr_assert_eq(sdn_len(c), 2);
    for (size_t r = 0; r < 2; r++)
        cr_assert_eq(cov_cell_int(c, r, "true_count"), (g_n + 1023) / 1024);
    cr_assert_eq(cov_summary(doc, "probes_dropped"), 0);
    sdn_free(doc);
}

/* Two threads evaluate a && b at the same time: frames are per thread, so
 * each evaluation's vector is its own. */
static void *eval_and(void *arg)
{
    (void)arg;
    for (int k = 0; k < 2000; k++) {
        bool a = k & 1, b = k & 2;
        bool r = false;
        rt_coverage_condition_probe(2, 0, a, "t.spl", 2, 1);
        if (a) {
            rt_coverage_condition_probe(2, 1, b, "t.spl", 2, 5);
            r = b;
        }
        rt_coverage_decision_probe(2, r, "t.spl", 2, 0);
        rt_coverage_path_probe(7, 0);
        rt_coverage_path_probe(7, 1 + (uint32_t)(k & 1));
        rt_coverage_path_finalize(7);
    }
    return NULL;
}

RTC_TEST(coverage_threads, frames_and_traces_are_per_thread)
{
    rt_coverage_enable();
    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        cr_assert_eq(pthread_create(&th[i], NULL, eval_and, NULL), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    sdn_value *doc = cov_report(NULL);
    const sdn_value *v = cov_tab(doc, "mcdc_vectors");
    cr_assert_eq(sdn_len(v), 3);
    cr_assert_str_eq(cov_cell_str(v, 0, "vector"), "F-");
    cr_assert_eq(cov_cell_int(v, 0, "count"), 4 * 1000);
    cr_assert_eq(cov_cell_int(v, 1, "count"), 4 * 500);
    cr_assert_eq(cov_cell_int(v, 2, "count"), 4 * 500);
    const sdn_value *p = cov_tab(doc, "paths");
    cr_assert_eq(sdn_len(p), 2);
    cr_assert_eq(cov_cell_int(p, 0, "hit_count"), 4 * 1000);
    cr_assert_eq(cov_cell_int(p, 1, "hit_count"), 4 * 1000);
    cr_assert_eq(cov_summary(doc, "mcdc_frames_abandoned"), 0);
    sdn_free(doc);
}

static void *one_probe_and_open_trace(void *arg)
{
    uint32_t i = (uint32_t)(uintptr_t)arg;
    rt_coverage_decision_probe(3, true, "churn.spl", 1, 1);
    if (i == 0) {   /* the first thread exits with a trace open */
        rt_coverage_path_probe(9, 1);
        rt_coverage_path_probe(9, 2);
    }
    if (i == 1) {   /* a later one reuses its state: the old trace stays, untouched */
        rt_coverage_path_probe(9, 1);
        rt_coverage_path_finalize(9);
    }
    return NULL;
}

RTC_TEST(coverage_threads, exited_threads_state_is_reused_and_still_reported)
{
    rt_coverage_enable();
    rt_coverage_decision_probe(3, false, "churn.spl", 1, 1);   /* the main thread's state */
    for (int i = 0; i < 50; i++) {
        pthread_t t;
        cr_assert_eq(pthread_create(&t, NULL, one_probe_and_open_trace, (void *)(uintptr_t)i), 0);
        pthread_join(t, NULL);
    }
    size_t states = 0;
    for (cov_thread *t = atomic_load(&rtx_cov_threads); t; t = t->next)
        states++;
    cr_assert_leq(states, 3, "50 threads one after another share %zu states", states);
    sdn_value *doc = cov_report(NULL);
    int64_t t, f;
    cov_dec(doc, 3, "churn.spl", &t, &f);
    cr_assert(t == 50 && f == 1, "(%lld, %lld)", (long long)t, (long long)f);
    const sdn_value *p = cov_tab(doc, "paths");
    cr_assert_eq(sdn_len(p), 2);
    cr_assert_str_eq(cov_cell_str(p, 0, "blocks"), "1");
    cr_assert_eq(cov_cell_int(p, 0, "hit_count"), 1);
    cr_assert_str_eq(cov_cell_str(p, 1, "blocks"), "1,2", "the exited thread's open trace");
    cr_assert_eq(cov_cell_int(p, 1, "hit_count"), 0);
    sdn_free(doc);
}

static atomic_int g_stop;

static void *probe_until_stopped(void *arg)
{
    _Atomic long *done = arg;
    while (!atomic_load(&g_stop)) {
        for (int i = 0; i < 1000; i++) {
            rt_coverage_decision_probe((uint32_t)(i & 7), i & 1, "live.spl", 4, 4);
            rt_coverage_condition_probe((uint32_t)(i & 7), 0, i & 2, "live.spl", 4, 5);
            rt_coverage_path_probe(1, (uint32_t)i % 3);
        }
        rt_coverage_path_finalize(1);
        atomic_fetch_add(done, 1000);
    }
    return NULL;
}

/* Waits until both threads made `more` probes beyond `since`. */
static void wait_progress(_Atomic long *done, const long *since, long more)
{
    while (atomic_load(&done[0]) < since[0] + more || atomic_load(&done[1]) < since[1] + more)
        sched_yield();
}

RTC_TEST(coverage_threads, reports_and_clears_while_threads_probe)
{
    rt_coverage_enable();
    _Atomic long done[2] = {0, 0};
    pthread_t th[2];
    for (int i = 0; i < 2; i++)
        cr_assert_eq(pthread_create(&th[i], NULL, probe_until_stopped, (void *)&done[i]), 0);
    long zero[2] = {0, 0};
    wait_progress(done, zero, 3000);
    for (int k = 0; k < 10; k++)
        sdn_free(cov_report(NULL));   /* every snapshot parses */
    /* Every probe the report counts comes after this snapshot, and so does
     * the done increment of its batch: the upper bound below is exact even
     * when this thread is preempted between the clear and the next line. */
    long before_clear = atomic_load(&done[0]) + atomic_load(&done[1]);
    rt_coverage_clear();
    long at_clear[2] = {atomic_load(&done[0]), atomic_load(&done[1])};
    wait_progress(done, at_clear, 3000);   /* counting again after the clear */
    for (int k = 0; k < 10; k++)
        sdn_free(cov_report(NULL));
    atomic_store(&g_stop, 1);
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    sdn_value *doc = cov_report(NULL);
    int64_t total = 0;
    const sdn_value *d = cov_tab(doc, "decisions");
    for (size_t r = 0; r < sdn_len(d); r++)
        total += cov_cell_int(d, r, "true_count") + cov_cell_int(d, r, "false_count");
    long after = atomic_load(&done[0]) + atomic_load(&done[1]) - before_clear;
    cr_assert_leq(total, after, "no more than was probed since the clear began");
    cr_assert_geq(total, 6000 - 2000, "the probes after the clear count");
    sdn_free(doc);
}

/* fork() while other threads probe and build reports: the child inherits
 * no lock held by a thread it does not have, and counts only its own probes. */
__attribute__((unused)) static void *report_until_stopped(void *arg)
{
    (void)arg;
    while (!atomic_load(&g_stop))
        rt_coverage_free_sdn(rt_coverage_dump_sdn());
    return NULL;
}

static int child_sees_only_its_probe(void)
{
    rt_coverage_decision_probe(77, true, "fork.spl", 1, 1);
    char *t = rt_coverage_dump_sdn();
    if (t == NULL)
        return 1;
    int ok = strstr(t, "    77, fork.spl, 1, 1, 1, 0\n") != NULL &&
             strstr(t, "live.spl") == NULL;   /* the parent's probes are not the child's */
    rt_coverage_free_sdn(t);
    return ok ? 0 : 2;
}

RTC_TEST(coverage_threads, fork_while_threads_probe_and_report, .timeout = 60)
{
    rt_coverage_enable();
    _Atomic long done[2] = {0, 0};
    pthread_t th[3];
    cr_assert_eq(pthread_create(&th[0], NULL, probe_until_stopped, (void *)&done[0]), 0);
    cr_assert_eq(pthread_create(&th[1], NULL, probe_until_stopped, (void *)&done[1]), 0);
    /* Under Valgrind the child's exit-time leak check would count the
     * report the reporting thread was building at the fork as lost (only
     * that thread's stack, which the child does not have, pointed to it):
     * true of any fork() in a threaded process, so that build forks
     * beside the probing threads only. */
#ifdef RTC_FORK_RUNNER
    int nth = 2;
#else
    int nth = 3;
    cr_assert_eq(pthread_create(&th[2], NULL, report_until_stopped, NULL), 0);
#endif
    long zero[2] = {0, 0};
    wait_progress(done, zero, 2000);
    for (int k = 0; k < 20; k++) {
        pid_t p = fork();
        cr_assert_neq(p, -1);
        if (p == 0)
            _exit(child_sees_only_its_probe());
        int st;
        cr_assert_eq(waitpid(p, &st, 0), p);
        cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child %d: status %#x", k, st);
    }
    atomic_store(&g_stop, 1);
    for (int i = 0; i < nth; i++)
        pthread_join(th[i], NULL);
}
