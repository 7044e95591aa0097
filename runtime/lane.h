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
 */
#ifndef RTX_LANE_H
#define RTX_LANE_H

#include <stdint.h>

typedef struct rtx_lane_saved {
    int64_t index;
    int set;
} rtx_lane_saved;

/* Make index the calling thread's current lane; returns the state to restore. */
rtx_lane_saved rtx_lane_enter(int64_t index);

/* Restore the state rtx_lane_enter returned. */
void rtx_lane_leave(rtx_lane_saved prev);

/* 1 and *index = the current lane when one is registered; 0 otherwise. */
int rtx_lane_current(int64_t *index);

#endif /* RTX_LANE_H */
