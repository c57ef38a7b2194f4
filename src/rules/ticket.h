/* Tickets by the regulations: types (T-1), channels (T-2), the state machine
 * (T-6), priority (T-9), numbering (T-4) and deadlines (L-4 … L-12). Pure:
 * the policy in force and "now" are arguments. */
#ifndef KF_RULES_TICKET_H
#define KF_RULES_TICKET_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "rules/calendar.h"
#include "rules/policy.h"

enum kf_ticket_type {
	KF_TT_COMPLAINT,
	KF_TT_INQUIRY,
	KF_TT_QUERY,
	KF_TT_REPAIR,
	KF_TT_SUGGESTION,
	KF_TT_HELP,
	KF_TT_SERVICE,
	KF_TT_COUNT
};

enum kf_channel {
	KF_CH_PHONE,
	KF_CH_VISIT,
	KF_CH_LETTER,
	KF_CH_FAX,
	KF_CH_WEB,
	KF_CH_CHAT,
	KF_CH_MARKETPLACE, /* 电商平台: a shop on an online marketplace (L-9) */
	KF_CH_OTHER,
	KF_CH_COUNT
};

/* T-6: new → assigned → in_progress ⇄ pending_customer → resolved → closed;
 * resolved or closed → reopened → in_progress. */
enum kf_status {
	KF_ST_NEW,
	KF_ST_ASSIGNED,
	KF_ST_IN_PROGRESS,
	KF_ST_PENDING_CUSTOMER,
	KF_ST_RESOLVED,
	KF_ST_CLOSED,
	KF_ST_REOPENED,
	KF_ST_COUNT
};

enum kf_priority { KF_PRI_NORMAL, KF_PRI_URGENT, KF_PRI_CRITICAL, KF_PRI_COUNT };

/* L-9: the rating of the marketplace review a ticket comes from: good 好评,
 * middling 中评, bad 差评. */
enum kf_review_rating { KF_RR_GOOD, KF_RR_MIDDLING, KF_RR_BAD, KF_RR_COUNT };

const char *kf_ticket_type_name(enum kf_ticket_type t);
int kf_ticket_type_parse(const char *s);
const char *kf_channel_name(enum kf_channel c);
int kf_channel_parse(const char *s);
const char *kf_status_name(enum kf_status s);
int kf_status_parse(const char *s);
const char *kf_priority_name(enum kf_priority p);
int kf_priority_parse(const char *s);
const char *kf_review_rating_name(enum kf_review_rating r);
int kf_review_rating_parse(const char *s);
/* L-9: a review rating belongs only to a ticket from the marketplace channel. */
bool kf_ticket_review_allowed(enum kf_channel c);
/* L-9, seed 000 §篇10 三2 (中差评要在1周之内处理完成): middling and bad reviews
 * must be handled. r may be -1 (no review). */
bool kf_ticket_review_needs_handling(int r);

/* T-6: whether the state machine allows from → to. */
bool kf_ticket_transition_allowed(enum kf_status from, enum kf_status to);
/* The states reachable from s, in table order, into out (at most
 * KF_ST_COUNT); returns how many. */
int kf_ticket_next_states(enum kf_status s, enum kf_status *out);
/* Whether a ticket in s is open (counts in queues and can go overdue). */
bool kf_ticket_status_open(enum kf_status s);

/* T-9: the priority a ticket must have at least: critical for a customer of a
 * critical grade (C-2) or a complaint of a critical severity (K-2), else the
 * policy default. requested is what the registering person chose (-1 none);
 * the result is the higher of the two. grade and severity may be NULL. */
enum kf_priority kf_ticket_priority(const struct kf_policy *p, int requested, const char *grade,
				    const char *severity);

/* The index of s in names[0 … n-1] (API names of an enumeration), or -1
 * (also for NULL). */
int kf_name_parse(const char *s, const char *const *names, int n);

/* T-4: the number prefix of a type, from the policy. */
const char *kf_ticket_prefix(const struct kf_policy *p, enum kf_ticket_type t);
/* T-4: "<prefix>-<YYYYMMDD>-<NNNN>" (at least four digits) into out. */
void kf_ticket_number(const char *prefix, int ymd, int64_t seq, char out[32]);

/* Deadlines (L-4 … L-10). Kinds, with the event that meets each. */
enum kf_deadline_kind {
	KF_DL_REPLY,	     /* L-6: first reply to the customer */
	KF_DL_CALLBACK,	     /* L-4: complaint callback */
	KF_DL_REPORT,	     /* L-7: complaint investigation report */
	KF_DL_CLOSE,	     /* L-8: complaint closed */
	KF_DL_STATUS_UPDATE, /* L-5: status told on a delayed problem */
	KF_DL_DISPATCH,	     /* L-10: service work dispatched */
	KF_DL_REVIEW,	     /* L-9: middling or bad marketplace review handled */
	KF_DL_COUNT
};

struct kf_deadline {
	enum kf_deadline_kind kind;
	int64_t due_at;
};

const char *kf_deadline_kind_name(enum kf_deadline_kind k);
int kf_deadline_kind_parse(const char *s);
/* The SPEC rule a deadline kind comes from ("L-6"). */
const char *kf_deadline_rule(enum kf_deadline_kind k);

/* SPEC "Deadlines": whether the policy gives type t a business-hours
 * calendar (deadlines.business_hours.types); if so, fills *out. */
bool kf_ticket_business_hours(const struct kf_policy *p, enum kf_ticket_type t,
			      struct kf_business_hours *out);

/* L-11: the deadlines of a ticket of type t registered (accepted) at
 * created_at under policy p, with review rating `review` (-1 none; L-9).
 * Writes at most KF_DL_COUNT entries to out and returns how many.
 *
 * Calendar time unless the type has business hours. Then hour-based
 * deadlines (L-6) count business hours, and day-based ones (L-4, L-7, L-8,
 * L-9) count N business days as N times the length of the business day in
 * business time: a complaint registered on Tuesday at 10:00 with hours
 * 09:00–18:00 is due for callback (2 days) on Thursday at 10:00, one
 * registered on Friday evening on Tuesday at 18:00. Service work not
 * dispatched on its day (L-10) is due at local midnight l10_dispatch_days
 * later, or with business hours at the opening of the l10_dispatch_days-th
 * business day after the day it came in. z gives local time. */
int kf_ticket_deadlines(const struct kf_policy *p, enum kf_ticket_type t, int review,
			int64_t created_at, const struct kf_zone *z, struct kf_deadline *out);

/* L-5, seed 004 第一章 B.3 (延时性问题解决,要及时反馈给客户,一般要求24小时之内):
 * the next status update of an open ticket is due l5_delay_status_hours
 * (business hours for a type that has them) after `from`, the reply that
 * told the customer the status or the moment the customer's turn ended. */
int64_t kf_ticket_status_update_due(const struct kf_policy *p, enum kf_ticket_type t, int64_t from,
				    const struct kf_zone *z);
/* L-12: whether time waiting for the customer may pause deadline kind k
 * (the reply and close deadlines, when the policy says so). */
bool kf_deadline_pausable(enum kf_deadline_kind k);
/* L-12: a paused deadline due at `due` after a wait from `from` to `to`:
 * moved on by the wait, counted in the type's calendar (only the business
 * time the wait took up, for a type with business hours). */
int64_t kf_ticket_paused_due(const struct kf_policy *p, enum kf_ticket_type t, int64_t due,
			     int64_t from, int64_t to, const struct kf_zone *z);

#endif
