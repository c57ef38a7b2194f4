/* Context, policy cache and the audit helper shared by every use case. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/auth_cache.h"
#include "app/internal.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/time.h"
#include "util/xmalloc.h"

int kf_app_init(struct kf_app *app, struct kf_store *store)
{
	memset(app, 0, sizeof *app);
	app->store = store;
	app->search_window = KF_SEARCH_WINDOW_DEFAULT;
	pthread_mutex_init(&app->mu, NULL);
	return 0;
}

int kf_app_open(struct kf_app *app, struct kf_err *err)
{
	struct kf_db *db;
	struct kf_arena a;
	const char *secret = NULL;
	int version = 0;
	int rc = kf_store_acquire(app->store, &db, err);
	if (rc)
		return rc;
	kf_arena_init(&a);
	rc = kf_store_schema_version(db, &version, err);
	if (!rc && version != kf_store_binary_schema_version(app->store))
		rc = kf_err_set(err, KF_ECONFLICT,
				"the store is at schema version %d and this kefu needs %d; run "
				"kefu init",
				version, kf_store_binary_schema_version(app->store));
	if (!rc)
		rc = kf_store_setting_get(db, "secret", &a, &secret, err);
	if (rc == KF_ENOTFOUND)
		rc = kf_err_set(err, KF_ECONFLICT, "the store was not initialised; run kefu init");
	if (!rc)
		snprintf(app->secret, sizeof app->secret, "%s", secret);
	kf_arena_release(&a);
	kf_store_release(app->store, db);
	return rc;
}

int kf_app_bootstrap(struct kf_app *app, int *from, int *to, struct kf_err *err)
{
	struct kf_db *db;
	char secret[65];
	int rc = kf_store_migrate(app->store, from, to, err);
	if (rc || (rc = kf_app_policy_seed(app, err)))
		return rc;
	if ((rc = kf_store_acquire(app->store, &db, err)))
		return rc;
	kf_crypto_random_hex(secret, 32);
	rc = kf_store_setting_put_new(db, "secret", secret, err);
	kf_store_release(app->store, db);
	return rc;
}

void kf_app_release(struct kf_app *app)
{
	kf_policy_unref(app->current);
	for (int i = 0; i < 8; i++)
		kf_policy_unref(app->cache[i]);
	kf_auth_cache_free(app->auth_cache);
	pthread_mutex_destroy(&app->mu);
	memset(app, 0, sizeof *app);
}

void kf_ctx_init(struct kf_ctx *c, struct kf_app *app, struct kf_arena *arena)
{
	memset(c, 0, sizeof *c);
	c->app = app;
	c->arena = arena;
	c->now = kf_time_now_ms();
}

void kf_ctx_release(struct kf_ctx *c)
{
	if (c->db)
		kf_store_release(c->app->store, c->db);
	c->db = NULL;
	kf_policy_unref(c->policy);
	c->policy = NULL;
}

int kf_ctx_db(struct kf_ctx *c, struct kf_db **db, struct kf_err *err)
{
	if (!c->db) {
		int rc = kf_store_acquire(c->app->store, &c->db, err);
		if (!rc && c->read_snapshot)
			rc = kf_db_read_begin(c->db, err);
		if (rc)
			return rc;
	}
	*db = c->db;
	return 0;
}

int kf_ctx_db_read(struct kf_ctx *c, struct kf_db **db, struct kf_err *err)
{
	int rc = kf_ctx_db(c, db, err);
	return rc ? rc : kf_db_read_begin(*db, err);
}

/* A parsed version from the cache, with a reference for the caller. */
static bool cached_version(struct kf_app *app, int64_t version, struct kf_policy **out)
{
	bool found = false;
	pthread_mutex_lock(&app->mu);
	for (int i = 0; i < 8 && !found; i++) {
		if (app->cache[i] && app->cache_version[i] == version) {
			*out = kf_policy_ref(app->cache[i]);
			found = true;
		}
	}
	pthread_mutex_unlock(&app->mu);
	return found;
}

static int load_version(struct kf_app *app, struct kf_db *db, int64_t version, const char *document,
			struct kf_policy **out, struct kf_err *err)
{
	if (cached_version(app, version, out))
		return 0;
	struct kf_policy *p;
	int rc = kf_policy_parse(document, strlen(document), &p, err);
	if (rc) {
		kf_log_error("stored policy version %lld does not parse: %s", (long long)version,
			     err->message);
		return kf_err_set(err, KF_EINTERNAL, "stored policy version %lld is invalid",
				  (long long)version);
	}
	pthread_mutex_lock(&app->mu);
	int slot = app->cache_next++ % 8;
	kf_policy_unref(app->cache[slot]);
	app->cache[slot] = kf_policy_ref(p);
	app->cache_version[slot] = version;
	pthread_mutex_unlock(&app->mu);
	*out = p;
	return 0;
}

int kf_app_policy_version_at(struct kf_app *app, struct kf_db *db, int64_t t,
			     struct kf_policy **out, int64_t *version, struct kf_err *err)
{
	int64_t v;
	int rc = kf_store_policy_version_at(db, t, &v, err);
	if (rc == KF_ENOTFOUND)
		return kf_err_set(err, KF_EINTERNAL, "no policy in force; run kefu init");
	if (rc)
		return rc;
	if (version)
		*version = v;
	/* The document is read only when this version is not parsed yet. */
	if (cached_version(app, v, out))
		return 0;
	struct kf_arena a;
	struct kf_policy_version pv;
	kf_arena_init(&a);
	rc = kf_store_policy_get(db, v, &a, &pv, err);
	if (!rc)
		rc = load_version(app, db, v, pv.document, out, err);
	kf_arena_release(&a);
	return rc;
}

int kf_app_policy_at(struct kf_app *app, struct kf_db *db, int64_t t, struct kf_policy **out,
		     struct kf_err *err)
{
	return kf_app_policy_version_at(app, db, t, out, NULL, err);
}

/* The cache's age is measured on the monotonic clock: the wall clock may be
 * set (NTP, or tests with a frozen clock). */
static int64_t mono_ms(void)
{
	return kf_time_mono_ns() / 1000000;
}

int kf_ctx_policy(struct kf_ctx *c, const struct kf_policy **p, struct kf_err *err)
{
	if (c->policy) {
		*p = c->policy;
		return 0;
	}
	struct kf_app *app = c->app;
	int64_t wall = kf_time_now_ms();
	/* The shared "current" copy serves requests judged at the present time. */
	bool present = c->now >= wall - 1000 && c->now <= wall + 1000;
	if (present) {
		pthread_mutex_lock(&app->mu);
		if (app->current && mono_ms() - app->current_checked_at < 1000) {
			c->policy = kf_policy_ref(app->current);
			pthread_mutex_unlock(&app->mu);
			*p = c->policy;
			return 0;
		}
		pthread_mutex_unlock(&app->mu);
	}
	struct kf_db *db;
	int rc = kf_ctx_db(c, &db, err);
	if (rc)
		return rc;
	if ((rc = kf_app_policy_at(app, db, c->now, &c->policy, err)))
		return rc;
	if (present) {
		pthread_mutex_lock(&app->mu);
		kf_policy_unref(app->current);
		app->current = kf_policy_ref(c->policy);
		app->current_checked_at = mono_ms();
		pthread_mutex_unlock(&app->mu);
	}
	*p = c->policy;
	return 0;
}

int kf_ctx_require(const struct kf_ctx *c, enum kf_perm perm, struct kf_err *err)
{
	if (c->actor.is_operator)
		return 0;
	if (!c->actor.user_id)
		return kf_err_set(err, KF_EUNAUTH, "sign in first");
	if (!kf_role_can(c->actor.role, perm))
		return kf_err_set(err, KF_EFORBIDDEN, "role %s may not do this (needs %s)",
				  kf_role_name(c->actor.role), kf_perm_name(perm));
	return 0;
}

int kf_app_audit(struct kf_ctx *c, struct kf_db *db, const char *action, const char *target_type,
		 const char *target_id, json_t *detail, struct kf_err *err)
{
	if (!detail)
		detail = json_object();
	char *text = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(detail);
	struct kf_audit_entry e = {
	    .at = c->now,
	    .actor_id = c->actor.user_id,
	    .actor_login = c->actor.is_operator ? "(operator)" : c->actor.login,
	    .action = action,
	    .target_type = target_type,
	    .target_id = target_id,
	    .detail = kf_arena_strdup(c->arena, text ? text : "{}"),
	    .ip = c->ip,
	    .request_id = c->request_id,
	};
	free(text);
	return kf_store_audit_append(db, &e, c->arena, err);
}
