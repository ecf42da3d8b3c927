#!/usr/bin/env bash
# `make run`: serves examples/scores-api with `blaze dev` on 127.0.0.1:8787 until Ctrl-C.
set -euo pipefail
BLAZE=$(realpath "${1:-build/blaze}")
PORT=${PORT:-8787}
cd "$(dirname "$0")/../examples/scores-api"
cat <<MSG
Serving examples/scores-api with blaze dev. Try:
  curl http://127.0.0.1:$PORT/
  curl 'http://127.0.0.1:$PORT/api/games?league=nfl'
  curl http://127.0.0.1:$PORT/api/standings
Edit examples/scores-api/src/index.js and it reloads. Ctrl-C stops (in-flight requests finish).
MSG
exec "$BLAZE" dev --ip 127.0.0.1 --port "$PORT"
