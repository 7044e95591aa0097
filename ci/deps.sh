#!/usr/bin/env bash
# ci/deps.sh — install every Debian package simplert uses (Debian 12 "bookworm").
#
#   ci/deps.sh            install what `make test` needs (idempotent; ~1 s when all present)
#   ci/deps.sh --qualify  also what `make qualify` adds (headless Chromium for the dashboard check)
#   ci/deps.sh --check    only report what is missing; exit 1 if anything is
#   ci/deps.sh --list     print the package list and exit
#
# Apt packages only. Safe to run repeatedly: it asks dpkg first and calls apt-get only
# for what is missing.
set -euo pipefail

# One package per concern; the comment says who needs it.
PKGS_TEST=(
  build-essential pkg-config          # gcc 12, make
  clang llvm libclang-rt-14-dev       # clang 14: sanitizers, TSan
  libfuzzer-14-dev                    # libFuzzer builds of the fuzz targets
  clang-19 llvm-19 libclang-rt-19-dev libclang-19-dev  # MC/DC reference, libclang instrumenter
  libcriterion-dev                    # conformance suites
  afl++                               # fuzzing (afl-clang-fast)
  gcovr                               # gcov branch/line coverage
  valgrind                            # memcheck gate
  libuv1-dev                          # executor benchmark peer
  libvulkan-dev mesa-vulkan-drivers vulkan-tools  # Vulkan loader + lavapipe (CPU driver)
  glslang-tools spirv-tools           # compute shaders: compile + validate
  libsimde-dev                        # portable SIMD
  libcurl4-openssl-dev                # native_http_*
  socat nginx-light                   # loopback peers for the net conformance suites
  openssl                             # throw-away certificates for the http TLS tests
  curl ca-certificates
)
PKGS_QUALIFY=(
  chromium                            # headless render check of reports/index.html
)

mode=test
case "${1:-}" in
  --qualify) mode=qualify ;;
  --check)   mode=check ;;
  --list)    printf '%s\n' "${PKGS_TEST[@]}" "${PKGS_QUALIFY[@]}"; exit 0 ;;
  -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  "") ;;
  *) echo "ci/deps.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
esac

want=("${PKGS_TEST[@]}")
[ "$mode" = qualify ] && want+=("${PKGS_QUALIFY[@]}")

missing=()
for p in "${want[@]}"; do
  # dpkg-query is ~5 ms a package; "install ok installed" is the only state that counts.
  st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$st" = "install ok installed" ] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  [ "$mode" = check ] && echo "ci/deps.sh: all ${#want[@]} packages present"
  exit 0
fi
if [ "$mode" = check ]; then
  echo "ci/deps.sh: missing: ${missing[*]}" >&2
  exit 1
fi

echo "ci/deps.sh: installing ${#missing[@]} package(s): ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=sudo
  else
    echo "ci/deps.sh: not root. Run:  sudo $0 ${1:-}" >&2
    echo "   or install by hand:   sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
else
  SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# nginx-light's package enables a service on port 80; tests start their own instance.
echo "ci/deps.sh: done"
