/*
 * tools/spec.h — the FFI contract (spec/ffi/<family>.sdn) loaded into C
 * structures, with the checks of spec/README.md.
 */
#ifndef TOOLS_SPEC_H
#define TOOLS_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "tools/util.h"

typedef struct spec_param {
    char *type;    /* normalised C type, e.g. "const uint8_t *" */
    char *name;
    char *kind;    /* parameter kind from `kinds` */
} spec_param;

typedef enum { ST_IMPLEMENTED, ST_PARTIAL, ST_PLANNED, ST_OUT_OF_SCOPE, ST_INVALID } spec_status;

typedef struct spec_row {
    char *name, *family, *signature, *ret_type, *returns, *status_text;
    char *summary, *on_bad_input, *upstream, *deviation, *notes, *fuzz;
    spec_status status;
    tlist conformance;        /* files */
    spec_param *params;
    size_t nparams;
} spec_row;

typedef struct spec_family {
    char *name, *file, *header, *summary, *errors, *upstream;
    spec_row *rows;
    size_t nrows;
} spec_family;

typedef struct spec {
    spec_family *fams;
    size_t nfams;
    size_t nrows;
} spec;

/* Load every spec/ffi/<family>.sdn under dir (e.g. "spec/ffi"); problems are
 * printed to errs as "file: row: message". Returns the number of problems. */
int spec_load(const char *dir, spec *s, FILE *errs);
void spec_free(spec *s);
const spec_row *spec_find(const spec *s, const char *name);
bool spec_exported(const spec_row *r);   /* implemented or partial */
const char *spec_status_name(spec_status st);

/* Parse "RET NAME(TYPE NAME, ...)"; 0 ok, -1 with msg on malformed input. */
int spec_parse_signature(const char *sig, char **ret, char **name, spec_param **params,
                         size_t *nparams, char *msg, size_t msglen);
/* Whitespace-normalised token form of a prototype, for comparisons. */
char *spec_normalize(const char *sig);

/* Checks that need the tree: files named by rows exist, headers declare
 * exactly the exported rows with identical signatures, the umbrella header
 * includes them. Returns the number of problems printed to errs. */
int spec_check_tree(const spec *s, const char *root, FILE *errs);
/* Names of the functions the public headers declare (RT_API lines). */
int spec_header_names(const char *root, tlist *names, FILE *errs);

#endif /* TOOLS_SPEC_H */
