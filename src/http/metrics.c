/* Prometheus metrics: requests by route, method and status, a latency
 * histogram per route, open connections, and writes waiting for or running
 * on a write thread. Counters are atomics indexed by
 * route, so recording costs no lock. */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include "http/http.h"
#include "util/buf.h"

#define MAX_ROUTES  128
#define OTHER_ROUTE MAX_ROUTES /* static files and unmatched paths */

static const unsigned statuses[] = {200, 201, 204, 304, 400, 401, 403, 404,
				    405, 409, 413, 422, 429, 500, 503};
#define NSTATUS (sizeof statuses / sizeof *statuses + 1) /* last: any other */

static const double buckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
				 0.1,	 0.25,	0.5,	1,     2.5,  5};
#define NBUCKET (sizeof buckets / sizeof *buckets)

static _Atomic unsigned long long counts[MAX_ROUTES + 1][NSTATUS];
static _Atomic unsigned long long hist[MAX_ROUTES + 1][NBUCKET + 1];
static _Atomic unsigned long long sum_us[MAX_ROUTES + 1];
static _Atomic long long open_connections;
/* Open connections by connection thread (the server's daemons). */
static _Atomic long long thread_connections[KF_HTTP_MAX_THREADS];
static _Atomic unsigned conn_threads;
static _Atomic long long writes_waiting, writes_running;

void kf_metrics_init(unsigned threads)
{
	atomic_store(&conn_threads, threads < KF_HTTP_MAX_THREADS ? threads : KF_HTTP_MAX_THREADS);
	/* Counters are static and start at zero; nothing to do but keep the
	 * route table within bounds. */
	if (kf_route_count() > MAX_ROUTES)
		fprintf(stderr, "too many routes for the metrics table\n");
}

void kf_metrics_record(int route, unsigned status, int64_t duration_ns)
{
	int r = route >= 0 && route < MAX_ROUTES ? route : OTHER_ROUTE;
	size_t s = NSTATUS - 1;
	for (size_t i = 0; i < NSTATUS - 1; i++)
		if (statuses[i] == status)
			s = i;
	atomic_fetch_add_explicit(&counts[r][s], 1, memory_order_relaxed);
	double secs = (double)duration_ns / 1e9;
	size_t b = 0;
	while (b < NBUCKET && secs > buckets[b])
		b++;
	atomic_fetch_add_explicit(&hist[r][b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&sum_us[r], (unsigned long long)(duration_ns / 1000),
				  memory_order_relaxed);
}

void kf_metrics_connection(unsigned thread, int delta)
{
	atomic_fetch_add_explicit(&open_connections, delta, memory_order_relaxed);
	if (thread < KF_HTTP_MAX_THREADS)
		atomic_fetch_add_explicit(&thread_connections[thread], delta, memory_order_relaxed);
}

long long kf_metrics_thread_connections(unsigned thread)
{
	return thread < KF_HTTP_MAX_THREADS ? atomic_load(&thread_connections[thread]) : 0;
}

void kf_metrics_writes(int waiting, int running)
{
	atomic_fetch_add_explicit(&writes_waiting, waiting, memory_order_relaxed);
	atomic_fetch_add_explicit(&writes_running, running, memory_order_relaxed);
}

static void labels(struct kf_buf *b, int r)
{
	if (r == OTHER_ROUTE)
		kf_buf_adds(b, "route=\"(other)\",method=\"\"");
	else
		kf_buf_addf(b, "route=\"%s\",method=\"%s\"", kf_routes[r].pattern,
			    kf_routes[r].method);
}

char *kf_metrics_render(struct kf_store *store, size_t *len)
{
	struct kf_buf b;
	int nroutes = kf_route_count();
	kf_buf_init(&b, 0);
	kf_buf_adds(&b, "# HELP kefu_http_requests_total HTTP requests answered.\n"
			"# TYPE kefu_http_requests_total counter\n");
	for (int r = 0; r <= OTHER_ROUTE; r++) {
		if (r >= nroutes && r != OTHER_ROUTE)
			continue;
		for (size_t s = 0; s < NSTATUS; s++) {
			unsigned long long v = atomic_load(&counts[r][s]);
			if (!v)
				continue;
			kf_buf_adds(&b, "kefu_http_requests_total{");
			labels(&b, r);
			if (s < NSTATUS - 1)
				kf_buf_addf(&b, ",status=\"%u\"} %llu\n", statuses[s], v);
			else
				kf_buf_addf(&b, ",status=\"other\"} %llu\n", v);
		}
	}
	kf_buf_adds(&b, "# HELP kefu_http_request_duration_seconds Time to answer a request.\n"
			"# TYPE kefu_http_request_duration_seconds histogram\n");
	for (int r = 0; r <= OTHER_ROUTE; r++) {
		if (r >= nroutes && r != OTHER_ROUTE)
			continue;
		unsigned long long cum = 0, total = 0;
		for (size_t i = 0; i <= NBUCKET; i++)
			total += atomic_load(&hist[r][i]);
		if (!total)
			continue;
		for (size_t i = 0; i <= NBUCKET; i++) {
			cum += atomic_load(&hist[r][i]);
			kf_buf_adds(&b, "kefu_http_request_duration_seconds_bucket{");
			labels(&b, r);
			if (i < NBUCKET)
				kf_buf_addf(&b, ",le=\"%g\"} %llu\n", buckets[i], cum);
			else
				kf_buf_addf(&b, ",le=\"+Inf\"} %llu\n", cum);
		}
		kf_buf_adds(&b, "kefu_http_request_duration_seconds_sum{");
		labels(&b, r);
		kf_buf_addf(&b, "} %.6f\n", (double)atomic_load(&sum_us[r]) / 1e6);
		kf_buf_adds(&b, "kefu_http_request_duration_seconds_count{");
		labels(&b, r);
		kf_buf_addf(&b, "} %llu\n", total);
	}
	kf_buf_addf(&b,
		    "# HELP kefu_http_open_connections Client connections open now.\n"
		    "# TYPE kefu_http_open_connections gauge\n"
		    "kefu_http_open_connections %lld\n"
		    "# HELP kefu_http_writes_waiting Writes waiting for a write thread "
		    "(--write-threads).\n"
		    "# TYPE kefu_http_writes_waiting gauge\n"
		    "kefu_http_writes_waiting %lld\n"
		    "# HELP kefu_http_writes_running Writes running on write threads now.\n"
		    "# TYPE kefu_http_writes_running gauge\n"
		    "kefu_http_writes_running %lld\n",
		    (long long)atomic_load(&open_connections),
		    (long long)atomic_load(&writes_waiting),
		    (long long)atomic_load(&writes_running));
	kf_buf_adds(&b, "# HELP kefu_http_thread_connections Client connections open now on each "
			"connection thread (--threads), which take new connections in turn.\n"
			"# TYPE kefu_http_thread_connections gauge\n");
	for (unsigned t = 0; t < atomic_load(&conn_threads); t++)
		kf_buf_addf(&b, "kefu_http_thread_connections{thread=\"%u\"} %lld\n", t,
			    (long long)atomic_load(&thread_connections[t]));
	if (store) {
		uint64_t commits, jobs;
		int waiting;
		kf_store_group_stats(store, &commits, &jobs, &waiting);
		kf_buf_addf(&b,
			    "# HELP kefu_store_group_commits_total Group write transactions "
			    "committed (registrations and search index writes share them).\n"
			    "# TYPE kefu_store_group_commits_total counter\n"
			    "kefu_store_group_commits_total %llu\n"
			    "# HELP kefu_store_group_jobs_total Writes committed in group write "
			    "transactions.\n"
			    "# TYPE kefu_store_group_jobs_total counter\n"
			    "kefu_store_group_jobs_total %llu\n"
			    "# HELP kefu_store_group_waiting Writes waiting for the next group "
			    "write transaction.\n"
			    "# TYPE kefu_store_group_waiting gauge\n"
			    "kefu_store_group_waiting %d\n"
			    "# HELP kefu_store_checkpoints_total WAL checkpoints run on the "
			    "database file (SQLite).\n"
			    "# TYPE kefu_store_checkpoints_total counter\n"
			    "kefu_store_checkpoints_total %llu\n",
			    (unsigned long long)commits, (unsigned long long)jobs, waiting,
			    (unsigned long long)kf_store_checkpoints(store));
		uint64_t timed;
		double queue, tx, durable;
		kf_store_group_times(store, &timed, &queue, &tx, &durable);
		kf_buf_adds(&b, "# HELP kefu_store_group_write_seconds Time of group writes, by "
				"stage: waiting for the writer thread, in their batch's "
				"transaction, waiting for the commit to be durable.\n"
				"# TYPE kefu_store_group_write_seconds summary\n");
		const char *stages[] = {"queue", "transaction", "durable"};
		const double sums[] = {queue, tx, durable};
		for (int i = 0; i < 3; i++)
			kf_buf_addf(&b,
				    "kefu_store_group_write_seconds_sum{stage=\"%s\"} %.6f\n"
				    "kefu_store_group_write_seconds_count{stage=\"%s\"} %llu\n",
				    stages[i], sums[i], stages[i], (unsigned long long)timed);
	}
	return kf_buf_detach(&b, len);
}
