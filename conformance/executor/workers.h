/* conformance/executor/workers.h — count the executor's worker threads by
 * their OS name ("simple-future-worker-N", which Linux keeps as the first
 * 15 bytes: "simple-future-w"). */
#ifndef RTC_EXECUTOR_WORKERS_H
#define RTC_EXECUTOR_WORKERS_H

#include <dirent.h>
#include <stdio.h>
#include <string.h>

static inline int count_threads_named(const char *prefix)
{
    int n = 0;
    DIR *d = opendir("/proc/self/task");
    if (d == NULL)
        return -1;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[300], comm[64] = "";
        snprintf(path, sizeof path, "/proc/self/task/%s/comm", e->d_name);
        FILE *f = fopen(path, "r");
        if (f == NULL)
            continue;
        if (fgets(comm, sizeof comm, f) && strncmp(comm, prefix, strlen(prefix)) == 0)
            n++;
        fclose(f);
    }
    closedir(d);
    return n;
}

static inline int count_workers(void) { return count_threads_named("simple-future-w"); }

#endif
