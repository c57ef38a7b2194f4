/* Roles, agent levels and the one role-to-permission table (SPEC R). Every
 * authorisation decision in kefu is kf_role_can(role, permission); the table
 * in roles.c is the whole of who may do what. */
#ifndef KF_RULES_ROLES_H
#define KF_RULES_ROLES_H
#include <stdbool.h>

enum kf_role {
	KF_ROLE_AGENT,
	KF_ROLE_TECHNICIAN,
	KF_ROLE_TEAM_LEAD,
	KF_ROLE_SUPERVISOR,
	KF_ROLE_MANAGER,
	KF_ROLE_VP,
	KF_ROLE_GM,
	KF_ROLE_ANALYST,
	KF_ROLE_ADMIN,
	KF_ROLE_COUNT
};

/* trainee → junior → intermediate → senior → reserve supervisor. */
enum kf_level {
	KF_LEVEL_NONE = -1,
	KF_LEVEL_TRAINEE,
	KF_LEVEL_JUNIOR,
	KF_LEVEL_INTERMEDIATE,
	KF_LEVEL_SENIOR,
	KF_LEVEL_RESERVE_SUPERVISOR,
	KF_LEVEL_COUNT
};

enum kf_perm {
	KF_PERM_USERS_READ,  /* list colleagues: names, roles, teams */
	KF_PERM_USERS_WRITE, /* create accounts, change roles, deactivate */
	KF_PERM_TEAMS_READ,
	KF_PERM_TEAMS_WRITE,
	KF_PERM_AUDIT_READ, /* read and verify the audit log (S-3) */
	KF_PERM_POLICY_READ,
	KF_PERM_POLICY_WRITE,		 /* publish a new policy version (P-1) */
	KF_PERM_CUSTOMERS_READ,		 /* customer records, personal data masked (C-3) */
	KF_PERM_CUSTOMERS_WRITE,	 /* register and change customer records */
	KF_PERM_CUSTOMERS_VERIFY,	 /* verify a caller's identity to unmask (C-3) */
	KF_PERM_TICKETS_READ,		 /* tickets, timelines, queues, search */
	KF_PERM_TICKETS_WRITE,		 /* register, reply, note, move, transfer, escalate */
	KF_PERM_TICKETS_ASSIGN,		 /* assign a ticket to someone else */
	KF_PERM_COMPLAINT_REVIEWS_READ,	 /* K-8: the monthly complaint review, K-9 fines */
	KF_PERM_COMPLAINT_REVIEWS_WRITE, /* K-8: record the review (the GM office) */
	KF_PERM_ATTENDANCE,	   /* clock in and out, handovers, the duty log (W-15 … W-17) */
	KF_PERM_ATTENDANCE_ALL,	   /* other people's attendance and handovers */
	KF_PERM_DISPATCH,	   /* D-2, D-4: dispatch vouchers, countersign, approve off-site */
	KF_PERM_VOUCHERS_WORK,	   /* D-2: work on one's own service vouchers */
	KF_PERM_FINANCE_READ,	   /* D-3, K-7: the finance list of fees and documents */
	KF_PERM_RETURNS_CONFIRM,   /* K-7: confirm the quantity a return slip brought back */
	KF_PERM_ROSTER_READ,	   /* shift templates and published rosters (W-1, W-2) */
	KF_PERM_ROSTER_WRITE,	   /* templates, generate, edit, publish rosters (W-1 … W-6) */
	KF_PERM_WORKFORCE_REQUEST, /* own leave, swaps and wishes (W-6 … W-13) */
	KF_PERM_LEAVE_DECIDE,	   /* decide leave requests (W-9) */
	KF_PERM_COUNT
};

const char *kf_role_name(enum kf_role r);
/* Returns the role for its API name, or -1. */
int kf_role_parse(const char *s);
const char *kf_level_name(enum kf_level l);
int kf_level_parse(const char *s);
const char *kf_perm_name(enum kf_perm p);
bool kf_role_can(enum kf_role r, enum kf_perm p);
/* Whether a role carries an agent level (agents and team leads do). */
bool kf_role_has_level(enum kf_role r);

#endif
