#!/usr/bin/env bash
# `make run`: a short tour of D1 on Blaze in examples/d1-demo, following the runbook's
# "Database Operations" with `blaze` in place of `wrangler`. State goes to
# examples/d1-demo/.blaze (removed first, so every run starts fresh).
set -euo pipefail
BLAZE=$(realpath "${1:-build/blaze}")
cd "$(dirname "$0")/../examples/d1-demo"
rm -rf .blaze dump.sql

run() {
  printf '\n\033[1m$ blaze %s\033[0m\n' "$*"
  "$BLAZE" "$@"
}

run d1 migrations list DB
run d1 migrations apply DB -y
run d1 execute blaze-db --local --file=seed.sql
run d1 execute blaze-db --command "SELECT league, home, home_score, away_score, away FROM games WHERE date = '2024-12-15' LIMIT 10"
run d1 execute blaze-db --command "EXPLAIN QUERY PLAN SELECT * FROM games WHERE date = '2024-12-15' AND status = 'final'"
run d1 backup create blaze-db --name "manual-backup-$(date +%Y%m%d)"
BACKUP=$("$BLAZE" d1 backup list blaze-db --json | jq -r '.[0].id')
run d1 execute blaze-db --command "DELETE FROM games WHERE league = 'nfl'"
run d1 backup restore blaze-db --backup-id "$BACKUP" -y
run d1 execute blaze-db --command "SELECT COUNT(*) AS games FROM games"
run d1 backup list blaze-db
run d1 export blaze-db --output dump.sql
run d1 info blaze-db
printf '\nState is in %s/.blaze; try: %s --data-dir %s/.blaze d1 list\n' "$PWD" "$BLAZE" "$PWD"
