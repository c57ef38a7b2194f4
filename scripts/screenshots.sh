#!/usr/bin/env bash
# Regenerates docs/screenshots/*.png: kefu with the demo department and a
# day's tickets, the console in headless chromium (see
# tests/browser/screenshots.mjs). Installs and builds what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
KEFU_BIN="$PWD/build/kefu" KEFU_WEB="$PWD/web/dist" KEFU_LOG_LEVEL=warn \
  node tests/browser/screenshots.mjs "$PWD/docs/screenshots"
