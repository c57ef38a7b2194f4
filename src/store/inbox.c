/* SQL for the inbox, for both engines. */
#include <string.h>
#include "store/inbox.h"

#define N_COLS "id, recipient_id, kind, ticket_id, payload, created_at, read_at"

static void read_n(struct kf_rows *r, struct kf_arena *a, void *item)
{
	struct kf_notification *o = item;
	o->id = kf_rows_int(r, 0);
	o->recipient_id = kf_rows_int(r, 1);
	o->kind = kf_rows_dup(r, 2, a);
	o->ticket_id = kf_rows_int(r, 3);
	o->payload = kf_rows_dup(r, 4, a);
	o->created_at = kf_rows_int(r, 5);
	o->read_at = kf_rows_int(r, 6);
}

int kf_store_notification_insert(struct kf_db *db, struct kf_notification *n, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(n->recipient_id), KP_TEXT(n->kind),
			       kf_param_opt_int(n->ticket_id > 0, n->ticket_id),
			       KP_TEXT(n->payload), KP_INT(n->created_at)};
	int rc =
	    kf_db_query_int(db,
			    "INSERT INTO notifications (recipient_id, kind, ticket_id, payload, "
			    "created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
			    p, 5, &n->id, err);
	return rc < 0 ? rc : 0;
}

int kf_store_notification_get(struct kf_db *db, int64_t id, int64_t recipient_id,
			      struct kf_arena *a, struct kf_notification *out, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(id), KP_INT(recipient_id)};
	struct kf_rows *r;
	int rc = kf_db_query(
	    db, "SELECT " N_COLS " FROM notifications WHERE id = $1 AND recipient_id = $2", p, 2,
	    &r, err);
	if (rc)
		return rc;
	rc = kf_rows_next(r, err);
	if (rc == 1) {
		read_n(r, a, out);
		rc = 0;
	} else if (rc == 0) {
		rc = kf_err_set(err, KF_ENOTFOUND, "notification %lld is not in your inbox",
				(long long)id);
	}
	kf_rows_free(r);
	return rc;
}

int kf_store_notification_list(struct kf_db *db, int64_t recipient_id, bool unread_only,
			       int64_t before_id, int limit, struct kf_arena *a,
			       struct kf_notification **items, int *n, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(recipient_id), KP_INT(unread_only), KP_INT(before_id),
			       KP_INT(limit + 1)};
	return kf_db_query_rows(db,
				"SELECT " N_COLS " FROM notifications WHERE recipient_id = $1 AND "
				"(CAST($2 AS BIGINT) = 0 OR read_at IS NULL) AND (CAST($3 AS "
				"BIGINT) = 0 OR id < $3) ORDER BY id "
				"DESC LIMIT $4",
				p, 4, read_n, sizeof **items, a, (void **)items, n, err);
}

int kf_store_notification_unread(struct kf_db *db, int64_t recipient_id, int64_t *count,
				 struct kf_err *err)
{
	struct kf_param p = KP_INT(recipient_id);
	*count = 0;
	int rc = kf_db_query_int(
	    db, "SELECT COUNT(*) FROM notifications WHERE recipient_id = $1 AND read_at IS NULL",
	    &p, 1, count, err);
	return rc < 0 ? rc : 0;
}

int kf_store_notification_read(struct kf_db *db, int64_t id, int64_t recipient_id, int64_t at,
			       bool *changed, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(at), KP_INT(id), KP_INT(recipient_id)};
	int64_t n = 0;
	int rc = kf_db_exec(db,
			    "UPDATE notifications SET read_at = $1 WHERE id = $2 AND recipient_id "
			    "= $3 AND read_at IS NULL",
			    p, 3, &n, err);
	if (rc)
		return rc;
	*changed = n == 1;
	return 0;
}

static void read_id(struct kf_rows *r, struct kf_arena *a, void *item)
{
	(void)a;
	*(int64_t *)item = kf_rows_int(r, 0);
}

int kf_store_user_ids_by_role(struct kf_db *db, const char *role, struct kf_arena *a, int64_t **ids,
			      int *n, struct kf_err *err)
{
	struct kf_param p = KP_TEXT(role);
	return kf_db_query_rows(db,
				"SELECT id FROM users WHERE role = $1 AND active = 1 ORDER BY id",
				&p, 1, read_id, sizeof **ids, a, (void **)ids, n, err);
}
