#!/usr/bin/env bash
# ci/qualify.sh — `make qualify`, the release-qualification run: every stage of
# `make test`, with a longer fuzzing budget (QUALIFY_FUZZ_TIME seconds per target,
# default 60) and the long stress runs (SIMPLERT_STRESS=1, read by the suites),
# then the runtime measured by its own coverage collector and its cross-checks
# (`make dogfood dogfood-crosscheck`), then the benchmarks (`make bench`), writing
# reports/ (stub-status.{sdn,md}, results/, bench/, runtime-coverage.*).
set -uo pipefail
cd "$(dirname "$0")/.."
ci/deps.sh --qualify || { echo "make qualify: install the dependencies first (see above)"; exit 1; }
export SIMPLERT_STRESS=${SIMPLERT_STRESS:-1}
FUZZ_SMOKE_TIME=${QUALIFY_FUZZ_TIME:-60} ci/test.sh
rc=$?
echo
echo "==== [dogfood] make dogfood dogfood-crosscheck (coverage_rt/instrument/README.md)"
make --no-print-directory dogfood || rc=1
make --no-print-directory dogfood-crosscheck || rc=1
echo
echo "==== [bench] make bench"
make --no-print-directory bench || rc=1
echo
echo "make qualify: reports in reports/ — stub-status.md, stub-status.sdn, results/, bench/," \
     "runtime-coverage.sdn (+ .lcov, runtime-coverage/index.html)"
exit $rc
