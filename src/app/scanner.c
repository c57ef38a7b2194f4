#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>
#include "app/scanner.h"
#include "store/events.h"
#include "util/log.h"
#include "util/time.h"
#include "util/xmalloc.h"

struct kf_scanner {
	struct kf_app *app;
	const char *name;
	void (*task)(struct kf_app *app);
	int interval_ms;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;
};

/* The event outbox keeps a week: replays reach back a day (app/events.h). */
static void prune_events(struct kf_app *app)
{
	struct kf_db *db;
	struct kf_err err = {0};
	if (kf_store_acquire(app->store, &db, &err) != 0)
		return;
	if (kf_store_event_prune(db, kf_time_now_ms() - 7LL * 24 * 3600 * 1000, &err))
		kf_log_warn("event pruning failed: %s", err.message);
	kf_store_release(app->store, db);
}

static void scan(struct kf_app *app)
{
	struct kf_err err = {0};
	int marked = 0;
	if (kf_app_scan_deadlines(app, kf_time_now_ms(), &marked, &err))
		kf_log_error("deadline scan failed: %s", err.message);
	else if (marked)
		kf_log_info("deadline scan: %d deadlines overdue", marked);
	prune_events(app);
}

static void flush_search(struct kf_app *app)
{
	struct kf_err err = {0};
	int moved = 0;
	if (kf_app_search_flush(app, &moved, &err))
		kf_log_error("search indexing failed: %s", err.message);
}

static void *run(void *arg)
{
	struct kf_scanner *s = arg;
	kf_log_thread(s->name);
	pthread_mutex_lock(&s->mu);
	while (!s->stop) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += s->interval_ms / 1000;
		until.tv_nsec += (long)(s->interval_ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		int rc = 0;
		while (!s->stop && rc != ETIMEDOUT)
			rc = pthread_cond_timedwait(&s->cv, &s->mu, &until);
		if (s->stop)
			break;
		pthread_mutex_unlock(&s->mu);
		s->task(s->app);
		pthread_mutex_lock(&s->mu);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

static struct kf_scanner *start(struct kf_app *app, const char *name,
				void (*task)(struct kf_app *app), int interval_ms)
{
	struct kf_scanner *s = kf_xcalloc(1, sizeof *s);
	s->app = app;
	s->name = name;
	s->task = task;
	s->interval_ms = interval_ms > 0 ? interval_ms : 10000;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	if (pthread_create(&s->thread, NULL, run, s) != 0) {
		kf_log_error("cannot start the %s thread", name);
		pthread_mutex_destroy(&s->mu);
		pthread_cond_destroy(&s->cv);
		free(s);
		return NULL;
	}
	return s;
}

struct kf_scanner *kf_scanner_start(struct kf_app *app, int interval_ms)
{
	return start(app, "scanner", scan, interval_ms);
}

struct kf_scanner *kf_indexer_start(struct kf_app *app, int interval_ms)
{
	/* Only SQLite defers search entries. */
	if (kf_store_engine(app->store) != KF_ENGINE_SQLITE)
		return NULL;
	return start(app, "indexer", flush_search, interval_ms);
}

void kf_scanner_stop(struct kf_scanner *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->mu);
	s->stop = true;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->thread, NULL);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	free(s);
}
