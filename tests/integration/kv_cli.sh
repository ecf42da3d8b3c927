#!/usr/bin/env bash
# `blaze kv` through the real binary: namespaces (catalog in control.db, one SQLite file each),
# single keys (text, binary --path, TTL, metadata), a wrangler.toml binding created on first use,
# bulk put/get/delete in wrangler's file format, export → bulk put round trip, and the refusals
# with their exit codes.
#
# usage: kv_cli.sh path/to/blaze
set -euo pipefail
BLAZE=$(realpath "$1")
source "$(dirname "$0")/lib.sh"

enter_workdir
export BLAZE_DATA_DIR="$WORK/data"

# --- namespaces ----------------------------------------------------------------------------------
out=$("$BLAZE" kv namespace create scores-cache)
expect_contains "create prints the wrangler snippet" '[[kv_namespaces]]' "$out"
id=$("$BLAZE" kv namespace list | jq -r '.[] | select(.title == "scores-cache") | .id')
[[ "$id" =~ ^[0-9a-f]{32}$ ]] || fail "namespace id is not 32 lowercase hex: $id"
echo "ok - namespace id is 32 lowercase hex"
expect_contains "create prints the id" "id = \"$id\"" "$out"
expect_eq "catalog in control.db" "scores-cache" \
  "$(sqlite3 "$BLAZE_DATA_DIR/control.db" "SELECT title FROM kv_namespaces WHERE id = '$id'")"
[ -f "$BLAZE_DATA_DIR/kv/$id.sqlite" ] || fail "no kv/$id.sqlite"
echo "ok - one SQLite file per namespace"
expect_exit "duplicate title refused" 4 "$BLAZE" kv namespace create scores-cache
json=$("$BLAZE" kv namespace create other --json)
expect_eq "--json create" "other" "$(jq -r '.title' <<<"$json")"
expect_exit "--remote without a server is Unavailable" 10 "$BLAZE" kv namespace list --remote --url http://127.0.0.1:1
expect_contains "and says what to check" "is \`blaze serve\` running?" "$LAST_ERR"

# --- single keys ---------------------------------------------------------------------------------
"$BLAZE" kv key put standings '{"cubs":90}' --namespace-id "$id" >/dev/null
expect_eq "get prints the raw value" '{"cubs":90}' "$("$BLAZE" kv key get standings --namespace-id "$id")"
head -c 5000 /dev/urandom > logo.bin
"$BLAZE" kv key put logo --path logo.bin --namespace-id "$id" --local >/dev/null
"$BLAZE" kv key get logo --namespace-id "$id" > back.bin
cmp -s logo.bin back.bin || fail "binary value differs"
echo "ok - binary value through --path is byte-identical"
"$BLAZE" kv key put live v --namespace-id "$id" --ttl 3600 --metadata '{"src":"feed"}' >/dev/null
listed=$("$BLAZE" kv key list --namespace-id "$id")
expect_eq "list names in order" "live,logo,standings" "$(jq -r '[.[].name] | join(",")' <<<"$listed")"
expect_eq "list carries metadata" "feed" "$(jq -r '.[0].metadata.src' <<<"$listed")"
now=$(date +%s)
exp=$(jq -r '.[0].expiration' <<<"$listed")
[ $((exp - now)) -ge 3590 ] && [ $((exp - now)) -le 3601 ] || fail "expiration $exp is not now+3600"
echo "ok - --ttl sets the expiration"
expect_eq "prefix" "standings" "$("$BLAZE" kv key list --namespace-id "$id" --prefix st | jq -r '.[].name')"
expect_eq "missing key, as wrangler" "Value not found" "$("$BLAZE" kv key get nope --namespace-id "$id")"
"$BLAZE" kv key delete standings --namespace-id "$id" >/dev/null
expect_eq "deleted" "Value not found" "$("$BLAZE" kv key get standings --namespace-id "$id")"
expect_exit "TTL under 60 s" 2 "$BLAZE" kv key put k v --namespace-id "$id" --ttl 30
expect_contains "Cloudflare's message" "Invalid expiration_ttl of 30. Expiration TTL must be at least 60." "$LAST_ERR"
expect_exit "empty key" 2 "$BLAZE" kv key put "" v --namespace-id "$id"
expect_exit "key over 512 bytes" 2 "$BLAZE" kv key put "$(printf 'k%.0s' $(seq 513))" v --namespace-id "$id"
expect_contains "414 message" "exceeds key length limit of 512" "$LAST_ERR"
expect_exit "value and --path together" 2 "$BLAZE" kv key put k v --path logo.bin --namespace-id "$id"
expect_exit "neither id nor binding" 2 "$BLAZE" kv key get k
expect_exit "an id that is not a file name" 2 "$BLAZE" kv key put k v --namespace-id ../../etc

# --- a wrangler.toml binding: created on first write, as `wrangler kv ... --local` ---------------
cat > wrangler.toml <<'TOML'
name = "api"
main = "index.js"
[[kv_namespaces]]
binding = "CACHE"
id = "0123456789abcdef0123456789abcdef"
TOML
expect_eq "unknown binding id reads as empty" "[]" "$("$BLAZE" kv key list --binding CACHE | jq -c .)"
expect_contains "a delete before the namespace exists names the binding" \
  'on namespace binding: "CACHE" (id: "0123456789abcdef0123456789abcdef")' \
  "$("$BLAZE" kv key delete nothing-yet --binding CACHE)"
out=$("$BLAZE" kv key put hello world --binding CACHE)
expect_contains "put names the binding" 'namespace binding: "CACHE" (id: "0123456789abcdef0123456789abcdef")' "$out"
expect_eq "binding namespace now exists" "1" \
  "$("$BLAZE" kv namespace list | jq '[.[] | select(.id == "0123456789abcdef0123456789abcdef")] | length')"
expect_eq "same data by id" "world" "$("$BLAZE" kv key get hello --namespace-id 0123456789abcdef0123456789abcdef)"
expect_exit "unknown binding" 3 "$BLAZE" kv key get hello --binding NOPE
expect_contains "wrangler's message" 'A namespace with binding name "NOPE" was not found' "$LAST_ERR"

# --- bulk and export -----------------------------------------------------------------------------
cat > bulk.json <<'JSON'
[{"key": "b1", "value": "v1"},
 {"key": "b2", "value": "aGVsbG8=", "base64": true},
 {"key": "b3", "value": "v3", "expiration_ttl": 120, "metadata": {"m": 1}},
 {"key": "b4", "value": "v4", "expiration": 4102444800}]
JSON
expect_eq "bulk put" "Success!" "$("$BLAZE" kv bulk put bulk.json --binding CACHE)"
expect_eq "base64 decoded" "hello" "$("$BLAZE" kv key get b2 --binding CACHE)"
echo '[{"key": "x"}]' > bad.json
expect_exit "bulk item without a value" 2 "$BLAZE" kv bulk put bad.json --binding CACHE
expect_contains "names the item" 'The item at index 0 is {"key":"x"}' "$LAST_ERR"
expect_eq "nothing written by the refused file" "b1,b2,b3,b4,hello" \
  "$("$BLAZE" kv key list --binding CACHE | jq -r '[.[].name] | join(",")')"
"$BLAZE" kv key put raw --path logo.bin --binding CACHE >/dev/null
"$BLAZE" kv export --binding CACHE --output export.json >/dev/null
expect_eq "binary values export as base64" "true" "$(jq -r '.[] | select(.key == "raw") | .base64' export.json)"
"$BLAZE" kv bulk put export.json --namespace-id "$id" >/dev/null
"$BLAZE" kv key get raw --namespace-id "$id" > raw-back.bin
cmp -s logo.bin raw-back.bin || fail "exported binary value differs after import"
echo "ok - export imports back with kv bulk put, bytes intact"
expect_eq "metadata and expiration survive" "1 4102444800" \
  "$("$BLAZE" kv key list --namespace-id "$id" | jq -r '"\(.[] | select(.name == "b3") | .metadata.m) \(.[] | select(.name == "b4") | .expiration)"')"
echo '["b1", {"name": "b2"}, "never-there"]' > del.json
expect_eq "bulk delete" "Success!" "$("$BLAZE" kv bulk delete del.json --binding CACHE -f)"
expect_eq "bulk get after delete" "null,null,null" \
  "$("$BLAZE" kv bulk get del.json --binding CACHE | sed '/^$/,$d' | jq -r '[.[].value] | map(tostring) | join(",")')"

# --- delete a namespace --------------------------------------------------------------------------
expect_exit "unknown namespace" 3 "$BLAZE" kv namespace delete --namespace-id ffffffffffffffffffffffffffffffff
"$BLAZE" kv namespace delete --namespace-id "$id" -y >/dev/null
[ ! -e "$BLAZE_DATA_DIR/kv/$id.sqlite" ] || fail "kv/$id.sqlite is still there"
expect_eq "gone from the list" "0" "$("$BLAZE" kv namespace list | jq "[.[] | select(.id == \"$id\")] | length")"
echo "all kv CLI checks passed"
