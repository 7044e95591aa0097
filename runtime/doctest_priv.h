/*
 * runtime/doctest_priv.h — what runtime/doctest.c and runtime/doctest_walk.c
 * share: argument conversion and the family's limits (spec/ffi/doctest.sdn).
 */
#ifndef RTX_DOCTEST_PRIV_H
#define RTX_DOCTEST_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "simplert/core.h"

/* doctest_read_file refuses files larger than this (checked before reading,
 * and again while reading, for files whose size the kernel does not know). */
#define RTX_DOCTEST_READ_MAX (UINT64_C(256) << 20)

/* doctest_walk_directory limits: levels below the root it descends to,
 * files it returns, directories it opens in one walk. */
#define RTX_DOCTEST_WALK_MAX_DEPTH 256
#define RTX_DOCTEST_WALK_MAX_RESULTS 1000000
#define RTX_DOCTEST_WALK_MAX_DIRS 1000000

/* The limits in force: the constants above, or in testing builds
 * (RTX_TESTING) whatever rtx_doctest_set_limits installed, so suites can
 * reach each limit and limit+1 without building a million files. */
typedef struct rtx_doctest_limits {
    uint64_t read_max;
    size_t walk_depth;      /* clamped to RTX_DOCTEST_WALK_MAX_DEPTH */
    size_t walk_results;
    size_t walk_dirs;
} rtx_doctest_limits;
const rtx_doctest_limits *rtx_doctest_limits_now(void);
#ifdef RTX_TESTING
/* Installs l (a zero field keeps that default); NULL restores every default. */
void rtx_doctest_set_limits(const rtx_doctest_limits *l);
#endif

/* The bytes of v (NUL-terminated, *len without the NUL) when v is a live
 * string holding valid UTF-8 — what upstream's String::from_utf8 accepts;
 * NULL otherwise. */
const uint8_t *rtx_doctest_text(RtValue v, size_t *len);

/* rtx_doctest_text that is also usable as a file-system path: NULL when the
 * text contains a NUL byte (Rust's path calls fail with InvalidInput then). */
const char *rtx_doctest_path(RtValue v, size_t *len);

#endif /* RTX_DOCTEST_PRIV_H */
