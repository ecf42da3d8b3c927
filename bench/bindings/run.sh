#!/usr/bin/env bash
# bench/bindings: one worker (worker/) doing the two binding workloads of the bindings issue —
# `SELECT * FROM games WHERE date=? AND status=? LIMIT 10` on a 10,000-row indexed D1 table, and
# one `KV.get` — served by `blaze dev` and by `wrangler dev` (tests/workers/peer's pinned
# wrangler, i.e. Miniflare), and the D1 workload also by workerd's own Durable Object SQL
# (workerd/do_sql.capnp: a front worker forwarding to one object whose ctx.storage.sql holds the
# same table; workerd from bench/http's npm ci), loaded one server at a time with Debian's wrk.
# Also times the same SELECT in the sqlite3 shell for the floor. Prints rps, p50, p99 and the
# ratios blaze/wrangler and blaze/workerd.
# Not a test: nothing fails on a slow machine. Servers listen on 127.0.0.1 only, every wait is
# bounded and every process started here is stopped on exit, error or Ctrl-C.
#
# usage: bench/bindings/run.sh [path/to/blaze]    (default: build/blaze of this repo)
# env:   DURATION (10s)  CONNECTIONS (50)  THREADS (2)  BLAZE_THREADS (2)
#        PEERS ("blaze wrangler workerd")  BASE_PORT (18980)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BLAZE=$(realpath -m "${1:-$REPO/build/blaze}")
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-2}
BLAZE_THREADS=${BLAZE_THREADS:-2}
PEERS=${PEERS:-blaze wrangler workerd}
BASE_PORT=${BASE_PORT:-18980}
WORKERD_CONFIG="$HERE/workerd/do_sql.capnp"
WORKERD_LABEL="DO SQL"
source "$REPO/bench/lib/dev_peers.sh"
dev_peers_init bindings

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for peer in $PEERS; do
  why=$(peer_missing "$peer"); if [ -n "$why" ]; then echo "skip $peer: $why"; continue; fi
  port=$(free_port "$BASE_PORT")
  echo "== $peer on 127.0.0.1:$port"
  start_dev "$peer" "$port" --threads "$BLAZE_THREADS" || continue
  origin="http://127.0.0.1:$port"
  echo "   seed: $(curl -s --max-time 120 "$origin/seed")"
  paths="d1 kv"
  [ "$peer" = workerd ] && paths="d1"  # the Durable Object peer is for the SQL workload only
  for path in $paths; do
    curl -s --max-time 10 "$origin/$path" >"$WORK/$peer-$path.body"
    wrk_measure "$peer-$path" "$origin/$path"
  done
  stop_dev
done

for other in wrangler workerd; do
  [ -f "$WORK/blaze-d1.body" ] && [ -f "$WORK/$other-d1.body" ] || continue
  if cmp -s <(jq -S . "$WORK/blaze-d1.body") <(jq -S . "$WORK/$other-d1.body"); then
    echo "d1 bodies blaze/$other: identical"
  else
    echo "d1 bodies blaze/$other DIFFER:"; head -c 300 "$WORK/blaze-d1.body"; echo
    head -c 300 "$WORK/$other-d1.body"; echo
  fi
done

# The floor: the same SELECT in the sqlite3 shell against Blaze's copy of the table.
db=$(ls "$WORK"/blaze/.blaze/d1/*.sqlite 2>/dev/null | head -1 || true)
if [ -n "$db" ] && command -v sqlite3 >/dev/null; then
  n=20000
  sql=$(for _ in $(seq $n); do echo "SELECT * FROM games WHERE date='2026-03-05' AND status='final' LIMIT 10;"; done)
  t0=$(date +%s%N); sqlite3 "$db" <<<"$sql" >/dev/null; t1=$(date +%s%N)
  printf 'sqlite3 shell: %.1f us per query (incl. output)\n' "$(echo "($t1 - $t0) / 1000 / $n" | bc -l)"
fi

print_ratios "d1 kv"
echo "(blaze dev --threads $BLAZE_THREADS; wrangler dev runs one isolate; workerd one process, one" \
  "Durable Object; wrk -t$THREADS -c$CONNECTIONS -d$DURATION; load average before: $LOAD_BEFORE)"
