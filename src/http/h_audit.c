/* The audit log and its verification (S-3). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "http/http.h"
#include "util/time.h"

int kf_h_audit_list(struct kf_req *r)
{
	static const char *const allowed[] = {"since", "actor", "action", NULL};
	struct kf_audit_filter f = {0};
	struct kf_audit_entry *items;
	int limit, n, rc;
	if ((rc = kf_req_list_args(r, allowed, &limit)) || (rc = kf_req_cursor(r, &f.after_seq)))
		return rc;
	const char *since = kf_req_query(r, "since");
	if (since && !kf_time_parse(since, &f.since) && !kf_time_parse_date(since, &f.since))
		return kf_err_field(&r->err, KF_EINVALID, "since",
				    "since must be a date (YYYY-MM-DD) or an RFC 3339 time");
	const char *actor = kf_req_query(r, "actor");
	if (actor) {
		char *end;
		errno = 0;
		long long v = strtoll(actor, &end, 10);
		if (!*actor || *end || errno || v <= 0)
			return kf_err_field(&r->err, KF_EINVALID, "actor",
					    "actor must be a user id");
		f.actor_id = v;
	}
	f.action = kf_req_query(r, "action");
	if (f.action && (!*f.action || strlen(f.action) > 64))
		return kf_err_field(&r->err, KF_EINVALID, "action", "action is not valid");
	f.limit = limit + 1;
	if ((rc = kf_app_audit_list(&r->ctx, &f, &items, &n, &r->err)))
		return rc;
	json_t *a = json_array();
	for (int i = 0; i < n && i < limit; i++)
		json_array_append_new(a, kf_app_audit_json(&items[i]));
	return kf_reply_list(r, a, n > limit, n > limit ? items[limit - 1].seq : 0);
}

int kf_h_audit_verify(struct kf_req *r)
{
	struct kf_audit_check check;
	int rc = kf_app_audit_verify(&r->ctx, &check, &r->err);
	if (rc)
		return rc;
	json_t *o = json_pack("{s:b, s:I}", "ok", check.ok, "entries", (json_int_t)check.entries);
	if (!check.ok) {
		json_object_set_new(o, "broken_seq", json_integer(check.broken_seq));
		json_object_set_new(o, "reason", json_string(check.reason));
	}
	return kf_reply_json(r, 200, o);
}
