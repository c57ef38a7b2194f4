/* Unit tests of the policy document (SPEC P-1 … P-4): the shipped default, lookups,
 * merging, presets, and the refusals that name the offending key. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "rules/policy.h"

static struct kf_policy *parse_ok(const char *doc)
{
	struct kf_policy *p = NULL;
	struct kf_err err = {0};
	int rc = kf_policy_parse(doc, strlen(doc), &p, &err);
	if (rc)
		fail_msg("parse failed (%d): %s [field %s]", rc, err.message, err.field);
	assert_non_null(p);
	return p;
}

/* Parses doc, expecting KF_EINVALID naming field, with words in the message. */
static void expect_invalid(const char *doc, const char *field, const char *words)
{
	struct kf_policy *p = NULL;
	struct kf_err err = {0};
	int rc = kf_policy_parse(doc, strlen(doc), &p, &err);
	if (rc != KF_EINVALID)
		fail_msg("expected KF_EINVALID for <%s>, got %d: %s", doc, rc, err.message);
	assert_null(p);
	if (strcmp(err.field, field))
		fail_msg("expected field \"%s\", got \"%s\" (%s)", field, err.field, err.message);
	if (!strstr(err.message, words))
		fail_msg("expected \"%s\" in \"%s\"", words, err.message);
}

/* P-2: the shipped default passes its own validation. */
static void default_document_parses(void **state)
{
	const char *text = kf_policy_default_text();
	struct kf_policy *p = parse_ok(text);
	assert_string_equal(kf_policy_str(p, "timezone"), "Asia/Shanghai");
	kf_policy_unref(p);
}

/* P-2: the default reproduces the seeds (spot checks across sections). */
static void default_values_follow_the_seeds(void **state)
{
	struct kf_policy *p = parse_ok(kf_policy_default_text());
	assert_int_equal(kf_policy_int(p, "staff.monthly_base_salary_fen.trainee"), 180000);
	assert_int_equal(kf_policy_int(p, "staff.monthly_base_salary_fen.reserve_supervisor"),
			 400000);
	assert_int_equal(kf_policy_int(p, "customers.verification_unmask_minutes"), 15);
	assert_int_equal(kf_policy_int(p, "customers.callback_interval_months_by_grade.VIP"), 2);
	assert_string_equal(kf_policy_str(p, "tickets.number_prefix_by_type.complaint"), "TS");
	assert_string_equal(kf_policy_str(p, "tickets.number_prefix_by_type.service"), "FW");
	assert_int_equal(kf_policy_int(p, "deadlines.l8_close_days"), 6);
	assert_int_equal(kf_policy_int(p, "deadlines.l1_answer_phone_seconds"), 15);
	assert_int_equal(kf_policy_int(p, "complaints.approval.manager_up_to_fen"), 100000);
	assert_int_equal(kf_policy_int(p, "complaints.approval.gm_from_fen"), 500000);
	assert_int_equal(kf_policy_int(p, "chat.away_max_minutes"), 10);
	assert_int_equal(kf_policy_int(p, "workforce.attendance.absence_if_late_minutes"), 20);
	assert_int_equal(kf_policy_int(p, "rewards.commission.rate_at_or_above_threshold_bp"), 150);
	assert_int_equal(kf_policy_int(p, "fines.data_leak.per_leak_fen"), 100000);
	assert_int_equal(kf_policy_int(p, "security.sign_in.grace_minutes"), 30);
	kf_policy_unref(p);
}

/* P-2: a section with a preset carries the preset's values (W-1, W-8, W-14, E-8, B-5). */
static void default_presets_fill_their_sections(void **state)
{
	struct kf_policy *p = parse_ok(kf_policy_default_text());
	assert_string_equal(kf_policy_str(p, "workforce.shifts.templates.early.start"), "09:00");
	assert_string_equal(kf_policy_str(p, "workforce.shifts.templates.late.end"), "24:00");
	assert_true(kf_policy_bool(p, "workforce.shifts.templates.late.is_late_shift"));
	assert_int_equal(kf_policy_int(p, "workforce.leave.notice.special_personal_hours"), 2);
	assert_true(kf_policy_bool(p, "workforce.swaps.missed_shift_penalty.counts_as_absence"));
	assert_int_equal(kf_policy_int(p, "fines.service_complaint.fen_by_occurrence.0"), 3000);
	assert_int_equal(kf_policy_int(p, "fines.service_complaint.fen_by_occurrence.1"), 6000);
	assert_int_equal(kf_policy_int(p, "fines.service_complaint.propose_dismissal_from_count"),
			 3);
	assert_string_equal(kf_policy_str(p, "meetings.weekly.weekday"), "mon");
	kf_policy_unref(p);
}

/* P-1: typed lookups and the generic one. */
static void typed_getters_return_values(void **state)
{
	struct kf_policy *p = parse_ok("{}");
	assert_int_equal(kf_policy_int(p, "deadlines.l7_report_days"), 3);
	assert_false(kf_policy_bool(p, "deadlines.l12_pause_pending_customer"));
	/* S-2 is off by default until rosters are published (policy_default.yaml). */
	assert_false(kf_policy_bool(p, "security.sign_in.only_on_shift"));
	assert_string_equal(kf_policy_str(p, "language.default_rule_set"), "general");
	const json_t *grades = kf_policy_get(p, "customers.grades");
	assert_true(json_is_array(grades));
	assert_int_equal(json_array_size(grades), 4);
	assert_string_equal(kf_policy_str(p, "customers.grades.0"), "VIP");
	assert_string_equal(kf_policy_str(p, "customers.care.dated_holidays.2026-02-17"),
			    "春节 Spring Festival");
	assert_null(kf_policy_get(p, "deadlines.no_such_key"));
	assert_null(kf_policy_get(p, "customers.grades.9"));
	assert_true(json_is_object(kf_policy_values(p)));
	kf_policy_unref(p);
}

/* P-1: a typed lookup of a key the default lacks is a programming error and aborts. */
static void int_getter_aborts_on_missing_key(void **state)
{
	struct kf_policy *p = parse_ok("{}");
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* The child's stderr would only repeat the expected log line. */
		if (!freopen("/dev/null", "w", stderr))
			_exit(2);
		kf_policy_int(p, "deadlines.l99_nothing_days");
		_exit(0);
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
	kf_policy_unref(p);
}

/* P-1: an empty mapping is the default itself. */
static void empty_mapping_gives_the_default(void **state)
{
	struct kf_policy *d = parse_ok(kf_policy_default_text());
	struct kf_policy *p = parse_ok("{}\n");
	assert_true(json_equal((json_t *)kf_policy_values(d), (json_t *)kf_policy_values(p)));
	kf_policy_unref(p);
	kf_policy_unref(d);
}

/* P-1: a document naming one key changes that key only. */
static void partial_document_merges_with_default(void **state)
{
	struct kf_policy *p = parse_ok("# our changes\n"
				       "deadlines:\n"
				       "  l8_close_days: 10\n");
	assert_int_equal(kf_policy_int(p, "deadlines.l8_close_days"), 10);
	assert_int_equal(kf_policy_int(p, "deadlines.l7_report_days"), 3);
	assert_int_equal(kf_policy_int(p, "deadlines.l6_reply_hours"), 24);
	assert_string_equal(kf_policy_str(p, "timezone"), "Asia/Shanghai");
	kf_policy_unref(p);
}

/* P-1: a list or a free-key map replaces the default's whole, so entries can go. */
static void lists_and_free_maps_replace_the_default(void **state)
{
	struct kf_policy *p = parse_ok("customers:\n"
				       "  grades: [VIP, A]\n"
				       "  care:\n"
				       "    annual_holidays: {\"10-01\": 国庆节}\n");
	assert_int_equal(json_array_size(kf_policy_get(p, "customers.grades")), 2);
	assert_int_equal(json_object_size(kf_policy_get(p, "customers.care.annual_holidays")), 1);
	assert_int_equal(json_object_size(kf_policy_get(p, "customers.care.dated_holidays")), 4);
	kf_policy_unref(p);
}

/* P-1: unknown keys are refused by dotted path, at the top and nested. */
static void unknown_key_is_refused_with_its_path(void **state)
{
	expect_invalid("timezon: Asia/Shanghai\n", "timezon", "unknown key");
	expect_invalid("deadlines:\n  l8_close_day: 10\n", "deadlines.l8_close_day", "unknown key");
	expect_invalid("workforce:\n  leave:\n    notice:\n      ordinary_hours: 12\n",
		       "workforce.leave.notice.ordinary_hours", "unknown key");
	expect_invalid("language:\n  rule_sets:\n    general:\n      required_phrases: [您好]\n"
		       "      closing_phrases: [再见]\n      forbidden_phrases: []\n"
		       "      extra: []\n",
		       "language.rule_sets.general.extra", "unknown key");
}

/* P-1: the value must have the default's type. */
static void wrong_type_is_refused(void **state)
{
	expect_invalid("deadlines:\n  l8_close_days: six\n", "deadlines.l8_close_days",
		       "must be an integer");
	expect_invalid("tickets:\n  number_prefix_by_type:\n    complaint: 12\n",
		       "tickets.number_prefix_by_type.complaint", "must be a string");
	expect_invalid("deadlines:\n  l12_pause_pending_customer: \"no\"\n",
		       "deadlines.l12_pause_pending_customer", "true or false");
	expect_invalid("customers:\n  grades: VIP\n", "customers.grades", "must be a list");
	expect_invalid("deadlines: 6\n", "deadlines", "must be a mapping");
	expect_invalid("customers:\n  grades: [VIP, 7]\n", "customers.grades[1]",
		       "must be a string");
}

/* P-4: money is whole fen; a fraction is refused. */
static void fractional_money_is_refused(void **state)
{
	expect_invalid("rewards:\n  full_attendance_fen: 100.5\n", "rewards.full_attendance_fen",
		       "whole number");
}

/* L-8, H-2: durations are never negative. */
static void negative_duration_is_refused(void **state)
{
	expect_invalid("chat:\n  away_max_minutes: -5\n", "chat.away_max_minutes",
		       "between 1 and 1439");
	expect_invalid("deadlines:\n  l8_close_days: 0\n", "deadlines.l8_close_days",
		       "deadlines.l8_close_days: must be an integer between 1 and 365");
	expect_invalid("workforce:\n  handover:\n    incoming_arrive_before_minutes: -1\n",
		       "workforce.handover.incoming_arrive_before_minutes", "between 0 and 240");
}

/* E-4, W-3: percentages stay within 0..100. */
static void out_of_range_percentage_is_refused(void **state)
{
	expect_invalid("rewards:\n  commission:\n    conversion_threshold_percent: 101\n",
		       "rewards.commission.conversion_threshold_percent", "between 0 and 100");
	expect_invalid(
	    "workforce:\n  coverage:\n    erlang_c:\n      target_answered_percent: 150\n",
	    "workforce.coverage.erlang_c.target_answered_percent", "between 1 and 99");
}

/* W-11, W-1: times are HH:MM; 24:00 only ends a shift. */
static void malformed_time_is_refused(void **state)
{
	expect_invalid("workforce:\n  leave:\n    late_shift_request_before: \"25:00\"\n",
		       "workforce.leave.late_shift_request_before", "HH:MM");
	expect_invalid("workforce:\n  leave:\n    late_shift_request_before: \"12.00\"\n",
		       "workforce.leave.late_shift_request_before", "HH:MM");
	expect_invalid("workforce:\n  leave:\n    late_shift_request_before: \"24:00\"\n",
		       "workforce.leave.late_shift_request_before", "00:00 to 23:59");
	expect_invalid("workforce:\n  shifts:\n    templates:\n"
		       "      day: {start: \"9:00\", end: \"17:00\", is_late_shift: false}\n",
		       "workforce.shifts.templates.day.start", "HH:MM");
}

/* S-2, H-7: role lists hold known roles only. */
static void unknown_role_in_exempt_list_is_refused(void **state)
{
	expect_invalid("security:\n  sign_in:\n    exempt_roles: [manager, boss]\n",
		       "security.sign_in.exempt_roles[1]", "one of: agent, technician");
	expect_invalid("security:\n  export_roles:\n    transcripts: [supervisor, supervisor]\n",
		       "security.export_roles.transcripts[1]", "repeats");
}

/* P-1: a YAML syntax error says where it is. */
static void invalid_yaml_reports_line_and_column(void **state)
{
	struct kf_policy *p = NULL;
	struct kf_err err = {0};
	const char *doc = "deadlines:\n  l8_close_days: [1, 2\n";
	assert_int_equal(kf_policy_parse(doc, strlen(doc), &p, &err), KF_EINVALID);
	assert_null(p);
	assert_non_null(strstr(err.message, "line"));
	assert_non_null(strstr(err.message, "column"));
}

/* P-1: a key written twice is refused rather than one silently winning. */
static void duplicate_key_is_refused(void **state)
{
	struct kf_policy *p = NULL;
	struct kf_err err = {0};
	const char *doc = "deadlines:\n  l8_close_days: 6\n  l8_close_days: 7\n";
	assert_int_equal(kf_policy_parse(doc, strlen(doc), &p, &err), KF_EINVALID);
	assert_null(p);
	assert_non_null(strstr(err.message, "duplicate key"));
}

/* P-1: the document is a mapping. */
static void non_mapping_top_level_is_refused(void **state)
{
	expect_invalid("- timezone\n- deadlines\n", "", "mapping");
	expect_invalid("just some words\n", "", "mapping");
	expect_invalid("42\n", "", "mapping");
}

/* K-5: the manager's limit lies below the GM's threshold. */
static void k5_thresholds_not_ascending_are_refused(void **state)
{
	expect_invalid("complaints:\n  approval:\n    manager_up_to_fen: 600000\n",
		       "complaints.approval.gm_from_fen", "ascend");
	expect_invalid("complaints:\n  approval:\n    manager_up_to_fen: 500000\n",
		       "complaints.approval.gm_from_fen", "ascend");
	struct kf_policy *p = parse_ok("complaints:\n  approval:\n    manager_up_to_fen: 200000\n");
	assert_int_equal(kf_policy_int(p, "complaints.approval.manager_up_to_fen"), 200000);
	kf_policy_unref(p);
}

/* P-2, E-8: a preset is chosen by name and must exist. */
static void unknown_preset_is_refused(void **state)
{
	expect_invalid("fines:\n  service_complaint:\n    preset: seed999\n",
		       "fines.service_complaint.preset", "unknown preset \"seed999\"");
	expect_invalid("workforce:\n  shifts:\n    preset: Hospital\n", "workforce.shifts.preset",
		       "unknown preset \"Hospital\"");
}

/* P-2, E-8: choosing another preset takes all its values. */
static void chosen_preset_supplies_values(void **state)
{
	struct kf_policy *p = parse_ok("fines:\n  service_complaint:\n    preset: seed000_p1\n"
				       "workforce:\n  shifts:\n    preset: seed004\n"
				       "  leave:\n    notice:\n      preset: seed000_p9\n");
	const json_t *amounts = kf_policy_get(p, "fines.service_complaint.fen_by_occurrence");
	assert_int_equal(json_array_size(amounts), 1);
	assert_int_equal(kf_policy_int(p, "fines.service_complaint.fen_by_occurrence.0"), 5000);
	assert_true(kf_policy_bool(p, "fines.service_complaint.direct_leader_same_fine"));
	assert_int_equal(kf_policy_int(p, "fines.service_complaint.propose_dismissal_from_count"),
			 0);
	assert_string_equal(kf_policy_str(p, "workforce.shifts.templates.early.end"), "16:30");
	assert_int_equal(kf_policy_int(p, "workforce.leave.notice.special_personal_hours"), 1);
	assert_int_equal(kf_policy_int(p, "workforce.leave.notice.ordinary_personal_hours"), 24);
	kf_policy_unref(p);
}

/* P-2: keys written beside a preset adjust it; an organisation may add presets. */
static void preset_can_be_adjusted_and_added(void **state)
{
	struct kf_policy *p = parse_ok("fines:\n  service_complaint:\n    preset: seed000_p1\n"
				       "    propose_dismissal_from_count: 4\n");
	assert_int_equal(kf_policy_int(p, "fines.service_complaint.fen_by_occurrence.0"), 5000);
	assert_int_equal(kf_policy_int(p, "fines.service_complaint.propose_dismissal_from_count"),
			 4);
	kf_policy_unref(p);

	p = parse_ok("workforce:\n  shifts:\n    preset: ours\n"
		     "presets:\n  shifts:\n    ours:\n      templates:\n"
		     "        night: {start: \"22:00\", end: \"06:00\", is_late_shift: true}\n");
	assert_string_equal(kf_policy_str(p, "workforce.shifts.templates.night.end"), "06:00");
	assert_null(kf_policy_get(p, "workforce.shifts.templates.early"));
	/* The shipped presets stay beside the organisation's own. */
	assert_non_null(kf_policy_get(p, "presets.shifts.seed004"));
	kf_policy_unref(p);
}

/* P-2: an organisation's preset is checked like the section it fills. */
static void bad_value_inside_a_preset_is_refused(void **state)
{
	expect_invalid("presets:\n  service_complaint_fines:\n    harsh:\n"
		       "      fen_by_occurrence: [-100]\n",
		       "presets.service_complaint_fines.harsh.fen_by_occurrence[0]",
		       "between 0 and");
	expect_invalid("presets:\n  service_complaint_fines:\n    harsh:\n      preset: x\n",
		       "presets.service_complaint_fines.harsh.preset", "unknown key");
}

/* W-1: a shift cannot start and end at the same time; entries of a free map are
 * complete. */
static void shift_templates_are_checked(void **state)
{
	expect_invalid("workforce:\n  shifts:\n    templates:\n"
		       "      day: {start: \"09:00\", end: \"09:00\", is_late_shift: false}\n",
		       "workforce.shifts.templates.day.end", "must differ from start");
	expect_invalid("workforce:\n  shifts:\n    templates:\n"
		       "      day: {start: \"09:00\", end: \"17:00\"}\n",
		       "workforce.shifts.templates.day.is_late_shift", "is missing");
	expect_invalid("workforce:\n  shifts:\n    templates:\n"
		       "      Day: {start: \"09:00\", end: \"17:00\", is_late_shift: false}\n",
		       "workforce.shifts.templates.Day", "key must be");
}

/* T-4: prefixes are two uppercase letters and unique. */
static void ticket_prefixes_are_checked(void **state)
{
	expect_invalid("tickets:\n  number_prefix_by_type:\n    inquiry: TS\n",
		       "tickets.number_prefix_by_type.inquiry", "already used by complaint");
	expect_invalid("tickets:\n  number_prefix_by_type:\n    inquiry: zx\n",
		       "tickets.number_prefix_by_type.inquiry", "two uppercase letters");
	expect_invalid("tickets:\n  number_prefix_by_type:\n    refund: TK\n",
		       "tickets.number_prefix_by_type.refund", "unknown key");
}

/* C-2, C-4, C-5: free-map keys have their form and grades exist. */
static void customer_grade_references_are_checked(void **state)
{
	expect_invalid("customers:\n  callback_interval_months_by_grade:\n    D: 3\n",
		       "customers.callback_interval_months_by_grade.D", "not a grade");
	expect_invalid("customers:\n  grades: [VIP, A, B]\n  care:\n"
		       "    holiday_greet_grades: [VIP, C]\n",
		       "customers.care.holiday_greet_grades[1]", "not a grade");
	expect_invalid("customers:\n  care:\n    annual_holidays: {\"13-40\": 节日}\n",
		       "customers.care.annual_holidays.13-40", "MM-DD");
	expect_invalid("customers:\n  care:\n    dated_holidays: {\"2027-02-30\": 节日}\n",
		       "customers.care.dated_holidays.2027-02-30", "YYYY-MM-DD");
}

/* W-3: maps that are empty in the default take their types from the rule table. */
static void empty_default_maps_are_typed_by_rules(void **state)
{
	struct kf_policy *p = parse_ok("workforce:\n  coverage:\n"
				       "    by_date: {\"2025-11-11\": 4}\n"
				       "    by_weekday: {sat: 2}\n"
				       "    by_shift: {late: 2}\n");
	assert_int_equal(kf_policy_int(p, "workforce.coverage.by_date.2025-11-11"), 4);
	assert_int_equal(kf_policy_int(p, "workforce.coverage.by_weekday.sat"), 2);
	kf_policy_unref(p);
	expect_invalid("workforce:\n  coverage:\n    by_date: {\"2025-11-11\": four}\n",
		       "workforce.coverage.by_date.2025-11-11", "must be an integer");
	expect_invalid("workforce:\n  coverage:\n    by_weekday: {monday: 3}\n",
		       "workforce.coverage.by_weekday.monday", "one of: mon, tue");
	expect_invalid("workforce:\n  coverage:\n    by_shift: {night: 3}\n",
		       "workforce.coverage.by_shift.night", "no shift");
	expect_invalid("deadlines:\n  business_hours:\n    types: [complaint, refund]\n",
		       "deadlines.business_hours.types[1]", "one of: complaint");
}

/* P-3: the time zone is checked for form only (rules/ does no file I/O). */
static void timezone_form_is_checked(void **state)
{
	expect_invalid("timezone: \"Asia/Shang hai\"\n", "timezone", "time zone name");
	expect_invalid("timezone: \"../etc/passwd\"\n", "timezone", "time zone name");
	struct kf_policy *p = parse_ok("timezone: Etc/GMT-8\n");
	assert_string_equal(kf_policy_str(p, "timezone"), "Etc/GMT-8");
	kf_policy_unref(p);
}

/* E-1, E-3: weights add up to 100; grade thresholds descend. */
static void evaluation_weights_and_grades_are_checked(void **state)
{
	expect_invalid("evaluation:\n  weights_percent:\n    timeliness: 50\n",
		       "evaluation.weights_percent", "add up to 100");
	expect_invalid("evaluation:\n  quarterly_grade_min_score:\n    b: 95\n",
		       "evaluation.quarterly_grade_min_score.b", "descend");
}

/* H-4: the default rule set must exist; a new set must be complete. */
static void language_rule_sets_are_checked(void **state)
{
	expect_invalid("language:\n  default_rule_set: hospital\n", "language.default_rule_set",
		       "no rule set");
	expect_invalid("language:\n  rule_sets:\n    hospital:\n      required_phrases: [您好]\n",
		       "language.rule_sets.hospital.closing_phrases", "is missing");
	expect_invalid("language:\n  rule_sets:\n    general:\n      required_phrases: [您好]\n"
		       "      closing_phrases: [再见]\n"
		       "      forbidden_phrases: [{phrase: 喂}]\n",
		       "language.rule_sets.general.forbidden_phrases[0].suggestion", "is missing");
}

/* P-1: a parsed policy is shared by reference count and freed by the last owner. */
static void reference_count_keeps_policy_alive(void **state)
{
	struct kf_policy *p = parse_ok("{}");
	struct kf_policy *q = kf_policy_ref(p);
	assert_ptr_equal(p, q);
	kf_policy_unref(p);
	assert_int_equal(kf_policy_int(q, "deadlines.l9_review_days"), 7);
	kf_policy_unref(q);
	kf_policy_unref(NULL);
	assert_null(kf_policy_ref(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(default_document_parses),
	    cmocka_unit_test(default_values_follow_the_seeds),
	    cmocka_unit_test(default_presets_fill_their_sections),
	    cmocka_unit_test(typed_getters_return_values),
	    cmocka_unit_test(int_getter_aborts_on_missing_key),
	    cmocka_unit_test(empty_mapping_gives_the_default),
	    cmocka_unit_test(partial_document_merges_with_default),
	    cmocka_unit_test(lists_and_free_maps_replace_the_default),
	    cmocka_unit_test(unknown_key_is_refused_with_its_path),
	    cmocka_unit_test(wrong_type_is_refused),
	    cmocka_unit_test(fractional_money_is_refused),
	    cmocka_unit_test(negative_duration_is_refused),
	    cmocka_unit_test(out_of_range_percentage_is_refused),
	    cmocka_unit_test(malformed_time_is_refused),
	    cmocka_unit_test(unknown_role_in_exempt_list_is_refused),
	    cmocka_unit_test(invalid_yaml_reports_line_and_column),
	    cmocka_unit_test(duplicate_key_is_refused),
	    cmocka_unit_test(non_mapping_top_level_is_refused),
	    cmocka_unit_test(k5_thresholds_not_ascending_are_refused),
	    cmocka_unit_test(unknown_preset_is_refused),
	    cmocka_unit_test(chosen_preset_supplies_values),
	    cmocka_unit_test(preset_can_be_adjusted_and_added),
	    cmocka_unit_test(bad_value_inside_a_preset_is_refused),
	    cmocka_unit_test(shift_templates_are_checked),
	    cmocka_unit_test(ticket_prefixes_are_checked),
	    cmocka_unit_test(customer_grade_references_are_checked),
	    cmocka_unit_test(empty_default_maps_are_typed_by_rules),
	    cmocka_unit_test(timezone_form_is_checked),
	    cmocka_unit_test(evaluation_weights_and_grades_are_checked),
	    cmocka_unit_test(language_rule_sets_are_checked),
	    cmocka_unit_test(reference_count_keeps_policy_alive),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
