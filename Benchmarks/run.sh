#!/usr/bin/env bash
# `make bench`: builds a release vigil, starts a loopback nginx serving generated static JSON,
# measures Vigil against baselines taken in the same run (curl, Foundation) and prints one
# table (also written to Benchmarks/.work/results.md). See docs/performance.md.
#   BENCH_RUNS=N     hyperfine runs for the short measurements (default 10)
#   BENCH_SHARED=1   measure `swift build -c release` (Swift runtime as shared libraries)
#                    instead of `make release` (runtime linked in, as Vigil ships)
#   BENCH_VIGIL=PATH measure this vigil binary instead of building one
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/Benchmarks
WORK=$BENCH/.work
RUNS=${BENCH_RUNS:-10}
cd "$ROOT"

# --- Tools ---------------------------------------------------------------------------------
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
missing=()
[[ -x $NGINX ]] || missing+=(nginx-light)
command -v curl >/dev/null || missing+=(curl)
command -v hyperfine >/dev/null || missing+=(hyperfine)
[[ -x /usr/bin/time ]] || missing+=(time)
if ((${#missing[@]})); then
  echo "Installing ${missing[*]}…" >&2
  SUDO=""; [[ $(id -u) == 0 ]] || SUDO=sudo
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  NGINX=$(command -v nginx || echo /usr/sbin/nginx)
fi

# --- Build and data ------------------------------------------------------------------------
if [[ -n ${BENCH_VIGIL:-} ]]; then
  VIGIL=$BENCH_VIGIL
  BUILD="given binary"
elif [[ -n ${BENCH_SHARED:-} ]]; then
  echo "Building a release vigil with the Swift runtime as shared libraries (swift build -c release)…" >&2
  swift build -c release --product vigil >&2
  VIGIL=$(swift build -c release --show-bin-path)/vigil
  BUILD="swift build -c release (Swift runtime as shared libraries)"
else
  echo "Building the release vigil as shipped (make release: --static-swift-stdlib, .build-static)…" >&2
  make -s -C "$ROOT" release >&2
  VIGIL=$ROOT/.build-static/vigil   # stripped, as shipped
  BUILD="make release (Swift runtime linked in)"
fi
"$BENCH/generate.sh" "$WORK"
DATA=$WORK/data

# The JSON benchmark: VigilJSON compiled as its own optimised module, as in the package.
JB=$WORK/jsonbench
if [[ ! -x $JB/jsonbench || -n $(find "$ROOT/Sources/VigilJSON" "$BENCH/JSONBench" -newer "$JB/jsonbench" -name '*.swift') ]]; then
  echo "Building the JSON benchmark (swiftc -O)…" >&2
  mkdir -p "$JB"
  swiftc -O -wmo -swift-version 6 -parse-as-library -module-name VigilJSON -emit-module -emit-module-path "$JB/VigilJSON.swiftmodule" \
    -c -o "$JB/VigilJSON.o" $(find "$ROOT/Sources/VigilJSON" -name '*.swift' | sort)
  swiftc -O -swift-version 6 -I "$JB" "$JB/VigilJSON.o" "$BENCH/JSONBench/main.swift" -o "$JB/jsonbench"
fi

# --- nginx on a free loopback port ---------------------------------------------------------
mkdir -p "$WORK/nginx"
USER_LINE=""; [[ $(id -u) == 0 ]] && USER_LINE="user root;"
stop_nginx() {
  if [[ -f $WORK/nginx/nginx.pid ]]; then
    kill "$(cat "$WORK/nginx/nginx.pid")" 2>/dev/null || true
    rm -f "$WORK/nginx/nginx.pid"
  fi
}
trap stop_nginx EXIT
stop_nginx
PORT=""
for _ in $(seq 1 20); do
  p=$((20000 + RANDOM % 20000))
  (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && continue   # in use
  sed -e "s|__WORK__|$WORK|g" -e "s|__PORT__|$p|g" -e "s|__USER__|$USER_LINE|" "$BENCH/nginx.conf" > "$WORK/nginx/nginx.conf"
  if "$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" 2>/dev/null; then PORT=$p; break; fi
done
[[ -n $PORT ]] || { echo "could not start nginx (see $WORK/nginx/error.log)" >&2; exit 1; }
VIGIL_BENCH_URL="http://127.0.0.1:$PORT"
for n in 1000 10000 100000; do sed "s|BASE|$VIGIL_BENCH_URL|" "$DATA/urls-$n.template" > "$WORK/urls-$n.cfg"; done
ENV_FILE=$BENCH/environment.yaml

# Both sides must work before they are timed.
curl -sf "$VIGIL_BENCH_URL/tasks/1.json" >/dev/null || { echo "nginx does not answer on $VIGIL_BENCH_URL" >&2; exit 1; }
"$VIGIL" run "$DATA/requests-1000.yaml" -e "$ENV_FILE" --var "baseUrl=$VIGIL_BENCH_URL" > "$WORK/check.txt" || { tail -20 "$WORK/check.txt" >&2; exit 1; }

# --- Measuring -----------------------------------------------------------------------------
# median_s RUNS WARMUP COMMAND: the median wall time in seconds (hyperfine, no shell).
median_s() {
  local runs=$1 warmup=$2; shift 2
  rm -f "$WORK/h.csv"
  if hyperfine -N --style none --runs "$runs" --warmup "$warmup" --export-csv "$WORK/h.csv" "$*" >/dev/null 2>&1; then
    awk -F, 'NR == 2 { print $4 }' "$WORK/h.csv"
  else
    echo "command failed: $*" >&2
    echo nan
  fi
}
# rss_mb COMMAND: peak resident memory in MB (GNU time).
rss_mb() {
  /usr/bin/time -f '%M' -o "$WORK/rss.txt" "$@" >/dev/null 2>&1 || true
  tail -1 "$WORK/rss.txt" | awk '{ printf "%.1f", $1 / 1024 }'
}
ms() { awk -v s="$1" 'BEGIN { printf "%.1f ms", s * 1000 }'; }
secs() { awk -v s="$1" 'BEGIN { if (s < 1) printf "%.0f ms", s * 1000; else printf "%.2f s", s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f×", a / b }'; }
met() { awk -v v="$1" -v t="$2" 'BEGIN { print (v <= t ? "yes" : "**no**") }'; }
per_req() { awk -v s="$1" -v n="$2" 'BEGIN { printf "%.1f µs/req", s / n * 1e6 }'; }

echo "Measuring (nginx on 127.0.0.1:$PORT)…" >&2
run_vigil() { echo "$VIGIL run $DATA/requests-$1.yaml -e $ENV_FILE --var baseUrl=$VIGIL_BENCH_URL"; }
run_curl() { echo "curl -sf -K $WORK/urls-$1.cfg"; }

curl1k=$(median_s "$RUNS" 3 "$(run_curl 1000)")
vigil1k=$(median_s "$RUNS" 3 "$(run_vigil 1000)")
curlver=$(median_s 30 5 "curl --version")
startup=$(median_s 30 5 "$VIGIL validate $DATA/small.yaml -e $ENV_FILE")
load10k=$(median_s "$RUNS" 2 "$VIGIL validate $DATA/requests-10000.yaml -e $ENV_FILE")
curl10k=$(median_s 3 1 "$(run_curl 10000)")
vigil10k=$(median_s 3 1 "$(run_vigil 10000)")
curl100k=$(median_s 1 0 "$(run_curl 100000)")
vigil100k=$(median_s 1 0 "$(run_vigil 100000)")
rss=(); crss=()
for n in 1000 10000 100000; do
  rss+=("$(rss_mb $(run_vigil $n))")
  crss+=("$(rss_mb $(run_curl $n))")
done
# --jobs: the same 8 collections (4,000 requests), one at a time and two at a time.
run_jobs() { echo "$VIGIL run $DATA/jobs -e $ENV_FILE --var baseUrl=$VIGIL_BENCH_URL --jobs $1"; }
jobs1=$(median_s "$RUNS" 2 "$(run_jobs 1)")
jobs2=$(median_s "$RUNS" 2 "$(run_jobs 2)")
# Reports over many collections (issue 20, point 6): 10,000 one-request collections, with
# every report kind against none. Before each run the reports' folder is moved aside ("new";
# the moved folders are removed after the last run); then the same runs over the reports of
# the run before (10,000 Markdown pages exist); then into a folder emptied by `rm -rf` right
# before each run ("emptied"): on an ext4 without a journal, the kernel then walks past every
# inode freed in the last 30 s for each new file (`recently_deleted`), whoever writes them.
REPORTS=$WORK/reports
run_reports() {
  echo "$VIGIL run $DATA/one-request -e $ENV_FILE --var baseUrl=$VIGIL_BENCH_URL -q" \
    "--report junit=$REPORTS/junit.xml --report json=$REPORTS/report.json --report html=$REPORTS/report.html --report markdown=$REPORTS/docs"
}
median_prepared_s() {
  local runs=$1 prepare=$2; shift 2
  rm -f "$WORK/h.csv"
  if hyperfine -N --style none --runs "$runs" --prepare "$prepare" --export-csv "$WORK/h.csv" "$*" >/dev/null 2>&1; then
    awk -F, 'NR == 2 { print $4 }' "$WORK/h.csv"
  else
    echo "command failed: $*" >&2
    echo nan
  fi
}
noreports=$(median_s 3 1 "$VIGIL run $DATA/one-request -e $ENV_FILE --var baseUrl=$VIGIL_BENCH_URL -q")
rm -rf "$REPORTS" "$WORK"/reports-gone-*
aside="bash -c 'if [ -e $REPORTS ]; then mv -T $REPORTS \$(mktemp -d -u $WORK/reports-gone-XXXXXX); fi'"
reportsnew=$(median_prepared_s 3 "$aside" "$(run_reports)")
reportsold=$(median_s 3 1 "$(run_reports)")
reportsrss=$(rss_mb $(run_reports))
reportsemptied=$(median_prepared_s 3 "rm -rf $REPORTS" "$(run_reports)")
rm -rf "$REPORTS" "$WORK"/reports-gone-*
read -r jv jf < <("$JB/jsonbench" "$DATA/big.json" 21 | sed -e 's/vigil=//' -e 's/foundation=//')
json_kb=$(( $(wc -c < "$DATA/big.json") / 1024 ))

# --- The table -----------------------------------------------------------------------------
{
  echo "| Measure | Vigil | Baseline (same run) | Ratio | Target | Met |"
  echo "|---|---|---|---|---|---|"
  echo "| 1. Throughput: 500 pairs (1,000 requests, capture + assertions) | $(secs "$vigil1k") | curl, same 1,000 URLs, one process: $(secs "$curl1k") | $(ratio "$vigil1k" "$curl1k") | ≤ 1.25× curl | $(met "$(awk -v a="$vigil1k" -v b="$curl1k" 'BEGIN { print a / b }')" 1.25) |"
  echo "| 2. Start-up: \`vigil validate\` of a 10-request collection | $(ms "$startup") | \`curl --version\`: $(ms "$curlver") | $(ratio "$startup" "$curlver") | < 20 ms | $(met "$startup" 0.020) |"
  echo "| 3a. Load + validate 10,000 requests | $(ms "$load10k") | validate of 10 requests: $(ms "$startup") | $(ratio "$load10k" "$startup") | < 100 ms | $(met "$load10k" 0.100) |"
  echo "| 3b. Run 1,000 requests | $(secs "$vigil1k") ($(per_req "$vigil1k" 1000)) | curl: $(secs "$curl1k") ($(per_req "$curl1k" 1000)) | $(ratio "$vigil1k" "$curl1k") | linear | – |"
  echo "| 3c. Run 10,000 requests | $(secs "$vigil10k") ($(per_req "$vigil10k" 10000)) | curl: $(secs "$curl10k") ($(per_req "$curl10k" 10000)) | $(ratio "$vigil10k" "$curl10k") | linear | – |"
  echo "| 3d. Run 100,000 requests | $(secs "$vigil100k") ($(per_req "$vigil100k" 100000)) | curl: $(secs "$curl100k") ($(per_req "$curl100k" 100000)) | $(ratio "$vigil100k" "$curl100k") | linear | – |"
  echo "| 3e. Peak RSS, run of 10,000 requests | ${rss[1]} MB | curl: ${crss[1]} MB | $(ratio "${rss[1]}" "${crss[1]}") | < 30 MB | $(met "${rss[1]}" 30) |"
  echo "| 3f. Peak RSS, runs of 1k / 10k / 100k requests | ${rss[0]} / ${rss[1]} / ${rss[2]} MB | curl: ${crss[0]} / ${crss[1]} / ${crss[2]} MB | $(ratio "${rss[2]}" "${crss[2]}") | flat | – |"
  echo "| 4. JSON: parse ${json_kb} KB (median of 21) | $(awk -v v="$jv" 'BEGIN { printf "%.2f ms", v }') | JSONSerialization: $(awk -v v="$jf" 'BEGIN { printf "%.2f ms", v }') | $(awk -v a="$jf" -v b="$jv" 'BEGIN { printf "%.2f× faster", a / b }') | ≥ 3× faster | $(awk -v a="$jf" -v b="$jv" 'BEGIN { print (a / b >= 3 ? "yes" : "**no**") }') |"
  echo "| 5. Parallel: 8 collections of 500 requests, \`--jobs 2\` | $(secs "$jobs2") ($(awk -v s="$jobs2" 'BEGIN { printf "%.0f req/s", 4000 / s }')) | \`--jobs 1\`: $(secs "$jobs1") ($(awk -v s="$jobs1" 'BEGIN { printf "%.0f req/s", 4000 / s }')) | $(awk -v a="$jobs1" -v b="$jobs2" 'BEGIN { printf "%.2f× the throughput", a / b }') | ≥ 1.6× | $(awk -v a="$jobs1" -v b="$jobs2" 'BEGIN { print (a / b >= 1.6 ? "yes" : "**no**") }') |"
  echo "| 6. Reports: 10,000 one-request collections, \`--report\` junit, json, html and markdown, folder new | $(secs "$reportsnew") | no reports: $(secs "$noreports") | $(ratio "$reportsnew" "$noreports") | ≤ 2× | $(met "$(awk -v a="$reportsnew" -v b="$noreports" 'BEGIN { print a / b }')" 2) |"
  echo "| 6b. The same over the last run's reports (10,000 pages there, unchanged ones left as they are); peak RSS | $(secs "$reportsold"); $reportsrss MB | no reports: $(secs "$noreports") | $(ratio "$reportsold" "$noreports") | ≤ 2× | $(met "$(awk -v a="$reportsold" -v b="$noreports" 'BEGIN { print a / b }')" 2) |"
  echo "| 6c. The same into a folder emptied by \`rm -rf\` just before (the kernel's inode allocation, see docs/reliability.md) | $(secs "$reportsemptied") | no reports: $(secs "$noreports") | $(ratio "$reportsemptied" "$noreports") | – | – |"
} > "$WORK/results.md"
echo
echo "Binary: $VIGIL ($BUILD)"
echo "Machine: $(nproc) cores, $(awk -F: '/model name/ { sub(/^ /, "", $2); print $2; exit }' /proc/cpuinfo), $(uname -sr); $("$NGINX" -v 2>&1 | sed 's/.*: //'); $(curl --version | head -1 | cut -d' ' -f1-2); $(swift --version 2>/dev/null | head -1 | sed 's/ (.*//')"
cat "$WORK/results.md"

# --- JSON Schema (issue 16): validating a 1 MB camera list against its schema, against parsing it ---
echo
echo "JSON Schema validation (Benchmarks/schema.sh; target: validating takes no longer than parsing):"
echo
echo '```'
"$ROOT/Benchmarks/schema.sh"
echo '```'
