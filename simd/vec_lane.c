/*
 * simd/vec_lane.c — lane access, shuffles, loads and stores.
 *
 * Implements (spec/ffi/vec.sdn): rt_vec_extract, rt_vec_with,
 * rt_vec_shuffle, rt_vec_blend, rt_vec_select, rt_vec_load, rt_vec_store,
 * rt_vec_gather, rt_vec_scatter, rt_vec_masked_load, rt_vec_masked_store,
 * rt_neighbor_load. These move words without arithmetic, so they have no
 * fast path: each is a bounds-checked loop over the validated arrays.
 *
 * Writes (store, scatter, masked_store) read every input lane before the
 * first write, so a vector that is also the target (or the index array)
 * gives the same result as separate arrays.
 */
#include "runtime/lane.h"
#include "runtime/mem.h"
#include "simd/vec_internal.h"
#include "simplert/value.h"
#include "simplert/vec.h"

static size_t min_len(size_t a, size_t b) { return a < b ? a : b; }

/* A new array of n lanes (its buffer to fill); NULL on OOM. */
static RtArray *result_array(size_t n, RtValue *out)
{
    *out = rt_array_new(n);
    return *out == RT_NIL ? NULL : rtx_vec_array(*out);
}

/* The index an int lane names in [0, len), or -1 (not an int, or outside). */
static int64_t lane_index(RtValue v, size_t len)
{
    int64_t i = 0;
    double f;
    if (rtx_vec_class(v, &i, &f) != RTX_VEC_INT || i < 0 || (uint64_t)i >= len)
        return -1;
    return i;
}

/* offset < 0 reads as 0 (upstream's offset.max(0)). */
static size_t start_of(int64_t offset) { return offset < 0 ? 0 : (size_t)offset; }

/* A private copy of n words when the lanes might be overwritten while they
 * are still to be read (the source is also the target); NULL on OOM. */
static const RtValue *stable(const RtArray *src, const RtArray *dst, size_t n, RtValue **copy)
{
    *copy = NULL;
    if (src != dst || n == 0)
        return src->data;
    *copy = rtx_malloc(n * sizeof(RtValue));
    if (*copy)
        memcpy(*copy, src->data, n * sizeof(RtValue));
    return *copy;
}

RT_API RtValue rt_vec_extract(RtValue vec, int64_t index)
{
    const RtArray *a = rtx_vec_array(vec);
    if (a == NULL || index < 0 || (uint64_t)index >= a->len)
        return RT_NIL;
    return a->data[index];
}

RT_API RtValue rt_vec_with(RtValue vec, int64_t index, RtValue value)
{
    const RtArray *a = rtx_vec_array(vec);
    RtValue out;
    RtArray *r = a ? result_array(a->len, &out) : NULL;
    if (r == NULL)
        return RT_NIL;
    if (a->len)
        memcpy(r->data, a->data, a->len * sizeof(RtValue));
    if (index >= 0 && (uint64_t)index < a->len)
        r->data[index] = value;
    r->len = a->len;
    return out;
}

/* shuffle and gather: lane i = src[indices[i]], NIL for a bad index. */
static RtValue gather(RtValue src, RtValue indices)
{
    const RtArray *s = rtx_vec_array(src), *ix = rtx_vec_array(indices);
    if (s == NULL || ix == NULL)
        return RT_NIL;
    RtValue out;
    RtArray *r = result_array(ix->len, &out);
    if (r == NULL)
        return RT_NIL;
    for (size_t i = 0; i < ix->len; i++) {
        int64_t k = lane_index(ix->data[i], s->len);
        r->data[i] = k < 0 ? RT_NIL : s->data[k];
    }
    r->len = ix->len;
    return out;
}

RT_API RtValue rt_vec_shuffle(RtValue src, RtValue indices) { return gather(src, indices); }
RT_API RtValue rt_vec_gather(RtValue array, RtValue indices) { return gather(array, indices); }

RT_API RtValue rt_vec_blend(RtValue a, RtValue b, RtValue mask)
{
    const RtArray *x = rtx_vec_array(a), *y = rtx_vec_array(b), *m = rtx_vec_array(mask);
    if (x == NULL || y == NULL || m == NULL)
        return RT_NIL;
    size_t n = min_len(min_len(x->len, y->len), m->len);
    RtValue out;
    RtArray *r = result_array(n, &out);
    if (r == NULL)
        return RT_NIL;
    for (size_t i = 0; i < n; i++)
        r->data[i] = rt_value_truthy(m->data[i]) ? x->data[i] : y->data[i];
    r->len = n;
    return out;
}

RT_API RtValue rt_vec_select(RtValue mask, RtValue if_true, RtValue if_false)
{
    return rt_vec_blend(if_true, if_false, mask);
}

RT_API RtValue rt_vec_load(RtValue array, int64_t offset, int64_t lanes)
{
    const RtArray *a = rtx_vec_array(array);
    if (a == NULL || lanes > RTX_VEC_MAX_LOAD)
        return RT_NIL;
    size_t want = lanes <= 0 ? RTX_VEC_DEFAULT_LOAD : (size_t)lanes;
    size_t start = start_of(offset);
    size_t n = start >= a->len ? 0 : min_len(want, a->len - start);
    RtValue out;
    RtArray *r = result_array(n, &out);
    if (r == NULL)
        return RT_NIL;
    if (n)
        memcpy(r->data, a->data + start, n * sizeof(RtValue));
    r->len = n;
    return out;
}

RT_API void rt_vec_store(RtValue vec, RtValue array, int64_t offset)
{
    const RtArray *v = rtx_vec_array(vec);
    RtArray *a = rtx_vec_array(array);
    size_t start = start_of(offset);
    if (v == NULL || a == NULL || start >= a->len)
        return;
    /* memmove: the same array as vec and target reads its lanes first */
    memmove(a->data + start, v->data, min_len(v->len, a->len - start) * sizeof(RtValue));
}

RT_API void rt_vec_scatter(RtValue vec, RtValue array, RtValue indices)
{
    const RtArray *v = rtx_vec_array(vec), *ix = rtx_vec_array(indices);
    RtArray *a = rtx_vec_array(array);
    if (v == NULL || a == NULL || ix == NULL)
        return;
    size_t n = min_len(v->len, ix->len);
    RtValue *vcopy, *icopy;
    const RtValue *vd = stable(v, a, n, &vcopy), *id = stable(ix, a, n, &icopy);
    if ((n && vd == NULL) || (n && id == NULL)) {
        rtx_free(vcopy);   /* out of memory for a copy: nothing written */
        rtx_free(icopy);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        int64_t k = lane_index(id[i], a->len);
        if (k >= 0)
            a->data[k] = vd[i];
    }
    rtx_free(vcopy);
    rtx_free(icopy);
}

RT_API RtValue rt_vec_masked_load(RtValue array, int64_t offset, RtValue mask, RtValue defaults)
{
    const RtArray *a = rtx_vec_array(array), *m = rtx_vec_array(mask),
                  *d = rtx_vec_array(defaults);
    if (a == NULL || m == NULL || d == NULL)
        return RT_NIL;
    size_t n = min_len(m->len, d->len), start = start_of(offset);
    RtValue out;
    RtArray *r = result_array(n, &out);
    if (r == NULL)
        return RT_NIL;
    for (size_t i = 0; i < n; i++) {
        /* start + i cannot wrap: start <= INT64_MAX and i < 10^8 */
        int load = rt_value_truthy(m->data[i]) && start + i < a->len;
        r->data[i] = load ? a->data[start + i] : d->data[i];
    }
    r->len = n;
    return out;
}

RT_API void rt_vec_masked_store(RtValue vec, RtValue array, int64_t offset, RtValue mask)
{
    const RtArray *v = rtx_vec_array(vec), *m = rtx_vec_array(mask);
    RtArray *a = rtx_vec_array(array);
    size_t start = start_of(offset);
    if (v == NULL || a == NULL || m == NULL || start >= a->len)
        return;
    size_t n = min_len(min_len(v->len, m->len), a->len - start);
    RtValue *vcopy, *mcopy;
    const RtValue *vd = stable(v, a, n, &vcopy), *md = stable(m, a, n, &mcopy);
    if ((n && vd == NULL) || (n && md == NULL)) {
        rtx_free(vcopy);
        rtx_free(mcopy);
        return;
    }
    for (size_t i = 0; i < n; i++)
        if (rt_value_truthy(md[i]))
            a->data[start + i] = vd[i];
    rtx_free(vcopy);
    rtx_free(mcopy);
}

RT_API RtValue rt_neighbor_load(RtValue array, int64_t direction)
{
    const RtArray *a = rtx_vec_array(array);
    if (a == NULL || a->len == 0 || (direction != 0 && direction != 1))
        return RT_NIL;
    int64_t lane = 0, n = (int64_t)a->len;   /* len <= 10^8: fits */
    if (!rtx_lane_current(&lane))
        lane = 0;
    int64_t i = lane % n;   /* C truncates toward zero: make it the mathematical mod */
    if (i < 0)
        i += n;
    return a->data[direction == 0 ? (i + n - 1) % n : (i + 1) % n];
}
