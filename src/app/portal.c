/* The customer portal (S-4, T-2, T-7): see portal.h for the design. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/internal.h"
#include "app/portal.h"
#include "rules/privacy.h"
#include "rules/ticket.h"
#include "util/log.h"

#define INTAKE_LOGIN "@portal"
/* The tag of a customer record made by a portal sign-up. */
#define SELF_REGISTERED_TAG "self_registered"
/* How many timeline entries the portal's ticket view shows at most. */
#define PORTAL_ENTRIES_MAX 500

static const char *id_str(struct kf_ctx *c, int64_t id)
{
	return kf_arena_printf(c->arena, "%lld", (long long)id);
}

/* The customer acts through the intake account (the owner and author of
 * what they submit, T-5), named in the audit log as "@portal/<account>". */
static int as_intake(struct kf_ctx *c, struct kf_db *db, struct kf_err *err)
{
	struct kf_user u;
	int rc = kf_store_user_by_login(db, INTAKE_LOGIN, c->arena, &u, err);
	if (rc)
		return rc == KF_ENOTFOUND
			   ? kf_err_set(err, KF_EINTERNAL, "the portal intake account is missing")
			   : rc;
	c->actor.user_id = u.id;
	c->actor.name = u.name;
	return 0;
}

/* Takes the policy in force before a transaction begins (it is read from
 * the store once a second), so that SQLite's write lock is not held while it
 * is read; the use case then finds it in c. */
static int policy_first(struct kf_ctx *c, struct kf_err *err)
{
	const struct kf_policy *p;
	return kf_ctx_policy(c, &p, err);
}

static void set_customer(struct kf_ctx *c, const struct kf_portal_account *a, int64_t session_id)
{
	c->actor.user_id = 0;
	c->actor.role = KF_ROLE_COUNT;
	c->actor.customer_id = a->customer_id;
	c->actor.portal_account_id = a->id;
	c->actor.login = kf_arena_printf(c->arena, "%s/%lld", INTAKE_LOGIN, (long long)a->id);
	c->actor.name = a->customer_name;
	c->actor.session_id = session_id;
}

/* A new portal session for account a, its audit entry, in the caller's
 * transaction; fills out. */
static int open_session(struct kf_ctx *c, struct kf_db *db, const struct kf_portal_account *a,
			struct kf_portal_signin *out, struct kf_err *err)
{
	const struct kf_policy *pol;
	struct kf_session_tokens tk;
	int64_t sid;
	int rc;
	if ((rc = kf_ctx_policy(c, &pol, err)))
		return rc;
	kf_app_session_tokens(&tk);
	int64_t expires = c->now + kf_policy_int(pol, "security.session.lifetime_hours") * 3600000;
	if ((rc = kf_store_portal_session_insert(db, tk.token_hash, tk.csrf_hash, a->id, c->now,
						 expires, c->ip, c->user_agent, &sid, err)))
		return rc;
	set_customer(c, a, sid);
	if ((rc = kf_app_audit(c, db, "portal.login", "portal_account", id_str(c, a->id),
			       json_pack("{s:I}", "session_id", (json_int_t)sid), err)))
		return rc;
	out->token = kf_arena_strdup(c->arena, tk.token);
	out->csrf_token = kf_arena_strdup(c->arena, tk.csrf);
	out->expires_at = expires;
	out->account = *a;
	out->account.password_hash = NULL;
	return 0;
}

/* Inserts the account, turning the unique phone into a field error. */
static int insert_account(struct kf_ctx *c, struct kf_db *db, struct kf_portal_account *a,
			  struct kf_err *err)
{
	struct kf_portal_account other;
	int rc = kf_store_portal_account_by_phone(db, a->phone, c->arena, &other, err);
	/* A sign-up is answered without saying that the phone has an account
	 * (see docs/api.md for what the status still tells); staff are told. */
	if (rc == 0)
		return kf_err_field(err, KF_ECONFLICT, "phone",
				    a->created_by
					? "a portal account with this phone exists"
					: "this phone cannot be registered; if you have an "
					  "account, sign in, otherwise ask customer "
					  "service");
	if (rc != KF_ENOTFOUND)
		return rc;
	memset(err, 0, sizeof *err);
	if ((rc = kf_store_portal_account_insert(db, a, err)))
		return rc;
	return kf_app_audit(c, db, "portal.account_create", "portal_account", id_str(c, a->id),
			    json_pack("{s:o, s:b}", "customer_id", kf_app_json_id(a->customer_id),
				      "self_registered", a->created_by == 0),
			    err);
}

int kf_app_portal_signup(struct kf_ctx *c, const char *phone, const char *name,
			 const char *password, struct kf_portal_signin *out, struct kf_err *err)
{
	struct kf_db *db;
	const char *digits, *hash;
	int rc;
	/* S-1: registering costs a slow hash and is open to anyone: the
	 * attempts of an address are counted, and locked past the policy's
	 * address limit. */
	if ((rc = kf_app_phone_normalise(c, "phone", phone, &digits, err)) ||
	    (rc = kf_ctx_db(c, &db, err)) || (rc = kf_app_throttle_address(c, db, "signup", err)) ||
	    (rc = kf_app_password_hash(c, password, digits, &hash, err)))
		return rc;
	c->actor.login = INTAKE_LOGIN "/signup";
	/* Always a new record: a matching phone proves nothing (no SMS check),
	 * and attaching to that record would hand over its tickets.
	 * The record carries the tag SELF_REGISTERED_TAG, so that staff can
	 * tell it from one they made on a verified caller. */
	json_t *tags = json_pack("[s]", SELF_REGISTERED_TAG);
	struct kf_customer_input in = {.name = name,
				       .phone = phone,
				       .tags = tags,
				       .has_name = true,
				       .has_phone = true,
				       .has_tags = true};
	struct kf_customer cu;
	struct kf_portal_account a = {.phone = digits, .password_hash = hash, .created_at = c->now};
	if (!(rc = kf_db_begin(db, err)))
		rc = kf_app_customer_insert_tx(c, db, &in, &cu, err);
	json_decref(tags);
	if (rc)
		return rc;
	a.customer_id = cu.id;
	a.customer_name = cu.name;
	if ((rc = insert_account(c, db, &a, err)) || (rc = open_session(c, db, &a, out, err)))
		return rc;
	return kf_db_commit(db, err);
}

int kf_app_portal_account_issue(struct kf_ctx *c, int64_t customer_id, const char *phone,
				const char *password, struct kf_portal_account *out,
				struct kf_err *err)
{
	struct kf_db *db;
	struct kf_customer cu;
	struct kf_portal_account a;
	const char *digits = NULL, *hash;
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_CUSTOMERS_WRITE, err)) ||
	    (phone && (rc = kf_app_phone_normalise(c, "phone", phone, &digits, err))) ||
	    (rc = policy_first(c, err)) || (rc = kf_ctx_db(c, &db, err)) ||
	    (rc = kf_store_customer_get(db, customer_id, c->arena, &cu, err)))
		return rc;
	/* S-4, C-3: an account opens the record's tickets to whoever holds it,
	 * so it is issued only to a caller whose identity the member of staff
	 * has just verified (a live verification, as for unmasking). */
	bool verified = c->actor.is_operator;
	if (!verified && (rc = kf_app_customer_revealed(c, db, customer_id, &verified, err)))
		return rc;
	if (!verified)
		return kf_err_rule(
		    err, KF_EFORBIDDEN, "C-3",
		    "verify the customer's identity before issuing a portal account");
	if (!digits && !cu.phone)
		return kf_err_field(err, KF_EINVALID, "phone",
				    "the customer has no phone on file; give phone");
	if (!digits)
		digits = cu.phone;
	if ((rc = kf_app_password_hash(c, password, digits, &hash, err)) ||
	    (rc = kf_db_begin(db, err)))
		return rc;
	rc = kf_store_portal_account_by_customer(db, customer_id, c->arena, &a, err);
	if (rc == 0)
		return kf_err_set(err, KF_ECONFLICT, "customer %lld already has a portal account",
				  (long long)customer_id);
	if (rc != KF_ENOTFOUND)
		return rc;
	memset(&a, 0, sizeof a);
	a.customer_id = cu.id;
	a.customer_name = cu.name;
	a.phone = digits;
	a.password_hash = hash;
	a.created_by = c->actor.user_id;
	a.created_at = c->now;
	if ((rc = insert_account(c, db, &a, err)) || (rc = kf_db_commit(db, err)))
		return rc;
	a.password_hash = NULL;
	*out = a;
	return 0;
}

int kf_app_portal_login(struct kf_ctx *c, const char *phone, const char *password,
			struct kf_portal_signin *out, struct kf_err *err)
{
	struct kf_db *db;
	struct kf_signin st;
	const char *digits;
	char masked[KF_PRIVACY_MASK_MAX];
	int rc;
	if ((rc = kf_app_phone_normalise(c, "phone", phone, &digits, err)))
		return rc;
	/* S-3: the audit log and the server log name the phone masked. */
	kf_privacy_mask_phone(digits, masked);
	if ((rc = kf_ctx_db(c, &db, err)) ||
	    (rc = kf_app_signin_begin(c, db, "portal-address",
				      kf_arena_printf(c->arena, "portal:%s", digits),
				      kf_arena_printf(c->arena, "portal:%s", masked), &st, err)))
		return rc;
	struct kf_portal_account a;
	struct kf_err lookup;
	rc = kf_store_portal_account_by_phone(db, digits, c->arena, &a, &lookup);
	if (rc && rc != KF_ENOTFOUND)
		return kf_err_set(err, rc, "%s", lookup.message);
	bool known = rc == 0;
	if (!known)
		memset(&a, 0, sizeof a);
	c->actor.login = INTAKE_LOGIN "/login";
	if (!kf_app_signin_verify(known && a.active ? a.password_hash : NULL, password))
		return kf_app_signin_failed(
		    c, db, &st, "portal.login_failed", "portal_account",
		    a.id ? id_str(c, a.id) : NULL,
		    json_pack("{s:s, s:s}", "phone", masked, "reason",
			      known && !a.active ? "inactive" : "bad_credentials"),
		    err);
	if ((rc = kf_db_begin(db, err)) || (rc = kf_store_throttle_clear(db, st.acct_key, err)) ||
	    (rc = open_session(c, db, &a, out, err)))
		return rc;
	return kf_db_commit(db, err);
}

int kf_app_portal_authenticate(struct kf_ctx *c, const char *token, const char *csrf,
			       bool need_csrf, struct kf_err *err)
{
	struct kf_db *db;
	char hash[KF_SHA256_HEX_LEN + 1];
	int64_t idle = 0;
	struct kf_portal_session s;
	struct kf_portal_account a;
	int rc;
	if ((rc = kf_app_session_lookup_begin(c, token, &db, hash, &idle, err)) ||
	    (rc = kf_store_portal_session_lookup(db, hash, c->now, idle, c->arena, &s, &a, err)) ||
	    (need_csrf && (rc = kf_app_check_csrf(csrf, s.csrf_hash, err))))
		return rc;
	if (c->now - s.last_seen_at >= 60000 &&
	    (rc = kf_store_portal_session_touch(db, s.id, c->now, err)))
		return rc;
	set_customer(c, &a, s.id);
	return 0;
}

int kf_app_portal_logout(struct kf_ctx *c, struct kf_err *err)
{
	struct kf_db *db;
	int rc;
	if (!c->actor.portal_account_id)
		return kf_err_set(err, KF_EUNAUTH, "not signed in");
	if ((rc = kf_ctx_db(c, &db, err)) || (rc = kf_db_begin(db, err)) ||
	    (rc = kf_store_portal_session_revoke(db, c->actor.session_id, c->now, err)) ||
	    (rc = kf_app_audit(c, db, "portal.logout", "portal_account",
			       id_str(c, c->actor.portal_account_id), NULL, err)))
		return rc;
	return kf_db_commit(db, err);
}

static int signed_in(const struct kf_ctx *c, struct kf_err *err)
{
	return c->actor.customer_id ? 0
				    : kf_err_set(err, KF_EUNAUTH, "sign in to the portal first");
}

/* S-4: the ticket if it is the signed-in customer's; any other is "not
 * found", as one that does not exist. */
static int own_ticket(struct kf_ctx *c, struct kf_db *db, int64_t id, struct kf_ticket *t,
		      struct kf_err *err)
{
	int rc = kf_store_ticket_get(db, id, c->arena, t, err);
	if (rc == KF_ENOTFOUND || (rc == 0 && t->customer_id != c->actor.customer_id))
		return kf_err_set(err, KF_ENOTFOUND, "ticket %lld not found", (long long)id);
	return rc;
}

int kf_app_portal_tickets(struct kf_ctx *c, int64_t before_id, int limit, struct kf_ticket **items,
			  int *n, struct kf_err *err)
{
	struct kf_db *db;
	int rc;
	if ((rc = signed_in(c, err)) || (rc = kf_ctx_db_read(c, &db, err)))
		return rc;
	struct kf_ticket_filter f = {.customer_id = c->actor.customer_id,
				     .overdue = -1,
				     .before_id = before_id,
				     .limit = limit};
	return kf_store_ticket_list(db, &f, c->arena, items, n, err);
}

int kf_app_portal_submit(struct kf_ctx *c, const char *type, const char *subject,
			 const char *description, int64_t *id, struct kf_err *err)
{
	struct kf_db *db;
	struct kf_portal_account a;
	int rc;
	if (kf_ticket_type_parse(type) < 0)
		return kf_err_field(err, KF_EINVALID, "type",
				    "type must be complaint, inquiry, query, repair, suggestion, "
				    "help or service (T-1)");
	if ((rc = signed_in(c, err)) || (rc = policy_first(c, err)) ||
	    (rc = kf_ctx_db(c, &db, err)) || (rc = kf_db_begin(db, err)) ||
	    (rc = kf_store_portal_account_by_customer(db, c->actor.customer_id, c->arena, &a,
						      err)) ||
	    (rc = as_intake(c, db, err)))
		return rc;
	/* T-2: the portal is the web channel; the contact is the account's
	 * phone. T-5: the intake account registers it (see tickets.c). */
	struct kf_ticket_input in = {.type = type,
				     .channel = "web",
				     .contact = a.phone,
				     .subject = subject,
				     .description = description,
				     .customer_id = c->actor.customer_id,
				     .has_customer_id = true,
				     .has_type = true,
				     .has_channel = true,
				     .has_contact = true,
				     .has_subject = true,
				     .has_description = true};
	if ((rc = kf_app_ticket_register_tx(c, db, &in, id, err)))
		return rc;
	return kf_db_commit(db, err);
}

/* T-7: what a customer may see of the timeline. */
static bool customer_visible(const struct kf_ticket_event *e)
{
	return !e->internal &&
	       (!strcmp(e->kind, "created") || !strcmp(e->kind, "reply") ||
		!strcmp(e->kind, "customer_reply") || !strcmp(e->kind, "status_changed"));
}

int kf_app_portal_ticket(struct kf_ctx *c, int64_t id, int limit, struct kf_ticket *t,
			 struct kf_ticket_event **entries, int *n, struct kf_err *err)
{
	struct kf_db *db;
	struct kf_ticket_event *all;
	struct kf_user intake;
	int total, rc;
	if (limit <= 0 || limit > PORTAL_ENTRIES_MAX)
		limit = PORTAL_ENTRIES_MAX;
	if ((rc = signed_in(c, err)) || (rc = kf_ctx_db_read(c, &db, err)) ||
	    (rc = own_ticket(c, db, id, t, err)) ||
	    (rc = kf_store_user_by_login(db, INTAKE_LOGIN, c->arena, &intake, err)) ||
	    (rc = kf_store_event_list(db, id, 0, limit, false, c->arena, &all, &total, err)))
		return rc;
	/* What the customer did through the portal is recorded as done by the
	 * intake account: marked as theirs for kf_app_portal_ticket_json. */
	int k = 0;
	for (int i = 0; i < total; i++) {
		if (!customer_visible(&all[i]))
			continue;
		all[i].actor_name = all[i].actor_id == intake.id ? "customer" : "staff";
		all[k++] = all[i];
	}
	*entries = all;
	*n = k;
	return 0;
}

int kf_app_portal_reply(struct kf_ctx *c, int64_t id, const char *body, struct kf_ticket_event *out,
			struct kf_err *err)
{
	struct kf_db *db;
	struct kf_ticket t;
	int rc;
	int64_t account = c->actor.portal_account_id;
	if ((rc = signed_in(c, err)) || (rc = policy_first(c, err)) ||
	    (rc = kf_ctx_db(c, &db, err)) || (rc = kf_db_begin(db, err)) ||
	    (rc = own_ticket(c, db, id, &t, err)) || (rc = as_intake(c, db, err)) ||
	    (rc = kf_app_ticket_customer_message_tx(
		 c, db, &t, body, json_pack("{s:o}", "portal_account_id", kf_app_json_id(account)),
		 out, err)))
		return rc;
	return kf_db_commit(db, err);
}

json_t *kf_app_portal_account_json(const struct kf_portal_account *a)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", kf_app_json_id(a->id));
	json_object_set_new(o, "customer_id", kf_app_json_id(a->customer_id));
	json_object_set_new(o, "name", kf_app_json_str(a->customer_name));
	json_object_set_new(o, "phone", kf_app_json_str(a->phone));
	json_object_set_new(o, "self_registered", json_boolean(a->created_by == 0));
	json_object_set_new(o, "created_at", kf_app_json_instant(a->created_at));
	return o;
}

static json_t *entry_json(const struct kf_ticket_event *e)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", kf_app_json_id(e->id));
	json_object_set_new(o, "at", kf_app_json_instant(e->at));
	json_object_set_new(o, "kind", json_string(e->kind));
	/* The portal names no member of staff: an entry is the customer's or
	 * the staff's (kf_app_portal_ticket put which in actor_name). */
	json_object_set_new(o, "author",
			    json_string(e->actor_name && !strcmp(e->actor_name, "customer")
					    ? "customer"
					    : "staff"));
	json_object_set_new(o, "body",
			    kf_app_json_str(strcmp(e->kind, "status_changed") ? e->body : NULL));
	if (!strcmp(e->kind, "status_changed")) {
		json_error_t je;
		json_t *d = e->detail ? json_loads(e->detail, 0, &je) : NULL;
		json_t *after = json_object_get(json_object_get(d, "status"), "after");
		json_object_set_new(o, "status",
				    json_is_string(after) ? json_copy(after) : json_null());
		json_decref(d);
	}
	return o;
}

json_t *kf_app_portal_ticket_json(const struct kf_ticket *t, const struct kf_ticket_event *entries,
				  int n)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", kf_app_json_id(t->id));
	json_object_set_new(o, "number", json_string(t->number));
	json_object_set_new(o, "type", json_string(t->type));
	json_object_set_new(o, "channel", json_string(t->channel));
	json_object_set_new(o, "subject", json_string(t->subject));
	json_object_set_new(o, "status", json_string(t->status));
	json_object_set_new(o, "created_at", kf_app_json_instant(t->created_at));
	json_object_set_new(o, "updated_at", kf_app_json_instant(t->updated_at));
	json_object_set_new(o, "resolved_at", kf_app_json_instant(t->resolved_at));
	json_object_set_new(o, "closed_at", kf_app_json_instant(t->closed_at));
	if (entries) {
		json_object_set_new(o, "description", json_string(t->description));
		json_t *a = json_array();
		for (int i = 0; i < n; i++)
			json_array_append_new(a, entry_json(&entries[i]));
		json_object_set_new(o, "entries", a);
	}
	return o;
}
