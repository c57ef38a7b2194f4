/* The policy document and its versions (P-1). */
#include <stdio.h>
#include <string.h>
#include "http/http.h"
#include "util/time.h"

static json_t *version_json(const struct kf_policy_version *v, bool with_document)
{
	char created[40], effective[40];
	kf_time_format(v->created_at, created);
	kf_time_format(v->effective_from, effective);
	json_t *o = json_pack("{s:I, s:s, s:s, s:s}", "version", (json_int_t)v->version, "reason",
			      v->reason ? v->reason : "", "created_at", created, "effective_from",
			      effective);
	json_object_set_new(o, "author_id",
			    v->author_id ? json_sprintf("%lld", (long long)v->author_id)
					 : json_null());
	json_object_set_new(o, "author_login",
			    v->author_login ? json_string(v->author_login) : json_null());
	if (with_document && v->document) {
		json_object_set_new(o, "document", json_string(v->document));
		struct kf_policy *p;
		struct kf_err err;
		if (kf_policy_parse(v->document, strlen(v->document), &p, &err) == 0) {
			json_object_set_new(o, "values", json_deep_copy(kf_policy_values(p)));
			kf_policy_unref(p);
		}
	}
	return o;
}

int kf_h_policy_get(struct kf_req *r)
{
	struct kf_policy_version v;
	int rc = kf_app_policy_current(&r->ctx, &v, &r->err);
	if (rc)
		return rc;
	return kf_reply_json(r, 200, version_json(&v, true));
}

int kf_h_policy_put(struct kf_req *r)
{
	json_t *body;
	const char *document = NULL, *reason = NULL;
	int64_t effective = -1;
	struct kf_jfield f[] = {
	    {"document", KF_J_TEXT, true, 200000, &document},
	    {"reason", KF_J_LINE, true, 500, &reason},
	    {"effective_from", KF_J_INSTANT, false, 0, &effective},
	    {0},
	};
	struct kf_policy_version v;
	int rc;
	if ((rc = kf_req_json(r, &body)) || (rc = kf_json_read(body, f, NULL, &r->err)) ||
	    (rc = kf_app_policy_publish(&r->ctx, document, reason, effective, &v, &r->err)))
		return rc;
	return kf_reply_json(r, 201, version_json(&v, false));
}

int kf_h_policy_validate(struct kf_req *r)
{
	json_t *body;
	const char *document = NULL;
	struct kf_jfield f[] = {{"document", KF_J_TEXT, true, 200000, &document}, {0}};
	int rc;
	if ((rc = kf_req_json(r, &body)) || (rc = kf_json_read(body, f, NULL, &r->err)))
		return rc;
	if ((rc = kf_app_policy_check(document, strlen(document), NULL, &r->err))) {
		kf_err_prefix_field(&r->err, "document");
		return rc;
	}
	return kf_reply_json(r, 200, json_pack("{s:b}", "ok", 1));
}

int kf_h_policy_versions(struct kf_req *r)
{
	struct kf_policy_version *items;
	int limit, n, rc;
	int64_t before;
	if ((rc = kf_req_list_args(r, NULL, &limit)) || (rc = kf_req_cursor(r, &before)) ||
	    (rc = kf_app_policy_versions(&r->ctx, before, limit + 1, &items, &n, &r->err)))
		return rc;
	json_t *a = json_array();
	for (int i = 0; i < n && i < limit; i++)
		json_array_append_new(a, version_json(&items[i], false));
	return kf_reply_list(r, a, n > limit, n > limit ? items[limit - 1].version : 0);
}

int kf_h_policy_version_get(struct kf_req *r)
{
	int64_t version;
	struct kf_policy_version v;
	int rc;
	if ((rc = kf_req_id_param(r, 0, &version)) ||
	    (rc = kf_app_policy_version_get(&r->ctx, version, &v, &r->err)))
		return rc;
	return kf_reply_json(r, 200, version_json(&v, true));
}
