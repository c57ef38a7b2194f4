/* Callbacks (回访) and surveys (SPEC V). Closing a complaint, service or
 * repair ticket creates a callback (V-1) with a single-use survey link for
 * the customer; staff record whether the customer was reached and the
 * four-dimension survey (V-2), or the customer answers it through the link
 * without signing in; a poor rating opens a linked complaint (V-3); the
 * surveys count for the ticket's owner and assignee (V-4). */
#ifndef KF_APP_CALLBACKS_H
#define KF_APP_CALLBACKS_H
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "app/app.h"
#include "rules/survey.h"
#include "store/callbacks.h"

/* ---- the hook for tickets.c, in the transaction of the close ---- */

/* V-1: t has just been closed. Creates its callback unless the type takes
 * none or an earlier one is still open; *issued gets {"id", "due_at",
 * "survey_token", "survey_expires_at"} (the token's only appearance: the
 * store keeps its hash) or NULL when none was created. */
int kf_app_callback_on_close_tx(struct kf_ctx *c, struct kf_db *db, const struct kf_policy *p,
				const struct kf_ticket *t, json_t **issued, struct kf_err *err);

/* V-2: the four ratings as given (API names; NULL when has_survey is
 * false). */
struct kf_survey_input {
	bool has_survey;
	const char *rating[KF_SURVEY_DIMS]; /* attitude, skill, arrival, promise */
	const char *comment;
	/* V-3: a complaint the customer raised during the call (staff results
	 * only, with reached); severity NULL is general. */
	bool has_complaint;
	const char *complaint_summary, *complaint_severity;
};

/* Callbacks of status (due, unreached, done; NULL for all), by id after
 * after_id, up to limit (*more when there are others). */
int kf_app_callback_list(struct kf_ctx *c, const char *status, int64_t after_id, int limit,
			 struct kf_callback **items, int *n, bool *more, struct kf_err *err);
/* V-2, V-3: a staff member's result of callback id. KF_ECONFLICT once the
 * callback is done; the survey only with reached. */
int kf_app_callback_result(struct kf_ctx *c, int64_t id, bool reached,
			   const struct kf_survey_input *in, struct kf_callback *out,
			   struct kf_err *err);
/* V-2: a new survey link for callback id (not done, link not used): a new
 * token valid for the policy's days from now; the old link stops working
 * (answered 410, "replaced"). *token gets the token (its only appearance). */
int kf_app_callback_reissue_link(struct kf_ctx *c, int64_t id, struct kf_callback *out,
				 const char **token, struct kf_err *err);
/* The survey behind a customer's link, without signing in: KF_ENOTFOUND
 * for an unknown token, KF_EGONE for a used or expired one. */
int kf_app_survey_get(struct kf_ctx *c, const char *token, struct kf_callback *out,
		      struct kf_err *err);
/* V-2, V-3: the customer's answer through the link; the link is then used. */
int kf_app_survey_answer(struct kf_ctx *c, const char *token, const struct kf_survey_input *in,
			 struct kf_callback *out, struct kf_err *err);

json_t *kf_app_callback_json(const struct kf_callback *cb);
/* What the customer sees: no ids of staff, no customer data. */
json_t *kf_app_survey_public_json(const struct kf_callback *cb);

#endif
