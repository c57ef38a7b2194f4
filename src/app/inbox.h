/* A person's inbox (K-2: major and crisis complaints reach the manager and
 * the VP at once, and stay there until read). Any use case may post to it in
 * its own transaction; each post also raises an "inbox.new" event on the
 * recipients' streams (GET /api/v1/events) so that consoles update live. */
#ifndef KF_APP_INBOX_H
#define KF_APP_INBOX_H
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "app/app.h"
#include "store/inbox.h"

/* Posts a notification of kind about ticket_id (0: none) to users (n ids,
 * zeros skipped) and to every active user of roles (NULL-terminated; NULL
 * for none), each person once, in the caller's transaction. payload (a JSON
 * object) is stolen. */
int kf_app_inbox_post(struct kf_ctx *c, struct kf_db *db, const char *kind, int64_t ticket_id,
		      const int64_t *users, int nusers, const char *const *roles, json_t *payload,
		      struct kf_err *err);

/* The caller's notifications, newest first, before before_id (0: from the
 * newest); *unread gets the caller's count of unread ones. */
int kf_app_inbox_list(struct kf_ctx *c, bool unread_only, int64_t before_id, int limit,
		      struct kf_notification **items, int *n, bool *more, int64_t *unread,
		      struct kf_err *err);
/* Marks one of the caller's notifications read (again is no change). */
int kf_app_inbox_read(struct kf_ctx *c, int64_t id, struct kf_notification *out,
		      struct kf_err *err);
json_t *kf_app_notification_json(const struct kf_notification *n);

#endif
