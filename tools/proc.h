/*
 * tools/proc.h — child processes for `simplert fuzz` and `simplert qualify`:
 * spawn with output to a log file in a process group of its own, wait with
 * a deadline, kill the whole group, capture a command's output.
 */
#ifndef TOOLS_PROC_H
#define TOOLS_PROC_H

#include <stdbool.h>
#include <sys/types.h>

/* Start argv (argv[0] looked up in PATH) with stdout and stderr appended to
 * log (NULL: inherited), stdin from /dev/null, in a new process group.
 * Returns the pid, or -1 (message on stderr). */
pid_t proc_spawn(char *const argv[], const char *log);

/* Wait for pid up to timeout_ms (< 0: forever). Returns 1 and sets *status
 * (exit code, or 128 + signal) when it ended, 0 on timeout. */
int proc_wait(pid_t pid, int *status, int timeout_ms);

/* Signal pid's process group (the whole tree proc_spawn started). */
void proc_kill_group(pid_t pid, int sig);

/* Run argv to completion (proc_spawn + proc_wait); the exit status, or -1. */
int proc_run(char *const argv[], const char *log);

/* Run a shell command line; its stdout as a NUL-terminated string (stderr
 * goes to /dev/null unless keep_stderr). NULL when it could not start;
 * *status gets the exit status when status is not NULL. */
char *proc_capture(const char *cmdline, bool keep_stderr, int *status);

/* Quote s for a POSIX shell command line (single quotes), appended to b. */
struct tbuf;
void proc_shell_quote(struct tbuf *b, const char *s);

#endif /* TOOLS_PROC_H */
