# bench/lib/dev_peers.sh — shared by the benchmarks that run one worker folder under `blaze dev`
# and `wrangler dev` one after the other (bench/bindings, bench/kv, bench/r2). Source it after
# setting HERE (the bench folder, holding worker/) and REPO. Provides:
#   dev_peers_init NAME     WORK=/tmp/blaze-bench-NAME.XXXXXX, removed (with the server) on exit
#   free_port P             the first free loopback port from P
#   start_dev PEER PORT [blaze args...]   copies worker/ to WORK/PEER, starts it (SERVER_PGID),
#                           waits (bounded) for an answer; prints the log tail and fails if not.
#                           PEER workerd serves $WORKERD_CONFIG (a bench's own capnp file) with
#                           its `do-storage` disk service in WORK/workerd/do-storage
#   stop_dev                TERM the server's process group, KILL what is left after 5 s
#   peer_missing PEER       prints why PEER cannot run (empty when it can)
#   wrk_measure KEY URL     wrk warm-up + a --latency run: RPS/P50/P99/ERR[KEY] and CPU[KEY]
#                           (the server's CPU per request, all its processes), one line printed
#   print_ratios "OPS"      the rps/p50/p99 table of every peer per op, with blaze's rps ratio
#                           to each other peer
# Reads DURATION, CONNECTIONS, THREADS, BLAZE (the binary). Loopback only; every wait bounded.

WRANGLER="$REPO/tests/workers/peer/node_modules/.bin/wrangler"
# workerd as bench/http installs it (npm ci in bench/http; pinned there).
WORKERD="$REPO/bench/http/node_modules/@cloudflare/workerd-linux-64/bin/workerd"
[ -x "$WORKERD" ] || WORKERD="$REPO/bench/http/node_modules/.bin/workerd"
WORKERD_CONFIG=${WORKERD_CONFIG:-}
export WRANGLER_SEND_METRICS=false WRANGLER_HIDE_BANNER=true CLOUDFLARE_CF_FETCH_ENABLED=false CI=true
SERVER_PGID=""
declare -A RPS P50 P99 ERR CPU

dev_peers_init() {
  WORK=$(mktemp -d "/tmp/blaze-bench-$1.XXXXXX")
  trap 'dev_peers_cleanup' EXIT
  trap 'echo; echo "interrupted"; exit 130' INT
}

dev_peers_cleanup() {
  [ -n "$SERVER_PGID" ] && kill -KILL -- "-$SERVER_PGID" 2>/dev/null || true
  rm -rf "$WORK"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { local p=$1; while port_in_use "$p"; do p=$((p + 1)); done; echo "$p"; }

peer_missing() {
  case "$1" in
    blaze) [ -x "$BLAZE" ] || echo "no $BLAZE" ;;
    wrangler) [ -x "$WRANGLER" ] || echo "run npm ci --prefix tests/workers/peer" ;;
    workerd)
      if [ -z "$WORKERD_CONFIG" ]; then echo "this bench has no workerd config"
      elif [ ! -x "$WORKERD" ]; then echo "run npm ci --prefix bench/http"
      fi ;;
  esac
}

start_dev() {
  local peer=$1 port=$2 dir="$WORK/$1" cmd
  shift 2
  mkdir -p "$dir" && cp -r "$HERE/worker/." "$dir/"
  case "$peer" in
    blaze) cmd=("$BLAZE" dev --port "$port" --ip 127.0.0.1 "$@") ;;
    wrangler) cmd=("$WRANGLER" dev --port "$port" --ip 127.0.0.1 --inspector-port
      "$(free_port $((port + 100)))" --show-interactive-dev-session=false --persist-to .state) ;;
    workerd) mkdir -p "$dir/do-storage"
      cmd=("$WORKERD" serve "$WORKERD_CONFIG" --socket-addr "http=127.0.0.1:$port"
        --directory-path "do-storage=$dir/do-storage") ;;
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

stop_dev() {
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

group_cpu_ticks() {  # user+system CPU (clock ticks) of the server's processes, all of them
  local total=0 f stat
  for f in /proc/[0-9]*/stat; do
    stat=$(cat "$f" 2>/dev/null) || continue
    set -- ${stat##*) }  # the fields after "pid (comm) ": state ppid pgrp ... utime stime
    [ "${3:-}" = "$SERVER_PGID" ] && total=$((total + ${12} + ${13}))
  done
  echo "$total"
}

wrk_measure() {
  local key=$1 url=$2 label=${1#*-} out="$WORK/$1.wrk" t0 t1 n
  timeout 30 wrk -t"$THREADS" -c"$CONNECTIONS" -d2s "$url" >/dev/null  # warm-up
  t0=$(group_cpu_ticks)
  timeout 300 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url" >"$out"
  t1=$(group_cpu_ticks)
  RPS[$key]=$(awk '/Requests\/sec/ {print $2}' "$out")
  P50[$key]=$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")
  P99[$key]=$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")
  ERR[$key]=$(awk '/Non-2xx|Socket errors/ {print}' "$out" | tr '\n' ' ')
  n=$(awk '/requests in/ {print $1}' "$out")
  CPU[$key]=$(echo "($t1 - $t0) * 1000000 / $(getconf CLK_TCK) / ${n:-1}" | bc -l)
  printf '   %-6s %10.0f rps  p50 %8.2f ms  p99 %8.2f ms  cpu %7.1f us/req %s\n' "$label" \
    "${RPS[$key]}" "${P50[$key]}" "${P99[$key]}" "${CPU[$key]}" "${ERR[$key]}"
}

print_ratios() {
  local op peer
  echo
  printf '%-7s %-16s %10s %10s %10s %12s\n' op peer rps p50_ms p99_ms cpu_us/req
  for op in $1; do
    for peer in $PEERS; do
      [ -n "${RPS[$peer-$op]:-}" ] || continue
      printf '%-7s %-16s %10.0f %10.2f %10.2f %12.1f\n' "$op" "$(peer_label "$peer")" \
        "${RPS[$peer-$op]}" "${P50[$peer-$op]}" "${P99[$peer-$op]}" "${CPU[$peer-$op]:-0}"
    done
    for peer in $PEERS; do
      [ "$peer" != blaze ] && [ -n "${RPS[blaze-$op]:-}" ] && [ -n "${RPS[$peer-$op]:-}" ] || continue
      printf '%-7s %-16s %9.1fx\n' "$op" "blaze/$peer" \
        "$(echo "${RPS[blaze-$op]} / ${RPS[$peer-$op]}" | bc -l)"
    done
  done
}

peer_label() {  # the name in the tables: workerd is the bench's own workerd config
  case "$1" in
    workerd) echo "workerd${WORKERD_LABEL:+ ($WORKERD_LABEL)}" ;;
    *) echo "$1" ;;
  esac
}
