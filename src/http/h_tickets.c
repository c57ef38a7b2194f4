/* Tickets, their timeline, transfers and escalations (T-1 … T-10). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "http/http.h"
#include "rules/ticket.h"
#include "util/utf8.h"

#define SUBJECT_MAX	200
#define DESCRIPTION_MAX 20000 /* characters; documented in the API description */
#define BODY_MAX	20000
/* Ticket ids stay below 2^40 and positions in a search window below
 * KF_SEARCH_WINDOW_MAX, so a search cursor holds both in one number. */
#define SEARCH_TOP_SPAN ((int64_t)1 << 40)

/* product: {"model", "spec", "purchased_on", "purchased_at"} (T-3). */
static int read_product(struct kf_req *r, json_t *obj, const char **out)
{
	const char *model = NULL, *spec = NULL, *on = NULL, *at = NULL;
	struct kf_jfield f[] = {
	    {"model", KF_J_LINE, false, 100, &model},
	    {"spec", KF_J_LINE, false, 100, &spec},
	    {"purchased_on", KF_J_DATE, false, 10, &on},
	    {"purchased_at", KF_J_LINE, false, 200, &at},
	    {0},
	};
	int rc = kf_json_read(obj, f, "product.", &r->err);
	if (rc)
		return rc;
	char *s = json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS);
	*out = kf_arena_strdup(&r->arena, s ? s : "{}");
	free(s);
	return 0;
}

static int read_ticket(struct kf_req *r, bool create, struct kf_ticket_input *in)
{
	json_t *body, *customer = NULL, *product = NULL, *complaint = NULL;
	bool has_version = false;
	int64_t version = 0;
	struct kf_jfield f[] = {
	    {"type", KF_J_LINE, create, 32, &in->type, &in->has_type},
	    {"channel", KF_J_LINE, create, 32, &in->channel, &in->has_channel},
	    {"contact", KF_J_LINE, false, 200, &in->contact, &in->has_contact, true},
	    {"subject", KF_J_LINE, create, SUBJECT_MAX, &in->subject, &in->has_subject, false, 0, 0,
	     true},
	    {"description", KF_J_TEXT, create, DESCRIPTION_MAX, &in->description,
	     &in->has_description, false, 0, 0, true},
	    {"priority", KF_J_LINE, false, 32, &in->priority, &in->has_priority},
	    {"service_class", KF_J_LINE, false, 32, &in->service_class, &in->has_service_class,
	     true},
	    {"product", KF_J_OBJECT, false, 0, &product, &in->has_product, true},
	    {"review_rating", KF_J_LINE, false, 32, &in->review_rating, &in->has_review_rating,
	     true},
	    {"customer_id", KF_J_ID, false, 0, &in->customer_id, &in->has_customer_id},
	    {"customer", KF_J_OBJECT, false, 0, &customer, &in->has_customer},
	    {"complaint", KF_J_OBJECT, false, 0, &complaint}, /* K-1 … K-3 */
	    {"assignee_id", KF_J_ID, false, 0, &in->assignee_id, &in->has_assignee, true},
	    {"version", KF_J_INT, false, 0, &version, &has_version, false, 1, INT32_MAX},
	    {0},
	};
	int rc;
	if ((rc = kf_req_json(r, &body)) || (rc = kf_json_read(body, f, NULL, &r->err)))
		return rc;
	if (create && (has_version || in->has_assignee))
		return kf_err_field(&r->err, KF_EINVALID, has_version ? "version" : "assignee_id",
				    "%s is not set at registration; assign with a transition",
				    has_version ? "version" : "assignee_id");
	if (!create && (in->has_customer || in->has_customer_id))
		return kf_err_field(&r->err, KF_EINVALID,
				    in->has_customer ? "customer" : "customer_id",
				    "a ticket's customer cannot be changed");
	if (product && (rc = read_product(r, product, &in->product)))
		return rc;
	if (customer &&
	    (rc = kf_http_read_customer(customer, "customer.", true, &in->customer, &r->err)))
		return rc;
	if (complaint &&
	    (rc = kf_http_read_complaint(complaint, &r->arena, &in->complaint, &r->err)))
		return rc;
	in->version = has_version ? version : 0;
	return 0;
}

static int reply_view(struct kf_req *r, unsigned status, const struct kf_ticket_view *v)
{
	struct kf_jsonw w;
	kf_jsonw_init(&w);
	kf_app_ticket_write(&w, v);
	return kf_reply_jsonw(r, status, &w);
}

int kf_h_tickets_create(struct kf_req *r)
{
	struct kf_ticket_input in = {0};
	struct kf_ticket_view v;
	int rc;
	if ((rc = read_ticket(r, true, &in)) ||
	    (rc = kf_app_ticket_register(&r->ctx, &in, &v, &r->err)))
		return rc;
	return reply_view(r, 201, &v);
}

int kf_h_ticket_get(struct kf_req *r)
{
	int64_t id;
	struct kf_ticket_view v;
	int rc;
	if ((rc = kf_req_id_param(r, 0, &id)) || (rc = kf_app_ticket_get(&r->ctx, id, &v, &r->err)))
		return rc;
	return reply_view(r, 200, &v);
}

int kf_h_ticket_patch(struct kf_req *r)
{
	int64_t id;
	struct kf_ticket_input in = {0};
	struct kf_ticket_view v;
	int rc;
	if ((rc = kf_req_id_param(r, 0, &id)) || (rc = read_ticket(r, false, &in)) ||
	    (rc = kf_app_ticket_update(&r->ctx, id, &in, &v, &r->err)))
		return rc;
	return reply_view(r, 200, &v);
}

int kf_req_query_id(struct kf_req *r, const char *name, int64_t *out)
{
	const char *s = kf_req_query(r, name);
	*out = 0;
	if (!s)
		return 0;
	if (!strcmp(s, "me") && !strcmp(name, "team_id")) {
		if (!r->ctx.actor.team_id)
			return kf_err_field(&r->err, KF_EINVALID, name,
					    "team_id=me: you are not in a team");
		*out = r->ctx.actor.team_id;
		return 0;
	}
	if (!strcmp(s, "me") && strcmp(name, "customer_id")) {
		*out = r->ctx.actor.user_id;
		return 0;
	}
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || errno || v <= 0)
		return kf_err_field(&r->err, KF_EINVALID, name, "%s must be an id or \"me\"", name);
	*out = v;
	return 0;
}

int kf_h_tickets_list(struct kf_req *r)
{
	static const char *const allowed[] = {"status",	 "type",	"assignee_id", "owner_id",
					      "team_id", "customer_id", "overdue",     "q",
					      "open",	 NULL};
	struct kf_ticket_filter f = {.overdue = -1};
	struct kf_ticket *items;
	int limit, n, rc;
	int64_t pos;
	if ((rc = kf_req_list_args(r, allowed, &limit)) || (rc = kf_req_cursor(r, &pos)) ||
	    (rc = kf_req_query_id(r, "assignee_id", &f.assignee_id)) ||
	    (rc = kf_req_query_id(r, "owner_id", &f.owner_id)) ||
	    (rc = kf_req_query_id(r, "team_id", &f.team_id)) ||
	    (rc = kf_req_query_id(r, "customer_id", &f.customer_id)))
		return rc;
	f.status = kf_req_query(r, "status");
	if (f.status && kf_status_parse(f.status) < 0)
		return kf_err_field(&r->err, KF_EINVALID, "status", "unknown status %s (T-6)",
				    f.status);
	f.type = kf_req_query(r, "type");
	if (f.type && kf_ticket_type_parse(f.type) < 0)
		return kf_err_field(&r->err, KF_EINVALID, "type", "unknown type %s (T-1)", f.type);
	const char *overdue = kf_req_query(r, "overdue");
	if (overdue) {
		if (strcmp(overdue, "true") && strcmp(overdue, "false"))
			return kf_err_field(&r->err, KF_EINVALID, "overdue",
					    "overdue must be true or false");
		f.overdue = !strcmp(overdue, "true");
	}
	const char *open = kf_req_query(r, "open");
	if (open) {
		if (strcmp(open, "true") && strcmp(open, "false"))
			return kf_err_field(&r->err, KF_EINVALID, "open",
					    "open must be true or false");
		f.open_only = !strcmp(open, "true");
	}
	const char *q = kf_req_query(r, "q");
	if (q && (!kf_utf8_valid(q, strlen(q)) || kf_utf8_len(q) > 100))
		return kf_err_field(&r->err, KF_EINVALID, "q",
				    "q must be valid UTF-8 of at most 100 characters");
	/* Unranked lists page by id (new tickets never shift a page). Ranked
	 * search results page by position in a window of the newest matches
	 * with id <= top, top fixed by the first page (so new tickets do not
	 * shift a page either): the cursor holds top + position · 2^40. */
	if (q) {
		f.top = pos & (SEARCH_TOP_SPAN - 1);
		f.offset = pos / SEARCH_TOP_SPAN;
	} else {
		f.before_id = pos;
	}
	f.limit = limit + 1;
	if ((rc = kf_app_ticket_list(&r->ctx, &f, q, &items, &n, &r->err)))
		return rc;
	/* As kf_reply_list writes a list, without a jansson tree. */
	struct kf_jsonw w;
	kf_jsonw_init(&w);
	kf_jsonw_obj_begin(&w);
	kf_jsonw_key(&w, "items");
	kf_jsonw_arr_begin(&w);
	for (int i = 0; i < n && i < limit; i++)
		kf_app_ticket_summary_write(&w, &items[i]);
	kf_jsonw_arr_end(&w);
	int64_t next = q ? (f.offset + limit) * SEARCH_TOP_SPAN + f.top
			 : (n > limit ? items[limit - 1].id : 0);
	kf_jsonw_kstr(&w, "next_cursor", n > limit ? kf_req_make_cursor(r, next) : NULL);
	kf_jsonw_obj_end(&w);
	return kf_reply_jsonw(r, 200, &w);
}

/* Open, overdue and due-soon counts of a queue, per assignee, computed by
 * the store (the header's counts and the team board). */
int kf_h_tickets_counts(struct kf_req *r)
{
	static const char *const allowed[] = {"assignee_id", "owner_id", "team_id",
					      "due_soon_minutes", NULL};
	struct kf_ticket_filter f = {.overdue = -1};
	struct kf_ticket_count *rows;
	int limit, n, rc;
	int64_t soon = 120;
	const char *s = kf_req_query(r, "due_soon_minutes");
	if (s) {
		char *end;
		errno = 0;
		long long v = strtoll(s, &end, 10);
		if (!*s || *end || errno || v < 1 || v > 10080)
			return kf_err_field(&r->err, KF_EINVALID, "due_soon_minutes",
					    "due_soon_minutes must be 1 to 10080");
		soon = v;
	}
	if ((rc = kf_req_list_args(r, allowed, &limit)) ||
	    (rc = kf_req_query_id(r, "assignee_id", &f.assignee_id)) ||
	    (rc = kf_req_query_id(r, "owner_id", &f.owner_id)) ||
	    (rc = kf_req_query_id(r, "team_id", &f.team_id)) ||
	    (rc = kf_app_ticket_counts(&r->ctx, &f, soon * 60000, &rows, &n, &r->err)))
		return rc;
	int64_t open = 0, overdue = 0, due_soon = 0;
	json_t *by = json_array();
	for (int i = 0; i < n; i++) {
		open += rows[i].open;
		overdue += rows[i].overdue;
		due_soon += rows[i].due_soon;
		json_array_append_new(
		    by, json_pack("{s:o, s:I, s:I, s:I}", "assignee_id",
				  rows[i].assignee_id
				      ? json_sprintf("%lld", (long long)rows[i].assignee_id)
				      : json_null(),
				  "open", (json_int_t)rows[i].open, "overdue",
				  (json_int_t)rows[i].overdue, "due_soon",
				  (json_int_t)rows[i].due_soon));
	}
	char at[40];
	kf_time_format(r->ctx.now, at);
	return kf_reply_json(r, 200,
			     json_pack("{s:I, s:I, s:I, s:I, s:s, s:o}", "open", (json_int_t)open,
				       "overdue", (json_int_t)overdue, "due_soon",
				       (json_int_t)due_soon, "due_soon_minutes", (json_int_t)soon,
				       "at", at, "by_assignee", by));
}

int kf_h_ticket_transition(struct kf_req *r)
{
	int64_t id, assignee = 0;
	json_t *body;
	const char *to = NULL, *reason = NULL;
	struct kf_jfield f[] = {
	    {"to", KF_J_LINE, true, 32, &to},
	    {"assignee_id", KF_J_ID, false, 0, &assignee},
	    {"reason", KF_J_TEXT, false, 2000, &reason},
	    {0},
	};
	struct kf_ticket_view v;
	int rc;
	if ((rc = kf_req_id_param(r, 0, &id)) || (rc = kf_req_json(r, &body)) ||
	    (rc = kf_json_read(body, f, NULL, &r->err)) ||
	    (rc = kf_app_ticket_transition(&r->ctx, id, to, assignee, reason, &v, &r->err)))
		return rc;
	return reply_view(r, 200, &v);
}

int kf_h_ticket_entry(struct kf_req *r)
{
	int64_t id;
	json_t *body;
	const char *kind = NULL, *text = NULL;
	struct kf_jfield f[] = {
	    {"kind", KF_J_LINE, true, 16, &kind},
	    {"body", KF_J_TEXT, true, BODY_MAX, &text},
	    {0},
	};
	struct kf_ticket_event e;
	int rc;
	if ((rc = kf_req_id_param(r, 0, &id)) || (rc = kf_req_json(r, &body)) ||
	    (rc = kf_json_read(body, f, NULL, &r->err)) ||
	    (rc = kf_app_ticket_entry(&r->ctx, id, kind, text, &e, &r->err)))
		return rc;
	return kf_reply_json(r, 201, kf_app_event_json(&e));
}

int kf_h_ticket_timeline(struct kf_req *r)
{
	int64_t id, after;
	struct kf_ticket_event *items;
	int limit, n, rc;
	if ((rc = kf_req_id_param(r, 0, &id)) || (rc = kf_req_list_args(r, NULL, &limit)) ||
	    (rc = kf_req_cursor(r, &after)) ||
	    (rc = kf_app_ticket_timeline(&r->ctx, id, after, limit + 1, &items, &n, &r->err)))
		return rc;
	json_t *a = json_array();
	for (int i = 0; i < n && i < limit; i++)
		json_array_append_new(a, kf_app_event_json(&items[i]));
	return kf_reply_list(r, a, n > limit, n > limit ? items[limit - 1].id : 0);
}

int kf_h_ticket_transfer(struct kf_req *r)
{
	int64_t id, to = 0;
	json_t *body;
	const char *reason = NULL;
	struct kf_jfield f[] = {
	    {"to_user_id", KF_J_ID, true, 0, &to},
	    {"reason", KF_J_TEXT, true, 2000, &reason},
	    {0},
	};
	struct kf_transfer x;
	int rc;
	if ((rc = kf_req_id_param(r, 0, &id)) || (rc = kf_req_json(r, &body)) ||
	    (rc = kf_json_read(body, f, NULL, &r->err)) ||
	    (rc = kf_app_ticket_transfer(&r->ctx, id, to, reason, &x, &r->err)))
		return rc;
	return kf_reply_json(r, 201, kf_app_transfer_json(&x));
}

static int decide(struct kf_req *r, bool accept)
{
	int64_t id;
	struct kf_transfer x;
	int rc;
	if ((rc = kf_req_id_param(r, 0, &id)) ||
	    (rc = kf_app_transfer_decide(&r->ctx, id, accept, &x, &r->err)))
		return rc;
	return kf_reply_json(r, 200, kf_app_transfer_json(&x));
}

int kf_h_transfer_accept(struct kf_req *r)
{
	return decide(r, true);
}

int kf_h_transfer_decline(struct kf_req *r)
{
	return decide(r, false);
}

int kf_h_transfers_list(struct kf_req *r)
{
	static const char *const allowed[] = {"box", "status", "team_id", NULL};
	struct kf_transfer *items;
	int limit, n, rc;
	int64_t before, team;
	if ((rc = kf_req_list_args(r, allowed, &limit)) || (rc = kf_req_cursor(r, &before)) ||
	    (rc = kf_req_query_id(r, "team_id", &team)) ||
	    (rc = kf_app_transfer_list(&r->ctx, kf_req_query(r, "box"), team,
				       kf_req_query(r, "status"), before, limit + 1, &items, &n,
				       &r->err)))
		return rc;
	json_t *a = json_array();
	for (int i = 0; i < n && i < limit; i++)
		json_array_append_new(a, kf_app_transfer_json(&items[i]));
	return kf_reply_list(r, a, n > limit, n > limit ? items[limit - 1].id : 0);
}

int kf_h_ticket_escalate(struct kf_req *r)
{
	int64_t id;
	json_t *body;
	const char *to = NULL, *reason = NULL;
	bool emergency = false;
	struct kf_jfield f[] = {
	    {"to", KF_J_LINE, false, 32, &to},
	    {"emergency", KF_J_BOOL, false, 0, &emergency},
	    {"reason", KF_J_TEXT, true, 2000, &reason},
	    {0},
	};
	struct kf_ticket_view v;
	int rc;
	if ((rc = kf_req_id_param(r, 0, &id)) || (rc = kf_req_json(r, &body)) ||
	    (rc = kf_json_read(body, f, NULL, &r->err)) ||
	    (rc = kf_app_ticket_escalate(&r->ctx, id, to, emergency, reason, &v, &r->err)))
		return rc;
	return reply_view(r, 200, &v);
}
