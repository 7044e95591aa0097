#!/usr/bin/env bash
# ci/qualify.sh — `make qualify`, the release-qualification run: every stage of
# `make test`, with a longer fuzzing budget (QUALIFY_FUZZ_TIME seconds per target,
# default 60) and the suites' stress sizes (SIMPLERT_STRESS=1), writing reports/
# (stub-status.{sdn,md}, results/).
set -uo pipefail
cd "$(dirname "$0")/.."
ci/deps.sh --qualify || { echo "make qualify: install the dependencies first (see above)"; exit 1; }
# SIMPLERT_STRESS=1: suites run their long stress sizes (conformance/conc.h).
SIMPLERT_STRESS=1 FUZZ_SMOKE_TIME=${QUALIFY_FUZZ_TIME:-60} ci/test.sh
rc=$?
echo
echo "make qualify: reports in reports/ — stub-status.md, stub-status.sdn, results/"
exit $rc
