/* Benchmarks of the roster optimiser (src/rules/roster.c), issue 6:
 *
 *   roster_bench month --agents N [--seed S] [--iterations I] [--seconds T]
 *       a 31-day month, 3 shift templates, weekday/weekend coverage with a
 *       promotion day, 10 % of the agents on leave, wishes and preferences;
 *       prints the time to the first feasible roster (full coverage, no
 *       hard violation) and to the final one, the shortfall, the checker's
 *       hard violations and the late-shift spread.
 *   roster_bench exact --agents N [--seed S] [--iterations I] [--lp FILE]
 *       a 7-day instance of at most 12 agents with the same objective; writes
 *       it as a CPLEX LP file, solves it with GLPK's glpsol (a program of the
 *       benchmark only, never linked) and prints the optimiser's gap.
 *   roster_bench ssb FILE [--seconds T] [--seed S] [--hard-weight W]
 *       a Shift Scheduling Benchmark instance (Curtois & Qu) through
 *       src/rules/roster_ssb.c: objective, time and hard violations as the
 *       benchmark scores them. Search options (the defaults are the
 *       measured configuration): --cpu (the limit is CPU time), the
 *       large-neighbourhood search --lns-rounds N (per run, 0 = off and the
 *       iterated local search alone), --cover-rounds N, --lns-agents K,
 *       --lns-window D, --ils-per-cycle N, --ils-lns N; for the iterated
 *       local search --kick, --fresh,
 *       --fill-kick, --ils-accept, --ils-t0, --ils-iterations, --dp-period,
 *       --eject-period K with --eject-depth D (every K-th round: ejection
 *       chains of D links on the incumbent), --low-weight W with
 *       --low-period K (every K-th round anneals with the hard constraints
 *       at weight W first). --dump FILE writes the best roster (a line per
 *       employee: ID, then a shift ID or - per day); -v prints each run and
 *       each new best.
 *
 * The commands and the figures are in docs/performance.md. */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "rules/policy.h"
#include "rules/roster.h"
#include "rules/roster_ssb.h"

static double now_s(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* splitmix64 for the instance generator (the optimiser has its own). */
static uint64_t gen_state;
static uint64_t gen_next(void)
{
	uint64_t z = (gen_state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}
static int gen_below(int n)
{
	return (int)(gen_next() % (uint64_t)n);
}

static void die(const char *what, const struct kf_err *err)
{
	fprintf(stderr, "roster_bench: %s: %s%s%s\n", what, err->message,
		err->field[0] ? " field " : "", err->field);
	exit(1);
}

/* ---- Instances ---------------------------------------------------------- */

enum { EARLY, MIDDLE, LATE };

/* The rules, the holidays and the weights from the default policy; three
 * templates: early 08:00–16:00, middle 12:00–20:00, late 16:00–24:00. */
static void base_problem(struct kf_roster_problem *p, int year, int month)
{
	struct kf_policy *pol = NULL;
	struct kf_err err = {0};
	const char *text = kf_policy_default_text();
	if (kf_policy_parse(text, strlen(text), &pol, &err))
		die("policy", &err);
	if (kf_roster_problem_from_policy(pol, year, month, p, &err))
		die("problem", &err);
	kf_policy_unref(pol);
	p->nshifts = 3;
	p->shifts[EARLY] = (struct kf_roster_shift){"early", 8 * 60, 16 * 60, false};
	p->shifts[MIDDLE] = (struct kf_roster_shift){"middle", 12 * 60, 20 * 60, false};
	p->shifts[LATE] = (struct kf_roster_shift){"late", 16 * 60, 24 * 60, true};
}

static void init_agents(struct kf_roster_agent *ag, int n)
{
	memset(ag, 0, sizeof(*ag) * (size_t)n);
	for (int a = 0; a < n; a++) {
		snprintf(ag[a].id, sizeof(ag[a].id), "agent%04d", a);
		ag[a].preferred_shift = -1;
		ag[a].target_work_days = -1;
		ag[a].prev_shift_end_min = -1;
	}
}

/* October 2026 (31 days, 1–7 the National Day holidays of the default
 * calendar). Coverage for n agents: 74 % of them on a weekday (early 45 %,
 * middle 25 %, late 30 % of that), 58 % on a weekend day, 20 % more on the
 * promotion day (the 20th), at least one per shift; about 84 % of the
 * agent-days the contracts give. 10 % of the agents have 2–7 days of leave,
 * 20 % wish two days off, 10 % prefer a shift; a third come from a streak
 * of 1–4 working days. */
static void month_instance(struct kf_roster_problem *p, struct kf_roster_agent *ag, int n,
			   uint64_t seed)
{
	gen_state = seed;
	base_problem(p, 2026, 10);
	int nd = kf_roster_days_in_month(2026, 10);
	static const double split[3] = {0.45, 0.25, 0.30};
	for (int d = 0; d < nd; d++) {
		bool wk = kf_roster_weekday(2026, 10, d) >= 5;
		double total = (wk ? 0.58 : 0.74) * n * (d == 19 ? 1.2 : 1.0);
		for (int s = 0; s < 3; s++) {
			int need = (int)lround(total * split[s]);
			p->need[d][s] = need < 1 ? 1 : need;
		}
	}
	init_agents(ag, n);
	for (int a = 0; a < n; a++) {
		if (a % 10 == 3) { /* 10 % on leave */
			int len = 2 + gen_below(6), start = gen_below(nd - len + 1);
			for (int d = start; d < start + len; d++)
				ag[a].leave |= 1u << d;
		}
		if (gen_below(5) == 0)
			for (int k = 0; k < 2; k++)
				ag[a].wish_off |= (1u << gen_below(nd)) & ~ag[a].leave;
		if (gen_below(10) == 0)
			ag[a].preferred_shift = gen_below(3);
		if (gen_below(3) == 0) {
			ag[a].worked_days_before = 1 + gen_below(4);
			ag[a].prev_shift_end_min = p->shifts[gen_below(3)].end_min;
		}
	}
	p->agents = ag;
	p->nagents = n;
}

/* One week (1–7 June 2026, Monday to Sunday) for n ≤ 12 agents: weekday
 * need early 30 %, middle 20 %, late 25 % of the agents (rounded up),
 * weekend one less each (at least 1); one rest day in the week; one agent in
 * six on two days of leave, wishes, a preference, streaks and a late shift
 * the night before for some. */
static void week_instance(struct kf_roster_problem *p, struct kf_roster_ext *ext,
			  struct kf_roster_agent *ag, int n, uint64_t seed)
{
	gen_state = seed;
	base_problem(p, 2026, 6);
	memset(ext, 0, sizeof(*ext));
	ext->ndays = 7;
	ext->hard_weight = 1000; /* no ext rules: unused */
	p->ext = ext;
	p->rules.min_rest_days = 1;
	static const double share[3] = {0.30, 0.20, 0.25};
	for (int d = 0; d < 7; d++)
		for (int s = 0; s < 3; s++) {
			int need = (int)ceil(share[s] * n) - (d >= 5);
			p->need[d][s] = need < 1 ? 1 : need;
		}
	init_agents(ag, n);
	for (int a = 0; a < n; a++) {
		if (a % 6 == 5) {
			int start = gen_below(6);
			ag[a].leave = 3u << start;
		}
		if (gen_below(4) == 0)
			ag[a].wish_off = (1u << gen_below(7)) & ~ag[a].leave;
		if (gen_below(6) == 0)
			ag[a].preferred_shift = gen_below(3);
		if (gen_below(3) == 0) {
			ag[a].worked_days_before = 1 + gen_below(5);
			ag[a].prev_shift_end_min = p->shifts[gen_below(3)].end_min;
		}
	}
	p->agents = ag;
	p->nagents = n;
}

/* ---- Progress ----------------------------------------------------------- */

struct clock_ctx {
	double t0, deadline;	  /* wall clock; deadline 0 = none */
	clockid_t deadline_clock; /* CLOCK_MONOTONIC (wall) or CLOCK_PROCESS_CPUTIME_ID */
	double first_feasible, last_improved, last_improved_cpu; /* s from t0, cpu0 */
	double cpu0;
	long first_feasible_it;
	bool verbose; /* print every new best */
};

static bool stop_at_deadline(void *ctx)
{
	const struct clock_ctx *c = ctx;
	return c->deadline > 0 && now_s(c->deadline_clock) >= c->deadline;
}

static void on_progress(void *ctx, long it, double cost, int shortfall, int hard)
{
	struct clock_ctx *c = ctx;
	double t = now_s(CLOCK_MONOTONIC) - c->t0;
	c->last_improved = t;
	c->last_improved_cpu = now_s(CLOCK_PROCESS_CPUTIME_ID) - c->cpu0;
	if (c->verbose)
		fprintf(stderr, "    best %.0f (short %d, hard %d) at %ld, %.1f s cpu\n", cost,
			shortfall, hard, it, now_s(CLOCK_PROCESS_CPUTIME_ID));
	if (shortfall == 0 && hard == 0 && c->first_feasible < 0) {
		c->first_feasible = t;
		c->first_feasible_it = it;
	}
}

/* Options every timed run shares: the deadline and progress of cc. */
static struct kf_roster_options timed_options(struct clock_ctx *cc, uint64_t seed, long iterations)
{
	return (struct kf_roster_options){.seed = seed,
					  .iterations = iterations,
					  .stop = stop_at_deadline,
					  .stop_ctx = cc,
					  .progress = on_progress,
					  .progress_ctx = cc};
}

static long arg_long(int argc, char **argv, const char *name, long dflt)
{
	for (int i = 0; i + 1 < argc; i++)
		if (!strcmp(argv[i], name))
			return strtol(argv[i + 1], NULL, 10);
	return dflt;
}

static double arg_double(int argc, char **argv, const char *name, double dflt)
{
	for (int i = 0; i + 1 < argc; i++)
		if (!strcmp(argv[i], name))
			return strtod(argv[i + 1], NULL);
	return dflt;
}

static const char *arg_str(int argc, char **argv, const char *name, const char *dflt)
{
	for (int i = 0; i + 1 < argc; i++)
		if (!strcmp(argv[i], name))
			return argv[i + 1];
	return dflt;
}

/* ---- month -------------------------------------------------------------- */

static int cmd_month(int argc, char **argv)
{
	int n = (int)arg_long(argc, argv, "--agents", 120);
	uint64_t seed = (uint64_t)arg_long(argc, argv, "--seed", 1);
	long iters = arg_long(argc, argv, "--iterations", 20000L * n);
	double seconds = (double)arg_long(argc, argv, "--seconds", 0);
	if (n < 1 || n > KF_ROSTER_MAX_AGENTS) {
		fprintf(stderr, "roster_bench: --agents must be 1 to %d\n", KF_ROSTER_MAX_AGENTS);
		return 2;
	}
	struct kf_roster_problem p;
	struct kf_roster_agent *ag = calloc((size_t)n, sizeof(*ag));
	month_instance(&p, ag, n, seed);
	struct clock_ctx cc = {.first_feasible = -1};
	struct kf_roster_options opt = timed_options(&cc, seed, iters);
	struct kf_roster_result r;
	struct kf_err err = {0};
	double cpu0 = now_s(CLOCK_PROCESS_CPUTIME_ID);
	cc.t0 = now_s(CLOCK_MONOTONIC);
	cc.deadline = seconds > 0 ? cc.t0 + seconds : 0;
	if (kf_roster_generate(&p, &opt, &r, &err))
		die("generate", &err);
	double wall = now_s(CLOCK_MONOTONIC) - cc.t0;
	double cpu = now_s(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
	struct kf_roster_violations v;
	if (kf_roster_check(&p, r.cells, &v, &err))
		die("check", &err);
	int need = 0, leave_agents = 0;
	for (int d = 0; d < r.ndays; d++)
		for (int s = 0; s < p.nshifts; s++)
			need += p.need[d][s];
	for (int a = 0; a < n; a++)
		leave_agents += ag[a].leave != 0;
	printf("agents %d, %d days, 3 shifts, %d agent-shifts needed, %d agents with leave, seed "
	       "%llu\n",
	       n, r.ndays, need, leave_agents, (unsigned long long)seed);
	printf("  moves %ld (accepted %ld), wall %.3f s, cpu %.3f s\n", r.stats.iterations,
	       r.stats.accepted, wall, cpu);
	if (cc.first_feasible >= 0)
		printf("  first feasible (full coverage, no hard violation) at move %ld: %.3f s\n",
		       cc.first_feasible_it, cc.first_feasible);
	else
		printf("  never feasible\n");
	printf("  final roster: last improvement at move %ld, %.3f s; cost %.1f (start %.1f)\n",
	       r.stats.improved_at, cc.last_improved, r.stats.cost, r.stats.initial_cost);
	printf("  shortfall %d agent-shifts, checker: %d hard violations, %d soft\n",
	       r.stats.shortfall, v.nhard, v.n - v.nhard);
	printf("  wishes granted %d/%d; preferred shift %d/%d; quick returns %d\n",
	       r.stats.wishes_granted, r.stats.wishes_total, r.stats.preferred_granted,
	       r.stats.preferred_total, r.stats.quick_returns);
	/* The late-shift spread over the agents in the rotation with the full
	 * target (no leave, no preferred shift, no wish): they are alike. */
	int lmin = 1 << 20, lmax = -1, wmin = 1 << 20, wmax = -1, nalike = 0;
	for (int a = 0; a < n; a++) {
		if (ag[a].leave || ag[a].wish_off || ag[a].preferred_shift >= 0)
			continue;
		int late = 0, wkend = 0;
		for (int d = 0; d < r.ndays; d++) {
			int c = r.cells[a * r.ndays + d];
			late += c >= 0 && p.shifts[c].is_late;
			wkend += c >= 0 && kf_roster_weekday(p.year, p.month, d) >= 5;
		}
		nalike++;
		lmin = late < lmin ? late : lmin;
		lmax = late > lmax ? late : lmax;
		wmin = wkend < wmin ? wkend : wmin;
		wmax = wkend > wmax ? wkend : wmax;
	}
	printf("  fairness over the %d agents without leave, wish or preference: late shifts "
	       "%d..%d (spread %d), weekend shifts %d..%d (spread %d)\n",
	       nalike, lmin, lmax, lmax - lmin, wmin, wmax, wmax - wmin);
	kf_roster_violations_free(&v);
	kf_roster_result_free(&r);
	free(ag);
	return 0;
}

/* ---- exact -------------------------------------------------------------- */

/* The effective target days, as model_init in roster.c computes them. */
static int target_of(const struct kf_roster_problem *p, int nd, const struct kf_roster_agent *ag)
{
	int avail = nd - __builtin_popcount(ag->leave);
	int req = p->rules.min_rest_days < avail ? p->rules.min_rest_days : avail;
	int cap = avail - req;
	int period = p->rules.max_consecutive_work_days + 1;
	int weekly = (nd + period - 1) / period;
	int dflt = nd - (weekly > p->rules.min_rest_days ? weekly : p->rules.min_rest_days);
	int want = ag->target_work_days >= 0 ? ag->target_work_days : dflt;
	int t = want < cap ? want : cap;
	return t < 0 ? 0 : t;
}

static int shift_end_abs(const struct kf_roster_shift *s)
{
	return s->end_min <= s->start_min ? s->end_min + 1440 : s->end_min;
}

/* Writes the problem as a CPLEX LP file for glpsol. Returns the objective's
 * constant (work_days × Σ targets), which the LP leaves out. */
static double write_lp(const struct kf_roster_problem *p, int nd, const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(1);
	}
	const struct kf_roster_weights *w = &p->weights;
	int na = p->nagents, ns = p->nshifts;
	uint32_t weekend = 0;
	for (int d = 0; d < nd; d++)
		if (kf_roster_weekday(p->year, p->month, d) >= 5)
			weekend |= 1u << d;
	int soft = p->rules.soft_min_rest_minutes, hard = p->rules.hard_min_rest_minutes;
	double constant = 0;
#define XF "x%d_%d_%d"
	fprintf(f, "\\ kefu roster, %d agents, %d days (roster_bench exact)\nMinimize\n obj:", na,
		nd);
	for (int d = 0; d < nd; d++)
		for (int s = 0; s < ns; s++) {
			fprintf(f, " + %.10g sh%d_%d + oz%d_%d\n", w->shortfall, d, s, d, s);
		}
	for (int a = 0; a < na; a++) {
		const struct kf_roster_agent *ag = &p->agents[a];
		int target = target_of(p, nd, ag);
		constant += w->work_days * target;
		if (target > 0)
			fprintf(f, " + fl%d + fw%d + fh%d\n", a, a, a);
		for (int d = 0; d < nd; d++) {
			if (ag->leave >> d & 1)
				continue;
			for (int s = 0; s < ns; s++) {
				double c = -w->work_days;
				if (ag->wish_off >> d & 1)
					c += w->wish_off;
				if (ag->preferred_shift >= 0 && ag->preferred_shift != s)
					c += w->preferred;
				fprintf(f, " %c %.10g " XF, c < 0 ? '-' : '+', fabs(c), a, d, s);
				fprintf(f, "\n");
			}
			fprintf(f, " + %.10g q%d_%d\n", w->quick_return, a, d);
		}
	}
	fprintf(f, "Subject To\n");
	for (int d = 0; d < nd; d++)
		for (int s = 0; s < ns; s++) {
			fprintf(f, " cov%d_%d:", d, s);
			for (int a = 0; a < na; a++)
				if (!(p->agents[a].leave >> d & 1))
					fprintf(f, " + " XF, a, d, s);
			fprintf(f, " - ov%d_%d + sh%d_%d = %d\n", d, s, d, s, p->need[d][s]);
			/* overstaff × k² / (need + 1), exact at integers by its tangents */
			double g = w->overstaff / (p->need[d][s] + 1);
			for (int k = 0; k <= na; k++)
				fprintf(f, " oz%d_%d_%d: oz%d_%d - %.10g ov%d_%d >= %.10g\n", d, s,
					k, d, s, g * (2 * k + 1), d, s, -g * (k * k + k));
		}
	for (int a = 0; a < na; a++) {
		const struct kf_roster_agent *ag = &p->agents[a];
		int target = target_of(p, nd, ag);
		int maxc = p->rules.max_consecutive_work_days;
		for (int d = 0; d < nd; d++) {
			if (ag->leave >> d & 1)
				continue;
			fprintf(f, " one%d_%d:", a, d);
			for (int s = 0; s < ns; s++)
				fprintf(f, " + " XF, a, d, s);
			fprintf(f, " <= 1\n");
		}
		/* days worked ≤ target (also the W-4 rest days) */
		fprintf(f, " tgt%d:", a);
		for (int d = 0; d < nd; d++)
			for (int s = 0; s < ns && !(ag->leave >> d & 1); s++)
				fprintf(f, " + " XF, a, d, s);
		fprintf(f, " <= %d\n", target);
		/* W-4 streaks: every window of max + 1 days, the previous
		 * month's streak counting as worked days before day 0 */
		for (int j = -ag->worked_days_before; j + maxc < nd; j++) {
			int virt = j < 0 ? -j : 0;
			fprintf(f, " run%d_%d:", a, j + 100);
			bool any = false;
			for (int d = j < 0 ? 0 : j; d <= j + maxc; d++)
				for (int s = 0; s < ns && !(ag->leave >> d & 1); s++) {
					fprintf(f, " + " XF, a, d, s);
					any = true;
				}
			if (!any)
				fprintf(f, " + 0 " XF, a, 0, 0);
			fprintf(f, " <= %d\n", maxc - virt);
		}
		/* rest between shifts: hard pairs forbidden, soft pairs cost q */
		for (int d = 0; d < nd; d++) {
			if (ag->leave >> d & 1)
				continue;
			for (int t = 0; t < ns; t++) {
				if (d == 0) {
					if (ag->prev_shift_end_min < 0)
						continue;
					int gap =
					    1440 + p->shifts[t].start_min - ag->prev_shift_end_min;
					if (hard && gap < hard)
						fprintf(f, " hr%d_%d_%d: " XF " = 0\n", a, d, t, a,
							d, t);
					else if (gap < soft)
						fprintf(f, " qr%d_%d_%d: q%d_%d - " XF " >= 0\n", a,
							d, t, a, d, a, d, t);
					continue;
				}
				if (ag->leave >> (d - 1) & 1)
					continue;
				for (int s = 0; s < ns; s++) {
					int gap = 1440 + p->shifts[t].start_min -
						  shift_end_abs(&p->shifts[s]);
					if (hard && gap < hard)
						fprintf(f, " hr%d_%d_%d_%d: " XF " + " XF " <= 1\n",
							a, d, s, t, a, d - 1, s, a, d, t);
					else if (gap < soft)
						fprintf(f,
							" qr%d_%d_%d_%d: q%d_%d - " XF " - " XF
							" >= -1\n",
							a, d, s, t, a, d, a, d - 1, s, a, d, t);
				}
			}
		}
		/* fairness: scale × count² for late (unless a volunteer), weekend
		 * and holiday shifts, by tangents */
		if (target <= 0)
			continue;
		double sc = w->fairness * nd / target;
		int pref = ag->preferred_shift;
		bool volunteer = pref >= 0 && p->shifts[pref].is_late;
		const char *fv[3] = {"fl", "fw", "fh"};
		for (int kind = 0; kind < 3; kind++)
			for (int k = 0; k <= nd; k++) {
				fprintf(f, " %s%d_%d: %s%d", fv[kind], a, k, fv[kind], a);
				for (int d = 0; d < nd; d++) {
					if (ag->leave >> d & 1)
						continue;
					for (int s = 0; s < ns; s++) {
						bool counts =
						    kind == 0	? p->shifts[s].is_late && !volunteer
						    : kind == 1 ? (weekend >> d & 1)
								: (p->holidays >> d & 1);
						if (counts)
							fprintf(f, " - %.10g " XF, sc * (2 * k + 1),
								a, d, s);
					}
				}
				fprintf(f, " >= %.10g\n", -sc * (k * k + k));
			}
	}
	fprintf(f, "Bounds\n");
	for (int d = 0; d < nd; d++)
		for (int s = 0; s < ns; s++)
			fprintf(f, " sh%d_%d >= 0\n ov%d_%d >= 0\n oz%d_%d >= 0\n", d, s, d, s, d,
				s);
	fprintf(f, "Binary\n");
	for (int a = 0; a < na; a++)
		for (int d = 0; d < nd; d++)
			for (int s = 0; s < ns && !(p->agents[a].leave >> d & 1); s++)
				fprintf(f, " " XF "\n", a, d, s);
	fprintf(f, "End\n");
#undef XF
	fclose(f);
	return constant;
}

/* Runs glpsol on the LP file; fills cells from its solution (rest unless a
 * variable is 1) and returns the LP objective, or NAN. */
static double run_glpsol(const char *lp, int tmlim, int nd, int na,
			 const struct kf_roster_problem *p, int8_t *cells, double *seconds,
			 char *status, size_t status_len)
{
	char out[512], cmd[1200];
	snprintf(out, sizeof(out), "%s.out", lp);
	snprintf(cmd, sizeof(cmd), "glpsol --lp '%s' --tmlim %d -o '%s' > '%s.log' 2>&1", lp, tmlim,
		 out, lp);
	double t0 = now_s(CLOCK_MONOTONIC);
	int rc = system(cmd);
	*seconds = now_s(CLOCK_MONOTONIC) - t0;
	if (rc != 0) {
		fprintf(stderr, "roster_bench: glpsol failed (%d); is glpk-utils installed?\n", rc);
		return NAN;
	}
	for (int a = 0; a < na; a++)
		for (int d = 0; d < nd; d++)
			cells[a * nd + d] =
			    p->agents[a].leave >> d & 1 ? KF_ROSTER_LEAVE : KF_ROSTER_REST;
	FILE *f = fopen(out, "r");
	if (!f)
		return NAN;
	char line[512];
	double obj = NAN;
	status[0] = 0;
	char pending[64] = "";
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Status:", 7)) {
			char *s = line + 7;
			while (*s == ' ')
				s++;
			snprintf(status, status_len, "%s", s);
			status[strcspn(status, "\n")] = 0;
		}
		char *o = strstr(line, "obj = ");
		if (!strncmp(line, "Objective:", 10) && o)
			obj = strtod(o + 6, NULL);
		/* column lines: "No. name [*] activity lb ub"; a long name may
		 * stand alone with the values on the next line */
		char tok[4][64];
		int nt = sscanf(line, "%63s %63s %63s %63s", tok[0], tok[1], tok[2], tok[3]);
		const char *name = NULL, *act = NULL;
		if (nt >= 2 && tok[1][0] == 'x' && strspn(tok[0], "0123456789") == strlen(tok[0])) {
			name = tok[1];
			if (nt == 2) {
				snprintf(pending, sizeof(pending), "%s", tok[1]);
				continue;
			}
			act = !strcmp(tok[2], "*") ? tok[3] : tok[2];
		} else if (pending[0] && nt >= 1) {
			name = pending;
			act = !strcmp(tok[0], "*") ? tok[1] : tok[0];
		}
		int a, d, s;
		if (name && sscanf(name, "x%d_%d_%d", &a, &d, &s) == 3 && strtod(act, NULL) > 0.5 &&
		    a >= 0 && a < na && d >= 0 && d < nd)
			cells[a * nd + d] = (int8_t)s;
		pending[0] = 0;
	}
	fclose(f);
	return obj;
}

static int cmd_exact(int argc, char **argv)
{
	int n = (int)arg_long(argc, argv, "--agents", 12);
	uint64_t seed = (uint64_t)arg_long(argc, argv, "--seed", 1);
	long iters = arg_long(argc, argv, "--iterations", 200000);
	int tmlim = (int)arg_long(argc, argv, "--tmlim", 600);
	char lpdef[64];
	snprintf(lpdef, sizeof(lpdef), "/tmp/roster_exact_%d_%llu.lp", n, (unsigned long long)seed);
	const char *lp = arg_str(argc, argv, "--lp", lpdef);
	if (n < 1 || n > 12) {
		fprintf(stderr, "roster_bench: exact: --agents must be 1 to 12\n");
		return 2;
	}
	struct kf_roster_problem p;
	struct kf_roster_ext ext;
	struct kf_roster_agent ag[12];
	week_instance(&p, &ext, ag, n, seed);
	int nd = 7;
	struct kf_roster_options opt = {.seed = seed, .iterations = iters};
	struct kf_roster_result r;
	struct kf_err err = {0};
	double t0 = now_s(CLOCK_MONOTONIC);
	if (kf_roster_generate(&p, &opt, &r, &err))
		die("generate", &err);
	double t_opt = now_s(CLOCK_MONOTONIC) - t0;
	double constant = write_lp(&p, nd, lp);
	int8_t cells[12 * 7];
	double t_glp;
	char status[512];
	double lpobj = run_glpsol(lp, tmlim, nd, n, &p, cells, &t_glp, status, sizeof(status));
	if (isnan(lpobj)) {
		fprintf(stderr, "roster_bench: no objective from glpsol (see %s.log)\n", lp);
		return 1;
	}
	double exact = lpobj + constant;
	/* The roster glpsol found, costed by the optimiser's own objective. */
	struct kf_roster_violations v;
	if (kf_roster_check(&p, cells, &v, &err))
		die("check", &err);
	double recost = kf_roster_cost(&p, cells, NULL);
	int w4 = 0, short_exact = 0; /* glpsol's roster: hard violations other than W-3 */
	for (int i = 0; i < v.n; i++) {
		w4 += v.v[i].hard && v.v[i].kind != KF_RV_COVERAGE;
		short_exact += v.v[i].kind == KF_RV_COVERAGE;
	}
	double gap = exact > 0 ? (r.stats.cost - exact) / exact * 100 : 0;
	if (fabs(gap) < 5e-4)
		gap = 0; /* print 0.000, not -0.000 */
	printf("exact: %d agents, 7 days, seed %llu: optimiser %.3f (%ld moves, %.3f s, short %d), "
	       "glpsol %.3f [%s] (%.2f s; its roster costed by the optimiser %.3f, %d hard "
	       "violations besides coverage, %d day-shifts short), gap %.3f %%\n",
	       n, (unsigned long long)seed, r.stats.cost, r.stats.iterations, t_opt,
	       r.stats.shortfall, exact, status, t_glp, recost, w4, short_exact, gap);
	kf_roster_violations_free(&v);
	kf_roster_result_free(&r);
	return 0;
}

/* ---- ssb ---------------------------------------------------------------- */

/* A kick towards coverage: an agent resting on a day whose shift is short
 * is put on it (if the shift is allowed and the agent has days left). */
static void fill_short(const struct kf_ssb_instance *in, const struct kf_roster_agent *ag,
		       int8_t *cells)
{
	int nd = in->ndays, ns = in->nshifts;
	int cand[KF_ROSTER_MAX_DAYS * KF_ROSTER_MAX_SHIFTS], nc = 0;
	for (int d = 0; d < nd; d++)
		for (int s = 0; s < ns; s++) {
			int n = 0;
			for (int e = 0; e < in->nstaff; e++)
				n += cells[e * nd + d] == s;
			if (n < in->need[d][s])
				cand[nc++] = d * ns + s;
		}
	if (!nc)
		return;
	int pick = cand[gen_below(nc)], d = pick / ns, s = pick % ns;
	int start = gen_below(in->nstaff);
	for (int k = 0; k < in->nstaff; k++) {
		int e = (start + k) % in->nstaff, worked = 0;
		for (int x = 0; x < nd; x++)
			worked += cells[e * nd + x] >= 0;
		if (cells[e * nd + d] == KF_ROSTER_REST && in->staff[e].rules.max_shifts[s] != 0 &&
		    worked < ag[e].target_work_days) {
			cells[e * nd + d] = (int8_t)s;
			return;
		}
	}
}

/* Whether score a beats b (none yet if b's objective is negative): fewer
 * hard violations, or as many and an objective below b's + slack (or equal
 * to it, if or_equal). */
static bool ssb_better(const struct kf_ssb_score *a, const struct kf_ssb_score *b, double slack,
		       bool or_equal)
{
	if (b->objective < 0 || a->hard != b->hard)
		return b->objective < 0 || a->hard < b->hard;
	double lim = (double)b->objective + slack;
	return or_equal ? a->objective <= lim : a->objective < lim;
}

/* The best roster of the runs, and when (wall and CPU s) it was found. */
struct ssb_best {
	struct kf_ssb_score sc;
	int8_t *cells;
	double at, at_cpu;
};

static void ssb_keep_best(struct ssb_best *b, const struct kf_ssb_score *sc, const int8_t *cells,
			  size_t ncells, const struct clock_ctx *cc)
{
	if (!ssb_better(sc, &b->sc, 0, false))
		return;
	b->sc = *sc;
	memcpy(b->cells, cells, ncells);
	/* the run's last new best (its roster's), seen by on_progress */
	b->at = cc->last_improved;
	b->at_cpu = cc->last_improved_cpu;
}

static int cmd_ssb(int argc, char **argv)
{
	if (argc < 1 || argv[0][0] == '-') {
		fprintf(stderr, "usage: roster_bench ssb FILE [--seconds T] [--seed S]\n");
		return 2;
	}
	const char *path = argv[0];
	double seconds = (double)arg_long(argc, argv, "--seconds", 60);
	uint64_t seed = (uint64_t)arg_long(argc, argv, "--seed", 1);
	double hw = (double)arg_long(argc, argv, "--hard-weight", 200);
	long run_iters = arg_long(argc, argv, "--run-iterations", 4000000);
	double t0 = arg_double(argc, argv, "--t0", 30), t1 = arg_double(argc, argv, "--t1", 0.3);
	double ils_t0 = arg_double(argc, argv, "--ils-t0", 2);
	long ils_iters = arg_long(argc, argv, "--ils-iterations", 20000);
	int fresh = (int)arg_long(argc, argv, "--fresh", 0);
	int fill_kick = (int)arg_long(argc, argv, "--fill-kick", 0);
	double ils_accept = arg_double(argc, argv, "--ils-accept", 0);
	int dp_period = (int)arg_long(argc, argv, "--dp-period", 0);
	/* every eject_period-th run ends with the ejection chains (0 = never) */
	int eject_period = (int)arg_long(argc, argv, "--eject-period", 0);
	int eject_depth = (int)arg_long(argc, argv, "--eject-depth", 2);
	long lns_rounds = arg_long(argc, argv, "--lns-rounds", 5000);
	long cover_rounds = arg_long(argc, argv, "--cover-rounds", 2000);
	int lns_agents = (int)arg_long(argc, argv, "--lns-agents", 3);
	int lns_window = (int)arg_long(argc, argv, "--lns-window", 0);
	long ils_per_cycle = arg_long(argc, argv, "--ils-per-cycle", 30);
	long ils_lns = arg_long(argc, argv, "--ils-lns", 20);
	bool verbose = false;
	for (int i = 0; i < argc; i++)
		verbose |= !strcmp(argv[i], "-v");
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return 1;
	}
	char *text = malloc(1 << 22);
	size_t len = fread(text, 1, (1 << 22) - 1, f);
	fclose(f);
	struct kf_ssb_instance in;
	struct kf_err err = {0};
	if (kf_ssb_parse(text, len, &in, &err)) {
		fprintf(stderr, "%s: %s (field %s)\n", path, err.message, err.field);
		return 1;
	}
	free(text);
	struct kf_roster_problem p;
	struct kf_roster_agent *ag = calloc((size_t)in.nstaff, sizeof(*ag));
	struct kf_roster_agent_rules *rules = calloc((size_t)in.nstaff, sizeof(*rules));
	struct kf_roster_ext ext;
	if (kf_ssb_problem(&in, hw, &p, ag, rules, &ext, &err))
		die("problem", &err);
	/* the coverage alone, for the large-neighbourhood search below */
	struct kf_roster_ext ext_cover = ext;
	ext_cover.nrequests = 0;
	ext_cover.requests = NULL;
	struct kf_roster_problem p_cover = p;
	p_cover.ext = &ext_cover;
	/* --low-weight W --low-period K: every K-th run from the incumbent
	 * first anneals with the hard constraints at weight W (strategic
	 * oscillation: through rosters that break them), then repairs with
	 * the normal weight from there */
	double low_w = (double)arg_long(argc, argv, "--low-weight", 0);
	int low_period = (int)arg_long(argc, argv, "--low-period", 0);
	int low_eject = (int)arg_long(argc, argv, "--low-eject", 0);
	struct kf_roster_problem p_low;
	struct kf_roster_agent *ag_low = calloc((size_t)in.nstaff, sizeof(*ag_low));
	struct kf_roster_agent_rules *rules_low = calloc((size_t)in.nstaff, sizeof(*rules_low));
	struct kf_roster_ext ext_low;
	if (low_w > 0 && kf_ssb_problem(&in, low_w, &p_low, ag_low, rules_low, &ext_low, &err))
		die("problem", &err);
	size_t ncells = (size_t)in.nstaff * (size_t)in.ndays;
	struct ssb_best B = {.sc = {.objective = -1}, .cells = malloc(ncells)};
	/* --cpu: the limit counts this process's CPU time, not the wall clock
	 * (for a machine shared with other work) */
	bool cpu_limit = false;
	for (int i = 0; i < argc; i++)
		cpu_limit |= !strcmp(argv[i], "--cpu");
	struct clock_ctx cc = {.first_feasible = -1,
			       .deadline_clock =
				   cpu_limit ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_MONOTONIC};
	double cpu0 = now_s(CLOCK_PROCESS_CPUTIME_ID);
	cc.t0 = now_s(CLOCK_MONOTONIC);
	cc.deadline = now_s(cc.deadline_clock) + seconds;
	cc.verbose = verbose;
	cc.cpu0 = cpu0;
	int runs = 0, kick = (int)arg_long(argc, argv, "--kick", 2);
	int8_t *inc = malloc(ncells), *trial = malloc(ncells);
	struct kf_ssb_score inc_sc = {.objective = -1};
	gen_state = seed;
	/* The default (--lns-rounds N > 0): cycles of the large-neighbourhood
	 * search (options.lns_rounds) and the iterated local search. A cycle
	 * starts with two runs. The first anneals from the greedy start (a new
	 * seed each cycle: a restart) and then searches --cover-rounds rounds
	 * with the coverage alone priced (p_cover: no requests), which reaches
	 * the fewest uncovered shifts without the requests' pull. The second
	 * searches N rounds with the whole objective from there; its result
	 * replaces the incumbent unless it is worse. Seeds seed, seed+1, … */
	while (now_s(cc.deadline_clock) < cc.deadline) {
		for (int step = 0;
		     lns_rounds > 0 && step < 2 && now_s(cc.deadline_clock) < cc.deadline; step++) {
			bool cover = step == 0;
			struct kf_roster_options opt =
			    timed_options(&cc, seed + (uint64_t)runs, cover ? run_iters : 0);
			opt.start_temperature = t0;
			opt.end_temperature = t1;
			opt.initial = cover ? NULL : trial;
			opt.row_dp_period = dp_period;
			opt.lns_rounds = cover ? cover_rounds : lns_rounds;
			opt.lns_agents = lns_agents;
			opt.lns_window = lns_window;
			struct kf_roster_result r;
			if (kf_roster_generate(cover ? &p_cover : &p, &opt, &r, &err))
				die("generate", &err);
			runs++;
			struct kf_ssb_score sc;
			kf_ssb_evaluate(&in, r.cells, &sc);
			if (!cover && ssb_better(&sc, &inc_sc, 0, true)) {
				inc_sc = sc;
				memcpy(inc, r.cells, ncells);
			}
			ssb_keep_best(&B, &sc, r.cells, ncells, &cc);
			if (verbose)
				fprintf(stderr, "  run %d (%s): objective %ld, hard %d (%.1f s)\n",
					runs, cover ? "coverage" : "all", sc.objective, sc.hard,
					now_s(CLOCK_MONOTONIC) - cc.t0);
			if (cover)
				memcpy(trial, r.cells, ncells);
			kf_roster_result_free(&r);
		}
		/* Then --ils-per-cycle runs of the iterated local search below, each
		 * also with --ils-lns rounds of the large-neighbourhood search, and
		 * the next cycle. --lns-rounds 0: only these runs, restarts with seeds
		 * seed, seed+1, … until the time is up; the best by (hard violations,
		 * objective). */
		for (long n = 0; (lns_rounds <= 0 || n < ils_per_cycle) &&
				 now_s(cc.deadline_clock) < cc.deadline;
		     n++) {
			/* The first run from the greedy start, then iterated local search
			 * from the incumbent: `kick` random agents rest on a random block
			 * of 2–7 days (ruin), a short annealing at a low temperature and
			 * the row re-optimisation (recreate); the result replaces the
			 * incumbent unless it is worse. Every `fresh`-th run starts from
			 * the greedy start again. */
			bool from_best = runs > 0 && (fresh <= 0 || runs % fresh != 0);
			/* the ejection chains run on the incumbent itself, without a kick */
			bool ejecting = from_best && eject_period > 0 && runs % eject_period == 0;
			if (ejecting)
				memcpy(trial, inc, ncells);
			else if (from_best) {
				memcpy(trial, inc, ncells);
				if (fill_kick && gen_below(2))
					fill_short(&in, ag, trial);
				for (int k = 0; k < kick; k++) {
					int e = gen_below(in.nstaff), blk = 2 + gen_below(6);
					int d0 = gen_below(in.ndays);
					for (int d = d0; d < d0 + blk && d < in.ndays; d++)
						if (trial[e * in.ndays + d] >= 0)
							trial[e * in.ndays + d] = KF_ROSTER_REST;
				}
			}
			struct kf_roster_options opt = timed_options(&cc, seed + (uint64_t)runs,
								     ejecting	 ? 0
								     : from_best ? ils_iters
										 : run_iters);
			opt.start_temperature = from_best ? ils_t0 : t0;
			opt.end_temperature = t1;
			opt.initial = from_best ? trial : NULL;
			opt.row_dp_period = dp_period;
			opt.eject = ejecting ? eject_depth : 0;
			opt.lns_rounds = from_best ? ils_lns : 0;
			opt.lns_agents = lns_agents;
			opt.lns_window = lns_window;
			struct kf_roster_result r;
			if (from_best && !ejecting && low_w > 0 && low_period > 0 &&
			    runs % low_period == 0) {
				struct kf_roster_options lo = opt;
				lo.row_dp_period = -1;
				if (kf_roster_generate(&p_low, &lo, &r, &err))
					die("generate", &err);
				memcpy(trial, r.cells, ncells);
				kf_roster_result_free(&r);
				opt.eject =
				    low_eject; /* the repair: ejection chains of this many links */
			}
			if (kf_roster_generate(&p, &opt, &r, &err))
				die("generate", &err);
			runs++;
			struct kf_ssb_score sc;
			kf_ssb_evaluate(&in, r.cells, &sc);
			/* the incumbent: better or equal, or (--ils-accept T > 0) worse by
			 * less than T·ln(1/u), u uniform: a walk that leaves a basin */
			double slack = ils_accept > 0
					   ? -ils_accept * log(1.0 - (double)(gen_next() >> 11) /
									 9007199254740992.0)
					   : 0;
			if (ssb_better(&sc, &inc_sc, slack, true) || !from_best) {
				inc_sc = sc;
				memcpy(inc, r.cells, ncells);
			}
			ssb_keep_best(&B, &sc, r.cells, ncells, &cc);
			if (!from_best || verbose)
				fprintf(stderr,
					"  run %d: objective %ld, hard %d, moves %ld (%.1f s)\n",
					runs, sc.objective, sc.hard, r.stats.iterations,
					now_s(CLOCK_MONOTONIC) - cc.t0);
			kf_roster_result_free(&r);
		}
	}
	double wall = now_s(CLOCK_MONOTONIC) - cc.t0;
	double cpu = now_s(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
	const char *dump = arg_str(argc, argv, "--dump", NULL);
	if (dump) {
		FILE *out = fopen(dump, "w");
		if (!out) {
			perror(dump);
			return 1;
		}
		for (int e = 0; e < in.nstaff; e++) {
			fprintf(out, "%s,", in.staff[e].id);
			for (int d = 0; d < in.ndays; d++) {
				int c = B.cells[e * in.ndays + d];
				fputs(c >= 0 ? in.shifts[c].id : "-", out);
			}
			fputc('\n', out);
		}
		fclose(out);
	}
	printf("%s: %d days, %d shifts, %d staff: objective %ld (requests %ld, cover %ld), hard "
	       "violations %d%s%s; best found at %.1f s wall / %.1f s cpu of %.1f s wall / %.1f s "
	       "cpu, %d runs\n",
	       path, in.ndays, in.nshifts, in.nstaff, B.sc.objective, B.sc.requests, B.sc.cover,
	       B.sc.hard, B.sc.hard ? ": " : "", B.sc.first, B.at, B.at_cpu, wall, cpu, runs);
	free(B.cells);
	free(inc);
	free(trial);
	free(ag);
	free(rules);
	free(ag_low);
	free(rules_low);
	kf_ssb_free(&in);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "month"))
		return cmd_month(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "exact"))
		return cmd_exact(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "ssb"))
		return cmd_ssb(argc - 2, argv + 2);
	fprintf(stderr, "usage: roster_bench month|exact|ssb … (see the comment at the top of "
			"bench/roster_bench.c)\n");
	return 2;
}
