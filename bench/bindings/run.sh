#!/usr/bin/env bash
# bench/bindings: one worker (worker/) doing the two binding workloads of the bindings issue —
# `SELECT * FROM games WHERE date=? AND status=? LIMIT 10` on a 10,000-row indexed D1 table, and
# one `KV.get` — served by `blaze dev` and by `wrangler dev` (tests/workers/peer's pinned
# wrangler, i.e. Miniflare), loaded one server at a time with Debian's wrk. Also times the same
# SELECT in the sqlite3 shell for the floor. Prints rps, p50, p99 and the ratio blaze/wrangler.
# Not a test: nothing fails on a slow machine. Servers listen on 127.0.0.1 only, every wait is
# bounded and every process started here is stopped on exit, error or Ctrl-C.
#
# usage: bench/bindings/run.sh [path/to/blaze]    (default: build/blaze of this repo)
# env:   DURATION (10s)  CONNECTIONS (50)  THREADS (2)  BLAZE_THREADS (2)
#        PEERS ("blaze wrangler")  BASE_PORT (18980)
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
BASE_PORT=${BASE_PORT:-18980}
export WRANGLER_SEND_METRICS=false WRANGLER_HIDE_BANNER=true CLOUDFLARE_CF_FETCH_ENABLED=false CI=true

WORK=$(mktemp -d /tmp/blaze-bench-bindings.XXXXXX)
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
  echo "   seed: $(curl -s --max-time 120 "$origin/seed")"
  for path in d1 kv; do
    curl -s --max-time 10 "$origin/$path" >"$WORK/$peer-$path.body"
    timeout 30 wrk -t"$THREADS" -c"$CONNECTIONS" -d2s "$origin/$path" >/dev/null  # warm-up
    out="$WORK/$peer-$path.wrk"
    timeout 300 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$origin/$path" >"$out"
    RPS[$peer-$path]=$(awk '/Requests\/sec/ {print $2}' "$out")
    P50[$peer-$path]=$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")
    P99[$peer-$path]=$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")
    ERR[$peer-$path]=$(awk '/Non-2xx|Socket errors/ {print}' "$out" | tr '\n' ' ')
    printf '   %-3s %10.0f rps  p50 %8.2f ms  p99 %8.2f ms %s\n' "$path" "${RPS[$peer-$path]}" \
      "${P50[$peer-$path]}" "${P99[$peer-$path]}" "${ERR[$peer-$path]}"
  done
  stop
done

if [ -f "$WORK/blaze-d1.body" ] && [ -f "$WORK/wrangler-d1.body" ]; then
  if cmp -s <(jq -S . "$WORK/blaze-d1.body") <(jq -S . "$WORK/wrangler-d1.body"); then
    echo "d1 bodies: identical"
  else
    echo "d1 bodies DIFFER:"; head -c 300 "$WORK/blaze-d1.body"; echo; head -c 300 "$WORK/wrangler-d1.body"; echo
  fi
fi

# The floor: the same SELECT in the sqlite3 shell against Blaze's copy of the table.
db=$(ls "$WORK"/blaze/.blaze/d1/*.sqlite 2>/dev/null | head -1 || true)
if [ -n "$db" ] && command -v sqlite3 >/dev/null; then
  n=20000
  sql=$(for _ in $(seq $n); do echo "SELECT * FROM games WHERE date='2026-03-05' AND status='final' LIMIT 10;"; done)
  t0=$(date +%s%N); sqlite3 "$db" <<<"$sql" >/dev/null; t1=$(date +%s%N)
  printf 'sqlite3 shell: %.1f us per query (incl. output)\n' "$(echo "($t1 - $t0) / 1000 / $n" | bc -l)"
fi

echo
printf '%-4s %-10s %10s %10s %10s\n' op peer rps p50_ms p99_ms
for path in d1 kv; do
  for peer in $PEERS; do
    [ -n "${RPS[$peer-$path]:-}" ] || continue
    printf '%-4s %-10s %10.0f %10.2f %10.2f\n' "$path" "$peer" "${RPS[$peer-$path]}" \
      "${P50[$peer-$path]}" "${P99[$peer-$path]}"
  done
  if [ -n "${RPS[blaze-$path]:-}" ] && [ -n "${RPS[wrangler-$path]:-}" ]; then
    printf '%-4s %-10s %9.1fx\n' "$path" "ratio" "$(echo "${RPS[blaze-$path]} / ${RPS[wrangler-$path]}" | bc -l)"
  fi
done
echo "(blaze dev --threads $BLAZE_THREADS; wrangler dev runs one isolate; wrk -t$THREADS -c$CONNECTIONS -d$DURATION)"
