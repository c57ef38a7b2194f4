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

/* T-7: a message from the customer (the portal) on ticket t, read in the
 * caller's write transaction: a "customer_reply" timeline entry (never
 * internal) and its audit entry with detail (stolen); a ticket waiting for
 * the customer goes back to in_progress and a resolved one is reopened
 * (T-6, L-5); a closed one refuses (KF_ECONFLICT, T-6). t is updated. */
int kf_app_ticket_customer_message_tx(struct kf_ctx *c, struct kf_db *db, struct kf_ticket *t,
				      const char *body, json_t *detail, struct kf_ticket_event *out,
				      struct kf_err *err);

/* A phone number as the store keeps it (its digits, a leading '+' kept; C-1);
 * KF_EINVALID naming field when it is not one. */
int kf_app_phone_normalise(struct kf_ctx *c, const char *field, const char *s, const char **out,
			   struct kf_err *err);

/* JSON values as the API writes them: an id as a decimal string (null for
 * 0), a string or null, an instant in RFC 3339 local time (null for 0). */
json_t *kf_app_json_id(int64_t id);
json_t *kf_app_json_str(const char *s);
json_t *kf_app_json_instant(int64_t ms);

/* ---- sign-in shared by staff (auth.c) and customers (portal.c), S-1 ---- */

#include "rules/throttle.h"
#include "util/crypto.h"

/* Throttling state of one sign-in attempt. */
struct kf_signin {
	struct kf_throttle_limits acct, addr;
	const char *acct_key, *addr_key;
	bool locked; /* the account became locked by this attempt */
};
/* Refuses a throttled or locked account or address (KF_ETOOMANY with
 * retry_after) and counts the attempt as a failure of the account until
 * it succeeds, in a transaction of its own. addr_prefix names the address
 * budget ("address" for staff, "portal-address" for customers: failures of
 * one never lock the other out); account_key names the account
 * ("account:<login>", "portal:<phone>"); shown is what the log names (no
 * unmasked customer phone, S-3). */
int kf_app_signin_begin(struct kf_ctx *c, struct kf_db *db, const char *addr_prefix,
			const char *account_key, const char *shown, struct kf_signin *st,
			struct kf_err *err);
/* Counts one attempt of what (e.g. "signup") from the client address, in a
 * transaction of its own; after the policy's
 * security.login_throttle.lock_address_after_failures attempts within its
 * window the address is locked for lock_minutes (KF_ETOOMANY with
 * retry_after). For costly actions open to anyone. */
int kf_app_throttle_address(struct kf_ctx *c, struct kf_db *db, const char *what,
			    struct kf_err *err);
/* Verifies password against hash, or against a dummy hash when hash is NULL
 * (unknown or inactive account: the same time, always false). */
bool kf_app_signin_verify(const char *hash, const char *password);
/* A failed attempt: counts it against the client address, audits action
 * with detail (stolen; "locked" is added) and returns KF_EUNAUTH with the
 * one message for a wrong name and a wrong password. */
int kf_app_signin_failed(struct kf_ctx *c, struct kf_db *db, struct kf_signin *st,
			 const char *action, const char *target_type, const char *target_id,
			 json_t *detail, struct kf_err *err);

/* A new session's token and CSRF token (256-bit random) and their SHA-256,
 * which is all the store keeps. */
struct kf_session_tokens {
	char token[KF_TOKEN_LEN + 1], csrf[KF_TOKEN_LEN + 1];
	char token_hash[KF_SHA256_HEX_LEN + 1], csrf_hash[KF_SHA256_HEX_LEN + 1];
};
void kf_app_session_tokens(struct kf_session_tokens *t);
/* The first steps of resolving a session token (staff or portal): refuses
 * a missing or malformed token (KF_EUNAUTH), takes the connection with a
 * read snapshot, and gives the token's SHA-256 and the policy's idle time. */
int kf_app_session_lookup_begin(struct kf_ctx *c, const char *token, struct kf_db **db,
				char hash[KF_SHA256_HEX_LEN + 1], int64_t *idle_ms,
				struct kf_err *err);
/* S-1: checks password against the rules (login: the sign-in name) and
 * hashes it with argon2id into the arena. */
int kf_app_password_hash(struct kf_ctx *c, const char *password, const char *login,
			 const char **out, struct kf_err *err);
/* KF_EFORBIDDEN unless csrf is given and its SHA-256 is csrf_hash. */
int kf_app_check_csrf(const char *csrf, const char *csrf_hash, struct kf_err *err);

#endif
