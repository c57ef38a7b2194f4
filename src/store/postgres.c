/* The PostgreSQL engine (libpq). Parameters go as text with types inferred
 * by the server; results are read whole since every query of kefu is bounded
 * by a LIMIT. SQLSTATEs map to kefu error codes.
 *
 * Each connection keeps a cache of prepared statements keyed by SQL text,
 * like the SQLite engine's: a statement is prepared (PQprepare: parsed,
 * analysed, and planned by the server's plan cache) the first time the
 * connection sees its text and executed with PQexecPrepared after that.
 * Planning the ticket view's join alone took three times as long as running
 * it. The server holds the statements for the session, so the cache is
 * emptied when the connection is reset, and after a migration script. The
 * server's plan_cache_mode (auto) decides per statement between a generic
 * plan and one planned for the values, as for any prepared statement. kefu
 * needs session-level connections (no transaction pooling in front). */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libpq-fe.h>
#include "store/engine.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define MAX_PARAMS 64
/* jit off: kefu's statements are short and index-driven; at 1 000 000
 * tickets the planner's cost estimates for a search passed jit_above_cost
 * and compiling took longer than running (issue 3). */
#define SESSION_SETTINGS "SET TIME ZONE 'UTC'; SET client_encoding = 'UTF8'; SET jit = off"
#define CACHE_SLOTS	 256

struct stmt_entry {
	char *sql; /* the text, the cache key; NULL for an empty slot */
	uint32_t hash;
	unsigned id; /* prepared as "kf<id>" */
};

struct pg_db {
	struct kf_db base;
	PGconn *conn;
	struct stmt_entry cache[CACHE_SLOTS];
	unsigned next_id;
};

struct pg_rows {
	struct kf_rows base;
	PGresult *res;
	int row, nrows;
};

static struct pg_db *to_db(struct kf_db *db)
{
	assert(db->ops == &kf_postgres_ops);
	return (struct pg_db *)db;
}

static struct pg_rows *to_rows(struct kf_rows *r)
{
	assert(r->ops == &kf_postgres_ops);
	return (struct pg_rows *)r;
}

static void notice_quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

static int pg_connect(const char *target, struct kf_db **out, struct kf_err *err)
{
	PGconn *c = PQconnectdb(target);
	if (PQstatus(c) != CONNECTION_OK) {
		kf_err_set(err, KF_EUNAVAILABLE, "cannot connect to PostgreSQL: %s",
			   PQerrorMessage(c));
		PQfinish(c);
		return KF_EUNAVAILABLE;
	}
	PQsetNoticeProcessor(c, notice_quiet, NULL);
	PGresult *r = PQexec(c, SESSION_SETTINGS);
	PQclear(r);
	struct pg_db *db = kf_xcalloc(1, sizeof *db);
	db->base.ops = &kf_postgres_ops;
	db->conn = c;
	*out = &db->base;
	return 0;
}

/* Forgets every prepared statement (the server's session has none). */
static void cache_clear(struct pg_db *db)
{
	for (int i = 0; i < CACHE_SLOTS; i++) {
		free(db->cache[i].sql);
		db->cache[i].sql = NULL;
	}
}

static void pg_disconnect(struct kf_db *base)
{
	struct pg_db *db = to_db(base);
	cache_clear(db);
	PQfinish(db->conn);
	free(db);
}

/* Conflicts reach clients: they get a plain message, the engine's own text
 * (table and constraint names, values) goes to the log only. */
static int store_said(struct kf_err *err, enum kf_errcode code, const char *plain,
		      const char *detail)
{
	kf_log(KF_LOG_DEBUG, NULL, "store: %s", detail);
	return kf_err_set(err, code, "%s", plain);
}

static int map_error(struct pg_db *db, PGresult *res, struct kf_err *err)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(db->conn);
	if (PQstatus(db->conn) != CONNECTION_OK) {
		/* A new session: no statement is prepared in it. */
		cache_clear(db);
		PQreset(db->conn);
		/* A new connection needs the session settings again. */
		if (PQstatus(db->conn) == CONNECTION_OK)
			PQclear(PQexec(db->conn, SESSION_SETTINGS));
		return kf_err_set(err, KF_EUNAVAILABLE, "PostgreSQL connection lost: %s", msg);
	}
	if (state) {
		if (!strcmp(state, "23505"))
			return store_said(err, KF_ECONFLICT, "that value is already taken", msg);
		if (!strcmp(state, "23503"))
			return store_said(err, KF_EINVALID, "a record it refers to does not exist",
					  msg);
		if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03"))
			return kf_err_set(err, KF_EUNAVAILABLE, "store busy: %s", msg);
		if (!strcmp(state, "P0001"))
			return store_said(err, KF_ECONFLICT, "the change is not allowed", msg);
	}
	return kf_err_set(err, KF_EINTERNAL, "postgres: %s", msg);
}

static int pg_exec_script(struct kf_db *base, const char *sql, struct kf_err *err)
{
	struct pg_db *db = to_db(base);
	PGresult *res = PQexec(db->conn, sql);
	int rc = 0;
	ExecStatusType st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		rc = map_error(db, res, err);
	PQclear(res);
	/* A migration may change what a prepared statement returns ("cached
	 * plan must not change result type"): prepare afresh after one. */
	if (!rc) {
		PQclear(PQexec(db->conn, "DEALLOCATE ALL"));
		cache_clear(db);
	}
	return rc;
}

static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static bool failed(const PGresult *res)
{
	ExecStatusType st = PQresultStatus(res);
	return st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK;
}

/* Runs sql as a prepared statement of this connection, preparing it the
 * first time. Statements that cannot be prepared now (inside a failed
 * transaction, where everything fails anyway) run unprepared, as do those
 * whose prepared copy has vanished from the session (SQLSTATE 26000: then
 * the whole cache is forgotten). */
static PGresult *exec_cached(struct pg_db *db, const char *sql, int n, const char *const *values)
{
	uint32_t h = fnv1a(sql);
	struct stmt_entry *e = &db->cache[h % CACHE_SLOTS];
	char name[16];
	if (!e->sql || e->hash != h || strcmp(e->sql, sql)) {
		if (PQtransactionStatus(db->conn) == PQTRANS_INERROR)
			return PQexecParams(db->conn, sql, n, NULL, values, NULL, NULL, 0);
		if (e->sql) {
			/* The slot's statement gives way (a rarely used text, or one
			 * with the same hash slot). */
			snprintf(name, sizeof name, "kf%u", e->id);
			char dealloc[32];
			snprintf(dealloc, sizeof dealloc, "DEALLOCATE %s", name);
			PQclear(PQexec(db->conn, dealloc));
			free(e->sql);
			e->sql = NULL;
		}
		unsigned id = ++db->next_id;
		snprintf(name, sizeof name, "kf%u", id);
		PGresult *res = PQprepare(db->conn, name, sql, n, NULL);
		if (failed(res))
			return res; /* the statement's own error (syntax, a lost connection) */
		PQclear(res);
		e->sql = kf_xstrdup(sql);
		e->hash = h;
		e->id = id;
	}
	snprintf(name, sizeof name, "kf%u", e->id);
	PGresult *res = PQexecPrepared(db->conn, name, n, values, NULL, NULL, 0);
	const char *state = failed(res) ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	if (state && !strcmp(state, "26000")) {
		cache_clear(db);
		/* Outside a transaction nothing was aborted: run it as it is. */
		if (PQtransactionStatus(db->conn) == PQTRANS_IDLE) {
			PQclear(res);
			res = PQexecParams(db->conn, sql, n, NULL, values, NULL, NULL, 0);
		}
	}
	return res;
}

static PGresult *run(struct pg_db *db, const char *sql, const struct kf_param *p, int n,
		     struct kf_err *err, int *rc)
{
	const char *small_values[MAX_PARAMS] = {0};
	char small_ints[MAX_PARAMS][24];
	const char **values = small_values;
	char(*ints)[24] = small_ints;
	if (n > 65535) {
		*rc = kf_err_set(err, KF_EINTERNAL, "too many parameters (%d)", n);
		return NULL;
	}
	if (n > MAX_PARAMS) {
		values = kf_xcalloc((size_t)n, sizeof *values);
		ints = kf_xcalloc((size_t)n, sizeof *ints);
	}
	for (int i = 0; i < n; i++) {
		switch (p[i].type) {
		case KF_P_INT:
			snprintf(ints[i], sizeof ints[i], "%lld", (long long)p[i].i);
			values[i] = ints[i];
			break;
		case KF_P_TEXT:
			values[i] = p[i].s;
			break;
		default:
			values[i] = NULL;
		}
	}
	PGresult *res = exec_cached(db, sql, n, values);
	if (values != small_values) {
		free(values);
		free(ints);
	}
	ExecStatusType st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		*rc = map_error(db, res, err);
		PQclear(res);
		return NULL;
	}
	*rc = 0;
	return res;
}

static int pg_exec(struct kf_db *base, const char *sql, const struct kf_param *params, int n,
		   int64_t *changes, struct kf_err *err)
{
	int rc;
	PGresult *res = run(to_db(base), sql, params, n, err, &rc);
	if (!res)
		return rc;
	if (changes) {
		const char *t = PQcmdTuples(res);
		*changes = *t ? strtoll(t, NULL, 10) : 0;
	}
	PQclear(res);
	return 0;
}

static int pg_query(struct kf_db *base, const char *sql, const struct kf_param *params, int n,
		    struct kf_rows **rows, struct kf_err *err)
{
	int rc;
	PGresult *res = run(to_db(base), sql, params, n, err, &rc);
	if (!res)
		return rc;
	struct pg_rows *r = kf_xmalloc(sizeof *r);
	r->base.ops = &kf_postgres_ops;
	r->res = res;
	r->row = -1;
	r->nrows = PQntuples(res);
	*rows = &r->base;
	return 0;
}

static int pg_next(struct kf_rows *base, struct kf_err *err)
{
	struct pg_rows *r = to_rows(base);
	if (r->row + 1 >= r->nrows)
		return 0;
	r->row++;
	return 1;
}

static const char *pg_text(struct kf_rows *base, int col)
{
	struct pg_rows *r = to_rows(base);
	if (PQgetisnull(r->res, r->row, col))
		return NULL;
	return PQgetvalue(r->res, r->row, col);
}

static int64_t pg_int(struct kf_rows *base, int col)
{
	struct pg_rows *r = to_rows(base);
	if (PQgetisnull(r->res, r->row, col))
		return 0;
	const char *v = PQgetvalue(r->res, r->row, col);
	if (!strcmp(v, "t"))
		return 1;
	if (!strcmp(v, "f"))
		return 0;
	return strtoll(v, NULL, 10);
}

static bool pg_isnull(struct kf_rows *base, int col)
{
	struct pg_rows *r = to_rows(base);
	return PQgetisnull(r->res, r->row, col);
}

static void pg_free_rows(struct kf_rows *base)
{
	struct pg_rows *r = to_rows(base);
	PQclear(r->res);
	free(r);
}

static int pg_after_begin(struct kf_db *db, struct kf_err *err)
{
	return pg_exec(db, "SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE", NULL, 0, NULL,
		       err);
}

static int pg_lock_migrations(struct kf_db *db, struct kf_err *err)
{
	/* Two nodes starting at once must not both migrate. */
	return pg_exec(db, "SELECT pg_advisory_xact_lock(4242001)", NULL, 0, NULL, err);
}

const struct kf_store_ops kf_postgres_ops = {
    .name = "postgres",
    .engine = KF_ENGINE_POSTGRES,
    .migrations = "src/store/migrations/postgres/",
    .connect = pg_connect,
    .disconnect = pg_disconnect,
    .exec_script = pg_exec_script,
    .exec = pg_exec,
    .query = pg_query,
    .next = pg_next,
    .text = pg_text,
    .integer = pg_int,
    .isnull = pg_isnull,
    .free_rows = pg_free_rows,
    .after_begin = pg_after_begin,
    .begin_sql = "BEGIN",
    .lock_migrations = pg_lock_migrations,
};
