/*
 * runtime/lane.h — the index of the work item the calling thread is running.
 *
 * rt_neighbor_load (spec/ffi/vec.sdn) reads "the current lane" from here.
 * Whatever runs work items on a thread registers each item around its call:
 *
 *     rtx_lane_saved prev = rtx_lane_enter(i);
 *     ... run item i ...
 *     rtx_lane_leave(prev);
 *
 * rt_par_map/filter/for_each register the element index, rt_par and rt_gpu
 * kernel launches the global id in dimension 0. Saving and restoring the
 * previous state lets launches nest: the innermost item is the current lane.
 * The state is thread-local, so items on other threads never interfere.
 *
 * A runner whose items differ only in one counter it keeps in memory (the
 * emulated GPU's local id) registers that counter once with
 * rtx_lane_enter_at: the lane is then base + *offset, read when asked, so
 * the runner pays nothing per item. The functions are inline over an
 * initial-exec thread-local (as coverage_rt's state).
 */
#ifndef RTX_LANE_H
#define RTX_LANE_H

#include <stddef.h>
#include <stdint.h>

typedef struct rtx_lane_saved {
    int64_t index;             /* the lane, or the base *offset is added to */
    const uint32_t *offset;    /* NULL: index alone is the lane */
    int set;
} rtx_lane_saved;

/* The calling thread's lane ({0, 0}: none registered); runtime/lane.c. */
extern _Thread_local rtx_lane_saved rtx_lane_state __attribute__((tls_model("initial-exec")));

/* Make index the calling thread's current lane; returns the state to restore. */
static inline rtx_lane_saved rtx_lane_enter(int64_t index)
{
    rtx_lane_saved prev = rtx_lane_state;
    rtx_lane_state = (rtx_lane_saved){.index = index, .offset = NULL, .set = 1};
    return prev;
}

/* Make base + *offset the current lane, read whenever it is asked for (the
 * counter must outlive the registration); returns the state to restore. */
static inline rtx_lane_saved rtx_lane_enter_at(int64_t base, const uint32_t *offset)
{
    rtx_lane_saved prev = rtx_lane_state;
    rtx_lane_state = (rtx_lane_saved){.index = base, .offset = offset, .set = 1};
    return prev;
}

/* Restore the state rtx_lane_enter returned. */
static inline void rtx_lane_leave(rtx_lane_saved prev) { rtx_lane_state = prev; }

/* 1 and *index = the current lane when one is registered; 0 otherwise. */
static inline int rtx_lane_current(int64_t *index)
{
    if (!rtx_lane_state.set)
        return 0;
    const uint32_t *off = rtx_lane_state.offset;
    *index = rtx_lane_state.index + (off ? (int64_t)*off : 0);
    return 1;
}

#endif /* RTX_LANE_H */
