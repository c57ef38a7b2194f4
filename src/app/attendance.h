/* Attendance (W-15, W-18), handover (W-16), the duty log (W-17) and sign-in
 * only on shift (S-2): the use cases. The judgement is in
 * rules/attendance.c; this file gathers its inputs (shifts, leave, punches)
 * and records the results.
 *
 * Where the shifts and the leave come from is one small interface,
 * kf_app_shifts_of and kf_app_leave_of (below). Until the roster store
 * exists they read a minimal source, documented there; they are the only
 * two functions to change when the published rosters and approved leave
 * are connected. */
#ifndef KF_APP_ATTENDANCE_H
#define KF_APP_ATTENDANCE_H
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "app/app.h"
#include "rules/attendance.h"
#include "store/attendance.h"

/* ---- the roster interface ---- */

/* The shifts user_id works that overlap [from, to), sorted by start, in
 * c's arena (names too). A shift past midnight ends on the next day.
 * rostered says whether it is a roster assignment (absent from it without
 * leave is absenteeism) or only a template slot the person may work.
 *
 * Minimal source (until the roster store is connected): no roster is
 * published, so every person may work every shift template of the policy
 * in force (workforce.shifts.templates) on every local day, all with
 * rostered = false. A clock session then belongs to the template it
 * overlaps most, lateness and early leave are judged against it, S-2 lets
 * staff sign in around any template, and no absenteeism is ever reported
 * (nobody was rostered). Day boundaries are local midnights of the policy's
 * zone; template times are added to them as minutes. */
int kf_app_shifts_of(struct kf_ctx *c, struct kf_db *db, int64_t user_id, int64_t from, int64_t to,
		     struct kf_att_shift **out, int *n, struct kf_err *err);
/* The approved, valid leave of user_id overlapping [from, to) (W-8: leave
 * filed too late counts only once a manager approved it), as intervals in
 * c's arena. Minimal source: none (no leave store yet). */
int kf_app_leave_of(struct kf_ctx *c, struct kf_db *db, int64_t user_id, int64_t from, int64_t to,
		    struct kf_att_interval **out, int *n, struct kf_err *err);

/* ---- S-2, called by kf_app_login ---- */

/* Whether user u may sign in now by security.sign_in (only_on_shift,
 * grace_minutes, exempt_roles). *refusal is NULL when allowed; otherwise
 * the reason, and *detail (new reference) the audit detail. */
int kf_app_sign_in_gate(struct kf_ctx *c, struct kf_db *db, const struct kf_policy *p,
			const struct kf_user *u, const char **refusal, json_t **detail,
			struct kf_err *err);

/* ---- attendance (W-15, W-18) ---- */

/* W-15: clocks the actor in; KF_ECONFLICT when already clocked in. *out
 * gets the answer ({"clocked_in", "at", "shift", "late_minutes", …}). */
int kf_app_clock_in(struct kf_ctx *c, json_t **out, struct kf_err *err);
/* W-15, W-16, W-18: clocks the actor out. KF_ECONFLICT when not clocked
 * in; KF_ECONFLICT with rule W-16 while their handover waits for the
 * incoming agent, or in the handover window with no handover signed.
 * waiting (has_waiting) is the number of customers still waiting at the
 * end of the shift: on a late shift it extends the shift and the time
 * after its end is recorded as overtime (W-18). */
int kf_app_clock_out(struct kf_ctx *c, bool has_waiting, int64_t waiting, json_t **out,
		     struct kf_err *err);
/* W-15: a month ("YYYY-MM") of user_id (0: the actor) day by day, each
 * shift classified, with the month's totals and full attendance (E-6).
 * Another person's month needs attendance.all. */
int kf_app_attendance_month(struct kf_ctx *c, int64_t user_id, const char *month, json_t **out,
			    struct kf_err *err);

/* ---- handover (W-16) ---- */

struct kf_handover_item_input {
	const char *kind, *text;
	int64_t ticket_id, callback_id, carried_from_item_id;
	bool resolved;
};
struct kf_handover_input {
	int64_t to_user_id; /* 0: the next shift, whoever confirms */
	bool equipment_checked;
	const char *equipment_note, *anomalies, *notes;
	bool has_items; /* false: the pre-filled items only */
	struct kf_handover_item_input *items;
	int nitems;
};

/* What the actor's handover starts from: their open tickets and callbacks
 * and the unresolved items carried over to them ({"items": […]}). */
int kf_app_handover_draft(struct kf_ctx *c, json_t **out, struct kf_err *err);
/* The outgoing agent signs a handover. Items carried over to them and open
 * tickets and callbacks the body leaves out are added as unresolved, so
 * nothing is dropped (W-16: carried over automatically). */
int kf_app_handover_create(struct kf_ctx *c, const struct kf_handover_input *in,
			   struct kf_handover *out, struct kf_err *err);
/* The incoming agent confirms (dual sign-off). KF_EFORBIDDEN rule W-16 for
 * the outgoing agent or a person it is not addressed to; KF_ECONFLICT once
 * confirmed. */
int kf_app_handover_confirm(struct kf_ctx *c, int64_t id, const char *note, struct kf_handover *out,
			    struct kf_err *err);
/* One handover: its two agents, anyone when addressed to the next shift,
 * and holders of attendance.all. */
int kf_app_handover_get(struct kf_ctx *c, int64_t id, struct kf_handover *out, struct kf_err *err);
/* The actor's handovers: box incoming, outgoing or NULL; status pending,
 * confirmed or NULL. */
int kf_app_handover_list(struct kf_ctx *c, const char *box, const char *status, int64_t after_id,
			 int limit, struct kf_handover **items, int *n, bool *more,
			 struct kf_err *err);
json_t *kf_app_handover_json(const struct kf_handover *h);

/* ---- duty log (W-17) ---- */

struct kf_duty_input {
	const char *kind, *body, *day, *shift;
	bool has_occurred_at;
	int64_t occurred_at, corrects_id;
};
/* Appends an entry; a correction names the entry it corrects and takes its
 * day and shift unless given. */
int kf_app_duty_add(struct kf_ctx *c, const struct kf_duty_input *in, struct kf_duty_entry *out,
		    struct kf_err *err);
/* The entries of day (NULL: today) and shift (NULL: all). */
int kf_app_duty_list(struct kf_ctx *c, const char *day, const char *shift, int64_t after_id,
		     int limit, struct kf_duty_entry **items, int *n, bool *more,
		     struct kf_err *err);
json_t *kf_app_duty_json(const struct kf_duty_entry *e);

#endif
