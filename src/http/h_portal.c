/* The customer portal (app/portal.h): sign-up, sign-in, and a customer's
 * own tickets. Also the staff endpoint that issues an account for an
 * existing customer record. */
#include <string.h>
#include "app/portal.h"
#include "http/http.h"
#include "util/time.h"

#define SUBJECT_MAX 200
#define BODY_MAX    20000

static int reply_signin(struct kf_req *r, unsigned status, const struct kf_portal_signin *s)
{
	char expires[40];
	kf_time_format(s->expires_at, expires);
	kf_req_session_cookie(r, "kefu_portal", s->token, s->expires_at);
	return kf_reply_json(r, status,
			     json_pack("{s:s, s:s, s:s, s:o}", "token", s->token, "csrf_token",
				       s->csrf_token, "expires_at", expires, "account",
				       kf_app_portal_account_json(&s->account)));
}

int kf_h_portal_signup(struct kf_req *r)
{
	json_t *body;
	const char *phone = NULL, *name = NULL, *password = NULL;
	struct kf_jfield f[] = {
	    {"phone", KF_J_LINE, true, 32, &phone},
	    {"name", KF_J_LINE, true, 100, &name},
	    {"password", KF_J_LINE, true, 256, &password},
	    {0},
	};
	struct kf_portal_signin s;
	int rc;
	if ((rc = kf_req_json(r, &body)) || (rc = kf_json_read(body, f, NULL, &r->err)) ||
	    (rc = kf_app_portal_signup(&r->ctx, phone, name, password, &s, &r->err)))
		return rc;
	return reply_signin(r, 201, &s);
}

int kf_h_portal_login(struct kf_req *r)
{
	json_t *body;
	const char *phone = NULL, *password = NULL;
	struct kf_jfield f[] = {
	    {"phone", KF_J_LINE, true, 32, &phone},
	    {"password", KF_J_LINE, true, 256, &password},
	    {0},
	};
	struct kf_portal_signin s;
	int rc;
	if ((rc = kf_req_json(r, &body)) || (rc = kf_json_read(body, f, NULL, &r->err)) ||
	    (rc = kf_app_portal_login(&r->ctx, phone, password, &s, &r->err)))
		return rc;
	return reply_signin(r, 200, &s);
}

int kf_h_portal_logout(struct kf_req *r)
{
	int rc = kf_app_portal_logout(&r->ctx, &r->err);
	if (rc)
		return rc;
	kf_req_session_cookie(r, "kefu_portal", NULL, 0);
	return kf_reply_json(r, 200, json_pack("{s:b}", "ok", 1));
}

int kf_h_portal_me(struct kf_req *r)
{
	const struct kf_actor *a = &r->ctx.actor;
	return kf_reply_json(r, 200,
			     json_pack("{s:o, s:o, s:s}", "id",
				       json_sprintf("%lld", (long long)a->portal_account_id),
				       "customer_id",
				       json_sprintf("%lld", (long long)a->customer_id), "name",
				       a->name ? a->name : ""));
}

int kf_h_portal_tickets_list(struct kf_req *r)
{
	static const char *const allowed[] = {NULL};
	struct kf_ticket *items;
	int limit, n, rc;
	int64_t before;
	if ((rc = kf_req_list_args(r, allowed, &limit)) || (rc = kf_req_cursor(r, &before)) ||
	    (rc = kf_app_portal_tickets(&r->ctx, before, limit + 1, &items, &n, &r->err)))
		return rc;
	json_t *a = json_array();
	for (int i = 0; i < n && i < limit; i++)
		json_array_append_new(a, kf_app_portal_ticket_json(&items[i], NULL, 0));
	return kf_reply_list(r, a, n > limit, n > limit ? items[limit - 1].id : 0);
}

/* The ticket with the entries a customer may see. */
static int reply_ticket(struct kf_req *r, unsigned status, int64_t id)
{
	struct kf_ticket t;
	struct kf_ticket_event *entries;
	int n, rc;
	if ((rc = kf_app_portal_ticket(&r->ctx, id, 0, &t, &entries, &n, &r->err)))
		return rc;
	return kf_reply_json(r, status, kf_app_portal_ticket_json(&t, entries, n));
}

int kf_h_portal_tickets_create(struct kf_req *r)
{
	json_t *body;
	const char *type = NULL, *subject = NULL, *description = NULL;
	struct kf_jfield f[] = {
	    {"type", KF_J_LINE, true, 32, &type},
	    {"subject", KF_J_LINE, true, SUBJECT_MAX, &subject},
	    {"description", KF_J_TEXT, true, BODY_MAX, &description, NULL, false, 0, 0, true},
	    {0},
	};
	int64_t id;
	int rc;
	if ((rc = kf_req_json(r, &body)) || (rc = kf_json_read(body, f, NULL, &r->err)) ||
	    (rc = kf_app_portal_submit(&r->ctx, type, subject, description, &id, &r->err)))
		return rc;
	return reply_ticket(r, 201, id);
}

int kf_h_portal_ticket_get(struct kf_req *r)
{
	int64_t id;
	int rc = kf_req_id_param(r, 0, &id);
	return rc ? rc : reply_ticket(r, 200, id);
}

int kf_h_portal_ticket_reply(struct kf_req *r)
{
	int64_t id;
	json_t *body;
	const char *text = NULL;
	struct kf_jfield f[] = {
	    {"body", KF_J_TEXT, true, BODY_MAX, &text, NULL, false, 0, 0, true},
	    {0},
	};
	struct kf_ticket_event e;
	int rc;
	if ((rc = kf_req_id_param(r, 0, &id)) || (rc = kf_req_json(r, &body)) ||
	    (rc = kf_json_read(body, f, NULL, &r->err)) ||
	    (rc = kf_app_portal_reply(&r->ctx, id, text, &e, &r->err)))
		return rc;
	return reply_ticket(r, 201, id);
}

int kf_h_customer_portal_account(struct kf_req *r)
{
	int64_t id;
	json_t *body;
	const char *phone = NULL, *password = NULL;
	struct kf_jfield f[] = {
	    {"phone", KF_J_LINE, false, 32, &phone},
	    {"password", KF_J_LINE, true, 256, &password},
	    {0},
	};
	struct kf_portal_account a;
	int rc;
	if ((rc = kf_req_id_param(r, 0, &id)) || (rc = kf_req_json(r, &body)) ||
	    (rc = kf_json_read(body, f, NULL, &r->err)) ||
	    (rc = kf_app_portal_account_issue(&r->ctx, id, phone, password, &a, &r->err)))
		return rc;
	return kf_reply_json(r, 201, kf_app_portal_account_json(&a));
}
