#!/usr/bin/env bash
# coverage_rt/instrument/dogfood.sh — the steps behind `make dogfood`, `make dogfood-crosscheck`
# and `make dogfood-check` (mk/dogfood.mk builds what they need first).
#
#   dogfood.sh report --ratchet FILE [--update-ratchet] --sources "SRC..." BIN...
#       run the suite binaries of the dogfood variant with SIMPLE_COVERAGE=1, one report per
#       process, merge them, join them with the manifests and write reports/runtime-coverage.*
#   dogfood.sh crosscheck --out DIR --dogfood "BIN..." --gcov "BIN..." --mcdc "BIN..."
#       the same workload three ways; rtcov xgcov and rtcov xmcdc compare them
#   dogfood.sh corpus --out DIR SRC...
#       the fixed corpus (coverage_rt/instrument/corpus) built three ways and compared
#
# Exit status 0 only when every suite passed and every check held.
set -uo pipefail
cd "$(dirname "$0")/../.."
RTCOV_INSTRUMENT=build/rtcov/rtcov-instrument
RTCOV=build/rtcov/rtcov
SIMPLERT=build/release/simplert
LLVM_PROFDATA=${LLVM_PROFDATA:-llvm-profdata-19}
LLVM_COV=${LLVM_COV:-llvm-cov-19}
CLANG19=${CLANG19:-clang-19}

die() { echo "dogfood: $*" >&2; exit 1; }

# run_suites VARIANT RESULTS BIN... — the suites, with whatever coverage environment is set.
run_suites() {
  local variant=$1 results=$2; shift 2
  ci/run-suites.sh --variant "$variant" --results "$results" "$@"
}

# simplert_run DIR BIN... — a run of the dogfood build, one coverage report per process in DIR
# (an absolute path: suites chdir into temporary folders).
simplert_run() {
  local dir=$1; shift
  rm -rf "$dir" && mkdir -p "$dir"
  SIMPLE_COVERAGE=1 SIMPLE_COVERAGE_OUTPUT="$(cd "$dir" && pwd)/" \
      run_suites dogfood "$dir.results" "$@"
}

cmd_report() {
  local ratchet="" update="" sources=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --ratchet) ratchet=$2; shift 2 ;;
      --update-ratchet) update=--update-ratchet; shift ;;
      --sources) sources=$2; shift 2 ;;
      *) break ;;
    esac
  done
  local out=build/dogfood/run rc=0
  echo "== dogfood: the conformance and unit suites against the instrumented runtime"
  if ! simplert_run "$out" "$@"; then
    # A suite that fails here and passes when run again is timing-dependent: the probes
    # slow the runtime down and widen races in tests (its first run's coverage is kept).
    local failed=() b
    for b in "$@"; do
      grep -q 'Failing: 0 | Crashing: 0' "$out.results/logs/$(basename "$b").log" 2>/dev/null ||
          failed+=("$b")
    done
    echo "== dogfood: running again: ${failed[*]}"
    if [ ${#failed[@]} -gt 0 ] && simplert_run "$out.retry" "${failed[@]}"; then
      echo "dogfood: WARNING: flaky under instrumentation (failed once, then passed):" \
           "${failed[*]}; the failure is in $out.results/logs/"
    else
      rc=1
    fi
  fi
  printf '%s\n' $sources > build/dogfood/sources.txt
  echo "== dogfood: $(ls "$out" | wc -l) per-process reports; merging"
  "$SIMPLERT" cov merge "$out" -o build/dogfood/merged.sdn || die "cov merge failed"
  mkdir -p reports
  # The join's totals (against the manifests) head the text report; `simplert cov report`
  # follows with the per-file tables and what is not covered. (Its own "paths" line counts
  # distinct raw traces, each covered by definition; the join's path numbers are the ones
  # against the acyclic paths the manifests count.)
  "$RTCOV" join -m build/dogfood/manifest -r build/dogfood/merged.sdn \
      -o reports/runtime-coverage.sdn --expect build/dogfood/sources.txt \
      ${ratchet:+--ratchet "$ratchet"} $update > build/dogfood/join.txt || rc=1
  cat build/dogfood/join.txt
  rm -rf reports/runtime-coverage
  { cat build/dogfood/join.txt; echo
    "$SIMPLERT" cov report reports/runtime-coverage.sdn --html reports/runtime-coverage \
        --lcov reports/runtime-coverage.lcov; } > reports/runtime-coverage.txt || rc=1
  echo "dogfood: reports/runtime-coverage.sdn, reports/runtime-coverage/index.html," \
       "reports/runtime-coverage.lcov, reports/runtime-coverage.txt"
  [ $rc = 0 ] && echo "make dogfood: PASS" || echo "make dogfood: FAIL"
  return $rc
}

# gcov_json OUT OBJDIR... — gcovr's JSON (format 0.3 in gcovr 5.2) of the .gcda files.
gcov_json() {
  local out=$1; shift
  gcovr --json -o "$out" -r . "$@" >/dev/null 2>"$out.log" || { cat "$out.log"; return 1; }
}

# mcdc_show OUT PROFDIR BIN... — llvm-cov-19's MC/DC listing of the runs' merged profile.
mcdc_show() {
  local out=$1 prof=$2; shift 2
  "$LLVM_PROFDATA" merge -o "$prof/merged.profdata" "$prof"/*.profraw || return 1
  local first=$1; shift
  local objs=()
  for b in "$@"; do objs+=(-object "$b"); done
  "$LLVM_COV" show --show-mcdc -instr-profile "$prof/merged.profdata" "$first" "${objs[@]}" \
      -ignore-filename-regex='(conformance|tests|fuzz|/usr)/' > "$out" || return 1
}

cmd_crosscheck() {
  local out="" dbins="" gbins="" mbins=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --out) out=$2; shift 2 ;;
      --dogfood) dbins=$2; shift 2 ;;
      --gcov) gbins=$2; shift 2 ;;
      --mcdc) mbins=$2; shift 2 ;;
      *) die "crosscheck: unexpected '$1'" ;;
    esac
  done
  rm -rf "$out" && mkdir -p "$out"
  local rc=0 alts=()
  export RTCOV_XC_DROP_FAULT_INJECTION=1   # xc_helper.c: why
  echo "== dogfood crosscheck: the simplert build, once as is and with the heap shifted" \
       "(what moves is layout-dependent)"
  # shellcheck disable=SC2086
  simplert_run "$out/run1" $dbins || rc=1
  local shift_bytes
  for shift_bytes in ${XC_HEAP_SHIFTS:-40 4136 262152}; do
    # shellcheck disable=SC2086
    RTCOV_XC_HEAP_SHIFT=$shift_bytes simplert_run "$out/run-shift$shift_bytes" $dbins || rc=1
    alts+=(-r2 "$out/run-shift$shift_bytes")
  done
  # The gcov and clang builds repeat the workload too, with the same shifts: a count that
  # moves between their own runs is nondeterministic as well (e.g. a walk that reads /tmp).
  local gjson=() shows=() sh
  for sh in 0 ${XC_HEAP_SHIFTS:-40 4136 262152}; do
    echo "== dogfood crosscheck: gcc --coverage build (heap shift $sh)"
    find build/gcov -name '*.gcda' -delete 2>/dev/null
    # shellcheck disable=SC2086
    RTCOV_XC_HEAP_SHIFT=$sh run_suites gcov "$out/gcov$sh.results" $gbins >/dev/null || rc=1
    gcov_json "$out/gcovr$sh.json" build/gcov/obj || rc=1
    gjson+=(--gcovr "$out/gcovr$sh.json")
  done
  for sh in 0 4136; do
    echo "== dogfood crosscheck: clang-19 -fcoverage-mcdc build (heap shift $sh)"
    rm -rf "$out/prof$sh" && mkdir -p "$out/prof$sh"
    # shellcheck disable=SC2086
    RTCOV_XC_HEAP_SHIFT=$sh LLVM_PROFILE_FILE="$(pwd)/$out/prof$sh/%p-%m.profraw" \
        run_suites mcdc "$out/mcdc$sh.results" $mbins >/dev/null || rc=1
    # shellcheck disable=SC2086
    mcdc_show "$out/mcdc-show$sh.txt" "$out/prof$sh" $mbins || rc=1
    shows+=(--llvm-show "$out/mcdc-show$sh.txt")
  done
  "$RTCOV" xgcov -m build/dogfood/manifest -r "$out/run1" "${alts[@]}" "${gjson[@]}" || rc=1
  "$RTCOV" xmcdc -m build/dogfood/manifest -r "$out/run1" "${alts[@]}" "${shows[@]}" || rc=1
  [ $rc = 0 ] && echo "make dogfood-crosscheck: PASS" || echo "make dogfood-crosscheck: FAIL"
  return $rc
}

cmd_corpus() {
  local out=""
  [ "${1:-}" = --out ] && { out=$2; shift 2; }
  [ -n "$out" ] || die "corpus: --out DIR"
  rm -rf "$out" && mkdir -p "$out"/{inst,man,gcov,mcdc,run}
  local warn=(-Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter)
  local base=(-std=c11 -D_GNU_SOURCE -Iinclude -I.)
  local srcs=("$@") inst=() rc=0
  for s in "${srcs[@]}"; do
    local n; n=$(basename "$s" .c)
    "$RTCOV_INSTRUMENT" -o "$out/inst/$n.c" -m "$out/man/$n.sdn" "$s" -- "${base[@]}" || return 1
    inst+=("$out/inst/$n.c")
  done
  # The simplert build: instrumented sources, the collector from the release library.
  gcc "${base[@]}" "${warn[@]}" -O1 -g -iquote "$(dirname "${srcs[0]}")" "${inst[@]}" \
      build/release/libsimplert.a -lpthread -lm -ldl -o "$out/simplert-bin" || return 1
  gcc "${base[@]}" "${warn[@]}" -O0 --coverage "${srcs[@]}" -o "$out/gcov/gcov-bin" || return 1
  "$CLANG19" "${base[@]}" "${warn[@]}" -O0 -fprofile-instr-generate -fcoverage-mapping \
      -fcoverage-mcdc "${srcs[@]}" -o "$out/mcdc/mcdc-bin" || return 1
  SIMPLE_COVERAGE=1 SIMPLE_COVERAGE_OUTPUT="$(pwd)/$out/run/" "$out/simplert-bin" > "$out/simplert.out" || rc=1
  (cd "$out/gcov" && ./gcov-bin > ../gcov.out) || rc=1
  LLVM_PROFILE_FILE="$(pwd)/$out/mcdc/%p.profraw" "$out/mcdc/mcdc-bin" > "$out/mcdc.out" || rc=1
  cmp -s "$out/simplert.out" "$out/gcov.out" && cmp -s "$out/simplert.out" "$out/mcdc.out" ||
      { echo "dogfood-check: the three builds printed different results"; rc=1; }
  gcov_json "$out/gcovr.json" "$out/gcov" || rc=1
  mcdc_show "$out/mcdc-show.txt" "$out/mcdc" "$out/mcdc/mcdc-bin" || rc=1
  "$RTCOV" xgcov -m "$out/man" -r "$out/run" --gcovr "$out/gcovr.json" || rc=1
  "$RTCOV" xmcdc -m "$out/man" -r "$out/run" --llvm-show "$out/mcdc-show.txt" || rc=1
  [ $rc = 0 ] && echo "make dogfood-check: PASS" || echo "make dogfood-check: FAIL"
  return $rc
}

case "${1:-}" in
  report) shift; cmd_report "$@" ;;
  crosscheck) shift; cmd_crosscheck "$@" ;;
  corpus) shift; cmd_corpus "$@" ;;
  -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) die "usage: dogfood.sh report|crosscheck|corpus ... (--help)" ;;
esac
