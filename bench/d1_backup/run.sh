#!/usr/bin/env bash
# bench/d1_backup: backup and restore of a 200 MB D1 database (the runbook's sharding threshold)
# on Blaze, side by side with sqlite3's `.backup` / `.restore` and a plain file copy, in one run.
# Prints the medians of RUNS runs and the ratios. Not a test: nothing here fails on slow machines.
#
# usage: bench/d1_backup/run.sh [path/to/blaze]     env: SIZE_MB (200), RUNS (3)
set -euo pipefail
BLAZE=$(realpath "${1:-build/blaze}")
SIZE_MB=${SIZE_MB:-200}
RUNS=${RUNS:-3}
WORK=$(mktemp -d /tmp/blaze-bench-d1.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
export BLAZE_DATA_DIR="$WORK/data"

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_it() {  # time_it CMD... → seconds
  local t0 t1
  t0=$(now)
  "$@" >/dev/null
  t1=$(now)
  echo "$t1 - $t0" | bc -l
}

echo "== building a ${SIZE_MB} MB database"
"$BLAZE" d1 create bench >/dev/null
# ~1 KB rows of game data: JSON-like text with a random id, compressing about 8x like feed payloads.
rows=$((SIZE_MB * 1280))
"$BLAZE" d1 execute bench --command "
  CREATE TABLE games (id INTEGER PRIMARY KEY, date TEXT, status TEXT, home TEXT, away TEXT,
                      payload TEXT);
  CREATE INDEX idx_games_date_status ON games(date, status);
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $rows)
  INSERT INTO games (date, status, home, away, payload)
  SELECT date('2025-01-01', '+' || (i % 365) || ' days'), CASE i % 3 WHEN 0 THEN 'live' ELSE 'final' END,
         'team-' || (i % 30), 'team-' || ((i * 7) % 30),
         printf('{\"gameId\":%d,\"clock\":\"%d:%02d\",\"note\":\"%s\",\"id\":\"%s\"}', i, i % 15, i % 60,
                substr('The quick brown fox jumps over the lazy dog while the crowd roars; ', 1 + i % 40, 40 + i % 40)
                  || substr(replace(hex(zeroblob(60)), '0', 'play '), 1, 300 + i % 200),
                hex(randomblob(90)))
  FROM n;" >/dev/null
DB_ID=$("$BLAZE" d1 info bench --json | jq -r .uuid)
DB="$BLAZE_DATA_DIR/d1/$DB_ID.sqlite"
sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
bytes=$(stat -c %s "$DB")
echo "database: $(echo "$bytes / 1000000" | bc) MB, $rows rows"

declare -a blaze_backup sqlite_backup cp_copy blaze_restore sqlite_restore
for r in $(seq "$RUNS"); do
  blaze_backup+=("$(time_it "$BLAZE" d1 backup create bench --name "bench-$r")")
  rm -f sqlite-backup.db
  sqlite_backup+=("$(time_it sqlite3 "$DB" ".backup sqlite-backup.db")")
  rm -f copy.db
  cp_copy+=("$(time_it cp "$DB" copy.db)")
done
backup_id=$("$BLAZE" d1 backup list bench --json | jq -r '[.[] | select(.label == "bench-1")][0].id')
for r in $(seq "$RUNS"); do
  blaze_restore+=("$(time_it "$BLAZE" d1 backup restore bench --backup-id "$backup_id" -y)")
  sqlite_restore+=("$(time_it sqlite3 "$DB" ".restore sqlite-backup.db")")
done
compressed=$("$BLAZE" d1 backup list bench --json | jq -r '.[0].compressed_size')

bb=$(printf '%s\n' "${blaze_backup[@]}" | median)
sb=$(printf '%s\n' "${sqlite_backup[@]}" | median)
cc=$(printf '%s\n' "${cp_copy[@]}" | median)
br=$(printf '%s\n' "${blaze_restore[@]}" | median)
sr=$(printf '%s\n' "${sqlite_restore[@]}" | median)

printf '\n%-44s %10s %10s\n' "operation (median of $RUNS)" "seconds" "vs blaze"
printf '%-44s %10.3f %10s\n' "blaze d1 backup create (zstd + sha256)" "$bb" "1.00x"
printf '%-44s %10.3f %9.2fx\n' "sqlite3 .backup (uncompressed)" "$sb" "$(echo "$bb / $sb" | bc -l)"
printf '%-44s %10.3f %9.2fx\n' "cp (not consistent under writes)" "$cc" "$(echo "$bb / $cc" | bc -l)"
printf '%-44s %10.3f %10s\n' "blaze d1 backup restore (verify+safety+swap)" "$br" "1.00x"
printf '%-44s %10.3f %9.2fx\n' "sqlite3 .restore (no verify, no safety)" "$sr" "$(echo "$br / $sr" | bc -l)"
printf '\nbackup size: %s MB plain, %s MB compressed (%.1fx)\n' "$(echo "$bytes / 1000000" | bc)" \
  "$(echo "$compressed / 1000000" | bc)" "$(echo "$bytes / $compressed" | bc -l)"
printf 'ratio backup blaze/sqlite3: %.2f (target <= 1.5); restore: %.2f s (target < 5 s)\n' \
  "$(echo "$bb / $sb" | bc -l)" "$br"
