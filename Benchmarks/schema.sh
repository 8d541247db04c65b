#!/usr/bin/env bash
# JSON Schema benchmark (issue 16): builds Benchmarks/SchemaBench with swiftc -O and runs it.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/Benchmarks/.work/schemabench
mkdir -p "$OUT"
swiftc -O -wmo -swift-version 6 -parse-as-library -module-name VigilJSON -emit-module -emit-module-path "$OUT/VigilJSON.swiftmodule" \
  -c -o "$OUT/VigilJSON.o" $(find "$ROOT/Sources/VigilJSON" -name '*.swift' | sort)
swiftc -O -wmo -swift-version 6 -parse-as-library -module-name VigilSchema -I "$OUT" -emit-module -emit-module-path "$OUT/VigilSchema.swiftmodule" \
  -c -o "$OUT/VigilSchema.o" $(find "$ROOT/Sources/VigilSchema" -name '*.swift' | sort)
swiftc -O -swift-version 6 -I "$OUT" "$OUT/VigilJSON.o" "$OUT/VigilSchema.o" "$ROOT/Benchmarks/SchemaBench/main.swift" -lm -o "$OUT/schemabench"
"$OUT/schemabench"
