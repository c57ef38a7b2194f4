/* Unit tests for the survey rules: the V-2 rating scale, V-3 poor detection,
 * the V-4 score, which ticket types get a callback (V-1) and the due and
 * expiry times. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "rules/survey.h"

static void rating_scale_parses_the_four_names(void **s)
{
	/* V-2: very satisfied, satisfied, average, poor; nothing else. */
	assert_int_equal(kf_rating_parse("very_satisfied"), KF_RATING_VERY_SATISFIED);
	assert_int_equal(kf_rating_parse("satisfied"), KF_RATING_SATISFIED);
	assert_int_equal(kf_rating_parse("average"), KF_RATING_AVERAGE);
	assert_int_equal(kf_rating_parse("poor"), KF_RATING_POOR);
	assert_int_equal(kf_rating_parse("bad"), -1);
	assert_int_equal(kf_rating_parse("Poor"), -1);
	assert_int_equal(kf_rating_parse(""), -1);
	assert_int_equal(kf_rating_parse(NULL), -1);
	for (int i = 0; i < 4; i++)
		assert_int_equal(kf_rating_parse(kf_rating_name((enum kf_rating)i)), i);
	assert_string_equal(kf_survey_dims[0], "attitude");
	assert_string_equal(kf_survey_dims[3], "promise");
}

static void any_poor_dimension_is_poor(void **s)
{
	/* V-3: one poor rating among four is enough. */
	enum kf_rating good[4] = {KF_RATING_VERY_SATISFIED, KF_RATING_SATISFIED, KF_RATING_AVERAGE,
				  KF_RATING_AVERAGE};
	assert_false(kf_survey_any_poor(good));
	for (int i = 0; i < 4; i++) {
		enum kf_rating r[4] = {KF_RATING_SATISFIED, KF_RATING_SATISFIED,
				       KF_RATING_SATISFIED, KF_RATING_SATISFIED};
		r[i] = KF_RATING_POOR;
		assert_true(kf_survey_any_poor(r));
	}
}

static void score_counts_four_to_one_points(void **s)
{
	/* V-4: 4 points for very satisfied … 1 for poor, per dimension. */
	enum kf_rating best[4] = {0, 0, 0, 0};
	enum kf_rating worst[4] = {KF_RATING_POOR, KF_RATING_POOR, KF_RATING_POOR, KF_RATING_POOR};
	enum kf_rating mixed[4] = {KF_RATING_VERY_SATISFIED, KF_RATING_SATISFIED, KF_RATING_AVERAGE,
				   KF_RATING_POOR};
	assert_int_equal(kf_survey_score(best), 16);
	assert_int_equal(kf_survey_score(worst), 4);
	assert_int_equal(kf_survey_score(mixed), 10);
}

static void callbacks_follow_complaint_service_and_repair(void **s)
{
	/* V-1: complaint and service tickets (and repairs, a service visit). */
	assert_true(kf_callback_applies("complaint"));
	assert_true(kf_callback_applies("service"));
	assert_true(kf_callback_applies("repair"));
	assert_false(kf_callback_applies("inquiry"));
	assert_false(kf_callback_applies("query"));
	assert_false(kf_callback_applies("suggestion"));
	assert_false(kf_callback_applies("help"));
	assert_false(kf_callback_applies(NULL));
}

static void due_and_expiry_are_whole_days(void **s)
{
	assert_int_equal(kf_callback_due(1000, 2), 1000 + 2 * 86400000LL);
	assert_int_equal(kf_survey_link_expiry(5, 7), 5 + 7 * 86400000LL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(rating_scale_parses_the_four_names),
	    cmocka_unit_test(any_poor_dimension_is_poor),
	    cmocka_unit_test(score_counts_four_to_one_points),
	    cmocka_unit_test(callbacks_follow_complaint_service_and_repair),
	    cmocka_unit_test(due_and_expiry_are_whole_days),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
