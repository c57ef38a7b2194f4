/* The signed-in person's inbox (K-2 and later features): list and mark
 * read. Everyone signed in has one; nobody sees another's. */
#include <string.h>
#include "app/inbox.h"
#include "http/http.h"

int kf_req_query_bool(struct kf_req *r, const char *name, bool *out)
{
	const char *s = kf_req_query(r, name);
	*out = false;
	if (!s)
		return 0;
	if (strcmp(s, "true") && strcmp(s, "false"))
		return kf_err_field(&r->err, KF_EINVALID, name, "%s must be true or false", name);
	*out = !strcmp(s, "true");
	return 0;
}

int kf_h_inbox_list(struct kf_req *r)
{
	static const char *const allowed[] = {"unread", NULL};
	struct kf_notification *items;
	bool unread_only, more;
	int limit, n, rc;
	int64_t before, unread;
	if ((rc = kf_req_list_args(r, allowed, &limit)) || (rc = kf_req_cursor(r, &before)) ||
	    (rc = kf_req_query_bool(r, "unread", &unread_only)) ||
	    (rc = kf_app_inbox_list(&r->ctx, unread_only, before, limit, &items, &n, &more, &unread,
				    &r->err)))
		return rc;
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, kf_app_notification_json(&items[i]));
	json_t *o = json_pack("{s:o, s:I}", "items", a, "unread", (json_int_t)unread);
	json_object_set_new(o, "next_cursor",
			    more ? json_string(kf_req_make_cursor(r, items[n - 1].id))
				 : json_null());
	return kf_reply_json(r, 200, o);
}

int kf_h_inbox_read(struct kf_req *r)
{
	int64_t id;
	struct kf_notification x;
	int rc;
	if ((rc = kf_req_id_param(r, 0, &id)) || (rc = kf_app_inbox_read(&r->ctx, id, &x, &r->err)))
		return rc;
	return kf_reply_json(r, 200, kf_app_notification_json(&x));
}
