#!/usr/bin/env bash
# ci/oom.sh — `make oom`: OOM fault injection over the conformance suites and
# the fuzz corpora. Runs each suite binary of the oom variant (ASan+UBSan,
# fork-only runner) in its --oom mode, and each fuzz replay driver of the oom
# variant with --oom over fuzz/corpus/<t> and fuzz/regressions/<t> (the OOM
# engine: conformance/shim/oom.c): every test or input once per chosen
# allocation, with that allocation failing. Writes reports/oom/<name>.sdn and
# .log, prints one line per suite or target and the total.
#
#   ci/oom.sh [--all] [--max M] [--jobs N] [--out DIR] [SUITE-BIN | --fuzz TARGET-BIN]...
#
#   --all     every allocation of every test (make qualify), not only the first,
#             second and last attempt of each distinct allocation call stack
#   --max M   at most M injected runs per test (0: no cap; default 0)
#   --jobs N  injected runs at once, within each suite or target (default 2);
#             the suites and targets run one after another
# Exit status: 1 when any run crashed, leaked or hung.
set -uo pipefail
all=() max=0 jobs=2 out=reports/oom bins=()
while [ $# -gt 0 ]; do
  case "$1" in
    --all) all=(--oom-all); shift ;;
    --max) max=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --fuzz) bins+=("fuzz:$2"); shift 2 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) bins+=("suite:$1"); shift ;;
  esac
done
[ ${#bins[@]} -gt 0 ] || { echo "oom: no suites"; exit 0; }
rm -rf "$out" && mkdir -p "$out"
# leak_check_at_exit=0: a test an injected failure stopped early leaves its own
# objects behind; leaks are judged by RTC_TEST's checks when the body completed.
export ASAN_OPTIONS="detect_leaks=1:leak_check_at_exit=0:halt_on_error=1:allocator_may_return_null=1"
export LSAN_OPTIONS="suppressions=$(cd "$(dirname "$0")" && pwd)/lsan-oom.supp"   # OpenSSL's thread state: see the file
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export MESA_SHADER_CACHE_DISABLE=true
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
chmod 700 "$XDG_RUNTIME_DIR" 2>/dev/null || true
start=$(date +%s)

one() {   # one KIND:BIN: run it, keep its stderr, print its closing line
  local kind=${1%%:*} bin=${1#*:} name; name=$(basename "$bin")
  local t0; t0=$(date +%s) args=()
  if [ "$kind" = fuzz ]; then name=fuzz-$name; args=(fuzz/corpus/"${name#fuzz-}" fuzz/regressions/"${name#fuzz-}"); fi
  "$bin" --oom -q --oom-out "$OUT" --oom-max "$MAX" --oom-jobs "$JOBS" "${ALL[@]}" "${args[@]}" \
    2>"$OUT/$name.out"
  local rc=$?
  grep -a '^\[OOM \]' "$OUT/$name.out" | head -20
  local last; last=$(grep -a '^\[====\] OOM' "$OUT/$name.out" | tail -1)
  if [ -z "$last" ]; then
    echo "[oom] $name: the runner did not finish (exit $rc) — see $OUT/$name.out"; tail -5 "$OUT/$name.out"
    return 1
  fi
  printf '[oom] %-14s %s (%ss)\n' "$name" "${last#*: }" "$(( $(date +%s) - t0 ))"
  return $rc
}
export OUT=$out MAX=$max JOBS=$jobs
ALL=("${all[@]}")
rc=0
for b in "${bins[@]}"; do one "$b" || rc=1; done

# The total, from the per-suite summaries.
awk -F': ' '
  FNR==1 { suites++ }
  /^cases: /     { t+=$2 } /^allocations: / { a+=$2 } /^runs: / { r+=$2 }
  /^sites: /     { s+=$2 } /^failures: /    { f+=$2 } /^baseline_failed: / { b+=$2 }
  END { printf "[====] oom total: %d suites, %d cases, %d allocations counted, %d injected runs, %d allocation sites reached, %d failures, %d baseline failures\n", suites, t, a, r, s, f, b }
' "$out"/*.sdn 2>/dev/null
echo "[====] oom: $(( $(date +%s) - start ))s; reports in $out/"
if [ $rc != 0 ]; then echo "[====] oom: FAILED (see above and $out/*.log)"; exit 1; fi
exit 0
