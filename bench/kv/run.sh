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
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-2}
BLAZE_THREADS=${BLAZE_THREADS:-2}
PEERS=${PEERS:-blaze wrangler}
OPS=${OPS:-noop get spread put}
BASE_PORT=${BASE_PORT:-19080}
source "$REPO/bench/lib/dev_peers.sh"
dev_peers_init kv

for peer in $PEERS; do
  why=$(peer_missing "$peer"); if [ -n "$why" ]; then echo "skip $peer: $why"; continue; fi
  port=$(free_port "$BASE_PORT")
  echo "== $peer on 127.0.0.1:$port"
  start_dev "$peer" "$port" --threads "$BLAZE_THREADS" || continue
  origin="http://127.0.0.1:$port"
  echo "   $(curl -s --max-time 120 "$origin/seed")"
  for op in $OPS; do wrk_measure "$peer-$op" "$origin/$op"; done
  stop_dev
done

print_ratios "$OPS"
echo "(blaze dev --threads $BLAZE_THREADS; wrangler dev runs one isolate; wrk -t$THREADS -c$CONNECTIONS -d$DURATION; 1 KiB values)"
