#!/usr/bin/env bash
# `blaze dev` and `blaze serve` through the real binary: serving, reload on change, a broken edit
# that keeps the old version serving, x-trace-id from traceparent, bad projects refused with a
# clear error and exit code, host routing's 404, and a clean exit on SIGTERM.
#
# usage: blaze_dev.sh path/to/blaze
set -euo pipefail
BLAZE=$(realpath "$1")
source "$(dirname "$0")/lib.sh"

WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK"

# wait_for URL EXPECTED_BODY: polls (bounded: 10 s) until the body matches.
wait_for() {
  local deadline=$((SECONDS + 10)) body=""
  while [ $SECONDS -lt $deadline ]; do
    body=$(curl -s --max-time 2 "$1" || true)
    [ "$body" == "$2" ] && return 0
    sleep 0.05
  done
  fail "$1 did not answer [$2] within 10 s (last: [$body])"
}

mkdir project && cd project
cat > wrangler.toml <<'TOML'
name = "reloader"
main = "src/index.js"
compatibility_date = "2025-01-01"
[vars]
VERSION = "v1"
TOML
mkdir src
echo 'export const word = "one";' > src/word.js
cat > src/index.js <<'JS'
import { word } from "./word.js";
export default { fetch(request, env) { return new Response(`${env.VERSION}:${word}`); } };
JS

PORT=$(free_port)
"$BLAZE" dev --port "$PORT" --threads 2 > ../dev.log 2>&1 &
PIDS+=($!)
DEV_PID=$!
wait_for "http://127.0.0.1:$PORT/" "v1:one"
echo "ok - blaze dev serves the project"

headers=$(curl -s -D - -o /dev/null -H 'traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' "http://127.0.0.1:$PORT/")
expect_contains "x-trace-id taken from traceparent" "x-trace-id: 4bf92f3577b34da6a3ce929d0e0e4736" "$headers"
deadline=$((SECONDS + 5)); until grep -q "trace=4bf92f3577b34da6a3ce929d0e0e4736" ../dev.log || [ $SECONDS -ge $deadline ]; do sleep 0.05; done
expect_contains "the trace id reaches the request log" "trace=4bf92f3577b34da6a3ce929d0e0e4736" "$(cat ../dev.log)"
headers=$(curl -s -D - -o /dev/null "http://127.0.0.1:$PORT/")
expect_contains "a fresh x-trace-id otherwise" "x-trace-id: " "$headers"

echo 'export const word = "two";' > src/word.js
wait_for "http://127.0.0.1:$PORT/" "v1:two"
echo "ok - an edited module is reloaded"
sed -i 's/v1/v2/' wrangler.toml
wait_for "http://127.0.0.1:$PORT/" "v2:two"
echo "ok - an edited wrangler.toml is reloaded"

echo 'export const word = "three" +;' > src/word.js
deadline=$((SECONDS + 10))
until grep -q "reload failed" ../dev.log || [ $SECONDS -ge $deadline ]; do sleep 0.05; done
expect_contains "a broken edit is reported with file and line" "src/word.js:1:" "$(cat ../dev.log)"
expect_eq "the previous version keeps serving" "v2:two" "$(curl -s "http://127.0.0.1:$PORT/")"
echo 'export const word = "four";' > src/word.js
wait_for "http://127.0.0.1:$PORT/" "v2:four"
echo "ok - fixing the edit reloads again"

kill -TERM "$DEV_PID"
rc=0
wait "$DEV_PID" || rc=$?
expect_eq "blaze dev exits cleanly on SIGTERM" 0 "$rc"

# --- bad projects are refused before serving -------------------------------------------------------
cd "$WORK"
mkdir empty
expect_exit "no wrangler.toml" 3 bash -c "cd empty && '$BLAZE' dev --port $(free_port)"
expect_contains "says what is missing" "no wrangler.toml" "$LAST_ERR"
mkdir broken && printf 'name = "b"\nmain = "index.js"\n' > broken/wrangler.toml
printf 'export default {\n  fetch() { return new Response("x") \n' > broken/index.js
expect_exit "a syntax error is refused" 2 bash -c "cd broken && '$BLAZE' dev --port $(free_port)"
expect_contains "with file and line" "index.js:" "$LAST_ERR"
expect_contains "and SpiderMonkey's message" "SyntaxError" "$LAST_ERR"
printf 'name = "b"\nmain = "index.js"\n[limits]\ncpu_ms = "fast"\n' > broken/wrangler.toml
expect_exit "a bad wrangler.toml is refused" 2 bash -c "cd broken && '$BLAZE' dev --port $(free_port)"
expect_contains "naming the key" "limits.cpu_ms" "$LAST_ERR"

# --- blaze serve: health, and unknown hosts get a JSON 404 ------------------------------------------
PORT=$(free_port)
"$BLAZE" serve --data-dir "$WORK/data" --port "$PORT" --admin-port 0 > serve.log 2>&1 &
PIDS+=($!)
SERVE_PID=$!
wait_for "http://127.0.0.1:$PORT/_blaze/health" '{"status":"ok","workers":0}'
echo "ok - blaze serve answers /_blaze/health"
out=$(curl -s -w ' %{http_code}' -H "Host: nosuch.localhost:$PORT" "http://127.0.0.1:$PORT/")
expect_contains "unknown worker host is a 404" " 404" "$out"
expect_contains "the 404 names the host" "nosuch.localhost" "$out"
expect_exit "a taken port is refused" 10 "$BLAZE" serve --data-dir "$WORK/data2" --port "$PORT" --admin-port 0
kill -TERM "$SERVE_PID"
rc=0
wait "$SERVE_PID" || rc=$?
expect_eq "blaze serve exits cleanly on SIGTERM" 0 "$rc"
echo "blaze dev/serve: all checks passed"
