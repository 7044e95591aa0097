#!/usr/bin/env bash
# ci/test.sh — `make test`, the gate CI runs (.ci/run). Stages, in order:
#   deps        ci/deps.sh: install missing Debian packages (needs root or sudo)
#   build       release library + CLI, warnings are errors
#   spec        spec rows vs headers (simplert spec check)
#   asan        conformance + unit suites under ASan+UBSan, no recovery
#   tsan        conformance of the concurrent families under ThreadSanitizer
#   valgrind    conformance + unit suites under Valgrind memcheck
#   fuzz        regression/corpus replay + a short libFuzzer run per target; AFL++ build
#   install     make install + a pkg-config downstream build
#   dogfood     the coverage collector cross-checked against gcov and clang-19 MC/DC on a
#               fixed corpus (make dogfood-check; coverage_rt/instrument/README.md)
#   audit       the stub-status report; fails when a fact contradicts a spec row
# Every stage runs even when an earlier one failed (except those that need the
# build), so one CI run shows every failure. Exit 1 if any stage failed.
set -uo pipefail
cd "$(dirname "$0")/.."
J=${JOBS:-$(nproc)}
M="make --no-print-directory -s -j$J"
declare -a names=() results=() secs=()
failed=0
start_all=$(date +%s)

stage() {   # stage NAME COMMAND...
  local name=$1; shift
  local t0=$(date +%s)
  echo
  echo "==== [$name] $*"
  if "$@"; then r=ok; else r=FAIL; failed=1; fi
  local dt=$(( $(date +%s) - t0 ))
  names+=("$name") results+=("$r") secs+=("$dt")
  echo "==== [$name] $r (${dt}s)"
}

stage deps ci/deps.sh
if [ "${results[0]}" != ok ]; then
  echo "make test: dependencies are missing; run ci/deps.sh as root (see above)"; exit 1
fi
stage build $M V=release all
if [ "${results[1]}" = ok ]; then
  stage spec build/release/simplert spec check
  rm -rf reports/results
  stage asan bash -c "$M V=asan suites && $M V=asan run-conformance run-unit"
  stage tsan $M tsan
  stage valgrind $M valgrind
  stage fuzz bash -c "$M fuzz-smoke && $M fuzz-afl-bins"
  stage install $M install-check
  stage dogfood $M dogfood-check
  stage audit build/release/simplert audit -q
fi

echo
echo "==== make test summary ($(( $(date +%s) - start_all ))s)"
for i in "${!names[@]}"; do printf '  %-9s %-4s %4ss\n' "${names[$i]}" "${results[$i]}" "${secs[$i]}"; done
if [ $failed = 0 ]; then echo "make test: PASS"; else echo "make test: FAIL"; fi
exit $failed
