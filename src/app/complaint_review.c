/* The monthly complaint review (K-8, seed 000 §篇4 第二十八条) and the fine
 * entry an upheld service-caused complaint records for the evaluation (K-9,
 * E-8); the approvals inbox of resolutions waiting for a role (K-5). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/complaints.h"
#include "app/internal.h"
#include "rules/complaint.h"
#include "util/time.h"

/* ---- K-5: the approvals inbox ---- */

int kf_app_resolution_list(struct kf_ctx *c, const char *status, bool decidable, int64_t before_id,
			   int limit, struct kf_resolution **items, int *n, bool *more,
			   struct kf_err *err)
{
	static const char *const statuses[] = {"pending_approval", "approved", "rejected", "sent",
					       "accepted",	   "refused",  NULL};
	struct kf_db *db;
	int rc;
	bool known = !status;
	for (int i = 0; statuses[i] && !known; i++)
		known = !strcmp(status, statuses[i]);
	if (!known)
		return kf_err_field(err, KF_EINVALID, "status",
				    "status must be pending_approval, approved, rejected, sent, "
				    "accepted or refused");
	/* K-5: the roles whose resolutions the caller's role may decide. */
	char roles[40] = ",";
	size_t len = 1;
	if (decidable) {
		static const enum kf_role ladder[] = {KF_ROLE_MANAGER, KF_ROLE_VP, KF_ROLE_GM};
		status = "pending_approval";
		for (int i = 0; i < 3; i++)
			if (c->actor.is_operator ||
			    kf_complaint_may_approve(c->actor.role, ladder[i]))
				len += (size_t)snprintf(roles + len, sizeof roles - len, "%s,",
							kf_role_name(ladder[i]));
	}
	if ((rc = kf_ctx_require(c, KF_PERM_TICKETS_READ, err)) ||
	    (rc = kf_ctx_db_read(c, &db, err)) ||
	    (rc = kf_store_resolution_find(db, status, decidable ? roles : NULL, before_id, limit,
					   c->arena, items, n, err)))
		return rc;
	*more = *n > limit;
	if (*more)
		*n = limit;
	return 0;
}

/* ---- K-9, E-8 ---- */

/* Local date ymd (YYYYMMDD) as YYYY-MM-DD. */
static void ymd_text(int ymd, char out[16])
{
	snprintf(out, 16, "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100, ymd % 100);
}

/* The instant local date ymd (YYYYMMDD) starts. */
static int64_t day_start(int ymd)
{
	char s[16];
	int64_t ms = 0;
	ymd_text(ymd, s);
	kf_time_parse_date(s, &ms);
	return ms;
}

/* Records the E-8 fine of user as role (responsible, direct_leader) for
 * complaint t. */
static int fine(struct kf_ctx *c, struct kf_db *db, const struct kf_policy *p, int64_t version,
		const struct kf_ticket *t, int64_t user, const char *role, struct kf_err *err)
{
	int64_t count;
	bool inserted;
	int start = kf_fine_window_start(kf_policy_str(p, "fines.service_complaint.count_window"),
					 kf_time_local_ymd(c->now));
	int rc = kf_store_sanction_count(db, user, role, day_start(start), &count, err);
	if (rc)
		return rc;
	struct kf_complaint_sanction s = {.ticket_id = t->id,
					  .user_id = user,
					  .role = role,
					  .rule = "E-8",
					  .occurrence = (int)count + 1,
					  .policy_version = version,
					  .created_at = c->now};
	s.fine_fen = kf_service_complaint_fine(p, s.occurrence, &s.propose_dismissal);
	if ((rc = kf_store_sanction_insert(db, &s, &inserted, err)) || !inserted)
		return rc;
	return kf_app_ticket_record(
	    c, db, t->id, t->number, "complaint_fine_recorded", true, NULL,
	    json_pack("{s:s, s:s, s:o, s:s, s:i, s:I, s:b}", "rule", "K-9", "fine_rule", "E-8",
		      "user_id", kf_app_json_id(user), "role", role, "occurrence", s.occurrence,
		      "fine_fen", (json_int_t)s.fine_fen, "propose_dismissal", s.propose_dismissal),
	    err);
}

int kf_app_complaint_on_close_tx(struct kf_ctx *c, struct kf_db *db, const struct kf_policy *p,
				 const struct kf_ticket *t, struct kf_err *err)
{
	struct kf_complaint f;
	struct kf_resolution *res;
	int n, rc;
	int64_t version, leader;
	if (strcmp(t->type, "complaint"))
		return 0;
	rc = kf_store_complaint_get(db, t->id, c->arena, &f, err);
	if (rc == KF_ENOTFOUND) {
		kf_err_clear(err);
		return 0;
	}
	if (rc)
		return rc;
	if (!f.service_caused || !f.responsible_user_id)
		return 0;
	if ((rc = kf_store_resolution_list(db, t->id, c->arena, &res, &n, err)))
		return rc;
	if (!n || !kf_complaint_upheld(res[n - 1].kind, res[n - 1].status))
		return 0;
	if ((rc = kf_store_policy_version_at(db, c->now, &version, err)) ||
	    (rc = fine(c, db, p, version, t, f.responsible_user_id, "responsible", err)))
		return rc;
	if (!kf_policy_bool(p, "fines.service_complaint.direct_leader_same_fine"))
		return 0;
	if ((rc = kf_store_direct_leader(db, f.responsible_user_id, &leader, err)) || !leader)
		return rc;
	return fine(c, db, p, version, t, leader, "direct_leader", err);
}

int kf_app_sanction_list(struct kf_ctx *c, int64_t user_id, int64_t ticket_id, int64_t after_id,
			 int limit, struct kf_complaint_sanction **items, int *n, bool *more,
			 struct kf_err *err)
{
	struct kf_db *db;
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_COMPLAINT_REVIEWS_READ, err)) ||
	    (rc = kf_ctx_db_read(c, &db, err)) ||
	    (rc = kf_store_sanction_list(db, ticket_id, user_id, after_id, limit, c->arena, items,
					 n, err)))
		return rc;
	*more = *n > limit;
	if (*more)
		*n = limit;
	return 0;
}

json_t *kf_app_sanction_json(const struct kf_complaint_sanction *s)
{
	return json_pack("{s:o, s:o, s:s, s:o, s:s, s:s, s:s, s:i, s:I, s:b, s:I, s:o}", "id",
			 kf_app_json_id(s->id), "ticket_id", kf_app_json_id(s->ticket_id),
			 "ticket_number", s->ticket_number, "user_id", kf_app_json_id(s->user_id),
			 "user_name", s->user_name, "role", s->role, "rule", s->rule, "occurrence",
			 s->occurrence, "fine_fen", (json_int_t)s->fine_fen, "propose_dismissal",
			 s->propose_dismissal, "policy_version", (json_int_t)s->policy_version,
			 "created_at", kf_app_json_instant(s->created_at));
}

/* ---- K-8 ---- */

/* Checks month (YYYY-MM) and fills the view's dates and state. */
static int load(struct kf_ctx *c, struct kf_db *db, const char *month,
		struct kf_complaint_review_view *v, struct kf_err *err)
{
	const struct kf_policy *p;
	int y, m, rc;
	char tail;
	memset(v, 0, sizeof *v);
	if (!month || strlen(month) != 7 || sscanf(month, "%4d-%2d%c", &y, &m, &tail) != 2 ||
	    month[4] != '-' || y < 2000 || y > 2200 || m < 1 || m > 12)
		return kf_err_field(err, KF_EINVALID, "month", "month must be YYYY-MM");
	if ((rc = kf_ctx_policy(c, &p, err)))
		return rc;
	struct kf_review_window w;
	kf_complaint_review_window(
	    y, m, (int)kf_policy_int(p, "complaints.monthly_review_before_day"), &w);
	snprintf(v->month, sizeof v->month, "%04d-%02d", y, m);
	ymd_text(w.opens, v->opens);
	ymd_text(w.due, v->due);
	rc = kf_store_review_get(db, v->month, c->arena, &v->review, err);
	if (rc && rc != KF_ENOTFOUND)
		return rc;
	kf_err_clear(err);
	v->reviewed = rc == 0;
	v->state = kf_complaint_review_state(&w, kf_time_local_ymd(c->now), v->reviewed);
	if (!strcmp(v->state, "not_open"))
		return kf_err_rule(err, KF_ERULE, "K-8",
				   "the review of %s opens on %s, when the month is over", v->month,
				   v->opens);
	int64_t from = day_start(y * 10000 + m * 100 + 1), to = day_start(w.opens);
	if ((rc = kf_store_review_items(db, from, to, c->arena, &v->items, &v->nitems, err)))
		return rc;
	int cap = 0;
	for (int i = 0; i < v->nitems; i++) {
		struct kf_complaint_sanction *s;
		int n;
		if ((rc = kf_store_sanction_list(db, v->items[i].ticket_id, 0, 0, 0, c->arena, &s,
						 &n, err)))
			return rc;
		for (int j = 0; j < n; j++) {
			if (v->nsanctions == cap)
				v->sanctions = kf_arena_grow(c->arena, v->sanctions, v->nsanctions,
							     &cap, sizeof *v->sanctions);
			v->sanctions[v->nsanctions++] = s[j];
		}
	}
	return 0;
}

int kf_app_complaint_review_get(struct kf_ctx *c, const char *month,
				struct kf_complaint_review_view *out, struct kf_err *err)
{
	struct kf_db *db;
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_COMPLAINT_REVIEWS_READ, err)) ||
	    (rc = kf_ctx_db_read(c, &db, err)))
		return rc;
	return load(c, db, month, out, err);
}

int kf_app_complaint_review_submit(struct kf_ctx *c, const char *month,
				   const struct kf_review_input *in,
				   struct kf_complaint_review_view *out, struct kf_err *err)
{
	struct kf_db *db;
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_COMPLAINT_REVIEWS_WRITE, err)) ||
	    (rc = kf_ctx_db(c, &db, err)) || (rc = kf_db_begin(db, err)) ||
	    (rc = load(c, db, month, out, err)))
		return rc;
	if (out->reviewed)
		return kf_err_rule(err, KF_ECONFLICT, "K-8",
				   "the complaints of %s are already reviewed", out->month);
	for (int i = 0; i < in->ndecisions; i++) {
		const struct kf_review_decision *d = &in->decisions[i];
		char field[48];
		bool listed = false;
		for (int j = 0; j < out->nitems && !listed; j++)
			listed = out->items[j].ticket_id == d->ticket_id;
		for (int j = 0; j < i && listed; j++)
			if (in->decisions[j].ticket_id == d->ticket_id)
				listed = false;
		snprintf(field, sizeof field, "decisions[%d].ticket_id", i);
		if (!listed)
			return kf_err_field(
			    err, KF_EINVALID, kf_arena_strdup(c->arena, field),
			    "ticket %lld is not a complaint closed in %s, or is decided "
			    "twice (K-8)",
			    (long long)d->ticket_id, out->month);
		snprintf(field, sizeof field, "decisions[%d].sanction", i);
		if (kf_sanction_parse(d->sanction) < 0)
			return kf_err_field(
			    err, KF_EINVALID, kf_arena_strdup(c->arena, field),
			    "sanction must be none, warning, public_criticism, "
			    "minor_demerit, major_demerit, dismissal or compensation "
			    "(E-12)");
	}
	if (in->ndecisions != out->nitems) {
		for (int j = 0; j < out->nitems; j++) {
			bool decided = false;
			for (int i = 0; i < in->ndecisions && !decided; i++)
				decided = in->decisions[i].ticket_id == out->items[j].ticket_id;
			if (!decided)
				return kf_err_field(err, KF_EINVALID, "decisions",
						    "complaint %s has no decision; each complaint "
						    "closed in %s needs one (K-8)",
						    out->items[j].number, out->month);
		}
	}
	struct kf_complaint_review r = {.month = out->month,
					.reviewed_by = c->actor.user_id,
					.reviewed_at = c->now,
					.comment = in->comment,
					.decisions = in->decisions,
					.ndecisions = in->ndecisions};
	json_t *d = json_array();
	for (int i = 0; i < in->ndecisions; i++)
		json_array_append_new(d, json_pack("{s:o, s:s}", "ticket_id",
						   kf_app_json_id(in->decisions[i].ticket_id),
						   "sanction", in->decisions[i].sanction));
	if ((rc = kf_store_review_insert(db, &r, err)) ||
	    (rc = kf_app_audit(c, db, "complaint_review.create", "complaint_review", out->month,
			       json_pack("{s:s, s:o}", "rule", "K-8", "decisions", d), err)) ||
	    (rc = kf_db_commit(db, err)))
		return rc;
	return load(c, db, month, out, err);
}

json_t *kf_app_complaint_review_json(const struct kf_complaint_review_view *v)
{
	json_t *items = json_array();
	for (int i = 0; i < v->nitems; i++) {
		const struct kf_review_item *it = &v->items[i];
		json_t *fines = json_array(), *decision = json_null();
		for (int j = 0; j < v->nsanctions; j++)
			if (v->sanctions[j].ticket_id == it->ticket_id)
				json_array_append_new(fines,
						      kf_app_sanction_json(&v->sanctions[j]));
		for (int j = 0; j < v->review.ndecisions; j++) {
			const struct kf_review_decision *d = &v->review.decisions[j];
			if (d->ticket_id != it->ticket_id)
				continue;
			decision = json_pack("{s:s, s:o, s:o}", "sanction", d->sanction, "fine_fen",
					     d->has_fine ? json_integer(d->fine_fen) : json_null(),
					     "comment", kf_app_json_str(d->comment));
		}
		json_t *res = json_null();
		if (it->resolution_kind)
			res = json_pack(
			    "{s:o, s:s, s:s, s:o}", "id", kf_app_json_id(it->resolution_id), "kind",
			    it->resolution_kind, "status", it->resolution_status, "amount_fen",
			    it->has_amount ? json_integer(it->amount_fen) : json_null());
		json_t *o = json_object();
		json_object_set_new(o, "ticket_id", kf_app_json_id(it->ticket_id));
		json_object_set_new(o, "number", json_string(it->number));
		json_object_set_new(o, "subject", json_string(it->subject));
		json_object_set_new(o, "closed_at", kf_app_json_instant(it->closed_at));
		json_object_set_new(o, "cause", kf_app_json_str(it->cause));
		json_object_set_new(o, "severity", kf_app_json_str(it->severity));
		json_object_set_new(o, "service_caused", json_boolean(it->service_caused));
		json_object_set_new(o, "responsible_user_id",
				    kf_app_json_id(it->responsible_user_id));
		json_object_set_new(o, "responsible_name", kf_app_json_str(it->responsible_name));
		json_object_set_new(o, "responsible_department",
				    kf_app_json_str(it->responsible_department));
		json_object_set_new(o, "resolution", res);
		json_object_set_new(
		    o, "upheld",
		    json_boolean(kf_complaint_upheld(it->resolution_kind, it->resolution_status)));
		json_object_set_new(o, "proposed_fines", fines);
		json_object_set_new(o, "decision", decision);
		json_array_append_new(items, o);
	}
	json_t *review = json_null();
	if (v->reviewed)
		review = json_pack("{s:o, s:o, s:o, s:o}", "reviewed_by",
				   kf_app_json_id(v->review.reviewed_by), "reviewer_name",
				   kf_app_json_str(v->review.reviewer_name), "reviewed_at",
				   kf_app_json_instant(v->review.reviewed_at), "comment",
				   kf_app_json_str(v->review.comment));
	return json_pack("{s:s, s:s, s:s, s:s, s:b, s:o, s:o}", "month", v->month, "opens_on",
			 v->opens, "due_before", v->due, "state", v->state, "overdue",
			 !strcmp(v->state, "overdue"), "review", review, "items", items);
}
