# mk/gpu.mk — build steps of the GPU families (gpu, gpu_atomic, gpu_backend, vk).
#
# The library itself needs none of this: libsimplert loads Vulkan and CUDA
# with dlopen and embeds no kernel. The suites, fuzz targets and benchmarks
# do, and get them from build/gen/gpu_gen/:
#
#   shaders.h   every gpu/shaders/*.comp compiled by glslangValidator to
#               SPIR-V 1.0 (atomic_table.comp three times: AT_I32, AT_U32,
#               AT_I64), each checked by spirv-val in the same rule, embedded
#               as uint32_t arrays rtx_spv_<name>[] and rtx_spv_<name>_len.
#   ptx.h       gpu/kernels/atomic_table.ptx as the string rtx_ptx_atomic_table.
#
# PTX. The .ptx is committed, so no machine needs nvcc. `make gpu-ptx`
# rebuilds it from atomic_table.cu with nvcc (-arch=compute_75, nvcc 13's
# lowest target) and lowers the `.version` line to 6.3, the lowest PTX ISA
# that knows sm_75, so drivers back to CUDA 10 load it. Whenever ptx.h is
# built: if ptxas is installed the committed PTX must assemble for sm_75,
# and if nvcc of the same version as the one named in the PTX header is
# installed, a fresh build must equal the committed file (comment lines
# aside) or the build fails — a stale or hand-edited PTX cannot slip in.

GPU_GEN := build/gen/gpu_gen
GLSLANG ?= glslangValidator
SPIRV_VAL ?= spirv-val
NVCC ?= $(firstword $(shell command -v nvcc 2>/dev/null) $(wildcard /usr/local/cuda/bin/nvcc))
PTXAS ?= $(firstword $(shell command -v ptxas 2>/dev/null) $(wildcard /usr/local/cuda/bin/ptxas))
GPU_PTX_ISA := 6.3

GPU_COMP := $(filter-out gpu/shaders/atomic_table.comp,$(wildcard gpu/shaders/*.comp))
GPU_SPV := $(patsubst gpu/shaders/%.comp,$(GPU_GEN)/%.spv,$(GPU_COMP)) \
           $(addprefix $(GPU_GEN)/atomic_table_,i32.spv u32.spv i64.spv)
GPU_GEN_HDRS := $(GPU_GEN)/shaders.h $(GPU_GEN)/ptx.h

define gpu_glslang
	@mkdir -p $(@D)
	@command -v $(GLSLANG) >/dev/null || { echo "mk/gpu.mk: $(GLSLANG) not found (ci/deps.sh installs glslang-tools)"; exit 1; }
	$(Q)$(GLSLANG) -V --target-env vulkan1.0 $(1) -o $@ $< >/dev/null
	$(Q)$(SPIRV_VAL) --target-env vulkan1.0 $@
endef

$(GPU_GEN)/atomic_table_i32.spv: gpu/shaders/atomic_table.comp
	$(call gpu_glslang,-DAT_I32)
$(GPU_GEN)/atomic_table_u32.spv: gpu/shaders/atomic_table.comp
	$(call gpu_glslang,-DAT_U32)
$(GPU_GEN)/atomic_table_i64.spv: gpu/shaders/atomic_table.comp
	$(call gpu_glslang,-DAT_I64)
$(GPU_GEN)/%.spv: gpu/shaders/%.comp
	$(call gpu_glslang,)

$(GPU_GEN)/shaders.h: $(GPU_SPV) mk/gpu-embed.sh
	$(Q)mk/gpu-embed.sh spv $@ $(foreach f,$(GPU_SPV),rtx_spv_$(basename $(notdir $(f)))=$(f))

$(GPU_GEN)/ptx.h: gpu/kernels/atomic_table.ptx gpu/kernels/atomic_table.cu mk/gpu-embed.sh
	@mkdir -p $(@D)
	$(Q)if [ -n "$(PTXAS)" ]; then $(PTXAS) -arch=sm_75 $< -o $(GPU_GEN)/atomic_table.cubin || \
	    { echo "mk/gpu.mk: $< does not assemble for sm_75"; exit 1; }; fi
	$(Q)if [ -n "$(NVCC)" ]; then \
	    want=$$(sed -n 's|^// Cuda compilation tools, release .*, \(V[0-9.]*\)$$|\1|p' $<); \
	    have=$$($(NVCC) --version | sed -n 's|.*release .*, \(V[0-9.]*\)$$|\1|p'); \
	    if [ "$$want" = "$$have" ]; then \
	      $(MAKE) --no-print-directory -s $(GPU_GEN)/atomic_table.fresh.ptx && \
	      diff <(grep -v '^//' $<) <(grep -v '^//' $(GPU_GEN)/atomic_table.fresh.ptx) >/dev/null || \
	      { echo "mk/gpu.mk: $< differs from nvcc $$have's output: run 'make gpu-ptx' and review"; exit 1; }; \
	    else echo "mk/gpu.mk: nvcc $${have:-?} is not $$want, which made $<: not compared"; fi; fi
	$(Q)mk/gpu-embed.sh ptx $@ rtx_ptx_atomic_table=$<

# A fresh PTX from the .cu, normalised the way the committed one is.
$(GPU_GEN)/atomic_table.fresh.ptx: gpu/kernels/atomic_table.cu
	@mkdir -p $(@D)
	$(Q)$(NVCC) -ptx -arch=compute_75 -o $@.tmp $<
	$(Q)sed -e 's/^\.version .*/.version $(GPU_PTX_ISA)/' $@.tmp > $@ && rm -f $@.tmp

.PHONY: gpu-ptx gpu-gen
gpu-ptx: $(GPU_GEN)/atomic_table.fresh.ptx
	@{ echo "// simplert: made by 'make gpu-ptx' from atomic_table.cu; .version lowered to $(GPU_PTX_ISA) (mk/gpu.mk)"; \
	   cat $<; } > gpu/kernels/atomic_table.ptx
	@echo "gpu/kernels/atomic_table.ptx rewritten; review the diff before committing"
gpu-gen: $(GPU_GEN_HDRS)

# Who includes the generated headers: they must exist before the compile
# (order-only; afterwards -MMD records the real dependency). Listed as
# files: a recipe-less pattern rule would cancel the compile rule.
GPU_GEN_SRCS := $(wildcard conformance/gpu_atomic/*.c conformance/gpu/*.c \
                  conformance/gpu_backend/*.c conformance/vk/*.c bench/gpu.c \
                  fuzz/targets/gpu*.c fuzz/targets/vk.c)
GPU_GEN_OBJS := $(patsubst %.c,$(B)/tobj/%.o,$(GPU_GEN_SRCS)) \
                $(patsubst %.c,build/fuzz-lf/obj/%.o,$(filter fuzz/%,$(GPU_GEN_SRCS))) \
                $(patsubst %.c,build/fuzz-afl/obj/%.o,$(filter fuzz/%,$(GPU_GEN_SRCS)))
$(GPU_GEN_OBJS): | $(GPU_GEN_HDRS)
$(B)/tobj/%.o: TEST_CFLAGS += -Ibuild/gen

# A stand-in libcuda.so.1 for the gpu_backend suite (see its source): the
# suite finds it through RTC_FAKE_CUDA. Built without sanitizers: it is
# dlopen'ed by the instrumented suite and does nothing interesting.
GPU_FAKE_CUDA := $(B)/gpu/fake_libcuda.so
$(GPU_FAKE_CUDA): conformance/gpu_backend/fake/fake_cuda.c
	@mkdir -p $(@D)
	$(Q)$(CC) -std=c11 -O1 -g -fPIC -shared -Wall -Wextra -Werror -o $@ $<
$(B)/conformance/gpu_backend: $(GPU_FAKE_CUDA)
$(B)/tobj/conformance/gpu_backend/%.o: TEST_CFLAGS += -DRTC_FAKE_CUDA='"$(abspath $(GPU_FAKE_CUDA))"'
