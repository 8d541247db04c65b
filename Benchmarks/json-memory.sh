#!/usr/bin/env bash
# JSON tree memory (issue 20 point 7): builds Benchmarks/JSONMemory with swiftc -O and runs it
# for each document shape (peak resident memory as a multiple of a ~60 MB body held meanwhile).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/Benchmarks/.work/jsonmemory
mkdir -p "$OUT"
swiftc -O -wmo -swift-version 6 -parse-as-library -module-name VigilJSON -emit-module -emit-module-path "$OUT/VigilJSON.swiftmodule" \
  -c -o "$OUT/VigilJSON.o" $(find "$ROOT/Sources/VigilJSON" -name '*.swift' | sort)
swiftc -O -swift-version 6 -I "$OUT" "$OUT/VigilJSON.o" "$ROOT/Benchmarks/JSONMemory/main.swift" -lm -o "$OUT/jsonmemory"
SHAPES=("$@")
[ ${#SHAPES[@]} -gt 0 ] || SHAPES=(tiny small cameras)
for shape in "${SHAPES[@]}"; do "$OUT/jsonmemory" "$shape"; done
