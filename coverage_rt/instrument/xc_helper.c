/*
 * coverage_rt/instrument/xc_helper.c — linked into the suite binaries of
 * the three cross-check builds (V=dogfood, gcov, mcdc; mk/dogfood.mk) so
 * that they observe the same executions:
 *
 *  - gcov and clang's profile runtime write their counts at exit only: a
 *    process killed by a signal (a contract violation aborts) loses them,
 *    where coverage_rt writes its report from the signal handler. In the
 *    gcov and mcdc builds this installs handlers for the fatal signals that
 *    dump the counts first, then die by the same signal.
 *  - RTCOV_XC_HEAP_SHIFT=N (any build) allocates N bytes before main and
 *    never frees them, shifting every later heap address. The cross-check
 *    runs the simplert build with several shifts: a decision whose counts
 *    move with the shift depends on the heap layout (the runtime's heap
 *    registry is sharded by address), which differs between builds, so it
 *    is left out of the comparison.
 *  - The suites are linked with -Wl,--wrap=rtx_mem_fail_at. With
 *    RTCOV_XC_DROP_FAULT_INJECTION set, a process that injects allocation
 *    failures drops its counts at exit (gcov, clang and coverage_rt alike):
 *    such a test retries "fail the k-th allocation" until the call succeeds,
 *    and how many allocations a call makes depends on the allocator's reuse
 *    of freed chunks (the heap registry's tombstones, its rehashes) — which
 *    the collector's own allocations change. What those tests cover is
 *    layout-dependent, so they are not part of the comparison (they are part
 *    of the `make dogfood` report, where the variable is not set).
 * Not part of the library.
 */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(XC_gcov)
void __gcov_dump(void);
void __gcov_reset(void);
#define XC_DUMP() __gcov_dump()
#define XC_DROP() __gcov_reset()
#define XC_HANDLERS 1
#elif defined(XC_mcdc)
int __llvm_profile_write_file(void);
void __llvm_profile_reset_counters(void);
#define XC_DUMP() ((void)__llvm_profile_write_file())
#define XC_DROP() __llvm_profile_reset_counters()
#define XC_HANDLERS 1
#else
void rt_coverage_clear(void);
#define XC_DROP() rt_coverage_clear()
#define XC_HANDLERS 0
#endif

static int g_dropping;   /* this process injected allocation failures */

static void drop_counts(void) { XC_DROP(); }

void __real_rtx_mem_fail_at(uint64_t n, int sticky);
void __wrap_rtx_mem_fail_at(uint64_t n, int sticky);

void __wrap_rtx_mem_fail_at(uint64_t n, int sticky)
{
    /* Registered after the profile runtimes' own exit writers, so it runs
     * before them (atexit order is last in, first out). */
    if (n != 0 && !g_dropping && getenv("RTCOV_XC_DROP_FAULT_INJECTION") != NULL) {
        g_dropping = 1;
        atexit(drop_counts);
    }
    __real_rtx_mem_fail_at(n, sticky);
}

#if XC_HANDLERS
static void on_fatal(int sig)
{
    if (g_dropping)
        XC_DROP();
    XC_DUMP();
    signal(sig, SIG_DFL);   /* SA_RESETHAND already did; be explicit */
    raise(sig);
}
#endif

void *rtcov_xc_shift;   /* the shift block: reachable, so no leak is reported */

__attribute__((constructor)) static void xc_setup(void)
{
    const char *s = getenv("RTCOV_XC_HEAP_SHIFT");
    if (s != NULL && *s)
        rtcov_xc_shift = malloc(strtoul(s, NULL, 10));
#if XC_HANDLERS
    static const int sigs[] = {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal;
    sa.sa_flags = (int)SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, NULL);
#endif
}
