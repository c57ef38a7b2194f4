#!/usr/bin/env bash
# Installs what kefu needs to build and run (Debian 12, as root) and builds
# it: the server into build/, the agent console (web/, Vite + TypeScript +
# Preact from the npm registry, versions pinned by web/package-lock.json)
# into web/dist, which `build/kefu serve` serves. Idempotent: packages already
# present are not reinstalled.
#   scripts/setup.sh          build dependencies + release build + console
#   scripts/setup.sh --test   also what the tests need (PostgreSQL, cmocka,
#                             chromium and playwright-core for the browser
#                             tests, nginx and wrk for benchmarks)
#   scripts/setup.sh --bench  also glpsol (glpk-utils), the exact solver the
#                             roster benchmark runs (bench/roster_bench exact);
#                             a program of the benchmark only, never linked
set -euo pipefail
cd "$(dirname "$0")/.."

want=(build-essential cmake pkg-config tzdata ca-certificates
      libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev libsodium-dev libyaml-dev
      sqlite3 nodejs npm)
if [[ "${1:-}" == "--test" ]]; then
  want+=(libcmocka-dev postgresql-15 postgresql-client-15 clang-format
         libclang-rt-14-dev nginx-light wrk chromium fonts-noto-cjk)
fi
if [[ "${1:-}" == "--bench" ]]; then
  want+=(glpk-utils)
fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js may come from another source than Debian (with its own npm); a
# working node and npm are enough.
if command -v node >/dev/null 2>&1; then
  missing=("${missing[@]/nodejs}")
fi
if command -v npm >/dev/null 2>&1; then
  missing=("${missing[@]/npm}")
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

# The front-end toolchain needs Node.js 18 or later (Debian 12 has 18).
if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)'; then
  echo "setup: Node.js $(node --version) is too old; 18 or later is needed" >&2
  exit 1
fi
# npm ci installs exactly the locked versions; it runs again only when the
# lock changed since the last install.
npm_ci() { # dir
  if [[ ! -f "$1/node_modules/.package-lock.json" || "$1/package-lock.json" -nt "$1/node_modules/.package-lock.json" ]]; then
    (cd "$1" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
}
npm_ci web
if ! out=$(cd web && npm run --silent build 2>&1); then
  echo "$out" >&2
  exit 1
fi
echo "setup: built the console into web/dist"
if [[ "${1:-}" == "--test" ]]; then
  npm_ci tests/browser
fi
