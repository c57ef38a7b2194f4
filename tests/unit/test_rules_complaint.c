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

/* K-9 (E-2): upheld = a live resolution of any kind but not_upheld. */
static void upheld_needs_a_live_resolution_that_is_not_not_upheld(void **s)
{
	assert_true(kf_complaint_upheld("explanation", "approved"));
	assert_true(kf_complaint_upheld("compensation", "sent"));
	assert_true(kf_complaint_upheld("return", "accepted"));
	assert_false(kf_complaint_upheld("not_upheld", "accepted"));
	assert_false(kf_complaint_upheld("compensation", "rejected"));
	assert_false(kf_complaint_upheld("compensation", "refused"));
	assert_false(kf_complaint_upheld("compensation", "pending_approval"));
	assert_false(kf_complaint_upheld(NULL, NULL));
}

/* E-8, preset seed000_p7: 30 yuan, then 60 (doubled), the third time
 * dismissal proposed; the last amount repeats. */
static void service_complaint_fines_follow_the_preset(void **s)
{
	struct kf_policy *p = policy("timezone: Asia/Shanghai\n");
	bool dismiss;
	assert_int_equal(kf_service_complaint_fine(p, 1, &dismiss), 3000);
	assert_false(dismiss);
	assert_int_equal(kf_service_complaint_fine(p, 2, &dismiss), 6000);
	assert_false(dismiss);
	assert_int_equal(kf_service_complaint_fine(p, 3, &dismiss), 6000);
	assert_true(dismiss);
	assert_int_equal(kf_service_complaint_fine(p, 7, &dismiss), 6000);
	assert_true(dismiss);
	kf_policy_unref(p);
	/* seed000_p1 (§篇1 二.8): 50 yuan each time, never dismissal. */
	p = policy("fines:\n  service_complaint:\n    preset: seed000_p1\n");
	assert_int_equal(kf_service_complaint_fine(p, 1, &dismiss), 5000);
	assert_int_equal(kf_service_complaint_fine(p, 5, &dismiss), 5000);
	assert_false(dismiss);
	kf_policy_unref(p);
}

/* E-7, E-8: the first day of the counting window. */
static void fine_windows_start_where_the_policy_says(void **s)
{
	assert_int_equal(kf_fine_window_start("calendar_month", 20300415), 20300401);
	assert_int_equal(kf_fine_window_start("calendar_quarter", 20300415), 20300401);
	assert_int_equal(kf_fine_window_start("calendar_quarter", 20300331), 20300101);
	assert_int_equal(kf_fine_window_start("calendar_quarter", 20301231), 20301001);
	assert_int_equal(kf_fine_window_start("calendar_year", 20300415), 20300101);
	assert_int_equal(kf_fine_window_start("rolling_12_months", 20300415), 20290415);
	assert_int_equal(kf_fine_window_start("rolling_12_months", 20280229), 20270228);
	assert_int_equal(kf_fine_window_start("fortnight", 20300415), -1);
}

/* K-8: March's review opens on 1 April and is late from the policy day. */
static void review_window_opens_on_the_first_and_is_late_from_the_policy_day(void **s)
{
	struct kf_review_window w;
	kf_complaint_review_window(2030, 3, 10, &w);
	assert_int_equal(w.opens, 20300401);
	assert_int_equal(w.due, 20300410);
	assert_string_equal(kf_complaint_review_state(&w, 20300331, false), "not_open");
	assert_string_equal(kf_complaint_review_state(&w, 20300331, true), "not_open");
	assert_string_equal(kf_complaint_review_state(&w, 20300401, false), "open");
	assert_string_equal(kf_complaint_review_state(&w, 20300409, false), "open");
	assert_string_equal(kf_complaint_review_state(&w, 20300410, false), "overdue");
	assert_string_equal(kf_complaint_review_state(&w, 20300410, true), "reviewed");
	assert_string_equal(kf_complaint_review_state(&w, 20310101, false), "overdue");
	/* December's review is in January of the next year. */
	kf_complaint_review_window(2030, 12, 2, &w);
	assert_int_equal(w.opens, 20310101);
	assert_int_equal(w.due, 20310102);
}

/* E-12: the sanctions a review may decide. */
static void sanctions_are_the_e12_list_and_none(void **s)
{
	for (int i = 0; i < KF_SANCTION_COUNT; i++)
		assert_int_equal(kf_sanction_parse(kf_sanctions[i]), i);
	assert_int_equal(kf_sanction_parse("dismissal"), 5);
	assert_int_equal(kf_sanction_parse("fired"), -1);
	assert_int_equal(kf_sanction_parse(NULL), -1);
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
	    cmocka_unit_test(upheld_needs_a_live_resolution_that_is_not_not_upheld),
	    cmocka_unit_test(service_complaint_fines_follow_the_preset),
	    cmocka_unit_test(fine_windows_start_where_the_policy_says),
	    cmocka_unit_test(review_window_opens_on_the_first_and_is_late_from_the_policy_day),
	    cmocka_unit_test(sanctions_are_the_e12_list_and_none),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
