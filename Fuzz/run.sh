#!/usr/bin/env bash
# Builds the libFuzzer targets against the package's own sources and runs each for a bounded time.
#
#   Fuzz/run.sh [SECONDS] [TARGET…]     default 600 s each; targets: yaml template jsonpath json schema csv
#
# The modules VigilJSON, VigilYAML (with Debian's libyaml), VigilXML (with libxml2) and VigilCore are compiled straight from
# Sources/ with `-sanitize=fuzzer,address`. Seeds: the repository's collections/ and environments/
# YAML, Fuzz/seeds/. Corpora grow in Fuzz/.work/ and crashes land in Fuzz/artifacts/ (both ignored
# by git). Exit status 1 when any target found a crash, a leak, a timeout or ran out of memory.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-600}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(yaml template jsonpath json schema csv)

OUT=Fuzz/.build
WORK=Fuzz/.work
ART=Fuzz/artifacts
mkdir -p "$OUT" "$WORK" "$ART"
FLAGS=(-swift-version 6 -O -g -sanitize=fuzzer,address -parse-as-library -I "$OUT" -I Sources/CYAML -I Sources/CLibXML2
    $(pkg-config --cflags-only-I libxml-2.0 | sed 's/-I/-Xcc -I/g'))

module() {  # NAME, then its sources
    local name=$1; shift
    swiftc "${FLAGS[@]}" -module-name "$name" -emit-module -emit-module-path "$OUT/$name.swiftmodule" \
        -emit-library -static -o "$OUT/lib$name.a" "$@"
}

echo "building modules…"
module VigilJSON $(find Sources/VigilJSON -name '*.swift')
module VigilYAML $(find Sources/VigilYAML -name '*.swift')
module VigilXML $(find Sources/VigilXML -name '*.swift')
module VigilCore $(find Sources/VigilCore -name '*.swift')
module VigilSchema $(find Sources/VigilSchema -name '*.swift')

target() {  # NAME SOURCE LIBS…
    local name=$1 source=$2; shift 2
    swiftc "${FLAGS[@]}" -use-ld=lld -module-name "Fuzz$name" "$source" -L "$OUT" "$@" -o "$OUT/fuzz-$name"
}

status=0
for t in "${TARGETS[@]}"; do
    corpus="$WORK/$t"
    mkdir -p "$corpus"
    case $t in
        yaml)
            target yaml Fuzz/targets/FuzzYAML.swift -lVigilCore -lVigilXML -lVigilYAML -lVigilJSON -lyaml -lxml2
            seeds=("$WORK/yaml-seeds"); mkdir -p "${seeds[0]}"
            cp collections/*.yaml environments/*.yaml Benchmarks/*.yaml Fuzz/seeds/yaml/*.yaml "${seeds[0]}/" 2>/dev/null || true
            dict=(-dict=Fuzz/yaml.dict) ;;
        template) target template Fuzz/targets/FuzzTemplate.swift -lVigilCore -lVigilXML -lVigilYAML -lVigilJSON -lyaml -lxml2
            seeds=(Fuzz/seeds/template); dict=() ;;
        jsonpath) target jsonpath Fuzz/targets/FuzzJSONPath.swift -lVigilJSON
            seeds=(Fuzz/seeds/jsonpath); dict=(-dict=Fuzz/jsonpath.dict) ;;
        json) target json Fuzz/targets/FuzzJSON.swift -lVigilJSON
            seeds=(Fuzz/seeds/json); dict=() ;;
        csv) target csv Fuzz/targets/FuzzCSV.swift -lVigilCore -lVigilXML -lVigilYAML -lVigilJSON -lyaml -lxml2
            seeds=(Fuzz/seeds/csv); dict=() ;;
        schema) target schema Fuzz/targets/FuzzSchema.swift -lVigilSchema -lVigilJSON
            seeds=(Fuzz/seeds/schema); dict=() ;;
        *) echo "unknown target $t"; exit 4 ;;
    esac
    echo "fuzzing $t for ${SECONDS_EACH}s…"
    log="$WORK/$t.log"
    if LSAN_OPTIONS="suppressions=$PWD/Fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}" "$OUT/fuzz-$t" "$corpus" "${seeds[@]}" "${dict[@]}" -max_total_time="$SECONDS_EACH" -timeout=10 \
        -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 -artifact_prefix="$ART/$t-" >"$log" 2>&1; then
        echo "  $t: $(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}') runs, no crash; corpus $(ls "$corpus" | wc -l) inputs"
    else
        status=1
        echo "  $t: FOUND A PROBLEM — see $log and $ART/"
        grep -E '^==[0-9]+==ERROR|Fatal error|SUMMARY|artifact_prefix|Test unit written' "$log" | head -5 | sed 's/^/    /'
    fi
done
exit $status
