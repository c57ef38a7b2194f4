/* Shift templates (W-1), coverage (W-3) and the monthly roster (W-2, W-5,
 * W-6): the stored roster is turned into the rules' problem and matrix
 * (kf_app_roster_load), generated and checked by rules/roster.c, and
 * written back one assignment per agent and day worked. A draft is
 * versioned (optimistic: a stale version is 409); once published it changes
 * only through approved leave and swaps (W-2, app/leave.c). */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "app/events.h"
#include "app/internal.h"
#include "app/workforce.h"
#include "rules/calendar.h"
#include "rules/erlang.h"
#include "util/json.h"
#include "util/time.h"

#define DAY_MS 86400000LL

static const char *const wd_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

/* "YYYY-MM" → year and month; KF_EINVALID naming field otherwise. */
static int parse_month(const char *month, const char *field, int *y, int *m, struct kf_err *err)
{
	char tail;
	if (!month || strlen(month) != 7 || month[4] != '-' ||
	    sscanf(month, "%4d-%2d%c", y, m, &tail) != 2 || *y < 1970 || *y > 9999 || *m < 1 ||
	    *m > 12)
		return kf_err_field(err, KF_EINVALID, field, "%s must be a month YYYY-MM", field);
	return 0;
}

/* The day index (0-based) of date in the month, or -1. */
static int day_of(const char *month, int nd, const char *date)
{
	if (!date || strlen(date) != 10 || strncmp(date, month, 7) || date[7] != '-' ||
	    date[8] < '0' || date[8] > '9' || date[9] < '0' || date[9] > '9')
		return -1;
	int d = (date[8] - '0') * 10 + (date[9] - '0');
	return d >= 1 && d <= nd ? d - 1 : -1;
}

static int shift_index(const struct kf_roster_problem *p, const char *name)
{
	for (int s = 0; name && s < p->nshifts; s++)
		if (!strcmp(p->shifts[s].name, name))
			return s;
	return -1;
}

static char *hhmm(struct kf_arena *a, int min)
{
	return kf_arena_printf(a, "%02d:%02d", min / 60, min % 60);
}

/* ---- W-1, W-3: templates ---- */

/* The templates and coverage in force: the department's (version > 0), else
 * the policy's (version 0). Borrowed from the arena or the policy. */
int kf_app_shift_templates_in_force(struct kf_ctx *c, struct kf_db *db, const json_t **templates,
				    const json_t **coverage, int64_t *version, struct kf_err *err)
{
	const struct kf_policy *pol;
	struct kf_shift_templates t;
	int rc;
	if ((rc = kf_ctx_policy(c, &pol, err)))
		return rc;
	rc = kf_store_shift_templates_get(db, c->arena, &t, err);
	if (rc == KF_ENOTFOUND) {
		kf_err_clear(err);
		*templates = kf_policy_get(pol, "workforce.shifts.templates");
		*coverage = kf_policy_get(pol, "workforce.coverage");
		*version = 0;
		return 0;
	}
	if (rc)
		return rc;
	*templates = kf_json_keep(c->arena, json_loads(t.templates, 0, NULL));
	*coverage = kf_json_keep(c->arena, json_loads(t.coverage, 0, NULL));
	*version = t.version;
	if (!*templates || !*coverage)
		return kf_err_set(err, KF_EINTERNAL, "stored shift templates are not JSON");
	return 0;
}

/* {name: {...}} → [{name, start, end, is_late_shift}]. */
static json_t *templates_array(const json_t *templates)
{
	json_t *a = json_array(), *t;
	const char *name;
	json_object_foreach((json_t *)templates, name, t)
	{
		json_t *o = json_pack("{s:s}", "name", name);
		json_object_update(o, t);
		json_array_append_new(a, o);
	}
	return a;
}

int kf_app_shift_templates_get(struct kf_ctx *c, json_t **out, struct kf_err *err)
{
	const json_t *templates, *coverage;
	const struct kf_policy *pol;
	struct kf_db *db;
	int64_t version;
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_ROSTER_READ, err)) ||
	    (rc = kf_ctx_policy(c, &pol, err)) || (rc = kf_ctx_db_read(c, &db, err)) ||
	    (rc = kf_app_shift_templates_in_force(c, db, &templates, &coverage, &version, err)))
		return rc;
	json_t *presets = json_object(), *t;
	const char *name;
	json_object_foreach((json_t *)kf_policy_get(pol, "presets.shifts"), name, t)
	    json_object_set_new(presets, name, templates_array(json_object_get(t, "templates")));
	json_t *cov = json_deep_copy(coverage);
	json_object_del(cov, "erlang_c");
	*out =
	    json_pack("{s:s, s:o, s:o, s:o, s:s, s:I}", "source", version ? "department" : "policy",
		      "templates", templates_array(templates), "coverage", cov, "presets", presets,
		      "policy_preset", kf_policy_str(pol, "workforce.shifts.preset"), "version",
		      (json_int_t)version);
	return 0;
}

int kf_app_shift_templates_put(struct kf_ctx *c, const char *preset, json_t *templates,
			       json_t *coverage, int64_t version, json_t **out, struct kf_err *err)
{
	const json_t *cur_t, *cur_c;
	const struct kf_policy *pol;
	struct kf_db *db;
	int64_t cur_v;
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_ROSTER_WRITE, err)) ||
	    (rc = kf_ctx_policy(c, &pol, err)))
		return rc;
	if (!preset == !templates)
		return kf_err_field(err, KF_EINVALID, preset ? "templates" : "preset",
				    "give either a preset or templates");
	json_t *obj = kf_json_keep(c->arena, json_object());
	if (preset) {
		const json_t *p = kf_policy_get(pol, "presets.shifts");
		const json_t *t = json_object_get(json_object_get(p, preset), "templates");
		if (!t)
			return kf_err_field(err, KF_EINVALID, "preset",
					    "%s is not a shift preset of the policy", preset);
		json_object_update(obj, (json_t *)t);
	} else {
		size_t i;
		json_t *t;
		json_array_foreach(templates, i, t)
		{
			char f[48];
			snprintf(f, sizeof f, "templates[%zu]", i);
			const char *name = NULL, *start = NULL, *end = NULL;
			bool late = false;
			struct kf_jfield fs[] = {{"name", KF_J_LINE, true, 32, &name},
						 {"start", KF_J_LINE, true, 5, &start},
						 {"end", KF_J_LINE, true, 5, &end},
						 {"is_late_shift", KF_J_BOOL, true, 0, &late},
						 {0}};
			snprintf(f, sizeof f, "templates[%zu].", i);
			if (!json_is_object(t))
				return kf_err_field(err, KF_EINVALID, "templates",
						    "templates[%zu] must be an object", i);
			if ((rc = kf_json_read(t, fs, f, err)))
				return rc;
			if (json_object_get(obj, name))
				return kf_err_field(err, KF_EINVALID, "templates",
						    "two templates are named %s", name);
			json_object_set_new(obj, name,
					    json_pack("{s:s, s:s, s:b}", "start", start, "end", end,
						      "is_late_shift", late));
		}
	}
	if ((rc = kf_ctx_db(c, &db, err)) || (rc = kf_db_begin(db, err)) ||
	    (rc = kf_app_shift_templates_in_force(c, db, &cur_t, &cur_c, &cur_v, err)))
		return rc;
	if (version != cur_v)
		return kf_err_field(err, KF_ECONFLICT, "version",
				    "the shift templates are at version %lld; reload them",
				    (long long)cur_v);
	json_t *cov = kf_json_keep(c->arena, json_deep_copy(coverage ? coverage : cur_c));
	json_object_del(cov, "erlang_c");
	/* Validate with the roster's own reader on a sample month. */
	struct kf_roster_problem *p = kf_arena_zalloc(c->arena, sizeof *p);
	p->year = 2026;
	p->month = 1;
	if ((rc = kf_roster_problem_set_shifts(p, obj, cov, err)))
		return rc;
	char *tt = json_dumps(obj, JSON_COMPACT), *ct = json_dumps(cov, JSON_COMPACT);
	struct kf_shift_templates st = {.templates = tt,
					.coverage = ct,
					.version = cur_v,
					.updated_by = c->actor.user_id,
					.updated_at = c->now};
	rc = kf_store_shift_templates_put(db, &st, err);
	free(tt);
	free(ct);
	if (rc ||
	    (rc = kf_app_audit(c, db, "shift_templates.update", "shift_templates", "1",
			       json_pack("{s:s, s:O, s:O, s:I}", "rule", "W-1", "templates", obj,
					 "coverage", cov, "version", (json_int_t)st.version),
			       err)) ||
	    (rc = kf_db_commit(db, err)))
		return rc;
	return kf_app_shift_templates_get(c, out, err);
}

/* ---- loading a roster ---- */

int kf_app_roster_member(const struct kf_roster_state *st, int64_t user_id)
{
	for (int a = 0; a < st->p->nagents; a++)
		if (st->users[a].id == user_id)
			return a;
	return -1;
}

/* The rules' agent id, which their messages name: "安妮 #7" (the name cut
 * at a character boundary so that the id always fits and keeps it unique). */
static void agent_label(char *out, size_t size, const char *name, int64_t uid)
{
	char suffix[32];
	int ns = snprintf(suffix, sizeof suffix, " #%lld", (long long)uid);
	size_t room = size - 1 - (size_t)ns, n = strlen(name);
	if (n > room) {
		n = room;
		while (n > 0 && ((unsigned char)name[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(out, name, n);
	memcpy(out + n, suffix, (size_t)ns + 1);
}

/* Builds st from rec (stored or about to be). */
static int build(struct kf_ctx *c, struct kf_db *db, struct kf_roster_rec *rec,
		 struct kf_roster_state *st, struct kf_err *err)
{
	const struct kf_policy *pol;
	int y, m, rc;
	memset(st, 0, sizeof *st);
	st->rec = rec;
	if ((rc = parse_month(rec->month, "month", &y, &m, err)) ||
	    (rc = kf_ctx_policy(c, &pol, err)))
		return rc;
	struct kf_roster_problem *p = st->p = kf_arena_zalloc(c->arena, sizeof *p);
	if ((rc = kf_roster_problem_from_policy(pol, y, m, p, err)))
		return rc;
	json_t *t = kf_json_keep(c->arena, json_loads(rec->templates, 0, NULL));
	json_t *cov = kf_json_keep(c->arena, json_loads(rec->coverage, 0, NULL));
	json_t *mem = kf_json_keep(c->arena, json_loads(rec->members, 0, NULL));
	if (!t || !cov || !json_is_array(mem))
		return kf_err_set(err, KF_EINTERNAL, "roster %s is damaged", rec->month);
	if ((rc = kf_roster_problem_set_shifts(p, t, cov, err)))
		return rc;
	int nd = st->nd = kf_roster_days_in_month(y, m);
	for (int d = 0; d <= nd; d++) {
		char date[48];
		if (d < nd)
			snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d + 1);
		else
			snprintf(date, sizeof date, "%04d-%02d-01", m == 12 ? y + 1 : y,
				 m == 12 ? 1 : m + 1);
		kf_time_parse_date(date, &st->day_start[d]);
	}
	int n = (int)json_array_size(mem);
	st->agents = kf_arena_zalloc(c->arena, sizeof *st->agents * (size_t)(n ? n : 1));
	st->users = kf_arena_zalloc(c->arena, sizeof *st->users * (size_t)(n ? n : 1));
	st->cells = kf_arena_alloc(c->arena, (size_t)(n ? n : 1) * (size_t)nd);
	memset(st->cells, KF_ROSTER_REST, (size_t)(n ? n : 1) * (size_t)nd);
	p->agents = st->agents;
	p->nagents = n;
	struct kf_roster_wish *wishes;
	int nw;
	if ((rc = kf_store_wish_list(db, rec->month, c->arena, &wishes, &nw, err)))
		return rc;
	for (int a = 0; a < n; a++) {
		struct kf_roster_agent *ag = &st->agents[a];
		int64_t uid = json_integer_value(json_array_get(mem, (size_t)a));
		if ((rc = kf_store_user_get(db, uid, c->arena, &st->users[a], err)))
			return rc;
		agent_label(ag->id, sizeof ag->id, st->users[a].name, uid);
		ag->preferred_shift = -1;
		ag->target_work_days = -1;
		ag->prev_shift_end_min = -1;
		/* W-6: approved leave. */
		struct kf_leave_filter lf = {.user_id = uid,
					     .status = "approved",
					     .overlap_from = st->day_start[0],
					     .overlap_to = st->day_start[nd],
					     .limit = 1000};
		struct kf_leave_rec *lv;
		int nl;
		if ((rc = kf_store_leave_list(db, &lf, c->arena, &lv, &nl, err)))
			return rc;
		for (int i = 0; i < nl; i++)
			for (int d = 0; d < nd; d++)
				if (lv[i].start_at < st->day_start[d + 1] &&
				    lv[i].end_at > st->day_start[d])
					ag->leave |= 1u << d;
		for (int i = 0; i < nw; i++) {
			if (wishes[i].user_id != uid)
				continue;
			ag->preferred_shift = shift_index(p, wishes[i].preferred_shift);
			json_t *off =
			    kf_json_keep(c->arena, json_loads(wishes[i].days_off, 0, NULL));
			size_t k;
			json_t *v;
			json_array_foreach(off, k, v)
			{
				int d = day_of(rec->month, nd, json_string_value(v));
				if (d >= 0)
					ag->wish_off |= 1u << d;
			}
		}
		/* W-4: how the previous (published) month ended. */
		struct kf_rostered_shift *prev;
		int np;
		if ((rc = kf_store_roster_shifts_between(db, uid, st->day_start[0] - 8 * DAY_MS,
							 st->day_start[0], c->arena, &prev, &np,
							 err)))
			return rc;
		for (int back = 1; back <= 8; back++) {
			int64_t from = st->day_start[0] - back * DAY_MS;
			bool worked = false;
			for (int i = 0; i < np; i++)
				if (prev[i].start_at >= from && prev[i].start_at < from + DAY_MS) {
					worked = true;
					if (back == 1)
						ag->prev_shift_end_min =
						    (int)((prev[i].end_at - from) / 60000);
				}
			if (!worked)
				break;
			ag->worked_days_before++;
		}
		for (int d = 0; d < nd; d++)
			if (ag->leave >> d & 1u)
				st->cells[a * nd + d] = KF_ROSTER_LEAVE;
	}
	if (!rec->id)
		return 0;
	struct kf_roster_cell *cells;
	int nc;
	if ((rc = kf_store_roster_cells(db, rec->id, c->arena, &cells, &nc, err)))
		return rc;
	for (int i = 0; i < nc; i++) {
		int a = kf_app_roster_member(st, cells[i].user_id);
		int d = day_of(rec->month, nd, cells[i].day);
		int s = shift_index(p, cells[i].shift);
		if (a >= 0 && d >= 0 && s >= 0 && st->cells[a * nd + d] != KF_ROSTER_LEAVE)
			st->cells[a * nd + d] = (int8_t)s;
	}
	return 0;
}

int kf_app_roster_load(struct kf_ctx *c, struct kf_db *db, const char *month,
		       struct kf_roster_state *st, struct kf_err *err)
{
	struct kf_roster_rec *rec = kf_arena_zalloc(c->arena, sizeof *rec);
	int rc = kf_store_roster_get(db, month, c->arena, rec, err);
	return rc ? rc : build(c, db, rec, st, err);
}

int kf_app_roster_set_cell(struct kf_ctx *c, struct kf_db *db, struct kf_roster_state *st, int a,
			   int d, int shift, struct kf_err *err)
{
	struct kf_roster_cell cell = {
	    .user_id = st->users[a].id,
	    .day = kf_arena_printf(c->arena, "%.7s-%02d", st->rec->month, d + 1)};
	if (shift >= 0) {
		const struct kf_roster_shift *s = &st->p->shifts[shift];
		cell.shift = s->name;
		cell.start_at = st->day_start[d] + s->start_min * 60000LL;
		cell.end_at =
		    (s->end_min > s->start_min ? st->day_start[d] : st->day_start[d + 1]) +
		    s->end_min * 60000LL;
	}
	st->cells[a * st->nd + d] = (int8_t)shift;
	return kf_store_roster_cell_put(db, st->rec->id, &cell, err);
}

int kf_app_roster_touch(struct kf_ctx *c, struct kf_db *db, struct kf_roster_state *st,
			const char *why, struct kf_err *err)
{
	int rc;
	st->rec->updated_at = c->now;
	if ((rc = kf_store_roster_save(db, st->rec, err)) ||
	    (rc = kf_app_audit(c, db, kf_arena_printf(c->arena, "roster.%s", why), "roster",
			       st->rec->month,
			       json_pack("{s:s, s:I}", "month", st->rec->month, "version",
					 (json_int_t)st->rec->version),
			       err)))
		return rc;
	int64_t *who = kf_arena_alloc(c->arena, sizeof *who * (size_t)(st->p->nagents + 1));
	for (int a = 0; a < st->p->nagents; a++)
		who[a] = st->users[a].id;
	static const char *const leads[] = {"supervisor", "manager", "team_lead", NULL};
	return kf_app_notify(c, db, "roster.changed", who, st->p->nagents, leads,
			     json_pack("{s:s, s:s, s:s, s:I}", "month", st->rec->month, "status",
				       st->rec->status, "why", why, "version",
				       (json_int_t)st->rec->version),
			     err);
}

/* ---- the view ---- */

static const char *kind_name(enum kf_roster_violation_kind k)
{
	static const char *const names[] = {
	    [KF_RV_ON_LEAVE] = "on_leave",	     [KF_RV_CONSECUTIVE] = "consecutive_days",
	    [KF_RV_REST_DAYS] = "rest_days",	     [KF_RV_REST_HOURS] = "rest_hours",
	    [KF_RV_TOO_MANY_DAYS] = "too_many_days", [KF_RV_COVERAGE] = "coverage",
	    [KF_RV_QUICK_RETURN] = "quick_return",   [KF_RV_WISH_OFF] = "wish_off",
	    [KF_RV_PREFERRED] = "preferred_shift",   [KF_RV_FAIRNESS] = "fairness"};
	return (unsigned)k < sizeof names / sizeof *names ? names[k] : "other";
}

static const char *cell_name(const struct kf_roster_problem *p, int8_t v)
{
	return v >= 0 ? p->shifts[v].name : v == KF_ROSTER_LEAVE ? "leave" : "rest";
}

/* The checker's violations as JSON; *nhard gets the hard ones that are not
 * coverage (W-4, W-6). */
static json_t *violations_json(struct kf_ctx *c, const struct kf_roster_state *st, int *nhard,
			       int *ncoverage)
{
	struct kf_roster_violations v = {0};
	struct kf_err e = {0};
	json_t *arr = json_array();
	*nhard = *ncoverage = 0;
	if (kf_roster_check(st->p, st->cells, &v, &e)) {
		json_array_append_new(arr, json_pack("{s:s, s:b, s:s}", "rule", "W-6", "hard", 1,
						     "message", e.message));
		(*nhard)++;
		return arr;
	}
	for (int i = 0; i < v.n; i++) {
		const struct kf_roster_violation *x = &v.v[i];
		if (x->hard && x->kind != KF_RV_COVERAGE)
			(*nhard)++;
		if (x->kind == KF_RV_COVERAGE)
			(*ncoverage)++;
		json_array_append_new(
		    arr,
		    json_pack("{s:s, s:s, s:b, s:o, s:o, s:o, s:s}", "rule", x->rule, "kind",
			      kind_name(x->kind), "hard", x->hard, "user_id",
			      x->agent >= 0 ? kf_app_json_id(st->users[x->agent].id) : json_null(),
			      "date",
			      x->day >= 0 ? json_sprintf("%.7s-%02d", st->rec->month, x->day + 1)
					  : json_null(),
			      "shift",
			      x->shift >= 0 ? json_string(st->p->shifts[x->shift].name)
					    : json_null(),
			      "message", x->message));
	}
	(void)c;
	kf_roster_violations_free(&v);
	return arr;
}

json_t *kf_app_roster_json(struct kf_ctx *c, const struct kf_roster_state *st)
{
	const struct kf_roster_problem *p = st->p;
	int nd = st->nd;
	json_t *days = json_array(), *shifts = json_array(), *agents = json_array();
	json_t *gaps = json_array();
	for (int d = 0; d < nd; d++)
		json_array_append_new(
		    days, json_pack("{s:o, s:s, s:b}", "date",
				    json_sprintf("%.7s-%02d", st->rec->month, d + 1), "weekday",
				    wd_names[kf_roster_weekday(p->year, p->month, d)], "holiday",
				    (p->holidays >> d & 1u) != 0));
	for (int s = 0; s < p->nshifts; s++)
		json_array_append_new(shifts,
				      json_pack("{s:s, s:s, s:s, s:b}", "name", p->shifts[s].name,
						"start", hhmm(c->arena, p->shifts[s].start_min),
						"end", hhmm(c->arena, p->shifts[s].end_min),
						"is_late_shift", p->shifts[s].is_late));
	for (int a = 0; a < p->nagents; a++) {
		json_t *cells = json_array(), *off = json_array();
		int work = 0, late = 0, weekend = 0, holiday = 0, leave = 0;
		for (int d = 0; d < nd; d++) {
			int8_t v = st->cells[a * nd + d];
			json_array_append_new(cells, json_string(cell_name(p, v)));
			if (st->agents[a].wish_off >> d & 1u)
				json_array_append_new(
				    off, json_sprintf("%.7s-%02d", st->rec->month, d + 1));
			leave += v == KF_ROSTER_LEAVE;
			if (v < 0)
				continue;
			work++;
			late += p->shifts[v].is_late;
			weekend += kf_roster_weekday(p->year, p->month, d) >= 5;
			holiday += (p->holidays >> d & 1u) != 0;
		}
		int pref = st->agents[a].preferred_shift;
		json_array_append_new(
		    agents,
		    json_pack("{s:o, s:s, s:o, s:o, s:{s:i, s:i, s:i, s:i, s:i}, s:{s:o, s:o}}",
			      "user_id", kf_app_json_id(st->users[a].id), "name", st->users[a].name,
			      "team_id", kf_app_json_id(st->users[a].team_id), "cells", cells,
			      "counts", "work_days", work, "late", late, "weekend", weekend,
			      "holiday", holiday, "leave", leave, "wishes", "days_off", off,
			      "preferred_shift",
			      pref >= 0 ? json_string(p->shifts[pref].name) : json_null()));
	}
	for (int d = 0; d < nd; d++)
		for (int s = 0; s < p->nshifts; s++) {
			int n = 0;
			for (int a = 0; a < p->nagents; a++)
				n += st->cells[a * nd + d] == s;
			if (n < p->need[d][s])
				json_array_append_new(
				    gaps,
				    json_pack("{s:o, s:s, s:i, s:i, s:i}", "date",
					      json_sprintf("%.7s-%02d", st->rec->month, d + 1),
					      "shift", p->shifts[s].name, "need", p->need[d][s],
					      "assigned", n, "short", p->need[d][s] - n));
		}
	int nhard, ncov;
	json_t *viol = violations_json(c, st, &nhard, &ncov);
	json_t *sf = json_loads(st->rec->shortfalls, 0, NULL);
	return json_pack("{s:s, s:s, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:i, s:i}",
			 "month", st->rec->month, "status", st->rec->status, "version",
			 (json_int_t)st->rec->version, "team_id", kf_app_json_id(st->rec->team_id),
			 "updated_at", kf_app_json_instant(st->rec->updated_at), "published_at",
			 kf_app_json_instant(st->rec->published_at), "days", days, "shifts", shifts,
			 "agents", agents, "gaps", gaps, "violations", viol, "shortfalls",
			 sf ? sf : json_array(), "hard_violations", nhard, "coverage_violations",
			 ncov);
}

int kf_app_roster_get(struct kf_ctx *c, const char *month, json_t **out, struct kf_err *err)
{
	struct kf_roster_state st;
	struct kf_db *db;
	int y, m, rc;
	if ((rc = kf_ctx_require(c, KF_PERM_ROSTER_READ, err)) ||
	    (rc = parse_month(month, "month", &y, &m, err)) || (rc = kf_ctx_db_read(c, &db, err)) ||
	    (rc = kf_app_roster_load(c, db, month, &st, err)))
		return rc;
	/* W-2: a draft is the supervisor's until it is published. */
	if (strcmp(st.rec->status, "published") &&
	    kf_ctx_require(c, KF_PERM_ROSTER_WRITE, &(struct kf_err){0}))
		return kf_err_set(err, KF_ENOTFOUND, "the roster of %s is not published yet",
				  month);
	*out = kf_app_roster_json(c, &st);
	return 0;
}

/* ---- generate ---- */

struct deadline {
	struct timespec end;
};

static bool past_deadline(void *ctx)
{
	struct deadline *d = ctx;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > d->end.tv_sec ||
	       (now.tv_sec == d->end.tv_sec && now.tv_nsec >= d->end.tv_nsec);
}

/* The members: the given ids, or the active agents and team leads (of the
 * team). JSON array text in *members. */
static int members_of(struct kf_ctx *c, struct kf_db *db, const struct kf_roster_generate_input *in,
		      const char **members, struct kf_err *err)
{
	json_t *ids = kf_json_keep(c->arena, json_array());
	int rc;
	if (in->user_ids) {
		size_t i;
		json_t *v;
		json_array_foreach(in->user_ids, i, v)
		{
			int64_t id = 0;
			const char *s = json_string_value(v);
			char *end = NULL;
			if (s)
				id = strtoll(s, &end, 10);
			else if (json_is_integer(v))
				id = json_integer_value(v);
			struct kf_user u;
			char f[32];
			snprintf(f, sizeof f, "user_ids[%zu]", i);
			if (id <= 0 || (s && *end))
				return kf_err_field(err, KF_EINVALID, f, "must be a user id");
			rc = kf_store_user_get(db, id, c->arena, &u, err);
			if (rc == KF_ENOTFOUND || (!rc && !u.active))
				return kf_err_field(err, KF_EINVALID, f,
						    "user %lld does not exist or is inactive",
						    (long long)id);
			if (rc)
				return rc;
			for (size_t k = 0; k < json_array_size(ids); k++)
				if (json_integer_value(json_array_get(ids, k)) == id)
					return kf_err_field(err, KF_EINVALID, f, "named twice");
			json_array_append_new(ids, json_integer(id));
		}
	} else {
		if (in->team_id > 0) {
			struct kf_team t;
			rc = kf_store_team_get(db, in->team_id, c->arena, &t, err);
			if (rc == KF_ENOTFOUND)
				return kf_err_field(err, KF_EINVALID, "team_id",
						    "team %lld does not exist",
						    (long long)in->team_id);
			if (rc)
				return rc;
		}
		int64_t after = 0;
		for (;;) {
			struct kf_user *us;
			int n;
			if ((rc = kf_store_user_list(db, after, 500, c->arena, &us, &n, err)))
				return rc;
			for (int i = 0; i < n; i++)
				if (us[i].active &&
				    (!strcmp(us[i].role, "agent") ||
				     !strcmp(us[i].role, "team_lead")) &&
				    (in->team_id <= 0 || us[i].team_id == in->team_id))
					json_array_append_new(ids, json_integer(us[i].id));
			if (n < 500)
				break;
			after = us[n - 1].id;
		}
	}
	if (json_array_size(ids) == 0)
		return kf_err_field(err, KF_EINVALID, in->user_ids ? "user_ids" : "team_id",
				    "no active agents to roster");
	if (json_array_size(ids) > KF_ROSTER_MAX_AGENTS)
		return kf_err_field(err, KF_EINVALID, "user_ids", "at most %d agents",
				    KF_ROSTER_MAX_AGENTS);
	char *s = json_dumps(ids, JSON_COMPACT);
	*members = kf_arena_strdup(c->arena, s);
	free(s);
	return 0;
}

static char *dump(struct kf_arena *a, const json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT);
	char *r = kf_arena_strdup(a, s);
	free(s);
	return r;
}

int kf_app_roster_generate(struct kf_ctx *c, const char *month,
			   const struct kf_roster_generate_input *in, json_t **out,
			   struct kf_err *err)
{
	struct kf_roster_rec *rec = kf_arena_zalloc(c->arena, sizeof *rec);
	const json_t *templates, *coverage;
	struct kf_roster_state st;
	struct kf_db *db;
	int64_t tv;
	int y, m, rc;
	if ((rc = kf_ctx_require(c, KF_PERM_ROSTER_WRITE, err)) ||
	    (rc = parse_month(month, "month", &y, &m, err)))
		return rc;
	if (in->iterations > 5000000)
		return kf_err_field(err, KF_EINVALID, "iterations", "at most 5000000");
	if ((rc = kf_ctx_db(c, &db, err)) || (rc = kf_db_begin(db, err)))
		return rc;
	rc = kf_store_roster_get(db, month, c->arena, rec, err);
	if (rc && rc != KF_ENOTFOUND)
		return rc;
	kf_err_clear(err);
	if (!rc && !strcmp(rec->status, "published"))
		return kf_err_rule(err, KF_ECONFLICT, "W-2",
				   "the roster of %s is published: it changes only through leave "
				   "and swaps",
				   month);
	if (!rc && in->has_version && in->version != rec->version)
		return kf_err_field(err, KF_ECONFLICT, "version",
				    "the roster is at version %lld; reload it",
				    (long long)rec->version);
	if (rc) {
		memset(rec, 0, sizeof *rec);
		rec->month = month;
		rec->created_by = c->actor.user_id;
		rec->created_at = c->now;
	}
	rec->status = "draft";
	rec->team_id = in->user_ids ? 0 : in->team_id;
	rec->shortfalls = "[]";
	if ((rc = kf_app_shift_templates_in_force(c, db, &templates, &coverage, &tv, err)) ||
	    (rc = members_of(c, db, in, &rec->members, err)))
		return rc;
	rec->templates = dump(c->arena, templates);
	rec->coverage = dump(c->arena, coverage);
	if ((rc = build(c, db, rec, &st, err)))
		return rc;
	/* Generation works on a fresh roster: leave stays, shifts go. */
	for (int i = 0; i < st.p->nagents * st.nd; i++)
		if (st.cells[i] >= 0)
			st.cells[i] = KF_ROSTER_REST;
	if ((rc = kf_roster_check_problem(st.p, err)))
		return rc;
	struct deadline dl;
	clock_gettime(CLOCK_MONOTONIC, &dl.end);
	dl.end.tv_sec += 8;
	long iters = in->iterations >= 0
			 ? (long)in->iterations
			 : (long)(st.p->nagents < 20 ? 20000 * st.p->nagents : 400000);
	struct kf_roster_options opt = {.seed = (uint64_t)(in->seed ? in->seed : 1),
					.iterations = iters,
					.stop = past_deadline,
					.stop_ctx = &dl};
	struct kf_roster_result res = {0};
	if ((rc = kf_roster_generate(st.p, &opt, &res, err)))
		return rc;
	json_t *sf = json_array();
	for (int i = 0; i < res.nshort; i++) {
		const struct kf_roster_shortfall *s = &res.shortfalls[i];
		json_array_append_new(
		    sf,
		    json_pack("{s:s, s:o, s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:s}", "rule",
			      "W-3", "date", json_sprintf("%.7s-%02d", month, s->day + 1), "shift",
			      st.p->shifts[s->shift].name, "need", s->need, "assigned", s->assigned,
			      "on_leave", s->on_leave, "on_other_shift", s->on_other_shift,
			      "rest_required", s->rest_required, "rest_free", s->rest_free, "short",
			      s->need - s->assigned, "message", s->message));
	}
	rec->shortfalls = dump(c->arena, sf);
	json_decref(sf);
	json_t *stats = json_pack(
	    "{s:f, s:I, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i}", "cost", res.stats.cost,
	    "iterations", (json_int_t)res.stats.iterations, "shortfall", res.stats.shortfall,
	    "wishes_granted", res.stats.wishes_granted, "wishes_total", res.stats.wishes_total,
	    "preferred_granted", res.stats.preferred_granted, "preferred_total",
	    res.stats.preferred_total, "quick_returns", res.stats.quick_returns, "late_min",
	    res.stats.late_min, "late_max", res.stats.late_max);
	rec->updated_at = c->now;
	bool existed = rec->id != 0;
	rc = kf_store_roster_save(db, rec, err);
	if (!rc && existed)
		rc = kf_store_roster_clear(db, rec->id, err);
	for (int a = 0; !rc && a < st.p->nagents; a++)
		for (int d = 0; !rc && d < st.nd; d++) {
			int8_t v = res.cells[a * st.nd + d];
			if (v >= 0)
				rc = kf_app_roster_set_cell(c, db, &st, a, d, v, err);
			else
				st.cells[a * st.nd + d] = v;
		}
	kf_roster_result_free(&res);
	if (rc) {
		json_decref(stats);
		return rc;
	}
	/* The record was saved above; announce and audit without a second
	 * version. */
	int64_t *who = kf_arena_alloc(c->arena, sizeof *who * (size_t)st.p->nagents);
	for (int a = 0; a < st.p->nagents; a++)
		who[a] = st.users[a].id;
	static const char *const leads[] = {"supervisor", "manager", "team_lead", NULL};
	if ((rc = kf_app_audit(c, db, "roster.generate", "roster", month,
			       json_pack("{s:s, s:s, s:I, s:I, s:i, s:O}", "rule", "W-6", "month",
					 month, "version", (json_int_t)rec->version, "seed",
					 (json_int_t)opt.seed, "agents", st.p->nagents, "stats",
					 stats),
			       err)) ||
	    (rc = kf_app_notify(c, db, "roster.changed", who, st.p->nagents, leads,
				json_pack("{s:s, s:s, s:s, s:I}", "month", month, "status", "draft",
					  "why", "generate", "version", (json_int_t)rec->version),
				err)) ||
	    (rc = kf_db_commit(db, err))) {
		json_decref(stats);
		return rc;
	}
	*out = kf_app_roster_json(c, &st);
	json_object_set_new(*out, "stats", stats);
	return 0;
}

/* ---- hand edits and publication ---- */

/* Loads the draft for a change: W-2 and the version. */
static int load_draft(struct kf_ctx *c, struct kf_db *db, const char *month, int64_t version,
		      struct kf_roster_state *st, struct kf_err *err)
{
	int rc = kf_app_roster_load(c, db, month, st, err);
	if (rc)
		return rc;
	if (!strcmp(st->rec->status, "published"))
		return kf_err_rule(err, KF_ECONFLICT, "W-2",
				   "the roster of %s is published: it changes only through leave "
				   "and swaps",
				   month);
	if (version != st->rec->version)
		return kf_err_field(err, KF_ECONFLICT, "version",
				    "the roster is at version %lld; reload it",
				    (long long)st->rec->version);
	return 0;
}

int kf_app_roster_edit(struct kf_ctx *c, const char *month, int64_t version,
		       const struct kf_roster_change *ch, int n, json_t **out, struct kf_err *err)
{
	struct kf_roster_state st;
	struct kf_db *db;
	int y, m, rc;
	if ((rc = kf_ctx_require(c, KF_PERM_ROSTER_WRITE, err)) ||
	    (rc = parse_month(month, "month", &y, &m, err)))
		return rc;
	if (n < 1 || n > 1000)
		return kf_err_field(err, KF_EINVALID, "changes", "give 1 to 1000 changes");
	if ((rc = kf_ctx_db(c, &db, err)) || (rc = kf_db_begin(db, err)) ||
	    (rc = load_draft(c, db, month, version, &st, err)))
		return rc;
	int nhard, ncov;
	json_t *before = kf_json_keep(c->arena, violations_json(c, &st, &nhard, &ncov));
	for (int i = 0; i < n; i++) {
		char f[48];
		int a = kf_app_roster_member(&st, ch[i].user_id);
		int d = day_of(month, st.nd, ch[i].date);
		int s = ch[i].shift ? shift_index(st.p, ch[i].shift) : KF_ROSTER_REST;
		if (a < 0) {
			snprintf(f, sizeof f, "changes[%d].user_id", i);
			return kf_err_field(err, KF_EINVALID, f, "is not on the roster of %s",
					    month);
		}
		if (d < 0) {
			snprintf(f, sizeof f, "changes[%d].date", i);
			return kf_err_field(err, KF_EINVALID, f, "must be a date in %s", month);
		}
		if (ch[i].shift && s < 0) {
			snprintf(f, sizeof f, "changes[%d].shift", i);
			return kf_err_field(err, KF_EINVALID, f,
					    "must be a shift of the roster's templates or null for "
					    "rest");
		}
		if (st.cells[a * st.nd + d] == KF_ROSTER_LEAVE && s >= 0) {
			kf_err_rule(err, KF_ERULE, "W-6",
				    "%s is on approved leave on %s: no shift that day",
				    st.users[a].name, ch[i].date);
			snprintf(err->field, sizeof err->field, "changes[%d].shift", i);
			return KF_ERULE;
		}
		if (st.cells[a * st.nd + d] != KF_ROSTER_LEAVE &&
		    (rc = kf_app_roster_set_cell(c, db, &st, a, d, s, err)))
			return rc;
	}
	if ((rc = kf_app_roster_touch(c, db, &st, "edit", err)) || (rc = kf_db_commit(db, err)))
		return rc;
	*out = kf_app_roster_json(c, &st);
	/* W-6: what the change brought: the violations that were not there
	 * before it (wherever the checker dates them: a run of working days is
	 * reported on its seventh day, not on the day changed). */
	json_t *mine = json_array(), *v, *w;
	size_t k, l;
	json_array_foreach(json_object_get(*out, "violations"), k, v)
	{
		bool old = false;
		json_array_foreach(before, l, w) old = old || json_equal(v, w);
		if (!old)
			json_array_append(mine, v);
	}
	json_object_set_new(*out, "change_violations", mine);
	return 0;
}

int kf_app_roster_publish(struct kf_ctx *c, const char *month, int64_t version, json_t **out,
			  struct kf_err *err)
{
	struct kf_roster_state st;
	struct kf_db *db;
	int y, m, rc, nhard, ncov;
	if ((rc = kf_ctx_require(c, KF_PERM_ROSTER_WRITE, err)) ||
	    (rc = parse_month(month, "month", &y, &m, err)) || (rc = kf_ctx_db(c, &db, err)) ||
	    (rc = kf_db_begin(db, err)) || (rc = load_draft(c, db, month, version, &st, err)))
		return rc;
	json_t *v = violations_json(c, &st, &nhard, &ncov);
	if (nhard) {
		size_t i;
		json_t *x;
		const char *first = "", *rule = "W-4";
		json_array_foreach(
		    v, i, x) if (json_is_true(json_object_get(x, "hard")) &&
				 strcmp(json_string_value(json_object_get(x, "kind")), "coverage"))
		{
			first = json_string_value(json_object_get(x, "message"));
			rule = json_string_value(json_object_get(x, "rule"));
			break;
		}
		kf_err_rule(err, KF_ERULE, rule,
			    "the roster breaks %d hard rule%s (first: %s); fix them before "
			    "publishing",
			    nhard, nhard == 1 ? "" : "s", first);
		json_decref(v);
		return KF_ERULE;
	}
	json_decref(v);
	st.rec->status = "published";
	st.rec->published_by = c->actor.user_id;
	st.rec->published_at = c->now;
	if ((rc = kf_app_roster_touch(c, db, &st, "publish", err)) || (rc = kf_db_commit(db, err)))
		return rc;
	*out = kf_app_roster_json(c, &st);
	return 0;
}

int kf_app_roster_wish_put(struct kf_ctx *c, const char *month, int64_t user_id, json_t *days_off,
			   const char *preferred_shift, json_t **out, struct kf_err *err)
{
	const json_t *templates, *coverage;
	struct kf_db *db;
	int64_t tv;
	int y, m, rc;
	if (user_id == 0 || user_id == c->actor.user_id)
		user_id = c->actor.user_id;
	else if ((rc = kf_ctx_require(c, KF_PERM_ROSTER_WRITE, err)))
		return rc;
	if ((rc = parse_month(month, "month", &y, &m, err)))
		return rc;
	int nd = kf_roster_days_in_month(y, m);
	json_t *off = kf_json_keep(c->arena, json_array());
	size_t i;
	json_t *v;
	json_array_foreach(days_off, i, v)
	{
		char f[32];
		snprintf(f, sizeof f, "days_off[%zu]", i);
		if (day_of(month, nd, json_string_value(v)) < 0)
			return kf_err_field(err, KF_EINVALID, f, "must be a date in %s", month);
		json_array_append(off, v);
	}
	if ((rc = kf_ctx_db(c, &db, err)) || (rc = kf_db_begin(db, err)) ||
	    (rc = kf_app_shift_templates_in_force(c, db, &templates, &coverage, &tv, err)))
		return rc;
	if (preferred_shift && !json_object_get(templates, preferred_shift))
		return kf_err_field(err, KF_EINVALID, "preferred_shift",
				    "%s is not a shift of the templates in force", preferred_shift);
	struct kf_user u;
	rc = kf_store_user_get(db, user_id, c->arena, &u, err);
	if (rc == KF_ENOTFOUND)
		return kf_err_field(err, KF_EINVALID, "user_id", "user %lld does not exist",
				    (long long)user_id);
	struct kf_roster_wish w = {.user_id = user_id,
				   .month = month,
				   .days_off = dump(c->arena, off),
				   .preferred_shift = preferred_shift,
				   .updated_at = c->now};
	if (rc || (rc = kf_store_wish_put(db, &w, err)) ||
	    (rc = kf_app_audit(c, db, "roster.wish", "user",
			       kf_arena_printf(c->arena, "%lld", (long long)user_id),
			       json_pack("{s:s, s:s, s:O, s:o}", "rule", "W-6", "month", month,
					 "days_off", off, "preferred_shift",
					 kf_app_json_str(preferred_shift)),
			       err)) ||
	    (rc = kf_db_commit(db, err)))
		return rc;
	*out = json_pack("{s:o, s:s, s:O, s:o}", "user_id", kf_app_json_id(user_id), "month", month,
			 "days_off", off, "preferred_shift", kf_app_json_str(preferred_shift));
	return 0;
}

int kf_app_staffing_erlang(struct kf_ctx *c, int64_t calls, int64_t interval_minutes,
			   int64_t aht_seconds, int64_t answer_seconds, int64_t level_percent,
			   struct kf_erlang_result *out, struct kf_err *err)
{
	struct kf_erlang_input in = {.calls = (double)calls,
				     .interval_seconds = (double)interval_minutes * 60,
				     .aht_seconds = (double)aht_seconds,
				     .target_answer_seconds = (double)answer_seconds,
				     .target_service_level = (double)level_percent / 100};
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_ROSTER_WRITE, err)))
		return rc;
	if ((rc = kf_erlang_required_agents(&in, out, err))) {
		if (!strcmp(err->field, "interval_seconds"))
			snprintf(err->field, sizeof err->field, "interval_minutes");
		else if (!strcmp(err->field, "target_service_level"))
			snprintf(err->field, sizeof err->field, "target_service_level_percent");
	}
	return rc;
}
