#!/usr/bin/env bash
# GET /api/v1/me on kefu against nginx serving a static file of the same size,
# then kefu's resident memory with 1 000 idle keep-alive connections.
#
#   bench/http_me.sh            (expects build/kefu; builds nothing)
#
# Environment (all optional):
#   KEFU=path/to/kefu   the binary (default: build/kefu beside this script)
#   DURATION=15s        length of each wrk run
#   ROUNDS=3            nginx/kefu pairs, run alternately: nginx, kefu, nginx, kefu…;
#                       the summary gives the median of each figure over the rounds
#   CONNS=64            wrk connections;  WRK_THREADS=2
#   IDLE=1000           idle keep-alive connections for the memory figure
#
# Fairness: both servers get as many workers as the machine has cores: kefu
# runs --threads nproc (its default), nginx worker_processes nproc. wrk
# shares the same cores (it takes about one of them), as it does for both.
# nginx serves the very bytes of a /me response from a file, with keep-alive
# on, keepalive_requests raised so that it, like libmicrohttpd, does not close
# a busy connection every 1 000 requests, and access_log off (kefu logs at
# warn, so neither writes a line per request).
#
# Only loopback traffic; every run is bounded by DURATION; everything started
# here is stopped and the temp directory removed on exit, also on failure.
# Total time with the defaults: about 2 minutes.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
KEFU=${KEFU:-$root/build/kefu}
DURATION=${DURATION:-15s}
ROUNDS=${ROUNDS:-3}
CONNS=${CONNS:-64}
WRK_THREADS=${WRK_THREADS:-2}
IDLE=${IDLE:-1000}
PASSWORD='Bench-passw0rd-2026'

die() { echo "http_me.sh: $*" >&2; exit 1; }
for tool in wrk nginx curl python3; do
	command -v "$tool" >/dev/null || die "$tool is not installed (apt-get install wrk nginx-light curl python3)"
done
[[ -x $KEFU ]] || die "$KEFU not found: build first (cmake --build build)"
(( ROUNDS >= 1 && ROUNDS <= 10 )) || die "ROUNDS must be 1 to 10"

tmp=$(mktemp -d /tmp/kefu-bench.XXXXXX)
kefu_pid='' nginx_pid='' idle_pid='' wrk_pid=''
cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	set +e # a killed child's status must not cut the cleanup short
	[[ -n $wrk_pid ]] && kill "$wrk_pid" 2>/dev/null && wait "$wrk_pid" 2>/dev/null
	[[ -n $idle_pid ]] && kill "$idle_pid" 2>/dev/null && wait "$idle_pid" 2>/dev/null
	[[ -n $nginx_pid ]] && kill -QUIT "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
	[[ -n $kefu_pid ]] && kill -TERM "$kefu_pid" 2>/dev/null && wait "$kefu_pid" 2>/dev/null
	if (( rc != 0 )); then
		for f in kefu.log nginx-error.log; do
			[[ -s $tmp/$f ]] && { echo "--- $f (last lines)" >&2; tail -n 20 "$tmp/$f" >&2; }
		done
	fi
	rm -rf "$tmp"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
# CPU time (clock ticks, user + system) of a process and its child processes
# that are still running (nginx's workers), from /proc.
cpu_ticks() {
	local pids=() t=0 p
	read -ra pids < <(cat "/proc/$1/task/$1/children" 2>/dev/null || true)
	pids+=("$1")
	for p in "${pids[@]}"; do
		t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
	done
	echo "$t"
}
hz=$(getconf CLK_TCK)

# --- kefu: a store of its own, one user, the server on a free port ---
db="sqlite:$tmp/k.db"
workers=$(nproc)
"$KEFU" init --db "$db" >/dev/null
echo "$PASSWORD" | "$KEFU" user add --login bench --name B --role agent --password-stdin --db "$db" >/dev/null
start_kefu() { # sets kefu_pid, kefu_port, kefu_url
	KEFU_LOG_LEVEL=warn "$KEFU" serve --listen 127.0.0.1:0 --threads "$workers" --db "$db" >>"$tmp/kefu.log" 2>&1 &
	kefu_pid=$!
	kefu_port=''
	for _ in $(seq 100); do
		kefu_port=$(sed -n 's|^kefu listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$tmp/kefu.log" | tail -n 1)
		[[ -n $kefu_port ]] && break
		kill -0 "$kefu_pid" 2>/dev/null || die "kefu serve exited"
		sleep 0.1
	done
	[[ -n $kefu_port ]] || die "kefu did not start listening within 10 s"
	kefu_url="http://127.0.0.1:$kefu_port"
}
stop_kefu() {
	kill -TERM "$kefu_pid" && { wait "$kefu_pid" || true; }
	kefu_pid=''
}
start_kefu

token=$(curl -sf -X POST -H 'Content-Type: application/json' \
	-d "{\"login\":\"bench\",\"password\":\"$PASSWORD\"}" "$kefu_url/api/v1/auth/login" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])') ||
	die "sign-in failed"
auth="Authorization: Bearer $token"

# The static file holds the very bytes of a /me response.
mkdir -p "$tmp/www" "$tmp/nginx"
curl -sf -H "$auth" -o "$tmp/www/me.json" "$kefu_url/api/v1/me" || die "GET /api/v1/me failed"
body_bytes=$(stat -c %s "$tmp/www/me.json")
headers=$(curl -sf -D - -o /dev/null -H "$auth" "$kefu_url/api/v1/me" "$kefu_url/api/v1/me")
grep -qi '^connection: *close' <<<"$headers" && die "kefu closes keep-alive connections on /api/v1/me"

# --- nginx: its own config, pid, logs and temp paths, on a free port ---
nginx_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
chmod 755 "$tmp" "$tmp/www"   # nginx's workers may run as nobody
cat >"$tmp/nginx/nginx.conf" <<EOF
worker_processes $workers;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx-error.log warn;
events { worker_connections 4096; }
http {
	access_log off;
	default_type application/json;
	sendfile on;
	tcp_nodelay on;
	keepalive_timeout 65;
	keepalive_requests 1000000;
	client_body_temp_path $tmp/nginx/body;
	proxy_temp_path $tmp/nginx/proxy;
	fastcgi_temp_path $tmp/nginx/fastcgi;
	uwsgi_temp_path $tmp/nginx/uwsgi;
	scgi_temp_path $tmp/nginx/scgi;
	server {
		listen 127.0.0.1:$nginx_port;
		root $tmp/www;
	}
}
EOF
nginx -e "$tmp/nginx-error.log" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" &
nginx_pid=$!
nginx_url="http://127.0.0.1:$nginx_port/me.json"
for _ in $(seq 100); do
	curl -sf -o /dev/null "$nginx_url" && break
	kill -0 "$nginx_pid" 2>/dev/null || die "nginx exited"
	sleep 0.1
done
[[ $(curl -sf "$nginx_url" | wc -c) == "$body_bytes" ]] || die "nginx does not serve the $body_bytes-byte file"

# --- wrk, alternating ---
# Prints "REQ_PER_S P99_MS NON_2XX SOCKET_ERRORS" from wrk's --latency output.
parse_wrk() {
	awk '
	function ms(v) {
		if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0
		if (v ~ /m$/) return v * 60000; if (v ~ /s$/) return v * 1000; return v
	}
	/^ *99%/ { p99 = ms($2) }
	/^Requests\/sec:/ { rps = $2 }
	/Non-2xx or 3xx responses:/ { non2xx += $NF }
	/Socket errors:/ { sock += $4 + $6 + $8 + $10 }
	END { printf "%.0f %.2f %d %d\n", rps, p99, non2xx, sock }'
}

# wrk in the background and the shell in `wait`, which a signal interrupts at
# once (a shell waiting on a foreground command only acts once it ends).
wrk_bg() { # OUTFILE WRK-ARGS...
	local outfile=$1
	shift
	wrk -t"$WRK_THREADS" -c"$CONNS" "$@" >"$outfile" &
	wrk_pid=$!
	wait "$wrk_pid" || die "wrk failed: $(cat "$outfile")"
	wrk_pid=''
}

run_wrk() { # NAME PID URL [HEADER]
	local name=$1 pid=$2 url=$3 out hdr=() c0 c1 n us
	[[ -n ${4:-} ]] && hdr=(-H "$4")
	c0=$(cpu_ticks "$pid")
	wrk_bg "$tmp/wrk-$name-$round.txt" -d"$DURATION" --latency "${hdr[@]}" "$url"
	c1=$(cpu_ticks "$pid")
	out=$(<"$tmp/wrk-$name-$round.txt")
	read -r rps p99 non2xx sockerr < <(parse_wrk <<<"$out")
	n=$(awk '/ requests in / {print $1}' <<<"$out")
	# The server's own CPU time per request: less sensitive than req/s to
	# whatever else the machine is doing at the time.
	us=$(awk -v t=$((c1 - c0)) -v hz="$hz" -v n="$n" 'BEGIN {printf "%.1f", t * 1e6 / hz / n}')
	printf '  %-6s round %d: %8s req/s  p99 %7s ms  server CPU %6s us/req%s\n' \
		"$name" "$round" "$rps" "$p99" "$us" \
		"$( (( sockerr )) && echo "  ($sockerr socket errors or time-outs: the machine is overloaded)")"
	(( non2xx == 0 )) || die "$name answered $non2xx requests with an error status: $(grep -A3 'Non-2xx' <<<"$out")"
	eval "${name}_rps+=($rps) ${name}_p99+=($p99) ${name}_cpu+=($us)"
}

echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), Linux $(uname -r)"
echo "kefu GET /api/v1/me ($body_bytes-byte body) vs nginx static file of $body_bytes bytes"
echo "wrk -t$WRK_THREADS -c$CONNS -d$DURATION --latency; nginx worker_processes $workers, kefu --threads $workers"
# shellcheck disable=SC2034 # filled by run_wrk, read by summary (by name)
nginx_rps=() nginx_p99=() nginx_cpu=() kefu_rps=() kefu_p99=() kefu_cpu=()
# A short warm-up of each, not counted.
round=0
wrk_bg /dev/null -d2s "$nginx_url"
wrk_bg /dev/null -d2s -H "$auth" "$kefu_url/api/v1/me"
for round in $(seq "$ROUNDS"); do
	run_wrk nginx "$nginx_pid" "$nginx_url"
	run_wrk kefu "$kefu_pid" "$kefu_url/api/v1/me" "$auth"
done

median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
summary() { # medians over the rounds: req/s, p99, CPU per request
	local -n r=$1 p=$2 c=$3
	printf '%.0f %.2f %.1f\n' "$(printf '%s\n' "${r[@]}" | median)" \
		"$(printf '%s\n' "${p[@]}" | median)" "$(printf '%s\n' "${c[@]}" | median)"
}
read -r n_rps n_p99 n_cpu < <(summary nginx_rps nginx_p99 nginx_cpu)
read -r k_rps k_p99 k_cpu < <(summary kefu_rps kefu_p99 kefu_cpu)
ratio=$(awk -v k="$k_rps" -v n="$n_rps" 'BEGIN {printf "%.2f", k / n}')
cpu_ratio=$(awk -v k="$k_cpu" -v n="$n_cpu" 'BEGIN {printf "%.2f", k / n}')
echo "result (median over $ROUNDS runs each):"
printf '  nginx %8s req/s  p99 %6s ms  CPU %6s us/req\n' "$n_rps" "$n_p99" "$n_cpu"
printf '  kefu  %8s req/s  p99 %6s ms  CPU %6s us/req\n' "$k_rps" "$k_p99" "$k_cpu"
echo "  kefu/nginx req/s ratio: $ratio   (CPU per request: kefu/nginx $cpu_ratio)"
echo "  load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews req/s)"

# --- memory with idle keep-alive connections ---
# On a fresh kefu process (same store): one that just served wrk keeps the
# freed pools of wrk's connections in malloc's free lists and would reuse them.
kill -QUIT "$nginx_pid" && { wait "$nginx_pid" || true; }
nginx_pid=''
stop_kefu
: >"$tmp/kefu.log"
start_kefu
curl -sf -o /dev/null "$kefu_url/healthz" || die "GET /healthz failed"
sleep 0.5
rss_before=$(rss_kib "$kefu_pid")
coproc IDLE_PROC { exec python3 "$here/idle_conns.py" 127.0.0.1 "$kefu_port" --count "$IDLE" --hold 60; }
idle_pid=$IDLE_PROC_PID
line=''
read -r -t 60 -u "${IDLE_PROC[0]}" line || true
[[ $line == "ready $IDLE" ]] || die "idle_conns.py did not open $IDLE connections (said: ${line:-nothing})"
sleep 1
rss_after=$(rss_kib "$kefu_pid")
open_gauge=$(curl -sf "$kefu_url/metrics" | awk '/^kefu_http_open_connections / {print $2}')
idle_in=${IDLE_PROC[1]}
exec {idle_in}>&- # closes its standard input: it closes its connections
read -r -t 10 -u "${IDLE_PROC[0]}" line || true
wait "$idle_pid" || true
idle_pid=''
[[ $line == "closed $IDLE" ]] || die "kefu closed some idle connections early (idle_conns.py said: ${line:-nothing})"
per_conn=$(awk -v a="$rss_after" -v b="$rss_before" -v n="$IDLE" 'BEGIN {printf "%.1f", (a - b) / n}')
echo "kefu memory (VmRSS, fresh process) with $IDLE idle keep-alive connections (each answered one GET /healthz):"
echo "  before ${rss_before} KiB, with $IDLE idle ${rss_after} KiB (kefu_http_open_connections ${open_gauge:-?})"
echo "  delta $((rss_after - rss_before)) KiB = ${per_conn} KiB per connection"
