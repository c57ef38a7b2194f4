/* SQL for callbacks and their surveys (V-1 … V-4), for both engines. */
#include <string.h>
#include "store/callbacks.h"

#define CB_COLS                                                                                    \
	"c.id, c.ticket_id, c.status, c.due_at, c.agent_id, c.assignee_id, c.token_expires_at, "   \
	"c.token_used_at, c.created_at, c.called_by, c.called_at, c.reached, c.answered_via, "     \
	"c.done_at, c.attitude, c.skill, c.arrival, c.promise, c.score, c.comment, "               \
	"c.follow_up_ticket_id, t.number, t.type, t.subject"
#define CB_FROM " FROM callbacks c JOIN tickets t ON t.id = c.ticket_id"

static void read_cb(struct kf_rows *r, struct kf_arena *a, void *out)
{
	struct kf_callback *o = out;
	memset(o, 0, sizeof *o);
	o->id = kf_rows_int(r, 0);
	o->ticket_id = kf_rows_int(r, 1);
	o->status = kf_rows_dup(r, 2, a);
	o->due_at = kf_rows_int(r, 3);
	o->agent_id = kf_rows_int(r, 4);
	o->assignee_id = kf_rows_int(r, 5);
	o->token_expires_at = kf_rows_int(r, 6);
	o->token_used_at = kf_rows_int(r, 7);
	o->created_at = kf_rows_int(r, 8);
	o->called_by = kf_rows_int(r, 9);
	o->called_at = kf_rows_int(r, 10);
	o->has_reached = !kf_rows_null(r, 11);
	o->reached = kf_rows_int(r, 11) != 0;
	o->answered_via = kf_rows_dup(r, 12, a);
	o->done_at = kf_rows_int(r, 13);
	for (int i = 0; i < 4; i++)
		o->rating[i] = kf_rows_dup(r, 14 + i, a);
	o->score = (int)kf_rows_int(r, 18);
	o->comment = kf_rows_dup(r, 19, a);
	o->follow_up_ticket_id = kf_rows_int(r, 20);
	o->ticket_number = kf_rows_dup(r, 21, a);
	o->ticket_type = kf_rows_dup(r, 22, a);
	o->ticket_subject = kf_rows_dup(r, 23, a);
}

static int one(struct kf_db *db, const char *sql, const struct kf_param *p, struct kf_arena *a,
	       struct kf_callback *out, struct kf_err *err)
{
	int rc = kf_db_query_row(db, sql, p, 1, read_cb, out, a, err);
	if (rc == 0)
		return kf_err_set(err, KF_ENOTFOUND, "no such callback");
	return rc < 0 ? rc : 0;
}

int kf_store_callback_insert(struct kf_db *db, struct kf_callback *cb, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(cb->ticket_id),
			       KP_TEXT(cb->status),
			       KP_INT(cb->due_at),
			       KP_INT(cb->agent_id),
			       kf_param_opt_int(cb->assignee_id > 0, cb->assignee_id),
			       KP_TEXT(cb->token_hash),
			       KP_INT(cb->token_expires_at),
			       KP_INT(cb->created_at)};
	int rc = kf_db_query_int(db,
				 "INSERT INTO callbacks (ticket_id, status, due_at, agent_id, "
				 "assignee_id, token_hash, token_expires_at, created_at) VALUES "
				 "($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
				 p, 8, &cb->id, err);
	return rc < 0 ? rc : 0;
}

int kf_store_callback_get(struct kf_db *db, int64_t id, struct kf_arena *a, struct kf_callback *out,
			  struct kf_err *err)
{
	struct kf_param p = KP_INT(id);
	int rc = one(db, "SELECT " CB_COLS CB_FROM " WHERE c.id = $1", &p, a, out, err);
	if (rc == KF_ENOTFOUND)
		return kf_err_set(err, KF_ENOTFOUND, "callback %lld does not exist", (long long)id);
	return rc;
}

int kf_store_callback_by_token(struct kf_db *db, const char *token_hash, struct kf_arena *a,
			       struct kf_callback *out, struct kf_err *err)
{
	struct kf_param p = KP_TEXT(token_hash);
	int rc = one(db, "SELECT " CB_COLS CB_FROM " WHERE c.token_hash = $1", &p, a, out, err);
	if (rc == KF_ENOTFOUND)
		return kf_err_set(err, KF_ENOTFOUND, "no survey has this link");
	return rc;
}

int kf_store_callback_list(struct kf_db *db, const char *status, int64_t due_before,
			   int64_t after_id, int limit, struct kf_arena *a,
			   struct kf_callback **items, int *n, struct kf_err *err)
{
	struct kf_param p[] = {KP_TEXT(status), KP_INT(due_before), KP_INT(after_id),
			       KP_INT(limit + 1)};
	return kf_db_query_rows(
	    db,
	    "SELECT " CB_COLS CB_FROM
	    " WHERE (CAST($1 AS TEXT) IS NULL OR c.status = CAST($1 AS TEXT)) AND "
	    "(CAST($2 AS BIGINT) = 0 OR c.due_at < CAST($2 AS BIGINT)) "
	    "AND c.id > $3 ORDER BY c.id LIMIT $4",
	    p, 4, read_cb, sizeof **items, a, (void **)items, n, err);
}

int kf_store_callback_open_exists(struct kf_db *db, int64_t ticket_id, bool *exists,
				  struct kf_err *err)
{
	struct kf_param p = KP_INT(ticket_id);
	int64_t v = 0;
	int rc = kf_db_query_int(
	    db, "SELECT COUNT(*) FROM callbacks WHERE ticket_id = $1 AND status <> 'done'", &p, 1,
	    &v, err);
	if (rc < 0)
		return rc;
	*exists = v > 0;
	return 0;
}

int kf_store_callback_update(struct kf_db *db, const struct kf_callback *cb,
			     const char *from_status, bool *changed, struct kf_err *err)
{
	struct kf_param p[] = {
	    KP_TEXT(cb->status),
	    kf_param_opt_int(cb->called_by > 0, cb->called_by),
	    kf_param_opt_int(cb->called_at > 0, cb->called_at),
	    kf_param_opt_int(cb->has_reached, cb->reached),
	    KP_TEXT(cb->answered_via),
	    kf_param_opt_int(cb->done_at > 0, cb->done_at),
	    KP_TEXT(cb->rating[0]),
	    KP_TEXT(cb->rating[1]),
	    KP_TEXT(cb->rating[2]),
	    KP_TEXT(cb->rating[3]),
	    kf_param_opt_int(cb->score > 0, cb->score),
	    KP_TEXT(cb->comment),
	    kf_param_opt_int(cb->follow_up_ticket_id > 0, cb->follow_up_ticket_id),
	    kf_param_opt_int(cb->token_used_at > 0, cb->token_used_at),
	    KP_INT(cb->id),
	    KP_TEXT(from_status)};
	int64_t n = 0;
	int rc = kf_db_exec(db,
			    "UPDATE callbacks SET status = $1, called_by = $2, called_at = $3, "
			    "reached = $4, answered_via = $5, done_at = $6, attitude = $7, skill = "
			    "$8, arrival = $9, promise = $10, score = $11, comment = $12, "
			    "follow_up_ticket_id = $13, token_used_at = $14 WHERE id = $15 AND "
			    "status = $16 AND token_used_at IS NULL",
			    p, 16, &n, err);
	if (rc)
		return rc;
	*changed = n == 1;
	return 0;
}

int kf_store_callback_tally(struct kf_db *db, int64_t from, int64_t to, struct kf_arena *a,
			    struct kf_callback_tally **items, int *n, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(from), KP_INT(to)};
	struct kf_rows *r;
	int cap = 0, rc;
	*items = NULL;
	*n = 0;
	if ((rc = kf_db_query(
		 db,
		 "SELECT person, COUNT(*), SUM(poor), SUM(score) FROM (SELECT agent_id AS person, "
		 "score, CASE WHEN 'poor' IN (attitude, skill, arrival, promise) THEN 1 ELSE 0 END "
		 "AS poor FROM callbacks WHERE score IS NOT NULL AND done_at >= $1 AND done_at < "
		 "$2 "
		 "UNION ALL SELECT assignee_id, score, CASE WHEN 'poor' IN (attitude, skill, "
		 "arrival, promise) THEN 1 ELSE 0 END FROM callbacks WHERE score IS NOT NULL AND "
		 "done_at >= $1 AND done_at < $2 AND assignee_id IS NOT NULL "
		 /* D-2: the technician who completed the ticket's voucher, once. */
		 "UNION ALL SELECT t.technician_id, c.score, CASE WHEN 'poor' IN (c.attitude, "
		 "c.skill, c.arrival, c.promise) THEN 1 ELSE 0 END FROM callbacks c JOIN tickets t "
		 "ON t.id = c.ticket_id WHERE c.score IS NOT NULL AND c.done_at >= $1 AND "
		 "c.done_at "
		 "< $2 AND t.technician_id IS NOT NULL AND t.technician_id <> c.agent_id AND "
		 "t.technician_id <> COALESCE(c.assignee_id, 0)) x GROUP BY person ORDER BY person",
		 p, 2, &r, err)))
		return rc;
	while ((rc = kf_rows_next(r, err)) == 1) {
		if (*n == cap)
			*items = kf_arena_grow(a, *items, *n, &cap, sizeof **items);
		struct kf_callback_tally *t = &(*items)[(*n)++];
		t->user_id = kf_rows_int(r, 0);
		t->surveys = kf_rows_int(r, 1);
		t->poor = kf_rows_int(r, 2);
		t->score_sum = kf_rows_int(r, 3);
	}
	kf_rows_free(r);
	return rc < 0 ? rc : 0;
}

int kf_store_callback_reissue(struct kf_db *db, int64_t id, const char *token_hash,
			      int64_t expires_at, int64_t at, bool *changed, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(id), KP_INT(at)};
	struct kf_param q[] = {KP_TEXT(token_hash), KP_INT(expires_at), KP_INT(id)};
	int64_t n = 0;
	int rc =
	    kf_db_exec(db,
		       "INSERT INTO survey_links_retired (token_hash, callback_id, retired_at) "
		       "SELECT token_hash, id, $2 FROM callbacks WHERE id = $1 AND status <> "
		       "'done' AND token_used_at IS NULL",
		       p, 2, &n, err);
	if (rc)
		return rc;
	*changed = n == 1;
	if (!*changed)
		return 0;
	return kf_db_exec(
	    db, "UPDATE callbacks SET token_hash = $1, token_expires_at = $2 WHERE id = $3", q, 3,
	    NULL, err);
}

int kf_store_survey_link_retired(struct kf_db *db, const char *token_hash, bool *retired,
				 struct kf_err *err)
{
	struct kf_param p = KP_TEXT(token_hash);
	int64_t v = 0;
	int rc = kf_db_query_int(
	    db, "SELECT COUNT(*) FROM survey_links_retired WHERE token_hash = $1", &p, 1, &v, err);
	if (rc < 0)
		return rc;
	*retired = v > 0;
	return 0;
}
