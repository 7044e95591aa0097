# mk/coverage.mk — the coverage family's extra build wiring (included by the Makefile).
#
# The `simplert cov` code (tools/cov_*.c) is not part of the library, but two
# things besides the CLI link it: the CLI's unit tests (tests/cov) and the
# fuzz target that feeds it fuzzed SDN (fuzz/targets/cov_sdn.c). Adding the
# objects as prerequisites is enough: the pattern rules link every .o listed.
# The Makefile includes mk/*.mk before `all:`; keep the rules below from
# becoming the default goal.

COV_TOOL_SRCS := tools/cov_cmd.c tools/cov_read.c tools/cov_report.c tools/cov_html.c tools/util.c \
                 tools/json.c

$(B)/tests/cov: $(patsubst %.c,$(B)/obj/%.o,$(COV_TOOL_SRCS))
$(B)/fuzz/cov_sdn: $(patsubst %.c,$(B)/obj/%.o,$(COV_TOOL_SRCS))
build/fuzz-lf/bin/cov_sdn: $(patsubst %.c,build/fuzz-lf/obj/%.o,$(COV_TOOL_SRCS))
build/fuzz-afl/bin/cov_sdn: $(patsubst %.c,build/fuzz-afl/obj/%.o,$(COV_TOOL_SRCS))
# Those two link rules list the archive before the extra objects; name it
# again after them (LIB_DEPS comes last on their command lines).
build/fuzz-lf/bin/cov_sdn: LIB_DEPS += build/fuzz-lf/libsimplert.a
build/fuzz-afl/bin/cov_sdn: LIB_DEPS += build/fuzz-afl/libsimplert.a
