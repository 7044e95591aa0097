// gpu/kernels/atomic_table.cu — the CUDA side of the cross-backend atomic
// table (gpu/atomic_cases.h), the same contract as
// gpu/shaders/atomic_table.comp: block row y works on words[y]; thread
// x < rows[y].items applies the row's operation with opa/opb[first + x]
// and stores the old value it got back. Operation numbers: enum rtx_ac_op.
//
// The library never needs nvcc: atomic_table.ptx beside this file is the
// committed output of `make gpu-ptx` (nvcc -ptx -arch=compute_75), and
// mk/gpu.mk regenerates and compares it whenever nvcc is installed.
struct Row { unsigned op, items, first, pad; };

typedef unsigned long long u64;

#define TABLE_KERNEL(NAME, T, U, S)                                                      \
    extern "C" __global__ void NAME(const Row *rows, T *words, const T *opa, const T *opb, \
                                    T *olds)                                             \
    {                                                                                    \
        unsigned r = blockIdx.y;                                                         \
        unsigned i = blockIdx.x * blockDim.x + threadIdx.x;                              \
        if (i >= rows[r].items)                                                          \
            return;                                                                      \
        unsigned k = rows[r].first + i;                                                  \
        U *w = (U *)&words[r];                                                           \
        U x = (U)opa[k], y = (U)opb[k], old = 0;                                         \
        switch (rows[r].op) {                                                            \
        case 0: old = atomicAdd(w, x); break;                                            \
        case 1: old = atomicAdd(w, (U)0 - x); break;                                     \
        case 2: old = (U)atomicMin((S *)w, (S)x); break;                                 \
        case 3: old = (U)atomicMax((S *)w, (S)x); break;                                 \
        case 4: old = atomicAnd(w, x); break;                                            \
        case 5: old = atomicOr(w, x); break;                                             \
        case 6: old = atomicXor(w, x); break;                                            \
        case 7: old = atomicExch(w, x); break;                                           \
        case 8: old = atomicCAS(w, x, y); break;                                         \
        case 9: {                                                                        \
            old = atomicAdd(w, (U)0);                                                    \
            for (;;) {                                                                   \
                U got = atomicCAS(w, old, old + x);                                      \
                if (got == old)                                                          \
                    break;                                                               \
                old = got;                                                               \
            }                                                                            \
            break;                                                                       \
        }                                                                                \
        default: break;                                                                  \
        }                                                                                \
        olds[k] = (T)old;                                                                \
    }

// Words of each type; U is the unsigned type the wrapping operations use,
// S the type whose order min and max follow.
TABLE_KERNEL(atomic_table_i32, int, unsigned, int)
TABLE_KERNEL(atomic_table_u32, unsigned, unsigned, unsigned)
TABLE_KERNEL(atomic_table_i64, long long, u64, long long)
