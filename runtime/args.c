/*
 * runtime/args.c — process-wide program arguments.
 *
 * Implements (spec/ffi/args.sdn): rt_set_args, rt_get_args, rt_get_argc,
 * rt_clear_args.
 *
 * The list is a set of private NUL-terminated copies behind one mutex;
 * rt_get_args copies it out into fresh RtValue strings, so callers never
 * share memory with the store. When the list is empty, rt_get_args first
 * fills it from the process's own arguments (upstream reads
 * std::env::args()): glibc passes argc/argv to every .init_array function,
 * and the pair captured there is used; /proc/self/cmdline is the fallback
 * when no pair was captured.
 */
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "runtime/args.h"
#include "runtime/mem.h"
#include "runtime/utf8.h"
#include "simplert/args.h"
#include "simplert/value.h"

#define ARGC_MAX (INT64_C(1) << 20)
#define CMDLINE_MAX ((size_t)1 << 30)   /* far above any real ARG_MAX */

typedef struct arg_list {
    char **s;      /* n NUL-terminated UTF-8 copies */
    size_t *len;
    size_t n;
} arg_list;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static arg_list stored;   /* under lock */
static int startup_argc;
static char **startup_argv;

static int build(arg_list *out, int64_t argc, const char *const *argv);
static void list_free(arg_list *l);
static int auto_init(void);
static void capture_startup(int argc, char **argv, char **envp);

/* glibc calls .init_array entries with (argc, argv, envp), for the main
 * program and for shared objects alike. */
__attribute__((section(".init_array"), used)) static void (*const capture_startup_entry)(
    int, char **, char **) = capture_startup;

RT_API void rt_set_args(int64_t argc, const char *const *argv)
{
    if (argc > ARGC_MAX)
        return;   /* refused: the stored list stays as it was */
    arg_list l = {0};
    if (build(&l, argc, argv) != 0)
        return;   /* out of memory: unchanged */
    pthread_mutex_lock(&lock);
    arg_list old = stored;
    stored = l;
    pthread_mutex_unlock(&lock);
    list_free(&old);
}

RT_API RtValue rt_get_args(void)
{
    pthread_mutex_lock(&lock);
    RtValue a = RT_NIL;
    if (stored.n == 0 && auto_init() != 0)
        goto out;
    a = rt_array_new(stored.n);
    for (size_t i = 0; a != RT_NIL && i < stored.n; i++) {
        RtValue s = rt_string_new((const uint8_t *)stored.s[i], stored.len[i]);
        if (s == RT_NIL || !rt_array_push(a, s)) {
            /* Out of memory: release what was built and answer NIL. */
            rt_free(s);
            for (int64_t k = 0; k < rt_array_len(a); k++)
                rt_free(rt_array_get(a, k));
            rt_free(a);
            a = RT_NIL;
        }
    }
out:
    pthread_mutex_unlock(&lock);
    return a;
}

RT_API int64_t rt_get_argc(void)
{
    pthread_mutex_lock(&lock);
    int64_t n = (int64_t)stored.n;
    pthread_mutex_unlock(&lock);
    return n;
}

RT_API void rt_clear_args(void)
{
    pthread_mutex_lock(&lock);
    arg_list old = stored;
    stored = (arg_list){0};
    pthread_mutex_unlock(&lock);
    list_free(&old);
}

#ifdef RTX_TESTING
void rtx_args_forget_startup(void)
{
    pthread_mutex_lock(&lock);
    startup_argc = 0;
    startup_argv = NULL;
    pthread_mutex_unlock(&lock);
}
#endif

/* ---- static helpers ---- */

static void capture_startup(int argc, char **argv, char **envp)
{
    (void)envp;
    startup_argc = argc;
    startup_argv = argv;
}

/* Copies of the usable entries of argv[0..argc): NULL and non-UTF-8 ones
 * are skipped. 0, or -1 when memory ran out (out untouched then). */
static int build(arg_list *out, int64_t argc, const char *const *argv)
{
    arg_list l = {0};
    if (argc > 0 && argv != NULL) {
        l.s = rtx_calloc((size_t)argc, sizeof *l.s);
        l.len = rtx_calloc((size_t)argc, sizeof *l.len);
        if (l.s == NULL || l.len == NULL)
            goto oom;
        for (int64_t i = 0; i < argc; i++) {
            const char *a = argv[i];
            if (a == NULL)
                continue;
            size_t n = strlen(a);
            if (!rtx_utf8_valid((const uint8_t *)a, n))
                continue;
            if ((l.s[l.n] = rtx_strndup(a, n)) == NULL)
                goto oom;
            l.len[l.n++] = n;
        }
    }
    if (l.n == 0)
        list_free(&l);   /* an empty list owns no arrays */
    *out = l;
    return 0;
oom:
    list_free(&l);
    return -1;
}

static void list_free(arg_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        rtx_free(l->s[i]);
    rtx_free(l->s);
    rtx_free(l->len);
    *l = (arg_list){0};
}

/* /proc/self/cmdline into a malloc'd buffer: NUL-separated arguments.
 * NULL with *oom set when memory ran out, clear when there is no procfs. */
static char *read_cmdline(size_t *len, int *oom)
{
    *oom = 0;
    int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = rtx_malloc(cap);
    while (buf) {
        if (n == cap) {
            char *nb = cap < CMDLINE_MAX ? rtx_realloc(buf, cap * 2) : NULL;
            if (nb == NULL) {
                rtx_free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0)   /* EINTR cannot happen on procfs reads; any error ends it */
            break;
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    *oom = buf == NULL;
    *len = n;
    return buf;
}

/* Fill the empty store from the process's arguments; caller holds lock.
 * 0 (the store may stay empty when the process has none), -1 on OOM. */
static int auto_init(void)
{
    list_free(&stored);
    if (startup_argv != NULL && startup_argc > 0)
        return build(&stored, startup_argc, (const char *const *)startup_argv);
    size_t len = 0;
    int oom;
    char *buf = read_cmdline(&len, &oom);
    if (buf == NULL)
        return oom ? -1 : 0;   /* no procfs: nothing to fill in */
    size_t count = 0;
    for (size_t i = 0; i < len; i++)
        count += buf[i] == '\0';
    if (len > 0 && buf[len - 1] != '\0')
        count++;   /* a last argument without its NUL (rewritten cmdline) */
    const char **argv = rtx_calloc(count ? count : 1, sizeof *argv);
    char *term = rtx_malloc(len + 1);
    int rc = -1;
    if (argv && term) {
        memcpy(term, buf, len);
        term[len] = '\0';
        size_t k = 0;
        for (size_t i = 0; i < len && k < count; i += strlen(term + i) + 1)
            argv[k++] = term + i;
        rc = build(&stored, (int64_t)k, argv);
    }
    rtx_free(term);
    rtx_free(argv);
    rtx_free(buf);
    return rc;
}
