/* The SQLite engine: one connection per worker, WAL journal, foreign keys on,
 * a busy timeout, and a per-connection cache of prepared statements keyed by
 * SQL text. SQL arrives with $N placeholders and is rewritten to ?N. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "store/engine.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define CACHE_SLOTS 256

struct stmt_entry {
	char *sql; /* the original text, the cache key */
	uint32_t hash;
	sqlite3_stmt *st;
	bool busy;
};

struct sqlite_db {
	struct kf_db base;
	sqlite3 *h;
	struct stmt_entry cache[CACHE_SLOTS];
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

static int map_error(sqlite3 *h, int rc, struct kf_err *err)
{
	int ext = sqlite3_extended_errcode(h);
	const char *msg = sqlite3_errmsg(h);
	switch (ext) {
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
		return kf_err_set(err, KF_ECONFLICT, "duplicate: %s", msg);
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		return kf_err_set(err, KF_EINVALID, "reference to a missing record: %s", msg);
	case SQLITE_CONSTRAINT_TRIGGER:
		return kf_err_set(err, KF_ECONFLICT, "refused by the store: %s", msg);
	default:
		break;
	}
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		return kf_err_set(err, KF_EUNAVAILABLE, "store busy: %s", msg);
	return kf_err_set(err, KF_EINTERNAL, "sqlite: %s", msg);
}

static int sq_connect(const char *target, struct kf_db **out, struct kf_err *err)
{
	sqlite3 *h = NULL;
	int rc = sqlite3_open_v2(
	    target, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		kf_err_set(err, KF_EUNAVAILABLE, "cannot open sqlite database %s: %s", target,
			   h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
		sqlite3_close(h);
		return KF_EUNAVAILABLE;
	}
	sqlite3_busy_timeout(h, 10000);
	sqlite3_extended_result_codes(h, 1);
	char *msg = NULL;
	rc = sqlite3_exec(h,
			  "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
			  "PRAGMA synchronous=FULL; PRAGMA temp_store=MEMORY;",
			  NULL, NULL, &msg);
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

static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
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

static int prepare(struct sqlite_db *db, const char *sql, sqlite3_stmt **st,
		   struct stmt_entry **entry, struct kf_err *err)
{
	uint32_t h = fnv1a(sql);
	struct stmt_entry *e = &db->cache[h % CACHE_SLOTS];
	*entry = NULL;
	if (e->st && !e->busy && e->hash == h && !strcmp(e->sql, sql)) {
		e->busy = true;
		*st = e->st;
		*entry = e;
		return 0;
	}
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
		e->st = *st;
		e->busy = true;
		*entry = e;
	}
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

static int sq_exec(struct kf_db *base, const char *sql, const struct kf_param *params, int n,
		   int64_t *changes, struct kf_err *err)
{
	struct sqlite_db *db = to_db(base);
	sqlite3_stmt *st;
	struct stmt_entry *e;
	int rc = prepare(db, sql, &st, &e, err);
	if (rc)
		return rc;
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
    .begin_sql = "BEGIN IMMEDIATE",
    .lock_migrations = sq_lock_migrations,
};
