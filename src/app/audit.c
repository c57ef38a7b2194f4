/* Reading and verifying the audit chain (S-3). Writing is kf_app_audit, in
 * the transaction of the change it records. */
#include "app/app.h"
#include "util/time.h"

int kf_app_audit_list(struct kf_ctx *c, const struct kf_audit_filter *f,
		      struct kf_audit_entry **items, int *n, struct kf_err *err)
{
	struct kf_db *db;
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_AUDIT_READ, err)) || (rc = kf_ctx_db(c, &db, err)))
		return rc;
	return kf_store_audit_list(db, f, c->arena, items, n, err);
}

int kf_app_audit_verify(struct kf_ctx *c, struct kf_audit_check *out, struct kf_err *err)
{
	struct kf_db *db;
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_AUDIT_READ, err)) || (rc = kf_ctx_db(c, &db, err)))
		return rc;
	return kf_store_audit_verify(db, out, err);
}

json_t *kf_app_audit_json(const struct kf_audit_entry *e)
{
	char at[40];
	kf_time_format(e->at, at);
	json_error_t je;
	json_t *detail = e->detail ? json_loads(e->detail, 0, &je) : NULL;
	json_t *o = json_pack("{s:I, s:s, s:s, s:o}", "seq", (json_int_t)e->seq, "at", at, "action",
			      e->action, "detail", detail ? detail : json_object());
	json_object_set_new(o, "actor_id",
			    e->actor_id ? json_sprintf("%lld", (long long)e->actor_id)
					: json_null());
	json_object_set_new(o, "actor_login",
			    e->actor_login ? json_string(e->actor_login) : json_null());
	json_object_set_new(o, "target_type",
			    e->target_type ? json_string(e->target_type) : json_null());
	json_object_set_new(o, "target_id", e->target_id ? json_string(e->target_id) : json_null());
	json_object_set_new(o, "ip", e->ip ? json_string(e->ip) : json_null());
	json_object_set_new(o, "request_id",
			    e->request_id ? json_string(e->request_id) : json_null());
	json_object_set_new(o, "hash", json_string(e->hash));
	return o;
}
