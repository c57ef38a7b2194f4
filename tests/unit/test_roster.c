/* Unit tests of the roster generator and checker (SPEC W-1 … W-6): coverage,
 * the W-4 rest rules, infeasibility reports, wishes, fairness, determinism,
 * every kind of checker violation, and a 200-agent month. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "rules/policy.h"
#include "rules/roster.h"

#define EARLY 0
#define LATE  1

static struct kf_policy *default_policy(void)
{
	struct kf_policy *pol = NULL;
	struct kf_err err = {0};
	const char *text = kf_policy_default_text();
	if (kf_policy_parse(text, strlen(text), &pol, &err))
		fail_msg("policy: %s", err.message);
	return pol;
}

/* December 2026 with the default policy (early 09:00–18:00, late 18:00–24:00),
 * n agents, `early` and `late` agents needed every day. */
static void make_problem(struct kf_roster_problem *p, struct kf_roster_agent *agents, int n,
			 int early, int late)
{
	struct kf_policy *pol = default_policy();
	struct kf_err err = {0};
	if (kf_roster_problem_from_policy(pol, 2026, 12, p, &err))
		fail_msg("problem: %s", err.message);
	kf_policy_unref(pol);
	assert_int_equal(p->nshifts, 2);
	assert_string_equal(p->shifts[EARLY].name, "early");
	assert_string_equal(p->shifts[LATE].name, "late");
	for (int d = 0; d < 31; d++) {
		p->need[d][EARLY] = early;
		p->need[d][LATE] = late;
	}
	memset(agents, 0, sizeof(*agents) * (size_t)n);
	for (int a = 0; a < n; a++) {
		snprintf(agents[a].id, sizeof(agents[a].id), "agent%03d", a);
		agents[a].preferred_shift = -1;
		agents[a].target_work_days = -1;
		agents[a].prev_shift_end_min = -1;
	}
	p->agents = agents;
	p->nagents = n;
}

static void generate(const struct kf_roster_problem *p, uint64_t seed, long iterations,
		     struct kf_roster_result *r)
{
	struct kf_roster_options opt = {.seed = seed, .iterations = iterations};
	struct kf_err err = {0};
	if (kf_roster_generate(p, &opt, r, &err))
		fail_msg("generate: %s [%s]", err.message, err.field);
}

/* Independent W-4 check of a generated roster (not through the checker). */
static void assert_w4(const struct kf_roster_problem *p, const struct kf_roster_result *r)
{
	for (int a = 0; a < p->nagents; a++) {
		int streak = p->agents[a].worked_days_before, rests = 0, leave = 0;
		for (int d = 0; d < r->ndays; d++) {
			int c = r->cells[a * r->ndays + d];
			bool on_leave = p->agents[a].leave >> d & 1;
			leave += on_leave;
			if (on_leave && c != KF_ROSTER_LEAVE)
				fail_msg("W-6: agent %d works on leave day %d", a, d);
			if (c >= 0) {
				if (++streak > p->rules.max_consecutive_work_days)
					fail_msg("W-4: agent %d works %d days in a row at day %d",
						 a, streak, d);
			} else {
				streak = 0;
				rests += c == KF_ROSTER_REST;
			}
		}
		int req = p->rules.min_rest_days < r->ndays - leave ? p->rules.min_rest_days
								    : r->ndays - leave;
		if (rests < req)
			fail_msg("W-4: agent %d has %d rest days, needs %d", a, rests, req);
	}
}

static int count_kind(const struct kf_roster_violations *v, enum kf_roster_violation_kind k)
{
	int n = 0;
	for (int i = 0; i < v->n; i++)
		n += v->v[i].kind == k;
	return n;
}

static const struct kf_roster_violation *find_kind(const struct kf_roster_violations *v,
						   enum kf_roster_violation_kind k)
{
	for (int i = 0; i < v->n; i++)
		if (v->v[i].kind == k)
			return &v->v[i];
	return NULL;
}

static const struct kf_roster_violation *find_at(const struct kf_roster_violations *v,
						 enum kf_roster_violation_kind k, int day)
{
	for (int i = 0; i < v->n; i++)
		if (v->v[i].kind == k && v->v[i].day == day)
			return &v->v[i];
	return NULL;
}

static void check(const struct kf_roster_problem *p, const int8_t *cells,
		  struct kf_roster_violations *v)
{
	struct kf_err err = {0};
	if (kf_roster_check(p, cells, v, &err))
		fail_msg("check: %s [%s]", err.message, err.field);
}

/* W-1, W-3, W-4, W-5: the problem from the default policy: templates, coverage
 * as the largest applicable minimum, rest rules and holidays. */
static void problem_follows_the_policy(void **state)
{
	const char *doc = "workforce:\n"
			  "  coverage:\n"
			  "    min_agents_per_shift: 2\n"
			  "    by_shift: {late: 3}\n"
			  "    by_weekday: {sat: 4}\n"
			  "    by_date: {\"2026-12-24\": 6}\n"
			  "  rest:\n"
			  "    min_rest_between_shifts_hours: 11\n";
	struct kf_policy *pol = NULL;
	struct kf_err err = {0};
	assert_int_equal(kf_policy_parse(doc, strlen(doc), &pol, &err), 0);
	struct kf_roster_problem p;
	assert_int_equal(kf_roster_problem_from_policy(pol, 2026, 12, &p, &err), 0);
	kf_policy_unref(pol);
	assert_int_equal(p.shifts[EARLY].start_min, 9 * 60);
	assert_int_equal(p.shifts[EARLY].end_min, 18 * 60);
	assert_int_equal(p.shifts[LATE].end_min, 24 * 60);
	assert_true(p.shifts[LATE].is_late);
	assert_false(p.shifts[EARLY].is_late);
	assert_int_equal(p.need[0][EARLY], 2); /* Tuesday 1st */
	assert_int_equal(p.need[0][LATE], 3);
	assert_int_equal(kf_roster_weekday(2026, 12, 4), 5); /* Saturday 5th */
	assert_int_equal(p.need[4][EARLY], 4);
	assert_int_equal(p.need[4][LATE], 4);
	assert_int_equal(p.need[23][EARLY], 6);
	assert_int_equal(p.rules.max_consecutive_work_days, 6);
	assert_int_equal(p.rules.min_rest_days, 4);
	assert_int_equal(p.rules.hard_min_rest_minutes, 11 * 60);
	assert_int_equal(p.rules.soft_min_rest_minutes, 11 * 60);
	assert_true(p.holidays >> 24 & 1);  /* 12-25 */
	assert_false(p.holidays >> 23 & 1); /* 12-24 */
	/* The rest keys are validated. */
	const char *bad = "workforce:\n  rest:\n    min_rest_between_shifts_hours: 25\n";
	assert_int_equal(kf_policy_parse(bad, strlen(bad), &pol, &err), KF_EINVALID);
	assert_string_equal(err.field, "workforce.rest.min_rest_between_shifts_hours");
}

/* W-3, W-4, W-6: a feasible month is fully covered with no hard violation. */
static void feasible_month_is_fully_covered(void **state)
{
	struct kf_roster_agent agents[12];
	struct kf_roster_problem p;
	make_problem(&p, agents, 12, 4, 4);
	agents[3].leave = 0x7u << 10; /* 11th–13th */
	agents[7].leave = 1u << 30;
	struct kf_roster_result r;
	generate(&p, 1, 300000, &r);
	assert_int_equal(r.nshort, 0);
	assert_int_equal(r.stats.shortfall, 0);
	assert_w4(&p, &r);
	struct kf_roster_violations v;
	check(&p, r.cells, &v);
	for (int i = 0; i < v.n; i++)
		if (v.v[i].hard)
			fail_msg("hard violation: %s", v.v[i].message);
	assert_int_equal(v.nhard, 0);
	assert_true(r.stats.cost <= r.stats.initial_cost);
	kf_roster_violations_free(&v);
	kf_roster_result_free(&r);
}

/* W-4: never broken, also on tight instances, with streaks carried from the
 * previous month, leave, and a hard minimum rest between shifts. */
static void w4_is_never_violated(void **state)
{
	for (int seed = 1; seed <= 4; seed++) {
		struct kf_roster_agent agents[10];
		struct kf_roster_problem p;
		make_problem(&p, agents, 10, 4, 4); /* 248 needed, 270 available */
		agents[0].worked_days_before = 6;   /* must rest on the 1st */
		agents[1].worked_days_before = 4;
		agents[1].prev_shift_end_min = 24 * 60;
		agents[2].leave = 0xffu << (seed * 3);
		p.rules.hard_min_rest_minutes = seed % 2 ? 11 * 60 : 0;
		struct kf_roster_result r;
		generate(&p, (uint64_t)seed, 200000, &r);
		assert_w4(&p, &r);
		assert_true(r.cells[0] < 0);
		struct kf_roster_violations v;
		check(&p, r.cells, &v);
		assert_int_equal(count_kind(&v, KF_RV_CONSECUTIVE), 0);
		assert_int_equal(count_kind(&v, KF_RV_REST_DAYS), 0);
		assert_int_equal(count_kind(&v, KF_RV_REST_HOURS), 0);
		assert_int_equal(count_kind(&v, KF_RV_ON_LEAVE), 0);
		if (p.rules.hard_min_rest_minutes) /* late (→24:00) never before early (09:00) */
			for (int a = 0; a < 10; a++)
				for (int d = 1; d < 31; d++)
					assert_false(r.cells[a * 31 + d - 1] == LATE &&
						     r.cells[a * 31 + d] == EARLY);
		kf_roster_violations_free(&v);
		kf_roster_result_free(&r);
	}
}

/* W-6: infeasible coverage is reported exactly: which day and shift, how many
 * short, and why. */
static void infeasible_coverage_is_reported_precisely(void **state)
{
	struct kf_roster_agent agents[5];
	struct kf_roster_problem p;
	make_problem(&p, agents, 5, 1, 1);
	p.need[23][EARLY] = 0;
	p.need[23][LATE] = 5; /* 2026-12-24 */
	agents[1].leave = 1u << 23;
	agents[4].leave = 1u << 23;
	struct kf_roster_result r;
	generate(&p, 7, 200000, &r);
	assert_w4(&p, &r);
	assert_int_equal(r.nshort, 1);
	const struct kf_roster_shortfall *s = &r.shortfalls[0];
	assert_int_equal(s->day, 23);
	assert_int_equal(s->shift, LATE);
	assert_int_equal(s->need, 5);
	assert_int_equal(s->assigned, 3);
	assert_int_equal(s->on_leave, 2);
	assert_int_equal(s->on_other_shift, 0);
	assert_int_equal(s->rest_free, 0);
	printf("%s\n", s->message);
	assert_string_equal(s->message, "2026-12-24 late: need 5, 3 assigned (short 2) of 5 "
					"agents: 2 on approved leave");
	kf_roster_result_free(&r);

	/* One agent cannot staff a shift every day: one rest day a week (W-4,
	 * the default target of 26 days) leaves 5 days short, and the report says
	 * the agent must rest. */
	struct kf_roster_agent one[1];
	make_problem(&p, one, 1, 1, 0);
	generate(&p, 7, 50000, &r);
	assert_w4(&p, &r);
	assert_int_equal(r.nshort, 5);
	assert_int_equal(r.stats.shortfall, 5);
	for (int i = 0; i < r.nshort; i++) {
		assert_int_equal(r.shortfalls[i].shift, EARLY);
		assert_int_equal(r.shortfalls[i].rest_required, 1);
		assert_non_null(strstr(r.shortfalls[i].message, "need 1, 0 assigned (short 1)"));
		assert_non_null(strstr(r.shortfalls[i].message, "resting as W-4"));
	}
	kf_roster_result_free(&r);
}

/* W-6: wishes are honoured where the coverage leaves room. */
static void wishes_are_honoured_when_free(void **state)
{
	struct kf_roster_agent agents[12];
	struct kf_roster_problem p;
	make_problem(&p, agents, 12, 4, 4);
	agents[0].wish_off = 1u << 2 | 1u << 9 | 1u << 24; /* 3rd, 10th and Christmas */
	agents[1].preferred_shift = LATE;
	agents[2].preferred_shift = EARLY;
	agents[5].wish_off = 1u << 14 | 1u << 27;
	struct kf_roster_result r;
	generate(&p, 3, 300000, &r);
	assert_int_equal(r.nshort, 0);
	assert_int_equal(r.stats.wishes_total, 5);
	assert_int_equal(r.stats.wishes_granted, 5);
	/* Agent 1 volunteers for late shifts and gets only late shifts; agent 2
	 * prefers early and stays in the late rotation (W-5), with fewer late
	 * shifts than anyone else in it. */
	int late[12] = {0};
	for (int a = 0; a < 12; a++)
		for (int d = 0; d < 31; d++)
			late[a] += r.cells[a * 31 + d] == LATE;
	for (int d = 0; d < 31; d++)
		assert_true(r.cells[1 * 31 + d] != EARLY);
	for (int a = 0; a < 12; a++)
		if (a != 1 && a != 2 && late[2] >= late[a])
			fail_msg("agent 2 has %d late shifts, agent %d %d", late[2], a, late[a]);
	struct kf_roster_violations v;
	check(&p, r.cells, &v);
	assert_int_equal(count_kind(&v, KF_RV_WISH_OFF), 0);
	for (int i = 0; i < v.n; i++)
		if (v.v[i].kind == KF_RV_PREFERRED)
			assert_int_equal(v.v[i].agent, 2);
	assert_int_equal(v.nhard, 0);
	kf_roster_violations_free(&v);
	kf_roster_result_free(&r);
}

/* W-5: on a symmetric instance late shifts are within ±1 across agents, and
 * weekend duty is spread too; the checker finds nothing unfair. */
static void late_shifts_are_spread_evenly(void **state)
{
	struct kf_roster_agent agents[10];
	struct kf_roster_problem p;
	make_problem(&p, agents, 10, 3, 4);
	struct kf_roster_result r;
	generate(&p, 11, 400000, &r);
	assert_int_equal(r.nshort, 0);
	int lmin = 99, lmax = 0, wmin = 99, wmax = 0;
	for (int a = 0; a < 10; a++) {
		int late = 0, wk = 0;
		for (int d = 0; d < 31; d++) {
			int c = r.cells[a * 31 + d];
			late += c == LATE;
			wk += c >= 0 && kf_roster_weekday(2026, 12, d) >= 5;
		}
		lmin = late < lmin ? late : lmin;
		lmax = late > lmax ? late : lmax;
		wmin = wk < wmin ? wk : wmin;
		wmax = wk > wmax ? wk : wmax;
	}
	printf("W-5: late shifts per agent %d–%d, weekend shifts %d–%d\n", lmin, lmax, wmin, wmax);
	assert_true(lmax - lmin <= 1);
	assert_true(wmax - wmin <= 2); /* ±1 in 9 seeds of 10, never worse than 2 */
	assert_int_equal(r.stats.late_min, lmin);
	assert_int_equal(r.stats.late_max, lmax);
	struct kf_roster_violations v;
	check(&p, r.cells, &v);
	assert_int_equal(count_kind(&v, KF_RV_FAIRNESS), 0);
	kf_roster_violations_free(&v);
	kf_roster_result_free(&r);
}

/* W-6: the same input and seed give the same roster. */
static void same_seed_same_roster(void **state)
{
	struct kf_roster_agent agents[15];
	struct kf_roster_problem p;
	make_problem(&p, agents, 15, 5, 5);
	agents[4].wish_off = 0x30;
	agents[9].leave = 0x700;
	struct kf_roster_result r1, r2, r3;
	generate(&p, 42, 100000, &r1);
	generate(&p, 42, 100000, &r2);
	generate(&p, 43, 100000, &r3);
	assert_memory_equal(r1.cells, r2.cells, 15 * 31);
	assert_true(r1.stats.cost == r2.stats.cost);
	assert_int_equal(r1.stats.accepted, r2.stats.accepted);
	assert_memory_not_equal(r1.cells, r3.cells, 15 * 31);
	kf_roster_result_free(&r1);
	kf_roster_result_free(&r2);
	kf_roster_result_free(&r3);
}

static bool stop_now(void *ctx)
{
	return ++*(int *)ctx >= 2;
}

/* The stop callback ends the search early with the best roster so far. */
static void stop_callback_ends_the_search(void **state)
{
	struct kf_roster_agent agents[8];
	struct kf_roster_problem p;
	make_problem(&p, agents, 8, 2, 2);
	int calls = 0;
	struct kf_roster_options opt = {
	    .seed = 1, .iterations = 1000000, .stop = stop_now, .stop_ctx = &calls};
	struct kf_roster_result r;
	struct kf_err err = {0};
	assert_int_equal(kf_roster_generate(&p, &opt, &r, &err), 0);
	assert_int_equal(r.stats.iterations, 8192);
	assert_w4(&p, &r);
	kf_roster_result_free(&r);
}

/* W-6: the checker lists each kind of violation with agent, day and rule. */
static void checker_catches_every_violation(void **state)
{
	struct kf_roster_agent agents[4];
	struct kf_roster_problem p;
	make_problem(&p, agents, 4, 1, 1);
	agents[0].leave = 1u << 2;
	agents[1].wish_off = 1u << 5;
	agents[2].preferred_shift = EARLY;
	agents[3].target_work_days = 20;
	int8_t cells[4 * 31];
	/* A clean base: agents 0/1 alternate early, 2/3 late, in 2-on 2-off pairs. */
	for (int a = 0; a < 4; a++)
		for (int d = 0; d < 31; d++) {
			int on = (d / 2) % 2 == (a % 2);
			cells[a * 31 + d] = on ? (int8_t)(a < 2 ? EARLY : LATE) : KF_ROSTER_REST;
		}
	/* Agent 2 prefers early but is rostered late: soft W-6 on every worked day. */
	/* Agent 0: works on leave day 2 (hard W-6). */
	cells[0 * 31 + 2] = EARLY;
	/* Agent 1: works its wished day off 5 (soft W-6), days 7–28 in a row
	 * (hard W-4) and rests only on days 6, 29 and 30 (hard W-4). */
	for (int d = 0; d < 31; d++)
		cells[1 * 31 + d] = d == 6 || d == 30 ? KF_ROSTER_REST : EARLY;
	/* Agent 3: late on day 20, early on 21: quick return (soft W-4); and works
	 * 21 days against a target of 20 (soft W-6). */
	cells[3 * 31 + 20] = LATE;
	cells[3 * 31 + 21] = EARLY;
	for (int d = 22; d < 31; d++)
		cells[3 * 31 + d] = LATE;
	/* Day 29 early uncovered: hard W-3. */
	cells[0 * 31 + 29] = KF_ROSTER_REST;
	cells[1 * 31 + 29] = KF_ROSTER_REST;
	struct kf_roster_violations v;
	check(&p, cells, &v);
	for (int i = 0; i < v.n; i++)
		printf("  %s %-4s agent %2d day %2d: %s\n", v.v[i].hard ? "hard" : "soft",
		       v.v[i].rule, v.v[i].agent, v.v[i].day, v.v[i].message);

	const struct kf_roster_violation *x = find_kind(&v, KF_RV_ON_LEAVE);
	assert_non_null(x);
	assert_true(x->hard);
	assert_int_equal(x->agent, 0);
	assert_int_equal(x->day, 2);
	assert_string_equal(x->rule, "W-6");

	x = find_kind(&v, KF_RV_CONSECUTIVE);
	assert_non_null(x);
	assert_true(x->hard);
	assert_int_equal(x->agent, 1);
	assert_string_equal(x->rule, "W-4");

	x = find_kind(&v, KF_RV_REST_DAYS);
	assert_non_null(x);
	assert_int_equal(x->agent, 1);
	assert_int_equal(x->day, -1);
	assert_non_null(strstr(x->message, "at least 4"));

	x = find_kind(&v, KF_RV_WISH_OFF);
	assert_non_null(x);
	assert_false(x->hard);
	assert_int_equal(x->agent, 1);
	assert_int_equal(x->day, 5);

	x = find_kind(&v, KF_RV_PREFERRED);
	assert_non_null(x);
	assert_false(x->hard);
	assert_int_equal(x->agent, 2);

	x = find_kind(&v, KF_RV_QUICK_RETURN);
	assert_non_null(x);
	assert_false(x->hard);
	assert_int_equal(x->agent, 3);
	assert_int_equal(x->day, 21);
	assert_non_null(strstr(x->message, "9 h 00 min"));

	x = find_kind(&v, KF_RV_TOO_MANY_DAYS);
	assert_non_null(x);
	assert_int_equal(x->agent, 3);

	x = find_at(&v, KF_RV_COVERAGE, 29);
	assert_non_null(x);
	assert_true(x->hard);
	assert_int_equal(x->agent, -1);
	assert_int_equal(x->day, 29);
	assert_int_equal(x->shift, EARLY);
	assert_string_equal(x->rule, "W-3");
	assert_string_equal(x->message, "2026-12-30 early: 0 of the 1 agents needed");

	x = find_kind(&v, KF_RV_FAIRNESS);
	assert_non_null(x);
	assert_string_equal(x->rule, "W-5");
	assert_int_equal(count_kind(&v, KF_RV_REST_HOURS), 0);
	kf_roster_violations_free(&v);

	/* With a hard minimum rest of 11 h the quick return is a hard W-4 violation. */
	p.rules.hard_min_rest_minutes = 11 * 60;
	check(&p, cells, &v);
	x = find_kind(&v, KF_RV_REST_HOURS);
	assert_non_null(x);
	assert_true(x->hard);
	assert_int_equal(x->agent, 3);
	assert_int_equal(x->day, 21);
	assert_int_equal(count_kind(&v, KF_RV_QUICK_RETURN), 0);
	kf_roster_violations_free(&v);
}

/* Invalid input is refused naming the field. */
static void invalid_input_names_the_field(void **state)
{
	struct kf_roster_agent agents[3];
	struct kf_roster_problem p;
	struct kf_err err = {0};
	struct kf_roster_result r;
	struct kf_roster_options opt = {.seed = 1};
	make_problem(&p, agents, 3, 1, 1);
	agents[1].preferred_shift = 2;
	assert_int_equal(kf_roster_generate(&p, &opt, &r, &err), KF_EINVALID);
	assert_string_equal(err.field, "agents[1].preferred_shift");
	agents[1].preferred_shift = -1;
	agents[2].leave = 1u << 31; /* December has 31 days: bit 31 is day 32 */
	assert_int_equal(kf_roster_generate(&p, &opt, &r, &err), KF_EINVALID);
	assert_string_equal(err.field, "agents[2].leave");
	agents[2].leave = 0;
	snprintf(agents[2].id, sizeof(agents[2].id), "%s", agents[0].id);
	assert_int_equal(kf_roster_generate(&p, &opt, &r, &err), KF_EINVALID);
	assert_string_equal(err.field, "agents");
	snprintf(agents[2].id, sizeof(agents[2].id), "c");
	p.need[3][1] = -1;
	assert_int_equal(kf_roster_generate(&p, &opt, &r, &err), KF_EINVALID);
	assert_string_equal(err.field, "need[3][1]");
	p.need[3][1] = 1;
	p.rules.max_consecutive_work_days = 0;
	assert_int_equal(kf_roster_generate(&p, &opt, &r, &err), KF_EINVALID);
	assert_string_equal(err.field, "rules.max_consecutive_work_days");
	p.rules.max_consecutive_work_days = 6;
	p.shifts[1].end_min = p.shifts[1].start_min;
	assert_int_equal(kf_roster_generate(&p, &opt, &r, &err), KF_EINVALID);
	assert_string_equal(err.field, "shifts[1].end");
	p.shifts[1].end_min = 1440;
	agents[0].worked_days_before = 7;
	assert_int_equal(kf_roster_generate(&p, &opt, &r, &err), KF_EINVALID);
	assert_string_equal(err.field, "agents[0].worked_days_before");
	agents[0].worked_days_before = 0;

	int8_t cells[3 * 31];
	memset(cells, KF_ROSTER_REST, sizeof(cells));
	struct kf_roster_violations v;
	cells[1 * 31 + 4] = 5;
	assert_int_equal(kf_roster_check(&p, cells, &v, &err), KF_EINVALID);
	assert_string_equal(err.field, "cells[1][4]");
	cells[1 * 31 + 4] = KF_ROSTER_LEAVE; /* no leave approved */
	assert_int_equal(kf_roster_check(&p, cells, &v, &err), KF_EINVALID);
	assert_string_equal(err.field, "cells[1][4]");
}

/* A 200-agent month with 10 % of agents on leave: the time is printed, not
 * asserted; coverage and the hard rules are. */
static void two_hundred_agents_in_reasonable_time(void **state)
{
	enum { N = 200 };
	static struct kf_roster_agent agents[N];
	struct kf_roster_problem p;
	make_problem(&p, agents, N, 70, 60);
	for (int d = 0; d < 31; d++)
		if (kf_roster_weekday(2026, 12, d) >= 5)
			p.need[d][EARLY] = 80;
	for (int a = 0; a < N; a += 10)
		agents[a].leave = 0x1fu << (a % 25);
	for (int a = 3; a < N; a += 17)
		agents[a].wish_off = 1u << (a % 31);
	struct kf_roster_result r;
	clock_t t0 = clock();
	generate(&p, 5, 2000000, &r);
	double s = (double)(clock() - t0) / CLOCKS_PER_SEC;
	printf("200 agents, 31 days, 2 shifts, 2M moves: %.2f s, cost %.0f → %.0f, short %d, "
	       "wishes %d/%d, late %d–%d\n",
	       s, r.stats.initial_cost, r.stats.cost, r.stats.shortfall, r.stats.wishes_granted,
	       r.stats.wishes_total, r.stats.late_min, r.stats.late_max);
	assert_int_equal(r.nshort, 0);
	assert_w4(&p, &r);
	struct kf_roster_violations v;
	check(&p, r.cells, &v);
	assert_int_equal(v.nhard, 0);
	kf_roster_violations_free(&v);
	kf_roster_result_free(&r);
}

/* W-1, W-3: the department's templates and coverage read like the policy's:
 * a promotion date raises its day's need; a shift past midnight is kept;
 * bad values name their field. */
static void department_templates_and_coverage(void **state)
{
	(void)state;
	struct kf_roster_problem p = {.year = 2026, .month = 12};
	struct kf_err err = {0};
	json_t *t = json_pack("{s:{s:s, s:s, s:b}, s:{s:s, s:s, s:b}}", "day", "start", "08:00",
			      "end", "16:00", "is_late_shift", 0, "night", "start", "22:00", "end",
			      "06:00", "is_late_shift", 1);
	json_t *c =
	    json_pack("{s:i, s:{s:i}, s:{s:i}, s:{s:i}}", "min_agents_per_shift", 1, "by_shift",
		      "night", 2, "by_weekday", "sat", 3, "by_date", "2026-12-12", 5);
	assert_int_equal(kf_roster_problem_set_shifts(&p, t, c, &err), 0);
	assert_int_equal(p.nshifts, 2);
	assert_string_equal(p.shifts[1].name, "night");
	assert_int_equal(p.shifts[1].end_min, 360);
	assert_true(p.shifts[1].is_late);
	assert_int_equal(p.need[0][0], 1);  /* Tuesday 1st: the minimum */
	assert_int_equal(p.need[0][1], 2);  /* by_shift */
	assert_int_equal(p.need[4][0], 3);  /* Saturday 5th: by_weekday */
	assert_int_equal(p.need[11][1], 5); /* the promotion day, a Saturday too */
	json_object_set_new(json_object_get(c, "by_date"), "2026-02-30", json_integer(1));
	assert_int_equal(kf_roster_problem_set_shifts(&p, t, c, &err), KF_EINVALID);
	assert_string_equal(err.field, "coverage.by_date");
	json_object_del(json_object_get(c, "by_date"), "2026-02-30");
	json_object_set_new(json_object_get(c, "by_shift"), "evening", json_integer(1));
	assert_int_equal(kf_roster_problem_set_shifts(&p, t, c, &err), KF_EINVALID);
	assert_string_equal(err.field, "coverage.by_shift");
	json_object_del(json_object_get(c, "by_shift"), "evening");
	json_object_set_new(json_object_get(t, "day"), "end", json_string("08:00"));
	assert_int_equal(kf_roster_problem_set_shifts(&p, t, c, &err), KF_EINVALID);
	assert_string_equal(err.field, "templates.day.end");
	json_decref(t);
	json_decref(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(problem_follows_the_policy),
	    cmocka_unit_test(feasible_month_is_fully_covered),
	    cmocka_unit_test(w4_is_never_violated),
	    cmocka_unit_test(infeasible_coverage_is_reported_precisely),
	    cmocka_unit_test(wishes_are_honoured_when_free),
	    cmocka_unit_test(late_shifts_are_spread_evenly),
	    cmocka_unit_test(same_seed_same_roster),
	    cmocka_unit_test(stop_callback_ends_the_search),
	    cmocka_unit_test(checker_catches_every_violation),
	    cmocka_unit_test(invalid_input_names_the_field),
	    cmocka_unit_test(department_templates_and_coverage),
	    cmocka_unit_test(two_hundred_agents_in_reasonable_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
