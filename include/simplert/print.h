/*
 * simplert/print.h — print/println/eprint/eprintln of byte strings and
 * values, per-thread output capture, and reading a line from stdin.
 * Contract: spec/ffi/print.sdn.
 *
 * Error convention: printing never fails visibly. A NULL pointer prints
 * nothing (the ln variants still print the newline), any RtValue prints
 * (unknown words as <value:0x...>), write errors are ignored. Capture stop
 * returns a new string the caller frees with rt_free; rt_read_stdin_line
 * returns a new string, or NIL at end of input.
 */
#ifndef SIMPLERT_PRINT_H
#define SIMPLERT_PRINT_H

#include "simplert/core.h"

#ifdef __cplusplus
extern "C" {
#endif

RT_API void rt_print_str(const uint8_t *ptr, uint64_t len);
RT_API void rt_println_str(const uint8_t *ptr, uint64_t len);
RT_API void rt_eprint_str(const uint8_t *ptr, uint64_t len);
RT_API void rt_eprintln_str(const uint8_t *ptr, uint64_t len);
RT_API void rt_print_value(RtValue value);
RT_API void rt_println_value(RtValue value);
RT_API void rt_eprint_value(RtValue value);
RT_API void rt_eprintln_value(RtValue value);
RT_API void rt_capture_stdout_start(void);
RT_API RtValue rt_capture_stdout_stop(void);
RT_API void rt_capture_stderr_start(void);
RT_API RtValue rt_capture_stderr_stop(void);
RT_API RtValue rt_read_stdin_line(void);

#ifdef __cplusplus
}
#endif
#endif /* SIMPLERT_PRINT_H */
