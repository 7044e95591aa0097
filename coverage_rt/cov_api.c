/*
 * coverage_rt/cov_api.c — the coverage probes and switches
 * (spec/ffi/coverage.sdn): rt_coverage_decision_probe,
 * rt_coverage_condition_probe, rt_coverage_path_probe,
 * rt_coverage_path_finalize, rt_coverage_clear, rt_coverage_enabled,
 * rt_coverage_enable, rt_coverage_enable_timed, and the legacy codegen probes
 * rt_decision_probe, rt_condition_probe, rt_path_probe.
 *
 * The probes are the hot path: one acquire load of the global state, the
 * thread's state from initial-exec TLS, an epoch compare, a lookup in the
 * thread's own table, and a relaxed store. No lock, no getenv, no allocation
 * once the thread has seen the site (cov_internal.h explains why).
 */
#include <stdlib.h>
#include <string.h>

#include "coverage_rt/cov_internal.h"
#include "simplert/coverage.h"

_Atomic int rtx_cov_state;
_Atomic uint32_t rtx_cov_epoch;
_Atomic int rtx_cov_timed;
_Atomic uint64_t rtx_cov_gate;

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t g_enable_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t g_gate_lock = PTHREAD_MUTEX_INITIALIZER;
static void decide(void);
static void turn_on(void);

/* The probes' fast paths keep no value live across a call: everything
 * unusual (coverage off, first probe of a thread, a new epoch, a site not yet
 * seen, an open MC/DC frame, timed mode) tail-calls the slow path, which
 * starts over. */
__attribute__((noinline)) static void decision_slow(uint32_t id, bool r, const char *file,
                                                    uint32_t line, uint32_t col);
__attribute__((noinline)) static void condition_slow(uint32_t dec, uint32_t cond, bool r,
                                                     const char *file, uint32_t line,
                                                     uint32_t col);

void rt_coverage_decision_probe(uint32_t decision_id, bool result, const char *file,
                                uint32_t line, uint32_t column)
{
    cov_thread *t = rtx_cov_fast();
    cov_slot *s;
    if (__builtin_expect(t == NULL, 0) ||
        (s = rtx_cov_find(t, RTX_COV_DEC, (uintptr_t)file, decision_id,
                          line | (uint64_t)column << 32)) == NULL) {
        decision_slow(decision_id, result, file, line, column);
        return;
    }
    rtx_cov_bump(&s->n[result ? 0 : 1]);
    if (t->nframes)   /* a tail call: nothing of this frame is needed after it */
        rtx_cov_frame_commit(t, s, decision_id, file, result);
}

void rt_coverage_condition_probe(uint32_t decision_id, uint32_t condition_id, bool result,
                                 const char *file, uint32_t line, uint32_t column)
{
    cov_thread *t = rtx_cov_fast();
    cov_slot *s;
    if (__builtin_expect(t == NULL || condition_id >= RTX_COV_MAX_CONDS, 0) ||
        (s = rtx_cov_find(t, RTX_COV_COND, (uintptr_t)file,
                          decision_id | (uint64_t)condition_id << 32,
                          line | (uint64_t)column << 32)) == NULL) {
        condition_slow(decision_id, condition_id, result, file, line, column);
        return;
    }
    rtx_cov_bump(&s->n[result ? 0 : 1]);
    rtx_cov_frame_cond(t, decision_id, condition_id, result, file);
}

void rt_coverage_path_probe(uint32_t path_id, uint32_t block_id)
{
    cov_thread *t = rtx_cov_enter();
    if (t != NULL)
        rtx_cov_path_step(t, path_id, block_id);
}

void rt_coverage_path_finalize(uint32_t path_id)
{
    cov_thread *t = rtx_cov_enter();
    if (t != NULL)
        rtx_cov_path_end(t, path_id);
}

void rt_decision_probe(uint64_t decision_id, bool result)
{
    rt_coverage_decision_probe((uint32_t)decision_id, result, NULL, 0, 0);
}

void rt_condition_probe(uint64_t decision_id, uint32_t condition_id, bool result)
{
    rt_coverage_condition_probe((uint32_t)decision_id, condition_id, result, NULL, 0, 0);
}

void rt_path_probe(uint64_t path_id, uint32_t block_id)
{
    rt_coverage_path_probe((uint32_t)path_id, block_id);
}

bool rt_coverage_enabled(void)
{
    pthread_once(&g_once, decide);
    return atomic_load(&rtx_cov_state) == 2;
}

void rt_coverage_enable(void)
{
    pthread_once(&g_once, decide);
    turn_on();
}

void rt_coverage_enable_timed(void)
{
    pthread_once(&g_once, decide);
    turn_on();
    rtx_cov_now_ns();   /* fixes the time origin on the first call */
    atomic_store(&rtx_cov_timed, 1);
    rtx_cov_gate_update();
}

void rt_coverage_clear(void)
{
    pthread_once(&g_once, decide);
    /* Every thread zeroes its own counts when it sees the new epoch; dumps
     * ignore threads that have not yet. Sites stay registered. */
    atomic_store(&rtx_cov_timed, 0);
    atomic_fetch_add(&rtx_cov_epoch, 1);
    rtx_cov_gate_update();
}

/* Recomputes the gate from the state, timed mode and epoch. Serialised, so
 * two writers cannot store gates computed from each other's old values. */
void rtx_cov_gate_update(void)
{
    pthread_mutex_lock(&g_gate_lock);
    int on = atomic_load(&rtx_cov_state) == 2 && !atomic_load(&rtx_cov_timed);
    uint64_t e = atomic_load(&rtx_cov_epoch);
    atomic_store(&rtx_cov_gate, on ? e << 1 | 1 : 0);
    pthread_mutex_unlock(&g_gate_lock);
}

void rtx_cov_reset(void)
{
    pthread_once(&g_once, decide);
    rtx_cov_dump_reset();
    rtx_cov_threads_reset();
    rtx_cov_reg_reset();
    atomic_store(&rtx_cov_timed, 0);
    atomic_store(&rtx_cov_epoch, 0);
    atomic_store(&rtx_cov_state, 1);
    rtx_cov_gate_update();
}

bool rtx_cov_on_slow(void)
{
    pthread_once(&g_once, decide);
    return atomic_load_explicit(&rtx_cov_state, memory_order_acquire) == 2;
}

/* ---- helpers ---- */

static void decision_slow(uint32_t id, bool r, const char *file, uint32_t line, uint32_t col)
{
    cov_thread *t = rtx_cov_enter();
    if (t == NULL)
        return;
    cov_slot *s = rtx_cov_find(t, RTX_COV_DEC, (uintptr_t)file, id, line | (uint64_t)col << 32);
    if (s == NULL && (s = rtx_cov_miss(t, RTX_COV_DEC, id, 0, file, line, col)) == NULL)
        return;
    rtx_cov_bump(&s->n[r ? 0 : 1]);
    if (t->nframes)
        rtx_cov_frame_commit(t, s, id, file, r);
    if (atomic_load_explicit(&rtx_cov_timed, memory_order_relaxed))
        rtx_cov_perf_add(t, s);
}

static void condition_slow(uint32_t dec, uint32_t cond, bool r, const char *file, uint32_t line,
                           uint32_t col)
{
    cov_thread *t = rtx_cov_enter();
    if (t == NULL)
        return;
    cov_slot *s = rtx_cov_find(t, RTX_COV_COND, (uintptr_t)file, dec | (uint64_t)cond << 32,
                               line | (uint64_t)col << 32);
    if (s == NULL && (s = rtx_cov_miss(t, RTX_COV_COND, dec, cond, file, line, col)) == NULL)
        return;
    rtx_cov_bump(&s->n[r ? 0 : 1]);
    if (cond < RTX_COV_MAX_CONDS)
        rtx_cov_frame_cond(t, dec, cond, r, file);
    else
        rtx_cov_bump(&t->ctr[RTX_COV_C_WIDE_CONDITIONS]);
    if (atomic_load_explicit(&rtx_cov_timed, memory_order_relaxed))
        rtx_cov_perf_add(t, s);
}

/* Once per process: SIMPLE_COVERAGE is read here and never again. */
static void decide(void)
{
    const char *v = getenv("SIMPLE_COVERAGE");
    if (v != NULL && strcmp(v, "1") == 0)
        turn_on();
    int off = 0;
    atomic_compare_exchange_strong(&rtx_cov_state, &off, 1);
}

/* fork(): every mutex is held across it (in one order: enable, gate, dump,
 * registry, reports), so the child never inherits one locked by a thread
 * that does not exist there. */
static void fork_prepare(void)
{
    pthread_mutex_lock(&g_enable_lock);
    pthread_mutex_lock(&g_gate_lock);
    rtx_cov_dump_lock();
    rtx_cov_reg_lock();
    rtx_cov_out_lock();
}

static void fork_parent(void)
{
    rtx_cov_out_unlock();
    rtx_cov_reg_unlock();
    rtx_cov_dump_unlock();
    pthread_mutex_unlock(&g_gate_lock);
    pthread_mutex_unlock(&g_enable_lock);
}

static void fork_child(void)
{
    fork_parent();
    rtx_cov_fork_child();
    rtx_cov_persist_fork_child();
}

static void turn_on(void)
{
    pthread_mutex_lock(&g_enable_lock);
    static int atfork_done;
    if (atomic_load(&rtx_cov_state) != 2) {
        if (!atfork_done)
            atfork_done = pthread_atfork(fork_prepare, fork_parent, fork_child) == 0;
        rtx_cov_persist_setup();
        atomic_store_explicit(&rtx_cov_state, 2, memory_order_release);
        rtx_cov_gate_update();
    }
    pthread_mutex_unlock(&g_enable_lock);
}
