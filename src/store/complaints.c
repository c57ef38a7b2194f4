/* SQL for complaint forms, their chains and resolutions, for both engines. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "store/complaints.h"

#define COMPLAINT_COLS                                                                             \
	"ticket_id, cause, non_quality_kind, severity, service_caused, responsible_user_id, "      \
	"responsible_department, investigation, order_no, batch, delivered_on, defective_qty, "    \
	"parent_ticket_id, root_ticket_id, created_at, updated_at"

int kf_store_complaint_get(struct kf_db *db, int64_t ticket_id, struct kf_arena *a,
			   struct kf_complaint *out, struct kf_err *err)
{
	struct kf_param p = KP_INT(ticket_id);
	struct kf_rows *r;
	int rc = kf_db_query(db, "SELECT " COMPLAINT_COLS " FROM complaints WHERE ticket_id = $1",
			     &p, 1, &r, err);
	if (rc)
		return rc;
	rc = kf_rows_next(r, err);
	if (rc == 1) {
		out->ticket_id = kf_rows_int(r, 0);
		out->cause = kf_rows_dup(r, 1, a);
		out->non_quality_kind = kf_rows_dup(r, 2, a);
		out->severity = kf_rows_dup(r, 3, a);
		out->service_caused = kf_rows_int(r, 4) != 0;
		out->responsible_user_id = kf_rows_int(r, 5);
		out->responsible_department = kf_rows_dup(r, 6, a);
		out->investigation = kf_rows_dup(r, 7, a);
		out->order_no = kf_rows_dup(r, 8, a);
		out->batch = kf_rows_dup(r, 9, a);
		out->delivered_on = kf_rows_dup(r, 10, a);
		out->defective_qty = kf_rows_null(r, 11) ? -1 : kf_rows_int(r, 11);
		out->parent_ticket_id = kf_rows_int(r, 12);
		out->root_ticket_id = kf_rows_int(r, 13);
		out->created_at = kf_rows_int(r, 14);
		out->updated_at = kf_rows_int(r, 15);
		rc = 0;
	} else if (rc == 0) {
		rc = kf_err_set(err, KF_ENOTFOUND, "ticket %lld has no complaint form",
				(long long)ticket_id);
	}
	kf_rows_free(r);
	return rc;
}

int kf_store_complaint_put(struct kf_db *db, const struct kf_complaint *c, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(c->ticket_id),
			       KP_TEXT(c->cause),
			       KP_TEXT(c->non_quality_kind),
			       KP_TEXT(c->severity),
			       KP_INT(c->service_caused),
			       kf_param_opt_int(c->responsible_user_id > 0, c->responsible_user_id),
			       KP_TEXT(c->responsible_department),
			       KP_TEXT(c->investigation),
			       KP_TEXT(c->order_no),
			       KP_TEXT(c->batch),
			       KP_TEXT(c->delivered_on),
			       kf_param_opt_int(c->defective_qty >= 0, c->defective_qty),
			       kf_param_opt_int(c->parent_ticket_id > 0, c->parent_ticket_id),
			       KP_INT(c->root_ticket_id),
			       KP_INT(c->created_at),
			       KP_INT(c->updated_at)};
	return kf_db_exec(
	    db,
	    "INSERT INTO complaints (" COMPLAINT_COLS ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
	    "$9, $10, $11, $12, $13, $14, $15, $16) ON CONFLICT (ticket_id) DO UPDATE SET cause = "
	    "$2, non_quality_kind = $3, severity = $4, service_caused = $5, responsible_user_id = "
	    "$6, responsible_department = $7, investigation = $8, order_no = $9, batch = $10, "
	    "delivered_on = $11, defective_qty = $12, updated_at = $16",
	    p, 16, NULL, err);
}

int kf_store_complaint_chain(struct kf_db *db, int64_t root_ticket_id, struct kf_arena *a,
			     struct kf_complaint_link **items, int *n, struct kf_err *err)
{
	struct kf_param p = KP_INT(root_ticket_id);
	struct kf_rows *r;
	int cap = 0, rc;
	*items = NULL;
	*n = 0;
	if ((rc = kf_db_query(db,
			      "SELECT c.ticket_id, c.parent_ticket_id, t.number, t.status FROM "
			      "complaints c JOIN tickets t ON t.id = c.ticket_id WHERE "
			      "c.root_ticket_id = $1 ORDER BY c.ticket_id",
			      &p, 1, &r, err)))
		return rc;
	while ((rc = kf_rows_next(r, err)) == 1) {
		if (*n == cap)
			*items = kf_arena_grow(a, *items, *n, &cap, sizeof **items);
		struct kf_complaint_link *l = &(*items)[(*n)++];
		l->ticket_id = kf_rows_int(r, 0);
		l->parent_ticket_id = kf_rows_int(r, 1);
		l->number = kf_rows_dup(r, 2, a);
		l->status = kf_rows_dup(r, 3, a);
	}
	kf_rows_free(r);
	return rc < 0 ? rc : 0;
}

#define RESOLUTION_COLS                                                                            \
	"r.id, r.ticket_id, r.kind, r.summary, r.amount_fen, r.quantity, r.required_role, "        \
	"r.status, r.policy_version, r.created_by, r.created_at, r.decided_by, r.decided_role, "   \
	"r.decided_at, r.decision_comment, r.sent_by, r.sent_at, r.responded_at, "                 \
	"r.response_comment, r.follow_up_ticket_id, t.number"
#define RESOLUTION_FROM " FROM complaint_resolutions r JOIN tickets t ON t.id = r.ticket_id"

static void read_resolution(struct kf_rows *r, struct kf_arena *a, void *out)
{
	struct kf_resolution *o = out;
	o->id = kf_rows_int(r, 0);
	o->ticket_id = kf_rows_int(r, 1);
	o->kind = kf_rows_dup(r, 2, a);
	o->summary = kf_rows_dup(r, 3, a);
	o->has_amount = !kf_rows_null(r, 4);
	o->amount_fen = kf_rows_int(r, 4);
	o->has_quantity = !kf_rows_null(r, 5);
	o->quantity = kf_rows_int(r, 5);
	o->required_role = kf_rows_dup(r, 6, a);
	o->status = kf_rows_dup(r, 7, a);
	o->policy_version = kf_rows_int(r, 8);
	o->created_by = kf_rows_int(r, 9);
	o->created_at = kf_rows_int(r, 10);
	o->decided_by = kf_rows_int(r, 11);
	o->decided_role = kf_rows_dup(r, 12, a);
	o->decided_at = kf_rows_int(r, 13);
	o->decision_comment = kf_rows_dup(r, 14, a);
	o->sent_by = kf_rows_int(r, 15);
	o->sent_at = kf_rows_int(r, 16);
	o->responded_at = kf_rows_int(r, 17);
	o->response_comment = kf_rows_dup(r, 18, a);
	o->follow_up_ticket_id = kf_rows_int(r, 19);
	o->ticket_number = kf_rows_dup(r, 20, a);
}

int kf_store_resolution_insert(struct kf_db *db, struct kf_resolution *r, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(r->ticket_id),
			       KP_TEXT(r->kind),
			       KP_TEXT(r->summary),
			       kf_param_opt_int(r->has_amount, r->amount_fen),
			       kf_param_opt_int(r->has_quantity, r->quantity),
			       KP_TEXT(r->required_role),
			       KP_TEXT(r->status),
			       KP_INT(r->policy_version),
			       KP_INT(r->created_by),
			       KP_INT(r->created_at)};
	int rc = kf_db_query_int(
	    db,
	    "INSERT INTO complaint_resolutions (ticket_id, kind, summary, amount_fen, quantity, "
	    "required_role, status, policy_version, created_by, created_at) VALUES ($1, $2, $3, "
	    "$4, $5, $6, $7, $8, $9, $10) RETURNING id",
	    p, 10, &r->id, err);
	return rc < 0 ? rc : 0;
}

static int resolution_one(struct kf_db *db, const char *sql, const struct kf_param *p, int np,
			  struct kf_arena *a, struct kf_resolution *out, const char *what,
			  struct kf_err *err)
{
	int rc = kf_db_query_row(db, sql, p, np, read_resolution, out, a, err);
	if (rc == 0)
		return kf_err_set(err, KF_ENOTFOUND, "%s not found", what);
	return rc < 0 ? rc : 0;
}

int kf_store_resolution_get(struct kf_db *db, int64_t id, struct kf_arena *a,
			    struct kf_resolution *out, struct kf_err *err)
{
	struct kf_param p = KP_INT(id);
	char what[48];
	snprintf(what, sizeof what, "resolution %lld", (long long)id);
	return resolution_one(db, "SELECT " RESOLUTION_COLS RESOLUTION_FROM " WHERE r.id = $1", &p,
			      1, a, out, what, err);
}

int kf_store_resolution_latest(struct kf_db *db, int64_t ticket_id, const char *status,
			       struct kf_arena *a, struct kf_resolution *out, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(ticket_id), KP_TEXT(status)};
	return resolution_one(
	    db,
	    "SELECT " RESOLUTION_COLS RESOLUTION_FROM
	    " WHERE r.ticket_id = $1 AND r.status = $2 ORDER BY r.id DESC LIMIT 1",
	    p, 2, a, out, "resolution", err);
}

int kf_store_resolution_list(struct kf_db *db, int64_t ticket_id, struct kf_arena *a,
			     struct kf_resolution **items, int *n, struct kf_err *err)
{
	struct kf_param p = KP_INT(ticket_id);
	return kf_db_query_rows(
	    db, "SELECT " RESOLUTION_COLS RESOLUTION_FROM " WHERE r.ticket_id = $1 ORDER BY r.id",
	    &p, 1, read_resolution, sizeof **items, a, (void **)items, n, err);
}

int kf_store_resolution_update(struct kf_db *db, const struct kf_resolution *r,
			       const char *from_status, bool *changed, struct kf_err *err)
{
	struct kf_param p[] = {KP_TEXT(r->status),
			       kf_param_opt_int(r->decided_by > 0, r->decided_by),
			       KP_TEXT(r->decided_role),
			       kf_param_opt_int(r->decided_at > 0, r->decided_at),
			       KP_TEXT(r->decision_comment),
			       kf_param_opt_int(r->sent_by > 0, r->sent_by),
			       kf_param_opt_int(r->sent_at > 0, r->sent_at),
			       kf_param_opt_int(r->responded_at > 0, r->responded_at),
			       KP_TEXT(r->response_comment),
			       kf_param_opt_int(r->follow_up_ticket_id > 0, r->follow_up_ticket_id),
			       KP_INT(r->id),
			       KP_TEXT(from_status)};
	int64_t n = 0;
	int rc = kf_db_exec(db,
			    "UPDATE complaint_resolutions SET status = $1, decided_by = $2, "
			    "decided_role = $3, decided_at = $4, decision_comment = $5, sent_by = "
			    "$6, sent_at = $7, responded_at = $8, response_comment = $9, "
			    "follow_up_ticket_id = $10 WHERE id = $11 AND status = $12",
			    p, 12, &n, err);
	if (rc)
		return rc;
	*changed = n > 0;
	return 0;
}

/* ---- K-9, E-8: fines ---- */

int kf_store_sanction_insert(struct kf_db *db, struct kf_complaint_sanction *s, bool *inserted,
			     struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(s->ticket_id),
			       KP_INT(s->user_id),
			       KP_TEXT(s->role),
			       KP_TEXT(s->rule),
			       KP_INT(s->occurrence),
			       KP_INT(s->fine_fen),
			       KP_INT(s->propose_dismissal),
			       KP_INT(s->policy_version),
			       KP_INT(s->created_at)};
	int rc = kf_db_query_int(db,
				 "INSERT INTO complaint_sanctions (ticket_id, user_id, role, rule, "
				 "occurrence, fine_fen, propose_dismissal, policy_version, "
				 "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON "
				 "CONFLICT (ticket_id, user_id, role) DO NOTHING RETURNING id",
				 p, 9, &s->id, err);
	if (rc < 0)
		return rc;
	*inserted = rc == 1;
	return 0;
}

int kf_store_sanction_count(struct kf_db *db, int64_t user_id, const char *role, int64_t since,
			    int64_t *count, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(user_id), KP_TEXT(role), KP_INT(since)};
	*count = 0;
	int rc = kf_db_query_int(db,
				 "SELECT COUNT(*) FROM complaint_sanctions WHERE user_id = $1 AND "
				 "role = $2 AND created_at >= $3",
				 p, 3, count, err);
	return rc < 0 ? rc : 0;
}

static void read_sanction(struct kf_rows *r, struct kf_arena *a, void *item)
{
	struct kf_complaint_sanction *s = item;
	s->id = kf_rows_int(r, 0);
	s->ticket_id = kf_rows_int(r, 1);
	s->user_id = kf_rows_int(r, 2);
	s->role = kf_rows_dup(r, 3, a);
	s->rule = kf_rows_dup(r, 4, a);
	s->occurrence = (int)kf_rows_int(r, 5);
	s->fine_fen = kf_rows_int(r, 6);
	s->propose_dismissal = kf_rows_int(r, 7) != 0;
	s->policy_version = kf_rows_int(r, 8);
	s->created_at = kf_rows_int(r, 9);
	s->user_name = kf_rows_dup(r, 10, a);
	s->ticket_number = kf_rows_dup(r, 11, a);
}

int kf_store_sanction_list(struct kf_db *db, int64_t ticket_id, int64_t user_id, int64_t after_id,
			   int limit, struct kf_arena *a, struct kf_complaint_sanction **items,
			   int *n, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(ticket_id), KP_INT(user_id), KP_INT(after_id),
			       KP_INT(limit > 0 ? limit + 1 : INT32_MAX)};
	return kf_db_query_rows(
	    db,
	    "SELECT s.id, s.ticket_id, s.user_id, s.role, s.rule, s.occurrence, s.fine_fen, "
	    "s.propose_dismissal, s.policy_version, s.created_at, u.name, t.number "
	    "FROM complaint_sanctions s JOIN users u ON u.id = s.user_id "
	    "JOIN tickets t ON t.id = s.ticket_id "
	    "WHERE (CAST($1 AS BIGINT) = 0 OR s.ticket_id = $1) AND (CAST($2 AS BIGINT) = 0 OR "
	    "s.user_id = $2) "
	    "AND s.id > $3 ORDER BY s.id LIMIT $4",
	    p, 4, read_sanction, sizeof **items, a, (void **)items, n, err);
}

/* ---- K-8: the monthly review ---- */

static void read_review_item(struct kf_rows *r, struct kf_arena *a, void *item)
{
	struct kf_review_item *it = item;
	it->ticket_id = kf_rows_int(r, 0);
	it->number = kf_rows_dup(r, 1, a);
	it->subject = kf_rows_dup(r, 2, a);
	it->status = kf_rows_dup(r, 3, a);
	it->closed_at = kf_rows_int(r, 4);
	it->owner_id = kf_rows_int(r, 5);
	it->cause = kf_rows_dup(r, 6, a);
	it->severity = kf_rows_dup(r, 7, a);
	it->responsible_department = kf_rows_dup(r, 8, a);
	it->has_form = !kf_rows_null(r, 9);
	it->service_caused = kf_rows_int(r, 10) != 0;
	it->responsible_user_id = kf_rows_int(r, 11);
	it->responsible_name = kf_rows_dup(r, 12, a);
	it->resolution_id = kf_rows_int(r, 13);
	it->resolution_kind = kf_rows_dup(r, 14, a);
	it->resolution_status = kf_rows_dup(r, 15, a);
	it->has_amount = !kf_rows_null(r, 16);
	it->amount_fen = kf_rows_int(r, 16);
}

int kf_store_review_items(struct kf_db *db, int64_t from, int64_t to, struct kf_arena *a,
			  struct kf_review_item **items, int *n, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(from), KP_INT(to)};
	return kf_db_query_rows(
	    db,
	    "SELECT t.id, t.number, t.subject, t.status, t.closed_at, t.owner_id, c.cause, "
	    "c.severity, c.responsible_department, c.ticket_id, c.service_caused, "
	    "c.responsible_user_id, u.name, x.id, x.kind, x.status, x.amount_fen "
	    "FROM tickets t LEFT JOIN complaints c ON c.ticket_id = t.id "
	    "LEFT JOIN users u ON u.id = c.responsible_user_id "
	    "LEFT JOIN complaint_resolutions x ON x.id = "
	    "(SELECT MAX(y.id) FROM complaint_resolutions y WHERE y.ticket_id = t.id) "
	    "WHERE t.type = 'complaint' AND t.status = 'closed' AND t.closed_at >= $1 "
	    "AND t.closed_at < $2 ORDER BY t.closed_at, t.id",
	    p, 2, read_review_item, sizeof **items, a, (void **)items, n, err);
}

int kf_store_review_insert(struct kf_db *db, const struct kf_complaint_review *r,
			   struct kf_err *err)
{
	struct kf_param p[] = {KP_TEXT(r->month), KP_INT(r->reviewed_by), KP_INT(r->reviewed_at),
			       KP_TEXT(r->comment)};
	int64_t changed = 0;
	int rc = kf_db_exec(db,
			    "INSERT INTO complaint_reviews (month, reviewed_by, reviewed_at, "
			    "comment) VALUES ($1, $2, $3, $4) ON CONFLICT (month) DO NOTHING",
			    p, 4, &changed, err);
	if (rc)
		return rc;
	if (changed != 1)
		return kf_err_set(err, KF_ECONFLICT, "the complaints of %s are already reviewed",
				  r->month);
	for (int i = 0; i < r->ndecisions; i++) {
		const struct kf_review_decision *d = &r->decisions[i];
		struct kf_param q[] = {
		    KP_TEXT(r->month), KP_INT(d->ticket_id), KP_TEXT(d->sanction),
		    kf_param_opt_int(d->has_fine, d->fine_fen), KP_TEXT(d->comment)};
		if ((rc = kf_db_exec(db,
				     "INSERT INTO complaint_review_decisions (month, ticket_id, "
				     "sanction, fine_fen, comment) VALUES ($1, $2, $3, $4, $5)",
				     q, 5, NULL, err)))
			return rc;
	}
	return 0;
}

static void read_decision(struct kf_rows *r, struct kf_arena *a, void *item)
{
	struct kf_review_decision *d = item;
	d->ticket_id = kf_rows_int(r, 0);
	d->sanction = kf_rows_dup(r, 1, a);
	d->has_fine = !kf_rows_null(r, 2);
	d->fine_fen = kf_rows_int(r, 2);
	d->comment = kf_rows_dup(r, 3, a);
}

int kf_store_review_get(struct kf_db *db, const char *month, struct kf_arena *a,
			struct kf_complaint_review *out, struct kf_err *err)
{
	struct kf_param p = KP_TEXT(month);
	struct kf_rows *r;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc =
		 kf_db_query(db,
			     "SELECT v.month, v.reviewed_by, v.reviewed_at, v.comment, u.name FROM "
			     "complaint_reviews v JOIN users u ON u.id = v.reviewed_by WHERE "
			     "v.month = $1",
			     &p, 1, &r, err)))
		return rc;
	rc = kf_rows_next(r, err);
	if (rc == 1) {
		out->month = kf_rows_dup(r, 0, a);
		out->reviewed_by = kf_rows_int(r, 1);
		out->reviewed_at = kf_rows_int(r, 2);
		out->comment = kf_rows_dup(r, 3, a);
		out->reviewer_name = kf_rows_dup(r, 4, a);
	}
	kf_rows_free(r);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return kf_err_set(err, KF_ENOTFOUND, "the complaints of %s are not reviewed",
				  month);
	return kf_db_query_rows(db,
				"SELECT ticket_id, sanction, fine_fen, comment FROM "
				"complaint_review_decisions WHERE month = $1 ORDER BY ticket_id",
				&p, 1, read_decision, sizeof *out->decisions, a,
				(void **)&out->decisions, &out->ndecisions, err);
}

static void read_resolution_item(struct kf_rows *r, struct kf_arena *a, void *item)
{
	read_resolution(r, a, item);
}

int kf_store_resolution_find(struct kf_db *db, const char *status, const char *required_roles,
			     int64_t before_id, int limit, struct kf_arena *a,
			     struct kf_resolution **items, int *n, struct kf_err *err)
{
	struct kf_param p[] = {KP_TEXT(status), KP_TEXT(required_roles), KP_INT(before_id),
			       KP_INT(limit + 1)};
	return kf_db_query_rows(
	    db,
	    "SELECT " RESOLUTION_COLS RESOLUTION_FROM
	    " WHERE (CAST($1 AS TEXT) IS NULL OR r.status = CAST($1 AS TEXT)) "
	    "AND (CAST($2 AS TEXT) IS NULL OR CAST($2 AS TEXT) LIKE '%,' || "
	    "r.required_role || ',%') AND (CAST($3 AS BIGINT) = 0 OR r.id < $3) ORDER BY r.id "
	    "DESC LIMIT $4",
	    p, 4, read_resolution_item, sizeof **items, a, (void **)items, n, err);
}

int kf_store_direct_leader(struct kf_db *db, int64_t user_id, int64_t *leader_id,
			   struct kf_err *err)
{
	struct kf_param p = KP_INT(user_id);
	*leader_id = 0;
	int rc =
	    kf_db_query_int(db,
			    "SELECT l.id FROM users u JOIN users l ON l.team_id = u.team_id AND "
			    "l.role = 'team_lead' AND l.active = 1 AND l.id <> u.id WHERE u.id = "
			    "$1 ORDER BY l.id LIMIT 1",
			    &p, 1, leader_id, err);
	return rc < 0 ? rc : 0;
}
