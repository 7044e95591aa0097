#!/usr/bin/env bash
# ci/run-suites.sh — run suite binaries, show failures and each Criterion summary,
# and close with the total. Writes Criterion JSON results (for `simplert audit`).
#
#   ci/run-suites.sh [--variant V] [--valgrind] [--results DIR] BIN...
#   SUITE_JOBS=N   suites run at once (default: nproc for vg/tsan, 1 for Criterion)
#
# Exit status: 0 when every suite passed, 1 otherwise.
set -uo pipefail

variant=asan valgrind=0 results=reports/results/asan
bins=()
while [ $# -gt 0 ]; do
  case "$1" in
    --variant) variant=$2; shift 2 ;;
    --valgrind) valgrind=1; shift ;;
    --results) results=$2; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) bins+=("$1"); shift ;;
  esac
done
[ ${#bins[@]} -gt 0 ] || { echo "run-suites: no suites to run"; exit 0; }
mkdir -p "$results/logs"
root=$(cd "$(dirname "$0")/.." && pwd)

# Sanitizers stop at the first error; huge allocations return NULL so the
# runtime's documented refusal is what gets tested, not ASan's abort.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:allocator_may_return_null=1:detect_stack_use_after_return=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
# atexit_sleep_ms=0: TSan otherwise sleeps 1 s at exit whenever another thread
# is alive (every test that leaves an executor worker parked).
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:atexit_sleep_ms=0:suppressions=$root/ci/tsan.supp}"
export MESA_SHADER_CACHE_DISABLE=true
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
chmod 700 "$XDG_RUNTIME_DIR" 2>/dev/null || true

t_tested=0 t_pass=0 t_fail=0 t_crash=0 bad=()
start=$(date +%s)

# Run one suite binary; its log, exit status and duration go to files so
# several suites can run at once and be reported in order afterwards.
run_one() {
  local bin=$1 name log t0 rc
  name=$(basename "$bin")
  log="$results/logs/$name.log"
  rm -f "$results/logs/$name".vg.*.log
  t0=$(date +%s)
  if [ "$valgrind" = 1 ]; then
    valgrind --quiet --leak-check=full --show-leak-kinds=definite \
      --errors-for-leak-kinds=definite --error-exitcode=99 \
      --suppressions="$root/ci/valgrind.supp" \
      --log-file="$results/logs/$name.vg.%p.log" "$bin" -q --json="$results/$name.json" \
      >"$log.out" 2>"$log"
    rc=$?
  else
    "$bin" --json="$results/$name.json" >"$log.out" 2>"$log"
    rc=$?
  fi
  echo "$rc $(( $(date +%s) - t0 ))" >"$log.rc"
}

# Criterion already runs a suite's tests on every core; the fork-only runner
# (vg, tsan) runs them one at a time, so there whole suites run side by side.
if [ -z "${SUITE_JOBS:-}" ]; then
  case "$variant" in vg|tsan) SUITE_JOBS=$(nproc) ;; *) SUITE_JOBS=1 ;; esac
fi
# Longest first (durations from the previous run), so a slow suite never
# starts last and leaves the other cores idle.
order=()
while read -r _ b; do order+=("$b"); done < <(
  for bin in "${bins[@]}"; do
    prev=$(cut -d' ' -f2 "$results/logs/$(basename "$bin").log.rc" 2>/dev/null || echo 0)
    echo "${prev:-0} $bin"
  done | sort -rn -k1,1)
for bin in "${order[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$SUITE_JOBS" ]; do wait -n; done
  run_one "$bin" &
done
wait

for bin in "${bins[@]}"; do
  name=$(basename "$bin")
  log="$results/logs/$name.log"
  read -r rc dt <"$log.rc" 2>/dev/null || { rc=127; dt=0; }
  # Show what failed, with Criterion's context lines, then the summary.
  grep -E '^\[(FAIL|----)\]|ERROR: (Address|Leak|Thread)Sanitizer|runtime error:|WARNING: ThreadSanitizer' "$log" | head -60
  syn=$(grep -a 'Synthesis:' "$log" | tail -1)
  if [ -z "$syn" ]; then
    echo "[$variant] $name: no summary (exit $rc) — last lines of $log:"
    tail -20 "$log"
    bad+=("$name"); continue
  fi
  echo "[$variant] $name (${dt}s) ${syn#*Synthesis: }"
  read -r n p f c < <(echo "$syn" | sed -E 's/.*Tested: ([0-9]+) \| Passing: ([0-9]+) \| Failing: ([0-9]+) \| Crashing: ([0-9]+).*/\1 \2 \3 \4/')
  t_tested=$((t_tested+n)) t_pass=$((t_pass+p)) t_fail=$((t_fail+f)) t_crash=$((t_crash+c))
  if [ "$valgrind" = 1 ]; then
    # The fork-only runner already fails a test whose child Valgrind flagged;
    # this catches errors in the runner process itself too.
    vgbad=$(grep -lE 'ERROR SUMMARY: [1-9]|definitely lost: [1-9]' "$results/logs/$name".vg.*.log 2>/dev/null)
    if [ -n "$vgbad" ]; then
      echo "[$variant] $name: Valgrind reports errors or definite leaks in:"; echo "$vgbad" | sed 's/^/    /'
      rc=1
    fi
  fi
  [ "$rc" = 0 ] && [ "$f" = 0 ] && [ "$c" = 0 ] || bad+=("$name")
done
echo "[====] $variant total: Tested: $t_tested | Passing: $t_pass | Failing: $t_fail | Crashing: $t_crash  (${#bins[@]} suites, $(( $(date +%s) - start ))s)"
if [ ${#bad[@]} -gt 0 ]; then
  echo "[====] $variant FAILED suites: ${bad[*]} (logs in $results/logs/)"
  exit 1
fi
exit 0
