#!/usr/bin/env bash
# Soak: one request polled against the embedded emulator about 1k, 10k and 100k times, each in
# a fresh `vigil run` under /usr/bin/time -v; prints the attempts made and the peak memory (max
# RSS, client and in-process emulator together). The input is the same each time, so memory
# that grows with the count is a leak per request.
#
#   scripts/soak.sh [COUNTS…]        default: 1000 10000 100000
#   VIGIL=.build/release/vigil scripts/soak.sh
#
# The poll never succeeds (it waits for status 299) and has no interval, so it ends by its
# wall-clock `timeout`, chosen from a calibration run to reach each count; the run then exits 1
# (the poll gave up), as expected.
set -euo pipefail
cd "$(dirname "$0")/.."
VIGIL=${VIGIL:-.build/debug/vigil}
COUNTS=("$@")
[ ${#COUNTS[@]} -gt 0 ] || COUNTS=(1000 10000 100000)
[ -x "$VIGIL" ] || { echo "no $VIGIL: run swift build first" >&2; exit 4; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 4; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
collection() {  # TIMEOUT_MS
    cat > "$WORK/soak.yaml" <<YAML
name: Soak
auth: xprotect
requests:
  - name: Poll the sites
    GET: "{{api}}/sites"
    retry: { until: { status: 299 }, interval: 0ms, timeout: ${1}ms }
finally:
  - name: Still answering
    GET: "{{api}}/sites"
    expect:
      body:
        array[0].id: { exists: true }
YAML
}

run() {  # TIMEOUT_MS → "ATTEMPTS RSS_KB SECONDS"
    collection "$1"
    /usr/bin/time -v -o "$WORK/time.txt" "$VIGIL" run "$WORK/soak.yaml" -e environments/local.yaml --quiet >"$WORK/out.txt" 2>&1 || true
    # The poll gives up (expected); finally must still pass: "1 passed, 1 failed".
    grep -q "^1 passed, 1 failed" "$WORK/out.txt" || { cat "$WORK/out.txt" >&2; exit 1; }
    local attempts rss secs
    attempts=$(grep -oE 'gave up after [0-9]+ attempts' "$WORK/out.txt" | grep -oE '[0-9]+' | head -1)
    rss=$(awk -F: '/Maximum resident set size/ {gsub(/ /,"",$2); print $2}' "$WORK/time.txt")
    secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$WORK/time.txt")
    echo "${attempts:-?} $rss $secs"
}

# Calibrate: requests per second over two seconds.
read -r n _ _ < <(run 2000)
rate=$(( n / 2 ))
echo "calibration: $n requests in 2 s (about $rate/s) with $VIGIL"
printf '%-10s %-10s %-14s %s\n' target attempts "max RSS (MB)" "wall time"
for count in "${COUNTS[@]}"; do
    ms=$(( count * 1000 / (rate > 0 ? rate : 1) ))
    read -r attempts rss secs < <(run "$ms")
    printf '%-10s %-10s %-14s %s\n' "$count" "$attempts" "$(awk "BEGIN {printf \"%.1f\", $rss/1024}")" "$secs"
done
