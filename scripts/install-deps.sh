#!/usr/bin/env bash
# Installs the Debian packages Blaze needs to build, test and run. Idempotent: packages already
# present are skipped and apt-get is not called at all when nothing is missing.
# The list and the reason for each package: docs/dependencies.md.
set -euo pipefail

PACKAGES=(
  g++ cmake ninja-build pkg-config make
  libboost-dev libmozjs-102-dev libsqlite3-dev nlohmann-json3-dev libtomlplusplus-dev
  libcli11-dev libspdlog-dev libfmt-dev libssl-dev libzstd-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  sqlite3 jq zstd wrk openssl
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
