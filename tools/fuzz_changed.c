/*
 * tools/fuzz_changed.c — `simplert fuzz --changed REF`: which fuzz targets
 * a change since REF can affect.
 *
 * A target is affected when a changed file (git diff --name-only REF, plus
 * untracked files) is one its binary is built from:
 *   - its own files: fuzz/targets/<t>.c, fuzz/corpus/<t>/, fuzz/dict/<t>.dict,
 *     fuzz/regressions/<t>/;
 *   - the harness and the build: fuzz/rtz.[ch], fuzz/afl_driver.c,
 *     fuzz/fuzz.mk, tools/spec_cmd.c (the call-table generator), Makefile,
 *     mk/<name>.mk  -> every target;
 *   - a library source linked into the target: an object of the AFL++ build
 *     (build/fuzz-afl/obj) is linked when one of its global symbols is
 *     defined in the target's binary (build/fuzz-afl/bin/<t>; the archive
 *     pulls in whole objects, exactly the transitive closure of what the
 *     target calls), read with `nm`; with the headers each linked object
 *     and the target itself were compiled from (their .d files) and the
 *     spec/ffi/<family>.sdn of every family whose generated call table
 *     (rtz_<family>.h) the target includes.
 * Without the binary or the objects (nothing built yet) every target counts
 * as affected.
 */
#include "tools/fuzz.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "tools/proc.h"

typedef struct objinfo {
    char *obj, *src;          /* build/fuzz-afl/obj/runtime/x.o, runtime/x.c */
    tlist defs, deps;         /* defined global symbols; header dependencies */
} objinfo;

typedef struct graph {
    objinfo *v;
    size_t n;
} graph;

static void find_objects(const char *dir, tlist *out)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        tbuf p = {0};
        tbuf_printf(&p, "%s/%s", dir, e->d_name);
        size_t n = strlen(e->d_name);
        if (is_dir(p.s))
            find_objects(p.s, out);
        else if (n > 2 && strcmp(e->d_name + n - 2, ".o") == 0)
            tlist_add(out, p.s);
        tbuf_free(&p);
    }
    closedir(d);
}

static objinfo *obj_by_name(graph *g, const char *obj)
{
    for (size_t i = 0; i < g->n; i++)
        if (strcmp(g->v[i].obj, obj) == 0)
            return &g->v[i];
    return NULL;
}

/* The headers an object was compiled from: its make-style .d file. */
static void read_deps(objinfo *o)
{
    tbuf p = {0};
    tbuf_put(&p, o->obj, strlen(o->obj) - 2);
    tbuf_puts(&p, ".d");
    char *text = read_file(p.s, NULL);
    tbuf_free(&p);
    if (text == NULL)
        return;
    for (char *tok = strtok(text, " \t\n\\:"); tok; tok = strtok(NULL, " \t\n\\:")) {
        size_t n = strlen(tok);
        if (n > 2 && strcmp(tok + n - 2, ".h") == 0 && tok[0] != '/' && !tlist_has(&o->deps, tok))
            tlist_add(&o->deps, tok);
    }
    free(text);
}

/* `nm -A -P` over every library object (not fuzz/): defined global symbols. */
static int load_graph(const char *objdir, graph *g)
{
    tlist objs = {0};
    find_objects(objdir, &objs);
    for (size_t i = 0; i < objs.n; i++)
        if (strstr(objs.v[i], "/fuzz/")) {   /* the targets' and harness's own */
            free(objs.v[i]);
            objs.v[i--] = objs.v[--objs.n];
        }
    if (objs.n == 0)
        return -1;
    tlist_sort(&objs);
    g->v = xcalloc(objs.n, sizeof *g->v);
    tbuf cmd = {0};
    tbuf_puts(&cmd, "nm -A -P");
    for (size_t i = 0; i < objs.n; i++) {
        objinfo *o = &g->v[g->n++];
        o->obj = xstrdup(objs.v[i]);
        const char *rel = o->obj + strlen(objdir) + 1;
        o->src = xstrndup(rel, strlen(rel) - 2);
        tbuf_puts(&cmd, " ");
        proc_shell_quote(&cmd, o->obj);
    }
    tlist_free(&objs);
    for (size_t i = 0; i < g->n; i++) {
        tbuf s = {0};
        tbuf_printf(&s, "%s.c", g->v[i].src);
        free(g->v[i].src);
        g->v[i].src = s.s;
        read_deps(&g->v[i]);
    }
    char *out = proc_capture(cmd.s, false, NULL);
    tbuf_free(&cmd);
    if (out == NULL)
        return -1;
    objinfo *cur = NULL;
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
        char *colon = strstr(line, ".o: ");
        if (colon == NULL)
            continue;
        colon[2] = '\0';
        if (cur == NULL || strcmp(cur->obj, line) != 0)
            cur = obj_by_name(g, line);
        char name[512], type[8];
        if (cur == NULL || sscanf(colon + 4, "%511s %7s", name, type) != 2)
            continue;
        if (type[0] >= 'A' && type[0] <= 'Z' && type[0] != 'U')
            tlist_add(&cur->defs, name);
    }
    free(out);
    return 0;
}

static void free_graph(graph *g)
{
    for (size_t i = 0; i < g->n; i++) {
        free(g->v[i].obj);
        free(g->v[i].src);
        tlist_free(&g->v[i].defs);
        tlist_free(&g->v[i].deps);
    }
    free(g->v);
}

/* Symbols the binary defines. Local ones too: the library's internal
 * functions are hidden, and a static link turns hidden globals into locals. */
static int binary_symbols(const char *bin, tlist *out)
{
    tbuf cmd = {0};
    tbuf_puts(&cmd, "nm -P --defined-only ");
    proc_shell_quote(&cmd, bin);
    int st;
    char *text = proc_capture(cmd.s, false, &st);
    tbuf_free(&cmd);
    if (text == NULL || st != 0) {
        free(text);
        return -1;
    }
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        char name[512], type[8];
        if (sscanf(line, "%511s %7s", name, type) == 2 && strchr("TtDdBbRrVvWw", type[0]))
            tlist_add(out, name);
    }
    free(text);
    tlist_sort(out);
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The source files and headers target t is built from (NULL result: unknown). */
static int target_files(graph *g, const char *t, tlist *files)
{
    tbuf bin = {0}, dep = {0};
    tbuf_printf(&bin, "build/fuzz-afl/bin/%s", t);
    tbuf_printf(&dep, "build/fuzz-afl/obj/fuzz/targets/%s.o", t);
    tlist syms = {0};
    int rc = binary_symbols(bin.s, &syms);
    if (rc == 0) {
        for (size_t i = 0; i < g->n; i++) {
            int linked = 0;
            for (size_t k = 0; k < g->v[i].defs.n && !linked; k++)
                linked = bsearch(&g->v[i].defs.v[k], syms.v, syms.n, sizeof *syms.v,
                                 cmp_str) != NULL;
            if (!linked)
                continue;
            tlist_add(files, g->v[i].src);
            for (size_t k = 0; k < g->v[i].deps.n; k++)
                if (!tlist_has(files, g->v[i].deps.v[k]))
                    tlist_add(files, g->v[i].deps.v[k]);
        }
        objinfo self = {.obj = dep.s};
        read_deps(&self);   /* the target's own headers, generated tables included */
        for (size_t k = 0; k < self.deps.n; k++)
            if (!tlist_has(files, self.deps.v[k]))
                tlist_add(files, self.deps.v[k]);
        tlist_free(&self.deps);
    }
    tlist_free(&syms);
    tbuf_free(&bin), tbuf_free(&dep);
    return rc;
}

static bool starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Files that affect every target. */
static bool is_global(const char *f)
{
    static const char *const globals[] = {"fuzz/rtz.c", "fuzz/rtz.h", "fuzz/afl_driver.c",
                                          "fuzz/fuzz.mk", "tools/spec_cmd.c", "Makefile"};
    for (size_t i = 0; i < sizeof globals / sizeof globals[0]; i++)
        if (strcmp(f, globals[i]) == 0)
            return true;
    return starts(f, "mk/") && strlen(f) > 3 && strcmp(f + strlen(f) - 3, ".mk") == 0;
}

static bool is_own(const char *f, const char *t)
{
    tbuf a = {0}, b = {0}, c = {0}, d = {0};
    tbuf_printf(&a, "fuzz/targets/%s.c", t);
    tbuf_printf(&b, "fuzz/corpus/%s/", t);
    tbuf_printf(&c, "fuzz/dict/%s.dict", t);
    tbuf_printf(&d, "fuzz/regressions/%s/", t);
    bool own = strcmp(f, a.s) == 0 || starts(f, b.s) || strcmp(f, c.s) == 0 || starts(f, d.s);
    tbuf_free(&a), tbuf_free(&b), tbuf_free(&c), tbuf_free(&d);
    return own;
}

/* The families whose generated call tables (rtz_<family>.h) the target
 * includes: their spec files feed its build. */
static void spec_files_of(const char *target_src, tlist *out)
{
    char *text = read_file(target_src, NULL);
    for (const char *p = text ? strstr(text, "\"rtz_") : NULL; p; p = strstr(p + 1, "\"rtz_")) {
        const char *e = strstr(p, ".h\"");
        if (e == NULL || e - p > 64)
            continue;
        tbuf s = {0};
        tbuf_printf(&s, "spec/ffi/%.*s.sdn", (int)(e - p - 5), p + 5);
        tlist_add(out, s.s);
        tbuf_free(&s);
    }
    free(text);
}

int fuzz_changed_targets(const char *ref, const tlist *all, tlist *out, FILE *why)
{
    tbuf cmd = {0};
    tbuf_puts(&cmd, "git diff --name-only ");
    proc_shell_quote(&cmd, ref);
    tbuf_puts(&cmd, " -- && git ls-files --others --exclude-standard");
    int st;
    char *diff = proc_capture(cmd.s, true, &st);
    tbuf_free(&cmd);
    if (diff == NULL || st != 0) {
        fprintf(stderr, "simplert fuzz: git diff against '%s' failed\n", ref);
        free(diff);
        return -1;
    }
    tlist changed = {0};
    for (char *l = strtok(diff, "\n"); l; l = strtok(NULL, "\n"))
        tlist_add(&changed, l);
    free(diff);

    graph g = {0};
    bool have_graph = load_graph("build/fuzz-afl/obj", &g) == 0;
    if (!have_graph && why)
        fprintf(why, "  (no AFL++ objects in build/fuzz-afl/obj: every target counts as "
                     "changed)\n");
    for (size_t t = 0; t < all->n; t++) {
        const char *name = all->v[t];
        const char *hit = NULL;
        for (size_t i = 0; i < changed.n && !hit; i++)
            if (is_global(changed.v[i]) || is_own(changed.v[i], name))
                hit = changed.v[i];
        tlist files = {0};
        if (!hit && changed.n > 0) {
            if (!have_graph)
                hit = "(no AFL++ objects to read)";
            else if (target_files(&g, name, &files) != 0)
                hit = "(target not built)";
        }
        tbuf src = {0};
        tbuf_printf(&src, "fuzz/targets/%s.c", name);
        spec_files_of(src.s, &files);
        tbuf_free(&src);
        for (size_t i = 0; i < changed.n && !hit; i++)
            if (tlist_has(&files, changed.v[i]))
                hit = changed.v[i];
        if (hit) {
            tlist_add(out, name);
            if (why)
                fprintf(why, "  %-16s changed: %s\n", name, hit);
        }
        tlist_free(&files);
    }
    tlist_free(&changed);
    if (have_graph)
        free_graph(&g);
    return 0;
}
