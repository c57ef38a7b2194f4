/* The complaint form of a complaint ticket (K-1 … K-3), the chain of linked
 * complaints (K-6) and the resolutions with their approval (K-4, K-5).
 * Strings read from the store are allocated in the caller's arena. Functions
 * return 0 or a negative kf_errcode (KF_ENOTFOUND when there is no such
 * row). */
#ifndef KF_STORE_COMPLAINTS_H
#define KF_STORE_COMPLAINTS_H
#include <stdbool.h>
#include <stdint.h>
#include "store/store.h"
#include "util/arena.h"

struct kf_complaint {
	int64_t ticket_id;
	const char *cause, *non_quality_kind, *severity; /* NULL: not yet stated */
	bool service_caused;
	int64_t responsible_user_id; /* 0: nobody named */
	const char *responsible_department, *investigation;
	const char *order_no, *batch, *delivered_on; /* delivered_on "YYYY-MM-DD" */
	int64_t defective_qty;			     /* -1: not stated */
	int64_t parent_ticket_id;		     /* K-6: 0 for the first of a chain */
	int64_t root_ticket_id;			     /* the first of the chain */
	int64_t created_at, updated_at;
};

int kf_store_complaint_get(struct kf_db *db, int64_t ticket_id, struct kf_arena *a,
			   struct kf_complaint *out, struct kf_err *err);
/* Inserts the form, or writes every field of an existing one. */
int kf_store_complaint_put(struct kf_db *db, const struct kf_complaint *c, struct kf_err *err);

/* K-6: one complaint of a chain, for display. */
struct kf_complaint_link {
	int64_t ticket_id, parent_ticket_id;
	const char *number, *status;
};
/* The complaints whose chain starts at root_ticket_id, oldest first. */
int kf_store_complaint_chain(struct kf_db *db, int64_t root_ticket_id, struct kf_arena *a,
			     struct kf_complaint_link **items, int *n, struct kf_err *err);

struct kf_resolution {
	int64_t id, ticket_id;
	const char *kind, *summary;
	bool has_amount, has_quantity;
	int64_t amount_fen, quantity;
	const char *required_role; /* NULL: no approval needed (K-5) */
	/* pending_approval, approved, rejected, sent, accepted, refused */
	const char *status;
	int64_t policy_version;
	int64_t created_by, created_at;
	int64_t decided_by, decided_at; /* 0: not decided */
	const char *decided_role, *decision_comment;
	int64_t sent_by, sent_at, responded_at;
	const char *response_comment;
	int64_t follow_up_ticket_id; /* K-6: the complaint opened on refusal */
	/* Read with the resolution, for display and checks. */
	const char *ticket_number;
};

int kf_store_resolution_insert(struct kf_db *db, struct kf_resolution *r, struct kf_err *err);
int kf_store_resolution_get(struct kf_db *db, int64_t id, struct kf_arena *a,
			    struct kf_resolution *out, struct kf_err *err);
/* The resolutions of a ticket, oldest first. */
int kf_store_resolution_list(struct kf_db *db, int64_t ticket_id, struct kf_arena *a,
			     struct kf_resolution **items, int *n, struct kf_err *err);
/* The newest resolution of a ticket in status, KF_ENOTFOUND if none. */
int kf_store_resolution_latest(struct kf_db *db, int64_t ticket_id, const char *status,
			       struct kf_arena *a, struct kf_resolution *out, struct kf_err *err);
/* Writes the decision, sending and response fields and the status of r if
 * its status in the store is still from_status; *changed tells. */
int kf_store_resolution_update(struct kf_db *db, const struct kf_resolution *r,
			       const char *from_status, bool *changed, struct kf_err *err);

/* Resolutions of status (NULL: any) whose required role is in
 * required_roles (",manager,vp,"; NULL: any), newest first, id < before_id
 * (0: from the newest); up to limit + 1. */
int kf_store_resolution_find(struct kf_db *db, const char *status, const char *required_roles,
			     int64_t before_id, int limit, struct kf_arena *a,
			     struct kf_resolution **items, int *n, struct kf_err *err);
/* E-8: the direct leader of user_id (an active team lead of the same team),
 * 0 if none. */
int kf_store_direct_leader(struct kf_db *db, int64_t user_id, int64_t *leader_id,
			   struct kf_err *err);

/* ---- K-9, E-8: fines for upheld service-caused complaints ---- */

struct kf_complaint_sanction {
	int64_t id, ticket_id, user_id;
	const char *role; /* responsible, direct_leader */
	const char *rule; /* E-8 */
	int occurrence;
	int64_t fine_fen;
	bool propose_dismissal;
	int64_t policy_version, created_at;
	/* Read with the entry, for display. */
	const char *user_name, *ticket_number;
};

/* Inserts s unless ticket_id already has an entry for the user and role
 * (*inserted tells). */
int kf_store_sanction_insert(struct kf_db *db, struct kf_complaint_sanction *s, bool *inserted,
			     struct kf_err *err);
/* How many entries of role the user has from since on. */
int kf_store_sanction_count(struct kf_db *db, int64_t user_id, const char *role, int64_t since,
			    int64_t *count, struct kf_err *err);
/* The entries of ticket_id (0: any) and of user_id (0: any), by id, after
 * after_id; up to limit + 1 (limit 0: all) so that the caller sees whether
 * there are more. */
int kf_store_sanction_list(struct kf_db *db, int64_t ticket_id, int64_t user_id, int64_t after_id,
			   int limit, struct kf_arena *a, struct kf_complaint_sanction **items,
			   int *n, struct kf_err *err);

/* ---- K-8: the monthly review ---- */

/* A complaint closed in the month under review. */
struct kf_review_item {
	int64_t ticket_id;
	const char *number, *subject, *status;
	int64_t closed_at, owner_id;
	const char *cause, *severity, *responsible_department;
	bool has_form, service_caused;
	int64_t responsible_user_id;
	const char *responsible_name;
	/* The newest resolution, NULL kind if none. */
	int64_t resolution_id;
	const char *resolution_kind, *resolution_status;
	bool has_amount;
	int64_t amount_fen;
};
/* Complaint tickets closed in [from, to), by closing time. */
int kf_store_review_items(struct kf_db *db, int64_t from, int64_t to, struct kf_arena *a,
			  struct kf_review_item **items, int *n, struct kf_err *err);

struct kf_review_decision {
	int64_t ticket_id;
	const char *sanction; /* rules/complaint.h kf_sanctions */
	bool has_fine;
	int64_t fine_fen;
	const char *comment;
};
struct kf_complaint_review {
	const char *month; /* YYYY-MM */
	int64_t reviewed_by, reviewed_at;
	const char *comment, *reviewer_name;
	struct kf_review_decision *decisions;
	int ndecisions;
};
/* Inserts the review and its decisions; KF_ECONFLICT when the month has one. */
int kf_store_review_insert(struct kf_db *db, const struct kf_complaint_review *r,
			   struct kf_err *err);
/* The review of month with its decisions; KF_ENOTFOUND if none. */
int kf_store_review_get(struct kf_db *db, const char *month, struct kf_arena *a,
			struct kf_complaint_review *out, struct kf_err *err);

#endif
