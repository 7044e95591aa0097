/*
 * runtime/lane.c — the calling thread's current work-item index (lane.h).
 *
 * Implements no FFI row itself; rt_neighbor_load (spec/ffi/vec.sdn) reads it.
 */
#include "runtime/lane.h"

static _Thread_local rtx_lane_saved current;   /* {0, 0}: no lane registered */

rtx_lane_saved rtx_lane_enter(int64_t index)
{
    rtx_lane_saved prev = current;
    current.index = index;
    current.set = 1;
    return prev;
}

void rtx_lane_leave(rtx_lane_saved prev) { current = prev; }

int rtx_lane_current(int64_t *index)
{
    if (!current.set)
        return 0;
    *index = current.index;
    return 1;
}
