#!/usr/bin/env bash
# bench/r2: a worker that puts and gets 1 MB objects through env.BUCKET (worker/), served by
# `blaze dev` and by `wrangler dev` (tests/workers/peer's pinned wrangler), loaded one server at
# a time by load.mjs (Node's fetch, CONCURRENCY requests in flight for DURATION seconds).
# Prints put/s and get/s (and MB/s, p50, p99) side by side with the ratio blaze/wrangler.
# Not a test: nothing fails on a slow machine. Servers listen on 127.0.0.1 only, every wait is
# bounded, and every process started here is stopped on exit, error or Ctrl-C.
#
# usage: bench/r2/run.sh [path/to/blaze]        (default: build/blaze of this repo)
# env:   DURATION (10)  CONCURRENCY (4)  KEYS (16)  PEERS ("blaze wrangler")  BASE_PORT (18880)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BLAZE=$(realpath -m "${1:-$REPO/build/blaze}")
DURATION=${DURATION:-10}
CONCURRENCY=${CONCURRENCY:-4}
KEYS=${KEYS:-16}
PEERS=${PEERS:-blaze wrangler}
BASE_PORT=${BASE_PORT:-18880}
source "$REPO/bench/lib/dev_peers.sh"
dev_peers_init r2

declare -A RESULT
for peer in $PEERS; do
  why=$(peer_missing "$peer"); if [ -n "$why" ]; then echo "skip $peer: $why"; continue; fi
  port=$(free_port "$BASE_PORT")
  echo "== $peer on 127.0.0.1:$port"
  start_dev "$peer" "$port" || continue
  origin="http://127.0.0.1:$port"
  node "$HERE/load.mjs" "$origin" /put 2 "$CONCURRENCY" "$KEYS" >/dev/null  # warm-up, fills keys
  for op in put get; do
    RESULT[$peer-$op]=$(timeout $((DURATION + 60)) node "$HERE/load.mjs" "$origin" "/$op" \
      "$DURATION" "$CONCURRENCY" "$KEYS")
    echo "   $op: ${RESULT[$peer-$op]}"
  done
  stop_dev
done

field() { jq -r "$2" <<<"${RESULT[$1]:-null}"; }
echo
# Every operation moves one 1 MiB object, so MB/s is ops/s × 1.048576 for puts and gets alike.
printf '%-10s %15s %10s %10s %10s %10s\n' op peer ops/s MB/s p50_ms p99_ms
for op in put get; do
  for peer in $PEERS; do
    [ -n "${RESULT[$peer-$op]:-}" ] || continue
    printf '%-10s %15s %10.1f %10.1f %10.2f %10.2f\n' "$op" "$peer" "$(field "$peer-$op" .ops)" \
      "$(field "$peer-$op" '.ops * 1.048576')" "$(field "$peer-$op" .p50)" "$(field "$peer-$op" .p99)"
  done
  if [ -n "${RESULT[blaze-$op]:-}" ] && [ -n "${RESULT[wrangler-$op]:-}" ]; then
    printf '%-10s %15s %9.2fx\n' "$op" "blaze/wrangler" \
      "$(echo "$(field "blaze-$op" .ops) / $(field "wrangler-$op" .ops)" | bc -l)"
  fi
done
