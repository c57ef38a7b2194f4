/* Tickets (T-1 … T-10), their deadlines (L-4 … L-12), timeline (T-6, T-7)
 * and transfers (T-5). Strings read from the store are allocated in the
 * caller's arena. Functions return 0 or a negative kf_errcode
 * (KF_ENOTFOUND, KF_ECONFLICT on a stale version). */
#ifndef KF_STORE_TICKETS_H
#define KF_STORE_TICKETS_H
#include <stdbool.h>
#include <stdint.h>
#include "store/store.h"
#include "util/arena.h"

/* kf_ticket_status_open on alias t, written exactly as the predicate of
 * the partial indexes of migration 005, so that both planners use them
 * (SQLite takes a partial index only for the very same term). */
#define KF_STORE_OPEN_STATES "t.status NOT IN ('resolved', 'closed')"

struct kf_ticket {
	int64_t id;
	const char *number, *type, *channel, *contact, *subject, *description;
	int64_t customer_id;
	const char *status, *priority;
	int64_t owner_id, assignee_id; /* 0: nobody */
	const char *escalated_to;      /* role name or NULL */
	const char *product;	       /* JSON object text or NULL */
	const char *service_class;
	const char *review_rating; /* L-9: good, middling, bad, or NULL (no review) */
	bool overdue;
	int64_t next_due_at;   /* earliest unmet deadline, 0 if none */
	bool pause_pending;    /* L-12 */
	int64_t pending_since; /* 0 unless waiting for the customer */
	int64_t policy_version;
	int64_t created_by, created_at, updated_at, resolved_at, closed_at, version;
	/* Read with the ticket, for display. */
	const char *customer_name, *customer_phone, *customer_grade;
};

/* T-4: the next sequence number for prefix on local day ymd (1, 2, …). The
 * counter is never decremented, so numbers are never reused. */
int kf_store_ticket_next_seq(struct kf_db *db, const char *prefix, int ymd, int64_t *seq,
			     struct kf_err *err);
/* A new ticket with its deadlines (L-11; their kind and due_at), in the
 * row's copy and in ticket_deadlines: one write of the row. Sets t->id,
 * t->next_due_at (the earliest of dl), t->version and t->updated_at. */
struct kf_ticket_deadline;
int kf_store_ticket_insert(struct kf_db *db, struct kf_ticket *t,
			   const struct kf_ticket_deadline *dl, int ndl, struct kf_err *err);
int kf_store_ticket_get(struct kf_db *db, int64_t id, struct kf_arena *a, struct kf_ticket *out,
			struct kf_err *err);
/* The ticket, its customer's record, whether user viewer has the record
 * open at now (C-3; false for viewer 0) and the ticket's deadlines (*dl,
 * *ndl, as kf_store_deadline_list gives them, *dl NULL when there are
 * none): what a ticket view needs, in one statement. The deadlines are the
 * copy the ticket row keeps (kf_store_ticket_refresh_due); from
 * ticket_deadlines, in a second statement, for a row without one. */
struct kf_customer;
struct kf_ticket_deadline;
int kf_store_ticket_get_full(struct kf_db *db, int64_t id, int64_t viewer, int64_t now,
			     struct kf_arena *a, struct kf_ticket *out, struct kf_customer *cu,
			     bool *revealed, struct kf_ticket_deadline **dl, int *ndl,
			     struct kf_err *err);
/* Writes the mutable fields if the version is still t->version; increments it. */
int kf_store_ticket_update(struct kf_db *db, struct kf_ticket *t, struct kf_err *err);

struct kf_ticket_filter {
	const char *status, *type;		    /* NULL for any */
	int64_t assignee_id, owner_id, customer_id; /* 0 for any */
	int64_t team_id; /* the assignee, or the owner while unassigned, is in it (0: any) */
	int overdue;	 /* -1 any, 0 or 1 */
	bool open_only;
	const char *query; /* search parameter from kf_store_search_param, or NULL */
	int64_t before_id; /* keyset cursor for unranked lists: id < before_id (0: none) */
	/* Ranked search (T-10) looks at a window: the newest `window` matching
	 * tickets with id <= top. top is 0 on a first page, and the list sets
	 * it to the newest ticket's id, for the cursor: later pages rank the
	 * same window whatever was registered since. offset is the position in
	 * the ranked window. */
	int64_t top;
	int64_t offset;
	int window;
	int limit;
};
/* Newest first; with a query, best match first and newest among equals,
 * within the window (see above; sets f->top). */
int kf_store_ticket_list(struct kf_db *db, struct kf_ticket_filter *f, struct kf_arena *a,
			 struct kf_ticket **items, int *n, struct kf_err *err);

/* Open tickets counted per assignee (assignee_id 0: nobody assigned). */
struct kf_ticket_count {
	int64_t assignee_id;
	int64_t open, overdue, due_soon;
};
/* The open tickets that pass f's assignee_id, owner_id and team_id (its
 * other members are ignored), counted per assignee in SQL: all of them,
 * the overdue ones (flagged, or next due before now) and those due soon
 * (not flagged, next due in [now, soon_until)). Ordered by assignee. */
int kf_store_ticket_counts(struct kf_db *db, const struct kf_ticket_filter *f, int64_t now,
			   int64_t soon_until, struct kf_arena *a, struct kf_ticket_count **rows,
			   int *n, struct kf_err *err);

/* A ticket has at most one deadline of each kind: (ticket_id, kind) is its
 * key. */
struct kf_ticket_deadline {
	int64_t ticket_id;
	const char *kind;
	int64_t due_at, met_at, overdue_at; /* 0 for not (yet) */
};
int kf_store_deadline_insert(struct kf_db *db, int64_t ticket_id, const char *kind, int64_t due_at,
			     struct kf_err *err);
/* A ticket's deadlines, by due time, then kind. */
int kf_store_deadline_list(struct kf_db *db, int64_t ticket_id, struct kf_arena *a,
			   struct kf_ticket_deadline **items, int *n, struct kf_err *err);
/* The ticket row's copy of its deadlines (tickets.deadlines): per deadline
 * "kind,due_at,met_at,overdue_at" (milliseconds; met_at and overdue_at empty
 * when not set), ';' between deadlines, in any order; "" for none. NULL in
 * the column: no copy (rows of a PostgreSQL store from before its migration
 * 015, until their next change). kf_store_ticket_refresh_due writes it in
 * SQL; registration writes it with kf_store_deadlines_text_add, as the
 * bench's generator does. */
#define KF_STORE_DEADLINES_MAX 16
struct kf_buf;
void kf_store_deadlines_text_add(struct kf_buf *out, const struct kf_ticket_deadline *d);
/* Parses text (changed in place; the kinds point into it) into at most
 * KF_STORE_DEADLINES_MAX deadlines of ticket_id, sorted as
 * kf_store_deadline_list sorts them. Returns 0, or -1 if text is not of
 * that form (*n is then 0). */
int kf_store_deadlines_parse(char *text, int64_t ticket_id, struct kf_arena *a,
			     struct kf_ticket_deadline **items, int *n);
/* Marks the deadline met at at, if it exists and is not met; *changed tells. */
int kf_store_deadline_meet(struct kf_db *db, int64_t ticket_id, const char *kind, int64_t at,
			   bool *changed, struct kf_err *err);
/* L-5: starts the deadline of kind anew, due at due_at and neither met nor
 * overdue. create: inserts it when the ticket has none; otherwise only an
 * existing one is restarted. *changed tells whether a row was written. */
int kf_store_deadline_rearm(struct kf_db *db, int64_t ticket_id, const char *kind, int64_t due_at,
			    bool create, bool *changed, struct kf_err *err);
/* L-12: moves the ticket's deadline of kind to due_at if it is neither met
 * nor overdue. */
int kf_store_deadline_move(struct kf_db *db, int64_t ticket_id, const char *kind, int64_t due_at,
			   struct kf_err *err);
/* Drops the unmet deadlines of a ticket of kind, or with kind NULL those
 * computed at registration: every kind but status_update, which replies arm
 * (L-5). For a type change (L-11) or a review rating change (L-9). */
int kf_store_deadline_delete_unmet(struct kf_db *db, int64_t ticket_id, const char *kind,
				   struct kf_err *err);
/* Sets updated_at without touching the version (a reply or note). */
int kf_store_ticket_touch(struct kf_db *db, int64_t ticket_id, int64_t at, struct kf_err *err);
/* Recomputes next_due_at, overdue and the copy of the deadlines that the
 * ticket row keeps (tickets.deadlines) from the ticket's deadlines: to be
 * called in the transaction of every change to them. */
int kf_store_ticket_refresh_due(struct kf_db *db, int64_t ticket_id, struct kf_err *err);
/* Unmet deadlines of open tickets due at or before now and not yet marked
 * overdue, oldest first, at most limit. */
int kf_store_deadline_due(struct kf_db *db, int64_t now, int limit, struct kf_arena *a,
			  struct kf_ticket_deadline **items, int *n, struct kf_err *err);
/* Marks the ticket's deadline of kind overdue at at, if it is due by at and
 * neither met nor overdue yet; *changed tells. */
int kf_store_deadline_mark_overdue(struct kf_db *db, int64_t ticket_id, const char *kind,
				   int64_t at, bool *changed, struct kf_err *err);

struct kf_ticket_event {
	int64_t id, ticket_id, at, actor_id;
	const char *kind;
	bool internal; /* T-7: internal notes are never shown to customers */
	const char *body;
	const char *detail; /* JSON object text */
	const char *actor_name;
};
int kf_store_event_insert(struct kf_db *db, struct kf_ticket_event *e, struct kf_err *err);
/* Events with id > after_id in order; internal ones only when with_internal. */
int kf_store_event_list(struct kf_db *db, int64_t ticket_id, int64_t after_id, int limit,
			bool with_internal, struct kf_arena *a, struct kf_ticket_event **items,
			int *n, struct kf_err *err);
/* Whether the ticket has an event of this kind. */
int kf_store_event_exists(struct kf_db *db, int64_t ticket_id, const char *kind, bool *exists,
			  struct kf_err *err);

struct kf_transfer {
	int64_t id, ticket_id, from_user_id, to_user_id;
	const char *reason, *status; /* pending, accepted, declined, cancelled */
	int64_t created_at, decided_at;
	const char *ticket_number, *ticket_subject;
};
int kf_store_transfer_insert(struct kf_db *db, struct kf_transfer *t, struct kf_err *err);
int kf_store_transfer_get(struct kf_db *db, int64_t id, struct kf_arena *a, struct kf_transfer *out,
			  struct kf_err *err);
/* The pending transfer of a ticket, KF_ENOTFOUND if none. */
int kf_store_transfer_pending(struct kf_db *db, int64_t ticket_id, struct kf_arena *a,
			      struct kf_transfer *out, struct kf_err *err);
/* Sets status and decided_at if the transfer is still pending; *changed tells. */
int kf_store_transfer_decide(struct kf_db *db, int64_t id, const char *status, int64_t at,
			     bool *changed, struct kf_err *err);
/* Transfers to (to_user_id) or from (from_user_id) a person, or with either
 * person in team team_id; 0 for any of the three means any; status NULL for
 * any. Newest first, id < before_id. */
int kf_store_transfer_list(struct kf_db *db, int64_t to_user_id, int64_t from_user_id,
			   int64_t team_id, const char *status, int64_t before_id, int limit,
			   struct kf_arena *a, struct kf_transfer **items, int *n,
			   struct kf_err *err);

#endif
