#!/usr/bin/env bash
# Checks that simrun's HTML report renders in headless Chromium: the page's script must draw the
# timeline (lanes, state changes, message arrows) and the verdict with its explanation.
# Usage: scripts/check-report-renders.sh [SCENARIO]   (installs chromium when missing)
set -euo pipefail
cd "$(dirname "$0")/.."
scenario="${1:-scenarios/async-failover-loses-writes.yaml}"
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
if [ -z "$browser" ]; then
    as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
    browser="$(command -v chromium)"
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
swift build -q
.build/debug/simrun run "$scenario" --html "$out/report.html" > /dev/null || true   # a violation is the point of some scenarios
"$browser" --headless --no-sandbox --disable-gpu --virtual-time-budget=5000 --dump-dom "file://$out/report.html" > "$out/dom.html" 2> /dev/null
lanes=$(grep -o 'class="lane"' "$out/dom.html" | wc -l || true)
marks=$(grep -o '<circle' "$out/dom.html" | wc -l)
arrows=$(grep -o '<line[^>]*stroke="#2c7fb8"' "$out/dom.html" | wc -l)
count=$(grep -o 'messages drawn[^<]*' "$out/dom.html" | head -1)
echo "rendered: $lanes lane rows, $marks state-change marks, $arrows message arrows ($count)"
[ "$lanes" -gt 0 ] && [ "$marks" -gt 0 ] && [ "$arrows" -gt 0 ] || { echo "the timeline did not render"; exit 1; }
grep -q 'class="finding' "$out/dom.html" || { echo "the verdict did not render"; exit 1; }
echo "ok: the report renders in $("$browser" --version 2>/dev/null | head -1)"
