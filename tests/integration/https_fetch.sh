#!/usr/bin/env bash
# Outbound fetch() over HTTPS end to end: a worker under `blaze dev` fetches from a TLS origin on
# 127.0.0.1 (node's https server with a certificate made here for "localhost"). The certificate
# is trusted only through OpenSSL's SSL_CERT_FILE (the system's store is what Blaze uses, as
# workerd does), so the same fetch must fail without it, and fail for a host name the
# certificate does not name — a TLS client that skipped verification would pass those.
#
# usage: https_fetch.sh path/to/blaze
set -euo pipefail
BLAZE=$(realpath "$1")
source "$(dirname "$0")/lib.sh"
command -v openssl >/dev/null || fail "openssl is needed to make the test certificate"
command -v node >/dev/null || fail "node is needed for the TLS origin"

WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK"


openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 2 \
  -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost" 2>/dev/null
TLS_PORT=$(free_port)
cat > origin.js <<'JS'
const fs = require('node:fs');
const https = require('node:https');
https.createServer({ key: fs.readFileSync('key.pem'), cert: fs.readFileSync('cert.pem') }, (req, res) => {
  let body = '';
  req.on('data', (c) => { body += c; });
  req.on('end', () => {
    res.setHeader('content-type', 'text/plain');
    res.setHeader('x-origin', 'tls');
    res.end(`${req.method} ${req.url} over TLS${body ? ': ' + body : ''}`);
  });
}).listen(Number(process.argv[2]), '127.0.0.1');
JS
node origin.js "$TLS_PORT" &
PIDS+=($!)
wait_for_port "$TLS_PORT"

mkdir project && cd project
cat > wrangler.toml <<'TOML'
name = "tls-client"
main = "index.js"
compatibility_date = "2025-01-01"
TOML
cat > index.js <<'JS'
export default {
  async fetch(request) {
    const target = new URL(request.url).searchParams.get('target');
    try {
      const init = request.method === 'POST' ? { method: 'POST', body: await request.text() } : {};
      const r = await fetch(target, init);
      return new Response(`${r.status} ${r.headers.get('x-origin')} ${await r.text()}`);
    } catch (e) {
      return new Response(`${e.name}: ${e.message}`, { status: 502 });
    }
  },
};
JS

start_dev() {  # start_dev [ENV=VALUE...]: blaze dev on a fresh port, in $DEV
  DEV=$(free_port)
  env "$@" "$BLAZE" dev --port "$DEV" >"../dev-$DEV.log" 2>&1 &
  PIDS+=($!)
  DEV_PID=$!
  wait_for_port "$DEV"
}

start_dev SSL_CERT_FILE="$WORK/cert.pem"
ORIGIN="https://localhost:$TLS_PORT"
expect_eq "fetch() over HTTPS, the certificate trusted" "200 tls GET /hello over TLS" \
  "$(curl -s "http://127.0.0.1:$DEV/?target=$ORIGIN/hello")"
expect_eq "a POST body goes through TLS" "200 tls POST /echo over TLS: sent" \
  "$(curl -s -X POST --data sent "http://127.0.0.1:$DEV/?target=$ORIGIN/echo")"
out=$(curl -s -w ' %{http_code}' "http://127.0.0.1:$DEV/?target=https://127.0.0.1:$TLS_PORT/x")
expect_contains "a host the certificate does not name is refused" "502" "$out"
expect_contains "as a TypeError" "TypeError" "$out"
[[ "$out" == *"over TLS"* ]] && fail "the origin answered although the certificate names another host: $out"
kill "$DEV_PID"; wait "$DEV_PID" 2>/dev/null || true

start_dev SSL_CERT_FILE=/dev/null
out=$(curl -s -w ' %{http_code}' "http://127.0.0.1:$DEV/?target=$ORIGIN/hello")
expect_contains "an untrusted certificate is refused" "502" "$out"
[[ "$out" == *"over TLS"* ]] && fail "fetch() trusted a certificate nobody vouched for: $out"
echo "ok - no answer read from an unverified origin"
