#!/usr/bin/env bash
# ci/qualify.sh — `make qualify`: the release-qualification run on a fresh
# Debian 12 machine. Installs what qualify needs (ci/deps.sh --qualify, which
# includes headless Chromium), builds the release CLI, then hands over to
# `simplert qualify` (tools/qualify_cmd.c): every stage with a progress
# display, reports/index.html and the other reports, the failing gates and
# the exit status. Arguments are passed on (e.g. --fuzz-time 20m, --skip bench);
# QUALIFY_ARGS from make does the same, and QUALIFY_FUZZ_TIME=seconds sets the
# AFL++ campaign's budget. The stages run with SIMPLERT_STRESS=1 (the suites'
# long runs) unless it is set.
set -uo pipefail
cd "$(dirname "$0")/.."
ci/deps.sh --qualify || { echo "make qualify: install the dependencies first (see above)"; exit 1; }
make --no-print-directory -s V=release cli || { echo "make qualify: the CLI does not build"; exit 1; }
export SIMPLERT_STRESS=${SIMPLERT_STRESS:-1}
fuzz=()
[ -n "${QUALIFY_FUZZ_TIME:-}" ] && fuzz=(--fuzz-time "$QUALIFY_FUZZ_TIME")
exec build/release/simplert qualify "${fuzz[@]}" "$@"
