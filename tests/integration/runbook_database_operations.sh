#!/usr/bin/env bash
# The runbook's "Database Operations", "Backup & Recovery" and "Add Database Replica" procedures,
# end to end through the real binary, with `wrangler` replaced by `blaze`. The runbook's "local"
# and "production" databases are two data directories: the project's ./.blaze and $PROD.
#
# usage: runbook_database_operations.sh path/to/blaze
set -euo pipefail
BLAZE=$(realpath "$1")
source "$(dirname "$0")/lib.sh"

enter_workdir
PROD="$WORK/prod"
export BLAZE_DATA_DIR="$PROD"   # "production"; the project's local copy uses --data-dir .blaze
LOCAL=(--data-dir .blaze)

# --- setup: a production database with games, some older than 90 days ---------------------------
"$BLAZE" d1 create blaze-db >/dev/null
"$BLAZE" d1 execute blaze-db --command "
  CREATE TABLE games (id INTEGER PRIMARY KEY AUTOINCREMENT, date TEXT NOT NULL, status TEXT,
                      home TEXT, away TEXT, home_score INTEGER, away_score INTEGER, payload TEXT);
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
  INSERT INTO games (date, status, home, away, home_score, away_score, payload)
  SELECT date('now', '-' || (i % 200) || ' days'), CASE i % 3 WHEN 0 THEN 'live' ELSE 'final' END,
         'H' || (i % 30), 'A' || (i % 29), i % 7, i % 5, hex(randomblob(120)) FROM n;" >/dev/null
expect_eq "seeded games" 3000 "$(q blaze-db 'SELECT count(*) FROM games')"
"$BLAZE" "${LOCAL[@]}" d1 create blaze-db >/dev/null

# --- Run Database Migration ----------------------------------------------------------------------
mkdir -p migrations
MIG="migrations/$(date +%Y%m%d_%H%M%S)_add_user_preferences.sql"
cat > "$MIG" << 'SQL'
CREATE TABLE user_preferences (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id TEXT NOT NULL,
  preferences TEXT NOT NULL,
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX idx_user_preferences_user_id ON user_preferences(user_id);
SQL
# 2. Test on local D1 (the runbook's --file= form)
out=$("$BLAZE" "${LOCAL[@]}" d1 execute blaze-db --local --file="$MIG")
expect_contains "local migration test ran 2 statements" "2 commands executed successfully" "$out"
# 3. Backup production database
label="pre-migration-$(date +%Y%m%d)"
backup_json=$("$BLAZE" d1 backup create blaze-db --name "$label" --json)
pre_migration_id=$(jq -r .id <<<"$backup_json")
expect_eq "backup label" "$label" "$(jq -r .label <<<"$backup_json")"
# 4. Apply to production
"$BLAZE" d1 execute blaze-db --file="$MIG" >/dev/null
# 5. Verify migration
tables=$("$BLAZE" d1 execute blaze-db --command "SELECT name FROM sqlite_master WHERE type='table'" --json | jq -r '[.[0].results[].name] | join(",")')
expect_contains "user_preferences exists in production" "user_preferences" "$tables"
# Applying the same file again fails as a whole and changes nothing.
expect_exit "re-applying the migration is refused" 2 "$BLAZE" d1 execute blaze-db --file="$MIG"
expect_contains "error names the statement" "statement 1" "$LAST_ERR"
expect_contains "error carries SQLite's message" "already exists" "$LAST_ERR"

# The same through numbered migrations (wrangler d1 migrations ...). Like wrangler, numbering
# continues from the highest numeric prefix in the folder, so the runbook's timestamped file
# (already applied by hand above) leaves first.
rm "$MIG"
"$BLAZE" d1 migrations create blaze-db "add favourite team" >/dev/null
expect_eq "migration file numbered" "migrations/0001_add_favourite_team.sql" "$(ls migrations/0001_*)"
echo "ALTER TABLE user_preferences ADD COLUMN favourite_team TEXT;" >> migrations/0001_add_favourite_team.sql
out=$("$BLAZE" d1 migrations list blaze-db)
expect_contains "pending migration listed" "0001_add_favourite_team.sql" "$out"
expect_eq "pending migrations as JSON" "0001_add_favourite_team.sql" "$("$BLAZE" d1 migrations list blaze-db --json | jq -r '.[0].name')"
out=$("$BLAZE" d1 migrations apply blaze-db -y)
expect_contains "apply takes a backup first" "taken before migrating" "$out"
expect_eq "migration recorded" "0001_add_favourite_team.sql" "$(q blaze-db 'SELECT name FROM d1_migrations')"
expect_contains "nothing left to apply" "No migrations to apply" "$("$BLAZE" d1 migrations list blaze-db)"
"$BLAZE" d1 migrations create blaze-db broken >/dev/null
printf 'CREATE TABLE half_done(x);\nINSERT INTO nowhere VALUES (1);\n' >> migrations/0002_broken.sql
expect_exit "a failing migration stops the run" 2 "$BLAZE" d1 migrations apply blaze-db -y
expect_contains "the failing file is named" "0002_broken.sql" "$LAST_ERR"
expect_eq "the failed migration left nothing" 0 "$(q blaze-db "SELECT count(*) FROM sqlite_master WHERE name='half_done'")"
rm migrations/0002_broken.sql

# --- Database Backup -----------------------------------------------------------------------------
"$BLAZE" d1 backup create blaze-db --name "manual-backup-$(date +%Y%m%d)" >/dev/null
list_json=$("$BLAZE" d1 backup list blaze-db --json)
expect_eq "four backups listed (manual, 2x pre-migrations, pre-migration)" 4 "$(jq length <<<"$list_json")"
expect_eq "newest first" "manual-backup-$(date +%Y%m%d)" "$(jq -r '.[0].label' <<<"$list_json")"
size=$(jq -r '.[0].size' <<<"$list_json")
compressed=$(jq -r '.[0].compressed_size' <<<"$list_json")
expect_lt "backup compressed smaller than the database" "$compressed" "$size"
out=$("$BLAZE" d1 backup list blaze-db)
expect_contains "human listing shows the label" "manual-backup-" "$out"

# --- Query Slow Database / Database Query Optimization ---------------------------------------------
today=$(date +%Y-%m-%d)
rows=$("$BLAZE" d1 execute blaze-db --command "SELECT * FROM games WHERE date = '$today' LIMIT 10" --json | jq '.[0].results | length')
expect_eq "today's games (LIMIT 10)" 10 "$rows"
expect_eq "table size" 3000 "$(q blaze-db 'SELECT COUNT(*) as count FROM games')"
plan=$("$BLAZE" d1 execute blaze-db --command "EXPLAIN QUERY PLAN SELECT * FROM games WHERE date = '$today' AND status = 'live'" --json | jq -r '.[0].results[].detail')
expect_contains "without an index the plan scans" "SCAN games" "$plan"
"$BLAZE" d1 execute blaze-db --command "CREATE INDEX idx_games_date_status ON games(date, status)" >/dev/null
plan=$("$BLAZE" d1 execute blaze-db --command "EXPLAIN QUERY PLAN SELECT * FROM games WHERE date = '$today' AND status = 'live'" --json | jq -r '.[0].results[].detail')
expect_contains "with the index the plan searches it" "USING INDEX idx_games_date_status" "$plan"
idx=$("$BLAZE" d1 execute blaze-db --command "SELECT * FROM sqlite_master WHERE type='index' AND tbl_name='games'" --json | jq -r '.[0].results[].name')
expect_contains "index listed in sqlite_master" "idx_games_date_status" "$idx"
"$BLAZE" d1 execute blaze-db --command "SELECT * FROM games" --json > games-export.json
expect_eq "JSON export has every row" 3000 "$(jq '.[0].results | length' games-export.json)"
expect_eq "JSON export meta" "true" "$(jq '.[0].success and (.[0].meta | has("rows_read") and has("size_after") and has("duration"))' games-export.json)"

# --- Database Cleanup ----------------------------------------------------------------------------
old=$(q blaze-db "SELECT COUNT(*) FROM games WHERE date < date('now', '-90 days')")
expect_lt "some games are older than 90 days" 0 "$old"
size_before=$("$BLAZE" d1 info blaze-db --json | jq .file_size)
out=$("$BLAZE" d1 execute blaze-db --command "DELETE FROM games WHERE date < date('now', '-90 days')" --json)
expect_eq "DELETE reports its changes" "$old" "$(jq '.[0].meta.changes' <<<"$out")"
"$BLAZE" d1 execute blaze-db --command "VACUUM" >/dev/null
size_after=$("$BLAZE" d1 info blaze-db --json | jq .file_size)
expect_lt "VACUUM shrank the database" "$size_after" "$size_before"
expect_eq "old games gone" 0 "$(q blaze-db "SELECT COUNT(*) FROM games WHERE date < date('now', '-90 days')")"
remaining=$(q blaze-db 'SELECT count(*) FROM games')
# DELETE ...; VACUUM in one command works too (the runbook's cleanup in one line).
"$BLAZE" d1 execute blaze-db --command "DELETE FROM games WHERE home = 'H1'; VACUUM" >/dev/null
expect_lt "DELETE; VACUUM in one command" "$(q blaze-db 'SELECT count(*) FROM games')" "$remaining"

# --- SQL errors change nothing -------------------------------------------------------------------
before=$(q blaze-db 'SELECT count(*) FROM games')
expect_exit "a failing script is refused" 2 "$BLAZE" d1 execute blaze-db --command "DELETE FROM games; SELECT * FROM nope"
expect_eq "no partial write after a failing script" "$before" "$(q blaze-db 'SELECT count(*) FROM games')"
expect_exit "unknown database" 3 "$BLAZE" d1 execute nosuch-db --command "SELECT 1"
expect_contains "unknown database says how to create it" "blaze d1 create nosuch-db" "$LAST_ERR"
expect_exit "a name with a slash is refused" 2 "$BLAZE" d1 create "../escape"
expect_eq "nothing created outside the data directory" "" "$(ls "$WORK" | grep escape || true)"

# --- Database Restore ----------------------------------------------------------------------------
"$BLAZE" d1 backup list blaze-db >/dev/null
"$BLAZE" d1 backup create blaze-db --name "pre-restore-$(date +%Y%m%d-%H%M%S)" >/dev/null
out=$("$BLAZE" d1 backup restore blaze-db --backup-id "$pre_migration_id" </dev/null)
expect_contains "restore reports its safety backup" "Safety backup" "$out"
expect_eq "restored the pre-migration games" 3000 "$(q blaze-db 'SELECT COUNT(*) FROM games')"
expect_eq "restored state has no user_preferences" 0 "$(q blaze-db "SELECT count(*) FROM sqlite_master WHERE name='user_preferences'")"
safety_id=$("$BLAZE" d1 backup list blaze-db --json | jq -r '[.[] | select(.label | startswith("pre-restore-20"))][0].id')
"$BLAZE" d1 backup restore blaze-db --backup-id "$safety_id" -y >/dev/null
expect_eq "restoring the safety backup undoes the restore" "$before" "$(q blaze-db 'SELECT COUNT(*) FROM games')"

# A corrupt backup is refused and the data stays.
victim=$("$BLAZE" d1 backup create blaze-db --name victim --json | jq -r .id)
zst=$(ls "$PROD"/backups/d1/blaze-db/"$victim".sqlite.zst)
printf '\xff\xff\xff\xff' | dd of="$zst" bs=1 seek=200 conv=notrunc status=none
"$BLAZE" d1 execute blaze-db --command "INSERT INTO games(date) VALUES ('2099-01-01')" >/dev/null
expect_exit "corrupt backup refused" 12 "$BLAZE" d1 backup restore blaze-db --backup-id "$victim" -y
expect_contains "corruption named" "refused" "$LAST_ERR"
expect_eq "current data untouched" 1 "$(q blaze-db "SELECT count(*) FROM games WHERE date = '2099-01-01'")"
truncate -s 100 "$zst"
expect_exit "truncated backup refused" 12 "$BLAZE" d1 backup restore blaze-db --backup-id "$victim" -y
"$BLAZE" d1 backup delete blaze-db --backup-id "$victim" -y >/dev/null
expect_eq "deleted backup gone from the list" 0 "$("$BLAZE" d1 backup list blaze-db --json | jq --arg id "$victim" '[.[] | select(.id == $id)] | length')"

# Download gives a plain SQLite file the sqlite3 CLI opens.
"$BLAZE" d1 backup download blaze-db --backup-id "$pre_migration_id" --output plain.sqlite3 >/dev/null
expect_eq "downloaded backup opens in sqlite3" 3000 "$(sqlite3 plain.sqlite3 'SELECT count(*) FROM games')"
expect_eq "downloaded backup passes integrity_check" ok "$(sqlite3 plain.sqlite3 'PRAGMA integrity_check')"

# --- SQL export round trip -----------------------------------------------------------------------
"$BLAZE" d1 export blaze-db --output dump.sql >/dev/null
expect_eq "dump starts like wrangler's" "PRAGMA defer_foreign_keys=TRUE;" "$(head -1 dump.sql)"
"$BLAZE" d1 create blaze-db-copy >/dev/null
"$BLAZE" d1 execute blaze-db-copy --file dump.sql >/dev/null
expect_eq "export restores every row" "$(q blaze-db 'SELECT count(*) FROM games')" "$(q blaze-db-copy 'SELECT count(*) FROM games')"
expect_eq "export keeps the content" "$(q blaze-db 'SELECT sum(length(payload)) + sum(home_score) FROM games')" "$(q blaze-db-copy 'SELECT sum(length(payload)) + sum(home_score) FROM games')"

# --- Destructive verbs ask on a terminal; -y and scripts (no terminal) do not ---------------------
out=$(printf 'n\n' | script -qec "$BLAZE d1 delete blaze-db-copy" /dev/null)
expect_contains "a terminal is asked, and 'n' keeps the database" "Not deleting" "$out"
expect_eq "database still there after answering no" 1 "$("$BLAZE" d1 list --json | jq '[.[] | select(.name == "blaze-db-copy")] | length')"
out=$(printf 'y\n' | script -qec "$BLAZE d1 delete blaze-db-copy" /dev/null)
expect_contains "answering y deletes" "Deleted" "$out"
"$BLAZE" d1 create blaze-db-copy2 >/dev/null
"$BLAZE" d1 delete blaze-db-copy2 </dev/null >/dev/null
expect_eq "without a terminal the verb proceeds, as wrangler's" 0 "$("$BLAZE" d1 list --json | jq '[.[] | select(.name == "blaze-db-copy2")] | length')"

# --- Add Database Replica ------------------------------------------------------------------------
"$BLAZE" d1 create blaze-db-replica >/dev/null
replica_src=$("$BLAZE" d1 backup create blaze-db --name "replica-source" --json | jq -r .id)
"$BLAZE" d1 backup restore blaze-db-replica --backup-id "$replica_src" -y >/dev/null
expect_eq "replica holds the primary's rows" "$(q blaze-db 'SELECT count(*) FROM games')" "$(q blaze-db-replica 'SELECT count(*) FROM games')"

# --- Disaster recovery: only backups/ survived -----------------------------------------------------
db_id=$("$BLAZE" d1 info blaze-db --json | jq -r .uuid)
count=$(q blaze-db 'SELECT count(*) FROM games')
latest=$("$BLAZE" d1 backup create blaze-db --name "nightly" --json | jq -r .id)
find "$PROD" -mindepth 1 -maxdepth 1 ! -name backups -exec rm -rf {} +
expect_exit "database gone" 3 "$BLAZE" d1 info blaze-db
listed=$("$BLAZE" d1 backup list blaze-db --json | jq -r '.[0].id')
expect_eq "backups still listed from backups/ alone" "$latest" "$listed"
"$BLAZE" d1 backup restore blaze-db --backup-id "$latest" -y >/dev/null
expect_eq "recovered database keeps its id" "$db_id" "$("$BLAZE" d1 info blaze-db --json | jq -r .uuid)"
expect_eq "recovered database has its rows" "$count" "$(q blaze-db 'SELECT count(*) FROM games')"

echo "runbook database operations: all checks passed"
