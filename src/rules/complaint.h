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

#endif
