#!/usr/bin/env bash
# bench/webapi: three Web API workers (workers/sha256, workers/aesgcm, workers/stream) served by
# Blaze (`blaze dev --threads 2`) and by workerd (`workerd serve workerd/<w>.capnp`, the pinned
# binary from bench/http/node_modules), one server at a time.
#   sha256, aesgcm: `wrk -t2 -c16 -d$DURATION --latency` → rps, p50, p99, CPU ms per request.
#   stream: 100 MiB through a TransformStream; `curl -o /dev/null -w '%{speed_download}'`, best of
#           $STREAM_RUNS, and the server's peak RSS (process tree, sampled every 50 ms).
# Same approach as bench/http/run.sh (read it for the details). Not a test: nothing fails on a
# slow machine. Servers listen on 127.0.0.1 only; every process started here is stopped on exit.
#
# usage: bench/webapi/run.sh [path/to/blaze]        (default: build/blaze of this repo)
# env:   DURATION (10s)  WARMUP (2s)  STREAM_RUNS (3)  PEERS ("blaze workerd")  BASE_PORT (18880)
#        WORKLOADS ("sha256 aesgcm stream")
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BLAZE=$(realpath -m "${1:-$REPO/build/blaze}")
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
STREAM_RUNS=${STREAM_RUNS:-3}
PEERS=${PEERS:-blaze workerd}
WORKLOADS=${WORKLOADS:-sha256 aesgcm stream}
BASE_PORT=${BASE_PORT:-18880}
START_TIMEOUT=${START_TIMEOUT:-15}
CLK_TCK=$(getconf CLK_TCK)
WORKERD_EXE="$REPO/bench/http/node_modules/@cloudflare/workerd-linux-64/bin/workerd"
[ -x "$WORKERD_EXE" ] || WORKERD_EXE="$REPO/bench/http/node_modules/.bin/workerd"

WORK=$(mktemp -d /tmp/blaze-bench-webapi.XXXXXX)
LOGS="$HERE/work/logs"
REPORT="$HERE/work/last-run.md"
rm -rf "$LOGS" && mkdir -p "$LOGS"

SERVER_PGIDS=()
SAMPLER_PID=""
cleanup() {
  local p
  [ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null || true
  for p in "${SERVER_PGIDS[@]}"; do kill -KILL -- "-$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'echo; echo "interrupted"; exit 130' INT
trap 'exit 143' TERM

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
NEXT_PORT=$BASE_PORT
take_port() {
  while port_in_use "$NEXT_PORT"; do NEXT_PORT=$((NEXT_PORT + 1)); done
  PORT=$NEXT_PORT
  NEXT_PORT=$((NEXT_PORT + 1))
}
tree_of() {  # pid → that pid and its descendants
  ps -e -o pid=,ppid= | awk -v root="$1" '
    { parent[$1] = $2; pids[NR] = $1 }
    END { keep[root] = 1; changed = 1
      while (changed) { changed = 0
        for (i in pids) { p = pids[i]; if (!(p in keep) && (parent[p] in keep)) { keep[p] = 1; changed = 1 } } }
      for (p in keep) print p }'
}
cpu_ticks() {
  local p total=0 t
  for p in $(tree_of "$1"); do
    t=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12 + $13}') || t=0
    total=$((total + ${t:-0}))
  done
  echo "$total"
}
rss_kib() {
  local p total=0 r
  for p in $(tree_of "$1"); do
    r=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null) || r=0
    total=$((total + ${r:-0}))
  done
  echo "$total"
}
to_ms() {
  awk -v v="$1" 'BEGIN { n = v + 0
    if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /m$/) n *= 60000;
    else if (v ~ /s$/) n *= 1000
    printf "%.3f", n }'
}
seconds_of() { local v=$1; case "$v" in *m) echo $(( ${v%m} * 60 )) ;; *s) echo "${v%s}" ;; *) echo "$v" ;; esac; }

launch() {  # peer worker port → SERVER_PID (new process group)
  local peer=$1 w=$2 port=$3 dir="$WORK/$1-$2" cmd
  mkdir -p "$dir" && cp -r "$HERE/workers/$w/." "$dir/"
  case "$peer" in
    blaze) cmd=("$BLAZE" dev --port "$port" --ip 127.0.0.1 --threads 2) ;;
    workerd) cmd=("$WORKERD_EXE" serve "$HERE/workerd/$w.capnp" --socket-addr "http=127.0.0.1:$port") ;;
  esac
  (cd "$dir" && exec setsid "${cmd[@]}") </dev/null >"$LOGS/$peer-$w.log" 2>&1 &
  SERVER_PID=$!
  SERVER_PGIDS+=("$SERVER_PID")
}
wait_ready() {  # url → 0 once the worker answers 200
  local i
  for i in $(seq $((START_TIMEOUT * 10))); do
    kill -0 "$SERVER_PID" 2>/dev/null || return 1
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$1/__ready" || true)" = 200 ] && return 0
    sleep 0.1
  done
  return 1
}
stop_server() {
  local pid=$1 i
  kill -TERM -- "-$pid" 2>/dev/null || true
  for i in $(seq 50); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

declare -A R
measure_wrk() {  # peer worker
  local peer=$1 w=$2 key="$1/$2" url out c0 c1 requests
  take_port; url="http://127.0.0.1:$PORT"
  launch "$peer" "$w" "$PORT"
  if ! wait_ready "$url"; then R[$key/skip]="did not start (log: bench/webapi/work/logs/$peer-$w.log)"; stop_server "$SERVER_PID"; return; fi
  curl -s --max-time 10 "$url/" >"$LOGS/body-$peer-$w.txt" || true
  timeout $(( $(seconds_of "$WARMUP") + 30 )) wrk -t2 -c16 -d"$WARMUP" "$url/" >/dev/null 2>&1 || true
  out="$LOGS/wrk-$peer-$w.txt"
  c0=$(cpu_ticks "$SERVER_PID")
  timeout $(( $(seconds_of "$DURATION") + 30 )) wrk -t2 -c16 -d"$DURATION" --latency "$url/" >"$out" 2>&1 || true
  c1=$(cpu_ticks "$SERVER_PID")
  R[$key/rss]=$(( $(rss_kib "$SERVER_PID") / 1024 ))
  stop_server "$SERVER_PID"
  requests=$(awk '/ requests in / {print $1}' "$out")
  R[$key/rps]=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$out")
  R[$key/p50]=$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")
  R[$key/p99]=$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")
  R[$key/cpu]=$(awk -v t=$((c1 - c0)) -v n="${requests:-0}" -v hz="$CLK_TCK" \
    'BEGIN { if (n > 0) printf "%.3f", t * 1000 / hz / n; else print "-" }')
  [ -n "${R[$key/rps]}" ] || R[$key/skip]="wrk failed (see $out)"
}
measure_stream() {  # peer
  local peer=$1 key="$1/stream" url i speed best=0 bytes peak=0 r
  take_port; url="http://127.0.0.1:$PORT"
  launch "$peer" stream "$PORT"
  if ! wait_ready "$url"; then R[$key/skip]="did not start (log: bench/webapi/work/logs/$peer-stream.log)"; stop_server "$SERVER_PID"; return; fi
  ( peak=0; while true; do r=$(rss_kib "$SERVER_PID"); [ "$r" -gt "$peak" ] && peak=$r && echo "$peak" >"$WORK/peak-$peer"; sleep 0.05; done ) &
  SAMPLER_PID=$!
  for i in $(seq "$STREAM_RUNS"); do
    read -r speed bytes < <(curl -s -o /dev/null --max-time 120 -w '%{speed_download} %{size_download}\n' "$url/" || echo "0 0")
    echo "run $i: $speed B/s, $bytes bytes" >>"$LOGS/stream-$peer.txt"
    [ "$bytes" = 104857600 ] || R[$key/skip]="got $bytes bytes, expected 104857600"
    best=$(awk -v a="$best" -v b="$speed" 'BEGIN { print (b > a) ? b : a }')
  done
  kill "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=""
  stop_server "$SERVER_PID"
  R[$key/mbps]=$(awk -v s="$best" 'BEGIN { printf "%.0f", s / 1048576 }')
  R[$key/peak]=$(( $(cat "$WORK/peak-$peer" 2>/dev/null || echo 0) / 1024 ))
}

command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
for peer in $PEERS; do
  case "$peer" in
    blaze) [ -x "$BLAZE" ] || { echo "no blaze at $BLAZE"; exit 1; } ;;
    workerd) [ -x "$WORKERD_EXE" ] || { echo "workerd missing: npm ci --prefix bench/http"; exit 1; } ;;
  esac
done
for w in $WORKLOADS; do
  for peer in $PEERS; do
    echo "== $w on $peer"
    if [ "$w" = stream ]; then measure_stream "$peer"; else measure_wrk "$peer" "$w"; fi
  done
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "-" }'; }
{
  echo "bench/webapi — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, wrk -t2 -c16 -d$DURATION, blaze dev --threads 2"
  echo
  echo "| worker | metric | blaze | workerd | blaze/workerd |"
  echo "|---|---|---|---|---|"
  for w in sha256 aesgcm; do
    for f in rps p50 p99 cpu rss; do
      label=$f; case $f in rps) label="req/s" ;; p50) label="p50 ms" ;; p99) label="p99 ms" ;;
        cpu) label="CPU ms/req" ;; rss) label="RSS after MiB" ;; esac
      b=${R[blaze/$w/$f]:-${R[blaze/$w/skip]:+skip}}; d=${R[workerd/$w/$f]:-${R[workerd/$w/skip]:+skip}}
      echo "| $w | $label | ${b:--} | ${d:--} | $(ratio "${R[blaze/$w/$f]:-0}" "${R[workerd/$w/$f]:-0}") |"
    done
  done
  echo "| stream 100 MiB | MiB/s (best of $STREAM_RUNS) | ${R[blaze/stream/mbps]:--} | ${R[workerd/stream/mbps]:--} | $(ratio "${R[blaze/stream/mbps]:-0}" "${R[workerd/stream/mbps]:-0}") |"
  echo "| stream 100 MiB | peak RSS MiB | ${R[blaze/stream/peak]:--} | ${R[workerd/stream/peak]:--} | $(ratio "${R[blaze/stream/peak]:-0}" "${R[workerd/stream/peak]:-0}") |"
  for k in "${!R[@]}"; do case $k in */skip) echo; echo "skipped $k: ${R[$k]}" ;; esac; done
} | tee "$REPORT"
echo "(report: bench/webapi/work/last-run.md, logs: bench/webapi/work/logs/)"
