#!/usr/bin/env bash
# ci/qualify.sh — `make qualify`, the release-qualification run: every stage of
# `make test`, with a longer fuzzing budget (QUALIFY_FUZZ_TIME seconds per target,
# default 60) and the long stress runs (SIMPLERT_STRESS=1, read by the suites),
# then the benchmarks (`make bench`), writing reports/ (stub-status.{sdn,md},
# results/, bench/).
set -uo pipefail
cd "$(dirname "$0")/.."
ci/deps.sh --qualify || { echo "make qualify: install the dependencies first (see above)"; exit 1; }
export SIMPLERT_STRESS=${SIMPLERT_STRESS:-1}
FUZZ_SMOKE_TIME=${QUALIFY_FUZZ_TIME:-60} ci/test.sh
rc=$?
echo
echo "==== [bench] make bench"
make --no-print-directory bench || rc=1
echo
echo "make qualify: reports in reports/ — stub-status.md, stub-status.sdn, results/, bench/"
exit $rc
