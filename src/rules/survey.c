#include <string.h>
#include "rules/survey.h"

#define DAY_MS 86400000LL

const char *const kf_survey_dims[KF_SURVEY_DIMS] = {"attitude", "skill", "arrival", "promise"};

static const char *const rating_names[] = {"very_satisfied", "satisfied", "average", "poor"};

int kf_rating_parse(const char *s)
{
	if (!s)
		return -1;
	for (int i = 0; i < 4; i++)
		if (!strcmp(s, rating_names[i]))
			return i;
	return -1;
}

const char *kf_rating_name(enum kf_rating r)
{
	return (unsigned)r < 4 ? rating_names[r] : "unknown";
}

bool kf_survey_any_poor(const enum kf_rating r[KF_SURVEY_DIMS])
{
	for (int i = 0; i < KF_SURVEY_DIMS; i++)
		if (r[i] == KF_RATING_POOR)
			return true;
	return false;
}

int kf_survey_score(const enum kf_rating r[KF_SURVEY_DIMS])
{
	int s = 0;
	for (int i = 0; i < KF_SURVEY_DIMS; i++)
		s += 4 - (int)r[i];
	return s;
}

bool kf_callback_applies(const char *ticket_type)
{
	return ticket_type && (!strcmp(ticket_type, "complaint") ||
			       !strcmp(ticket_type, "service") || !strcmp(ticket_type, "repair"));
}

int64_t kf_callback_due(int64_t closed_at, int64_t days)
{
	return closed_at + days * DAY_MS;
}

int64_t kf_survey_link_expiry(int64_t issued_at, int64_t valid_days)
{
	return issued_at + valid_days * DAY_MS;
}
