/* A person's inbox (K-2 and any feature that tells someone something that
 * must not be missed): one row per recipient, read or not. Strings read from
 * the store are allocated in the caller's arena. Functions return 0 or a
 * negative kf_errcode (KF_ENOTFOUND when there is no such row). */
#ifndef KF_STORE_INBOX_H
#define KF_STORE_INBOX_H
#include <stdbool.h>
#include <stdint.h>
#include "store/store.h"
#include "util/arena.h"

struct kf_notification {
	int64_t id, recipient_id;
	const char *kind;
	int64_t ticket_id;	     /* 0: none */
	const char *payload;	     /* JSON object text */
	int64_t created_at, read_at; /* read_at 0: unread */
};

int kf_store_notification_insert(struct kf_db *db, struct kf_notification *n, struct kf_err *err);
/* recipient_id's notification id; KF_ENOTFOUND when it is someone else's. */
int kf_store_notification_get(struct kf_db *db, int64_t id, int64_t recipient_id,
			      struct kf_arena *a, struct kf_notification *out, struct kf_err *err);
/* recipient_id's notifications, newest first, id < before_id (0: from the
 * newest), unread ones only if unread_only; up to limit + 1. */
int kf_store_notification_list(struct kf_db *db, int64_t recipient_id, bool unread_only,
			       int64_t before_id, int limit, struct kf_arena *a,
			       struct kf_notification **items, int *n, struct kf_err *err);
int kf_store_notification_unread(struct kf_db *db, int64_t recipient_id, int64_t *count,
				 struct kf_err *err);
/* Sets read_at of an unread notification of recipient_id; *changed tells. */
int kf_store_notification_read(struct kf_db *db, int64_t id, int64_t recipient_id, int64_t at,
			       bool *changed, struct kf_err *err);
/* The ids of the active users of role (its API name), ascending. */
int kf_store_user_ids_by_role(struct kf_db *db, const char *role, struct kf_arena *a, int64_t **ids,
			      int *n, struct kf_err *err);

#endif
