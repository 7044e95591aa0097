/*
 * gpu/vk_spirv.c — rtx_spirv_inspect (see gpu/vk_spirv.h). No spec row
 * lives here; rt_vk_kernel_compile relies on it.
 *
 * One pass records, per id, what the launch path needs (decorations,
 * pointer types, variables, constants); a second look resolves the
 * resources and the local size. Numbers are from the SPIR-V specification
 * (opcodes, enumerants), named below.
 */
#include "gpu/vk_spirv.h"

#include <string.h>

#include "runtime/mem.h"

enum {   /* opcodes */
    OP_EXTENSION = 10, OP_EXT_INST_IMPORT = 11, OP_MEMORY_MODEL = 14, OP_ENTRY_POINT = 15,
    OP_EXECUTION_MODE = 16, OP_CAPABILITY = 17, OP_TYPE_STRUCT = 30, OP_TYPE_POINTER = 32,
    OP_CONSTANT = 43, OP_CONSTANT_COMPOSITE = 44, OP_SPEC_CONSTANT = 50,
    OP_SPEC_CONSTANT_COMPOSITE = 51, OP_FUNCTION = 54, OP_FUNCTION_END = 56, OP_VARIABLE = 59,
    OP_DECORATE = 71,
    OP_EXECUTION_MODE_ID = 331
};
enum {   /* decorations, storage classes, built-ins, modes */
    DEC_SPEC_ID = 1, DEC_BLOCK = 2, DEC_BUFFER_BLOCK = 3, DEC_BUILTIN = 11, DEC_BINDING = 33,
    DEC_DESCRIPTOR_SET = 34, SC_UNIFORM_CONSTANT = 0, SC_UNIFORM = 2, SC_PUSH_CONSTANT = 9,
    SC_STORAGE_BUFFER = 12, BUILTIN_WORKGROUP_SIZE = 25, MODE_LOCAL_SIZE = 17,
    MODEL_GLCOMPUTE = 5
};
enum {   /* capabilities accepted */
    CAP_SHADER = 1, CAP_FLOAT64 = 10, CAP_INT64 = 11, CAP_INT64_ATOMICS = 12, CAP_INT16 = 22
};

/* What one id is, as far as the checks care. */
typedef struct id_info {
    uint8_t op;              /* defining opcode we track (or 0) */
    uint8_t flags;           /* F_* */
    uint32_t set, binding, spec_id;
    uint32_t a, b;           /* pointer: storage class, pointee; constant: value */
    uint32_t first, count;   /* composite: word index of constituents, count */
} id_info;
enum { F_SET = 1, F_BINDING = 2, F_SPEC = 4, F_BLOCK = 8, F_BUFFER_BLOCK = 16, F_WGSIZE = 32 };

typedef struct scan {
    const uint32_t *w;
    size_t n;
    uint32_t bound;
    id_info *ids;
    uint32_t entry, nentry;
    int in_function;           /* between OpFunction and OpFunctionEnd */
    int entry_defined;         /* an OpFunction defines the entry point */
    uint32_t local[3];
    int have_local;
    rtx_spirv_info *out;
} scan;

static int header_ok(const uint32_t *w, size_t n);
static int instruction(scan *s, size_t at, uint32_t op, uint32_t wc);
static int resolve(scan *s);
static int string_ok(const uint32_t *w, size_t from, size_t to, const char **str);

int rtx_spirv_inspect(const uint32_t *words, size_t n, rtx_spirv_info *out)
{
    if (words == NULL || out == NULL || !header_ok(words, n))
        return -1;
    scan s = {.w = words, .n = n, .bound = words[3], .out = out};
    memset(out, 0, sizeof *out);
    s.ids = rtx_calloc(s.bound, sizeof *s.ids);
    if (s.ids == NULL)
        return -1;
    int ok = 1;
    for (size_t at = 5; at < n && ok;) {
        uint32_t wc = words[at] >> 16, op = words[at] & 0xFFFFu;
        if (wc == 0 || wc > n - at) {   /* every instruction must fit */
            ok = 0;
            break;
        }
        ok = instruction(&s, at, op, wc);
        at += wc;
    }
    /* Every function closed (a module cut at an instruction boundary is
     * not), and the entry point names a function this module defines. */
    ok = ok && s.nentry == 1 && !s.in_function && s.entry_defined && resolve(&s);
    rtx_free(s.ids);
    return ok ? 0 : -1;
}

/* ---- helpers ---- */

static int header_ok(const uint32_t *w, size_t n)
{
    if (n < 5 || w[0] != 0x07230203u)
        return 0;
    /* Version 1.0 .. 1.6: 0x00MMmm00. */
    if ((w[1] & 0xFF0000FFu) != 0 || w[1] < 0x00010000u || w[1] > 0x00010600u)
        return 0;
    return w[3] > 0 && w[3] <= RTX_SPIRV_MAX_IDS && w[4] == 0;
}

/* The literal string occupying words [from, to): NUL-terminated inside. */
static int string_ok(const uint32_t *w, size_t from, size_t to, const char **str)
{
    const char *p = (const char *)(w + from);
    size_t max = (to - from) * 4;
    if (from >= to || memchr(p, 0, max) == NULL)
        return 0;
    *str = p;
    return 1;
}

static int id_ok(const scan *s, uint32_t id) { return id > 0 && id < s->bound; }

static int capability(scan *s, uint32_t cap)
{
    switch (cap) {
    case CAP_SHADER: return 1;
    case CAP_FLOAT64: s->out->uses_float64 = 1; return 1;
    case CAP_INT64: s->out->uses_int64 = 1; return 1;
    case CAP_INT64_ATOMICS: s->out->uses_int64_atomics = 1; return 1;
    case CAP_INT16: s->out->uses_int16 = 1; return 1;
    default: return 0;   /* anything else needs features simplert does not enable */
    }
}

static int decorate(scan *s, const uint32_t *w, uint32_t wc)
{
    if (wc < 3 || !id_ok(s, w[1]))
        return 0;
    id_info *t = &s->ids[w[1]];
    switch (w[2]) {
    case DEC_DESCRIPTOR_SET: if (wc < 4) return 0; t->flags |= F_SET; t->set = w[3]; break;
    case DEC_BINDING: if (wc < 4) return 0; t->flags |= F_BINDING; t->binding = w[3]; break;
    case DEC_SPEC_ID: if (wc < 4) return 0; t->flags |= F_SPEC; t->spec_id = w[3]; break;
    case DEC_BLOCK: t->flags |= F_BLOCK; break;
    case DEC_BUFFER_BLOCK: t->flags |= F_BUFFER_BLOCK; break;
    case DEC_BUILTIN:
        if (wc < 4)
            return 0;
        if (w[3] == BUILTIN_WORKGROUP_SIZE)
            t->flags |= F_WGSIZE;
        break;
    default: break;
    }
    return 1;
}

static int instruction(scan *s, size_t at, uint32_t op, uint32_t wc)
{
    const uint32_t *w = s->w + at;
    const char *str;
    switch (op) {
    case OP_CAPABILITY:
        return wc == 2 && capability(s, w[1]);
    case OP_EXTENSION:
        return string_ok(s->w, at + 1, at + wc, &str) &&
               (strcmp(str, "SPV_KHR_storage_buffer_storage_class") == 0 ||
                strcmp(str, "SPV_KHR_shader_atomic_int64") == 0);
    case OP_EXT_INST_IMPORT:
        return wc >= 3 && string_ok(s->w, at + 2, at + wc, &str) &&
               strcmp(str, "GLSL.std.450") == 0;
    case OP_MEMORY_MODEL:   /* Logical addressing, GLSL450 memory model */
        return wc == 3 && w[1] == 0 && w[2] == 1;
    case OP_ENTRY_POINT:
        if (wc < 4 || w[1] != MODEL_GLCOMPUTE || !id_ok(s, w[2]))
            return 0;
        if (!string_ok(s->w, at + 3, at + wc, &str) || strcmp(str, "main") != 0)
            return 0;
        s->entry = w[2];
        s->nentry++;
        return 1;
    case OP_EXECUTION_MODE:
        if (wc < 3)
            return 0;
        if (w[2] == MODE_LOCAL_SIZE) {
            if (wc != 6)
                return 0;
            memcpy(s->local, w + 3, sizeof s->local);
            s->have_local = 1;
        }
        return 1;
    case OP_EXECUTION_MODE_ID:   /* LocalSizeId needs maintenance4: not enabled */
        return 0;
    case OP_DECORATE:
        return decorate(s, w, wc);
    case OP_FUNCTION:
        if (wc != 5 || s->in_function)
            return 0;
        s->in_function = 1;
        if (s->nentry && w[2] == s->entry)
            s->entry_defined = 1;
        return 1;
    case OP_FUNCTION_END:
        if (wc != 1 || !s->in_function)
            return 0;
        s->in_function = 0;
        return 1;
    case OP_TYPE_STRUCT:
        if (wc < 2 || !id_ok(s, w[1]))
            return 0;
        s->ids[w[1]].op = OP_TYPE_STRUCT;
        return 1;
    case OP_TYPE_POINTER:
        if (wc != 4 || !id_ok(s, w[1]))
            return 0;
        s->ids[w[1]].op = OP_TYPE_POINTER;
        s->ids[w[1]].a = w[2];
        s->ids[w[1]].b = w[3];
        return 1;
    case OP_VARIABLE:
        if (wc < 4 || !id_ok(s, w[2]))
            return 0;
        s->ids[w[2]].op = OP_VARIABLE;
        s->ids[w[2]].a = w[1];   /* its pointer type */
        s->ids[w[2]].b = w[3];   /* its storage class */
        return 1;
    case OP_CONSTANT: case OP_SPEC_CONSTANT:
        if (wc < 4 || !id_ok(s, w[2]))
            return 0;
        s->ids[w[2]].op = (uint8_t)op;
        s->ids[w[2]].a = w[3];   /* low word of the value */
        return 1;
    case OP_CONSTANT_COMPOSITE: case OP_SPEC_CONSTANT_COMPOSITE:
        if (wc < 3 || !id_ok(s, w[2]))
            return 0;
        s->ids[w[2]].op = (uint8_t)op;
        s->ids[w[2]].first = (uint32_t)at + 3;
        s->ids[w[2]].count = wc - 3;
        return 1;
    default:
        return 1;
    }
}

/* One local-size dimension from a WorkgroupSize constituent. */
static int wg_dim(scan *s, uint32_t id, int dim)
{
    if (!id_ok(s, id))
        return 0;
    const id_info *c = &s->ids[id];
    if (c->op != OP_CONSTANT && c->op != OP_SPEC_CONSTANT)
        return 0;
    s->out->local[dim] = c->a;
    if (c->op == OP_SPEC_CONSTANT && (c->flags & F_SPEC))
        s->out->spec_id[dim] = c->spec_id;
    return 1;
}

static int resolve(scan *s)
{
    rtx_spirv_info *o = s->out;
    for (int d = 0; d < 3; d++) {
        o->local[d] = s->local[d];
        o->spec_id[d] = RTX_SPIRV_NO_SPEC;
    }
    int have = s->have_local;
    for (uint32_t id = 1; id < s->bound; id++) {
        const id_info *v = &s->ids[id];
        if (v->flags & F_WGSIZE) {
            /* A WorkgroupSize object overrides LocalSize (SPIR-V spec). */
            if ((v->op != OP_CONSTANT_COMPOSITE && v->op != OP_SPEC_CONSTANT_COMPOSITE) ||
                v->count != 3)
                return 0;
            for (int d = 0; d < 3; d++)
                if (!wg_dim(s, s->w[v->first + (uint32_t)d], d))
                    return 0;
            have = 1;
        }
        if (v->op != OP_VARIABLE)
            continue;
        uint32_t sc = v->b;
        if (sc == SC_PUSH_CONSTANT)
            return 0;   /* the pipeline layout has no push-constant range */
        if (sc != SC_UNIFORM && sc != SC_STORAGE_BUFFER && sc != SC_UNIFORM_CONSTANT) {
            if (v->flags & (F_SET | F_BINDING))
                return 0;
            continue;
        }
        /* A resource: must be a storage buffer at set 0, binding < 32. */
        if (sc == SC_UNIFORM_CONSTANT || !(v->flags & F_BINDING) ||
            ((v->flags & F_SET) && v->set != 0) || v->binding >= 32)
            return 0;
        /* One buffer per binding: the variable points at a block struct
         * (not an array of them). StorageBuffer + Block, or the SPIR-V 1.0
         * form Uniform + BufferBlock; Uniform + Block is a uniform buffer,
         * which launches do not bind. */
        if (!id_ok(s, v->a) || s->ids[v->a].op != OP_TYPE_POINTER)
            return 0;
        uint32_t pointee = s->ids[v->a].b;
        if (!id_ok(s, pointee) || s->ids[pointee].op != OP_TYPE_STRUCT)
            return 0;
        uint8_t need = sc == SC_UNIFORM ? F_BUFFER_BLOCK : F_BLOCK;
        if (!(s->ids[pointee].flags & need))
            return 0;
        if (v->binding + 1 > o->nbindings)
            o->nbindings = v->binding + 1;
    }
    if (!have)
        return 0;
    for (int d = 0; d < 3; d++)
        if (o->local[d] == 0)
            return 0;
    return 1;
}
