/*
 * simplert/errors.h — runtime lookup errors reported by compiled code.
 * Contract: spec/ffi/errors.sdn.
 *
 * Error convention: these functions cannot fail; each writes one line to
 * stderr (or to this thread's stderr capture, see simplert/print.h) and
 * returns NIL. NULL and non-UTF-8 names are replaced by placeholders.
 */
#ifndef SIMPLERT_ERRORS_H
#define SIMPLERT_ERRORS_H

#include "simplert/core.h"

#ifdef __cplusplus
extern "C" {
#endif

RT_API RtValue rt_function_not_found(const uint8_t *name, uint64_t name_len);
RT_API RtValue rt_method_not_found(const uint8_t *type_name, uint64_t type_len, const uint8_t *method, uint64_t method_len);

#ifdef __cplusplus
}
#endif
#endif /* SIMPLERT_ERRORS_H */
