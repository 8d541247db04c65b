#!/usr/bin/env bash
# JSON tree memory (issue 20 point 7): builds Benchmarks/JSONMemory with swiftc -O and runs it
# for each document shape (peak resident memory as a multiple of a ~60 MB body held meanwhile).
# Then, when a vigil binary is there (VIGIL, default .build/release/vigil), the runner's real
# path: `vigil run` of a collection fetching each body from a loopback python3 http.server,
# with body checks and captures on it, without and with `--record`; its peak RSS (GNU time) as a
# multiple of the body.
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

VIGIL=${VIGIL:-$ROOT/.build/release/vigil}
if [[ ! -x $VIGIL || ! -x /usr/bin/time ]]; then
  echo "vigil run: skipped (no $VIGIL, or no GNU time; build with swift build -c release)"
  exit 0
fi
WWW=$OUT/www
mkdir -p "$WWW"
SERVER=""
stop_server() { [[ -n $SERVER ]] && kill "$SERVER" 2>/dev/null || true; }
trap stop_server EXIT
PORT=""
for _ in $(seq 1 20); do
  p=$((20000 + RANDOM % 20000))
  (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && continue # in use
  python3 -m http.server --bind 127.0.0.1 --directory "$WWW" "$p" >/dev/null 2>&1 &
  SERVER=$!
  for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && PORT=$p && break; sleep 0.1; done
  [[ -n $PORT ]] && break
  stop_server
  SERVER=""
done
[[ -n $PORT ]] || { echo "could not start python3 -m http.server" >&2; exit 1; }
for shape in "${SHAPES[@]}"; do
  count=$("$OUT/jsonmemory" "$shape" --write "$WWW/$shape.json")
  size=$(stat -c %s "$WWW/$shape.json")
  case $shape in
    tiny) checks='"$[0].name": "item 0"' capture='"$[-1].tags"' ;;
    small) checks='"$[0].kind": camera' capture='"$[-1].id"' ;;
    *) checks='"$[0].relations.parent.type": hardware' capture='"$[-1].id"' ;;
  esac
  cat > "$OUT/$shape.yaml" <<YAML
name: A 60 MB body ($shape)
requests:
  - name: Fetch the list
    GET: http://127.0.0.1:$PORT/$shape.json
    expect:
      status: 200
      body:
        "\$": { length: $count }
        $checks
    capture:
      last: $capture
  - name: Use the capture
    GET: http://127.0.0.1:$PORT/missing-{{last}}.json
    expect: { status: 404 }
YAML
  # The run as it is, then recording the normalized body (`--record`, VigilDrift).
  for record in "" "--record"; do
    rm -rf "$OUT/recording"
    /usr/bin/time -f '%M' -o "$OUT/rss.txt" "$VIGIL" run "$OUT/$shape.yaml" -e "$ROOT/Benchmarks/environment.yaml" \
      ${record:+--record "$OUT/recording"} > "$OUT/$shape.out" 2>&1 || { tail -20 "$OUT/$shape.out" >&2; exit 1; }
    kb=$(tail -1 "$OUT/rss.txt")
    awk -v s="$shape" -v kb="$kb" -v size="$size" -v r="${record:+ --record}" \
      'BEGIN { printf "vigil run%s, %s: body %.1f MB; peak %.0f MB = %.2f× the body\n", r, s, size / 1048576, kb / 1024, kb * 1024 / size }'
  done
  rm -f "$WWW/$shape.json"
done
