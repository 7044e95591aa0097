/*
 * runtime/doctest_walk.c — recursive directory listing with glob filters.
 *
 * Implements (spec/ffi/doctest.sdn): doctest_walk_directory.
 *
 * Output paths are built as Rust's Path::join builds them from the root
 * string as given: "root" + "/" + name, with no '/' added when the path
 * already ends in one ("src/" gives "src/a", "/" gives "/a"). Each
 * directory's entries are taken in byte order of their names (upstream
 * uses directory order; see the row's deviation) and a subdirectory is
 * listed where its name falls, depth first.
 *
 * Like upstream: entries are classified with stat (symlinks followed), so
 * a symlink to a file is listed under its own path and a symlink to a
 * directory is walked; entries that are neither regular files nor
 * directories, dangling symlinks, names that are not UTF-8 and directories
 * that cannot be read are skipped. Unlike upstream, a directory whose
 * (device, inode) is already on the path from the root is not entered
 * again, so a symlink loop ends there instead of recursing until the path
 * is too long; depth, result and directory counts are capped.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "runtime/doctest_priv.h"
#include "runtime/utf8.h"
#include "runtime/glob.h"
#include "runtime/heap.h"
#include "runtime/layout.h"
#include "runtime/mem.h"
#include "simplert/doctest.h"
#include "simplert/value.h"

typedef struct dir_id {
    dev_t dev;
    ino_t ino;
} dir_id;

typedef struct walk {
    rtx_glob **inc, **exc;
    size_t ninc, nexc;
    RtValue out;                                  /* the result array */
    char *path;                                   /* the path being built */
    size_t len, cap;
    dir_id anc[RTX_DOCTEST_WALK_MAX_DEPTH + 1];   /* directories from the root down */
    size_t nanc;
    size_t dirs, files;
    int oom;                                      /* an allocation failed: answer NIL */
} walk;

static int compile_all(RtValue array, rtx_glob ***out, size_t *n);
static void free_all(rtx_glob **g, size_t n);
static void walk_dir(walk *w);
static void free_result(RtValue out);

RT_API RtValue doctest_walk_directory(RtValue root, RtValue include, RtValue exclude)
{
    size_t rlen;
    const uint8_t *r = rtx_doctest_text(root, &rlen);
    if (r == NULL)
        return RT_NIL;
    walk *w = rtx_calloc(1, sizeof *w);
    if (w == NULL)
        return RT_NIL;
    /* Patterns first: nothing allocated yet can alias a stale element. */
    if (compile_all(include, &w->inc, &w->ninc) != 0 ||
        compile_all(exclude, &w->exc, &w->nexc) != 0 || (w->out = rt_array_new(0)) == RT_NIL)
        w->oom = 1;
    struct stat st;
    /* A root with a NUL byte is not a directory to Rust either (InvalidInput). */
    if (!w->oom && memchr(r, 0, rlen) == NULL && stat((const char *)r, &st) == 0 &&
        S_ISDIR(st.st_mode)) {
        w->cap = rlen + 256;
        w->path = rtx_malloc(w->cap);
        if (w->path == NULL) {
            w->oom = 1;
        } else {
            memcpy(w->path, r, rlen + 1);
            w->len = rlen;
            w->anc[w->nanc++] = (dir_id){st.st_dev, st.st_ino};
            w->dirs = 1;
            walk_dir(w);
        }
    }
    RtValue out = w->out;
    if (w->oom) {
        free_result(out);
        out = RT_NIL;
    }
    free_all(w->inc, w->ninc);
    free_all(w->exc, w->nexc);
    rtx_free(w->path);
    rtx_free(w);
    return out;
}

/* ---- helpers ---- */

/* Compiles every element of array that is a valid pattern string; other
 * elements are dropped, and a value that is not a live array counts as
 * empty (as upstream). 0, or -1 when an allocation failed. */
static int compile_all(RtValue array, rtx_glob ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    const RtArray *a = (const RtArray *)rtx_heap_get(array, RT_HEAP_ARRAY);
    if (a == NULL || a->len == 0)
        return 0;
    rtx_glob **g = rtx_calloc(a->len, sizeof *g);
    if (g == NULL)
        return -1;
    *out = g;
    for (uint64_t i = 0; i < a->len; i++) {
        size_t plen;
        const uint8_t *p = rtx_doctest_text(a->data[i], &plen);
        if (p == NULL)
            continue;
        int rc = rtx_glob_compile(p, plen, &g[*n]);
        if (rc == RTX_GLOB_NOMEM)
            return -1;
        if (rc == RTX_GLOB_OK)
            (*n)++;
    }
    return 0;
}

static void free_all(rtx_glob **g, size_t n)
{
    for (size_t i = 0; i < n; i++)
        rtx_glob_free(g[i]);
    rtx_free(g);
}

/* rt_free is shallow: the strings go first. */
static void free_result(RtValue out)
{
    const RtArray *a = (const RtArray *)rtx_heap_get(out, RT_HEAP_ARRAY);
    for (uint64_t i = 0; a && i < a->len; i++)
        rt_free(a->data[i]);
    rt_free(out);
}

/* 1 when any pattern matches the current path, 0 when none, -1 on OOM. */
static int any_match(walk *w, rtx_glob **g, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int m = rtx_glob_match(g[i], (const uint8_t *)w->path, w->len);
        if (m != 0)
            return m;
    }
    return 0;
}

/* Upstream's filter: kept iff (no valid include pattern, or one matches)
 * and no exclude pattern matches. */
static void consider_file(walk *w)
{
    int inc = w->ninc == 0 ? 1 : any_match(w, w->inc, w->ninc);
    int exc = inc == 1 ? any_match(w, w->exc, w->nexc) : 0;
    if (inc < 0 || exc < 0) {
        w->oom = 1;
        return;
    }
    if (inc == 0 || exc == 1)
        return;
    RtValue s = rt_string_new((const uint8_t *)w->path, w->len);
    if (s == RT_NIL) {
        w->oom = 1;
        return;
    }
    if (!rt_array_push(w->out, s)) {
        rt_free(s);
        w->oom = 1;
        return;
    }
    w->files++;
}

static int on_path_from_root(const walk *w, const struct stat *st)
{
    for (size_t i = 0; i < w->nanc; i++)
        if (w->anc[i].dev == st->st_dev && w->anc[i].ino == st->st_ino)
            return 1;
    return 0;
}

/* Appends "/name" (no '/' after a '/') to the path at base; 0 or -1 (OOM). */
static int set_child(walk *w, size_t base, const char *name)
{
    size_t nlen = strlen(name);
    int sep = base > 0 && w->path[base - 1] != '/';
    size_t need = base + (size_t)sep + nlen + 1;
    if (need > w->cap) {
        size_t ncap = need * 2;
        char *np = rtx_realloc(w->path, ncap);
        if (np == NULL)
            return -1;
        w->path = np;
        w->cap = ncap;
    }
    size_t at = base;
    if (sep)
        w->path[at++] = '/';
    memcpy(w->path + at, name, nlen + 1);
    w->len = at + nlen;
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);   /* unsigned bytes */
}

/* The names in the directory at w->path, minus "." and ".." and names that
 * are not UTF-8, sorted. NULL with *n == 0 when it cannot be read (or is
 * empty); sets w->oom when an allocation failed. */
static char **read_names(walk *w, size_t *n)
{
    *n = 0;
    DIR *d = opendir(w->path);
    if (d == NULL)
        return NULL;
    char **names = NULL;
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        const char *nm = e->d_name;
        if (strcmp(nm, ".") == 0 || strcmp(nm, "..") == 0)
            continue;
        size_t len = strlen(nm);
        if (!rtx_utf8_valid((const uint8_t *)nm, len))
            continue;
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            char **nn = rtx_realloc(names, ncap * sizeof *nn);
            if (nn == NULL)
                goto oom;
            names = nn;
            cap = ncap;
        }
        if ((names[*n] = rtx_strndup(nm, len)) == NULL)
            goto oom;
        (*n)++;
    }
    closedir(d);
    if (*n > 1)
        qsort(names, *n, sizeof *names, by_name);
    return names;
oom:
    closedir(d);
    for (size_t i = 0; i < *n; i++)
        rtx_free(names[i]);
    rtx_free(names);
    *n = 0;
    w->oom = 1;
    return NULL;
}

/* Lists the directory at w->path (already on w->anc), depth first. */
static void walk_dir(walk *w)
{
    size_t n, base = w->len;
    char **names = read_names(w, &n);
    const rtx_doctest_limits *lim = rtx_doctest_limits_now();
    for (size_t i = 0; i < n; i++) {
        if (w->oom || w->files >= lim->walk_results)
            break;
        if (set_child(w, base, names[i]) != 0) {
            w->oom = 1;
            break;
        }
        struct stat st;
        if (stat(w->path, &st) != 0)
            continue;   /* dangling symlink, no permission, name too long */
        if (S_ISREG(st.st_mode)) {
            consider_file(w);
        } else if (S_ISDIR(st.st_mode)) {
            /* nanc - 1 is the depth of the directory being listed. */
            if (w->nanc > lim->walk_depth || w->dirs >= lim->walk_dirs ||
                on_path_from_root(w, &st))
                continue;
            w->anc[w->nanc++] = (dir_id){st.st_dev, st.st_ino};
            w->dirs++;
            walk_dir(w);
            w->nanc--;
        }
    }
    for (size_t i = 0; i < n; i++)
        rtx_free(names[i]);
    rtx_free(names);
    w->len = base;
    w->path[base] = 0;
}
