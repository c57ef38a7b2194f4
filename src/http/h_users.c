/* People and teams. */
#include <string.h>
#include "http/http.h"

static int read_user_input(struct kf_req *r, bool create, struct kf_user_input *in)
{
	json_t *body;
	bool has_version = false;
	int64_t version = 0;
	struct kf_jfield f[] = {
	    {"login", KF_J_LINE, create, 64, &in->login},
	    {"name", KF_J_LINE, create, 100, &in->name, &in->has_name},
	    {"password", KF_J_LINE, create, 256, &in->password, &in->has_password},
	    {"role", KF_J_LINE, create, 32, &in->role, &in->has_role},
	    {"level", KF_J_LINE, false, 32, &in->level, &in->has_level, true},
	    {"team_id", KF_J_ID, false, 0, &in->team_id, &in->has_team, true},
	    {"hired_on", KF_J_DATE, false, 10, &in->hired_on, &in->has_hired_on, true},
	    {"active", KF_J_BOOL, false, 0, &in->active, &in->has_active},
	    {"version", KF_J_INT, false, 0, &version, &has_version, false, 1, INT32_MAX},
	    {0},
	};
	int rc;
	if ((rc = kf_req_json(r, &body)) || (rc = kf_json_read(body, f, NULL, &r->err)))
		return rc;
	if (!create && json_object_get(body, "login"))
		return kf_err_field(&r->err, KF_EINVALID, "login", "login cannot be changed");
	if (create && in->has_active)
		return kf_err_field(&r->err, KF_EINVALID, "active", "new accounts are active");
	if (create && has_version)
		return kf_err_field(&r->err, KF_EINVALID, "version",
				    "a new account has no version");
	in->version = has_version ? version : 0;
	return 0;
}

int kf_h_users_create(struct kf_req *r)
{
	struct kf_user_input in = {0};
	struct kf_user u;
	int rc;
	if ((rc = read_user_input(r, true, &in)) ||
	    (rc = kf_app_user_create(&r->ctx, &in, &u, &r->err)))
		return rc;
	return kf_reply_json(r, 201, kf_app_user_json(&u));
}

int kf_h_users_list(struct kf_req *r)
{
	struct kf_user *items;
	int limit, n, rc;
	int64_t after;
	if ((rc = kf_req_list_args(r, NULL, &limit)) || (rc = kf_req_cursor(r, &after)) ||
	    (rc = kf_app_user_list(&r->ctx, after, limit + 1, &items, &n, &r->err)))
		return rc;
	json_t *a = json_array();
	for (int i = 0; i < n && i < limit; i++)
		json_array_append_new(a, kf_app_user_json(&items[i]));
	return kf_reply_list(r, a, n > limit, n > limit ? items[limit - 1].id : 0);
}

int kf_h_user_get(struct kf_req *r)
{
	int64_t id;
	struct kf_user u;
	int rc;
	if ((rc = kf_req_id_param(r, 0, &id)) || (rc = kf_app_user_get(&r->ctx, id, &u, &r->err)))
		return rc;
	return kf_reply_json(r, 200, kf_app_user_json(&u));
}

int kf_h_user_patch(struct kf_req *r)
{
	int64_t id;
	struct kf_user_input in = {0};
	struct kf_user u;
	int rc;
	if ((rc = kf_req_id_param(r, 0, &id)) || (rc = read_user_input(r, false, &in)) ||
	    (rc = kf_app_user_update(&r->ctx, id, &in, &u, &r->err)))
		return rc;
	return kf_reply_json(r, 200, kf_app_user_json(&u));
}

int kf_h_teams_create(struct kf_req *r)
{
	json_t *body;
	const char *name = NULL;
	struct kf_jfield f[] = {{"name", KF_J_LINE, true, 64, &name}, {0}};
	struct kf_team t;
	int rc;
	if ((rc = kf_req_json(r, &body)) || (rc = kf_json_read(body, f, NULL, &r->err)) ||
	    (rc = kf_app_team_create(&r->ctx, name, &t, &r->err)))
		return rc;
	return kf_reply_json(r, 201, kf_app_team_json(&t));
}

int kf_h_teams_list(struct kf_req *r)
{
	struct kf_team *items;
	int limit, n, rc;
	int64_t after;
	if ((rc = kf_req_list_args(r, NULL, &limit)) || (rc = kf_req_cursor(r, &after)) ||
	    (rc = kf_app_team_list(&r->ctx, after, limit + 1, &items, &n, &r->err)))
		return rc;
	json_t *a = json_array();
	for (int i = 0; i < n && i < limit; i++)
		json_array_append_new(a, kf_app_team_json(&items[i]));
	return kf_reply_list(r, a, n > limit, n > limit ? items[limit - 1].id : 0);
}
