#!/usr/bin/env bash
# Functions that are easy to misuse are not used in kefu (after git's
# banned.h): strcpy, strcat, strncpy, strncat, sprintf, vsprintf, strtok,
# atoi, atol, gmtime, localtime, ctime, asctime. Use snprintf, kf_buf,
# strtoll with checks, gmtime_r and localtime_r.
set -euo pipefail
cd "$(dirname "$0")/.."
hits=$(grep -nE '(^|[^_a-zA-Z0-9])(strcpy|strcat|strncpy|strncat|sprintf|vsprintf|strtok|atoi|atol|gmtime|localtime|ctime|asctime)[[:space:]]*\(' \
  -r src tests/unit tests/store --include='*.c' --include='*.h' | grep -vE '(snprintf|vsnprintf|_r[[:space:]]*\()' || true)
if [[ -n "$hits" ]]; then
  echo "banned functions used:"; echo "$hits"; exit 1
fi
