#include <string.h>
#include "rules/calendar.h"

#define MINUTE 60000LL
#define DAY    86400000LL

static const char *const weekday_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

int kf_calendar_minutes(const char *s)
{
	if (!s || strlen(s) != 5 || s[2] != ':')
		return -1;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && m))
		return -1;
	return h * 60 + m;
}

int kf_calendar_weekday(const char *name)
{
	for (int i = 0; name && i < 7; i++)
		if (!strcmp(name, weekday_names[i]))
			return i;
	return -1;
}

void kf_business_hours_from_policy(const struct kf_policy *p, struct kf_business_hours *out)
{
	const json_t *days = kf_policy_get(p, "deadlines.business_hours.weekdays");
	size_t i;
	json_t *v;
	out->start_min = kf_calendar_minutes(kf_policy_str(p, "deadlines.business_hours.start"));
	out->end_min = kf_calendar_minutes(kf_policy_str(p, "deadlines.business_hours.end"));
	out->weekdays = 0;
	json_array_foreach(days, i, v)
	{
		int d = kf_calendar_weekday(json_string_value(v));
		if (d >= 0)
			out->weekdays |= 1u << d;
	}
}

/* Hours a day can be counted in: anything else (which the policy validator
 * refuses) is treated as calendar time rather than looping for ever. */
static bool usable(const struct kf_business_hours *bh)
{
	return bh && (bh->weekdays & 0x7f) && bh->start_min >= 0 && bh->start_min < bh->end_min &&
	       bh->end_min <= 1440;
}

static bool workday(const struct kf_business_hours *bh, int64_t day)
{
	/* 1970-01-01, day 0, was a Thursday (3). */
	int64_t wd = ((day + 3) % 7 + 7) % 7;
	return bh->weekdays & (1u << wd);
}

static int64_t offset_ms(const struct kf_zone *z, int64_t at)
{
	return z->utc_offset(at, z->ctx) * 1000;
}

static int64_t local_of(const struct kf_zone *z, int64_t at)
{
	return at + offset_ms(z, at);
}

/* The first instant whose local wall time is at or after `wall` (local
 * milliseconds since the epoch). Candidates come from the offsets in force
 * a day before and a day after; one that reads back as `wall` is the
 * answer (the earlier of two when the clock went back and the time came
 * twice). When neither does, the clock skipped `wall` and the answer is the
 * instant of the change, found by bisection. */
static int64_t from_local(const struct kf_zone *z, int64_t wall)
{
	int64_t a = wall - offset_ms(z, wall - DAY), b = wall - offset_ms(z, wall + DAY);
	if (a > b) {
		int64_t x = a;
		a = b;
		b = x;
	}
	if (local_of(z, a) == wall)
		return a;
	if (local_of(z, b) == wall)
		return b;
	int64_t lo = a - DAY, hi = b;
	if (local_of(z, lo) >= wall || local_of(z, hi) < wall)
		return b;
	while (hi - lo > 1) {
		int64_t mid = lo + (hi - lo) / 2;
		if (local_of(z, mid) >= wall)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

int64_t kf_calendar_local_day(const struct kf_zone *z, int64_t ms)
{
	return floor_div(local_of(z, ms), DAY);
}

int64_t kf_calendar_day_start(const struct kf_zone *z, int64_t day)
{
	return from_local(z, day * DAY);
}

int64_t kf_business_day_ms(const struct kf_business_hours *bh)
{
	return usable(bh) ? (bh->end_min - bh->start_min) * MINUTE : DAY;
}

int64_t kf_deadline_add(const struct kf_business_hours *bh, const struct kf_zone *z, int64_t start,
			int64_t duration)
{
	if (duration <= 0)
		return start;
	if (!usable(bh))
		return start + duration;
	int64_t t = start, left = duration;
	/* A day's hours end by the next midnight, so no earlier day's hours
	 * can hold start. Every week has some hours, so the loop ends. */
	for (int64_t day = kf_calendar_local_day(z, start);; day++) {
		if (!workday(bh, day))
			continue;
		int64_t open = from_local(z, day * DAY + bh->start_min * MINUTE);
		int64_t close = from_local(z, day * DAY + bh->end_min * MINUTE);
		if (t >= close)
			continue;
		if (t < open)
			t = open;
		if (left <= close - t)
			return t + left;
		left -= close - t;
		t = close;
	}
}

int64_t kf_business_elapsed(const struct kf_business_hours *bh, const struct kf_zone *z,
			    int64_t from, int64_t to)
{
	if (to <= from)
		return 0;
	if (!usable(bh))
		return to - from;
	int64_t sum = 0, last = kf_calendar_local_day(z, to);
	for (int64_t day = kf_calendar_local_day(z, from); day <= last; day++) {
		if (!workday(bh, day))
			continue;
		int64_t open = from_local(z, day * DAY + bh->start_min * MINUTE);
		int64_t close = from_local(z, day * DAY + bh->end_min * MINUTE);
		int64_t a = open > from ? open : from, b = close < to ? close : to;
		if (b > a)
			sum += b - a;
	}
	return sum;
}

int64_t kf_business_day_open(const struct kf_business_hours *bh, const struct kf_zone *z,
			     int64_t ms, int n)
{
	int64_t day = kf_calendar_local_day(z, ms);
	if (!usable(bh))
		return from_local(z, (day + n) * DAY);
	for (int k = 0; k < n;)
		if (workday(bh, ++day))
			k++;
	return from_local(z, day * DAY + bh->start_min * MINUTE);
}
