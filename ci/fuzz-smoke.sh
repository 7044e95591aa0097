#!/usr/bin/env bash
# ci/fuzz-smoke.sh — the short fuzzing stage of `make test`, per target:
#   1. replay fuzz/corpus/<t> and fuzz/regressions/<t> with the ASan+UBSan replay
#      build (build/asan/fuzz/<t>): every input that ever crashed stays fixed;
#   2. fuzz for --time seconds with libFuzzer (build/fuzz-lf/bin/<t>), seeded
#      with the corpus, into a scratch corpus (the committed corpus is not touched).
# Writes reports/results/fuzz/<t>.sdn (replayed, execs, crashes, status) for
# `simplert audit`. Exit 1 if any target crashed, leaked or failed an oracle.
#
#   ci/fuzz-smoke.sh [--time S] [--jobs N] TARGET...
set -uo pipefail
time=3 jobs=2 targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --time) time=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --one) one=1; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
out=reports/results/fuzz
work=build/fuzz-smoke
mkdir -p "$out" "$work"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"

smoke_one() {
  local t=$1 log="$work/$1.log" status=clean replayed=0 execs=0 crashes=0
  local corpus=fuzz/corpus/$t regress=fuzz/regressions/$t
  : >"$log"
  if ! build/asan/fuzz/"$t" "$corpus" "$regress" >>"$log" 2>&1; then
    status=replay-crash crashes=1
  fi
  replayed=$(sed -n 's/^replay: \([0-9]*\) inputs.*/\1/p' "$log" | tail -1)
  if [ "$status" = clean ]; then
    rm -rf "$work/$t.corpus" "$work/$t.artifacts"; mkdir -p "$work/$t.corpus" "$work/$t.artifacts"
    local dict=(); [ -f "fuzz/dict/$t.dict" ] && dict=(-dict="fuzz/dict/$t.dict")
    build/fuzz-lf/bin/"$t" -max_total_time="$time" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$work/$t.artifacts/" "${dict[@]}" \
      "$work/$t.corpus" $( [ -d "$corpus" ] && echo "$corpus" ) >>"$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\)/\1/p' "$log" | tail -1)
    if [ "$rc" != 0 ]; then
      status=crash crashes=$(ls "$work/$t.artifacts" 2>/dev/null | wc -l)
      [ "$crashes" = 0 ] && crashes=1
    fi
  fi
  printf 'target: %s\nreplayed: %s\nexecs: %s\ncrashes: %s\nstatus: %s\nseconds: %s\n' \
    "$t" "${replayed:-0}" "${execs:-0}" "$crashes" "$status" "$time" >"$out/$t.sdn"
  if [ "$status" = clean ]; then
    printf '[fuzz] %-16s clean: %s inputs replayed, %s execs in %ss\n' "$t" "${replayed:-0}" "${execs:-0}" "$time"
  else
    printf '[fuzz] %-16s %s — log: %s\n' "$t" "$status" "$log"
    grep -E 'ERROR: |runtime error:|oracle failed|SUMMARY:|artifact_prefix|Test unit written' "$log" | head -12 | sed 's/^/    /'
    echo "    reproduce: build/asan/fuzz/$t <input>; once fixed, keep the input in fuzz/regressions/$t/"
    return 1
  fi
}
export -f smoke_one
export time work out
printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c 'smoke_one "$@"' _ {}
rc=$?
[ $rc = 0 ] && echo "[fuzz] ${#targets[@]} targets clean" || echo "[fuzz] FAILED (see above)"
exit $([ $rc = 0 ] && echo 0 || echo 1)
