/* Unit tests of Erlang C staffing (SPEC W-3): the published example, a large
 * interval, the edges, and refused inputs naming their field. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "rules/erlang.h"

static void assert_close(double got, double want, double tol)
{
	if (fabs(got - want) > tol)
		fail_msg("got %.6f, want %.6f (tolerance %g)", got, want, tol);
}

static struct kf_erlang_input example(void)
{
	struct kf_erlang_input in = {
	    .calls = 100,
	    .interval_seconds = 1800,
	    .aht_seconds = 180,
	    .target_answer_seconds = 20,
	    .target_service_level = 0.8,
	};
	return in;
}

/* W-3: the published example: 100 calls in 30 min, AHT 180 s, 80 % in 20 s
 * needs 14 agents; Pw 0.1741, SL 0.8884. */
static void published_example_needs_14_agents(void **state)
{
	struct kf_erlang_input in = example();
	struct kf_erlang_result r;
	struct kf_err err = {0};
	assert_int_equal(kf_erlang_required_agents(&in, &r, &err), 0);
	assert_int_equal(r.agents, 14);
	assert_close(r.traffic_erlangs, 10.0, 1e-12);
	assert_close(r.wait_probability, 0.1741, 1e-4);
	assert_close(r.service_level, 0.8884, 1e-4);
	assert_close(r.occupancy, 10.0 / 14, 1e-12);
	/* ASA = Pw * AHT / (N - A) = 0.1741 * 180 / 4 */
	assert_close(r.average_speed_of_answer_seconds, 0.17412 * 180 / 4, 0.01);

	/* One agent fewer misses the target: 14 is the least. */
	struct kf_erlang_result r13;
	assert_int_equal(kf_erlang_evaluate(&in, 13, &r13, &err), 0);
	assert_true(r13.service_level < 0.8);
	assert_true(r13.wait_probability > r.wait_probability);
}

/* W-3: evaluate agrees with required_agents, and N <= A never keeps up. */
static void evaluate_matches_and_overload_waits(void **state)
{
	struct kf_erlang_input in = example();
	struct kf_erlang_result r;
	struct kf_err err = {0};
	assert_int_equal(kf_erlang_evaluate(&in, 14, &r, &err), 0);
	assert_close(r.service_level, 0.8884, 1e-4);
	assert_int_equal(kf_erlang_evaluate(&in, 10, &r, &err), 0);
	assert_close(r.wait_probability, 1, 0);
	assert_close(r.service_level, 0, 0);
	assert_int_equal(kf_erlang_evaluate(&in, 0, &r, &err), 0);
	assert_close(r.service_level, 0, 0);
	/* Service level rises with every agent added. */
	double prev = 0;
	for (int n = 11; n < 30; n++) {
		assert_int_equal(kf_erlang_evaluate(&in, n, &r, &err), 0);
		assert_true(r.service_level > prev);
		prev = r.service_level;
	}
}

/* W-3: thousands of agents, no overflow, fast: 10 000 calls in 30 min with AHT
 * 180 s offer 1000 erlangs. */
static void ten_thousand_calls_are_stable_and_quick(void **state)
{
	struct kf_erlang_input in = example();
	in.calls = 10000;
	struct kf_erlang_result r, below;
	struct kf_err err = {0};
	clock_t t0 = clock();
	assert_int_equal(kf_erlang_required_agents(&in, &r, &err), 0);
	double ms = 1000.0 * (double)(clock() - t0) / CLOCKS_PER_SEC;
	printf("W-3: 10000 calls/30 min → %d agents, Pw %.4f, SL %.4f, occupancy %.4f in %.2f "
	       "ms\n",
	       r.agents, r.wait_probability, r.service_level, r.occupancy, ms);
	assert_close(r.traffic_erlangs, 1000, 1e-9);
	assert_true(r.agents > 1000 && r.agents < 1100);
	assert_true(r.service_level >= 0.8 && r.service_level < 1);
	assert_true(r.occupancy > 0.9 && r.occupancy < 1);
	assert_true(isfinite(r.wait_probability) && r.wait_probability > 0);
	assert_int_equal(kf_erlang_evaluate(&in, r.agents - 1, &below, &err), 0);
	assert_true(below.service_level < 0.8);

	/* 100 000 erlangs still computes. */
	in.calls = 1000000;
	assert_int_equal(kf_erlang_required_agents(&in, &r, &err), 0);
	assert_true(r.agents > 100000 && r.agents < 101000);
	assert_true(isfinite(r.service_level) && r.service_level >= 0.8);
}

/* W-3: no contacts need no agents. */
static void zero_calls_need_zero_agents(void **state)
{
	struct kf_erlang_input in = example();
	in.calls = 0;
	struct kf_erlang_result r;
	struct kf_err err = {0};
	assert_int_equal(kf_erlang_required_agents(&in, &r, &err), 0);
	assert_int_equal(r.agents, 0);
	assert_close(r.service_level, 1, 0);
	assert_close(r.wait_probability, 0, 0);
}

static void expect_field(struct kf_erlang_input in, int agents, const char *field)
{
	struct kf_erlang_result r;
	struct kf_err err = {0};
	int rc = agents < 0 && strcmp(field, "agents") ? kf_erlang_required_agents(&in, &r, &err)
						       : kf_erlang_evaluate(&in, agents, &r, &err);
	assert_int_equal(rc, KF_EINVALID);
	if (strcmp(err.field, field))
		fail_msg("expected field %s, got %s (%s)", field, err.field, err.message);
}

/* W-3: every invalid input is refused with its field named. */
static void invalid_inputs_name_the_field(void **state)
{
	struct kf_erlang_input in = example();
	in.calls = -1;
	expect_field(in, -1, "calls");
	in = example();
	in.calls = NAN;
	expect_field(in, -1, "calls");
	in = example();
	in.interval_seconds = 0;
	expect_field(in, -1, "interval_seconds");
	in = example();
	in.aht_seconds = -3;
	expect_field(in, -1, "aht_seconds");
	in = example();
	in.target_answer_seconds = -1;
	expect_field(in, -1, "target_answer_seconds");
	in = example();
	in.target_service_level = 1;
	expect_field(in, -1, "target_service_level");
	in.target_service_level = 0;
	expect_field(in, -1, "target_service_level");
	in = example();
	expect_field(in, -5, "agents");
	in.calls = 1e12;
	expect_field(in, -1, "calls");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(published_example_needs_14_agents),
	    cmocka_unit_test(evaluate_matches_and_overload_waits),
	    cmocka_unit_test(ten_thousand_calls_are_stable_and_quick),
	    cmocka_unit_test(zero_calls_need_zero_agents),
	    cmocka_unit_test(invalid_inputs_name_the_field),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
