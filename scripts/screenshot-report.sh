#!/usr/bin/env bash
# Opens an HTML report in headless Chromium (Debian: apt-get install chromium) and writes a PNG.
#   scripts/screenshot-report.sh [REPORT.html] [OUT.png]
# Without a report, runs collections/ against the embedded emulator to make one.
set -euo pipefail
cd "$(dirname "$0")/.."
report=${1:-}
out=${2:-docs/images/report.png}
if [ -z "$report" ]; then
  report=.build/screenshot/report.html
  .build/debug/vigil run collections --quiet --report "html=$report" || true
fi
command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; }
mkdir -p "$(dirname "$out")"
# No network is needed: the report is one self-contained file.
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,900 \
  --screenshot="$(realpath -m "$out")" "file://$(realpath "$report")" 2>/dev/null
echo "$out"
