/* The customer portal (S-4, T-2, T-7): customers' own accounts, sessions,
 * and their view of their own tickets.
 *
 * A portal account belongs to one customer record. Staff issue an account
 * for an existing record (after verifying the caller's identity, C-3);
 * customers may also register themselves with phone, name and password.
 * Self-registration always creates a NEW customer record, never attaches
 * the account to an existing record whose phone matches: nothing proves
 * that the person registering holds that phone (there is no SMS check), and
 * attaching would hand them another person's tickets.
 *
 * A customer's session is a portal session (store/portal.h), looked up only
 * by kf_app_portal_authenticate: a customer's token is no staff token, so
 * every staff endpoint refuses it (401). The customer acts with no staff
 * role (kf_ctx_require refuses every permission); what a customer does to a
 * ticket is recorded as done through the built-in intake account "@portal"
 * (migration 007), with the portal account in the audit detail.
 *
 * Another customer's ticket is KF_ENOTFOUND, exactly like one that does not
 * exist (no existence leak). */
#ifndef KF_APP_PORTAL_H
#define KF_APP_PORTAL_H
#include "app/app.h"
#include "store/portal.h"

struct kf_portal_signin {
	const char *token; /* give to the client once; the store keeps its hash */
	const char *csrf_token;
	int64_t expires_at;
	struct kf_portal_account account;
};

/* Self-registration: a new customer record {name, phone} and its account,
 * signed in. A phone that already has an account is KF_ECONFLICT on
 * "phone"; password rules as for staff (S-1), with the phone as login. */
int kf_app_portal_signup(struct kf_ctx *c, const char *phone, const char *name,
			 const char *password, struct kf_portal_signin *out, struct kf_err *err);
/* Staff (customers.write) issue an account for customer customer_id, after
 * verifying the caller's identity (a live C-3 verification of that record
 * by the same member of staff, else KF_EFORBIDDEN with rule C-3); phone
 * NULL takes the record's phone. KF_ECONFLICT when the record already has an
 * account or the phone is another account's (field "phone"). */
int kf_app_portal_account_issue(struct kf_ctx *c, int64_t customer_id, const char *phone,
				const char *password, struct kf_portal_account *out,
				struct kf_err *err);
/* Sign-in with phone and password, throttled and locked as staff sign-in
 * (S-1): KF_EUNAUTH for a wrong phone or password alike, KF_ETOOMANY with
 * retry_after when throttled. */
int kf_app_portal_login(struct kf_ctx *c, const char *phone, const char *password,
			struct kf_portal_signin *out, struct kf_err *err);
/* Resolves a portal session token into c->actor (customer_id and
 * portal_account_id set, no staff role). */
int kf_app_portal_authenticate(struct kf_ctx *c, const char *token, const char *csrf,
			       bool need_csrf, struct kf_err *err);
int kf_app_portal_logout(struct kf_ctx *c, struct kf_err *err);

/* The signed-in customer's tickets, newest first, id < before_id (0: from
 * the newest); at most limit. */
int kf_app_portal_tickets(struct kf_ctx *c, int64_t before_id, int limit, struct kf_ticket **items,
			  int *n, struct kf_err *err);
/* T-2, T-3, T-5: a request from the portal: channel web, for the signed-in
 * customer, registered by the intake account. *id gets the new ticket. */
int kf_app_portal_submit(struct kf_ctx *c, const char *type, const char *subject,
			 const char *description, int64_t *id, struct kf_err *err);
/* One of the customer's tickets and the entries a customer may see (T-7:
 * never an internal note; only creation, replies both ways and status
 * changes), at most limit of them; each entry's actor_name is replaced by
 * "customer" (done through the portal) or "staff", for the JSON below. */
int kf_app_portal_ticket(struct kf_ctx *c, int64_t id, int limit, struct kf_ticket *t,
			 struct kf_ticket_event **entries, int *n, struct kf_err *err);
/* T-7, T-6: the customer's reply to their ticket. */
int kf_app_portal_reply(struct kf_ctx *c, int64_t id, const char *body, struct kf_ticket_event *out,
			struct kf_err *err);

/* As the API shows them: the account (with the customer's name), a ticket
 * of the customer (list item; with the description and entries for the
 * view), an entry. No staff-only data: no owner, assignee, priority,
 * deadlines, notes or staff names. */
json_t *kf_app_portal_account_json(const struct kf_portal_account *a);
json_t *kf_app_portal_ticket_json(const struct kf_ticket *t, const struct kf_ticket_event *entries,
				  int n);

#endif
