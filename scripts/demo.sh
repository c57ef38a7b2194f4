#!/usr/bin/env bash
# Sets up kefu, creates a SQLite store with the demo department and serves it
# with the agent console that setup.sh built into web/dist.
#   KEFU_DB      store (default sqlite:./kefu.db)
#   KEFU_LISTEN  address (default 127.0.0.1:8080)
#   KEFU_WEB     the console to serve (default web/dist)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export KEFU_DB="${KEFU_DB:-sqlite:./kefu.db}"
export KEFU_LISTEN="${KEFU_LISTEN:-127.0.0.1:8080}"
export KEFU_WEB="${KEFU_WEB:-$PWD/web/dist}"
build/kefu init
build/kefu demo
cat <<TXT

  kefu agent console: http://${KEFU_LISTEN}/
  API description: http://${KEFU_LISTEN}/api/v1/openapi.json
  stop with Ctrl-C

TXT
exec build/kefu serve
