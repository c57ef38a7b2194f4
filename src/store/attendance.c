/* SQL for attendance punches, handovers and the duty log (W-15 … W-18),
 * for both engines. */
#include <string.h>
#include "store/attendance.h"

/* One row read with read, or KF_ENOTFOUND naming what and id. */
static int read_one(struct kf_db *db, const char *sql, const struct kf_param *p, int np,
		    struct kf_arena *a, kf_row_reader read, void *out, const char *what, int64_t id,
		    struct kf_err *err)
{
	int rc = kf_db_query_row(db, sql, p, np, read, out, a, err);
	if (rc == 0)
		return kf_err_set(err, KF_ENOTFOUND, "%s %lld does not exist", what, (long long)id);
	return rc < 0 ? rc : 0;
}

/* ---- punches ---- */

#define PUNCH_COLS                                                                                 \
	"id, user_id, kind, at, customers_waiting, shift_name, shift_end, overtime_ms FROM "       \
	"attendance_punches"

static void read_punch(struct kf_rows *r, struct kf_arena *a, void *out)
{
	struct kf_punch *p = out;
	memset(p, 0, sizeof *p);
	p->id = kf_rows_int(r, 0);
	p->user_id = kf_rows_int(r, 1);
	p->kind = kf_rows_dup(r, 2, a);
	p->at = kf_rows_int(r, 3);
	p->has_waiting = !kf_rows_null(r, 4);
	p->customers_waiting = kf_rows_int(r, 4);
	p->shift_name = kf_rows_dup(r, 5, a);
	p->shift_end = kf_rows_int(r, 6);
	p->overtime_ms = kf_rows_int(r, 7);
}

int kf_store_punch_insert(struct kf_db *db, struct kf_punch *p, struct kf_err *err)
{
	struct kf_param q[] = {KP_INT(p->user_id),
			       KP_TEXT(p->kind),
			       KP_INT(p->at),
			       kf_param_opt_int(p->has_waiting, p->customers_waiting),
			       KP_TEXT(p->shift_name),
			       kf_param_opt_int(p->shift_end > 0, p->shift_end),
			       kf_param_opt_int(p->overtime_ms > 0, p->overtime_ms)};
	int rc =
	    kf_db_query_int(db,
			    "INSERT INTO attendance_punches (user_id, kind, at, "
			    "customers_waiting, shift_name, shift_end, overtime_ms) VALUES ($1, "
			    "$2, $3, $4, $5, $6, $7) RETURNING id",
			    q, 7, &p->id, err);
	return rc < 0 ? rc : 0;
}

int kf_store_punch_last(struct kf_db *db, int64_t user_id, struct kf_arena *a, struct kf_punch *out,
			bool *found, struct kf_err *err)
{
	struct kf_param p = KP_INT(user_id);
	int rc = read_one(
	    db, "SELECT " PUNCH_COLS " WHERE user_id = $1 ORDER BY at DESC, id DESC LIMIT 1", &p, 1,
	    a, read_punch, out, "punch of user", user_id, err);
	*found = rc == 0;
	if (rc == KF_ENOTFOUND) {
		kf_err_clear(err);
		return 0;
	}
	return rc;
}

int kf_store_punch_list(struct kf_db *db, int64_t user_id, int64_t from, int64_t to,
			struct kf_arena *a, struct kf_punch **items, int *n, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(user_id), KP_INT(from), KP_INT(to)};
	return kf_db_query_rows(
	    db, "SELECT " PUNCH_COLS " WHERE user_id = $1 AND at >= $2 AND at < $3 ORDER BY at, id",
	    p, 3, read_punch, sizeof **items, a, (void **)items, n, err);
}

/* ---- handovers ---- */

#define HO_COLS                                                                                    \
	"h.id, h.from_user_id, h.to_user_id, h.status, h.equipment_checked, h.equipment_note, "    \
	"h.anomalies, h.notes, h.created_at, h.confirmed_by, h.confirmed_at, h.confirm_note, "     \
	"f.name, u.name FROM handovers h JOIN users f ON f.id = h.from_user_id LEFT JOIN users u " \
	"ON u.id = h.to_user_id"

static void read_handover(struct kf_rows *r, struct kf_arena *a, void *out)
{
	struct kf_handover *h = out;
	memset(h, 0, sizeof *h);
	h->id = kf_rows_int(r, 0);
	h->from_user_id = kf_rows_int(r, 1);
	h->to_user_id = kf_rows_int(r, 2);
	h->status = kf_rows_dup(r, 3, a);
	h->equipment_checked = kf_rows_int(r, 4) != 0;
	h->equipment_note = kf_rows_dup(r, 5, a);
	h->anomalies = kf_rows_dup(r, 6, a);
	h->notes = kf_rows_dup(r, 7, a);
	h->created_at = kf_rows_int(r, 8);
	h->confirmed_by = kf_rows_int(r, 9);
	h->confirmed_at = kf_rows_int(r, 10);
	h->confirm_note = kf_rows_dup(r, 11, a);
	h->from_name = kf_rows_dup(r, 12, a);
	h->to_name = kf_rows_dup(r, 13, a);
}

#define ITEM_COLS                                                                                  \
	"i.id, i.handover_id, i.position, i.kind, i.ticket_id, i.callback_id, "                    \
	"i.carried_from_item_id, i.text, i.resolved, t.number, h.from_user_id, h.created_at "      \
	"FROM handover_items i JOIN handovers h ON h.id = i.handover_id LEFT JOIN tickets t ON "   \
	"t.id = i.ticket_id"

static void read_item(struct kf_rows *r, struct kf_arena *a, void *out)
{
	struct kf_handover_item *it = out;
	memset(it, 0, sizeof *it);
	it->id = kf_rows_int(r, 0);
	it->handover_id = kf_rows_int(r, 1);
	it->position = (int)kf_rows_int(r, 2);
	it->kind = kf_rows_dup(r, 3, a);
	it->ticket_id = kf_rows_int(r, 4);
	it->callback_id = kf_rows_int(r, 5);
	it->carried_from_item_id = kf_rows_int(r, 6);
	it->text = kf_rows_dup(r, 7, a);
	it->resolved = kf_rows_int(r, 8) != 0;
	it->ticket_number = kf_rows_dup(r, 9, a);
	it->from_user_id = kf_rows_int(r, 10);
	it->handed_over_at = kf_rows_int(r, 11);
}

int kf_store_handover_insert(struct kf_db *db, struct kf_handover *h, struct kf_err *err)
{
	struct kf_param p[] = {
	    KP_INT(h->from_user_id),	kf_param_opt_int(h->to_user_id > 0, h->to_user_id),
	    KP_TEXT(h->status),		KP_INT(h->equipment_checked),
	    KP_TEXT(h->equipment_note), KP_TEXT(h->anomalies),
	    KP_TEXT(h->notes),		KP_INT(h->created_at)};
	int rc = kf_db_query_int(db,
				 "INSERT INTO handovers (from_user_id, to_user_id, status, "
				 "equipment_checked, equipment_note, anomalies, notes, created_at) "
				 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
				 p, 8, &h->id, err);
	if (rc < 0)
		return rc;
	for (int i = 0; i < h->nitems; i++) {
		struct kf_handover_item *it = &h->items[i];
		it->handover_id = h->id;
		it->position = i + 1;
		struct kf_param q[] = {
		    KP_INT(h->id),
		    KP_INT(it->position),
		    KP_TEXT(it->kind),
		    kf_param_opt_int(it->ticket_id > 0, it->ticket_id),
		    kf_param_opt_int(it->callback_id > 0, it->callback_id),
		    KP_TEXT(it->text),
		    KP_INT(it->resolved),
		    kf_param_opt_int(it->carried_from_item_id > 0, it->carried_from_item_id)};
		if ((rc = kf_db_query_int(
			 db,
			 "INSERT INTO handover_items (handover_id, position, kind, "
			 "ticket_id, callback_id, text, resolved, "
			 "carried_from_item_id) VALUES ($1, $2, $3, $4, $5, $6, $7, "
			 "$8) RETURNING id",
			 q, 8, &it->id, err)) < 0)
			return rc;
	}
	return 0;
}

int kf_store_handover_get(struct kf_db *db, int64_t id, struct kf_arena *a, struct kf_handover *out,
			  struct kf_err *err)
{
	struct kf_param p = KP_INT(id);
	int rc = read_one(db, "SELECT " HO_COLS " WHERE h.id = $1", &p, 1, a, read_handover, out,
			  "handover", id, err);
	return rc ? rc : kf_store_handover_items(db, out, a, err);
}

int kf_store_handover_items(struct kf_db *db, struct kf_handover *h, struct kf_arena *a,
			    struct kf_err *err)
{
	struct kf_param p = KP_INT(h->id);
	return kf_db_query_rows(
	    db, "SELECT " ITEM_COLS " WHERE i.handover_id = $1 ORDER BY i.position", &p, 1,
	    read_item, sizeof *h->items, a, (void **)&h->items, &h->nitems, err);
}

int kf_store_handover_list(struct kf_db *db, int64_t user_id, const char *box, const char *status,
			   int64_t after_id, int limit, struct kf_arena *a,
			   struct kf_handover **items, int *n, struct kf_err *err)
{
	bool in = !box || !strcmp(box, "incoming"), out = !box || !strcmp(box, "outgoing");
	struct kf_param p[] = {KP_INT(user_id), KP_INT(in),	  KP_INT(out),
			       KP_TEXT(status), KP_INT(after_id), KP_INT(limit + 1)};
	return kf_db_query_rows(
	    db,
	    "SELECT " HO_COLS
	    " WHERE ((CAST($2 AS INTEGER) = 1 AND (h.to_user_id = $1 OR (h.to_user_id "
	    "IS NULL AND h.from_user_id <> $1))) OR (CAST($3 AS INTEGER) = 1 AND "
	    "h.from_user_id = $1)) AND (CAST($4 AS TEXT) IS NULL OR h.status = CAST($4 "
	    "AS TEXT)) AND h.id > $5 ORDER BY h.id LIMIT $6",
	    p, 6, read_handover, sizeof **items, a, (void **)items, n, err);
}

int kf_store_handover_confirm(struct kf_db *db, int64_t id, int64_t user_id, int64_t at,
			      const char *note, bool *changed, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(user_id), KP_INT(at), KP_TEXT(note), KP_INT(id)};
	int64_t n = 0;
	int rc =
	    kf_db_exec(db,
		       "UPDATE handovers SET status = 'confirmed', to_user_id = $1, "
		       "confirmed_by = $1, confirmed_at = $2, confirm_note = $3 WHERE id = $4 "
		       "AND status = 'pending' AND (to_user_id = $1 OR to_user_id IS NULL) AND "
		       "from_user_id <> $1",
		       p, 4, &n, err);
	if (rc)
		return rc;
	*changed = n == 1;
	return 0;
}

int kf_store_handover_carried(struct kf_db *db, int64_t user_id, struct kf_arena *a,
			      struct kf_handover_item **items, int *n, struct kf_err *err)
{
	struct kf_param p = KP_INT(user_id);
	return kf_db_query_rows(
	    db,
	    "SELECT " ITEM_COLS
	    " WHERE h.status = 'confirmed' AND h.to_user_id = $1 AND i.resolved = 0 "
	    "AND NOT EXISTS (SELECT 1 FROM handover_items j WHERE "
	    "j.carried_from_item_id = i.id) ORDER BY h.id, i.position",
	    &p, 1, read_item, sizeof **items, a, (void **)items, n, err);
}

int kf_store_handover_state(struct kf_db *db, int64_t user_id, int64_t since,
			    bool *pending_with_incoming, bool *any, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(user_id), KP_INT(since)};
	struct kf_rows *r;
	int rc = kf_db_query(db,
			     "SELECT COUNT(*), COALESCE(SUM(CASE WHEN status = 'pending' AND "
			     "to_user_id IS NOT NULL THEN 1 ELSE 0 END), 0) FROM handovers WHERE "
			     "from_user_id = $1 AND created_at >= $2",
			     p, 2, &r, err);
	if (rc)
		return rc;
	*any = *pending_with_incoming = false;
	if ((rc = kf_rows_next(r, err)) == 1) {
		*any = kf_rows_int(r, 0) > 0;
		*pending_with_incoming = kf_rows_int(r, 1) > 0;
	}
	kf_rows_free(r);
	return rc < 0 ? rc : 0;
}

static void read_work(struct kf_rows *r, struct kf_arena *a, void *out)
{
	struct kf_handover_item *it = out;
	memset(it, 0, sizeof *it);
	it->kind = kf_rows_dup(r, 0, a);
	it->ticket_id = kf_rows_int(r, 1);
	it->callback_id = kf_rows_int(r, 2);
	it->ticket_number = kf_rows_dup(r, 3, a);
	it->text = kf_rows_dup(r, 4, a);
}

int kf_store_handover_open_work(struct kf_db *db, int64_t user_id, int limit, struct kf_arena *a,
				struct kf_handover_item **items, int *n, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(user_id), KP_INT(limit)};
	/* The open tickets the agent owns or is assigned: two lookups in the
	 * open-ticket indexes (migration 005). Written as an OR of the two,
	 * SQLite reads every ticket the agent ever owned and every one they
	 * were assigned. */
	return kf_db_query_rows(
	    db,
	    "SELECT kind, ticket_id, callback_id, number, subject FROM (SELECT 'ticket' AS kind, "
	    "t.id AS ticket_id, CAST(NULL AS BIGINT) AS callback_id, t.number AS number, t.subject "
	    "AS subject, 0 "
	    "AS o, t.id AS k FROM tickets t WHERE t.id IN (SELECT id FROM tickets WHERE owner_id = "
	    "$1 AND status NOT IN ('resolved', 'closed') UNION SELECT id FROM tickets WHERE "
	    "assignee_id = $1 AND status NOT IN ('resolved', 'closed')) UNION ALL SELECT "
	    "'callback', c.ticket_id, "
	    "c.id, t.number, t.subject, 1, c.id FROM callbacks c JOIN tickets t ON t.id = "
	    "c.ticket_id WHERE c.agent_id = $1 AND c.status <> 'done') w ORDER BY o, k LIMIT $2",
	    p, 2, read_work, sizeof **items, a, (void **)items, n, err);
}

/* ---- duty log ---- */

#define DUTY_COLS                                                                                  \
	"d.id, d.author_id, d.day, d.shift, d.kind, d.body, d.occurred_at, d.created_at, "         \
	"d.corrects_id, (SELECT MAX(c.id) FROM duty_log c WHERE c.corrects_id = d.id), u.name "    \
	"FROM duty_log d JOIN users u ON u.id = d.author_id"

static void read_duty(struct kf_rows *r, struct kf_arena *a, void *out)
{
	struct kf_duty_entry *e = out;
	memset(e, 0, sizeof *e);
	e->id = kf_rows_int(r, 0);
	e->author_id = kf_rows_int(r, 1);
	e->day = kf_rows_dup(r, 2, a);
	e->shift = kf_rows_dup(r, 3, a);
	e->kind = kf_rows_dup(r, 4, a);
	e->body = kf_rows_dup(r, 5, a);
	e->occurred_at = kf_rows_int(r, 6);
	e->created_at = kf_rows_int(r, 7);
	e->corrects_id = kf_rows_int(r, 8);
	e->corrected_by = kf_rows_int(r, 9);
	e->author_name = kf_rows_dup(r, 10, a);
}

int kf_store_duty_insert(struct kf_db *db, struct kf_duty_entry *e, struct kf_err *err)
{
	struct kf_param p[] = {
	    KP_INT(e->author_id),  KP_TEXT(e->day),
	    KP_TEXT(e->shift),	   KP_TEXT(e->kind),
	    KP_TEXT(e->body),	   KP_INT(e->occurred_at),
	    KP_INT(e->created_at), kf_param_opt_int(e->corrects_id > 0, e->corrects_id)};
	int rc =
	    kf_db_query_int(db,
			    "INSERT INTO duty_log (author_id, day, shift, kind, body, "
			    "occurred_at, created_at, corrects_id) VALUES ($1, $2, $3, $4, $5, "
			    "$6, $7, $8) RETURNING id",
			    p, 8, &e->id, err);
	return rc < 0 ? rc : 0;
}

int kf_store_duty_get(struct kf_db *db, int64_t id, struct kf_arena *a, struct kf_duty_entry *out,
		      struct kf_err *err)
{
	struct kf_param p = KP_INT(id);
	return read_one(db, "SELECT " DUTY_COLS " WHERE d.id = $1", &p, 1, a, read_duty, out,
			"duty log entry", id, err);
}

int kf_store_duty_list(struct kf_db *db, const char *day, const char *shift, int64_t after_id,
		       int limit, struct kf_arena *a, struct kf_duty_entry **items, int *n,
		       struct kf_err *err)
{
	struct kf_param p[] = {KP_TEXT(day), KP_TEXT(shift), KP_INT(after_id), KP_INT(limit + 1)};
	return kf_db_query_rows(
	    db,
	    "SELECT " DUTY_COLS
	    " WHERE d.day = $1 AND (CAST($2 AS TEXT) IS NULL OR d.shift = CAST($2 AS "
	    "TEXT)) AND d.id > $3 ORDER BY d.id LIMIT $4",
	    p, 4, read_duty, sizeof **items, a, (void **)items, n, err);
}
