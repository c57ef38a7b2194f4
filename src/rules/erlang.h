/* Erlang C staffing (SPEC W-3: coverage "optionally derived from a contact
 * forecast with Erlang C (target service level, e.g. 80% answered in 15 s)").
 *
 * The M/M/N queue: contacts arrive at random (Poisson) at `calls` per
 * interval, each takes an exponentially distributed handle time with mean
 * `aht_seconds`, and N agents serve one queue. With the offered traffic
 * A = calls × aht / interval (in erlangs) and N > A:
 *   probability of waiting   Pw = C(N, A) = N·B / (N − A·(1 − B)),
 *                            B = Erlang B, by the recursion B(0) = 1,
 *                            B(n) = A·B(n−1) / (n + A·B(n−1));
 *   service level            SL = 1 − Pw · exp(−(N − A) · T / aht),
 *                            T = the target answer time;
 *   average speed of answer  ASA = Pw · aht / (N − A);
 *   occupancy                A / N.
 * The recursion keeps every intermediate value in [0, 1], so no factorial or
 * power is ever formed and thousands of agents are computed in microseconds
 * without overflow. With N <= A the queue grows without bound: Pw = 1, SL = 0.
 *
 * Pure: no I/O, no clock. Errors name the input field (err->field). */
#ifndef KF_RULES_ERLANG_H
#define KF_RULES_ERLANG_H
#include "util/err.h"

/* The largest agent count kf_erlang_required_agents considers. */
#define KF_ERLANG_MAX_AGENTS 1000000

struct kf_erlang_input {
	double calls;		      /* contacts offered in the interval, >= 0 */
	double interval_seconds;      /* length of the interval, > 0 */
	double aht_seconds;	      /* average handle time, > 0 */
	double target_answer_seconds; /* answered within this time, >= 0 */
	double target_service_level;  /* share answered within the target, 0 < x < 1 */
};

struct kf_erlang_result {
	int agents;		 /* N */
	double traffic_erlangs;	 /* A */
	double wait_probability; /* Pw, 0 when no contacts */
	double service_level;	 /* 1 when no contacts */
	double occupancy;	 /* A / N, 0 when N = 0 */
	double average_speed_of_answer_seconds;
};

/* Validates the input; KF_EINVALID naming the field ("calls",
 * "interval_seconds", "aht_seconds", "target_answer_seconds",
 * "target_service_level") otherwise. */
int kf_erlang_check(const struct kf_erlang_input *in, struct kf_err *err);
/* The measures for `agents` agents (>= 0; field "agents" otherwise). */
int kf_erlang_evaluate(const struct kf_erlang_input *in, int agents, struct kf_erlang_result *out,
		       struct kf_err *err);
/* The fewest agents whose service level reaches the target, with their
 * measures. No contacts: 0 agents. More than KF_ERLANG_MAX_AGENTS needed:
 * KF_EINVALID naming "calls". */
int kf_erlang_required_agents(const struct kf_erlang_input *in, struct kf_erlang_result *out,
			      struct kf_err *err);

#endif
