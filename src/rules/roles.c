#include <string.h>
#include "rules/roles.h"

static const char *const role_names[KF_ROLE_COUNT] = {
    "agent", "technician", "team_lead", "supervisor", "manager", "vp", "gm", "analyst", "admin"};

static const char *const level_names[KF_LEVEL_COUNT] = {"trainee", "junior", "intermediate",
							"senior", "reserve_supervisor"};

static const char *const perm_names[KF_PERM_COUNT] = {"users.read",
						      "users.write",
						      "teams.read",
						      "teams.write",
						      "audit.read",
						      "policy.read",
						      "policy.write",
						      "customers.read",
						      "customers.write",
						      "customers.verify",
						      "tickets.read",
						      "tickets.write",
						      "tickets.assign",
						      "complaint_reviews.read",
						      "complaint_reviews.write",
						      "attendance",
						      "attendance.all",
						      "dispatch",
						      "vouchers.work",
						      "finance.read",
						      "returns.confirm",
						      "roster.read",
						      "roster.write",
						      "workforce.request",
						      "leave.decide"};

#define R(x) (1u << KF_ROLE_##x)
#define STAFF                                                                                      \
	(R(AGENT) | R(TECHNICIAN) | R(TEAM_LEAD) | R(SUPERVISOR) | R(MANAGER) | R(VP) | R(GM) |    \
	 R(ANALYST) | R(ADMIN))

/* The department's own staff who take customers' requests. */
#define FRONT_LINE (R(AGENT) | R(TEAM_LEAD) | R(SUPERVISOR) | R(MANAGER))

/* Which roles hold each permission (SPEC R: admin runs users, policy and
 * configuration; the audit log is for admin and GM as API.md says). */
static const unsigned grants[KF_PERM_COUNT] = {
    [KF_PERM_USERS_READ] = STAFF,
    [KF_PERM_USERS_WRITE] = R(ADMIN),
    [KF_PERM_TEAMS_READ] = STAFF,
    [KF_PERM_TEAMS_WRITE] = R(ADMIN) | R(MANAGER),
    [KF_PERM_AUDIT_READ] = R(ADMIN) | R(GM),
    [KF_PERM_POLICY_READ] = STAFF,
    [KF_PERM_POLICY_WRITE] = R(ADMIN),
    /* S-4: the analyst sees no personal data and the admin no customer
     * data; technicians see customers through their service vouchers. */
    [KF_PERM_CUSTOMERS_READ] = FRONT_LINE | R(VP) | R(GM),
    [KF_PERM_CUSTOMERS_WRITE] = FRONT_LINE,
    [KF_PERM_CUSTOMERS_VERIFY] = FRONT_LINE,
    [KF_PERM_TICKETS_READ] = FRONT_LINE | R(TECHNICIAN) | R(VP) | R(GM),
    [KF_PERM_TICKETS_WRITE] = FRONT_LINE | R(VP) | R(GM),
    /* Supervisors assign work (SPEC R); team leads run their team's queue. */
    [KF_PERM_TICKETS_ASSIGN] = R(TEAM_LEAD) | R(SUPERVISOR) | R(MANAGER),
    /* K-8 (第二十八条): the GM office reviews last month's closed complaints
     * (总经理办公室每月10日前应审视); the manager and VP see the list. */
    [KF_PERM_COMPLAINT_REVIEWS_READ] = R(MANAGER) | R(VP) | R(GM),
    [KF_PERM_COMPLAINT_REVIEWS_WRITE] = R(GM),
    /* W-15 … W-17: the front line works shifts, clocks in, hands over and
     * keeps the duty log; team leads and supervisors watch their people's
     * attendance and handovers, and so do managers. */
    [KF_PERM_ATTENDANCE] = FRONT_LINE,
    [KF_PERM_ATTENDANCE_ALL] = R(TEAM_LEAD) | R(SUPERVISOR) | R(MANAGER),
    /* D-2 (第七条 送请部门经理派工, 第十条 核签), D-4 (第十二条 由部门经理核准). */
    [KF_PERM_DISPATCH] = R(MANAGER),
    [KF_PERM_VOUCHERS_WORK] = R(TECHNICIAN),
    /* D-3, K-7: SPEC R has no finance role; the manager, who runs the
     * department, the VP and the GM see what finance books. */
    [KF_PERM_FINANCE_READ] = R(MANAGER) | R(VP) | R(GM),
    /* K-7 (第二十九条3): SPEC R has no warehouse role; the manager, who
     * does everything in the department, confirms the goods received. */
    [KF_PERM_RETURNS_CONFIRM] = R(MANAGER),
    /* W-2: the supervisor builds the roster (SPEC R); the department's
     * staff on it read it, request leave and swaps (team leads approve
     * swaps in their team inside the use case, W-13); W-9: the supervisor
     * and the manager decide leave. */
    [KF_PERM_ROSTER_READ] = FRONT_LINE,
    [KF_PERM_ROSTER_WRITE] = R(SUPERVISOR) | R(MANAGER),
    [KF_PERM_WORKFORCE_REQUEST] = FRONT_LINE,
    [KF_PERM_LEAVE_DECIDE] = R(SUPERVISOR) | R(MANAGER),
};

const char *kf_role_name(enum kf_role r)
{
	return (unsigned)r < KF_ROLE_COUNT ? role_names[r] : "unknown";
}

int kf_role_parse(const char *s)
{
	for (int i = 0; i < KF_ROLE_COUNT; i++)
		if (!strcmp(s, role_names[i]))
			return i;
	return -1;
}

const char *kf_level_name(enum kf_level l)
{
	return (unsigned)l < KF_LEVEL_COUNT ? level_names[l] : NULL;
}

int kf_level_parse(const char *s)
{
	for (int i = 0; i < KF_LEVEL_COUNT; i++)
		if (!strcmp(s, level_names[i]))
			return i;
	return -1;
}

const char *kf_perm_name(enum kf_perm p)
{
	return (unsigned)p < KF_PERM_COUNT ? perm_names[p] : "unknown";
}

bool kf_role_can(enum kf_role r, enum kf_perm p)
{
	if ((unsigned)r >= KF_ROLE_COUNT || (unsigned)p >= KF_PERM_COUNT)
		return false;
	return grants[p] & (1u << r);
}

bool kf_role_has_level(enum kf_role r)
{
	return r == KF_ROLE_AGENT || r == KF_ROLE_TEAM_LEAD;
}
