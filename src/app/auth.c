/* Sign-in, sessions and passwords (R-1, S-1). Session and CSRF tokens are
 * 256-bit random values; the store keeps only their SHA-256. Passwords are
 * argon2id hashes, verified outside any transaction so that a slow hash never
 * holds the store's write lock. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/app.h"
#include "app/attendance.h"
#include "app/auth_cache.h"
#include "app/internal.h"
#include "rules/password.h"
#include "rules/throttle.h"
#include "util/crypto.h"
#include "util/log.h"

/* Verifying against this hash when the login is unknown makes a wrong login
 * cost as much time as a wrong password. */
static char dummy[160];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
	char pw[33];
	kf_crypto_random_hex(pw, 16);
	if (kf_crypto_password_hash(pw, dummy, sizeof dummy) != 0)
		dummy[0] = '\0';
}

static void limits(const struct kf_policy *p, const char *lock_key, struct kf_throttle_limits *l)
{
	l->slow_after = kf_policy_int(p, "security.login_throttle.slow_down_after_failures");
	l->slow_ms = kf_policy_int(p, "security.login_throttle.slow_down_seconds") * 1000;
	l->lock_after = kf_policy_int(p, lock_key);
	l->lock_ms = kf_policy_int(p, "security.login_throttle.lock_minutes") * 60000;
	l->window_ms = kf_policy_int(p, "security.login_throttle.failure_window_minutes") * 60000;
}

static int throttled(struct kf_db *db, const char *key, const struct kf_throttle_limits *l,
		     int64_t now, struct kf_err *err)
{
	struct kf_throttle_row row;
	int rc = kf_store_throttle_get(db, key, &row, err);
	if (rc)
		return rc;
	int64_t wait = kf_throttle_wait_ms(&row, l, now);
	if (wait > 0) {
		rc = kf_err_set(err, KF_ETOOMANY,
				"too many failed sign-ins; try again in %lld seconds",
				(long long)((wait + 999) / 1000));
		err->retry_after = (int)((wait + 999) / 1000);
		return rc;
	}
	return 0;
}

static int record_failure(struct kf_db *db, const char *key, const struct kf_throttle_limits *l,
			  int64_t now, bool *locked, struct kf_err *err)
{
	struct kf_throttle_row row;
	int rc = kf_store_throttle_get(db, key, &row, err);
	if (rc)
		return rc;
	kf_throttle_fail(&row, l, now);
	*locked = row.locked_until > now;
	return kf_store_throttle_put(db, key, &row, err);
}

void kf_app_session_tokens(struct kf_session_tokens *t)
{
	kf_crypto_token(t->token);
	kf_crypto_token(t->csrf);
	kf_crypto_sha256_hex(t->token, strlen(t->token), t->token_hash);
	kf_crypto_sha256_hex(t->csrf, strlen(t->csrf), t->csrf_hash);
}

/* The token's hash and the policy's idle limit, without the store. */
static int token_hash(struct kf_ctx *c, const char *token, char hash[KF_SHA256_HEX_LEN + 1],
		      int64_t *idle_ms, struct kf_err *err)
{
	const struct kf_policy *pol;
	int rc;
	if (!token || !*token)
		return kf_err_set(err, KF_EUNAUTH, "sign in first (no session token)");
	if (strlen(token) != KF_TOKEN_LEN)
		return kf_err_set(err, KF_EUNAUTH, "session token is not valid");
	if ((rc = kf_ctx_policy(c, &pol, err)))
		return rc;
	kf_crypto_token_hash_hex(token, hash);
	*idle_ms = kf_policy_int(pol, "security.session.idle_minutes") * 60000;
	return 0;
}

int kf_app_session_lookup_begin(struct kf_ctx *c, const char *token, struct kf_db **db,
				char hash[KF_SHA256_HEX_LEN + 1], int64_t *idle_ms,
				struct kf_err *err)
{
	int rc = token_hash(c, token, hash, idle_ms, err);
	/* The session and what the request then reads share one snapshot
	 * (a use case that writes ends it with kf_db_begin). */
	return rc ? rc : kf_ctx_db_read(c, db, err);
}

int kf_app_password_hash(struct kf_ctx *c, const char *password, const char *login,
			 const char **out, struct kf_err *err)
{
	const struct kf_policy *pol;
	int rc;
	if ((rc = kf_ctx_policy(c, &pol, err)) ||
	    (rc = kf_password_check(password, login,
				    kf_policy_int(pol, "security.password.min_length"), err)))
		return rc;
	char *hash = kf_arena_alloc(c->arena, 160);
	if (kf_crypto_password_hash(password, hash, 160) != 0)
		return kf_err_set(err, KF_EINTERNAL, "cannot hash the password");
	*out = hash;
	return 0;
}

int kf_app_check_csrf(const char *csrf, const char *csrf_hash, struct kf_err *err)
{
	char h[KF_SHA256_HEX_LEN + 1];
	if (!csrf || !*csrf)
		return kf_err_set(err, KF_EFORBIDDEN,
				  "X-CSRF-Token header is required with cookie sign-in");
	kf_crypto_sha256_hex(csrf, strlen(csrf), h);
	if (!kf_crypto_streq(h, csrf_hash))
		return kf_err_set(err, KF_EFORBIDDEN, "X-CSRF-Token does not match");
	return 0;
}

int kf_app_signin_begin(struct kf_ctx *c, struct kf_db *db, const char *addr_prefix,
			const char *account_key, const char *shown, struct kf_signin *st,
			struct kf_err *err)
{
	const struct kf_policy *pol;
	int rc;
	if ((rc = kf_ctx_policy(c, &pol, err)))
		return rc;
	limits(pol, "security.login_throttle.lock_account_after_failures", &st->acct);
	limits(pol, "security.login_throttle.lock_address_after_failures", &st->addr);
	/* Many people share an office address: it is only locked, not slowed. */
	st->addr.slow_after = st->addr.lock_after;
	st->acct_key = account_key;
	st->addr_key = kf_arena_printf(c->arena, "%s:%s", addr_prefix, c->ip ? c->ip : "-");
	st->locked = false;
	/* The attempt counts as a failure of the account before the slow hash
	 * runs (a right password clears it), so that parallel guesses see each
	 * other and are slowed down as sequential ones are. The write lock (or,
	 * on PostgreSQL, the lock every write transaction takes first) orders
	 * concurrent attempts. */
	if ((rc = kf_db_begin(db, err)) ||
	    (rc = throttled(db, st->acct_key, &st->acct, c->now, err)) ||
	    (rc = throttled(db, st->addr_key, &st->addr, c->now, err)) ||
	    (rc = record_failure(db, st->acct_key, &st->acct, c->now, &st->locked, err)) ||
	    (rc = kf_db_commit(db, err))) {
		kf_db_rollback(db);
		if (rc == KF_ETOOMANY)
			kf_log_warn("sign-in refused while throttled: %s", shown);
		return rc;
	}
	return 0;
}

int kf_app_throttle_address(struct kf_ctx *c, struct kf_db *db, const char *what,
			    struct kf_err *err)
{
	const struct kf_policy *pol;
	struct kf_throttle_limits l;
	bool locked;
	int rc;
	if ((rc = kf_ctx_policy(c, &pol, err)))
		return rc;
	limits(pol, "security.login_throttle.lock_address_after_failures", &l);
	l.slow_after = l.lock_after;
	const char *key = kf_arena_printf(c->arena, "%s:%s", what, c->ip ? c->ip : "-");
	if ((rc = kf_db_begin(db, err)) || (rc = throttled(db, key, &l, c->now, err)) ||
	    (rc = record_failure(db, key, &l, c->now, &locked, err)) ||
	    (rc = kf_db_commit(db, err))) {
		kf_db_rollback(db);
		return rc;
	}
	return 0;
}

bool kf_app_signin_verify(const char *hash, const char *password)
{
	if (hash)
		return kf_crypto_password_verify(hash, password);
	pthread_once(&dummy_once, make_dummy);
	kf_crypto_password_verify(dummy, password);
	return false;
}

int kf_app_signin_failed(struct kf_ctx *c, struct kf_db *db, struct kf_signin *st,
			 const char *action, const char *target_type, const char *target_id,
			 json_t *detail, struct kf_err *err)
{
	bool locked = false;
	int rc;
	if ((rc = kf_db_begin(db, err)) ||
	    (rc = record_failure(db, st->addr_key, &st->addr, c->now, &locked, err))) {
		json_decref(detail);
		return rc;
	}
	json_object_set_new(detail, "locked", json_boolean(st->locked || locked));
	if ((rc = kf_app_audit(c, db, action, target_type, target_id, detail, err)) ||
	    (rc = kf_db_commit(db, err)))
		return rc;
	return kf_err_set(err, KF_EUNAUTH, "wrong login or password");
}

int kf_app_login(struct kf_ctx *c, const char *login, const char *password,
		 struct kf_login_result *out, struct kf_err *err)
{
	const struct kf_policy *pol;
	struct kf_db *db;
	struct kf_signin st;
	int rc;
	const char *key = kf_arena_printf(c->arena, "account:%s", login);
	if ((rc = kf_ctx_policy(c, &pol, err)) || (rc = kf_ctx_db(c, &db, err)) ||
	    (rc = kf_app_signin_begin(c, db, "address", key, key, &st, err)))
		return rc;

	struct kf_user u;
	struct kf_err lookup;
	rc = kf_store_user_by_login(db, login, c->arena, &u, &lookup);
	if (rc && rc != KF_ENOTFOUND)
		return kf_err_set(err, rc, "%s", lookup.message);
	bool known = rc == 0;
	if (!known)
		memset(&u, 0, sizeof u);
	bool ok = kf_app_signin_verify(known && u.active ? u.password_hash : NULL, password);
	if (!ok)
		return kf_app_signin_failed(
		    c, db, &st, "auth.login_failed", "user",
		    u.id ? kf_arena_printf(c->arena, "%lld", (long long)u.id) : NULL,
		    json_pack("{s:s, s:s}", "login", login, "reason",
			      known && !u.active ? "inactive" : "bad_credentials"),
		    err);
	if ((rc = kf_db_begin(db, err)))
		return rc;
	/* S-2: staff sign in only on shift (a right password clears the
	 * failure count either way); a refusal is audited. */
	const char *refusal;
	json_t *why;
	if ((rc = kf_app_sign_in_gate(c, db, pol, &u, &refusal, &why, err)))
		return rc;
	if (refusal) {
		if ((rc = kf_store_throttle_clear(db, st.acct_key, err)) ||
		    (rc = kf_app_audit(c, db, "auth.login_refused", "user",
				       kf_arena_printf(c->arena, "%lld", (long long)u.id), why,
				       err)) ||
		    (rc = kf_db_commit(db, err)))
			return rc;
		return kf_err_rule(err, KF_EFORBIDDEN, "S-2", "%s", refusal);
	}
	struct kf_session_tokens tk;
	kf_app_session_tokens(&tk);
	int64_t expires = c->now + kf_policy_int(pol, "security.session.lifetime_hours") * 3600000;
	int64_t sid;
	if ((rc = kf_store_throttle_clear(db, st.acct_key, err)) ||
	    (rc = kf_store_session_insert(db, tk.token_hash, tk.csrf_hash, u.id, c->now, expires,
					  c->ip, c->user_agent, &sid, err)))
		return rc;
	c->actor.user_id = u.id;
	c->actor.login = u.login;
	c->actor.name = u.name;
	c->actor.role = kf_role_parse(u.role);
	c->actor.session_id = sid;
	json_t *d = json_pack("{s:I}", "session_id", (json_int_t)sid);
	if ((rc = kf_app_audit(c, db, "auth.login", "user",
			       kf_arena_printf(c->arena, "%lld", (long long)u.id), d, err)) ||
	    (rc = kf_db_commit(db, err)))
		return rc;
	u.password_hash = NULL;
	out->token = kf_arena_strdup(c->arena, tk.token);
	out->csrf_token = kf_arena_strdup(c->arena, tk.csrf);
	out->expires_at = expires;
	out->user = u;
	return 0;
}

int kf_app_authenticate(struct kf_ctx *c, const char *token, const char *csrf, bool need_csrf,
			struct kf_err *err)
{
	struct kf_db *db;
	char hash[KF_SHA256_HEX_LEN + 1];
	int64_t idle = 0;
	struct kf_session s;
	struct kf_user u;
	struct kf_auth_cache *cache = c->app->auth_cache;
	int rc;
	if ((rc = token_hash(c, token, hash, &idle, err)))
		return rc;
	/* Recording activity once a minute is enough for the idle timeout;
	 * a session whose record is due is read (and touched) in the store. */
	bool hit = cache && kf_auth_cache_get(cache, hash, c->now, c->arena, &s, &u) &&
		   c->now < s.expires_at && (idle <= 0 || s.last_seen_at + idle > c->now) &&
		   c->now - s.last_seen_at < 60000;
	if (hit)
		c->read_snapshot = true;
	else {
		uint64_t generation = kf_store_auth_generation();
		if ((rc = kf_ctx_db_read(c, &db, err)) ||
		    (rc = kf_store_session_lookup(db, hash, c->now, idle, c->arena, &s, &u, err)))
			return rc;
		if (c->now - s.last_seen_at >= 60000) {
			if ((rc = kf_store_session_touch(db, s.id, c->now, err)))
				return rc;
			s.last_seen_at = c->now;
		}
		if (cache)
			kf_auth_cache_put(cache, hash, generation, c->now, &s, &u);
	}
	if (need_csrf && (rc = kf_app_check_csrf(csrf, s.csrf_hash, err)))
		return rc;
	int role = kf_role_parse(u.role);
	if (role < 0)
		return kf_err_set(err, KF_EINTERNAL, "user %lld has unknown role %s",
				  (long long)u.id, u.role);
	c->actor.user_id = u.id;
	c->actor.login = u.login;
	c->actor.name = u.name;
	c->actor.role = (enum kf_role)role;
	c->actor.level = u.level;
	c->actor.team_id = u.team_id;
	c->actor.user = u;
	c->actor.session_id = s.id;
	return 0;
}

int kf_app_logout(struct kf_ctx *c, struct kf_err *err)
{
	struct kf_db *db;
	int rc;
	if (!c->actor.session_id)
		return kf_err_set(err, KF_EUNAUTH, "not signed in");
	if ((rc = kf_ctx_db(c, &db, err)) || (rc = kf_db_begin(db, err)) ||
	    (rc = kf_store_session_revoke(db, c->actor.session_id, c->now, err)) ||
	    (rc = kf_app_audit(c, db, "auth.logout", "user",
			       kf_arena_printf(c->arena, "%lld", (long long)c->actor.user_id), NULL,
			       err)))
		return rc;
	return kf_db_commit(db, err);
}

int kf_app_change_password(struct kf_ctx *c, const char *current, const char *next,
			   struct kf_err *err)
{
	const struct kf_policy *pol;
	struct kf_db *db;
	struct kf_user u;
	int rc;
	if (!c->actor.user_id)
		return kf_err_set(err, KF_EUNAUTH, "sign in first");
	if ((rc = kf_ctx_policy(c, &pol, err)) || (rc = kf_ctx_db(c, &db, err)) ||
	    (rc = kf_store_user_get(db, c->actor.user_id, c->arena, &u, err)))
		return rc;
	if (!kf_crypto_password_verify(u.password_hash, current))
		return kf_err_field(err, KF_EINVALID, "current_password",
				    "current password is wrong");
	if ((rc = kf_password_check(next, u.login,
				    kf_policy_int(pol, "security.password.min_length"), err))) {
		/* The rules name "password"; this request calls it new_password. */
		snprintf(err->field, sizeof err->field, "new_password");
		return rc;
	}
	char hash[160];
	if (kf_crypto_password_hash(next, hash, sizeof hash) != 0)
		return kf_err_set(err, KF_EINTERNAL, "cannot hash the password");
	u.password_hash = hash;
	u.updated_at = c->now;
	if ((rc = kf_db_begin(db, err)) || (rc = kf_store_user_update(db, &u, err)))
		return rc;
	/* Other sessions end: whoever knew the old password is signed out. */
	if ((rc = kf_store_session_revoke_user(db, u.id, c->actor.session_id, c->now, err)) ||
	    (rc = kf_app_audit(c, db, "user.password_change", "user",
			       kf_arena_printf(c->arena, "%lld", (long long)u.id), NULL, err)))
		return rc;
	return kf_db_commit(db, err);
}
