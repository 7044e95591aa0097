/*
 * runtime/par_run.h — run a loop over [0, n) on the caller and the executor.
 *
 * The engine behind rt_par_map/filter/reduce/for_each and kernel launch.
 * It decides how much parallelism a loop is worth from what the loop costs:
 *
 *   - n <= seq_max: the caller runs everything, no clock read, no executor.
 *   - n >= eager_min: so many items that parallelism pays whatever each
 *     costs: guided chunks (large first, small last) start at once, with
 *     no probe delay;
 *   - otherwise the caller runs items in doubling blocks (1, 2, 4, ...)
 *     until they have taken PROBE_NS; if that finished the loop, or the
 *     rest is estimated under MIN_PAR_NS, the caller finishes alone;
 *   - else the rest is cut into chunks of about CHUNK_NS each (at least
 *     8 per thread) that the caller and up to min(workers, CPUs - 1)
 *     executor workers claim one at a time; the call returns when every
 *     chunk is done. In Manual mode or after shutdown the caller does all.
 *
 * body may run concurrently on several threads, each on disjoint ranges.
 */
#ifndef RTX_PAR_RUN_H
#define RTX_PAR_RUN_H

#include <stdint.h>

#include "runtime/exec.h"

typedef rtx_range_fn rtx_par_body;

void rtx_par_run(int64_t n, int64_t seq_max, int64_t eager_min, rtx_par_body body, void *ctx);

#ifdef RTX_TESTING
/* Tests: chunk > 0 skips the cost probe and always runs in parallel with
 * chunks of `chunk` items (helpers = min(workers, max(1, CPUs - 1)));
 * 0 restores the normal policy. */
void rtx_par_force(int64_t chunk);
#endif

#endif /* RTX_PAR_RUN_H */
