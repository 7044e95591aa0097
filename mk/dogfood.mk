# mk/dogfood.mk — the runtime measured by its own coverage collector (issue #4;
# coverage_rt/instrument/README.md). Included by the Makefile.
#
#   make dogfood              instrument every runtime module except coverage_rt/ (V=dogfood),
#                             run the conformance and unit suites with coverage on, merge, and
#                             write reports/runtime-coverage.{sdn,lcov} and
#                             reports/runtime-coverage/index.html; fails when the ratchet
#                             (coverage_rt/instrument/ratchet.sdn) drops
#   make dogfood-ratchet      the same, then rewrite the ratchet with the current numbers
#   make dogfood-crosscheck   the cross-checks on the whole runtime: simplert vs gcov branch
#                             counts (V=gcov) and vs llvm-cov-19 MC/DC verdicts (V=mcdc)
#   make dogfood-check        the same cross-checks on the small fixed corpus (make test)
#   make dogfood-tools        the host tools: rtcov-instrument (libclang-19) and rtcov
#
# The suites of the coverage family are not part of the workload: they clear, enable
# and dump the very collector that measures the run. Neither is tests/cov (it tests the
# `simplert cov` CLI, which is not part of the library).

LLVM19 ?= /usr/lib/llvm-19
RTCOV_DIR := build/rtcov
RTCOV_INSTRUMENT := $(RTCOV_DIR)/rtcov-instrument
RTCOV := $(RTCOV_DIR)/rtcov
HOST_CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -g -Iinclude -I. $(WARN)

INS_SRCS := $(sort $(wildcard coverage_rt/instrument/ins_*.c))
DOG_TOOL_SRCS := $(sort $(wildcard coverage_rt/instrument/dog_*.c)) tools/cov_read.c \
                 tools/cov_report.c tools/cov_html.c tools/util.c tools/json.c
HOST_LIB_SRCS := $(sort $(wildcard sdn/*.c))
HOST_COV_SRCS := $(sort $(wildcard coverage_rt/*.c))

$(RTCOV_INSTRUMENT): $(INS_SRCS) $(wildcard coverage_rt/instrument/ins*.h) $(HOST_LIB_SRCS) \
                     $(wildcard sdn/*.h)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  HOSTCC $@")
	$(Q)gcc $(HOST_CFLAGS) -I$(LLVM19)/include $(INS_SRCS) $(HOST_LIB_SRCS) \
	    -L$(LLVM19)/lib -lclang -Wl,-rpath,$(LLVM19)/lib -o $@

$(RTCOV): $(DOG_TOOL_SRCS) $(wildcard coverage_rt/instrument/dog.h tools/*.h coverage_rt/*.h) \
          $(HOST_LIB_SRCS) $(HOST_COV_SRCS)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  HOSTCC $@")
	$(Q)gcc $(HOST_CFLAGS) $(DOG_TOOL_SRCS) $(HOST_LIB_SRCS) $(HOST_COV_SRCS) -lpthread -lm \
	    -o $@

.PHONY: dogfood-tools
dogfood-tools: $(RTCOV_INSTRUMENT) $(RTCOV)

# ---- the dogfood variant: every library source but coverage_rt/ goes through the
# instrumenter first. The rewritten file keeps the original's line numbers (#line) and
# includes (-iquote its own directory). A file whose rewrite does not compile is compiled
# as it is, and its manifest says so: the instrumenter never breaks the build, and the
# join's ratchet (files_not_instrumented) makes the loss visible.
DOG_LIB_SRCS := $(filter-out coverage_rt/%,$(LIB_SRCS))
ifneq ($(filter dogfood bench-dogfood,$(V)),)
DOG_LIB_OBJS := $(patsubst %.c,$(B)/obj/%.o,$(DOG_LIB_SRCS))
$(DOG_LIB_OBJS): $(B)/obj/%.o: %.c $(RTCOV_INSTRUMENT)
	@mkdir -p $(@D) $(dir $(B)/src/$*) $(dir $(B)/manifest/$*)
	@$(if $(Q),echo "  INSTR [$(V)] $<")
	$(Q)$(RTCOV_INSTRUMENT) -o $(B)/src/$*.c -m $(B)/manifest/$*.c.sdn $< -- $(CFLAGS)
	$(Q)if ! $(CC) $(CFLAGS) -iquote $(<D) -MMD -MP -MF $(@:.o=.d) -MT $@ \
	        -c $(B)/src/$*.c -o $@ 2>$(@:.o=.log); then \
	    cat $(@:.o=.log); \
	    echo "dogfood: WARNING: the instrumented $< does not compile; built without probes"; \
	    $(RTCOV_INSTRUMENT) -m $(B)/manifest/$*.c.sdn --not-instrumented \
	        "the instrumented source does not compile: $$(grep -m1 'error' $(@:.o=.log) | tr '"\\' "''")" \
	        $< && \
	    $(CC) $(CFLAGS) -MMD -MP -c $< -o $@; \
	else cat $(@:.o=.log); fi
endif

# ---- make dogfood --------------------------------------------------------------------
DOG_FAMILIES := $(filter-out coverage,$(CONF_FAMILIES))
DOG_TESTS := $(filter-out cov instrument,$(TEST_MODULES))
DOG_BINS := $(addprefix build/dogfood/conformance/,$(DOG_FAMILIES)) \
            $(addprefix build/dogfood/tests/,$(DOG_TESTS))
DOG_RATCHET := coverage_rt/instrument/ratchet.sdn

.PHONY: dogfood dogfood-ratchet dogfood-build
dogfood-build: dogfood-tools
	@$(MAKE) --no-print-directory V=release cli
	@$(MAKE) --no-print-directory V=dogfood $(DOG_BINS)

dogfood: dogfood-build
	@coverage_rt/instrument/dogfood.sh report --ratchet $(DOG_RATCHET) \
	    --sources "$(DOG_LIB_SRCS)" $(DOG_BINS)

dogfood-ratchet: dogfood-build
	@coverage_rt/instrument/dogfood.sh report --ratchet $(DOG_RATCHET) --update-ratchet \
	    --sources "$(DOG_LIB_SRCS)" $(DOG_BINS)

# ---- cross-checks on the whole runtime -------------------------------------------------
# Every suite binary of the three builds links xc_helper.o (what it does and why is at
# its top: gcov/llvm profiles dumped on fatal signals; RTCOV_XC_HEAP_SHIFT).
ifneq ($(filter dogfood gcov mcdc,$(V)),)
XC_HELPER := $(B)/obj/coverage_rt/instrument/xc_helper.o
$(XC_HELPER): CFLAGS += -DXC_$(V) -Wno-missing-prototypes
$(addprefix $(B)/conformance/,$(CONF_FAMILIES)) $(addprefix $(B)/tests/,$(TEST_MODULES)): \
    $(XC_HELPER)
$(addprefix $(B)/conformance/,$(CONF_FAMILIES)) $(addprefix $(B)/tests/,$(TEST_MODULES)): \
    LDFLAGS += -Wl,--wrap=rtx_mem_fail_at
endif

# The same single-threaded workload three ways: the suites of the families that start no
# threads (TSAN_FAMILIES are left out) and the unit suites. Thread scheduling would make
# counts differ between builds for reasons that are not the collector's; what stays
# nondeterministic is found by running the simplert build twice (dogfood.sh).
XC_FAMILIES = $(filter-out $(TSAN_FAMILIES),$(DOG_FAMILIES))
XC_BINS = $(addprefix build/$(1)/conformance/,$(XC_FAMILIES)) \
          $(addprefix build/$(1)/tests/,$(DOG_TESTS))

.PHONY: dogfood-crosscheck
dogfood-crosscheck: dogfood-tools
	@$(MAKE) --no-print-directory V=release cli
	@$(MAKE) --no-print-directory V=dogfood $(call XC_BINS,dogfood)
	@$(MAKE) --no-print-directory V=gcov $(call XC_BINS,gcov)
	@$(MAKE) --no-print-directory V=mcdc $(call XC_BINS,mcdc)
	@coverage_rt/instrument/dogfood.sh crosscheck --out build/dogfood/xcheck \
	    --dogfood "$(call XC_BINS,dogfood)" --gcov "$(call XC_BINS,gcov)" \
	    --mcdc "$(call XC_BINS,mcdc)"

# ---- cross-checks on the fixed corpus (make test) -----------------------------------------
CORPUS_DIR := coverage_rt/instrument/corpus
CORPUS_SRCS := $(sort $(wildcard $(CORPUS_DIR)/*.c))

.PHONY: dogfood-check
dogfood-check: dogfood-tools
	@$(MAKE) --no-print-directory V=release lib
	@coverage_rt/instrument/dogfood.sh corpus --out build/rtcov/corpus-check $(CORPUS_SRCS)

# ---- tests/instrument: the instrumenter's own tests (a unit module like any other) ----------
# The test binary links the corpus twice: as written, and as rtcov-instrument rewrote it
# with every cx_ name renamed ix_cx_ (a forced include), so each call can be compared with
# its twin; plus the join's reader and normaliser (dog_manifest.c, dog_paths.c). The corpus
# is instrumented twice, to show the output is the same from one run to the next.
IX_GEN := build/rtcov/corpus-inst
IX_NAMES := $(filter-out driver,$(notdir $(CORPUS_SRCS:.c=)))
IX_INST := $(addprefix $(IX_GEN)/,$(addsuffix .c,$(IX_NAMES)))
IX_FLAGS := -std=c11 -D_GNU_SOURCE -Iinclude -I.

$(IX_GEN)/%.c: $(CORPUS_DIR)/%.c $(RTCOV_INSTRUMENT)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  INSTR $<")
	$(Q)$(RTCOV_INSTRUMENT) -o $@ -m $(IX_GEN)/$*.sdn $< -- $(IX_FLAGS)
	$(Q)mkdir -p $(IX_GEN)/again && $(RTCOV_INSTRUMENT) -o $(IX_GEN)/again/$*.c \
	    -m $(IX_GEN)/again/$*.sdn.txt $< -- $(IX_FLAGS)

$(IX_GEN)/ix_rename.h: $(CORPUS_DIR)/corpus.h
	@mkdir -p $(@D)
	$(Q)grep -o 'cx_[a-z_]*' $< | sort -u | sed 's/.*/#define & ix_&/' > $@
$(IX_GEN)/ix_unrename.h: $(CORPUS_DIR)/corpus.h
	@mkdir -p $(@D)
	$(Q)grep -o 'cx_[a-z_]*' $< | sort -u | sed 's/.*/#undef &/' > $@

$(B)/tobj/ix/%.o: $(IX_GEN)/%.c $(IX_GEN)/ix_rename.h
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC [$(V)] $< (ix_)")
	$(Q)$(CC) $(CFLAGS) -include $(IX_GEN)/ix_rename.h -iquote $(CORPUS_DIR) -MMD -MP -c $< -o $@

IX_DOG_SRCS := coverage_rt/instrument/dog_manifest.c coverage_rt/instrument/dog_paths.c \
               tools/cov_read.c tools/util.c
$(B)/tobj/tests/instrument/%.o: CFLAGS += -I$(IX_GEN) -DIX_GEN_DIR=\"$(IX_GEN)\"
$(patsubst %.c,$(B)/tobj/%.o,$(wildcard tests/instrument/*.c)): $(IX_GEN)/ix_rename.h \
    $(IX_GEN)/ix_unrename.h $(IX_INST)
$(B)/tests/instrument: $(patsubst %,$(B)/tobj/$(CORPUS_DIR)/%.o,$(IX_NAMES)) \
                       $(patsubst %,$(B)/tobj/ix/%.o,$(IX_NAMES)) \
                       $(patsubst %.c,$(B)/obj/%.o,$(IX_DOG_SRCS))

# ---- bench/dogfood.c: the workload linked four ways -------------------------------------
$(B)/dogfood-work: $(B)/tobj/bench/dogfood/work.o $(STATIC_LIB)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD [$(V)] $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(STATIC_LIB) $(LIB_DEPS) $(LIBS)

.PHONY: dogfood-bench-work
dogfood-bench-work: dogfood-tools
	@$(MAKE) --no-print-directory V=release build/release/dogfood-work
	@$(MAKE) --no-print-directory V=bench-dogfood build/bench-dogfood/dogfood-work
	@$(MAKE) --no-print-directory V=bench-clang build/bench-clang/dogfood-work
	@$(MAKE) --no-print-directory V=bench-mcdc build/bench-mcdc/dogfood-work
ifeq ($(V),release)
$(B)/bench/dogfood: dogfood-bench-work
endif
