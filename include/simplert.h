/*
 * simplert.h — the umbrella header: every FFI family simplert exports.
 * Each family header declares exactly the spec rows that are implemented
 * or partial (spec/ffi/<family>.sdn); `make spec-check` keeps them equal.
 */
#ifndef SIMPLERT_H
#define SIMPLERT_H

#include "simplert/core.h"
#include "simplert/aop.h"
#include "simplert/args.h"
#include "simplert/async_file.h"
#include "simplert/atomic.h"
#include "simplert/barrier.h"
#include "simplert/contracts.h"
#include "simplert/coverage.h"
#include "simplert/doctest.h"
#include "simplert/errors.h"
#include "simplert/gpu.h"
#include "simplert/gpu_atomic.h"
#include "simplert/gpu_backend.h"
#include "simplert/interp.h"
#include "simplert/introspection.h"
#include "simplert/mutex.h"
#include "simplert/print.h"
#include "simplert/rwlock.h"
#include "simplert/semaphore.h"
#include "simplert/executor.h"
#include "simplert/future.h"
#include "simplert/introspection.h"
#include "simplert/par.h"
#include "simplert/thread.h"
#include "simplert/value.h"
#include "simplert/vec.h"
#include "simplert/vk.h"
#include "simplert/tcp.h"
#include "simplert/udp.h"
#include "simplert/http.h"

#endif /* SIMPLERT_H */
