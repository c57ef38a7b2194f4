/* Sign-in, sign-out and the signed-in person. */
#include <stdio.h>
#include <string.h>
#include "http/http.h"
#include "util/time.h"

static json_t *permissions(enum kf_role role)
{
	json_t *a = json_array();
	for (int p = 0; p < KF_PERM_COUNT; p++)
		if (kf_role_can(role, (enum kf_perm)p))
			json_array_append_new(a, json_string(kf_perm_name((enum kf_perm)p)));
	return a;
}

static json_t *me_json(const struct kf_user *u)
{
	json_t *o = kf_app_user_json(u);
	int role = kf_role_parse(u->role);
	json_object_set_new(o, "permissions", permissions(role < 0 ? KF_ROLE_AGENT : role));
	return o;
}

void kf_req_session_cookie(struct kf_req *r, const char *name, const char *token,
			   int64_t expires_at)
{
	int64_t max_age = token ? (expires_at - r->ctx.now) / 1000 : 0;
	r->set_cookie = kf_arena_printf(
	    &r->arena, "%s=%s; Path=/; Max-Age=%lld; HttpOnly; SameSite=Strict%s", name,
	    token ? token : "", (long long)max_age, kf_req_secure_cookies(r) ? "; Secure" : "");
}

int kf_h_login(struct kf_req *r)
{
	json_t *body;
	const char *login = NULL, *password = NULL;
	struct kf_jfield f[] = {
	    {"login", KF_J_LINE, true, 64, &login},
	    {"password", KF_J_LINE, true, 256, &password},
	    {0},
	};
	struct kf_login_result res;
	int rc;
	if ((rc = kf_req_json(r, &body)) || (rc = kf_json_read(body, f, NULL, &r->err)) ||
	    (rc = kf_app_login(&r->ctx, login, password, &res, &r->err)))
		return rc;
	char expires[40];
	kf_time_format(res.expires_at, expires);
	kf_req_session_cookie(r, "kefu_session", res.token, res.expires_at);
	return kf_reply_json(r, 200,
			     json_pack("{s:s, s:s, s:s, s:o}", "token", res.token, "csrf_token",
				       res.csrf_token, "expires_at", expires, "user",
				       me_json(&res.user)));
}

int kf_h_logout(struct kf_req *r)
{
	int rc = kf_app_logout(&r->ctx, &r->err);
	if (rc)
		return rc;
	kf_req_session_cookie(r, "kefu_session", NULL, 0);
	return kf_reply_json(r, 200, json_pack("{s:b}", "ok", 1));
}

int kf_h_me(struct kf_req *r)
{
	struct kf_user u;
	int rc = kf_app_me(&r->ctx, &u, &r->err);
	if (rc)
		return rc;
	return kf_reply_json(r, 200, me_json(&u));
}

int kf_h_me_password(struct kf_req *r)
{
	json_t *body;
	const char *current = NULL, *next = NULL;
	struct kf_jfield f[] = {
	    {"current_password", KF_J_LINE, true, 256, &current},
	    {"new_password", KF_J_LINE, true, 256, &next},
	    {0},
	};
	int rc;
	if ((rc = kf_req_json(r, &body)) || (rc = kf_json_read(body, f, NULL, &r->err)) ||
	    (rc = kf_app_change_password(&r->ctx, current, next, &r->err)))
		return rc;
	return kf_reply_json(r, 200, json_pack("{s:b}", "ok", 1));
}
