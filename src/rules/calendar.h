/* Calendars for deadlines (SPEC "S-L-A. Deadlines"): "Every deadline is
 * policy, measured in calendar time unless the policy gives the type a
 * business-hours calendar." Pure: the zone is an argument (a function giving
 * the UTC offset at an instant), so local days, weekends and daylight saving
 * changes are computed without reading the process's clock or zone.
 *
 * Business time is the real time (milliseconds) that falls inside the
 * business hours: from `start` to `end` local time on each listed weekday,
 * end "24:00" meaning the following midnight. On a day a clock change falls
 * inside the hours, the business day is that much shorter or longer. */
#ifndef KF_RULES_CALENDAR_H
#define KF_RULES_CALENDAR_H
#include <stdbool.h>
#include <stdint.h>
#include "rules/policy.h"
#include "util/time.h"

struct kf_business_hours {
	int start_min, end_min; /* minutes after local midnight, 0 <= start < end <= 1440 */
	unsigned weekdays;	/* bit 0 Monday … bit 6 Sunday */
};

/* deadlines.business_hours.{start,end,weekdays} of the policy (validated
 * there: HH:MM, end after start, at least one weekday). */
void kf_business_hours_from_policy(const struct kf_policy *p, struct kf_business_hours *out);
/* Parses "HH:MM" (00:00 to 24:00) into minutes; -1 if malformed. */
int kf_calendar_minutes(const char *hhmm);
/* A weekday name ("mon" … "sun") as 0 (Monday) … 6 (Sunday); -1 if unknown. */
int kf_calendar_weekday(const char *name);

/* The local day (days since 1970-01-01 in the zone) of instant ms. */
int64_t kf_calendar_local_day(const struct kf_zone *z, int64_t ms);
/* The first instant at or after local midnight starting local day `day`
 * (the midnight itself unless a clock change skipped it). */
int64_t kf_calendar_day_start(const struct kf_zone *z, int64_t day);

/* The length of one business day in the policy's hours, in ms (the
 * day-based deadlines count this much business time per day). */
int64_t kf_business_day_ms(const struct kf_business_hours *bh);
/* The instant `duration` ms of business time after start. bh NULL: calendar
 * time (start + duration). A start outside the hours counts from the next
 * opening; a deadline that uses up a day's hours exactly falls at that day's
 * closing, not at the next opening. A duration of 0 or less gives start. */
int64_t kf_deadline_add(const struct kf_business_hours *bh, const struct kf_zone *z, int64_t start,
			int64_t duration);
/* The business time between from and to (0 if to <= from); bh NULL:
 * to - from. kf_deadline_add(bh, z, x, kf_business_elapsed(bh, z, x, y))
 * is not after y. */
int64_t kf_business_elapsed(const struct kf_business_hours *bh, const struct kf_zone *z,
			    int64_t from, int64_t to);
/* The opening of the n-th business day after the local day of ms (n >= 1);
 * bh NULL: local midnight n days after that day. */
int64_t kf_business_day_open(const struct kf_business_hours *bh, const struct kf_zone *z,
			     int64_t ms, int n);

#endif
