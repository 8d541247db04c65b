#!/usr/bin/env bash
# Generates the benchmark data into DIR (default Benchmarks/.work): the static files nginx
# serves, the collections of 1,000, 10,000 and 100,000 requests, a folder of 8 collections of
# 500 requests (for --jobs), a folder of 10,000 one-request collections (for reports), curl's
# URL lists and a 1 MB JSON document. Idempotent: does nothing when DIR already holds this version's data.
set -euo pipefail
DIR=${1:-"$(cd "$(dirname "$0")" && pwd)/.work"}
VERSION=5
PAIRS_MAX=50000
if [[ -f "$DIR/data/.version" && "$(cat "$DIR/data/.version")" == "$VERSION" ]]; then exit 0; fi
rm -rf "$DIR/data"
mkdir -p "$DIR/data/www/invoke" "$DIR/data/www/tasks"
cd "$DIR/data"

# Static files: /invoke/N.json names task N; /tasks/N.json is that task, finished.
awk -v n="$PAIRS_MAX" 'BEGIN {
  for (i = 1; i <= n; i++) {
    f = "www/invoke/" i ".json"
    printf "{\"result\":{\"state\":\"Idle\",\"path\":{\"type\":\"tasks\",\"id\":\"%d\"}}}", i > f; close(f)
    f = "www/tasks/" i ".json"
    printf "{\"data\":{\"state\":\"Success\",\"progress\":100}}" > f; close(f)
  }
}'

# Collections of PAIRS pairs: invoke, capture the task id, read the task, check it.
for pairs in 500 5000 50000; do
  awk -v n="$pairs" 'BEGIN {
    print "name: Benchmark " 2 * n " requests"
    print "requests:"
    for (i = 1; i <= n; i++) {
      print "  - name: Invoke " i
      print "    GET: \"{{baseUrl}}/invoke/" i ".json\""
      print "    capture:"
      print "      taskId: result.path.id"
      print "  - name: Task " i
      print "    GET: \"{{baseUrl}}/tasks/{{taskId}}.json\""
      print "    expect:"
      print "      status: 200"
      print "      body:"
      print "        data.state: Success"
    }
  }' > "requests-$((2 * pairs)).yaml"
  # The same URLs for curl, one process, one kept-alive connection.
  awk -v n="$pairs" 'BEGIN {
    for (i = 1; i <= n; i++) {
      print "url = \"BASE/invoke/" i ".json\"\noutput = \"/dev/null\""
      print "url = \"BASE/tasks/" i ".json\"\noutput = \"/dev/null\""
    }
  }' > "urls-$((2 * pairs)).template"
done

# `--jobs`: 8 collections of 500 requests (250 pairs each, on distinct files), as one folder.
mkdir -p jobs
for c in 1 2 3 4 5 6 7 8; do
  awk -v c="$c" 'BEGIN {
    print "name: Jobs " c
    print "requests:"
    for (i = (c - 1) * 250 + 1; i <= c * 250; i++) {
      print "  - name: Invoke " i
      print "    GET: \"{{baseUrl}}/invoke/" i ".json\""
      print "    capture:"
      print "      taskId: result.path.id"
      print "  - name: Task " i
      print "    GET: \"{{baseUrl}}/tasks/{{taskId}}.json\""
      print "    expect:"
      print "      status: 200"
      print "      body:"
      print "        data.state: Success"
    }
  }' > "jobs/collection-$c.yaml"
done

# Reports over many collections (issue 20, point 6): 10,000 collections of one request each.
mkdir -p one-request
awk 'BEGIN {
  for (i = 1; i <= 10000; i++) {
    f = sprintf("one-request/c%05d.yaml", i)
    print "name: One request " i > f
    print "requests:" > f
    print "  - name: Invoke " i > f
    print "    GET: \"{{baseUrl}}/invoke/" i ".json\"" > f
    print "    expect:" > f
    print "      status: 200" > f
    print "      body:" > f
    print "        result.state: Idle" > f
    close(f)
  }
}'

# A small collection for start-up: ten requests with captures, templates and matchers.
awk 'BEGIN {
  print "name: Small\ndefaults:\n  headers: { Accept: application/json }\n  timeout: 5s\nrequests:"
  for (i = 1; i <= 5; i++) {
    print "  - name: Invoke " i "\n    GET: \"{{baseUrl}}/invoke/" i ".json\"\n    capture: { taskId: result.path.id }"
    print "    expect: { status: 200, body: { result.state: { in: [Idle, Running] } } }"
    print "  - name: Task " i "\n    GET: \"{{baseUrl}}/tasks/{{taskId}}.json\""
    print "    expect: { body: { data.state: Success, data.progress: { gte: 100 } } }"
  }
}' > small.yaml

# About 1 MB of JSON shaped like an API Gateway list: objects, strings, numbers, booleans.
awk 'BEGIN {
  printf "{\"array\":["
  for (i = 1; i <= 3300; i++) {
    if (i > 1) printf ","
    printf "{\"displayName\":\"Camera %d - Entrance \\u00e9 north\",\"id\":\"%08x-1c2d-4e5f-8a9b-%012x\",", i, i * 7919, i * 104729
    printf "\"enabled\":%s,\"ptzEnabled\":%s,\"recordingFramerate\":%.2f,\"channel\":%d,", (i % 3 ? "true" : "false"), (i % 5 ? "false" : "true"), i / 7.0, i % 16
    printf "\"relations\":{\"parent\":{\"type\":\"hardware\",\"id\":\"%08x\"},\"self\":{\"type\":\"cameras\",\"id\":\"%d\"}},", i * 31, i
    printf "\"tags\":[\"lobby\",\"outdoor\",null,%d,-%d.5e-3]}", i, i
  }
  printf "]}"
}' > big.json

echo "$VERSION" > .version
