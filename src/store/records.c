/* SQL for the base records, written once for both engines. */
#include <stdio.h>
#include <string.h>
#include "store/records.h"
#include "util/buf.h"
#include "util/crypto.h"

/* Runs a query and hands each row to fn; stops at limit rows. */
static int each_row(struct kf_db *db, const char *sql, const struct kf_param *p, int n,
		    void (*fn)(struct kf_rows *, struct kf_arena *, void *, int),
		    struct kf_arena *a, void *items, int *count, int max, struct kf_err *err)
{
	struct kf_rows *r;
	int rc = kf_db_query(db, sql, p, n, &r, err);
	if (rc)
		return rc;
	int i = 0;
	while (i < max && (rc = kf_rows_next(r, err)) == 1)
		fn(r, a, items, i++);
	kf_rows_free(r);
	if (count)
		*count = i;
	return rc < 0 ? rc : 0;
}

/* ---- users ---- */

#define USER_COLS                                                                                  \
	"id, login, name, role, level, team_id, hired_on, password_hash, active, created_at, "     \
	"updated_at, version"

static void read_user(struct kf_rows *r, struct kf_arena *a, void *items, int i)
{
	struct kf_user *u = (struct kf_user *)items + i;
	u->id = kf_rows_int(r, 0);
	u->login = kf_rows_dup(r, 1, a);
	u->name = kf_rows_dup(r, 2, a);
	u->role = kf_rows_dup(r, 3, a);
	u->level = kf_rows_dup(r, 4, a);
	u->team_id = kf_rows_int(r, 5);
	u->hired_on = kf_rows_dup(r, 6, a);
	u->password_hash = kf_rows_dup(r, 7, a);
	u->active = kf_rows_int(r, 8) != 0;
	u->created_at = kf_rows_int(r, 9);
	u->updated_at = kf_rows_int(r, 10);
	u->version = kf_rows_int(r, 11);
}

int kf_store_user_insert(struct kf_db *db, struct kf_user *u, struct kf_err *err)
{
	struct kf_param p[] = {KP_TEXT(u->login),
			       KP_TEXT(u->name),
			       KP_TEXT(u->role),
			       KP_TEXT(u->level),
			       kf_param_opt_int(u->team_id > 0, u->team_id),
			       KP_TEXT(u->hired_on),
			       KP_TEXT(u->password_hash),
			       KP_INT(u->active),
			       KP_INT(u->created_at),
			       KP_INT(u->updated_at)};
	u->version = 1;
	int rc = kf_db_query_int(db,
				 "INSERT INTO users (login, name, role, level, team_id, hired_on, "
				 "password_hash, active, created_at, updated_at, version) VALUES "
				 "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1) RETURNING id",
				 p, 10, &u->id, err);
	if (rc == KF_ECONFLICT)
		return kf_err_field(err, KF_ECONFLICT, "login", "login %s is already taken",
				    u->login);
	return rc < 0 ? rc : 0;
}

static int user_one(struct kf_db *db, const char *sql, struct kf_param p, struct kf_arena *a,
		    struct kf_user *out, struct kf_err *err)
{
	int n = 0;
	int rc = each_row(db, sql, &p, 1, read_user, a, out, &n, 1, err);
	if (rc)
		return rc;
	return n ? 0 : kf_err_set(err, KF_ENOTFOUND, "user not found");
}

int kf_store_user_get(struct kf_db *db, int64_t id, struct kf_arena *a, struct kf_user *out,
		      struct kf_err *err)
{
	return user_one(db, "SELECT " USER_COLS " FROM users WHERE id = $1", KP_INT(id), a, out,
			err);
}

int kf_store_user_by_login(struct kf_db *db, const char *login, struct kf_arena *a,
			   struct kf_user *out, struct kf_err *err)
{
	return user_one(db, "SELECT " USER_COLS " FROM users WHERE login = $1", KP_TEXT(login), a,
			out, err);
}

int kf_store_user_list(struct kf_db *db, int64_t after_id, int limit, struct kf_arena *a,
		       struct kf_user **items, int *n, struct kf_err *err)
{
	*items = kf_arena_zalloc(a, sizeof **items * (size_t)(limit > 0 ? limit : 1));
	struct kf_param p[] = {KP_INT(after_id), KP_INT(limit)};
	return each_row(db, "SELECT " USER_COLS " FROM users WHERE id > $1 ORDER BY id LIMIT $2", p,
			2, read_user, a, *items, n, limit, err);
}

int kf_store_user_update(struct kf_db *db, struct kf_user *u, struct kf_err *err)
{
	struct kf_param p[] = {KP_TEXT(u->name),     KP_TEXT(u->role),
			       KP_TEXT(u->level),    kf_param_opt_int(u->team_id > 0, u->team_id),
			       KP_TEXT(u->hired_on), KP_TEXT(u->password_hash),
			       KP_INT(u->active),    KP_INT(u->updated_at),
			       KP_INT(u->id),	     KP_INT(u->version)};
	int64_t changed = 0;
	int rc = kf_db_exec(db,
			    "UPDATE users SET name = $1, role = $2, level = $3, team_id = $4, "
			    "hired_on = $5, password_hash = $6, active = $7, updated_at = $8, "
			    "version = version + 1 WHERE id = $9 AND version = $10",
			    p, 10, &changed, err);
	if (rc)
		return rc;
	if (!changed)
		return kf_err_field(err, KF_ECONFLICT, "version",
				    "user %lld was changed by someone else (version %lld is stale)",
				    (long long)u->id, (long long)u->version);
	u->version++;
	kf_db_auth_changed(db);
	return 0;
}

int kf_store_user_count(struct kf_db *db, int64_t *n, struct kf_err *err)
{
	int rc = kf_db_query_int(db, "SELECT COUNT(*) FROM users", NULL, 0, n, err);
	return rc < 0 ? rc : 0;
}

/* ---- teams ---- */

static void read_team(struct kf_rows *r, struct kf_arena *a, void *items, int i)
{
	struct kf_team *t = (struct kf_team *)items + i;
	t->id = kf_rows_int(r, 0);
	t->name = kf_rows_dup(r, 1, a);
	t->created_at = kf_rows_int(r, 2);
	t->version = kf_rows_int(r, 3);
}

int kf_store_team_insert(struct kf_db *db, struct kf_team *t, struct kf_err *err)
{
	struct kf_param p[] = {KP_TEXT(t->name), KP_INT(t->created_at)};
	t->version = 1;
	int rc =
	    kf_db_query_int(db, "INSERT INTO teams (name, created_at) VALUES ($1, $2) RETURNING id",
			    p, 2, &t->id, err);
	if (rc == KF_ECONFLICT)
		return kf_err_field(err, KF_ECONFLICT, "name", "a team named %s exists", t->name);
	return rc < 0 ? rc : 0;
}

int kf_store_team_get(struct kf_db *db, int64_t id, struct kf_arena *a, struct kf_team *out,
		      struct kf_err *err)
{
	struct kf_param p = KP_INT(id);
	int n = 0;
	int rc = each_row(db, "SELECT id, name, created_at, version FROM teams WHERE id = $1", &p,
			  1, read_team, a, out, &n, 1, err);
	if (rc)
		return rc;
	return n ? 0 : kf_err_set(err, KF_ENOTFOUND, "team %lld not found", (long long)id);
}

int kf_store_team_by_name(struct kf_db *db, const char *name, struct kf_arena *a,
			  struct kf_team *out, struct kf_err *err)
{
	struct kf_param p = KP_TEXT(name);
	int n = 0;
	int rc = each_row(db, "SELECT id, name, created_at, version FROM teams WHERE name = $1", &p,
			  1, read_team, a, out, &n, 1, err);
	if (rc)
		return rc;
	return n ? 0 : kf_err_set(err, KF_ENOTFOUND, "team %s not found", name);
}

int kf_store_team_list(struct kf_db *db, int64_t after_id, int limit, struct kf_arena *a,
		       struct kf_team **items, int *n, struct kf_err *err)
{
	*items = kf_arena_zalloc(a, sizeof **items * (size_t)(limit > 0 ? limit : 1));
	struct kf_param p[] = {KP_INT(after_id), KP_INT(limit)};
	return each_row(db,
			"SELECT id, name, created_at, version FROM teams WHERE id > $1 "
			"ORDER BY id LIMIT $2",
			p, 2, read_team, a, *items, n, limit, err);
}

/* ---- sessions ---- */

int kf_store_session_insert(struct kf_db *db, const char *token_hash, const char *csrf_hash,
			    int64_t user_id, int64_t now, int64_t expires_at, const char *ip,
			    const char *user_agent, int64_t *id, struct kf_err *err)
{
	struct kf_param p[] = {KP_TEXT(token_hash), KP_TEXT(csrf_hash), KP_INT(user_id),
			       KP_INT(now),	    KP_INT(expires_at), KP_TEXT(ip),
			       KP_TEXT(user_agent)};
	int rc =
	    kf_db_query_int(db,
			    "INSERT INTO sessions (token_hash, csrf_hash, user_id, created_at, "
			    "expires_at, last_seen_at, ip, user_agent) VALUES ($1, $2, $3, $4, "
			    "$5, $4, $6, $7) RETURNING id",
			    p, 7, id, err);
	return rc < 0 ? rc : 0;
}

int kf_store_session_lookup(struct kf_db *db, const char *token_hash, int64_t now, int64_t idle_ms,
			    struct kf_arena *a, struct kf_session *s, struct kf_user *u,
			    struct kf_err *err)
{
	struct kf_param p[] = {KP_TEXT(token_hash), KP_INT(now), KP_INT(idle_ms)};
	struct kf_rows *r;
	int rc = kf_db_query(
	    db,
	    "SELECT s.id, s.csrf_hash, s.created_at, s.expires_at, s.last_seen_at, u.id, "
	    "u.login, u.name, u.role, u.level, u.team_id, u.hired_on, u.password_hash, "
	    "u.active, u.created_at, u.updated_at, u.version FROM sessions s JOIN users u ON "
	    "u.id = s.user_id WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND "
	    "s.expires_at > $2 AND (CAST($3 AS BIGINT) <= 0 OR s.last_seen_at + $3 > $2) AND "
	    "u.active = 1",
	    p, 3, &r, err);
	if (rc)
		return rc;
	rc = kf_rows_next(r, err);
	if (rc == 1) {
		s->id = kf_rows_int(r, 0);
		s->csrf_hash = kf_rows_dup(r, 1, a);
		s->created_at = kf_rows_int(r, 2);
		s->expires_at = kf_rows_int(r, 3);
		s->last_seen_at = kf_rows_int(r, 4);
		s->user_id = kf_rows_int(r, 5);
		u->id = s->user_id;
		u->login = kf_rows_dup(r, 6, a);
		u->name = kf_rows_dup(r, 7, a);
		u->role = kf_rows_dup(r, 8, a);
		u->level = kf_rows_dup(r, 9, a);
		u->team_id = kf_rows_int(r, 10);
		u->hired_on = kf_rows_dup(r, 11, a);
		u->password_hash = NULL; /* never needed past sign-in */
		u->active = kf_rows_int(r, 13) != 0;
		u->created_at = kf_rows_int(r, 14);
		u->updated_at = kf_rows_int(r, 15);
		u->version = kf_rows_int(r, 16);
		rc = 0;
	} else if (rc == 0) {
		rc = kf_err_set(err, KF_EUNAUTH, "session expired or not valid; sign in again");
	}
	kf_rows_free(r);
	return rc;
}

int kf_store_session_live(struct kf_db *db, int64_t id, int64_t now, bool *live, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(id), KP_INT(now)};
	int64_t one = 0;
	int rc = kf_db_query_int(db,
				 "SELECT 1 FROM sessions s JOIN users u ON u.id = s.user_id WHERE "
				 "s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND "
				 "u.active = 1",
				 p, 2, &one, err);
	*live = rc == 1;
	return rc < 0 ? rc : 0;
}

int kf_store_session_touch(struct kf_db *db, int64_t id, int64_t now, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(now), KP_INT(id)};
	return kf_db_exec(db, "UPDATE sessions SET last_seen_at = $1 WHERE id = $2", p, 2, NULL,
			  err);
}

int kf_store_session_revoke(struct kf_db *db, int64_t id, int64_t now, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(now), KP_INT(id)};
	int rc = kf_db_exec(
	    db, "UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL", p, 2,
	    NULL, err);
	if (!rc)
		kf_db_auth_changed(db);
	return rc;
}

int kf_store_session_revoke_user(struct kf_db *db, int64_t user_id, int64_t except_id, int64_t now,
				 struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(now), KP_INT(user_id), KP_INT(except_id)};
	int rc =
	    kf_db_exec(db,
		       "UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND id <> $3 AND "
		       "revoked_at IS NULL",
		       p, 3, NULL, err);
	if (!rc)
		kf_db_auth_changed(db);
	return rc;
}

/* ---- sign-in throttling ---- */

int kf_store_throttle_get(struct kf_db *db, const char *key, struct kf_throttle_row *row,
			  struct kf_err *err)
{
	struct kf_param p = KP_TEXT(key);
	struct kf_rows *r;
	memset(row, 0, sizeof *row);
	int rc = kf_db_query(db,
			     "SELECT failures, last_failure_at, locked_until FROM login_throttle "
			     "WHERE key = $1",
			     &p, 1, &r, err);
	if (rc)
		return rc;
	rc = kf_rows_next(r, err);
	if (rc == 1) {
		row->failures = kf_rows_int(r, 0);
		row->last_failure_at = kf_rows_int(r, 1);
		row->locked_until = kf_rows_int(r, 2);
	}
	kf_rows_free(r);
	return rc < 0 ? rc : 0;
}

int kf_store_throttle_put(struct kf_db *db, const char *key, const struct kf_throttle_row *row,
			  struct kf_err *err)
{
	struct kf_param p[] = {KP_TEXT(key), KP_INT(row->failures), KP_INT(row->last_failure_at),
			       KP_INT(row->locked_until)};
	return kf_db_exec(
	    db,
	    "INSERT INTO login_throttle (key, failures, last_failure_at, locked_until) "
	    "VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO UPDATE SET failures = $2, "
	    "last_failure_at = $3, locked_until = $4",
	    p, 4, NULL, err);
}

int kf_store_throttle_clear(struct kf_db *db, const char *key, struct kf_err *err)
{
	struct kf_param p = KP_TEXT(key);
	return kf_db_exec(db, "DELETE FROM login_throttle WHERE key = $1", &p, 1, NULL, err);
}

/* ---- audit chain (S-3) ---- */

/* The hash covers every field and the previous hash, separated by a byte
 * that cannot occur in UTF-8 text, so no two entries serialise alike. */
static void audit_hash(const struct kf_audit_entry *e, const char *prev, char out[65])
{
	struct kf_buf b;
	kf_buf_init(&b, 0);
	kf_buf_addf(&b, "%lld\x1f%lld\x1f%lld\x1f", (long long)e->seq, (long long)e->at,
		    (long long)e->actor_id);
	const char *fields[] = {e->actor_login, e->action, e->target_type, e->target_id,
				e->detail,	e->ip,	   e->request_id,  prev};
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
		kf_buf_adds(&b, fields[i] ? fields[i] : "\xff");
		kf_buf_addc(&b, '\x1f');
	}
	kf_crypto_sha256_hex(b.data, b.len, out);
	kf_buf_release(&b);
}

int kf_store_audit_append(struct kf_db *db, struct kf_audit_entry *e, struct kf_arena *a,
			  struct kf_err *err)
{
	if (!kf_db_in_tx(db))
		return kf_err_set(err, KF_EINTERNAL, "audit append outside a transaction");
	struct kf_rows *r;
	const char *lock = kf_db_engine(db) == KF_ENGINE_POSTGRES
			       ? "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE"
			       : "SELECT seq, hash FROM audit_head WHERE id = 1";
	int rc = kf_db_query(db, lock, NULL, 0, &r, err);
	if (rc)
		return rc;
	rc = kf_rows_next(r, err);
	if (rc == 1) {
		e->seq = kf_rows_int(r, 0) + 1;
		e->prev_hash = kf_rows_dup(r, 1, a);
		rc = 0;
	} else if (rc == 0) {
		rc = kf_err_set(err, KF_EINTERNAL, "audit head is missing");
	}
	kf_rows_free(r);
	if (rc)
		return rc;
	char h[65];
	audit_hash(e, e->prev_hash, h);
	e->hash = kf_arena_strdup(a, h);
	struct kf_param p[] = {KP_INT(e->seq),
			       KP_INT(e->at),
			       kf_param_opt_int(e->actor_id > 0, e->actor_id),
			       KP_TEXT(e->actor_login),
			       KP_TEXT(e->action),
			       KP_TEXT(e->target_type),
			       KP_TEXT(e->target_id),
			       KP_TEXT(e->detail),
			       KP_TEXT(e->ip),
			       KP_TEXT(e->request_id),
			       KP_TEXT(e->prev_hash),
			       KP_TEXT(e->hash)};
	rc = kf_db_exec(db,
			"INSERT INTO audit_log (seq, at, actor_id, actor_login, action, "
			"target_type, target_id, detail, ip, request_id, prev_hash, hash) VALUES "
			"($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
			p, 12, NULL, err);
	if (rc)
		return rc;
	struct kf_param q[] = {KP_INT(e->seq), KP_TEXT(e->hash)};
	return kf_db_exec(db, "UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1", q, 2, NULL,
			  err);
}

#define AUDIT_COLS                                                                                 \
	"seq, at, actor_id, actor_login, action, target_type, target_id, detail, ip, "             \
	"request_id, prev_hash, hash"

static void read_audit(struct kf_rows *r, struct kf_arena *a, void *items, int i)
{
	struct kf_audit_entry *e = (struct kf_audit_entry *)items + i;
	e->seq = kf_rows_int(r, 0);
	e->at = kf_rows_int(r, 1);
	e->actor_id = kf_rows_int(r, 2);
	e->actor_login = kf_rows_dup(r, 3, a);
	e->action = kf_rows_dup(r, 4, a);
	e->target_type = kf_rows_dup(r, 5, a);
	e->target_id = kf_rows_dup(r, 6, a);
	e->detail = kf_rows_dup(r, 7, a);
	e->ip = kf_rows_dup(r, 8, a);
	e->request_id = kf_rows_dup(r, 9, a);
	e->prev_hash = kf_rows_dup(r, 10, a);
	e->hash = kf_rows_dup(r, 11, a);
}

int kf_store_audit_list(struct kf_db *db, const struct kf_audit_filter *f, struct kf_arena *a,
			struct kf_audit_entry **items, int *n, struct kf_err *err)
{
	*items = kf_arena_zalloc(a, sizeof **items * (size_t)(f->limit > 0 ? f->limit : 1));
	/* Only the filters given, as plain terms: SQLite reads `actor_id = $n`
	 * from audit_actor (actor_id, seq) and `action = $n` from audit_action
	 * (action, seq), both already in seq order. An optional filter written
	 * as ($n = 0 OR actor_id = $n) it takes to no index: it read the whole
	 * log in seq order to find one person's entries. */
	struct kf_param p[5] = {KP_INT(f->after_seq)};
	int np = 1;
	struct kf_buf sql;
	kf_buf_init(&sql, 0);
	kf_buf_adds(&sql, "SELECT " AUDIT_COLS " FROM audit_log WHERE seq > $1");
	if (f->actor_id) {
		p[np++] = KP_INT(f->actor_id);
		kf_buf_addf(&sql, " AND actor_id = $%d", np);
	}
	if (f->action) {
		p[np++] = KP_TEXT(f->action);
		kf_buf_addf(&sql, " AND action = $%d", np);
	}
	if (f->since) {
		p[np++] = KP_INT(f->since);
		kf_buf_addf(&sql, " AND at >= $%d", np);
	}
	p[np++] = KP_INT(f->limit);
	kf_buf_addf(&sql, " ORDER BY seq LIMIT $%d", np);
	int rc = each_row(db, sql.data, p, np, read_audit, a, *items, n, f->limit, err);
	kf_buf_release(&sql);
	return rc;
}

int kf_store_audit_verify(struct kf_db *db, struct kf_audit_check *out, struct kf_err *err)
{
	struct kf_rows *r;
	struct kf_arena a;
	int64_t head_seq = 0;
	kf_arena_init(&a);
	memset(out, 0, sizeof *out);
	out->ok = true;
	/* The head is read first and the walk stops there: entries appended
	 * during the walk are not mistaken for a broken end. */
	int rc =
	    kf_db_query_int(db, "SELECT seq FROM audit_head WHERE id = 1", NULL, 0, &head_seq, err);
	if (rc < 0)
		return rc;
	struct kf_param p = KP_INT(head_seq);
	rc = kf_db_query(db, "SELECT " AUDIT_COLS " FROM audit_log WHERE seq <= $1 ORDER BY seq",
			 &p, 1, &r, err);
	if (rc)
		return rc;
	char prev[65] = "";
	int64_t expect = 1;
	while ((rc = kf_rows_next(r, err)) == 1) {
		struct kf_audit_entry e;
		read_audit(r, &a, &e, 0);
		char h[65];
		out->entries++;
		if (e.seq != expect) {
			out->ok = false;
			out->broken_seq = expect;
			snprintf(out->reason, sizeof out->reason, "entry %lld is missing (deleted)",
				 (long long)expect);
		} else if (!e.prev_hash || strcmp(e.prev_hash, prev)) {
			out->ok = false;
			out->broken_seq = e.seq;
			snprintf(out->reason, sizeof out->reason,
				 "entry %lld does not link to the entry before it",
				 (long long)e.seq);
		} else {
			audit_hash(&e, prev, h);
			if (!e.hash || strcmp(h, e.hash)) {
				out->ok = false;
				out->broken_seq = e.seq;
				snprintf(out->reason, sizeof out->reason,
					 "entry %lld was changed after it was written",
					 (long long)e.seq);
			}
		}
		if (!out->ok)
			break;
		snprintf(prev, sizeof prev, "%s", e.hash);
		expect++;
		kf_arena_release(&a);
	}
	kf_rows_free(r);
	kf_arena_release(&a);
	if (rc < 0)
		return rc;
	if (out->ok && head_seq != expect - 1) {
		out->ok = false;
		out->broken_seq = expect;
		snprintf(out->reason, sizeof out->reason,
			 "the chain ends at entry %lld but %lld were written (entries deleted from "
			 "the end)",
			 (long long)(expect - 1), (long long)head_seq);
	}
	return 0;
}

/* ---- policy versions (P-1) ---- */

#define POLICY_COLS                                                                                \
	"p.id, p.version, p.document, p.author_id, u.login, p.reason, p.created_at, "              \
	"p.effective_from"

static void read_policy(struct kf_rows *r, struct kf_arena *a, void *items, int i)
{
	struct kf_policy_version *v = (struct kf_policy_version *)items + i;
	v->id = kf_rows_int(r, 0);
	v->version = kf_rows_int(r, 1);
	v->document = kf_rows_dup(r, 2, a);
	v->author_id = kf_rows_int(r, 3);
	v->author_login = kf_rows_dup(r, 4, a);
	v->reason = kf_rows_dup(r, 5, a);
	v->created_at = kf_rows_int(r, 6);
	v->effective_from = kf_rows_int(r, 7);
}

int kf_store_policy_insert(struct kf_db *db, struct kf_policy_version *v, struct kf_err *err)
{
	int64_t max = 0;
	int rc = kf_db_query_int(db, "SELECT COALESCE(MAX(version), 0) FROM policy_versions", NULL,
				 0, &max, err);
	if (rc < 0)
		return rc;
	v->version = max + 1;
	struct kf_param p[] = {KP_INT(v->version),
			       KP_TEXT(v->document),
			       kf_param_opt_int(v->author_id > 0, v->author_id),
			       KP_TEXT(v->reason),
			       KP_INT(v->created_at),
			       KP_INT(v->effective_from)};
	rc = kf_db_query_int(db,
			     "INSERT INTO policy_versions (version, document, author_id, reason, "
			     "created_at, effective_from) VALUES ($1, $2, $3, $4, $5, $6) "
			     "RETURNING id",
			     p, 6, &v->id, err);
	return rc < 0 ? rc : 0;
}

static int policy_one(struct kf_db *db, const char *sql, struct kf_param p, struct kf_arena *a,
		      struct kf_policy_version *out, struct kf_err *err)
{
	int n = 0;
	int rc = each_row(db, sql, &p, 1, read_policy, a, out, &n, 1, err);
	if (rc)
		return rc;
	return n ? 0 : kf_err_set(err, KF_ENOTFOUND, "no policy version found");
}

int kf_store_policy_at(struct kf_db *db, int64_t t, struct kf_arena *a,
		       struct kf_policy_version *out, struct kf_err *err)
{
	return policy_one(db,
			  "SELECT " POLICY_COLS " FROM policy_versions p LEFT JOIN users u ON "
			  "u.id = p.author_id WHERE p.effective_from <= $1 ORDER BY "
			  "p.effective_from DESC, p.version DESC LIMIT 1",
			  KP_INT(t), a, out, err);
}

int kf_store_policy_version_at(struct kf_db *db, int64_t t, int64_t *version, struct kf_err *err)
{
	struct kf_param p = KP_INT(t);
	int rc =
	    kf_db_query_int(db,
			    "SELECT version FROM policy_versions WHERE effective_from <= $1 ORDER "
			    "BY effective_from DESC, version DESC LIMIT 1",
			    &p, 1, version, err);
	if (rc < 0)
		return rc;
	return rc ? 0 : kf_err_set(err, KF_ENOTFOUND, "no policy version in force");
}

int kf_store_policy_get(struct kf_db *db, int64_t version, struct kf_arena *a,
			struct kf_policy_version *out, struct kf_err *err)
{
	return policy_one(db,
			  "SELECT " POLICY_COLS " FROM policy_versions p LEFT JOIN users u ON "
			  "u.id = p.author_id WHERE p.version = CAST($1 AS BIGINT)",
			  KP_INT(version), a, out, err);
}

int kf_store_policy_list(struct kf_db *db, int64_t before_version, int limit, struct kf_arena *a,
			 struct kf_policy_version **items, int *n, struct kf_err *err)
{
	*items = kf_arena_zalloc(a, sizeof **items * (size_t)(limit > 0 ? limit : 1));
	struct kf_param p[] = {KP_INT(before_version > 0 ? before_version : INT64_MAX),
			       KP_INT(limit)};
	return each_row(
	    db,
	    "SELECT p.id, p.version, NULL, p.author_id, u.login, p.reason, "
	    "p.created_at, p.effective_from FROM policy_versions p LEFT JOIN users u "
	    "ON u.id = p.author_id WHERE p.version < CAST($1 AS BIGINT) ORDER BY p.version DESC "
	    "LIMIT $2",
	    p, 2, read_policy, a, *items, n, limit, err);
}

/* ---- settings ---- */

int kf_store_setting_get(struct kf_db *db, const char *key, struct kf_arena *a, const char **value,
			 struct kf_err *err)
{
	struct kf_param p = KP_TEXT(key);
	struct kf_rows *r;
	int rc = kf_db_query(db, "SELECT value FROM settings WHERE key = $1", &p, 1, &r, err);
	if (rc)
		return rc;
	rc = kf_rows_next(r, err);
	if (rc == 1) {
		*value = kf_rows_dup(r, 0, a);
		rc = 0;
	} else if (rc == 0) {
		rc = kf_err_set(err, KF_ENOTFOUND, "setting %s not found", key);
	}
	kf_rows_free(r);
	return rc;
}

int kf_store_setting_put_new(struct kf_db *db, const char *key, const char *value,
			     struct kf_err *err)
{
	struct kf_param p[] = {KP_TEXT(key), KP_TEXT(value)};
	return kf_db_exec(db,
			  "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO "
			  "NOTHING",
			  p, 2, NULL, err);
}
