/* Attendance, handover, duty log and sign-in on shift (W-15 … W-18, S-2):
 * the use cases of app/attendance.h. Every change is audited (S-3) in its
 * own transaction; a refused request writes nothing (except the audit entry
 * of a refused sign-in, which S-2 asks for). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/attendance.h"
#include "app/events.h"
#include "app/internal.h"
#include "app/workforce.h"
#include "rules/calendar.h"
#include "rules/roster.h"
#include "store/callbacks.h"
#include "store/workforce.h"
#include "util/json.h"
#include "util/time.h"

#define MINUTE_MS   60000LL
#define DAY_MS	    86400000LL
#define ITEMS_MAX   200
#define OPEN_WORK_N 200

/* ---- the roster interface ----
 *
 * A month with a published roster on which the person is a member gives
 * their rostered shifts (rostered = true; a day without one is a rest day or
 * leave). A month without one (a department that does not roster, or a
 * person not on it) falls back to every template in force on every day
 * (rostered = false): sessions are still judged against the shift they
 * overlap, and nobody is absent from a shift nobody rostered them for. */

/* The templates (JSON object name -> {start, end, is_late_shift}) of the
 * published roster of month ("YYYY-MM") on which user_id is a member, or
 * NULL. */
static int roster_templates(struct kf_ctx *c, struct kf_db *db, const char *month, int64_t user_id,
			    json_t **templates, struct kf_err *err)
{
	struct kf_roster_rec r;
	*templates = NULL;
	int rc = kf_store_roster_get(db, month, c->arena, &r, err);
	if (rc == KF_ENOTFOUND)
		return 0;
	if (rc || strcmp(r.status, "published"))
		return rc;
	json_t *members = kf_json_keep(c->arena, json_loads(r.members, 0, NULL));
	json_t *t = kf_json_keep(c->arena, json_loads(r.templates, 0, NULL));
	size_t i;
	json_t *v;
	json_array_foreach(members, i, v) if (json_integer_value(v) == user_id) *templates = t;
	return 0;
}

static int cmp_shift(const void *a, const void *b)
{
	const struct kf_att_shift *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

int kf_app_shifts_of(struct kf_ctx *c, struct kf_db *db, int64_t user_id, int64_t from, int64_t to,
		     struct kf_att_shift **out, int *n, struct kf_err *err)
{
	const struct kf_policy *pol;
	int rc;
	*out = NULL;
	*n = 0;
	if ((rc = kf_ctx_policy(c, &pol, err)))
		return rc;
	/* The templates in force (the department's, else the policy's), as
	 * the roster generator reads them (the month only matters for its
	 * coverage, not used here). */
	struct kf_roster_problem *p = kf_arena_zalloc(c->arena, sizeof *p);
	int ymd = kf_time_local_ymd(from);
	const json_t *tin, *cin;
	int64_t tversion;
	if ((rc = kf_roster_problem_from_policy(pol, ymd / 10000, ymd / 100 % 100, p, err)) ||
	    (rc = kf_app_shift_templates_in_force(c, db, &tin, &cin, &tversion, err)) ||
	    (tversion && (rc = kf_roster_problem_set_shifts(p, tin, cin, err))))
		return rc;
	const struct kf_zone *z = kf_time_local_zone();
	int64_t first = kf_calendar_local_day(z, from) - 1, last = kf_calendar_local_day(z, to);
	int cap = 0;
	/* The months the days touch (a few: callers ask for a day or a month
	 * and a day either side), and which of them the person is rostered in. */
	int months[4], nmonths = 0;
	json_t *templates[4] = {0};
	for (int64_t d = first; d <= last; d++) {
		int ym = kf_time_local_ymd(kf_calendar_day_start(z, d)) / 100;
		if (nmonths && months[nmonths - 1] == ym)
			continue;
		if (nmonths == 4)
			return kf_err_set(err, KF_EINTERNAL,
					  "shifts asked for over too long a time");
		char month[16];
		snprintf(month, sizeof month, "%04d-%02d", ym / 100, ym % 100);
		months[nmonths] = ym;
		if ((rc = roster_templates(c, db, month, user_id, &templates[nmonths], err)))
			return rc;
		nmonths++;
	}
	struct kf_rostered_shift *rs;
	int nrs = 0;
	if ((rc = kf_store_roster_shifts_between(db, user_id, from, to, c->arena, &rs, &nrs, err)))
		return rc;
	for (int i = 0; i < nrs; i++) {
		int ym = (int)strtol(rs[i].month, NULL, 10) * 100 +
			 (int)strtol(rs[i].month + 5, NULL, 10);
		const json_t *t = NULL;
		for (int m = 0; m < nmonths; m++)
			if (months[m] == ym)
				t = templates[m];
		if (!t)
			continue; /* a month the person is not a member of */
		struct kf_att_shift s = {
		    rs[i].start_at, rs[i].end_at,
		    json_is_true(json_object_get(json_object_get(t, rs[i].shift), "is_late_shift")),
		    true, rs[i].shift};
		if (*n == cap)
			*out = kf_arena_grow(c->arena, *out, *n, &cap, sizeof **out);
		(*out)[(*n)++] = s;
	}
	for (int64_t d = first; d <= last; d++) {
		int64_t midnight = kf_calendar_day_start(z, d);
		int ym = kf_time_local_ymd(midnight) / 100;
		bool rostered = false;
		for (int m = 0; m < nmonths; m++)
			if (months[m] == ym && templates[m])
				rostered = true;
		if (rostered)
			continue;
		for (int k = 0; k < p->nshifts; k++) {
			const struct kf_roster_shift *t = &p->shifts[k];
			int end_min = t->end_min > t->start_min ? t->end_min : t->end_min + 1440;
			struct kf_att_shift s = {midnight + t->start_min * MINUTE_MS,
						 midnight + end_min * MINUTE_MS, t->is_late, false,
						 kf_arena_strdup(c->arena, t->name)};
			if (s.end <= from || s.start >= to)
				continue;
			if (*n == cap)
				*out = kf_arena_grow(c->arena, *out, *n, &cap, sizeof **out);
			(*out)[(*n)++] = s;
		}
	}
	if (*n > 1)
		qsort(*out, (size_t)*n, sizeof **out, cmp_shift);
	return 0;
}

int kf_app_leave_of(struct kf_ctx *c, struct kf_db *db, int64_t user_id, int64_t from, int64_t to,
		    struct kf_att_interval **out, int *n, struct kf_err *err)
{
	/* W-8: a leave filed late is approved only with the manager in its
	 * chain (app/leave.c), so an approved leave is a valid one. */
	struct kf_leave_filter f = {.user_id = user_id,
				    .status = "approved",
				    .overlap_from = from,
				    .overlap_to = to,
				    .limit = 200};
	struct kf_leave_rec *items;
	int nl, rc;
	*out = NULL;
	*n = 0;
	if ((rc = kf_store_leave_list(db, &f, c->arena, &items, &nl, err)))
		return rc;
	if (nl > 200)
		return kf_err_set(err, KF_EINTERNAL, "too many leave requests in %lld ms",
				  (long long)(to - from));
	*out = kf_arena_zalloc(c->arena, sizeof **out * (size_t)(nl ? nl : 1));
	for (int i = 0; i < nl; i++)
		(*out)[(*n)++] = (struct kf_att_interval){items[i].start_at, items[i].end_at};
	return 0;
}

/* ---- shared pieces ---- */

static void limits_of(const struct kf_policy *p, struct kf_att_limits *lim)
{
	lim->absence_if_late_ms =
	    kf_policy_int(p, "workforce.attendance.absence_if_late_minutes") * MINUTE_MS;
	lim->absence_if_away_ms =
	    kf_policy_int(p, "workforce.attendance.absence_if_away_minutes") * MINUTE_MS;
	lim->clock_in_early_ms = kf_policy_int(p, "security.sign_in.grace_minutes") * MINUTE_MS;
}

static json_t *shift_json(const struct kf_att_shift *s)
{
	if (!s)
		return json_null();
	return json_pack("{s:o, s:o, s:o, s:b, s:b}", "name", kf_app_json_str(s->name), "start",
			 kf_app_json_instant(s->start), "end", kf_app_json_instant(s->end),
			 "late_shift", s->late_shift, "rostered", s->rostered);
}

static json_t *minutes(int64_t ms)
{
	return json_integer(ms / MINUTE_MS);
}

/* The shift a session [in, out) (out 0: open, up to c->now) belongs to,
 * from the shifts around in; NULL if none. */
static int shift_of_session(struct kf_ctx *c, struct kf_db *db, int64_t user_id,
			    const struct kf_att_session *s, const struct kf_att_limits *lim,
			    const struct kf_att_shift **out, struct kf_err *err)
{
	struct kf_att_shift *shifts;
	int n, k, rc;
	*out = NULL;
	if ((rc = kf_app_shifts_of(c, db, user_id, s->in - DAY_MS, s->in + DAY_MS, &shifts, &n,
				   err)))
		return rc;
	kf_att_assign(shifts, n, s, 1, c->now, lim, &k);
	if (k >= 0)
		*out = &shifts[k];
	return 0;
}

static const char *id_text(struct kf_ctx *c, int64_t id)
{
	return kf_arena_printf(c->arena, "%lld", (long long)id);
}

/* A refusal by W-16 of a request field: 422 naming both. */
static int w16_field(struct kf_err *err, const char *field, const char *msg)
{
	kf_err_field(err, KF_EINVALID, field, "%s (W-16)", msg);
	snprintf(err->rule, sizeof err->rule, "W-16");
	return KF_EINVALID;
}

/* ---- S-2 ---- */

int kf_app_sign_in_gate(struct kf_ctx *c, struct kf_db *db, const struct kf_policy *p,
			const struct kf_user *u, const char **refusal, json_t **detail,
			struct kf_err *err)
{
	*refusal = NULL;
	*detail = NULL;
	bool exempt = false;
	const json_t *roles = kf_policy_get(p, "security.sign_in.exempt_roles"), *r;
	size_t i;
	json_array_foreach(roles, i, r) exempt = exempt || !strcmp(json_string_value(r), u->role);
	int64_t grace = kf_policy_int(p, "security.sign_in.grace_minutes") * MINUTE_MS;
	bool on = kf_policy_bool(p, "security.sign_in.only_on_shift");
	struct kf_att_shift *shifts = NULL;
	int n = 0, rc;
	if (on && !exempt &&
	    (rc = kf_app_shifts_of(c, db, u->id, c->now - DAY_MS, c->now + DAY_MS, &shifts, &n,
				   err)))
		return rc;
	struct kf_sign_in_answer a;
	kf_sign_in_check(on, exempt, grace, shifts, n, c->now, &a);
	if (kf_sign_in_allowed(&a))
		return 0;
	char opens[40] = "", closed[40] = "";
	const char *name = a.shift >= 0 && shifts[a.shift].name ? shifts[a.shift].name : "";
	if (a.verdict == KF_SIGN_IN_REFUSED_EARLY) {
		kf_time_format(a.opens_at, opens);
		*refusal = kf_arena_printf(c->arena,
					   "staff sign in only during their shift (S-2): your next "
					   "shift %s opens for sign-in at %s",
					   name, opens);
	} else if (a.verdict == KF_SIGN_IN_REFUSED_AFTER) {
		kf_time_format(a.closed_at, closed);
		*refusal =
		    kf_arena_printf(c->arena,
				    "staff sign in only during their shift (S-2): your shift "
				    "%s closed for sign-in at %s",
				    name, closed);
	} else {
		*refusal = "staff sign in only during their shift (S-2): you have no shift "
			   "today";
	}
	*detail = json_pack(
	    "{s:s, s:s, s:s, s:s, s:o, s:o, s:I}", "login", u->login, "rule", "S-2", "reason",
	    a.verdict == KF_SIGN_IN_REFUSED_EARLY   ? "before_shift"
	    : a.verdict == KF_SIGN_IN_REFUSED_AFTER ? "after_shift"
						    : "no_shift",
	    "shift", name, "opens_at", kf_app_json_instant(a.opens_at), "closed_at",
	    kf_app_json_instant(a.closed_at), "grace_minutes", (json_int_t)(grace / MINUTE_MS));
	return 0;
}

/* ---- attendance ---- */

static json_t *punch_answer(const struct kf_punch *p, const struct kf_att_shift *sh,
			    const struct kf_att_result *r)
{
	json_t *o = json_pack("{s:b, s:o, s:o}", "clocked_in", !strcmp(p->kind, "in"), "at",
			      kf_app_json_instant(p->at), "shift", shift_json(sh));
	json_object_set_new(o, "late_minutes", minutes(r->late_ms));
	json_object_set_new(o, "absence", json_boolean(r->absence_late));
	json_object_set_new(o, "early_leave_minutes", minutes(r->early_leave_ms));
	json_object_set_new(o, "extended", json_boolean(p->overtime_ms > 0));
	json_object_set_new(o, "overtime_minutes", minutes(p->overtime_ms));
	if (p->has_waiting)
		json_object_set_new(o, "customers_waiting", json_integer(p->customers_waiting));
	return o;
}

int kf_app_clock_in(struct kf_ctx *c, json_t **out, struct kf_err *err)
{
	const struct kf_policy *pol;
	struct kf_db *db;
	struct kf_punch last;
	bool found;
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_ATTENDANCE, err)) ||
	    (rc = kf_ctx_policy(c, &pol, err)) || (rc = kf_ctx_db(c, &db, err)) ||
	    (rc = kf_db_begin(db, err)) ||
	    (rc = kf_store_punch_last(db, c->actor.user_id, c->arena, &last, &found, err)))
		return rc;
	if (found && !strcmp(last.kind, "in")) {
		char at[40];
		kf_time_format(last.at, at);
		return kf_err_set(err, KF_ECONFLICT, "already clocked in at %s; clock out first",
				  at);
	}
	struct kf_att_limits lim;
	limits_of(pol, &lim);
	struct kf_att_session s = {c->now, 0, 0};
	const struct kf_att_shift *sh;
	if ((rc = shift_of_session(c, db, c->actor.user_id, &s, &lim, &sh, err)))
		return rc;
	struct kf_att_result r = {0};
	if (sh)
		kf_att_classify(sh, &s, 1, NULL, 0, c->now, &lim, &r);
	struct kf_punch p = {.user_id = c->actor.user_id,
			     .kind = "in",
			     .at = c->now,
			     .shift_name = sh ? sh->name : NULL,
			     .shift_end = sh ? sh->end : 0};
	json_t *d = json_pack("{s:s, s:o, s:I, s:b}", "rule", "W-15", "shift",
			      kf_app_json_str(p.shift_name), "late_minutes",
			      (json_int_t)(r.late_ms / MINUTE_MS), "absence", r.absence_late);
	if ((rc = kf_store_punch_insert(db, &p, err)) ||
	    (rc = kf_app_audit(c, db, "attendance.clock_in", "user", id_text(c, c->actor.user_id),
			       d, err)) ||
	    (rc = kf_db_commit(db, err)))
		return rc;
	*out = punch_answer(&p, sh, &r);
	return 0;
}

int kf_app_clock_out(struct kf_ctx *c, bool has_waiting, int64_t waiting, json_t **out,
		     struct kf_err *err)
{
	const struct kf_policy *pol;
	struct kf_db *db;
	struct kf_punch last;
	bool found, pending, any;
	int rc;
	if (has_waiting && waiting < 0)
		return kf_err_field(err, KF_EINVALID, "customers_waiting",
				    "customers_waiting must be 0 or more");
	if ((rc = kf_ctx_require(c, KF_PERM_ATTENDANCE, err)) ||
	    (rc = kf_ctx_policy(c, &pol, err)) || (rc = kf_ctx_db(c, &db, err)) ||
	    (rc = kf_db_begin(db, err)) ||
	    (rc = kf_store_punch_last(db, c->actor.user_id, c->arena, &last, &found, err)))
		return rc;
	if (!found || strcmp(last.kind, "in"))
		return kf_err_set(err, KF_ECONFLICT, "not clocked in; clock in first");
	struct kf_att_limits lim;
	limits_of(pol, &lim);
	struct kf_att_session s = {last.at, c->now, has_waiting ? waiting : 0};
	const struct kf_att_shift *sh;
	if ((rc = shift_of_session(c, db, c->actor.user_id, &s, &lim, &sh, err)) ||
	    (rc = kf_store_handover_state(db, c->actor.user_id, last.at, &pending, &any, err)))
		return rc;
	int64_t prepare =
	    kf_policy_int(pol, "workforce.handover.outgoing_prepare_before_minutes") * MINUTE_MS;
	switch (kf_handover_clock_out_check(pending, any, sh ? sh->end : 0, prepare, c->now)) {
	case KF_CLOCK_OUT_PENDING_HANDOVER:
		return kf_err_rule(err, KF_ECONFLICT, "W-16",
				   "your handover is not confirmed yet: the outgoing agent may not "
				   "clock out before the incoming agent confirms it");
	case KF_CLOCK_OUT_NO_HANDOVER:
		return kf_err_rule(err, KF_ECONFLICT, "W-16",
				   "sign a handover before clocking out at the end of your shift");
	case KF_CLOCK_OUT_OK:
		break;
	}
	struct kf_att_result r = {0};
	if (sh)
		kf_att_classify(sh, &s, 1, NULL, 0, c->now, &lim, &r);
	struct kf_punch p = {.user_id = c->actor.user_id,
			     .kind = "out",
			     .at = c->now,
			     .has_waiting = has_waiting,
			     .customers_waiting = waiting,
			     .shift_name = sh ? sh->name : NULL,
			     .shift_end = sh ? sh->end : 0,
			     .overtime_ms = r.overtime_ms};
	json_t *d = json_pack("{s:s, s:o, s:I, s:I}", "rule", r.extended ? "W-18" : "W-15", "shift",
			      kf_app_json_str(p.shift_name), "early_leave_minutes",
			      (json_int_t)(r.early_leave_ms / MINUTE_MS), "overtime_minutes",
			      (json_int_t)(r.overtime_ms / MINUTE_MS));
	if ((rc = kf_store_punch_insert(db, &p, err)) ||
	    (rc = kf_app_audit(c, db, "attendance.clock_out", "user", id_text(c, c->actor.user_id),
			       d, err)) ||
	    (rc = kf_db_commit(db, err)))
		return rc;
	*out = punch_answer(&p, sh, &r);
	return 0;
}

/* Parses "YYYY-MM" into the local instants of its first day and the next
 * month's. */
static bool month_bounds(const char *m, int64_t *from, int64_t *to)
{
	int y, mo;
	char tail;
	if (!m || strlen(m) != 7 || sscanf(m, "%4d-%2d%c", &y, &mo, &tail) != 2 || mo < 1 ||
	    mo > 12 || y < 1970 || y > 9999 || m[4] != '-')
		return false;
	char a[32], b[32];
	snprintf(a, sizeof a, "%04d-%02d-01", y, mo);
	snprintf(b, sizeof b, "%04d-%02d-01", mo == 12 ? y + 1 : y, mo == 12 ? 1 : mo + 1);
	return kf_time_parse_date(a, from) && kf_time_parse_date(b, to);
}

/* Pairs punches into sessions: an in and the out after it. */
static int sessions_of(struct kf_arena *a, const struct kf_punch *p, int n,
		       struct kf_att_session **out)
{
	int k = 0;
	*out = kf_arena_zalloc(a, sizeof **out * (size_t)(n + 1));
	for (int i = 0; i < n; i++) {
		if (!strcmp(p[i].kind, "in")) {
			(*out)[k++] = (struct kf_att_session){p[i].at, 0, 0};
		} else if (k && !(*out)[k - 1].out) {
			(*out)[k - 1].out = p[i].at;
			(*out)[k - 1].customers_waiting_at_end = p[i].customers_waiting;
		}
	}
	return k;
}

static const char *absence_reason(const struct kf_att_result *r)
{
	return r->absence_late && r->absence_away ? "late_and_away"
	       : r->absence_late		  ? "late"
	       : r->absence_away		  ? "away"
						  : NULL;
}

static json_t *result_json(const struct kf_att_shift *sh, const struct kf_att_result *r)
{
	json_t *o = shift_json(sh);
	json_object_set_new(o, "status", json_string(kf_att_status_name(r->status)));
	json_object_set_new(o, "clock_in", kf_app_json_instant(r->first_in));
	json_object_set_new(o, "clock_out", kf_app_json_instant(r->last_out));
	json_object_set_new(o, "late_minutes", minutes(r->late_ms));
	json_object_set_new(o, "early_leave_minutes", minutes(r->early_leave_ms));
	json_object_set_new(o, "away_minutes", minutes(r->away_ms));
	json_object_set_new(o, "absence_reason", kf_app_json_str(absence_reason(r)));
	json_object_set_new(o, "on_leave", json_boolean(r->leave_covered));
	json_object_set_new(o, "extended", json_boolean(r->extended));
	json_object_set_new(o, "overtime_minutes", minutes(r->overtime_ms));
	return o;
}

/* The day entry for local date date in days (created on first use). */
static json_t *day_of(json_t *days, int64_t at)
{
	char date[11];
	kf_time_format_date(at, date);
	json_t *d = json_object_get(days, date);
	if (!d) {
		d = json_pack("{s:s, s:[], s:[]}", "date", date, "shifts", "unscheduled");
		json_object_set_new(days, date, d);
	}
	return d;
}

/* W-14: the approved swaps user_id took part in, for kf_att_swap_missed. */
static int approved_swaps_of(struct kf_ctx *c, struct kf_db *db, int64_t user_id,
			     struct kf_att_swap **out, int *n, struct kf_err *err)
{
	struct kf_swap_rec *s;
	int rc;
	if ((rc = kf_store_swap_list(db, user_id, "approved", 0, 10000, c->arena, &s, n, err)))
		return rc;
	*out = kf_arena_zalloc(c->arena, sizeof **out * (size_t)(*n + 1));
	for (int i = 0; i < *n; i++) {
		int64_t day = 0;
		kf_time_parse_date(s[i].day, &day);
		(*out)[i] = (struct kf_att_swap){.id = s[i].id,
						 .requester_id = s[i].requester_id,
						 .with_user_id = s[i].with_user_id,
						 .ymd = kf_time_local_ymd(day),
						 .requester_shift = s[i].requester_shift,
						 .with_shift = s[i].with_shift};
	}
	return 0;
}

/* W-14: marks the shift o as missed after swap s; the responsible person is
 * u, who took the shift through it, from the other person in the swap. */
static int missed_swap_json(struct kf_ctx *c, struct kf_db *db, const struct kf_att_swap *s,
			    const struct kf_user *u, const struct kf_att_swap_penalty *pen,
			    json_t *o, struct kf_err *err)
{
	struct kf_user from;
	int64_t from_id = s->requester_id == u->id ? s->with_user_id : s->requester_id;
	int rc = kf_store_user_get(db, from_id, c->arena, &from, err);
	if (rc)
		return rc;
	json_object_set_new(
	    o, "missed_swap",
	    json_pack("{s:s, s:o, s:o, s:s, s:o, s:s, s:b, s:I}", "rule", "W-14", "swap_id",
		      kf_app_json_id(s->id), "responsible_user_id", kf_app_json_id(u->id),
		      "responsible_name", u->name, "taken_from_user_id", kf_app_json_id(from.id),
		      "taken_from_name", from.name, "counts_as_absenteeism",
		      pen->counts_as_absenteeism, "fine_fen", (json_int_t)pen->fine_fen));
	return 0;
}

int kf_app_attendance_month(struct kf_ctx *c, int64_t user_id, const char *month, json_t **out,
			    struct kf_err *err)
{
	const struct kf_policy *pol;
	struct kf_db *db;
	struct kf_user u;
	int64_t from, to;
	int rc;
	if (!month_bounds(month, &from, &to))
		return kf_err_field(err, KF_EINVALID, "month", "month must be YYYY-MM");
	if (!user_id)
		user_id = c->actor.user_id;
	if ((rc = kf_ctx_require(c, KF_PERM_ATTENDANCE, err)) ||
	    (user_id != c->actor.user_id &&
	     (rc = kf_ctx_require(c, KF_PERM_ATTENDANCE_ALL, err))) ||
	    (rc = kf_ctx_policy(c, &pol, err)) || (rc = kf_ctx_db_read(c, &db, err)))
		return rc;
	if ((rc = kf_store_user_get(db, user_id, c->arena, &u, err)))
		return rc == KF_ENOTFOUND
			   ? kf_err_field(err, KF_EINVALID, "user_id", "user %lld does not exist",
					  (long long)user_id)
			   : rc;
	struct kf_att_shift *shifts;
	struct kf_att_interval *leave;
	struct kf_punch *punches;
	struct kf_att_session *ss;
	int nshifts, nleave, npunches;
	if ((rc = kf_app_shifts_of(c, db, user_id, from, to, &shifts, &nshifts, err)) ||
	    (rc = kf_app_leave_of(c, db, user_id, from, to, &leave, &nleave, err)) ||
	    (rc = kf_store_punch_list(db, user_id, from - DAY_MS, to + DAY_MS, c->arena, &punches,
				      &npunches, err)))
		return rc;
	struct kf_att_limits lim;
	limits_of(pol, &lim);
	int nss = sessions_of(c->arena, punches, npunches, &ss);
	int *of = kf_arena_zalloc(c->arena, sizeof *of * (size_t)(nss + 1));
	kf_att_assign(shifts, nshifts, ss, nss, c->now, &lim, of);
	struct kf_att_result *res = kf_arena_zalloc(c->arena, sizeof *res * (size_t)(nshifts + 1));
	struct kf_att_session *mine = kf_arena_zalloc(c->arena, sizeof *mine * (size_t)(nss + 1));
	struct kf_att_swap *sw;
	int nsw;
	if ((rc = approved_swaps_of(c, db, user_id, &sw, &nsw, err)))
		return rc;
	struct kf_att_swap_penalty pen;
	kf_att_swap_penalty_from_policy(pol, &pen);
	json_t *days = json_object();
	int nres = 0, late = 0, early = 0, absence = 0, absenteeism = 0, leave_days = 0;
	int missed_swaps = 0;
	int64_t overtime = 0, fines = 0;
	for (int k = 0; k < nshifts; k++) {
		int m = 0;
		for (int i = 0; i < nss; i++)
			if (of[i] == k)
				mine[m++] = ss[i];
		if (!m && !shifts[k].rostered)
			continue;
		struct kf_att_result *r = &res[nres++];
		kf_att_classify(&shifts[k], mine, m, leave, nleave, c->now, &lim, r);
		late += r->late_ms > 0;
		early += r->early_leave_ms > 0;
		absence += r->status == KF_ATT_ABSENCE;
		leave_days += r->leave_covered;
		overtime += r->overtime_ms;
		json_t *o = result_json(&shifts[k], r);
		int w = kf_att_swap_missed(r, sw, nsw, user_id, kf_time_local_ymd(shifts[k].start),
					   shifts[k].name);
		absenteeism +=
		    r->status == KF_ATT_ABSENTEEISM && (w < 0 || pen.counts_as_absenteeism);
		if (w >= 0) {
			missed_swaps++;
			fines += pen.fine_fen;
			if ((rc = missed_swap_json(c, db, &sw[w], &u, &pen, o, err))) {
				json_decref(o);
				json_decref(days);
				return rc;
			}
		}
		json_array_append_new(json_object_get(day_of(days, shifts[k].start), "shifts"), o);
	}
	for (int i = 0; i < nss; i++)
		if (of[i] < 0 && ss[i].in >= from && ss[i].in < to)
			json_array_append_new(
			    json_object_get(day_of(days, ss[i].in), "unscheduled"),
			    json_pack("{s:o, s:o}", "clock_in", kf_app_json_instant(ss[i].in),
				      "clock_out", kf_app_json_instant(ss[i].out)));
	json_t *list = json_array(), *d;
	const char *key;
	json_object_foreach(days, key, d) json_array_append(list, d);
	json_decref(days);
	/* json objects keep insertion order only by accident: sort by date. */
	size_t nd = json_array_size(list);
	for (size_t i = 1; i < nd; i++)
		for (size_t j = i; j > 0; j--) {
			json_t *a = json_array_get(list, j - 1), *b = json_array_get(list, j);
			if (strcmp(json_string_value(json_object_get(a, "date")),
				   json_string_value(json_object_get(b, "date"))) <= 0)
				break;
			json_incref(a);
			json_array_set(list, j - 1, b);
			json_array_set_new(list, j, a);
		}
	*out = json_pack("{s:o, s:s, s:o, s:{s:i, s:i, s:i, s:i, s:i, s:o, s:b, s:b, s:i, s:I}}",
			 "user_id", kf_app_json_id(user_id), "month", month, "days", list,
			 "summary", "late", late, "early_leave", early, "absence", absence,
			 "absenteeism", absenteeism, "on_leave", leave_days, "overtime_minutes",
			 minutes(overtime), "full_attendance", kf_att_full_attendance(res, nres),
			 "month_over", c->now >= to, "missed_swap_shifts", missed_swaps,
			 "swap_fines_fen", (json_int_t)fines);
	return 0;
}

/* ---- handover ---- */

static const char *const item_kinds[] = {"ticket", "callback", "promise", "other", NULL};

static bool one_of(const char *s, const char *const *list)
{
	for (int i = 0; s && list[i]; i++)
		if (!strcmp(s, list[i]))
			return true;
	return false;
}

static json_t *item_json(const struct kf_handover_item *it)
{
	json_t *o = json_pack(
	    "{s:o, s:s, s:o, s:o, s:o, s:o, s:b, s:o}", "id", kf_app_json_id(it->id), "kind",
	    it->kind, "ticket_id", kf_app_json_id(it->ticket_id), "ticket_number",
	    kf_app_json_str(it->ticket_number), "callback_id", kf_app_json_id(it->callback_id),
	    "text", kf_app_json_str(it->text), "resolved", it->resolved, "carried_from_item_id",
	    kf_app_json_id(it->carried_from_item_id));
	if (it->handed_over_at && !it->handover_id)
		json_object_set_new(o, "handed_over_at", kf_app_json_instant(it->handed_over_at));
	return o;
}

/* The pre-filled items: what was carried over to the user first (with
 * carried_from_item_id), then their open tickets and callbacks that no
 * carried item already names. */
static int prefill(struct kf_ctx *c, struct kf_db *db, struct kf_handover_item **out, int *n,
		   struct kf_err *err)
{
	struct kf_handover_item *carried, *work;
	int nc, nw, rc;
	if ((rc = kf_store_handover_carried(db, c->actor.user_id, c->arena, &carried, &nc, err)) ||
	    (rc = kf_store_handover_open_work(db, c->actor.user_id, OPEN_WORK_N, c->arena, &work,
					      &nw, err)))
		return rc;
	*out = kf_arena_zalloc(c->arena, sizeof **out * (size_t)(nc + nw + 1));
	*n = 0;
	for (int i = 0; i < nc; i++) {
		struct kf_handover_item it = carried[i];
		it.carried_from_item_id = carried[i].id;
		it.id = it.handover_id = 0;
		it.resolved = false;
		(*out)[(*n)++] = it;
	}
	for (int i = 0; i < nw; i++) {
		bool dup = false;
		for (int j = 0; j < nc && !dup; j++)
			dup = !strcmp(work[i].kind, carried[j].kind) &&
			      (!strcmp(work[i].kind, "ticket")
				   ? work[i].ticket_id == carried[j].ticket_id
				   : work[i].callback_id == carried[j].callback_id);
		if (!dup)
			(*out)[(*n)++] = work[i];
	}
	return 0;
}

int kf_app_handover_draft(struct kf_ctx *c, json_t **out, struct kf_err *err)
{
	struct kf_db *db;
	struct kf_handover_item *items;
	int n, rc;
	if ((rc = kf_ctx_require(c, KF_PERM_ATTENDANCE, err)) ||
	    (rc = kf_ctx_db_read(c, &db, err)) || (rc = prefill(c, db, &items, &n, err)))
		return rc;
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, item_json(&items[i]));
	*out = json_pack("{s:o}", "items", a);
	return 0;
}

/* Whether the pre-filled item p is named by the body's item b. */
static bool same_item(const struct kf_handover_item *p, const struct kf_handover_item *b)
{
	if (p->carried_from_item_id)
		return b->carried_from_item_id == p->carried_from_item_id ||
		       (!strcmp(p->kind, "ticket") && p->ticket_id &&
			b->ticket_id == p->ticket_id) ||
		       (!strcmp(p->kind, "callback") && p->callback_id &&
			b->callback_id == p->callback_id);
	return !strcmp(p->kind, b->kind) &&
	       (!strcmp(p->kind, "ticket") ? b->ticket_id == p->ticket_id
					   : b->callback_id == p->callback_id);
}

/* items[i].<kind>_id: given with that kind only, and existing; the text
 * defaults to the ticket's subject. */
static int check_ref(struct kf_ctx *c, struct kf_db *db, const char *f, const char *kind,
		     const char *item_kind, int64_t id, const char **text, struct kf_err *err)
{
	const char *field = kf_arena_printf(c->arena, "%s.%s_id", f, kind);
	if (!strcmp(item_kind, kind) != (id > 0))
		return kf_err_field(err, KF_EINVALID, field,
				    "%s_id goes with kind %s, and only with it", kind, kind);
	if (!id)
		return 0;
	struct kf_ticket t;
	struct kf_callback cb;
	bool ticket = !strcmp(kind, "ticket");
	int rc = ticket ? kf_store_ticket_get(db, id, c->arena, &t, err)
			: kf_store_callback_get(db, id, c->arena, &cb, err);
	if (rc == KF_ENOTFOUND)
		return kf_err_field(err, KF_EINVALID, field, "%s %lld does not exist", kind,
				    (long long)id);
	if (rc)
		return rc;
	if (!*text)
		*text = ticket ? t.subject : cb.ticket_subject;
	return 0;
}

/* Checks one item of the body against the store and the pre-filled list;
 * fills it in o. */
static int check_item(struct kf_ctx *c, struct kf_db *db, int i,
		      const struct kf_handover_item_input *in, const struct kf_handover_item *pre,
		      int npre, struct kf_handover_item *o, struct kf_err *err)
{
	const char *f = kf_arena_printf(c->arena, "items[%d]", i);
	int rc;
	*o = (struct kf_handover_item){.kind = in->kind,
				       .text = in->text,
				       .resolved = in->resolved,
				       .ticket_id = in->ticket_id,
				       .callback_id = in->callback_id,
				       .carried_from_item_id = in->carried_from_item_id};
	if (!one_of(in->kind, item_kinds))
		return kf_err_field(err, KF_EINVALID, kf_arena_printf(c->arena, "%s.kind", f),
				    "kind must be ticket, callback, promise or other");
	if ((rc = check_ref(c, db, f, "ticket", in->kind, in->ticket_id, &o->text, err)) ||
	    (rc = check_ref(c, db, f, "callback", in->kind, in->callback_id, &o->text, err)))
		return rc;
	if (!o->text)
		return kf_err_field(err, KF_EINVALID, kf_arena_printf(c->arena, "%s.text", f),
				    "text is required for a %s item", in->kind);
	if (in->carried_from_item_id) {
		bool known = false;
		for (int j = 0; j < npre && !known; j++)
			known = pre[j].carried_from_item_id == in->carried_from_item_id;
		if (!known)
			return w16_field(err,
					 kf_arena_printf(c->arena, "%s.carried_from_item_id", f),
					 "the item is not on your carried-over list");
	}
	return 0;
}

int kf_app_handover_create(struct kf_ctx *c, const struct kf_handover_input *in,
			   struct kf_handover *out, struct kf_err *err)
{
	struct kf_db *db;
	struct kf_handover_item *pre;
	int npre, rc;
	if (in->nitems > ITEMS_MAX)
		return kf_err_field(err, KF_EINVALID, "items", "at most %d items", ITEMS_MAX);
	if ((rc = kf_ctx_require(c, KF_PERM_ATTENDANCE, err)) || (rc = kf_ctx_db(c, &db, err)) ||
	    (rc = kf_db_begin(db, err)))
		return rc;
	if (in->to_user_id) {
		struct kf_user to;
		if (in->to_user_id == c->actor.user_id)
			return w16_field(err, "to_user_id",
					 "the incoming agent is another person (dual sign-off)");
		rc = kf_store_user_get(db, in->to_user_id, c->arena, &to, err);
		if (rc == KF_ENOTFOUND || (!rc && !to.active))
			return kf_err_field(err, KF_EINVALID, "to_user_id",
					    "user %lld does not exist or is inactive",
					    (long long)in->to_user_id);
		if (rc)
			return rc;
	}
	if ((rc = prefill(c, db, &pre, &npre, err)))
		return rc;
	struct kf_handover_item *items =
	    kf_arena_zalloc(c->arena, sizeof *items * (size_t)(in->nitems + npre + 1));
	int n = 0;
	for (int i = 0; i < in->nitems; i++) {
		if ((rc = check_item(c, db, i, &in->items[i], pre, npre, &items[n], err)))
			return rc;
		for (int j = 0; j < n; j++)
			if (items[n].carried_from_item_id &&
			    items[j].carried_from_item_id == items[n].carried_from_item_id)
				return kf_err_field(
				    err, KF_EINVALID,
				    kf_arena_printf(c->arena, "items[%d].carried_from_item_id", i),
				    "item %lld is carried over twice",
				    (long long)items[n].carried_from_item_id);
		n++;
	}
	/* W-16: what the body leaves out of the pre-filled list is carried
	 * over as unresolved. */
	for (int j = 0; j < npre; j++) {
		bool named = false;
		for (int i = 0; i < in->nitems && !named; i++) {
			named = same_item(&pre[j], &items[i]);
			/* The body names a carried ticket or callback afresh: it
			 * carries that item on, so it leaves the list. */
			if (named && !items[i].carried_from_item_id)
				items[i].carried_from_item_id = pre[j].carried_from_item_id;
		}
		if (!named)
			items[n++] = pre[j];
	}
	struct kf_handover h = {.from_user_id = c->actor.user_id,
				.to_user_id = in->to_user_id,
				.status = "pending",
				.equipment_checked = in->equipment_checked,
				.equipment_note = in->equipment_note,
				.anomalies = in->anomalies,
				.notes = in->notes,
				.created_at = c->now,
				.items = items,
				.nitems = n};
	int unresolved = 0;
	for (int i = 0; i < n; i++)
		unresolved += !items[i].resolved;
	json_t *d = json_pack("{s:s, s:o, s:i, s:i, s:b}", "rule", "W-16", "to_user_id",
			      kf_app_json_id(in->to_user_id), "items", n, "unresolved", unresolved,
			      "equipment_checked", in->equipment_checked);
	if ((rc = kf_store_handover_insert(db, &h, err)))
		return rc == KF_ECONFLICT ? kf_err_rule(err, KF_ECONFLICT, "W-16",
							"an item was carried over meanwhile; "
							"reload the handover")
					  : rc;
	if ((rc = kf_app_audit(c, db, "handover.create", "handover", id_text(c, h.id), d, err)))
		return rc;
	int64_t who[] = {in->to_user_id};
	static const char *const nobody[] = {NULL}, *const agents[] = {"agent", "team_lead", NULL};
	if ((rc = kf_app_notify(c, db, "handover.pending", who, in->to_user_id ? 1 : 0,
				in->to_user_id ? nobody : agents,
				json_pack("{s:o, s:o, s:s}", "handover_id", kf_app_json_id(h.id),
					  "from_user_id", kf_app_json_id(c->actor.user_id), "rule",
					  "W-16"),
				err)) ||
	    (rc = kf_db_commit(db, err)))
		return rc;
	return kf_store_handover_get(db, h.id, c->arena, out, err);
}

/* Whether the actor may see handover h. */
static bool may_see(const struct kf_ctx *c, const struct kf_handover *h)
{
	struct kf_err ignored;
	return h->from_user_id == c->actor.user_id || h->to_user_id == c->actor.user_id ||
	       !h->to_user_id || kf_ctx_require(c, KF_PERM_ATTENDANCE_ALL, &ignored) == 0;
}

int kf_app_handover_confirm(struct kf_ctx *c, int64_t id, const char *note, struct kf_handover *out,
			    struct kf_err *err)
{
	struct kf_db *db;
	struct kf_handover h;
	bool changed;
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_ATTENDANCE, err)) || (rc = kf_ctx_db(c, &db, err)) ||
	    (rc = kf_db_begin(db, err)) || (rc = kf_store_handover_get(db, id, c->arena, &h, err)))
		return rc;
	if (h.from_user_id == c->actor.user_id)
		return kf_err_rule(err, KF_EFORBIDDEN, "W-16",
				   "the incoming agent confirms a handover, not the outgoing one");
	if (h.to_user_id && h.to_user_id != c->actor.user_id)
		return kf_err_rule(err, KF_EFORBIDDEN, "W-16",
				   "handover %lld is addressed to %s; only they confirm it",
				   (long long)id, h.to_name ? h.to_name : "another agent");
	if (strcmp(h.status, "pending"))
		return kf_err_set(err, KF_ECONFLICT, "handover %lld is already confirmed",
				  (long long)id);
	if ((rc = kf_store_handover_confirm(db, id, c->actor.user_id, c->now, note, &changed, err)))
		return rc;
	if (!changed)
		return kf_err_set(err, KF_ECONFLICT, "handover %lld was confirmed meanwhile",
				  (long long)id);
	int64_t who[] = {h.from_user_id};
	if ((rc = kf_app_audit(c, db, "handover.confirm", "handover", id_text(c, id),
			       json_pack("{s:s, s:o}", "rule", "W-16", "from_user_id",
					 kf_app_json_id(h.from_user_id)),
			       err)) ||
	    (rc = kf_app_notify(
		 c, db, "handover.confirmed", who, 1, NULL,
		 json_pack("{s:o, s:s}", "handover_id", kf_app_json_id(id), "rule", "W-16"),
		 err)) ||
	    (rc = kf_db_commit(db, err)))
		return rc;
	return kf_store_handover_get(db, id, c->arena, out, err);
}

int kf_app_handover_get(struct kf_ctx *c, int64_t id, struct kf_handover *out, struct kf_err *err)
{
	struct kf_db *db;
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_ATTENDANCE, err)) ||
	    (rc = kf_ctx_db_read(c, &db, err)) ||
	    (rc = kf_store_handover_get(db, id, c->arena, out, err)))
		return rc;
	if (!may_see(c, out))
		return kf_err_set(err, KF_EFORBIDDEN,
				  "handover %lld is between other agents (attendance.all sees it)",
				  (long long)id);
	return 0;
}

int kf_app_handover_list(struct kf_ctx *c, const char *box, const char *status, int64_t after_id,
			 int limit, struct kf_handover **items, int *n, bool *more,
			 struct kf_err *err)
{
	static const char *const boxes[] = {"incoming", "outgoing", NULL}, *const states[] = {
									       "pending",
									       "confirmed", NULL};
	struct kf_db *db;
	int rc;
	if (box && !one_of(box, boxes))
		return kf_err_field(err, KF_EINVALID, "box", "box must be incoming or outgoing");
	if (status && !one_of(status, states))
		return kf_err_field(err, KF_EINVALID, "status",
				    "status must be pending or confirmed");
	if ((rc = kf_ctx_require(c, KF_PERM_ATTENDANCE, err)) ||
	    (rc = kf_ctx_db_read(c, &db, err)) ||
	    (rc = kf_store_handover_list(db, c->actor.user_id, box, status, after_id, limit,
					 c->arena, items, n, err)))
		return rc;
	*more = *n > limit;
	if (*more)
		*n = limit;
	for (int i = 0; i < *n; i++)
		if ((rc = kf_store_handover_items(db, &(*items)[i], c->arena, err)))
			return rc;
	return 0;
}

json_t *kf_app_handover_json(const struct kf_handover *h)
{
	json_t *items = json_array();
	for (int i = 0; i < h->nitems; i++)
		json_array_append_new(items, item_json(&h->items[i]));
	json_t *o = json_pack(
	    "{s:o, s:o, s:o, s:o, s:o, s:s, s:b, s:o, s:o, s:o}", "id", kf_app_json_id(h->id),
	    "from_user_id", kf_app_json_id(h->from_user_id), "from_name",
	    kf_app_json_str(h->from_name), "to_user_id", kf_app_json_id(h->to_user_id), "to_name",
	    kf_app_json_str(h->to_name), "status", h->status, "equipment_checked",
	    h->equipment_checked, "equipment_note", kf_app_json_str(h->equipment_note), "anomalies",
	    kf_app_json_str(h->anomalies), "notes", kf_app_json_str(h->notes));
	json_object_set_new(o, "created_at", kf_app_json_instant(h->created_at));
	json_object_set_new(o, "confirmed_by", kf_app_json_id(h->confirmed_by));
	json_object_set_new(o, "confirmed_at", kf_app_json_instant(h->confirmed_at));
	json_object_set_new(o, "confirm_note", kf_app_json_str(h->confirm_note));
	json_object_set_new(o, "items", items);
	return o;
}

/* ---- duty log ---- */

static const char *const duty_kinds[] = {"event", "call", "incident", "note", NULL};

/* Whether name is a shift template of the policy in force. */
static int check_shift_name(struct kf_ctx *c, const char *name, struct kf_err *err)
{
	const struct kf_policy *pol;
	int rc = kf_ctx_policy(c, &pol, err);
	if (rc)
		return rc;
	if (!json_object_get(kf_policy_get(pol, "workforce.shifts.templates"), name))
		return kf_err_field(err, KF_EINVALID, "shift",
				    "shift must be one of the shift templates (W-1)");
	return 0;
}

int kf_app_duty_add(struct kf_ctx *c, const struct kf_duty_input *in, struct kf_duty_entry *out,
		    struct kf_err *err)
{
	struct kf_db *db;
	int64_t day_ms;
	int rc;
	if (!one_of(in->kind, duty_kinds))
		return kf_err_field(err, KF_EINVALID, "kind",
				    "kind must be event, call, incident or note");
	if (in->has_occurred_at && in->occurred_at > c->now + MINUTE_MS)
		return kf_err_field(err, KF_EINVALID, "occurred_at",
				    "occurred_at is in the future");
	if (in->day && !kf_time_parse_date(in->day, &day_ms))
		return kf_err_field(err, KF_EINVALID, "day", "day must be YYYY-MM-DD");
	if ((rc = kf_ctx_require(c, KF_PERM_ATTENDANCE, err)) ||
	    (in->shift && (rc = check_shift_name(c, in->shift, err))) ||
	    (rc = kf_ctx_db(c, &db, err)) || (rc = kf_db_begin(db, err)))
		return rc;
	struct kf_duty_entry e = {.author_id = c->actor.user_id,
				  .day = in->day,
				  .shift = in->shift,
				  .kind = in->kind,
				  .body = in->body,
				  .occurred_at = in->has_occurred_at ? in->occurred_at : c->now,
				  .created_at = c->now,
				  .corrects_id = in->corrects_id};
	if (in->corrects_id) {
		struct kf_duty_entry old;
		rc = kf_store_duty_get(db, in->corrects_id, c->arena, &old, err);
		if (rc == KF_ENOTFOUND)
			return kf_err_field(err, KF_EINVALID, "corrects_id",
					    "duty log entry %lld does not exist",
					    (long long)in->corrects_id);
		if (rc)
			return rc;
		if (!e.day)
			e.day = old.day;
		if (!e.shift)
			e.shift = old.shift;
	}
	if (!e.day) {
		char *d = kf_arena_alloc(c->arena, 11);
		kf_time_format_date(e.occurred_at, d);
		e.day = d;
	}
	if (!e.shift && !in->corrects_id) {
		/* The shift the author is clocked in for, if any. */
		struct kf_punch last;
		bool found;
		if ((rc = kf_store_punch_last(db, c->actor.user_id, c->arena, &last, &found, err)))
			return rc;
		if (found && !strcmp(last.kind, "in"))
			e.shift = last.shift_name;
	}
	if ((rc = kf_store_duty_insert(db, &e, err)) ||
	    (rc = kf_app_audit(c, db, "duty_log.add", "duty_log", id_text(c, e.id),
			       json_pack("{s:s, s:s, s:o}", "rule", "W-17", "kind", e.kind,
					 "corrects_id", kf_app_json_id(e.corrects_id)),
			       err)) ||
	    (rc = kf_db_commit(db, err)))
		return rc;
	return kf_store_duty_get(db, e.id, c->arena, out, err);
}

int kf_app_duty_list(struct kf_ctx *c, const char *day, const char *shift, int64_t after_id,
		     int limit, struct kf_duty_entry **items, int *n, bool *more,
		     struct kf_err *err)
{
	struct kf_db *db;
	int64_t ms;
	int rc;
	if (day && !kf_time_parse_date(day, &ms))
		return kf_err_field(err, KF_EINVALID, "day", "day must be YYYY-MM-DD");
	if (!day) {
		char *d = kf_arena_alloc(c->arena, 11);
		kf_time_format_date(c->now, d);
		day = d;
	}
	if ((rc = kf_ctx_require(c, KF_PERM_ATTENDANCE, err)) ||
	    (shift && (rc = check_shift_name(c, shift, err))) ||
	    (rc = kf_ctx_db_read(c, &db, err)) ||
	    (rc = kf_store_duty_list(db, day, shift, after_id, limit, c->arena, items, n, err)))
		return rc;
	*more = *n > limit;
	if (*more)
		*n = limit;
	return 0;
}

json_t *kf_app_duty_json(const struct kf_duty_entry *e)
{
	json_t *o = json_pack("{s:o, s:o, s:o, s:s, s:o, s:s, s:s}", "id", kf_app_json_id(e->id),
			      "author_id", kf_app_json_id(e->author_id), "author_name",
			      kf_app_json_str(e->author_name), "day", e->day, "shift",
			      kf_app_json_str(e->shift), "kind", e->kind, "body", e->body);
	json_object_set_new(o, "occurred_at", kf_app_json_instant(e->occurred_at));
	json_object_set_new(o, "created_at", kf_app_json_instant(e->created_at));
	json_object_set_new(o, "corrects_id", kf_app_json_id(e->corrects_id));
	json_object_set_new(o, "corrected_by", kf_app_json_id(e->corrected_by));
	return o;
}
