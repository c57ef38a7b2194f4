/* The application layer: one function per thing a person does. Each use case
 * checks permission with the role table (rules/roles.h), opens at most one
 * transaction, applies the rules, writes through the store and appends the
 * audit entries in that same transaction, so it commits whole or leaves
 * nothing behind.
 *
 * A struct kf_ctx carries what every use case needs: the app, who is acting,
 * the arena for results, "now" (from the clock, so tests move time), and the
 * client's address and request id for the audit log. The HTTP layer and the
 * CLI build one per request or command. */
#ifndef KF_APP_APP_H
#define KF_APP_APP_H
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "rules/policy.h"
#include "rules/roles.h"
#include "store/records.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/err.h"

struct kf_app {
	struct kf_store *store;
	pthread_mutex_t mu;
	/* The policy version in force, re-read from the store at most once a
	 * second so that all nodes agree within a second of a change. */
	struct kf_policy *current;
	int64_t current_version;
	int64_t current_checked_at;
	/* Parsed versions by number, for events judged by an older version. */
	struct kf_policy *cache[8];
	int64_t cache_version[8];
	int cache_next;
	/* Installation secret (signs list cursors), loaded by kf_app_open. */
	char secret[72];
};

struct kf_actor {
	int64_t user_id; /* 0: nobody signed in (or the operator at the CLI) */
	const char *login;
	const char *name;
	enum kf_role role;
	const char *level;
	int64_t team_id;
	int64_t session_id;
	bool operator; /* the CLI on the server itself: may do anything */
};

struct kf_ctx {
	struct kf_app *app;
	struct kf_actor actor;
	struct kf_arena *arena;
	int64_t now;
	const char *ip;
	const char *request_id;
	const char *user_agent;
	struct kf_db *db;	  /* taken lazily by kf_ctx_db */
	struct kf_policy *policy; /* in force at now, taken lazily */
};

int kf_app_init(struct kf_app *app, struct kf_store *store);
/* Loads what a serving app needs from the store (the installation secret);
 * KF_ECONFLICT if the store was never initialised or is not at this binary's
 * schema version. */
int kf_app_open(struct kf_app *app, struct kf_err *err);
/* kefu init: migrates, writes policy version 1 and the installation secret
 * where missing. */
int kf_app_bootstrap(struct kf_app *app, int *from, int *to, struct kf_err *err);
void kf_app_release(struct kf_app *app);

/* A context for one request or command; release gives back the connection
 * (rolling back an unfinished transaction) and the policy reference. */
void kf_ctx_init(struct kf_ctx *c, struct kf_app *app, struct kf_arena *arena);
void kf_ctx_release(struct kf_ctx *c);
int kf_ctx_db(struct kf_ctx *c, struct kf_db **db, struct kf_err *err);
/* The policy in force at c->now (borrowed for the life of c). */
int kf_ctx_policy(struct kf_ctx *c, const struct kf_policy **p, struct kf_err *err);
/* The policy in force at instant t (P-1: an event is judged by the rules of
 * its time). The caller gets a reference to unref. */
int kf_app_policy_at(struct kf_app *app, struct kf_db *db, int64_t t, struct kf_policy **out,
		     struct kf_err *err);
/* KF_EFORBIDDEN unless the actor's role holds perm (or the actor is the
 * operator). */
int kf_ctx_require(const struct kf_ctx *c, enum kf_perm perm, struct kf_err *err);

/* Appends an audit entry in the caller's transaction (S-3). detail is a JSON
 * object (stolen; NULL for none). */
int kf_app_audit(struct kf_ctx *c, struct kf_db *db, const char *action, const char *target_type,
		 const char *target_id, json_t *detail, struct kf_err *err);

/* ---- accounts (R-1, S-1) ---- */

struct kf_login_result {
	const char *token; /* give to the client once; the store keeps its hash */
	const char *csrf_token;
	int64_t expires_at;
	struct kf_user user;
};
/* Signs in. Wrong login or password is KF_EUNAUTH with one message for both;
 * throttled or locked is KF_ETOOMANY with err->retry_after. Every attempt
 * that is judged is audited. */
int kf_app_login(struct kf_ctx *c, const char *login, const char *password,
		 struct kf_login_result *out, struct kf_err *err);
/* Resolves a session token into c->actor. When csrf is not NULL it must match
 * the session's CSRF token (cookie sessions on unsafe methods). */
int kf_app_authenticate(struct kf_ctx *c, const char *token, const char *csrf, bool need_csrf,
			struct kf_err *err);
int kf_app_logout(struct kf_ctx *c, struct kf_err *err);
int kf_app_change_password(struct kf_ctx *c, const char *current, const char *next,
			   struct kf_err *err);

struct kf_user_input {
	const char *login, *name, *password, *role, *level, *hired_on;
	int64_t team_id;
	bool has_level, has_team, has_hired_on, has_name, has_role, has_password, has_active;
	bool active;
	int64_t version; /* for updates; 0 to skip the check */
};
/* The signed-in person's own record. */
int kf_app_me(struct kf_ctx *c, struct kf_user *out, struct kf_err *err);
int kf_app_user_create(struct kf_ctx *c, const struct kf_user_input *in, struct kf_user *out,
		       struct kf_err *err);
int kf_app_user_get(struct kf_ctx *c, int64_t id, struct kf_user *out, struct kf_err *err);
int kf_app_user_list(struct kf_ctx *c, int64_t after_id, int limit, struct kf_user **items, int *n,
		     struct kf_err *err);
int kf_app_user_update(struct kf_ctx *c, int64_t id, const struct kf_user_input *in,
		       struct kf_user *out, struct kf_err *err);
/* The user as the API shows it (never the password hash). */
json_t *kf_app_user_json(const struct kf_user *u);

int kf_app_team_create(struct kf_ctx *c, const char *name, struct kf_team *out, struct kf_err *err);
int kf_app_team_list(struct kf_ctx *c, int64_t after_id, int limit, struct kf_team **items, int *n,
		     struct kf_err *err);
json_t *kf_app_team_json(const struct kf_team *t);

/* ---- audit (S-3) ---- */
int kf_app_audit_list(struct kf_ctx *c, const struct kf_audit_filter *f,
		      struct kf_audit_entry **items, int *n, struct kf_err *err);
int kf_app_audit_verify(struct kf_ctx *c, struct kf_audit_check *out, struct kf_err *err);
json_t *kf_app_audit_json(const struct kf_audit_entry *e);

/* ---- policy (P-1) ---- */
/* Stores a new version after validating it; effective_from < 0 means now. */
int kf_app_policy_publish(struct kf_ctx *c, const char *document, const char *reason,
			  int64_t effective_from, struct kf_policy_version *out,
			  struct kf_err *err);
int kf_app_policy_current(struct kf_ctx *c, struct kf_policy_version *out, struct kf_err *err);
int kf_app_policy_version_get(struct kf_ctx *c, int64_t version, struct kf_policy_version *out,
			      struct kf_err *err);
int kf_app_policy_versions(struct kf_ctx *c, int64_t before, int limit,
			   struct kf_policy_version **items, int *n, struct kf_err *err);
/* Checks a document as PUT /policy would, without storing it; also checks
 * what the pure validator cannot (the time zone exists on this system). */
int kf_app_policy_check(const char *document, size_t len, struct kf_policy **out,
			struct kf_err *err);

/* ---- demo data ---- */
extern const char kf_demo_password[];
/* Loads the demo department (kefu demo); *already is set, and nothing is
 * done, when it was loaded before. */
int kf_app_demo_load(struct kf_ctx *c, bool *already, struct kf_err *err);

#endif
