#!/usr/bin/env bash
# bench/kv: Workers KV throughput from a worker (worker/) — no KV at all (noop, the baseline),
# a hot `KV.get`, a `KV.get` spread
# over 1,000 keys, and `KV.put` — served by `blaze dev` and by `wrangler dev` (tests/workers/peer's
# pinned wrangler, i.e. Miniflare's local KV), loaded one server at a time with Debian's wrk.
# Prints rps, p50 and p99 side by side and the ratio blaze/wrangler. Not a test: nothing fails
# on a slow machine. Servers listen on 127.0.0.1 only, every wait is bounded and every process
# started here is stopped on exit, error or Ctrl-C.
#
# usage: bench/kv/run.sh [path/to/blaze]    (default: build/blaze of this repo)
# env:   DURATION (10s)  CONNECTIONS (50)  THREADS (2)  BLAZE_THREADS (2)
#        PEERS ("blaze wrangler")  OPS ("noop get spread put")  BASE_PORT (19080)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BLAZE=$(realpath -m "${1:-$REPO/build/blaze}")
WRANGLER="$REPO/tests/workers/peer/node_modules/.bin/wrangler"
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-2}
BLAZE_THREADS=${BLAZE_THREADS:-2}
PEERS=${PEERS:-blaze wrangler}
OPS=${OPS:-noop get spread put}
BASE_PORT=${BASE_PORT:-19080}
export WRANGLER_SEND_METRICS=false WRANGLER_HIDE_BANNER=true CLOUDFLARE_CF_FETCH_ENABLED=false CI=true

WORK=$(mktemp -d /tmp/blaze-bench-kv.XXXXXX)
SERVER_PGID=""
cleanup() {
  [ -n "$SERVER_PGID" ] && kill -KILL -- "-$SERVER_PGID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'echo; echo "interrupted"; exit 130' INT

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { local p=$1; while port_in_use "$p"; do p=$((p + 1)); done; echo "$p"; }

start() {  # peer port → SERVER_PGID; waits (bounded) for an answer
  local peer=$1 port=$2 dir="$WORK/$1" cmd
  mkdir -p "$dir" && cp -r "$HERE/worker/." "$dir/"
  case "$peer" in
    blaze) cmd=("$BLAZE" dev --port "$port" --ip 127.0.0.1 --threads "$BLAZE_THREADS") ;;
    wrangler) cmd=("$WRANGLER" dev --port "$port" --ip 127.0.0.1 --inspector-port
      "$(free_port $((port + 100)))" --show-interactive-dev-session=false --persist-to .state) ;;
  esac
  (cd "$dir" && exec setsid "${cmd[@]}") </dev/null >"$WORK/$peer.log" 2>&1 &
  SERVER_PGID=$!
  for _ in $(seq 900); do
    curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/" && return 0
    kill -0 "$SERVER_PGID" 2>/dev/null || break
    sleep 0.1
  done
  echo "$peer did not start; log tail:" >&2
  tail -20 "$WORK/$peer.log" >&2
  return 1
}

stop() {
  kill -TERM -- "-$SERVER_PGID" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 -- "-$SERVER_PGID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$SERVER_PGID" 2>/dev/null || true
  SERVER_PGID=""
}

to_ms() {  # wrk latency (812.00us, 1.20ms, 1.05s) → milliseconds
  local v=$1
  case "$v" in
    *us) echo "${v%us} / 1000" | bc -l ;; *ms) echo "${v%ms}" ;;
    *s) echo "${v%s} * 1000" | bc -l ;; *) echo "$v" ;;
  esac
}

declare -A RPS P50 P99 ERR
for peer in $PEERS; do
  if [ "$peer" = blaze ] && [ ! -x "$BLAZE" ]; then echo "skip blaze: no $BLAZE"; continue; fi
  if [ "$peer" = wrangler ] && [ ! -x "$WRANGLER" ]; then
    echo "skip wrangler: run npm ci --prefix tests/workers/peer"; continue
  fi
  port=$(free_port "$BASE_PORT")
  echo "== $peer on 127.0.0.1:$port"
  start "$peer" "$port" || continue
  origin="http://127.0.0.1:$port"
  echo "   $(curl -s --max-time 120 "$origin/seed")"
  for op in $OPS; do
    timeout 30 wrk -t"$THREADS" -c"$CONNECTIONS" -d2s "$origin/$op" >/dev/null  # warm-up
    out="$WORK/$peer-$op.wrk"
    timeout 300 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$origin/$op" >"$out"
    RPS[$peer-$op]=$(awk '/Requests\/sec/ {print $2}' "$out")
    P50[$peer-$op]=$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")
    P99[$peer-$op]=$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")
    ERR[$peer-$op]=$(awk '/Non-2xx|Socket errors/ {print}' "$out" | tr '\n' ' ')
    printf '   %-6s %10.0f rps  p50 %8.2f ms  p99 %8.2f ms %s\n' "$op" "${RPS[$peer-$op]}" \
      "${P50[$peer-$op]}" "${P99[$peer-$op]}" "${ERR[$peer-$op]}"
  done
  stop
done

echo
printf '%-7s %-10s %10s %10s %10s\n' op peer rps p50_ms p99_ms
for op in $OPS; do
  for peer in $PEERS; do
    [ -n "${RPS[$peer-$op]:-}" ] || continue
    printf '%-7s %-10s %10.0f %10.2f %10.2f\n' "$op" "$peer" "${RPS[$peer-$op]}" \
      "${P50[$peer-$op]}" "${P99[$peer-$op]}"
  done
  if [ -n "${RPS[blaze-$op]:-}" ] && [ -n "${RPS[wrangler-$op]:-}" ]; then
    printf '%-7s %-10s %9.1fx\n' "$op" "ratio" "$(echo "${RPS[blaze-$op]} / ${RPS[wrangler-$op]}" | bc -l)"
  fi
done
echo "(blaze dev --threads $BLAZE_THREADS; wrangler dev runs one isolate; wrk -t$THREADS -c$CONNECTIONS -d$DURATION; 1 KiB values)"
