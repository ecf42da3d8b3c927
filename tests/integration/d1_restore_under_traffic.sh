#!/usr/bin/env bash
# A D1 restore done by the CLI while a worker serves the database is atomic for the worker:
# under steady traffic on two cores, every answer shows either the state before the restore or
# the restored one — never a mix, never an error — and once the restore returns, the worker
# sees the restored state. Loopback only; every wait is bounded.
# Mode `dev` (default): `blaze dev` serves the project and the CLI restores on the same folder.
# Mode `serve`: the worker is deployed to `blaze serve`, and the restore is the d1 verb run on
# the live server through its admin API (`--remote`), as an operator does it.
#   usage: d1_restore_under_traffic.sh path/to/blaze [dev|serve]
set -euo pipefail
BLAZE=$(realpath "$1")
MODE=${2:-dev}
source "$(dirname "$0")/lib.sh"

WORK=$(mktemp -d /tmp/blaze-it-restore.XXXXXX)
DEV_PID=""
LOAD_PID=""
cleanup() {
  [ -n "$LOAD_PID" ] && kill "$LOAD_PID" 2>/dev/null || true
  if [ -n "$DEV_PID" ]; then kill -KILL "$DEV_PID" 2>/dev/null; wait "$DEV_PID" 2>/dev/null; fi || true
  rm -rf "$WORK"
}
trap cleanup EXIT

cd "$WORK"
cat > wrangler.toml <<'TOML'
name = "restore-live"
main = "index.js"
[[d1_databases]]
binding = "DB"
database_name = "live"
TOML
cat > index.js <<'JS'
export default {
  async fetch(request, env) {
    const row = await env.DB.prepare('SELECT count(*) AS n, sum(v) AS s FROM t').first();
    return new Response(`${row.n}:${row.s}`);
  },
};
JS

# State A (1000 rows of 1), backed up; then state B (2000 rows of 2) is live.
"$BLAZE" d1 execute live --command "CREATE TABLE t (v INTEGER);
  WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 1000)
  INSERT INTO t SELECT 1 FROM c" >/dev/null
backup_id=$("$BLAZE" d1 backup create live --json | jq -r .id)
"$BLAZE" d1 execute live --command "DELETE FROM t;
  WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 2000)
  INSERT INTO t SELECT 2 FROM c" >/dev/null

PORT=$(free_port)
HOST="127.0.0.1:$PORT"
if [ "$MODE" == "serve" ]; then
  # The server on the folder's data directory (.blaze, relative, as operators write it).
  "$BLAZE" serve --port "$PORT" --admin-port 0 --threads 2 >"$WORK/dev.log" 2>&1 &
  DEV_PID=$!
  for _ in $(seq 100); do grep -q "admin API on" "$WORK/dev.log" && break; sleep 0.1; done
  export BLAZE_URL=$(grep -o 'admin API on http://[0-9.:]*' "$WORK/dev.log" | sed 's/admin API on //')
  "$BLAZE" deploy >/dev/null
  HOST="restore-live.localhost"
else
  "$BLAZE" dev --port "$PORT" --threads 2 >"$WORK/dev.log" 2>&1 &
  DEV_PID=$!
fi
get() { curl -s --max-time "${1:-2}" -H "Host: $HOST" "${@:2}" "http://127.0.0.1:$PORT/"; }
for _ in $(seq 100); do
  [ "$(get 1 || true)" == "2000:4000" ] && break
  sleep 0.1
done
expect_eq "the worker serves state B" "2000:4000" "$(get 2)"

# Steady traffic from 4 clients until told to stop; every answer is recorded with its status.
(
  for c in 1 2 3 4; do
    ( while [ ! -f "$WORK/stop" ]; do
        get 5 -w ' %{http_code}\n' >>"$WORK/answers.$c" || echo "curl-failed" >>"$WORK/answers.$c"
      done ) &
  done
  wait
) &
LOAD_PID=$!
answers() { cat "$WORK"/answers.* 2>/dev/null | wc -l; }
for _ in $(seq 100); do [ "$(answers)" -ge 20 ] && break; sleep 0.1; done  # traffic is flowing
# With BLAZE_URL set (serve mode) the restore runs on the server.
"$BLAZE" d1 backup restore live --backup-id "$backup_id" -y >"$WORK/restore.out"
if [ "$MODE" == "serve" ]; then
  expect_contains "the restore ran on the server (its audit log has it)" "d1 backup restore live" \
    "$("$BLAZE" audit list --json)"
fi
after=$(( $(answers) + 20 ))
for _ in $(seq 100); do [ "$(answers)" -ge "$after" ] && break; sleep 0.1; done  # and goes on
touch "$WORK/stop"
wait "$LOAD_PID" || true
LOAD_PID=""

cat "$WORK"/answers.* >"$WORK/all"
total=$(wc -l <"$WORK/all")
expect_lt "traffic ran during the restore (answers)" 20 "$total"
bad=$(grep -v -E '^(2000:4000|1000:1000) 200$' "$WORK/all" | sort | uniq -c || true)
expect_eq "every answer is wholly state A or wholly state B, status 200" "" "$bad"
expect_lt "some answers came before the restore" 0 "$(grep -c '^2000:4000' "$WORK/all")"
expect_lt "some answers came after the restore" 0 "$(grep -c '^1000:1000' "$WORK/all")"
expect_eq "after the restore the worker sees the backup" "1000:1000" "$(get 2)"
echo "answers: $total"
