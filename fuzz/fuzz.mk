# fuzz/fuzz.mk — fuzz target builds, included by the Makefile.
#
# One source per target (fuzz/targets/<t>.c, defining LLVMFuzzerTestOneInput)
# builds three ways:
#   build/<V>/fuzz/<t>          replay driver (fuzz/replay.c), with the variant's
#                               sanitizers: regression replay in `make test`
#   build/fuzz-lf/bin/<t>       libFuzzer + ASan + UBSan (clang)
#   build/fuzz-afl/bin/<t>      AFL++ persistent mode (afl-clang-fast, fuzz/afl_driver.c)
# The per-family call tables they include are generated from spec/ffi into
# build/gen/rtz_<family>.h by `simplert spec fuzzgen`.

FUZZ_TARGETS := $(sort $(basename $(notdir $(wildcard fuzz/targets/*.c))))
GEN := build/gen
FUZZ_SMOKE_TIME ?= 3
FUZZ_TIME ?= 600
FUZZ_JOBS ?= 2

$(GEN)/.stamp: $(wildcard spec/ffi/*.sdn) tools/spec_cmd.c
	@$(MAKE) --no-print-directory V=release cli
	$(Q)build/release/simplert spec fuzzgen --out $(GEN)
	@touch $@

# Replay binaries, in the current variant.
FUZZ_TOBJS := $(patsubst %,$(B)/tobj/fuzz/targets/%.o,$(FUZZ_TARGETS))
$(FUZZ_TOBJS) $(B)/tobj/fuzz/rtz.o $(B)/tobj/fuzz/replay.o: | $(GEN)/.stamp
$(B)/tobj/fuzz/%.o: TEST_CFLAGS += -I$(GEN)
FUZZ_REPLAY_BINS := $(addprefix $(B)/fuzz/,$(FUZZ_TARGETS))
$(B)/fuzz/%: $(B)/tobj/fuzz/targets/%.o $(B)/tobj/fuzz/rtz.o $(B)/tobj/fuzz/replay.o $(STATIC_LIB)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD [$(V)] $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(STATIC_LIB) $(LIB_DEPS) $(LIBS)

# libFuzzer builds: the library itself is compiled with coverage feedback.
LF_CC := clang
LF_CFLAGS := $(BASE_CFLAGS) -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
             -fno-sanitize-recover=all -I$(GEN)
LF_LIB_OBJS := $(patsubst %.c,build/fuzz-lf/obj/%.o,$(LIB_SRCS))
build/fuzz-lf/obj/%.o: %.c | $(GEN)/.stamp
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC [libfuzzer] $<")
	$(Q)$(LF_CC) $(LF_CFLAGS) -fsanitize=fuzzer-no-link -Wno-missing-prototypes -MMD -MP -c $< -o $@
build/fuzz-lf/libsimplert.a: $(LF_LIB_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^
build/fuzz-lf/bin/%: build/fuzz-lf/obj/fuzz/targets/%.o build/fuzz-lf/obj/fuzz/rtz.o \
                     build/fuzz-lf/libsimplert.a
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD [libfuzzer] $@")
	$(Q)$(LF_CC) -fsanitize=fuzzer,address,undefined -o $@ $^ $(LIB_DEPS) $(LIBS)

# AFL++ builds (afl-gcc-fast is broken in Debian's 4.04c: shared/toolchain-notes.md #5).
AFL_CC := AFL_QUIET=1 afl-clang-fast
AFL_CFLAGS := $(BASE_CFLAGS) -O2 -g -I$(GEN)
AFL_LIB_OBJS := $(patsubst %.c,build/fuzz-afl/obj/%.o,$(LIB_SRCS))
build/fuzz-afl/obj/fuzz/afl_driver.o: fuzz/afl_driver.c
	@mkdir -p $(@D)
	$(Q)$(AFL_CC) -O2 -g -w -c $< -o $@
build/fuzz-afl/obj/%.o: %.c | $(GEN)/.stamp
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC [afl] $<")
	$(Q)$(AFL_CC) $(AFL_CFLAGS) -Wno-missing-prototypes -MMD -MP -c $< -o $@
build/fuzz-afl/libsimplert.a: $(AFL_LIB_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^
build/fuzz-afl/bin/%: build/fuzz-afl/obj/fuzz/targets/%.o build/fuzz-afl/obj/fuzz/rtz.o \
                      build/fuzz-afl/obj/fuzz/afl_driver.o build/fuzz-afl/libsimplert.a
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD [afl] $@")
	$(Q)$(AFL_CC) -o $@ $^ $(LIB_DEPS) $(LIBS)

-include $(shell find build/fuzz-lf/obj build/fuzz-afl/obj -name '*.d' 2>/dev/null)

.PHONY: fuzz-build fuzz-smoke fuzz fuzz-replay-bins fuzz-lf-bins fuzz-afl-bins
fuzz-replay-bins: $(FUZZ_REPLAY_BINS)
fuzz-lf-bins: $(addprefix build/fuzz-lf/bin/,$(FUZZ_TARGETS))
fuzz-afl-bins: $(addprefix build/fuzz-afl/bin/,$(FUZZ_TARGETS))

fuzz-build:
	@$(MAKE) --no-print-directory V=asan fuzz-replay-bins
	@$(MAKE) --no-print-directory fuzz-lf-bins fuzz-afl-bins

# A campaign: `simplert fuzz` runs AFL++ on every target (FUZZ_TARGETS_ONLY to
# name some), FUZZ_TIME seconds of wall clock in all, shared by the targets,
# FUZZ_JOBS instances per target; crashes are minimised into
# fuzz/regressions/<t>/ (README "Fuzzing"). FUZZ_ARGS adds options
# (e.g. --changed origin/main, --sync-dir DIR, --minimize-corpus).
fuzz:
	@$(MAKE) --no-print-directory V=release cli
	@build/release/simplert fuzz --time $(FUZZ_TIME) --jobs $(FUZZ_JOBS) $(FUZZ_ARGS) \
	    $(FUZZ_TARGETS_ONLY)

# Replay every corpus and regression input under ASan+UBSan, then fuzz each
# target for FUZZ_SMOKE_TIME seconds with libFuzzer.
fuzz-smoke:
	@$(MAKE) --no-print-directory V=asan fuzz-replay-bins
	@$(MAKE) --no-print-directory fuzz-lf-bins
	@ci/fuzz-smoke.sh --time $(FUZZ_SMOKE_TIME) --jobs $(FUZZ_JOBS) $(FUZZ_TARGETS)
