#include "store/events.h"

int kf_store_event_put(struct kf_db *db, struct kf_event *e, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(e->at), KP_TEXT(e->kind), KP_TEXT(e->user_ids),
			       KP_TEXT(e->roles), KP_TEXT(e->payload)};
	int rc =
	    kf_db_query_int(db,
			    "INSERT INTO events (at, kind, user_ids, roles, payload) VALUES ($1, "
			    "$2, $3, $4, $5) RETURNING id",
			    p, 5, &e->id, err);
	return rc < 0 ? rc : 0;
}

int kf_store_event_since(struct kf_db *db, int64_t after_id, int64_t since, int limit,
			 struct kf_arena *a, struct kf_event **items, int *n, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(after_id), KP_INT(since), KP_INT(limit)};
	struct kf_rows *r;
	*items = kf_arena_zalloc(a, sizeof **items * (size_t)(limit > 0 ? limit : 1));
	*n = 0;
	int rc = kf_db_query(db,
			     "SELECT id, at, kind, user_ids, roles, payload FROM events WHERE id > "
			     "$1 AND at >= $2 ORDER BY id LIMIT $3",
			     p, 3, &r, err);
	if (rc)
		return rc;
	while (*n < limit && (rc = kf_rows_next(r, err)) == 1) {
		struct kf_event *e = &(*items)[(*n)++];
		e->id = kf_rows_int(r, 0);
		e->at = kf_rows_int(r, 1);
		e->kind = kf_rows_dup(r, 2, a);
		e->user_ids = kf_rows_dup(r, 3, a);
		e->roles = kf_rows_dup(r, 4, a);
		e->payload = kf_rows_dup(r, 5, a);
	}
	kf_rows_free(r);
	return rc < 0 ? rc : 0;
}

int kf_store_event_prune(struct kf_db *db, int64_t before, struct kf_err *err)
{
	struct kf_param p = KP_INT(before);
	return kf_db_exec(db, "DELETE FROM events WHERE at < $1", &p, 1, NULL, err);
}
