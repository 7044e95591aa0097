/*
 * runtime/lane.c — the calling thread's current work-item index (lane.h,
 * whose inline functions read and write it).
 *
 * Implements no FFI row itself; rt_neighbor_load (spec/ffi/vec.sdn) reads it.
 */
#include "runtime/lane.h"

_Thread_local rtx_lane_saved rtx_lane_state __attribute__((tls_model("initial-exec")));
