# mk/simd.mk — build flags of the vec family (simd/, spec/ffi/vec.sdn).
#
# simd/ is compiled for x86-64-v2 (SSE4.2) by default, so the library runs on
# any x86-64 from the last decade; `make SIMD_NATIVE=1` builds it for the
# build machine (-march=native: AVX2 and FMA where present). Other
# architectures get no -march and whatever SIMDe maps the x86 intrinsics to
# there (NEON on arm64, portable C elsewhere). Whatever the instruction
# set, the fast paths give the scalar reference's bits: -ffp-contract=off
# keeps the compiler from fusing a*b+c behind the spec's back (clang contracts
# by default), and tests/simd_portable runs the same property test against a
# SIMDE_NO_NATIVE copy of the fast kernels. -fwrapv: SIMDe's portable vector
# code adds signed 64-bit lanes (its _mm_add_epi64 and friends), which wraps on
# every real target but is undefined in C and trips UBSan; our own code wraps
# explicitly through uint64_t and does not depend on it.
ifeq ($(SIMD_NATIVE),1)
SIMD_MARCH ?= -march=native
else
SIMD_MARCH ?= $(if $(filter x86_64,$(shell uname -m)),-march=x86-64-v2,)
endif
SIMD_CFLAGS := $(SIMD_MARCH) -ffp-contract=off -fwrapv

$(B)/obj/simd/%.o: CFLAGS += $(SIMD_CFLAGS)
build/fuzz-lf/obj/simd/%.o: LF_CFLAGS += $(SIMD_CFLAGS)
build/fuzz-afl/obj/simd/%.o: AFL_CFLAGS += $(SIMD_CFLAGS)

# Switching SIMD_NATIVE rebuilds simd/: each build folder records the flags
# its simd objects were built with, rewritten only when they change.
SIMD_SRCS := $(wildcard simd/*.c)
SIMD_STAMP_DIRS := $(B) build/fuzz-lf build/fuzz-afl
define simd_stamp_dep
$(patsubst %.c,$(1)/obj/%.o,$(SIMD_SRCS)): $(1)/simd.flags
endef
$(foreach d,$(SIMD_STAMP_DIRS),$(eval $(call simd_stamp_dep,$(d))))
$(addsuffix /simd.flags,$(SIMD_STAMP_DIRS)): simd-flags-check
	@mkdir -p $(@D)
	@echo '$(SIMD_CFLAGS)' | cmp -s - $@ || echo '$(SIMD_CFLAGS)' > $@
.PHONY: simd-flags-check
simd-flags-check:

# The portable copy of the fast kernels and the property tests: no -march
# (SIMDE_NO_NATIVE ignores it anyway), but the same -ffp-contract=off -fwrapv.
$(B)/tobj/tests/simd/%.o $(B)/tobj/tests/simd_portable/%.o: CFLAGS += -ffp-contract=off -fwrapv
