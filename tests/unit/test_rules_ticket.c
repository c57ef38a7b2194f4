/* Unit tests for the ticket rules: the T-6 state machine (every allowed and
 * every refused pair), T-4 numbering, T-9 priority, L-4 … L-12 deadlines in
 * calendar time and in business hours (SPEC "Deadlines"), and the T-10
 * search tokenizer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include "rules/calendar.h"
#include "rules/policy.h"
#include "rules/ticket.h"
#include "util/arena.h"
#include "util/time.h"
#include "util/tokenize.h"

/* T-6 as written in SPEC, independently of the table in ticket.c. */
static const char *const allowed_pairs[] = {"new>assigned",
					    "assigned>in_progress",
					    "in_progress>pending_customer",
					    "pending_customer>in_progress",
					    "in_progress>resolved",
					    "pending_customer>resolved",
					    "resolved>closed",
					    "resolved>reopened",
					    "closed>reopened",
					    "reopened>in_progress",
					    NULL};

static bool listed(enum kf_status from, enum kf_status to)
{
	char pair[64];
	snprintf(pair, sizeof pair, "%s>%s", kf_status_name(from), kf_status_name(to));
	for (const char *const *p = allowed_pairs; *p; p++)
		if (!strcmp(*p, pair))
			return true;
	return false;
}

static void every_pair_of_states_is_allowed_exactly_when_listed(void **s)
{
	int allowed = 0;
	for (int from = 0; from < KF_ST_COUNT; from++)
		for (int to = 0; to < KF_ST_COUNT; to++) {
			bool want = listed((enum kf_status)from, (enum kf_status)to);
			assert_int_equal(
			    kf_ticket_transition_allowed((enum kf_status)from, (enum kf_status)to),
			    want);
			allowed += want;
		}
	assert_int_equal(allowed, 10);
}

static void no_state_goes_to_itself_and_closed_only_reopens(void **s)
{
	for (int st = 0; st < KF_ST_COUNT; st++)
		assert_false(kf_ticket_transition_allowed((enum kf_status)st, (enum kf_status)st));
	enum kf_status next[KF_ST_COUNT];
	assert_int_equal(kf_ticket_next_states(KF_ST_CLOSED, next), 1);
	assert_int_equal(next[0], KF_ST_REOPENED);
	assert_false(kf_ticket_transition_allowed(KF_ST_NEW, KF_ST_CLOSED));
	assert_false(kf_ticket_transition_allowed((enum kf_status)99, KF_ST_NEW));
}

static void numbers_follow_prefix_date_and_four_digits(void **s)
{
	char out[32];
	kf_ticket_number("TS", 20261125, 1, out);
	assert_string_equal(out, "TS-20261125-0001");
	kf_ticket_number("ZX", 20261231, 9999, out);
	assert_string_equal(out, "ZX-20261231-9999");
	kf_ticket_number("ZX", 20261231, 10000, out);
	assert_string_equal(out, "ZX-20261231-10000");
}

static struct kf_policy *policy(const char *doc)
{
	struct kf_policy *p;
	struct kf_err err;
	assert_int_equal(kf_policy_parse(doc, strlen(doc), &p, &err), 0);
	return p;
}

static void prefixes_come_from_the_policy(void **s)
{
	struct kf_policy *p = policy("timezone: Asia/Shanghai\n");
	assert_string_equal(kf_ticket_prefix(p, KF_TT_COMPLAINT), "TS");
	assert_string_equal(kf_ticket_prefix(p, KF_TT_SERVICE), "FW");
	kf_policy_unref(p);
}

static void vip_customers_and_major_complaints_are_critical(void **s)
{
	struct kf_policy *p = policy("timezone: Asia/Shanghai\n");
	assert_int_equal(kf_ticket_priority(p, -1, "B", NULL), KF_PRI_NORMAL);
	assert_int_equal(kf_ticket_priority(p, KF_PRI_URGENT, "B", NULL), KF_PRI_URGENT);
	assert_int_equal(kf_ticket_priority(p, -1, "VIP", NULL), KF_PRI_CRITICAL);
	assert_int_equal(kf_ticket_priority(p, KF_PRI_NORMAL, "VIP", NULL), KF_PRI_CRITICAL);
	assert_int_equal(kf_ticket_priority(p, -1, "C", "major"), KF_PRI_CRITICAL);
	assert_int_equal(kf_ticket_priority(p, -1, "C", "crisis"), KF_PRI_CRITICAL);
	assert_int_equal(kf_ticket_priority(p, -1, "C", "general"), KF_PRI_NORMAL);
	kf_policy_unref(p);
}

#define MINUTE 60000LL
#define HOUR   3600000LL
#define DAY    (24 * HOUR)

/* Zones as the rules see them: Asia/Shanghai (UTC+8, no daylight saving)
 * and made-up zones with clock changes, so that the expected instants do
 * not depend on the machine's time zone database. */
static int64_t plus8(int64_t ms, void *ctx)
{
	(void)ms, (void)ctx;
	return 8 * 3600;
}
static const struct kf_zone shanghai = {plus8, NULL};

/* The instant of a UTC wall time. */
static int64_t utc(int y, int mo, int d, int h, int mi)
{
	struct tm tm = {
	    .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi};
	return (int64_t)timegm(&tm) * 1000;
}

/* The instant of a wall time in Shanghai. */
static int64_t sh(int y, int mo, int d, int h, int mi)
{
	return utc(y, mo, d, h, mi) - 8 * HOUR;
}

/* Central European rules for 2026: UTC+1, UTC+2 from 29 March 01:00 UTC
 * (02:00 local jumps to 03:00) to 25 October 01:00 UTC (03:00 local goes
 * back to 02:00). */
static int64_t cet(int64_t ms, void *ctx)
{
	(void)ctx;
	return ms >= utc(2026, 3, 29, 1, 0) && ms < utc(2026, 10, 25, 1, 0) ? 7200 : 3600;
}
static const struct kf_zone europe = {cet, NULL};

/* A zone whose clock skips midnight (as São Paulo's did): UTC-3, UTC-2 from
 * 1 November 2026 03:00 UTC (00:00 local jumps to 01:00). */
static int64_t midnight_gap(int64_t ms, void *ctx)
{
	(void)ctx;
	return ms >= utc(2026, 11, 1, 3, 0) ? -7200 : -10800;
}
static const struct kf_zone brazil = {midnight_gap, NULL};

/* Monday to Friday, 09:00 to 18:00. */
static const struct kf_business_hours office = {9 * 60, 18 * 60, 0x1f};

static int64_t due(const struct kf_deadline *d, int n, enum kf_deadline_kind k)
{
	for (int i = 0; i < n; i++)
		if (d[i].kind == k)
			return d[i].due_at;
	return -1;
}

static void complaints_get_callback_report_and_close_deadlines(void **s)
{
	struct kf_policy *p = policy("timezone: Asia/Shanghai\n");
	struct kf_deadline d[KF_DL_COUNT];
	int64_t t0 = 1764000000000LL;
	int n = kf_ticket_deadlines(p, KF_TT_COMPLAINT, -1, t0, &shanghai, d);
	assert_int_equal(n, 4);
	assert_int_equal(due(d, n, KF_DL_REPLY), t0 + 24 * HOUR);  /* L-6 */
	assert_int_equal(due(d, n, KF_DL_CALLBACK), t0 + 2 * DAY); /* L-4 */
	assert_int_equal(due(d, n, KF_DL_REPORT), t0 + 3 * DAY);   /* L-7 */
	assert_int_equal(due(d, n, KF_DL_CLOSE), t0 + 6 * DAY);	   /* L-8 */
	n = kf_ticket_deadlines(p, KF_TT_INQUIRY, -1, t0, &shanghai, d);
	assert_int_equal(n, 1);
	kf_policy_unref(p);
}

static void service_work_is_due_for_dispatch_at_the_start_of_the_next_day(void **s)
{
	struct kf_policy *p = policy("timezone: Asia/Shanghai\n");
	struct kf_deadline d[KF_DL_COUNT];
	int64_t midnight = 1764000000000LL, t0 = midnight + 15 * HOUR;
	int n = kf_ticket_deadlines(p, KF_TT_SERVICE, -1, t0, &shanghai, d);
	assert_int_equal(due(d, n, KF_DL_DISPATCH), midnight + DAY); /* L-10 */
	kf_policy_unref(p);
}

static void deadlines_follow_the_policy_version(void **s)
{
	struct kf_policy *p = policy("deadlines:\n  l8_close_days: 5\n  l6_reply_hours: 8\n");
	struct kf_deadline d[KF_DL_COUNT];
	int n = kf_ticket_deadlines(p, KF_TT_COMPLAINT, -1, 0, &shanghai, d);
	assert_int_equal(due(d, n, KF_DL_CLOSE), 5 * DAY);
	assert_int_equal(due(d, n, KF_DL_REPLY), 8 * HOUR);
	kf_policy_unref(p);
}

/* SPEC "Deadlines": a ticket registered at 23:59 on a Friday, outside the
 * hours, counts from Monday's opening; 24 business hours of 9-hour days are
 * Monday, Tuesday and six hours of Wednesday. */
static void business_hours_skip_the_night_and_the_weekend(void **s)
{
	int64_t fri = sh(2026, 11, 27, 23, 59);
	assert_int_equal(kf_deadline_add(&office, &shanghai, fri, 24 * HOUR),
			 sh(2026, 12, 2, 15, 0));
	/* Saturday and Sunday count nothing either. */
	assert_int_equal(kf_deadline_add(&office, &shanghai, sh(2026, 11, 28, 12, 0), HOUR),
			 sh(2026, 11, 30, 10, 0));
	/* Before the opening on a working day: from the opening. */
	assert_int_equal(kf_deadline_add(&office, &shanghai, sh(2026, 11, 30, 7, 30), HOUR),
			 sh(2026, 11, 30, 10, 0));
	/* Without business hours: calendar time. */
	assert_int_equal(kf_deadline_add(NULL, &shanghai, fri, 24 * HOUR), fri + 24 * HOUR);
}

/* The boundaries: a start exactly at the opening counts from then; a start
 * exactly at the closing counts from the next opening; a deadline that uses
 * a day's hours up exactly falls at that day's closing, not the next
 * opening; one minute more is one minute after the next opening. */
static void business_hours_boundaries_are_exact(void **s)
{
	int64_t mon9 = sh(2026, 11, 30, 9, 0);
	assert_int_equal(kf_deadline_add(&office, &shanghai, mon9, 24 * HOUR),
			 sh(2026, 12, 2, 15, 0));
	assert_int_equal(kf_deadline_add(&office, &shanghai, mon9, 9 * HOUR),
			 sh(2026, 11, 30, 18, 0));
	assert_int_equal(kf_deadline_add(&office, &shanghai, mon9, 9 * HOUR + MINUTE),
			 sh(2026, 12, 1, 9, 1));
	assert_int_equal(kf_deadline_add(&office, &shanghai, sh(2026, 11, 27, 18, 0), HOUR),
			 sh(2026, 11, 30, 10, 0));
	assert_int_equal(kf_deadline_add(&office, &shanghai, sh(2026, 11, 27, 17, 59), MINUTE),
			 sh(2026, 11, 27, 18, 0));
	/* Friday's last hour and Monday's first: two hours of business time. */
	assert_int_equal(kf_business_elapsed(&office, &shanghai, sh(2026, 11, 27, 17, 0),
					     sh(2026, 11, 30, 10, 0)),
			 2 * HOUR);
	assert_int_equal(kf_business_elapsed(&office, &shanghai, sh(2026, 11, 28, 0, 0),
					     sh(2026, 11, 29, 23, 0)),
			 0);
}

/* "24:00" ends the day at midnight: 09:00–24:00 every day leaves only the
 * night out. */
static void business_hours_may_end_at_midnight(void **s)
{
	struct kf_business_hours late = {9 * 60, 24 * 60, 0x7f};
	assert_int_equal(kf_deadline_add(&late, &shanghai, sh(2026, 12, 1, 23, 30), HOUR),
			 sh(2026, 12, 2, 9, 30));
	assert_int_equal(kf_deadline_add(&late, &shanghai, sh(2026, 12, 1, 23, 0), HOUR),
			 sh(2026, 12, 2, 0, 0));
	assert_int_equal(kf_business_day_ms(&late), 15 * HOUR);
}

/* Daylight saving: the hours are local wall-clock hours, and a day on which
 * the clock changes within them is that much shorter or longer. */
static void business_hours_follow_clock_changes(void **s)
{
	struct kf_business_hours every = {9 * 60, 18 * 60, 0x7f};
	/* Saturday 17:00 CET + 2 h: one hour on Saturday, then Sunday (now
	 * CEST) from 09:00 local, 07:00 UTC. */
	assert_int_equal(kf_deadline_add(&every, &europe, utc(2026, 3, 28, 16, 0), 2 * HOUR),
			 utc(2026, 3, 29, 8, 0));
	/* Round the clock on the day the clock goes back: 25 hours. */
	struct kf_business_hours all = {0, 24 * 60, 0x7f};
	int64_t day_start = kf_calendar_day_start(
	    &europe, kf_calendar_local_day(&europe, utc(2026, 10, 25, 12, 0)));
	assert_int_equal(day_start, utc(2026, 10, 24, 22, 0));
	assert_int_equal(kf_business_elapsed(&all, &europe, day_start, utc(2026, 10, 25, 23, 0)),
			 25 * HOUR);
	/* And 23 on the day it goes forward. */
	assert_int_equal(
	    kf_business_elapsed(&all, &europe, utc(2026, 3, 28, 23, 0), utc(2026, 3, 29, 22, 0)),
	    23 * HOUR);
	/* Hours opening at 02:30 on the day 02:00 became 03:00 open when the
	 * clock jumps. */
	struct kf_business_hours night = {2 * 60 + 30, 4 * 60, 0x7f};
	assert_int_equal(kf_deadline_add(&night, &europe, utc(2026, 3, 28, 23, 0), MINUTE),
			 utc(2026, 3, 29, 1, 1));
	/* A clock that skips midnight: the day starts when the clock jumps. */
	int64_t nov1 = kf_calendar_local_day(&brazil, utc(2026, 11, 1, 12, 0));
	assert_int_equal(kf_calendar_day_start(&brazil, nov1), utc(2026, 11, 1, 3, 0));
	assert_int_equal(kf_business_day_open(NULL, &brazil, utc(2026, 10, 31, 18, 0), 1),
			 utc(2026, 11, 1, 3, 0));
}

/* The same through the machine's time zone database (util/time.c). */
static void the_process_zone_gives_the_same_offsets(void **s)
{
	assert_int_equal(kf_time_set_zone("Europe/Berlin"), 0);
	const struct kf_zone *z = kf_time_local_zone();
	struct kf_business_hours every = {9 * 60, 18 * 60, 0x7f};
	assert_int_equal(kf_deadline_add(&every, z, utc(2026, 3, 28, 16, 0), 2 * HOUR),
			 utc(2026, 3, 29, 8, 0));
	assert_int_equal(kf_deadline_add(&every, z, utc(2026, 10, 24, 15, 0), 2 * HOUR),
			 utc(2026, 10, 25, 9, 0));
	assert_int_equal(kf_time_set_zone("Asia/Shanghai"), 0);
	assert_int_equal(
	    kf_deadline_add(&office, kf_time_local_zone(), sh(2026, 11, 27, 23, 59), 24 * HOUR),
	    sh(2026, 12, 2, 15, 0));
	assert_int_equal(kf_time_set_zone("UTC"), 0);
}

static const char office_policy[] = "deadlines:\n"
				    "  business_hours:\n"
				    "    types: [inquiry, complaint, service]\n"
				    "    start: \"09:00\"\n"
				    "    end: \"18:00\"\n"
				    "    weekdays: [mon, tue, wed, thu, fri]\n";

/* kf_ticket_deadlines uses the hours for the types listed, and calendar
 * time for the others. Day-based deadlines count a business day's length
 * of business time per day. */
static void listed_types_count_business_hours(void **s)
{
	struct kf_policy *p = policy(office_policy);
	struct kf_deadline d[KF_DL_COUNT];
	struct kf_business_hours bh;
	int64_t fri = sh(2026, 11, 27, 23, 59), tue = sh(2026, 12, 1, 10, 0);
	assert_true(kf_ticket_business_hours(p, KF_TT_INQUIRY, &bh));
	assert_int_equal(bh.start_min, 540);
	assert_int_equal(bh.end_min, 1080);
	assert_int_equal(bh.weekdays, 0x1f);
	assert_false(kf_ticket_business_hours(p, KF_TT_QUERY, &bh));
	int n = kf_ticket_deadlines(p, KF_TT_INQUIRY, -1, fri, &shanghai, d);
	assert_int_equal(due(d, n, KF_DL_REPLY), sh(2026, 12, 2, 15, 0)); /* L-6 */
	n = kf_ticket_deadlines(p, KF_TT_QUERY, -1, fri, &shanghai, d);
	assert_int_equal(due(d, n, KF_DL_REPLY), fri + 24 * HOUR);
	n = kf_ticket_deadlines(p, KF_TT_COMPLAINT, -1, tue, &shanghai, d);
	assert_int_equal(due(d, n, KF_DL_CALLBACK), sh(2026, 12, 3, 10, 0)); /* L-4: 2 days */
	assert_int_equal(due(d, n, KF_DL_REPORT), sh(2026, 12, 4, 10, 0));   /* L-7: 3 days */
	assert_int_equal(due(d, n, KF_DL_CLOSE), sh(2026, 12, 9, 10, 0));    /* L-8: 6 days */
	n = kf_ticket_deadlines(p, KF_TT_COMPLAINT, -1, fri, &shanghai, d);
	assert_int_equal(due(d, n, KF_DL_CALLBACK), sh(2026, 12, 1, 18, 0));
	/* L-10: service work of a Friday is dispatched first on Monday. */
	n = kf_ticket_deadlines(p, KF_TT_SERVICE, -1, sh(2026, 11, 27, 15, 0), &shanghai, d);
	assert_int_equal(due(d, n, KF_DL_DISPATCH), sh(2026, 11, 30, 9, 0));
	n = kf_ticket_deadlines(p, KF_TT_REPAIR, -1, sh(2026, 11, 27, 15, 0), &shanghai, d);
	assert_int_equal(due(d, n, KF_DL_DISPATCH), sh(2026, 11, 28, 0, 0));
	/* L-5: the next status update, 24 business hours after a reply. */
	assert_int_equal(kf_ticket_status_update_due(p, KF_TT_INQUIRY, fri, &shanghai),
			 sh(2026, 12, 2, 15, 0));
	assert_int_equal(kf_ticket_status_update_due(p, KF_TT_QUERY, fri, &shanghai),
			 fri + 24 * HOUR);
	/* L-12: a wait from Friday 17:00 to Monday 10:00 took two business
	 * hours, so a paused deadline moves on by two business hours. */
	assert_int_equal(kf_ticket_paused_due(p, KF_TT_INQUIRY, sh(2026, 11, 30, 17, 0),
					      sh(2026, 11, 27, 17, 0), sh(2026, 11, 30, 10, 0),
					      &shanghai),
			 sh(2026, 12, 1, 10, 0));
	assert_int_equal(kf_ticket_paused_due(p, KF_TT_QUERY, sh(2026, 11, 30, 17, 0),
					      sh(2026, 11, 27, 17, 0), sh(2026, 11, 30, 10, 0),
					      &shanghai),
			 sh(2026, 11, 30, 17, 0) + 65 * HOUR);
	assert_true(kf_deadline_pausable(KF_DL_REPLY));
	assert_true(kf_deadline_pausable(KF_DL_CLOSE));
	assert_false(kf_deadline_pausable(KF_DL_STATUS_UPDATE));
	kf_policy_unref(p);
}

/* L-9: middling and bad marketplace reviews are due for handling in 7 days;
 * good ones, and tickets without a review, get no such deadline. */
static void middling_and_bad_reviews_are_due_in_a_week(void **s)
{
	struct kf_policy *p = policy("timezone: Asia/Shanghai\n");
	struct kf_deadline d[KF_DL_COUNT];
	int64_t t0 = sh(2026, 11, 27, 10, 0);
	int n = kf_ticket_deadlines(p, KF_TT_COMPLAINT, KF_RR_BAD, t0, &shanghai, d);
	assert_int_equal(n, 5);
	assert_int_equal(due(d, n, KF_DL_REVIEW), t0 + 7 * DAY);
	n = kf_ticket_deadlines(p, KF_TT_INQUIRY, KF_RR_MIDDLING, t0, &shanghai, d);
	assert_int_equal(due(d, n, KF_DL_REVIEW), t0 + 7 * DAY);
	n = kf_ticket_deadlines(p, KF_TT_INQUIRY, KF_RR_GOOD, t0, &shanghai, d);
	assert_int_equal(due(d, n, KF_DL_REVIEW), -1);
	n = kf_ticket_deadlines(p, KF_TT_INQUIRY, -1, t0, &shanghai, d);
	assert_int_equal(due(d, n, KF_DL_REVIEW), -1);
	assert_string_equal(kf_deadline_rule(KF_DL_REVIEW), "L-9");
	assert_string_equal(kf_deadline_kind_name(KF_DL_REVIEW), "review");
	assert_int_equal(kf_review_rating_parse("middling"), KF_RR_MIDDLING);
	assert_int_equal(kf_review_rating_parse("neutral"), -1);
	assert_int_equal(kf_review_rating_parse(NULL), -1);
	assert_true(kf_ticket_review_allowed(KF_CH_MARKETPLACE));
	assert_false(kf_ticket_review_allowed(KF_CH_PHONE));
	assert_int_equal(kf_channel_parse("marketplace"), KF_CH_MARKETPLACE);
	kf_policy_unref(p);
	/* With business hours, 7 days are 7 business days' worth of hours. */
	p = policy(office_policy);
	n = kf_ticket_deadlines(p, KF_TT_INQUIRY, KF_RR_BAD, sh(2026, 11, 27, 10, 0), &shanghai, d);
	assert_int_equal(due(d, n, KF_DL_REVIEW), sh(2026, 12, 8, 10, 0));
	kf_policy_unref(p);
}

static void expect_invalid(const char *doc, const char *field, const char *words)
{
	struct kf_policy *p = NULL;
	struct kf_err err = {0};
	assert_int_equal(kf_policy_parse(doc, strlen(doc), &p, &err), KF_EINVALID);
	assert_null(p);
	assert_string_equal(err.field, field);
	if (!strstr(err.message, words))
		fail_msg("expected \"%s\" in \"%s\"", words, err.message);
}

/* The validator refuses business hours that could not be counted, naming
 * the key. */
static void business_hours_policy_is_validated(void **s)
{
	expect_invalid("deadlines:\n  business_hours:\n    weekdays: []\n",
		       "deadlines.business_hours.weekdays", "between 1 and 7 entries");
	expect_invalid("deadlines:\n  business_hours:\n    weekdays: [mon, monday]\n",
		       "deadlines.business_hours.weekdays[1]", "one of: mon");
	expect_invalid("deadlines:\n  business_hours:\n    weekdays: [mon, mon]\n",
		       "deadlines.business_hours.weekdays[1]", "repeats");
	expect_invalid("deadlines:\n  business_hours:\n    start: \"9:00\"\n",
		       "deadlines.business_hours.start", "HH:MM");
	expect_invalid("deadlines:\n  business_hours:\n    start: \"24:00\"\n",
		       "deadlines.business_hours.start", "HH:MM");
	expect_invalid("deadlines:\n  business_hours:\n    end: \"24:30\"\n",
		       "deadlines.business_hours.end", "HH:MM");
	expect_invalid("deadlines:\n  business_hours:\n    start: \"18:00\"\n    end: \"09:00\"\n",
		       "deadlines.business_hours.end", "later than start");
	expect_invalid("deadlines:\n  business_hours:\n    start: \"09:00\"\n    end: \"09:00\"\n",
		       "deadlines.business_hours.end", "later than start");
	expect_invalid("deadlines:\n  business_hours:\n    types: [refund]\n",
		       "deadlines.business_hours.types[0]", "one of: complaint");
	expect_invalid("deadlines:\n  business_hours:\n    types: [help, help]\n",
		       "deadlines.business_hours.types[1]", "repeats");
	assert_int_equal(kf_calendar_minutes("24:00"), 1440);
	assert_int_equal(kf_calendar_minutes("09:5"), -1);
	assert_int_equal(kf_calendar_weekday("sun"), 6);
	assert_int_equal(kf_calendar_weekday("Sun"), -1);
}

static char *tokens(struct kf_arena *a, const char *text, bool query)
{
	return kf_tokenize_join(text, query, 0, a, NULL);
}

static void chinese_text_is_indexed_as_unigrams_and_bigrams(void **s)
{
	struct kf_arena a;
	kf_arena_init(&a);
	assert_string_equal(tokens(&a, "要求退货", false), "要 求 要求 退 求退 货 退货");
	assert_string_equal(tokens(&a, "退货", true), "退货");
	assert_string_equal(tokens(&a, "漏", true), "漏");
	assert_string_equal(tokens(&a, "漏水维修", true), "漏水 水维 维修");
	kf_arena_release(&a);
}

static void latin_words_digits_and_full_width_forms_fold(void **s)
{
	struct kf_arena a;
	kf_arena_init(&a);
	assert_string_equal(tokens(&a, "TS-20261125-0001", true), "ts 20261125 0001");
	assert_string_equal(tokens(&a, "ＡＢＣ１２３ Router", false), "abc123 router");
	assert_string_equal(tokens(&a, "空调E5故障", false), "空 调 空调 e5 故 障 故障");
	kf_arena_release(&a);
}

static void punctuation_alone_gives_no_token(void **s)
{
	struct kf_arena a;
	int n = -1;
	kf_arena_init(&a);
	assert_string_equal(kf_tokenize_join("！？。，…--//", true, 0, &a, &n), "");
	assert_int_equal(n, 0);
	kf_arena_release(&a);
}

static void tokens_are_distinct_and_capped(void **s)
{
	struct kf_arena a;
	int n;
	kf_arena_init(&a);
	assert_string_equal(kf_tokenize_join("aa bb aa bb", false, 0, &a, &n), "aa bb");
	assert_int_equal(n, 2);
	kf_tokenize_join("a b c d e f", true, 3, &a, &n);
	assert_int_equal(n, 3);
	/* A long text stays linear: 20 000 characters. */
	char *big = kf_arena_alloc(&a, 60001);
	for (int i = 0; i < 20000; i++)
		memcpy(big + 3 * i, "漏", 3);
	big[60000] = '\0';
	assert_string_equal(kf_tokenize_join(big, false, 0, &a, &n), "漏 漏漏");
	kf_arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_pair_of_states_is_allowed_exactly_when_listed),
	    cmocka_unit_test(no_state_goes_to_itself_and_closed_only_reopens),
	    cmocka_unit_test(numbers_follow_prefix_date_and_four_digits),
	    cmocka_unit_test(prefixes_come_from_the_policy),
	    cmocka_unit_test(vip_customers_and_major_complaints_are_critical),
	    cmocka_unit_test(complaints_get_callback_report_and_close_deadlines),
	    cmocka_unit_test(service_work_is_due_for_dispatch_at_the_start_of_the_next_day),
	    cmocka_unit_test(deadlines_follow_the_policy_version),
	    cmocka_unit_test(business_hours_skip_the_night_and_the_weekend),
	    cmocka_unit_test(business_hours_boundaries_are_exact),
	    cmocka_unit_test(business_hours_may_end_at_midnight),
	    cmocka_unit_test(business_hours_follow_clock_changes),
	    cmocka_unit_test(the_process_zone_gives_the_same_offsets),
	    cmocka_unit_test(listed_types_count_business_hours),
	    cmocka_unit_test(middling_and_bad_reviews_are_due_in_a_week),
	    cmocka_unit_test(business_hours_policy_is_validated),
	    cmocka_unit_test(chinese_text_is_indexed_as_unigrams_and_bigrams),
	    cmocka_unit_test(latin_words_digits_and_full_width_forms_fold),
	    cmocka_unit_test(punctuation_alone_gives_no_token),
	    cmocka_unit_test(tokens_are_distinct_and_capped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
