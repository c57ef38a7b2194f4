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

#endif
