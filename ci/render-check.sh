#!/usr/bin/env bash
# ci/render-check.sh — the dashboard's render check (the "render" stage of
# `simplert qualify`): headless Chromium opens reports/index.html, takes a
# screenshot, and dumps the DOM it built.
#
#   ci/render-check.sh HTML PNG [FUNCTIONS] [VERDICT]
#
# Passes when: Chromium exits 0 both times; the screenshot is a PNG; the page
# logged no console message (it has no script, so any is an error); the DOM
# holds <main id="dashboard"> with data-functions=FUNCTIONS and
# data-verdict=VERDICT when those are given (the numbers qualification.sdn
# has), and its family x function matrix and stage table.
set -uo pipefail
html=${1:?HTML} png=${2:?PNG} functions=${3:-} verdict=${4:-}
bin=$(command -v chromium || command -v chromium-browser) ||
  { echo "render: chromium is not installed (ci/deps.sh --qualify installs it)"; exit 1; }
[ -f "$html" ] || { echo "render: no $html"; exit 1; }
prof=$(mktemp -d)
trap 'rm -rf "$prof"' EXIT
url="file://$(realpath "$html")"
# A fresh profile and no background traffic: the check must not touch the network.
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
       --disable-background-networking --disable-component-update --disable-sync
       --user-data-dir="$prof" --enable-logging=stderr --v=0)
rm -f "$png"
timeout 120 "$bin" "${flags[@]}" --screenshot="$(realpath -m "$png")" --window-size=1400,2000 \
  "$url" >"$prof/shot.log" 2>&1
rc1=$?
timeout 120 "$bin" "${flags[@]}" --dump-dom "$url" >"$prof/dom.html" 2>"$prof/dom.log"
rc2=$?
bad=()
[ $rc1 = 0 ] || bad+=("chromium --screenshot exited $rc1")
[ $rc2 = 0 ] || bad+=("chromium --dump-dom exited $rc2")
[ "$(head -c 8 "$png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
  bad+=("no PNG screenshot at $png")
console=$(grep -h ':CONSOLE' "$prof/shot.log" "$prof/dom.log")
[ -z "$console" ] || bad+=("console messages: $console")
grep -q '<main id="dashboard"' "$prof/dom.html" || bad+=("the DOM has no <main id=\"dashboard\">")
[ -z "$functions" ] || grep -q "data-functions=\"$functions\"" "$prof/dom.html" ||
  bad+=("the DOM does not say data-functions=\"$functions\"")
[ -z "$verdict" ] || grep -q "data-verdict=\"$verdict\"" "$prof/dom.html" ||
  bad+=("the DOM does not say data-verdict=\"$verdict\"")
grep -q '<table id="matrix">' "$prof/dom.html" || bad+=("the DOM has no function matrix")
rows=$(grep -o '<tr class="fam"' "$prof/dom.html" | wc -l)
if [ ${#bad[@]} -gt 0 ]; then
  printf 'render: FAILED: %s\n' "${bad[@]}"
  tail -5 "$prof/shot.log"
  exit 1
fi
echo "render: ok — $(stat -c %s "$png") byte screenshot at $png, $rows families in the DOM, no console messages"
