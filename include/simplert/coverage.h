/*
 * simplert/coverage.h — decision, condition, MC/DC and path coverage probes
 * that instrumented Simple code calls, and the SDN report they produce.
 * Contract: spec/ffi/coverage.sdn (upstream-abi.md §2.5, §3).
 *
 * Recording is off until SIMPLE_COVERAGE is exactly "1" at the first probe
 * or query (read once per process) or rt_coverage_enable() is called.
 * SIMPLE_COVERAGE_OUTPUT (a file, or a directory: one file per process) makes
 * the process write its report at exit and when it dies by SIGSEGV, SIGBUS,
 * SIGFPE, SIGILL or SIGABRT.
 *
 * A file name is identified by its address: pass text that stays unchanged
 * at that address for the life of the process (codegen passes string
 * constants). The text is copied the first time a thread sees the address.
 */
#ifndef SIMPLERT_COVERAGE_H
#define SIMPLERT_COVERAGE_H

#include "simplert/core.h"

#ifdef __cplusplus
extern "C" {
#endif

RT_API void rt_coverage_decision_probe(uint32_t decision_id, bool result, const char *file, uint32_t line, uint32_t column);
RT_API void rt_coverage_condition_probe(uint32_t decision_id, uint32_t condition_id, bool result, const char *file, uint32_t line, uint32_t column);
RT_API void rt_coverage_path_probe(uint32_t path_id, uint32_t block_id);
RT_API void rt_coverage_path_finalize(uint32_t path_id);
RT_API char *rt_coverage_dump_sdn(void);
RT_API char *rt_coverage_dump_sdn_cstr(void);
RT_API void rt_coverage_free_sdn(char *sdn);
RT_API void rt_coverage_clear(void);
RT_API bool rt_coverage_enabled(void);
RT_API void rt_coverage_enable(void);
RT_API void rt_coverage_enable_timed(void);
RT_API void rt_decision_probe(uint64_t decision_id, bool result);
RT_API void rt_condition_probe(uint64_t decision_id, uint32_t condition_id, bool result);
RT_API void rt_path_probe(uint64_t path_id, uint32_t block_id);

#ifdef __cplusplus
}
#endif
#endif /* SIMPLERT_COVERAGE_H */
