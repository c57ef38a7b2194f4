/* Complaints (SPEC K): the complaint form of a complaint ticket (K-1 … K-3),
 * resolutions and their approval authority (K-4, K-5), and the linked
 * complaint a refused resolution opens (K-6). The form is part of the
 * ticket: it is given at registration or with PATCH /tickets/{id} and shown
 * in the ticket's JSON ("complaint"), so tickets.c calls the hooks below in
 * its own transactions. */
#ifndef KF_APP_COMPLAINTS_H
#define KF_APP_COMPLAINTS_H
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "app/app.h"
#include "store/complaints.h"

/* The members of the "complaint" object a request carried (has_*). */
struct kf_complaint_input {
	const char *cause, *non_quality_kind, *severity;
	const char *responsible_department, *investigation, *order_no, *batch, *delivered_on;
	int64_t responsible_user_id, defective_qty;
	bool service_caused;
	bool has_cause, has_non_quality_kind, has_severity, has_service_caused,
	    has_responsible_user_id, has_responsible_department, has_investigation, has_order_no,
	    has_batch, has_delivered_on, has_defective_qty;
	/* K-6: the complaint this one follows (set by the application, never
	 * read from a request); 0 for none. */
	int64_t parent_ticket_id;
};

/* What a complaint ticket's view carries beside the ticket. */
struct kf_complaint_view {
	bool has_form;
	struct kf_complaint form;
	struct kf_complaint_link *chain; /* K-6: the whole chain, oldest first */
	int nchain;
	struct kf_resolution *resolutions; /* oldest first: the approval trail (K-3) */
	int nresolutions;
};

/* ---- hooks for tickets.c, in its transactions ---- */

/* Registration (K-1, K-2): writes the form of the new ticket t; refuses a
 * form on a ticket that is not a complaint. A major or crisis complaint is
 * reported to the manager and VP (K-2). t->priority was computed with the
 * severity (T-9). Error fields are "complaint.<member>". */
int kf_app_complaint_register_tx(struct kf_ctx *c, struct kf_db *db, const struct kf_ticket *t,
				 const struct kf_complaint_input *in, struct kf_err *err);
/* PATCH: applies in (may be NULL) to the form of t, already changed by the
 * rest of the request (before is the ticket as it was). Adds what changed to
 * changes ("complaint": {member: {before, after}}). T-9: raises t->priority
 * to what the severity demands, or refuses a requested lower priority
 * (priority_requested). Refuses a type change away from complaint once the
 * ticket has a form or resolutions. */
int kf_app_complaint_update_tx(struct kf_ctx *c, struct kf_db *db, const struct kf_policy *p,
			       struct kf_ticket *t, const struct kf_ticket *before,
			       const struct kf_complaint_input *in, bool priority_requested,
			       json_t *changes, struct kf_err *err);
/* Reads the complaint part of a view (v->complaint; NULL for a ticket that
 * is not a complaint). */
int kf_app_complaint_view_load(struct kf_ctx *c, struct kf_db *db, struct kf_ticket_view *v,
			       struct kf_err *err);
/* Adds "complaint" (object or null) and "parent_id" (K-6) to a ticket's JSON. */
void kf_app_complaint_json(json_t *o, const struct kf_ticket_view *v);

/* ---- resolutions (K-4 … K-6) ---- */

struct kf_resolution_input {
	const char *kind, *summary;
	bool has_amount, has_quantity;
	int64_t amount_fen, quantity;
};

/* K-4, K-5: proposes a resolution on a complaint; its required approver
 * comes from the amount and the policy in force. One resolution at a time
 * may wait for approval or sending. */
int kf_app_resolution_propose(struct kf_ctx *c, int64_t ticket_id,
			      const struct kf_resolution_input *in, struct kf_resolution *out,
			      struct kf_err *err);
int kf_app_resolution_get(struct kf_ctx *c, int64_t id, struct kf_resolution *out,
			  struct kf_err *err);
/* K-5: approve or reject; refused with KF_EFORBIDDEN and rule K-5 when the
 * caller's role is below the required one, KF_ECONFLICT once decided. */
int kf_app_resolution_decide(struct kf_ctx *c, int64_t id, bool approve, const char *comment,
			     struct kf_resolution *out, struct kf_err *err);
/* K-5: tells the customer an approved resolution; KF_ECONFLICT (rule K-5)
 * before approval. */
int kf_app_resolution_send(struct kf_ctx *c, int64_t id, const char *comment,
			   struct kf_resolution *out, struct kf_err *err);
/* K-6: the customer's answer to the resolution last sent on complaint
 * ticket_id. Not accepted opens a new complaint linked to this one, whose
 * view goes to *follow_up (*opened set); accepted leaves *opened false and
 * the complaint's view in *follow_up. */
int kf_app_complaint_respond(struct kf_ctx *c, int64_t ticket_id, bool accepted,
			     const char *comment, struct kf_ticket_view *follow_up, bool *opened,
			     struct kf_err *err);
json_t *kf_app_resolution_json(const struct kf_resolution *r);
/* The resolutions of status (NULL: any), newest first, before before_id (0:
 * from the newest); decidable keeps those waiting for approval that the
 * caller's role may decide (K-5: the approvals inbox). */
int kf_app_resolution_list(struct kf_ctx *c, const char *status, bool decidable, int64_t before_id,
			   int limit, struct kf_resolution **items, int *n, bool *more,
			   struct kf_err *err);

/* ---- K-9: the fine hook, for tickets.c in the transaction of the close ---- */

/* t (a ticket of any type) has just been closed. A complaint with a form
 * that is service-caused, names the person responsible and is upheld
 * (kf_complaint_upheld on its newest resolution) records that person's E-8
 * fine entry (and the direct leader's where the policy says so), once per
 * complaint; the evaluation reads these entries. */
int kf_app_complaint_on_close_tx(struct kf_ctx *c, struct kf_db *db, const struct kf_policy *p,
				 const struct kf_ticket *t, struct kf_err *err);
/* K-9: the fine entries of user_id and ticket_id (0: any), by id after
 * after_id, up to limit (*more when there are others). */
int kf_app_sanction_list(struct kf_ctx *c, int64_t user_id, int64_t ticket_id, int64_t after_id,
			 int limit, struct kf_complaint_sanction **items, int *n, bool *more,
			 struct kf_err *err);
json_t *kf_app_sanction_json(const struct kf_complaint_sanction *s);

/* ---- K-8: the monthly review ---- */

struct kf_complaint_review_view {
	char month[8], opens[16], due[16]; /* YYYY-MM; the first day open; the first day late */
	const char *state;		   /* not_open, open, overdue, reviewed */
	struct kf_review_item *items;
	int nitems;
	struct kf_complaint_sanction *sanctions; /* of the listed complaints */
	int nsanctions;
	bool reviewed;
	struct kf_complaint_review review;
};
struct kf_review_input {
	const char *comment;
	struct kf_review_decision *decisions;
	int ndecisions;
};
/* K-8: the complaints closed in month (YYYY-MM), with responsibility and
 * proposed fines, and the review if done. KF_ERULE (K-8) before the month
 * is over. */
int kf_app_complaint_review_get(struct kf_ctx *c, const char *month,
				struct kf_complaint_review_view *out, struct kf_err *err);
/* K-8: records the review of month: one decision for each listed complaint;
 * KF_ECONFLICT once reviewed. */
int kf_app_complaint_review_submit(struct kf_ctx *c, const char *month,
				   const struct kf_review_input *in,
				   struct kf_complaint_review_view *out, struct kf_err *err);
json_t *kf_app_complaint_review_json(const struct kf_complaint_review_view *v);

#endif
