/* Leave (W-7 … W-12) and shift swaps (W-13): the checks of the regulations,
 * pure. The interpretations are in leave.h and docs/workforce.md. */
#include <stdio.h>
#include <string.h>
#include "rules/calendar.h"
#include "rules/leave.h"

#define HOUR_MS 3600000LL
#define DAY_MS	86400000LL

const char *const kf_leave_types[] = {"personal",  "sick",	  "marriage",
				      "maternity", "bereavement", "compensatory",
				      "annual",	   "work_injury", NULL};

bool kf_leave_type_valid(const char *type)
{
	for (int i = 0; type && kf_leave_types[i]; i++)
		if (!strcmp(type, kf_leave_types[i]))
			return true;
	return false;
}

void kf_leave_rules_from_policy(const struct kf_policy *pol, struct kf_leave_rules *out)
{
	out->ordinary_notice_hours =
	    (int)kf_policy_int(pol, "workforce.leave.notice.ordinary_personal_hours");
	out->special_notice_hours =
	    (int)kf_policy_int(pol, "workforce.leave.notice.special_personal_hours");
	out->supervisor_up_to_days =
	    (int)kf_policy_int(pol, "workforce.leave.supervisor_up_to_days");
	out->late_shift_before_min =
	    kf_calendar_minutes(kf_policy_str(pol, "workforce.leave.late_shift_request_before"));
	out->emergency_notice_hours =
	    (int)kf_policy_int(pol, "workforce.leave.emergency_phone_notice_hours");
}

const char *kf_leave_level_name(enum kf_leave_level l)
{
	return l == KF_LEAVE_MANAGER ? "manager" : "supervisor";
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* The local day number of instant ms (days since 1970-01-01 local). */
static int64_t local_day(int64_t ms, const struct kf_zone *z)
{
	return floor_div(ms + z->utc_offset(ms, z->ctx) * 1000, DAY_MS);
}

int kf_leave_days(int64_t start, int64_t end, const struct kf_zone *zone)
{
	if (end <= start)
		return 0;
	return (int)(local_day(end - 1, zone) - local_day(start, zone) + 1);
}

/* The instant of local time min (minutes after midnight) on the local day of
 * ms. */
static int64_t local_time_on_day(int64_t ms, int min, const struct kf_zone *z)
{
	int64_t t =
	    local_day(ms, z) * DAY_MS + (int64_t)min * 60000 - z->utc_offset(ms, z->ctx) * 1000;
	/* Across a change of offset that day, judge by the offset then. */
	return local_day(ms, z) * DAY_MS + (int64_t)min * 60000 - z->utc_offset(t, z->ctx) * 1000;
}

int kf_leave_judge(const struct kf_leave_rules *r, const struct kf_leave_filing *f,
		   struct kf_leave_plan *out, struct kf_err *err)
{
	memset(out, 0, sizeof(*out));
	if (!kf_leave_type_valid(f->type))
		return kf_err_field(
		    err, KF_EINVALID, "type",
		    "type must be personal, sick, marriage, maternity, bereavement, "
		    "compensatory, annual or work_injury (W-7)");
	if (f->end_at <= f->start_at)
		return kf_err_field(err, KF_EINVALID, "end", "end must be after start");
	out->days = kf_leave_days(f->start_at, f->end_at, f->zone);
	if (out->days > 366)
		return kf_err_field(err, KF_EINVALID, "end", "a leave is at most 366 days");
	bool sick = !strcmp(f->type, "sick"), injury = !strcmp(f->type, "work_injury");

	if (f->emergency) {
		/* W-12: the department head records the phone notice. */
		if (!f->filer_is_head)
			return kf_err_rule(err, KF_EFORBIDDEN, "W-12",
					   "an emergency notice is recorded by the department head "
					   "(manager)");
		if (f->filed_at > f->start_at + r->emergency_notice_hours * HOUR_MS)
			return kf_err_rule(err, KF_ERULE, "W-12",
					   "an emergency phone notice must come within %d hours of "
					   "the leave's start",
					   r->emergency_notice_hours);
		out->nlevels = 1;
		out->levels[0] = KF_LEAVE_MANAGER;
		out->notice_ms =
		    (f->first_shift_start ? f->first_shift_start : f->start_at) - f->filed_at;
		return 0;
	}
	/* W-10: only sick leave may be filed for someone else. */
	if (f->on_behalf && !sick)
		return kf_err_rule(err, KF_EFORBIDDEN, "W-10",
				   "leave is filed by the person themself; only sick leave may be "
				   "filed on someone's behalf");
	/* W-11: a late shift's leave before the day's deadline (12:00). */
	if (f->late_shift_start) {
		int64_t deadline =
		    local_time_on_day(f->late_shift_start, r->late_shift_before_min, f->zone);
		if (f->filed_at >= deadline)
			return kf_err_rule(err, KF_ERULE, "W-11",
					   "leave from a late shift must be requested before "
					   "%02d:%02d on the day of the shift",
					   r->late_shift_before_min / 60,
					   r->late_shift_before_min % 60);
	}
	/* W-8: notice before the shift starts. */
	out->notice_ms = (f->first_shift_start ? f->first_shift_start : f->start_at) - f->filed_at;
	if (!sick && !injury) {
		out->required_ms =
		    (f->special ? r->special_notice_hours : r->ordinary_notice_hours) * HOUR_MS;
		out->late_notice = out->notice_ms < out->required_ms;
	}
	/* W-9: level by level. */
	if (!f->subject_is_lead)
		out->levels[out->nlevels++] = KF_LEAVE_SUPERVISOR;
	if (f->subject_is_lead || out->days > r->supervisor_up_to_days || out->late_notice)
		out->levels[out->nlevels++] = KF_LEAVE_MANAGER;
	return 0;
}

void kf_swap_rules_from_policy(const struct kf_policy *pol, struct kf_swap_rules *out)
{
	out->max_per_person_per_month =
	    (int)kf_policy_int(pol, "workforce.swaps.max_per_person_per_month");
	out->allow_consecutive_days = kf_policy_bool(pol, "workforce.swaps.allow_consecutive_days");
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int64_t days_from_ymd(int ymd)
{
	int64_t y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
	y -= m <= 2;
	int64_t era = floor_div(y, 400);
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int kf_swap_check(const struct kf_swap_rules *r, const char *who, int ymd, const int *ymds, int n,
		  struct kf_err *err)
{
	int in_month = 0;
	for (int i = 0; i < n; i++)
		in_month += ymds[i] / 100 == ymd / 100;
	if (in_month >= r->max_per_person_per_month)
		return kf_err_rule(err, KF_ERULE, "W-13",
				   "at most %d swaps per person per month: %s already has %d in "
				   "%04d-%02d",
				   r->max_per_person_per_month, who, in_month, ymd / 10000,
				   ymd / 100 % 100);
	for (int i = 0; i < n && !r->allow_consecutive_days; i++) {
		int64_t gap = days_from_ymd(ymds[i]) - days_from_ymd(ymd);
		if (gap == 1 || gap == -1)
			return kf_err_rule(err, KF_ERULE, "W-13",
					   "no swaps on consecutive days for the same person: %s "
					   "already has a swap on %04d-%02d-%02d",
					   who, ymds[i] / 10000, ymds[i] / 100 % 100,
					   ymds[i] % 100);
	}
	return 0;
}
