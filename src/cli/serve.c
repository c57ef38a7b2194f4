/* kefu serve: the HTTP server until SIGTERM or SIGINT, then a graceful stop:
 * no new connections, requests in flight finish, the store closes. */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "app/auth_cache.h"
#include "app/events.h"
#include "app/scanner.h"
#include "cli/cli.h"
#include "http/http.h"
#include "util/log.h"

static const char *default_web_dir(char *buf, size_t n)
{
	char exe[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (len > 0) {
		exe[len] = '\0';
		const char *dir = dirname(exe); /* once: dirname may change exe */
		/* The console built by Vite: build/kefu → ../web/dist in a source
		 * tree; bin/kefu → ../share/kefu/web when installed. */
		snprintf(buf, n, "%s/../web/dist", dir);
		if (access(buf, R_OK) == 0)
			return buf;
		snprintf(buf, n, "%s/../share/kefu/web", dir);
		if (access(buf, R_OK) == 0)
			return buf;
	}
	return NULL;
}

static bool parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (!*s || *end || errno || v > max || s[0] == '-')
		return false;
	*out = v;
	return true;
}

/* A count from 1 to max given as name (an option or an environment
 * variable); false after saying what is wrong. */
static bool parse_count(const char *name, const char *s, unsigned long max, unsigned long *out)
{
	if (parse_uint(s, max, out) && *out)
		return true;
	fprintf(stderr, "kefu serve: %s must be 1 to %lu\n", name, max);
	return false;
}

static void help(void)
{
	printf("usage: kefu serve [--listen ADDR:PORT] [--db URL] [--web DIR] [--threads N]\n"
	       "                  [--write-threads N] [--body-limit BYTES] [--log-level LEVEL] "
	       "[--secure-cookies]\n"
	       "                  [--scan-interval SECONDS] [--search-window N] [--test-clock]\n\n"
	       "  --listen     address and port (KEFU_LISTEN; default 127.0.0.1:8080; port 0\n"
	       "               picks a free port)\n"
	       "  --db         store URL (KEFU_DB; default sqlite:./kefu.db)\n"
	       "  --web        directory of the built console (KEFU_WEB; default ../web/dist\n"
	       "               or ../share/kefu/web next to the binary)\n"
	       "  --threads    threads that serve connections (KEFU_THREADS; default: number\n"
	       "               of CPUs)\n"
	       "  --write-threads  threads that run writes, each of which waits for its\n"
	       "               commit to reach the disk (KEFU_WRITE_THREADS; 1 to 256,\n"
	       "               default 32; the most writes in progress at once)\n"
	       "  --body-limit largest request body in bytes (default 1048576)\n"
	       "  --log-level  debug, info, warn or error (KEFU_LOG_LEVEL; default info)\n"
	       "  --secure-cookies  mark the session cookie Secure (behind a TLS proxy)\n"
	       "  --scan-interval   seconds between deadline scans (default 10)\n"
	       "  --search-window   ticket search ranks the newest N matches (KEFU_SEARCH_WINDOW;\n"
	       "                    1 to 100000, default 2000)\n"
	       "  --test-clock      let an admin set the clock (POST /api/v1/test/clock);\n"
	       "                    for tests only, never in production\n\n"
	       "Prints 'kefu listening on http://ADDR:PORT' when ready. SIGTERM or SIGINT\n"
	       "stops it gracefully.\n");
}

int kf_cmd_serve(int argc, char **argv)
{
	struct kf_cli_opts o = {0};
	struct kf_server_config cfg = {
	    .listen = getenv("KEFU_LISTEN") ? getenv("KEFU_LISTEN") : "127.0.0.1:8080",
	    .web_dir = getenv("KEFU_WEB"),
	    .body_limit = 1 << 20,
	    .connection_timeout_s = 30,
	};
	unsigned long v;
	int scan_s = 10;
	int search_window = 0;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	cfg.threads =
	    cpus > 0 ? (unsigned)(cpus < KF_HTTP_MAX_THREADS ? cpus : KF_HTTP_MAX_THREADS) : 2;
	if (getenv("KEFU_THREADS") && parse_uint(getenv("KEFU_THREADS"), KF_HTTP_MAX_THREADS, &v) &&
	    v)
		cfg.threads = (unsigned)v;
	cfg.write_threads = 32;
	const char *wt_env = getenv("KEFU_WRITE_THREADS");
	if (wt_env) {
		if (!parse_count("KEFU_WRITE_THREADS", wt_env, 256, &v))
			return KF_EXIT_USAGE;
		cfg.write_threads = (unsigned)v;
	}
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *next = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			help();
			return KF_EXIT_OK;
		} else if (kf_cli_db_opt(argc, argv, &i, &o)) {
			continue;
		} else if (!strcmp(a, "--listen") && next) {
			cfg.listen = argv[++i];
		} else if (!strcmp(a, "--web") && next) {
			cfg.web_dir = argv[++i];
		} else if (!strcmp(a, "--threads") && next) {
			if (!parse_count("--threads", argv[++i], KF_HTTP_MAX_THREADS, &v))
				return KF_EXIT_USAGE;
			cfg.threads = (unsigned)v;
		} else if (!strcmp(a, "--write-threads") && next) {
			if (!parse_count("--write-threads", argv[++i], 256, &v))
				return KF_EXIT_USAGE;
			cfg.write_threads = (unsigned)v;
		} else if (!strcmp(a, "--body-limit") && next) {
			if (!parse_uint(argv[++i], 1UL << 30, &v) || v < 1024) {
				fprintf(stderr, "kefu serve: --body-limit must be 1024 to 2^30\n");
				return KF_EXIT_USAGE;
			}
			cfg.body_limit = v;
		} else if (!strcmp(a, "--log-level") && next) {
			int l = kf_log_parse_level(argv[++i]);
			if (l < 0) {
				fprintf(stderr, "kefu serve: unknown log level %s\n", argv[i]);
				return KF_EXIT_USAGE;
			}
			kf_log_set_level((enum kf_log_level)l);
		} else if (!strcmp(a, "--secure-cookies")) {
			cfg.cookie_secure = true;
		} else if (!strcmp(a, "--test-clock")) {
			cfg.test_clock = true;
		} else if (!strcmp(a, "--scan-interval") && next) {
			if (!parse_count("--scan-interval", argv[++i], 3600, &v))
				return KF_EXIT_USAGE;
			scan_s = (int)v;
		} else if (!strcmp(a, "--search-window") && next) {
			if (!parse_count("--search-window", argv[++i], KF_SEARCH_WINDOW_MAX, &v))
				return KF_EXIT_USAGE;
			search_window = (int)v;
		} else {
			fprintf(stderr, "kefu serve: unknown option %s (see --help)\n", a);
			return KF_EXIT_USAGE;
		}
	}
	const char *window_env = getenv("KEFU_SEARCH_WINDOW");
	if (!search_window && window_env) {
		if (!parse_count("KEFU_SEARCH_WINDOW", window_env, KF_SEARCH_WINDOW_MAX, &v))
			return KF_EXIT_USAGE;
		search_window = (int)v;
	}
	char webbuf[PATH_MAX];
	if (!cfg.web_dir && !(cfg.web_dir = default_web_dir(webbuf, sizeof webbuf)))
		kf_log_warn("no built console beside the binary (web/dist): serving the API "
			    "only; build it with `npm ci && npm run build` in web/, or pass --web");

	/* Signals are taken by sigwait in this thread only; block them before
	 * any thread starts so that the workers inherit the mask. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct kf_store *store;
	struct kf_app app;
	/* One store connection per thread that runs requests, and a few for
	 * the server's own work. */
	if (kf_cli_open(o.db, (int)(cfg.threads + cfg.write_threads) + 2, &store, &app, true))
		return KF_EXIT_FAIL;
	if (search_window)
		app.search_window = search_window;
	/* S-1: every sign-in change passes through this process on SQLite
	 * (one node); PostgreSQL may have several. */
	if (kf_store_engine(store) == KF_ENGINE_SQLITE)
		app.auth_cache = kf_auth_cache_new(4096, KF_AUTH_CACHE_TTL_MS);
	if (kf_cli_set_zone(&app)) {
		kf_cli_close(store, &app);
		return KF_EXIT_FAIL;
	}
	struct kf_err err = {0};
	app.hub = kf_hub_start(&app, 200);
	struct kf_server *srv = kf_server_start(&app, &cfg, &err);
	if (!srv) {
		kf_hub_close(app.hub);
		kf_hub_free(app.hub);
		kf_cli_close(store, &app);
		return kf_cli_fail(&err);
	}
	char host[64];
	const char *colon = strrchr(cfg.listen, ':');
	snprintf(host, sizeof host, "%.*s", (int)(colon - cfg.listen), cfg.listen);
	printf("kefu listening on http://%s:%u\n", host[0] ? host : "0.0.0.0", kf_server_port(srv));
	fflush(stdout);
	kf_log_info("listening on %s:%u with %u threads and %u write threads", host,
		    kf_server_port(srv), cfg.threads, cfg.write_threads);
	/* L-4 … L-10: overdue within a minute of the deadline. */
	struct kf_scanner *scanner = kf_scanner_start(&app, scan_s * 1000);
	/* T-10: new tickets' search entries, a few hundred at a time. */
	struct kf_scanner *indexer = kf_indexer_start(&app, 250);
	int sig = 0;
	sigwait(&set, &sig);
	kf_log_info("signal %d: stopping", sig);
	kf_scanner_stop(scanner);
	kf_scanner_stop(indexer);
	/* Event streams end first, so that they do not hold the stop up. */
	kf_hub_close(app.hub);
	kf_server_stop(srv, 10000);
	kf_hub_free(app.hub);
	app.hub = NULL;
	kf_cli_close(store, &app);
	kf_log_info("stopped");
	return KF_EXIT_OK;
}
