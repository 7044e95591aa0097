/*
 * simplert.h — the umbrella header: every FFI family simplert exports.
 * Each family header declares exactly the spec rows that are implemented
 * or partial (spec/ffi/<family>.sdn); `make spec-check` keeps them equal.
 */
#ifndef SIMPLERT_H
#define SIMPLERT_H

#include "simplert/core.h"
#include "simplert/executor.h"
#include "simplert/future.h"
#include "simplert/introspection.h"
#include "simplert/par.h"
#include "simplert/thread.h"
#include "simplert/value.h"

#endif /* SIMPLERT_H */
