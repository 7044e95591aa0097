# mk/qualify.mk — the qualification targets (issue #9), included by the Makefile:
#   make oom        OOM fault injection over the conformance suites and the fuzz
#                   corpora (ci/oom.sh; README "make oom")
# `make qualify` (the Makefile) runs `simplert qualify`, which calls these.
.DEFAULT_GOAL := all

# make oom: directed injection (first, second and last attempt of every
# distinct allocation call stack), at most OOM_MAX runs per test or input.
# make qualify passes OOM_ARGS="--max 0": every distinct call stack, uncapped;
# OOM_ARGS="--all --max 0" is the whole cross product (every attempt of every case).
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
                                         $(B)/obj/conformance/shim/oom.o \
                                         $(B)/obj/conformance/shim/oom_report.o
endif

# make coverage: the suites on the gcov build, gcovr's JSON (with decisions)
# and Cobertura XML in reports/coverage/, then `simplert qualify coverage-check`:
# LCOV from gcovr's JSON, and the floors in ci/coverage-floor.sdn (the gate).
# make coverage-ratchet raises the floors to what was just measured.
COV_DIRS := runtime coverage_rt gpu simd net sdn
COV_FILTERS = $(foreach d,$(COV_DIRS),--filter '$(d)/')
.PHONY: coverage coverage-data coverage-ratchet
coverage-data:
	@$(MAKE) --no-print-directory V=gcov suites
	@find build/gcov -name '*.gcda' -delete
	@ci/run-suites.sh --variant gcov --results $(RESULTS)/gcov \
	    $(addprefix build/gcov/conformance/,$(CONF_FAMILIES)) \
	    $(addprefix build/gcov/tests/,$(TEST_MODULES)) || \
	    echo "coverage: some suites failed under the gcov build (the asan stage judges them)"
	@mkdir -p reports/coverage
	gcovr -r . -j $(NPROC) --object-directory build/gcov/obj $(COV_FILTERS) --decisions \
	    --exclude-unreachable-branches --json reports/coverage/gcovr.json \
	    --cobertura reports/coverage/cobertura.xml --print-summary
coverage: coverage-data
	@$(MAKE) --no-print-directory V=release cli
	@build/release/simplert qualify coverage-check
coverage-ratchet:
	@$(MAKE) --no-print-directory V=release cli
	@build/release/simplert qualify coverage-check --ratchet

# tests/qualify: the report writers (model -> HTML, SDN, JUnit; gcovr JSON ->
# coverage counts, LCOV) link the CLI's objects, as tests/cov does.
QUALIFY_TOOL_SRCS := tools/qualify_collect.c tools/qualify_cov.c tools/qualify_html.c \
                     tools/qualify_sdn.c tools/qualify_xml.c tools/util.c tools/json.c
$(B)/tests/qualify: $(patsubst %.c,$(B)/obj/%.o,$(QUALIFY_TOOL_SRCS))
