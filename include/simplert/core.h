/*
 * simplert/core.h — the value word, its constants, and the types shared by
 * every FFI family. Included by every family header; declares no functions.
 *
 * The encoding matches the upstream Rust runtime bit for bit
 * (upstream-abi.md §1.1): the low 3 bits of an RtValue are its tag.
 *
 *   tag 0 INT      (int64_t)v >> 3, 61-bit payload; wider ints are boxed
 *   tag 1 HEAP     8-aligned pointer | 1, validated against the registry
 *   tag 2 FLOAT    (f64 bits & ~7) | 2 — the 3 low mantissa bits are lost
 *   tag 3 SPECIAL  NIL 0x03, TRUE 0x0B, FALSE 0x13, symbols payload>=3
 */
#ifndef SIMPLERT_CORE_H
#define SIMPLERT_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(SIMPLERT_BUILDING) && defined(__GNUC__)
#define RT_API __attribute__((visibility("default")))
#else
#define RT_API
#endif

typedef uint64_t RtValue;

#define RT_TAG_MASK    UINT64_C(7)
#define RT_TAG_INT     UINT64_C(0)
#define RT_TAG_HEAP    UINT64_C(1)
#define RT_TAG_FLOAT   UINT64_C(2)
#define RT_TAG_SPECIAL UINT64_C(3)

#define RT_NIL   ((RtValue)0x03)
#define RT_TRUE  ((RtValue)0x0B)
#define RT_FALSE ((RtValue)0x13)

/* Smallest and largest ints stored inline (61-bit two's complement). */
#define RT_INT_INLINE_MIN (-(INT64_C(1) << 60))
#define RT_INT_INLINE_MAX ((INT64_C(1) << 60) - 1)

/* Heap object type numbers (upstream HeapObjectType, plus 0x1D). */
enum RtHeapType {
    RT_HEAP_STRING = 0x01, RT_HEAP_ARRAY = 0x02, RT_HEAP_DICT = 0x03,
    RT_HEAP_TUPLE = 0x04, RT_HEAP_OBJECT = 0x05, RT_HEAP_CLOSURE = 0x06,
    RT_HEAP_ENUM = 0x07, RT_HEAP_FUTURE = 0x08, RT_HEAP_GENERATOR = 0x09,
    RT_HEAP_ACTOR = 0x0A, RT_HEAP_UNIQUE = 0x0B, RT_HEAP_SHARED = 0x0C,
    RT_HEAP_BORROW = 0x0D, RT_HEAP_CHANNEL = 0x0E, RT_HEAP_WEAK = 0x0F,
    RT_HEAP_CONTRACT_VIOLATION = 0x10, RT_HEAP_MUTEX = 0x11,
    RT_HEAP_RWLOCK = 0x12, RT_HEAP_SEMAPHORE = 0x13, RT_HEAP_BARRIER = 0x14,
    RT_HEAP_ATOMIC = 0x15, RT_HEAP_MONOIO_FUTURE = 0x16,
    RT_HEAP_HASHMAP = 0x17, RT_HEAP_BTREEMAP = 0x18, RT_HEAP_HASHSET = 0x19,
    RT_HEAP_BTREESET = 0x1A, RT_HEAP_FFI_OBJECT = 0x1B, RT_HEAP_FLOAT = 0x1C,
    /* simplert extension: an int that does not fit 61 bits (never truncated). */
    RT_HEAP_BIGINT = 0x1D
};

/* The 8-byte header every heap object starts with (upstream HeapHeader). */
typedef struct RtHeapHeader {
    uint8_t object_type;  /* enum RtHeapType */
    uint8_t gc_flags;
    uint16_t reserved;
    uint32_t size;        /* object size incl. header; saturates at UINT32_MAX */
} RtHeapHeader;

/* Code pointers that cross the boundary (upstream-abi.md §1.3b). */
typedef RtValue (*RtFn0)(void);
typedef RtValue (*RtFn1)(RtValue);
typedef RtValue (*RtFn2)(RtValue, RtValue);
typedef void (*RtKernelFn)(void);

/* Multi-value returns (net): two int64 words come back in RAX:RDX (SysV) or
 * x0:x1 (AAPCS64); three come back through the hidden sret pointer. */
typedef struct RtPair { int64_t v0, v1; } RtPair;
typedef struct RtTriple { int64_t v0, v1, v2; } RtTriple;

#ifdef __cplusplus
}
#endif
#endif /* SIMPLERT_CORE_H */
