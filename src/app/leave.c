/* Leave requests (W-7 … W-12) and shift swaps (W-13): filing, decisions and
 * their effect on the roster. The rules are in rules/leave.c; an approved
 * leave frees the person's shifts on its days (the roster then shows the
 * coverage gap), an approved swap exchanges two people's cells on one day
 * of a published roster (W-2). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/events.h"
#include "app/internal.h"
#include "app/workforce.h"
#include "rules/leave.h"
#include "util/json.h"
#include "util/time.h"

#define DAY_MS 86400000LL

static const char *const levels_sep = ",";

/* The n-th level of a "supervisor,manager" list, in the arena. */
static const char *level_at(struct kf_arena *a, const char *levels, int n)
{
	const char *s = levels;
	for (int i = 0; i < n && s; i++) {
		s = strchr(s, ',');
		if (s)
			s++;
	}
	if (!s || !*s)
		return NULL;
	size_t len = strcspn(s, levels_sep);
	return kf_arena_strndup(a, s, len);
}

static const char *level_or_empty(struct kf_arena *a, const char *levels, int n)
{
	const char *l = level_at(a, levels, n);
	return l ? l : "";
}

static json_t *levels_json(struct kf_arena *a, const char *levels)
{
	json_t *arr = json_array();
	const char *l;
	for (int i = 0; (l = level_at(a, levels, i)); i++)
		json_array_append_new(arr, json_string(l));
	return arr;
}

static json_t *leave_json(struct kf_ctx *c, const struct kf_leave_rec *l, const char *name)
{
	json_t *dec = json_loads(l->decisions, 0, NULL);
	const char *awaiting =
	    !strcmp(l->status, "pending") ? level_at(c->arena, l->levels, l->step) : NULL;
	return json_pack(
	    "{s:o, s:o, s:o, s:o, s:s, s:o, s:o, s:i, s:s, s:b, s:b, s:b, s:s, s:o, s:o, s:o, s:o, "
	    "s:o, s:I}",
	    "id", kf_app_json_id(l->id), "user_id", kf_app_json_id(l->user_id), "user_name",
	    kf_app_json_str(name), "filed_by", kf_app_json_id(l->filed_by), "type", l->type,
	    "start", kf_app_json_instant(l->start_at), "end", kf_app_json_instant(l->end_at),
	    "days", l->days, "reason", l->reason, "special", l->special, "emergency", l->emergency,
	    "late_notice", l->late_notice, "status", l->status, "levels",
	    levels_json(c->arena, l->levels), "awaiting", kf_app_json_str(awaiting), "decisions",
	    dec ? dec : json_array(), "created_at", kf_app_json_instant(l->created_at),
	    "decided_at", kf_app_json_instant(l->decided_at), "version", (json_int_t)l->version);
}

static const char *user_name(struct kf_ctx *c, struct kf_db *db, int64_t id)
{
	struct kf_user u;
	struct kf_err e = {0};
	return kf_store_user_get(db, id, c->arena, &u, &e) ? NULL : u.name;
}

/* Whether shift name of the roster of month is a late shift (W-11). */
static bool is_late_shift(struct kf_ctx *c, struct kf_db *db, const char *month, const char *name)
{
	struct kf_roster_rec r;
	struct kf_err e = {0};
	if (kf_store_roster_get(db, month, c->arena, &r, &e))
		return false;
	json_t *t = kf_json_keep(c->arena, json_loads(r.templates, 0, NULL));
	return json_is_true(json_object_get(json_object_get(t, name), "is_late_shift"));
}

int kf_app_leave_request(struct kf_ctx *c, const struct kf_leave_input *in, json_t **out,
			 struct kf_err *err)
{
	const struct kf_policy *pol;
	struct kf_db *db;
	struct kf_user u;
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_WORKFORCE_REQUEST, err)) ||
	    (rc = kf_ctx_policy(c, &pol, err)))
		return rc;
	int64_t uid = in->user_id ? in->user_id : c->actor.user_id;
	if ((rc = kf_ctx_db(c, &db, err)) || (rc = kf_db_begin(db, err)))
		return rc;
	rc = kf_store_user_get(db, uid, c->arena, &u, err);
	if (rc == KF_ENOTFOUND || (!rc && !u.active))
		return kf_err_field(err, KF_EINVALID, "user_id",
				    "user %lld does not exist or is inactive", (long long)uid);
	if (rc)
		return rc;
	struct kf_rostered_shift *sh;
	int ns;
	if ((rc = kf_store_roster_shifts_between(db, uid, in->start_at, in->end_at, c->arena, &sh,
						 &ns, err)))
		return rc;
	struct kf_leave_rules rules;
	kf_leave_rules_from_policy(pol, &rules);
	struct kf_leave_filing f = {.type = in->type,
				    .on_behalf = uid != c->actor.user_id,
				    .filer_is_head = c->actor.role == KF_ROLE_MANAGER,
				    .subject_is_lead =
					!strcmp(u.role, "supervisor") || !strcmp(u.role, "manager"),
				    .special = in->special,
				    .emergency = in->emergency,
				    .filed_at = c->now,
				    .start_at = in->start_at,
				    .end_at = in->end_at,
				    .first_shift_start = ns ? sh[0].start_at : 0,
				    .zone = kf_time_local_zone()};
	for (int i = 0; i < ns && !f.late_shift_start; i++)
		if (is_late_shift(c, db, sh[i].month, sh[i].shift))
			f.late_shift_start = sh[i].start_at;
	struct kf_leave_plan plan;
	if ((rc = kf_leave_judge(&rules, &f, &plan, err)))
		return rc;
	/* One leave at a time: no overlap with a pending or approved one. */
	struct kf_leave_filter lf = {
	    .user_id = uid, .overlap_from = in->start_at, .overlap_to = in->end_at, .limit = 100};
	struct kf_leave_rec *lv;
	int nl;
	if ((rc = kf_store_leave_list(db, &lf, c->arena, &lv, &nl, err)))
		return rc;
	for (int i = 0; i < nl; i++)
		if (strcmp(lv[i].status, "rejected"))
			return kf_err_field(
			    err, KF_ECONFLICT, "start",
			    "leave request %lld (%s) already covers part of this time",
			    (long long)lv[i].id, lv[i].status);
	char levels[32];
	snprintf(levels, sizeof levels, "%s%s%s", kf_leave_level_name(plan.levels[0]),
		 plan.nlevels > 1 ? "," : "",
		 plan.nlevels > 1 ? kf_leave_level_name(plan.levels[1]) : "");
	struct kf_leave_rec l = {.user_id = uid,
				 .filed_by = c->actor.user_id,
				 .type = in->type,
				 .start_at = in->start_at,
				 .end_at = in->end_at,
				 .days = plan.days,
				 .reason = in->reason,
				 .special = in->special,
				 .emergency = in->emergency,
				 .late_notice = plan.late_notice,
				 .status = "pending",
				 .levels = levels,
				 .decisions = "[]",
				 .created_at = c->now};
	const char *roles[] = {kf_leave_level_name(plan.levels[0]), NULL};
	if ((rc = kf_store_leave_insert(db, &l, err)) ||
	    (rc = kf_app_audit(c, db, "leave.request", "leave_request",
			       kf_arena_printf(c->arena, "%lld", (long long)l.id),
			       json_pack("{s:s, s:I, s:s, s:i, s:b, s:s, s:I}", "rule", "W-8",
					 "user_id", (json_int_t)uid, "type", l.type, "days", l.days,
					 "late_notice", l.late_notice, "levels", levels,
					 "notice_minutes", (json_int_t)(plan.notice_ms / 60000)),
			       err)) ||
	    (rc = kf_app_notify(c, db, "leave.requested", NULL, 0, roles,
				json_pack("{s:o, s:o}", "id", kf_app_json_id(l.id), "user_id",
					  kf_app_json_id(uid)),
				err)) ||
	    (rc = kf_db_commit(db, err)))
		return rc;
	*out = leave_json(c, &l, u.name);
	json_object_set_new(*out, "notice_minutes", json_integer(plan.notice_ms / 60000));
	if (plan.late_notice)
		json_object_set_new(*out, "note",
				    json_string("W-8: filed with less notice than required; the "
						"leave is valid only once a manager approves it, "
						"otherwise the shift counts as absenteeism"));
	return 0;
}

/* An approved leave frees its days on the rosters it touches (W-6): each
 * roster's shifts of the person on those days are removed; *freed gets
 * [{month, date, shift}]. */
static int free_roster_days(struct kf_ctx *c, struct kf_db *db, const struct kf_leave_rec *l,
			    json_t *freed, struct kf_err *err)
{
	char seen[16][8];
	int nseen = 0, rc;
	for (int64_t t = l->start_at; t < l->end_at + DAY_MS && nseen < 16; t += DAY_MS) {
		int64_t at = t < l->end_at ? t : l->end_at - 1;
		char date[11], month[8];
		kf_time_format_date(at, date);
		snprintf(month, sizeof month, "%.7s", date);
		bool dup = false;
		for (int i = 0; i < nseen; i++)
			dup = dup || !strcmp(seen[i], month);
		if (dup)
			continue;
		memcpy(seen[nseen++], month, 8);
		struct kf_roster_state st;
		rc = kf_app_roster_load(c, db, month, &st, err);
		if (rc == KF_ENOTFOUND) {
			kf_err_clear(err);
			continue;
		}
		if (rc)
			return rc;
		int a = kf_app_roster_member(&st, l->user_id);
		if (a < 0)
			continue;
		struct kf_roster_cell *cells;
		int nc;
		bool changed = false;
		if ((rc = kf_store_roster_cells(db, st.rec->id, c->arena, &cells, &nc, err)))
			return rc;
		for (int i = 0; i < nc; i++) {
			if (cells[i].user_id != l->user_id)
				continue;
			int d = (cells[i].day[8] - '0') * 10 + (cells[i].day[9] - '0') - 1;
			if (d < 0 || d >= st.nd || !(st.agents[a].leave >> d & 1u))
				continue;
			if ((rc = kf_app_roster_set_cell(c, db, &st, a, d, KF_ROSTER_REST, err)))
				return rc;
			st.cells[a * st.nd + d] = KF_ROSTER_LEAVE;
			changed = true;
			json_array_append_new(freed,
					      json_pack("{s:s, s:s, s:s}", "month", month, "date",
							cells[i].day, "shift", cells[i].shift));
		}
		if (changed && (rc = kf_app_roster_touch(c, db, &st, "leave", err)))
			return rc;
	}
	return 0;
}

/* Appends a decision {level, decision, by, at, comment} to a JSON array text. */
static const char *add_decision(struct kf_ctx *c, const char *decisions, const char *level,
				const char *decision, const char *comment)
{
	json_t *arr = json_loads(decisions, 0, NULL);
	if (!json_is_array(arr)) {
		json_decref(arr);
		arr = json_array();
	}
	json_array_append_new(
	    arr, json_pack("{s:s, s:s, s:o, s:s, s:o, s:o}", "level", level, "decision", decision,
			   "by", kf_app_json_id(c->actor.user_id), "by_name",
			   c->actor.name ? c->actor.name : "", "at", kf_app_json_instant(c->now),
			   "comment", kf_app_json_str(comment)));
	char *s = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	char *r = kf_arena_strdup(c->arena, s);
	free(s);
	return r;
}

static int check_decision(const char *decision, struct kf_err *err)
{
	if (!decision || (strcmp(decision, "approve") && strcmp(decision, "reject")))
		return kf_err_field(err, KF_EINVALID, "decision",
				    "decision must be approve or reject");
	return 0;
}

int kf_app_leave_decide(struct kf_ctx *c, int64_t id, const char *decision, const char *comment,
			json_t **out, struct kf_err *err)
{
	struct kf_leave_rec l;
	struct kf_db *db;
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_LEAVE_DECIDE, err)) ||
	    (rc = check_decision(decision, err)) || (rc = kf_ctx_db(c, &db, err)) ||
	    (rc = kf_db_begin(db, err)) || (rc = kf_store_leave_get(db, id, c->arena, &l, err)))
		return rc;
	if (strcmp(l.status, "pending"))
		return kf_err_set(err, KF_ECONFLICT, "leave request %lld is already %s",
				  (long long)id, l.status);
	const char *level = level_at(c->arena, l.levels, l.step);
	if (!level)
		return kf_err_set(err, KF_EINTERNAL, "leave request %lld has no level",
				  (long long)id);
	if (l.user_id == c->actor.user_id)
		return kf_err_rule(err, KF_EFORBIDDEN, "W-9", "no one decides their own leave");
	if (strcmp(kf_role_name(c->actor.role), level) && !c->actor.is_operator)
		return kf_err_rule(err, KF_EFORBIDDEN, "W-9",
				   "this leave of %d day%s waits for the %s's decision (level by "
				   "level, never skipping)",
				   l.days, l.days == 1 ? "" : "s", level);
	bool approve = !strcmp(decision, "approve");
	l.decisions =
	    add_decision(c, l.decisions, level, approve ? "approved" : "rejected", comment);
	const char *next = NULL;
	if (!approve) {
		l.status = "rejected";
		l.decided_at = c->now;
	} else if ((next = level_at(c->arena, l.levels, l.step + 1))) {
		l.step++;
	} else {
		l.status = "approved";
		l.decided_at = c->now;
	}
	json_t *freed = kf_json_keep(c->arena, json_array());
	int64_t who[] = {l.user_id, l.filed_by};
	const char *roles[] = {next, NULL};
	if ((rc = kf_store_leave_update(db, &l, err)) ||
	    (!strcmp(l.status, "approved") && (rc = free_roster_days(c, db, &l, freed, err))) ||
	    (rc = kf_app_audit(c, db, "leave.decide", "leave_request",
			       kf_arena_printf(c->arena, "%lld", (long long)id),
			       json_pack("{s:s, s:s, s:s, s:s, s:O}", "rule", "W-9", "level", level,
					 "decision", decision, "status", l.status, "freed", freed),
			       err)) ||
	    (rc = kf_app_notify(
		 c, db, "leave.decided", who, 2, next ? roles : NULL,
		 json_pack("{s:o, s:s}", "id", kf_app_json_id(l.id), "status", l.status), err)) ||
	    (rc = kf_db_commit(db, err)))
		return rc;
	*out = leave_json(c, &l, user_name(c, db, l.user_id));
	json_object_set_new(*out, "freed_shifts", json_incref(freed));
	return 0;
}

static int check_status(const char *status, struct kf_err *err)
{
	if (status && strcmp(status, "pending") && strcmp(status, "approved") &&
	    strcmp(status, "rejected"))
		return kf_err_field(err, KF_EINVALID, "status",
				    "status must be pending, approved or rejected");
	return 0;
}

/* scope → mine (0), inbox (1), all (2); inbox and all need perm. */
static int check_scope(struct kf_ctx *c, const char *scope, enum kf_perm perm, int *out,
		       struct kf_err *err)
{
	*out = !scope || !strcmp(scope, "mine") ? 0
	       : !strcmp(scope, "inbox")	? 1
	       : !strcmp(scope, "all")		? 2
						: -1;
	if (*out < 0)
		return kf_err_field(err, KF_EINVALID, "scope", "scope must be mine, inbox or all");
	return *out ? kf_ctx_require(c, perm, err) : 0;
}

int kf_app_leave_list(struct kf_ctx *c, const char *scope, const char *status, int64_t after_id,
		      int limit, json_t **items, bool *more, int64_t *last, struct kf_err *err)
{
	struct kf_db *db;
	int sc, rc, n;
	if ((rc = check_status(status, err)) ||
	    (rc = check_scope(c, scope, KF_PERM_LEAVE_DECIDE, &sc, err)) ||
	    (rc = kf_ctx_db_read(c, &db, err)))
		return rc;
	struct kf_leave_filter f = {.user_id = sc == 0 ? c->actor.user_id : 0,
				    .status = sc == 1 ? "pending" : status,
				    .after_id = after_id,
				    .limit = sc == 1 ? 1000 : limit};
	struct kf_leave_rec *l;
	if ((rc = kf_store_leave_list(db, &f, c->arena, &l, &n, err)))
		return rc;
	*items = json_array();
	*more = false;
	*last = 0;
	for (int i = 0; i < n; i++) {
		if (sc == 1 && (l[i].user_id == c->actor.user_id ||
				strcmp(level_or_empty(c->arena, l[i].levels, l[i].step),
				       kf_role_name(c->actor.role))))
			continue;
		if ((int)json_array_size(*items) == limit) {
			*more = true;
			break;
		}
		json_array_append_new(*items, leave_json(c, &l[i], user_name(c, db, l[i].user_id)));
		*last = l[i].id;
	}
	return 0;
}

/* ---- W-13: swaps ---- */

static json_t *swap_json(struct kf_ctx *c, struct kf_db *db, const struct kf_swap_rec *s)
{
	json_t *dec = json_loads(s->decisions, 0, NULL);
	return json_pack(
	    "{s:o, s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:o, s:s, s:b, s:{s:o, s:o, s:o, s:o}, s:o, "
	    "s:o, s:o, s:I}",
	    "id", kf_app_json_id(s->id), "month", s->month, "date", s->day, "requester_id",
	    kf_app_json_id(s->requester_id), "requester_name",
	    kf_app_json_str(user_name(c, db, s->requester_id)), "with_user_id",
	    kf_app_json_id(s->with_user_id), "with_user_name",
	    kf_app_json_str(user_name(c, db, s->with_user_id)), "shift", s->requester_shift,
	    "with_shift", kf_app_json_str(s->with_shift), "status", s->status, "needs_team_leads",
	    s->needs_leads, "approvals", "counterpart", kf_app_json_str(s->counterpart),
	    "supervisor", kf_app_json_str(s->supervisor), "requester_team_lead",
	    kf_app_json_str(s->lead_a), "with_team_lead", kf_app_json_str(s->lead_b), "decisions",
	    dec ? dec : json_array(), "created_at", kf_app_json_instant(s->created_at),
	    "decided_at", kf_app_json_instant(s->decided_at), "version", (json_int_t)s->version);
}

/* W-13: the limits for one person taking part in a swap on date. */
static int swap_limits(struct kf_ctx *c, struct kf_db *db, const struct kf_swap_rules *r,
		       const struct kf_user *u, const char *date, struct kf_err *err)
{
	struct kf_swap_rec *s;
	int n, rc;
	if ((rc = kf_store_swap_list(db, u->id, NULL, 0, 10000, c->arena, &s, &n, err)))
		return rc;
	int *ymds = kf_arena_alloc(c->arena, sizeof(int) * (size_t)(n ? n : 1)), k = 0;
	for (int i = 0; i < n; i++)
		if (strcmp(s[i].status, "rejected"))
			ymds[k++] = (int)strtol(s[i].day, NULL, 10) * 10000 +
				    (int)strtol(s[i].day + 5, NULL, 10) * 100 +
				    (int)strtol(s[i].day + 8, NULL, 10);
	int ymd = (int)strtol(date, NULL, 10) * 10000 + (int)strtol(date + 5, NULL, 10) * 100 +
		  (int)strtol(date + 8, NULL, 10);
	return kf_swap_check(r, u->name, ymd, ymds, k, err);
}

/* The hard rest and leave violations (W-4, W-6; not coverage) of agents a
 * and b in st; -1 if the roster cannot be checked. */
static int hard_of(const struct kf_roster_state *st, int a, int b)
{
	struct kf_roster_violations v = {0};
	struct kf_err e = {0};
	if (kf_roster_check(st->p, st->cells, &v, &e))
		return -1;
	int n = 0;
	for (int i = 0; i < v.n; i++)
		n += v.v[i].hard && v.v[i].kind != KF_RV_COVERAGE &&
		     (v.v[i].agent == a || v.v[i].agent == b);
	kf_roster_violations_free(&v);
	return n;
}

/* W-4: a swap may not break a hard rest rule for either person (the
 * checker's, as for hand edits); tried on the matrix and undone. */
static int swap_keeps_rest_rules(const struct kf_roster_state *st, int a, int b, int d,
				 struct kf_err *err)
{
	int8_t *ca = &st->cells[a * st->nd + d], *cb = &st->cells[b * st->nd + d];
	int before = hard_of(st, a, b);
	int8_t x = *ca;
	*ca = *cb;
	*cb = x;
	int after = hard_of(st, a, b);
	*cb = *ca;
	*ca = x;
	if (after > before && before >= 0)
		return kf_err_rule(err, KF_ERULE, "W-4",
				   "the swap would break a rest rule (at most %d working days in a "
				   "row, at least %d rest days a month) for %s or %s",
				   st->p->rules.max_consecutive_work_days,
				   st->p->rules.min_rest_days, st->users[a].name,
				   st->users[b].name);
	return 0;
}

int kf_app_swap_request(struct kf_ctx *c, int64_t with_user_id, const char *date, const char *shift,
			json_t **out, struct kf_err *err)
{
	const struct kf_policy *pol;
	struct kf_roster_state st;
	struct kf_user me, other;
	struct kf_db *db;
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_WORKFORCE_REQUEST, err)) ||
	    (rc = kf_ctx_policy(c, &pol, err)))
		return rc;
	if (with_user_id == c->actor.user_id)
		return kf_err_field(err, KF_EINVALID, "with_user_id", "a swap needs someone else");
	char month[8];
	snprintf(month, sizeof month, "%.7s", date);
	if ((rc = kf_ctx_db(c, &db, err)) || (rc = kf_db_begin(db, err)) ||
	    (rc = kf_store_user_get(db, c->actor.user_id, c->arena, &me, err)))
		return rc;
	rc = kf_store_user_get(db, with_user_id, c->arena, &other, err);
	if (rc == KF_ENOTFOUND || (!rc && !other.active))
		return kf_err_field(err, KF_EINVALID, "with_user_id",
				    "user %lld does not exist or is inactive",
				    (long long)with_user_id);
	if (rc)
		return rc;
	rc = kf_app_roster_load(c, db, month, &st, err);
	if (rc == KF_ENOTFOUND || (!rc && strcmp(st.rec->status, "published")))
		return kf_err_rule(err, KF_ECONFLICT, "W-2",
				   "the roster of %s is not published: swaps change a published "
				   "roster",
				   month);
	if (rc)
		return rc;
	int a = kf_app_roster_member(&st, me.id), b = kf_app_roster_member(&st, other.id);
	int d = (date[8] - '0') * 10 + (date[9] - '0') - 1;
	if (a < 0)
		return kf_err_field(err, KF_EINVALID, "date", "you are not on the roster of %s",
				    month);
	if (b < 0)
		return kf_err_field(err, KF_EINVALID, "with_user_id",
				    "%s is not on the roster of %s", other.name, month);
	int8_t ca = st.cells[a * st.nd + d], cb = st.cells[b * st.nd + d];
	if (ca < 0 || strcmp(st.p->shifts[ca].name, shift))
		return kf_err_field(err, KF_EINVALID, "shift", "you are not on the %s shift on %s",
				    shift, date);
	if (cb == KF_ROSTER_LEAVE)
		return kf_err_field(err, KF_EINVALID, "with_user_id", "%s is on leave on %s",
				    other.name, date);
	if (cb == ca)
		return kf_err_field(err, KF_EINVALID, "with_user_id",
				    "%s is on the same shift on %s", other.name, date);
	if (st.day_start[d] + st.p->shifts[ca].start_min * 60000LL <= c->now)
		return kf_err_field(err, KF_EINVALID, "date", "the shift on %s has begun", date);
	struct kf_swap_rules rules;
	kf_swap_rules_from_policy(pol, &rules);
	if ((rc = swap_limits(c, db, &rules, &me, date, err)) ||
	    (rc = swap_limits(c, db, &rules, &other, date, err)) ||
	    (rc = swap_keeps_rest_rules(&st, a, b, d, err)))
		return rc;
	struct kf_swap_rec s = {.month = month,
				.day = date,
				.requester_id = me.id,
				.with_user_id = other.id,
				.requester_shift = st.p->shifts[ca].name,
				.with_shift = cb >= 0 ? st.p->shifts[cb].name : NULL,
				.status = "pending",
				.needs_leads =
				    me.team_id && other.team_id && me.team_id != other.team_id,
				.decisions = "[]",
				.created_at = c->now};
	int64_t who[] = {other.id};
	static const char *const deciders[] = {"supervisor", "team_lead", NULL};
	if ((rc = kf_store_swap_insert(db, &s, err)) ||
	    (rc = kf_app_audit(c, db, "swap.request", "swap_request",
			       kf_arena_printf(c->arena, "%lld", (long long)s.id),
			       json_pack("{s:s, s:s, s:I, s:s}", "rule", "W-13", "date", date,
					 "with_user_id", (json_int_t)other.id, "shift", shift),
			       err)) ||
	    (rc = kf_app_notify(c, db, "swap.requested", who, 1, deciders,
				json_pack("{s:o, s:s}", "id", kf_app_json_id(s.id), "date", date),
				err)) ||
	    (rc = kf_db_commit(db, err)))
		return rc;
	*out = swap_json(c, db, &s);
	return 0;
}

/* Which decision of s the caller gives: a pointer to the field, and its
 * name; NULL when the caller gives none still awaited. */
static const char **capacity(struct kf_ctx *c, struct kf_swap_rec *s, int64_t team_a,
			     int64_t team_b, const char **what)
{
	if (c->actor.user_id == s->with_user_id && !s->counterpart) {
		*what = "counterpart";
		return &s->counterpart;
	}
	bool sup = c->actor.role == KF_ROLE_SUPERVISOR || c->actor.role == KF_ROLE_MANAGER;
	if (sup && !s->supervisor && c->actor.user_id != s->requester_id &&
	    c->actor.user_id != s->with_user_id) {
		*what = "supervisor";
		return &s->supervisor;
	}
	bool lead = c->actor.role == KF_ROLE_TEAM_LEAD && s->needs_leads;
	if (lead && c->actor.team_id == team_a && !s->lead_a) {
		*what = "requester_team_lead";
		return &s->lead_a;
	}
	if (lead && c->actor.team_id == team_b && !s->lead_b) {
		*what = "with_team_lead";
		return &s->lead_b;
	}
	return NULL;
}

/* An approved swap exchanges the two cells on the published roster. */
static int apply_swap(struct kf_ctx *c, struct kf_db *db, const struct kf_swap_rec *s,
		      struct kf_err *err)
{
	struct kf_roster_state st;
	int rc = kf_app_roster_load(c, db, s->month, &st, err);
	if (rc)
		return rc;
	int a = kf_app_roster_member(&st, s->requester_id);
	int b = kf_app_roster_member(&st, s->with_user_id);
	int d = (s->day[8] - '0') * 10 + (s->day[9] - '0') - 1;
	int8_t ca = a >= 0 ? st.cells[a * st.nd + d] : KF_ROSTER_LEAVE;
	int8_t cb = b >= 0 ? st.cells[b * st.nd + d] : KF_ROSTER_LEAVE;
	bool a_ok = ca >= 0 && !strcmp(st.p->shifts[ca].name, s->requester_shift);
	bool b_ok = s->with_shift ? cb >= 0 && !strcmp(st.p->shifts[cb].name, s->with_shift)
				  : cb == KF_ROSTER_REST;
	if (!a_ok || !b_ok)
		return kf_err_set(err, KF_ECONFLICT,
				  "the roster of %s changed on %s since the swap was requested",
				  s->month, s->day);
	if ((rc = swap_keeps_rest_rules(&st, a, b, d, err)))
		return rc;
	if ((rc = kf_app_roster_set_cell(c, db, &st, a, d, cb, err)) ||
	    (rc = kf_app_roster_set_cell(c, db, &st, b, d, ca, err)))
		return rc;
	return kf_app_roster_touch(c, db, &st, "swap", err);
}

int kf_app_swap_decide(struct kf_ctx *c, int64_t id, const char *decision, const char *comment,
		       json_t **out, struct kf_err *err)
{
	struct kf_swap_rec s;
	struct kf_user ua, ub;
	struct kf_db *db;
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_WORKFORCE_REQUEST, err)) ||
	    (rc = check_decision(decision, err)) || (rc = kf_ctx_db(c, &db, err)) ||
	    (rc = kf_db_begin(db, err)) || (rc = kf_store_swap_get(db, id, c->arena, &s, err)) ||
	    (rc = kf_store_user_get(db, s.requester_id, c->arena, &ua, err)) ||
	    (rc = kf_store_user_get(db, s.with_user_id, c->arena, &ub, err)))
		return rc;
	if (strcmp(s.status, "pending"))
		return kf_err_set(err, KF_ECONFLICT, "swap request %lld is already %s",
				  (long long)id, s.status);
	const char *what = NULL;
	const char **slot = capacity(c, &s, ua.team_id, ub.team_id, &what);
	if (!slot)
		return kf_err_rule(
		    err, KF_EFORBIDDEN, "W-13",
		    "a swap is agreed by the other person and approved by a "
		    "supervisor (and both team leads when the teams differ); none of "
		    "these decisions is yours to give or still awaited");
	bool approve = !strcmp(decision, "approve");
	*slot = approve ? "approved" : "rejected";
	s.decisions = add_decision(c, s.decisions, what, *slot, comment);
	bool all = s.counterpart && s.supervisor && (!s.needs_leads || (s.lead_a && s.lead_b));
	if (!approve) {
		s.status = "rejected";
		s.decided_at = c->now;
	} else if (all) {
		s.status = "approved";
		s.decided_at = c->now;
	}
	int64_t who[] = {s.requester_id, s.with_user_id};
	if ((rc = kf_store_swap_update(db, &s, err)) ||
	    (!strcmp(s.status, "approved") && (rc = apply_swap(c, db, &s, err))) ||
	    (rc = kf_app_audit(c, db, "swap.decide", "swap_request",
			       kf_arena_printf(c->arena, "%lld", (long long)id),
			       json_pack("{s:s, s:s, s:s, s:s}", "rule", "W-13", "as", what,
					 "decision", decision, "status", s.status),
			       err)) ||
	    (rc = kf_app_notify(
		 c, db, "swap.decided", who, 2, NULL,
		 json_pack("{s:o, s:s}", "id", kf_app_json_id(s.id), "status", s.status), err)) ||
	    (rc = kf_db_commit(db, err)))
		return rc;
	*out = swap_json(c, db, &s);
	return 0;
}

int kf_app_swap_list(struct kf_ctx *c, const char *scope, const char *status, int64_t after_id,
		     int limit, json_t **items, bool *more, int64_t *last, struct kf_err *err)
{
	struct kf_db *db;
	struct kf_swap_rec *s;
	int sc, rc, n;
	if ((rc = check_status(status, err)) ||
	    (rc = check_scope(c, scope, KF_PERM_WORKFORCE_REQUEST, &sc, err)) ||
	    (sc == 2 && (rc = kf_ctx_require(c, KF_PERM_ROSTER_WRITE, err))) ||
	    (rc = kf_ctx_db_read(c, &db, err)) ||
	    (rc = kf_store_swap_list(db, sc == 0 ? c->actor.user_id : 0,
				     sc == 1 ? "pending" : status, after_id, sc == 1 ? 1000 : limit,
				     c->arena, &s, &n, err)))
		return rc;
	*items = json_array();
	*more = false;
	*last = 0;
	for (int i = 0; i < n; i++) {
		if (sc == 1) {
			struct kf_user ua, ub;
			const char *what;
			if ((rc = kf_store_user_get(db, s[i].requester_id, c->arena, &ua, err)) ||
			    (rc = kf_store_user_get(db, s[i].with_user_id, c->arena, &ub, err))) {
				json_decref(*items);
				return rc;
			}
			if (!capacity(c, &s[i], ua.team_id, ub.team_id, &what))
				continue;
		}
		if ((int)json_array_size(*items) == limit) {
			*more = true;
			break;
		}
		json_array_append_new(*items, swap_json(c, db, &s[i]));
		*last = s[i].id;
	}
	return 0;
}
