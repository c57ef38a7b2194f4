/* Publishing and reading policy versions (P-1). A version is validated
 * before it is stored, carries its author, reason and effective date, and is
 * audited. Version 1 is the shipped default, written by kefu init. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "app/internal.h"
#include "util/crypto.h"
#include "util/embed.h"

int kf_app_policy_check(const char *document, size_t len, struct kf_policy **out,
			struct kf_err *err)
{
	struct kf_policy *p;
	int rc = kf_policy_parse(document, len, &p, err);
	if (rc)
		return rc;
	const char *zone = kf_policy_str(p, "timezone");
	char path[256];
	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", zone);
	if (strcmp(zone, "UTC") && access(path, R_OK) != 0) {
		kf_err_field(err, KF_EINVALID, "timezone",
			     "timezone: %s is not a time zone known to this system", zone);
		kf_policy_unref(p);
		return KF_EINVALID;
	}
	if (out)
		*out = p;
	else
		kf_policy_unref(p);
	return 0;
}

int kf_app_policy_publish(struct kf_ctx *c, const char *document, const char *reason,
			  int64_t effective_from, struct kf_policy_version *out, struct kf_err *err)
{
	struct kf_db *db;
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_POLICY_WRITE, err)))
		return rc;
	if ((rc = kf_app_policy_check(document, strlen(document), NULL, err))) {
		kf_err_prefix_field(err, "document");
		return rc;
	}
	if (effective_from < 0)
		effective_from = c->now;
	else if (effective_from < c->now - 60000)
		return kf_err_field(err, KF_EINVALID, "effective_from",
				    "effective_from must not be in the past: events already "
				    "judged keep the rules of their time");
	if ((rc = kf_ctx_db(c, &db, err)) || (rc = kf_db_begin(db, err)))
		return rc;
	struct kf_policy_version v = {.document = document,
				      .author_id = c->actor.user_id,
				      .author_login = c->actor.login,
				      .reason = reason,
				      .created_at = c->now,
				      .effective_from = effective_from};
	if ((rc = kf_store_policy_insert(db, &v, err)))
		return rc;
	char digest[KF_SHA256_HEX_LEN + 1];
	kf_crypto_sha256_hex(document, strlen(document), digest);
	json_t *d =
	    json_pack("{s:I, s:s, s:I, s:s}", "version", (json_int_t)v.version, "reason", reason,
		      "effective_from", (json_int_t)effective_from, "document_sha256", digest);
	if ((rc = kf_app_audit(c, db, "policy.publish", "policy",
			       kf_arena_printf(c->arena, "%lld", (long long)v.version), d, err)) ||
	    (rc = kf_db_commit(db, err)))
		return rc;
	/* This node applies the new version at once; others within a second. */
	pthread_mutex_lock(&c->app->mu);
	kf_policy_unref(c->app->current);
	c->app->current = NULL;
	pthread_mutex_unlock(&c->app->mu);
	*out = v;
	return 0;
}

int kf_app_policy_current(struct kf_ctx *c, struct kf_policy_version *out, struct kf_err *err)
{
	struct kf_db *db;
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_POLICY_READ, err)) || (rc = kf_ctx_db(c, &db, err)))
		return rc;
	return kf_store_policy_at(db, c->now, c->arena, out, err);
}

int kf_app_policy_version_get(struct kf_ctx *c, int64_t version, struct kf_policy_version *out,
			      struct kf_err *err)
{
	struct kf_db *db;
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_POLICY_READ, err)) || (rc = kf_ctx_db(c, &db, err)))
		return rc;
	rc = kf_store_policy_get(db, version, c->arena, out, err);
	if (rc == KF_ENOTFOUND)
		return kf_err_set(err, rc, "policy version %lld not found", (long long)version);
	return rc;
}

int kf_app_policy_versions(struct kf_ctx *c, int64_t before, int limit,
			   struct kf_policy_version **items, int *n, struct kf_err *err)
{
	struct kf_db *db;
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_POLICY_READ, err)) || (rc = kf_ctx_db(c, &db, err)))
		return rc;
	return kf_store_policy_list(db, before, limit, c->arena, items, n, err);
}

int kf_app_policy_seed(struct kf_app *app, struct kf_err *err)
{
	struct kf_arena a;
	struct kf_ctx c;
	struct kf_db *db;
	struct kf_policy_version v;
	kf_arena_init(&a);
	kf_ctx_init(&c, app, &a);
	int rc = kf_ctx_db(&c, &db, err);
	if (!rc)
		rc = kf_db_begin(db, err);
	if (!rc) {
		rc = kf_store_policy_get(db, 1, &a, &v, err);
		if (rc == KF_ENOTFOUND) {
			c.actor.is_operator = true;
			v = (struct kf_policy_version){.document = kf_policy_default_text(),
						       .reason =
							   "shipped default (the seed regulations)",
						       .created_at = c.now,
						       .effective_from = 0};
			rc = kf_store_policy_insert(db, &v, err);
			if (!rc)
				rc = kf_app_audit(&c, db, "policy.publish", "policy", "1",
						  json_pack("{s:I, s:s}", "version", (json_int_t)1,
							    "reason", v.reason),
						  err);
		}
	}
	if (!rc)
		rc = kf_db_commit(db, err);
	kf_ctx_release(&c);
	kf_arena_release(&a);
	return rc;
}
