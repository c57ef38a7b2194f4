/* Unit tests for the attendance rules at their boundaries: W-15 lateness and
 * absence (late exactly 20 minutes, 19:59), away from the post, early
 * leave, absenteeism, leave; W-15/E-6 full attendance; W-16 clock-out after
 * the handover; W-18 late shift extension past midnight; S-2 sign-in within
 * the grace (exactly 30 minutes) and exempt roles. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "rules/attendance.h"
#include "rules/policy.h"

#define MIN  60000LL
#define HOUR (60 * MIN)
#define SEC  1000LL
/* 2026-11-24 00:00 at +08:00, in ms. */
#define DAY0 1763913600000LL

static const struct kf_att_limits lim = {20 * MIN, 20 * MIN, 30 * MIN};

static struct kf_att_shift early(void)
{
	return (struct kf_att_shift){DAY0 + 9 * HOUR, DAY0 + 18 * HOUR, false, true, "early"};
}

static struct kf_att_shift late(void)
{
	return (struct kf_att_shift){DAY0 + 18 * HOUR, DAY0 + 24 * HOUR, true, true, "late"};
}

static struct kf_att_result one(struct kf_att_shift sh, int64_t in, int64_t out, int64_t now)
{
	struct kf_att_session s = {in, out, 0};
	struct kf_att_result r;
	kf_att_classify(&sh, &s, 1, NULL, 0, now, &lim, &r);
	return r;
}

static void on_time_is_on_time(void **st)
{
	struct kf_att_shift sh = early();
	struct kf_att_result r = one(sh, sh.start - 10 * MIN, sh.end + MIN, sh.end + HOUR);
	assert_int_equal(r.status, KF_ATT_ON_TIME);
	assert_int_equal(r.late_ms, 0);
	assert_int_equal(r.early_leave_ms, 0);
	assert_true(kf_att_full_attendance(&r, 1));
	/* Within the first minute is on time: lateness counts whole minutes. */
	r = one(sh, sh.start + 59 * SEC, sh.end, sh.end + HOUR);
	assert_int_equal(r.status, KF_ATT_ON_TIME);
	assert_string_equal(kf_att_status_name(r.status), "on_time");
}

static void late_exactly_twenty_minutes_is_an_absence(void **st)
{
	/* W-15: 迟到二十分钟及以上 — 20 minutes is included. */
	struct kf_att_shift sh = early();
	struct kf_att_result r = one(sh, sh.start + 20 * MIN, sh.end, sh.end + HOUR);
	assert_int_equal(r.status, KF_ATT_ABSENCE);
	assert_true(r.absence_late);
	assert_int_equal(r.late_ms, 20 * MIN);
	assert_false(kf_att_full_attendance(&r, 1));
}

static void late_nineteen_fifty_nine_is_late_not_absence(void **st)
{
	struct kf_att_shift sh = early();
	struct kf_att_result r = one(sh, sh.start + 19 * MIN + 59 * SEC, sh.end, sh.end + HOUR);
	assert_int_equal(r.status, KF_ATT_LATE);
	assert_false(r.absence_late);
	assert_int_equal(r.late_ms, 19 * MIN);
	/* W-15: any lateness breaks full attendance. */
	assert_false(kf_att_full_attendance(&r, 1));
}

static void leave_before_the_shift_moves_the_expected_start(void **st)
{
	/* Late "without prior leave": approved leave for the first two hours
	 * makes 11:05 a five-minute lateness, not an absence. */
	struct kf_att_shift sh = early();
	struct kf_att_interval lv = {sh.start, sh.start + 2 * HOUR};
	struct kf_att_session s = {sh.start + 2 * HOUR + 5 * MIN, sh.end, 0};
	struct kf_att_result r;
	kf_att_classify(&sh, &s, 1, &lv, 1, sh.end + HOUR, &lim, &r);
	assert_int_equal(r.status, KF_ATT_LATE);
	assert_int_equal(r.late_ms, 5 * MIN);
	assert_true(r.leave_covered);
	assert_false(kf_att_full_attendance(&r, 1));
	/* Leave over the whole shift: on leave, no absenteeism. */
	struct kf_att_interval all = {sh.start - HOUR, sh.end};
	kf_att_classify(&sh, NULL, 0, &all, 1, sh.end + HOUR, &lim, &r);
	assert_int_equal(r.status, KF_ATT_ON_LEAVE);
}

static void early_leave_counts_and_breaks_full_attendance(void **st)
{
	struct kf_att_shift sh = early();
	struct kf_att_result r = one(sh, sh.start, sh.end - 30 * MIN, sh.end + HOUR);
	assert_int_equal(r.status, KF_ATT_LATE);
	assert_int_equal(r.early_leave_ms, 30 * MIN);
	assert_int_equal(r.late_ms, 0);
	assert_false(kf_att_full_attendance(&r, 1));
}

static void away_twenty_minutes_is_an_absence(void **st)
{
	struct kf_att_shift sh = early();
	struct kf_att_session s[] = {{sh.start, sh.start + 3 * HOUR, 0},
				     {sh.start + 3 * HOUR + 20 * MIN, sh.end, 0}};
	struct kf_att_result r;
	kf_att_classify(&sh, s, 2, NULL, 0, sh.end + HOUR, &lim, &r);
	assert_int_equal(r.status, KF_ATT_ABSENCE);
	assert_true(r.absence_away);
	assert_false(r.absence_late);
	assert_int_equal(r.longest_away_ms, 20 * MIN);
	/* 19 minutes 59 seconds away is not (脱岗二十分钟及以上). */
	s[1].in = sh.start + 3 * HOUR + 19 * MIN + 59 * SEC;
	kf_att_classify(&sh, s, 2, NULL, 0, sh.end + HOUR, &lim, &r);
	assert_int_equal(r.status, KF_ATT_ON_TIME);
	assert_false(r.absence_away);
	assert_int_equal(r.away_ms, 19 * MIN + 59 * SEC);
}

static void no_clock_in_on_a_rostered_shift_is_absenteeism(void **st)
{
	struct kf_att_shift sh = early();
	struct kf_att_result r;
	kf_att_classify(&sh, NULL, 0, NULL, 0, sh.start - MIN, &lim, &r);
	assert_int_equal(r.status, KF_ATT_UPCOMING);
	kf_att_classify(&sh, NULL, 0, NULL, 0, sh.start + 3 * HOUR, &lim, &r);
	assert_int_equal(r.status, KF_ATT_NOT_IN);
	kf_att_classify(&sh, NULL, 0, NULL, 0, sh.end, &lim, &r);
	assert_int_equal(r.status, KF_ATT_ABSENTEEISM);
	assert_false(kf_att_full_attendance(&r, 1));
	/* Leave over part of it does not excuse the rest. */
	struct kf_att_interval lv = {sh.start, sh.start + HOUR};
	kf_att_classify(&sh, NULL, 0, &lv, 1, sh.end, &lim, &r);
	assert_int_equal(r.status, KF_ATT_ABSENTEEISM);
	/* A template slot that nobody rostered is not absenteeism. */
	sh.rostered = false;
	kf_att_classify(&sh, NULL, 0, NULL, 0, sh.end, &lim, &r);
	assert_int_equal(r.status, KF_ATT_NOT_IN);
}

static void still_working_is_working(void **st)
{
	struct kf_att_shift sh = early();
	struct kf_att_result r = one(sh, sh.start + 25 * MIN, 0, sh.start + HOUR);
	assert_int_equal(r.status, KF_ATT_WORKING);
	assert_true(r.absence_late);
	assert_int_equal(r.early_leave_ms, 0);
}

static void late_shift_past_midnight_extends_while_customers_wait(void **st)
{
	/* W-18: the late shift ends at 24:00; customers still waiting then
	 * extend it, and the time after 24:00 is overtime. */
	struct kf_att_shift sh = late();
	struct kf_att_session s = {sh.start - 5 * MIN, sh.end + 40 * MIN, 3};
	struct kf_att_result r;
	kf_att_classify(&sh, &s, 1, NULL, 0, sh.end + HOUR, &lim, &r);
	assert_int_equal(r.status, KF_ATT_ON_TIME);
	assert_true(r.extended);
	assert_int_equal(r.overtime_ms, 40 * MIN);
	/* Nobody waiting: staying late is not overtime. */
	s.customers_waiting_at_end = 0;
	kf_att_classify(&sh, &s, 1, NULL, 0, sh.end + HOUR, &lim, &r);
	assert_false(r.extended);
	assert_int_equal(r.overtime_ms, 0);
	/* Only the late shift extends. */
	struct kf_att_shift e = early();
	assert_int_equal(kf_att_overtime(&e, e.end + HOUR, 5), 0);
	assert_int_equal(kf_att_overtime(&sh, sh.end, 5), 0);
	assert_int_equal(kf_att_overtime(&sh, sh.end + 1, 5), 1);
}

static void sessions_belong_to_the_shift_they_overlap_most(void **st)
{
	/* Seed 004's overlapping templates: 09:00–16:30 and 16:00–23:00. */
	struct kf_att_shift sh[] = {
	    {DAY0 + 9 * HOUR, DAY0 + 16 * HOUR + 30 * MIN, false, false, "early"},
	    {DAY0 + 16 * HOUR, DAY0 + 23 * HOUR, true, false, "late"},
	};
	struct kf_att_session s[] = {
	    {DAY0 + 8 * HOUR + 50 * MIN, DAY0 + 16 * HOUR + 30 * MIN, 0},
	    {DAY0 + 15 * HOUR + 45 * MIN, DAY0 + 23 * HOUR, 0},
	    {DAY0 + 3 * HOUR, DAY0 + 4 * HOUR, 0},
	    {DAY0 + 8 * HOUR + 30 * MIN, 0, 0},
	    {DAY0 + 8 * HOUR + 29 * MIN, DAY0 + 8 * HOUR + 29 * MIN, 0},
	};
	int of[5];
	kf_att_assign(sh, 2, s, 5, DAY0 + 8 * HOUR + 30 * MIN, &lim, of);
	assert_int_equal(of[0], 0);
	assert_int_equal(of[1], 1);
	assert_int_equal(of[2], -1);
	/* Clocked in exactly 30 minutes before, still in: the early shift. */
	assert_int_equal(of[3], 0);
	assert_int_equal(of[4], -1);
}

static void full_attendance_over_a_month(void **st)
{
	struct kf_att_result r[3];
	struct kf_att_shift sh = early();
	r[0] = one(sh, sh.start, sh.end, sh.end + HOUR);
	r[1] = one(sh, sh.start - MIN, sh.end + MIN, sh.end + HOUR);
	r[2] = one(sh, sh.start, sh.end, sh.end + HOUR);
	assert_true(kf_att_full_attendance(r, 3));
	r[2] = one(sh, sh.start + MIN, sh.end, sh.end + HOUR);
	assert_false(kf_att_full_attendance(r, 3));
	assert_true(kf_att_full_attendance(r, 0));
}

static void clock_out_waits_for_the_handover(void **st)
{
	int64_t end = DAY0 + 18 * HOUR, prep = 15 * MIN;
	/* W-16: signed, the incoming agent has not confirmed. */
	assert_int_equal(kf_handover_clock_out_check(true, true, end, prep, end + HOUR),
			 KF_CLOCK_OUT_PENDING_HANDOVER);
	assert_int_equal(kf_handover_clock_out_check(false, true, end, prep, end), KF_CLOCK_OUT_OK);
	/* From 15 minutes before the end, nothing signed: blocked. */
	assert_int_equal(kf_handover_clock_out_check(false, false, end, prep, end - prep),
			 KF_CLOCK_OUT_NO_HANDOVER);
	assert_int_equal(kf_handover_clock_out_check(false, false, end, prep, end - prep - 1),
			 KF_CLOCK_OUT_OK);
	/* No shift known: only a pending handover blocks. */
	assert_int_equal(kf_handover_clock_out_check(false, false, 0, prep, end), KF_CLOCK_OUT_OK);
}

static void sign_in_grace_is_thirty_minutes_inclusive(void **st)
{
	struct kf_att_shift sh[] = {early(), late()};
	struct kf_sign_in_answer a;
	int64_t g = 30 * MIN;
	/* S-2: exactly 30 minutes before the early shift: allowed. */
	kf_sign_in_check(true, false, g, sh, 2, sh[0].start - g, &a);
	assert_int_equal(a.verdict, KF_SIGN_IN_ALLOWED_ON_SHIFT);
	assert_int_equal(a.shift, 0);
	/* One millisecond earlier: refused, and the answer says when it opens. */
	kf_sign_in_check(true, false, g, sh, 2, sh[0].start - g - 1, &a);
	assert_int_equal(a.verdict, KF_SIGN_IN_REFUSED_EARLY);
	assert_false(kf_sign_in_allowed(&a));
	assert_int_equal(a.opens_at, sh[0].start - g);
	/* The late shift past midnight: 00:30 the next day is the last instant. */
	kf_sign_in_check(true, false, g, sh, 2, sh[1].end + g, &a);
	assert_int_equal(a.verdict, KF_SIGN_IN_ALLOWED_ON_SHIFT);
	assert_int_equal(a.shift, 1);
	kf_sign_in_check(true, false, g, sh, 2, sh[1].end + g + 1, &a);
	assert_int_equal(a.verdict, KF_SIGN_IN_REFUSED_AFTER);
	assert_int_equal(a.closed_at, sh[1].end + g);
}

static void sign_in_exempt_roles_and_policy_off(void **st)
{
	struct kf_att_shift sh = early();
	struct kf_sign_in_answer a;
	kf_sign_in_check(true, true, 30 * MIN, &sh, 1, DAY0 + 3 * HOUR, &a);
	assert_int_equal(a.verdict, KF_SIGN_IN_ALLOWED_EXEMPT);
	assert_true(kf_sign_in_allowed(&a));
	kf_sign_in_check(false, false, 30 * MIN, NULL, 0, DAY0 + 3 * HOUR, &a);
	assert_int_equal(a.verdict, KF_SIGN_IN_ALLOWED_OFF);
	assert_true(kf_sign_in_allowed(&a));
	kf_sign_in_check(true, false, 30 * MIN, NULL, 0, DAY0 + 3 * HOUR, &a);
	assert_int_equal(a.verdict, KF_SIGN_IN_REFUSED_NO_SHIFT);
	assert_int_equal(a.shift, -1);
	/* A grace of 0: only the shift itself, both ends included. */
	kf_sign_in_check(true, false, 0, &sh, 1, sh.end, &a);
	assert_int_equal(a.verdict, KF_SIGN_IN_ALLOWED_ON_SHIFT);
	kf_sign_in_check(true, false, 0, &sh, 1, sh.start - 1, &a);
	assert_int_equal(a.verdict, KF_SIGN_IN_REFUSED_EARLY);
}

/* W-14: ann (1) asked bob (2) for a swap on 2026-12-10: ann's early shift
 * for bob's late one. Ann took the late shift, bob the early one. */
static const struct kf_att_swap swaps[] = {
    {.id = 7,
     .requester_id = 1,
     .with_user_id = 2,
     .ymd = 20261210,
     .requester_shift = "early",
     .with_shift = "late"},
    {.id = 8,
     .requester_id = 3,
     .with_user_id = 1,
     .ymd = 20261220,
     .requester_shift = "early",
     .with_shift = NULL},
};

static struct kf_att_result with_status(enum kf_att_status st)
{
	return (struct kf_att_result){.status = st};
}

static void swap_taken_shift_missed_is_w14(void **s)
{
	(void)s;
	struct kf_att_result r = with_status(KF_ATT_ABSENTEEISM);
	/* The requester took the other's shift; the other took the requester's. */
	assert_int_equal(kf_att_swap_missed(&r, swaps, 2, 1, 20261210, "late"), 0);
	assert_int_equal(kf_att_swap_missed(&r, swaps, 2, 2, 20261210, "early"), 0);
	/* The swap was with someone resting: they took the early shift. */
	assert_int_equal(kf_att_swap_missed(&r, swaps, 2, 1, 20261220, "early"), 1);
	/* The requester took a rest day, no shift: nothing to miss through it. */
	assert_int_equal(kf_att_swap_missed(&r, swaps, 2, 3, 20261220, "early"), -1);
}

static void w14_only_on_the_swapped_day_shift_and_person(void **s)
{
	(void)s;
	struct kf_att_result r = with_status(KF_ATT_ABSENTEEISM);
	/* The day before and after, a shift of one's own, someone else. */
	assert_int_equal(kf_att_swap_missed(&r, swaps, 2, 1, 20261209, "late"), -1);
	assert_int_equal(kf_att_swap_missed(&r, swaps, 2, 1, 20261211, "late"), -1);
	assert_int_equal(kf_att_swap_missed(&r, swaps, 2, 1, 20261210, "early"), -1);
	assert_int_equal(kf_att_swap_missed(&r, swaps, 2, 2, 20261210, "late"), -1);
	assert_int_equal(kf_att_swap_missed(&r, swaps, 2, 4, 20261210, "late"), -1);
	assert_int_equal(kf_att_swap_missed(&r, swaps, 2, 1, 20261210, NULL), -1);
	assert_int_equal(kf_att_swap_missed(&r, swaps, 0, 1, 20261210, "late"), -1);
}

static void w14_only_when_the_shift_ended_in_absenteeism(void **s)
{
	(void)s;
	/* Worked, even late or absent for 20 minutes (W-15), it was not missed
	 * or empty; not over yet, or on leave, neither. */
	enum kf_att_status others[] = {KF_ATT_UPCOMING, KF_ATT_NOT_IN, KF_ATT_WORKING,
				       KF_ATT_ON_TIME,	KF_ATT_LATE,   KF_ATT_ABSENCE,
				       KF_ATT_ON_LEAVE};
	for (size_t i = 0; i < sizeof others / sizeof *others; i++) {
		struct kf_att_result r = with_status(others[i]);
		assert_int_equal(kf_att_swap_missed(&r, swaps, 2, 1, 20261210, "late"), -1);
	}
}

static struct kf_att_swap_penalty penalty(const char *doc)
{
	struct kf_policy *p;
	struct kf_err err = {0};
	assert_int_equal(kf_policy_parse(doc, strlen(doc), &p, &err), 0);
	struct kf_att_swap_penalty out;
	kf_att_swap_penalty_from_policy(p, &out);
	kf_policy_unref(p);
	return out;
}

static void w14_penalty_presets(void **s)
{
	(void)s;
	/* seed000_p1 (default, §篇1 五.4): absenteeism, no fine of its own. */
	struct kf_att_swap_penalty p = penalty(kf_policy_default_text());
	assert_true(p.counts_as_absenteeism);
	assert_int_equal(p.fine_fen, 0);
	/* seed000_p7 (§篇7): a fine of 20 yuan instead. */
	p = penalty("workforce:\n  swaps:\n    missed_shift_penalty:\n      preset: seed000_p7\n");
	assert_false(p.counts_as_absenteeism);
	assert_int_equal(p.fine_fen, 2000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(on_time_is_on_time),
	    cmocka_unit_test(late_exactly_twenty_minutes_is_an_absence),
	    cmocka_unit_test(late_nineteen_fifty_nine_is_late_not_absence),
	    cmocka_unit_test(leave_before_the_shift_moves_the_expected_start),
	    cmocka_unit_test(early_leave_counts_and_breaks_full_attendance),
	    cmocka_unit_test(away_twenty_minutes_is_an_absence),
	    cmocka_unit_test(no_clock_in_on_a_rostered_shift_is_absenteeism),
	    cmocka_unit_test(still_working_is_working),
	    cmocka_unit_test(late_shift_past_midnight_extends_while_customers_wait),
	    cmocka_unit_test(sessions_belong_to_the_shift_they_overlap_most),
	    cmocka_unit_test(full_attendance_over_a_month),
	    cmocka_unit_test(clock_out_waits_for_the_handover),
	    cmocka_unit_test(sign_in_grace_is_thirty_minutes_inclusive),
	    cmocka_unit_test(sign_in_exempt_roles_and_policy_off),
	    cmocka_unit_test(swap_taken_shift_missed_is_w14),
	    cmocka_unit_test(w14_only_on_the_swapped_day_shift_and_person),
	    cmocka_unit_test(w14_only_when_the_shift_ended_in_absenteeism),
	    cmocka_unit_test(w14_penalty_presets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
