/* Customer portal accounts and their sessions (S-4, S-1), both engines.
 * Kept apart from staff users and sessions: nothing here is ever read by the
 * staff sign-in or session lookup, and nothing there by these. Strings read
 * from the store are allocated in the caller's arena. Functions return 0 or
 * a negative kf_errcode (KF_ENOTFOUND when there is no such row,
 * KF_ECONFLICT when the customer already has an account or the phone is
 * taken). */
#ifndef KF_STORE_PORTAL_H
#define KF_STORE_PORTAL_H
#include <stdbool.h>
#include <stdint.h>
#include "store/store.h"
#include "util/arena.h"

struct kf_portal_account {
	int64_t id, customer_id;
	const char *phone;	   /* sign-in name: digits, a leading '+' kept */
	const char *password_hash; /* argon2id; read only by the sign-in lookup */
	bool active;
	int64_t created_by; /* the staff member who issued it; 0: self-registered */
	int64_t created_at, updated_at, version;
	/* Read with the account, for display. */
	const char *customer_name;
};

int kf_store_portal_account_insert(struct kf_db *db, struct kf_portal_account *a,
				   struct kf_err *err);
/* By sign-in phone, with the password hash (for sign-in only). */
int kf_store_portal_account_by_phone(struct kf_db *db, const char *phone, struct kf_arena *a,
				     struct kf_portal_account *out, struct kf_err *err);
/* The account of a customer record, without the password hash. */
int kf_store_portal_account_by_customer(struct kf_db *db, int64_t customer_id, struct kf_arena *a,
					struct kf_portal_account *out, struct kf_err *err);

struct kf_portal_session {
	int64_t id, account_id;
	const char *csrf_hash;
	int64_t created_at, expires_at, last_seen_at;
};
int kf_store_portal_session_insert(struct kf_db *db, const char *token_hash, const char *csrf_hash,
				   int64_t account_id, int64_t now, int64_t expires_at,
				   const char *ip, const char *user_agent, int64_t *id,
				   struct kf_err *err);
/* The live session of token_hash (not revoked, not expired at now, idle no
 * longer than idle_ms when idle_ms > 0) of an active account, with the
 * account (no password hash); KF_EUNAUTH if there is none. */
int kf_store_portal_session_lookup(struct kf_db *db, const char *token_hash, int64_t now,
				   int64_t idle_ms, struct kf_arena *a, struct kf_portal_session *s,
				   struct kf_portal_account *acct, struct kf_err *err);
int kf_store_portal_session_touch(struct kf_db *db, int64_t id, int64_t now, struct kf_err *err);
int kf_store_portal_session_revoke(struct kf_db *db, int64_t id, int64_t now, struct kf_err *err);

#endif
