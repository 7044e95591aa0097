/*
 * simplert/contracts.h — design-by-contract checks and contract-violation
 * objects (heap type 0x10). Contract: spec/ffi/contracts.sdn.
 *
 * Error convention: a false condition in simple_contract_check(_msg) is a
 * contract failure: the violation is printed to stderr and the process
 * aborts. Every other input is tolerated: NULL or empty names become
 * '<unknown>', non-UTF-8 names '<invalid UTF-8>'; accessors given anything
 * but a live violation return -1, NIL or 0, and free ignores it. Strings the
 * accessors return are new; the caller frees them with rt_free.
 */
#ifndef SIMPLERT_CONTRACTS_H
#define SIMPLERT_CONTRACTS_H

#include "simplert/core.h"

#ifdef __cplusplus
extern "C" {
#endif

RT_API void simple_contract_check(int64_t condition, int64_t kind, const uint8_t *func_name, int64_t func_name_len);
RT_API void simple_contract_check_msg(int64_t condition, int64_t kind, const uint8_t *func_name, int64_t func_name_len, const uint8_t *message, int64_t message_len);
RT_API RtValue rt_contract_violation_new(int64_t kind, const uint8_t *func_name, int64_t func_name_len, const uint8_t *message, int64_t message_len);
RT_API int64_t rt_contract_violation_kind(RtValue violation);
RT_API RtValue rt_contract_violation_func_name(RtValue violation);
RT_API RtValue rt_contract_violation_message(RtValue violation);
RT_API int64_t rt_is_contract_violation(RtValue value);
RT_API void rt_contract_violation_free(RtValue violation);

#ifdef __cplusplus
}
#endif
#endif /* SIMPLERT_CONTRACTS_H */
