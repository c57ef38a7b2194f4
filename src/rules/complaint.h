/* Complaints by the regulations (SPEC K, seed 000 §篇4 第二十一条–第二十九条,
 * §篇8): the form's enumerations (K-1, K-2), resolution kinds (K-4) and the
 * approval authority by compensation amount (K-5). Pure: the policy is an
 * argument. */
#ifndef KF_RULES_COMPLAINT_H
#define KF_RULES_COMPLAINT_H
#include <stdbool.h>
#include <stdint.h>
#include "rules/policy.h"
#include "rules/roles.h"

/* K-1: quality problem 质量异常 or non-quality 非质量异常. */
enum kf_complaint_cause { KF_CAUSE_QUALITY, KF_CAUSE_NON_QUALITY, KF_CAUSE_COUNT };
/* K-1: the kinds of non-quality problem (运输, 搬运, 服务态度, 其他). */
enum kf_non_quality_kind {
	KF_NQ_TRANSPORT,
	KF_NQ_HANDLING,
	KF_NQ_SERVICE_ATTITUDE,
	KF_NQ_OTHER,
	KF_NQ_COUNT
};
/* K-2: general 一般投诉, major 重大投诉, crisis 危机事件. */
enum kf_complaint_severity { KF_SEV_GENERAL, KF_SEV_MAJOR, KF_SEV_CRISIS, KF_SEV_COUNT };
/* K-4: explanation only, compensation 赔款, discount 折扣, return 退货,
 * rework 重处理, complaint not upheld 投诉不成立. */
enum kf_resolution_kind {
	KF_RES_EXPLANATION,
	KF_RES_COMPENSATION,
	KF_RES_DISCOUNT,
	KF_RES_RETURN,
	KF_RES_REWORK,
	KF_RES_NOT_UPHELD,
	KF_RES_COUNT
};

/* Names are the API's; the parsers return -1 for an unknown name (or NULL). */
const char *kf_complaint_cause_name(enum kf_complaint_cause c);
int kf_complaint_cause_parse(const char *s);
const char *kf_non_quality_kind_name(enum kf_non_quality_kind k);
int kf_non_quality_kind_parse(const char *s);
const char *kf_complaint_severity_name(enum kf_complaint_severity s);
int kf_complaint_severity_parse(const char *s);
const char *kf_resolution_kind_name(enum kf_resolution_kind k);
int kf_resolution_kind_parse(const char *s);

/* K-2 (第十八条): major and crisis complaints are reported at once to the
 * manager and the vice president. */
bool kf_complaint_severity_reported(enum kf_complaint_severity s);

/* K-4: a compensation or discount carries an amount in fen; a return or
 * rework a quantity; the other kinds neither. */
bool kf_resolution_takes_amount(enum kf_resolution_kind k);
bool kf_resolution_takes_quantity(enum kf_resolution_kind k);

/* K-5 (第二十七条 核决权限): the role that must approve a resolution of
 * amount_fen under policy p, or -1 when no approval is needed (no amount, or
 * an amount of 0). Up to and including complaints.approval.manager_up_to_fen
 * the manager; from complaints.approval.gm_from_fen (inclusive) the general
 * manager; in between the vice president. A negative amount is the caller's
 * error (validation refuses it) and needs the general manager. */
int kf_complaint_approver(const struct kf_policy *p, bool has_amount, int64_t amount_fen);

/* K-5: whether a person of role `role` may approve what `required` must
 * approve: the required role or one above it in manager < vp < gm. No
 * other role approves. */
bool kf_complaint_may_approve(enum kf_role role, enum kf_role required);

/* K-9 (E-2, E-8): whether a complaint closed with resolution kind
 * (its API name; NULL when none was proposed) of status (the resolution's
 * status) is upheld: a resolution the customer accepted, or that was
 * approved or sent, of any kind but not_upheld. Rejected and refused
 * resolutions, and none at all, uphold nothing. */
bool kf_complaint_upheld(const char *kind, const char *status);

/* E-8: the fine for the occurrence-th (1, 2, …) upheld service-caused
 * complaint against one person within the window, under policy p
 * (fines.service_complaint, its preset applied): fen_by_occurrence[n - 1],
 * the last amount repeating; *propose_dismissal when occurrence reaches
 * propose_dismissal_from_count (0: never). */
int64_t kf_service_complaint_fine(const struct kf_policy *p, int occurrence,
				  bool *propose_dismissal);
/* E-7, E-8: the first local date (YYYYMMDD) of the counting window that
 * contains local date today (YYYYMMDD): calendar_month, calendar_quarter,
 * calendar_year, or rolling_12_months (the same date a year before, the
 * 28th for a 29 February), -1 for an unknown window. */
int kf_fine_window_start(const char *window, int today);

/* E-12: the sanctions a review may decide (warning 警告, public_criticism
 * 通报批评, minor_demerit 记小过, major_demerit 记大过, dismissal 开除,
 * compensation 赔偿) and none. -1 for an unknown name. */
int kf_sanction_parse(const char *s);
#define KF_SANCTION_COUNT 7
extern const char *const kf_sanctions[KF_SANCTION_COUNT];

/* K-8 (第二十八条): the review of the complaints closed in month (year,
 * month) opens on the 1st of the next month and is due before day
 * before_day of it. Dates as YYYYMMDD. */
struct kf_review_window {
	int opens, due; /* the first day it may be done; the first day it is late */
};
void kf_complaint_review_window(int year, int month, int before_day, struct kf_review_window *w);
/* K-8: "not_open" before w->opens, "reviewed" once reviewed, "overdue" from
 * w->due on without a review, "open" otherwise. */
const char *kf_complaint_review_state(const struct kf_review_window *w, int today, bool reviewed);

#endif
