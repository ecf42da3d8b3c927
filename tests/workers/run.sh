#!/usr/bin/env bash
# Runs the JS worker scenarios against TARGET=blaze (default) or TARGET=wrangler.
#   tests/workers/run.sh                       # all scenarios, blaze dev
#   TARGET=wrangler tests/workers/run.sh       # all scenarios, wrangler dev (reference)
#   tests/workers/run.sh scenarios/url         # one scenario folder (paths relative to here)
# Scenarios run one at a time (each starts its own dev server); every test is bounded.
set -euo pipefail
cd "$(dirname "$0")"
export TARGET="${TARGET:-blaze}"
if [[ "$TARGET" == wrangler && ! -x peer/node_modules/.bin/wrangler ]]; then
  npm ci --prefix peer --no-audit --no-fund
fi
if [[ $# -eq 0 ]]; then set -- scenarios/; fi
exec node --test --test-concurrency=1 --test-timeout=120000 "$@"
