/* SQL for the workforce records (SPEC W-1 … W-14), both engines: the
 * department's shift templates, monthly rosters and their assignments,
 * agents' wishes, leave requests and swap requests. Strings read from the
 * store are allocated in the caller's arena; JSON columns are returned as
 * text. Functions return 0 or a negative kf_errcode (KF_ENOTFOUND when a
 * single record is missing, KF_ECONFLICT for a stale version). */
#ifndef KF_STORE_WORKFORCE_H
#define KF_STORE_WORKFORCE_H
#include <stdbool.h>
#include <stdint.h>
#include "store/store.h"
#include "util/arena.h"

/* ---- the shifts a person is rostered for (for attendance, S-2, W-15) ---- */

struct kf_rostered_shift {
	int64_t user_id;
	const char *month; /* YYYY-MM of the roster */
	const char *day;   /* YYYY-MM-DD, the local day the shift starts */
	const char *shift; /* template name */
	int64_t start_at, end_at;
};

/* The shifts user_id is rostered for on PUBLISHED rosters that overlap
 * [from, to) (start_at < to and end_at > from), by start. A day of approved
 * leave has no shift (approving a leave removes it, W-6). Draft rosters do
 * not count: a roster binds only once published (W-2). */
int kf_store_roster_shifts_between(struct kf_db *db, int64_t user_id, int64_t from, int64_t to,
				   struct kf_arena *a, struct kf_rostered_shift **items, int *n,
				   struct kf_err *err);

/* ---- W-1, W-3: the department's templates (one record) ---- */

struct kf_shift_templates {
	const char *templates, *coverage; /* JSON text */
	int64_t version, updated_by, updated_at;
};
/* KF_ENOTFOUND when the department has set none (the policy applies). */
int kf_store_shift_templates_get(struct kf_db *db, struct kf_arena *a,
				 struct kf_shift_templates *out, struct kf_err *err);
/* Writes t if the stored version is t->version (0: none stored yet), and
 * sets t->version to the new one; KF_ECONFLICT otherwise. */
int kf_store_shift_templates_put(struct kf_db *db, struct kf_shift_templates *t,
				 struct kf_err *err);

/* ---- W-2, W-6: rosters ---- */

struct kf_roster_rec {
	int64_t id;
	const char *month;					 /* YYYY-MM */
	const char *status;					 /* draft, published */
	int64_t team_id;					 /* 0: the whole department */
	const char *templates, *coverage, *members, *shortfalls; /* JSON text */
	int64_t version, created_by, created_at, updated_at, published_by, published_at;
};

struct kf_roster_cell {
	int64_t user_id;
	const char *day, *shift;
	int64_t start_at, end_at;
};

int kf_store_roster_get(struct kf_db *db, const char *month, struct kf_arena *a,
			struct kf_roster_rec *out, struct kf_err *err);
/* Inserts r (version 1) or, when r->id is set, writes its fields if the
 * stored version is still r->version; r->version becomes the new one. */
int kf_store_roster_save(struct kf_db *db, struct kf_roster_rec *r, struct kf_err *err);
int kf_store_roster_cells(struct kf_db *db, int64_t roster_id, struct kf_arena *a,
			  struct kf_roster_cell **items, int *n, struct kf_err *err);
/* Removes every assignment of the roster (before a new generation). */
int kf_store_roster_clear(struct kf_db *db, int64_t roster_id, struct kf_err *err);
/* Sets one person's day: removes the assignment and, when c->shift is not
 * NULL, inserts c. */
int kf_store_roster_cell_put(struct kf_db *db, int64_t roster_id, const struct kf_roster_cell *c,
			     struct kf_err *err);

/* ---- W-6: wishes ---- */

struct kf_roster_wish {
	int64_t user_id;
	const char *month, *days_off /* JSON array of dates */, *preferred_shift;
	int64_t updated_at;
};
int kf_store_wish_put(struct kf_db *db, const struct kf_roster_wish *w, struct kf_err *err);
int kf_store_wish_list(struct kf_db *db, const char *month, struct kf_arena *a,
		       struct kf_roster_wish **items, int *n, struct kf_err *err);

/* ---- W-7 … W-12: leave ---- */

struct kf_leave_rec {
	int64_t id, user_id, filed_by;
	const char *type;
	int64_t start_at, end_at;
	int days;
	const char *reason;
	bool special, emergency, late_notice;
	const char *status; /* pending, approved, rejected */
	const char *levels; /* "supervisor,manager" */
	int step;
	const char *decisions; /* JSON array */
	int64_t created_at, decided_at, version;
};
int kf_store_leave_insert(struct kf_db *db, struct kf_leave_rec *l, struct kf_err *err);
int kf_store_leave_get(struct kf_db *db, int64_t id, struct kf_arena *a, struct kf_leave_rec *out,
		       struct kf_err *err);
/* Writes status, step, decisions and decided_at if the version is still
 * l->version; increments it. */
int kf_store_leave_update(struct kf_db *db, struct kf_leave_rec *l, struct kf_err *err);
struct kf_leave_filter {
	int64_t user_id;		  /* 0: everyone */
	const char *status;		  /* NULL: all */
	int64_t overlap_from, overlap_to; /* both 0: any time */
	int64_t after_id;
	int limit;
};
/* By id; up to f->limit + 1 so that the caller sees whether there are more. */
int kf_store_leave_list(struct kf_db *db, const struct kf_leave_filter *f, struct kf_arena *a,
			struct kf_leave_rec **items, int *n, struct kf_err *err);

/* ---- W-13: swaps ---- */

struct kf_swap_rec {
	int64_t id;
	const char *month, *day;
	int64_t requester_id, with_user_id;
	const char *requester_shift, *with_shift; /* with_shift NULL: rest */
	const char *status;			  /* pending, approved, rejected */
	bool needs_leads;
	const char *counterpart, *supervisor, *lead_a, *lead_b; /* NULL, approved, rejected */
	const char *decisions;					/* JSON array */
	int64_t created_at, decided_at, version;
};
int kf_store_swap_insert(struct kf_db *db, struct kf_swap_rec *s, struct kf_err *err);
int kf_store_swap_get(struct kf_db *db, int64_t id, struct kf_arena *a, struct kf_swap_rec *out,
		      struct kf_err *err);
/* Writes status, the four decisions, decisions and decided_at if the version
 * is still s->version; increments it. */
int kf_store_swap_update(struct kf_db *db, struct kf_swap_rec *s, struct kf_err *err);
/* Swaps with user_id on either side (0: everyone) and status (NULL: all),
 * by id after after_id, up to limit + 1. */
int kf_store_swap_list(struct kf_db *db, int64_t user_id, const char *status, int64_t after_id,
		       int limit, struct kf_arena *a, struct kf_swap_rec **items, int *n,
		       struct kf_err *err);

#endif
