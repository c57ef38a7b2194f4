/* Leave (请假, SPEC W-7 … W-12) and shift swaps (换班, W-13): what the
 * regulations allow, as pure functions. No I/O, no clock, no store: the
 * caller gives the filing time, the leave's instants, the rostered shifts the
 * leave covers and the time zone (P-3), and gets the decision path or a
 * refusal naming the rule.
 *
 * Interpretations (docs/workforce.md):
 *   W-8  the notice counts to the start of the first rostered shift the leave
 *        covers, or to the leave's start when none is rostered; it applies to
 *        every type but sick leave and work-injury leave, which cannot be
 *        foreseen. Filed with less notice the request is accepted but marked
 *        late_notice: it is valid only once a manager approves it (the
 *        manager is added to its path); otherwise the shift counts as
 *        absenteeism.
 *   W-9  days are the local calendar days the leave touches; up to and
 *        including supervisor_up_to_days (3) the supervisor decides, longer
 *        leave goes to the supervisor and then the manager, level by level.
 *        A supervisor's own leave starts at the manager.
 *   W-11 a leave covering a rostered late shift must be filed before the
 *        policy's time (12:00) on the day that shift starts; at or after it,
 *        it is refused.
 *   W-12 an emergency notice is recorded by the department head (the
 *        manager role) for someone else, within emergency_notice_hours of
 *        the leave's start; W-8 and W-11 do not apply; the manager decides. */
#ifndef KF_RULES_LEAVE_H
#define KF_RULES_LEAVE_H
#include <stdbool.h>
#include <stdint.h>
#include "rules/policy.h"
#include "util/err.h"
#include "util/time.h"

/* W-7: the leave types, NULL-terminated: personal 事假, sick 病假, marriage
 * 婚假, maternity 产假, bereavement 丧假, compensatory 换休, annual 带薪假,
 * work_injury 工伤假. */
extern const char *const kf_leave_types[];
bool kf_leave_type_valid(const char *type);

struct kf_leave_rules {
	int ordinary_notice_hours, special_notice_hours; /* W-8 */
	int supervisor_up_to_days;			 /* W-9 */
	int late_shift_before_min;			 /* W-11, minutes after local midnight */
	int emergency_notice_hours;			 /* W-12 */
};
void kf_leave_rules_from_policy(const struct kf_policy *pol, struct kf_leave_rules *out);

enum kf_leave_level { KF_LEAVE_SUPERVISOR, KF_LEAVE_MANAGER };
const char *kf_leave_level_name(enum kf_leave_level l); /* "supervisor", "manager" */

struct kf_leave_filing {
	const char *type;
	bool on_behalf;	      /* filed by someone other than the person on leave (W-10) */
	bool filer_is_head;   /* the filer is the department head (manager role, W-12) */
	bool subject_is_lead; /* the person on leave is a supervisor or above (W-9) */
	bool special;	      /* W-8: special personal leave (2 h notice) */
	bool emergency;	      /* W-12: a phone notice recorded by the department head */
	int64_t filed_at, start_at, end_at; /* ms; end exclusive */
	int64_t first_shift_start;	    /* first rostered shift in the leave, 0 if none */
	int64_t late_shift_start;	    /* first rostered late shift in the leave, 0 if none */
	const struct kf_zone *zone;
};

struct kf_leave_plan {
	int days;	     /* local calendar days touched (W-9) */
	bool late_notice;    /* W-8: valid only once a manager approves */
	int64_t notice_ms;   /* from filing to the shift (or leave) start; may be negative */
	int64_t required_ms; /* the notice W-8 asks for; 0 when none applies */
	int nlevels;	     /* 1 or 2 */
	enum kf_leave_level levels[2]; /* who decides, in order (W-9) */
};

/* Judges a filing. KF_EINVALID naming "type", "end" for malformed input;
 * KF_EFORBIDDEN with rule W-10 (someone else's leave that is not sick leave)
 * or W-12 (an emergency notice not recorded by the department head);
 * KF_ERULE with rule W-11 (a late shift's leave at or after the day's
 * deadline) or W-12 (an emergency notice later than the policy's hours). */
int kf_leave_judge(const struct kf_leave_rules *r, const struct kf_leave_filing *f,
		   struct kf_leave_plan *out, struct kf_err *err);

/* Local calendar days in [start, end): the W-9 day count. */
int kf_leave_days(int64_t start, int64_t end, const struct kf_zone *zone);

/* ---- W-13: shift swaps ---- */

struct kf_swap_rules {
	int max_per_person_per_month;
	bool allow_consecutive_days;
};
void kf_swap_rules_from_policy(const struct kf_policy *pol, struct kf_swap_rules *out);

/* Whether person who (a name for the message) may take part in one more swap
 * on date ymd (YYYYMMDD) given the dates of their other swaps that are
 * pending or approved (ymds, n; any months). KF_ERULE with rule W-13 and a
 * message naming the limit: "at most 2 swaps per person per month" or "no
 * swaps on consecutive days". */
int kf_swap_check(const struct kf_swap_rules *r, const char *who, int ymd, const int *ymds, int n,
		  struct kf_err *err);

#endif
