/* The monthly roster (排班表, SPEC W-1 … W-6): a generator and a checker.
 *
 * Pure: no I/O, no clock, no store. The caller brings the month, the shift
 * templates (W-1), the coverage needed per day and shift (W-3), the agents
 * with their approved leave and wishes, and the rest rules (W-4); the
 * *_from_policy helpers fill these from the policy document.
 *
 * A roster is an agents × days matrix of cells: a shift index, KF_ROSTER_REST
 * or KF_ROSTER_LEAVE (approved leave, fixed by the input).
 *
 * Hard rules (never broken by the generator; reported by the checker):
 *   W-6   no shift on a day of approved leave;
 *   W-4   at most max_consecutive_work_days working days in a row, counting
 *         the days an agent worked at the end of the previous month;
 *   W-4   at least min_rest_days rest days in the month (interpretation: leave
 *         days are not rest days, so leave does not eat the rest entitlement;
 *         an agent with fewer days than that off leave rests on all of them);
 *   W-4   at least hard_min_rest_minutes between the end of one shift and the
 *         start of the next (policy, 0 = off, the default);
 *   and the generator gives each agent at most target_work_days working days
 *   (the agent's contract, by default one rest day per started week as
 *   做六休一 has it, and never more than W-4 allows; in a hand-edited roster
 *   more days are a soft violation).
 * Coverage (W-3) is a goal, not a constraint: where the hard rules leave too
 * few agents, the generator reports the shortfall per day and shift and why.
 *
 * The objective (minimised; weights in struct kf_roster_weights):
 *   shortfall   × each agent missing from a day's shift (W-3);
 *   overstaff   × (agents above the need)² / (need + 1) per day and shift,
 *                 so that agents beyond the need spread over shifts and days
 *                 in proportion to the need;
 *   work_days   × |days worked − target_work_days| per agent;
 *   fairness    × Σ over agents of count² · D / target for late shifts,
 *                 weekend shifts and holiday shifts (W-5) — minimal when each
 *                 agent's count is proportional to their target days, i.e.
 *                 equal for equal agents (D = the month's days, a scale;
 *                 an agent who prefers a late shift volunteers for them and
 *                 is outside the late-shift rotation);
 *   wish_off    × each worked day the agent asked to have off;
 *   preferred   × each worked shift that is not the agent's preferred one;
 *   quick_return× each pair of shifts with less rest between them than
 *                 soft_min_rest_minutes (late followed by next day's early).
 *
 * The search: a greedy constructive start (day by day, the neediest shift
 * first, each slot to the eligible agent that suits it best), then simulated
 * annealing over four moves; a move that would break a hard rule is dropped:
 *   change      one agent's day to another shift or to rest (or rest to
 *               work); one move in ten aims at a short shift (a resting or
 *               overstaffed agent is put on it, giving up a day on an
 *               overstaffed shift elsewhere if their days are used up);
 *   swap        two agents exchange their cells on one day (coverage kept);
 *   duty trade  agent a works day d and not e, agent b the other way round,
 *               and they trade (a weekend duty for a weekday one; coverage
 *               and days worked kept);
 *   day exchange one agent exchanges two of their days (days worked kept),
 *               half the time a rest day with a day up to three days away.
 * Problems with extensions (problem.ext, below) also draw block moves (one
 * agent's 2–4 days set to one shift or rest, or two agents exchanging 2–4
 * days) and, after the annealing, re-optimise each agent's whole row in
 * turn by dynamic programming while that lowers the cost (the rules of ext
 * are per agent, so the best row for one agent given the others is exact);
 * options.row_dp_period also puts that re-optimisation among the moves,
 * options.eject adds ejection chains after it (an agent put on a short
 * shift with their row re-optimised around it, then the others' rows), and
 * options.lns_rounds a large-neighbourhood search (the rows of a few agents
 * re-solved together exactly, the rest of the roster fixed).
 * The default weights and their order are in docs/workforce.md.
 * The cost of a move is computed exactly from the two agents' rows and the
 * touched coverage cells. Moves are drawn from a private xorshift generator
 * seeded by the caller, so the result depends only on the input, the seed
 * and the iteration count. An optional stop callback (e.g. a deadline the
 * caller checks against its clock) can end the search early; the best roster
 * found so far is returned. */
#ifndef KF_RULES_ROSTER_H
#define KF_RULES_ROSTER_H
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "rules/policy.h"
#include "util/err.h"

#define KF_ROSTER_MAX_DAYS   31
#define KF_ROSTER_MAX_SHIFTS 16
#define KF_ROSTER_MAX_AGENTS 5000
#define KF_ROSTER_REST	     (-1)
#define KF_ROSTER_LEAVE	     (-2)

struct kf_roster_shift {
	char name[33];
	int start_min, end_min; /* minutes after midnight; end <= start: runs past midnight */
	bool is_late;		/* W-5, W-11, W-18 */
};

struct kf_roster_agent {
	char id[64];
	uint32_t leave;		/* bit d: approved leave on day d (0-based) */
	uint32_t wish_off;	/* bit d: the agent asked for day d off */
	int preferred_shift;	/* shift index, or -1 */
	int target_work_days;	/* -1: one rest day per week (per max consecutive
				 * working days + 1), at least the W-4 minimum */
	int worked_days_before; /* consecutive working days up to the end of last month */
	int prev_shift_end_min; /* end of last month's last-day shift, minutes after that
				 * day's midnight (may exceed 1440); -1 if not working */
};

struct kf_roster_rules {
	int max_consecutive_work_days; /* W-4, >= 1 */
	int min_rest_days;	       /* W-4, per month */
	int hard_min_rest_minutes;     /* between shifts, 0 = off */
	int soft_min_rest_minutes;     /* quick returns below this cost quick_return */
};

struct kf_roster_weights {
	double shortfall, overstaff, work_days, fairness, wish_off, preferred, quick_return;
};

/* Extra per-agent rules, used through struct kf_roster_ext (e.g. for the
 * Shift Scheduling Benchmark, roster_ssb.h). -1 or 0 as noted = none. */
struct kf_roster_agent_rules {
	int max_shifts[KF_ROSTER_MAX_SHIFTS]; /* per shift type, -1 = no limit */
	int min_minutes, max_minutes;	      /* total worked minutes; max -1 = no limit */
	int max_consecutive;		      /* working days in a row, -1 = no limit */
	int min_consecutive;		      /* working days in a row, 0 = none */
	int min_days_off;		      /* days off in a row, 0 = none */
	int max_weekends;		      /* weekends with a shift, -1 = no limit */
};

/* A wish for (on) or against (!on) a shift on a day, with its weight. */
struct kf_roster_request {
	int agent, day, shift, weight;
	bool on;
};

/* Optional extensions of the model (problem.ext, NULL = none). The agent
 * rules and the cannot-follow pairs are "soft-hard": the search may pass
 * through rosters that break them, at hard_weight per unit of violation,
 * because a start that keeps them is not easy to build (a minimum of total
 * minutes rules out the all-rest start); stats.hard_violations says whether
 * the result keeps them. Runs of working days or days off that touch the
 * first or last day of the horizon are exempt from min_consecutive and
 * min_days_off (the agent is assumed to continue beyond the edge). */
struct kf_roster_ext {
	int ndays; /* the horizon: the first ndays days of the month, 0 = all */
	/* bit t of cannot_follow[s]: shift t may not be worked the day after s */
	uint16_t cannot_follow[KF_ROSTER_MAX_SHIFTS];
	const struct kf_roster_agent_rules *agent_rules; /* nagents entries, or NULL */
	int nrequests;
	const struct kf_roster_request *requests;
	/* Linear coverage costs instead of weights.shortfall and overstaff:
	 * under_weight × agents missing + over_weight × agents above the need. */
	bool linear_cover;
	int under_weight[KF_ROSTER_MAX_DAYS][KF_ROSTER_MAX_SHIFTS];
	int over_weight[KF_ROSTER_MAX_DAYS][KF_ROSTER_MAX_SHIFTS];
	double hard_weight; /* per unit of violation of the rules above; > 0 */
};

struct kf_roster_problem {
	int year, month;   /* the month; days and weekdays follow from it */
	uint32_t holidays; /* bit d: day d is a holiday (W-5) */
	int nshifts;
	struct kf_roster_shift shifts[KF_ROSTER_MAX_SHIFTS];
	int need[KF_ROSTER_MAX_DAYS][KF_ROSTER_MAX_SHIFTS]; /* W-3: agents per day and shift */
	int nagents;
	const struct kf_roster_agent *agents;
	struct kf_roster_rules rules;
	struct kf_roster_weights weights;
	const struct kf_roster_ext *ext; /* NULL: none */
};

struct kf_roster_options {
	uint64_t seed;
	long iterations; /* annealing moves; 0 = the constructive start only */
	double start_temperature, end_temperature; /* <= 0: the defaults (50, 0.05) */
	/* Called every 4096 moves when set; returning true ends the search. */
	bool (*stop)(void *ctx);
	void *stop_ctx;
	/* The start: a roster (cells as in kf_roster_result) instead of the
	 * greedy one, e.g. the current roster to re-optimise after a change or
	 * the best of an earlier run; each row must keep the hard rules (ext
	 * rules excepted) and leave exactly where it was approved. NULL: the
	 * greedy start. */
	const int8_t *initial;
	/* ext problems: after the annealing every agent's row is re-optimised
	 * (dynamic programming) while that lowers the cost; > 0: also one block
	 * move in this many during the annealing (slow: a fraction of a
	 * millisecond to a few milliseconds each); < 0: neither. */
	int row_dp_period;
	/* ext problems, > 0: after that re-optimisation, ejection chains of
	 * up to `eject` links (at most 4) from each short shift (an agent put
	 * on it, the others' rows re-optimised; each shift that leaves short
	 * starts the next link), kept if the cost goes down, while they
	 * improve; the stop callback is also checked between chains. Slow:
	 * hundreds of row re-optimisations per short shift and link. */
	int eject;
	/* ext problems, > 0: after that, this many rounds of large-neighbourhood
	 * search. A round frees the cells of lns_agents random agents on a
	 * random window of lns_window consecutive days and re-solves them
	 * exactly, the rest of the roster fixed: each agent's rows are the
	 * paths of a layered graph of the row re-optimisation's states, built
	 * once; branch and bound, day by day over the freed agents, prices
	 * coverage and requests against the other agents and bounds with each
	 * agent's best completion alone (the coverage cost is convex, so that
	 * bound holds). Only rows that keep the ext rules are considered; the
	 * best combination replaces the rows if the roster then has fewer ext
	 * violations, or as many and a cost that does not go up (ties broken
	 * at random: a walk across plateaus); the rows are re-optimised after
	 * each round that lowers either (unless row_dp_period < 0). The stop
	 * callback is checked every 16 rounds; a round stops after 30 000
	 * search nodes. lns_agents: 1 to 16, 0 = 3; lns_window: days, 0 or
	 * more than the horizon = the whole horizon. */
	long lns_rounds;
	int lns_agents, lns_window;
	/* Called with each new best roster (iteration 0: the greedy start; in
	 * the large-neighbourhood search, iteration is its round):
	 * its cost, coverage shortfall (agent-shifts) and units of violation of
	 * the ext rules. For time-to-feasible measurements. */
	void (*progress)(void *ctx, long iteration, double cost, int shortfall, int hard);
	void *progress_ctx;
};

/* Why a shift is short (W-6): of the agents, how many are on leave, on another
 * shift that day, resting because working would break a hard rule, or resting
 * although they could work (the optimiser's miss, 0 at a local optimum). */
struct kf_roster_shortfall {
	int day, shift;
	int need, assigned;
	int on_leave, on_other_shift, rest_required, rest_free;
	char message[512];
};

struct kf_roster_stats {
	double initial_cost, cost;
	long iterations, accepted, improved_at;
	int shortfall; /* agent-shifts missing in total */
	int wishes_granted, wishes_total;
	int preferred_granted, preferred_total;
	int quick_returns;
	int late_min, late_max; /* per agent, over agents with a target of the month's maximum */
	int hard_violations;	/* units of violation of the ext rules (0 without ext) */
	double requests_cost;	/* ext: the weights of the requests not granted */
	double cover_cost;	/* the coverage terms (shortfall and overstaff) */
};

struct kf_roster_result {
	int ndays, nagents;
	int8_t *cells; /* [agent * ndays + day] */
	int nshort;
	struct kf_roster_shortfall *shortfalls;
	struct kf_roster_stats stats;
};

enum kf_roster_violation_kind {
	KF_RV_ON_LEAVE,	     /* hard, W-6: a shift on a day of approved leave */
	KF_RV_CONSECUTIVE,   /* hard, W-4: too many working days in a row */
	KF_RV_REST_DAYS,     /* hard, W-4: too few rest days in the month */
	KF_RV_REST_HOURS,    /* hard, W-4: less than the policy's minimum rest */
	KF_RV_TOO_MANY_DAYS, /* soft, W-6: more days than the agent's target */
	KF_RV_COVERAGE,	     /* hard, W-3: a shift below its need */
	KF_RV_QUICK_RETURN,  /* soft, W-4: late shift then next day's early shift */
	KF_RV_WISH_OFF,	     /* soft, W-6: worked on a wished day off */
	KF_RV_PREFERRED,     /* soft, W-6: not the preferred shift */
	KF_RV_FAIRNESS,	     /* soft, W-5: a count more than 1 from the agent's share */
};

struct kf_roster_violation {
	enum kf_roster_violation_kind kind;
	bool hard;
	char rule[8]; /* "W-4" … */
	int agent;    /* index, -1 for coverage */
	int day;      /* 0-based, -1 for the month */
	int shift;    /* index, -1 if none */
	char message[256];
};

struct kf_roster_violations {
	int n, cap;
	struct kf_roster_violation *v;
	int nhard;
};

/* Days in the month and the weekday (0 Monday … 6 Sunday) of day d (0-based). */
int kf_roster_days_in_month(int year, int month);
int kf_roster_weekday(int year, int month, int day);
/* The default weights (documented in docs/workforce.md). */
struct kf_roster_weights kf_roster_default_weights(void);

/* W-1: the templates in force; W-4: the rest rules; W-5: the holidays of the
 * month (customers.care.annual_holidays and dated_holidays, the policy's
 * holiday calendar); W-3: the coverage, the largest of
 * min_agents_per_shift, by_shift, by_weekday and by_date for each day and
 * shift. Call shifts first: coverage uses p->shifts. Also sets the weights
 * to the defaults. */
int kf_roster_problem_from_policy(const struct kf_policy *pol, int year, int month,
				  struct kf_roster_problem *p, struct kf_err *err);

/* W-1, W-3: sets the shifts and the coverage of p (year and month set) from
 * templates, an object {name: {"start": "HH:MM", "end": "HH:MM",
 * "is_late_shift": bool}} (names of a-z, 0-9, _; end "24:00" allowed; end
 * not after start runs past midnight), and coverage, an object with the
 * optional members min_agents_per_shift, by_shift, by_weekday, by_date
 * (and erlang_c, ignored here) — the shapes of the policy's
 * workforce.shifts.templates and workforce.coverage. KF_EINVALID naming
 * "templates.<name>.start", "coverage.by_date" … for a bad value. */
int kf_roster_problem_set_shifts(struct kf_roster_problem *p, const json_t *templates,
				 const json_t *coverage, struct kf_err *err);

/* Validates the problem (fields named like "agents[3].preferred_shift",
 * "need[4][1]"). */
int kf_roster_check_problem(const struct kf_roster_problem *p, struct kf_err *err);

/* Generates a roster. On success *out is filled (free it with
 * kf_roster_result_free). Coverage shortfalls are not errors: they are listed
 * in out->shortfalls. */
int kf_roster_generate(const struct kf_roster_problem *p, const struct kf_roster_options *opt,
		       struct kf_roster_result *out, struct kf_err *err);
void kf_roster_result_free(struct kf_roster_result *r);

/* W-6: checks a (hand-edited) roster, cells as in kf_roster_result, and lists
 * every violation, hard and soft. KF_EINVALID naming "cells[a][d]" if a cell
 * is not a shift, rest or leave, or leave where none was approved. */
int kf_roster_check(const struct kf_roster_problem *p, const int8_t *cells,
		    struct kf_roster_violations *out, struct kf_err *err);
void kf_roster_violations_free(struct kf_roster_violations *v);

/* The objective of a roster that keeps the hard rules (for tests and the
 * benchmark); the breakdown in stats. */
double kf_roster_cost(const struct kf_roster_problem *p, const int8_t *cells,
		      struct kf_roster_stats *stats);

#endif
