#include <string.h>
#include "rules/complaint.h"

static const char *const causes[KF_CAUSE_COUNT] = {"quality", "non_quality"};
static const char *const nq_kinds[KF_NQ_COUNT] = {"transport", "handling", "service_attitude",
						  "other"};
static const char *const severities[KF_SEV_COUNT] = {"general", "major", "crisis"};
static const char *const res_kinds[KF_RES_COUNT] = {"explanation", "compensation", "discount",
						    "return",	   "rework",	   "not_upheld"};

static int parse(const char *const *names, int n, const char *s)
{
	for (int i = 0; s && i < n; i++)
		if (!strcmp(names[i], s))
			return i;
	return -1;
}

const char *kf_complaint_cause_name(enum kf_complaint_cause c)
{
	return (unsigned)c < KF_CAUSE_COUNT ? causes[c] : NULL;
}

int kf_complaint_cause_parse(const char *s)
{
	return parse(causes, KF_CAUSE_COUNT, s);
}

const char *kf_non_quality_kind_name(enum kf_non_quality_kind k)
{
	return (unsigned)k < KF_NQ_COUNT ? nq_kinds[k] : NULL;
}

int kf_non_quality_kind_parse(const char *s)
{
	return parse(nq_kinds, KF_NQ_COUNT, s);
}

const char *kf_complaint_severity_name(enum kf_complaint_severity s)
{
	return (unsigned)s < KF_SEV_COUNT ? severities[s] : NULL;
}

int kf_complaint_severity_parse(const char *s)
{
	return parse(severities, KF_SEV_COUNT, s);
}

const char *kf_resolution_kind_name(enum kf_resolution_kind k)
{
	return (unsigned)k < KF_RES_COUNT ? res_kinds[k] : NULL;
}

int kf_resolution_kind_parse(const char *s)
{
	return parse(res_kinds, KF_RES_COUNT, s);
}

bool kf_complaint_severity_reported(enum kf_complaint_severity s)
{
	return s == KF_SEV_MAJOR || s == KF_SEV_CRISIS;
}

bool kf_resolution_takes_amount(enum kf_resolution_kind k)
{
	return k == KF_RES_COMPENSATION || k == KF_RES_DISCOUNT;
}

bool kf_resolution_takes_quantity(enum kf_resolution_kind k)
{
	return k == KF_RES_RETURN || k == KF_RES_REWORK;
}

int kf_complaint_approver(const struct kf_policy *p, bool has_amount, int64_t amount_fen)
{
	if (!has_amount || amount_fen == 0)
		return -1;
	if (amount_fen < 0)
		return KF_ROLE_GM;
	if (amount_fen <= kf_policy_int(p, "complaints.approval.manager_up_to_fen"))
		return KF_ROLE_MANAGER;
	if (amount_fen >= kf_policy_int(p, "complaints.approval.gm_from_fen"))
		return KF_ROLE_GM;
	return KF_ROLE_VP;
}

/* The approval ladder of K-5; 0 for roles not on it. */
static int rank(enum kf_role r)
{
	switch (r) {
	case KF_ROLE_MANAGER:
		return 1;
	case KF_ROLE_VP:
		return 2;
	case KF_ROLE_GM:
		return 3;
	default:
		return 0;
	}
}

bool kf_complaint_may_approve(enum kf_role role, enum kf_role required)
{
	return rank(role) > 0 && rank(required) > 0 && rank(role) >= rank(required);
}
