// gpu/shaders/atomic_table.comp — the device side of the cross-backend
// atomic table (gpu/atomic_cases.h). Built three times by mk/gpu.mk, with
// AT_I32, AT_U32 or AT_I64 defined, into build/gen/gpu_gen/atomic_table_<t>.spv.
//
// One dispatch runs every row of one word type: work-group row y works on
// words[y]; invocation x < rows[y].items applies the row's operation with
// its operands opa/opb[first + x] and stores the old value it got back.
// Operation numbers are enum rtx_ac_op. Subtraction is addition of the
// two's-complement negation (GLSL has no atomicSub); the compare-exchange
// loop (op 9) is how kernels build read-modify-writes the hardware lacks.
#version 450
#if defined(AT_I64)
#extension GL_ARB_gpu_shader_int64 : require
#extension GL_EXT_shader_atomic_int64 : require
#define T int64_t
#elif defined(AT_U32)
#define T uint
#else
#define T int
#endif

layout(local_size_x = 64, local_size_y = 1, local_size_z = 1) in;

struct Row { uint op; uint items; uint first; uint pad; };
layout(std430, set = 0, binding = 0) readonly buffer Rows { Row rows[]; };
layout(std430, set = 0, binding = 1) buffer Words { T words[]; };
layout(std430, set = 0, binding = 2) readonly buffer OpA { T opa[]; };
layout(std430, set = 0, binding = 3) readonly buffer OpB { T opb[]; };
layout(std430, set = 0, binding = 4) writeonly buffer Olds { T olds[]; };

void main()
{
    uint r = gl_WorkGroupID.y;
    uint i = gl_GlobalInvocationID.x;
    if (i >= rows[r].items)
        return;
    uint k = rows[r].first + i;
    T x = opa[k];
    T y = opb[k];
    T old = T(0);
    switch (rows[r].op) {
    case 0u: old = atomicAdd(words[r], x); break;
    case 1u: old = atomicAdd(words[r], T(0) - x); break;
    case 2u: old = atomicMin(words[r], x); break;
    case 3u: old = atomicMax(words[r], x); break;
    case 4u: old = atomicAnd(words[r], x); break;
    case 5u: old = atomicOr(words[r], x); break;
    case 6u: old = atomicXor(words[r], x); break;
    case 7u: old = atomicExchange(words[r], x); break;
    case 8u: old = atomicCompSwap(words[r], x, y); break;
    case 9u: {
        old = atomicAdd(words[r], T(0));   // an atomic read
        for (;;) {
            T got = atomicCompSwap(words[r], old, old + x);
            if (got == old)
                break;
            old = got;
        }
        break;
    }
    default: break;
    }
    olds[k] = old;
}
