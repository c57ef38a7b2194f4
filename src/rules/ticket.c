#include <stdio.h>
#include <string.h>
#include "rules/ticket.h"

static const char *const type_names[KF_TT_COUNT] = {"complaint",  "inquiry", "query",  "repair",
						    "suggestion", "help",    "service"};
static const char *const channel_names[KF_CH_COUNT] = {"phone", "visit", "letter",	"fax",
						       "web",	"chat",	 "marketplace", "other"};
static const char *const status_names[KF_ST_COUNT] = {
    "new", "assigned", "in_progress", "pending_customer", "resolved", "closed", "reopened"};
static const char *const priority_names[KF_PRI_COUNT] = {"normal", "urgent", "critical"};
static const char *const review_names[KF_RR_COUNT] = {"good", "middling", "bad"};
static const char *const deadline_names[KF_DL_COUNT] = {
    "reply", "callback", "report", "close", "status_update", "dispatch", "review"};
static const char *const deadline_rules[KF_DL_COUNT] = {"L-6", "L-4",  "L-7", "L-8",
							"L-5", "L-10", "L-9"};

int kf_name_parse(const char *s, const char *const *names, int n)
{
	if (!s)
		return -1;
	for (int i = 0; i < n; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

const char *kf_ticket_type_name(enum kf_ticket_type t)
{
	return (unsigned)t < KF_TT_COUNT ? type_names[t] : "unknown";
}

int kf_ticket_type_parse(const char *s)
{
	return kf_name_parse(s, type_names, KF_TT_COUNT);
}

const char *kf_channel_name(enum kf_channel c)
{
	return (unsigned)c < KF_CH_COUNT ? channel_names[c] : "unknown";
}

int kf_channel_parse(const char *s)
{
	return kf_name_parse(s, channel_names, KF_CH_COUNT);
}

const char *kf_status_name(enum kf_status s)
{
	return (unsigned)s < KF_ST_COUNT ? status_names[s] : "unknown";
}

int kf_status_parse(const char *s)
{
	return kf_name_parse(s, status_names, KF_ST_COUNT);
}

const char *kf_priority_name(enum kf_priority p)
{
	return (unsigned)p < KF_PRI_COUNT ? priority_names[p] : "unknown";
}

int kf_priority_parse(const char *s)
{
	return kf_name_parse(s, priority_names, KF_PRI_COUNT);
}

const char *kf_review_rating_name(enum kf_review_rating r)
{
	return (unsigned)r < KF_RR_COUNT ? review_names[r] : "unknown";
}

int kf_review_rating_parse(const char *s)
{
	return kf_name_parse(s, review_names, KF_RR_COUNT);
}

bool kf_ticket_review_allowed(enum kf_channel c)
{
	return c == KF_CH_MARKETPLACE;
}

bool kf_ticket_review_needs_handling(int r)
{
	return r == KF_RR_MIDDLING || r == KF_RR_BAD;
}

const char *kf_deadline_kind_name(enum kf_deadline_kind k)
{
	return (unsigned)k < KF_DL_COUNT ? deadline_names[k] : "unknown";
}

int kf_deadline_kind_parse(const char *s)
{
	return kf_name_parse(s, deadline_names, KF_DL_COUNT);
}

const char *kf_deadline_rule(enum kf_deadline_kind k)
{
	return (unsigned)k < KF_DL_COUNT ? deadline_rules[k] : "";
}

/* T-6, the whole state machine: a row per state, the states it may go to. */
#define S(x) (1u << KF_ST_##x)
static const unsigned transitions[KF_ST_COUNT] = {
    [KF_ST_NEW] = S(ASSIGNED),
    [KF_ST_ASSIGNED] = S(IN_PROGRESS),
    [KF_ST_IN_PROGRESS] = S(PENDING_CUSTOMER) | S(RESOLVED),
    [KF_ST_PENDING_CUSTOMER] = S(IN_PROGRESS) | S(RESOLVED),
    [KF_ST_RESOLVED] = S(CLOSED) | S(REOPENED),
    [KF_ST_CLOSED] = S(REOPENED),
    [KF_ST_REOPENED] = S(IN_PROGRESS),
};
#undef S

bool kf_ticket_transition_allowed(enum kf_status from, enum kf_status to)
{
	if ((unsigned)from >= KF_ST_COUNT || (unsigned)to >= KF_ST_COUNT)
		return false;
	return transitions[from] & (1u << to);
}

int kf_ticket_next_states(enum kf_status s, enum kf_status *out)
{
	int n = 0;
	for (int to = 0; to < KF_ST_COUNT; to++)
		if (kf_ticket_transition_allowed(s, (enum kf_status)to))
			out[n++] = (enum kf_status)to;
	return n;
}

bool kf_ticket_status_open(enum kf_status s)
{
	return s != KF_ST_RESOLVED && s != KF_ST_CLOSED;
}

static bool in_list(const json_t *list, const char *s)
{
	size_t i;
	json_t *v;
	if (!s)
		return false;
	json_array_foreach(list, i, v) if (json_is_string(v) &&
					   !strcmp(json_string_value(v), s)) return true;
	return false;
}

enum kf_priority kf_ticket_priority(const struct kf_policy *p, int requested, const char *grade,
				    const char *severity)
{
	int pri = kf_priority_parse(kf_policy_str(p, "tickets.priority.default"));
	if (pri < 0)
		pri = KF_PRI_NORMAL;
	if (requested > pri && requested < KF_PRI_COUNT)
		pri = requested;
	if (in_list(kf_policy_get(p, "tickets.priority.critical_customer_grades"), grade) ||
	    in_list(kf_policy_get(p, "tickets.priority.critical_complaint_severities"), severity))
		pri = KF_PRI_CRITICAL;
	return (enum kf_priority)pri;
}

const char *kf_ticket_prefix(const struct kf_policy *p, enum kf_ticket_type t)
{
	char key[80];
	snprintf(key, sizeof key, "tickets.number_prefix_by_type.%s", kf_ticket_type_name(t));
	return kf_policy_str(p, key);
}

void kf_ticket_number(const char *prefix, int ymd, int64_t seq, char out[32])
{
	snprintf(out, 32, "%.8s-%08d-%04lld", prefix, ymd % 100000000, (long long)seq);
}

#define HOUR 3600000LL
#define DAY  (24 * HOUR)

bool kf_ticket_business_hours(const struct kf_policy *p, enum kf_ticket_type t,
			      struct kf_business_hours *out)
{
	if (!in_list(kf_policy_get(p, "deadlines.business_hours.types"), kf_ticket_type_name(t)))
		return false;
	kf_business_hours_from_policy(p, out);
	return true;
}

/* The calendar of type t: its business hours, or NULL for calendar time. */
static const struct kf_business_hours *calendar(const struct kf_policy *p, enum kf_ticket_type t,
						struct kf_business_hours *bh)
{
	return kf_ticket_business_hours(p, t, bh) ? bh : NULL;
}

int kf_ticket_deadlines(const struct kf_policy *p, enum kf_ticket_type t, int review,
			int64_t created_at, const struct kf_zone *z, struct kf_deadline *out)
{
	struct kf_business_hours hours;
	const struct kf_business_hours *bh = calendar(p, t, &hours);
	/* A "day" is a calendar day, or one business day's worth of hours. */
	int64_t day = bh ? kf_business_day_ms(bh) : DAY;
	int n = 0;
#define ADD(kind, ms) out[n++] = (struct kf_deadline){kind, kf_deadline_add(bh, z, created_at, ms)}
	/* L-6 applies to every request. */
	ADD(KF_DL_REPLY, kf_policy_int(p, "deadlines.l6_reply_hours") * HOUR);
	if (t == KF_TT_COMPLAINT) {
		ADD(KF_DL_CALLBACK, kf_policy_int(p, "deadlines.l4_complaint_callback_days") * day);
		ADD(KF_DL_REPORT, kf_policy_int(p, "deadlines.l7_report_days") * day);
		ADD(KF_DL_CLOSE, kf_policy_int(p, "deadlines.l8_close_days") * day);
	}
	if (kf_ticket_review_needs_handling(review))
		ADD(KF_DL_REVIEW, kf_policy_int(p, "deadlines.l9_review_days") * day);
#undef ADD
	if (t == KF_TT_SERVICE || t == KF_TT_REPAIR)
		out[n++] = (struct kf_deadline){
		    KF_DL_DISPATCH,
		    kf_business_day_open(bh, z, created_at,
					 (int)kf_policy_int(p, "deadlines.l10_dispatch_days"))};
	return n;
}

int64_t kf_ticket_status_update_due(const struct kf_policy *p, enum kf_ticket_type t, int64_t from,
				    const struct kf_zone *z)
{
	struct kf_business_hours hours;
	return kf_deadline_add(calendar(p, t, &hours), z, from,
			       kf_policy_int(p, "deadlines.l5_delay_status_hours") * HOUR);
}

bool kf_deadline_pausable(enum kf_deadline_kind k)
{
	return k == KF_DL_REPLY || k == KF_DL_CLOSE;
}

int64_t kf_ticket_paused_due(const struct kf_policy *p, enum kf_ticket_type t, int64_t due,
			     int64_t from, int64_t to, const struct kf_zone *z)
{
	struct kf_business_hours hours;
	const struct kf_business_hours *bh = calendar(p, t, &hours);
	return kf_deadline_add(bh, z, due, kf_business_elapsed(bh, z, from, to));
}
