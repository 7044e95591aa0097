/*
 * tools/spec.c — load and check spec/ffi/<family>.sdn (see spec/README.md).
 */
#include "tools/spec.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sdn/sdn.h"

static const char *const allowed_types[] = {
    "void", "bool", "int32_t", "uint32_t", "int64_t", "uint64_t", "uint8_t", "double",
    "size_t", "char", "RtValue", "RtPair", "RtTriple", "RtFn0", "RtFn1", "RtFn2", "RtKernelFn",
};

const char *spec_status_name(spec_status st)
{
    static const char *const n[] = {"implemented", "partial", "planned", "out-of-scope", "invalid"};
    return n[st];
}

bool spec_exported(const spec_row *r) { return r->status == ST_IMPLEMENTED || r->status == ST_PARTIAL; }

static bool ident_start(char c) { return isalpha((unsigned char)c) || c == '_'; }
static bool ident_char(char c) { return isalnum((unsigned char)c) || c == '_'; }

/* Tokens: identifiers, '*', '(', ')', ','; joined by single spaces. */
char *spec_normalize(const char *sig)
{
    tbuf b = {0};
    for (const char *p = sig; *p;) {
        if (isspace((unsigned char)*p)) {
            p++;
            continue;
        }
        const char *q = p;
        if (ident_char(*p))
            while (ident_char(*q))
                q++;
        else
            q++;
        if (b.len)
            tbuf_put(&b, " ", 1);
        tbuf_put(&b, p, (size_t)(q - p));
        p = q;
    }
    if (b.s == NULL)
        tbuf_put(&b, "", 0);
    return b.s;
}

/* Split "TYPE NAME" (already trimmed) into a normalised type and a name. */
static int split_decl(const char *d, size_t n, char **type, char **name)
{
    while (n && isspace((unsigned char)d[n - 1]))
        n--;
    size_t e = n;
    while (e && ident_char(d[e - 1]))
        e--;
    if (e == n || !ident_start(d[e]))
        return -1;
    char *t = xstrndup(d, e);
    *type = spec_normalize(t);
    free(t);
    *name = xstrndup(d + e, n - e);
    return (*type)[0] ? 0 : -1;
}

static bool type_allowed(const char *type)
{
    char *t = xstrdup(type);
    bool ok = true;
    for (char *tok = strtok(t, " "); tok; tok = strtok(NULL, " ")) {
        if (strcmp(tok, "const") == 0 || strcmp(tok, "*") == 0 || strcmp(tok, "struct") == 0)
            continue;
        bool known = false;
        for (size_t i = 0; i < sizeof allowed_types / sizeof allowed_types[0]; i++)
            known |= strcmp(tok, allowed_types[i]) == 0;
        /* family typedefs: Rt followed by an upper-case letter */
        known |= tok[0] == 'R' && tok[1] == 't' && isupper((unsigned char)tok[2]);
        if (!known)
            ok = false;
    }
    free(t);
    return ok;
}

int spec_parse_signature(const char *sig, char **ret, char **name, spec_param **params,
                         size_t *nparams, char *msg, size_t msglen)
{
    *ret = *name = NULL;
    *params = NULL;
    *nparams = 0;
    const char *open = strchr(sig, '('), *close = strrchr(sig, ')');
    if (open == NULL || close == NULL || close < open) {
        snprintf(msg, msglen, "signature has no parameter list");
        return -1;
    }
    for (const char *p = close + 1; *p; p++)
        if (!isspace((unsigned char)*p)) {
            snprintf(msg, msglen, "text after the parameter list");
            return -1;
        }
    if (memchr(open + 1, '(', (size_t)(close - open - 1))) {
        snprintf(msg, msglen, "raw function-pointer syntax: use a typedef");
        return -1;
    }
    if (split_decl(sig, (size_t)(open - sig), ret, name) != 0) {
        snprintf(msg, msglen, "cannot read return type and name");
        goto bad;
    }
    if (!type_allowed(*ret)) {
        snprintf(msg, msglen, "return type '%s' is not allowed", *ret);
        goto bad;
    }
    char *inner = xstrndup(open + 1, (size_t)(close - open - 1));
    char *norm = spec_normalize(inner);
    if (strcmp(norm, "") != 0 && strcmp(norm, "void") != 0) {
        const char *p = inner;
        for (;;) {
            const char *comma = strchr(p, ',');
            size_t n = comma ? (size_t)(comma - p) : strlen(p);
            while (n && isspace((unsigned char)*p)) {
                p++;
                n--;
            }
            *params = xrealloc(*params, (*nparams + 1) * sizeof **params);
            spec_param *sp = &(*params)[*nparams];
            memset(sp, 0, sizeof *sp);
            (*nparams)++;
            if (split_decl(p, n, &sp->type, &sp->name) != 0) {
                snprintf(msg, msglen, "parameter %zu has no type and name", *nparams);
                free(inner);
                free(norm);
                goto bad;
            }
            if (!type_allowed(sp->type)) {
                snprintf(msg, msglen, "parameter '%s' has type '%s', which is not allowed",
                         sp->name, sp->type);
                free(inner);
                free(norm);
                goto bad;
            }
            if (!comma)
                break;
            p = comma + 1;
        }
    }
    free(inner);
    free(norm);
    return 0;
bad:
    return -1;
}

static char *get_str(const sdn_value *d, const char *key)
{
    const sdn_value *v = sdn_get(d, key);
    if (v == NULL)
        return NULL;
    if (sdn_type_of(v) == SDN_STRING)
        return xstrdup(sdn_str(v, NULL));
    return NULL;
}

#define PROBLEM(...)                                                                       \
    do {                                                                                   \
        fprintf(errs, __VA_ARGS__);                                                        \
        fputc('\n', errs);                                                                 \
        problems++;                                                                        \
    } while (0)

static int load_row(spec_row *r, const char *file, const char *fam, const char *name,
                    const sdn_value *d, FILE *errs)
{
    int problems = 0;
    r->name = xstrdup(name);
    r->family = xstrdup(fam);
    if (sdn_type_of(d) != SDN_DICT) {
        PROBLEM("%s: %s: a row must be a block of fields", file, name);
        r->status = ST_INVALID;
        return problems;
    }
    static const char *const required[] = {"signature", "returns", "status", "summary",
                                           "on_bad_input", "upstream"};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (get_str(d, required[i]) == NULL)   /* leaks nothing: NULL */
            PROBLEM("%s: %s: missing field '%s' (a string)", file, name, required[i]);
    r->signature = get_str(d, "signature");
    r->returns = get_str(d, "returns");
    r->status_text = get_str(d, "status");
    r->summary = get_str(d, "summary");
    r->on_bad_input = get_str(d, "on_bad_input");
    r->upstream = get_str(d, "upstream");
    r->deviation = get_str(d, "deviation");
    r->notes = get_str(d, "notes");
    r->fuzz = get_str(d, "fuzz");
    const char *st = r->status_text ? r->status_text : "";
    r->status = strcmp(st, "implemented") == 0 ? ST_IMPLEMENTED
                : strcmp(st, "partial") == 0 ? ST_PARTIAL
                : strcmp(st, "planned") == 0 ? ST_PLANNED
                : strncmp(st, "out-of-scope: ", 14) == 0 && st[14] ? ST_OUT_OF_SCOPE
                : ST_INVALID;
    if (r->status == ST_INVALID && r->status_text)
        PROBLEM("%s: %s: status '%s' is not implemented, partial, planned or "
                "\"out-of-scope: <reason>\"", file, name, st);
    const sdn_value *conf = sdn_get(d, "conformance");
    if (conf && sdn_type_of(conf) == SDN_STRING) {
        tlist_add(&r->conformance, sdn_str(conf, NULL));
    } else if (conf && sdn_type_of(conf) == SDN_ARRAY) {
        for (size_t i = 0; i < sdn_len(conf); i++)
            if (sdn_type_of(sdn_at(conf, i)) == SDN_STRING)
                tlist_add(&r->conformance, sdn_str(sdn_at(conf, i), NULL));
    } else if (conf) {
        PROBLEM("%s: %s: conformance must be a path or a list of paths", file, name);
    }
    if (spec_exported(r)) {
        if (r->conformance.n == 0)
            PROBLEM("%s: %s: %s rows need a conformance suite", file, name, st);
        if (r->fuzz == NULL)
            PROBLEM("%s: %s: %s rows need a fuzz target", file, name, st);
    }
    if (r->signature) {
        char msg[200], *fname = NULL;
        if (spec_parse_signature(r->signature, &r->ret_type, &fname, &r->params, &r->nparams,
                                 msg, sizeof msg) != 0)
            PROBLEM("%s: %s: signature: %s", file, name, msg);
        else if (strcmp(fname, name) != 0)
            PROBLEM("%s: %s: the signature names '%s'", file, name, fname);
        free(fname);
    }
    const sdn_value *kinds = sdn_get(d, "kinds");
    if (kinds == NULL || sdn_type_of(kinds) != SDN_ARRAY) {
        PROBLEM("%s: %s: missing 'kinds = [...]' (use [] for no parameters)", file, name);
    } else if (r->signature && r->ret_type) {
        if (sdn_len(kinds) != r->nparams)
            PROBLEM("%s: %s: %zu kinds for %zu parameters", file, name, sdn_len(kinds),
                    r->nparams);
        for (size_t i = 0; i < sdn_len(kinds) && i < r->nparams; i++) {
            const sdn_value *k = sdn_at(kinds, i);
            if (sdn_type_of(k) != SDN_STRING)
                PROBLEM("%s: %s: kind %zu is not a word", file, name, i + 1);
            else
                r->params[i].kind = xstrdup(sdn_str(k, NULL));
        }
    }
    return problems;
}

static int load_file(spec *s, const char *dir, const char *fname, FILE *errs)
{
    int problems = 0;
    tbuf path = {0};
    tbuf_printf(&path, "%s/%s", dir, fname);
    sdn_error e;
    sdn_value *doc = sdn_parse_file(path.s, &e);
    if (doc == NULL) {
        PROBLEM("%s:%d:%d: %s", path.s, e.line, e.col, e.msg);
        tbuf_free(&path);
        return problems;
    }
    s->fams = xrealloc(s->fams, (s->nfams + 1) * sizeof *s->fams);
    spec_family *f = &s->fams[s->nfams++];
    memset(f, 0, sizeof *f);
    f->file = xstrdup(path.s);
    char *stem = xstrndup(fname, strlen(fname) - 4);
    const sdn_value *meta = sdn_get(doc, "family");
    if (meta == NULL || sdn_type_of(meta) != SDN_DICT) {
        PROBLEM("%s: missing the 'family:' block", path.s);
        f->name = xstrdup(stem);
    } else {
        f->name = get_str(meta, "name");
        f->header = get_str(meta, "header");
        f->summary = get_str(meta, "summary");
        f->errors = get_str(meta, "errors");
        f->upstream = get_str(meta, "upstream");
        if (f->name == NULL || strcmp(f->name, stem) != 0)
            PROBLEM("%s: family name must be '%s' (the file stem)", path.s, stem);
        if (f->name == NULL)
            f->name = xstrdup(stem);
        static const char *const req[] = {"header", "summary", "errors", "upstream"};
        for (size_t i = 0; i < 4; i++) {
            char *v = get_str(meta, req[i]);
            if (v == NULL)
                PROBLEM("%s: family: missing '%s'", path.s, req[i]);
            free(v);
        }
    }
    free(stem);
    size_t n = sdn_len(doc);
    f->rows = xcalloc(n, sizeof *f->rows);
    for (size_t i = 0; i < n; i++) {
        const char *key = sdn_key_at(doc, i);
        if (strcmp(key, "family") == 0)
            continue;
        problems += load_row(&f->rows[f->nrows++], path.s, f->name, key, sdn_value_at(doc, i), errs);
    }
    s->nrows += f->nrows;
    sdn_free(doc);
    tbuf_free(&path);
    return problems;
}

int spec_load(const char *dir, spec *s, FILE *errs)
{
    int problems = 0;
    memset(s, 0, sizeof *s);
    DIR *d = opendir(dir);
    if (d == NULL) {
        PROBLEM("%s: %s", dir, strerror(errno));
        return problems;
    }
    tlist files = {0};
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n > 4 && strcmp(e->d_name + n - 4, ".sdn") == 0)
            tlist_add(&files, e->d_name);
    }
    closedir(d);
    tlist_sort(&files);
    for (size_t i = 0; i < files.n; i++)
        problems += load_file(s, dir, files.v[i], errs);
    tlist_free(&files);
    /* One row per function across all families. */
    for (size_t a = 0; a < s->nfams; a++)
        for (size_t i = 0; i < s->fams[a].nrows; i++)
            for (size_t b = a; b < s->nfams; b++)
                for (size_t j = (b == a ? i + 1 : 0); j < s->fams[b].nrows; j++)
                    if (strcmp(s->fams[a].rows[i].name, s->fams[b].rows[j].name) == 0)
                        PROBLEM("%s: %s: also defined in %s", s->fams[a].file,
                                s->fams[a].rows[i].name, s->fams[b].file);
    return problems;
}

const spec_row *spec_find(const spec *s, const char *name)
{
    for (size_t a = 0; a < s->nfams; a++)
        for (size_t i = 0; i < s->fams[a].nrows; i++)
            if (strcmp(s->fams[a].rows[i].name, name) == 0)
                return &s->fams[a].rows[i];
    return NULL;
}

static void free_row(spec_row *r)
{
    char **strs[] = {&r->name, &r->family, &r->signature, &r->ret_type, &r->returns,
                     &r->status_text, &r->summary, &r->on_bad_input, &r->upstream,
                     &r->deviation, &r->notes, &r->fuzz};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        free(*strs[i]);
    for (size_t i = 0; i < r->nparams; i++) {
        free(r->params[i].type);
        free(r->params[i].name);
        free(r->params[i].kind);
    }
    free(r->params);
    tlist_free(&r->conformance);
}

void spec_free(spec *s)
{
    for (size_t a = 0; a < s->nfams; a++) {
        spec_family *f = &s->fams[a];
        for (size_t i = 0; i < f->nrows; i++)
            free_row(&f->rows[i]);
        free(f->rows);
        free(f->name);
        free(f->file);
        free(f->header);
        free(f->summary);
        free(f->errors);
        free(f->upstream);
    }
    free(s->fams);
    memset(s, 0, sizeof *s);
}
