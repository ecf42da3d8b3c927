#!/usr/bin/env bash
# bench/deploy: how fast and how cleanly a new version of a worker takes over.
#   switch  time of `blaze deploy` (upload, compile, store, swap into every core), then how many
#           answers after it returned still came from the old version (target 0) and how long
#           until 200 answers in a row on fresh connections were the new one; the peer is
#           `wrangler dev` reloading after the same file change (time from the write to the
#           first new answer, and old answers after that).
#   load    wrk (-t2 -c50) on the worker while a deploy, then a rollback, happen in the middle
#           of a 4 s window: failed requests (non-2xx + socket errors, target 0) and the p99 of
#           that window, next to a window without a switch; the peer reloads on a file change.
# Not a test: nothing fails on a slow machine. Loopback only; every wait bounded; every process
# started here is stopped on exit, error or Ctrl-C.
#
# usage: bench/deploy/run.sh [path/to/blaze]      (default: build/blaze of this repo)
# env:   ROUNDS (5)  CONNECTIONS (50)  THREADS (2)  BLAZE_THREADS (2)  PEERS ("blaze wrangler")
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BLAZE=$(realpath -m "${1:-$REPO/build/blaze}")
ROUNDS=${ROUNDS:-5}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-2}
BLAZE_THREADS=${BLAZE_THREADS:-2}
PEERS=${PEERS:-blaze wrangler}
DURATION=4s
source "$REPO/bench/lib/dev_peers.sh"
dev_peers_init deploy
declare -A RESULT

# The worker answers its release (a var, so a new release is a new version).
write_project() {  # DIR RELEASE
  mkdir -p "$1/src"
  cat >"$1/src/index.js" <<'JS'
export default { fetch(request, env) { return new Response(env.RELEASE); } };
JS
  cat >"$1/wrangler.toml" <<TOML
name = "bench"
main = "src/index.js"
compatibility_date = "2025-01-01"
[vars]
RELEASE = "$2"
TOML
}

now_ms() { date +%s%3N; }

# Old answers among the first 200 on fresh connections, and ms until 200 new ones in a row.
settle() {  # URL HOSTHEADER RELEASE → "stale ms"
  local url=$1 host=$2 want=$3 stale=0 run=0 start got
  start=$(now_ms)
  for _ in $(seq 5000); do
    got=$(curl -s --max-time 2 -H "Host: $host" "$url" || true)
    if [ "$got" == "$want" ]; then run=$((run + 1)); else stale=$((stale + 1)); run=0; fi
    [ "$run" -ge 200 ] && break
  done
  echo "$stale $(($(now_ms) - start))"
}

wrk_window() {  # KEY URL HOST ACTION... : wrk over DURATION, ACTION run 1.5 s in
  local key=$1 url=$2 host=$3 out="$WORK/$1.wrk"
  shift 3
  timeout 60 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Host: $host" "$url" \
    >"$out" &
  local wrk_pid=$!
  if [ $# -gt 0 ]; then sleep 1.5; "$@" >"$WORK/$key.action" 2>&1 || echo "   action failed: $*" >&2; fi
  wait "$wrk_pid"
  local non2xx sock
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$out"); sock=$(awk '/Socket errors/ {print}' "$out")
  RESULT[$key]=$(printf '%8.0f rps  p99 %7.2f ms  failed %s%s' \
    "$(awk '/Requests\/sec/ {print $2}' "$out")" "$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")" \
    "${non2xx:-0}" "${sock:+ ($sock)}")
  printf '   %-18s %s\n' "${key#*-}" "${RESULT[$key]}"
}

run_blaze() {
  local port admin dir="$WORK/blaze-project" data="$WORK/blaze-data"
  port=$(free_port 19480); admin=$(free_port $((port + 1)))
  (exec setsid "$BLAZE" serve --data-dir "$data" --port "$port" --admin-port "$admin" \
    --threads "$BLAZE_THREADS") </dev/null >"$WORK/blaze.log" 2>&1 &
  SERVER_PGID=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$admin/api/v1/health" >/dev/null && break; sleep 0.1; done
  export BLAZE_URL="http://127.0.0.1:$admin" BLAZE_DATA_DIR="$data"
  local url="http://127.0.0.1:$port/" host="bench.localhost"
  write_project "$dir" r0
  (cd "$dir" && "$BLAZE" deploy --message r0 >/dev/null)
  echo "== blaze serve --threads $BLAZE_THREADS on 127.0.0.1:$port (admin $admin)"
  local total=0 stale_total=0 settle_total=0 t0 t1 s
  for r in $(seq "$ROUNDS"); do
    write_project "$dir" "r$r"
    t0=$(now_ms); (cd "$dir" && "$BLAZE" deploy --message "r$r" >/dev/null); t1=$(now_ms)
    read -r stale ms <<<"$(settle "$url" "$host" "r$r")"
    printf '   deploy %d: %4d ms; then %d old answers, 200 new in a row after %d ms\n' \
      "$r" $((t1 - t0)) "$stale" "$ms"
    total=$((total + t1 - t0)); stale_total=$((stale_total + stale)); settle_total=$((settle_total + ms))
  done
  RESULT[blaze-switch]=$(printf 'deploy %4d ms (mean of %d)  old answers after it: %d' \
    $((total / ROUNDS)) "$ROUNDS" "$stale_total")
  wrk_window blaze-steady "$url" "$host"
  write_project "$dir" r-load
  wrk_window blaze-during-deploy "$url" "$host" bash -c "cd '$dir' && '$BLAZE' deploy --message load"
  wrk_window blaze-during-rollback "$url" "$host" "$BLAZE" rollback bench --message "bench rollback" -y
  stop_dev
  unset BLAZE_URL BLAZE_DATA_DIR
}

run_wrangler() {
  local port dir="$WORK/wrangler"
  port=$(free_port 19580)
  write_project "$dir" r0
  (cd "$dir" && exec setsid "$WRANGLER" dev --port "$port" --ip 127.0.0.1 --inspector-port \
    "$(free_port $((port + 100)))" --show-interactive-dev-session=false) </dev/null \
    >"$WORK/wrangler.log" 2>&1 &
  SERVER_PGID=$!
  local url="http://127.0.0.1:$port/"
  for _ in $(seq 900); do curl -s -o /dev/null --max-time 1 "$url" && break; sleep 0.1; done
  echo "== wrangler dev on 127.0.0.1:$port (reload on file change)"
  local total=0 stale_total=0 t0 t1 got
  for r in $(seq "$ROUNDS"); do
    t0=$(now_ms); write_project "$dir" "r$r"
    for _ in $(seq 3000); do
      got=$(curl -s --max-time 2 "$url" || true); [ "$got" == "r$r" ] && break; sleep 0.005
    done
    t1=$(now_ms)
    read -r stale ms <<<"$(settle "$url" "127.0.0.1:$port" "r$r")"
    printf '   reload %d: %4d ms to the first new answer; then %d old answers\n' "$r" $((t1 - t0)) "$stale"
    total=$((total + t1 - t0)); stale_total=$((stale_total + stale))
  done
  RESULT[wrangler-switch]=$(printf 'reload %4d ms (mean of %d)  old answers after it: %d' \
    $((total / ROUNDS)) "$ROUNDS" "$stale_total")
  wrk_window wrangler-steady "$url" "127.0.0.1:$port"
  wrk_window wrangler-during-deploy "$url" "127.0.0.1:$port" write_project "$dir" r-load
  stop_dev
}

for peer in $PEERS; do
  why=$(peer_missing "$peer"); if [ -n "$why" ]; then echo "skip $peer: $why"; continue; fi
  "run_$peer"
done

echo
for key in blaze-switch wrangler-switch blaze-steady blaze-during-deploy blaze-during-rollback \
  wrangler-steady wrangler-during-deploy; do
  [ -n "${RESULT[$key]:-}" ] && printf '%-24s %s\n' "$key" "${RESULT[$key]}"
done
echo "(wrk -t$THREADS -c$CONNECTIONS -d$DURATION per window; the switch happens 1.5 s in)"
