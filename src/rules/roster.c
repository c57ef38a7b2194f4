/* The monthly roster (SPEC W-1 … W-6): problem from the policy, validation,
 * the generator (greedy start and simulated annealing) and the checker. The
 * model, the objective and the moves are described in roster.h and
 * docs/workforce.md. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules/calendar.h"
#include "rules/roster.h"
#include "util/xmalloc.h"

static const char *const wd_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

/* ---- Calendar ---------------------------------------------------------- */

/* Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
static long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int kf_roster_days_in_month(int year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (month < 1 || month > 12)
		return 0;
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	return days[month - 1] + (month == 2 && leap);
}

int kf_roster_weekday(int year, int month, int day)
{
	long n = days_from_civil(year, month, day + 1);
	return (int)(((n % 7) + 7 + 3) % 7); /* 1970-01-01 was a Thursday */
}

/* ---- PRNG (xorshift64*, seeded through splitmix64) ---------------------- */

struct rng {
	uint64_t s;
};

static void rng_seed(struct rng *r, uint64_t seed)
{
	uint64_t z = seed + 0x9E3779B97F4A7C15ULL;
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	z ^= z >> 31;
	r->s = z ? z : 0x2545F4914F6CDD1DULL;
}

static uint64_t rng_next(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545F4914F6CDD1DULL;
}

/* Uniform in [0, n), n > 0. */
static int rng_below(struct rng *r, int n)
{
	return (int)((rng_next(r) >> 11) % (uint64_t)n);
}

/* Uniform in [0, 1). */
static double rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* ---- Problem ------------------------------------------------------------ */

struct kf_roster_weights kf_roster_default_weights(void)
{
	struct kf_roster_weights w = {
	    .shortfall = 10000,
	    .overstaff = 1,
	    .work_days = 1000,
	    .fairness = 3,
	    .wish_off = 200,
	    .preferred = 20,
	    .quick_return = 50,
	};
	return w;
}

/* Minimum agents of a coverage value: a non-negative integer up to 1000. */
static int need_value(const json_t *v, const char *section, const char *key, struct kf_err *err)
{
	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 1000)
		return kf_err_field(err, KF_EINVALID,
				    section ? "coverage.by_shift" : "coverage.min_agents_per_shift",
				    "%s%s%s must be a whole number from 0 to 1000",
				    section ? section : "", section ? "." : "", key);
	return (int)json_integer_value(v);
}

static bool valid_date(const char *s)
{
	int y, m, d;
	char tail;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
		return false;
	return y >= 1970 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
	       d <= kf_roster_days_in_month(y, m);
}

int kf_roster_problem_set_shifts(struct kf_roster_problem *p, const json_t *templates,
				 const json_t *coverage, struct kf_err *err)
{
	char f[96];
	const char *name;
	json_t *t;
	if (!p->year || !p->month)
		return kf_err_field(err, KF_EINVALID, "month", "set the month first");
	int nd = kf_roster_days_in_month(p->year, p->month);
	if (!json_is_object(templates) || json_object_size(templates) == 0)
		return kf_err_field(err, KF_EINVALID, "templates", "must name 1 to %d shifts",
				    KF_ROSTER_MAX_SHIFTS);
	p->nshifts = 0;
	json_object_foreach((json_t *)templates, name, t)
	{
		if (p->nshifts == KF_ROSTER_MAX_SHIFTS)
			return kf_err_field(err, KF_EINVALID, "templates", "more than %d shifts",
					    KF_ROSTER_MAX_SHIFTS);
		size_t len = strlen(name);
		bool ok = len >= 1 && len <= 32;
		for (size_t i = 0; ok && i < len; i++)
			ok = (name[i] >= 'a' && name[i] <= 'z') ||
			     (name[i] >= '0' && name[i] <= '9') || name[i] == '_';
		if (!ok)
			return kf_err_field(err, KF_EINVALID, "templates",
					    "a shift name must be 1 to 32 of a-z, 0-9 and _");
		const json_t *late = json_object_get(t, "is_late_shift");
		int start = kf_calendar_minutes(json_string_value(json_object_get(t, "start")));
		int end = kf_calendar_minutes(json_string_value(json_object_get(t, "end")));
		if (!json_is_object(t) || json_object_size(t) != 3U || !json_is_boolean(late)) {
			snprintf(f, sizeof(f), "templates.%s", name);
			return kf_err_field(err, KF_EINVALID, f,
					    "must be {start, end, is_late_shift} and nothing else");
		}
		if (start < 0 || start > 1439) {
			snprintf(f, sizeof(f), "templates.%s.start", name);
			return kf_err_field(err, KF_EINVALID, f, "must be a time 00:00 to 23:59");
		}
		if (end < 0 || end == start) {
			snprintf(f, sizeof(f), "templates.%s.end", name);
			return kf_err_field(err, KF_EINVALID, f,
					    "must be a time 00:00 to 24:00 other than the start");
		}
		struct kf_roster_shift *s = &p->shifts[p->nshifts++];
		snprintf(s->name, sizeof(s->name), "%s", name);
		s->start_min = start;
		s->end_min = end;
		s->is_late = json_is_true(late);
	}

	/* W-3: the largest of the minimums that apply. */
	if (!json_is_object(coverage))
		return kf_err_field(err, KF_EINVALID, "coverage", "must be an object");
	const json_t *v;
	json_object_foreach((json_t *)coverage, name, t)
	{
		if (strcmp(name, "min_agents_per_shift") && strcmp(name, "by_shift") &&
		    strcmp(name, "by_weekday") && strcmp(name, "by_date") &&
		    strcmp(name, "erlang_c"))
			return kf_err_field(err, KF_EINVALID, "coverage", "unknown member %s",
					    name);
	}
	int base = 0;
	if ((v = json_object_get(coverage, "min_agents_per_shift")) &&
	    (base = need_value(v, NULL, "min_agents_per_shift", err)) < 0)
		return base;
	static const char *const sections[] = {"by_shift", "by_weekday", "by_date"};
	for (int i = 0; i < 3; i++) {
		const json_t *sec = json_object_get(coverage, sections[i]);
		if (!sec)
			continue;
		snprintf(f, sizeof(f), "coverage.%s", sections[i]);
		if (!json_is_object(sec))
			return kf_err_field(err, KF_EINVALID, f, "must be an object");
		json_object_foreach((json_t *)sec, name, t)
		{
			bool known = false;
			for (int s = 0; i == 0 && s < p->nshifts; s++)
				known = known || !strcmp(p->shifts[s].name, name);
			if (i == 1)
				known = kf_calendar_weekday(name) >= 0;
			if (i == 2)
				known = valid_date(name);
			if (!known)
				return kf_err_field(err, KF_EINVALID, f, "%s is not %s", name,
						    i == 0   ? "a shift of the templates"
						    : i == 1 ? "a weekday (mon … sun)"
							     : "a date YYYY-MM-DD");
			int rc = need_value(t, f, name, err);
			if (rc < 0) {
				snprintf(err->field, sizeof(err->field), "%s", f);
				return rc;
			}
		}
	}
	const json_t *by_shift = json_object_get(coverage, "by_shift");
	const json_t *by_weekday = json_object_get(coverage, "by_weekday");
	const json_t *by_date = json_object_get(coverage, "by_date");
	for (int d = 0; d < nd; d++) {
		char date[48];
		snprintf(date, sizeof(date), "%04d-%02d-%02d", p->year, p->month, d + 1);
		const json_t *wv =
		    json_object_get(by_weekday, wd_names[kf_roster_weekday(p->year, p->month, d)]);
		const json_t *dv = json_object_get(by_date, date);
		for (int s = 0; s < p->nshifts; s++) {
			int n = base;
			const json_t *sv = json_object_get(by_shift, p->shifts[s].name);
			if (sv && json_integer_value(sv) > n)
				n = (int)json_integer_value(sv);
			if (wv && json_integer_value(wv) > n)
				n = (int)json_integer_value(wv);
			if (dv && json_integer_value(dv) > n)
				n = (int)json_integer_value(dv);
			p->need[d][s] = n;
		}
	}
	return 0;
}

int kf_roster_problem_from_policy(const struct kf_policy *pol, int year, int month,
				  struct kf_roster_problem *p, struct kf_err *err)
{
	memset(p, 0, sizeof(*p));
	if (year < 1970 || year > 9999)
		return kf_err_field(err, KF_EINVALID, "year", "must be between 1970 and 9999");
	if (month < 1 || month > 12)
		return kf_err_field(err, KF_EINVALID, "month", "must be between 1 and 12");
	p->year = year;
	p->month = month;
	/* W-1, W-3: the templates in force (the preset applied by the policy)
	 * and the coverage, both validated with the policy. */
	int rc = kf_roster_problem_set_shifts(p, kf_policy_get(pol, "workforce.shifts.templates"),
					      kf_policy_get(pol, "workforce.coverage"), err);
	if (rc)
		return rc;

	/* W-4 */
	p->rules.max_consecutive_work_days =
	    (int)kf_policy_int(pol, "workforce.rest.max_consecutive_work_days");
	p->rules.min_rest_days = (int)kf_policy_int(pol, "workforce.rest.min_rest_days_per_month");
	p->rules.hard_min_rest_minutes =
	    60 * (int)kf_policy_int(pol, "workforce.rest.min_rest_between_shifts_hours");
	p->rules.soft_min_rest_minutes =
	    60 * (int)kf_policy_int(pol, "workforce.rest.preferred_rest_between_shifts_hours");

	/* W-5: the policy's holiday calendar. */
	int nd = kf_roster_days_in_month(year, month);
	const json_t *annual = kf_policy_get(pol, "customers.care.annual_holidays");
	const json_t *dated = kf_policy_get(pol, "customers.care.dated_holidays");
	for (int d = 0; d < nd; d++) {
		char md[32], ymd[48];
		snprintf(md, sizeof(md), "%02d-%02d", month, d + 1);
		snprintf(ymd, sizeof(ymd), "%04d-%02d-%02d", year, month, d + 1);
		if (json_object_get(annual, md) || json_object_get(dated, ymd))
			p->holidays |= 1u << d;
	}
	p->weights = kf_roster_default_weights();
	return 0;
}

static bool weight_ok(double w)
{
	return isfinite(w) && w >= 0 && w <= 1e9;
}

/* The days the roster covers: the month, or the first ext->ndays of it. */
static int horizon_days(const struct kf_roster_problem *p)
{
	int nd = kf_roster_days_in_month(p->year, p->month);
	if (p->ext && p->ext->ndays > 0 && p->ext->ndays < nd)
		return p->ext->ndays;
	return nd;
}

static int check_ext(const struct kf_roster_problem *p, int nd, struct kf_err *err)
{
	const struct kf_roster_ext *x = p->ext;
	char f[96];
	int md = kf_roster_days_in_month(p->year, p->month);
	if (x->ndays < 0 || x->ndays > md)
		return kf_err_field(err, KF_EINVALID, "ext.ndays", "must be between 0 and %d", md);
	unsigned shifts = (1u << p->nshifts) - 1;
	for (int s = 0; s < KF_ROSTER_MAX_SHIFTS; s++)
		if (x->cannot_follow[s] & (s < p->nshifts ? ~shifts : 0xffffu)) {
			snprintf(f, sizeof(f), "ext.cannot_follow[%d]", s);
			return kf_err_field(err, KF_EINVALID, f,
					    "names a shift that does not exist");
		}
	if (!(isfinite(x->hard_weight) && x->hard_weight > 0 && x->hard_weight <= 1e9))
		return kf_err_field(err, KF_EINVALID, "ext.hard_weight",
				    "must be above 0 and at most 1e9");
	for (int d = 0; d < nd; d++)
		for (int s = 0; s < p->nshifts; s++)
			if (x->under_weight[d][s] < 0 || x->under_weight[d][s] > 1000000 ||
			    x->over_weight[d][s] < 0 || x->over_weight[d][s] > 1000000) {
				snprintf(f, sizeof(f), "ext.%s_weight[%d][%d]",
					 x->under_weight[d][s] < 0 ||
						 x->under_weight[d][s] > 1000000
					     ? "under"
					     : "over",
					 d, s);
				return kf_err_field(err, KF_EINVALID, f,
						    "must be between 0 and 1000000");
			}
	for (int a = 0; x->agent_rules && a < p->nagents; a++) {
		const struct kf_roster_agent_rules *r = &x->agent_rules[a];
		const char *bad = NULL;
		for (int s = 0; s < p->nshifts && !bad; s++)
			if (r->max_shifts[s] < -1 || r->max_shifts[s] > nd)
				bad = "max_shifts";
		if (bad)
			;
		else if (r->min_minutes < 0 || r->min_minutes > nd * 1440)
			bad = "min_minutes";
		else if (r->max_minutes < -1 || r->max_minutes > nd * 1440)
			bad = "max_minutes";
		else if (r->max_consecutive < -1 || r->max_consecutive > nd)
			bad = "max_consecutive";
		else if (r->min_consecutive < 0 || r->min_consecutive > nd)
			bad = "min_consecutive";
		else if (r->min_days_off < 0 || r->min_days_off > nd)
			bad = "min_days_off";
		else if (r->max_weekends < -1 || r->max_weekends > nd)
			bad = "max_weekends";
		if (bad) {
			snprintf(f, sizeof(f), "ext.agent_rules[%d].%s", a, bad);
			return kf_err_field(err, KF_EINVALID, f,
					    "out of range for a %d-day horizon", nd);
		}
	}
	if (x->nrequests < 0 || (x->nrequests && !x->requests))
		return kf_err_field(err, KF_EINVALID, "ext.requests", "missing");
	for (int i = 0; i < x->nrequests; i++) {
		const struct kf_roster_request *q = &x->requests[i];
		const char *bad = q->agent < 0 || q->agent >= p->nagents   ? "agent"
				  : q->day < 0 || q->day >= nd		   ? "day"
				  : q->shift < 0 || q->shift >= p->nshifts ? "shift"
				  : q->weight < 0 || q->weight > 1000000   ? "weight"
									   : NULL;
		if (bad) {
			snprintf(f, sizeof(f), "ext.requests[%d].%s", i, bad);
			return kf_err_field(err, KF_EINVALID, f, "out of range");
		}
	}
	return 0;
}

static int cmp_str_ptr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int kf_roster_check_problem(const struct kf_roster_problem *p, struct kf_err *err)
{
	char f[96];
	if (p->year < 1970 || p->year > 9999)
		return kf_err_field(err, KF_EINVALID, "year", "must be between 1970 and 9999");
	if (p->month < 1 || p->month > 12)
		return kf_err_field(err, KF_EINVALID, "month", "must be between 1 and 12");
	if (p->nshifts < 1 || p->nshifts > KF_ROSTER_MAX_SHIFTS)
		return kf_err_field(err, KF_EINVALID, "shifts", "must have 1 to %d shifts",
				    KF_ROSTER_MAX_SHIFTS);
	int nd = horizon_days(p);
	if (p->ext) {
		int rc = check_ext(p, nd, err);
		if (rc)
			return rc;
	}
	uint32_t days = nd == 32 ? 0xffffffffu : ((1u << nd) - 1);
	if (p->holidays & ~days)
		return kf_err_field(err, KF_EINVALID, "holidays",
				    "names a day after the month's %d", nd);
	for (int s = 0; s < p->nshifts; s++) {
		const struct kf_roster_shift *sh = &p->shifts[s];
		if (!sh->name[0] || !memchr(sh->name, 0, sizeof(sh->name))) {
			snprintf(f, sizeof(f), "shifts[%d].name", s);
			return kf_err_field(err, KF_EINVALID, f, "must be 1 to 32 characters");
		}
		if (sh->start_min < 0 || sh->start_min > 1439) {
			snprintf(f, sizeof(f), "shifts[%d].start", s);
			return kf_err_field(err, KF_EINVALID, f, "must be 00:00 to 23:59");
		}
		if (sh->end_min < 0 || sh->end_min > 1440 || sh->end_min == sh->start_min) {
			snprintf(f, sizeof(f), "shifts[%d].end", s);
			return kf_err_field(err, KF_EINVALID, f,
					    "must be 00:00 to 24:00 and differ from the start");
		}
		for (int t = 0; t < s; t++)
			if (!strcmp(p->shifts[t].name, sh->name)) {
				snprintf(f, sizeof(f), "shifts[%d].name", s);
				return kf_err_field(err, KF_EINVALID, f,
						    "\"%s\" is already the name of shifts[%d]",
						    sh->name, t);
			}
	}
	for (int d = 0; d < nd; d++)
		for (int s = 0; s < p->nshifts; s++)
			if (p->need[d][s] < 0 || p->need[d][s] > 100000) {
				snprintf(f, sizeof(f), "need[%d][%d]", d, s);
				return kf_err_field(err, KF_EINVALID, f,
						    "must be between 0 and 100000 agents");
			}
	const struct kf_roster_rules *r = &p->rules;
	if (r->max_consecutive_work_days < 1 || r->max_consecutive_work_days > 31)
		return kf_err_field(err, KF_EINVALID, "rules.max_consecutive_work_days",
				    "must be between 1 and 31");
	if (r->min_rest_days < 0 || r->min_rest_days > 31)
		return kf_err_field(err, KF_EINVALID, "rules.min_rest_days",
				    "must be between 0 and 31");
	if (r->hard_min_rest_minutes < 0 || r->hard_min_rest_minutes > 1440)
		return kf_err_field(err, KF_EINVALID, "rules.hard_min_rest_minutes",
				    "must be between 0 and 1440");
	if (r->soft_min_rest_minutes < 0 || r->soft_min_rest_minutes > 1440)
		return kf_err_field(err, KF_EINVALID, "rules.soft_min_rest_minutes",
				    "must be between 0 and 1440");
	const struct kf_roster_weights *w = &p->weights;
	const double ws[] = {w->shortfall, w->overstaff, w->work_days,	 w->fairness,
			     w->wish_off,  w->preferred, w->quick_return};
	static const char *const wn[] = {"shortfall", "overstaff", "work_days",	  "fairness",
					 "wish_off",  "preferred", "quick_return"};
	for (size_t i = 0; i < sizeof(ws) / sizeof(ws[0]); i++)
		if (!weight_ok(ws[i])) {
			snprintf(f, sizeof(f), "weights.%s", wn[i]);
			return kf_err_field(err, KF_EINVALID, f, "must be between 0 and 1e9");
		}
	if (p->nagents < 0 || p->nagents > KF_ROSTER_MAX_AGENTS)
		return kf_err_field(err, KF_EINVALID, "agents", "must have 0 to %d agents",
				    KF_ROSTER_MAX_AGENTS);
	if (p->nagents && !p->agents)
		return kf_err_field(err, KF_EINVALID, "agents", "missing");
	for (int a = 0; a < p->nagents; a++) {
		const struct kf_roster_agent *ag = &p->agents[a];
		if (!ag->id[0] || !memchr(ag->id, 0, sizeof(ag->id))) {
			snprintf(f, sizeof(f), "agents[%d].id", a);
			return kf_err_field(err, KF_EINVALID, f, "must be 1 to 63 characters");
		}
		if (ag->leave & ~days) {
			snprintf(f, sizeof(f), "agents[%d].leave", a);
			return kf_err_field(err, KF_EINVALID, f, "names a day after the month's %d",
					    nd);
		}
		if (ag->wish_off & ~days) {
			snprintf(f, sizeof(f), "agents[%d].wish_off", a);
			return kf_err_field(err, KF_EINVALID, f, "names a day after the month's %d",
					    nd);
		}
		if (ag->preferred_shift < -1 || ag->preferred_shift >= p->nshifts) {
			snprintf(f, sizeof(f), "agents[%d].preferred_shift", a);
			return kf_err_field(err, KF_EINVALID, f, "must be -1 or a shift index");
		}
		if (ag->target_work_days < -1 || ag->target_work_days > nd) {
			snprintf(f, sizeof(f), "agents[%d].target_work_days", a);
			return kf_err_field(err, KF_EINVALID, f, "must be -1 or 0 to %d", nd);
		}
		if (ag->worked_days_before < 0 ||
		    ag->worked_days_before > r->max_consecutive_work_days) {
			snprintf(f, sizeof(f), "agents[%d].worked_days_before", a);
			return kf_err_field(err, KF_EINVALID, f,
					    "must be between 0 and the %d days W-4 allows",
					    r->max_consecutive_work_days);
		}
		if (ag->prev_shift_end_min < -1 || ag->prev_shift_end_min > 2880) {
			snprintf(f, sizeof(f), "agents[%d].prev_shift_end_min", a);
			return kf_err_field(err, KF_EINVALID, f, "must be -1 or 0 to 2880");
		}
	}
	if (p->nagents > 1) {
		const char **ids = kf_xmalloc(sizeof(*ids) * (size_t)p->nagents);
		for (int a = 0; a < p->nagents; a++)
			ids[a] = p->agents[a].id;
		qsort(ids, (size_t)p->nagents, sizeof(*ids), cmp_str_ptr);
		for (int a = 1; a < p->nagents; a++)
			if (!strcmp(ids[a - 1], ids[a])) {
				int rc = kf_err_field(err, KF_EINVALID, "agents",
						      "agent \"%s\" is listed twice", ids[a]);
				free(ids);
				return rc;
			}
		free(ids);
	}
	return 0;
}

/* ---- Evaluation --------------------------------------------------------- */

/* Derived, read-only facts about a validated problem. */
struct model {
	const struct kf_roster_problem *p;
	int nd, ns, na;
	uint32_t weekend;		   /* bit d: Saturday or Sunday */
	int end_abs[KF_ROSTER_MAX_SHIFTS]; /* end minutes, past 1440 for night shifts */
	int *avail;			   /* non-leave days per agent */
	int *rest_req;			   /* W-4 rest days required (capped by avail) */
	int *target;			   /* effective days to work */
	double *fair_scale;		   /* fairness weight × D / target, 0 if target 0 */
	/* ext */
	const struct kf_roster_ext *x; /* NULL: none */
	int len[KF_ROSTER_MAX_SHIFTS]; /* shift lengths in minutes */
	int len_max;
	int8_t weekend_id[KF_ROSTER_MAX_DAYS]; /* the weekend a day belongs to, -1 */
	int nweekends;
	double *req; /* [(a * nd + d) * (ns + 1) + c + 1]: the requests' cost of cell c */
};

static void model_init(struct model *m, const struct kf_roster_problem *p)
{
	memset(m, 0, sizeof(*m));
	m->p = p;
	m->nd = horizon_days(p);
	m->ns = p->nshifts;
	m->na = p->nagents;
	m->x = p->ext;
	int first_wd = kf_roster_weekday(p->year, p->month, 0);
	for (int d = 0; d < m->nd; d++) {
		m->weekend_id[d] = -1;
		if (kf_roster_weekday(p->year, p->month, d) >= 5) {
			m->weekend |= 1u << d;
			m->weekend_id[d] = (int8_t)((d + first_wd) / 7);
			m->nweekends = m->weekend_id[d] + 1;
		}
	}
	for (int s = 0; s < m->ns; s++) {
		const struct kf_roster_shift *sh = &p->shifts[s];
		m->end_abs[s] = sh->end_min <= sh->start_min ? sh->end_min + 1440 : sh->end_min;
		m->len[s] = m->end_abs[s] - sh->start_min;
		if (m->len[s] > m->len_max)
			m->len_max = m->len[s];
	}
	if (m->x && m->x->nrequests && m->na) {
		int w = m->ns + 1;
		m->req = kf_xcalloc((size_t)m->na * (size_t)m->nd * (size_t)w, sizeof(double));
		for (int i = 0; i < m->x->nrequests; i++) {
			const struct kf_roster_request *q = &m->x->requests[i];
			double *c = m->req +
				    ((size_t)q->agent * (size_t)m->nd + (size_t)q->day) * (size_t)w;
			for (int k = 0; k < w; k++)
				if ((k == q->shift + 1) != q->on)
					c[k] += q->weight;
		}
	}
	size_t n = m->na ? (size_t)m->na : 1;
	m->avail = kf_xcalloc(n, sizeof(int));
	m->rest_req = kf_xcalloc(n, sizeof(int));
	m->target = kf_xcalloc(n, sizeof(int));
	m->fair_scale = kf_xcalloc(n, sizeof(double));
	for (int a = 0; a < m->na; a++) {
		const struct kf_roster_agent *ag = &p->agents[a];
		int avail = m->nd - __builtin_popcount(ag->leave);
		int req = p->rules.min_rest_days < avail ? p->rules.min_rest_days : avail;
		int cap = avail - req;
		/* The default: one rest day per started period of max + 1 days (做六休一),
		 * at least the W-4 minimum, the agent's leave counted as days off. */
		int period = p->rules.max_consecutive_work_days + 1;
		int weekly = (m->nd + period - 1) / period;
		int dflt =
		    m->nd - (weekly > p->rules.min_rest_days ? weekly : p->rules.min_rest_days);
		int want = ag->target_work_days >= 0 ? ag->target_work_days : dflt;
		int target = want < cap ? want : cap;
		if (target < 0)
			target = 0;
		m->avail[a] = avail;
		m->rest_req[a] = req;
		m->target[a] = target;
		m->fair_scale[a] = target > 0 ? p->weights.fairness * m->nd / target : 0;
	}
}

static void model_free(struct model *m)
{
	free(m->avail);
	free(m->rest_req);
	free(m->target);
	free(m->fair_scale);
	free(m->req);
}

/* Units of violation of the ext agent rules and cannot-follow pairs in one
 * row (0 without ext). Runs touching the horizon's edges are exempt from the
 * minimum run lengths. */
static int ext_violations(const struct model *m, int a, const int8_t *row)
{
	if (!m->x)
		return 0;
	const struct kf_roster_agent_rules *r = m->x->agent_rules ? &m->x->agent_rules[a] : NULL;
	int nd = m->nd, v = 0, minutes = 0;
	int per[KF_ROSTER_MAX_SHIFTS] = {0};
	uint32_t wk = 0;
	for (int d = 0; d < nd; d++) {
		int c = row[d];
		if (c < 0)
			continue;
		per[c]++;
		minutes += m->len[c];
		if (m->weekend_id[d] >= 0)
			wk |= 1u << m->weekend_id[d];
		if (d + 1 < nd && row[d + 1] >= 0 && (m->x->cannot_follow[c] >> row[d + 1] & 1))
			v++;
	}
	if (!r)
		return v;
	for (int s = 0; s < m->ns; s++)
		if (r->max_shifts[s] >= 0 && per[s] > r->max_shifts[s])
			v += per[s] - r->max_shifts[s];
	int lm = m->len_max > 0 ? m->len_max : 1;
	if (minutes < r->min_minutes)
		v += (r->min_minutes - minutes + lm - 1) / lm;
	if (r->max_minutes >= 0 && minutes > r->max_minutes)
		v += (minutes - r->max_minutes + lm - 1) / lm;
	if (r->max_weekends >= 0 && __builtin_popcount(wk) > r->max_weekends)
		v += __builtin_popcount(wk) - r->max_weekends;
	for (int d = 0; d < nd;) {
		bool work = row[d] >= 0;
		int e = d;
		while (e < nd && (row[e] >= 0) == work)
			e++;
		int len = e - d;
		bool inside = d > 0 && e < nd;
		if (work) {
			if (r->max_consecutive >= 0 && len > r->max_consecutive)
				v += len - r->max_consecutive;
			if (inside && len < r->min_consecutive)
				v += r->min_consecutive - len;
		} else if (inside && len < r->min_days_off)
			v += r->min_days_off - len;
		d = e;
	}
	return v;
}

/* The requests' cost of a row (0 without ext requests). */
static double req_cost(const struct model *m, int a, const int8_t *row)
{
	if (!m->req)
		return 0;
	double c = 0;
	const double *q = m->req + (size_t)a * (size_t)m->nd * (size_t)(m->ns + 1);
	for (int d = 0; d < m->nd; d++, q += m->ns + 1)
		c += q[row[d] < 0 ? 0 : row[d] + 1];
	return c;
}

/* Rest in minutes between shift s ending on one day and shift t starting
 * the next; prev_end is s's end in minutes after its day's midnight. */
static int rest_between(const struct model *m, int prev_end, int t)
{
	return 1440 + m->p->shifts[t].start_min - prev_end;
}

static int prev_end_of(const struct model *m, int a, const int8_t *row, int d)
{
	if (d == 0)
		return m->p->agents[a].prev_shift_end_min;
	return row[d - 1] >= 0 ? m->end_abs[row[d - 1]] : -1;
}

/* Every hard rule for one agent's row (leave cells must already be fixed). */
static bool row_feasible(const struct model *m, int a, const int8_t *row)
{
	const struct kf_roster_agent *ag = &m->p->agents[a];
	int streak = ag->worked_days_before, worked = 0, rests = 0;
	int hard = m->p->rules.hard_min_rest_minutes;
	for (int d = 0; d < m->nd; d++) {
		int c = row[d];
		if (c >= 0) {
			if (++streak > m->p->rules.max_consecutive_work_days)
				return false;
			worked++;
			if (hard) {
				int pe = prev_end_of(m, a, row, d);
				if (pe >= 0 && rest_between(m, pe, c) < hard)
					return false;
			}
		} else {
			streak = 0;
			if (c == KF_ROSTER_REST)
				rests++;
		}
	}
	return worked <= m->target[a] && rests >= m->rest_req[a];
}

struct agent_counts {
	int worked, late, weekend, holiday, wish_broken, wishes, pref_broken, pref_total, quick;
};

static void row_counts(const struct model *m, int a, const int8_t *row, struct agent_counts *c)
{
	const struct kf_roster_agent *ag = &m->p->agents[a];
	memset(c, 0, sizeof(*c));
	int soft = m->p->rules.soft_min_rest_minutes;
	int hard = m->p->rules.hard_min_rest_minutes;
	for (int d = 0; d < m->nd; d++) {
		int s = row[d];
		bool wish = ag->wish_off >> d & 1;
		if (wish && !(ag->leave >> d & 1))
			c->wishes++;
		if (s < 0)
			continue;
		c->worked++;
		c->late += m->p->shifts[s].is_late;
		c->weekend += m->weekend >> d & 1;
		c->holiday += m->p->holidays >> d & 1;
		c->wish_broken += wish;
		if (ag->preferred_shift >= 0) {
			c->pref_total++;
			c->pref_broken += s != ag->preferred_shift;
		}
		int pe = prev_end_of(m, a, row, d);
		if (pe >= 0) {
			int gap = rest_between(m, pe, s);
			if (gap < soft && !(hard && gap < hard))
				c->quick++;
		}
	}
}

/* W-5: an agent who prefers a late shift volunteers for them: their late
 * shifts do not count in the late-shift rotation. */
static bool volunteers_late(const struct model *m, int a)
{
	int pref = m->p->agents[a].preferred_shift;
	return pref >= 0 && m->p->shifts[pref].is_late;
}

/* The row's objective terms; *viol (if set) gets its ext violations, which
 * cost hard_weight each. */
static double row_cost(const struct model *m, int a, const int8_t *row, int *viol)
{
	const struct kf_roster_weights *w = &m->p->weights;
	struct agent_counts c;
	row_counts(m, a, row, &c);
	double cost = w->work_days * abs(c.worked - m->target[a]);
	int late = volunteers_late(m, a) ? 0 : c.late;
	cost += m->fair_scale[a] *
		(double)(late * late + c.weekend * c.weekend + c.holiday * c.holiday);
	cost += w->wish_off * c.wish_broken + w->preferred * c.pref_broken;
	cost += w->quick_return * c.quick;
	if (m->x) {
		int v = ext_violations(m, a, row);
		cost += m->x->hard_weight * v + req_cost(m, a, row);
		if (viol)
			*viol = v;
	} else if (viol)
		*viol = 0;
	return cost;
}

/* The coverage cost of day d's shift s with n agents. */
static double cell_cost(const struct model *m, int d, int s, int n)
{
	int need = m->p->need[d][s];
	if (m->x && m->x->linear_cover)
		return n < need ? (double)m->x->under_weight[d][s] * (need - n)
				: (double)m->x->over_weight[d][s] * (n - need);
	const struct kf_roster_weights *w = &m->p->weights;
	if (n < need)
		return w->shortfall * (need - n);
	return w->overstaff * (double)(n - need) * (n - need) / (need + 1);
}

/* Counts of agents per day and shift, [d * ns + s]. */
static void count_cells(const struct model *m, const int8_t *cells, int *count)
{
	memset(count, 0, sizeof(int) * (size_t)(m->nd * m->ns));
	for (int a = 0; a < m->na; a++)
		for (int d = 0; d < m->nd; d++)
			if (cells[a * m->nd + d] >= 0)
				count[d * m->ns + cells[a * m->nd + d]]++;
}

static double total_cost(const struct model *m, const int8_t *cells, const int *count)
{
	double cost = 0;
	for (int a = 0; a < m->na; a++)
		cost += row_cost(m, a, cells + a * m->nd, NULL);
	for (int d = 0; d < m->nd; d++)
		for (int s = 0; s < m->ns; s++)
			cost += cell_cost(m, d, s, count[d * m->ns + s]);
	return cost;
}

static void fill_stats(const struct model *m, const int8_t *cells, const int *count,
		       struct kf_roster_stats *st)
{
	st->cost = total_cost(m, cells, count);
	st->shortfall = 0;
	st->cover_cost = 0;
	for (int d = 0; d < m->nd; d++)
		for (int s = 0; s < m->ns; s++) {
			st->cover_cost += cell_cost(m, d, s, count[d * m->ns + s]);
			if (count[d * m->ns + s] < m->p->need[d][s])
				st->shortfall += m->p->need[d][s] - count[d * m->ns + s];
		}
	st->hard_violations = 0;
	st->requests_cost = 0;
	for (int a = 0; a < m->na; a++) {
		st->hard_violations += ext_violations(m, a, cells + a * m->nd);
		st->requests_cost += req_cost(m, a, cells + a * m->nd);
	}
	st->wishes_granted = st->wishes_total = 0;
	st->preferred_granted = st->preferred_total = st->quick_returns = 0;
	int tmax = 0;
	for (int a = 0; a < m->na; a++)
		if (m->target[a] > tmax)
			tmax = m->target[a];
	st->late_min = st->late_max = -1;
	for (int a = 0; a < m->na; a++) {
		struct agent_counts c;
		row_counts(m, a, cells + a * m->nd, &c);
		st->wishes_total += c.wishes;
		st->wishes_granted += c.wishes - c.wish_broken;
		st->preferred_total += c.pref_total;
		st->preferred_granted += c.pref_total - c.pref_broken;
		st->quick_returns += c.quick;
		if (m->target[a] == tmax && tmax > 0) {
			if (st->late_min < 0 || c.late < st->late_min)
				st->late_min = c.late;
			if (c.late > st->late_max)
				st->late_max = c.late;
		}
	}
}

double kf_roster_cost(const struct kf_roster_problem *p, const int8_t *cells,
		      struct kf_roster_stats *stats)
{
	struct model m;
	model_init(&m, p);
	int *count = kf_xcalloc((size_t)(m.nd * m.ns), sizeof(int));
	count_cells(&m, cells, count);
	struct kf_roster_stats st = {0};
	fill_stats(&m, cells, count, &st);
	if (stats)
		*stats = st;
	free(count);
	model_free(&m);
	return st.cost;
}

/* ---- Search state --------------------------------------------------------- */

struct search {
	struct model m;
	int8_t *cells; /* current */
	int *count;    /* [d * ns + s] */
	double *acost; /* row_cost per agent */
	int *aviol;    /* ext violations per agent */
	double cost;
	int shortfall, hard;   /* agent-shifts missing; ext violations in total */
	int8_t *row_a, *row_b; /* scratch */
	struct rng rng;
	/* row_dp's tables, grown on demand */
	double *dp_cost[2];
	int32_t *dp_from, *dp_live[2]; /* dp_cost is INFINITY outside the live states */
	size_t dp_cap, dp_from_cap;
	int dp_period;	      /* ext: one block move in dp_period is a row re-optimisation */
	int force_d, force_c; /* row_dp: day force_d must hold shift force_c (-1: none) */
};

/* Cost change of one agent moving from `from` to `to` on day d (counts
 * unchanged); cells of REST or LEAVE are not counted. */
static double cov_delta(const struct search *S, int d, int from, int to)
{
	double delta = 0;
	int ns = S->m.ns;
	if (from >= 0) {
		int n = S->count[d * ns + from];
		delta += cell_cost(&S->m, d, from, n - 1) - cell_cost(&S->m, d, from, n);
	}
	if (to >= 0) {
		int n = S->count[d * ns + to];
		delta += cell_cost(&S->m, d, to, n + 1) - cell_cost(&S->m, d, to, n);
	}
	return delta;
}

static void cov_apply(struct search *S, int d, int from, int to)
{
	const int *need = S->m.p->need[d];
	if (from >= 0 && --S->count[d * S->m.ns + from] < need[from])
		S->shortfall++;
	if (to >= 0 && S->count[d * S->m.ns + to]++ < need[to])
		S->shortfall--;
}

/* The greedy start: day by day, the neediest shift first. Resting keeps
 * every hard rule, so each row stays feasible. */
static void construct(struct search *S)
{
	const struct model *m = &S->m;
	const struct kf_roster_problem *p = m->p;
	int nd = m->nd, ns = m->ns, na = m->na;
	int *streak = kf_xcalloc((size_t)na + 1, sizeof(int));
	int *worked = kf_xcalloc((size_t)na + 1, sizeof(int));
	int *rests = kf_xcalloc((size_t)na + 1, sizeof(int));
	int *late = kf_xcalloc((size_t)na + 1, sizeof(int));
	int *wkend = kf_xcalloc((size_t)na + 1, sizeof(int));
	int *left = kf_xcalloc((size_t)na + 1, sizeof(int)); /* non-leave days from d on */
	bool *can = kf_xcalloc((size_t)na + 1, sizeof(bool));
	for (int a = 0; a < na; a++) {
		streak[a] = p->agents[a].worked_days_before;
		left[a] = m->avail[a];
		for (int d = 0; d < nd; d++)
			S->cells[a * nd + d] =
			    p->agents[a].leave >> d & 1 ? KF_ROSTER_LEAVE : KF_ROSTER_REST;
	}
	for (int d = 0; d < nd; d++) {
		bool wk = m->weekend >> d & 1;
		for (int a = 0; a < na; a++) {
			const struct kf_roster_agent *ag = &p->agents[a];
			can[a] = false;
			if (ag->leave >> d & 1)
				continue;
			int rests_needed = m->rest_req[a] - rests[a];
			can[a] = streak[a] < p->rules.max_consecutive_work_days &&
				 worked[a] < m->target[a] && rests_needed <= left[a] - 1;
		}
		/* Fill the shifts, one agent at a time to the shift shortest of its need. */
		for (;;) {
			int best_s = -1, best_gap = 0;
			for (int s = 0; s < ns; s++) {
				int gap = p->need[d][s] - S->count[d * ns + s];
				if (gap > best_gap) {
					best_gap = gap;
					best_s = s;
				}
			}
			if (best_s < 0)
				break;
			int pick = -1;
			double pick_score = 0;
			for (int a = 0; a < na; a++) {
				if (!can[a])
					continue;
				const struct kf_roster_agent *ag = &p->agents[a];
				int pe = prev_end_of(m, a, S->cells + a * nd, d);
				int gap = pe >= 0 ? rest_between(m, pe, best_s) : 1 << 20;
				if (gap < p->rules.hard_min_rest_minutes)
					continue;
				double urgency = (double)(m->target[a] - worked[a]) / left[a];
				double sc = -100 * urgency;
				sc += (ag->wish_off >> d & 1) ? 1000 : 0;
				sc += gap < p->rules.soft_min_rest_minutes ? 50 : 0;
				sc += ag->preferred_shift >= 0 && ag->preferred_shift != best_s ? 10
												: 0;
				sc += p->shifts[best_s].is_late ? 3.0 * late[a] : 0;
				sc += wk ? 3.0 * wkend[a] : 0;
				sc += rng_unit(&S->rng) * 0.5;
				if (pick < 0 || sc < pick_score) {
					pick = a;
					pick_score = sc;
				}
			}
			if (pick < 0)
				break;
			S->cells[pick * nd + d] = (int8_t)best_s;
			S->count[d * ns + best_s]++;
			can[pick] = false;
		}
		/* Agents still free work towards their target days, spread over the month. */
		for (int a = 0; a < na; a++) {
			if (!can[a])
				continue;
			double share = (double)(m->target[a] - worked[a]) / left[a];
			if ((p->agents[a].wish_off >> d & 1) && share < 1)
				continue;
			if (share < 1 && rng_unit(&S->rng) >= share)
				continue;
			int pe = prev_end_of(m, a, S->cells + a * nd, d);
			int best = -1, best_over = 0;
			for (int s = 0; s < ns; s++) {
				int gap = pe >= 0 ? rest_between(m, pe, s) : 1 << 20;
				if (gap < p->rules.hard_min_rest_minutes)
					continue;
				int over = S->count[d * ns + s] - p->need[d][s];
				over = over * 4 + (gap < p->rules.soft_min_rest_minutes ? 2 : 0) +
				       (p->agents[a].preferred_shift >= 0 &&
					p->agents[a].preferred_shift != s);
				if (best < 0 || over < best_over) {
					best = s;
					best_over = over;
				}
			}
			if (best < 0)
				continue;
			S->cells[a * nd + d] = (int8_t)best;
			S->count[d * ns + best]++;
		}
		for (int a = 0; a < na; a++) {
			int c = S->cells[a * nd + d];
			if (c == KF_ROSTER_LEAVE) {
				streak[a] = 0;
				continue;
			}
			left[a]--;
			if (c >= 0) {
				streak[a]++;
				worked[a]++;
				late[a] += p->shifts[c].is_late;
				wkend[a] += wk;
			} else {
				streak[a] = 0;
				rests[a]++;
			}
		}
	}
	free(streak);
	free(worked);
	free(rests);
	free(late);
	free(wkend);
	free(left);
	free(can);
}

/* A move proposes new rows for one or two agents (row_a, row_b) and lists its
 * coverage changes; try_move evaluates and, if accepted, applies it. */
struct change {
	int d, from, to;
};

static bool try_move(struct search *S, int a, int b, const struct change *ch, int nch, double temp)
{
	const struct model *m = &S->m;
	if (!row_feasible(m, a, S->row_a) || (b >= 0 && !row_feasible(m, b, S->row_b)))
		return false;
	int va = 0, vb = 0;
	double ca = row_cost(m, a, S->row_a, &va), cb = b >= 0 ? row_cost(m, b, S->row_b, &vb) : 0;
	double delta = ca - S->acost[a] + (b >= 0 ? cb - S->acost[b] : 0);
	for (int i = 0; i < nch; i++) {
		delta += cov_delta(S, ch[i].d, ch[i].from, ch[i].to);
		cov_apply(S, ch[i].d, ch[i].from, ch[i].to); /* later changes see earlier ones */
	}
	bool accept = delta <= 0 || (temp > 0 && rng_unit(&S->rng) < exp(-delta / temp));
	if (!accept) {
		for (int i = nch - 1; i >= 0; i--)
			cov_apply(S, ch[i].d, ch[i].to, ch[i].from);
		return false;
	}
	memcpy(S->cells + a * m->nd, S->row_a, (size_t)m->nd);
	S->acost[a] = ca;
	S->hard += va - S->aviol[a];
	S->aviol[a] = va;
	if (b >= 0) {
		memcpy(S->cells + b * m->nd, S->row_b, (size_t)m->nd);
		S->acost[b] = cb;
		S->hard += vb - S->aviol[b];
		S->aviol[b] = vb;
	}
	S->cost += delta;
	return true;
}

/* Exchanges day x between row_a and row_b (two agents' proposed rows);
 * false if either is leave. *differs notes whether the cells differed. */
static bool exchange_day(struct search *S, int x, bool *differs)
{
	int ca = S->row_a[x], cb = S->row_b[x];
	if (ca == KF_ROSTER_LEAVE || cb == KF_ROSTER_LEAVE)
		return false;
	*differs |= ca != cb;
	S->row_a[x] = (int8_t)cb;
	S->row_b[x] = (int8_t)ca;
	return true;
}

/* Block moves (ext problems, whose minimum run lengths single-day moves
 * cannot keep): one agent's days d … d+k-1 (k 2 to 4) all to one shift or
 * to rest, or (swap) two agents exchange those days (coverage kept). */
static bool block_move(struct search *S, bool swap, int d, double temp)
{
	const struct model *m = &S->m;
	int nd = m->nd, ns = m->ns, na = m->na;
	struct change ch[4];
	int k = 2 + rng_below(&S->rng, 3);
	if (d + k > nd)
		k = nd - d;
	if (k < 1)
		return false;
	int a = rng_below(&S->rng, na);
	memcpy(S->row_a, S->cells + a * nd, (size_t)nd);
	if (swap) {
		if (na < 2)
			return false;
		int b = rng_below(&S->rng, na - 1);
		b += b >= a;
		memcpy(S->row_b, S->cells + b * nd, (size_t)nd);
		bool differs = false;
		for (int e = d; e < d + k; e++)
			if (!exchange_day(S, e, &differs))
				return false;
		if (!differs)
			return false;
		return try_move(S, a, b, ch, 0, temp);
	}
	int to = rng_below(&S->rng, ns + 1) - 1; /* -1 is rest */
	int n = 0;
	for (int e = d; e < d + k; e++) {
		int from = S->row_a[e];
		if (from == KF_ROSTER_LEAVE)
			return false;
		if (from == to)
			continue;
		S->row_a[e] = (int8_t)to;
		ch[n++] = (struct change){e, from, to};
	}
	if (!n)
		return false;
	return try_move(S, a, -1, ch, n, temp);
}

#define DP_MAX_STATES 200000	 /* per day */
#define DP_MAX_TABLE  (1u << 22) /* states × days */

/* The states of one agent's row under the ext agent rules and cannot-follow
 * pairs, day by day: the last cell (rest or a shift), the length of the
 * current run (capped where no rule needs more), the minutes worked (in
 * units of the shifts' greatest common length), the weekends worked (if
 * limited) and the count of each shift type with a limit. A state is a
 * number below nst: (((c * R + rl - 1) * U + u) * WK + wk) * T + t, with
 * c = cell + 1. */
struct row_space {
	const struct model *m;
	const struct kf_roster_ext *x;
	int maxc, minc, minoff, R, g, umin, umax, wkmax;
	long WK, U, C, T, nst;
	bool allowed[KF_ROSTER_MAX_SHIFTS];
	int tdim[KF_ROSTER_MAX_SHIFTS], tstride[KF_ROSTER_MAX_SHIFTS];
};

/* A state taken apart. */
struct row_state {
	int c, rl, u, wk, t;
};

static int gcd(int x, int y)
{
	while (y) {
		int t = x % y;
		x = y;
		y = t;
	}
	return x;
}

/* Agent a's state space; false if it is too large or the agent continues a
 * streak from the previous month. */
static bool space_init(struct row_space *sp, const struct model *m, int a)
{
	const struct kf_roster_ext *x = m->x;
	const struct kf_roster_agent_rules *r = x->agent_rules ? &x->agent_rules[a] : NULL;
	int nd = m->nd, ns = m->ns;
	memset(sp, 0, sizeof(*sp));
	sp->m = m;
	sp->x = x;
	if (m->p->agents[a].worked_days_before > 0)
		return false;
	int maxc = m->p->rules.max_consecutive_work_days;
	if (r && r->max_consecutive >= 0 && r->max_consecutive < maxc)
		maxc = r->max_consecutive;
	sp->maxc = maxc;
	sp->minc = r ? r->min_consecutive : 0;
	sp->minoff = r ? r->min_days_off : 0;
	/* run lengths below R are exact: R - 1 must reach every limit */
	int R = maxc < nd ? maxc + 1 : 1;
	R = sp->minc > R ? sp->minc : R;
	R = sp->minoff > R ? sp->minoff : R;
	sp->R = R;
	int g = 0;
	long T = 1;
	for (int s = 0; s < ns; s++) {
		int lim = r ? r->max_shifts[s] : -1;
		sp->allowed[s] = lim != 0;
		sp->tdim[s] = 0;
		if (sp->allowed[s])
			g = gcd(g, m->len[s]);
		if (lim > 0 && lim < nd) {
			sp->tdim[s] = lim + 1;
			sp->tstride[s] = (int)T;
			T *= lim + 1;
			if (T > DP_MAX_STATES)
				return false;
		}
	}
	sp->g = g ? g : 1;
	sp->umax = nd * m->len_max / sp->g;
	if (r && r->max_minutes >= 0 && r->max_minutes / sp->g < sp->umax)
		sp->umax = r->max_minutes / sp->g;
	sp->umin = r ? (r->min_minutes + sp->g - 1) / sp->g : 0;
	sp->wkmax = r && r->max_weekends >= 0 ? r->max_weekends : -1;
	sp->WK = sp->wkmax >= 0 ? sp->wkmax + 1 : 1;
	sp->U = sp->umax + 1;
	sp->C = ns + 1;
	sp->T = T;
	sp->nst = sp->C * R * sp->U * sp->WK * T;
	return sp->nst <= DP_MAX_STATES && (size_t)sp->nst * (size_t)nd <= DP_MAX_TABLE;
}

static long space_index(const struct row_space *sp, int c, int rl, int u, int wk, int t)
{
	return ((((long)c * sp->R + rl - 1) * sp->U + u) * sp->WK + wk) * sp->T + t;
}

/* The state before day 0: resting for long. */
static long space_start(const struct row_space *sp)
{
	return space_index(sp, 0, sp->R, 0, 0, 0);
}

static void space_decode(const struct row_space *sp, long i, struct row_state *st)
{
	st->t = (int)(i % sp->T);
	i /= sp->T;
	st->wk = (int)(i % sp->WK);
	i /= sp->WK;
	st->u = (int)(i % sp->U);
	i /= sp->U;
	st->rl = (int)(i % sp->R) + 1;
	st->c = (int)(i / sp->R) - 1;
}

/* Whether a row may end in state i (the minimum of minutes reached). */
static bool space_final(const struct row_space *sp, long i)
{
	return (int)((i / sp->T / sp->WK) % sp->U) >= sp->umin;
}

/* The state after day d holds cell (a shift, or -1: rest or leave) from
 * state st, or -1 if that breaks a rule. */
static long space_step(const struct row_space *sp, int d, const struct row_state *st, int cell)
{
	const struct model *m = sp->m;
	bool exact = st->rl < sp->R; /* the run's true length is known */
	int c = st->c, rl = st->rl;
	if (cell < 0) {
		if (c >= 0 && exact && d - rl > 0 && rl < sp->minc)
			return -1; /* a run of working days inside the horizon, too short */
		int rl2 = c < 0 ? (rl + 1 > sp->R ? sp->R : rl + 1) : 1;
		return space_index(sp, 0, rl2, st->u, st->wk, st->t);
	}
	if (!sp->allowed[cell])
		return -1;
	if (c < 0 && exact && d - rl > 0 && rl < sp->minoff)
		return -1; /* a run of days off inside the horizon, too short */
	int rl2 = 1;
	if (c >= 0) {
		if (sp->x->cannot_follow[c] >> cell & 1)
			return -1;
		rl2 = rl + 1;
		if (exact && rl2 > sp->maxc)
			return -1;
		if (rl2 > sp->R)
			rl2 = sp->R;
	}
	int u2 = st->u + m->len[cell] / sp->g;
	if (u2 > sp->umax)
		return -1;
	int wk2 = st->wk, wid = m->weekend_id[d];
	bool same_weekend = d > 0 && wid >= 0 && m->weekend_id[d - 1] == wid;
	if (sp->wkmax >= 0 && wid >= 0 && !(same_weekend && c >= 0) && ++wk2 > sp->wkmax)
		return -1;
	int t2 = st->t;
	if (sp->tdim[cell]) {
		if ((st->t / sp->tstride[cell]) % sp->tdim[cell] + 1 >= sp->tdim[cell])
			return -1;
		t2 += sp->tstride[cell];
	}
	return space_index(sp, cell + 1, rl2, u2, wk2, t2);
}

/* Row re-optimisation (ext problems): the best row for agent a, given every
 * other agent's row, for the coverage and request costs under the ext agent
 * rules and cannot-follow pairs, by dynamic programming over the days and
 * the states of struct row_space. The other terms of the objective are left
 * to try_move, which costs the proposal exactly. Writes S->row_a; false if
 * the state space is too large, the agent continues a streak from the
 * previous month, or no row keeps the rules. */
static bool row_dp(struct search *S, int a)
{
	const struct model *m = &S->m;
	const struct kf_roster_agent *ag = &m->p->agents[a];
	int nd = m->nd, ns = m->ns;
	struct row_space sp;
	if (!space_init(&sp, m, a))
		return false;
	long nst = sp.nst, C = sp.C;
	if ((size_t)nst > S->dp_cap) {
		for (int k = 0; k < 2; k++) {
			S->dp_cost[k] = kf_xrealloc(S->dp_cost[k], sizeof(double) * (size_t)nst);
			S->dp_live[k] = kf_xrealloc(S->dp_live[k], sizeof(int32_t) * (size_t)nst);
			for (long i = 0; i < nst; i++)
				S->dp_cost[k][i] = INFINITY;
		}
		S->dp_cap = (size_t)nst;
	}
	if ((size_t)nst * (size_t)nd > S->dp_from_cap) {
		S->dp_from_cap = (size_t)nst * (size_t)nd;
		S->dp_from = kf_xrealloc(S->dp_from, sizeof(int32_t) * S->dp_from_cap);
	}
	double *prev = S->dp_cost[0], *next = S->dp_cost[1];
	int32_t *plive = S->dp_live[0], *nlive = S->dp_live[1];
	long np = 0, nn = 0;
	const int8_t *cur = S->cells + a * nd;
	const double *req = m->req ? m->req + (size_t)a * (size_t)nd * (size_t)C : NULL;
	plive[np++] = (int32_t)space_start(&sp);
	prev[plive[0]] = 0;
#define DP_RELAX(j, val)                                                                           \
	do {                                                                                       \
		if (next[j] == INFINITY)                                                           \
			nlive[nn++] = (int32_t)(j);                                                \
		if ((val) < next[j]) {                                                             \
			next[j] = (val);                                                           \
			from[j] = (int32_t)i;                                                      \
		}                                                                                  \
	} while (0)
	for (int d = 0; d < nd; d++) {
		int32_t *from = S->dp_from + (size_t)d * (size_t)nst;
		nn = 0;
		bool leave = ag->leave >> d & 1;
		double mc[KF_ROSTER_MAX_SHIFTS];
		for (int s = 0; s < ns; s++) {
			int n = S->count[d * ns + s] - (cur[d] == s);
			mc[s] = cell_cost(m, d, s, n + 1) - cell_cost(m, d, s, n);
			if (req)
				mc[s] += req[(size_t)d * (size_t)C + (size_t)s + 1];
		}
		double off_cost = req ? req[(size_t)d * (size_t)C] : 0;
		/* below 1e-4 a cell: ties between rows of equal cost are broken at
		 * random, so that repeated re-optimisation walks across plateaus */
		for (int s = 0; s < ns; s++)
			mc[s] += rng_unit(&S->rng) * 1e-4;
		bool forced = d == S->force_d;
		for (long k = 0; k < np; k++) {
			long i = plive[k];
			double v = prev[i];
			prev[i] = INFINITY;
			struct row_state st;
			space_decode(&sp, i, &st);
			long j;
			if (!forced && (j = space_step(&sp, d, &st, -1)) >= 0)
				DP_RELAX(j, v + off_cost);
			if (leave)
				continue;
			for (int s = 0; s < ns; s++)
				if ((!forced || s == S->force_c) &&
				    (j = space_step(&sp, d, &st, s)) >= 0)
					DP_RELAX(j, v + mc[s]);
		}
		double *tmp = prev;
		prev = next;
		next = tmp;
		int32_t *lt = plive;
		plive = nlive;
		nlive = lt;
		np = nn;
	}
	long best = -1;
	for (long k = 0; k < np; k++) {
		long i = plive[k];
		if (space_final(&sp, i) && (best < 0 || prev[i] < prev[best]))
			best = i;
	}
	for (long k = 0; k < np; k++)
		prev[plive[k]] = INFINITY; /* leave the tables clean */
	if (best < 0)
		return false;
	for (int d = nd - 1; d >= 0; d--) {
		struct row_state st;
		space_decode(&sp, best, &st);
		S->row_a[d] = (int8_t)(ag->leave >> d & 1 ? KF_ROSTER_LEAVE
				       : st.c < 0	  ? KF_ROSTER_REST
							  : st.c);
		best = S->dp_from[(size_t)d * (size_t)nst + (size_t)best];
	}
#undef DP_RELAX
	return true;
}

/* Replaces agent a's row by row_dp's, through try_move at temperature temp;
 * false if there is none, it is the same, or it is refused. */
static bool dp_apply(struct search *S, int a, double temp)
{
	const struct model *m = &S->m;
	struct change ch[KF_ROSTER_MAX_DAYS];
	if (!row_dp(S, a))
		return false;
	int n = 0;
	const int8_t *cur = S->cells + a * m->nd;
	for (int d = 0; d < m->nd; d++)
		if (S->row_a[d] != cur[d])
			ch[n++] = (struct change){d, cur[d] < 0 ? KF_ROSTER_REST : cur[d],
						  S->row_a[d] < 0 ? KF_ROSTER_REST : S->row_a[d]};
	return n && try_move(S, a, -1, ch, n, temp);
}

/* The row re-optimisation move: a random agent's row replaced by row_dp's. */
static bool dp_move(struct search *S, double temp)
{
	return dp_apply(S, rng_below(&S->rng, S->m.na), temp);
}

/* The search's totals (row costs, ext violations, cost, shortfall) from
 * S->cells and S->count. */
static void sync_search(struct search *S)
{
	const struct model *m = &S->m;
	int nd = m->nd, ns = m->ns;
	S->hard = 0;
	S->shortfall = 0;
	for (int d = 0; d < nd; d++)
		for (int s = 0; s < ns; s++) {
			int gap = m->p->need[d][s] - S->count[d * ns + s];
			S->shortfall += gap > 0 ? gap : 0;
		}
	for (int a = 0; a < m->na; a++) {
		S->acost[a] = row_cost(m, a, S->cells + a * nd, &S->aviol[a]);
		S->hard += S->aviol[a];
	}
	S->cost = total_cost(m, S->cells, S->count);
}

/* ext problems, after the annealing: block coordinate descent, each
 * agent's row in turn replaced by row_dp's while that lowers the cost
 * (at most 100 rounds). S->cells and S->count hold the roster. */
static void polish(struct search *S)
{
	sync_search(S);
	for (int round = 0; round < 100; round++) {
		double before = S->cost;
		for (int a = 0; a < S->m.na; a++)
			dp_apply(S, a, 0);
		if (S->cost > before - 1e-9)
			break;
	}
}

/* One link of an ejection chain: an agent not in fixed[0 … nf-1] is put on
 * shift s of day d (their best row with that cell, even if it costs more),
 * then the other agents' rows (the fixed ones and this one excepted) are
 * re-optimised while that improves; with depth > 1, each shift this left
 * short starts the next link. True, with the roster kept, once the cost is
 * below `before`; otherwise the roster is restored. */
struct eject_ctx {
	double before;
	int fixed[4];
	int8_t *keep[4];
	int *keep_count[4];
	int *cand[4];
	bool (*stop)(void *ctx);
	void *stop_ctx;
	bool stopped;
};

static bool eject_link(struct search *S, struct eject_ctx *E, int d, int s, int nf, int depth)
{
	const struct model *m = &S->m;
	int nd = m->nd, ns = m->ns, na = m->na;
	size_t ncells = (size_t)na * (size_t)nd;
	int8_t *keep = E->keep[nf];
	int *keep_count = E->keep_count[nf], *cand = E->cand[nf];
	if (nf >= 4)
		return false;
	int a0 = rng_below(&S->rng, na);
	for (int i = 0; i < na && !E->stopped; i++) {
		int a = (a0 + i) % na;
		bool fixed = false;
		for (int f = 0; f < nf; f++)
			fixed |= E->fixed[f] == a;
		if (fixed || S->cells[a * nd + d] == s || S->cells[a * nd + d] == KF_ROSTER_LEAVE)
			continue;
		memcpy(keep, S->cells, ncells);
		memcpy(keep_count, S->count, sizeof(int) * (size_t)(nd * ns));
		S->force_d = d;
		S->force_c = s;
		bool moved = dp_apply(S, a, INFINITY);
		S->force_d = -1;
		if (!moved)
			continue;
		E->fixed[nf] = a;
		for (int pass = 0; pass < 10; pass++) {
			double c0 = S->cost;
			for (int b = 0; b < na; b++) {
				bool skip = false;
				for (int f = 0; f <= nf; f++)
					skip |= E->fixed[f] == b;
				if (!skip)
					dp_apply(S, b, 0);
			}
			if (S->cost > c0 - 1e-9)
				break;
		}
		if (S->cost < E->before - 1e-9)
			polish(S);
		if (S->cost < E->before - 1e-9)
			return true;
		if (depth > 1) {
			int nc = 0;
			for (int k = 0; k < nd * ns; k++)
				if (S->count[k] < m->p->need[k / ns][k % ns] &&
				    S->count[k] < keep_count[k])
					cand[nc++] = k;
			for (int k = 0; k < nc && !E->stopped; k++)
				if (eject_link(S, E, cand[k] / ns, cand[k] % ns, nf + 1, depth - 1))
					return true;
		}
		memcpy(S->cells, keep, ncells);
		count_cells(m, S->cells, S->count);
		sync_search(S);
		if (E->stop && E->stop(E->stop_ctx))
			E->stopped = true;
	}
	return false;
}

/* ext problems, after polish (options.eject): ejection chains from each
 * short shift (eject_link, up to `depth` agents put on a shift in turn),
 * repeated while they improve. They reach rosters where two or more rows
 * must change together (one agent takes the short shift, another the day
 * the first gave up), which no single-row move finds. */
static void eject(struct search *S, int depth, bool (*stop)(void *), void *stop_ctx)
{
	const struct model *m = &S->m;
	int nd = m->nd, ns = m->ns;
	size_t ncells = (size_t)m->na * (size_t)nd;
	struct eject_ctx E = {.stop = stop, .stop_ctx = stop_ctx};
	if (depth > 4)
		depth = 4;
	for (int k = 0; k < depth; k++) {
		E.keep[k] = kf_xmalloc(ncells + 1);
		E.keep_count[k] = kf_xmalloc(sizeof(int) * (size_t)(nd * ns + 1));
		E.cand[k] = kf_xmalloc(sizeof(int) * (size_t)(nd * ns + 1));
	}
	int *top = kf_xmalloc(sizeof(int) * (size_t)(nd * ns + 1));
	for (int round = 0; round < 50 && !E.stopped; round++) {
		E.before = S->cost;
		int nc = 0;
		for (int k = 0; k < nd * ns; k++)
			if (S->count[k] < m->p->need[k / ns][k % ns])
				top[nc++] = k;
		bool improved = false;
		for (int k = 0; k < nc && !improved && !E.stopped; k++)
			improved = eject_link(S, &E, top[k] / ns, top[k] % ns, 0, depth);
		if (!improved)
			break;
	}
	for (int k = 0; k < depth; k++) {
		free(E.keep[k]);
		free(E.keep_count[k]);
		free(E.cand[k]);
	}
	free(top);
}

/* ---- Large-neighbourhood search (options.lns_rounds) ------------------------ */

#define LNS_MAX_AGENTS 16
#define LNS_MAX_NODES  30000 /* search nodes per round */

/* The rows one agent may work under the ext rules (struct row_space), as a
 * layered graph: layer d holds the states reachable before day d (layer 0
 * the start, layer nd the ends); each node's edges (one per cell the day
 * may hold) lead to the next layer. Built once per agent. */
struct row_graph {
	bool built, ok;
	int layer[KF_ROSTER_MAX_DAYS + 2]; /* nodes of layer d: layer[d] … layer[d + 1] - 1 */
	int *first;			   /* [node]: its first edge; first[node + 1] ends them */
	int *to;			   /* [edge]: the node it leads to */
	int8_t *cell;			   /* [edge]: the day's shift, or -1 */
	bool *accept;			   /* [node of layer nd]: a row may end there */
	double *h; /* [node]: the least cost from there to an end (per round) */
};

static void graph_free(struct row_graph *G)
{
	free(G->first);
	free(G->to);
	free(G->cell);
	free(G->accept);
	free(G->h);
	memset(G, 0, sizeof(*G));
}

/* Builds agent a's graph; false (G->ok false) if row_space refuses. */
static bool graph_build(const struct model *m, int a, struct row_graph *G)
{
	struct row_space sp;
	G->built = true;
	G->ok = false;
	if (!space_init(&sp, m, a))
		return false;
	int nd = m->nd, ns = m->ns;
	int32_t *map = kf_xmalloc(sizeof(int32_t) * (size_t)sp.nst);
	for (long i = 0; i < sp.nst; i++)
		map[i] = -1;
	size_t ncap = 1024, ecap = 4096, nn = 1, ne = 0;
	long *state = kf_xmalloc(sizeof(long) * ncap);
	G->first = kf_xmalloc(sizeof(int) * ncap);
	G->to = kf_xmalloc(sizeof(int) * ecap);
	G->cell = kf_xmalloc(ecap);
	state[0] = space_start(&sp);
	G->layer[0] = 0;
	G->layer[1] = 1;
	for (int d = 0; d < nd; d++) {
		bool leave = m->p->agents[a].leave >> d & 1;
		for (int n = G->layer[d]; n < G->layer[d + 1]; n++) {
			struct row_state st;
			space_decode(&sp, state[n], &st);
			G->first[n] = (int)ne;
			for (int c = -1; c < (leave ? 0 : ns); c++) {
				long j = space_step(&sp, d, &st, c);
				if (j < 0)
					continue;
				if (map[j] < 0) {
					if (nn + 1 >= ncap) {
						ncap *= 2;
						state = kf_xrealloc(state, sizeof(long) * ncap);
						G->first =
						    kf_xrealloc(G->first, sizeof(int) * ncap);
					}
					map[j] = (int32_t)nn;
					state[nn++] = j;
				}
				if (ne >= ecap) {
					ecap *= 2;
					G->to = kf_xrealloc(G->to, sizeof(int) * ecap);
					G->cell = kf_xrealloc(G->cell, ecap);
				}
				G->to[ne] = map[j];
				G->cell[ne++] = (int8_t)c;
			}
		}
		G->layer[d + 2] = (int)nn;
		G->first[G->layer[d + 1]] = (int)ne; /* a sentinel, overwritten next day */
		for (int n = G->layer[d + 1]; n < G->layer[d + 2]; n++)
			map[state[n]] = -1;
	}
	int last = G->layer[nd];
	G->accept = kf_xcalloc((size_t)(nn - (size_t)last) + 1, sizeof(bool));
	for (int n = last; n < (int)nn; n++)
		G->accept[n - last] = space_final(&sp, state[n]);
	G->h = kf_xmalloc(sizeof(double) * nn);
	free(state);
	free(map);
	G->ok = true;
	return true;
}

/* One round's subproblem: the freed agents, their graphs and the price of
 * each day's cell for each of them, alone against the other agents. */
struct lns {
	int k, w;
	int agent[LNS_MAX_AGENTS];
	struct row_graph *g[LNS_MAX_AGENTS];
	int d0, d1; /* the window: days d0 … d1 - 1 may change */
	double price[LNS_MAX_AGENTS][KF_ROSTER_MAX_DAYS][KF_ROSTER_MAX_SHIFTS + 1];
	int *other; /* [d * ns + s]: agents on it, the freed ones excepted */
	int *added; /* [d * ns + s]: freed agents on it in the search */
	int node[LNS_MAX_AGENTS];
	int8_t path[LNS_MAX_AGENTS][KF_ROSTER_MAX_DAYS];
	int8_t best_path[LNS_MAX_AGENTS][KF_ROSTER_MAX_DAYS];
	double best;
	bool found;
	long nodes;
};

/* The cost of one more agent on day d's shift s with n already there. */
static double cell_step(const struct model *m, int d, int s, int n)
{
	return cell_cost(m, d, s, n + 1) - cell_cost(m, d, s, n);
}

/* Whether freed agent i may hold cell c on day d: outside the window only
 * the cell it holds now. */
static bool lns_open(const struct search *S, const struct lns *L, int i, int d, int c)
{
	int cur = S->cells[L->agent[i] * S->m.nd + d];
	return (d >= L->d0 && d < L->d1) || c == (cur < 0 ? -1 : cur);
}

/* h of every node of freed agent i's graph: backwards over the layers. */
static void lns_bound(const struct search *S, struct lns *L, int i)
{
	const struct row_graph *G = L->g[i];
	int nd = S->m.nd;
	for (int n = G->layer[nd]; n < G->layer[nd + 1]; n++)
		G->h[n] = G->accept[n - G->layer[nd]] ? 0 : INFINITY;
	for (int d = nd - 1; d >= 0; d--)
		for (int n = G->layer[d]; n < G->layer[d + 1]; n++) {
			double h = INFINITY;
			for (int e = G->first[n]; e < G->first[n + 1]; e++) {
				int c = G->cell[e];
				if (!lns_open(S, L, i, d, c))
					continue;
				double v = L->price[i][d][c + 1] + G->h[G->to[e]];
				h = v < h ? v : h;
			}
			G->h[n] = h;
		}
}

/* The extra cost of one more freed agent on day d's shift c, beyond its
 * price alone: the coverage cost is convex, so never negative. */
static double lns_extra(const struct model *m, const struct lns *L, int d, int c)
{
	if (c < 0)
		return 0;
	int k = d * m->ns + c, o = L->other[k];
	return cell_step(m, d, c, o + L->added[k]) - cell_step(m, d, c, o);
}

/* Depth first over the days, each day over the freed agents in turn, the
 * cheapest cell first; partial + H (the sum of the agents' h) is a lower
 * bound on every completion, so a branch that cannot beat L->best is cut.
 * The first roster found is the first at most the current rows' cost (a
 * tie among them, at random, or better); after it, only better ones. */
static void lns_search(const struct search *S, struct lns *L, int d, int i, double partial,
		       double H)
{
	const struct model *m = &S->m;
	if (d == m->nd) {
		if (partial < L->best - 1e-9) {
			/* from now on only a roster better by more than the random
			 * parts can add up to: a plateau of ties is not searched */
			L->best = partial - 1e-4 * m->nd * L->k;
			L->found = true;
			memcpy(L->best_path, L->path, sizeof(L->path));
		}
		return;
	}
	if (i >= L->k || i >= LNS_MAX_AGENTS) {
		lns_search(S, L, d + 1, 0, partial, H);
		return;
	}
	const struct row_graph *G = L->g[i];
	int n = L->node[i];
	struct {
		double v, step;
		int to, c;
	} opt[KF_ROSTER_MAX_SHIFTS + 1];
	int no = 0;
	for (int e = G->first[n]; e < G->first[n + 1]; e++) {
		int c = G->cell[e], to = G->to[e];
		if (!lns_open(S, L, i, d, c) || G->h[to] == INFINITY)
			continue;
		double step = L->price[i][d][c + 1] + lns_extra(m, L, d, c);
		double v = step + G->h[to];
		int j = no++;
		for (; j > 0 && opt[j - 1].v > v; j--)
			opt[j] = opt[j - 1];
		opt[j].v = v;
		opt[j].step = step;
		opt[j].to = to;
		opt[j].c = c;
	}
	for (int j = 0; j < no && L->nodes < LNS_MAX_NODES; j++) {
		double H2 = H - G->h[n] + G->h[opt[j].to];
		if (partial + opt[j].step + H2 >= L->best - 1e-9)
			break;
		L->nodes++;
		int c = opt[j].c;
		if (c >= 0)
			L->added[d * m->ns + c]++;
		L->path[i][d] = (int8_t)c;
		L->node[i] = opt[j].to;
		lns_search(S, L, d, i + 1, partial + opt[j].step, H2);
		L->node[i] = n;
		if (c >= 0)
			L->added[d * m->ns + c]--;
	}
}

/* One round: the rows of k random agents on a random window of w days
 * (the whole horizon if w is as long) are re-solved exactly, the rest of
 * the roster fixed, for the coverage and request costs (with a random
 * part below 1e-4 a cell that breaks ties), among the rows that keep the
 * ext rules; the best combination replaces them if the roster has fewer
 * ext violations, or as many and a cost that does not go up (so the
 * search also walks across plateaus). True if either went down. */
static bool lns_round(struct search *S, struct lns *L, struct row_graph *graphs)
{
	const struct model *m = &S->m;
	int nd = m->nd, ns = m->ns, na = m->na;
	for (int i = 0; i < L->k; i++) {
		int a;
		bool dup;
		do {
			a = rng_below(&S->rng, na);
			dup = false;
			for (int j = 0; j < i; j++)
				dup |= L->agent[j] == a;
		} while (dup);
		L->agent[i] = a;
		if (!graphs[a].built)
			graph_build(m, a, &graphs[a]);
		if (!graphs[a].ok)
			return false;
		L->g[i] = &graphs[a];
	}
	L->d0 = rng_below(&S->rng, nd - L->w + 1);
	L->d1 = L->d0 + L->w;
	memcpy(L->other, S->count, sizeof(int) * (size_t)(nd * ns));
	memset(L->added, 0, sizeof(int) * (size_t)(nd * ns));
	for (int i = 0; i < L->k; i++) {
		const int8_t *row = S->cells + L->agent[i] * nd;
		for (int d = 0; d < nd; d++)
			if (row[d] >= 0)
				L->other[d * ns + row[d]]--;
	}
	for (int i = 0; i < L->k; i++) {
		const double *req =
		    m->req ? m->req + (size_t)L->agent[i] * (size_t)nd * (size_t)(ns + 1) : NULL;
		for (int d = 0; d < nd; d++)
			for (int c = -1; c < ns; c++) {
				double v = req ? req[d * (ns + 1) + c + 1] : 0;
				if (c >= 0)
					v += cell_step(m, d, c, L->other[d * ns + c]) +
					     rng_unit(&S->rng) * 1e-4;
				L->price[i][d][c + 1] = v;
			}
		lns_bound(S, L, i);
		L->node[i] = 0;
	}
	/* the bound to beat: the current rows, priced the same way (none if
	 * one of them breaks an ext rule: the graphs hold no such row) */
	double now = 0;
	for (int d = 0; d < nd; d++)
		for (int i = 0; i < L->k; i++) {
			int c = S->cells[L->agent[i] * nd + d];
			c = c < 0 ? -1 : c;
			now += L->price[i][d][c + 1] + lns_extra(m, L, d, c);
			if (c >= 0)
				L->added[d * ns + c]++;
		}
	memset(L->added, 0, sizeof(int) * (size_t)(nd * ns));
	double H = 0;
	for (int i = 0; i < L->k; i++)
		H += L->g[i]->h[0];
	bool broken = false;
	for (int i = 0; i < L->k; i++)
		broken |= S->aviol[L->agent[i]] > 0;
	L->best = broken ? INFINITY : now;
	L->found = false;
	L->nodes = 0;
	lns_search(S, L, 0, 0, 0, H);
	if (!L->found)
		return false;
	size_t ncells = (size_t)na * (size_t)nd;
	int8_t *keep = kf_xmalloc(ncells);
	memcpy(keep, S->cells, ncells);
	double before = S->cost;
	int hard_before = S->hard;
	for (int i = 0; i < L->k; i++) {
		int a = L->agent[i];
		for (int d = 0; d < nd; d++) {
			int c = L->best_path[i][d];
			if (S->cells[a * nd + d] != KF_ROSTER_LEAVE)
				S->cells[a * nd + d] = (int8_t)(c < 0 ? KF_ROSTER_REST : c);
		}
	}
	bool feasible = true;
	for (int i = 0; i < L->k; i++)
		feasible &= row_feasible(m, L->agent[i], S->cells + L->agent[i] * nd);
	count_cells(m, S->cells, S->count);
	sync_search(S);
	if (!feasible || S->hard > hard_before ||
	    (S->hard == hard_before && S->cost > before + 1e-9)) {
		memcpy(S->cells, keep, ncells);
		count_cells(m, S->cells, S->count);
		sync_search(S);
	}
	free(keep);
	return S->hard < hard_before || S->cost < before - 1e-9;
}

/* ext problems (options.lns_rounds): rounds of lns_round, the row
 * re-optimisation after each one that lowers the violations or the cost;
 * S->cells and S->count hold the roster, which is never made worse. */
static void lns(struct search *S, const struct kf_roster_options *opt)
{
	const struct model *m = &S->m;
	struct lns *L = kf_xcalloc(1, sizeof(*L));
	L->k = opt->lns_agents > 0 ? opt->lns_agents : 3;
	L->w = opt->lns_window > 0 ? opt->lns_window : m->nd;
	if (L->k > LNS_MAX_AGENTS)
		L->k = LNS_MAX_AGENTS;
	if (L->k > m->na)
		L->k = m->na;
	if (L->w > m->nd)
		L->w = m->nd;
	struct row_graph *graphs = kf_xcalloc((size_t)m->na + 1, sizeof(*graphs));
	L->other = kf_xmalloc(sizeof(int) * (size_t)(m->nd * m->ns));
	L->added = kf_xmalloc(sizeof(int) * (size_t)(m->nd * m->ns));
	sync_search(S);
	for (long round = 0; L->k > 0 && L->w > 0 && round < opt->lns_rounds; round++) {
		if (opt->stop && (round & 15) == 0 && opt->stop(opt->stop_ctx))
			break;
		if (!lns_round(S, L, graphs))
			continue;
		if (S->dp_period >= 0)
			polish(S);
		if (opt->progress)
			opt->progress(opt->progress_ctx, round, S->cost, S->shortfall, S->hard);
	}
	for (int a = 0; a < m->na; a++)
		graph_free(&graphs[a]);
	free(graphs);
	free(L->other);
	free(L->added);
	free(L);
}

/* One annealing step; returns whether a move was accepted. */
static bool step(struct search *S, double temp)
{
	const struct model *m = &S->m;
	int nd = m->nd, ns = m->ns, na = m->na;
	struct change ch[4];
	/* ext problems also draw the block moves (kinds 10 … 13) */
	int kind = rng_below(&S->rng, m->x ? 14 : 10);
	int d = rng_below(&S->rng, nd);

	if (kind >= 10) {
		if (S->dp_period > 0 && rng_below(&S->rng, S->dp_period) == 0)
			return dp_move(S, temp);
		return block_move(S, kind >= 12, d, temp);
	}

	if (kind == 0) { /* aimed: a resting or overstaffed agent onto a short shift */
		int s = -1, gap = 0;
		for (int t = 0; t < ns; t++)
			if (m->p->need[d][t] - S->count[d * ns + t] > gap) {
				gap = m->p->need[d][t] - S->count[d * ns + t];
				s = t;
			}
		if (s < 0)
			kind = 1;
		else {
			int a = -1;
			for (int tries = 0; tries < 16 && a < 0; tries++) {
				int x = rng_below(&S->rng, na);
				int c = S->cells[x * nd + d];
				if (c == KF_ROSTER_REST ||
				    (c >= 0 && c != s && S->count[d * ns + c] > m->p->need[d][c]))
					a = x;
			}
			if (a < 0)
				return false;
			memcpy(S->row_a, S->cells + a * nd, (size_t)nd);
			int from = S->row_a[d];
			S->row_a[d] = (int8_t)s;
			ch[0] = (struct change){d, from, s};
			if (from == KF_ROSTER_REST) {
				int worked = 0;
				for (int e = 0; e < nd; e++)
					worked += S->row_a[e] >= 0;
				if (worked > m->target[a]) {
					/* Give up a day on an overstaffed shift elsewhere. */
					int start = rng_below(&S->rng, nd), e2 = -1;
					for (int k = 0; k < nd && e2 < 0; k++) {
						int e = (start + k) % nd, c = S->row_a[e];
						if (e != d && c >= 0 &&
						    S->count[e * ns + c] > m->p->need[e][c])
							e2 = e;
					}
					if (e2 < 0)
						return false;
					ch[1] = (struct change){e2, S->row_a[e2], KF_ROSTER_REST};
					S->row_a[e2] = KF_ROSTER_REST;
					return try_move(S, a, -1, ch, 2, temp);
				}
			}
			return try_move(S, a, -1, ch, 1, temp);
		}
	}
	if (kind <= 4) { /* change one cell */
		int a = rng_below(&S->rng, na);
		int from = S->cells[a * nd + d];
		if (from == KF_ROSTER_LEAVE)
			return false;
		int to = rng_below(&S->rng, ns + 1) - 1; /* -1 is rest */
		if (to == from)
			return false;
		memcpy(S->row_a, S->cells + a * nd, (size_t)nd);
		S->row_a[d] = (int8_t)to;
		ch[0] = (struct change){d, from, to};
		return try_move(S, a, -1, ch, 1, temp);
	}
	if (kind <= 7) { /* two agents swap their cells on day d, or on d and e */
		if (na < 2)
			return false;
		int a = rng_below(&S->rng, na), b = -1, e = d;
		if (kind == 7) {
			/* a works d and rests e, b the other way round (or two shifts):
			 * a weekend duty traded for a weekday one */
			int ca = S->cells[a * nd + d];
			if (ca == KF_ROSTER_LEAVE)
				return false;
			int start = rng_below(&S->rng, nd);
			e = -1;
			for (int k = 0; k < nd && e < 0; k++) {
				int x = (start + k) % nd, cx = S->cells[a * nd + x];
				if (cx != ca && cx != KF_ROSTER_LEAVE)
					e = x;
			}
			if (e < 0)
				return false;
			int ce = S->cells[a * nd + e];
			start = rng_below(&S->rng, na);
			for (int k = 0; k < na && b < 0; k++) {
				int y = (start + k) % na;
				if (S->cells[y * nd + d] == ce && S->cells[y * nd + e] == ca)
					b = y;
			}
			if (b < 0)
				return false;
		} else {
			b = rng_below(&S->rng, na - 1);
			b += b >= a;
		}
		memcpy(S->row_a, S->cells + a * nd, (size_t)nd);
		memcpy(S->row_b, S->cells + b * nd, (size_t)nd);
		bool differs = false;
		for (int k = 0; k < (e == d ? 1 : 2); k++)
			if (!exchange_day(S, k ? e : d, &differs))
				return false;
		if (!differs)
			return false;
		return try_move(S, a, b, ch, 0, temp); /* coverage unchanged */
	}
	/* one agent exchanges two days: half the time one of its rest days with a
	 * day up to three days away, so that the W-4 streaks stay short */
	int a = rng_below(&S->rng, na), e;
	if (kind == 8) {
		int start = rng_below(&S->rng, nd);
		d = -1;
		for (int k = 0; k < nd && d < 0; k++)
			if (S->cells[a * nd + (start + k) % nd] == KF_ROSTER_REST)
				d = (start + k) % nd;
		if (d < 0)
			return false;
		int off = 1 + rng_below(&S->rng, 3);
		e = rng_below(&S->rng, 2) ? d + off : d - off;
		if (e < 0 || e >= nd)
			return false;
	} else {
		e = rng_below(&S->rng, nd - 1);
		e += e >= d;
	}
	int cd = S->cells[a * nd + d], ce = S->cells[a * nd + e];
	if (cd == ce || cd == KF_ROSTER_LEAVE || ce == KF_ROSTER_LEAVE)
		return false;
	memcpy(S->row_a, S->cells + a * nd, (size_t)nd);
	S->row_a[d] = (int8_t)ce;
	S->row_a[e] = (int8_t)cd;
	ch[0] = (struct change){d, cd, ce};
	ch[1] = (struct change){e, ce, cd};
	return try_move(S, a, -1, ch, 2, temp);
}

/* W-6: why day d's shift s is short, for the report. */
static void explain(const struct search *S, int d, int s, struct kf_roster_shortfall *out)
{
	const struct model *m = &S->m;
	int nd = m->nd;
	memset(out, 0, sizeof(*out));
	out->day = d;
	out->shift = s;
	out->need = m->p->need[d][s];
	out->assigned = S->count[d * m->ns + s];
	int8_t *row = kf_xmalloc((size_t)nd);
	for (int a = 0; a < m->na; a++) {
		int c = S->cells[a * nd + d];
		if (c == KF_ROSTER_LEAVE)
			out->on_leave++;
		else if (c >= 0 && c != s)
			out->on_other_shift++;
		else if (c == KF_ROSTER_REST) {
			memcpy(row, S->cells + a * nd, (size_t)nd);
			row[d] = (int8_t)s;
			if (row_feasible(m, a, row))
				out->rest_free++;
			else
				out->rest_required++;
		}
	}
	free(row);
	char parts[200] = "";
	size_t len = 0;
	const char *sep = "";
	const struct {
		int n;
		const char *what;
	} why[] = {
	    {out->on_leave, "on approved leave"},
	    {out->on_other_shift, "on other shifts"},
	    {out->rest_required, "resting as W-4 or their target days require"},
	    {out->rest_free, "resting although free"},
	};
	for (size_t i = 0; i < sizeof(why) / sizeof(why[0]); i++) {
		if (!why[i].n || len >= sizeof(parts))
			continue;
		len += (size_t)snprintf(parts + len, sizeof(parts) - len, "%s%d %s", sep, why[i].n,
					why[i].what);
		sep = ", ";
	}
	snprintf(out->message, sizeof(out->message),
		 "%04d-%02d-%02d %s: need %d, %d assigned (short %d) of %d agents%s%s", m->p->year,
		 m->p->month, d + 1, m->p->shifts[s].name, out->need, out->assigned,
		 out->need - out->assigned, m->na, parts[0] ? ": " : "", parts);
}

/* options.initial: checked and copied into the search. */
static int use_initial(struct search *S, const int8_t *cells, struct kf_err *err)
{
	const struct model *m = &S->m;
	int nd = m->nd, ns = m->ns;
	for (int a = 0; a < m->na; a++) {
		const int8_t *row = cells + a * nd;
		char f[48];
		for (int d = 0; d < nd; d++) {
			bool leave = m->p->agents[a].leave >> d & 1;
			if (row[d] < KF_ROSTER_LEAVE || row[d] >= ns ||
			    (row[d] == KF_ROSTER_LEAVE) != leave) {
				snprintf(f, sizeof(f), "initial[%d][%d]", a, d);
				return kf_err_field(err, KF_EINVALID, f,
						    leave ? "must be leave: leave was approved"
							  : "must be a shift index or rest");
			}
		}
		if (!row_feasible(m, a, row)) {
			snprintf(f, sizeof(f), "initial[%d]", a);
			return kf_err_field(err, KF_EINVALID, f, "%s's row breaks a hard rule",
					    m->p->agents[a].id);
		}
	}
	memcpy(S->cells, cells, (size_t)m->na * (size_t)nd);
	count_cells(m, S->cells, S->count);
	return 0;
}

int kf_roster_generate(const struct kf_roster_problem *p, const struct kf_roster_options *opt,
		       struct kf_roster_result *out, struct kf_err *err)
{
	memset(out, 0, sizeof(*out));
	int rc = kf_roster_check_problem(p, err);
	if (rc)
		return rc;
	if (opt->iterations < 0)
		return kf_err_field(err, KF_EINVALID, "iterations", "must be 0 or more");
	if (!isfinite(opt->start_temperature) || !isfinite(opt->end_temperature))
		return kf_err_field(err, KF_EINVALID, "start_temperature", "must be finite");
	struct search S;
	memset(&S, 0, sizeof(S));
	model_init(&S.m, p);
	int nd = S.m.nd, ns = S.m.ns, na = S.m.na;
	size_t ncells = (size_t)na * (size_t)nd;
	S.cells = kf_xcalloc(ncells + 1, 1);
	S.count = kf_xcalloc((size_t)(nd * ns), sizeof(int));
	S.acost = kf_xcalloc((size_t)na + 1, sizeof(double));
	S.aviol = kf_xcalloc((size_t)na + 1, sizeof(int));
	S.row_a = kf_xmalloc((size_t)nd);
	S.row_b = kf_xmalloc((size_t)nd);
	rng_seed(&S.rng, opt->seed);
	S.dp_period = opt->row_dp_period;
	S.force_d = -1;

	if (opt->initial) {
		rc = use_initial(&S, opt->initial, err);
		if (rc) {
			free(S.cells);
			free(S.count);
			free(S.acost);
			free(S.aviol);
			free(S.row_a);
			free(S.row_b);
			model_free(&S.m);
			return rc;
		}
	} else
		construct(&S);
	sync_search(&S);
	out->stats.initial_cost = S.cost;
	if (opt->progress)
		opt->progress(opt->progress_ctx, 0, S.cost, S.shortfall, S.hard);

	int8_t *best = kf_xmalloc(ncells + 1);
	memcpy(best, S.cells, ncells);
	double best_cost = S.cost;
	double t0 = opt->start_temperature > 0 ? opt->start_temperature : 50;
	double t1 = opt->end_temperature > 0 ? opt->end_temperature : 0.05;
	if (t1 > t0)
		t1 = t0;
	double alpha = opt->iterations > 0 ? pow(t1 / t0, 1.0 / (double)opt->iterations) : 1;
	double temp = t0;
	long it = 0, accepted = 0;
	for (; na > 0 && it < opt->iterations; it++) {
		if (opt->stop && (it & 4095) == 0 && it && opt->stop(opt->stop_ctx))
			break;
		if (step(&S, temp)) {
			accepted++;
			if (S.cost < best_cost - 1e-9) {
				best_cost = S.cost;
				memcpy(best, S.cells, ncells);
				out->stats.improved_at = it;
				if (opt->progress)
					opt->progress(opt->progress_ctx, it + 1, S.cost,
						      S.shortfall, S.hard);
			}
		}
		temp *= alpha;
	}
	memcpy(S.cells, best, ncells);
	free(best);
	count_cells(&S.m, S.cells, S.count);
	if (S.m.x && S.dp_period >= 0) {
		polish(&S);
		if (opt->eject > 0)
			eject(&S, opt->eject, opt->stop, opt->stop_ctx);
		if (opt->progress && S.cost < best_cost - 1e-9)
			opt->progress(opt->progress_ctx, it, S.cost, S.shortfall, S.hard);
	}
	if (S.m.x && opt->lns_rounds > 0)
		lns(&S, opt);
	fill_stats(&S.m, S.cells, S.count, &out->stats);
	out->stats.iterations = it;
	out->stats.accepted = accepted;

	for (int d = 0; d < nd; d++)
		for (int s = 0; s < ns; s++)
			if (S.count[d * ns + s] < p->need[d][s])
				out->nshort++;
	out->shortfalls = kf_xcalloc((size_t)out->nshort + 1, sizeof(*out->shortfalls));
	int k = 0;
	for (int d = 0; d < nd; d++)
		for (int s = 0; s < ns; s++)
			if (S.count[d * ns + s] < p->need[d][s])
				explain(&S, d, s, &out->shortfalls[k++]);
	out->ndays = nd;
	out->nagents = na;
	out->cells = S.cells;
	free(S.count);
	free(S.acost);
	free(S.aviol);
	free(S.dp_cost[0]);
	free(S.dp_cost[1]);
	free(S.dp_from);
	free(S.dp_live[0]);
	free(S.dp_live[1]);
	free(S.row_a);
	free(S.row_b);
	model_free(&S.m);
	return 0;
}

void kf_roster_result_free(struct kf_roster_result *r)
{
	free(r->cells);
	free(r->shortfalls);
	memset(r, 0, sizeof(*r));
}

/* ---- Checker (W-6) -------------------------------------------------------- */

static void add_violation(struct kf_roster_violations *v, enum kf_roster_violation_kind kind,
			  bool hard, const char *rule, int agent, int day, int shift,
			  const char *fmt, ...) __attribute__((format(printf, 8, 9)));

static void add_violation(struct kf_roster_violations *v, enum kf_roster_violation_kind kind,
			  bool hard, const char *rule, int agent, int day, int shift,
			  const char *fmt, ...)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 16;
		v->v = kf_xrealloc(v->v, sizeof(*v->v) * (size_t)v->cap);
	}
	struct kf_roster_violation *x = &v->v[v->n++];
	x->kind = kind;
	x->hard = hard;
	snprintf(x->rule, sizeof(x->rule), "%s", rule);
	x->agent = agent;
	x->day = day;
	x->shift = shift;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(x->message, sizeof(x->message), fmt, ap);
	va_end(ap);
	v->nhard += hard;
}

static void check_fairness(const struct model *m, const int8_t *cells,
			   struct kf_roster_violations *out)
{
	static const char *const what[3] = {"late shifts", "weekend shifts", "holiday shifts"};
	double total[3] = {0}, tsum[3] = {0};
	int *cnt = kf_xcalloc((size_t)m->na * 3 + 1, sizeof(int));
	for (int a = 0; a < m->na; a++) {
		struct agent_counts c;
		row_counts(m, a, cells + a * m->nd, &c);
		cnt[a * 3] = c.late;
		cnt[a * 3 + 1] = c.weekend;
		cnt[a * 3 + 2] = c.holiday;
		for (int k = 0; k < 3; k++) {
			if (k == 0 && volunteers_late(m, a))
				continue;
			total[k] += cnt[a * 3 + k];
			tsum[k] += m->target[a];
		}
	}
	for (int a = 0; a < m->na; a++)
		for (int k = 0; k < 3; k++) {
			if (tsum[k] <= 0 || (k == 0 && volunteers_late(m, a)))
				continue;
			double share = total[k] * m->target[a] / tsum[k];
			if (fabs(cnt[a * 3 + k] - share) > 1 + 1e-9)
				add_violation(out, KF_RV_FAIRNESS, false, "W-5", a, -1, -1,
					      "%s has %d %s, %.1f would be their share",
					      m->p->agents[a].id, cnt[a * 3 + k], what[k], share);
		}
	free(cnt);
}

int kf_roster_check(const struct kf_roster_problem *p, const int8_t *cells,
		    struct kf_roster_violations *out, struct kf_err *err)
{
	memset(out, 0, sizeof(*out));
	int rc = kf_roster_check_problem(p, err);
	if (rc)
		return rc;
	struct model m;
	model_init(&m, p);
	int nd = m.nd, ns = m.ns;
	for (int a = 0; a < m.na; a++)
		for (int d = 0; d < nd; d++) {
			int c = cells[a * nd + d];
			if (c < KF_ROSTER_LEAVE || c >= ns ||
			    (c == KF_ROSTER_LEAVE && !(p->agents[a].leave >> d & 1))) {
				char f[48];
				snprintf(f, sizeof(f), "cells[%d][%d]", a, d);
				model_free(&m);
				return kf_err_field(err, KF_EINVALID, f,
						    c == KF_ROSTER_LEAVE
							? "is leave, but no leave was approved"
							: "must be a shift index, rest or leave");
			}
		}
	int *count = kf_xcalloc((size_t)(nd * ns), sizeof(int));
	count_cells(&m, cells, count);
	const struct kf_roster_rules *r = &p->rules;
	for (int a = 0; a < m.na; a++) {
		const struct kf_roster_agent *ag = &p->agents[a];
		const int8_t *row = cells + a * nd;
		int streak = ag->worked_days_before, worked = 0, rests = 0;
		for (int d = 0; d < nd; d++) {
			int c = row[d];
			bool leave = ag->leave >> d & 1;
			if (c < 0) {
				streak = 0;
				rests += !leave;
				continue;
			}
			const char *sn = p->shifts[c].name;
			worked++;
			if (leave)
				add_violation(
				    out, KF_RV_ON_LEAVE, true, "W-6", a, d, c,
				    "%s is on approved leave on %04d-%02d-%02d but has the "
				    "%s shift",
				    ag->id, p->year, p->month, d + 1, sn);
			if (++streak == r->max_consecutive_work_days + 1)
				add_violation(out, KF_RV_CONSECUTIVE, true, "W-4", a, d, c,
					      "%s works more than %d days in a row up to "
					      "%04d-%02d-%02d",
					      ag->id, r->max_consecutive_work_days, p->year,
					      p->month, d + 1);
			int pe = prev_end_of(&m, a, row, d);
			if (pe >= 0) {
				int gap = rest_between(&m, pe, c);
				if (r->hard_min_rest_minutes && gap < r->hard_min_rest_minutes)
					add_violation(
					    out, KF_RV_REST_HOURS, true, "W-4", a, d, c,
					    "%s rests %d h %02d min before the %s shift of "
					    "%04d-%02d-%02d, at least %d min required",
					    ag->id, gap / 60, gap % 60, sn, p->year, p->month,
					    d + 1, r->hard_min_rest_minutes);
				else if (gap < r->soft_min_rest_minutes)
					add_violation(out, KF_RV_QUICK_RETURN, false, "W-4", a, d,
						      c,
						      "%s rests only %d h %02d min before the %s "
						      "shift of %04d-%02d-%02d",
						      ag->id, gap / 60, gap % 60, sn, p->year,
						      p->month, d + 1);
			}
			if (ag->wish_off >> d & 1)
				add_violation(out, KF_RV_WISH_OFF, false, "W-6", a, d, c,
					      "%s asked for %04d-%02d-%02d off", ag->id, p->year,
					      p->month, d + 1);
			if (ag->preferred_shift >= 0 && ag->preferred_shift != c)
				add_violation(out, KF_RV_PREFERRED, false, "W-6", a, d, c,
					      "%s prefers the %s shift, not %s on %04d-%02d-%02d",
					      ag->id, p->shifts[ag->preferred_shift].name, sn,
					      p->year, p->month, d + 1);
		}
		if (rests < m.rest_req[a])
			add_violation(out, KF_RV_REST_DAYS, true, "W-4", a, -1, -1,
				      "%s has %d rest days in the month, at least %d required",
				      ag->id, rests, m.rest_req[a]);
		if (ag->target_work_days >= 0 && worked > ag->target_work_days)
			add_violation(out, KF_RV_TOO_MANY_DAYS, false, "W-6", a, -1, -1,
				      "%s works %d days, more than their %d", ag->id, worked,
				      ag->target_work_days);
	}
	for (int d = 0; d < nd; d++)
		for (int s = 0; s < ns; s++)
			if (count[d * ns + s] < p->need[d][s])
				add_violation(out, KF_RV_COVERAGE, true, "W-3", -1, d, s,
					      "%04d-%02d-%02d %s: %d of the %d agents needed",
					      p->year, p->month, d + 1, p->shifts[s].name,
					      count[d * ns + s], p->need[d][s]);
	check_fairness(&m, cells, out);
	free(count);
	model_free(&m);
	return 0;
}

void kf_roster_violations_free(struct kf_roster_violations *v)
{
	free(v->v);
	memset(v, 0, sizeof(*v));
}
