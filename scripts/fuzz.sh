#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz/ (clang, ASan + LeakSanitizer +
# UBSan) into build-fuzz/ and runs each over its seed corpus and then for a
# bounded time. Exits non-zero if any target crashes, leaks, times out or
# breaks an invariant; prints one line per target.
#   scripts/fuzz.sh                   every target, 10 s each
#   FUZZ_SECONDS=60 scripts/fuzz.sh   longer
#   scripts/fuzz.sh fuzz_router ...   only these targets
# Inputs found to add coverage are kept in build-fuzz/corpus/<target>/ (the
# seeds in tests/fuzz/corpus/ are never written to), so later runs start
# where earlier ones stopped. A failing input is saved as
# build-fuzz/artifacts/<target>-crash-…; the log with the stack is
# build-fuzz/logs/<target>.log. Reproduce with build-fuzz/<target> <file>.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-10}
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || ((seconds < 1)); then
  echo "fuzz: FUZZ_SECONDS must be a positive whole number of seconds" >&2
  exit 2
fi

# What the build needs (Debian 12), installed only when missing.
want=(clang libclang-rt-14-dev cmake make pkg-config
      libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev libsodium-dev libyaml-dev)
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "fuzz: missing packages: ${missing[*]} (run as root to install them)" >&2
    exit 1
  fi
  echo "fuzz: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

mkdir -p build-fuzz
rm -f build-fuzz/configure.log build-fuzz/build.log
if ! cmake -S tests/fuzz -B build-fuzz -DCMAKE_C_COMPILER=clang \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >build-fuzz/configure.log 2>&1 ||
  ! cmake --build build-fuzz -j"$(nproc)" >build-fuzz/build.log 2>&1; then
  cat build-fuzz/configure.log build-fuzz/build.log >&2 2>/dev/null || true
  echo "fuzz: build failed" >&2
  exit 1
fi

if (($#)); then
  targets=("$@")
else
  targets=()
  for f in tests/fuzz/fuzz_*.c; do
    t=$(basename "$f" .c)
    targets+=("$t")
  done
fi

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:detect_stack_use_after_return=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:${UBSAN_OPTIONS:-}"
export KEFU_LOG_LEVEL="${KEFU_LOG_LEVEL:-error}"
mkdir -p build-fuzz/logs build-fuzz/artifacts

# The policy's keys are looked up in jansson's hash tables, where the fuzzer
# cannot see the comparisons; a dictionary of the default's keys stands in.
{
  grep -oE '^[[:space:]]*[a-z][a-z0-9_]*:' src/rules/policy_default.yaml | tr -d ' \t' | sort -u
  printf '%s\n' '\x0a  ' '\x0a    ' '\x0a      ' '- ' '{}' '[]' seed000_p1 seed000_p7 seed004
} | sed 's/.*/"&"/' >build-fuzz/fuzz_policy.dict

failed=0
failures=()
for t in "${targets[@]}"; do
  bin=build-fuzz/$t
  seeds=tests/fuzz/corpus/$t
  work=build-fuzz/corpus/$t
  log=build-fuzz/logs/$t.log
  if [[ ! -x "$bin" || ! -d "$seeds" ]]; then
    printf '%-16s FAIL  no target or no seed corpus (%s)\n' "$t" "$seeds"
    failed=$((failed + 1))
    continue
  fi
  mkdir -p "$work"
  args=(-max_total_time="$seconds" -rss_limit_mb=2048 -timeout=5 -print_final_stats=1
        -artifact_prefix="build-fuzz/artifacts/$t-")
  [[ -f build-fuzz/$t.dict ]] && args+=(-dict="build-fuzz/$t.dict")
  rc=0
  "$bin" "${args[@]}" "$work" "$seeds" >"$log" 2>&1 || rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -aoE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2 || true)
  corpus=$(find "$work" -type f | wc -l)
  if ((rc == 0)); then
    printf '%-16s ok    %s runs in %s s, %s exec/s, coverage %s, corpus %s\n' \
      "$t" "${runs:-?}" "$seconds" "${rate:-?}" "${cov:-?}" "$corpus"
  else
    failed=$((failed + 1))
    artifact=$(sed -n 's/.*Test unit written to //p' "$log" | tail -1)
    what=$(grep -a -m1 -oE 'ERROR: [A-Za-z]+: [^(]*|runtime error: .*|invariant failed: .*' "$log" ||
      echo "exit status $rc")
    printf '%-16s FAIL  %s; input %s; log %s\n' "$t" "$what" "${artifact:-none}" "$log"
    failures+=("$t")
  fi
done

# The first frames of each failure's stack, for logs read without the files.
for t in "${failures[@]}"; do
  echo "--- $t: build-fuzz/logs/$t.log"
  grep -a -m40 -E '^ +#[0-9]+ |SUMMARY|runtime error|invariant failed|ERROR:' "build-fuzz/logs/$t.log" |
    grep -vE 'fuzzer::|__sanitizer_|libc\.so|pthread_kill|/raise\.c|abort\.c|libc_start|in _start|in main ' |
    head -12 || true
done
echo "fuzz: ${#targets[@]} targets, $failed failed"
((failed == 0))
