/* Tickets by the regulations: types (T-1), channels (T-2), the state machine
 * (T-6), priority (T-9), numbering (T-4) and deadlines (L-4 … L-12). Pure:
 * the policy in force and "now" are arguments. */
#ifndef KF_RULES_TICKET_H
#define KF_RULES_TICKET_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
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

const char *kf_ticket_type_name(enum kf_ticket_type t);
int kf_ticket_type_parse(const char *s);
const char *kf_channel_name(enum kf_channel c);
int kf_channel_parse(const char *s);
const char *kf_status_name(enum kf_status s);
int kf_status_parse(const char *s);
const char *kf_priority_name(enum kf_priority p);
int kf_priority_parse(const char *s);

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
/* L-11: the deadlines of a ticket of type t registered (accepted) at
 * created_at under policy p. Writes at most KF_DL_COUNT entries to out and
 * returns how many. Service work not dispatched on its day (L-10) is due at
 * the start of the local day l10_dispatch_days later; local_midnight is the
 * instant of local midnight on the day of created_at (the caller knows the
 * time zone). */
int kf_ticket_deadlines(const struct kf_policy *p, enum kf_ticket_type t, int64_t created_at,
			int64_t local_midnight, struct kf_deadline *out);

#endif
