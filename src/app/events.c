/* The event hub (see events.h). One poller thread per node; subscribers are
 * cursors into a ring of recent events. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/events.h"
#include "store/events.h"
#include "store/records.h"
#include "util/log.h"
#include "util/time.h"
#include "util/xmalloc.h"

#define RING		 4096
#define REPLAY_MAX	 500
#define REPLAY_WINDOW_MS (24LL * 3600 * 1000)
#define KEEPALIVE_MS	 15000

struct entry {
	int64_t id;
	char *kind, *user_ids, *roles, *payload;
};

struct kf_sub {
	struct kf_sub *next;
	int64_t user_id;
	char role_tag[40]; /* ",supervisor," */
	char user_tag[32]; /* ",42," */
	uint64_t pos;	   /* next ring position to read */
	struct entry *replay;
	int nreplay, replayed;
	bool parked, keepalive, ended;
	int64_t session_id;
	void (*wake)(void *);
	void *ctx;
};

struct kf_hub {
	struct kf_app *app;
	int poll_ms;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool closing;
	struct entry ring[RING];
	uint64_t head; /* positions [head - RING, head) are in the ring */
	int64_t max_id;
	struct kf_sub *subs;
};

static void entry_free(struct entry *e)
{
	free(e->kind);
	free(e->user_ids);
	free(e->roles);
	free(e->payload);
	memset(e, 0, sizeof *e);
}

static void entry_copy(struct entry *e, const struct kf_event *ev)
{
	e->id = ev->id;
	e->kind = kf_xstrdup(ev->kind);
	e->user_ids = kf_xstrdup(ev->user_ids);
	e->roles = kf_xstrdup(ev->roles);
	e->payload = kf_xstrdup(ev->payload);
}

static bool seen(struct kf_hub *h, int64_t id)
{
	uint64_t lo = h->head > RING ? h->head - RING : 0;
	for (uint64_t p = h->head; p > lo; p--)
		if (h->ring[(p - 1) % RING].id == id)
			return true;
	return false;
}

static void wake_all(struct kf_hub *h)
{
	for (struct kf_sub *s = h->subs; s; s = s->next) {
		if (s->parked) {
			s->parked = false;
			s->wake(s->ctx);
		}
	}
}

/* Reads new events from the outbox. Transactions on PostgreSQL may commit
 * out of id order, so the last minute is read again and known ids skipped. */
/* Adds events the ring does not have yet; wakes the streams if any. */
static void take(struct kf_hub *h, const struct kf_event *evs, int n, bool check_seen)
{
	pthread_mutex_lock(&h->mu);
	bool added = false;
	for (int i = 0; i < n; i++) {
		if (evs[i].id <= h->max_id && (!check_seen || seen(h, evs[i].id)))
			continue;
		struct entry *e = &h->ring[h->head % RING];
		entry_free(e);
		entry_copy(e, &evs[i]);
		h->head++;
		if (evs[i].id > h->max_id)
			h->max_id = evs[i].id;
		added = true;
	}
	if (added)
		wake_all(h);
	pthread_mutex_unlock(&h->mu);
}

/* Reads new events from the outbox, 1 000 at a time until none is left.
 * On PostgreSQL transactions may commit out of id order, so the last
 * minute below the newest id seen is read again and unknown ids taken. */
static void poll_once(struct kf_hub *h)
{
	struct kf_arena a;
	struct kf_db *db;
	struct kf_err err = {0};
	struct kf_event *evs;
	int n = 0;
	if (kf_store_acquire(h->app->store, &db, &err) != 0)
		return;
	kf_arena_init(&a);
	int64_t now = kf_time_now_ms();
	pthread_mutex_lock(&h->mu);
	int64_t max = h->max_id;
	pthread_mutex_unlock(&h->mu);
	if (kf_db_engine(db) == KF_ENGINE_POSTGRES) {
		if (kf_store_event_since(db, max > 1000 ? max - 1000 : 0, now - 60000, 1000, &a,
					 &evs, &n, &err) == 0)
			take(h, evs, n, true);
		kf_arena_release(&a);
	}
	for (int round = 0; round < 20; round++) {
		n = 0;
		if (kf_store_event_since(db, max, 0, 1000, &a, &evs, &n, &err)) {
			kf_log_warn("event poll failed: %s", err.message);
			break;
		}
		take(h, evs, n, false);
		if (n)
			max = evs[n - 1].id;
		kf_arena_release(&a);
		if (n < 1000)
			break;
	}
	kf_store_release(h->app->store, db);
	kf_arena_release(&a);
}

/* Streams whose session ended since they opened are ended too. */
static void check_sessions(struct kf_hub *h)
{
	enum { MAX_CHECK = 1024 };
	int64_t ids[MAX_CHECK];
	int n = 0;
	pthread_mutex_lock(&h->mu);
	for (struct kf_sub *s = h->subs; s && n < MAX_CHECK; s = s->next)
		if (!s->ended && s->session_id)
			ids[n++] = s->session_id;
	pthread_mutex_unlock(&h->mu);
	if (!n)
		return;
	struct kf_db *db;
	struct kf_err err;
	if (kf_store_acquire(h->app->store, &db, &err) != 0)
		return;
	int64_t now = kf_time_now_ms();
	for (int i = 0; i < n; i++) {
		bool live = true;
		if (kf_store_session_live(db, ids[i], now, &live, &err) == 0 && !live) {
			pthread_mutex_lock(&h->mu);
			for (struct kf_sub *s = h->subs; s; s = s->next)
				if (s->session_id == ids[i])
					s->ended = true;
			pthread_mutex_unlock(&h->mu);
		}
	}
	kf_store_release(h->app->store, db);
}

static int64_t mono_ms(void)
{
	return kf_time_mono_ns() / 1000000;
}

static void *run(void *arg)
{
	struct kf_hub *h = arg;
	int64_t last_keepalive = mono_ms();
	kf_log_thread("events");
	for (;;) {
		pthread_mutex_lock(&h->mu);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += (long)h->poll_ms * 1000000L;
		while (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		int rc = 0;
		while (!h->closing && rc != ETIMEDOUT)
			rc = pthread_cond_timedwait(&h->cv, &h->mu, &until);
		bool closing = h->closing;
		pthread_mutex_unlock(&h->mu);
		if (closing)
			break;
		poll_once(h);
		/* The monotonic clock keeps keep-alives going when tests freeze
		 * the wall clock. */
		int64_t m = mono_ms();
		if (m - last_keepalive >= KEEPALIVE_MS) {
			last_keepalive = m;
			check_sessions(h);
			pthread_mutex_lock(&h->mu);
			for (struct kf_sub *s = h->subs; s; s = s->next)
				s->keepalive = true;
			wake_all(h);
			pthread_mutex_unlock(&h->mu);
		}
	}
	return NULL;
}

struct kf_hub *kf_hub_start(struct kf_app *app, int poll_ms)
{
	struct kf_hub *h = kf_xcalloc(1, sizeof *h);
	h->app = app;
	h->poll_ms = poll_ms > 0 ? poll_ms : 200;
	pthread_mutex_init(&h->mu, NULL);
	pthread_cond_init(&h->cv, NULL);
	/* Start at the newest event: streams begin with what happens next. */
	struct kf_db *db;
	struct kf_err err;
	if (kf_store_acquire(app->store, &db, &err) == 0) {
		int64_t max = 0;
		if (kf_db_query_int(db, "SELECT COALESCE(MAX(id), 0) FROM events", NULL, 0, &max,
				    &err) >= 0)
			h->max_id = max;
		kf_store_release(app->store, db);
	}
	if (pthread_create(&h->thread, NULL, run, h) != 0) {
		kf_log_error("cannot start the event hub");
		pthread_mutex_destroy(&h->mu);
		pthread_cond_destroy(&h->cv);
		free(h);
		return NULL;
	}
	return h;
}

void kf_hub_close(struct kf_hub *h)
{
	if (!h)
		return;
	pthread_mutex_lock(&h->mu);
	h->closing = true;
	pthread_cond_signal(&h->cv);
	wake_all(h);
	pthread_mutex_unlock(&h->mu);
	pthread_join(h->thread, NULL);
}

void kf_hub_free(struct kf_hub *h)
{
	if (!h)
		return;
	for (int i = 0; i < RING; i++)
		entry_free(&h->ring[i]);
	while (h->subs)
		kf_hub_unsubscribe(h, h->subs);
	pthread_mutex_destroy(&h->mu);
	pthread_cond_destroy(&h->cv);
	free(h);
}

static bool concerns(const struct kf_sub *s, const char *user_ids, const char *roles)
{
	return strstr(user_ids, s->user_tag) || strstr(roles, s->role_tag);
}

struct kf_sub *kf_hub_subscribe(struct kf_hub *h, int64_t user_id, int64_t session_id,
				const char *role, int64_t last_event_id, void (*wake)(void *ctx),
				void *ctx)
{
	struct kf_sub *s = kf_xcalloc(1, sizeof *s);
	s->user_id = user_id;
	s->session_id = session_id;
	snprintf(s->user_tag, sizeof s->user_tag, ",%lld,", (long long)user_id);
	snprintf(s->role_tag, sizeof s->role_tag, ",%s,", role);
	s->wake = wake;
	s->ctx = ctx;
	/* The ring position is taken before the outbox is read, so that an
	 * event arriving in between comes one way or the other (and is not
	 * sent twice, see replayed()). */
	pthread_mutex_lock(&h->mu);
	s->pos = h->head;
	s->next = h->subs;
	h->subs = s;
	pthread_mutex_unlock(&h->mu);
	if (last_event_id > 0) {
		struct kf_arena a;
		struct kf_db *db;
		struct kf_err err;
		struct kf_event *evs = NULL;
		int n = 0;
		kf_arena_init(&a);
		if (kf_store_acquire(h->app->store, &db, &err) == 0) {
			kf_store_event_since(db, last_event_id, kf_time_now_ms() - REPLAY_WINDOW_MS,
					     REPLAY_MAX, &a, &evs, &n, &err);
			kf_store_release(h->app->store, db);
		}
		struct entry *replay = kf_xcalloc((size_t)(n ? n : 1), sizeof *replay);
		int k = 0;
		for (int i = 0; i < n; i++)
			if (concerns(s, evs[i].user_ids, evs[i].roles))
				entry_copy(&replay[k++], &evs[i]);
		kf_arena_release(&a);
		pthread_mutex_lock(&h->mu);
		s->replay = replay;
		s->nreplay = k;
		pthread_mutex_unlock(&h->mu);
	}
	return s;
}

void kf_hub_unsubscribe(struct kf_hub *h, struct kf_sub *s)
{
	pthread_mutex_lock(&h->mu);
	for (struct kf_sub **pp = &h->subs; *pp; pp = &(*pp)->next) {
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	}
	pthread_mutex_unlock(&h->mu);
	for (int i = 0; i < s->nreplay; i++)
		entry_free(&s->replay[i]);
	free(s->replay);
	free(s);
}

/* An event that came with the replay is not sent again from the ring. */
static bool replayed(const struct kf_sub *s, int64_t id)
{
	for (int i = 0; i < s->nreplay; i++)
		if (s->replay[i].id == id)
			return true;
	return false;
}

static void format(struct kf_buf *out, const struct entry *e)
{
	kf_buf_addf(out, "id: %lld\nevent: %s\ndata: %s\n\n", (long long)e->id, e->kind,
		    e->payload);
}

int kf_hub_next(struct kf_hub *h, struct kf_sub *s, struct kf_buf *out, void (*park)(void *ctx),
		void *park_ctx)
{
	int rc = 0;
	pthread_mutex_lock(&h->mu);
	if (h->closing || s->ended) {
		rc = -1;
		goto out;
	}
	if (s->replayed < s->nreplay) {
		format(out, &s->replay[s->replayed++]);
		rc = 1;
		goto out;
	}
	/* A reader that fell behind the ring skips what it lost. */
	if (h->head - s->pos > RING)
		s->pos = h->head - RING;
	while (s->pos < h->head) {
		struct entry *e = &h->ring[s->pos++ % RING];
		if (concerns(s, e->user_ids, e->roles) && !replayed(s, e->id)) {
			format(out, e);
			rc = 1;
			goto out;
		}
	}
	if (s->keepalive) {
		s->keepalive = false;
		kf_buf_adds(out, ": keep-alive\n\n");
		rc = 1;
		goto out;
	}
	s->parked = true;
	park(park_ctx);
out:
	pthread_mutex_unlock(&h->mu);
	return rc;
}

int kf_app_notify(struct kf_ctx *c, struct kf_db *db, const char *kind, const int64_t *users,
		  int nusers, const char *const *roles, json_t *payload, struct kf_err *err)
{
	struct kf_buf u, r;
	kf_buf_init(&u, 0);
	kf_buf_init(&r, 0);
	kf_buf_addc(&u, ',');
	for (int i = 0; i < nusers; i++)
		if (users[i])
			kf_buf_addf(&u, "%lld,", (long long)users[i]);
	kf_buf_addc(&r, ',');
	for (const char *const *p = roles; p && *p; p++)
		kf_buf_addf(&r, "%s,", *p);
	char at[40];
	kf_time_format(c->now, at);
	json_object_set_new(payload, "kind", json_string(kind));
	json_object_set_new(payload, "at", json_string(at));
	char *text = json_dumps(payload, JSON_COMPACT);
	json_decref(payload);
	struct kf_event e = {.at = c->now,
			     .kind = kind,
			     .user_ids = u.data,
			     .roles = r.data,
			     .payload = text ? text : "{}"};
	int rc = kf_store_event_put(db, &e, err);
	free(text);
	kf_buf_release(&u);
	kf_buf_release(&r);
	return rc;
}
