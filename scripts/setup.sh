#!/usr/bin/env bash
# Installs what kefu needs to build and run (Debian 12, as root) and builds
# it into build/. Idempotent: packages already present are not reinstalled.
#   scripts/setup.sh          build dependencies + release build
#   scripts/setup.sh --test   also what the tests need (PostgreSQL, Node.js,
#                             cmocka, nginx and wrk for benchmarks)
set -euo pipefail
cd "$(dirname "$0")/.."

want=(build-essential cmake pkg-config tzdata ca-certificates
      libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev libsodium-dev libyaml-dev
      sqlite3)
if [[ "${1:-}" == "--test" ]]; then
  want+=(libcmocka-dev postgresql-15 postgresql-client-15 clang-format nodejs
         libclang-rt-14-dev nginx-light wrk)
fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# nodejs may come from another source than Debian; a working node is enough.
if command -v node >/dev/null 2>&1; then
  missing=("${missing[@]/nodejs}")
fi
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: missing packages: ${missing[*]} (run as root to install them)" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKEFU_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
echo "setup: built build/kefu"
