/* The connection pool, migrations and the engine-independent half of the
 * store interface. Engine specifics are in sqlite.c and postgres.c. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "store/engine.h"
#include "util/arena.h"
#include "util/embed.h"
#include "util/log.h"
#include "util/time.h"
#include "util/xmalloc.h"

struct group_job {
	kf_group_fn fn, fin;
	void *arg;
	struct kf_err *err;
	int rc;
	bool done;
	/* Set by the writer on the first job of a committed batch: its owner
	 * waits until the commit (seq) is durable and answers the batch (the
	 * job and those after it). */
	bool finish;
	uint64_t seq;
	/* When it was queued, taken into a batch, its batch committed (or
	 * failed) and, for a committed batch, found durable (monotonic ns;
	 * kf_store_group_times). */
	int64_t queued_ns, taken_ns, ended_ns, durable_ns;
	char request_id[72]; /* the caller's, for what fn logs */
	/* Its owner waits on it: woken alone, to finish its batch or when done
	 * (a shared condition would wake every waiting caller). */
	pthread_cond_t cv;
	struct group_job *next;
};

struct kf_store {
	const struct kf_store_ops *ops;
	char *target;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct kf_db **idle;
	int nidle, nopen, max;
	/* Group writes (kf_store_group_write): waiting jobs, the thread that
	 * runs them in batches (started by the first group write) and the
	 * connection it runs them on. */
	pthread_mutex_t gmu;
	pthread_cond_t gcv; /* the writer thread waits here for jobs */
	struct group_job *ghead, **gtail;
	pthread_t gthread;
	int gwaiting; /* jobs queued, not yet taken into a batch */
	bool gstarted, gidle, gstop;
	struct kf_db *writer;
	_Atomic uint64_t gcommits, gjobs; /* kf_store_group_stats */
	/* kf_store_group_times: the jobs answered, and their time waiting for
	 * the writer, in their batch's transaction and waiting for its commit
	 * to be durable, in microseconds. */
	_Atomic uint64_t gtimed, gqueue_us, gtx_us, gdurable_us;
};

int kf_store_open(const char *url, int pool_size, struct kf_store **out, struct kf_err *err)
{
	const struct kf_store_ops *ops;
	const char *target;
	if (!strncmp(url, "sqlite:", 7)) {
		ops = &kf_sqlite_ops;
		target = url + 7;
		if (!*target)
			return kf_err_field(err, KF_EINVALID, "db", "sqlite: needs a file path");
	} else if (!strncmp(url, "postgres://", 11) || !strncmp(url, "postgresql://", 13)) {
		ops = &kf_postgres_ops;
		target = url;
	} else {
		return kf_err_field(err, KF_EINVALID, "db",
				    "unknown store URL (want sqlite:PATH or postgres://…)");
	}
	struct kf_store *s = kf_xcalloc(1, sizeof *s);
	s->ops = ops;
	s->target = kf_xstrdup(target);
	s->max = pool_size > 0 ? pool_size : 1;
	s->idle = kf_xcalloc((size_t)s->max, sizeof *s->idle);
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	pthread_mutex_init(&s->gmu, NULL);
	pthread_cond_init(&s->gcv, NULL);
	s->gtail = &s->ghead;
	struct kf_db *db;
	int rc = kf_store_acquire(s, &db, err);
	if (rc) {
		kf_store_close(s);
		return rc;
	}
	kf_store_release(s, db);
	*out = s;
	return 0;
}

void kf_store_close(struct kf_store *s)
{
	if (!s)
		return;
	if (s->gstarted) {
		pthread_mutex_lock(&s->gmu);
		s->gstop = true;
		pthread_cond_signal(&s->gcv);
		pthread_mutex_unlock(&s->gmu);
		pthread_join(s->gthread, NULL);
	}
	for (int i = 0; i < s->nidle; i++)
		s->ops->disconnect(s->idle[i]);
	if (s->nopen != s->nidle)
		kf_log_error("store closed with %d connections still in use", s->nopen - s->nidle);
	if (s->writer)
		s->ops->disconnect(s->writer);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->gmu);
	pthread_cond_destroy(&s->gcv);
	free(s->idle);
	free(s->target);
	free(s);
}

enum kf_store_engine kf_store_engine(const struct kf_store *s)
{
	return s->ops->engine;
}

int kf_store_acquire(struct kf_store *s, struct kf_db **db, struct kf_err *err)
{
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 10;
	pthread_mutex_lock(&s->mu);
	for (;;) {
		if (s->nidle > 0) {
			*db = s->idle[--s->nidle];
			pthread_mutex_unlock(&s->mu);
			return 0;
		}
		if (s->nopen < s->max) {
			s->nopen++;
			pthread_mutex_unlock(&s->mu);
			int rc = s->ops->connect(s->target, db, err);
			if (rc) {
				pthread_mutex_lock(&s->mu);
				s->nopen--;
				pthread_cond_signal(&s->cv);
				pthread_mutex_unlock(&s->mu);
				return rc;
			}
			return 0;
		}
		if (pthread_cond_timedwait(&s->cv, &s->mu, &deadline) == ETIMEDOUT) {
			pthread_mutex_unlock(&s->mu);
			return kf_err_set(err, KF_EUNAVAILABLE, "no store connection free");
		}
	}
}

void kf_store_release(struct kf_store *s, struct kf_db *db)
{
	if (!db)
		return;
	if (db->in_tx)
		kf_db_rollback(db);
	kf_db_read_end(db);
	pthread_mutex_lock(&s->mu);
	s->idle[s->nidle++] = db;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

static void auth_settle(struct kf_db *db);

/* COMMIT; *seq is what wait_durable needs to know it is on disk (0:
 * it already is). */
static int commit_deferred(struct kf_db *db, uint64_t *seq, struct kf_err *err)
{
	*seq = 0;
	int rc = db->ops->exec(db, "COMMIT", NULL, 0, NULL, err);
	if (rc)
		kf_db_rollback(db);
	db->in_tx = false;
	auth_settle(db);
	if (!rc && db->ops->committed)
		*seq = db->ops->committed(db);
	return rc;
}

static _Atomic uint64_t auth_generation = 1;

uint64_t kf_store_auth_generation(void)
{
	return atomic_load(&auth_generation);
}

void kf_db_auth_changed(struct kf_db *db)
{
	if (db->in_tx)
		db->auth_dirty = true;
	else
		atomic_fetch_add(&auth_generation, 1);
}

/* At the end of a transaction (after COMMIT, when others can see it). */
static void auth_settle(struct kf_db *db)
{
	if (db->auth_dirty) {
		db->auth_dirty = false;
		atomic_fetch_add(&auth_generation, 1);
	}
}

static int wait_durable(struct kf_db *db, uint64_t seq, struct kf_err *err)
{
	return seq ? db->ops->wait_durable(db, seq, err) : 0;
}

/* The transaction is lost (or not durable): the jobs that had succeeded
 * fail with it. */
static void fail_batch(struct group_job *batch, int rc, const struct kf_err *e)
{
	for (struct group_job *j = batch; j; j = j->next)
		if (j->rc == 0) {
			j->rc = rc;
			*j->err = *e;
		}
}

/* Runs the jobs of one batch in one transaction on the writer connection
 * and sets every job's rc (and err when it failed). Savepoints would let a
 * failed job be undone alone, but a savepoint makes SQLite's full-text
 * tables write out what they hold in memory, a new index segment per job; so
 * a failure rolls back the whole transaction instead, and the batch runs
 * again without the job that failed (failures are rare: a customer_id that
 * does not exist, say). Returns what wait_durable needs to know the
 * commit is on disk (0: nothing to wait for). */
static uint64_t group_run(struct kf_store *s, struct group_job *batch)
{
	struct kf_err e = {0};
	int rc = 0;
	uint64_t seq = 0;
	if (!s->writer && (rc = s->ops->connect(s->target, &s->writer, &e))) {
		fail_batch(batch, rc, &e);
		return 0;
	}
	struct kf_db *db = s->writer;
	for (;;) {
		struct group_job *failed = NULL;
		bool any = false;
		if ((rc = kf_db_begin(db, &e)))
			break;
		for (struct group_job *j = batch; j && !failed; j = j->next) {
			if (j->rc)
				continue; /* failed in an earlier round */
			any = true;
			kf_log_set_request_id(j->request_id);
			if (j->fn && (j->rc = j->fn(db, j->arg, j->err)))
				failed = j;
		}
		/* The fins of jobs with a fn, then those of jobs without. */
		for (int pass = 0; pass < 2; pass++)
			for (struct group_job *j = batch; j && !failed; j = j->next)
				if (!j->rc && j->fin && (j->fn == NULL) == (pass == 1)) {
					kf_log_set_request_id(j->request_id);
					if ((j->rc = j->fin(db, j->arg, j->err)))
						failed = j;
				}
		kf_log_set_request_id("writer");
		if (failed || !any) {
			kf_db_rollback(db);
			if (any)
				continue;
			return 0;
		}
		if ((rc = commit_deferred(db, &seq, &e)))
			break;
		uint64_t n = 0;
		for (struct group_job *j = batch; j; j = j->next)
			n += !j->rc;
		atomic_fetch_add_explicit(&s->gcommits, 1, memory_order_relaxed);
		atomic_fetch_add_explicit(&s->gjobs, n, memory_order_relaxed);
		break;
	}
	if (rc)
		fail_batch(batch, rc, &e);
	return rc ? 0 : seq;
}

/* Answers a batch: every job is done (called with gmu held). */
static void answer_batch(struct group_job *batch, const struct group_job *me)
{
	for (struct group_job *j = batch, *next; j; j = next) {
		next = j->next;
		j->done = true;
		if (j != me)
			pthread_cond_signal(&j->cv);
	}
}

/* The most jobs one group transaction takes; more wait for the next. */
#define GROUP_MAX 64

/* The writer thread: runs the waiting jobs in batches, one transaction
 * each, back to back. It does not wait for a commit to be durable: the
 * owner of the batch's first job does, and answers the batch, while the
 * next batch runs (a later sync covers both; no job is answered before its
 * own commit is on disk). Handing the lead from thread to thread instead
 * left the writer idle for a wake-up between batches, a third of its time
 * on two busy cores. */
static void *group_writer(void *arg)
{
	struct kf_store *s = arg;
	kf_log_thread("writer");
	pthread_mutex_lock(&s->gmu);
	for (;;) {
		if (!s->ghead) {
			if (s->gstop)
				break;
			s->gidle = true;
			pthread_cond_wait(&s->gcv, &s->gmu);
			s->gidle = false;
			continue;
		}
		struct group_job *batch = s->ghead, *last = batch;
		int n = 1;
		for (; last->next && n < GROUP_MAX; n++)
			last = last->next;
		s->ghead = last->next;
		if (!s->ghead)
			s->gtail = &s->ghead;
		last->next = NULL;
		s->gwaiting -= n;
		pthread_mutex_unlock(&s->gmu);
		int64_t now = kf_time_mono_ns();
		for (struct group_job *j = batch; j; j = j->next)
			j->taken_ns = now;
		uint64_t seq = group_run(s, batch);
		now = kf_time_mono_ns();
		for (struct group_job *j = batch; j; j = j->next)
			j->ended_ns = j->durable_ns = now;
		pthread_mutex_lock(&s->gmu);
		if (seq) {
			batch->seq = seq;
			batch->finish = true;
			pthread_cond_signal(&batch->cv);
		} else {
			answer_batch(batch, NULL);
		}
	}
	pthread_mutex_unlock(&s->gmu);
	return NULL;
}

int kf_store_group_write(struct kf_store *s, kf_group_fn fn, kf_group_fn fin, void *arg,
			 struct kf_err *err)
{
	struct group_job me = {
	    .fn = fn, .fin = fin, .arg = arg, .err = err, .queued_ns = kf_time_mono_ns()};
	snprintf(me.request_id, sizeof me.request_id, "%s", kf_log_request_id());
	pthread_mutex_lock(&s->gmu);
	if (s->gstarted && pthread_equal(pthread_self(), s->gthread)) {
		/* From a fn or fin: the writer would wait for itself. */
		pthread_mutex_unlock(&s->gmu);
		return kf_err_set(err, KF_EINTERNAL, "a group write cannot start another");
	}
	if (!s->gstarted) {
		int rc = pthread_create(&s->gthread, NULL, group_writer, s);
		if (rc) {
			pthread_mutex_unlock(&s->gmu);
			return kf_err_set(err, KF_EUNAVAILABLE,
					  "could not start the store's writer thread: %s",
					  strerror(rc));
		}
		s->gstarted = true;
	}
	pthread_cond_init(&me.cv, NULL);
	*s->gtail = &me;
	s->gtail = &me.next;
	s->gwaiting++;
	if (s->gidle)
		pthread_cond_signal(&s->gcv);
	while (!me.done) {
		if (!me.finish) {
			pthread_cond_wait(&me.cv, &s->gmu);
			continue;
		}
		/* My job was first in a committed batch: answer the batch once
		 * its commit is on disk. With seq set, group_run had the writer
		 * connection (it is only ever set once, when it was NULL). */
		me.finish = false;
		pthread_mutex_unlock(&s->gmu);
		struct kf_err e = {0};
		int rc = wait_durable(s->writer, me.seq, &e);
		if (rc)
			fail_batch(&me, rc, &e);
		int64_t now = kf_time_mono_ns();
		for (struct group_job *j = &me; j; j = j->next)
			j->durable_ns = now;
		pthread_mutex_lock(&s->gmu);
		answer_batch(&me, &me);
	}
	pthread_mutex_unlock(&s->gmu);
	pthread_cond_destroy(&me.cv);
	atomic_fetch_add_explicit(&s->gtimed, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&s->gqueue_us, (uint64_t)(me.taken_ns - me.queued_ns) / 1000,
				  memory_order_relaxed);
	atomic_fetch_add_explicit(&s->gtx_us, (uint64_t)(me.ended_ns - me.taken_ns) / 1000,
				  memory_order_relaxed);
	atomic_fetch_add_explicit(&s->gdurable_us, (uint64_t)(me.durable_ns - me.ended_ns) / 1000,
				  memory_order_relaxed);
	return me.rc;
}

void kf_store_group_stats(struct kf_store *s, uint64_t *commits, uint64_t *jobs, int *waiting)
{
	*commits = atomic_load_explicit(&s->gcommits, memory_order_relaxed);
	*jobs = atomic_load_explicit(&s->gjobs, memory_order_relaxed);
	pthread_mutex_lock(&s->gmu);
	*waiting = s->gwaiting;
	pthread_mutex_unlock(&s->gmu);
}

void kf_store_group_times(struct kf_store *s, uint64_t *jobs, double *queue, double *transaction,
			  double *durable)
{
	*jobs = atomic_load_explicit(&s->gtimed, memory_order_relaxed);
	*queue = (double)atomic_load_explicit(&s->gqueue_us, memory_order_relaxed) / 1e6;
	*transaction = (double)atomic_load_explicit(&s->gtx_us, memory_order_relaxed) / 1e6;
	*durable = (double)atomic_load_explicit(&s->gdurable_us, memory_order_relaxed) / 1e6;
}

uint64_t kf_store_checkpoints(struct kf_store *s)
{
	return s->ops->checkpoints ? s->ops->checkpoints(s->target) : 0;
}

int kf_store_ping(struct kf_store *s, struct kf_err *err)
{
	struct kf_db *db;
	int64_t one = 0;
	int rc = kf_store_acquire(s, &db, err);
	if (rc)
		return rc;
	rc = kf_db_query_int(db, "SELECT 1", NULL, 0, &one, err);
	kf_store_release(s, db);
	return rc < 0 ? rc : 0;
}

/* Migrations are the embedded files <engine prefix>NNN_name.sql. */
static int migration_number(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);
	if (strncmp(name, prefix, n) != 0)
		return -1;
	int v = 0;
	const char *p = name + n;
	if (!(*p >= '0' && *p <= '9'))
		return -1;
	while (*p >= '0' && *p <= '9')
		v = v * 10 + (*p++ - '0');
	return v;
}

int kf_store_binary_schema_version(const struct kf_store *s)
{
	int max = 0;
	for (const struct kf_embed *e = kf_embedded; e->name; e++) {
		int v = migration_number(e->name, s->ops->migrations);
		if (v > max)
			max = v;
	}
	return max;
}

static int begin_raw(struct kf_db *db, struct kf_err *err);

static const char create_migrations[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
    "name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

int kf_store_schema_version(struct kf_db *db, int *version, struct kf_err *err)
{
	int64_t v = 0;
	int rc = db->ops->exec(db, create_migrations, NULL, 0, NULL, err);
	if (rc)
		return rc;
	rc = kf_db_query_int(db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", NULL, 0,
			     &v, err);
	if (rc < 0)
		return rc;
	*version = (int)v;
	return 0;
}

int kf_store_migrate(struct kf_store *s, int *from, int *to, struct kf_err *err)
{
	struct kf_db *db;
	int rc = kf_store_acquire(s, &db, err);
	if (rc)
		return rc;
	int have = 0, want = kf_store_binary_schema_version(s);
	/* Before the first migration there is no audit head to lock. */
	if ((rc = begin_raw(db, err)) || (rc = s->ops->lock_migrations(db, err)) ||
	    (rc = kf_store_schema_version(db, &have, err)))
		goto out;
	if (from)
		*from = have;
	if (have > want) {
		rc = kf_err_set(err, KF_ECONFLICT,
				"the store's schema (version %d) is newer than this kefu (version "
				"%d); upgrade kefu",
				have, want);
		goto out;
	}
	for (int v = have + 1; v <= want; v++) {
		const struct kf_embed *m = NULL;
		for (const struct kf_embed *e = kf_embedded; e->name; e++)
			if (migration_number(e->name, s->ops->migrations) == v)
				m = e;
		if (!m) {
			rc = kf_err_set(err, KF_EINTERNAL, "migration %d is missing", v);
			goto out;
		}
		if ((rc = s->ops->exec_script(db, m->data, err)))
			goto out;
		struct kf_param p[] = {KP_INT(v), KP_TEXT(m->name + strlen(s->ops->migrations)),
				       KP_INT(kf_time_now_ms())};
		rc = kf_db_exec(db,
				"INSERT INTO schema_migrations (version, name, applied_at) "
				"VALUES ($1, $2, $3)",
				p, 3, NULL, err);
		if (rc)
			goto out;
	}
	rc = kf_db_commit(db, err);
	if (to)
		*to = want;
out:
	kf_store_release(s, db);
	return rc;
}

static int begin_raw(struct kf_db *db, struct kf_err *err)
{
	if (db->in_tx)
		return kf_err_set(err, KF_EINTERNAL, "transaction already open");
	int rc = db->ops->exec(db, db->ops->begin_sql, NULL, 0, NULL, err);
	if (!rc)
		db->in_tx = true;
	return rc;
}

int kf_db_begin(struct kf_db *db, struct kf_err *err)
{
	/* A snapshot taken earlier must not become the write transaction: on
	 * SQLite that fails (SQLITE_BUSY_SNAPSHOT) once another connection has
	 * committed since, and the busy timeout does not wait for it. */
	kf_db_read_end(db);
	int rc = begin_raw(db, err);
	if (!rc && db->ops->after_begin && (rc = db->ops->after_begin(db, err)))
		kf_db_rollback(db);
	return rc;
}

int kf_db_commit(struct kf_db *db, struct kf_err *err)
{
	uint64_t seq;
	int rc = commit_deferred(db, &seq, err);
	return rc ? rc : wait_durable(db, seq, err);
}

void kf_db_rollback(struct kf_db *db)
{
	struct kf_err e;
	if (!db->in_tx)
		return;
	if (db->ops->exec(db, "ROLLBACK", NULL, 0, NULL, &e))
		kf_log_error("rollback failed: %s", e.message);
	db->in_tx = false;
	auth_settle(db);
}

bool kf_db_in_tx(const struct kf_db *db)
{
	return db->in_tx;
}

int kf_db_read_begin(struct kf_db *db, struct kf_err *err)
{
	if (db->in_tx || db->in_read || !db->ops->read_begin_sql)
		return 0;
	int rc = db->ops->exec(db, db->ops->read_begin_sql, NULL, 0, NULL, err);
	if (!rc)
		db->in_read = true;
	return rc;
}

void kf_db_read_end(struct kf_db *db)
{
	struct kf_err e;
	if (!db->in_read)
		return;
	db->in_read = false;
	/* Nothing was written: COMMIT and ROLLBACK only let go of the
	 * snapshot. */
	if (db->ops->exec(db, "COMMIT", NULL, 0, NULL, &e)) {
		kf_log_error("ending a read snapshot failed: %s", e.message);
		db->ops->exec(db, "ROLLBACK", NULL, 0, NULL, &e);
	}
}

enum kf_store_engine kf_db_engine(const struct kf_db *db)
{
	return db->ops->engine;
}

int kf_db_exec(struct kf_db *db, const char *sql, const struct kf_param *params, int n,
	       int64_t *changes, struct kf_err *err)
{
	return db->ops->exec(db, sql, params, n, changes, err);
}

int kf_db_query(struct kf_db *db, const char *sql, const struct kf_param *params, int n,
		struct kf_rows **rows, struct kf_err *err)
{
	return db->ops->query(db, sql, params, n, rows, err);
}

int kf_rows_next(struct kf_rows *r, struct kf_err *err)
{
	return r->ops->next(r, err);
}

const char *kf_rows_text(struct kf_rows *r, int col)
{
	return r->ops->text(r, col);
}

int64_t kf_rows_int(struct kf_rows *r, int col)
{
	return r->ops->integer(r, col);
}

bool kf_rows_null(struct kf_rows *r, int col)
{
	return r->ops->isnull(r, col);
}

const char *kf_rows_dup(struct kf_rows *r, int col, struct kf_arena *a)
{
	const char *s = r->ops->text(r, col);
	return s ? kf_arena_strdup(a, s) : NULL;
}

void kf_rows_free(struct kf_rows *r)
{
	if (r)
		r->ops->free_rows(r);
}

static void read_int0(struct kf_rows *r, struct kf_arena *a, void *out)
{
	*(int64_t *)out = kf_rows_int(r, 0);
}

int kf_db_query_int(struct kf_db *db, const char *sql, const struct kf_param *params, int n,
		    int64_t *v, struct kf_err *err)
{
	return kf_db_query_row(db, sql, params, n, read_int0, v, NULL, err);
}

int kf_db_query_row(struct kf_db *db, const char *sql, const struct kf_param *params, int n,
		    kf_row_reader read, void *out, struct kf_arena *a, struct kf_err *err)
{
	struct kf_rows *r;
	int rc = kf_db_query(db, sql, params, n, &r, err);
	if (rc)
		return rc;
	rc = kf_rows_next(r, err);
	if (rc == 1)
		read(r, a, out);
	kf_rows_free(r);
	return rc;
}

int kf_db_query_rows(struct kf_db *db, const char *sql, const struct kf_param *params, int n,
		     kf_row_reader read, size_t sz, struct kf_arena *a, void **items, int *count,
		     struct kf_err *err)
{
	struct kf_rows *r;
	int cap = 0, rc;
	*items = NULL;
	*count = 0;
	if ((rc = kf_db_query(db, sql, params, n, &r, err)))
		return rc;
	while ((rc = kf_rows_next(r, err)) == 1) {
		if (*count == cap)
			*items = kf_arena_grow(a, *items, *count, &cap, sz);
		void *item = (char *)*items + sz * (size_t)(*count)++;
		memset(item, 0, sz);
		read(r, a, item);
	}
	kf_rows_free(r);
	return rc < 0 ? rc : 0;
}
