/* Typed access to the records of the base schema: people, teams, sessions,
 * sign-in throttling, the audit chain and policy versions. Strings in records
 * read from the store are allocated in the caller's arena. Functions return 0
 * or a negative kf_errcode (KF_ENOTFOUND when a single record is missing,
 * KF_ECONFLICT for a duplicate or a stale version). */
#ifndef KF_STORE_RECORDS_H
#define KF_STORE_RECORDS_H
#include <stdbool.h>
#include <stdint.h>
#include "rules/throttle.h"
#include "store/store.h"
#include "util/arena.h"

struct kf_user {
	int64_t id;
	const char *login;
	const char *name;
	const char *role;     /* API name (rules/roles.h) */
	const char *level;    /* NULL when the role has none */
	int64_t team_id;      /* 0 for none */
	const char *hired_on; /* YYYY-MM-DD or NULL */
	const char *password_hash;
	bool active;
	int64_t created_at, updated_at, version;
};

int kf_store_user_insert(struct kf_db *db, struct kf_user *u, struct kf_err *err);
int kf_store_user_get(struct kf_db *db, int64_t id, struct kf_arena *a, struct kf_user *out,
		      struct kf_err *err);
int kf_store_user_by_login(struct kf_db *db, const char *login, struct kf_arena *a,
			   struct kf_user *out, struct kf_err *err);
/* Users with id > after_id in id order, at most limit; *n gets the count. */
int kf_store_user_list(struct kf_db *db, int64_t after_id, int limit, struct kf_arena *a,
		       struct kf_user **items, int *n, struct kf_err *err);
/* Writes every field of u if the stored version is still u->version, and
 * increments u->version. */
int kf_store_user_update(struct kf_db *db, struct kf_user *u, struct kf_err *err);
int kf_store_user_count(struct kf_db *db, int64_t *n, struct kf_err *err);

struct kf_team {
	int64_t id;
	const char *name;
	int64_t created_at, version;
};

int kf_store_team_insert(struct kf_db *db, struct kf_team *t, struct kf_err *err);
int kf_store_team_get(struct kf_db *db, int64_t id, struct kf_arena *a, struct kf_team *out,
		      struct kf_err *err);
int kf_store_team_by_name(struct kf_db *db, const char *name, struct kf_arena *a,
			  struct kf_team *out, struct kf_err *err);
int kf_store_team_list(struct kf_db *db, int64_t after_id, int limit, struct kf_arena *a,
		       struct kf_team **items, int *n, struct kf_err *err);

struct kf_session {
	int64_t id;
	int64_t user_id;
	const char *csrf_hash;
	int64_t created_at, expires_at, last_seen_at;
};

int kf_store_session_insert(struct kf_db *db, const char *token_hash, const char *csrf_hash,
			    int64_t user_id, int64_t now, int64_t expires_at, const char *ip,
			    const char *user_agent, int64_t *id, struct kf_err *err);
/* The live session (not revoked, not expired at now, idle no longer than
 * idle_ms when idle_ms > 0) with this token hash and its active user. */
int kf_store_session_lookup(struct kf_db *db, const char *token_hash, int64_t now, int64_t idle_ms,
			    struct kf_arena *a, struct kf_session *s, struct kf_user *u,
			    struct kf_err *err);
/* Whether session id is still live at now (not revoked or expired, its
 * user active). */
int kf_store_session_live(struct kf_db *db, int64_t id, int64_t now, bool *live,
			  struct kf_err *err);
int kf_store_session_touch(struct kf_db *db, int64_t id, int64_t now, struct kf_err *err);
int kf_store_session_revoke(struct kf_db *db, int64_t id, int64_t now, struct kf_err *err);
/* Ends every live session of the user except except_id (0 for none). */
int kf_store_session_revoke_user(struct kf_db *db, int64_t user_id, int64_t except_id, int64_t now,
				 struct kf_err *err);

/* A key never seen reads as all zero. */
int kf_store_throttle_get(struct kf_db *db, const char *key, struct kf_throttle_row *row,
			  struct kf_err *err);
int kf_store_throttle_put(struct kf_db *db, const char *key, const struct kf_throttle_row *row,
			  struct kf_err *err);
int kf_store_throttle_clear(struct kf_db *db, const char *key, struct kf_err *err);

struct kf_audit_entry {
	int64_t seq, at, actor_id; /* actor_id 0: the system or an anonymous caller */
	const char *actor_login, *action, *target_type, *target_id;
	const char *detail; /* JSON object text */
	const char *ip, *request_id;
	const char *prev_hash, *hash;
};

/* Appends e at the head of the chain (S-3), filling seq, prev_hash and hash.
 * Must run inside a transaction: the head row orders concurrent appends. */
int kf_store_audit_append(struct kf_db *db, struct kf_audit_entry *e, struct kf_arena *a,
			  struct kf_err *err);
struct kf_audit_filter {
	int64_t since;	    /* at >= since; 0 for all */
	int64_t actor_id;   /* 0 for all */
	const char *action; /* NULL for all */
	int64_t after_seq;
	int limit;
};
int kf_store_audit_list(struct kf_db *db, const struct kf_audit_filter *f, struct kf_arena *a,
			struct kf_audit_entry **items, int *n, struct kf_err *err);

struct kf_audit_check {
	bool ok;
	int64_t entries;
	int64_t broken_seq; /* first entry found wrong, 0 when ok */
	char reason[160];
};
/* Walks the whole chain recomputing every hash. */
int kf_store_audit_verify(struct kf_db *db, struct kf_audit_check *out, struct kf_err *err);

struct kf_policy_version {
	int64_t id;
	int64_t version;
	const char *document;
	int64_t author_id;
	const char *author_login;
	const char *reason;
	int64_t created_at, effective_from;
};

/* Inserts a new version numbered one past the highest; sets v->version. */
int kf_store_policy_insert(struct kf_db *db, struct kf_policy_version *v, struct kf_err *err);
/* The version in force at t: the greatest (effective_from, version) with
 * effective_from <= t. KF_ENOTFOUND if none. */
int kf_store_policy_at(struct kf_db *db, int64_t t, struct kf_arena *a,
		       struct kf_policy_version *out, struct kf_err *err);
/* Only the number of the version in force at instant t (KF_ENOTFOUND if
 * none): cheap, for callers that keep parsed versions. */
int kf_store_policy_version_at(struct kf_db *db, int64_t t, int64_t *version, struct kf_err *err);
int kf_store_policy_get(struct kf_db *db, int64_t version, struct kf_arena *a,
			struct kf_policy_version *out, struct kf_err *err);
/* Newest first, documents not loaded. */
int kf_store_policy_list(struct kf_db *db, int64_t before_version, int limit, struct kf_arena *a,
			 struct kf_policy_version **items, int *n, struct kf_err *err);

/* Installation settings. get: KF_ENOTFOUND if absent. put_new: inserts
 * unless the key exists (then leaves it). */
int kf_store_setting_get(struct kf_db *db, const char *key, struct kf_arena *a, const char **value,
			 struct kf_err *err);
int kf_store_setting_put_new(struct kf_db *db, const char *key, const char *value,
			     struct kf_err *err);

#endif
