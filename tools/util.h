/*
 * tools/util.h — small helpers shared by the simplert CLI's subcommands
 * (growable strings and string lists, whole-file reads, messages).
 * The CLI is a tool, not the runtime: it may allocate freely and exits on
 * out-of-memory with a message.
 */
#ifndef TOOLS_UTIL_H
#define TOOLS_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct tbuf {
    char *s;
    size_t len, cap;
} tbuf;

void tbuf_put(tbuf *b, const char *s, size_t n);
void tbuf_puts(tbuf *b, const char *s);
void tbuf_printf(tbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tbuf_free(tbuf *b);

typedef struct tlist {
    char **v;
    size_t n, cap;
} tlist;

void tlist_add(tlist *l, const char *s);        /* copies s */
bool tlist_has(const tlist *l, const char *s);
void tlist_sort(tlist *l);
void tlist_free(tlist *l);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Whole file as a NUL-terminated string; NULL (errno set) on error. */
char *read_file(const char *path, size_t *len);
/* Write atomically (temp file + rename), creating parent directories. */
int write_file(const char *path, const char *data, size_t len);
int mkdir_p(const char *dir);
bool file_exists(const char *path);
bool is_dir(const char *path);

/* True when `text` contains `word` as a whole C identifier followed
 * (after optional spaces) by '(' — i.e. a call or declaration of it. */
bool mentions_call(const char *text, const char *word);

/* Options: --name VALUE or --name=VALUE. Returns the value or NULL. */
const char *opt_value(int *i, int argc, char **argv, const char *name);

#endif /* TOOLS_UTIL_H */
