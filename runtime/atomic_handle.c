/*
 * runtime/atomic_handle.c — integer-handle atomics: int, bool and flag.
 *
 * Implements spec/ffi/atomic.sdn: rt_atomic_int_new, _load, _store, _swap,
 * _compare_exchange, _fetch_add, _fetch_sub, _fetch_and, _fetch_or,
 * _fetch_xor, _free; rt_atomic_bool_new, _load, _store, _swap, _free;
 * rt_atomic_flag_new, _test_and_set, _clear, _free.
 *
 * Every operation is sequentially consistent, as upstream. Each kind has its
 * own handle table (so a bool handle is no int handle) and the three share
 * one pool of type-stable cells (cell.h): an operation never takes a lock.
 * Bools and flags are stored as 0 or 1 in the same 64-bit word.
 */
#include "runtime/cell.h"
#include "simplert/atomic.h"

typedef struct acell {
    rtx_cell c;
    _Atomic int64_t value;
} acell;

static rtx_handle_table ints = RTX_HANDLE_TABLE_INIT(RTX_HK_ATOMIC_INT, "atomic_int");
static rtx_handle_table bools = RTX_HANDLE_TABLE_INIT(RTX_HK_ATOMIC_BOOL, "atomic_bool");
static rtx_handle_table flags = RTX_HANDLE_TABLE_INIT(RTX_HK_ATOMIC_FLAG, "atomic_flag");
static rtx_cell_pool pool = RTX_CELL_POOL_INIT(acell);

enum op { OP_LOAD, OP_SWAP, OP_ADD, OP_SUB, OP_AND, OP_OR, OP_XOR };

static int64_t create(rtx_handle_table *t, int64_t initial);
static void destroy(rtx_handle_table *t, int64_t handle);
static int64_t apply(rtx_handle_table *t, int64_t handle, enum op op, int64_t v);
static void store(rtx_handle_table *t, int64_t handle, int64_t v);

/* ---- int ---- */

RT_API int64_t rt_atomic_int_new(int64_t initial) { return create(&ints, initial); }
RT_API int64_t rt_atomic_int_load(int64_t handle) { return apply(&ints, handle, OP_LOAD, 0); }
RT_API void rt_atomic_int_store(int64_t handle, int64_t value) { store(&ints, handle, value); }
RT_API int64_t rt_atomic_int_swap(int64_t handle, int64_t value)
{
    return apply(&ints, handle, OP_SWAP, value);
}

RT_API int64_t rt_atomic_int_compare_exchange(int64_t handle, int64_t current, int64_t desired)
{
    acell *a = rtx_cell_enter(&ints, (uint64_t)handle);
    if (a == NULL)
        return 0;
    bool ok = atomic_compare_exchange_strong(&a->value, &current, desired);
    rtx_cell_leave(a);
    return ok ? 1 : 0;
}

RT_API int64_t rt_atomic_int_fetch_add(int64_t handle, int64_t value)
{
    return apply(&ints, handle, OP_ADD, value);
}
RT_API int64_t rt_atomic_int_fetch_sub(int64_t handle, int64_t value)
{
    return apply(&ints, handle, OP_SUB, value);
}
RT_API int64_t rt_atomic_int_fetch_and(int64_t handle, int64_t value)
{
    return apply(&ints, handle, OP_AND, value);
}
RT_API int64_t rt_atomic_int_fetch_or(int64_t handle, int64_t value)
{
    return apply(&ints, handle, OP_OR, value);
}
RT_API int64_t rt_atomic_int_fetch_xor(int64_t handle, int64_t value)
{
    return apply(&ints, handle, OP_XOR, value);
}
RT_API void rt_atomic_int_free(int64_t handle) { destroy(&ints, handle); }

/* ---- bool: any non-zero argument is true; results are 0 or 1 ---- */

RT_API int64_t rt_atomic_bool_new(int64_t initial) { return create(&bools, initial != 0); }
RT_API int64_t rt_atomic_bool_load(int64_t handle) { return apply(&bools, handle, OP_LOAD, 0); }
RT_API void rt_atomic_bool_store(int64_t handle, int64_t value) { store(&bools, handle, value != 0); }
RT_API int64_t rt_atomic_bool_swap(int64_t handle, int64_t value)
{
    return apply(&bools, handle, OP_SWAP, value != 0);
}
RT_API void rt_atomic_bool_free(int64_t handle) { destroy(&bools, handle); }

/* ---- flag ---- */

RT_API int64_t rt_atomic_flag_new(void) { return create(&flags, 0); }
RT_API int64_t rt_atomic_flag_test_and_set(int64_t handle) { return apply(&flags, handle, OP_SWAP, 1); }
RT_API void rt_atomic_flag_clear(int64_t handle) { store(&flags, handle, 0); }
RT_API void rt_atomic_flag_free(int64_t handle) { destroy(&flags, handle); }

/* ---- helpers ---- */

static int64_t create(rtx_handle_table *t, int64_t initial)
{
    int fresh;
    acell *a = rtx_cell_take(&pool, &fresh);
    if (a == NULL)
        return 0;
    atomic_store(&a->value, initial);
    /* The handle table publishes the cell with release ordering. */
    uint64_t h = rtx_handle_new(t, a);
    if (h == 0)
        rtx_cell_give(&pool, a);
    return (int64_t)h;
}

static void destroy(rtx_handle_table *t, int64_t handle)
{
    acell *a = rtx_cell_retire(t, (uint64_t)handle);
    if (a != NULL)
        rtx_cell_give(&pool, a);
}

static void store(rtx_handle_table *t, int64_t handle, int64_t v)
{
    acell *a = rtx_cell_enter(t, (uint64_t)handle);
    if (a == NULL)
        return;
    atomic_store(&a->value, v);
    rtx_cell_leave(a);
}

/* Wrapping arithmetic: C11 atomic add/sub on int64 wrap without UB. */
static int64_t apply(rtx_handle_table *t, int64_t handle, enum op op, int64_t v)
{
    acell *a = rtx_cell_enter(t, (uint64_t)handle);
    if (a == NULL)
        return 0;
    int64_t old = 0;
    switch (op) {
    case OP_LOAD: old = atomic_load(&a->value); break;
    case OP_SWAP: old = atomic_exchange(&a->value, v); break;
    case OP_ADD: old = atomic_fetch_add(&a->value, v); break;
    case OP_SUB: old = atomic_fetch_sub(&a->value, v); break;
    case OP_AND: old = atomic_fetch_and(&a->value, v); break;
    case OP_OR: old = atomic_fetch_or(&a->value, v); break;
    case OP_XOR: old = atomic_fetch_xor(&a->value, v); break;
    }
    rtx_cell_leave(a);
    return old;
}
