/*
 * runtime/layout.h — the in-memory layout of the core heap objects.
 *
 * Field offsets match the upstream Rust runtime (upstream-abi.md §1.3,
 * "new" array layout) so that compiled code reading fields directly agrees
 * with the FFI functions. The static asserts pin every offset.
 */
#ifndef RTX_LAYOUT_H
#define RTX_LAYOUT_H

#include <stddef.h>

#include "simplert/core.h"

typedef struct RtString {
    RtHeapHeader hdr;
    uint64_t len;       /* bytes, not counting the trailing NUL */
    uint64_t hash;      /* FNV-1a 64 of the bytes; 0 for "" */
    uint8_t bytes[];    /* len bytes, then a NUL (not counted in len) */
} RtString;

typedef struct RtArray {
    RtHeapHeader hdr;
    uint64_t len;
    uint64_t cap;       /* >= 4; the buffer holds cap values */
    RtValue *data;      /* out of line, so growth never moves the header */
} RtArray;

typedef struct RtTuple {
    RtHeapHeader hdr;
    uint64_t len;
    RtValue items[];    /* zero-filled: elements start as int 0 (upstream) */
} RtTuple;

typedef struct RtObject {
    RtHeapHeader hdr;
    uint32_t class_id;
    uint32_t field_count;
    RtValue fields[];   /* start as NIL */
} RtObject;

typedef struct RtClosure {
    RtHeapHeader hdr;
    const void *func_ptr;
    uint32_t capture_count;
    uint32_t reserved;
    RtValue captures[]; /* start as NIL */
} RtClosure;

typedef struct RtBigInt {
    RtHeapHeader hdr;
    int64_t value;      /* always outside the 61-bit inline range */
} RtBigInt;

_Static_assert(sizeof(RtHeapHeader) == 8, "header is 8 bytes");
_Static_assert(offsetof(RtString, len) == 8 && offsetof(RtString, hash) == 16 &&
                   offsetof(RtString, bytes) == 24, "string layout");
_Static_assert(offsetof(RtArray, len) == 8 && offsetof(RtArray, cap) == 16 &&
                   offsetof(RtArray, data) == 24, "array layout");
_Static_assert(offsetof(RtTuple, len) == 8 && offsetof(RtTuple, items) == 16, "tuple layout");
_Static_assert(offsetof(RtObject, class_id) == 8 && offsetof(RtObject, field_count) == 12 &&
                   offsetof(RtObject, fields) == 16, "object layout");
_Static_assert(offsetof(RtClosure, func_ptr) == 8 && offsetof(RtClosure, capture_count) == 16 &&
                   offsetof(RtClosure, captures) == 24, "closure layout");

/* Size limits: larger requests get the documented default (NIL/false). */
#define RTX_STRING_MAX_LEN (UINT64_C(1) << 30)        /* 1 GiB */
#define RTX_ARRAY_MAX_CAP UINT64_C(100000000)         /* as upstream's C core */
#define RTX_TUPLE_MAX_LEN UINT64_C(100000000)
#define RTX_OBJECT_MAX_FIELDS (UINT32_C(1) << 20)
#define RTX_CLOSURE_MAX_CAPTURES (UINT32_C(1) << 20)

#endif /* RTX_LAYOUT_H */
