#include <string.h>
#include <jansson.h>
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

bool kf_complaint_upheld(const char *kind, const char *status)
{
	if (!kind || !status || !strcmp(kind, "not_upheld"))
		return false;
	return !strcmp(status, "approved") || !strcmp(status, "sent") ||
	       !strcmp(status, "accepted");
}

int64_t kf_service_complaint_fine(const struct kf_policy *p, int occurrence,
				  bool *propose_dismissal)
{
	const json_t *fens = kf_policy_get(p, "fines.service_complaint.fen_by_occurrence");
	int64_t from = kf_policy_int(p, "fines.service_complaint.propose_dismissal_from_count");
	size_t n = json_array_size(fens);
	*propose_dismissal = from > 0 && occurrence >= from;
	if (!n || occurrence < 1)
		return 0;
	size_t i = (size_t)occurrence <= n ? (size_t)occurrence - 1 : n - 1;
	return json_integer_value(json_array_get(fens, i));
}

int kf_fine_window_start(const char *window, int today)
{
	int y = today / 10000, m = today / 100 % 100, d = today % 100;
	if (!window)
		return -1;
	if (!strcmp(window, "calendar_month"))
		return y * 10000 + m * 100 + 1;
	if (!strcmp(window, "calendar_quarter"))
		return y * 10000 + ((m - 1) / 3 * 3 + 1) * 100 + 1;
	if (!strcmp(window, "calendar_year"))
		return y * 10000 + 101;
	if (!strcmp(window, "rolling_12_months"))
		return (y - 1) * 10000 + m * 100 + (m == 2 && d == 29 ? 28 : d);
	return -1;
}

const char *const kf_sanctions[KF_SANCTION_COUNT] = {
    "none",	     "warning",	  "public_criticism", "minor_demerit",
    "major_demerit", "dismissal", "compensation"};

int kf_sanction_parse(const char *s)
{
	return parse(kf_sanctions, KF_SANCTION_COUNT, s);
}

void kf_complaint_review_window(int year, int month, int before_day, struct kf_review_window *w)
{
	int y = month == 12 ? year + 1 : year, m = month == 12 ? 1 : month + 1;
	w->opens = y * 10000 + m * 100 + 1;
	w->due = y * 10000 + m * 100 + (before_day < 1 ? 1 : before_day);
}

const char *kf_complaint_review_state(const struct kf_review_window *w, int today, bool reviewed)
{
	if (today < w->opens)
		return "not_open";
	if (reviewed)
		return "reviewed";
	return today >= w->due ? "overdue" : "open";
}
