/*
 * tools/proc.c — see proc.h.
 */
#include "tools/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tools/util.h"

pid_t proc_spawn(char *const argv[], const char *log)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "simplert: fork: %s\n", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        setpgid(0, 0);
        int in = open("/dev/null", O_RDONLY);
        if (in >= 0) {
            dup2(in, 0);
            close(in);
        }
        if (log) {
            int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
            if (fd < 0) {
                fprintf(stderr, "simplert: cannot open %s: %s\n", log, strerror(errno));
                _exit(127);
            }
            dup2(fd, 1);
            dup2(fd, 2);
            close(fd);
        }
        execvp(argv[0], argv);
        fprintf(stderr, "simplert: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    setpgid(pid, pid);   /* also here: no race with a kill right after the spawn */
    return pid;
}

static int decode(int st)
{
    if (WIFEXITED(st))
        return WEXITSTATUS(st);
    if (WIFSIGNALED(st))
        return 128 + WTERMSIG(st);
    return 255;
}

int proc_wait(pid_t pid, int *status, int timeout_ms)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        int st;
        pid_t r = waitpid(pid, &st, timeout_ms < 0 ? 0 : WNOHANG);
        if (r == pid) {
            *status = decode(st);
            return 1;
        }
        if (r < 0 && errno != EINTR) {
            *status = 255;
            return 1;
        }
        if (timeout_ms >= 0) {
            struct timespec now;
            clock_gettime(CLOCK_MONOTONIC, &now);
            long ms = (now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000;
            if (ms >= timeout_ms)
                return 0;
            struct timespec nap = {0, 20 * 1000 * 1000};
            nanosleep(&nap, NULL);
        }
    }
}

void proc_kill_group(pid_t pid, int sig)
{
    if (pid > 0)
        kill(-pid, sig);
}

int proc_run(char *const argv[], const char *log)
{
    pid_t pid = proc_spawn(argv, log);
    if (pid < 0)
        return -1;
    int st;
    proc_wait(pid, &st, -1);
    return st;
}

char *proc_capture(const char *cmdline, bool keep_stderr, int *status)
{
    tbuf cmd = {0};
    tbuf_printf(&cmd, "%s%s", cmdline, keep_stderr ? "" : " 2>/dev/null");
    fflush(NULL);
    FILE *p = popen(cmd.s, "r");
    tbuf_free(&cmd);
    if (p == NULL)
        return NULL;
    tbuf out = {0};
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0)
        tbuf_put(&out, buf, n);
    int st = pclose(p);
    if (status)
        *status = st < 0 ? -1 : decode(st);
    if (out.s == NULL)
        tbuf_puts(&out, "");
    return out.s;
}

void proc_shell_quote(struct tbuf *b, const char *s)
{
    tbuf_puts(b, "'");
    for (; *s; s++) {
        if (*s == '\'')
            tbuf_puts(b, "'\\''");
        else
            tbuf_put(b, s, 1);
    }
    tbuf_puts(b, "'");
}
