#!/usr/bin/env bash
# JSONPath benchmark (issue 5): builds Benchmarks/JSONPathBench with swiftc -O and runs it.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/Benchmarks/.work/jsonpathbench
mkdir -p "$OUT"
swiftc -O -wmo -swift-version 6 -parse-as-library -module-name VigilJSON -emit-module -emit-module-path "$OUT/VigilJSON.swiftmodule" \
  -c -o "$OUT/VigilJSON.o" $(find "$ROOT/Sources/VigilJSON" -name '*.swift' | sort)
swiftc -O -swift-version 6 -I "$OUT" "$OUT/VigilJSON.o" "$ROOT/Benchmarks/JSONPathBench/main.swift" -lm -o "$OUT/jsonpathbench"
"$OUT/jsonpathbench"
