/*
 * sdn/sdn_value.c — the SDN value model: builders, accessors, equality, free.
 *
 * Dicts keep entries in insertion order in an array. Once a dict holds
 * DICT_INDEX_MIN entries it also keeps an open-addressing hash index, so
 * lookups (and duplicate-key checks while parsing) stay O(1). The index is an
 * optimisation only: if it cannot be allocated it is dropped and lookups fall
 * back to a linear scan, so it never causes an operation to fail.
 */
#include "sdn/sdn.h"

#include <stdlib.h>
#include <string.h>

#define DICT_INDEX_MIN 8

struct sdn_entry {
    char *key;
    uint64_t hash;
    sdn_value *val;
};

struct sdn_value {
    sdn_type type;
    union {
        bool b;
        int64_t i;
        double f;
        struct {
            size_t len;
            char *p; /* points just past the struct, in the same allocation */
        } s;
        struct {
            sdn_value **items;
            size_t n, cap;
        } a;
        struct {
            struct sdn_entry *e;
            size_t n, cap;
            size_t *idx; /* slots hold entry index + 1; 0 is empty; NULL: no index */
            size_t icap; /* power of two, > 2 * n while idx != NULL */
        } d;
        struct {
            size_t ncols;
            char **cols;    /* named table: ncols names; typed: NULL */
            char **types;   /* typed table: ncols names; named: NULL */
            sdn_value **cells; /* row-major, nrows * ncols */
            size_t nrows, caprows;
        } t;
    } u;
};

static sdn_value *new_value(sdn_type type);
static uint64_t hash_key(const char *key);
static size_t dict_find(const sdn_value *d, const char *key, uint64_t h);
static void dict_index_rebuild(sdn_value *d, size_t icap);
static void dict_index_add(sdn_value *d, size_t entry);
static char **copy_names(size_t n, const char *const *names);
static void free_names(size_t n, char **names);
static bool names_equal(size_t n, char *const *a, char *const *b);
static bool grow(void **p, size_t *cap, size_t need, size_t elem);

/* ---------------------------------------------------------------- builders */

sdn_value *sdn_new_null(void) { return new_value(SDN_NULL); }

sdn_value *sdn_new_bool(bool b)
{
    sdn_value *v = new_value(SDN_BOOL);
    if (v)
        v->u.b = b;
    return v;
}

sdn_value *sdn_new_int(int64_t i)
{
    sdn_value *v = new_value(SDN_INT);
    if (v)
        v->u.i = i;
    return v;
}

sdn_value *sdn_new_float(double d)
{
    sdn_value *v = new_value(SDN_FLOAT);
    if (v)
        v->u.f = d;
    return v;
}

sdn_value *sdn_new_str(const char *s, size_t len)
{
    if (!s && len > 0)
        return NULL;
    if (len > 0 && memchr(s, '\0', len))
        return NULL; /* strings are NUL-terminated for C callers */
    if (len > SIZE_MAX - sizeof(sdn_value) - 1)
        return NULL;
    sdn_value *v = malloc(sizeof(sdn_value) + len + 1);
    if (!v)
        return NULL;
    memset(v, 0, sizeof *v);
    v->type = SDN_STRING;
    v->u.s.len = len;
    v->u.s.p = (char *)(v + 1);
    if (len > 0)
        memcpy(v->u.s.p, s, len);
    v->u.s.p[len] = '\0';
    return v;
}

sdn_value *sdn_new_cstr(const char *s)
{
    return s ? sdn_new_str(s, strlen(s)) : NULL;
}

sdn_value *sdn_new_array(void) { return new_value(SDN_ARRAY); }

sdn_value *sdn_new_dict(void) { return new_value(SDN_DICT); }

sdn_value *sdn_new_table(size_t ncols, const char *const *cols, const char *const *types)
{
    if (cols && types)
        return NULL;
    if (ncols > 0 && !cols && !types)
        return NULL;
    if (ncols > SIZE_MAX / sizeof(sdn_value *))
        return NULL;
    sdn_value *v = new_value(SDN_TABLE);
    if (!v)
        return NULL;
    v->u.t.ncols = ncols;
    if (types) {
        v->u.t.types = copy_names(ncols, types);
        if (!v->u.t.types) {
            free(v);
            return NULL;
        }
    } else {
        /* A named table with no columns still gets a (zero-length) name list
         * so that "named" is simply "types == NULL". */
        v->u.t.cols = copy_names(ncols, cols);
        if (!v->u.t.cols) {
            free(v);
            return NULL;
        }
    }
    return v;
}

int sdn_array_push(sdn_value *arr, sdn_value *item)
{
    if (!item)
        return -1;
    if (item == arr)
        return -1;
    if (!arr || arr->type != SDN_ARRAY ||
        !grow((void **)&arr->u.a.items, &arr->u.a.cap, arr->u.a.n + 1, sizeof(sdn_value *))) {
        sdn_free(item);
        return -1;
    }
    arr->u.a.items[arr->u.a.n++] = item;
    return 0;
}

int sdn_dict_set(sdn_value *dict, const char *key, sdn_value *item)
{
    if (!item)
        return -1;
    if (item == dict)
        return -1;
    if (!dict || dict->type != SDN_DICT || !key) {
        sdn_free(item);
        return -1;
    }
    uint64_t h = hash_key(key);
    size_t at = dict_find(dict, key, h);
    if (at != SIZE_MAX) {
        /* Duplicate key: first position, last value. */
        sdn_free(dict->u.d.e[at].val);
        dict->u.d.e[at].val = item;
        return 0;
    }
    size_t klen = strlen(key);
    char *kcopy = malloc(klen + 1);
    if (!kcopy ||
        !grow((void **)&dict->u.d.e, &dict->u.d.cap, dict->u.d.n + 1, sizeof(struct sdn_entry))) {
        free(kcopy);
        sdn_free(item);
        return -1;
    }
    memcpy(kcopy, key, klen + 1);
    size_t n = dict->u.d.n++;
    dict->u.d.e[n] = (struct sdn_entry){ kcopy, h, item };
    if (dict->u.d.idx && 2 * dict->u.d.n < dict->u.d.icap)
        dict_index_add(dict, n);
    else if (dict->u.d.n >= DICT_INDEX_MIN)
        dict_index_rebuild(dict, dict->u.d.icap ? 2 * dict->u.d.icap : 4 * DICT_INDEX_MIN);
    return 0;
}

int sdn_table_add_row(sdn_value *t, sdn_value **cells)
{
    if (!t || t->type != SDN_TABLE || !cells)
        return -1;
    size_t nc = t->u.t.ncols;
    bool ok = nc > 0;
    for (size_t i = 0; i < nc; i++)
        if (!cells[i] || cells[i] == t)
            ok = false;
    if (ok && t->u.t.nrows >= SIZE_MAX / nc / sizeof(sdn_value *) - 1)
        ok = false;
    if (ok) {
        /* caprows counts rows; grow() works in elements, so scale by ncols. */
        size_t cap_cells = t->u.t.caprows * nc;
        if (grow((void **)&t->u.t.cells, &cap_cells, (t->u.t.nrows + 1) * nc, sizeof(sdn_value *)))
            t->u.t.caprows = cap_cells / nc;
        else
            ok = false;
    }
    if (!ok) {
        for (size_t i = 0; i < nc; i++)
            if (cells[i] != t)
                sdn_free(cells[i]);
        return -1;
    }
    memcpy(t->u.t.cells + t->u.t.nrows * nc, cells, nc * sizeof(sdn_value *));
    t->u.t.nrows++;
    return 0;
}

void sdn_free(sdn_value *v)
{
    if (!v)
        return;
    switch (v->type) {
    case SDN_ARRAY:
        for (size_t i = 0; i < v->u.a.n; i++)
            sdn_free(v->u.a.items[i]);
        free(v->u.a.items);
        break;
    case SDN_DICT:
        for (size_t i = 0; i < v->u.d.n; i++) {
            free(v->u.d.e[i].key);
            sdn_free(v->u.d.e[i].val);
        }
        free(v->u.d.e);
        free(v->u.d.idx);
        break;
    case SDN_TABLE:
        for (size_t i = 0; i < v->u.t.nrows * v->u.t.ncols; i++)
            sdn_free(v->u.t.cells[i]);
        free(v->u.t.cells);
        free_names(v->u.t.ncols, v->u.t.cols);
        free_names(v->u.t.ncols, v->u.t.types);
        break;
    default:
        break; /* scalars and strings are a single allocation */
    }
    free(v);
}

/* --------------------------------------------------------------- accessors */

sdn_type sdn_type_of(const sdn_value *v) { return v ? v->type : SDN_NULL; }

bool sdn_bool(const sdn_value *v) { return v && v->type == SDN_BOOL && v->u.b; }

int64_t sdn_int(const sdn_value *v) { return v && v->type == SDN_INT ? v->u.i : 0; }

double sdn_float(const sdn_value *v)
{
    if (v && v->type == SDN_FLOAT)
        return v->u.f;
    if (v && v->type == SDN_INT)
        return (double)v->u.i;
    return 0.0;
}

const char *sdn_str(const sdn_value *v, size_t *len)
{
    bool is = v && v->type == SDN_STRING;
    if (len)
        *len = is ? v->u.s.len : 0;
    return is ? v->u.s.p : NULL;
}

size_t sdn_len(const sdn_value *v)
{
    if (!v)
        return 0;
    switch (v->type) {
    case SDN_ARRAY: return v->u.a.n;
    case SDN_DICT: return v->u.d.n;
    case SDN_TABLE: return v->u.t.nrows;
    default: return 0;
    }
}

const sdn_value *sdn_at(const sdn_value *arr, size_t i)
{
    return arr && arr->type == SDN_ARRAY && i < arr->u.a.n ? arr->u.a.items[i] : NULL;
}

const char *sdn_key_at(const sdn_value *dict, size_t i)
{
    return dict && dict->type == SDN_DICT && i < dict->u.d.n ? dict->u.d.e[i].key : NULL;
}

const sdn_value *sdn_value_at(const sdn_value *dict, size_t i)
{
    return dict && dict->type == SDN_DICT && i < dict->u.d.n ? dict->u.d.e[i].val : NULL;
}

const sdn_value *sdn_get(const sdn_value *dict, const char *key)
{
    if (!dict || dict->type != SDN_DICT || !key)
        return NULL;
    size_t at = dict_find(dict, key, hash_key(key));
    return at == SIZE_MAX ? NULL : dict->u.d.e[at].val;
}

const char *sdn_get_str(const sdn_value *dict, const char *key, const char *dflt)
{
    const char *s = sdn_str(sdn_get(dict, key), NULL);
    return s ? s : dflt;
}

int64_t sdn_get_int(const sdn_value *dict, const char *key, int64_t dflt)
{
    const sdn_value *v = sdn_get(dict, key);
    return v && v->type == SDN_INT ? v->u.i : dflt;
}

size_t sdn_table_ncols(const sdn_value *t)
{
    return t && t->type == SDN_TABLE ? t->u.t.ncols : 0;
}

bool sdn_table_is_typed(const sdn_value *t)
{
    return t && t->type == SDN_TABLE && t->u.t.types != NULL;
}

const char *sdn_table_col(const sdn_value *t, size_t i)
{
    if (!t || t->type != SDN_TABLE || !t->u.t.cols || i >= t->u.t.ncols)
        return NULL;
    return t->u.t.cols[i];
}

const char *sdn_table_coltype(const sdn_value *t, size_t i)
{
    if (!t || t->type != SDN_TABLE || !t->u.t.types || i >= t->u.t.ncols)
        return NULL;
    return t->u.t.types[i];
}

int sdn_table_col_index(const sdn_value *t, const char *name)
{
    if (!t || t->type != SDN_TABLE || !t->u.t.cols || !name)
        return -1;
    for (size_t i = 0; i < t->u.t.ncols && i <= (size_t)INT32_MAX; i++)
        if (strcmp(t->u.t.cols[i], name) == 0)
            return (int)i;
    return -1;
}

const sdn_value *sdn_table_cell(const sdn_value *t, size_t row, size_t col)
{
    if (!t || t->type != SDN_TABLE || row >= t->u.t.nrows || col >= t->u.t.ncols)
        return NULL;
    return t->u.t.cells[row * t->u.t.ncols + col];
}

/* ---------------------------------------------------------------- equality */

bool sdn_equal(const sdn_value *a, const sdn_value *b)
{
    if (!a || !b)
        return a == b;
    if (a->type != b->type)
        return false;
    switch (a->type) {
    case SDN_NULL: return true;
    case SDN_BOOL: return a->u.b == b->u.b;
    case SDN_INT: return a->u.i == b->u.i;
    case SDN_FLOAT: {
        if (a->u.f == 0.0 && b->u.f == 0.0)
            return true; /* +0.0 == -0.0 by design */
        return memcmp(&a->u.f, &b->u.f, sizeof(double)) == 0;
    }
    case SDN_STRING:
        return a->u.s.len == b->u.s.len && memcmp(a->u.s.p, b->u.s.p, a->u.s.len) == 0;
    case SDN_ARRAY:
        if (a->u.a.n != b->u.a.n)
            return false;
        for (size_t i = 0; i < a->u.a.n; i++)
            if (!sdn_equal(a->u.a.items[i], b->u.a.items[i]))
                return false;
        return true;
    case SDN_DICT:
        if (a->u.d.n != b->u.d.n)
            return false;
        for (size_t i = 0; i < a->u.d.n; i++)
            if (strcmp(a->u.d.e[i].key, b->u.d.e[i].key) != 0 ||
                !sdn_equal(a->u.d.e[i].val, b->u.d.e[i].val))
                return false;
        return true;
    case SDN_TABLE:
        if (a->u.t.ncols != b->u.t.ncols || a->u.t.nrows != b->u.t.nrows ||
            !names_equal(a->u.t.ncols, a->u.t.cols, b->u.t.cols) ||
            !names_equal(a->u.t.ncols, a->u.t.types, b->u.t.types))
            return false;
        for (size_t i = 0; i < a->u.t.nrows * a->u.t.ncols; i++)
            if (!sdn_equal(a->u.t.cells[i], b->u.t.cells[i]))
                return false;
        return true;
    }
    return false;
}

/* ----------------------------------------------------------------- helpers */

static sdn_value *new_value(sdn_type type)
{
    sdn_value *v = calloc(1, sizeof *v);
    if (v)
        v->type = type;
    return v;
}

/* FNV-1a, 64-bit. */
static uint64_t hash_key(const char *key)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
        h ^= *p;
        h *= UINT64_C(0x100000001b3);
    }
    return h;
}

/* Index of key in d, or SIZE_MAX. */
static size_t dict_find(const sdn_value *d, const char *key, uint64_t h)
{
    if (d->u.d.idx) {
        size_t mask = d->u.d.icap - 1;
        for (size_t s = (size_t)h & mask;; s = (s + 1) & mask) {
            size_t slot = d->u.d.idx[s];
            if (slot == 0)
                return SIZE_MAX;
            const struct sdn_entry *e = &d->u.d.e[slot - 1];
            if (e->hash == h && strcmp(e->key, key) == 0)
                return slot - 1;
        }
    }
    for (size_t i = 0; i < d->u.d.n; i++)
        if (d->u.d.e[i].hash == h && strcmp(d->u.d.e[i].key, key) == 0)
            return i;
    return SIZE_MAX;
}

/* Inserts entry into the index; the caller guarantees a free slot exists
 * (load stays below 1/2), so the probe loop terminates. */
static void dict_index_add(sdn_value *d, size_t entry)
{
    size_t mask = d->u.d.icap - 1;
    size_t s = (size_t)d->u.d.e[entry].hash & mask;
    while (d->u.d.idx[s] != 0)
        s = (s + 1) & mask;
    d->u.d.idx[s] = entry + 1;
}

static void dict_index_rebuild(sdn_value *d, size_t icap)
{
    while (icap <= 2 * d->u.d.n && icap < SIZE_MAX / 2)
        icap *= 2;
    free(d->u.d.idx);
    d->u.d.idx = NULL;
    d->u.d.icap = 0;
    if (icap > SIZE_MAX / sizeof(size_t) || icap <= 2 * d->u.d.n)
        return;
    size_t *idx = calloc(icap, sizeof(size_t));
    if (!idx)
        return; /* fall back to linear lookups; see the file comment */
    d->u.d.idx = idx;
    d->u.d.icap = icap;
    for (size_t i = 0; i < d->u.d.n; i++)
        dict_index_add(d, i);
}

static char **copy_names(size_t n, const char *const *names)
{
    char **out = calloc(n ? n : 1, sizeof(char *));
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (!names[i]) {
            free_names(n, out);
            return NULL;
        }
        size_t len = strlen(names[i]);
        out[i] = malloc(len + 1);
        if (!out[i]) {
            free_names(n, out);
            return NULL;
        }
        memcpy(out[i], names[i], len + 1);
    }
    return out;
}

static bool names_equal(size_t n, char *const *a, char *const *b)
{
    if (!a || !b)
        return a == b;
    for (size_t i = 0; i < n; i++)
        if (strcmp(a[i], b[i]) != 0)
            return false;
    return true;
}

static void free_names(size_t n, char **names)
{
    if (!names)
        return;
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* Ensures *p has room for need elements of elem bytes (geometric growth). */
static bool grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t ncap = *cap ? *cap : 4;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return false;
        ncap *= 2;
    }
    if (ncap > SIZE_MAX / elem)
        return false;
    void *np = realloc(*p, ncap * elem);
    if (!np)
        return false;
    *p = np;
    *cap = ncap;
    return true;
}
