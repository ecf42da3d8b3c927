#!/usr/bin/env bash
# `make run`: `blaze serve` on a fresh data directory (build/run-data), the example projects
# deployed to it through the control plane — examples/scores-api to staging and production,
# examples/d1-demo with its database migrated and seeded — then the URLs, where the admin token
# is and three commands to try. Runs until Ctrl-C (in-flight requests finish).
# PORT / ADMIN_PORT / RUN_DATA override the defaults (8787, 8788, build/run-data).
set -euo pipefail
BLAZE=$(realpath "${1:-build/blaze}")
ROOT=$(realpath "$(dirname "$0")/..")
PORT=${PORT:-8787}
ADMIN_PORT=${ADMIN_PORT:-8788}
DATA=$(realpath -m "${RUN_DATA:-$ROOT/build/run-data}")
rm -rf "$DATA"
mkdir -p "$DATA"

"$BLAZE" serve --data-dir "$DATA" --port "$PORT" --admin-port "$ADMIN_PORT" &
SERVE=$!
stop() {
  kill -TERM "$SERVE" 2>/dev/null || true
  wait "$SERVE" 2>/dev/null || true
}
trap stop EXIT
trap 'exit 0' INT TERM

for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$ADMIN_PORT/api/v1/health" >/dev/null && break
  kill -0 "$SERVE" 2>/dev/null || { echo "blaze serve did not start" >&2; exit 1; }
  sleep 0.1
done

# The CLI finds the server through BLAZE_URL and its token in the data directory's admin.token.
export BLAZE_URL="http://127.0.0.1:$ADMIN_PORT" BLAZE_DATA_DIR="$DATA"
run() {
  printf '\n\033[1m$ blaze %s\033[0m\n' "$*"
  "$BLAZE" "$@"
}

cd "$ROOT/examples/scores-api"
run deploy --env staging --message "make run: staging"
curl -sf "http://127.0.0.1:$PORT/health" -H "Host: scores-api-staging.localhost" >/dev/null
run deploy --env production --message "make run: production, first release"
# A second release, probed on /health before it takes traffic; `blaze rollback` goes back to the first.
run deploy --env production --message "make run: production, second release" --verify /health

cd "$ROOT/examples/d1-demo"
# With BLAZE_URL set the d1 verbs run on the server's data directory; migrations compare the
# project's migrations/ folder with the server's d1_migrations table and apply what is new.
run d1 create blaze-db
run d1 migrations apply DB -y
run d1 execute blaze-db --file=seed.sql
run deploy --message "make run: D1 demo"

cat <<MSG

Blaze is serving on http://127.0.0.1:$PORT (data directory: $DATA)
  http://scores-api-staging.localhost:$PORT/        staging
  http://scores-api.localhost:$PORT/                production
  http://scores-demo.localhost:$PORT/api/games      D1 demo
Admin API: http://127.0.0.1:$ADMIN_PORT/api/v1 — admin token in $DATA/admin.token (mode 0600)

Try, in another terminal:
  export BLAZE_URL=$BLAZE_URL BLAZE_DATA_DIR=$DATA
  $BLAZE deployments list scores-api
  $BLAZE tail scores-api
  $BLAZE rollback scores-api --message "Rolling back due to a test"
Ctrl-C stops.
MSG
wait "$SERVE"
