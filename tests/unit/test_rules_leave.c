/* Unit tests for the leave and swap rules (W-7 … W-13) at their boundaries:
 * leave of exactly 3 days, filed exactly 24 h before the shift, a late
 * shift's leave at 11:59 and 12:00, the emergency notice, the third swap in
 * a month and swaps on consecutive days. The zone is a fixed UTC+8
 * (Asia/Shanghai has no clock changes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "rules/leave.h"
#include "rules/policy.h"

#define H   3600000LL
#define MIN 60000LL

static int64_t plus8(int64_t ms, void *ctx)
{
	(void)ms;
	(void)ctx;
	return 8 * 3600;
}
static const struct kf_zone zone = {plus8, NULL};

/* 2026-12-10 00:00 +08:00 */
#define DEC10 (1796860800000LL - 8 * H)

static struct kf_leave_rules rules(void)
{
	struct kf_policy *p;
	struct kf_err err = {0};
	const char *d = kf_policy_default_text();
	assert_int_equal(kf_policy_parse(d, strlen(d), &p, &err), 0);
	struct kf_leave_rules r;
	kf_leave_rules_from_policy(p, &r);
	kf_policy_unref(p);
	return r;
}

static struct kf_leave_filing filing(const char *type, int64_t start, int64_t end, int64_t filed)
{
	return (struct kf_leave_filing){
	    .type = type, .filed_at = filed, .start_at = start, .end_at = end, .zone = &zone};
}

static void policy_gives_the_seed_values(void **s)
{
	struct kf_leave_rules r = rules();
	assert_int_equal(r.ordinary_notice_hours, 24);
	assert_int_equal(r.special_notice_hours, 2);
	assert_int_equal(r.supervisor_up_to_days, 3);
	assert_int_equal(r.late_shift_before_min, 12 * 60);
	assert_int_equal(r.emergency_notice_hours, 24);
}

static void the_eight_types_and_nothing_else(void **s)
{
	/* W-7 */
	static const char *const ok[] = {"personal",	"sick",		"marriage", "maternity",
					 "bereavement", "compensatory", "annual",   "work_injury"};
	for (int i = 0; i < 8; i++)
		assert_true(kf_leave_type_valid(ok[i]));
	assert_false(kf_leave_type_valid("holiday"));
	assert_false(kf_leave_type_valid(NULL));
	struct kf_leave_rules r = rules();
	struct kf_leave_filing f = filing("vacation", DEC10, DEC10 + 24 * H, DEC10 - 48 * H);
	struct kf_leave_plan p;
	struct kf_err err = {0};
	assert_int_equal(kf_leave_judge(&r, &f, &p, &err), KF_EINVALID);
	assert_string_equal(err.field, "type");
}

static void exactly_three_days_is_the_supervisors_four_the_managers(void **s)
{
	/* W-9: 3天内 includes 3 (interpretation), level by level beyond. */
	struct kf_leave_rules r = rules();
	struct kf_leave_plan p;
	struct kf_err err = {0};
	struct kf_leave_filing f = filing("personal", DEC10, DEC10 + 72 * H, DEC10 - 72 * H);
	assert_int_equal(kf_leave_judge(&r, &f, &p, &err), 0);
	assert_int_equal(p.days, 3);
	assert_int_equal(p.nlevels, 1);
	assert_int_equal(p.levels[0], KF_LEAVE_SUPERVISOR);
	f.end_at += 1; /* one millisecond into the fourth day */
	assert_int_equal(kf_leave_judge(&r, &f, &p, &err), 0);
	assert_int_equal(p.days, 4);
	assert_int_equal(p.nlevels, 2);
	assert_int_equal(p.levels[0], KF_LEAVE_SUPERVISOR);
	assert_int_equal(p.levels[1], KF_LEAVE_MANAGER);
	/* Days are local days touched: 22:00 to 02:00 the next day is 2. */
	assert_int_equal(kf_leave_days(DEC10 + 22 * H, DEC10 + 26 * H, &zone), 2);
	/* A supervisor's own leave goes to the manager. */
	f.end_at = DEC10 + 24 * H;
	f.subject_is_lead = true;
	assert_int_equal(kf_leave_judge(&r, &f, &p, &err), 0);
	assert_int_equal(p.nlevels, 1);
	assert_int_equal(p.levels[0], KF_LEAVE_MANAGER);
}

static void filed_exactly_24_hours_before_the_shift_is_in_time(void **s)
{
	/* W-8: at least 24 h before the shift starts (09:00). */
	struct kf_leave_rules r = rules();
	struct kf_leave_plan p;
	struct kf_err err = {0};
	int64_t shift = DEC10 + 9 * H;
	struct kf_leave_filing f = filing("personal", DEC10, DEC10 + 24 * H, shift - 24 * H);
	f.first_shift_start = shift;
	assert_int_equal(kf_leave_judge(&r, &f, &p, &err), 0);
	assert_false(p.late_notice);
	assert_int_equal(p.notice_ms, 24 * H);
	assert_int_equal(p.nlevels, 1);
	f.filed_at += 1; /* one millisecond late: valid only once a manager approves */
	assert_int_equal(kf_leave_judge(&r, &f, &p, &err), 0);
	assert_true(p.late_notice);
	assert_int_equal(p.nlevels, 2);
	assert_int_equal(p.levels[1], KF_LEAVE_MANAGER);
	/* Special personal leave: 2 h. */
	f.special = true;
	f.filed_at = shift - 2 * H;
	assert_int_equal(kf_leave_judge(&r, &f, &p, &err), 0);
	assert_false(p.late_notice);
	f.filed_at = shift - 2 * H + 1;
	assert_int_equal(kf_leave_judge(&r, &f, &p, &err), 0);
	assert_true(p.late_notice);
	/* Sick leave takes no notice. */
	f = filing("sick", DEC10, DEC10 + 24 * H, shift - H);
	f.first_shift_start = shift;
	assert_int_equal(kf_leave_judge(&r, &f, &p, &err), 0);
	assert_false(p.late_notice);
	/* Without a rostered shift the notice counts to the leave's start. */
	f = filing("annual", DEC10, DEC10 + 24 * H, DEC10 - 24 * H);
	assert_int_equal(kf_leave_judge(&r, &f, &p, &err), 0);
	assert_false(p.late_notice);
}

static void late_shift_leave_before_noon_the_same_day(void **s)
{
	/* W-11: 11:59 is in time, 12:00 is refused. */
	struct kf_leave_rules r = rules();
	struct kf_leave_plan p;
	struct kf_err err = {0};
	int64_t late = DEC10 + 18 * H;
	struct kf_leave_filing f =
	    filing("personal", late, late + 6 * H, DEC10 + 11 * H + 59 * MIN);
	f.special = true;
	f.first_shift_start = f.late_shift_start = late;
	assert_int_equal(kf_leave_judge(&r, &f, &p, &err), 0);
	assert_false(p.late_notice); /* special leave, 6 h 01 before the shift */
	f.filed_at = DEC10 + 12 * H;
	assert_int_equal(kf_leave_judge(&r, &f, &p, &err), KF_ERULE);
	assert_string_equal(err.rule, "W-11");
	assert_non_null(strstr(err.message, "12:00"));
	/* The day before is in time (and ordinary notice then holds). */
	f.special = false;
	f.filed_at = late - 24 * H;
	assert_int_equal(kf_leave_judge(&r, &f, &p, &err), 0);
	assert_false(p.late_notice);
}

static void only_sick_leave_is_filed_for_someone_else(void **s)
{
	/* W-10 */
	struct kf_leave_rules r = rules();
	struct kf_leave_plan p;
	struct kf_err err = {0};
	struct kf_leave_filing f = filing("personal", DEC10, DEC10 + 24 * H, DEC10 - 48 * H);
	f.on_behalf = true;
	assert_int_equal(kf_leave_judge(&r, &f, &p, &err), KF_EFORBIDDEN);
	assert_string_equal(err.rule, "W-10");
	f.type = "sick";
	assert_int_equal(kf_leave_judge(&r, &f, &p, &err), 0);
}

static void emergency_notice_by_the_department_head_within_24_hours(void **s)
{
	/* W-12 */
	struct kf_leave_rules r = rules();
	struct kf_leave_plan p;
	struct kf_err err = {0};
	struct kf_leave_filing f = filing("personal", DEC10, DEC10 + 24 * H, DEC10 + 24 * H);
	f.emergency = f.on_behalf = true;
	assert_int_equal(kf_leave_judge(&r, &f, &p, &err), KF_EFORBIDDEN);
	assert_string_equal(err.rule, "W-12");
	f.filer_is_head = true;
	assert_int_equal(kf_leave_judge(&r, &f, &p, &err), 0);
	assert_false(p.late_notice);
	assert_int_equal(p.nlevels, 1);
	assert_int_equal(p.levels[0], KF_LEAVE_MANAGER);
	f.filed_at += 1;
	assert_int_equal(kf_leave_judge(&r, &f, &p, &err), KF_ERULE);
	assert_string_equal(err.rule, "W-12");
}

static void third_swap_in_a_month_is_refused(void **s)
{
	/* W-13: at most 2 per person per month. */
	struct kf_swap_rules r = {2, false};
	struct kf_err err = {0};
	int two[] = {20261203, 20261210};
	assert_int_equal(kf_swap_check(&r, "张三", 20261220, two, 1, &err), 0);
	assert_int_equal(kf_swap_check(&r, "张三", 20261220, two, 2, &err), KF_ERULE);
	assert_string_equal(err.rule, "W-13");
	assert_non_null(strstr(err.message, "at most 2 swaps per person per month"));
	assert_non_null(strstr(err.message, "张三"));
	/* Swaps of other months do not count. */
	int other[] = {20261103, 20261110};
	assert_int_equal(kf_swap_check(&r, "张三", 20261220, other, 2, &err), 0);
}

static void swaps_on_consecutive_days_are_refused(void **s)
{
	/* W-13: 不允许连续换班, also across a month's end. */
	struct kf_swap_rules r = {2, false};
	struct kf_err err = {0};
	int one[] = {20261210};
	assert_int_equal(kf_swap_check(&r, "李四", 20261211, one, 1, &err), KF_ERULE);
	assert_string_equal(err.rule, "W-13");
	assert_non_null(strstr(err.message, "consecutive days"));
	assert_non_null(strstr(err.message, "2026-12-10"));
	assert_int_equal(kf_swap_check(&r, "李四", 20261209, one, 1, &err), KF_ERULE);
	assert_int_equal(kf_swap_check(&r, "李四", 20261212, one, 1, &err), 0);
	int nov30[] = {20261130};
	assert_int_equal(kf_swap_check(&r, "李四", 20261201, nov30, 1, &err), KF_ERULE);
	r.allow_consecutive_days = true;
	assert_int_equal(kf_swap_check(&r, "李四", 20261211, one, 1, &err), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(policy_gives_the_seed_values),
	    cmocka_unit_test(the_eight_types_and_nothing_else),
	    cmocka_unit_test(exactly_three_days_is_the_supervisors_four_the_managers),
	    cmocka_unit_test(filed_exactly_24_hours_before_the_shift_is_in_time),
	    cmocka_unit_test(late_shift_leave_before_noon_the_same_day),
	    cmocka_unit_test(only_sick_leave_is_filed_for_someone_else),
	    cmocka_unit_test(emergency_notice_by_the_department_head_within_24_hours),
	    cmocka_unit_test(third_swap_in_a_month_is_refused),
	    cmocka_unit_test(swaps_on_consecutive_days_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
