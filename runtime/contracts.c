/*
 * runtime/contracts.c — contract checks and contract-violation objects.
 *
 * Implements (spec/ffi/contracts.sdn): simple_contract_check,
 * simple_contract_check_msg, rt_contract_violation_new,
 * rt_contract_violation_kind, rt_contract_violation_func_name,
 * rt_contract_violation_message, rt_is_contract_violation,
 * rt_contract_violation_free.
 *
 * A failed check writes its line straight to fd 2 (never into a stderr
 * capture, which the abort would throw away) and calls abort(), as the
 * upstream C runtime does. Violation objects keep upstream's layout; their
 * name and message copies are freed by the type's finalizer, so rt_free
 * and rt_contract_violation_free release the same things.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/heap.h"
#include "runtime/mem.h"
#include "runtime/print.h"
#include "runtime/utf8.h"
#include "simplert/contracts.h"
#include "simplert/value.h"

/* Texts longer than this are cut (never inside a character). */
#define TEXT_MAX_BYTES ((size_t)64 << 10)

typedef struct RtContractViolation {
    RtHeapHeader hdr;
    uint8_t kind;          /* 0..5 */
    const uint8_t *func_name;   /* NUL-terminated copy, never NULL */
    size_t func_name_len;
    const uint8_t *message;     /* NUL-terminated copy, or NULL: no message */
    size_t message_len;
} RtContractViolation;

_Static_assert(offsetof(RtContractViolation, kind) == 8 &&
                   offsetof(RtContractViolation, func_name) == 16 &&
                   offsetof(RtContractViolation, func_name_len) == 24 &&
                   offsetof(RtContractViolation, message) == 32 &&
                   offsetof(RtContractViolation, message_len) == 40,
               "upstream RuntimeContractViolation layout");

typedef struct text_view {
    const uint8_t *p;
    size_t n;
} text_view;

static const char *kind_name(int64_t kind);
static int64_t kind_of(int64_t kind);
static text_view name_of(const uint8_t *p, int64_t len);
static text_view message_of(const uint8_t *p, int64_t len);
static void fail(int64_t kind, text_view name, text_view msg) __attribute__((noreturn));
static void violation_finalize(RtHeapHeader *h);

RTX_FINALIZER(RT_HEAP_CONTRACT_VIOLATION, violation_finalize)

RT_API void simple_contract_check(int64_t condition, int64_t kind, const uint8_t *func_name,
                                  int64_t func_name_len)
{
    if (condition != 0)
        return;
    fail(kind, name_of(func_name, func_name_len), (text_view){NULL, 0});
}

RT_API void simple_contract_check_msg(int64_t condition, int64_t kind, const uint8_t *func_name,
                                      int64_t func_name_len, const uint8_t *message,
                                      int64_t message_len)
{
    if (condition != 0)
        return;
    fail(kind, name_of(func_name, func_name_len), message_of(message, message_len));
}

RT_API RtValue rt_contract_violation_new(int64_t kind, const uint8_t *func_name,
                                         int64_t func_name_len, const uint8_t *message,
                                         int64_t message_len)
{
    text_view name = name_of(func_name, func_name_len);
    text_view msg = message_of(message, message_len);
    uint8_t *name_copy = (uint8_t *)rtx_strndup((const char *)name.p, name.n);
    uint8_t *msg_copy = msg.p ? (uint8_t *)rtx_strndup((const char *)msg.p, msg.n) : NULL;
    RtContractViolation *v = NULL;
    if (name_copy && (msg.p == NULL || msg_copy))
        v = (RtContractViolation *)rtx_heap_alloc(RT_HEAP_CONTRACT_VIOLATION, sizeof *v);
    if (v == NULL) {
        rtx_free(name_copy);
        rtx_free(msg_copy);
        return RT_NIL;
    }
    v->kind = (uint8_t)kind_of(kind);
    v->func_name = name_copy;
    v->func_name_len = name.n;
    v->message = msg_copy;
    v->message_len = msg_copy ? msg.n : 0;
    return rtx_heap_value(&v->hdr);
}

RT_API int64_t rt_contract_violation_kind(RtValue violation)
{
    const RtContractViolation *v =
        (const RtContractViolation *)rtx_heap_get(violation, RT_HEAP_CONTRACT_VIOLATION);
    return v ? v->kind : -1;
}

RT_API RtValue rt_contract_violation_func_name(RtValue violation)
{
    const RtContractViolation *v =
        (const RtContractViolation *)rtx_heap_get(violation, RT_HEAP_CONTRACT_VIOLATION);
    return v ? rt_string_new(v->func_name, v->func_name_len) : RT_NIL;
}

RT_API RtValue rt_contract_violation_message(RtValue violation)
{
    const RtContractViolation *v =
        (const RtContractViolation *)rtx_heap_get(violation, RT_HEAP_CONTRACT_VIOLATION);
    return v && v->message ? rt_string_new(v->message, v->message_len) : RT_NIL;
}

RT_API int64_t rt_is_contract_violation(RtValue value)
{
    return rtx_heap_get(value, RT_HEAP_CONTRACT_VIOLATION) != NULL;
}

RT_API void rt_contract_violation_free(RtValue violation)
{
    /* Only violations: a live object of another type is left alone. The
     * registry makes a second free (or a stale word) a no-op. */
    if (rtx_heap_get(violation, RT_HEAP_CONTRACT_VIOLATION))
        (void)rtx_heap_free(violation);
}

/* ---- static helpers ---- */

static int64_t kind_of(int64_t kind)
{
    return kind >= 0 && kind <= 5 ? kind : 0;   /* unknown kinds: Precondition */
}

static const char *kind_name(int64_t kind)
{
    static const char *const names[] = {"Precondition",    "Postcondition",
                                        "Error postcondition", "Entry invariant",
                                        "Exit invariant",  "Assertion"};
    return names[kind_of(kind)];
}

/* At most TEXT_MAX_BYTES of p, never ending inside a character. */
static text_view cut(const uint8_t *p, int64_t len)
{
    size_t n = (uint64_t)len > TEXT_MAX_BYTES ? rtx_utf8_cut(p, TEXT_MAX_BYTES) : (size_t)len;
    return (text_view){p, n};
}

static text_view name_of(const uint8_t *p, int64_t len)
{
    static const char unknown[] = "<unknown>", invalid[] = "<invalid UTF-8>";
    if (p == NULL || len <= 0)
        return (text_view){(const uint8_t *)unknown, sizeof unknown - 1};
    text_view t = cut(p, len);
    if (!rtx_utf8_valid(t.p, t.n))
        return (text_view){(const uint8_t *)invalid, sizeof invalid - 1};
    return t;
}

/* p == NULL in the answer means "no message". */
static text_view message_of(const uint8_t *p, int64_t len)
{
    if (p == NULL || len <= 0)
        return (text_view){NULL, 0};
    text_view t = cut(p, len);
    return rtx_utf8_valid(t.p, t.n) ? t : (text_view){NULL, 0};
}

static void fail(int64_t kind, text_view name, text_view msg)
{
    const char *k = kind_name(kind);
    struct iovec iov[RTX_IOV_MAX];
    int n = 0;
    iov[n++] = (struct iovec){(void *)k, strlen(k)};
    iov[n++] = (struct iovec){(void *)" violation in function '", 24};
    iov[n++] = (struct iovec){(void *)name.p, name.n};
    iov[n++] = (struct iovec){(void *)"': contract condition failed", 28};
    if (msg.p) {
        iov[n++] = (struct iovec){(void *)" (", 2};
        iov[n++] = (struct iovec){(void *)msg.p, msg.n};
        iov[n++] = (struct iovec){(void *)")", 1};
    }
    iov[n++] = (struct iovec){(void *)"\n", 1};
    rtx_print_raw_stderr(iov, n);
    abort();
}

static void violation_finalize(RtHeapHeader *h)
{
    RtContractViolation *v = (RtContractViolation *)h;
    rtx_free((void *)v->func_name);
    rtx_free((void *)v->message);
    v->func_name = v->message = NULL;
}
