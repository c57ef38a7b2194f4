/* SQL for shift templates, rosters, wishes, leave and swaps (W-1 … W-14),
 * for both engines. */
#include <string.h>
#include "store/workforce.h"

/* Runs a query expected to give at most one row, read by fn. */
static int one_row(struct kf_db *db, const char *sql, const struct kf_param *p, int n,
		   kf_row_reader fn, struct kf_arena *a, void *out, const char *what,
		   struct kf_err *err)
{
	int rc = kf_db_query_row(db, sql, p, n, fn, out, a, err);
	if (rc == 0)
		return kf_err_set(err, KF_ENOTFOUND, "%s does not exist", what);
	return rc < 0 ? rc : 0;
}

/* An UPDATE guarded by version: KF_ECONFLICT when no row matched. */
static int guarded(struct kf_db *db, const char *sql, const struct kf_param *p, int n,
		   const char *what, struct kf_err *err)
{
	int64_t changed = 0;
	int rc = kf_db_exec(db, sql, p, n, &changed, err);
	if (rc)
		return rc;
	if (changed != 1)
		return kf_err_set(err, KF_ECONFLICT, "%s was changed by someone else; reload it",
				  what);
	return 0;
}

static void read_shift(struct kf_rows *r, struct kf_arena *a, void *out)
{
	struct kf_rostered_shift *o = out;
	o->user_id = kf_rows_int(r, 0);
	o->month = kf_rows_dup(r, 1, a);
	o->day = kf_rows_dup(r, 2, a);
	o->shift = kf_rows_dup(r, 3, a);
	o->start_at = kf_rows_int(r, 4);
	o->end_at = kf_rows_int(r, 5);
}

int kf_store_roster_shifts_between(struct kf_db *db, int64_t user_id, int64_t from, int64_t to,
				   struct kf_arena *a, struct kf_rostered_shift **items, int *n,
				   struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(user_id), KP_INT(from), KP_INT(to)};
	return kf_db_query_rows(
	    db,
	    "SELECT s.user_id, r.month, s.day, s.shift, s.start_at, s.end_at FROM "
	    "roster_assignments s JOIN rosters r ON r.id = s.roster_id WHERE s.user_id "
	    "= $1 AND s.start_at < $3 AND s.end_at > $2 AND r.status = 'published' "
	    "ORDER BY s.start_at",
	    p, 3, read_shift, sizeof **items, a, (void **)items, n, err);
}

static void read_templates(struct kf_rows *r, struct kf_arena *a, void *out)
{
	struct kf_shift_templates *o = out;
	o->templates = kf_rows_dup(r, 0, a);
	o->coverage = kf_rows_dup(r, 1, a);
	o->version = kf_rows_int(r, 2);
	o->updated_by = kf_rows_int(r, 3);
	o->updated_at = kf_rows_int(r, 4);
}

int kf_store_shift_templates_get(struct kf_db *db, struct kf_arena *a,
				 struct kf_shift_templates *out, struct kf_err *err)
{
	return one_row(db,
		       "SELECT templates, coverage, version, updated_by, updated_at FROM "
		       "shift_templates WHERE id = 1",
		       NULL, 0, read_templates, a, out, "the department's shift templates", err);
}

int kf_store_shift_templates_put(struct kf_db *db, struct kf_shift_templates *t, struct kf_err *err)
{
	struct kf_param p[] = {KP_TEXT(t->templates), KP_TEXT(t->coverage), KP_INT(t->version),
			       kf_param_opt_int(t->updated_by > 0, t->updated_by),
			       KP_INT(t->updated_at)};
	int rc;
	if (t->version == 0) {
		int64_t n = 0;
		if ((rc = kf_db_exec(
			 db,
			 "INSERT INTO shift_templates (id, templates, coverage, version, "
			 "updated_by, updated_at) VALUES (1, $1, $2, CAST($3 AS BIGINT) + 1, $4, "
			 "$5) ON "
			 "CONFLICT (id) DO NOTHING",
			 p, 5, &n, err)))
			return rc;
		if (n != 1)
			return kf_err_set(
			    err, KF_ECONFLICT,
			    "the shift templates were changed by someone else; reload "
			    "them");
	} else if ((rc =
			guarded(db,
				"UPDATE shift_templates SET templates = $1, coverage = $2, version "
				"= $3 + 1, updated_by = $4, updated_at = $5 WHERE id = 1 AND "
				"version = $3",
				p, 5, "the shift templates", err))) {
		return rc;
	}
	t->version++;
	return 0;
}

#define ROSTER_COLS                                                                                \
	"id, month, status, team_id, templates, coverage, members, shortfalls, version, "          \
	"created_by, created_at, updated_at, published_by, published_at"

static void read_roster(struct kf_rows *r, struct kf_arena *a, void *out)
{
	struct kf_roster_rec *o = out;
	o->id = kf_rows_int(r, 0);
	o->month = kf_rows_dup(r, 1, a);
	o->status = kf_rows_dup(r, 2, a);
	o->team_id = kf_rows_int(r, 3);
	o->templates = kf_rows_dup(r, 4, a);
	o->coverage = kf_rows_dup(r, 5, a);
	o->members = kf_rows_dup(r, 6, a);
	o->shortfalls = kf_rows_dup(r, 7, a);
	o->version = kf_rows_int(r, 8);
	o->created_by = kf_rows_int(r, 9);
	o->created_at = kf_rows_int(r, 10);
	o->updated_at = kf_rows_int(r, 11);
	o->published_by = kf_rows_int(r, 12);
	o->published_at = kf_rows_int(r, 13);
}

int kf_store_roster_get(struct kf_db *db, const char *month, struct kf_arena *a,
			struct kf_roster_rec *out, struct kf_err *err)
{
	struct kf_param p = KP_TEXT(month);
	int rc = one_row(db, "SELECT " ROSTER_COLS " FROM rosters WHERE month = $1", &p, 1,
			 read_roster, a, out, "roster", err);
	if (rc == KF_ENOTFOUND)
		return kf_err_set(err, rc, "there is no roster for %s yet", month);
	return rc;
}

int kf_store_roster_save(struct kf_db *db, struct kf_roster_rec *r, struct kf_err *err)
{
	int rc;
	if (!r->id) {
		struct kf_param p[] = {KP_TEXT(r->month),
				       KP_TEXT(r->status),
				       kf_param_opt_int(r->team_id > 0, r->team_id),
				       KP_TEXT(r->templates),
				       KP_TEXT(r->coverage),
				       KP_TEXT(r->members),
				       KP_TEXT(r->shortfalls),
				       kf_param_opt_int(r->created_by > 0, r->created_by),
				       KP_INT(r->created_at)};
		rc = kf_db_query_int(
		    db,
		    "INSERT INTO rosters (month, status, team_id, templates, "
		    "coverage, members, shortfalls, version, created_by, created_at, "
		    "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $9) "
		    "RETURNING id",
		    p, 9, &r->id, err);
		if (rc < 0)
			return rc;
		r->version = 1;
		r->updated_at = r->created_at;
		return 0;
	}
	struct kf_param p[] = {KP_TEXT(r->status),
			       kf_param_opt_int(r->team_id > 0, r->team_id),
			       KP_TEXT(r->templates),
			       KP_TEXT(r->coverage),
			       KP_TEXT(r->members),
			       KP_TEXT(r->shortfalls),
			       KP_INT(r->updated_at),
			       kf_param_opt_int(r->published_by > 0, r->published_by),
			       kf_param_opt_int(r->published_at > 0, r->published_at),
			       KP_INT(r->id),
			       KP_INT(r->version)};
	if ((rc = guarded(
		 db,
		 "UPDATE rosters SET status = $1, team_id = $2, templates = $3, coverage = "
		 "$4, members = $5, shortfalls = $6, updated_at = $7, published_by = $8, "
		 "published_at = $9, version = version + 1 WHERE id = $10 AND version = $11",
		 p, 11, "the roster", err)))
		return rc;
	r->version++;
	return 0;
}

static void read_cell(struct kf_rows *r, struct kf_arena *a, void *out)
{
	struct kf_roster_cell *o = out;
	o->user_id = kf_rows_int(r, 0);
	o->day = kf_rows_dup(r, 1, a);
	o->shift = kf_rows_dup(r, 2, a);
	o->start_at = kf_rows_int(r, 3);
	o->end_at = kf_rows_int(r, 4);
}

int kf_store_roster_cells(struct kf_db *db, int64_t roster_id, struct kf_arena *a,
			  struct kf_roster_cell **items, int *n, struct kf_err *err)
{
	struct kf_param p = KP_INT(roster_id);
	return kf_db_query_rows(
	    db,
	    "SELECT user_id, day, shift, start_at, end_at FROM roster_assignments WHERE "
	    "roster_id = $1 ORDER BY user_id, day",
	    &p, 1, read_cell, sizeof **items, a, (void **)items, n, err);
}

int kf_store_roster_clear(struct kf_db *db, int64_t roster_id, struct kf_err *err)
{
	struct kf_param p = KP_INT(roster_id);
	return kf_db_exec(db, "DELETE FROM roster_assignments WHERE roster_id = $1", &p, 1, NULL,
			  err);
}

int kf_store_roster_cell_put(struct kf_db *db, int64_t roster_id, const struct kf_roster_cell *c,
			     struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(roster_id), KP_INT(c->user_id),  KP_TEXT(c->day),
			       KP_TEXT(c->shift), KP_INT(c->start_at), KP_INT(c->end_at)};
	int rc = kf_db_exec(db,
			    "DELETE FROM roster_assignments WHERE roster_id = $1 AND user_id = $2 "
			    "AND day = $3",
			    p, 3, NULL, err);
	if (rc || !c->shift)
		return rc;
	return kf_db_exec(db,
			  "INSERT INTO roster_assignments (roster_id, user_id, day, shift, "
			  "start_at, end_at) VALUES ($1, $2, $3, $4, $5, $6)",
			  p, 6, NULL, err);
}

int kf_store_wish_put(struct kf_db *db, const struct kf_roster_wish *w, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(w->user_id), KP_TEXT(w->month), KP_TEXT(w->days_off),
			       KP_TEXT(w->preferred_shift), KP_INT(w->updated_at)};
	return kf_db_exec(db,
			  "INSERT INTO roster_wishes (user_id, month, days_off, preferred_shift, "
			  "updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id, month) DO "
			  "UPDATE SET days_off = $3, preferred_shift = $4, updated_at = $5",
			  p, 5, NULL, err);
}

static void read_wish(struct kf_rows *r, struct kf_arena *a, void *out)
{
	struct kf_roster_wish *o = out;
	o->user_id = kf_rows_int(r, 0);
	o->month = kf_rows_dup(r, 1, a);
	o->days_off = kf_rows_dup(r, 2, a);
	o->preferred_shift = kf_rows_dup(r, 3, a);
	o->updated_at = kf_rows_int(r, 4);
}

int kf_store_wish_list(struct kf_db *db, const char *month, struct kf_arena *a,
		       struct kf_roster_wish **items, int *n, struct kf_err *err)
{
	struct kf_param p = KP_TEXT(month);
	return kf_db_query_rows(db,
				"SELECT user_id, month, days_off, preferred_shift, updated_at FROM "
				"roster_wishes WHERE month = $1 ORDER BY user_id",
				&p, 1, read_wish, sizeof **items, a, (void **)items, n, err);
}

#define LEAVE_COLS                                                                                 \
	"id, user_id, filed_by, type, start_at, end_at, days, reason, special, emergency, "        \
	"late_notice, status, levels, step, decisions, created_at, decided_at, version"

static void read_leave(struct kf_rows *r, struct kf_arena *a, void *out)
{
	struct kf_leave_rec *o = out;
	o->id = kf_rows_int(r, 0);
	o->user_id = kf_rows_int(r, 1);
	o->filed_by = kf_rows_int(r, 2);
	o->type = kf_rows_dup(r, 3, a);
	o->start_at = kf_rows_int(r, 4);
	o->end_at = kf_rows_int(r, 5);
	o->days = (int)kf_rows_int(r, 6);
	o->reason = kf_rows_dup(r, 7, a);
	o->special = kf_rows_int(r, 8) != 0;
	o->emergency = kf_rows_int(r, 9) != 0;
	o->late_notice = kf_rows_int(r, 10) != 0;
	o->status = kf_rows_dup(r, 11, a);
	o->levels = kf_rows_dup(r, 12, a);
	o->step = (int)kf_rows_int(r, 13);
	o->decisions = kf_rows_dup(r, 14, a);
	o->created_at = kf_rows_int(r, 15);
	o->decided_at = kf_rows_int(r, 16);
	o->version = kf_rows_int(r, 17);
}

int kf_store_leave_insert(struct kf_db *db, struct kf_leave_rec *l, struct kf_err *err)
{
	struct kf_param p[] = {
	    KP_INT(l->user_id),	  KP_INT(l->filed_by),	  KP_TEXT(l->type),	KP_INT(l->start_at),
	    KP_INT(l->end_at),	  KP_INT(l->days),	  KP_TEXT(l->reason),	KP_INT(l->special),
	    KP_INT(l->emergency), KP_INT(l->late_notice), KP_TEXT(l->status),	KP_TEXT(l->levels),
	    KP_INT(l->step),	  KP_TEXT(l->decisions),  KP_INT(l->created_at)};
	int rc =
	    kf_db_query_int(db,
			    "INSERT INTO leave_requests (user_id, filed_by, type, start_at, "
			    "end_at, days, reason, special, emergency, late_notice, status, "
			    "levels, step, decisions, created_at, version) VALUES ($1, $2, $3, "
			    "$4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 1) RETURNING id",
			    p, 15, &l->id, err);
	if (rc < 0)
		return rc;
	l->version = 1;
	return 0;
}

int kf_store_leave_get(struct kf_db *db, int64_t id, struct kf_arena *a, struct kf_leave_rec *out,
		       struct kf_err *err)
{
	struct kf_param p = KP_INT(id);
	int rc = one_row(db, "SELECT " LEAVE_COLS " FROM leave_requests WHERE id = $1", &p, 1,
			 read_leave, a, out, "leave request", err);
	if (rc == KF_ENOTFOUND)
		return kf_err_set(err, rc, "leave request %lld does not exist", (long long)id);
	return rc;
}

int kf_store_leave_update(struct kf_db *db, struct kf_leave_rec *l, struct kf_err *err)
{
	struct kf_param p[] = {
	    KP_TEXT(l->status),	   KP_INT(l->step),
	    KP_TEXT(l->decisions), kf_param_opt_int(l->decided_at > 0, l->decided_at),
	    KP_INT(l->id),	   KP_INT(l->version)};
	int rc = guarded(db,
			 "UPDATE leave_requests SET status = $1, step = $2, decisions = $3, "
			 "decided_at = $4, version = version + 1 WHERE id = $5 AND version = $6",
			 p, 6, "the leave request", err);
	if (!rc)
		l->version++;
	return rc;
}

int kf_store_leave_list(struct kf_db *db, const struct kf_leave_filter *f, struct kf_arena *a,
			struct kf_leave_rec **items, int *n, struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(f->user_id),    KP_TEXT(f->status),  KP_INT(f->overlap_from),
			       KP_INT(f->overlap_to), KP_INT(f->after_id), KP_INT(f->limit + 1)};
	return kf_db_query_rows(
	    db,
	    "SELECT " LEAVE_COLS " FROM leave_requests WHERE (CAST($1 AS BIGINT) = 0 OR user_id = "
	    "$1) AND (CAST($2 AS TEXT) IS NULL OR status = CAST($2 AS TEXT)) AND (CAST($4 AS "
	    "BIGINT) = 0 OR (start_at < $4 AND end_at > $3)) AND id > $5 ORDER BY id LIMIT $6",
	    p, 6, read_leave, sizeof **items, a, (void **)items, n, err);
}

#define SWAP_COLS                                                                                  \
	"id, month, day, requester_id, with_user_id, requester_shift, with_shift, status, "        \
	"needs_leads, counterpart, supervisor, lead_a, lead_b, decisions, created_at, "            \
	"decided_at, version"

static void read_swap(struct kf_rows *r, struct kf_arena *a, void *out)
{
	struct kf_swap_rec *o = out;
	o->id = kf_rows_int(r, 0);
	o->month = kf_rows_dup(r, 1, a);
	o->day = kf_rows_dup(r, 2, a);
	o->requester_id = kf_rows_int(r, 3);
	o->with_user_id = kf_rows_int(r, 4);
	o->requester_shift = kf_rows_dup(r, 5, a);
	o->with_shift = kf_rows_dup(r, 6, a);
	o->status = kf_rows_dup(r, 7, a);
	o->needs_leads = kf_rows_int(r, 8) != 0;
	o->counterpart = kf_rows_dup(r, 9, a);
	o->supervisor = kf_rows_dup(r, 10, a);
	o->lead_a = kf_rows_dup(r, 11, a);
	o->lead_b = kf_rows_dup(r, 12, a);
	o->decisions = kf_rows_dup(r, 13, a);
	o->created_at = kf_rows_int(r, 14);
	o->decided_at = kf_rows_int(r, 15);
	o->version = kf_rows_int(r, 16);
}

int kf_store_swap_insert(struct kf_db *db, struct kf_swap_rec *s, struct kf_err *err)
{
	struct kf_param p[] = {KP_TEXT(s->month),	    KP_TEXT(s->day),
			       KP_INT(s->requester_id),	    KP_INT(s->with_user_id),
			       KP_TEXT(s->requester_shift), KP_TEXT(s->with_shift),
			       KP_TEXT(s->status),	    KP_INT(s->needs_leads),
			       KP_TEXT(s->decisions),	    KP_INT(s->created_at)};
	int rc =
	    kf_db_query_int(db,
			    "INSERT INTO swap_requests (month, day, requester_id, with_user_id, "
			    "requester_shift, with_shift, status, needs_leads, decisions, "
			    "created_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
			    "$10, 1) RETURNING id",
			    p, 10, &s->id, err);
	if (rc < 0)
		return rc;
	s->version = 1;
	return 0;
}

int kf_store_swap_get(struct kf_db *db, int64_t id, struct kf_arena *a, struct kf_swap_rec *out,
		      struct kf_err *err)
{
	struct kf_param p = KP_INT(id);
	int rc = one_row(db, "SELECT " SWAP_COLS " FROM swap_requests WHERE id = $1", &p, 1,
			 read_swap, a, out, "swap request", err);
	if (rc == KF_ENOTFOUND)
		return kf_err_set(err, rc, "swap request %lld does not exist", (long long)id);
	return rc;
}

int kf_store_swap_update(struct kf_db *db, struct kf_swap_rec *s, struct kf_err *err)
{
	struct kf_param p[] = {KP_TEXT(s->status),
			       KP_TEXT(s->counterpart),
			       KP_TEXT(s->supervisor),
			       KP_TEXT(s->lead_a),
			       KP_TEXT(s->lead_b),
			       KP_TEXT(s->decisions),
			       kf_param_opt_int(s->decided_at > 0, s->decided_at),
			       KP_INT(s->id),
			       KP_INT(s->version)};
	int rc = guarded(db,
			 "UPDATE swap_requests SET status = $1, counterpart = $2, supervisor = $3, "
			 "lead_a = $4, lead_b = $5, decisions = $6, decided_at = $7, version = "
			 "version + 1 WHERE id = $8 AND version = $9",
			 p, 9, "the swap request", err);
	if (!rc)
		s->version++;
	return rc;
}

int kf_store_swap_list(struct kf_db *db, int64_t user_id, const char *status, int64_t after_id,
		       int limit, struct kf_arena *a, struct kf_swap_rec **items, int *n,
		       struct kf_err *err)
{
	struct kf_param p[] = {KP_INT(user_id), KP_TEXT(status), KP_INT(after_id),
			       KP_INT(limit + 1)};
	return kf_db_query_rows(
	    db,
	    "SELECT " SWAP_COLS " FROM swap_requests WHERE (CAST($1 AS BIGINT) = 0 OR "
	    "requester_id = $1 OR with_user_id = $1) AND (CAST($2 AS TEXT) IS NULL OR "
	    "status = CAST($2 AS "
	    "TEXT)) AND id > $3 ORDER BY id LIMIT $4",
	    p, 4, read_swap, sizeof **items, a, (void **)items, n, err);
}
