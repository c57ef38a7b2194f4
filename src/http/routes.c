/* The route table: every endpoint kefu serves, declaratively. The OpenAPI
 * description must document each of them (tests/api checks both ways). */
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include "http/http.h"

#define P(x) KF_PERM_##x

const struct kf_route kf_routes[] = {
    {"GET", "/healthz", kf_h_healthz, KF_AUTH_NONE, -1},
    {"GET", "/readyz", kf_h_readyz, KF_AUTH_NONE, -1},
    {"GET", "/metrics", kf_h_metrics, KF_AUTH_NONE, -1},
    {"GET", "/api/v1/openapi.json", kf_h_openapi, KF_AUTH_NONE, -1},
    {"POST", "/api/v1/auth/login", kf_h_login, KF_AUTH_NONE, -1},
    {"POST", "/api/v1/auth/logout", kf_h_logout, KF_AUTH_USER, -1},
    {"GET", "/api/v1/me", kf_h_me, KF_AUTH_USER, -1},
    {"POST", "/api/v1/me/password", kf_h_me_password, KF_AUTH_USER, -1},
    {"GET", "/api/v1/users", kf_h_users_list, KF_AUTH_USER, P(USERS_READ)},
    {"POST", "/api/v1/users", kf_h_users_create, KF_AUTH_USER, P(USERS_WRITE)},
    {"GET", "/api/v1/users/{id}", kf_h_user_get, KF_AUTH_USER, P(USERS_READ)},
    {"PATCH", "/api/v1/users/{id}", kf_h_user_patch, KF_AUTH_USER, P(USERS_WRITE)},
    {"GET", "/api/v1/teams", kf_h_teams_list, KF_AUTH_USER, P(TEAMS_READ)},
    {"POST", "/api/v1/teams", kf_h_teams_create, KF_AUTH_USER, P(TEAMS_WRITE)},
    {"GET", "/api/v1/audit", kf_h_audit_list, KF_AUTH_USER, P(AUDIT_READ)},
    {"GET", "/api/v1/audit/verify", kf_h_audit_verify, KF_AUTH_USER, P(AUDIT_READ)},
    {"GET", "/api/v1/policy", kf_h_policy_get, KF_AUTH_USER, P(POLICY_READ)},
    {"PUT", "/api/v1/policy", kf_h_policy_put, KF_AUTH_USER, P(POLICY_WRITE)},
    {"POST", "/api/v1/policy/validate", kf_h_policy_validate, KF_AUTH_USER, P(POLICY_WRITE)},
    {"GET", "/api/v1/policy/versions", kf_h_policy_versions, KF_AUTH_USER, P(POLICY_READ)},
    {"GET", "/api/v1/policy/versions/{version}", kf_h_policy_version_get, KF_AUTH_USER,
     P(POLICY_READ)},
    {"GET", "/api/v1/customers", kf_h_customers_list, KF_AUTH_USER, P(CUSTOMERS_READ)},
    {"POST", "/api/v1/customers", kf_h_customers_create, KF_AUTH_USER, P(CUSTOMERS_WRITE)},
    {"GET", "/api/v1/customers/care", kf_h_customers_care, KF_AUTH_USER, P(CUSTOMERS_READ)},
    {"GET", "/api/v1/customers/callbacks-due", kf_h_customers_callbacks_due, KF_AUTH_USER,
     P(CUSTOMERS_READ)},
    {"GET", "/api/v1/customers/{id}", kf_h_customer_get, KF_AUTH_USER, P(CUSTOMERS_READ)},
    {"PATCH", "/api/v1/customers/{id}", kf_h_customer_patch, KF_AUTH_USER, P(CUSTOMERS_WRITE)},
    {"POST", "/api/v1/customers/{id}/verifications", kf_h_customer_verify, KF_AUTH_USER,
     P(CUSTOMERS_VERIFY)},
    {"GET", "/api/v1/tickets", kf_h_tickets_list, KF_AUTH_USER, P(TICKETS_READ)},
    {"POST", "/api/v1/tickets", kf_h_tickets_create, KF_AUTH_USER, P(TICKETS_WRITE)},
    {"GET", "/api/v1/tickets/counts", kf_h_tickets_counts, KF_AUTH_USER, P(TICKETS_READ)},
    {"GET", "/api/v1/tickets/{id}", kf_h_ticket_get, KF_AUTH_USER, P(TICKETS_READ)},
    {"PATCH", "/api/v1/tickets/{id}", kf_h_ticket_patch, KF_AUTH_USER, P(TICKETS_WRITE)},
    {"POST", "/api/v1/tickets/{id}/transitions", kf_h_ticket_transition, KF_AUTH_USER,
     P(TICKETS_WRITE)},
    {"POST", "/api/v1/tickets/{id}/entries", kf_h_ticket_entry, KF_AUTH_USER, P(TICKETS_WRITE)},
    {"GET", "/api/v1/tickets/{id}/timeline", kf_h_ticket_timeline, KF_AUTH_USER, P(TICKETS_READ)},
    {"POST", "/api/v1/tickets/{id}/transfers", kf_h_ticket_transfer, KF_AUTH_USER,
     P(TICKETS_WRITE)},
    {"POST", "/api/v1/tickets/{id}/escalations", kf_h_ticket_escalate, KF_AUTH_USER,
     P(TICKETS_WRITE)},
    {"POST", "/api/v1/tickets/{id}/resolutions", kf_h_resolutions_create, KF_AUTH_USER,
     P(TICKETS_WRITE)},
    {"POST", "/api/v1/tickets/{id}/customer-responses", kf_h_complaint_respond, KF_AUTH_USER,
     P(TICKETS_WRITE)},
    {"GET", "/api/v1/resolutions", kf_h_resolutions_list, KF_AUTH_USER, P(TICKETS_READ)},
    {"GET", "/api/v1/resolutions/{id}", kf_h_resolution_get, KF_AUTH_USER, P(TICKETS_READ)},
    {"POST", "/api/v1/resolutions/{id}/decisions", kf_h_resolution_decide, KF_AUTH_USER,
     P(TICKETS_WRITE)},
    {"POST", "/api/v1/resolutions/{id}/send", kf_h_resolution_send, KF_AUTH_USER, P(TICKETS_WRITE)},
    {"GET", "/api/v1/transfers", kf_h_transfers_list, KF_AUTH_USER, P(TICKETS_READ)},
    {"POST", "/api/v1/transfers/{id}/accept", kf_h_transfer_accept, KF_AUTH_USER, P(TICKETS_WRITE)},
    {"POST", "/api/v1/transfers/{id}/decline", kf_h_transfer_decline, KF_AUTH_USER,
     P(TICKETS_WRITE)},
    {"GET", "/api/v1/callbacks", kf_h_callbacks_list, KF_AUTH_USER, P(TICKETS_READ)},
    {"POST", "/api/v1/callbacks/{id}/results", kf_h_callback_result, KF_AUTH_USER,
     P(TICKETS_WRITE)},
    {"POST", "/api/v1/callbacks/{id}/survey-link", kf_h_callback_survey_link, KF_AUTH_USER,
     P(TICKETS_WRITE)},
    {"GET", "/api/v1/complaint-reviews/{month}", kf_h_complaint_review_get, KF_AUTH_USER,
     P(COMPLAINT_REVIEWS_READ)},
    {"POST", "/api/v1/complaint-reviews/{month}", kf_h_complaint_review_submit, KF_AUTH_USER,
     P(COMPLAINT_REVIEWS_WRITE)},
    {"GET", "/api/v1/complaint-fines", kf_h_complaint_fines, KF_AUTH_USER,
     P(COMPLAINT_REVIEWS_READ)},
    {"GET", "/api/v1/inbox", kf_h_inbox_list, KF_AUTH_USER, -1},
    {"POST", "/api/v1/inbox/{id}/read", kf_h_inbox_read, KF_AUTH_USER, -1},
    {"POST", "/api/v1/tickets/{id}/vouchers", kf_h_voucher_dispatch, KF_AUTH_USER, P(DISPATCH)},
    {"GET", "/api/v1/dispatch-list", kf_h_dispatch_list, KF_AUTH_USER, P(DISPATCH)},
    {"GET", "/api/v1/vouchers", kf_h_vouchers_list, KF_AUTH_USER, P(TICKETS_READ)},
    {"GET", "/api/v1/vouchers/{id}", kf_h_voucher_get, KF_AUTH_USER, P(TICKETS_READ)},
    {"PATCH", "/api/v1/vouchers/{id}", kf_h_voucher_patch, KF_AUTH_USER, P(VOUCHERS_WORK)},
    {"POST", "/api/v1/vouchers/{id}/start", kf_h_voucher_start, KF_AUTH_USER, P(VOUCHERS_WORK)},
    {"POST", "/api/v1/vouchers/{id}/complete", kf_h_voucher_complete, KF_AUTH_USER,
     P(VOUCHERS_WORK)},
    {"POST", "/api/v1/vouchers/{id}/countersign", kf_h_voucher_countersign, KF_AUTH_USER,
     P(DISPATCH)},
    {"PUT", "/api/v1/vouchers/{id}/signature", kf_h_voucher_signature_put, KF_AUTH_USER,
     P(VOUCHERS_WORK)},
    {"GET", "/api/v1/vouchers/{id}/signature", kf_h_voucher_signature_get, KF_AUTH_USER,
     P(TICKETS_READ)},
    {"POST", "/api/v1/vouchers/{id}/offsite-request", kf_h_voucher_offsite_request, KF_AUTH_USER,
     P(VOUCHERS_WORK)},
    {"POST", "/api/v1/vouchers/{id}/offsite-request/decision", kf_h_voucher_offsite_decide,
     KF_AUTH_USER, P(DISPATCH)},
    {"GET", "/api/v1/return-slips", kf_h_return_slips_list, KF_AUTH_USER, P(RETURNS_CONFIRM)},
    {"POST", "/api/v1/return-slips/{id}/receipt", kf_h_return_slip_receive, KF_AUTH_USER,
     P(RETURNS_CONFIRM)},
    {"GET", "/api/v1/finance", kf_h_finance_list, KF_AUTH_USER, P(FINANCE_READ)},
    {"GET", "/api/v1/public/surveys/{token}", kf_h_survey_get, KF_AUTH_NONE, -1},
    {"POST", "/api/v1/public/surveys/{token}", kf_h_survey_answer, KF_AUTH_NONE, -1},
    {"GET", "/api/v1/shift-templates", kf_h_shift_templates_get, KF_AUTH_USER, P(ROSTER_READ)},
    {"PUT", "/api/v1/shift-templates", kf_h_shift_templates_put, KF_AUTH_USER, P(ROSTER_WRITE)},
    {"GET", "/api/v1/rosters/{month}", kf_h_roster_get, KF_AUTH_USER, P(ROSTER_READ)},
    {"POST", "/api/v1/rosters/{month}/generate", kf_h_roster_generate, KF_AUTH_USER,
     P(ROSTER_WRITE)},
    {"PUT", "/api/v1/rosters/{month}/assignments", kf_h_roster_assignments, KF_AUTH_USER,
     P(ROSTER_WRITE)},
    {"POST", "/api/v1/rosters/{month}/publish", kf_h_roster_publish, KF_AUTH_USER, P(ROSTER_WRITE)},
    {"POST", "/api/v1/staffing/erlang-c", kf_h_staffing_erlang, KF_AUTH_USER, P(ROSTER_WRITE)},
    {"PUT", "/api/v1/rosters/{month}/wishes", kf_h_roster_wishes, KF_AUTH_USER,
     P(WORKFORCE_REQUEST)},
    {"GET", "/api/v1/leave-requests", kf_h_leave_list, KF_AUTH_USER, P(WORKFORCE_REQUEST)},
    {"POST", "/api/v1/leave-requests", kf_h_leave_create, KF_AUTH_USER, P(WORKFORCE_REQUEST)},
    {"POST", "/api/v1/leave-requests/{id}/decisions", kf_h_leave_decide, KF_AUTH_USER,
     P(LEAVE_DECIDE)},
    {"GET", "/api/v1/swap-requests", kf_h_swap_list, KF_AUTH_USER, P(WORKFORCE_REQUEST)},
    {"POST", "/api/v1/swap-requests", kf_h_swap_create, KF_AUTH_USER, P(WORKFORCE_REQUEST)},
    {"POST", "/api/v1/swap-requests/{id}/decisions", kf_h_swap_decide, KF_AUTH_USER,
     P(WORKFORCE_REQUEST)},
    {"POST", "/api/v1/customers/{id}/portal-account", kf_h_customer_portal_account, KF_AUTH_USER,
     P(CUSTOMERS_WRITE)},
    {"POST", "/api/v1/portal/signup", kf_h_portal_signup, KF_AUTH_NONE, -1},
    {"POST", "/api/v1/portal/login", kf_h_portal_login, KF_AUTH_NONE, -1},
    {"POST", "/api/v1/portal/logout", kf_h_portal_logout, KF_AUTH_CUSTOMER, -1},
    {"GET", "/api/v1/portal/me", kf_h_portal_me, KF_AUTH_CUSTOMER, -1},
    {"GET", "/api/v1/portal/tickets", kf_h_portal_tickets_list, KF_AUTH_CUSTOMER, -1},
    {"POST", "/api/v1/portal/tickets", kf_h_portal_tickets_create, KF_AUTH_CUSTOMER, -1},
    {"GET", "/api/v1/portal/tickets/{id}", kf_h_portal_ticket_get, KF_AUTH_CUSTOMER, -1},
    {"POST", "/api/v1/portal/tickets/{id}/replies", kf_h_portal_ticket_reply, KF_AUTH_CUSTOMER, -1},
    {"POST", "/api/v1/attendance/clock-in", kf_h_clock_in, KF_AUTH_USER, P(ATTENDANCE)},
    {"POST", "/api/v1/attendance/clock-out", kf_h_clock_out, KF_AUTH_USER, P(ATTENDANCE)},
    {"GET", "/api/v1/attendance", kf_h_attendance_month, KF_AUTH_USER, P(ATTENDANCE)},
    {"GET", "/api/v1/handovers", kf_h_handovers_list, KF_AUTH_USER, P(ATTENDANCE)},
    {"POST", "/api/v1/handovers", kf_h_handovers_create, KF_AUTH_USER, P(ATTENDANCE)},
    {"GET", "/api/v1/handovers/draft", kf_h_handover_draft, KF_AUTH_USER, P(ATTENDANCE)},
    {"GET", "/api/v1/handovers/{id}", kf_h_handover_get, KF_AUTH_USER, P(ATTENDANCE)},
    {"POST", "/api/v1/handovers/{id}/confirm", kf_h_handover_confirm, KF_AUTH_USER, P(ATTENDANCE)},
    {"GET", "/api/v1/duty-log", kf_h_duty_log_list, KF_AUTH_USER, P(ATTENDANCE)},
    {"POST", "/api/v1/duty-log", kf_h_duty_log_add, KF_AUTH_USER, P(ATTENDANCE)},
    {"GET", "/api/v1/events", kf_h_events, KF_AUTH_USER, -1},
    {"POST", "/api/v1/test/clock", kf_h_test_clock, KF_AUTH_USER, -1},
    {NULL, NULL, NULL, KF_AUTH_NONE, -1},
};

int kf_route_count(void)
{
	int n = 0;
	while (kf_routes[n].method)
		n++;
	return n;
}

/* Matches path against pattern segment by segment. */
static bool match(const char *pattern, const char *path, const char **params, size_t *lens,
		  int *nparams)
{
	const char *p = pattern, *s = path;
	int n = 0;
	while (*p && *s) {
		if (*p == '{') {
			const char *close = strchr(p, '}');
			const char *end = strchr(s, '/');
			size_t len = end ? (size_t)(end - s) : strlen(s);
			if (!close || len == 0 || n >= 4)
				return false;
			params[n] = s;
			lens[n++] = len;
			p = close + 1;
			s += len;
			continue;
		}
		if (*p != *s)
			return false;
		p++, s++;
	}
	if (*p || *s)
		return false;
	*nparams = n;
	return true;
}

/* Routes grouped by their first segment after API_PREFIX, so that a
 * request tries only the patterns that can match its path (one group, in
 * table order) instead of the whole table: the walk cost a ticket read 4 %
 * of its handler's instructions. The other routes (/healthz, …) form one
 * list; a route whose first segment is a parameter would match any group,
 * and turns the grouping off (every request then walks the table). */
#define API_PREFIX  "/api/v1/"
#define API_PLEN    (sizeof API_PREFIX - 1)
#define GROUP_SLOTS 128 /* a power of two, above twice the segments */
#define MAX_ROUTES  256

struct group {
	const char *seg; /* in the pattern; NULL: slot empty */
	size_t len;
	int first, n; /* in order[] */
};

static struct {
	bool on;
	struct group slots[GROUP_SLOTS];
	struct group other; /* routes outside API_PREFIX */
	int order[MAX_ROUTES];
} ix;
static pthread_once_t ix_once = PTHREAD_ONCE_INIT;

static uint32_t seg_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* The first segment of an API path (after API_PREFIX), or NULL. */
static const char *api_segment(const char *path, size_t *len)
{
	if (strncmp(path, API_PREFIX, API_PLEN))
		return NULL;
	const char *seg = path + API_PLEN;
	*len = strcspn(seg, "/");
	return seg;
}

static struct group *group_of(const char *seg, size_t len, bool add)
{
	for (uint32_t h = seg_hash(seg, len), k = 0; k < GROUP_SLOTS; k++) {
		struct group *g = &ix.slots[(h + k) & (GROUP_SLOTS - 1)];
		if (!g->seg) {
			if (!add)
				return NULL;
			g->seg = seg;
			g->len = len;
			return g;
		}
		if (g->len == len && !memcmp(g->seg, seg, len))
			return g;
	}
	return NULL;
}

static void build_index(void)
{
	int n = kf_route_count();
	if (n > MAX_ROUTES)
		return;
	/* Count each group, give each its place in order[], then fill. */
	for (int i = 0; i < n; i++) {
		size_t len;
		const char *seg = api_segment(kf_routes[i].pattern, &len);
		if (seg && memchr(seg, '{', len))
			return;
		struct group *g = seg ? group_of(seg, len, true) : &ix.other;
		if (!g)
			return;
		g->n++;
	}
	int at = 0;
	for (int k = 0; k < GROUP_SLOTS; k++)
		if (ix.slots[k].seg) {
			ix.slots[k].first = at;
			at += ix.slots[k].n;
			ix.slots[k].n = 0;
		}
	ix.other.first = at;
	ix.other.n = 0;
	for (int i = 0; i < n; i++) {
		size_t len;
		const char *seg = api_segment(kf_routes[i].pattern, &len);
		struct group *g = seg ? group_of(seg, len, false) : &ix.other;
		ix.order[g->first + g->n++] = i;
	}
	ix.on = true;
}

static int try_route(int i, const char *method, const char *path, const char **params, size_t *lens,
		     int *nparams, bool *path_found)
{
	if (!match(kf_routes[i].pattern, path, params, lens, nparams))
		return 0;
	*path_found = true;
	return !strcmp(kf_routes[i].method, method) ||
	       (!strcmp(method, "HEAD") && !strcmp(kf_routes[i].method, "GET"));
}

int kf_route_match(const char *method, const char *path, const char **params, size_t *lens,
		   int *nparams, bool *path_found)
{
	*path_found = false;
	pthread_once(&ix_once, build_index);
	if (!ix.on) {
		for (int i = 0; kf_routes[i].method; i++)
			if (try_route(i, method, path, params, lens, nparams, path_found))
				return i;
		return -1;
	}
	size_t len;
	const char *seg = api_segment(path, &len);
	const struct group *g = seg ? group_of(seg, len, false) : &ix.other;
	for (int k = 0; g && k < g->n; k++) {
		int i = ix.order[g->first + k];
		if (try_route(i, method, path, params, lens, nparams, path_found))
			return i;
	}
	return -1;
}
