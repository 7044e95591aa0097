/*
 * tools/json.h — a small JSON reader (RFC 8259) for the CLI: Criterion's
 * results, gcovr's and llvm-cov's exports. Not used by the runtime.
 */
#ifndef TOOLS_JSON_H
#define TOOLS_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { JSON_NULL, JSON_BOOL, JSON_NUM, JSON_STR, JSON_ARR, JSON_OBJ } json_type;

typedef struct json {
    json_type type;
    bool b;
    double num;
    char *str;              /* JSON_STR, NUL-terminated (embedded NULs cut it short) */
    struct json **items;    /* JSON_ARR elements, JSON_OBJ values */
    char **keys;            /* JSON_OBJ keys */
    size_t n;
} json;

/* Parse text; NULL on error with "line:col: message" in err. */
json *json_parse(const char *text, size_t len, char *err, size_t errlen);
void json_free(json *j);
const json *json_get(const json *obj, const char *key);   /* NULL if absent */
const char *json_str(const json *j, const char *dflt);
double json_num(const json *j, double dflt);

#endif /* TOOLS_JSON_H */
