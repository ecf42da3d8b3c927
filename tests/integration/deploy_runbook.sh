#!/usr/bin/env bash
# The runbook's "Worker Deployment" and "Rotate API Keys" procedures against a real
# `blaze serve`, with `wrangler` replaced by `blaze`: deploy --env staging, check it, deploy
# --env production, list deployments, deploy again, roll back with a message and see the old
# version answer; secrets from stdin that the worker sees and nothing prints; token scopes; bad
# configs refused with nothing changed; --dry-run, --verify and --watch; gradual deployments; and
# the d1/kv/r2 verbs run on the server's data directory (--remote / $BLAZE_URL).
#
# usage: deploy_runbook.sh path/to/blaze
set -euo pipefail
BLAZE=$(realpath "$1")
source "$(dirname "$0")/lib.sh"

WORK=$(mktemp -d)
SERVE_PID=""
TRAFFIC_PID=""
cleanup() {
  [ -n "$TRAFFIC_PID" ] && kill "$TRAFFIC_PID" 2>/dev/null || true
  [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK"
D="$WORK/server-data"
CLI_LOG="$WORK/cli.log"
SECRET="s3cr3t-$RANDOM$RANDOM"

# blz ARGS...: the CLI, with everything it prints also kept in $CLI_LOG (searched for the secret).
blz() {
  local rc=0
  "$BLAZE" "$@" >"$WORK/.out" 2>"$WORK/.err" || rc=$?
  cat "$WORK/.out" "$WORK/.err" >>"$CLI_LOG"
  cat "$WORK/.out"
  cat "$WORK/.err" >&2
  return $rc
}

# --- the server ----------------------------------------------------------------------------------
# A relative --data-dir, as operators write it (and as the default .blaze is): the d1/kv/r2 verbs
# the server runs for the CLI must find it from their own working directory.
(cd "$WORK" && exec "$BLAZE" serve --data-dir server-data --port 0 --admin-port 0 >"$WORK/serve.log" 2>&1) &
SERVE_PID=$!
deadline=$((SECONDS + 30))
until grep -q "admin API on http://" "$WORK/serve.log" || [ $SECONDS -ge $deadline ]; do
  kill -0 "$SERVE_PID" 2>/dev/null || fail "blaze serve exited: $(cat "$WORK/serve.log")"
  sleep 0.1
done
ready=$(grep -m1 "admin API on http://" "$WORK/serve.log") || fail "no ready line: $(cat "$WORK/serve.log")"
PORT=$(sed -n 's|.* on http://127\.0\.0\.1:\([0-9]*\) .*|\1|p' <<<"$ready")
APORT=$(sed -n 's|.*admin API on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' <<<"$ready")
[ -n "$PORT" ] && [ -n "$APORT" ] || fail "ports not found in: $ready"
echo "ok - blaze serve is up (data port $PORT, admin port $APORT)"
[ "$(stat -c %a "$D/admin.token")" == "600" ] || fail "admin.token is not 0600"
echo "ok - the first start wrote admin.token, mode 0600"
export BLAZE_URL="http://127.0.0.1:$APORT"
export BLAZE_API_TOKEN
BLAZE_API_TOKEN=$(cat "$D/admin.token")

# get W PATH: the body worker W answers for PATH on the data port.
get() { curl -s --max-time 5 -H "Host: $1.localhost:$PORT" "http://127.0.0.1:$PORT$2"; }
status_of() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H "Host: $1.localhost:$PORT" "http://127.0.0.1:$PORT$2"; }
PROD=blaze-api-production
STAGING=blaze-api-staging

# --- the project: [env.staging] and [env.production], as the runbook's ---------------------------
mkdir -p project/src && cd project
cat > wrangler.toml <<'TOML'
name = "blaze-api"
main = "src/index.js"
compatibility_date = "2025-01-01"

[vars]
ENVIRONMENT = "development"

[env.staging]
[env.staging.vars]
ENVIRONMENT = "staging"
RELEASE = "r1"

[env.production]
[env.production.vars]
ENVIRONMENT = "production"
RELEASE = "r1"
[[env.production.d1_databases]]
binding = "DB"
database_name = "blaze-db"
TOML
cat > src/index.js <<'JS'
import { digest } from "./util.js";
export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (pathname === "/health") return Response.json({ ok: true, env: env.ENVIRONMENT, release: env.RELEASE });
    if (pathname === "/secret") return new Response(env.API_KEY === undefined ? "none" : await digest(env.API_KEY));
    if (pathname === "/db") return Response.json(await env.DB.prepare("SELECT count(*) AS n FROM scores").first());
    return new Response("hello");
  },
};
JS
cat > src/util.js <<'JS'
export async function digest(text) {
  const bytes = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}
JS

# --- 4-5. deploy to staging, test it --------------------------------------------------------------
out=$(blz deploy --env staging)
expect_contains "deploy --env staging uploads <name>-staging" "Uploaded $STAGING" "$out"
expect_contains "and prints the version id" "Current Version ID: " "$out"
expect_contains "and the URL" "http://$STAGING.localhost:$PORT" "$out"
expect_eq "staging answers /health with its vars" '{"ok":true,"env":"staging","release":"r1"}' "$(get $STAGING /health)"

# --- bad configs: refused with a clear error, nothing changed ------------------------------------
# The production worker does not exist yet; a deploy of it needs its D1 database first.
expect_exit "a missing D1 database is refused" 8 blz deploy --env production
expect_contains "naming the binding's database" "blaze-db" "$LAST_ERR"
expect_contains "and how to create it" "blaze d1 create blaze-db" "$LAST_ERR"
expect_eq "nothing was deployed" "404" "$(status_of $PROD /health)"
expect_exit "an unknown environment is refused" 2 blz deploy --env nope
expect_contains "in wrangler's words" 'No environment found in configuration with name "nope"' "$LAST_ERR"

# --- d1 on the server (BLAZE_URL is set, so d1 runs there) ---------------------------------------
# As on Cloudflare, a remote database must exist before migrations; the error says so (it came
# from the server's verb on stdout as --json, and used to be lost: "the server's verb failed").
mkdir -p migrations && echo "CREATE TABLE m(x);" >migrations/0001_m.sql
expect_exit "migrations on a server database that does not exist" 3 blz d1 migrations apply blaze-db -y
expect_contains "name the database and how to make it" "blaze d1 create blaze-db" "$LAST_ERR"
rm -r migrations
out=$(blz d1 create blaze-db)
expect_contains "d1 create runs on the server" "Successfully created DB 'blaze-db'" "$out"
blz d1 execute blaze-db --remote --command \
  "CREATE TABLE scores(team TEXT, runs INTEGER); INSERT INTO scores VALUES ('cubs', 5), ('cards', 3);" >/dev/null ||
  fail "d1 execute --remote could not write to the database d1 create made on the server"
expect_eq "d1 execute --remote reads back" "2" \
  "$(blz d1 execute blaze-db --remote --command 'SELECT count(*) AS n FROM scores' --json | jq -r '.[0].results[0].n')"
out=$(blz d1 execute blaze-db --remote --command 'SELECT 1')
expect_contains "a remote execute says it ran on the remote database" \
  "Executing on remote database blaze-db (" "$out"
[[ "$out" == *"$D"* ]] && fail "a remote execute named the server's data directory: $out"
# As Cloudflare's D1: SQL cannot reach files outside the database (ATTACH, VACUUM INTO).
expect_exit "ATTACH is not authorized" 5 blz d1 execute blaze-db --command "ATTACH '$WORK/evil.db' AS e"
expect_contains "in SQLite's words" "not authorized" "$LAST_ERR"
expect_exit "VACUUM INTO is refused" 5 blz d1 execute blaze-db --command "VACUUM INTO '$WORK/copy.db'"
[ -e "$WORK/evil.db" ] || [ -e "$WORK/copy.db" ] && fail "SQL on the server created a file outside the database"
echo "ok - no file was created outside the database"
[ -e "$WORK/project/.blaze/d1" ] && fail "the remote d1 verbs wrote a local data directory"
echo "ok - nothing was written to a local data directory"

# --- 6-7. deploy to production, verify it -------------------------------------------------------
out=$(blz deploy --env production --message "release r1")
V1=$(sed -n 's/^Current Version ID: //p' <<<"$out")
[ -n "$V1" ] || fail "no version id in: $out"
expect_contains "the binding list names the database" "DB: blaze-db" "$out"
expect_eq "production answers /health" '{"ok":true,"env":"production","release":"r1"}' "$(get $PROD /health)"
expect_eq "production reads the D1 rows written remotely" '{"n":2}' "$(get $PROD /db)"
expect_eq "staging still answers for staging" "staging" "$(get $STAGING /health | jq -r .env)"

# --- Rotate API Keys: secret put from stdin, the worker sees it, nothing prints it ----------------
printf '%s\n' "$SECRET" | blz secret put API_KEY --env production >/dev/null
printf '%s\n' "old-value" | blz secret put OLD_API_KEY --env production >/dev/null
expected_digest=$(printf '%s' "$SECRET" | sha256sum | cut -d' ' -f1)
expect_eq "the worker sees the secret (one trailing newline stripped)" "$expected_digest" "$(get $PROD /secret)"
list=$(blz secret list --env production)
expect_contains "secret list shows the name" "API_KEY" "$list"
[[ "$list" == *"$SECRET"* ]] && fail "secret list printed the value"
echo "ok - secret list shows names, not values"
blz secret delete OLD_API_KEY --env production -y >/dev/null
expect_eq "secret delete removes it" "API_KEY" "$(blz secret list --env production --json | jq -r '[.[].name] | join(",")')"
expect_exit "a secret value as an argument is refused" 2 blz secret put OTHER --env production "$SECRET"
[[ "$LAST_ERR" == *"$SECRET"* ]] && fail "the refusal repeated the value"
echo "ok - and the refusal does not repeat it"
V1S=$(blz deployments status $PROD --json | jq -r '.versions[0].version_id')

# --- a second production deploy, then the rollback procedure -------------------------------------
sed -i 's/RELEASE = "r1"/RELEASE = "r2"/' wrangler.toml
out=$(blz deploy --env production --message "release r2")
V2=$(sed -n 's/^Current Version ID: //p' <<<"$out")
expect_eq "r2 serves" "r2" "$(get $PROD /health | jq -r .release)"
expect_eq "new versions keep the worker's secrets" "$expected_digest" "$(get $PROD /secret)"
list=$(blz deployments list $PROD)
expect_contains "deployments list shows the active version at 100%" "(100%) $V2" "$list"
expect_contains "and the deploy message" "release r2" "$list"
expect_contains "and the secret change" "Secret Change" "$list"
out=$(blz rollback $PROD --message "Rolling back due to bad r2" -y)
expect_contains "rollback goes to the previous deployment" "$V1S" "$out"
expect_eq "the old version answers again" "r1" "$(get $PROD /health | jq -r .release)"
expect_eq "with its secret" "$expected_digest" "$(get $PROD /secret)"
list=$(blz deployments list $PROD)
expect_contains "deployments list shows the rollback's message" "Rolling back due to bad r2" "$list"
expect_contains "as a rollback" "Source:      Rollback" "$list"
expect_exit "rolling back to what already runs alone is refused" 8 blz rollback $PROD "$V1S" -y
expect_exit "an unknown version is NotFound" 3 blz rollback $PROD 00000000-0000-4000-8000-000000000000 -y
status=$(blz deployments status $PROD)
expect_contains "deployments status" "(100%) $V1S" "$status"
expect_contains "versions list" "$V2" "$(blz versions list $PROD)"
view=$(blz versions view $PROD "$V2")
expect_contains "versions view shows the modules" "src/util.js" "$view"
expect_contains "and the secrets by name" "API_KEY" "$view"

# --- the secret's value appears nowhere ------------------------------------------------------------
audit=$(blz audit list --json)
for action in deploy rollback secret.put secret.delete; do
  [ "$(jq --arg a "$action" '[.[] | select(.action == $a)] | length' <<<"$audit")" -gt 0 ] ||
    fail "audit list has no $action record"
done
echo "ok - audit list records deploy, rollback, secret.put and secret.delete"
expect_contains "with who and what target" "$PROD" "$(blz audit list --worker $PROD)"
for f in "$CLI_LOG" "$WORK/serve.log"; do
  grep -q -- "$SECRET" "$f" && fail "the secret value is in $f"
done
grep -rlq -- "$SECRET" "$D" && fail "the secret value is stored in clear under $D"
echo "ok - the secret value is in no CLI output, log, audit record or data file"

# --- bad configs, each refused with the deployments unchanged -------------------------------------
before=$(blz deployments list $PROD --json)
bad() {  # bad NAME EXIT_CODE EXPECTED_TEXT: deploys ../bad/NAME as the production worker
  expect_exit "refused: $1" "$2" blz deploy -c "$WORK/bad/$1/wrangler.toml" --name $PROD
  expect_contains "$1: says why" "$3" "$LAST_ERR"
  expect_eq "$1: deployments unchanged" "$before" "$(blz deployments list $PROD --json)"
}
GOOD_JS='export default { fetch() { return new Response("x"); } };'
mkbad() {  # mkbad NAME TOML [INDEX_JS]
  mkdir -p "$WORK/bad/$1"
  printf '%s\n' "$2" > "$WORK/bad/$1/wrangler.toml"
  printf '%s\n' "${3:-$GOOD_JS}" > "$WORK/bad/$1/index.js"
}
mkbad no-main 'compatibility_date = "2025-01-01"'
mkbad syntax 'main = "index.js"' 'export default {
  fetch() { return new Response("x") '
mkbad hyperdrive $'main = "index.js"\n[[hyperdrive]]\nbinding = "HD"\nid = "abc"'
mkbad queues $'main = "index.js"\n[[queues.producers]]\nbinding = "Q"\nqueue = "jobs"'
mkbad durable-objects $'main = "index.js"\n[[durable_objects.bindings]]\nname = "DO"\nclass_name = "Room"'
mkbad missing-d1 $'main = "index.js"\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "nosuch-db"'
mkbad bad-cron $'main = "index.js"\n[triggers]\ncrons = ["0 25 * * *"]'
bad no-main 2 "main"
bad syntax 2 "index.js:"
bad hyperdrive 2 "[[hyperdrive]]"
bad queues 2 "[[queues.producers]]"
bad durable-objects 2 "[[durable_objects.bindings]]"
bad missing-d1 8 "blaze d1 create nosuch-db"
bad bad-cron 2 "triggers.crons"
expect_exit "unknown env" 2 blz deploy --env nope
expect_eq "unknown env: deployments unchanged" "$before" "$(blz deployments list $PROD --json)"
out=$(blz deploy --env production --dry-run)
expect_contains "--dry-run validates only" "--dry-run: exiting now." "$out"
expect_eq "--dry-run: deployments unchanged" "$before" "$(blz deployments list $PROD --json)"

# --- tokens and scopes -----------------------------------------------------------------------------
READ=$(blz token create ci-read --scope read --json | jq -r .token)
DEPLOY=$(blz token create ci-deploy --scope read,deploy --json | jq -r .token)
[[ "$READ" == blz_* ]] || fail "token create printed no token"
expect_exit "a read token cannot deploy" 5 env BLAZE_API_TOKEN="$READ" "$BLAZE" deploy --env production
expect_contains "and the error names the scope" "deploy" "$LAST_ERR"
expect_exit "a read token can list" 0 env BLAZE_API_TOKEN="$READ" "$BLAZE" deployments list $PROD
expect_exit "a deploy token cannot put secrets" 5 \
  bash -c "echo x | BLAZE_API_TOKEN='$DEPLOY' '$BLAZE' secret put K --env production"
expect_exit "a read token cannot write D1 on the server" 5 \
  env BLAZE_API_TOKEN="$READ" "$BLAZE" d1 execute blaze-db --command "DELETE FROM scores"
expect_eq "a read token may run SELECTs with --read-only" "2" \
  "$(env BLAZE_API_TOKEN="$READ" "$BLAZE" d1 execute blaze-db --read-only --json \
       --command 'SELECT count(*) AS n FROM scores' | jq -r '.[0].results[0].n')"
expect_exit "and --read-only refuses a write whoever asks" 5 \
  blz d1 execute blaze-db --read-only --command "DELETE FROM scores"
expect_contains "saying why" "--read-only: this statement would change the database" "$LAST_ERR"
mkdir -p migrations && echo "CREATE TABLE m(x);" >migrations/0001_m.sql
expect_contains "a read token may list pending migrations" "0001_m.sql" \
  "$(env BLAZE_API_TOKEN="$READ" "$BLAZE" d1 migrations list blaze-db)"
rm -r migrations
expect_exit "a bogus token is Unauthenticated" 6 env BLAZE_API_TOKEN=blz_bogus "$BLAZE" deployments list $PROD
expect_exit "no token at all is Unauthenticated" 6 \
  env -u BLAZE_API_TOKEN "$BLAZE" deployments list $PROD --data-dir "$WORK/nowhere"
expect_contains "saying where it looked" "$WORK/nowhere/admin.token" "$LAST_ERR"
expect_exit "the data directory's admin.token is used without BLAZE_API_TOKEN" 0 \
  env -u BLAZE_API_TOKEN "$BLAZE" deployments list $PROD --data-dir "$D"
tokens=$(blz token list)
expect_contains "token list names the tokens" "ci-deploy" "$tokens"
[[ "$tokens" == *"$READ"* ]] && fail "token list printed a token's secret"
blz token revoke ci-read -y >/dev/null
expect_exit "a revoked token is Unauthenticated" 6 env BLAZE_API_TOKEN="$READ" "$BLAZE" deployments list $PROD
expect_exit "a server that is not there is Unavailable" 10 \
  env BLAZE_URL=http://127.0.0.1:1 "$BLAZE" deployments list $PROD
expect_contains "saying what to check" "is \`blaze serve\` running?" "$LAST_ERR"

# --- --verify and --watch ----------------------------------------------------------------------------
sed -i 's/RELEASE = "r2"/RELEASE = "r3"/' wrangler.toml
cp src/index.js src/index.good.js.txt
sed -i 's|if (pathname === "/health") return Response.json|if (pathname === "/health") return new Response("down", { status: 503 }); if (0) return Response.json|' src/index.js
before=$(blz deployments list $PROD --json)
expect_exit "--verify refuses a version whose /health is not 2xx" 8 blz deploy --env production --verify /health
expect_contains "naming the status" "503" "$LAST_ERR"
expect_eq "--verify: deployments unchanged" "$before" "$(blz deployments list $PROD --json)"
expect_eq "--verify: the old version still serves" "r1" "$(get $PROD /health | jq -r .release)"
cp src/index.good.js.txt src/index.js
out=$(blz deploy --env production --verify /health --message "r3 verified")
expect_contains "--verify passes a healthy version" "Current Version ID: " "$out"
expect_eq "r3 serves" "r3" "$(get $PROD /health | jq -r .release)"

# A version that fails every request, watched for 6 s under traffic: rolled back by itself.
for i in $(seq 20); do get $PROD / >/dev/null; done  # the baseline: no errors
sed -i 's|return new Response("hello");|throw new Error("boom");|' src/index.js
( while true; do get $PROD / >/dev/null; sleep 0.05; done ) &
TRAFFIC_PID=$!
expect_exit "--watch rolls back a version whose error rate rises" 9 \
  blz deploy --env production --watch 6s --max-error-rate-increase 0.05
kill "$TRAFFIC_PID"; TRAFFIC_PID=""
expect_contains "and says so" "rolled back automatically: error rate" "$LAST_ERR"
expect_eq "r3 serves again" "hello" "$(get $PROD /)"
expect_contains "the automatic rollback is in the history" "automatic rollback" "$(blz deployments list $PROD)"
cp src/index.good.js.txt src/index.js
( while true; do get $PROD / >/dev/null; sleep 0.05; done ) &
TRAFFIC_PID=$!
out=$(blz deploy --env production --watch 3s)
kill "$TRAFFIC_PID"; TRAFFIC_PID=""
expect_contains "--watch passes a healthy version" "watch passed" "$out"

# --- gradual deployments: versions upload + versions deploy A@50% B@50% ------------------------------
A=$(blz deployments status $PROD --json | jq -r '.versions[0].version_id')
sed -i 's/RELEASE = "r3"/RELEASE = "r4"/' wrangler.toml
out=$(blz versions upload --env production --message "r4 canary")
B=$(sed -n 's/^Worker Version ID: //p' <<<"$out")
expect_eq "an uploaded version takes no traffic" "r3" "$(get $PROD /health | jq -r .release)"
out=$(blz versions deploy $PROD "$A@50%" "$B@50%" -y --message "canary")
expect_contains "versions deploy splits traffic" "at 50%" "$out"
seen=""
for i in $(seq 40); do seen+=$(get $PROD /health | jq -r .release); done
[[ "$seen" == *r3* && "$seen" == *r4* ]] || fail "both versions should answer a 50/50 split: $seen"
echo "ok - both versions serve a 50/50 split"
expect_contains "deployments status shows both shares" "(50%) $B" "$(blz deployments status $PROD)"
expect_exit "a split not summing to 100% is refused" 2 blz versions deploy $PROD "$A@50%" "$B@60%" -y

# --- kv and r2 on the server ---------------------------------------------------------------------------
ns=$(blz kv namespace create cache --json | jq -r .id)
blz kv key put greeting hello --namespace-id "$ns" >/dev/null
expect_eq "kv through the server" "hello" "$(blz kv key get greeting --namespace-id "$ns")"
blz r2 bucket create media >/dev/null
head -c 3000 /dev/urandom > "$WORK/logo.bin"
blz r2 object put media/logo.bin --file "$WORK/logo.bin" >/dev/null
blz r2 object get media/logo.bin --file "$WORK/back.bin" >/dev/null
cmp -s "$WORK/logo.bin" "$WORK/back.bin" || fail "r2 object round trip through the server differs"
echo "ok - r2 object put --file / get --file through the server are byte-identical"
echo "piped" | blz r2 object put media/piped.txt --pipe >/dev/null
expect_eq "r2 object put --pipe sends stdin" "piped" "$(blz r2 object get media/piped.txt)"
out=$(blz d1 export blaze-db --output "$WORK/dump.sql")
expect_contains "d1 export --output writes the local file" "INSERT INTO" "$(cat "$WORK/dump.sql")"
expect_contains "and names the client's path, not the server's" "Exporting SQL to $WORK/dump.sql" "$out"
[[ "$out" == *blaze-exec-* ]] && fail "d1 export printed the server's temporary path: $out"
expect_eq "--local still means the local data directory" "[]" \
  "$(blz d1 list --json --local --data-dir "$WORK/local-data")"

kill -TERM "$SERVE_PID"
rc=0
wait "$SERVE_PID" || rc=$?
SERVE_PID=""
expect_eq "blaze serve exits cleanly on SIGTERM" 0 "$rc"
echo "deploy runbook: all checks passed"
