/* Erlang C staffing (SPEC W-3); the formulas are in erlang.h. */
#include <math.h>
#include "rules/erlang.h"

int kf_erlang_check(const struct kf_erlang_input *in, struct kf_err *err)
{
	if (!isfinite(in->calls) || in->calls < 0)
		return kf_err_field(err, KF_EINVALID, "calls", "must be a number 0 or more");
	if (!isfinite(in->interval_seconds) || in->interval_seconds <= 0)
		return kf_err_field(err, KF_EINVALID, "interval_seconds",
				    "must be a number of seconds greater than 0");
	if (!isfinite(in->aht_seconds) || in->aht_seconds <= 0)
		return kf_err_field(err, KF_EINVALID, "aht_seconds",
				    "must be a number of seconds greater than 0");
	if (!isfinite(in->target_answer_seconds) || in->target_answer_seconds < 0)
		return kf_err_field(err, KF_EINVALID, "target_answer_seconds",
				    "must be a number of seconds 0 or more");
	if (!isfinite(in->target_service_level) || in->target_service_level <= 0 ||
	    in->target_service_level >= 1)
		return kf_err_field(err, KF_EINVALID, "target_service_level",
				    "must be above 0 and below 1 (a share; 100 %% is never reached "
				    "with random arrivals)");
	return 0;
}

/* Fills out for N agents given Erlang B(N, A) = b. */
static void measures(const struct kf_erlang_input *in, double a, int n, double b,
		     struct kf_erlang_result *out)
{
	out->agents = n;
	out->traffic_erlangs = a;
	if (a <= 0) {
		out->wait_probability = 0;
		out->service_level = 1;
		out->occupancy = 0;
		out->average_speed_of_answer_seconds = 0;
		return;
	}
	if ((double)n <= a) {
		out->wait_probability = 1;
		out->service_level = 0;
		out->occupancy = n > 0 ? 1 : 0;
		out->average_speed_of_answer_seconds = INFINITY;
		return;
	}
	double pw = (double)n * b / ((double)n - a * (1 - b));
	if (pw > 1)
		pw = 1;
	double sl = 1 - pw * exp(-((double)n - a) * in->target_answer_seconds / in->aht_seconds);
	out->wait_probability = pw;
	out->service_level = sl < 0 ? 0 : sl;
	out->occupancy = a / (double)n;
	out->average_speed_of_answer_seconds = pw * in->aht_seconds / ((double)n - a);
}

int kf_erlang_evaluate(const struct kf_erlang_input *in, int agents, struct kf_erlang_result *out,
		       struct kf_err *err)
{
	int rc = kf_erlang_check(in, err);
	if (rc)
		return rc;
	if (agents < 0 || agents > KF_ERLANG_MAX_AGENTS)
		return kf_err_field(err, KF_EINVALID, "agents", "must be between 0 and %d",
				    KF_ERLANG_MAX_AGENTS);
	double a = in->calls * in->aht_seconds / in->interval_seconds;
	double b = 1;
	for (int n = 1; n <= agents; n++)
		b = a * b / ((double)n + a * b);
	measures(in, a, agents, b, out);
	return 0;
}

int kf_erlang_required_agents(const struct kf_erlang_input *in, struct kf_erlang_result *out,
			      struct kf_err *err)
{
	int rc = kf_erlang_check(in, err);
	if (rc)
		return rc;
	double a = in->calls * in->aht_seconds / in->interval_seconds;
	if (a <= 0) {
		measures(in, 0, 0, 1, out);
		return 0;
	}
	if (a >= KF_ERLANG_MAX_AGENTS)
		return kf_err_field(err, KF_EINVALID, "calls",
				    "offer %.0f erlangs of traffic, more than %d agents can carry",
				    a, KF_ERLANG_MAX_AGENTS);
	/* Erlang B up to the first N above A, then one agent at a time until the
	 * target is met: SL rises with N, so the first N that meets it is the least. */
	double b = 1;
	int n = 0;
	while ((double)n <= a) {
		n++;
		b = a * b / ((double)n + a * b);
	}
	for (;;) {
		measures(in, a, n, b, out);
		if (out->service_level >= in->target_service_level)
			return 0;
		if (n >= KF_ERLANG_MAX_AGENTS)
			return kf_err_field(err, KF_EINVALID, "calls",
					    "need more than %d agents for the target",
					    KF_ERLANG_MAX_AGENTS);
		n++;
		b = a * b / ((double)n + a * b);
	}
}
