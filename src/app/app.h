/* The application layer: one function per thing a person does. Each use case
 * checks permission with the role table (rules/roles.h), opens at most one
 * transaction, applies the rules, writes through the store and appends the
 * audit entries in that same transaction, so it commits whole or leaves
 * nothing behind.
 *
 * A struct kf_ctx carries what every use case needs: the app, who is acting,
 * the arena for results, "now" (from the clock, so tests move time), and the
 * client's address and request id for the audit log. The HTTP layer and the
 * CLI build one per request or command. */
#ifndef KF_APP_APP_H
#define KF_APP_APP_H
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "rules/policy.h"
#include "rules/roles.h"
#include "store/customers.h"
#include "store/records.h"
#include "store/tickets.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/jsonw.h"

struct kf_app {
	struct kf_store *store;
	pthread_mutex_t mu;
	/* The policy version in force, re-read from the store at most once a
	 * second (monotonic) so that all nodes agree within a second. */
	struct kf_policy *current;
	int64_t current_version;
	int64_t current_checked_at;
	/* Parsed versions by number, for events judged by an older version. */
	struct kf_policy *cache[8];
	int64_t cache_version[8];
	int cache_next;
	/* The event hub of this node (kefu serve only; NULL elsewhere). */
	struct kf_hub *hub;
	/* Installation secret (signs list cursors), loaded by kf_app_open. */
	char secret[72];
	/* T-10: ticket search ranks the newest this many matches (kefu serve
	 * --search-window; KF_SEARCH_WINDOW_DEFAULT unless set). */
	int search_window;
	/* Sessions answered from memory (app/auth_cache.h): kefu serve on a
	 * SQLite store; NULL elsewhere. */
	struct kf_auth_cache *auth_cache;
};

#define KF_SEARCH_WINDOW_DEFAULT 2000
#define KF_SEARCH_WINDOW_MAX	 100000

struct kf_actor {
	int64_t user_id; /* 0: nobody signed in (or the operator at the CLI) */
	const char *login;
	const char *name;
	enum kf_role role;
	const char *level;
	int64_t team_id;
	int64_t session_id;
	bool is_operator; /* the CLI on the server itself: may do anything */
	/* A customer signed in to the portal (app/portal.h): their record and
	 * account; role is then KF_ROLE_COUNT, which holds no permission. */
	int64_t customer_id, portal_account_id;
	/* The signed-in person's record as read with the session (no
	 * password hash); valid when user_id is set by kf_app_authenticate. */
	struct kf_user user;
};

struct kf_ctx {
	struct kf_app *app;
	struct kf_actor actor;
	struct kf_arena *arena;
	int64_t now;
	const char *ip;
	const char *request_id;
	const char *user_agent;
	struct kf_db *db; /* taken lazily by kf_ctx_db */
	/* The connection, when it is taken, opens a read snapshot: set when
	 * the session came from memory, so that the request's reads share one
	 * snapshot as they do when the session lookup opens it. */
	bool read_snapshot;
	struct kf_policy *policy; /* in force at now, taken lazily */
};

int kf_app_init(struct kf_app *app, struct kf_store *store);
/* Loads what a serving app needs from the store (the installation secret);
 * KF_ECONFLICT if the store was never initialised or is not at this binary's
 * schema version. */
int kf_app_open(struct kf_app *app, struct kf_err *err);
/* kefu init: migrates, writes policy version 1 and the installation secret
 * where missing. */
int kf_app_bootstrap(struct kf_app *app, int *from, int *to, struct kf_err *err);
void kf_app_release(struct kf_app *app);

/* A context for one request or command; release gives back the connection
 * (rolling back an unfinished transaction) and the policy reference. */
void kf_ctx_init(struct kf_ctx *c, struct kf_app *app, struct kf_arena *arena);
void kf_ctx_release(struct kf_ctx *c);
int kf_ctx_db(struct kf_ctx *c, struct kf_db **db, struct kf_err *err);
/* kf_ctx_db with a read snapshot (kf_db_read_begin) for the reads that
 * follow; a use case that then writes simply calls kf_db_begin. */
int kf_ctx_db_read(struct kf_ctx *c, struct kf_db **db, struct kf_err *err);
/* The policy in force at c->now (borrowed for the life of c). */
int kf_ctx_policy(struct kf_ctx *c, const struct kf_policy **p, struct kf_err *err);
/* The policy in force at instant t (P-1: an event is judged by the rules of
 * its time). The caller gets a reference to unref. */
int kf_app_policy_at(struct kf_app *app, struct kf_db *db, int64_t t, struct kf_policy **out,
		     struct kf_err *err);
/* The same, with the number of that policy version. */
int kf_app_policy_version_at(struct kf_app *app, struct kf_db *db, int64_t t,
			     struct kf_policy **out, int64_t *version, struct kf_err *err);
/* KF_EFORBIDDEN unless the actor's role holds perm (or the actor is the
 * operator). */
int kf_ctx_require(const struct kf_ctx *c, enum kf_perm perm, struct kf_err *err);

/* Appends an audit entry in the caller's transaction (S-3). detail is a JSON
 * object (stolen; NULL for none). */
int kf_app_audit(struct kf_ctx *c, struct kf_db *db, const char *action, const char *target_type,
		 const char *target_id, json_t *detail, struct kf_err *err);

/* ---- accounts (R-1, S-1) ---- */

struct kf_login_result {
	const char *token; /* give to the client once; the store keeps its hash */
	const char *csrf_token;
	int64_t expires_at;
	struct kf_user user;
};
/* Signs in. Wrong login or password is KF_EUNAUTH with one message for both;
 * throttled or locked is KF_ETOOMANY with err->retry_after. Every attempt
 * that is judged is audited. */
int kf_app_login(struct kf_ctx *c, const char *login, const char *password,
		 struct kf_login_result *out, struct kf_err *err);
/* Resolves a session token into c->actor. When csrf is not NULL it must match
 * the session's CSRF token (cookie sessions on unsafe methods). */
int kf_app_authenticate(struct kf_ctx *c, const char *token, const char *csrf, bool need_csrf,
			struct kf_err *err);
int kf_app_logout(struct kf_ctx *c, struct kf_err *err);
int kf_app_change_password(struct kf_ctx *c, const char *current, const char *next,
			   struct kf_err *err);

struct kf_user_input {
	const char *login, *name, *password, *role, *level, *hired_on;
	int64_t team_id;
	bool has_level, has_team, has_hired_on, has_name, has_role, has_password, has_active;
	bool active;
	int64_t version; /* for updates; 0 to skip the check */
};
/* The signed-in person's own record. */
int kf_app_me(struct kf_ctx *c, struct kf_user *out, struct kf_err *err);
int kf_app_user_create(struct kf_ctx *c, const struct kf_user_input *in, struct kf_user *out,
		       struct kf_err *err);
int kf_app_user_get(struct kf_ctx *c, int64_t id, struct kf_user *out, struct kf_err *err);
int kf_app_user_list(struct kf_ctx *c, int64_t after_id, int limit, struct kf_user **items, int *n,
		     struct kf_err *err);
int kf_app_user_update(struct kf_ctx *c, int64_t id, const struct kf_user_input *in,
		       struct kf_user *out, struct kf_err *err);
/* The user as the API shows it (never the password hash). */
json_t *kf_app_user_json(const struct kf_user *u);

int kf_app_team_create(struct kf_ctx *c, const char *name, struct kf_team *out, struct kf_err *err);
int kf_app_team_list(struct kf_ctx *c, int64_t after_id, int limit, struct kf_team **items, int *n,
		     struct kf_err *err);
json_t *kf_app_team_json(const struct kf_team *t);

/* ---- audit (S-3) ---- */
int kf_app_audit_list(struct kf_ctx *c, const struct kf_audit_filter *f,
		      struct kf_audit_entry **items, int *n, struct kf_err *err);
int kf_app_audit_verify(struct kf_ctx *c, struct kf_audit_check *out, struct kf_err *err);
json_t *kf_app_audit_json(const struct kf_audit_entry *e);

/* ---- policy (P-1) ---- */
/* Stores a new version after validating it; effective_from < 0 means now. */
int kf_app_policy_publish(struct kf_ctx *c, const char *document, const char *reason,
			  int64_t effective_from, struct kf_policy_version *out,
			  struct kf_err *err);
int kf_app_policy_current(struct kf_ctx *c, struct kf_policy_version *out, struct kf_err *err);
int kf_app_policy_version_get(struct kf_ctx *c, int64_t version, struct kf_policy_version *out,
			      struct kf_err *err);
int kf_app_policy_versions(struct kf_ctx *c, int64_t before, int limit,
			   struct kf_policy_version **items, int *n, struct kf_err *err);
/* Checks a document as PUT /policy would, without storing it; also checks
 * what the pure validator cannot (the time zone exists on this system). */
int kf_app_policy_check(const char *document, size_t len, struct kf_policy **out,
			struct kf_err *err);

/* ---- customers (C-1 … C-5) ---- */

/* What a person may set on a customer record; has_* says which members a
 * request carried (PATCH changes only those). */
struct kf_customer_input {
	const char *name, *phone, *alt_phone, *email, *address, *company, *grade, *birthday;
	const char *id_number, *notes;
	json_t *tags; /* array of strings, borrowed */
	bool has_name, has_phone, has_alt_phone, has_email, has_address, has_company, has_grade,
	    has_birthday, has_id_number, has_notes, has_tags;
	int64_t version; /* for updates; 0 to skip the check */
};

/* Checks a customer input against the rules the HTTP layer cannot know (the
 * grade is one of the policy's, C-2; phone and e-mail formats) and inserts it,
 * with its search entry and an audit entry, in the caller's transaction.
 * Used by kf_app_customer_create and by ticket registration (T-3). */
int kf_app_customer_insert_tx(struct kf_ctx *c, struct kf_db *db,
			      const struct kf_customer_input *in, struct kf_customer *out,
			      struct kf_err *err);
int kf_app_customer_create(struct kf_ctx *c, const struct kf_customer_input *in,
			   struct kf_customer *out, struct kf_err *err);
/* The record; *revealed tells whether the caller may see it unmasked now
 * (a passed verification within the policy time, C-3). A revealed view is
 * audited. */
int kf_app_customer_get(struct kf_ctx *c, int64_t id, struct kf_customer *out, bool *revealed,
			struct kf_err *err);
/* Whether the actor holds a live verification for the customer (C-3). */
int kf_app_customer_revealed(struct kf_ctx *c, struct kf_db *db, int64_t customer_id,
			     bool *revealed, struct kf_err *err);
/* S-3: audits each customer of items shown unmasked (revealed[i]), via
 * naming where ("get", "list", "ticket"); in the caller's transaction, or
 * its own when none is open. */
int kf_app_customer_audit_views(struct kf_ctx *c, struct kf_db *db, const struct kf_customer *items,
				const bool *revealed, int n, const char *via, struct kf_err *err);
/* The customer as the API shows it: personal fields masked unless revealed
 * ("phone": "138****5678", "masked": true); written into w, or as a jansson
 * value (the same text, parsed: for the answers built with jansson). */
void kf_app_customer_write(struct kf_jsonw *w, const struct kf_customer *cu, bool revealed);
json_t *kf_app_customer_json(const struct kf_customer *cu, bool revealed);

/* Error fields of the functions above and below name the members of
 * struct kf_customer_input unprefixed ("phone"); a caller reading a nested
 * object prefixes them (kf_err_prefix_field). Phones are stored as their
 * digits (a leading '+' kept); a customer without a grade gets the last,
 * least important grade of the policy's list (C-2). */

/* PATCH: changes the members in carries, refusing a stale version (409).
 * *revealed as for kf_app_customer_get (the answer is a view too). */
int kf_app_customer_update(struct kf_ctx *c, int64_t id, const struct kf_customer_input *in,
			   struct kf_customer *out, bool *revealed, struct kf_err *err);

/* A page of customers: all of them in id order, or those matching q (name,
 * phone in full or its last four digits, company, address words; T-10) best
 * match first; either filtered by grade and by birthday ("MM-DD"). pos is
 * the cursor position (the last id, or with q an offset). */
struct kf_customer_query {
	const char *q, *grade, *birthday;
	int64_t pos;
	int limit;
};
/* revealed[i] says whether items[i] may be shown unmasked (C-3); each such
 * view is audited. *more and *next_pos give the next page. */
int kf_app_customer_list(struct kf_ctx *c, const struct kf_customer_query *q,
			 struct kf_customer **items, bool **revealed, int *n, bool *more,
			 int64_t *next_pos, struct kf_err *err);

/* C-3: records an identity check of the caller by the signed-in person
 * (method one of id_number, phone, security_question, account, other). A
 * passed one opens the record to that person for the policy's
 * customers.verification_unmask_minutes; a failed one opens nothing. */
int kf_app_customer_verify(struct kf_ctx *c, int64_t id, const char *method, bool passed,
			   const char *note, struct kf_customer_verification *out,
			   struct kf_err *err);
json_t *kf_app_customer_verification_json(const struct kf_customer_verification *v);

/* C-4: the care list of a day (date "YYYY-MM-DD" already checked, NULL for
 * today in the policy's time zone): customers with a birthday that day, the
 * policy holidays from that day to customers.care.holiday_lead_days later,
 * and, when there is one, the customers of the greeting grades. Each list
 * holds at most limit customers (*_more tells that there were more). */
struct kf_customer_holiday {
	const char *date, *name;
};
struct kf_customer_care {
	char date[11];
	struct kf_customer_holiday *holidays;
	int nholidays;
	struct kf_customer *birthdays, *greet;
	bool *birthdays_revealed, *greet_revealed;
	int nbirthdays, ngreet;
	bool birthdays_more, greet_more;
};
int kf_app_customer_care(struct kf_ctx *c, const char *date, int limit,
			 struct kf_customer_care *out, struct kf_err *err);

/* C-5: customers due a periodic callback on date (NULL: today), by the
 * policy's customers.callback_interval_months_by_grade: never called back,
 * or last called back N months or more before the date. In id order after
 * after_id. */
int kf_app_customer_callbacks_due(struct kf_ctx *c, const char *date, int64_t after_id, int limit,
				  struct kf_customer **items, bool **revealed, int *n, bool *more,
				  struct kf_err *err);

/* ---- tickets (T-1 … T-10, L-4 … L-12) ---- */

struct kf_complaint_input;
struct kf_complaint_view;

struct kf_ticket_input {
	const char *type, *channel, *contact, *subject, *description, *priority;
	const char *service_class;
	const char *product;	   /* JSON object text, already checked */
	const char *review_rating; /* L-9: good, middling, bad (marketplace only) */
	int64_t customer_id, assignee_id;
	struct kf_customer_input customer; /* T-3: registered with the ticket */
	/* K-1 … K-3: the complaint form (app/complaints.h), NULL if not given. */
	const struct kf_complaint_input *complaint;
	bool has_customer_id, has_customer, has_type, has_channel, has_contact, has_subject,
	    has_description, has_priority, has_service_class, has_product, has_assignee,
	    has_review_rating;
	int64_t version; /* for updates; 0 to skip the check */
};

/* A ticket with what the API shows beside it. */
struct kf_ticket_view {
	struct kf_ticket t;
	struct kf_ticket_deadline *deadlines;
	int ndeadlines;
	struct kf_customer customer;
	bool customer_revealed;
	struct kf_complaint_view *complaint; /* NULL unless a complaint (app/complaints.h) */
	/* V-1: the callback the close just created, with its one-time survey
	 * token (app/callbacks.h); NULL otherwise. Kept in the arena. */
	json_t *callback;
};

/* T-3, T-4, T-5, T-9, L-11: registers a request; the actor owns it. */
int kf_app_ticket_register(struct kf_ctx *c, const struct kf_ticket_input *in,
			   struct kf_ticket_view *out, struct kf_err *err);
int kf_app_ticket_get(struct kf_ctx *c, int64_t id, struct kf_ticket_view *out, struct kf_err *err);
/* Fields, not status; a type change recomputes the unmet deadlines (L-11). */
int kf_app_ticket_update(struct kf_ctx *c, int64_t id, const struct kf_ticket_input *in,
			 struct kf_ticket_view *out, struct kf_err *err);
/* T-6: refused with KF_ECONFLICT naming the current state. */
int kf_app_ticket_transition(struct kf_ctx *c, int64_t id, const char *to, int64_t assignee_id,
			     const char *reason, struct kf_ticket_view *out, struct kf_err *err);
/* T-7: kind "reply" (to the customer; meets L-6 and the pending L-5 status
 * update and arms the next one) or "note" (internal). */
int kf_app_ticket_entry(struct kf_ctx *c, int64_t id, const char *kind, const char *body,
			struct kf_ticket_event *out, struct kf_err *err);
int kf_app_ticket_timeline(struct kf_ctx *c, int64_t id, int64_t after_id, int limit,
			   struct kf_ticket_event **items, int *n, struct kf_err *err);
/* q: the raw search text (T-10), tokenized here; KF_EINVALID on field q if it
 * has no letter, digit or CJK character. A search ranks the newest
 * app->search_window matches (f->top and f->offset: see
 * kf_store_ticket_list). */
int kf_app_ticket_list(struct kf_ctx *c, struct kf_ticket_filter *f, const char *q,
		       struct kf_ticket **items, int *n, struct kf_err *err);
/* T-5: the owner asks to hand over; ownership moves when the receiver accepts. */
int kf_app_ticket_transfer(struct kf_ctx *c, int64_t id, int64_t to_user_id, const char *reason,
			   struct kf_transfer *out, struct kf_err *err);
int kf_app_transfer_decide(struct kf_ctx *c, int64_t transfer_id, bool accept,
			   struct kf_transfer *out, struct kf_err *err);
/* box: incoming (to the caller; the default), outgoing (from the caller),
 * or team (T-5 oversight, tickets.assign: transfers from or to a member of
 * team_id; a team lead's own team only; 0 for every team). */
int kf_app_transfer_list(struct kf_ctx *c, const char *box, int64_t team_id, const char *status,
			 int64_t before_id, int limit, struct kf_transfer **items, int *n,
			 struct kf_err *err);
/* The open tickets passing f's assignee_id, owner_id and team_id, counted in
 * the store per assignee: open, overdue and due within soon_ms of now. */
int kf_app_ticket_counts(struct kf_ctx *c, const struct kf_ticket_filter *f, int64_t soon_ms,
			 struct kf_ticket_count **rows, int *n, struct kf_err *err);
/* T-8: one level up, or (emergency) several, with a notice to the skipped. */
int kf_app_ticket_escalate(struct kf_ctx *c, int64_t id, const char *to, bool emergency,
			   const char *reason, struct kf_ticket_view *out, struct kf_err *err);
/* L-4 … L-10: marks deadlines due by now as overdue, raises their tickets to
 * the supervisor and records it; *marked gets how many. */
int kf_app_scan_deadlines(struct kf_app *app, int64_t now, int *marked, struct kf_err *err);

/* T-10: writes the search entries queued by registrations (SQLite; see
 * kf_store_search_take_pending), up to 128 per group write; *moved
 * gets how many; takes the write lock only when something is queued. Called
 * by the indexer thread of kefu serve; a ticket search does the same first.
 * Takes a connection of the pool: not for a caller that holds one. */
int kf_app_search_flush(struct kf_app *app, int *moved, struct kf_err *err);

/* The ticket as the API shows it (src/app/ticket_json.c): written straight
 * into w, the view in full (GET /tickets/{id}) or as a list item. */
void kf_app_ticket_write(struct kf_jsonw *w, const struct kf_ticket_view *v);
void kf_app_ticket_summary_write(struct kf_jsonw *w, const struct kf_ticket *t);
json_t *kf_app_event_json(const struct kf_ticket_event *e);
json_t *kf_app_transfer_json(const struct kf_transfer *x);

/* ---- demo data ---- */
extern const char kf_demo_password[];
/* Loads the demo department (kefu demo); *already is set, and nothing is
 * done, when it was loaded before. */
int kf_app_demo_load(struct kf_ctx *c, bool *already, struct kf_err *err);

#endif
