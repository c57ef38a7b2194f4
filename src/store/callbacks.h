/* SQL for callbacks (回访) and their surveys (SPEC V), both engines. Strings
 * read from the store are allocated in the caller's arena. Functions return
 * 0 or a negative kf_errcode (KF_ENOTFOUND when there is no such row). */
#ifndef KF_STORE_CALLBACKS_H
#define KF_STORE_CALLBACKS_H
#include <stdbool.h>
#include <stdint.h>
#include "store/store.h"
#include "util/arena.h"

struct kf_callback {
	int64_t id, ticket_id;
	const char *status; /* due, unreached, done */
	int64_t due_at;
	int64_t agent_id,
	    assignee_id;	/* the ticket's owner; its assignee, 0 if none or the owner */
	const char *token_hash; /* SHA-256 hex of the survey token; written, never read */
	int64_t token_expires_at, token_used_at;
	int64_t created_at;
	int64_t called_by, called_at; /* the last staff result; 0 if none */
	bool has_reached, reached;
	const char *answered_via; /* staff, link; NULL until a survey */
	int64_t done_at;
	const char *rating[4]; /* attitude, skill, arrival, promise; NULL until a survey */
	int score;	       /* 4 … 16, 0 until a survey */
	const char *comment;
	int64_t follow_up_ticket_id; /* V-3: the complaint a poor rating opened */
	/* Read with the callback, for display. */
	const char *ticket_number, *ticket_type, *ticket_subject;
};

int kf_store_callback_insert(struct kf_db *db, struct kf_callback *cb, struct kf_err *err);
int kf_store_callback_get(struct kf_db *db, int64_t id, struct kf_arena *a, struct kf_callback *out,
			  struct kf_err *err);
int kf_store_callback_by_token(struct kf_db *db, const char *token_hash, struct kf_arena *a,
			       struct kf_callback *out, struct kf_err *err);
/* The callbacks of status (NULL: all), ordered by id, after after_id; up to
 * limit + 1 so that the caller sees whether there are more. due_before > 0
 * keeps those due before it. */
int kf_store_callback_list(struct kf_db *db, const char *status, int64_t due_before,
			   int64_t after_id, int limit, struct kf_arena *a,
			   struct kf_callback **items, int *n, struct kf_err *err);
/* Whether ticket_id has a callback not yet done. */
int kf_store_callback_open_exists(struct kf_db *db, int64_t ticket_id, bool *exists,
				  struct kf_err *err);
/* Writes the result fields and status of cb if its status in the store is
 * still from_status and its token unused; *changed tells. */
int kf_store_callback_update(struct kf_db *db, const struct kf_callback *cb,
			     const char *from_status, bool *changed, struct kf_err *err);

/* V-2: replaces the survey link of callback id (not done, link unused) by
 * token_hash expiring at expires_at; the old hash is kept as retired.
 * *changed is false when the callback is done or its link used. */
int kf_store_callback_reissue(struct kf_db *db, int64_t id, const char *token_hash,
			      int64_t expires_at, int64_t at, bool *changed, struct kf_err *err);
/* Whether token_hash is of a link replaced by a newer one. */
int kf_store_survey_link_retired(struct kf_db *db, const char *token_hash, bool *retired,
				 struct kf_err *err);

/* V-4: one person's surveys in a period. */
struct kf_callback_tally {
	int64_t user_id;
	int64_t surveys, poor; /* surveys answered; those with a poor rating */
	int64_t score_sum;     /* sum of the surveys' scores (4 … 16 each) */
};
/* Surveys answered in [from, to) credited to each agent or assignee of the
 * ticket and to the technician who completed its service voucher (D-2), by
 * user id; a person in two of these roles is credited once. */
int kf_store_callback_tally(struct kf_db *db, int64_t from, int64_t to, struct kf_arena *a,
			    struct kf_callback_tally **items, int *n, struct kf_err *err);

#endif
