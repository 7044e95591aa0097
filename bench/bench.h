/*
 * bench/bench.h — side-by-side benchmarks (`make bench`).
 *
 * The machine is shared and noisy, so a benchmark never reports a lone
 * absolute time: each case times simplert and its named peer in the same
 * process, alternating them (A B A B ...) so drift hits both, and reports
 * the medians and their ratio against the case's goal. Results go to
 * stdout and to reports/bench/<bench>.sdn for the qualification dashboard.
 *
 *     bench_init(&b, "executor", argc, argv);
 *     bench_pair(&b, "batch_100k", "uv_queue_work", "tasks/s", BENCH_HIGHER,
 *                run_ours, run_peer, ctx, 5.0);   // goal: ours/peer >= 5
 *     return bench_finish(&b);
 *
 * A run function performs one measured repetition and returns its metric
 * (e.g. items per second, or nanoseconds per item).
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>

#define BENCH_MAX_CASES 32
#define BENCH_MAX_REPS 101

typedef enum { BENCH_HIGHER, BENCH_LOWER } bench_better;   /* which way is better */

typedef struct bench_case {
    char name[64], peer[64], unit[32];
    bench_better better;
    double goal;          /* ratio ours/peer that meets the goal (0: informational) */
    double ours_median, peer_median, ratio;
    int reps, met;
} bench_case;

typedef struct bench {
    const char *name;
    int reps;             /* repetitions per side (odd; default 11, --reps N) */
    int quick;            /* --quick: fewer reps, smaller sizes (used by make test) */
    bench_case cases[BENCH_MAX_CASES];
    int ncases;
} bench;

typedef double (*bench_fn)(void *ctx);

void bench_init(bench *b, const char *name, int argc, char **argv);
uint64_t bench_now_ns(void);
/* Time ours and peer alternately b->reps times each; record medians and ratio.
 * goal: for BENCH_HIGHER the goal is ours/peer >= goal; for BENCH_LOWER it is
 * ours/peer <= goal (e.g. 1.1 = "at most 10% slower"). 0 = no goal. */
void bench_pair(bench *b, const char *case_name, const char *peer_name, const char *unit,
                bench_better better, bench_fn ours, bench_fn peer, void *ctx, double goal);
/* A case with no peer (informational): only ours' median is reported. */
void bench_single(bench *b, const char *case_name, const char *unit, bench_fn ours, void *ctx);
/* Print the table, write reports/bench/<name>.sdn; returns 0 (goals are
 * reported, not asserted: the dashboard shows which were met). */
int bench_finish(bench *b);
double bench_median(double *v, int n);

/* Keep the optimiser from deleting a computed value. */
#define BENCH_KEEP(x) __asm__ volatile("" : : "g"(x) : "memory")

#endif /* BENCH_H */
