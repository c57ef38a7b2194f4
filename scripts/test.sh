#!/usr/bin/env bash
# Installs, builds and runs every test of kefu: formatting and layering
# checks, unit and store tests (ctest, both engines), the API tests against a
# real server on SQLite and on PostgreSQL, and the browser tests of the
# console (playwright-core driving Debian's chromium). Everything runs under
# AddressSanitizer and UndefinedBehaviorSanitizer. A temporary PostgreSQL 15
# is started on a loopback port and stopped at the end, also on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

scripts/setup.sh --test

export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export KEFU_LOG_LEVEL="${KEFU_LOG_LEVEL:-warn}"

passed=0
failed=0
steps_failed=0
summary=()
logdir=$(mktemp -d /tmp/kefu-test-logs.XXXXXX)
# Runs a step, shows its output, and adds the tests it reports (ctest's
# "N tests failed out of M", node's "# pass N" / "# fail N") to the totals;
# a step that reports no count counts as one test.
step() { # name command...
  local name=$1; shift
  local log="$logdir/step$((${#summary[@]})).log"
  echo "==> $name"
  local ok=1
  "$@" 2>&1 | tee "$log" || ok=0
  local p f
  p=$(awk '/^# pass [0-9]+$/ {s+=$3} END {print s+0}' "$log")
  f=$(awk '/^# fail [0-9]+$/ {s+=$3} END {print s+0}' "$log")
  if grep -qE 'tests passed, [0-9]+ tests failed out of [0-9]+' "$log"; then
    local line total
    line=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$log" | tail -1 || true)
    f=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/' <<<"$line")
    total=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\2/' <<<"$line")
    p=$((total - f))
  fi
  if [[ $p -eq 0 && $f -eq 0 ]]; then
    if [[ $ok -eq 1 ]]; then p=1; else f=1; fi
  fi
  passed=$((passed + p)); failed=$((failed + f))
  if [[ $ok -eq 1 ]]; then summary+=("ok    $name ($p passed)")
  else steps_failed=$((steps_failed + 1)); summary+=("FAIL  $name ($f failed)"); fi
}

step "formatting (clang-format)" scripts/check-format.sh
step "layering (includes)" scripts/check-layers.sh
step "banned functions" scripts/check-banned.sh

cmake -S . -B build-san -DCMAKE_BUILD_TYPE=Debug -DKEFU_SANITIZE=ON -DKEFU_TESTS=ON >/dev/null
cmake --build build-san -j"$(nproc)" >/dev/null

# A throwaway PostgreSQL for the store and API tests.
tmp=$(mktemp -d /tmp/kefu-test.XXXXXX)
pgbin=/usr/lib/postgresql/15/bin
pgport=$(( 20000 + RANDOM % 20000 ))
cleanup() {
  if [[ -f "$tmp/pg/postmaster.pid" ]]; then
    runuser -u postgres -- "$pgbin/pg_ctl" -D "$tmp/pg" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$tmp" "$logdir"
}
trap cleanup EXIT
chown postgres: "$tmp"
runuser -u postgres -- "$pgbin/initdb" -D "$tmp/pg" -A trust -U postgres -E UTF8 \
  --locale=C.UTF-8 >/dev/null
runuser -u postgres -- "$pgbin/pg_ctl" -D "$tmp/pg" -l "$tmp/pg.log" -w \
  -o "-p $pgport -k $tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" \
  start >/dev/null
export KEFU_TEST_PG="postgres://postgres@127.0.0.1:$pgport"

step "unit and store tests (ctest)" ctest --test-dir build-san --output-on-failure -j2
step "fuzz targets (${FUZZ_SECONDS:-5} s each)" env FUZZ_SECONDS="${FUZZ_SECONDS:-5}" scripts/fuzz.sh

export KEFU_BIN="$root/build-san/kefu"
# The console as setup.sh built it (npm ci && npm run build in web/).
export KEFU_WEB="$root/web/dist"
# Two test files at a time (Node.js 18 has no --test-concurrency).
conc=()
if node --test-concurrency=2 -e '' >/dev/null 2>&1; then conc=(--test-concurrency=2); fi
for engine in sqlite postgres; do
  step "API tests on $engine" env KEFU_TEST_ENGINE=$engine \
    node --test "${conc[@]}" tests/api/
done
step "browser tests (chromium)" node --test "${conc[@]}" tests/browser/

echo
printf '%s\n' "${summary[@]}"
if [[ $steps_failed -gt 0 && $failed -eq 0 ]]; then failed=$steps_failed; fi
echo "tests: $passed passed, $failed failed"
[[ $steps_failed -eq 0 && $failed -eq 0 ]]
