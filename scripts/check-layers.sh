#!/usr/bin/env bash
# Enforces the layering of docs/architecture.md: rules/ and util/ include no
# HTTP or database library; store/ knows nothing of HTTP or the app; app/
# knows nothing of HTTP or the database libraries; http/ holds no SQL library.
set -euo pipefail
cd "$(dirname "$0")/.."
bad=0
check() { # dir pattern why
  local hits
  hits=$(grep -nE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($2)" -r "src/$1" || true)
  if [[ -n "$hits" ]]; then
    echo "layering: src/$1 must not include $3:"; echo "$hits"; bad=1
  fi
}
check rules 'microhttpd|sqlite3|libpq|http/|store/|app/|cli/' "HTTP, store, app or CLI headers"
check util 'microhttpd|sqlite3|libpq|http/|store/|app/|cli/|rules/' "anything above util/"
check store 'microhttpd|http/|app/|cli/' "HTTP, app or CLI headers"
check app 'microhttpd|sqlite3|libpq|http/|cli/' "HTTP, database library or CLI headers"
check http 'sqlite3|libpq|store/engine.h|cli/' "database libraries or engine internals"
# Only the engines may include their libraries.
hits=$(grep -lE '#include <(sqlite3|libpq-fe)\.h>' -r src | grep -vE 'src/store/(sqlite(_[a-z_]+)?|postgres|fts[a-z_]*)\.c' || true)
if [[ -n "$hits" ]]; then echo "layering: only the store engines include sqlite3.h/libpq-fe.h:"; echo "$hits"; bad=1; fi
exit $bad
