/* SQL for customer portal accounts and sessions (S-4, S-1), both engines. */
#include <string.h>
#include "store/portal.h"

#define ACCT_COLS                                                                                  \
	"a.id, a.customer_id, a.phone, a.active, a.created_by, a.created_at, a.updated_at, "       \
	"a.version, c.name"
#define ACCT_FROM  " FROM portal_accounts a JOIN customers c ON c.id = a.customer_id"
#define ACCT_NCOLS 9

static void read_account(struct kf_rows *r, int col, struct kf_arena *a,
			 struct kf_portal_account *o)
{
	memset(o, 0, sizeof *o);
	o->id = kf_rows_int(r, col + 0);
	o->customer_id = kf_rows_int(r, col + 1);
	o->phone = kf_rows_dup(r, col + 2, a);
	o->active = kf_rows_int(r, col + 3) != 0;
	o->created_by = kf_rows_int(r, col + 4);
	o->created_at = kf_rows_int(r, col + 5);
	o->updated_at = kf_rows_int(r, col + 6);
	o->version = kf_rows_int(r, col + 7);
	o->customer_name = kf_rows_dup(r, col + 8, a);
}

int kf_store_portal_account_insert(struct kf_db *db, struct kf_portal_account *a,
				   struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(a->customer_id), KP_TEXT(a->phone), KP_TEXT(a->password_hash),
			       kf_param_opt_int(a->created_by > 0, a->created_by),
			       KP_INT(a->created_at)};
	int rc = kf_db_query_int(db,
				 "INSERT INTO portal_accounts (customer_id, phone, password_hash, "
				 "created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, "
				 "$5) RETURNING id",
				 p, 5, &a->id, err);
	if (rc < 0)
		return rc;
	a->active = true;
	a->updated_at = a->created_at;
	a->version = 1;
	return 0;
}

static int one_account(struct kf_db *db, const char *sql, const struct kf_param *p, bool with_hash,
		       struct kf_arena *a, struct kf_portal_account *out, struct kf_err *err)
{
	struct kf_rows *r;
	int rc = kf_db_query(db, sql, p, 1, &r, err);
	if (rc)
		return rc;
	rc = kf_rows_next(r, err);
	if (rc == 1) {
		read_account(r, 0, a, out);
		if (with_hash)
			out->password_hash = kf_rows_dup(r, ACCT_NCOLS, a);
		rc = 0;
	} else if (rc == 0) {
		rc = kf_err_set(err, KF_ENOTFOUND, "no such portal account");
	}
	kf_rows_free(r);
	return rc;
}

int kf_store_portal_account_by_phone(struct kf_db *db, const char *phone, struct kf_arena *a,
				     struct kf_portal_account *out, struct kf_err *err)
{
	struct kf_param p = KP_TEXT(phone);
	return one_account(db,
			   "SELECT " ACCT_COLS ", a.password_hash" ACCT_FROM " WHERE a.phone = $1",
			   &p, true, a, out, err);
}

int kf_store_portal_account_by_customer(struct kf_db *db, int64_t customer_id, struct kf_arena *a,
					struct kf_portal_account *out, struct kf_err *err)
{
	struct kf_param p = KP_INT(customer_id);
	return one_account(db, "SELECT " ACCT_COLS ACCT_FROM " WHERE a.customer_id = $1", &p, false,
			   a, out, err);
}

int kf_store_portal_session_insert(struct kf_db *db, const char *token_hash, const char *csrf_hash,
				   int64_t account_id, int64_t now, int64_t expires_at,
				   const char *ip, const char *user_agent, int64_t *id,
				   struct kf_err *err)
{
	struct kf_param p[] = {KP_TEXT(token_hash), KP_TEXT(csrf_hash), KP_INT(account_id),
			       KP_INT(now),	    KP_INT(expires_at), KP_TEXT(ip),
			       KP_TEXT(user_agent)};
	int rc =
	    kf_db_query_int(db,
			    "INSERT INTO portal_sessions (token_hash, csrf_hash, account_id, "
			    "created_at, expires_at, last_seen_at, ip, user_agent) VALUES ($1, "
			    "$2, $3, $4, $5, $4, $6, $7) RETURNING id",
			    p, 7, id, err);
	return rc < 0 ? rc : 0;
}

int kf_store_portal_session_lookup(struct kf_db *db, const char *token_hash, int64_t now,
				   int64_t idle_ms, struct kf_arena *a, struct kf_portal_session *s,
				   struct kf_portal_account *acct, struct kf_err *err)
{
	struct kf_param p[] = {KP_TEXT(token_hash), KP_INT(now), KP_INT(idle_ms)};
	struct kf_rows *r;
	int rc =
	    kf_db_query(db,
			"SELECT " ACCT_COLS ", s.id, s.csrf_hash, s.created_at, s.expires_at, "
			"s.last_seen_at FROM portal_sessions s JOIN portal_accounts a ON a.id "
			"= s.account_id JOIN customers c ON c.id = a.customer_id WHERE "
			"s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND "
			"(CAST($3 AS BIGINT) <= 0 OR s.last_seen_at + $3 > $2) AND a.active = 1",
			p, 3, &r, err);
	if (rc)
		return rc;
	rc = kf_rows_next(r, err);
	if (rc == 1) {
		read_account(r, 0, a, acct);
		s->id = kf_rows_int(r, ACCT_NCOLS);
		s->csrf_hash = kf_rows_dup(r, ACCT_NCOLS + 1, a);
		s->created_at = kf_rows_int(r, ACCT_NCOLS + 2);
		s->expires_at = kf_rows_int(r, ACCT_NCOLS + 3);
		s->last_seen_at = kf_rows_int(r, ACCT_NCOLS + 4);
		s->account_id = acct->id;
		rc = 0;
	} else if (rc == 0) {
		rc = kf_err_set(err, KF_EUNAUTH, "session expired or not valid; sign in again");
	}
	kf_rows_free(r);
	return rc;
}

int kf_store_portal_session_touch(struct kf_db *db, int64_t id, int64_t now, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(now), KP_INT(id)};
	return kf_db_exec(db, "UPDATE portal_sessions SET last_seen_at = $1 WHERE id = $2", p, 2,
			  NULL, err);
}

int kf_store_portal_session_revoke(struct kf_db *db, int64_t id, int64_t now, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(now), KP_INT(id)};
	return kf_db_exec(
	    db, "UPDATE portal_sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
	    p, 2, NULL, err);
}
