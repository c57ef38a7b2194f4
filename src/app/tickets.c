/* Tickets: registration (T-3, T-4, T-5, T-9), the state machine (T-6),
 * replies and notes (T-7), escalation (T-8), search (T-10), transfers (T-5)
 * and deadlines (L-4 … L-12). Every change is a timeline event with before
 * and after, and an audit entry (S-3), in the transaction of the change. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/app.h"
#include "app/callbacks.h"
#include "app/complaints.h"
#include "app/events.h"
#include "app/internal.h"
#include "rules/privacy.h"
#include "rules/ticket.h"
#include "store/search.h"
#include "util/json.h"
#include "util/log.h"
#include "util/time.h"
#include "util/tokenize.h"

static const char *id_str(struct kf_ctx *c, int64_t id)
{
	return kf_arena_printf(c->arena, "%lld", (long long)id);
}

int kf_app_ticket_record(struct kf_ctx *c, struct kf_db *db, int64_t ticket_id, const char *number,
			 const char *kind, bool internal, const char *body, json_t *detail,
			 struct kf_err *err)
{
	if (!detail)
		detail = json_object();
	char *text = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
	struct kf_ticket_event e = {.ticket_id = ticket_id,
				    .at = c->now,
				    .actor_id = c->actor.user_id,
				    .kind = kind,
				    .internal = internal,
				    .body = body,
				    .detail = kf_arena_strdup(c->arena, text ? text : "{}")};
	free(text);
	int rc = kf_store_event_insert(db, &e, err);
	if (rc) {
		json_decref(detail);
		return rc;
	}
	json_object_set_new(detail, "number", json_string(number));
	char action[64];
	snprintf(action, sizeof action, "ticket.%s", kind);
	return kf_app_audit(c, db, action, "ticket", id_str(c, ticket_id), detail, err);
}

/* A timeline event of t and its audit entry. detail is stolen. */
static int record(struct kf_ctx *c, struct kf_db *db, const struct kf_ticket *t, const char *kind,
		  bool internal, const char *body, json_t *detail, struct kf_err *err)
{
	return kf_app_ticket_record(c, db, t->id, t->number, kind, internal, body, detail, err);
}

/* An event for the people a ticket concerns (GET /api/v1/events). extra
 * (may be NULL) is merged into the payload and stolen. */
static int notify(struct kf_ctx *c, struct kf_db *db, const struct kf_ticket *t, const char *kind,
		  const int64_t *users, int nusers, const char *const *roles, json_t *extra,
		  struct kf_err *err)
{
	json_t *p = json_pack(
	    "{s:o, s:s, s:s, s:s, s:s, s:o}", "ticket_id", json_sprintf("%lld", (long long)t->id),
	    "number", t->number, "subject", t->subject, "status", t->status, "priority",
	    t->priority, "by",
	    c->actor.user_id ? json_sprintf("%lld", (long long)c->actor.user_id) : json_null());
	if (extra) {
		json_object_update(p, extra);
		json_decref(extra);
	}
	return kf_app_notify(c, db, kind, users, nusers, roles, p, err);
}

static const char *const to_supervisors[] = {"supervisor", NULL};

static json_t *id_json(int64_t id)
{
	return json_sprintf("%lld", (long long)id);
}

static json_t *instant_json(int64_t ms)
{
	char buf[40];
	kf_time_format(ms, buf);
	return json_string(buf);
}

static json_t *change(const char *before, const char *after)
{
	return json_pack("{s:o, s:o}", "before", before ? json_string(before) : json_null(),
			 "after", after ? json_string(after) : json_null());
}

static json_t *change_id(int64_t before, int64_t after)
{
	return json_pack("{s:o, s:o}", "before",
			 before ? json_sprintf("%lld", (long long)before) : json_null(), "after",
			 after ? json_sprintf("%lld", (long long)after) : json_null());
}

/* Writes the search entry of a ticket (T-10): number, subject, description
 * and the customer's name and phone (full and last four digits). */
static int put_entry(struct kf_db *db, const struct kf_search_pending *e, struct kf_arena *a,
		     struct kf_err *err)
{
	const char *phone = e->customer_phone ? e->customer_phone : "";
	size_t n = strlen(phone);
	char *customer = kf_arena_printf(a, "%s %s %s %s", e->customer_name ? e->customer_name : "",
					 phone, n > 4 ? phone + n - 4 : "",
					 e->customer_company ? e->customer_company : "");
	return kf_store_search_put_ticket(db, e->id, e->open, e->type,
					  kf_tokenize_join(e->number, false, 0, a, NULL),
					  kf_tokenize_join(e->subject, false, 0, a, NULL),
					  kf_tokenize_join(e->description, false, 0, a, NULL),
					  kf_tokenize_join(customer, false, 0, a, NULL), err);
}

static int index_ticket(struct kf_ctx *c, struct kf_db *db, const struct kf_ticket *t,
			const struct kf_customer *cu, struct kf_err *err)
{
	struct kf_search_pending e = {
	    .id = t->id,
	    .open = kf_ticket_status_open((enum kf_status)kf_status_parse(t->status)),
	    .type = t->type,
	    .number = t->number,
	    .subject = t->subject,
	    .description = t->description,
	    .customer_name = cu->name,
	    .customer_phone = cu->phone,
	    .customer_company = cu->company};
	return put_entry(db, &e, c->arena, err);
}

/* A new ticket's entry: queued where the engine defers entries (see
 * kf_app_search_flush), written at once otherwise. */
static int index_new_ticket(struct kf_ctx *c, struct kf_db *db, const struct kf_ticket *t,
			    const struct kf_customer *cu, struct kf_err *err)
{
	if (kf_store_search_defers(db))
		return kf_store_search_queue_ticket(db, t->id, err);
	return index_ticket(c, db, t, cu, err);
}

/* The most queued entries one group write takes. Writing them holds up the
 * registrations queued behind (60-200 us an entry); at 1 000 an indexer run
 * held them 30-140 ms. Chunks of 128 hold them a few milliseconds each, and
 * each chunk shares its commit with the registrations of its batch. */
#define FLUSH_BATCH 128

struct flush_job {
	struct kf_arena arena;
	int moved;
};

static int flush_tx(struct kf_db *db, void *arg, struct kf_err *err)
{
	struct flush_job *j = arg;
	struct kf_search_pending *items;
	int n, rc;
	j->moved = 0;
	if ((rc = kf_store_search_take_pending(db, FLUSH_BATCH, &j->arena, &items, &n, err)))
		return rc;
	for (int i = 0; i < n; i++)
		if ((rc = put_entry(db, &items[i], &j->arena, err)))
			return rc;
	j->moved = n;
	return 0;
}

/* Writes queued entries, FLUSH_BATCH per group write, until none is left.
 * Needs no connection of the pool (group writes have their own). */
static int flush_queued(struct kf_app *app, int *moved, struct kf_err *err)
{
	int rc;
	*moved = 0;
	for (;;) {
		struct flush_job j = {0};
		kf_arena_init(&j.arena);
		rc = kf_store_group_write(app->store, NULL, flush_tx, &j, err);
		kf_arena_release(&j.arena);
		if (rc)
			return rc;
		*moved += j.moved;
		if (j.moved < FLUSH_BATCH)
			return 0;
	}
}

int kf_app_search_flush(struct kf_app *app, int *moved, struct kf_err *err)
{
	struct kf_db *db;
	bool pending = false;
	int rc;
	*moved = 0;
	/* Nothing queued (the common case): no write lock taken. */
	if ((rc = kf_store_acquire(app->store, &db, err)))
		return rc;
	if (kf_store_search_defers(db))
		rc = kf_store_search_has_pending(db, &pending, err);
	kf_store_release(app->store, db);
	if (rc || !pending)
		return rc;
	return flush_queued(app, moved, err);
}

/* Before a search: what is queued is indexed first, so that a ticket is
 * found as soon as its registration is answered. */
static int flush_before_search(struct kf_ctx *c, struct kf_db *db, struct kf_err *err)
{
	bool pending = false;
	int moved, rc;
	if (!kf_store_search_defers(db))
		return 0;
	if ((rc = kf_store_search_has_pending(db, &pending, err)) || !pending)
		return rc;
	kf_db_read_end(db);
	if ((rc = flush_queued(c->app, &moved, err)))
		return rc;
	return kf_db_read_begin(db, err);
}

/* The ticket view; with reveal, whether the caller has the customer's record
 * open (C-3), else masked. */
static int load_view(struct kf_ctx *c, struct kf_db *db, int64_t id, bool reveal,
		     struct kf_ticket_view *v, struct kf_err *err)
{
	int rc = kf_store_ticket_get_full(db, id, reveal ? c->actor.user_id : 0, c->now, c->arena,
					  &v->t, &v->customer, &v->customer_revealed, &v->deadlines,
					  &v->ndeadlines, err);
	if (rc)
		return rc;
	v->callback = NULL;
	return kf_app_complaint_view_load(c, db, v, err);
}

/* L-11: the deadlines computed at registration (L-4, L-6 … L-10), in the
 * type's calendar and the policy's zone; kinds the ticket has already are
 * left as they are. */
/* L-11: the deadlines of a ticket of type under policy p, from its
 * registration; returns how many. */
static int compute_deadlines(const struct kf_policy *p, const struct kf_ticket *t,
			     enum kf_ticket_type type, struct kf_deadline dl[KF_DL_COUNT])
{
	return kf_ticket_deadlines(p, type, kf_review_rating_parse(t->review_rating), t->created_at,
				   kf_time_local_zone(), dl);
}

static int insert_deadlines(struct kf_db *db, const struct kf_ticket *t,
			    const struct kf_deadline *dl, int n, struct kf_err *err)
{
	for (int i = 0; i < n; i++) {
		int rc = kf_store_deadline_insert(db, t->id, kf_deadline_kind_name(dl[i].kind),
						  dl[i].due_at, err);
		if (rc)
			return rc;
	}
	return 0;
}

static int write_deadlines(struct kf_ctx *c, struct kf_db *db, const struct kf_policy *p,
			   const struct kf_ticket *t, enum kf_ticket_type type, struct kf_err *err)
{
	struct kf_deadline dl[KF_DL_COUNT];
	int n = compute_deadlines(p, t, type, dl);
	int rc = insert_deadlines(db, t, dl, n, err);
	return rc ? rc : kf_store_ticket_refresh_due(db, t->id, err);
}

static int check_staff(struct kf_ctx *c, struct kf_db *db, int64_t user_id, const char *field,
		       struct kf_user *u, struct kf_err *err)
{
	int rc = kf_store_user_get(db, user_id, c->arena, u, err);
	if (rc == KF_ENOTFOUND)
		return kf_err_field(err, KF_EINVALID, field, "user %lld does not exist",
				    (long long)user_id);
	if (rc)
		return rc;
	int role = kf_role_parse(u->role);
	if (!u->active || role < 0 || !kf_role_can((enum kf_role)role, KF_PERM_TICKETS_WRITE))
		return kf_err_field(err, KF_EINVALID, field,
				    "%s cannot handle tickets (inactive or role %s)", u->login,
				    u->role);
	return 0;
}

/* L-9: a review rating is one of good, middling, bad, and only on a ticket
 * from the marketplace channel. field names what the caller changed. */
static int check_review(int channel, const char *rating, const char *field, struct kf_err *err)
{
	if (kf_review_rating_parse(rating) < 0)
		return kf_err_field(err, KF_EINVALID, "review_rating",
				    "review_rating must be good, middling or bad (L-9)");
	if (channel < 0 || !kf_ticket_review_allowed((enum kf_channel)channel))
		return kf_err_field(err, KF_EINVALID, field,
				    "review_rating goes only with channel marketplace (L-9)");
	return 0;
}

static const char *const service_classes[] = {"paid", "contract", "free", "internal", NULL};

static int check_service_class(const char *s, struct kf_err *err)
{
	for (const char *const *p = service_classes; *p; p++)
		if (!strcmp(*p, s))
			return 0;
	return kf_err_field(err, KF_EINVALID, "service_class",
			    "service_class must be paid, contract, free or internal (D-1)");
}

static void unref_policy(void *p)
{
	kf_policy_unref(p);
}

/* Ends the request's read snapshot (taken with the session) before it waits
 * for a group write: a snapshot held through the wait, by every waiting
 * request, would keep SQLite from ever restarting its WAL, which would then
 * grow without bound under a steady load. */
static int end_snapshot(struct kf_ctx *c)
{
	if (c->db)
		kf_db_read_end(c->db);
	return 0;
}

/* What a registration carries into its group transaction and out of it. */
struct register_job {
	struct kf_ctx *c;
	const struct kf_ticket_input *in;
	int type, channel, pri;
	struct kf_ticket t; /* the new ticket */
	struct kf_customer cu;
	struct kf_ticket_view *out;
};

/* The transaction part of a registration; runs in a group write, on the
 * store's writer connection db (kf_store_group_write). */
static int register_tx(struct kf_db *db, void *arg, struct kf_err *err)
{
	struct register_job *j = arg;
	struct kf_ctx *c = j->c;
	const struct kf_ticket_input *in = j->in;
	struct kf_customer cu;
	struct kf_ticket t = {0};
	struct kf_policy *p;
	int64_t version;
	int rc;
	/* P-1: the policy in force when the ticket is registered, read in the
	 * transaction that records its version. */
	if ((rc = kf_app_policy_version_at(c->app, db, c->now, &p, &version, err)))
		return rc;
	kf_arena_defer(c->arena, unref_policy, p);
	if (in->has_customer_id) {
		rc = kf_store_customer_get(db, in->customer_id, c->arena, &cu, err);
		if (rc == KF_ENOTFOUND)
			return kf_err_field(err, KF_EINVALID, "customer_id",
					    "customer %lld does not exist",
					    (long long)in->customer_id);
	} else {
		rc = kf_app_customer_insert_tx(c, db, &in->customer, &cu, err);
		if (rc && err->field[0] && strncmp(err->field, "customer.", 9))
			kf_err_prefix_field(err, "customer");
	}
	if (rc)
		return rc;

	/* T-4: the day is the local day (P-3). */
	int64_t seq;
	const char *prefix = kf_ticket_prefix(p, (enum kf_ticket_type)j->type);
	int ymd = kf_time_local_ymd(c->now);
	char number[32];
	if ((rc = kf_store_ticket_next_seq(db, prefix, ymd, &seq, err)))
		return rc;
	kf_ticket_number(prefix, ymd, seq, number);
	t.number = kf_arena_strdup(c->arena, number);
	t.type = kf_ticket_type_name((enum kf_ticket_type)j->type);
	t.channel = kf_channel_name((enum kf_channel)j->channel);
	t.contact = in->has_contact ? in->contact : NULL;
	t.subject = in->subject;
	t.description = in->description;
	t.customer_id = cu.id;
	t.status = kf_status_name(KF_ST_NEW);
	t.priority = kf_priority_name(kf_ticket_priority(
	    p, j->pri, cu.grade, in->complaint ? in->complaint->severity : NULL)); /* T-9, K-2 */
	t.owner_id = c->actor.user_id; /* T-5: whoever registers owns it */
	t.product = in->has_product ? in->product : NULL;
	t.service_class = in->has_service_class ? in->service_class : NULL;
	t.review_rating = in->has_review_rating ? in->review_rating : NULL;
	t.policy_version = version;
	t.created_by = c->actor.user_id;
	t.created_at = c->now;
	t.pause_pending = kf_policy_bool(p, "deadlines.l12_pause_pending_customer");
	/* The ticket row is written with its deadlines (its earliest and its
	 * copy of them): no second write of the row to set them. */
	struct kf_deadline dl[KF_DL_COUNT];
	struct kf_ticket_deadline rows[KF_DL_COUNT];
	int ndl = compute_deadlines(p, &t, (enum kf_ticket_type)j->type, dl);
	for (int i = 0; i < ndl; i++)
		rows[i] = (struct kf_ticket_deadline){.kind = kf_deadline_kind_name(dl[i].kind),
						      .due_at = dl[i].due_at};
	if ((rc = kf_store_ticket_insert(db, &t, rows, ndl, err)))
		return rc;
	json_t *d = json_pack("{s:s, s:s, s:s, s:s, s:o}", "type", t.type, "channel", t.channel,
			      "priority", t.priority, "status", t.status, "customer_id",
			      json_sprintf("%lld", (long long)cu.id));
	if ((rc = record(c, db, &t, "created", false, NULL, d, err)) ||
	    (rc = notify(c, db, &t, "ticket.created", &t.owner_id, 1, to_supervisors, NULL, err)) ||
	    (in->complaint && (rc = kf_app_complaint_register_tx(c, db, &t, in->complaint, err))))
		return rc;
	j->t = t;
	j->cu = cu;
	return 0;
}

/* The search entry, after every registration of the group; and the answer,
 * read back from the writer connection, whose cache holds those pages. */
static int register_index(struct kf_db *db, void *arg, struct kf_err *err)
{
	struct register_job *j = arg;
	int rc = index_new_ticket(j->c, db, &j->t, &j->cu, err);
	return rc ? rc : load_view(j->c, db, j->t.id, false, j->out, err);
}

int kf_app_ticket_register(struct kf_ctx *c, const struct kf_ticket_input *in,
			   struct kf_ticket_view *out, struct kf_err *err)
{
	const struct kf_policy *p;
	int rc;
	struct register_job j = {.c = c,
				 .in = in,
				 .out = out,
				 .type = kf_ticket_type_parse(in->type),
				 .channel = kf_channel_parse(in->channel),
				 .pri = in->has_priority ? kf_priority_parse(in->priority) : -1};
	if (j.type < 0)
		return kf_err_field(err, KF_EINVALID, "type",
				    "type must be complaint, inquiry, query, repair, suggestion, "
				    "help or service (T-1)");
	if (j.channel < 0)
		return kf_err_field(err, KF_EINVALID, "channel",
				    "channel must be phone, visit, letter, fax, web, chat, "
				    "marketplace or other (T-2)");
	if (in->has_priority && j.pri < 0)
		return kf_err_field(err, KF_EINVALID, "priority",
				    "priority must be normal, urgent or critical (T-9)");
	if (in->has_service_class && in->service_class &&
	    (rc = check_service_class(in->service_class, err)))
		return rc;
	if (in->has_review_rating && in->review_rating &&
	    (rc = check_review(j.channel, in->review_rating, "review_rating", err)))
		return rc;
	if (in->has_customer_id == in->has_customer)
		return kf_err_field(err, KF_EINVALID, "customer_id",
				    "give either customer_id or customer (T-3)");
	/* The policy for checking a new customer's fields is taken before the
	 * transaction (a new customer's fields are checked in it). */
	if ((rc = kf_ctx_require(c, KF_PERM_TICKETS_WRITE, err)) ||
	    (rc = kf_ctx_policy(c, &p, err)) || (rc = end_snapshot(c)) ||
	    (rc = kf_store_group_write(c->app->store, register_tx, register_index, &j, err)))
		return rc;
	return 0;
}

int kf_app_ticket_register_tx(struct kf_ctx *c, struct kf_db *db, const struct kf_ticket_input *in,
			      int64_t *id, struct kf_err *err)
{
	struct kf_ticket_view v;
	struct register_job j = {.c = c,
				 .in = in,
				 .out = &v,
				 .type = kf_ticket_type_parse(in->type),
				 .channel = kf_channel_parse(in->channel),
				 .pri = in->has_priority ? kf_priority_parse(in->priority) : -1};
	int rc;
	if (j.type < 0 || j.channel < 0)
		return kf_err_set(err, KF_EINTERNAL, "ticket type %s or channel %s unknown",
				  in->type, in->channel);
	if ((rc = register_tx(db, &j, err)) || (rc = index_new_ticket(c, db, &j.t, &j.cu, err)))
		return rc;
	*id = j.t.id;
	return 0;
}

int kf_app_ticket_get(struct kf_ctx *c, int64_t id, struct kf_ticket_view *out, struct kf_err *err)
{
	struct kf_db *db;
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_TICKETS_READ, err)) ||
	    (rc = kf_ctx_db_read(c, &db, err)) || (rc = load_view(c, db, id, true, out, err)))
		return rc;
	return kf_app_customer_audit_views(c, db, &out->customer, &out->customer_revealed, 1,
					   "ticket", err);
}

/* Owner, assignee, or someone who assigns work may change a ticket. */
static int may_handle(const struct kf_ctx *c, const struct kf_ticket *t, struct kf_err *err)
{
	if (c->actor.is_operator || t->owner_id == c->actor.user_id ||
	    t->assignee_id == c->actor.user_id ||
	    kf_role_can(c->actor.role, KF_PERM_TICKETS_ASSIGN) || c->actor.role == KF_ROLE_VP ||
	    c->actor.role == KF_ROLE_GM)
		return 0;
	return kf_err_set(err, KF_EFORBIDDEN,
			  "only the owner, the assignee or a supervisor may change ticket %s",
			  t->number);
}

static int begin_change(struct kf_ctx *c, int64_t id, int64_t version, struct kf_db **db,
			struct kf_ticket *t, struct kf_err *err)
{
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_TICKETS_WRITE, err)) || (rc = kf_ctx_db(c, db, err)) ||
	    (rc = kf_db_begin(*db, err)) || (rc = kf_store_ticket_get(*db, id, c->arena, t, err)) ||
	    (rc = may_handle(c, t, err)))
		return rc;
	if (version && version != t->version)
		return kf_err_field(err, KF_ECONFLICT, "version",
				    "ticket %s is at version %lld, not %lld", t->number,
				    (long long)t->version, (long long)version);
	return 0;
}

static int finish_change(struct kf_ctx *c, struct kf_db *db, int64_t id, struct kf_ticket_view *out,
			 struct kf_err *err)
{
	int rc = kf_db_commit(db, err);
	if (rc || !out)
		return rc;
	if ((rc = load_view(c, db, id, true, out, err)))
		return rc;
	return kf_app_customer_audit_views(c, db, &out->customer, &out->customer_revealed, 1,
					   "ticket", err);
}

int kf_app_ticket_update(struct kf_ctx *c, int64_t id, const struct kf_ticket_input *in,
			 struct kf_ticket_view *out, struct kf_err *err)
{
	struct kf_db *db;
	struct kf_ticket t;
	const struct kf_policy *p;
	int rc;
	if ((rc = kf_ctx_policy(c, &p, err)) ||
	    (rc = begin_change(c, id, in->version, &db, &t, err)))
		return rc;
	struct kf_ticket before = t;
	json_t *changes = json_object();
	bool reindex = false, retype = false;
	if (in->has_type && strcmp(in->type, t.type)) {
		if (kf_ticket_type_parse(in->type) < 0) {
			json_decref(changes);
			return kf_err_field(err, KF_EINVALID, "type", "unknown type %s (T-1)",
					    in->type);
		}
		t.type = in->type;
		retype = true;
		reindex = true; /* the search index holds the type (T-10) */
	}
	if (in->has_channel && strcmp(in->channel, t.channel)) {
		if (kf_channel_parse(in->channel) < 0) {
			json_decref(changes);
			return kf_err_field(err, KF_EINVALID, "channel", "unknown channel %s (T-2)",
					    in->channel);
		}
		t.channel = in->channel;
	}
	/* L-9: the rating stays with the marketplace channel; a change of
	 * either is checked against the other. */
	if (in->has_review_rating)
		t.review_rating = in->review_rating;
	if (t.review_rating &&
	    (rc = check_review(kf_channel_parse(t.channel), t.review_rating,
			       in->has_review_rating ? "review_rating" : "channel", err))) {
		json_decref(changes);
		return rc;
	}
	bool review = kf_ticket_review_needs_handling(kf_review_rating_parse(t.review_rating)) !=
		      kf_ticket_review_needs_handling(kf_review_rating_parse(before.review_rating));
	if (in->has_priority) {
		int pri = kf_priority_parse(in->priority);
		if (pri < 0) {
			json_decref(changes);
			return kf_err_field(err, KF_EINVALID, "priority",
					    "priority must be normal, urgent or critical (T-9)");
		}
		/* T-9: never below what the rules demand. */
		enum kf_priority floor = kf_ticket_priority(p, -1, t.customer_grade, NULL);
		if (pri < (int)floor) {
			json_decref(changes);
			return kf_err_rule(err, KF_ERULE, "T-9",
					   "a ticket of a %s customer is at least %s",
					   t.customer_grade, kf_priority_name(floor));
		}
		t.priority = in->priority;
	}
	if (in->has_service_class && in->service_class &&
	    (rc = check_service_class(in->service_class, err))) {
		json_decref(changes);
		return rc;
	}
	if (in->has_assignee && !strcmp(t.status, "new")) {
		json_decref(changes);
		return kf_err_rule(err, KF_ECONFLICT, "T-6",
				   "ticket %s is new: assign it with the transition to assigned",
				   t.number);
	}
	if (in->has_assignee) {
		if (in->assignee_id && in->assignee_id != c->actor.user_id &&
		    (rc = kf_ctx_require(c, KF_PERM_TICKETS_ASSIGN, err))) {
			json_decref(changes);
			return rc;
		}
		struct kf_user u;
		if (in->assignee_id &&
		    (rc = check_staff(c, db, in->assignee_id, "assignee_id", &u, err))) {
			json_decref(changes);
			return rc;
		}
		t.assignee_id = in->assignee_id;
	}
	if (in->has_subject)
		t.subject = in->subject, reindex = true;
	if (in->has_description)
		t.description = in->description, reindex = true;
	if (in->has_contact)
		t.contact = in->contact;
	if (in->has_product)
		t.product = in->product;
	if (in->has_service_class)
		t.service_class = in->service_class;
#define DIFF(f)                                                                                    \
	if ((before.f == NULL) != (t.f == NULL) || (before.f && strcmp(before.f, t.f)))            \
	json_object_set_new(changes, #f, change(before.f, t.f))
	DIFF(type);
	DIFF(channel);
	DIFF(priority);
	DIFF(subject);
	DIFF(description);
	if ((before.contact == NULL) != (t.contact == NULL) ||
	    (before.contact && strcmp(before.contact, t.contact))) {
		char mb[KF_PRIVACY_MASK_MAX] = "", ma[KF_PRIVACY_MASK_MAX] = "";
		if (before.contact)
			kf_privacy_mask_contact(before.contact, mb);
		if (t.contact)
			kf_privacy_mask_contact(t.contact, ma);
		json_object_set_new(changes, "contact",
				    change(before.contact ? mb : NULL, t.contact ? ma : NULL));
	}
	DIFF(product);
	DIFF(service_class);
	DIFF(review_rating);
#undef DIFF
	if (before.assignee_id != t.assignee_id)
		json_object_set_new(changes, "assignee_id",
				    change_id(before.assignee_id, t.assignee_id));
	/* K-1 … K-3: the complaint form, and the priority its severity demands. */
	if ((rc = kf_app_complaint_update_tx(c, db, p, &t, &before, in->complaint, in->has_priority,
					     changes, err))) {
		json_decref(changes);
		return rc;
	}
	if (!json_object_size(changes)) {
		json_decref(changes);
		kf_db_rollback(db);
		return load_view(c, db, id, true, out, err);
	}
	t.updated_at = c->now;
	if ((rc = kf_store_ticket_update(db, &t, err))) {
		json_decref(changes);
		return rc;
	}
	if (retype || review) {
		/* L-11: deadlines follow a type change; met ones stay as they were.
		 * L-9: a rating that now needs handling adds the review deadline,
		 * one that no longer does drops it if unmet; the others stay. */
		if ((rc =
			 kf_store_deadline_delete_unmet(db, t.id, retype ? NULL : "review", err)) ||
		    (rc = write_deadlines(c, db, p, &t, kf_ticket_type_parse(t.type), err))) {
			json_decref(changes);
			return rc;
		}
	}
	if (reindex) {
		struct kf_customer cu;
		if ((rc = kf_store_customer_get(db, t.customer_id, c->arena, &cu, err)) ||
		    (rc = index_ticket(c, db, &t, &cu, err))) {
			json_decref(changes);
			return rc;
		}
	}
	bool reassigned = before.assignee_id != t.assignee_id && t.assignee_id;
	if ((rc = record(c, db, &t, "updated", false, NULL, json_pack("{s:o}", "changes", changes),
			 err)))
		return rc;
	int64_t who[] = {t.owner_id, t.assignee_id};
	if (reassigned && (rc = notify(c, db, &t, "ticket.assigned", who, 2, NULL, NULL, err)))
		return rc;
	return finish_change(c, db, id, out, err);
}

/* L-12: the wait for the customer from `since` to now moves the ticket's
 * pausable deadlines on, counted in the type's calendar. */
static int postpone(struct kf_ctx *c, struct kf_db *db, const struct kf_policy *p,
		    const struct kf_ticket *t, int64_t since, struct kf_err *err)
{
	struct kf_ticket_deadline *dl;
	int n, rc;
	enum kf_ticket_type type = (enum kf_ticket_type)kf_ticket_type_parse(t->type);
	if ((rc = kf_store_deadline_list(db, t->id, c->arena, &dl, &n, err)))
		return rc;
	for (int i = 0; i < n; i++) {
		int kind = kf_deadline_kind_parse(dl[i].kind);
		if (kind < 0 || !kf_deadline_pausable((enum kf_deadline_kind)kind) ||
		    dl[i].met_at || dl[i].overdue_at)
			continue;
		int64_t due = kf_ticket_paused_due(p, type, dl[i].due_at, since, c->now,
						   kf_time_local_zone());
		if ((rc = kf_store_deadline_move(db, t->id, dl[i].kind, due, err)))
			return rc;
	}
	return kf_store_ticket_refresh_due(db, t->id, err);
}

/* The deadlines a change of state meets, stops or restarts:
 * - L-8: closing meets the complaint's closing deadline;
 * - L-9: resolving meets the review deadline (the review was handled);
 * - L-5: the status-update clock stops when the customer's turn begins
 *   (pending_customer) and when the ticket is resolved: the pending update
 *   is marked met at that moment. It starts again, from now, when the
 *   customer's turn ends (back to in_progress) or the ticket is reopened,
 *   provided a reply had started it (a status_update deadline exists). */
static int transition_deadlines(struct kf_ctx *c, struct kf_db *db, const struct kf_policy *p,
				const struct kf_ticket *t, enum kf_status from, enum kf_status to,
				struct kf_err *err)
{
	bool changed = false, ch = false;
	int rc = 0;
	if (to == KF_ST_PENDING_CUSTOMER || to == KF_ST_RESOLVED) {
		rc = kf_store_deadline_meet(db, t->id, "status_update", c->now, &ch, err);
		changed |= ch;
	}
	if (!rc && to == KF_ST_RESOLVED) {
		rc = kf_store_deadline_meet(db, t->id, "review", c->now, &ch, err);
		changed |= ch;
	}
	if (!rc && to == KF_ST_CLOSED) {
		rc = kf_store_deadline_meet(db, t->id, "close", c->now, &ch, err);
		changed |= ch;
	}
	if (!rc &&
	    ((from == KF_ST_PENDING_CUSTOMER && to == KF_ST_IN_PROGRESS) || to == KF_ST_REOPENED)) {
		int64_t due = kf_ticket_status_update_due(
		    p, (enum kf_ticket_type)kf_ticket_type_parse(t->type), c->now,
		    kf_time_local_zone());
		rc = kf_store_deadline_rearm(db, t->id, "status_update", due, false, &ch, err);
		changed |= ch;
	}
	if (!rc && changed)
		rc = kf_store_ticket_refresh_due(db, t->id, err);
	return rc;
}

/* T-5: requests submitted through the customer portal are registered by the
 * built-in intake account (migration 011); the first staff member assigned
 * to one becomes its owner, the first contact responsible for it. */
#define PORTAL_LOGIN "@portal"

static int intake_owned(struct kf_ctx *c, struct kf_db *db, const struct kf_ticket *t, bool *yes,
			struct kf_err *err)
{
	struct kf_user u;
	int rc = kf_store_user_get(db, t->owner_id, c->arena, &u, err);
	if (rc)
		return rc;
	*yes = !strcmp(u.login, PORTAL_LOGIN);
	return 0;
}

/* T-6: moves t (read in the caller's write transaction on db) to target,
 * with its deadlines, timeline entry, audit and event; *callback gets the
 * V-1 callback a close creates (NULL otherwise). */
static int transition_tx(struct kf_ctx *c, struct kf_db *db, const struct kf_policy *p,
			 struct kf_ticket *tp, int target, int64_t assignee_id, const char *reason,
			 json_t **callback, struct kf_err *err)
{
	struct kf_ticket t = *tp;
	int rc;
	const char *to = kf_status_name((enum kf_status)target);
	*callback = NULL;
	int from = kf_status_parse(t.status);
	if (from == target)
		return kf_err_rule(err, KF_ECONFLICT, "T-6", "ticket %s is already %s", t.number,
				   t.status);
	if (!kf_ticket_transition_allowed((enum kf_status)from, (enum kf_status)target)) {
		enum kf_status next[KF_ST_COUNT];
		int n = kf_ticket_next_states((enum kf_status)from, next);
		char allowed[160] = "";
		size_t len = 0;
		for (int i = 0; i < n; i++)
			len += (size_t)snprintf(allowed + len, sizeof allowed - len, "%s%s",
						i ? ", " : "", kf_status_name(next[i]));
		return kf_err_rule(err, KF_ECONFLICT, "T-6",
				   "ticket %s is %s and cannot go to %s (allowed: %s)", t.number,
				   t.status, to, n ? allowed : "none");
	}
	json_t *d = json_pack("{s:o}", "status", change(t.status, to));
	if (target == KF_ST_ASSIGNED) {
		int64_t who = assignee_id ? assignee_id : c->actor.user_id;
		struct kf_user u;
		bool intake = false;
		if (who != c->actor.user_id &&
		    (rc = kf_ctx_require(c, KF_PERM_TICKETS_ASSIGN, err)))
			goto fail;
		if ((rc = check_staff(c, db, who, "assignee_id", &u, err)) ||
		    (rc = intake_owned(c, db, &t, &intake, err)))
			goto fail;
		json_object_set_new(d, "assignee_id", change_id(t.assignee_id, who));
		t.assignee_id = who;
		if (intake) {
			json_object_set_new(d, "owner_id", change_id(t.owner_id, who));
			t.owner_id = who;
		}
	} else if (assignee_id) {
		rc = kf_err_field(err, KF_EINVALID, "assignee_id",
				  "assignee_id goes only with to: assigned");
		goto fail;
	}
	if (reason)
		json_object_set_new(d, "reason", json_string(reason));
	t.status = to;
	t.updated_at = c->now;
	if (target == KF_ST_RESOLVED)
		t.resolved_at = c->now;
	if (target == KF_ST_CLOSED)
		t.closed_at = c->now;
	if (target == KF_ST_REOPENED) {
		t.resolved_at = 0;
		t.closed_at = 0;
	}
	/* L-12: the wait for the customer, when the policy pauses it, moves the
	 * reply and close deadlines on by its length. */
	int64_t paused = 0, since = t.pending_since;
	if (target == KF_ST_PENDING_CUSTOMER)
		t.pending_since = c->now;
	else if (from == KF_ST_PENDING_CUSTOMER) {
		if (t.pause_pending && since)
			paused = c->now - since;
		t.pending_since = 0;
	}
	if ((rc = kf_store_ticket_update(db, &t, err)))
		goto fail;
	if (paused > 0) {
		json_object_set_new(d, "paused_ms", json_integer(paused));
		if ((rc = postpone(c, db, p, &t, since, err)))
			goto fail;
	}
	if ((rc = transition_deadlines(c, db, p, &t, (enum kf_status)from, (enum kf_status)target,
				       err)))
		goto fail;
	if ((rc = record(c, db, &t, "status_changed", false, reason, d, err)))
		return rc;
	int64_t who[] = {t.owner_id, t.assignee_id};
	if ((rc = notify(c, db, &t, target == KF_ST_ASSIGNED ? "ticket.assigned" : "ticket.status",
			 who, 2, NULL, NULL, err)) ||
	    /* K-9: an upheld service-caused complaint records its fine (E-8). */
	    (target == KF_ST_CLOSED && (rc = kf_app_complaint_on_close_tx(c, db, p, &t, err))) ||
	    /* V-1: a closed complaint, service or repair ticket is called back. */
	    (target == KF_ST_CLOSED &&
	     (rc = kf_app_callback_on_close_tx(c, db, p, &t, callback, err))))
		return rc;
	*tp = t;
	return 0;
fail:
	json_decref(d);
	return rc;
}

int kf_app_ticket_transition(struct kf_ctx *c, int64_t id, const char *to, int64_t assignee_id,
			     const char *reason, struct kf_ticket_view *out, struct kf_err *err)
{
	struct kf_db *db;
	struct kf_ticket t;
	const struct kf_policy *p;
	int rc;
	int target = kf_status_parse(to);
	if (target < 0)
		return kf_err_field(err, KF_EINVALID, "to",
				    "to must be one of new, assigned, in_progress, "
				    "pending_customer, resolved, closed, reopened (T-6)");
	json_t *callback = NULL;
	if ((rc = kf_ctx_policy(c, &p, err)) || (rc = begin_change(c, id, 0, &db, &t, err)) ||
	    (rc = transition_tx(c, db, p, &t, target, assignee_id, reason, &callback, err)))
		return rc;
	if (callback)
		kf_json_keep(c->arena, callback);
	if ((rc = finish_change(c, db, id, out, err)))
		return rc;
	if (out)
		out->callback = callback;
	return 0;
}

int kf_app_ticket_customer_message_tx(struct kf_ctx *c, struct kf_db *db, struct kf_ticket *t,
				      const char *body, json_t *detail, struct kf_ticket_event *out,
				      struct kf_err *err)
{
	const struct kf_policy *p;
	json_t *callback = NULL;
	int rc;
	enum kf_status st = (enum kf_status)kf_status_parse(t->status);
	if (st == KF_ST_CLOSED) {
		json_decref(detail);
		return kf_err_rule(err, KF_ECONFLICT, "T-6",
				   "ticket %s is closed; submit a new request", t->number);
	}
	char *text = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
	struct kf_ticket_event e = {.ticket_id = t->id,
				    .at = c->now,
				    .actor_id = c->actor.user_id,
				    .kind = "customer_reply",
				    .internal = false,
				    .body = body,
				    .detail = kf_arena_strdup(c->arena, text ? text : "{}"),
				    .actor_name = c->actor.name};
	free(text);
	json_object_set_new(detail, "number", json_string(t->number));
	if ((rc = kf_store_event_insert(db, &e, err))) {
		json_decref(detail);
		return rc;
	}
	json_object_set_new(detail, "event_id", id_json(e.id));
	if ((rc = kf_app_audit(c, db, "ticket.customer_reply", "ticket", id_str(c, t->id), detail,
			       err)))
		return rc;
	/* T-6: the customer's answer ends their turn (pending_customer →
	 * in_progress, which restarts the L-5 status clock) and a reply to a
	 * resolved ticket reopens it. */
	int target = st == KF_ST_PENDING_CUSTOMER ? KF_ST_IN_PROGRESS
		     : st == KF_ST_RESOLVED	  ? KF_ST_REOPENED
						  : -1;
	if (target >= 0 && ((rc = kf_ctx_policy(c, &p, err)) ||
			    (rc = transition_tx(c, db, p, t, target, 0, NULL, &callback, err))))
		return rc;
	json_decref(callback);
	int64_t who[] = {t->owner_id, t->assignee_id};
	if ((rc = kf_store_ticket_touch(db, t->id, c->now, err)) ||
	    (rc = notify(c, db, t, "ticket.message", who, 2, t->assignee_id ? NULL : to_supervisors,
			 json_pack("{s:s}", "entry", e.kind), err)))
		return rc;
	*out = e;
	return 0;
}

int kf_app_ticket_entry(struct kf_ctx *c, int64_t id, const char *kind, const char *body,
			struct kf_ticket_event *out, struct kf_err *err)
{
	struct kf_db *db;
	struct kf_ticket t;
	int rc;
	const struct kf_policy *p;
	bool reply = !strcmp(kind, "reply");
	if (!reply && strcmp(kind, "note"))
		return kf_err_field(err, KF_EINVALID, "kind", "kind must be reply or note (T-7)");
	if ((rc = kf_ctx_require(c, KF_PERM_TICKETS_WRITE, err)) ||
	    (rc = kf_ctx_policy(c, &p, err)) || (rc = kf_ctx_db(c, &db, err)) ||
	    (rc = kf_db_begin(db, err)) || (rc = kf_store_ticket_get(db, id, c->arena, &t, err)))
		return rc;
	if (!strcmp(t.status, "closed"))
		return kf_err_rule(err, KF_ECONFLICT, "T-6",
				   "ticket %s is closed; reopen it to add to it", t.number);
	/* T-5: the customer hears from the person responsible; colleagues
	 * may leave internal notes. */
	if (reply && (rc = may_handle(c, &t, err)))
		return rc;
	struct kf_ticket_event e = {.ticket_id = t.id,
				    .at = c->now,
				    .actor_id = c->actor.user_id,
				    .kind = reply ? "reply" : "note",
				    .internal = !reply,
				    .body = body,
				    .detail = "{}",
				    .actor_name = c->actor.name};
	if ((rc = kf_store_event_insert(db, &e, err)))
		return rc;
	if (reply) {
		/* L-6: the first reply meets the reply deadline. L-5: a reply
		 * tells the customer the status, which meets the pending status
		 * update and arms the next one, while the ticket is open and it
		 * is not the customer's turn (pending_customer). The deadline
		 * row is restarted in place; each reply and each overdue stays
		 * on the timeline. */
		bool met, armed = false;
		enum kf_status st = (enum kf_status)kf_status_parse(t.status);
		if ((rc = kf_store_deadline_meet(db, t.id, "reply", c->now, &met, err)))
			return rc;
		if (kf_ticket_status_open(st) && st != KF_ST_PENDING_CUSTOMER) {
			int64_t due = kf_ticket_status_update_due(
			    p, (enum kf_ticket_type)kf_ticket_type_parse(t.type), c->now,
			    kf_time_local_zone());
			if ((rc = kf_store_deadline_rearm(db, t.id, "status_update", due, true,
							  &armed, err)))
				return rc;
		}
		if ((met || armed) && (rc = kf_store_ticket_refresh_due(db, t.id, err)))
			return rc;
	}
	t.updated_at = c->now;
	int64_t who[] = {t.owner_id != c->actor.user_id ? t.owner_id : 0,
			 t.assignee_id != c->actor.user_id ? t.assignee_id : 0};
	if ((rc = kf_store_ticket_touch(db, t.id, c->now, err)) ||
	    (rc = notify(c, db, &t, "ticket.message", who, 2, NULL,
			 json_pack("{s:s}", "entry", e.kind), err)) ||
	    (rc = kf_app_audit(
		 c, db, reply ? "ticket.reply" : "ticket.note", "ticket", id_str(c, t.id),
		 json_pack("{s:s, s:o}", "number", t.number, "event_id", id_json(e.id)), err)) ||
	    (rc = kf_db_commit(db, err)))
		return rc;
	*out = e;
	return 0;
}

int kf_app_ticket_timeline(struct kf_ctx *c, int64_t id, int64_t after_id, int limit,
			   struct kf_ticket_event **items, int *n, struct kf_err *err)
{
	struct kf_db *db;
	struct kf_ticket t;
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_TICKETS_READ, err)) || (rc = kf_ctx_db(c, &db, err)) ||
	    (rc = kf_store_ticket_get(db, id, c->arena, &t, err)))
		return rc;
	/* Staff see internal notes; customers (the portal) never do (T-7). */
	return kf_store_event_list(db, id, after_id, limit, true, c->arena, items, n, err);
}

int kf_app_ticket_list(struct kf_ctx *c, struct kf_ticket_filter *f, const char *q,
		       struct kf_ticket **items, int *n, struct kf_err *err)
{
	struct kf_db *db;
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_TICKETS_READ, err)) || (rc = kf_ctx_db(c, &db, err)))
		return rc;
	if (q) {
		int count = 0;
		const char *tokens = kf_tokenize_join(q, true, 16, c->arena, &count);
		if (!count)
			return kf_err_field(err, KF_EINVALID, "q",
					    "q must contain a letter, a digit or a Chinese "
					    "character");
		f->query = kf_store_search_param(db, tokens, c->arena);
		f->window = c->app->search_window;
		/* A store that cannot take the queued entries now still answers,
		 * from the index as it is. */
		struct kf_err ferr = {0};
		if (flush_before_search(c, db, &ferr)) {
			kf_log_warn("search: queued entries not indexed: %s", ferr.message);
			if ((rc = kf_db_read_begin(db, err)))
				return rc;
		}
	}
	return kf_store_ticket_list(db, f, c->arena, items, n, err);
}

int kf_app_ticket_transfer(struct kf_ctx *c, int64_t id, int64_t to_user_id, const char *reason,
			   struct kf_transfer *out, struct kf_err *err)
{
	struct kf_db *db;
	struct kf_ticket t;
	struct kf_user u;
	struct kf_transfer pending;
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_TICKETS_WRITE, err)) || (rc = kf_ctx_db(c, &db, err)) ||
	    (rc = kf_db_begin(db, err)) || (rc = kf_store_ticket_get(db, id, c->arena, &t, err)))
		return rc;
	/* T-5: the owner is responsible until the ticket is handed over. */
	if (t.owner_id != c->actor.user_id && !kf_role_can(c->actor.role, KF_PERM_TICKETS_ASSIGN))
		return kf_err_rule(err, KF_EFORBIDDEN, "T-5",
				   "only the owner of ticket %s may hand it over", t.number);
	if (!strcmp(t.status, "closed"))
		return kf_err_rule(err, KF_ECONFLICT, "T-5", "ticket %s is closed", t.number);
	if (to_user_id == t.owner_id)
		return kf_err_field(err, KF_EINVALID, "to_user_id",
				    "the ticket already belongs to that person");
	if ((rc = check_staff(c, db, to_user_id, "to_user_id", &u, err)))
		return rc;
	rc = kf_store_transfer_pending(db, t.id, c->arena, &pending, err);
	if (rc == 0)
		return kf_err_rule(err, KF_ECONFLICT, "T-5",
				   "ticket %s already has a transfer waiting for acceptance",
				   t.number);
	if (rc != KF_ENOTFOUND)
		return rc;
	struct kf_transfer x = {.ticket_id = t.id,
				.from_user_id = t.owner_id,
				.to_user_id = to_user_id,
				.reason = reason,
				.created_at = c->now,
				.ticket_number = t.number,
				.ticket_subject = t.subject};
	if ((rc = kf_store_transfer_insert(db, &x, err)) ||
	    (rc = record(c, db, &t, "transfer_requested", false, reason,
			 json_pack("{s:o, s:o, s:o}", "transfer_id", id_json(x.id), "from",
				   json_sprintf("%lld", (long long)x.from_user_id), "to",
				   json_sprintf("%lld", (long long)to_user_id)),
			 err)) ||
	    (rc = notify(c, db, &t, "transfer.requested", &to_user_id, 1, NULL,
			 json_pack("{s:o, s:s}", "transfer_id", id_json(x.id), "reason", reason),
			 err)) ||
	    (rc = kf_db_commit(db, err)))
		return rc;
	*out = x;
	return 0;
}

int kf_app_transfer_decide(struct kf_ctx *c, int64_t transfer_id, bool accept,
			   struct kf_transfer *out, struct kf_err *err)
{
	struct kf_db *db;
	struct kf_transfer x;
	struct kf_ticket t;
	bool changed;
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_TICKETS_WRITE, err)) || (rc = kf_ctx_db(c, &db, err)) ||
	    (rc = kf_db_begin(db, err)))
		return rc;
	rc = kf_store_transfer_get(db, transfer_id, c->arena, &x, err);
	if (rc)
		return rc == KF_ENOTFOUND
			   ? kf_err_set(err, rc, "transfer %lld not found", (long long)transfer_id)
			   : rc;
	/* T-5: only the receiver accepts (or declines). */
	if (x.to_user_id != c->actor.user_id)
		return kf_err_rule(err, KF_EFORBIDDEN, "T-5",
				   "only the receiver may accept or decline this transfer");
	if (strcmp(x.status, "pending"))
		return kf_err_set(err, KF_ECONFLICT, "transfer %lld is already %s",
				  (long long)transfer_id, x.status);
	if ((rc = kf_store_transfer_decide(db, x.id, accept ? "accepted" : "declined", c->now,
					   &changed, err)) ||
	    (rc = kf_store_ticket_get(db, x.ticket_id, c->arena, &t, err)))
		return rc;
	if (!changed)
		return kf_err_set(err, KF_ECONFLICT, "transfer %lld was decided meanwhile",
				  (long long)transfer_id);
	/* A transfer asked for by an earlier owner is void once the ticket has
	 * moved on (T-5: only the owner hands over). */
	if (accept && (t.owner_id != x.from_user_id || !strcmp(t.status, "closed")))
		return kf_err_rule(err, KF_ECONFLICT, "T-5",
				   "ticket %s has changed hands or closed since this transfer "
				   "was asked for",
				   t.number);
	json_t *d = json_pack("{s:o}", "transfer_id", id_json(x.id));
	if (accept) {
		json_object_set_new(d, "owner_id", change_id(t.owner_id, x.to_user_id));
		t.owner_id = x.to_user_id;
		t.updated_at = c->now;
		if ((rc = kf_store_ticket_update(db, &t, err))) {
			json_decref(d);
			return rc;
		}
	}
	int64_t both[] = {x.from_user_id, x.to_user_id};
	if ((rc = record(c, db, &t, accept ? "transfer_accepted" : "transfer_declined", false, NULL,
			 d, err)) ||
	    (rc = notify(c, db, &t, accept ? "transfer.accepted" : "transfer.declined", both, 2,
			 NULL, json_pack("{s:o}", "transfer_id", id_json(x.id)), err)) ||
	    (rc = kf_db_commit(db, err)))
		return rc;
	x.status = accept ? "accepted" : "declined";
	x.decided_at = c->now;
	*out = x;
	return 0;
}

int kf_app_transfer_list(struct kf_ctx *c, const char *box, int64_t team_id, const char *status,
			 int64_t before_id, int limit, struct kf_transfer **items, int *n,
			 struct kf_err *err)
{
	struct kf_db *db;
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_TICKETS_READ, err)) || (rc = kf_ctx_db(c, &db, err)))
		return rc;
	bool outgoing = box && !strcmp(box, "outgoing"), team = box && !strcmp(box, "team");
	if (box && !outgoing && !team && strcmp(box, "incoming"))
		return kf_err_field(err, KF_EINVALID, "box",
				    "box must be incoming, outgoing or team");
	if (status && strcmp(status, "pending") && strcmp(status, "accepted") &&
	    strcmp(status, "declined"))
		return kf_err_field(err, KF_EINVALID, "status",
				    "status must be pending, accepted or declined");
	if (team_id && !team)
		return kf_err_field(err, KF_EINVALID, "team_id", "team_id goes only with box=team");
	if (team) {
		/* T-5: those who assign work oversee the hand-overs: a team lead
		 * those of their own team, supervisors and managers any team's
		 * (every team without team_id). */
		if ((rc = kf_ctx_require(c, KF_PERM_TICKETS_ASSIGN, err)))
			return rc;
		if (c->actor.role == KF_ROLE_TEAM_LEAD) {
			if (!c->actor.team_id)
				return kf_err_field(err, KF_EINVALID, "team_id",
						    "you are not in a team");
			if (team_id && team_id != c->actor.team_id)
				return kf_err_set(err, KF_EFORBIDDEN,
						  "a team lead sees the transfers of their own "
						  "team only");
			team_id = c->actor.team_id;
		}
		return kf_store_transfer_list(db, 0, 0, team_id, status, before_id, limit, c->arena,
					      items, n, err);
	}
	return kf_store_transfer_list(db, outgoing ? 0 : c->actor.user_id,
				      outgoing ? c->actor.user_id : 0, 0, status, before_id, limit,
				      c->arena, items, n, err);
}

int kf_app_ticket_counts(struct kf_ctx *c, const struct kf_ticket_filter *f, int64_t soon_ms,
			 struct kf_ticket_count **rows, int *n, struct kf_err *err)
{
	struct kf_db *db;
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_TICKETS_READ, err)) ||
	    (rc = kf_ctx_db_read(c, &db, err)))
		return rc;
	return kf_store_ticket_counts(db, f, c->now, c->now + soon_ms, c->arena, rows, n, err);
}

/* T-8: the chain of command above the front line. */
static const char *const chain[] = {"supervisor", "manager", "vp", "gm"};
#define CHAIN_LEN 4

static int chain_index(const char *role)
{
	for (int i = 0; role && i < CHAIN_LEN; i++)
		if (!strcmp(chain[i], role))
			return i;
	return -1;
}

int kf_app_ticket_escalate(struct kf_ctx *c, int64_t id, const char *to, bool emergency,
			   const char *reason, struct kf_ticket_view *out, struct kf_err *err)
{
	struct kf_db *db;
	struct kf_ticket t;
	int rc;
	if ((rc = begin_change(c, id, 0, &db, &t, err)))
		return rc;
	if (!strcmp(t.status, "closed"))
		return kf_err_rule(err, KF_ECONFLICT, "T-8", "ticket %s is closed", t.number);
	int cur = chain_index(t.escalated_to);
	if (cur == CHAIN_LEN - 1)
		return kf_err_rule(err, KF_ECONFLICT, "T-8",
				   "ticket %s is already with the general manager", t.number);
	int target = to ? chain_index(to) : cur + 1;
	if (to && target < 0)
		return kf_err_field(err, KF_EINVALID, "to",
				    "to must be supervisor, manager, vp or gm (T-8)");
	if (target <= cur)
		return kf_err_rule(err, KF_ECONFLICT, "T-8", "ticket %s is already with the %s",
				   t.number, t.escalated_to);
	if (target > cur + 1 && !emergency)
		return kf_err_rule(err, KF_ERULE, "T-8",
				   "escalation goes one level at a time (next: %s); skipping "
				   "levels is for emergencies only",
				   chain[cur + 1]);
	json_t *d = json_pack("{s:o, s:b}", "escalated_to", change(t.escalated_to, chain[target]),
			      "emergency", emergency);
	json_t *skipped = json_array();
	for (int i = cur + 1; i < target; i++)
		json_array_append_new(skipped, json_string(chain[i]));
	json_object_set_new(d, "skipped", json_deep_copy(skipped));
	t.escalated_to = chain[target];
	t.updated_at = c->now;
	if ((rc = kf_store_ticket_update(db, &t, err))) {
		json_decref(d);
		json_decref(skipped);
		return rc;
	}
	const char *up[] = {chain[target], NULL};
	if ((rc = record(c, db, &t, "escalated", false, reason, d, err)) ||
	    (rc = notify(
		 c, db, &t, "ticket.escalated", &t.owner_id, 1, up,
		 json_pack("{s:s, s:b}", "escalated_to", chain[target], "emergency", emergency),
		 err))) {
		json_decref(skipped);
		return rc;
	}
	/* T-8: every skipped level is told afterwards. */
	if (json_array_size(skipped)) {
		const char *told[CHAIN_LEN + 1] = {0};
		for (int i = cur + 1, k = 0; i < target; i++)
			told[k++] = chain[i];
		if ((rc = record(c, db, &t, "escalation_skip_notice", false, reason,
				 json_pack("{s:O, s:s}", "notify_roles", skipped, "escalated_to",
					   chain[target]),
				 err)) ||
		    (rc = notify(
			 c, db, &t, "ticket.escalation_notice", NULL, 0, told,
			 json_pack("{s:s, s:O}", "escalated_to", chain[target], "skipped", skipped),
			 err))) {
			json_decref(skipped);
			return rc;
		}
	}
	json_decref(skipped);
	return finish_change(c, db, id, out, err);
}

int kf_app_scan_deadlines(struct kf_app *app, int64_t now, int *marked, struct kf_err *err)
{
	struct kf_arena a;
	struct kf_ctx c;
	struct kf_ticket_deadline *due;
	struct kf_db *db;
	int n, rc;
	*marked = 0;
	kf_arena_init(&a);
	kf_ctx_init(&c, app, &a);
	c.now = now;
	c.actor.is_operator = true;
	if ((rc = kf_ctx_db(&c, &db, err)))
		goto out;
	/* Batches of 200 until none is left (a backlog after downtime is
	 * worked off in one scan). */
	do {
		if ((rc = kf_store_deadline_due(db, now, 200, &a, &due, &n, err)))
			goto out;
		for (int i = 0; i < n; i++) {
			struct kf_ticket t;
			bool changed;
			if ((rc = kf_db_begin(db, err)) ||
			    (rc = kf_store_deadline_mark_overdue(db, due[i].ticket_id, due[i].kind,
								 now, &changed, err)))
				goto out;
			if (!changed) {
				kf_db_rollback(db);
				continue;
			}
			if ((rc = kf_store_ticket_refresh_due(db, due[i].ticket_id, err)) ||
			    (rc = kf_store_ticket_get(db, due[i].ticket_id, &a, &t, err)))
				goto out;
			/* Overdue work is raised to the supervisor (SPEC "Deadlines"). */
			json_t *d = json_pack("{s:s, s:s, s:o}", "deadline", due[i].kind, "rule",
					      kf_deadline_rule(kf_deadline_kind_parse(due[i].kind)),
					      "due_at", instant_json(due[i].due_at));
			if (chain_index(t.escalated_to) < 0) {
				json_object_set_new(d, "escalated_to",
						    change(t.escalated_to, chain[0]));
				t.escalated_to = chain[0];
				t.updated_at = now;
				if ((rc = kf_store_ticket_update(db, &t, err))) {
					json_decref(d);
					goto out;
				}
			}
			int64_t who[] = {t.owner_id, t.assignee_id};
			if ((rc = record(&c, db, &t, "overdue", false, NULL, d, err)) ||
			    (rc = notify(
				 &c, db, &t, "ticket.overdue", who, 2, to_supervisors,
				 json_pack("{s:s, s:s}", "deadline", due[i].kind, "rule",
					   kf_deadline_rule(kf_deadline_kind_parse(due[i].kind))),
				 err)) ||
			    (rc = kf_db_commit(db, err)))
				goto out;
			(*marked)++;
		}
	} while (n == 200);
out:
	kf_ctx_release(&c);
	kf_arena_release(&a);
	return rc;
}
