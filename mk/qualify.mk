# mk/qualify.mk — the qualification targets (issue #9), included by the Makefile:
#   make oom        OOM fault injection over the conformance suites and the fuzz
#                   corpora (ci/oom.sh; README "make oom")
# `make qualify` (the Makefile) runs `simplert qualify`, which calls these.
.DEFAULT_GOAL := all

# make oom: directed injection (first, second and last attempt of every
# distinct allocation call stack), at most OOM_MAX runs per test or input.
# make qualify passes OOM_ARGS="--all --max 400".
OOM_MAX ?= 64
OOM_ARGS ?= --max $(OOM_MAX)
OOM_BINS = $(addprefix build/oom/conformance/,$(CONF_FAMILIES))
# (fuzz/fuzz.mk, which defines FUZZ_TARGETS, is included after this file)
QUALIFY_FUZZ_TARGETS := $(sort $(basename $(notdir $(wildcard fuzz/targets/*.c))))
OOM_FUZZ_BINS = $(addprefix build/oom/fuzz/,$(QUALIFY_FUZZ_TARGETS))
.PHONY: oom
oom:
	@$(MAKE) --no-print-directory V=oom $(OOM_BINS) $(OOM_FUZZ_BINS)
	@ci/oom.sh --jobs $(NPROC) $(OOM_ARGS) $(OOM_BINS) $(addprefix --fuzz ,$(OOM_FUZZ_BINS))

# In the oom variant the fuzz replay drivers also carry the OOM engine
# (explicit targets, so that prerequisites other .mk files add stay intact).
ifeq ($(V),oom)
$(addprefix $(B)/fuzz/,$(QUALIFY_FUZZ_TARGETS)): $(B)/tobj/fuzz/replay_oom.o \
                                         $(B)/obj/conformance/shim/oom.o
endif
