/* Unit tests for the complaint rules: the K-5 approval authority at the
 * boundaries of the shipped policy and of another policy, who may approve
 * (K-5: the required role or a higher one), the K-1/K-2/K-4 enumerations and
 * which resolution kinds carry an amount or a quantity. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "rules/complaint.h"
#include "rules/policy.h"
#include "rules/roles.h"

static struct kf_policy *policy(const char *doc)
{
	struct kf_policy *p;
	struct kf_err err;
	assert_int_equal(kf_policy_parse(doc, strlen(doc), &p, &err), 0);
	return p;
}

static void approver_follows_the_default_boundaries(void **s)
{
	struct kf_policy *p = policy("timezone: Asia/Shanghai\n");
	/* K-5: ≤ 1000 yuan manager; > 1000 and < 5000 VP; ≥ 5000 GM. */
	assert_int_equal(kf_complaint_approver(p, true, 1), KF_ROLE_MANAGER);
	assert_int_equal(kf_complaint_approver(p, true, 100000), KF_ROLE_MANAGER);
	assert_int_equal(kf_complaint_approver(p, true, 100001), KF_ROLE_VP);
	assert_int_equal(kf_complaint_approver(p, true, 499999), KF_ROLE_VP);
	assert_int_equal(kf_complaint_approver(p, true, 500000), KF_ROLE_GM);
	assert_int_equal(kf_complaint_approver(p, true, 500001), KF_ROLE_GM);
	assert_int_equal(kf_complaint_approver(p, true, INT64_MAX), KF_ROLE_GM);
	kf_policy_unref(p);
}

static void no_amount_or_zero_needs_no_approval(void **s)
{
	struct kf_policy *p = policy("timezone: Asia/Shanghai\n");
	assert_int_equal(kf_complaint_approver(p, true, 0), -1);
	assert_int_equal(kf_complaint_approver(p, false, 0), -1);
	assert_int_equal(kf_complaint_approver(p, false, 700000), -1);
	kf_policy_unref(p);
}

static void approver_follows_the_policy(void **s)
{
	struct kf_policy *p = policy("complaints:\n  approval:\n    manager_up_to_fen: 50000\n"
				     "    gm_from_fen: 200000\n");
	assert_int_equal(kf_complaint_approver(p, true, 50000), KF_ROLE_MANAGER);
	assert_int_equal(kf_complaint_approver(p, true, 50001), KF_ROLE_VP);
	assert_int_equal(kf_complaint_approver(p, true, 100000), KF_ROLE_VP);
	assert_int_equal(kf_complaint_approver(p, true, 199999), KF_ROLE_VP);
	assert_int_equal(kf_complaint_approver(p, true, 200000), KF_ROLE_GM);
	kf_policy_unref(p);
}

static void the_required_role_or_a_higher_one_approves(void **s)
{
	enum kf_role ladder[] = {KF_ROLE_MANAGER, KF_ROLE_VP, KF_ROLE_GM};
	for (int need = 0; need < 3; need++)
		for (int who = 0; who < 3; who++)
			assert_int_equal(kf_complaint_may_approve(ladder[who], ladder[need]),
					 who >= need);
	/* Nobody off the ladder approves, whatever the amount. */
	enum kf_role off[] = {KF_ROLE_AGENT,	  KF_ROLE_TECHNICIAN, KF_ROLE_TEAM_LEAD,
			      KF_ROLE_SUPERVISOR, KF_ROLE_ANALYST,    KF_ROLE_ADMIN};
	for (size_t i = 0; i < sizeof off / sizeof off[0]; i++)
		for (int need = 0; need < 3; need++)
			assert_false(kf_complaint_may_approve(off[i], ladder[need]));
}

static void enumerations_round_trip_and_refuse_unknown_names(void **s)
{
	for (int i = 0; i < KF_CAUSE_COUNT; i++)
		assert_int_equal(
		    kf_complaint_cause_parse(kf_complaint_cause_name((enum kf_complaint_cause)i)),
		    i);
	for (int i = 0; i < KF_NQ_COUNT; i++)
		assert_int_equal(kf_non_quality_kind_parse(
				     kf_non_quality_kind_name((enum kf_non_quality_kind)i)),
				 i);
	for (int i = 0; i < KF_SEV_COUNT; i++)
		assert_int_equal(kf_complaint_severity_parse(
				     kf_complaint_severity_name((enum kf_complaint_severity)i)),
				 i);
	for (int i = 0; i < KF_RES_COUNT; i++)
		assert_int_equal(
		    kf_resolution_kind_parse(kf_resolution_kind_name((enum kf_resolution_kind)i)),
		    i);
	assert_int_equal(kf_complaint_severity_parse("severe"), -1);
	assert_int_equal(kf_complaint_severity_parse(NULL), -1);
	assert_int_equal(kf_complaint_cause_parse("Quality"), -1);
	assert_int_equal(kf_resolution_kind_parse("refund"), -1);
}

static void major_and_crisis_are_reported(void **s)
{
	assert_false(kf_complaint_severity_reported(KF_SEV_GENERAL));
	assert_true(kf_complaint_severity_reported(KF_SEV_MAJOR));
	assert_true(kf_complaint_severity_reported(KF_SEV_CRISIS));
}

static void kinds_carry_amounts_or_quantities(void **s)
{
	assert_true(kf_resolution_takes_amount(KF_RES_COMPENSATION));
	assert_true(kf_resolution_takes_amount(KF_RES_DISCOUNT));
	assert_false(kf_resolution_takes_amount(KF_RES_EXPLANATION));
	assert_false(kf_resolution_takes_amount(KF_RES_RETURN));
	assert_false(kf_resolution_takes_amount(KF_RES_NOT_UPHELD));
	assert_true(kf_resolution_takes_quantity(KF_RES_RETURN));
	assert_true(kf_resolution_takes_quantity(KF_RES_REWORK));
	assert_false(kf_resolution_takes_quantity(KF_RES_COMPENSATION));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(approver_follows_the_default_boundaries),
	    cmocka_unit_test(no_amount_or_zero_needs_no_approval),
	    cmocka_unit_test(approver_follows_the_policy),
	    cmocka_unit_test(the_required_role_or_a_higher_one_approves),
	    cmocka_unit_test(enumerations_round_trip_and_refuse_unknown_names),
	    cmocka_unit_test(major_and_crisis_are_reported),
	    cmocka_unit_test(kinds_carry_amounts_or_quantities),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
