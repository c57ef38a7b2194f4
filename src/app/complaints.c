/* Complaints (SPEC K, seed 000 §篇4 第二十一条–第二十九条, §篇8): the complaint
 * form (K-1 … K-3), resolutions with approval authority (K-4, K-5) and the
 * linked complaint a refused resolution opens (K-6). Every change is a
 * timeline event of the complaint ticket and an audit entry (S-3), in the
 * transaction of the change. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/complaints.h"
#include "app/dispatch.h"
#include "app/events.h"
#include "app/inbox.h"
#include "app/internal.h"
#include "rules/complaint.h"
#include "rules/ticket.h"
#include "util/time.h"

/* A timeline event of ticket t and its audit entry. detail is stolen. */
static int record(struct kf_ctx *c, struct kf_db *db, const struct kf_ticket *t, const char *kind,
		  const char *body, json_t *detail, struct kf_err *err)
{
	return kf_app_ticket_record(c, db, t->id, t->number, kind, false, body, detail, err);
}

/* An event for the people a complaint concerns (GET /api/v1/events). extra
 * is merged into the payload and stolen. */
static int notify(struct kf_ctx *c, struct kf_db *db, const struct kf_ticket *t, const char *kind,
		  const int64_t *users, int nusers, const char *const *roles, json_t *extra,
		  struct kf_err *err)
{
	json_t *p = json_pack("{s:o, s:s, s:s, s:s, s:s, s:o}", "ticket_id", kf_app_json_id(t->id),
			      "number", t->number, "subject", t->subject, "status", t->status,
			      "priority", t->priority, "by", kf_app_json_id(c->actor.user_id));
	json_object_update(p, extra);
	json_decref(extra);
	return kf_app_notify(c, db, kind, users, nusers, roles, p, err);
}

/* What an inbox entry about complaint t shows; extra is merged and stolen. */
static json_t *inbox_payload(const struct kf_ticket *t, json_t *extra)
{
	json_t *p = json_pack("{s:s, s:s, s:s}", "number", t->number, "subject", t->subject,
			      "priority", t->priority);
	json_object_update(p, extra);
	json_decref(extra);
	return p;
}

/* K-2 (第十八条): major and crisis complaints go to the manager and the VP at
 * once. */
static const char *const report_roles[] = {"manager", "vp", NULL};

static int report(struct kf_ctx *c, struct kf_db *db, const struct kf_ticket *t,
		  const char *severity, struct kf_err *err)
{
	int rc = record(c, db, t, "complaint_reported", NULL,
			json_pack("{s:s, s:s, s:[s, s]}", "rule", "K-2", "severity", severity,
				  "notify_roles", "manager", "vp"),
			err);
	if (rc || (rc = notify(c, db, t, "complaint.reported", &t->owner_id, 1, report_roles,
			       json_pack("{s:s, s:s}", "severity", severity, "rule", "K-2"), err)))
		return rc;
	/* K-2: and it waits in their inbox until read. */
	return kf_app_inbox_post(
	    c, db, "complaint.reported", t->id, NULL, 0, report_roles,
	    inbox_payload(t, json_pack("{s:s, s:s}", "severity", severity, "rule", "K-2")), err);
}

static bool reported(const char *severity)
{
	int s = kf_complaint_severity_parse(severity);
	return s >= 0 && kf_complaint_severity_reported((enum kf_complaint_severity)s);
}

static bool same(const char *a, const char *b)
{
	return (a == NULL) == (b == NULL) && (!a || !strcmp(a, b));
}

/* Applies in to f, checking every member; records each change in diff. */
static int apply(struct kf_ctx *c, struct kf_db *db, struct kf_complaint *f,
		 const struct kf_complaint_input *in, json_t *diff, struct kf_err *err)
{
	struct kf_complaint b = *f;
	if (in->has_cause) {
		if (!in->cause || kf_complaint_cause_parse(in->cause) < 0)
			return kf_err_field(err, KF_EINVALID, "complaint.cause",
					    "cause must be quality or non_quality (K-1)");
		f->cause = in->cause;
		if (!strcmp(f->cause, "quality") && !in->has_non_quality_kind)
			f->non_quality_kind = NULL;
	}
	if (in->has_non_quality_kind) {
		if (in->non_quality_kind && kf_non_quality_kind_parse(in->non_quality_kind) < 0)
			return kf_err_field(err, KF_EINVALID, "complaint.non_quality_kind",
					    "non_quality_kind must be transport, handling, "
					    "service_attitude or other (K-1)");
		f->non_quality_kind = in->non_quality_kind;
	}
	if (f->non_quality_kind && !(f->cause && !strcmp(f->cause, "non_quality")))
		return kf_err_field(err, KF_EINVALID, "complaint.non_quality_kind",
				    "non_quality_kind goes only with cause non_quality (K-1)");
	if (in->has_severity) {
		if (!in->severity || kf_complaint_severity_parse(in->severity) < 0)
			return kf_err_field(err, KF_EINVALID, "complaint.severity",
					    "severity must be general, major or crisis (K-2)");
		f->severity = in->severity;
	}
	if (!f->cause)
		return kf_err_field(err, KF_EINVALID, "complaint.cause",
				    "a complaint form states its cause (K-1)");
	if (!f->severity)
		return kf_err_field(err, KF_EINVALID, "complaint.severity",
				    "a complaint form states its severity (K-2)");
	if (in->has_service_caused)
		f->service_caused = in->service_caused;
	if (in->has_responsible_user_id) {
		struct kf_user u;
		int rc = in->responsible_user_id
			     ? kf_store_user_get(db, in->responsible_user_id, c->arena, &u, err)
			     : 0;
		if (rc == KF_ENOTFOUND)
			return kf_err_field(err, KF_EINVALID, "complaint.responsible_user_id",
					    "user %lld does not exist",
					    (long long)in->responsible_user_id);
		if (rc)
			return rc;
		f->responsible_user_id = in->responsible_user_id;
	}
	if (in->has_responsible_department)
		f->responsible_department = in->responsible_department;
	if (in->has_investigation)
		f->investigation = in->investigation;
	if (in->has_order_no)
		f->order_no = in->order_no;
	if (in->has_batch)
		f->batch = in->batch;
	if (in->has_delivered_on)
		f->delivered_on = in->delivered_on;
	if (in->has_defective_qty)
		f->defective_qty = in->defective_qty;
#define DIFF_S(m)                                                                                  \
	if (!same(b.m, f->m))                                                                      \
	json_object_set_new(diff, #m,                                                              \
			    json_pack("{s:o, s:o}", "before", kf_app_json_str(b.m), "after",       \
				      kf_app_json_str(f->m)))
	DIFF_S(cause);
	DIFF_S(non_quality_kind);
	DIFF_S(severity);
	DIFF_S(responsible_department);
	DIFF_S(investigation);
	DIFF_S(order_no);
	DIFF_S(batch);
	DIFF_S(delivered_on);
#undef DIFF_S
	if (b.service_caused != f->service_caused)
		json_object_set_new(diff, "service_caused",
				    json_pack("{s:b, s:b}", "before", b.service_caused, "after",
					      f->service_caused));
	if (b.responsible_user_id != f->responsible_user_id)
		json_object_set_new(diff, "responsible_user_id",
				    json_pack("{s:o, s:o}", "before",
					      kf_app_json_id(b.responsible_user_id), "after",
					      kf_app_json_id(f->responsible_user_id)));
	if (b.defective_qty != f->defective_qty)
		json_object_set_new(
		    diff, "defective_qty",
		    json_pack("{s:o, s:o}", "before",
			      b.defective_qty < 0 ? json_null() : json_integer(b.defective_qty),
			      "after",
			      f->defective_qty < 0 ? json_null() : json_integer(f->defective_qty)));
	return 0;
}

static void blank_form(struct kf_complaint *f, const struct kf_ticket *t, int64_t now)
{
	memset(f, 0, sizeof *f);
	f->ticket_id = t->id;
	f->root_ticket_id = t->id;
	f->defective_qty = -1;
	f->created_at = now;
	f->updated_at = now;
}

int kf_app_complaint_register_tx(struct kf_ctx *c, struct kf_db *db, const struct kf_ticket *t,
				 const struct kf_complaint_input *in, struct kf_err *err)
{
	struct kf_complaint f;
	int rc;
	if (strcmp(t->type, "complaint"))
		return kf_err_field(err, KF_EINVALID, "complaint",
				    "only a ticket of type complaint has a complaint form (K-1)");
	blank_form(&f, t, c->now);
	if (in->parent_ticket_id) {
		struct kf_complaint parent;
		if ((rc = kf_store_complaint_get(db, in->parent_ticket_id, c->arena, &parent, err)))
			return rc;
		f.parent_ticket_id = in->parent_ticket_id;
		f.root_ticket_id = parent.root_ticket_id;
	}
	json_t *diff = json_object();
	if ((rc = apply(c, db, &f, in, diff, err)) || (rc = kf_store_complaint_put(db, &f, err))) {
		json_decref(diff);
		return rc;
	}
	json_decref(diff);
	return reported(f.severity) ? report(c, db, t, f.severity, err) : 0;
}

int kf_app_complaint_update_tx(struct kf_ctx *c, struct kf_db *db, const struct kf_policy *p,
			       struct kf_ticket *t, const struct kf_ticket *before,
			       const struct kf_complaint_input *in, bool priority_requested,
			       json_t *changes, struct kf_err *err)
{
	bool was = !strcmp(before->type, "complaint"), is = !strcmp(t->type, "complaint");
	struct kf_complaint f;
	int rc;
	if (!in && !was && !is)
		return 0;
	if (in && !is)
		return kf_err_field(err, KF_EINVALID, "complaint",
				    "only a ticket of type complaint has a complaint form (K-1)");
	rc = kf_store_complaint_get(db, t->id, c->arena, &f, err);
	bool exists = rc == 0;
	if (rc && rc != KF_ENOTFOUND)
		return rc;
	if (was && !is) {
		struct kf_resolution *all;
		int n = 0;
		if (!exists && (rc = kf_store_resolution_list(db, t->id, c->arena, &all, &n, err)))
			return rc;
		if (!exists && !n)
			return 0;
		return kf_err_rule(err, KF_ECONFLICT, "K-1",
				   "ticket %s has a complaint form or resolutions; its type stays "
				   "complaint",
				   t->number);
	}
	if (!exists)
		blank_form(&f, t, c->now);
	const char *old_severity = exists ? f.severity : NULL;
	if (in) {
		json_t *diff = json_object();
		if ((rc = apply(c, db, &f, in, diff, err))) {
			json_decref(diff);
			return rc;
		}
		if (json_object_size(diff) || !exists) {
			f.updated_at = c->now;
			if ((rc = kf_store_complaint_put(db, &f, err))) {
				json_decref(diff);
				return rc;
			}
			json_object_set_new(changes, "complaint", diff);
		} else {
			json_decref(diff);
		}
	}
	/* T-9, K-2: the severity's priority is a floor. */
	const char *severity = exists || in ? f.severity : NULL;
	enum kf_priority floor = kf_ticket_priority(p, -1, t->customer_grade, severity);
	int pri = kf_priority_parse(t->priority);
	if (pri < (int)floor) {
		if (priority_requested && pri != kf_priority_parse(before->priority))
			return kf_err_rule(err, KF_ERULE, "T-9", "a %s complaint is at least %s",
					   severity, kf_priority_name(floor));
		t->priority = kf_priority_name(floor);
		json_object_set_new(
		    changes, "priority",
		    json_pack("{s:s, s:s}", "before", before->priority, "after", t->priority));
	}
	if (severity && reported(severity) && !reported(old_severity))
		return report(c, db, t, severity, err);
	return 0;
}

int kf_app_complaint_view_load(struct kf_ctx *c, struct kf_db *db, struct kf_ticket_view *v,
			       struct kf_err *err)
{
	v->complaint = NULL;
	if (strcmp(v->t.type, "complaint"))
		return 0;
	struct kf_complaint_view *cv = kf_arena_zalloc(c->arena, sizeof *cv);
	int rc = kf_store_complaint_get(db, v->t.id, c->arena, &cv->form, err);
	if (rc && rc != KF_ENOTFOUND)
		return rc;
	cv->has_form = rc == 0;
	if ((cv->has_form && (rc = kf_store_complaint_chain(db, cv->form.root_ticket_id, c->arena,
							    &cv->chain, &cv->nchain, err))) ||
	    (rc = kf_store_resolution_list(db, v->t.id, c->arena, &cv->resolutions,
					   &cv->nresolutions, err)))
		return rc;
	v->complaint = cv;
	return 0;
}

void kf_app_complaint_json(json_t *o, const struct kf_ticket_view *v)
{
	const struct kf_complaint_view *cv = v->complaint;
	if (!cv) {
		json_object_set_new(o, "parent_id", json_null());
		json_object_set_new(o, "complaint", json_null());
		return;
	}
	const struct kf_complaint *f = &cv->form;
	json_t *x = json_object();
	json_object_set_new(x, "cause", kf_app_json_str(f->cause));
	json_object_set_new(x, "non_quality_kind", kf_app_json_str(f->non_quality_kind));
	json_object_set_new(x, "severity", kf_app_json_str(f->severity));
	json_object_set_new(x, "service_caused", json_boolean(f->service_caused));
	json_object_set_new(x, "responsible_user_id", kf_app_json_id(f->responsible_user_id));
	json_object_set_new(x, "responsible_department",
			    kf_app_json_str(f->responsible_department));
	json_object_set_new(x, "investigation", kf_app_json_str(f->investigation));
	json_object_set_new(x, "order_no", kf_app_json_str(f->order_no));
	json_object_set_new(x, "batch", kf_app_json_str(f->batch));
	json_object_set_new(x, "delivered_on", kf_app_json_str(f->delivered_on));
	json_object_set_new(x, "defective_qty",
			    cv->has_form && f->defective_qty >= 0 ? json_integer(f->defective_qty)
								  : json_null());
	json_object_set_new(x, "parent_id", kf_app_json_id(f->parent_ticket_id));
	json_object_set_new(x, "root_id",
			    kf_app_json_id(cv->has_form ? f->root_ticket_id : v->t.id));
	json_t *chain = json_array();
	for (int i = 0; i < cv->nchain; i++)
		json_array_append_new(
		    chain,
		    json_pack("{s:o, s:s, s:s, s:o}", "id", kf_app_json_id(cv->chain[i].ticket_id),
			      "number", cv->chain[i].number, "status", cv->chain[i].status,
			      "parent_id", kf_app_json_id(cv->chain[i].parent_ticket_id)));
	json_object_set_new(x, "chain", chain);
	json_t *res = json_array();
	for (int i = 0; i < cv->nresolutions; i++)
		json_array_append_new(res, kf_app_resolution_json(&cv->resolutions[i]));
	json_object_set_new(x, "resolutions", res);
	json_object_set_new(o, "parent_id", kf_app_json_id(f->parent_ticket_id));
	json_object_set_new(o, "complaint", x);
}

json_t *kf_app_resolution_json(const struct kf_resolution *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", kf_app_json_id(r->id));
	json_object_set_new(o, "ticket_id", kf_app_json_id(r->ticket_id));
	json_object_set_new(o, "ticket_number", kf_app_json_str(r->ticket_number));
	json_object_set_new(o, "kind", json_string(r->kind));
	json_object_set_new(o, "summary", json_string(r->summary));
	json_object_set_new(o, "amount_fen",
			    r->has_amount ? json_integer(r->amount_fen) : json_null());
	json_object_set_new(o, "quantity",
			    r->has_quantity ? json_integer(r->quantity) : json_null());
	json_object_set_new(o, "required_approver_role", kf_app_json_str(r->required_role));
	json_object_set_new(o, "status", json_string(r->status));
	json_object_set_new(o, "policy_version", json_integer(r->policy_version));
	json_object_set_new(o, "created_by", kf_app_json_id(r->created_by));
	json_object_set_new(o, "created_at", kf_app_json_instant(r->created_at));
	json_object_set_new(o, "decided_by", kf_app_json_id(r->decided_by));
	json_object_set_new(o, "decided_role", kf_app_json_str(r->decided_role));
	json_object_set_new(o, "decided_at", kf_app_json_instant(r->decided_at));
	json_object_set_new(o, "decision_comment", kf_app_json_str(r->decision_comment));
	json_object_set_new(o, "sent_by", kf_app_json_id(r->sent_by));
	json_object_set_new(o, "sent_at", kf_app_json_instant(r->sent_at));
	json_object_set_new(o, "responded_at", kf_app_json_instant(r->responded_at));
	json_object_set_new(o, "response_comment", kf_app_json_str(r->response_comment));
	json_object_set_new(o, "follow_up_ticket_id", kf_app_json_id(r->follow_up_ticket_id));
	return o;
}

/* ---- resolutions ---- */

/* Owner, assignee, someone who assigns work, the VP or the GM handles a
 * complaint (as tickets.c allows changes to a ticket). */
static int may_handle(const struct kf_ctx *c, const struct kf_ticket *t, struct kf_err *err)
{
	if (c->actor.is_operator || t->owner_id == c->actor.user_id ||
	    t->assignee_id == c->actor.user_id ||
	    kf_role_can(c->actor.role, KF_PERM_TICKETS_ASSIGN) || c->actor.role == KF_ROLE_VP ||
	    c->actor.role == KF_ROLE_GM)
		return 0;
	return kf_err_set(err, KF_EFORBIDDEN,
			  "only the owner, the assignee or a supervisor may handle complaint %s",
			  t->number);
}

/* Opens the write transaction and reads the complaint ticket id. */
static int begin_complaint(struct kf_ctx *c, int64_t id, struct kf_db **db, struct kf_ticket *t,
			   const char *rule, struct kf_err *err)
{
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_TICKETS_WRITE, err)) || (rc = kf_ctx_db(c, db, err)) ||
	    (rc = kf_db_begin(*db, err)) || (rc = kf_store_ticket_get(*db, id, c->arena, t, err)))
		return rc;
	if (strcmp(t->type, "complaint"))
		return kf_err_rule(err, KF_ERULE, rule,
				   "ticket %s is of type %s; resolutions belong to complaints",
				   t->number, t->type);
	return 0;
}

/* Opens the write transaction and reads resolution id with its ticket. */
static int begin_resolution(struct kf_ctx *c, int64_t id, struct kf_db **db,
			    struct kf_resolution *r, struct kf_ticket *t, struct kf_err *err)
{
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_TICKETS_WRITE, err)) || (rc = kf_ctx_db(c, db, err)) ||
	    (rc = kf_db_begin(*db, err)) ||
	    (rc = kf_store_resolution_get(*db, id, c->arena, r, err)))
		return rc;
	return kf_store_ticket_get(*db, r->ticket_id, c->arena, t, err);
}

static json_t *resolution_detail(const struct kf_resolution *r)
{
	json_t *d = json_pack("{s:o, s:s, s:s}", "resolution_id", kf_app_json_id(r->id), "kind",
			      r->kind, "status", r->status);
	if (r->has_amount)
		json_object_set_new(d, "amount_fen", json_integer(r->amount_fen));
	if (r->has_quantity)
		json_object_set_new(d, "quantity", json_integer(r->quantity));
	json_object_set_new(d, "required_approver_role", kf_app_json_str(r->required_role));
	return d;
}

static void unref_policy(void *p)
{
	kf_policy_unref(p);
}

int kf_app_resolution_propose(struct kf_ctx *c, int64_t ticket_id,
			      const struct kf_resolution_input *in, struct kf_resolution *out,
			      struct kf_err *err)
{
	struct kf_db *db;
	struct kf_ticket t;
	struct kf_resolution open;
	struct kf_policy *p;
	int64_t version;
	int rc;
	int kind = kf_resolution_kind_parse(in->kind);
	if (kind < 0)
		return kf_err_field(err, KF_EINVALID, "kind",
				    "kind must be explanation, compensation, discount, return, "
				    "rework or not_upheld (K-4)");
	bool amount = kf_resolution_takes_amount((enum kf_resolution_kind)kind);
	bool quantity = kf_resolution_takes_quantity((enum kf_resolution_kind)kind);
	if (amount && !in->has_amount)
		return kf_err_field(err, KF_EINVALID, "amount_fen",
				    "a %s states its amount_fen (K-4)", in->kind);
	if (!amount && in->has_amount)
		return kf_err_field(err, KF_EINVALID, "amount_fen",
				    "only a compensation or a discount has an amount (K-4)");
	if (in->has_amount && in->amount_fen < 0)
		return kf_err_field(err, KF_EINVALID, "amount_fen",
				    "amount_fen must not be negative");
	if (quantity && !in->has_quantity)
		return kf_err_field(err, KF_EINVALID, "quantity", "a %s states its quantity (K-4)",
				    in->kind);
	if (!quantity && in->has_quantity)
		return kf_err_field(err, KF_EINVALID, "quantity",
				    "only a return or a rework has a quantity (K-4)");
	if (in->has_quantity && in->quantity < 1)
		return kf_err_field(err, KF_EINVALID, "quantity", "quantity must be at least 1");
	if ((rc = begin_complaint(c, ticket_id, &db, &t, "K-4", err)) ||
	    (rc = may_handle(c, &t, err)))
		return rc;
	if (!strcmp(t.status, "closed"))
		return kf_err_rule(err, KF_ECONFLICT, "T-6",
				   "ticket %s is closed; reopen it to propose a resolution",
				   t.number);
	const char *busy[] = {"pending_approval", "approved", "sent"};
	for (int i = 0; i < 3; i++) {
		rc = kf_store_resolution_latest(db, t.id, busy[i], c->arena, &open, err);
		if (rc == 0)
			return kf_err_rule(err, KF_ECONFLICT, "K-4",
					   "complaint %s already has resolution %lld %s", t.number,
					   (long long)open.id, open.status);
		if (rc != KF_ENOTFOUND)
			return rc;
	}
	/* K-5: the approver the amount requires under the policy in force. */
	if ((rc = kf_app_policy_version_at(c->app, db, c->now, &p, &version, err)))
		return rc;
	kf_arena_defer(c->arena, unref_policy, p);
	int role = kf_complaint_approver(p, in->has_amount, in->amount_fen);
	struct kf_resolution r = {.ticket_id = t.id,
				  .kind = kf_resolution_kind_name((enum kf_resolution_kind)kind),
				  .summary = in->summary,
				  .has_amount = in->has_amount,
				  .amount_fen = in->amount_fen,
				  .has_quantity = in->has_quantity,
				  .quantity = in->quantity,
				  .required_role =
				      role < 0 ? NULL : kf_role_name((enum kf_role)role),
				  .status = role < 0 ? "approved" : "pending_approval",
				  .policy_version = version,
				  .created_by = c->actor.user_id,
				  .created_at = c->now,
				  .ticket_number = t.number};
	if ((rc = kf_store_resolution_insert(db, &r, err)) ||
	    (rc =
		 record(c, db, &t, "resolution_proposed", in->summary, resolution_detail(&r), err)))
		return rc;
	/* K-7: needing no approval, it is approved now. */
	if (role < 0 && (rc = kf_app_k7_on_approved_tx(c, db, &t, &r, err)))
		return rc;
	if (role >= 0) {
		const char *approvers[] = {r.required_role, NULL};
		if ((rc =
			 notify(c, db, &t, "complaint.approval_needed", NULL, 0, approvers,
				json_pack("{s:o, s:s, s:s}", "resolution_id", kf_app_json_id(r.id),
					  "required_approver_role", r.required_role, "rule", "K-5"),
				err)) ||
		    (rc = kf_app_inbox_post(
			 c, db, "complaint.approval_needed", t.id, NULL, 0, approvers,
			 inbox_payload(&t, json_pack("{s:o, s:s, s:I, s:s}", "resolution_id",
						     kf_app_json_id(r.id), "required_approver_role",
						     r.required_role, "amount_fen",
						     (json_int_t)r.amount_fen, "rule", "K-5")),
			 err)))
			return rc;
	}
	if ((rc = kf_db_commit(db, err)))
		return rc;
	*out = r;
	return 0;
}

int kf_app_resolution_get(struct kf_ctx *c, int64_t id, struct kf_resolution *out,
			  struct kf_err *err)
{
	struct kf_db *db;
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_TICKETS_READ, err)) || (rc = kf_ctx_db(c, &db, err)))
		return rc;
	return kf_store_resolution_get(db, id, c->arena, out, err);
}

int kf_app_resolution_decide(struct kf_ctx *c, int64_t id, bool approve, const char *comment,
			     struct kf_resolution *out, struct kf_err *err)
{
	struct kf_db *db;
	struct kf_resolution r;
	struct kf_ticket t;
	bool changed;
	int rc;
	if ((rc = begin_resolution(c, id, &db, &r, &t, err)))
		return rc;
	if (strcmp(r.status, "pending_approval"))
		return kf_err_rule(
		    err, KF_ECONFLICT, "K-5",
		    "resolution %lld is %s; only one waiting for approval is decided",
		    (long long)r.id, r.status);
	int required = kf_role_parse(r.required_role);
	if (!c->actor.is_operator &&
	    (required < 0 || !kf_complaint_may_approve(c->actor.role, (enum kf_role)required)))
		return kf_err_rule(err, KF_EFORBIDDEN, "K-5",
				   "resolution %lld of %lld fen needs the %s or a higher role; "
				   "a %s may not decide it",
				   (long long)r.id, (long long)r.amount_fen, r.required_role,
				   kf_role_name(c->actor.role));
	r.status = approve ? "approved" : "rejected";
	r.decided_by = c->actor.user_id;
	r.decided_role = c->actor.is_operator ? "operator" : kf_role_name(c->actor.role);
	r.decided_at = c->now;
	r.decision_comment = comment;
	if ((rc = kf_store_resolution_update(db, &r, "pending_approval", &changed, err)))
		return rc;
	if (!changed)
		return kf_err_rule(err, KF_ECONFLICT, "K-5",
				   "resolution %lld was decided meanwhile", (long long)r.id);
	if (approve && (rc = kf_app_k7_on_approved_tx(c, db, &t, &r, err)))
		return rc;
	json_t *d = resolution_detail(&r);
	json_object_set_new(d, "decided_role", json_string(r.decided_role));
	json_object_set_new(d, "rule", json_string("K-5"));
	int64_t who[] = {t.owner_id, t.assignee_id, r.created_by};
	if ((rc = record(c, db, &t, approve ? "resolution_approved" : "resolution_rejected",
			 comment, d, err)) ||
	    (rc = notify(
		 c, db, &t, "complaint.resolution_decided", who, 3, NULL,
		 json_pack("{s:o, s:s}", "resolution_id", kf_app_json_id(r.id), "status", r.status),
		 err)) ||
	    (rc = kf_db_commit(db, err)))
		return rc;
	*out = r;
	return 0;
}

int kf_app_resolution_send(struct kf_ctx *c, int64_t id, const char *comment,
			   struct kf_resolution *out, struct kf_err *err)
{
	struct kf_db *db;
	struct kf_resolution r;
	struct kf_ticket t;
	bool changed;
	int rc;
	if ((rc = begin_resolution(c, id, &db, &r, &t, err)) || (rc = may_handle(c, &t, err)))
		return rc;
	if (!strcmp(t.status, "closed"))
		return kf_err_rule(err, KF_ECONFLICT, "T-6", "ticket %s is closed", t.number);
	if (!strcmp(r.status, "pending_approval"))
		return kf_err_rule(err, KF_ECONFLICT, "K-5",
				   "resolution %lld is waiting for approval by the %s; it cannot "
				   "be told to the customer before",
				   (long long)r.id, r.required_role);
	if (strcmp(r.status, "approved"))
		return kf_err_rule(err, KF_ECONFLICT, "K-5",
				   "resolution %lld is %s; only an approved one is sent",
				   (long long)r.id, r.status);
	r.status = "sent";
	r.sent_by = c->actor.user_id;
	r.sent_at = c->now;
	if ((rc = kf_store_resolution_update(db, &r, "approved", &changed, err)))
		return rc;
	if (!changed)
		return kf_err_rule(err, KF_ECONFLICT, "K-5", "resolution %lld was sent meanwhile",
				   (long long)r.id);
	if ((rc = kf_store_ticket_touch(db, t.id, c->now, err)) ||
	    (rc = record(c, db, &t, "resolution_sent", comment ? comment : r.summary,
			 resolution_detail(&r), err)) ||
	    (rc = kf_db_commit(db, err)))
		return rc;
	*out = r;
	return 0;
}

/* K-6: the linked complaint opened when the customer does not accept
 * resolution r of complaint t; its form is a copy of t's. */
static int open_follow_up(struct kf_ctx *c, struct kf_db *db, const struct kf_ticket *t,
			  const struct kf_resolution *r, const char *comment, int64_t *id,
			  struct kf_err *err)
{
	struct kf_complaint f;
	int rc = kf_store_complaint_get(db, t->id, c->arena, &f, err);
	if (rc == KF_ENOTFOUND) {
		/* The first of the chain had no form yet: it gets one, so
		 * that the chain has its start. */
		blank_form(&f, t, c->now);
		if ((rc = kf_store_complaint_put(db, &f, err)))
			return rc;
	} else if (rc) {
		return rc;
	}
	struct kf_complaint_input ci = {
	    .cause = f.cause,
	    .non_quality_kind = f.non_quality_kind,
	    .severity = f.severity ? f.severity : "general",
	    .service_caused = f.service_caused,
	    .responsible_user_id = f.responsible_user_id,
	    .responsible_department = f.responsible_department,
	    .order_no = f.order_no,
	    .batch = f.batch,
	    .delivered_on = f.delivered_on,
	    .defective_qty = f.defective_qty,
	    .has_cause = f.cause != NULL,
	    .has_non_quality_kind = f.non_quality_kind != NULL,
	    .has_severity = true,
	    .has_service_caused = true,
	    .has_responsible_user_id = f.responsible_user_id > 0,
	    .has_responsible_department = f.responsible_department != NULL,
	    .has_order_no = f.order_no != NULL,
	    .has_batch = f.batch != NULL,
	    .has_delivered_on = f.delivered_on != NULL,
	    .has_defective_qty = f.defective_qty >= 0,
	    .parent_ticket_id = t->id,
	};
	if (!ci.has_cause) {
		ci.cause = "non_quality";
		ci.has_cause = true;
	}
	struct kf_ticket_input in = {
	    .type = "complaint",
	    .channel = t->channel,
	    .contact = t->contact,
	    .has_contact = t->contact != NULL,
	    .subject = t->subject,
	    .description = kf_arena_printf(c->arena, "%s\n\n[%s] resolution %lld not accepted%s%s",
					   t->description, t->number, (long long)r->id,
					   comment ? ": " : "", comment ? comment : ""),
	    .priority = t->priority,
	    .has_priority = true,
	    .product = t->product,
	    .has_product = t->product != NULL,
	    .customer_id = t->customer_id,
	    .has_customer_id = true,
	    .complaint = &ci,
	};
	if ((rc = kf_app_ticket_register_tx(c, db, &in, id, err)))
		return rc;
	struct kf_ticket nt;
	if ((rc = kf_store_ticket_get(db, *id, c->arena, &nt, err)))
		return rc;
	return record(c, db, &nt, "complaint_linked", comment,
		      json_pack("{s:s, s:o, s:s, s:o}", "rule", "K-6", "parent_id",
				kf_app_json_id(t->id), "parent_number", t->number, "resolution_id",
				kf_app_json_id(r->id)),
		      err);
}

int kf_app_complaint_respond(struct kf_ctx *c, int64_t ticket_id, bool accepted,
			     const char *comment, struct kf_ticket_view *out, bool *opened,
			     struct kf_err *err)
{
	struct kf_db *db;
	struct kf_ticket t;
	struct kf_resolution r;
	bool changed;
	int64_t follow = 0;
	int rc;
	*opened = false;
	if ((rc = begin_complaint(c, ticket_id, &db, &t, "K-6", err)) ||
	    (rc = may_handle(c, &t, err)))
		return rc;
	rc = kf_store_resolution_latest(db, t.id, "sent", c->arena, &r, err);
	if (rc == KF_ENOTFOUND)
		return kf_err_rule(err, KF_ECONFLICT, "K-6",
				   "no resolution of complaint %s is waiting for the customer's "
				   "answer",
				   t.number);
	if (rc)
		return rc;
	if (!accepted && (rc = open_follow_up(c, db, &t, &r, comment, &follow, err)))
		return rc;
	r.status = accepted ? "accepted" : "refused";
	r.responded_at = c->now;
	r.response_comment = comment;
	r.follow_up_ticket_id = follow;
	if ((rc = kf_store_resolution_update(db, &r, "sent", &changed, err)))
		return rc;
	if (!changed)
		return kf_err_rule(err, KF_ECONFLICT, "K-6",
				   "resolution %lld was answered meanwhile", (long long)r.id);
	json_t *d = resolution_detail(&r);
	if (follow) {
		json_object_set_new(d, "follow_up_id", kf_app_json_id(follow));
		json_object_set_new(d, "rule", json_string("K-6"));
	}
	int64_t who[] = {t.owner_id, t.assignee_id};
	if ((rc = kf_store_ticket_touch(db, t.id, c->now, err)) ||
	    (rc = record(c, db, &t, accepted ? "resolution_accepted" : "resolution_refused",
			 comment, d, err)) ||
	    (rc = notify(c, db, &t, "complaint.customer_response", who, 2, NULL,
			 json_pack("{s:o, s:b, s:o}", "resolution_id", kf_app_json_id(r.id),
				   "accepted", accepted, "follow_up_id", kf_app_json_id(follow)),
			 err)) ||
	    (rc = kf_db_commit(db, err)))
		return rc;
	*opened = follow != 0;
	return kf_app_ticket_get(c, follow ? follow : t.id, out, err);
}
