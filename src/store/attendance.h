/* SQL for attendance punches (W-15, W-18), handovers (W-16) and the duty log
 * (W-17), both engines (migration 007). Punches and duty log entries are
 * append-only: there is no update or delete here, and the schema's triggers
 * refuse them. Strings read from the store are allocated in the caller's
 * arena. Functions return 0 or a negative kf_errcode (KF_ENOTFOUND when a
 * single record is missing). */
#ifndef KF_STORE_ATTENDANCE_H
#define KF_STORE_ATTENDANCE_H
#include <stdbool.h>
#include <stdint.h>
#include "store/store.h"
#include "util/arena.h"

/* ---- punches ---- */

struct kf_punch {
	int64_t id, user_id;
	const char *kind; /* in, out */
	int64_t at;
	bool has_waiting;
	int64_t customers_waiting; /* out: reported at clock-out (W-18) */
	const char *shift_name;	   /* the shift judged against, NULL if none */
	int64_t shift_end;	   /* its end, 0 if none */
	int64_t overtime_ms;	   /* out: W-18 overtime, 0 if none */
};

int kf_store_punch_insert(struct kf_db *db, struct kf_punch *p, struct kf_err *err);
/* The user's newest punch; *found false when there is none. */
int kf_store_punch_last(struct kf_db *db, int64_t user_id, struct kf_arena *a, struct kf_punch *out,
			bool *found, struct kf_err *err);
/* The user's punches with from <= at < to, oldest first. */
int kf_store_punch_list(struct kf_db *db, int64_t user_id, int64_t from, int64_t to,
			struct kf_arena *a, struct kf_punch **items, int *n, struct kf_err *err);

/* ---- handovers ---- */

struct kf_handover_item {
	int64_t id, handover_id;
	int position;
	const char *kind;				      /* ticket, callback, promise, other */
	int64_t ticket_id, callback_id, carried_from_item_id; /* 0: none */
	const char *text;
	bool resolved;
	/* Read with the item, for display (NULL when not a ticket). */
	const char *ticket_number;
	/* Read with carried items: who handed it over, and when. */
	int64_t from_user_id, handed_over_at;
};

struct kf_handover {
	int64_t id, from_user_id, to_user_id; /* to 0: the next shift, whoever confirms */
	const char *status;		      /* pending, confirmed */
	bool equipment_checked;
	const char *equipment_note, *anomalies, *notes;
	int64_t created_at, confirmed_by, confirmed_at;
	const char *confirm_note;
	/* Read with the handover, for display. */
	const char *from_name, *to_name;
	struct kf_handover_item *items;
	int nitems;
};

/* Inserts h and its items (their handover_id and position are set here). */
int kf_store_handover_insert(struct kf_db *db, struct kf_handover *h, struct kf_err *err);
/* The handover with its items. */
int kf_store_handover_get(struct kf_db *db, int64_t id, struct kf_arena *a, struct kf_handover *out,
			  struct kf_err *err);
/* Reads the items of h (by h->id) into h->items and h->nitems. */
int kf_store_handover_items(struct kf_db *db, struct kf_handover *h, struct kf_arena *a,
			    struct kf_err *err);
/* Handovers (without items: see kf_store_handover_items) by id after after_id, up to limit + 1: box
 * "incoming" (addressed to user_id, or to nobody and not from user_id),
 * "outgoing" (from user_id) or NULL (either); status NULL for both. */
int kf_store_handover_list(struct kf_db *db, int64_t user_id, const char *box, const char *status,
			   int64_t after_id, int limit, struct kf_arena *a,
			   struct kf_handover **items, int *n, struct kf_err *err);
/* Confirms handover id by user_id if it is still pending and addressed to
 * user_id or to nobody; *changed tells. */
int kf_store_handover_confirm(struct kf_db *db, int64_t id, int64_t user_id, int64_t at,
			      const char *note, bool *changed, struct kf_err *err);
/* W-16: the unresolved items of handovers user_id confirmed that no later
 * item carries over yet: the user's carried-over list. */
int kf_store_handover_carried(struct kf_db *db, int64_t user_id, struct kf_arena *a,
			      struct kf_handover_item **items, int *n, struct kf_err *err);
/* W-16: of the handovers from user_id created at or after since: whether
 * one names an incoming agent and is still pending, and whether any exists. */
int kf_store_handover_state(struct kf_db *db, int64_t user_id, int64_t since,
			    bool *pending_with_incoming, bool *any, struct kf_err *err);
/* What a handover of user_id starts from: the user's open tickets (owned or
 * assigned, not resolved or closed) and callbacks not done, as items. */
int kf_store_handover_open_work(struct kf_db *db, int64_t user_id, int limit, struct kf_arena *a,
				struct kf_handover_item **items, int *n, struct kf_err *err);

/* ---- duty log ---- */

struct kf_duty_entry {
	int64_t id, author_id;
	const char *day;   /* YYYY-MM-DD, local */
	const char *shift; /* template name or NULL */
	const char *kind;  /* event, call, incident, note */
	const char *body;
	int64_t occurred_at, created_at;
	int64_t corrects_id;  /* the entry this one corrects, 0 if none */
	int64_t corrected_by; /* the newest entry correcting this one, 0 if none */
	const char *author_name;
};

int kf_store_duty_insert(struct kf_db *db, struct kf_duty_entry *e, struct kf_err *err);
int kf_store_duty_get(struct kf_db *db, int64_t id, struct kf_arena *a, struct kf_duty_entry *out,
		      struct kf_err *err);
/* Entries of day (and shift, unless NULL), by id after after_id, up to
 * limit + 1. */
int kf_store_duty_list(struct kf_db *db, const char *day, const char *shift, int64_t after_id,
		       int limit, struct kf_arena *a, struct kf_duty_entry **items, int *n,
		       struct kf_err *err);

#endif
