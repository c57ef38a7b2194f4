/* The SQLite engine: one connection per worker, WAL journal, foreign keys on,
 * a busy timeout, and a per-connection cache of prepared statements keyed by
 * SQL text. SQL arrives with $N placeholders and is rewritten to ?N.
 *
 * Durability with group commit: connections commit with synchronous=NORMAL
 * (the WAL frames are written, not synced), and kf_db_commit does not return
 * until an fdatasync of the WAL file has covered the commit. Commits that
 * finish while one sync runs share the next one (leader and followers), so
 * sixteen concurrent writers pay for a few syncs, not sixteen, and every
 * acknowledged commit is on disk. */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "store/engine.h"
#include "store/sqlite_ckpt.h"
#include "store/sqlite_mem.h"
#include "store/sqlite_walvfs.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define CACHE_SLOTS 256
_Static_assert(CACHE_SLOTS == 256, "prepare's slot by address takes the top 8 bits of a hash");

/* Whether kefu's VFS (sqlite_walvfs.c) was registered: every connection
 * is opened through it then. */
static int walvfs_rc;

struct stmt_entry {
	char *sql;	  /* the original text, the cache key */
	const char *text; /* where the caller's copy of it was, last time */
	uint32_t hash;
	sqlite3_stmt *st;
	bool busy;
};

/* One per database file, shared by its connections: the group sync of the
 * WAL, and the checkpointer. */
struct syncer {
	struct syncer *next;
	char *path, *wal_path;
	int refs;
	int fd; /* the WAL file, opened once it exists; -1 before */
	ino_t ino;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	uint64_t committed, durable;
	bool syncing;
	/* A sync of the WAL failed (its errno): what it should have made
	 * durable may be lost, and a later sync that succeeds says nothing of
	 * it (the kernel reports a writeback error once). Every commit waiting
	 * or to come fails from then on, and no write transaction begins,
	 * until kefu restarts and reads the WAL from disk again. */
	int failed;
	/* Checkpoints run on a thread of their own, not on the thread of the
	 * commit that filled the WAL (SQLite's automatic checkpoint would hold
	 * up that commit's answer, and a group write's whole batch). */
	pthread_t ckpt_thread;
	pthread_cond_t ckpt_cv;
	struct kf_ckpt_sched ckpt; /* when the next checkpoint is due */
	uint64_t checkpoints;	   /* run since the syncer was made */
	bool ckpt_stop, ckpt_running;
};

/* WAL frames after which a checkpoint is asked for (16 MB of 4 KiB pages;
 * SQLite's automatic checkpoints come every 1 000: a page written again and
 * again, such as the last leaf of an index, is copied back once per
 * checkpoint, and every checkpoint syncs the database file). */
#define CKPT_FRAMES 4000
/* WAL frames (64 MB) past which the checkpointer, once a passive checkpoint
 * has copied what it could, makes the next writer start the WAL again from
 * its beginning (below). */
#define CKPT_RESTART_FRAMES 16000
/* How long a connection waits for a lock before it answers busy, and how
 * long a RESTART checkpoint may hold writers off while it waits for
 * readers (it tries again after the next passive checkpoint). */
static const long long busy_timeout_us = 10000000, restart_wait_us = 20000;

/* SQLite's own busy handler sleeps 1, 2, 5, 10 … 100 ms between tries: a
 * lock held for a millisecond (a commit, the checkpoint that restarts the
 * WAL) would cost a waiting writer 3–8 ms. This one tries again every
 * 100 µs for the first 5 ms, then backs off to 2 ms. */
static int busy_wait(void *arg, int tries)
{
	/* The wait is measured, not summed from the sleeps asked for: a
	 * loaded machine oversleeps. tries starts at 0 for each wait, and a
	 * connection waits on one thread at a time. */
	static _Thread_local struct timespec started;
	const long long *limit = arg;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (tries == 0)
		started = now;
	long long waited =
	    (now.tv_sec - started.tv_sec) * 1000000LL + (now.tv_nsec - started.tv_nsec) / 1000;
	if (waited >= *limit)
		return 0;
	long long us = waited < 5000 ? 100 : waited < 30000 ? 500 : 2000;
	struct timespec ts = {0, us * 1000};
	nanosleep(&ts, NULL);
	return 1;
}

/* Under a steady stream of commits the WAL would only grow: SQLite starts
 * it again from its beginning only when a writer begins while every frame
 * has been copied back, and with a commit every millisecond that moment
 * never comes. Past CKPT_RESTART_FRAMES, right after a passive checkpoint
 * (which does the copying without holding anyone up), a RESTART checkpoint
 * holds writers off for the few frames committed since, the database sync
 * and the readers still on older frames (a millisecond or so; it gives up
 * after 20 ms and is not tried again for another CKPT_FRAMES), and the next
 * writer starts the WAL again: the file stops growing and its blocks are
 * overwritten, so a sync of it writes no file-size metadata. (A TRUNCATE
 * checkpoint, which also shrinks the file, cost 90-300 ms.)
 * journal_size_limit (128 MiB) shrinks a WAL that a burst made larger. */
static void *checkpointer(void *arg)
{
	struct syncer *s = arg;
	sqlite3 *h = NULL;
	int restart_retry_at = 0;
	kf_log_thread("checkpoint");
	pthread_mutex_lock(&s->mu);
	while (!s->ckpt_stop) {
		if (!kf_ckpt_due(&s->ckpt, CKPT_FRAMES)) {
			/* Also 5 s after the last commit, so that a quiet
			 * store's WAL is copied back too. */
			struct timespec t;
			clock_gettime(CLOCK_REALTIME, &t);
			t.tv_sec += 5;
			if (pthread_cond_timedwait(&s->ckpt_cv, &s->mu, &t) != ETIMEDOUT ||
			    s->ckpt_stop || !kf_ckpt_quiet_due(&s->ckpt))
				continue;
		}
		int frames = s->ckpt.wal_frames, log = -1;
		bool ran = false;
		pthread_mutex_unlock(&s->mu);
		/* Through kefu's VFS, as every connection of the process on the
		 * file (see sqlite_walvfs.c, the read locks it keeps). */
		if (!h &&
		    sqlite3_open_v2(s->path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
				    walvfs_rc == SQLITE_OK ? KF_WALVFS_NAME : NULL) != SQLITE_OK) {
			kf_log_error("checkpointer cannot open %s", s->path);
			sqlite3_close(h);
			h = NULL;
		}
		/* A connection that has not read the database yet does not know
		 * it is in WAL mode, and its checkpoints do nothing. */
		if (h &&
		    sqlite3_exec(h, "PRAGMA journal_mode=WAL", NULL, NULL, NULL) != SQLITE_OK) {
			kf_log_error("checkpointer cannot read %s: %s", s->path, sqlite3_errmsg(h));
			sqlite3_close(h);
			h = NULL;
		}
		if (h) {
			sqlite3_busy_handler(h, busy_wait, (void *)&restart_wait_us);
			int done = 0;
			int rc = sqlite3_wal_checkpoint_v2(h, NULL, SQLITE_CHECKPOINT_PASSIVE, &log,
							   &done);
			/* After a RESTART gave up (a reader kept using older
			 * frames: a long report, say), not again until another
			 * CKPT_FRAMES have been committed, so that a long reader
			 * holds writers off 20 ms per CKPT_FRAMES, not all along. */
			if (rc == SQLITE_OK && frames >= CKPT_RESTART_FRAMES &&
			    frames >= restart_retry_at) {
				rc = sqlite3_wal_checkpoint_v2(h, NULL, SQLITE_CHECKPOINT_RESTART,
							       &log, &done);
				restart_retry_at = rc == SQLITE_BUSY ? frames + CKPT_FRAMES : 0;
			}
			ran = rc == SQLITE_OK || rc == SQLITE_BUSY;
			if (!ran)
				kf_log_error("checkpoint of %s failed: %s", s->path,
					     sqlite3_errmsg(h));
		}
		pthread_mutex_lock(&s->mu);
		kf_ckpt_done(&s->ckpt, frames, log);
		if (ran)
			s->checkpoints++;
	}
	pthread_mutex_unlock(&s->mu);
	sqlite3_close(h);
	return NULL;
}

/* After every commit: how many frames the WAL holds. */
static int wal_hook(void *arg, sqlite3 *h, const char *db, int frames)
{
	struct syncer *s = arg;
	pthread_mutex_lock(&s->mu);
	if (kf_ckpt_hook(&s->ckpt, frames, CKPT_FRAMES))
		pthread_cond_signal(&s->ckpt_cv);
	pthread_mutex_unlock(&s->mu);
	return SQLITE_OK;
}

static pthread_mutex_t syncers_mu = PTHREAD_MUTEX_INITIALIZER;
static struct syncer *syncers;

/* The syncer of the database at path, or NULL (with syncers_mu held). */
static struct syncer *syncer_find(const char *path, char wal[4096])
{
	snprintf(wal, 4096, "%s-wal", path);
	struct syncer *s = syncers;
	while (s && strcmp(s->wal_path, wal))
		s = s->next;
	return s;
}

static struct syncer *syncer_get(const char *path)
{
	char wal[4096];
	pthread_mutex_lock(&syncers_mu);
	struct syncer *s = syncer_find(path, wal);
	if (!s) {
		s = kf_xcalloc(1, sizeof *s);
		s->path = kf_xstrdup(path);
		s->wal_path = kf_xstrdup(wal);
		s->fd = -1;
		pthread_mutex_init(&s->mu, NULL);
		pthread_cond_init(&s->cv, NULL);
		pthread_cond_init(&s->ckpt_cv, NULL);
		/* Without the thread, SQLite's automatic checkpoints stay on. */
		s->ckpt_running = pthread_create(&s->ckpt_thread, NULL, checkpointer, s) == 0;
		s->next = syncers;
		syncers = s;
	}
	s->refs++;
	pthread_mutex_unlock(&syncers_mu);
	return s;
}

static uint64_t sq_checkpoints(const char *target)
{
	char wal[4096];
	uint64_t n = 0;
	pthread_mutex_lock(&syncers_mu);
	struct syncer *s = syncer_find(target, wal);
	if (s) {
		pthread_mutex_lock(&s->mu);
		n = s->checkpoints;
		pthread_mutex_unlock(&s->mu);
	}
	pthread_mutex_unlock(&syncers_mu);
	return n;
}

static void syncer_put(struct syncer *s)
{
	pthread_mutex_lock(&syncers_mu);
	if (--s->refs == 0) {
		struct syncer **pp = &syncers;
		while (*pp != s)
			pp = &(*pp)->next;
		*pp = s->next;
		if (s->ckpt_running) {
			pthread_mutex_lock(&s->mu);
			s->ckpt_stop = true;
			pthread_cond_signal(&s->ckpt_cv);
			pthread_mutex_unlock(&s->mu);
			pthread_join(s->ckpt_thread, NULL);
		}
		if (s->fd >= 0)
			close(s->fd);
		pthread_mutex_destroy(&s->mu);
		pthread_cond_destroy(&s->cv);
		pthread_cond_destroy(&s->ckpt_cv);
		free(s->path);
		free(s->wal_path);
		free(s);
	}
	pthread_mutex_unlock(&syncers_mu);
}

/* Syncs the WAL file; reopens it when SQLite has replaced it. */
static int sync_wal(struct syncer *s)
{
	struct stat st;
	if (stat(s->wal_path, &st) != 0)
		return errno == ENOENT ? 0 : -1; /* no WAL: nothing unsynced */
	if (s->fd < 0 || st.st_ino != s->ino) {
		if (s->fd >= 0)
			close(s->fd);
		s->fd = open(s->wal_path, O_RDWR | O_CLOEXEC);
		if (s->fd < 0)
			return -1;
		s->ino = st.st_ino;
	}
	return fdatasync(s->fd);
}

struct sqlite_db {
	struct kf_db base;
	sqlite3 *h;
	struct syncer *syncer;
	struct stmt_entry cache[CACHE_SLOTS];
	/* The entries by where the caller's text is (see prepare). */
	struct stmt_entry *by_text[CACHE_SLOTS];
};

struct sqlite_rows {
	struct kf_rows base;
	struct sqlite_db *db;
	sqlite3_stmt *st;
	struct stmt_entry *entry; /* NULL when not cached: finalize on free */
};

static struct sqlite_db *to_db(struct kf_db *db)
{
	assert(db->ops == &kf_sqlite_ops);
	return (struct sqlite_db *)db;
}

static struct sqlite_rows *to_rows(struct kf_rows *r)
{
	assert(r->ops == &kf_sqlite_ops);
	return (struct sqlite_rows *)r;
}

/* Conflicts reach clients: they get a plain message, the engine's own text
 * (table and constraint names, values) goes to the log only. */
static int store_said(struct kf_err *err, enum kf_errcode code, const char *plain,
		      const char *detail)
{
	kf_log(KF_LOG_DEBUG, NULL, "store: %s", detail);
	return kf_err_set(err, code, "%s", plain);
}

static int map_error(sqlite3 *h, int rc, struct kf_err *err)
{
	int ext = sqlite3_extended_errcode(h);
	const char *msg = sqlite3_errmsg(h);
	switch (ext) {
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
		return store_said(err, KF_ECONFLICT, "that value is already taken", msg);
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		return store_said(err, KF_EINVALID, "a record it refers to does not exist", msg);
	case SQLITE_CONSTRAINT_TRIGGER:
		return store_said(err, KF_ECONFLICT, "the change is not allowed", msg);
	default:
		break;
	}
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		return kf_err_set(err, KF_EUNAVAILABLE, "store busy: %s", msg);
	return kf_err_set(err, KF_EINTERNAL, "sqlite: %s", msg);
}

static pthread_once_t configure_once = PTHREAD_ONCE_INIT;

/* Before SQLite's first use in the process: kefu's allocator (should it
 * fail, SQLite already initialised, SQLite keeps its own: slower, the same
 * results), no memory statistics, which otherwise take a global mutex on
 * every allocation of every connection, and kefu's VFS. */
static void configure(void)
{
	(void)kf_sqlite_mem_install();
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	walvfs_rc = kf_walvfs_register();
}

/* kf_rank(fts_table, weight, weight, …): the FTS5 ranking function of
 * ticket search (T-10); lower is better, as with bm25. Per phrase of the
 * query, tf = the sum over its occurrences of the weight of the column it
 * occurs in; the score is the sum over phrases of tf · (k1 + 1) / (tf + k1)
 * with k1 = 1.2. That is bm25 without its two corpus statistics: no inverse
 * document frequency, which bm25 computes on its first call by reading
 * every match of every phrase (7 to 20 ms at 1 000 000 tickets, whatever
 * the LIMIT), and no length normalisation (a look-up per row, and the
 * average length moves with every insert). So a ticket's score depends on
 * the ticket and the query alone and a result keeps its order from one page
 * to the next, as with PostgreSQL's ts_rank, which ignores length too. */
#define RANK_PHRASES 32
#define RANK_COLUMNS 8
static void kf_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nval,
		    sqlite3_value **val)
{
	const double k1 = 1.2;
	double w[RANK_COLUMNS], score = 0;
	for (int c = 0; c < RANK_COLUMNS; c++)
		w[c] = c < nval ? sqlite3_value_double(val[c]) : 1.0;
	int nphrase = api->xPhraseCount(fts);
	/* Each phrase's occurrences straight from its position list
	 * (xPhraseFirst), not through xInst, which first gathers every
	 * phrase's occurrences into one array, sorted, on every row. */
	for (int p = 0; p < nphrase && p < RANK_PHRASES; p++) {
		Fts5PhraseIter it;
		int col, off;
		double tf = 0;
		int rc = api->xPhraseFirst(fts, p, &it, &col, &off);
		if (rc != SQLITE_OK) {
			sqlite3_result_error_code(ctx, rc);
			return;
		}
		for (; col >= 0; api->xPhraseNext(fts, &it, &col, &off))
			tf += col < RANK_COLUMNS ? w[col] : 1.0;
		score += tf * (k1 + 1) / (tf + k1);
	}
	sqlite3_result_double(ctx, -score);
}

static void rewrite(const char *sql, struct kf_buf *out);

/* kf_merge(id, query, v3, v4, …): whether id is among the ids that query
 * returns, for ids given in descending order (a merge join). query is a
 * SELECT of one column of ids, in descending order, of those at or below
 * its parameter $1; its parameters $2, $3, … are the function's v3, v4, …
 * Ticket search with a filter (T-10) calls it on each match the search
 * index gives, newest first, with the query of the tickets that meet the
 * filter's indexed conditions: the two walks go down together, and the
 * filter's walk seeks again ($1 = the match) when it would otherwise step
 * over more than MERGE_STEPS ids. The query is prepared and its values
 * bound once per run of the calling statement, and kept as the argument's
 * auxiliary data (SQLite keeps it until the statement ends), so the query
 * and values must be the same in every call: they must be bound
 * parameters, and other arguments are refused. Ids that come out of order
 * (a plan that sorted the matches) are answered too, by a seek each. Only
 * kefu's own queries reach it: the function can be used only in top-level
 * SQL (SQLITE_DIRECTONLY) and runs only read-only statements. */
#define MERGE_STEPS 8

struct merge {
	sqlite3_stmt *st;
	int64_t cur;	   /* the walk's current id */
	bool have, placed; /* placed: at or above the ids still to come */
	int64_t last;	   /* the previous call's id */
	bool started;
};

static void merge_free(void *p)
{
	struct merge *m = p;
	sqlite3_finalize(m->st);
	sqlite3_free(m);
}

static int walk_step(struct merge *m)
{
	int rc = sqlite3_step(m->st);
	m->have = rc == SQLITE_ROW;
	if (m->have)
		m->cur = sqlite3_column_int64(m->st, 0);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int walk_seek(struct merge *m, int64_t id)
{
	m->placed = true;
	sqlite3_reset(m->st);
	int rc = sqlite3_bind_int64(m->st, 1, id);
	return rc == SQLITE_OK ? walk_step(m) : rc;
}

/* Moves the walk to the first of its ids at or below id. */
static int walk_to(struct merge *m, int64_t id)
{
	if (!m->placed)
		return walk_seek(m, id);
	int rc = SQLITE_OK;
	for (int steps = 0; rc == SQLITE_OK && m->have && m->cur > id; steps++) {
		if (steps == MERGE_STEPS)
			return walk_seek(m, id);
		rc = walk_step(m);
	}
	return rc;
}

static struct merge *merge_open(sqlite3_context *ctx, int nval, sqlite3_value **val)
{
	for (int i = 1; i < nval; i++)
		if (!sqlite3_value_frombind(val[i])) {
			sqlite3_result_error(
			    ctx, "kf_merge: the query and values must be bound parameters", -1);
			return NULL;
		}
	struct merge *m = sqlite3_malloc64(sizeof *m);
	if (!m) {
		sqlite3_result_error_nomem(ctx);
		return NULL;
	}
	memset(m, 0, sizeof *m);
	sqlite3 *h = sqlite3_context_db_handle(ctx);
	const char *query = (const char *)sqlite3_value_text(val[1]);
	struct kf_buf b;
	kf_buf_init(&b, 0);
	rewrite(query ? query : "", &b);
	int rc = b.len ? sqlite3_prepare_v2(h, b.data, (int)b.len + 1, &m->st, NULL) : SQLITE_OK;
	kf_buf_release(&b);
	if (rc == SQLITE_OK &&
	    (!m->st || !sqlite3_stmt_readonly(m->st) || sqlite3_column_count(m->st) != 1 ||
	     sqlite3_bind_parameter_count(m->st) != nval - 1)) {
		sqlite3_result_error(ctx,
				     "kf_merge: the query is not a read-only query of one column "
				     "with one parameter more than its values",
				     -1);
		merge_free(m);
		return NULL;
	}
	for (int i = 2; rc == SQLITE_OK && i < nval; i++)
		rc = sqlite3_bind_value(m->st, i, val[i]);
	if (rc != SQLITE_OK) {
		sqlite3_result_error(ctx, sqlite3_errmsg(h), -1);
		sqlite3_result_error_code(ctx, rc);
		merge_free(m);
		return NULL;
	}
	return m;
}

static void kf_merge(sqlite3_context *ctx, int nval, sqlite3_value **val)
{
	if (nval < 2) {
		sqlite3_result_error(ctx, "kf_merge: an id and a query are needed", -1);
		return;
	}
	struct merge *m = sqlite3_get_auxdata(ctx, 1);
	bool opened = !m;
	if (opened && !(m = merge_open(ctx, nval, val)))
		return;
	int64_t id = sqlite3_value_int64(val[0]);
	if (m->started && id > m->last) /* out of order: the walk is past it */
		m->placed = false;
	int rc = walk_to(m, id);
	m->started = true;
	m->last = id;
	if (rc != SQLITE_OK) {
		sqlite3_result_error(ctx, sqlite3_errmsg(sqlite3_context_db_handle(ctx)), -1);
		sqlite3_result_error_code(ctx, rc);
	} else {
		sqlite3_result_int(ctx, m->have && m->cur == id);
	}
	/* Last: SQLite may free it at once (it does when the argument is not
	 * a constant). */
	if (opened)
		sqlite3_set_auxdata(ctx, 1, m, merge_free);
}

static int register_functions(sqlite3 *h)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(h, "SELECT fts5(?1)", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
		sqlite3_step(st);
		rc = sqlite3_finalize(st);
	}
	if (rc == SQLITE_OK && !api)
		rc = SQLITE_ERROR;
	if (rc == SQLITE_OK)
		rc = api->xCreateFunction(api, "kf_rank", NULL, kf_rank, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function(h, "kf_merge", -1, SQLITE_UTF8 | SQLITE_DIRECTONLY,
					     NULL, kf_merge, NULL, NULL);
	return rc;
}

static int sq_connect(const char *target, struct kf_db **out, struct kf_err *err)
{
	sqlite3 *h = NULL;
	pthread_once(&configure_once, configure);
	/* Without the VFS of sqlite_walvfs.c (it could not be registered), the
	 * default one: slower commits, the same data. */
	int rc = sqlite3_open_v2(target, &h,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
				 walvfs_rc == SQLITE_OK ? KF_WALVFS_NAME : NULL);
	if (rc != SQLITE_OK) {
		kf_err_set(err, KF_EUNAVAILABLE, "cannot open sqlite database %s: %s", target,
			   h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
		sqlite3_close(h);
		return KF_EUNAVAILABLE;
	}
	sqlite3_busy_handler(h, busy_wait, (void *)&busy_timeout_us);
	sqlite3_extended_result_codes(h, 1);
	char *msg = NULL;
	/* mmap_size: reads use the kernel's page cache in place instead of
	 * copying each page into this connection's cache with pread (five
	 * preads per ticket read on a 3 GB store, none with it). The mapped
	 * pages are the kernel's page cache, shared; a connection's mapping
	 * costs address space and page tables (about 2 MB per GB it has
	 * read). SQLite caps its own mapping at its build's limit (2 GiB on
	 * Debian 12); kefu's VFS maps the whole file instead (64 GiB of
	 * address space a connection, sqlite_walvfs.c; any non-zero
	 * mmap_size turns that on, 0 off). The page cache
	 * (cache_size) stays at SQLite's 2 MiB per connection: with the
	 * mapping it holds pages from the WAL and pages being written.
	 * docs/performance.md has the measurements. */
	rc = sqlite3_exec(h,
			  "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
			  "PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY; "
			  "PRAGMA mmap_size=68719476736; PRAGMA journal_size_limit=134217728;",
			  NULL, NULL, &msg);
	if (rc == SQLITE_OK && (rc = register_functions(h)) != SQLITE_OK)
		msg = sqlite3_mprintf("cannot register kefu's functions: %s", sqlite3_errstr(rc));
	if (rc != SQLITE_OK) {
		kf_err_set(err, KF_EUNAVAILABLE, "cannot configure sqlite database %s: %s", target,
			   msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		sqlite3_close(h);
		return KF_EUNAVAILABLE;
	}
	struct sqlite_db *db = kf_xcalloc(1, sizeof *db);
	db->base.ops = &kf_sqlite_ops;
	db->h = h;
	db->syncer = syncer_get(target);
	/* Replaces SQLite's automatic checkpoint (see struct syncer). */
	if (db->syncer->ckpt_running)
		sqlite3_wal_hook(h, wal_hook, db->syncer);
	*out = &db->base;
	return 0;
}

static void sq_disconnect(struct kf_db *base)
{
	struct sqlite_db *db = to_db(base);
	for (int i = 0; i < CACHE_SLOTS; i++) {
		sqlite3_finalize(db->cache[i].st);
		free(db->cache[i].sql);
	}
	sqlite3_close(db->h);
	syncer_put(db->syncer);
	free(db);
}

static int sq_exec_script(struct kf_db *base, const char *sql, struct kf_err *err)
{
	struct sqlite_db *db = to_db(base);
	char *msg = NULL;
	int rc = sqlite3_exec(db->h, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		kf_err_set(err, KF_EINTERNAL, "sqlite: %s", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return KF_EINTERNAL;
	}
	return 0;
}

/* The cache key's hash, eight bytes at a step: statements are long (a
 * ticket's columns alone are 400 bytes) and hashed on every execution. */
static uint32_t text_hash(const char *s)
{
	size_t n = strlen(s);
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n, w;
	for (; n >= 8; n -= 8, s += 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0x100000001b3ull;
		h ^= h >> 29;
	}
	w = 0;
	memcpy(&w, s, n);
	h ^= w;
	/* MurmurHash3's finaliser: every input bit reaches the slot bits. */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return (uint32_t)h;
}

/* $N → ?N outside quoted strings and identifiers. */
static void rewrite(const char *sql, struct kf_buf *out)
{
	char quote = 0;
	for (const char *p = sql; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == '$' && p[1] >= '0' && p[1] <= '9') {
			kf_buf_addc(out, '?');
			continue;
		}
		kf_buf_addc(out, *p);
	}
}

/* Not in the cache: prepared, and put in slot e unless that is in use. */
static int prepare_new(struct sqlite_db *db, const char *sql, uint32_t h, struct stmt_entry *e,
		       struct stmt_entry **by_text, sqlite3_stmt **st, struct stmt_entry **entry,
		       struct kf_err *err)
{
	struct kf_buf b;
	kf_buf_init(&b, 0);
	rewrite(sql, &b);
	int rc =
	    sqlite3_prepare_v3(db->h, b.data, (int)b.len + 1, SQLITE_PREPARE_PERSISTENT, st, NULL);
	kf_buf_release(&b);
	if (rc != SQLITE_OK)
		return map_error(db->h, rc, err);
	if (!e->busy) {
		/* Replace whatever the slot held. */
		sqlite3_finalize(e->st);
		free(e->sql);
		e->sql = kf_xstrdup(sql);
		e->hash = h;
		e->text = sql;
		*by_text = e;
		e->st = *st;
		e->busy = true;
		*entry = e;
	}
	return 0;
}

static int prepare(struct sqlite_db *db, const char *sql, sqlite3_stmt **st,
		   struct stmt_entry **entry, struct kf_err *err)
{
	/* Statements are mostly string literals, passed from the same place
	 * each time: found first by where the text is, then compared, without
	 * hashing it (a ticket's statement is 1 500 bytes). A text at an
	 * address that held another one before fails the comparison. */
	struct stmt_entry **by_text =
	    &db->by_text[(uint32_t)((uintptr_t)sql >> 3) * 0x9e3779b1u >> 24];
	struct stmt_entry *e = *by_text;
	*entry = NULL;
	if (!e || e->text != sql || !e->st || e->busy || strcmp(e->sql, sql)) {
		uint32_t h = text_hash(sql);
		e = &db->cache[h % CACHE_SLOTS];
		if (!e->st || e->busy || e->hash != h || strcmp(e->sql, sql))
			return prepare_new(db, sql, h, e, by_text, st, entry, err);
		e->text = sql;
		*by_text = e;
	}
	e->busy = true;
	*st = e->st;
	*entry = e;
	return 0;
}

static void unprepare(sqlite3_stmt *st, struct stmt_entry *e)
{
	if (e) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		e->busy = false;
	} else {
		sqlite3_finalize(st);
	}
}

static int bind(struct sqlite_db *db, sqlite3_stmt *st, const struct kf_param *p, int n,
		struct kf_err *err)
{
	for (int i = 0; i < n; i++) {
		int rc;
		switch (p[i].type) {
		case KF_P_INT:
			rc = sqlite3_bind_int64(st, i + 1, p[i].i);
			break;
		case KF_P_TEXT:
			rc = sqlite3_bind_text(st, i + 1, p[i].s, -1, SQLITE_STATIC);
			break;
		default:
			rc = sqlite3_bind_null(st, i + 1);
		}
		if (rc != SQLITE_OK)
			return map_error(db->h, rc, err);
	}
	return 0;
}

/* A write outside a transaction while a read snapshot is open would turn the
 * snapshot into a write transaction (committed only when the snapshot ends,
 * or refused with SQLITE_BUSY_SNAPSHOT): the snapshot ends first. */
static void end_snapshot_before_write(struct sqlite_db *db, sqlite3_stmt *st)
{
	if (db->base.in_read && !sqlite3_stmt_readonly(st))
		kf_db_read_end(&db->base);
}

static int sq_exec(struct kf_db *base, const char *sql, const struct kf_param *params, int n,
		   int64_t *changes, struct kf_err *err)
{
	struct sqlite_db *db = to_db(base);
	sqlite3_stmt *st;
	struct stmt_entry *e;
	int rc = prepare(db, sql, &st, &e, err);
	if (rc)
		return rc;
	end_snapshot_before_write(db, st);
	rc = bind(db, st, params, n, err);
	if (!rc) {
		int s;
		while ((s = sqlite3_step(st)) == SQLITE_ROW)
			;
		if (s != SQLITE_DONE)
			rc = map_error(db->h, s, err);
		else if (changes)
			*changes = sqlite3_changes64(db->h);
	}
	unprepare(st, e);
	return rc;
}

static int sq_query(struct kf_db *base, const char *sql, const struct kf_param *params, int n,
		    struct kf_rows **rows, struct kf_err *err)
{
	struct sqlite_db *db = to_db(base);
	sqlite3_stmt *st;
	struct stmt_entry *e;
	int rc = prepare(db, sql, &st, &e, err);
	if (rc)
		return rc;
	end_snapshot_before_write(db, st);
	if ((rc = bind(db, st, params, n, err))) {
		unprepare(st, e);
		return rc;
	}
	struct sqlite_rows *r = kf_xmalloc(sizeof *r);
	r->base.ops = &kf_sqlite_ops;
	r->db = db;
	r->st = st;
	r->entry = e;
	*rows = &r->base;
	return 0;
}

static int sq_next(struct kf_rows *base, struct kf_err *err)
{
	struct sqlite_rows *r = to_rows(base);
	int s = sqlite3_step(r->st);
	if (s == SQLITE_ROW)
		return 1;
	if (s == SQLITE_DONE)
		return 0;
	return map_error(r->db->h, s, err);
}

static const char *sq_text(struct kf_rows *base, int col)
{
	return (const char *)sqlite3_column_text(to_rows(base)->st, col);
}

static int64_t sq_int(struct kf_rows *base, int col)
{
	return sqlite3_column_int64(to_rows(base)->st, col);
}

static bool sq_isnull(struct kf_rows *base, int col)
{
	return sqlite3_column_type(to_rows(base)->st, col) == SQLITE_NULL;
}

static void sq_free_rows(struct kf_rows *base)
{
	struct sqlite_rows *r = to_rows(base);
	unprepare(r->st, r->entry);
	free(r);
}

static uint64_t sq_committed(struct kf_db *base)
{
	struct syncer *s = to_db(base)->syncer;
	pthread_mutex_lock(&s->mu);
	uint64_t mine = ++s->committed;
	pthread_mutex_unlock(&s->mu);
	return mine;
}

static int sq_wait_durable(struct kf_db *base, uint64_t mine, struct kf_err *err)
{
	struct syncer *s = to_db(base)->syncer;
	pthread_mutex_lock(&s->mu);
	int rc = 0;
	while (s->durable < mine) {
		if (s->failed) {
			rc = kf_err_set(err, KF_EUNAVAILABLE,
					"the database log could not be synced (%s); restart kefu",
					strerror(s->failed));
			break;
		}
		if (s->syncing) {
			pthread_cond_wait(&s->cv, &s->mu);
			continue;
		}
		/* Lead a sync for every commit so far, mine included. */
		s->syncing = true;
		uint64_t upto = s->committed;
		pthread_mutex_unlock(&s->mu);
		int sr = sync_wal(s);
		int saved = errno;
		pthread_mutex_lock(&s->mu);
		s->syncing = false;
		if (sr == 0)
			s->durable = upto;
		else if (!s->failed) {
			s->failed = saved ? saved : EIO;
			kf_log_error("fdatasync of %s failed: %s; writes refused until restart",
				     s->wal_path, strerror(s->failed));
		}
		pthread_cond_broadcast(&s->cv);
	}
	pthread_mutex_unlock(&s->mu);
	return rc;
}

/* No write transaction after a failed sync (struct syncer, failed). */
static int sq_after_begin(struct kf_db *base, struct kf_err *err)
{
	struct syncer *s = to_db(base)->syncer;
	pthread_mutex_lock(&s->mu);
	int failed = s->failed;
	pthread_mutex_unlock(&s->mu);
	if (failed)
		return kf_err_set(err, KF_EUNAVAILABLE,
				  "the database log could not be synced (%s); restart kefu",
				  strerror(failed));
	return 0;
}

static int sq_lock_migrations(struct kf_db *db, struct kf_err *err)
{
	return 0; /* BEGIN IMMEDIATE already holds the write lock */
}

const struct kf_store_ops kf_sqlite_ops = {
    .name = "sqlite",
    .engine = KF_ENGINE_SQLITE,
    .migrations = "src/store/migrations/sqlite/",
    .connect = sq_connect,
    .disconnect = sq_disconnect,
    .exec_script = sq_exec_script,
    .exec = sq_exec,
    .query = sq_query,
    .next = sq_next,
    .text = sq_text,
    .integer = sq_int,
    .isnull = sq_isnull,
    .free_rows = sq_free_rows,
    .committed = sq_committed,
    .after_begin = sq_after_begin,
    .wait_durable = sq_wait_durable,
    .checkpoints = sq_checkpoints,
    .begin_sql = "BEGIN IMMEDIATE",
    .read_begin_sql = "BEGIN",
    .lock_migrations = sq_lock_migrations,
};
