/*
 * sdn/sdn.h — read and write SDN (Simple Data Notation), C11 + libc.
 *
 * Syntax and semantics follow upstream's Rust reader (ormastes/simple,
 * src/sdn; summarised in upstream-abi.md §4). A document is an implicit
 * root dict. Values: Null | Bool | Int (int64) | Float (double) |
 * String (explicit length, any byte except NUL) | Array | Dict (ordered) |
 * Table (named: field names; typed: type names; rows of cells).
 *
 * Deliberate differences from upstream's reader:
 *  - STRICT. Upstream silently skips characters it does not know; here they
 *    are errors. So are: an unterminated string, an unindent that matches no
 *    outer level, a table row with the wrong number of cells, an integer that
 *    does not fit in int64 (upstream: 0), a float that overflows to infinity,
 *    a malformed number (`1e`, `1.2.3`, `12abc`), a lone CR, a NUL byte,
 *    anything left over on a line after a complete value, nesting deeper than
 *    SDN_MAX_DEPTH. Every error carries a 1-based line:col.
 *  - Bare words may also START with '/' or '.' and may CONTAIN '%', so
 *    absolute paths and %-escaped coverage file names survive. A '.' followed
 *    by a digit is still an error (write 0.5, not .5).
 *  - Keys, table field names and type names may be quoted strings
 *    ("a b": 1) as well as bare words.
 *  - A block whose first line is `key = ...` or `key |...|` is a dict block
 *    (upstream only recognises `key:` and fails on the others).
 *  - Any byte >= 0x80 counts as a letter in bare words (no Unicode tables;
 *    UTF-8 is not validated). A UTF-8 BOM at the very start is skipped.
 *    CRLF line ends are accepted. Columns count UTF-8 code points.
 *  - INT64_MIN (-9223372036854775808) parses.
 * Kept from upstream: a comma where a cell should start is an empty cell "",
 * and a trailing comma ends a table row (`a,` is one cell, `a,,` two, the
 * second "", `,,,` three); `[0 1 2]` is an error; a bare word alone on a line inside a dict
 * block is the entry word: "word"; `key:` with nothing indented under it is
 * Null; a duplicate key keeps its first position and takes the last value.
 *
 * The writer emits only what upstream's reader reads back (upstream-abi.md
 * §4.3), with these exceptions, which simplert's reader does read:
 *  - keys, field names and type names that are not bare-safe are quoted;
 *  - a named table as the FIRST entry of a nested dict block (upstream decides
 *    "dict block" only from `key:`).
 * NaN and ±Inf are written as the quoted strings "nan", "inf", "-inf" and
 * read back as strings. A table may only be the value of a dict entry:
 * SDN has no inline table syntax, so a table inside an array, an inline dict
 * or a cell makes sdn_write fail (NULL, errno EINVAL). Floats use '.' as the
 * decimal point whatever LC_NUMERIC says, both ways.
 *
 * Ownership: every sdn_value returned by the parse and sdn_new_ functions is
 * owned by the caller until it is passed to a function that "takes
 * ownership". sdn_free and sdn_equal recurse: the reader bounds depth at
 * SDN_MAX_DEPTH, but a value built by hand millions of levels deep would
 * exhaust the stack (and cannot be written anyway). Pointers
 * returned by accessors are borrowed from their container. Every function
 * accepts NULL arguments and then returns its neutral answer (NULL, 0, false,
 * -1, the default). The API is not thread-safe for concurrent mutation of
 * one value; distinct values may be used from distinct threads.
 */
#ifndef SIMPLERT_SDN_H
#define SIMPLERT_SDN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Deepest value nesting the reader accepts and the writer emits
 * (the root dict is depth 0). Bounds recursion on hostile input. */
#define SDN_MAX_DEPTH 128

typedef enum sdn_type {
    SDN_NULL, SDN_BOOL, SDN_INT, SDN_FLOAT, SDN_STRING, SDN_ARRAY, SDN_DICT, SDN_TABLE
} sdn_type;

typedef struct sdn_value sdn_value; /* opaque */

/* A parse error. line/col are 1-based; msg is the whole human-readable
 * message including the position, e.g.
 * `3:14: expected ':', '=' or '|' after key "name", found ','`.
 * I/O errors of sdn_parse_file have line 0, col 0 and msg = strerror text. */
typedef struct sdn_error {
    int line, col;
    char msg[160];
} sdn_error;

/* ---- reading ---- */

/* Parses len bytes of text (no NUL terminator needed). Returns the root dict,
 * or NULL with *err filled in (err may be NULL). */
sdn_value *sdn_parse(const char *text, size_t len, sdn_error *err);

/* Like sdn_parse but accepts only what upstream's reader accepts: none of the
 * reader extensions listed above (bare words starting with '/' or '.' or
 * containing '%', quoted names, `key =`/`key |` opening a block). Still strict. */
sdn_value *sdn_parse_compat(const char *text, size_t len, sdn_error *err);

/* Reads and parses a whole file. I/O errors: NULL, err->line 0, strerror text. */
sdn_value *sdn_parse_file(const char *path, sdn_error *err);

/* Frees v and everything it owns. NULL is ok. */
void sdn_free(sdn_value *v);

/* ---- accessors (all borrow; none allocate) ---- */

/* The value's type; SDN_NULL for NULL. */
sdn_type sdn_type_of(const sdn_value *v);
/* The bool; false unless v is Bool true. */
bool sdn_bool(const sdn_value *v);
/* The int; 0 unless v is an Int. */
int64_t sdn_int(const sdn_value *v);
/* The float; an Int is converted; 0.0 for anything else. */
double sdn_float(const sdn_value *v);
/* The string's bytes, NUL-terminated, and its length in *len (len may be
 * NULL). NULL (and *len = 0) if v is not a String. */
const char *sdn_str(const sdn_value *v, size_t *len);
/* Array elements, dict entries, table rows; 0 for anything else. */
size_t sdn_len(const sdn_value *v);
/* Element i of an array; NULL if out of range or not an array. */
const sdn_value *sdn_at(const sdn_value *arr, size_t i);
/* Key of entry i of a dict (insertion order); NULL if out of range. */
const char *sdn_key_at(const sdn_value *dict, size_t i);
/* Value of entry i of a dict; NULL if out of range. */
const sdn_value *sdn_value_at(const sdn_value *dict, size_t i);
/* Value for key in a dict; NULL if absent or not a dict. O(1) on big dicts. */
const sdn_value *sdn_get(const sdn_value *dict, const char *key);
/* The string at key, or dflt if absent or not a String. */
const char *sdn_get_str(const sdn_value *dict, const char *key, const char *dflt);
/* The Int at key, or dflt if absent or not an Int. */
int64_t sdn_get_int(const sdn_value *dict, const char *key, int64_t dflt);
/* Number of columns of a table; 0 for anything else. */
size_t sdn_table_ncols(const sdn_value *t);
/* True if t is a typed table (`name: table{T, ..}`). */
bool sdn_table_is_typed(const sdn_value *t);
/* Field name of column i of a named table; NULL for typed tables. */
const char *sdn_table_col(const sdn_value *t, size_t i);
/* Type name of column i of a typed table; NULL for named tables. */
const char *sdn_table_coltype(const sdn_value *t, size_t i);
/* Index of the first column called name (named tables); -1 if absent. */
int sdn_table_col_index(const sdn_value *t, const char *name);
/* Cell (row, col); NULL if out of range or not a table. */
const sdn_value *sdn_table_cell(const sdn_value *t, size_t row, size_t col);

/* ---- builders (NULL on allocation failure or bad arguments) ---- */

sdn_value *sdn_new_null(void);
sdn_value *sdn_new_bool(bool b);
sdn_value *sdn_new_int(int64_t i);
sdn_value *sdn_new_float(double d);
/* Copies len bytes; NULL if s holds a NUL byte, or s is NULL with len > 0. */
sdn_value *sdn_new_str(const char *s, size_t len);
/* Copies a NUL-terminated string; NULL for NULL. */
sdn_value *sdn_new_cstr(const char *s);
sdn_value *sdn_new_array(void);
sdn_value *sdn_new_dict(void);
/* A table of ncols columns. Named table: cols = ncols names, types = NULL.
 * Typed table: types = ncols type names, cols = NULL. Both non-NULL, a NULL
 * name, or (ncols > 0 and both NULL) gives NULL. Names are copied. */
sdn_value *sdn_new_table(size_t ncols, const char *const *cols, const char *const *types);
/* Appends item (takes ownership). 0 ok; -1 on error, and item is freed —
 * except when item == arr, which is refused and left alone. */
int sdn_array_push(sdn_value *arr, sdn_value *item);
/* Sets dict[key] = item (takes ownership of item; key is copied). A new key
 * goes last; an existing key keeps its position and its old value is freed.
 * 0 ok; -1 on error, and item is freed (except item == dict, left alone). */
int sdn_dict_set(sdn_value *dict, const char *key, sdn_value *item);
/* Appends a row: takes ownership of cells[0..ncols-1] (all must be non-NULL).
 * 0 ok; -1 on error, and the cells are freed. If t is not a table the cell
 * count is unknown and nothing is freed. A table with 0 columns takes no rows
 * (-1; as ncols is 0, no cell is taken or freed). */
int sdn_table_add_row(sdn_value *t, sdn_value **cells);

/* Deep equality. Int and Float are different types; dict order matters;
 * floats compare by bit pattern, except that +0.0 equals -0.0. */
bool sdn_equal(const sdn_value *a, const sdn_value *b);

/* ---- writing ---- */

/* Writes root (must be a Dict) as SDN text: malloc'd, NUL-terminated, length
 * in *len (len may be NULL). NULL on error with errno set: EINVAL (not a dict,
 * a table where SDN cannot hold one, nesting > SDN_MAX_DEPTH), ENOMEM. */
char *sdn_write(const sdn_value *root, size_t *len);

/* Writes root to path atomically (temp file in the same directory, fsync,
 * rename). 0 ok; -1 with errno set. A new file gets mode 0644; an existing
 * file keeps its mode. */
int sdn_write_file(const sdn_value *root, const char *path);

#ifdef __cplusplus
}
#endif

#endif /* SIMPLERT_SDN_H */
