# Helpers for integration tests that drive the real `blaze` binary. Source it; set BLAZE first.
# Every check prints what it compared when it fails and exits non-zero.

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

expect_eq() {  # expect_eq WHAT EXPECTED ACTUAL
  [ "$2" == "$3" ] || fail "$1: expected [$2], got [$3]"
  echo "ok - $1"
}

expect_contains() {  # expect_contains WHAT NEEDLE HAYSTACK
  [[ "$3" == *"$2"* ]] || fail "$1: [$2] not found in: $3"
  echo "ok - $1"
}

expect_lt() {  # expect_lt WHAT A B   (integers)
  [ "$2" -lt "$3" ] || fail "$1: expected $2 < $3"
  echo "ok - $1"
}

# expect_exit WHAT CODE CMD...: runs CMD, expects exit status CODE, keeps its stderr in $LAST_ERR.
expect_exit() {
  local what=$1 code=$2
  shift 2
  local rc=0
  LAST_OUT=$("$@" 2>/tmp/blaze-it-err.$$) || rc=$?
  LAST_ERR=$(cat /tmp/blaze-it-err.$$)
  rm -f /tmp/blaze-it-err.$$
  [ "$rc" == "$code" ] || fail "$what: expected exit $code, got $rc (stderr: $LAST_ERR)"
  echo "ok - $what (exit $code)"
}

# One number from the first row of a query: q DB "SELECT count(*) AS n FROM t"
q() {
  "$BLAZE" d1 execute "$1" --command "$2" --json | jq -r '.[-1].results[0] | to_entries[0].value'
}

# enter_workdir: a fresh temporary directory as $WORK, removed on exit, made the current one.
enter_workdir() {
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
  cd "$WORK"
}

# A free TCP port on 127.0.0.1 (racy by nature; good enough for tests on loopback).
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
    echo $((20000 + RANDOM % 20000))
}

# wait_for_port PORT: until something accepts on 127.0.0.1:PORT (bounded: 10 s).
wait_for_port() {
  local deadline=$((SECONDS + 10))
  until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || fail "nothing listens on port $1 after 10 s"
    sleep 0.05
  done
}
