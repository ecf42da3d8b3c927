#!/usr/bin/env bash
# The runbook's R2 inventory ("R2 buckets: versioning enabled"): buckets, uploads, the object
# inventory (key, size, etag, uploaded), version history, restoring an overwritten or deleted
# object, purging old versions, and the refusals, all through the real binary.
#
# usage: r2_inventory_versions.sh path/to/blaze
set -euo pipefail
BLAZE=$(realpath "$1")
source "$(dirname "$0")/lib.sh"

enter_workdir
export BLAZE_DATA_DIR="$WORK/data"

# --- buckets -------------------------------------------------------------------------------------
out=$("$BLAZE" r2 bucket create blaze-assets)
expect_contains "bucket created" "Created bucket 'blaze-assets'" "$out"
expect_exit "duplicate bucket refused" 4 "$BLAZE" r2 bucket create blaze-assets
expect_exit "bad bucket name refused" 2 "$BLAZE" r2 bucket create Bad_Name
expect_contains "bad name explained" "Bucket names must begin and end" "$LAST_ERR"
expect_exit "--remote without a server is Unavailable" 10 "$BLAZE" r2 bucket list --remote --url http://127.0.0.1:1
expect_eq "bucket listed" "blaze-assets" "$("$BLAZE" r2 bucket list --json | jq -r '.[0].name')"
expect_eq "catalog in control.db" "blaze-assets" \
  "$(sqlite3 "$BLAZE_DATA_DIR/control.db" 'SELECT name FROM r2_buckets')"

# --- uploads and the inventory -------------------------------------------------------------------
printf 'team,wins\ncubs,90\n' > standings.csv
head -c 300000 /dev/urandom > logo.png
"$BLAZE" r2 object put blaze-assets/reports/standings.csv --file standings.csv \
  --content-type text/csv --local >/dev/null
"$BLAZE" r2 object put blaze-assets/img/logo.png --file logo.png --content-type image/png >/dev/null
inventory=$("$BLAZE" r2 object list blaze-assets --json)
expect_eq "inventory keys" "img/logo.png,reports/standings.csv" "$(jq -r '[.[].key] | join(",")' <<<"$inventory")"
expect_eq "inventory size" 300000 "$(jq -r '.[0].size' <<<"$inventory")"
expect_eq "inventory etag is the md5" "$(md5sum logo.png | cut -d' ' -f1)" "$(jq -r '.[0].etag' <<<"$inventory")"
expect_contains "inventory uploaded is ISO 8601" "T" "$(jq -r '.[0].uploaded' <<<"$inventory")"
table=$("$BLAZE" r2 object list blaze-assets --prefix reports/)
expect_contains "table lists the prefix" "reports/standings.csv" "$table"
[[ "$table" != *logo.png* ]] || fail "the prefix filter let img/logo.png through"
"$BLAZE" r2 object get blaze-assets/img/logo.png --file back.png >/dev/null
cmp -s logo.png back.png || fail "downloaded logo differs"
echo "ok - download to a file is byte-identical"
expect_eq "get to stdout" "$(cat standings.csv)" "$("$BLAZE" r2 object get blaze-assets/reports/standings.csv)"
expect_exit "missing key" 3 "$BLAZE" r2 object get blaze-assets/nope
expect_contains "missing key message" "The specified key does not exist." "$LAST_ERR"
expect_exit "bad object path" 2 "$BLAZE" r2 object get blaze-assets
expect_exit "unknown bucket" 3 "$BLAZE" r2 object list no-such-bucket

# --- versions: overwrite, delete, restore ---------------------------------------------------------
printf 'team,wins\ncubs,91\n' > standings-v2.csv
"$BLAZE" r2 object put blaze-assets/reports/standings.csv --file standings-v2.csv >/dev/null
"$BLAZE" r2 object delete blaze-assets/reports/standings.csv >/dev/null
expect_exit "deleted object is gone" 3 "$BLAZE" r2 object get blaze-assets/reports/standings.csv
versions=$("$BLAZE" r2 object versions blaze-assets reports/standings.csv --json)
expect_eq "three versions (marker, v2, v1)" "true,false,false" "$(jq -r '[.[].deleted] | map(tostring) | join(",")' <<<"$versions")"
v1=$(jq -r '.[2].version' <<<"$versions")
expect_eq "v1's etag" "$(md5sum standings.csv | cut -d' ' -f1)" "$(jq -r '.[2].etag' <<<"$versions")"
out=$("$BLAZE" r2 object restore blaze-assets reports/standings.csv --version "$v1")
expect_contains "restore reports the new version" "as new version" "$out"
expect_eq "restored bytes" "$(cat standings.csv)" "$("$BLAZE" r2 object get blaze-assets/reports/standings.csv)"
expect_eq "restore is a fourth version, current" "4 true" \
  "$("$BLAZE" r2 object versions blaze-assets reports/standings.csv --json | jq -r '"\(length) \(.[0].current)"')"
marker=$(jq -r '.[0].version' <<<"$versions")
expect_exit "a delete marker cannot be restored" 8 "$BLAZE" r2 object restore blaze-assets reports/standings.csv --version "$marker"
expect_exit "unknown version" 3 "$BLAZE" r2 object restore blaze-assets reports/standings.csv --version 0000

# --- content addressing and purge ------------------------------------------------------------------
blobs() { find "$BLAZE_DATA_DIR/r2/blaze-assets/blobs" -mindepth 2 -type f -path '*/blobs/??/*' | wc -l; }
expect_eq "identical content stored once (logo, v1, v2)" 3 "$(blobs)"
"$BLAZE" r2 object put blaze-assets/img/logo-copy.png --file logo.png >/dev/null
expect_eq "a copy adds no blob" 3 "$(blobs)"
out=$("$BLAZE" r2 object purge blaze-assets -y)
expect_contains "purge drops the old versions" "Purged 3 old versions and 1 blobs" "$out"
expect_eq "v2's bytes are gone, v1's stay (current again)" 2 "$(blobs)"
expect_eq "history after purge" 1 "$("$BLAZE" r2 object versions blaze-assets reports/standings.csv --json | jq length)"

# --- bucket delete ---------------------------------------------------------------------------------
expect_exit "a bucket with objects is not deleted" 8 "$BLAZE" r2 bucket delete blaze-assets
for key in img/logo.png img/logo-copy.png reports/standings.csv; do
  "$BLAZE" r2 object delete "blaze-assets/$key" >/dev/null
done
"$BLAZE" r2 bucket delete blaze-assets >/dev/null
[ ! -e "$BLAZE_DATA_DIR/r2/blaze-assets" ] || fail "the bucket's folder is still there"
expect_eq "no buckets left" 0 "$("$BLAZE" r2 bucket list --json | jq length)"
echo "r2 inventory/versions: all passed"
