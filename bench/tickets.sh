#!/usr/bin/env bash
# Tickets at scale (issue 3): on a generated store of 1 000 000 tickets and
# 200 000 customers, measures
#   - GET /api/v1/tickets/{id} req/s against nginx serving a static file of
#     the same size in the same run (alternate runs: nginx, kefu, nginx, kefu)
#   - an agent's queue page, GET /api/v1/tickets?assignee_id=me&open=true&limit=50
#   - search with 1-, 2- and 4-character Chinese queries, with and without
#     other filters
#   - ticket registration (POST /api/v1/tickets, durable: answered after the
#     commit is on disk), last, since it adds to the store, with kefu's CPU
#     per registration split by thread name (writer, checkpointer, …)
# then prints a summary table against the issue's targets.
#
#   bench/tickets.sh [sqlite] [postgres]      (default: both, one after the other)
#
# Needs build/kefu and build-bench/gen_store (see bench/CMakeLists.txt), wrk,
# nginx, curl, python3; for postgres also PostgreSQL 15's server binaries and
# the postgres system user (as scripts/test.sh uses them).
#
# Environment (all optional):
#   CUSTOMERS=200000 TICKETS=1000000 SEED=1   the generated store
#   DURATION=15s        throughput runs (reads, registration)
#   LAT_DURATION=10s    latency runs (queue page, search)
#   ROUNDS=2            nginx/kefu pairs for the read ratio
#   READ_CONNS=64       connections for GET by id
#   LAT_CONNS="1 16"    connections for the latency runs (each is run)
#   REG_CONNS=16        connections for registration
#   THREADS=nproc       kefu connection threads (--threads)
#   REG_THREADS=THREADS kefu connection threads for registration (the writes
#                       themselves run on kefu's write threads, 32 by default)
#   AGENTS=16           bench agents signed in (tokens rotate per request)
#   ONLY="reads queue search register"   phases to run
#   TMPBASE=/tmp        where the temp directory (store included) goes
#   KEEP=1              keep the temp directory (store, logs, wrk output)
#   SQLITE_DB=PATH      use this generated SQLite store instead of making one
#                       (it is not deleted; registration adds to it; one made
#                       by an older kefu needs `kefu init --db sqlite:PATH`
#                       first, since kefu serve refuses an older schema)
#   PG_DATA=DIR         use this PostgreSQL data directory (a cluster with a
#                       generated store in database postgres) instead
#
# Only loopback traffic: kefu, nginx and PostgreSQL listen on 127.0.0.1 and
# every wrk run is bounded by its duration. Everything started here is
# stopped, and the temp directory removed, on exit, also on failure.
# Time with the defaults: about 8 minutes per engine plus the generator
# (2 to 4 minutes for SQLite, about 6 for PostgreSQL).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
KEFU=${KEFU:-$root/build/kefu}
GEN=${GEN:-$root/build-bench/gen_store}
CUSTOMERS=${CUSTOMERS:-200000}
TICKETS=${TICKETS:-1000000}
SEED=${SEED:-1}
DURATION=${DURATION:-15s}
LAT_DURATION=${LAT_DURATION:-10s}
ROUNDS=${ROUNDS:-2}
READ_CONNS=${READ_CONNS:-64}
LAT_CONNS=${LAT_CONNS:-1 16}
REG_CONNS=${REG_CONNS:-16}
THREADS=${THREADS:-$(nproc)}
REG_THREADS=${REG_THREADS:-$THREADS}
AGENTS=${AGENTS:-16}
ONLY=${ONLY:-reads queue search register}
TMPBASE=${TMPBASE:-/tmp}
PASSWORD='Bench-passw0rd-2026'
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

die() { echo "tickets.sh: $*" >&2; exit 1; }
for tool in wrk nginx curl python3; do
	command -v "$tool" >/dev/null || die "$tool is not installed (apt-get install wrk nginx-light curl python3)"
done
[[ -x $KEFU ]] || die "$KEFU not found: build first (cmake --build build)"
engines=("$@")
(( ${#engines[@]} )) || engines=(sqlite postgres)
for e in "${engines[@]}"; do
	[[ $e == sqlite || $e == postgres ]] || die "unknown engine $e (sqlite or postgres)"
done
[[ -n ${SQLITE_DB:-} || -n ${PG_DATA:-} || -x $GEN ]] ||
	die "$GEN not found: cmake -S bench -B build-bench && cmake --build build-bench"
(( ROUNDS >= 1 && ROUNDS <= 10 )) || die "ROUNDS must be 1 to 10"
(( AGENTS >= 1 && AGENTS <= 50 )) || die "AGENTS must be 1 to 50"

tmp=$(mktemp -d "$TMPBASE/kefu-tickets.XXXXXX")
chmod 755 "$tmp"
# Snapshots of the binaries: a rebuild during the run must not change them.
cp "$KEFU" "$tmp/kefu"
KEFU=$tmp/kefu
if [[ -x $GEN ]]; then
	cp "$GEN" "$tmp/gen_store"
	GEN=$tmp/gen_store
fi
kefu_pid='' nginx_pid='' pg_data=''
stop_pg() {
	if [[ -n $pg_data && -f $pg_data/postmaster.pid ]]; then
		runuser -u postgres -- "$PGBIN/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null 2>&1 ||
			runuser -u postgres -- "$PGBIN/pg_ctl" -D "$pg_data" -m immediate stop >/dev/null 2>&1 || true
	fi
	pg_data=''
}
cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	[[ -n $nginx_pid ]] && kill -QUIT "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
	[[ -n $kefu_pid ]] && kill -TERM "$kefu_pid" 2>/dev/null && wait "$kefu_pid" 2>/dev/null
	stop_pg
	if (( rc != 0 )); then
		for f in kefu.log nginx-error.log pg.log gen.log; do
			[[ -s $tmp/$f ]] && { echo "--- $f (last lines)" >&2; tail -n 20 "$tmp/$f" >&2; }
		done
	fi
	if [[ ${KEEP:-0} == 1 ]]; then
		echo "kept $tmp" >&2
	else
		rm -rf "$tmp"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
# CPU time (clock ticks) of processes and their children that are running
# (nginx's workers, PostgreSQL's backends).
cpu_ticks() {
	local t=0 p q
	for p in "$@"; do
		for q in "$p" $(cat "/proc/$p/task/$p/children" 2>/dev/null || true); do
			t=$((t + $(awk '{print $14 + $15}' "/proc/$q/stat" 2>/dev/null || echo 0)))
		done
	done
	echo "$t"
}
hz=$(getconf CLK_TCK)
# thread_ticks PID: "name ticks" for each of the process's thread names (kefu
# names its threads: kf-writer, kf-checkpoint, kf-http-write, MHD-single,
# kf-accept, …), summed over the threads of that name.
thread_ticks() {
	local t
	for t in /proc/"$1"/task/*; do
		printf '%s %s\n' "$(tr -c 'A-Za-z0-9_\n-' _ <"$t/comm")" \
			"$(sed 's/.*) //' "$t/stat" | awk '{print $12 + $13}')"
	done 2>/dev/null | awk '{s[$1] += $2} END {for (k in s) print k, s[k]}' | sort
}
# thread_split BEFORE AFTER N: CPU per request of each thread name between two
# thread_ticks snapshots (a thread started in between counts from zero).
thread_split() {
	join -a 2 -e 0 -o 0,1.2,2.2 "$1" "$2" |
		awk -v hz="$hz" -v n="$3" '{us = n ? ($3 - $2) * 1e6 / hz / n : 0}
			us >= 1 {printf "%s%s %.0f", sep, $1, us; sep = ", "} END {print ""}'
}

# --- the store ---
pg_pid() { head -n 1 "$pg_data/postmaster.pid"; }
start_pg() { # DIR: starts a cluster on a free loopback port; sets db
	pg_data=$1
	local port
	port=$(free_port)
	touch "$tmp/pg.log"
	chown postgres: "$tmp/pg.log"
	# Durable: fsync and synchronous_commit at their defaults (on).
	runuser -u postgres -- "$PGBIN/pg_ctl" -D "$pg_data" -l "$tmp/pg.log" -w -t 120 \
		-o "-p $port -k $tmp/pgsock -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=2GB -c max_wal_size=8GB" \
		start >/dev/null || die "PostgreSQL did not start"
	db="postgres://postgres@127.0.0.1:$port/postgres"
}
make_store() { # ENGINE: sets db (and gen_seconds)
	gen_seconds=''
	case $1 in
	sqlite)
		if [[ -n ${SQLITE_DB:-} ]]; then
			db="sqlite:$SQLITE_DB"
			return
		fi
		db="sqlite:$tmp/store.db"
		;;
	postgres)
		mkdir -p "$tmp/pgsock"
		chown postgres: "$tmp/pgsock"
		if [[ -n ${PG_DATA:-} ]]; then
			start_pg "$PG_DATA"
			return
		fi
		mkdir -p "$tmp/pg"
		chown postgres: "$tmp/pg"
		runuser -u postgres -- "$PGBIN/initdb" -D "$tmp/pg/data" -A trust -U postgres -E UTF8 \
			--locale=C.UTF-8 >/dev/null
		start_pg "$tmp/pg/data"
		;;
	esac
	"$KEFU" init --db "$db" >/dev/null
	local t0 t1
	t0=$(date +%s.%N)
	"$GEN" --db "$db" --customers "$CUSTOMERS" --tickets "$TICKETS" --seed "$SEED" >"$tmp/gen.log" 2>&1 ||
		die "gen_store failed"
	t1=$(date +%s.%N)
	gen_seconds=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.0f", b - a}')
	grep -E '^(generated|tickets open)' "$tmp/gen.log" | sed 's/^/  /' || true
}

# The group writes between two /metrics texts: jobs per commit, and each
# job's mean time waiting for the writer, in its batch's transaction and
# waiting for the commit to be durable (kefu_store_group_write_seconds).
group_split() { # BEFORE AFTER
	awk '
	FNR == 1 { f++ }
	/^kefu_store_group_(commits|jobs)_total / { v[f, $1] = $2 }
	/^kefu_store_group_write_seconds_(sum|count)\{/ { v[f, $1] = $2 }
	END {
		c = v[2, "kefu_store_group_commits_total"] - v[1, "kefu_store_group_commits_total"]
		j = v[2, "kefu_store_group_jobs_total"] - v[1, "kefu_store_group_jobs_total"]
		if (c <= 0) { print "none recorded"; exit }
		printf "%.1f jobs a commit; ms a job:", j / c
		n = split("queue transaction durable", st, " ")
		for (i = 1; i <= n; i++) {
			s = "{stage=\"" st[i] "\"}"
			k = v[2, "kefu_store_group_write_seconds_count" s] - v[1, "kefu_store_group_write_seconds_count" s]
			t = v[2, "kefu_store_group_write_seconds_sum" s] - v[1, "kefu_store_group_write_seconds_sum" s]
			printf " %s %.2f", st[i], (k > 0 ? t / k * 1000 : 0)
		}
		printf "\n"
	}' "$1" "$2"
}

# --- kefu ---
start_kefu() { # THREADS: sets kefu_pid, kefu_url
	: >"$tmp/kefu.log"
	KEFU_LOG_LEVEL=warn "$KEFU" serve --listen 127.0.0.1:0 --db "$db" --threads "$1" \
		>>"$tmp/kefu.log" 2>&1 &
	kefu_pid=$!
	local port=''
	for _ in $(seq 300); do
		port=$(sed -n 's|^kefu listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$tmp/kefu.log" | tail -n 1)
		[[ -n $port ]] && break
		kill -0 "$kefu_pid" 2>/dev/null || die "kefu serve exited"
		sleep 0.1
	done
	[[ -n $port ]] || die "kefu did not start listening within 30 s"
	kefu_url="http://127.0.0.1:$port"
}
stop_kefu() {
	[[ -n $kefu_pid ]] || return 0
	kill -TERM "$kefu_pid" && wait "$kefu_pid" || true
	kefu_pid=''
}
sign_in() { # writes $tmp/tokens: one bearer token per bench agent
	: >"$tmp/tokens"
	local i login
	for i in $(seq "$AGENTS"); do
		login=$(printf 'bench-agent-%02d' "$i")
		curl -sf -X POST -H 'Content-Type: application/json' \
			-d "{\"login\":\"$login\",\"password\":\"$PASSWORD\"}" "$kefu_url/api/v1/auth/login" |
			python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])' >>"$tmp/tokens" ||
			die "sign-in as $login failed (is this a store made by gen_store?)"
	done
	token=$(head -n 1 "$tmp/tokens")
}

# --- nginx: a static file with the bytes of one GET /api/v1/tickets/{id} ---
start_nginx() {
	mkdir -p "$tmp/www" "$tmp/nginx"
	chmod 755 "$tmp/www"
	curl -sf -H "Authorization: Bearer $token" -o "$tmp/www/ticket.json" \
		"$kefu_url/api/v1/tickets/$((TICKETS / 2))" || die "GET /api/v1/tickets/$((TICKETS / 2)) failed"
	body_bytes=$(stat -c %s "$tmp/www/ticket.json")
	local port
	port=$(free_port)
	cat >"$tmp/nginx/nginx.conf" <<EOF
worker_processes $(nproc);
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
		listen 127.0.0.1:$port;
		root $tmp/www;
	}
}
EOF
	nginx -e "$tmp/nginx-error.log" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" &
	nginx_pid=$!
	nginx_url="http://127.0.0.1:$port/ticket.json"
	for _ in $(seq 100); do
		curl -sf -o /dev/null "$nginx_url" && break
		kill -0 "$nginx_pid" 2>/dev/null || die "nginx exited"
		sleep 0.1
	done
	[[ $(curl -sf "$nginx_url" | wc -c) == "$body_bytes" ]] || die "nginx does not serve the $body_bytes-byte file"
}
stop_nginx() {
	[[ -n $nginx_pid ]] || return 0
	kill -QUIT "$nginx_pid" && wait "$nginx_pid" || true
	nginx_pid=''
}

# --- wrk ---
# "REQ_PER_S P50_MS P99_MS ERRORS TIMEOUTS REQUESTS" from wrk --latency
# output. A timeout (no answer within wrk's --timeout) is a measurement, not
# a failure: slow searches are counted, not fatal.
parse_wrk() {
	awk '
	function ms(v) {
		if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0
		if (v ~ /m$/) return v * 60000; if (v ~ /s$/) return v * 1000; return v
	}
	/^ *50%/ { p50 = ms($2) }
	/^ *99%/ { p99 = ms($2) }
	/^Requests\/sec:/ { rps = $2 }
	/ requests in / { n = $1 }
	/Non-2xx or 3xx responses:/ { err += $NF }
	/Socket errors:/ { err += $4 + $6 + $8; tmo += $10 }
	END { printf "%.2f %.2f %.2f %d %d %d\n", rps, p50, p99, err, tmo, n }'
}
# wrk_run LABEL CONNS DURATION CPU_PIDS -- WRK ARGS…: prints one line, appends to results.
nrun=0
wrk_run() {
	local label=$1 conns=$2 dur=$3 pids=$4
	shift 5
	local threads=2 out c0 c1 us
	((conns < 2)) && threads=1
	nrun=$((nrun + 1))
	c0=$(cpu_ticks $pids)
	out=$(wrk -t"$threads" -c"$conns" -d"$dur" --timeout 10s --latency "$@")
	c1=$(cpu_ticks $pids)
	echo "$out" >"$tmp/wrk-$engine-$nrun.txt"
	read -r rps p50 p99 errs tmo n < <(parse_wrk <<<"$out")
	us=$(awk -v t=$((c1 - c0)) -v hz="$hz" -v n="$n" 'BEGIN {printf "%.0f", n ? t * 1e6 / hz / n : 0}')
	printf '  %-44s c=%-3s %9s req/s  p50 %8s ms  p99 %8s ms  server CPU %7s us/req%s%s\n' \
		"$label" "$conns" "$rps" "$p50" "$p99" "$us" "$( ((errs)) && echo "  ($errs errors or non-2xx)")" \
		"$( ((tmo)) && echo "  ($tmo timed out after 10 s)")"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$engine" "$label" "$conns" "$rps" "$p50" "$p99" "$errs" "$us" "$tmo" >>"$tmp/results.tsv"
	(( errs == 0 )) || die "$label answered $errs requests with an error (see $tmp/wrk-$engine-$nrun.txt)"
	last_rps=${rps%.*} last_n=$n
}

count_tickets() {
	if [[ $db == sqlite:* ]]; then
		python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM tickets").fetchone()[0])' "${db#sqlite:}"
	else
		psql -X -At -d "$db" -c 'SELECT COUNT(*) FROM tickets'
	fi
}

urlenc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }

# Queue page and the search queries: label and path (with query).
lat_cases() {
	echo "queue page|/api/v1/tickets?assignee_id=me&open=true&limit=50"
	local q f
	while IFS='|' read -r q f; do
		echo "search q=$q${f:+ &$f}|/api/v1/tickets?q=$(urlenc "$q")&limit=50${f:+&$f}"
	done <<'EOF'
漏|
漏|open=true
退货|
退货|open=true
投诉|
投诉|assignee_id=me
漏水|
漏水|type=repair
空调漏水|
空调漏水|open=true
EOF
}

echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(free -g | awk '/^Mem:/ {print $2}') GiB, Linux $(uname -r)"
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews every figure)"
: >"$tmp/results.tsv"
for engine in "${engines[@]}"; do
	echo "=== $engine"
	make_store "$engine"
	[[ -n $gen_seconds ]] && echo "  generator: $gen_seconds s for $CUSTOMERS customers, $TICKETS tickets"
	[[ -n $gen_seconds ]] && printf '%s\tgenerator seconds\t-\t%s\t-\t-\t0\t-\t0\n' "$engine" "$gen_seconds" >>"$tmp/results.tsv"
	pids_pg=''
	[[ $engine == postgres ]] && pids_pg=$(pg_pid)
	# A server that has been running a while has its store in the page
	# cache; measure that, not a cold start.
	if [[ $engine == sqlite ]]; then
		cat "${db#sqlite:}" "${db#sqlite:}-wal" >/dev/null 2>&1 || true
	else
		find "$pg_data/base" -type f -exec cat {} + >/dev/null
	fi
	max_id=$(count_tickets)

	start_kefu "$THREADS"
	sign_in
	if [[ " $ONLY " == *" reads "* ]]; then
		start_nginx
		echo "  GET /api/v1/tickets/{id} (random id of $max_id, $body_bytes-byte sample) vs nginx static file; kefu --threads $THREADS"
		wrk -t2 -c"$READ_CONNS" -d3s "$nginx_url" >/dev/null
		wrk -t2 -c"$READ_CONNS" -d3s -s "$here/tickets.lua" "$kefu_url" -- get "$tmp/tokens" "$max_id" >/dev/null
		nginx_sum=0 kefu_sum=0
		for round in $(seq "$ROUNDS"); do
			wrk_run "nginx static $body_bytes B (round $round)" "$READ_CONNS" "$DURATION" "$nginx_pid" -- "$nginx_url"
			nginx_sum=$((nginx_sum + last_rps))
			wrk_run "GET /api/v1/tickets/{id} (round $round)" "$READ_CONNS" "$DURATION" "$kefu_pid $pids_pg" -- \
				-s "$here/tickets.lua" "$kefu_url" -- get "$tmp/tokens" "$max_id"
			kefu_sum=$((kefu_sum + last_rps))
		done
		ratio=$(awk -v k="$kefu_sum" -v n="$nginx_sum" 'BEGIN {printf "%.3f", k / n}')
		echo "  read ratio kefu/nginx: $ratio (target ≥ 0.50)"
		printf '%s\tread ratio kefu/nginx\t%s\t%s\t-\t-\t0\t-\t0\n' "$engine" "$READ_CONNS" "$ratio" >>"$tmp/results.tsv"
		stop_nginx
	fi
	for phase in queue search; do
		[[ " $ONLY " == *" $phase "* ]] || continue
		while IFS='|' read -r label path; do
			[[ $phase == queue && $label != queue* ]] && continue
			[[ $phase == search && $label != search* ]] && continue
			# One request to warm the pages it needs, then the runs.
			curl -sf -o /dev/null -H "Authorization: Bearer $token" "$kefu_url$path" || die "GET $path failed"
			for c in $LAT_CONNS; do
				wrk_run "$label" "$c" "$LAT_DURATION" "$kefu_pid $pids_pg" -- \
					-s "$here/tickets.lua" "$kefu_url" -- list "$tmp/tokens" "$path"
			done
		done < <(lat_cases)
	done
	if [[ " $ONLY " == *" register "* ]]; then
		stop_kefu
		start_kefu "$REG_THREADS"
		before=$(count_tickets)
		echo "  POST /api/v1/tickets (durable), kefu --threads $REG_THREADS"
		thread_ticks "$kefu_pid" >"$tmp/threads-before"
		curl -sf "$kefu_url/metrics" >"$tmp/metrics-before" || true
		wrk_run "register POST /api/v1/tickets" "$REG_CONNS" "$DURATION" "$kefu_pid $pids_pg" -- \
			-s "$here/tickets.lua" "$kefu_url" -- post "$tmp/tokens" "$CUSTOMERS"
		thread_ticks "$kefu_pid" >"$tmp/threads-after"
		curl -sf "$kefu_url/metrics" >"$tmp/metrics-after" || true
		echo "  kefu's CPU per registration by thread, us: $(thread_split "$tmp/threads-before" "$tmp/threads-after" "$last_n")"
		echo "  group writes in the run: $(group_split "$tmp/metrics-before" "$tmp/metrics-after")"
		stop_kefu # waits for requests in flight
		after=$(count_tickets)
		echo "  tickets before $before, after $after: $((after - before)) registered, wrk counted $last_n answers"
		(( after - before >= last_n )) || die "fewer tickets in the store than answered registrations"
	fi
	stop_kefu
	stop_pg
done

echo
echo "summary (load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
awk -F'\t' '
BEGIN { printf "%-9s %-34s %5s %9s %9s %9s  %s\n", "engine", "what", "conns", "req/s", "p50 ms", "p99 ms", "target" }
{
	target = ""
	if ($2 ~ /^register/) target = ($4 >= 2000 ? "met" : "MISSED") " (>= 2000/s)"
	else if ($2 ~ /^read ratio/) target = ($4 >= 0.5 ? "met" : "MISSED") " (>= 0.50 of nginx)"
	else if ($2 ~ /^(queue|search)/) target = ($6 < 50 ? "met" : "MISSED") " (p99 < 50 ms)"
	else if ($2 ~ /^generator/) target = ($4 < 300 ? "met" : "MISSED") " (< 300 s)"
	if ($2 ~ /round/) next
	if ($9 > 0) target = target ", " $9 " timed out"
	printf "%-9s %-34s %5s %9s %9s %9s  %s\n", $1, $2, $3, $4, $5, $6, target
}' "$tmp/results.tsv"
