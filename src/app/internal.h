/* Functions shared between the files of app/ and nobody else. */
#ifndef KF_APP_INTERNAL_H
#define KF_APP_INTERNAL_H
#include "app/app.h"

/* Writes policy version 1 (the shipped default) unless it exists. */
int kf_app_policy_seed(struct kf_app *app, struct kf_err *err);

/* Registers a ticket inside the caller's write transaction on db (K-6: a
 * refused resolution opens a linked complaint in the transaction that
 * records the refusal); type and channel must be valid. *id gets the new
 * ticket's id. */
int kf_app_ticket_register_tx(struct kf_ctx *c, struct kf_db *db, const struct kf_ticket_input *in,
			      int64_t *id, struct kf_err *err);

/* A timeline event of a ticket and its audit entry ("ticket.<kind>", with
 * the number added to detail), in the caller's transaction: how every
 * change of a ticket is recorded. detail is stolen (NULL for none). */
int kf_app_ticket_record(struct kf_ctx *c, struct kf_db *db, int64_t ticket_id, const char *number,
			 const char *kind, bool internal, const char *body, json_t *detail,
			 struct kf_err *err);

/* JSON values as the API writes them: an id as a decimal string (null for
 * 0), a string or null, an instant in RFC 3339 local time (null for 0). */
json_t *kf_app_json_id(int64_t id);
json_t *kf_app_json_str(const char *s);
json_t *kf_app_json_instant(int64_t ms);

#endif
