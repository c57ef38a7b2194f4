/* Workforce use cases (SPEC W-1 … W-14): the department's shift templates
 * and coverage, the monthly roster (generate, hand edit, publish), agents'
 * wishes, leave requests and shift swaps. Answers are the API's JSON
 * objects (new references). Rosters are generated and checked by
 * rules/roster.c, leave and swaps judged by rules/leave.c; every change is
 * audited in its transaction and announced as a "roster.changed" event
 * when a roster changes. See docs/workforce.md. */
#ifndef KF_APP_WORKFORCE_H
#define KF_APP_WORKFORCE_H
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "app/app.h"
#include "rules/roster.h"
#include "store/workforce.h"

/* ---- W-1, W-3: shift templates and coverage ---- */

/* W-1, W-3: the templates and coverage in force: the department's
 * (*version > 0), else the policy's (*version 0). Borrowed from the arena or
 * the policy. */
int kf_app_shift_templates_in_force(struct kf_ctx *c, struct kf_db *db, const json_t **templates,
				    const json_t **coverage, int64_t *version, struct kf_err *err);
/* {"source": "policy"|"department", "templates": [...], "coverage": {...},
 * "presets": {...}, "version"}. */
int kf_app_shift_templates_get(struct kf_ctx *c, json_t **out, struct kf_err *err);
/* Sets the department's templates: a policy preset by name, or templates
 * (array of {name, start, end, is_late_shift}); coverage optional (the
 * current one is kept). version: the version read (0 while the policy
 * applies); stale → KF_ECONFLICT. */
int kf_app_shift_templates_put(struct kf_ctx *c, const char *preset, json_t *templates,
			       json_t *coverage, int64_t version, json_t **out, struct kf_err *err);

/* ---- W-2, W-5, W-6: rosters ---- */

/* The month's roster: the grid, per-agent counts (W-5), coverage gaps and
 * the checker's violations (W-6). KF_ENOTFOUND when none was generated. */
int kf_app_roster_get(struct kf_ctx *c, const char *month, json_t **out, struct kf_err *err);

struct kf_roster_generate_input {
	int64_t team_id;    /* 0: every active agent, unless user_ids */
	json_t *user_ids;   /* array of ids, or NULL */
	int64_t seed;	    /* default 1 */
	int64_t iterations; /* < 0: the default */
	bool has_version;   /* the draft's version, when one exists */
	int64_t version;
};
/* Generates (or regenerates) the draft; the answer is the roster with
 * "shortfalls" (why each short shift is short) and "stats". KF_ECONFLICT with
 * rule W-2 once published. */
int kf_app_roster_generate(struct kf_ctx *c, const char *month,
			   const struct kf_roster_generate_input *in, json_t **out,
			   struct kf_err *err);

struct kf_roster_change {
	int64_t user_id;
	const char *date;
	const char *shift; /* NULL: rest */
};
/* W-6: hand edits of the draft, checked; the answer lists the violations
 * (and "change_violations", those the change brought). */
int kf_app_roster_edit(struct kf_ctx *c, const char *month, int64_t version,
		       const struct kf_roster_change *ch, int n, json_t **out, struct kf_err *err);
/* W-2: publishes the draft; refused (KF_ERULE, W-4/W-6) while a hard rest or
 * leave violation remains. Coverage gaps are reported, not refused. */
/* W-3: the agents a contact forecast needs for a service level, by Erlang C
 * (rules/erlang.h): calls in an interval of interval_minutes, the average
 * handle time, and the target (percent answered within answer_seconds).
 * Field names in errors are the API's. */
struct kf_erlang_result;
int kf_app_staffing_erlang(struct kf_ctx *c, int64_t calls, int64_t interval_minutes,
			   int64_t aht_seconds, int64_t answer_seconds, int64_t level_percent,
			   struct kf_erlang_result *out, struct kf_err *err);
int kf_app_roster_publish(struct kf_ctx *c, const char *month, int64_t version, json_t **out,
			  struct kf_err *err);
/* W-6: an agent's wishes for a month (user_id 0: the caller; someone else
 * needs roster.write). days_off: array of dates in the month. */
int kf_app_roster_wish_put(struct kf_ctx *c, const char *month, int64_t user_id, json_t *days_off,
			   const char *preferred_shift, json_t **out, struct kf_err *err);

/* ---- W-7 … W-12: leave ---- */

struct kf_leave_input {
	int64_t user_id; /* 0: the caller */
	const char *type;
	int64_t start_at, end_at;
	const char *reason;
	bool special, emergency;
};
int kf_app_leave_request(struct kf_ctx *c, const struct kf_leave_input *in, json_t **out,
			 struct kf_err *err);
/* decision: approve, reject. */
int kf_app_leave_decide(struct kf_ctx *c, int64_t id, const char *decision, const char *comment,
			json_t **out, struct kf_err *err);
/* scope: mine (default), inbox (awaiting the caller's level), all. */
int kf_app_leave_list(struct kf_ctx *c, const char *scope, const char *status, int64_t after_id,
		      int limit, json_t **items, bool *more, int64_t *last, struct kf_err *err);

/* ---- W-13: swaps ---- */

int kf_app_swap_request(struct kf_ctx *c, int64_t with_user_id, const char *date, const char *shift,
			json_t **out, struct kf_err *err);
int kf_app_swap_decide(struct kf_ctx *c, int64_t id, const char *decision, const char *comment,
		       json_t **out, struct kf_err *err);
/* scope: mine (default: the caller on either side), inbox (awaiting the
 * caller's decision), all (roster.write). */
int kf_app_swap_list(struct kf_ctx *c, const char *scope, const char *status, int64_t after_id,
		     int limit, json_t **items, bool *more, int64_t *last, struct kf_err *err);

/* ---- shared by app/roster.c and app/leave.c ---- */

/* A stored roster as the rules see it. */
struct kf_roster_state {
	struct kf_roster_rec *rec;
	struct kf_roster_problem *p;
	struct kf_roster_agent *agents;
	struct kf_user *users; /* members, in roster order */
	int8_t *cells;	       /* [agent * nd + day] */
	int nd;
	int64_t day_start[32]; /* local midnight of each day and the day after */
};
/* Loads month's roster (KF_ENOTFOUND if none) with approved leave and
 * wishes. */
int kf_app_roster_load(struct kf_ctx *c, struct kf_db *db, const char *month,
		       struct kf_roster_state *st, struct kf_err *err);
/* The roster's member index of user_id, or -1. */
int kf_app_roster_member(const struct kf_roster_state *st, int64_t user_id);
/* Writes one cell (shift index, or KF_ROSTER_REST) of agent a on day d. */
int kf_app_roster_set_cell(struct kf_ctx *c, struct kf_db *db, struct kf_roster_state *st, int a,
			   int d, int shift, struct kf_err *err);
/* Saves the roster record (a new version) and announces the change. */
int kf_app_roster_touch(struct kf_ctx *c, struct kf_db *db, struct kf_roster_state *st,
			const char *why, struct kf_err *err);
/* The view of a loaded roster (the answer of GET). */
json_t *kf_app_roster_json(struct kf_ctx *c, const struct kf_roster_state *st);

#endif
