/*
 * gpu/vk_spirv.h — structural validation and reflection of compute
 * SPIR-V, run by rt_vk_kernel_compile before anything reaches the driver.
 *
 * Drivers trust SPIR-V: a malformed module can crash them, and there is no
 * C validator to link. This checks what the launch path depends on and
 * what makes a module plainly unusable: the header, that every instruction
 * fits, one GLCompute entry point named "main", a local size, a known set
 * of capabilities and extensions, and resources that are storage buffers
 * in descriptor set 0 (the only thing rt_vk_kernel_launch binds). It is
 * not a full validator (spirv-val is): semantically wrong modules that pass
 * it reach the driver, which rejects them with CompilationFailed.
 */
#ifndef RTX_VK_SPIRV_H
#define RTX_VK_SPIRV_H

#include <stddef.h>
#include <stdint.h>

#define RTX_SPIRV_MAX_BYTES (64u << 20)   /* larger modules are refused */
#define RTX_SPIRV_MAX_IDS 65536u          /* id bound limit */
#define RTX_SPIRV_NO_SPEC UINT32_MAX

typedef struct rtx_spirv_info {
    uint32_t nbindings;    /* storage buffers at set 0, bindings 0..nbindings-1 */
    uint32_t local[3];     /* the declared (default) local size */
    uint32_t spec_id[3];   /* SpecId of a specialisable dimension, else RTX_SPIRV_NO_SPEC */
    int uses_int64, uses_int64_atomics, uses_float64, uses_int16;
} rtx_spirv_info;

/* 0 and *out filled when the module passes; -1 otherwise. words must be
 * 4-byte aligned; n is the number of 32-bit words. */
int rtx_spirv_inspect(const uint32_t *words, size_t n, rtx_spirv_info *out);

#endif /* RTX_VK_SPIRV_H */
