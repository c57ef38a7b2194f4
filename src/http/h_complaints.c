/* Complaints (SPEC K): the complaint form member of a ticket body, and the
 * resolutions of a complaint with their approval (K-4, K-5) and the
 * customer's answer (K-6). */
#include <stdio.h>
#include <string.h>
#include "app/complaints.h"
#include "http/http.h"

#define SUMMARY_MAX 2000
#define COMMENT_MAX 2000
/* 100 million yuan: more than any complaint settles for; a bound for the
 * store's integer columns. */
#define AMOUNT_MAX 10000000000LL
#define QTY_MAX	   1000000

int kf_http_read_complaint(json_t *obj, struct kf_arena *a, const struct kf_complaint_input **out,
			   struct kf_err *err)
{
	struct kf_complaint_input *in = kf_arena_zalloc(a, sizeof *in);
	in->defective_qty = -1;
	struct kf_jfield f[] = {
	    {"cause", KF_J_LINE, false, 32, &in->cause, &in->has_cause},
	    {"non_quality_kind", KF_J_LINE, false, 32, &in->non_quality_kind,
	     &in->has_non_quality_kind, true},
	    {"severity", KF_J_LINE, false, 32, &in->severity, &in->has_severity},
	    {"service_caused", KF_J_BOOL, false, 0, &in->service_caused, &in->has_service_caused},
	    {"responsible_user_id", KF_J_ID, false, 0, &in->responsible_user_id,
	     &in->has_responsible_user_id, true},
	    {"responsible_department", KF_J_LINE, false, 100, &in->responsible_department,
	     &in->has_responsible_department, true, 0, 0, true},
	    {"investigation", KF_J_TEXT, false, 20000, &in->investigation, &in->has_investigation,
	     true, 0, 0, true},
	    {"order_no", KF_J_LINE, false, 64, &in->order_no, &in->has_order_no, true, 0, 0, true},
	    {"batch", KF_J_LINE, false, 64, &in->batch, &in->has_batch, true, 0, 0, true},
	    {"delivered_on", KF_J_DATE, false, 10, &in->delivered_on, &in->has_delivered_on, true},
	    {"defective_qty", KF_J_INT, false, 0, &in->defective_qty, &in->has_defective_qty, true,
	     0, QTY_MAX},
	    {0},
	};
	int rc = kf_json_read(obj, f, "complaint.", err);
	if (rc)
		return rc;
	*out = in;
	return 0;
}

static int reply_resolution(struct kf_req *r, unsigned status, const struct kf_resolution *x)
{
	return kf_reply_json(r, status, kf_app_resolution_json(x));
}

int kf_h_resolutions_create(struct kf_req *r)
{
	int64_t id;
	json_t *body;
	struct kf_resolution_input in = {0};
	struct kf_jfield f[] = {
	    {"kind", KF_J_LINE, true, 32, &in.kind},
	    {"summary", KF_J_TEXT, true, SUMMARY_MAX, &in.summary, NULL, false, 0, 0, true},
	    {"amount_fen", KF_J_INT, false, 0, &in.amount_fen, &in.has_amount, false, 0,
	     AMOUNT_MAX},
	    {"quantity", KF_J_INT, false, 0, &in.quantity, &in.has_quantity, false, 1, QTY_MAX},
	    {0},
	};
	struct kf_resolution x;
	int rc;
	if ((rc = kf_req_id_param(r, 0, &id)) || (rc = kf_req_json(r, &body)) ||
	    (rc = kf_json_read(body, f, NULL, &r->err)) ||
	    (rc = kf_app_resolution_propose(&r->ctx, id, &in, &x, &r->err)))
		return rc;
	return reply_resolution(r, 201, &x);
}

int kf_h_resolution_get(struct kf_req *r)
{
	int64_t id;
	struct kf_resolution x;
	int rc;
	if ((rc = kf_req_id_param(r, 0, &id)) ||
	    (rc = kf_app_resolution_get(&r->ctx, id, &x, &r->err)))
		return rc;
	return reply_resolution(r, 200, &x);
}

int kf_h_resolution_decide(struct kf_req *r)
{
	int64_t id;
	json_t *body;
	const char *decision = NULL, *comment = NULL;
	struct kf_jfield f[] = {
	    {"decision", KF_J_LINE, true, 16, &decision},
	    {"comment", KF_J_TEXT, false, COMMENT_MAX, &comment},
	    {0},
	};
	struct kf_resolution x;
	int rc;
	if ((rc = kf_req_id_param(r, 0, &id)) || (rc = kf_req_json(r, &body)) ||
	    (rc = kf_json_read(body, f, NULL, &r->err)))
		return rc;
	bool approve = !strcmp(decision, "approve");
	if (!approve && strcmp(decision, "reject"))
		return kf_err_field(&r->err, KF_EINVALID, "decision",
				    "decision must be approve or reject (K-5)");
	if ((rc = kf_app_resolution_decide(&r->ctx, id, approve, comment, &x, &r->err)))
		return rc;
	return reply_resolution(r, 200, &x);
}

int kf_h_resolution_send(struct kf_req *r)
{
	int64_t id;
	json_t *body;
	const char *comment = NULL;
	struct kf_jfield f[] = {
	    {"comment", KF_J_TEXT, false, COMMENT_MAX, &comment},
	    {0},
	};
	struct kf_resolution x;
	int rc;
	if ((rc = kf_req_id_param(r, 0, &id)))
		return rc;
	/* The body is optional: no body is no comment. */
	if (r->body.len &&
	    ((rc = kf_req_json(r, &body)) || (rc = kf_json_read(body, f, NULL, &r->err))))
		return rc;
	if ((rc = kf_app_resolution_send(&r->ctx, id, comment, &x, &r->err)))
		return rc;
	return reply_resolution(r, 200, &x);
}

int kf_h_complaint_respond(struct kf_req *r)
{
	int64_t id;
	json_t *body;
	bool accepted = false, opened;
	const char *comment = NULL;
	struct kf_jfield f[] = {
	    {"accepted", KF_J_BOOL, true, 0, &accepted},
	    {"comment", KF_J_TEXT, false, COMMENT_MAX, &comment},
	    {0},
	};
	struct kf_ticket_view v;
	int rc;
	if ((rc = kf_req_id_param(r, 0, &id)) || (rc = kf_req_json(r, &body)) ||
	    (rc = kf_json_read(body, f, NULL, &r->err)) ||
	    (rc = kf_app_complaint_respond(&r->ctx, id, accepted, comment, &v, &opened, &r->err)))
		return rc;
	struct kf_jsonw w;
	kf_jsonw_init(&w);
	kf_app_ticket_write(&w, &v);
	return kf_reply_jsonw(r, opened ? 201 : 200, &w);
}

int kf_h_resolutions_list(struct kf_req *r)
{
	static const char *const allowed[] = {"status", "decidable", NULL};
	struct kf_resolution *items;
	bool decidable, more;
	int limit, n, rc;
	int64_t before;
	if ((rc = kf_req_list_args(r, allowed, &limit)) || (rc = kf_req_cursor(r, &before)) ||
	    (rc = kf_req_query_bool(r, "decidable", &decidable)) ||
	    (rc = kf_app_resolution_list(&r->ctx, kf_req_query(r, "status"), decidable, before,
					 limit, &items, &n, &more, &r->err)))
		return rc;
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, kf_app_resolution_json(&items[i]));
	return kf_reply_list(r, a, more, more ? items[n - 1].id : 0);
}

int kf_h_complaint_fines(struct kf_req *r)
{
	static const char *const allowed[] = {"user_id", "ticket_id", NULL};
	struct kf_complaint_sanction *items;
	bool more;
	int limit, n, rc;
	int64_t user, ticket, after;
	if ((rc = kf_req_list_args(r, allowed, &limit)) || (rc = kf_req_cursor(r, &after)) ||
	    (rc = kf_req_query_id(r, "user_id", &user)) ||
	    (rc = kf_req_query_id(r, "ticket_id", &ticket)) ||
	    (rc = kf_app_sanction_list(&r->ctx, user, ticket, after, limit, &items, &n, &more,
				       &r->err)))
		return rc;
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, kf_app_sanction_json(&items[i]));
	return kf_reply_list(r, a, more, more ? items[n - 1].id : 0);
}

int kf_h_complaint_review_get(struct kf_req *r)
{
	struct kf_complaint_review_view v;
	int rc = kf_app_complaint_review_get(&r->ctx, kf_req_param(r, 0), &v, &r->err);
	return rc ? rc : kf_reply_json(r, 200, kf_app_complaint_review_json(&v));
}

int kf_h_complaint_review_submit(struct kf_req *r)
{
	json_t *body, *decisions = NULL;
	struct kf_review_input in = {0};
	struct kf_jfield f[] = {
	    {"decisions", KF_J_ARRAY, true, 0, &decisions},
	    {"comment", KF_J_TEXT, false, COMMENT_MAX, &in.comment},
	    {0},
	};
	struct kf_complaint_review_view v;
	int rc;
	if ((rc = kf_req_json(r, &body)) || (rc = kf_json_read(body, f, NULL, &r->err)))
		return rc;
	size_t n = json_array_size(decisions);
	if (n > 10000)
		return kf_err_field(&r->err, KF_EINVALID, "decisions", "at most 10000 decisions");
	in.decisions = kf_arena_zalloc(&r->arena, sizeof *in.decisions * (n ? n : 1));
	for (size_t i = 0; i < n; i++) {
		struct kf_review_decision *d = &in.decisions[i];
		char prefix[32];
		struct kf_jfield g[] = {
		    {"ticket_id", KF_J_ID, true, 0, &d->ticket_id},
		    {"sanction", KF_J_LINE, true, 32, &d->sanction},
		    {"fine_fen", KF_J_INT, false, 0, &d->fine_fen, &d->has_fine, false, 0,
		     AMOUNT_MAX},
		    {"comment", KF_J_TEXT, false, COMMENT_MAX, &d->comment},
		    {0},
		};
		snprintf(prefix, sizeof prefix, "decisions[%zu].", i);
		json_t *o = json_array_get(decisions, i);
		if (!json_is_object(o))
			return kf_err_field(&r->err, KF_EINVALID, "decisions",
					    "each decision is an object");
		if ((rc = kf_json_read(o, g, prefix, &r->err)))
			return rc;
	}
	in.ndecisions = (int)n;
	if ((rc = kf_app_complaint_review_submit(&r->ctx, kf_req_param(r, 0), &in, &v, &r->err)))
		return rc;
	return kf_reply_json(r, 201, kf_app_complaint_review_json(&v));
}
