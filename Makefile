# simplert — build, test and qualification entry points.
#
#   make                 libsimplert.a, libsimplert.so (SONAME libsimplert.so.0), the simplert CLI
#   make test            the gate CI runs (.ci/run): see `make help`
#   make qualify         the release-qualification run: every stage, reports/ dashboard
#   make help            every target, one line each
#
# Sources are discovered by directory, so a family adds files, not Makefile rules;
# a family that needs extra build steps adds mk/<name>.mk (included below).

SHELL := /bin/bash
# Fixed here so a rule in an included mk/*.mk fragment never becomes the default.
.DEFAULT_GOAL := all
.SUFFIXES:
.DELETE_ON_ERROR:
MAKEFLAGS += --no-builtin-rules

PREFIX ?= /usr/local
VERSION := 0.1.0
SOVERSION := 0
NPROC := $(shell nproc 2>/dev/null || echo 2)

# VERBOSE=1 shows full command lines.
ifeq ($(VERBOSE),1)
Q :=
else
Q := @
endif

# ---- build variants --------------------------------------------------------------------
# V selects the variant; each builds into build/$(V)/ so variants never mix objects.
#   release  -O2, what `make install` ships; no test hooks
#   asan     ASan+UBSan, no recovery; test hooks (RTX_TESTING)
#   tsan     ThreadSanitizer (clang); test hooks
#   vg       -O1 -g for Valgrind; test hooks; suites built against the fork-only runner
#   gcov     gcc --coverage, for gcovr line/branch reports; atomic counters, because
#            threaded suites racing on plain ones leave negative branch counts,
#            which gcovr 5.2 refuses to parse (mcdc likewise)
#   dogfood  the runtime rewritten by coverage_rt/instrument to call its own
#            rt_coverage_* probes (mk/dogfood.mk: `make dogfood`)
#   mcdc     clang-19 source-based coverage with MC/DC (the dogfood cross-check)
#   bench-dogfood, bench-clang, bench-mcdc   the -O2 runtimes bench/dogfood.c compares
#   oom      ASan+UBSan with the fork-only runner, for `make oom` (fault injection)
V ?= release
B := build/$(V)

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wno-psabi
BASE_CFLAGS := -std=c11 -D_GNU_SOURCE -fPIC -fvisibility=hidden -DSIMPLERT_BUILDING \
               -Iinclude -I. $(WARN)

CC_release := gcc
CFLAGS_release := -O2 -g
CC_asan := gcc
CFLAGS_asan := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
               -fno-sanitize-recover=all -DRTX_TESTING
LDFLAGS_asan := -fsanitize=address,undefined
CC_tsan := clang
CFLAGS_tsan := -O1 -g -fsanitize=thread -DRTX_TESTING
LDFLAGS_tsan := -fsanitize=thread
CC_vg := gcc
CFLAGS_vg := -O1 -g -DRTX_TESTING -DRTC_FORK_RUNNER
CC_gcov := gcc
CFLAGS_gcov := -O0 -g --coverage -fprofile-update=atomic -DRTX_TESTING
LDFLAGS_gcov := --coverage
CC_dogfood := gcc
CFLAGS_dogfood := -O1 -g -DRTX_TESTING
CC_mcdc := clang-19
CFLAGS_mcdc := -O0 -g -fprofile-instr-generate -fcoverage-mapping -fcoverage-mcdc -fprofile-update=atomic -DRTX_TESTING
LDFLAGS_mcdc := -fprofile-instr-generate
CC_bench-dogfood := gcc
CFLAGS_bench-dogfood := -O2 -g
CC_bench-clang := clang-19
CFLAGS_bench-clang := -O2 -g
CC_bench-mcdc := clang-19
CFLAGS_bench-mcdc := -O2 -g -fprofile-instr-generate -fcoverage-mapping -fcoverage-mcdc
LDFLAGS_bench-mcdc := -fprofile-instr-generate
CC_oom := gcc
CFLAGS_oom := $(CFLAGS_asan) -DRTC_OOM_ENGINE
LDFLAGS_oom := $(LDFLAGS_asan)
# --no-undefined catches a missing library at link time; sanitizer runtimes
# are supplied by the executable that loads the .so, so only release uses it.
SO_NOUNDEF_release := -Wl,--no-undefined

ifeq ($(origin CC_$(V)),undefined)
$(error unknown variant V=$(V); use release, asan, tsan, vg, gcov, oom, dogfood or mcdc)
endif
CC := $(CC_$(V))
CFLAGS := $(BASE_CFLAGS) $(CFLAGS_$(V)) $(EXTRA_CFLAGS)
LDFLAGS := $(LDFLAGS_$(V)) $(EXTRA_LDFLAGS)
LIBS := -lpthread -lm -ldl
# Extra link libraries families need (mk/*.mk append to it, e.g. -lcurl).
LIB_DEPS :=

# ---- sources ---------------------------------------------------------------------------
LIB_DIRS := runtime coverage_rt gpu simd net sdn
LIB_SRCS := $(sort $(wildcard $(addsuffix /*.c,$(LIB_DIRS))))
LIB_OBJS := $(patsubst %.c,$(B)/obj/%.o,$(LIB_SRCS))
CLI_SRCS := $(sort $(wildcard tools/*.c))
CLI_OBJS := $(patsubst %.c,$(B)/obj/%.o,$(CLI_SRCS))

STATIC_LIB := $(B)/libsimplert.a
SHARED_LIB := $(B)/libsimplert.so.$(VERSION)
CLI := $(B)/simplert

# Families with conformance suites (conformance/<family>/*.c) and internal
# test modules (tests/<module>/*.c).
CONF_FAMILIES := $(sort $(notdir $(patsubst %/,%,$(dir $(wildcard conformance/*/*.c)))))
CONF_FAMILIES := $(filter-out shim,$(CONF_FAMILIES))
TEST_MODULES := $(sort $(notdir $(patsubst %/,%,$(dir $(wildcard tests/*/*.c)))))
CONF_BINS := $(addprefix $(B)/conformance/,$(CONF_FAMILIES))
TEST_BINS := $(addprefix $(B)/tests/,$(TEST_MODULES))

-include $(sort $(wildcard mk/*.mk))

# ---- top-level targets -----------------------------------------------------------------
.PHONY: all lib cli help deps
all: lib cli
lib: $(STATIC_LIB) $(SHARED_LIB) $(B)/libsimplert.so
cli: $(CLI)

help:
	@echo "simplert $(VERSION) — targets:"
	@echo "  make [all]            build libsimplert.a/.so and the simplert CLI (V=release)"
	@echo "  make test             the CI gate: deps, -Werror build, spec check, conformance under"
	@echo "                        ASan+UBSan, TSan (concurrent families), Valgrind, fuzz smoke,"
	@echo "                        install check, audit"
	@echo "  make qualify          release qualification: every stage, reports/index.html"
	@echo "  make conformance      conformance suites (V=asan by default)"
	@echo "  make unit             internal module tests (sdn, tools)"
	@echo "  make valgrind         conformance + unit under Valgrind memcheck"
	@echo "  make tsan             conformance of the concurrent families under TSan"
	@echo "  make spec-check       spec rows vs headers"
	@echo "  make audit            reports/stub-status.{sdn,md} and the audit gate"
	@echo "  make fuzz-build       libFuzzer and AFL++ builds of every target"
	@echo "  make fuzz-smoke       replay corpora and regressions, fuzz each target briefly"
	@echo "  make fuzz             AFL++ campaign over every target (FUZZ_TIME=total seconds,"
	@echo "                        FUZZ_JOBS=instances per target, FUZZ_ARGS=...): simplert fuzz"
	@echo "  make oom              OOM fault injection: every conformance test and fuzz input"
	@echo "                        once per allocation call stack, that allocation failing"
	@echo "  make coverage         gcov build of the suites, gcovr + LCOV, the coverage floors"
	@echo "  make bench            benchmarks, side by side with their peers (BENCH_ARGS=--quick)"
	@echo "  make dogfood          the runtime measured by its own coverage collector:"
	@echo "                        reports/runtime-coverage.{sdn,lcov}, ratchet (mk/dogfood.mk)"
	@echo "  make dogfood-crosscheck  the collector vs gcov and clang-19 MC/DC, whole runtime"
	@echo "  make dogfood-check    the same cross-checks on a small fixed corpus (in make test)"
	@echo "  make install          PREFIX=$(PREFIX): library, headers, simplert.pc, CLI"
	@echo "  make install-check    install into a temp prefix and build a program with pkg-config"
	@echo "  make clean            remove build/ and generated reports"
	@echo "variables: V=release|asan|tsan|vg|gcov|oom|dogfood|mcdc  PREFIX=...  FUZZ_TIME=...  FUZZ_SMOKE_TIME=..."

deps:
	@ci/deps.sh

# ---- library ---------------------------------------------------------------------------
$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC [$(V)] $<")
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(STATIC_LIB): $(LIB_OBJS)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  AR [$(V)] $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(SHARED_LIB): $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) -shared -Wl,-soname,libsimplert.so.$(SOVERSION) $(SO_NOUNDEF_$(V)) $(LDFLAGS) \
	    -o $@ $^ $(LIB_DEPS) $(LIBS)

$(B)/libsimplert.so: $(SHARED_LIB)
	ln -sf libsimplert.so.$(VERSION) $(B)/libsimplert.so.$(SOVERSION)
	ln -sf libsimplert.so.$(VERSION) $@

$(CLI): $(CLI_OBJS) $(STATIC_LIB)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJS) $(STATIC_LIB) $(LIB_DEPS) $(LIBS)

-include $(LIB_OBJS:.o=.d) $(CLI_OBJS:.o=.d)

# ---- conformance and unit suites -------------------------------------------------------
# Suites include "conformance/rtc.h"; in the vg and tsan variants
# <criterion/criterion.h> resolves to the fork-only runner in conformance/shim
# (Valgrind follows fork() for free but pays ~0.7 s for every exec Criterion
# does per test; under TSan Criterion 2.4 aborts at start: "Could not
# initialize inheritable arena", Criterion issue #274).
# The oom variant needs it for its --oom mode (conformance/shim/oom.c): one
# fork per injected run, no exec.
ifneq ($(filter vg tsan oom,$(V)),)
TEST_CFLAGS := -Iconformance/shim
TEST_LIBS :=
TEST_RUNNER_SRC := conformance/shim/runner.c conformance/shim/oom.c \
                   conformance/shim/oom_report.c
else
TEST_CFLAGS :=
TEST_LIBS := -lcriterion
TEST_RUNNER_SRC :=
endif
TEST_RUNNER_OBJ := $(patsubst %.c,$(B)/obj/%.o,$(TEST_RUNNER_SRC))

$(B)/tobj/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC [$(V)] $<")
	$(Q)$(CC) $(CFLAGS) $(TEST_CFLAGS) -Wno-missing-prototypes -MMD -MP -c $< -o $@

$(B)/obj/conformance/shim/%.o: conformance/shim/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(TEST_CFLAGS) -MMD -MP -c $< -o $@

.SECONDEXPANSION:
suite_objs = $(patsubst %.c,$(B)/tobj/%.o,$(wildcard $(1)/$(2)/*.c))
$(B)/conformance/%: $$(call suite_objs,conformance,$$*) $(TEST_RUNNER_OBJ) $(STATIC_LIB)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD [$(V)] $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(STATIC_LIB) $(TEST_LIBS) $(LIB_DEPS) $(LIBS)

$(B)/tests/%: $$(call suite_objs,tests,$$*) $(TEST_RUNNER_OBJ) $(STATIC_LIB)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD [$(V)] $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(STATIC_LIB) $(TEST_LIBS) $(LIB_DEPS) $(LIBS)

-include $(shell find $(B)/tobj -name '*.d' 2>/dev/null)

.PHONY: suites
suites: $(CONF_BINS) $(TEST_BINS)

# Run every suite binary of a variant; ci/run-suites.sh prints each
# Criterion summary and the closing total, and writes JSON results.
RESULTS := reports/results

.PHONY: conformance unit valgrind tsan
conformance:
	@$(MAKE) --no-print-directory V=$(if $(filter command line,$(origin V)),$(V),asan) \
	    run-conformance

.PHONY: run-conformance run-unit
run-conformance: $(CONF_BINS)
	@ci/run-suites.sh --variant $(V) --results $(RESULTS)/$(V) $(CONF_BINS)

unit:
	@$(MAKE) --no-print-directory V=$(if $(filter command line,$(origin V)),$(V),asan) run-unit

run-unit: $(TEST_BINS)
	@ci/run-suites.sh --variant $(V) --results $(RESULTS)/$(V) $(TEST_BINS)

valgrind:
	@$(MAKE) --no-print-directory V=vg suites
	@ci/run-suites.sh --variant vg --valgrind --results $(RESULTS)/vg \
	    $(addprefix build/vg/conformance/,$(CONF_FAMILIES)) \
	    $(addprefix build/vg/tests/,$(TEST_MODULES))

# Families whose suites also run under TSan (they start threads).
TSAN_FAMILIES ?= $(filter executor thread future par atomic mutex rwlock semaphore barrier \
                  async_file coverage gpu gpu_atomic print interp args aop tcp udp http value,$(CONF_FAMILIES))
tsan:
	@if [ -z "$(TSAN_FAMILIES)" ]; then echo "tsan: no concurrent family has suites yet"; \
	 else $(MAKE) --no-print-directory V=tsan $(addprefix build/tsan/conformance/,$(TSAN_FAMILIES)) && \
	 ci/run-suites.sh --variant tsan --results $(RESULTS)/tsan \
	    $(addprefix build/tsan/conformance/,$(TSAN_FAMILIES)); fi

# ---- spec, audit -----------------------------------------------------------------------
.PHONY: spec-check audit
# The release CLI drives the spec tools whatever variant is being built.
.PHONY: release-tools
release-tools:
	@$(MAKE) --no-print-directory V=release cli lib

spec-check: release-tools
	build/release/simplert spec check

audit: release-tools
	build/release/simplert audit --lib build/release/libsimplert.so \
	    --results $(RESULTS)/asan --out reports

# ---- benchmarks ------------------------------------------------------------------------
# bench/<name>.c against its peer, side by side (bench/bench.h); a family adds
# BENCH_LIBS_<name> := -l... in its mk/<family>.mk when its peer needs a library.
BENCHES := $(filter-out bench,$(sort $(basename $(notdir $(wildcard bench/*.c)))))
$(B)/bench/%: $(B)/tobj/bench/%.o $(B)/tobj/bench/bench.o $(STATIC_LIB)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD [$(V)] $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(STATIC_LIB) $(BENCH_LIBS_$*) $(LIB_DEPS) $(LIBS)

.PHONY: bench bench-bins
bench-bins: $(addprefix $(B)/bench/,$(BENCHES))
bench:
	@$(MAKE) --no-print-directory V=release bench-bins
	@for b in $(BENCHES); do echo "== bench $$b"; build/release/bench/$$b $(BENCH_ARGS) || exit 1; done

# ---- fuzzing ---------------------------------------------------------------------------
include fuzz/fuzz.mk

# ---- install ---------------------------------------------------------------------------
.PHONY: install install-check
install: lib cli
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include/simplert \
	    $(DESTDIR)$(PREFIX)/bin
	install -m 644 $(STATIC_LIB) $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(SHARED_LIB) $(DESTDIR)$(PREFIX)/lib/
	ln -sf libsimplert.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libsimplert.so.$(SOVERSION)
	ln -sf libsimplert.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libsimplert.so
	install -m 644 include/simplert.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 include/simplert/*.h $(DESTDIR)$(PREFIX)/include/simplert/
	install -m 755 $(CLI) $(DESTDIR)$(PREFIX)/bin/
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' \
	    -e 's|@LIBS@|$(strip $(LIB_DEPS) $(LIBS))|g' simplert.pc.in \
	    > $(DESTDIR)$(PREFIX)/lib/pkgconfig/simplert.pc

install-check:
	@ci/install-check.sh

# ---- the gates -------------------------------------------------------------------------
.PHONY: test qualify clean
test:
	@ci/test.sh

# QUALIFY_ARGS: options of `simplert qualify` (e.g. --fuzz-time 20m --skip bench).
qualify:
	@ci/qualify.sh $(QUALIFY_ARGS)

clean:
	rm -rf build reports/results reports/bench reports/logs reports/fuzz reports/oom \
	    reports/coverage reports/audit-*
	find reports -maxdepth 1 -type f ! -name README.md -delete
