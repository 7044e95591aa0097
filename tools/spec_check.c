/*
 * tools/spec_check.c — spec rows against the tree: the files rows name,
 * the public headers, the umbrella header (spec/README.md "Checks").
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "tools/spec.h"

#define PROBLEM(...)                                                                       \
    do {                                                                                   \
        fprintf(errs, __VA_ARGS__);                                                        \
        fputc('\n', errs);                                                                 \
        problems++;                                                                        \
    } while (0)

typedef struct decl {
    char *name, *norm, *file;
    int line;
} decl;

/* Every `RT_API ...;` declaration in the family headers (include/simplert/). */
static int scan_headers(const char *root, decl **out, size_t *n, FILE *errs)
{
    int problems = 0;
    tbuf dir = {0};
    tbuf_printf(&dir, "%s/include/simplert", root);
    DIR *d = opendir(dir.s);
    if (d == NULL) {
        PROBLEM("%s: cannot open", dir.s);
        tbuf_free(&dir);
        return problems;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 3 || strcmp(e->d_name + len - 2, ".h") != 0)
            continue;
        tbuf path = {0};
        tbuf_printf(&path, "%s/%s", dir.s, e->d_name);
        char *text = read_file(path.s, NULL);
        int line = 1;
        for (char *p = text; p && *p; line++) {
            char *eol = strchr(p, '\n');
            size_t l = eol ? (size_t)(eol - p) : strlen(p);
            char *ln = xstrndup(p, l);
            char *api = strstr(ln, "RT_API ");
            if (api && strncmp(ln, "#define", 7) != 0) {
                char *semi = strchr(api, ';');
                if (semi == NULL) {
                    PROBLEM("%s:%d: an RT_API declaration must fit on one line ending in ';'",
                            path.s, line);
                } else {
                    *semi = 0;
                    char *sig = api + 7, *ret, *name;
                    spec_param *ps;
                    size_t np;
                    char msg[200];
                    if (spec_parse_signature(sig, &ret, &name, &ps, &np, msg, sizeof msg) != 0) {
                        PROBLEM("%s:%d: %s", path.s, line, msg);
                    } else {
                        *out = xrealloc(*out, (*n + 1) * sizeof **out);
                        (*out)[*n] = (decl){xstrdup(name), spec_normalize(sig),
                                            xstrdup(path.s + strlen(root) + 1), line};
                        (*n)++;
                    }
                    free(ret);
                    free(name);
                    for (size_t i = 0; i < np; i++) {
                        free(ps[i].type);
                        free(ps[i].name);
                        free(ps[i].kind);
                    }
                    free(ps);
                }
            }
            free(ln);
            p = eol ? eol + 1 : NULL;
        }
        free(text);
        tbuf_free(&path);
    }
    closedir(d);
    tbuf_free(&dir);
    return problems;
}

int spec_header_names(const char *root, tlist *names, FILE *errs)
{
    decl *decls = NULL;
    size_t n = 0;
    int problems = scan_headers(root, &decls, &n, errs);
    for (size_t k = 0; k < n; k++) {
        tlist_add(names, decls[k].name);
        free(decls[k].name);
        free(decls[k].norm);
        free(decls[k].file);
    }
    free(decls);
    return problems;
}

int spec_check_tree(const spec *s, const char *root, FILE *errs)
{
    int problems = 0;
    decl *decls = NULL;
    size_t ndecls = 0;
    problems += scan_headers(root, &decls, &ndecls, errs);

    tbuf umb_path = {0};
    tbuf_printf(&umb_path, "%s/include/simplert.h", root);
    char *umbrella = read_file(umb_path.s, NULL);
    if (umbrella == NULL)
        PROBLEM("%s: missing umbrella header", umb_path.s);

    for (size_t a = 0; a < s->nfams; a++) {
        const spec_family *f = &s->fams[a];
        size_t exported = 0;
        for (size_t i = 0; i < f->nrows; i++) {
            const spec_row *r = &f->rows[i];
            for (size_t c = 0; c < r->conformance.n; c++) {
                tbuf p = {0};
                tbuf_printf(&p, "%s/%s", root, r->conformance.v[c]);
                char *src = read_file(p.s, NULL);
                if (src == NULL)
                    PROBLEM("%s: %s: conformance file %s does not exist", f->file, r->name,
                            r->conformance.v[c]);
                else if (spec_exported(r) && !mentions_call(src, r->name))
                    PROBLEM("%s: %s: %s never calls it", f->file, r->name, r->conformance.v[c]);
                free(src);
                tbuf_free(&p);
            }
            if (r->fuzz) {
                tbuf p = {0};
                tbuf_printf(&p, "%s/fuzz/targets/%s.c", root, r->fuzz);
                char *src = read_file(p.s, NULL);
                if (src == NULL)
                    PROBLEM("%s: %s: fuzz target fuzz/targets/%s.c does not exist", f->file,
                            r->name, r->fuzz);
                else if (spec_exported(r) && !mentions_call(src, r->name))
                    PROBLEM("%s: %s: fuzz target %s never calls it", f->file, r->name, r->fuzz);
                free(src);
                tbuf_free(&p);
            }
            if (!spec_exported(r))
                continue;
            exported++;
            const decl *d = NULL;
            for (size_t k = 0; k < ndecls; k++)
                if (strcmp(decls[k].name, r->name) == 0)
                    d = &decls[k];
            if (d == NULL) {
                PROBLEM("%s: %s is %s but no header declares it (expected in %s)", f->file,
                        r->name, spec_status_name(r->status), f->header ? f->header : "?");
                continue;
            }
            char *want = spec_normalize(r->signature ? r->signature : "");
            if (strcmp(want, d->norm) != 0)
                PROBLEM("%s:%d: %s: header declares\n    %s\n  but the spec row says\n    %s",
                        d->file, d->line, r->name, d->norm, want);
            free(want);
            if (f->header && strcmp(f->header, d->file) != 0)
                PROBLEM("%s:%d: %s belongs in %s (family %s)", d->file, d->line, r->name,
                        f->header, f->name);
        }
        if (exported && f->header && umbrella) {
            const char *base = strstr(f->header, "simplert/");
            tbuf inc = {0};
            tbuf_printf(&inc, "#include \"%s\"", base ? base : f->header);
            if (strstr(umbrella, inc.s) == NULL)
                PROBLEM("include/simplert.h: missing %s (family %s has exported rows)", inc.s,
                        f->name);
            tbuf_free(&inc);
        }
    }
    for (size_t k = 0; k < ndecls; k++) {
        const spec_row *r = spec_find(s, decls[k].name);
        if (r == NULL)
            PROBLEM("%s:%d: %s is declared but has no spec row", decls[k].file, decls[k].line,
                    decls[k].name);
        else if (!spec_exported(r))
            PROBLEM("%s:%d: %s is declared but its row says %s", decls[k].file, decls[k].line,
                    decls[k].name, spec_status_name(r->status));
        free(decls[k].name);
        free(decls[k].norm);
        free(decls[k].file);
    }
    free(decls);
    free(umbrella);
    tbuf_free(&umb_path);
    return problems;
}
