/* The HTTP layer: libmicrohttpd, the route table, JSON in and out, errors,
 * static files, metrics. Handlers parse and validate, call one app function
 * and render; they hold no SQL and no rules. */
#ifndef KF_HTTP_HTTP_H
#define KF_HTTP_HTTP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "app/app.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/json.h"

struct kf_req;
struct kf_server;

/* KF_AUTH_USER: a staff session (kefu_session cookie or bearer token);
 * KF_AUTH_CUSTOMER: a customer portal session (kefu_portal cookie or bearer
 * token). Neither kind of token is accepted where the other is needed. */
enum kf_auth_need { KF_AUTH_NONE, KF_AUTH_USER, KF_AUTH_CUSTOMER };

struct kf_route {
	const char *method;
	const char *pattern; /* "/api/v1/users/{id}": {name} matches one segment */
	int (*handler)(struct kf_req *r);
	enum kf_auth_need auth;
	int perm; /* the permission the use case checks, or -1; documented in OpenAPI */
};

/* The route table, ended by a NULL method. */
extern const struct kf_route kf_routes[];
int kf_route_count(void);
/* Finds the route for method and path. Returns its index, or -1 with
 * *path_found telling whether another method would match (405 vs 404).
 * Path parameters go to params (at most 4). */
int kf_route_match(const char *method, const char *path, const char **params, size_t *lens,
		   int *nparams, bool *path_found);

struct kf_server_config {
	const char *listen;	/* "ADDR:PORT"; port 0 picks a free one */
	const char *web_dir;	/* static files; NULL to serve none */
	size_t body_limit;	/* bytes; requests above get 413 */
	unsigned threads;	/* threads that serve connections (epoll) */
	unsigned write_threads; /* threads that run writes; 0: writes run inline */
	unsigned connection_timeout_s;
	bool cookie_secure;
	bool test_clock; /* POST /api/v1/test/clock moves time (tests only) */
};

struct kf_server *kf_server_start(struct kf_app *app, const struct kf_server_config *cfg,
				  struct kf_err *err);
/* The port actually bound. */
unsigned kf_server_port(const struct kf_server *s);
/* Stops accepting, waits up to grace_ms for requests in flight, then stops. */
void kf_server_stop(struct kf_server *s, int grace_ms);

/* ---- what handlers use ---- */

struct kf_req {
	struct kf_server *srv;
	void *conn; /* struct MHD_Connection */
	struct kf_arena arena;
	struct kf_ctx ctx;
	const char *method;
	const char *path;
	int route;
	const char *params[4];
	int nparams;
	struct kf_buf body;
	uint64_t received; /* body bytes seen, kept or not */
	bool too_large;
	bool responded;
	unsigned status;
	char request_id[72];
	int64_t started_ns;
	struct kf_err err;
	/* Set-Cookie value to send with the response, if any. */
	const char *set_cookie;
	/* Run on a write thread while the connection is suspended: the answer
	 * is kept here and queued by the connection's own thread on resume. */
	bool offloaded;
	void *pending; /* struct MHD_Response */
	struct kf_req *next_job;
};

/* The n-th path parameter (from {…} in the pattern). */
const char *kf_req_param(const struct kf_req *r, int n);
/* Parses a path parameter that must be a positive id; KF_ENOTFOUND if not. */
int kf_req_id_param(struct kf_req *r, int n, int64_t *id);
/* A query-string argument, or NULL. */
const char *kf_req_query(const struct kf_req *r, const char *name);
/* A query-string id (0 when absent), or "me": the caller for user ids
 * (assignee_id, owner_id, user_id), the caller's team for team_id, never
 * for customer_id; KF_EINVALID naming name otherwise (h_tickets.c). */
int kf_req_query_id(struct kf_req *r, const char *name, int64_t *out);
/* A request header, or NULL. */
const char *kf_req_header(const struct kf_req *r, const char *name);
/* Sets the session cookie name (HttpOnly, SameSite=Strict, Secure when so
 * configured) to token until expires_at; token NULL clears it. */
void kf_req_session_cookie(struct kf_req *r, const char *name, const char *token,
			   int64_t expires_at);
/* Whether Set-Cookie should carry Secure (served over TLS by a proxy). */
bool kf_req_secure_cookies(const struct kf_req *r);
/* Parses the body as a JSON object (KF_EBADREQ if it is not). */
int kf_req_json(struct kf_req *r, json_t **obj);
/* A query argument true or false (*out false when absent). */
int kf_req_query_bool(struct kf_req *r, const char *name, bool *out);
/* Reads limit (1..200, default 50) and refuses unknown query arguments
 * (allowed: a NULL-terminated list, "limit" and "cursor" always allowed). */
int kf_req_list_args(struct kf_req *r, const char *const *allowed, int *limit);
/* Cursors are opaque to clients: an integer position signed with the
 * server's key, so a tampered cursor is refused (400) rather than misread. */
int kf_req_cursor(struct kf_req *r, int64_t *pos);
char *kf_req_make_cursor(struct kf_req *r, int64_t pos);

/* Responses. Each returns 0 so a handler can end with return kf_reply_…. */
int kf_reply_json(struct kf_req *r, unsigned status, json_t *body /* stolen */);
/* The text written into w (taken; w is left empty). */
int kf_reply_jsonw(struct kf_req *r, unsigned status, struct kf_jsonw *w);
int kf_reply_text(struct kf_req *r, unsigned status, const char *type, char *data /* freed */,
		  size_t len);
/* A streamed response (server-sent events): reader as libmicrohttpd's
 * content reader callback, done called when the connection ends. */
int kf_reply_stream(struct kf_req *r, const char *type,
		    long (*reader)(void *cls, uint64_t pos, char *buf, size_t max), void *cls,
		    void (*done)(void *cls));
/* The error body of API.md for r->err (the one place codes become statuses). */
int kf_reply_error(struct kf_req *r);
/* {"items": […], "next_cursor": …}; items stolen. */
int kf_reply_list(struct kf_req *r, json_t *items, bool more, int64_t next_pos);

/* Handlers (one file per resource). */
int kf_h_healthz(struct kf_req *r);
int kf_h_readyz(struct kf_req *r);
int kf_h_metrics(struct kf_req *r);
int kf_h_openapi(struct kf_req *r);
int kf_h_login(struct kf_req *r);
int kf_h_logout(struct kf_req *r);
int kf_h_me(struct kf_req *r);
int kf_h_me_password(struct kf_req *r);
int kf_h_users_list(struct kf_req *r);
int kf_h_users_create(struct kf_req *r);
int kf_h_user_get(struct kf_req *r);
int kf_h_user_patch(struct kf_req *r);
int kf_h_teams_list(struct kf_req *r);
int kf_h_teams_create(struct kf_req *r);
int kf_h_audit_list(struct kf_req *r);
int kf_h_audit_verify(struct kf_req *r);
int kf_h_policy_get(struct kf_req *r);
int kf_h_policy_put(struct kf_req *r);
int kf_h_policy_validate(struct kf_req *r);
int kf_h_policy_versions(struct kf_req *r);
int kf_h_policy_version_get(struct kf_req *r);

/* Customers (h_customers.c). */
int kf_h_customers_list(struct kf_req *r);
int kf_h_customers_create(struct kf_req *r);
int kf_h_customers_care(struct kf_req *r);
int kf_h_customers_callbacks_due(struct kf_req *r);
int kf_h_customer_get(struct kf_req *r);
int kf_h_customer_patch(struct kf_req *r);
int kf_h_customer_verify(struct kf_req *r);
/* Reads a customer object (a request body, or the "customer" member of a
 * ticket registration with prefix "customer.") into in. */
int kf_http_read_customer(json_t *obj, const char *prefix, bool create,
			  struct kf_customer_input *in, struct kf_err *err);

/* Tickets (h_tickets.c). */
int kf_h_tickets_list(struct kf_req *r);
int kf_h_tickets_counts(struct kf_req *r);
int kf_h_tickets_create(struct kf_req *r);
int kf_h_ticket_get(struct kf_req *r);
int kf_h_ticket_patch(struct kf_req *r);
int kf_h_ticket_transition(struct kf_req *r);
int kf_h_ticket_entry(struct kf_req *r);
int kf_h_ticket_timeline(struct kf_req *r);
int kf_h_ticket_transfer(struct kf_req *r);
int kf_h_transfer_accept(struct kf_req *r);
int kf_h_transfer_decline(struct kf_req *r);
int kf_h_transfers_list(struct kf_req *r);
int kf_h_ticket_escalate(struct kf_req *r);

/* Complaints (h_complaints.c). */
int kf_h_resolutions_create(struct kf_req *r);
int kf_h_resolution_get(struct kf_req *r);
int kf_h_resolution_decide(struct kf_req *r);
int kf_h_resolution_send(struct kf_req *r);
int kf_h_complaint_respond(struct kf_req *r);
int kf_h_resolutions_list(struct kf_req *r);
int kf_h_complaint_fines(struct kf_req *r);
int kf_h_complaint_review_get(struct kf_req *r);
int kf_h_complaint_review_submit(struct kf_req *r);

/* The inbox (h_inbox.c). */
int kf_h_inbox_list(struct kf_req *r);
int kf_h_inbox_read(struct kf_req *r);
/* Reads the "complaint" member of a ticket body (K-1 … K-3) into a new input
 * in a; error fields are "complaint.<member>". */
struct kf_complaint_input;
int kf_http_read_complaint(json_t *obj, struct kf_arena *a, const struct kf_complaint_input **out,
			   struct kf_err *err);

/* Callbacks and surveys (SPEC V). */
int kf_h_callbacks_list(struct kf_req *r);
int kf_h_callback_result(struct kf_req *r);
int kf_h_survey_get(struct kf_req *r);
int kf_h_survey_answer(struct kf_req *r);
int kf_h_callback_survey_link(struct kf_req *r);

/* Attendance, handover and duty log (W-15 … W-18; h_attendance.c). */
int kf_h_clock_in(struct kf_req *r);
int kf_h_clock_out(struct kf_req *r);
int kf_h_attendance_month(struct kf_req *r);
int kf_h_handovers_list(struct kf_req *r);
int kf_h_handovers_create(struct kf_req *r);
int kf_h_handover_draft(struct kf_req *r);
int kf_h_handover_get(struct kf_req *r);
int kf_h_handover_confirm(struct kf_req *r);
int kf_h_duty_log_add(struct kf_req *r);
int kf_h_duty_log_list(struct kf_req *r);
/* Dispatch of service work and the K-7 documents (h_dispatch.c). */
int kf_h_voucher_dispatch(struct kf_req *r);
int kf_h_vouchers_list(struct kf_req *r);
int kf_h_voucher_get(struct kf_req *r);
int kf_h_voucher_patch(struct kf_req *r);
int kf_h_voucher_start(struct kf_req *r);
int kf_h_voucher_complete(struct kf_req *r);
int kf_h_voucher_countersign(struct kf_req *r);
int kf_h_voucher_signature_put(struct kf_req *r);
int kf_h_voucher_signature_get(struct kf_req *r);
int kf_h_voucher_offsite_request(struct kf_req *r);
int kf_h_voucher_offsite_decide(struct kf_req *r);
int kf_h_dispatch_list(struct kf_req *r);
int kf_h_return_slips_list(struct kf_req *r);
int kf_h_return_slip_receive(struct kf_req *r);
int kf_h_finance_list(struct kf_req *r);

/* The customer portal (h_portal.c). */
int kf_h_portal_signup(struct kf_req *r);
int kf_h_portal_login(struct kf_req *r);
int kf_h_portal_logout(struct kf_req *r);
int kf_h_portal_me(struct kf_req *r);
int kf_h_portal_tickets_list(struct kf_req *r);
int kf_h_portal_tickets_create(struct kf_req *r);
int kf_h_portal_ticket_get(struct kf_req *r);
int kf_h_portal_ticket_reply(struct kf_req *r);
int kf_h_customer_portal_account(struct kf_req *r);

/* Workforce (h_workforce.c, SPEC W-1 … W-13). */
int kf_h_shift_templates_get(struct kf_req *r);
int kf_h_shift_templates_put(struct kf_req *r);
int kf_h_roster_get(struct kf_req *r);
int kf_h_roster_generate(struct kf_req *r);
int kf_h_roster_assignments(struct kf_req *r);
int kf_h_roster_publish(struct kf_req *r);
int kf_h_staffing_erlang(struct kf_req *r);
int kf_h_roster_wishes(struct kf_req *r);
int kf_h_leave_list(struct kf_req *r);
int kf_h_leave_create(struct kf_req *r);
int kf_h_leave_decide(struct kf_req *r);
int kf_h_swap_list(struct kf_req *r);
int kf_h_swap_create(struct kf_req *r);
int kf_h_swap_decide(struct kf_req *r);

int kf_h_test_clock(struct kf_req *r);
int kf_h_events(struct kf_req *r);
/* Whether the server was started with --test-clock. */
bool kf_req_test_clock(const struct kf_req *r);

/* Metrics (metrics.c). */
/* Connection threads at most (--threads), each counted apart in
 * kefu_http_thread_connections. */
#define KF_HTTP_MAX_THREADS 256
void kf_metrics_init(unsigned threads);
void kf_metrics_record(int route, unsigned status, int64_t duration_ns);
/* A connection opened (+1) or closed (-1) on connection thread thread, and
 * the connections open on it now (what the accept thread deals by). */
void kf_metrics_connection(unsigned thread, int delta);
long long kf_metrics_thread_connections(unsigned thread);
/* Moves the gauges of writes waiting for and running on write threads. */
void kf_metrics_writes(int waiting, int running);
char *kf_metrics_render(struct kf_store *store, size_t *len);

/* The OpenAPI description, parsed once (openapi.c). */
const json_t *kf_openapi_doc(void);

#endif
