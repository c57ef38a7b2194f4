/* Accounts and teams: created and changed by an admin, every change
 * audited with what it was before and after (S-3). */
#include <stdio.h>
#include <string.h>
#include "app/app.h"
#include "app/internal.h"
#include "util/time.h"

static const char *id_str(struct kf_ctx *c, int64_t id)
{
	return kf_arena_printf(c->arena, "%lld", (long long)id);
}

/* Logins are short, lower-case ASCII so that they are easy to say on the
 * phone and never confusable: letters, digits, '.', '_' and '-'. */
static int check_login(const char *login, struct kf_err *err)
{
	size_t n = strlen(login);
	if (n < 2 || n > 64)
		return kf_err_field(err, KF_EINVALID, "login",
				    "login must have 2 to 64 characters");
	for (const char *p = login; *p; p++) {
		char ch = *p;
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' ||
		      ch == '_' || ch == '-'))
			return kf_err_field(err, KF_EINVALID, "login",
					    "login may contain only a-z, 0-9, '.', '_' and '-'");
	}
	return 0;
}

static int check_role_level(const char *role, const char *level, struct kf_err *err)
{
	int r = kf_role_parse(role);
	if (r < 0)
		return kf_err_field(err, KF_EINVALID, "role",
				    "role must be one of agent, technician, team_lead, supervisor, "
				    "manager, vp, gm, analyst, admin");
	if (level) {
		if (kf_level_parse(level) < 0)
			return kf_err_field(err, KF_EINVALID, "level",
					    "level must be one of trainee, junior, intermediate, "
					    "senior, reserve_supervisor");
		if (!kf_role_has_level((enum kf_role)r))
			return kf_err_field(err, KF_EINVALID, "level", "role %s has no agent level",
					    role);
	}
	return 0;
}

static bool diff_level(const char *a, const char *b)
{
	return (a == NULL) != (b == NULL) || (a && strcmp(a, b));
}

static int check_team(struct kf_ctx *c, struct kf_db *db, int64_t team_id, struct kf_err *err)
{
	struct kf_team t;
	if (team_id <= 0)
		return kf_err_field(err, KF_EINVALID, "team_id", "team_id must be a team's id");
	int rc = kf_store_team_get(db, team_id, c->arena, &t, err);
	if (rc == KF_ENOTFOUND)
		return kf_err_field(err, KF_EINVALID, "team_id", "team %lld does not exist",
				    (long long)team_id);
	return rc;
}

int kf_app_user_create(struct kf_ctx *c, const struct kf_user_input *in, struct kf_user *out,
		       struct kf_err *err)
{
	struct kf_db *db;
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_USERS_WRITE, err)) ||
	    (rc = check_login(in->login, err)) ||
	    (rc = check_role_level(in->role, in->has_level ? in->level : NULL, err)) ||
	    (rc = kf_ctx_db(c, &db, err)))
		return rc;
	if (in->has_team && (rc = check_team(c, db, in->team_id, err)))
		return rc;
	struct kf_user u = {
	    .login = in->login,
	    .name = in->name,
	    .role = in->role,
	    .level = in->has_level ? in->level : NULL,
	    .team_id = in->has_team ? in->team_id : 0,
	    .hired_on = in->has_hired_on ? in->hired_on : NULL,
	    .active = true,
	    .created_at = c->now,
	    .updated_at = c->now,
	};
	if (!u.level && kf_role_has_level(kf_role_parse(in->role)))
		u.level = "trainee";
	if ((rc = kf_app_password_hash(c, in->password, in->login, &u.password_hash, err)) ||
	    (rc = kf_db_begin(db, err)) || (rc = kf_store_user_insert(db, &u, err)))
		return rc;
	json_t *d = json_pack("{s:s, s:s, s:s, s:o, s:o}", "login", u.login, "name", u.name, "role",
			      u.role, "level", u.level ? json_string(u.level) : json_null(),
			      "team_id", u.team_id ? json_integer(u.team_id) : json_null());
	if ((rc = kf_app_audit(c, db, "user.create", "user", id_str(c, u.id), d, err)) ||
	    (rc = kf_db_commit(db, err)))
		return rc;
	u.password_hash = NULL;
	*out = u;
	return 0;
}

int kf_app_me(struct kf_ctx *c, struct kf_user *out, struct kf_err *err)
{
	struct kf_db *db;
	int rc;
	if (!c->actor.user_id)
		return kf_err_set(err, KF_EUNAUTH, "sign in first");
	/* The session lookup read the record a moment ago, in this request. */
	if (c->actor.user.id == c->actor.user_id) {
		*out = c->actor.user;
		out->password_hash = NULL;
		return 0;
	}
	if ((rc = kf_ctx_db(c, &db, err)) ||
	    (rc = kf_store_user_get(db, c->actor.user_id, c->arena, out, err)))
		return rc;
	out->password_hash = NULL;
	return 0;
}

int kf_app_user_get(struct kf_ctx *c, int64_t id, struct kf_user *out, struct kf_err *err)
{
	struct kf_db *db;
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_USERS_READ, err)) || (rc = kf_ctx_db(c, &db, err)))
		return rc;
	rc = kf_store_user_get(db, id, c->arena, out, err);
	if (rc == KF_ENOTFOUND)
		return kf_err_set(err, KF_ENOTFOUND, "user %lld not found", (long long)id);
	return rc;
}

int kf_app_user_list(struct kf_ctx *c, int64_t after_id, int limit, struct kf_user **items, int *n,
		     struct kf_err *err)
{
	struct kf_db *db;
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_USERS_READ, err)) || (rc = kf_ctx_db(c, &db, err)))
		return rc;
	return kf_store_user_list(db, after_id, limit, c->arena, items, n, err);
}

static void diff_str(json_t *changes, const char *key, const char *before, const char *after)
{
	if ((before == NULL) != (after == NULL) || (before && strcmp(before, after)))
		json_object_set_new(changes, key,
				    json_pack("{s:o, s:o}", "before",
					      before ? json_string(before) : json_null(), "after",
					      after ? json_string(after) : json_null()));
}

/* The first field of in that is given, or NULL. */
static const char *first_field(const struct kf_user_input *in)
{
	return in->has_password	  ? "password"
	       : in->has_active	  ? "active"
	       : in->has_name	  ? "name"
	       : in->has_role	  ? "role"
	       : in->has_level	  ? "level"
	       : in->has_team	  ? "team_id"
	       : in->has_hired_on ? "hired_on"
				  : NULL;
}

int kf_app_user_update(struct kf_ctx *c, int64_t id, const struct kf_user_input *in,
		       struct kf_user *out, struct kf_err *err)
{
	struct kf_db *db;
	struct kf_user u;
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_USERS_WRITE, err)) || (rc = kf_ctx_db(c, &db, err)))
		return rc;
	if ((rc = kf_store_user_get(db, id, c->arena, &u, err)))
		return rc == KF_ENOTFOUND
			   ? kf_err_set(err, rc, "user %lld not found", (long long)id)
			   : rc;
	/* A built-in account ("@portal", the portal's intake account) is no
	 * sign-in: a password or reactivation would make it one, so nothing of
	 * it may be changed. */
	if (u.login[0] == '@') {
		const char *f = first_field(in);
		return kf_err_field(err, KF_EFORBIDDEN, f ? f : "login",
				    "%s is a built-in account and cannot be changed%s%s", u.login,
				    f ? ": refused field " : "", f ? f : "");
	}
	if (in->version && in->version != u.version)
		return kf_err_field(err, KF_ECONFLICT, "version",
				    "user %lld is at version %lld, not %lld", (long long)id,
				    (long long)u.version, (long long)in->version);
	struct kf_user before = u;
	if (in->has_name)
		u.name = in->name;
	if (in->has_role)
		u.role = in->role;
	if (in->has_level)
		u.level = in->level;
	else if (in->has_role && !kf_role_has_level(kf_role_parse(in->role)))
		u.level = NULL;
	else if (in->has_role && !u.level)
		u.level = "trainee";
	if (in->has_team)
		u.team_id = in->team_id;
	if (in->has_hired_on)
		u.hired_on = in->hired_on;
	if (in->has_active)
		u.active = in->active;
	if ((rc = check_role_level(u.role, u.level, err)))
		return rc;
	if (in->has_team && in->team_id && (rc = check_team(c, db, in->team_id, err)))
		return rc;
	if (id == c->actor.user_id &&
	    ((in->has_active && !in->active) || (in->has_role && strcmp(in->role, before.role))))
		return kf_err_set(err, KF_ECONFLICT,
				  "you may not deactivate yourself or change your own role");
	if (in->has_password &&
	    (rc = kf_app_password_hash(c, in->password, u.login, &u.password_hash, err)))
		return rc;
	u.updated_at = c->now;
	if ((rc = kf_db_begin(db, err)) || (rc = kf_store_user_update(db, &u, err)))
		return rc;
	json_t *changes = json_object();
	diff_str(changes, "name", before.name, u.name);
	diff_str(changes, "role", before.role, u.role);
	diff_str(changes, "level", before.level, u.level);
	diff_str(changes, "hired_on", before.hired_on, u.hired_on);
	if (before.team_id != u.team_id)
		json_object_set_new(
		    changes, "team_id",
		    json_pack("{s:o, s:o}", "before",
			      before.team_id ? json_integer(before.team_id) : json_null(), "after",
			      u.team_id ? json_integer(u.team_id) : json_null()));
	if (before.active != u.active)
		json_object_set_new(
		    changes, "active",
		    json_pack("{s:b, s:b}", "before", before.active, "after", u.active));
	if (in->has_password)
		json_object_set_new(changes, "password", json_string("reset"));
	bool role_changed = strcmp(before.role, u.role) != 0 || diff_level(before.level, u.level);
	rc = kf_app_audit(c, db, role_changed ? "user.role_change" : "user.update", "user",
			  id_str(c, id), json_pack("{s:o}", "changes", changes), err);
	if (rc)
		return rc;
	/* A deactivated account or a reset password ends every session. */
	if ((!u.active || in->has_password) &&
	    (rc = kf_store_session_revoke_user(db, id, 0, c->now, err)))
		return rc;
	if ((rc = kf_db_commit(db, err)))
		return rc;
	u.password_hash = NULL;
	*out = u;
	return 0;
}

json_t *kf_app_user_json(const struct kf_user *u)
{
	char created[40], updated[40];
	kf_time_format(u->created_at, created);
	kf_time_format(u->updated_at, updated);
	json_t *o = json_pack("{s:s, s:s, s:s, s:b, s:s, s:s, s:I}", "login", u->login, "name",
			      u->name, "role", u->role, "active", u->active, "created_at", created,
			      "updated_at", updated, "version", (json_int_t)u->version);
	json_object_set_new(o, "id", json_sprintf("%lld", (long long)u->id));
	json_object_set_new(o, "level", u->level ? json_string(u->level) : json_null());
	json_object_set_new(o, "team_id",
			    u->team_id ? json_sprintf("%lld", (long long)u->team_id) : json_null());
	json_object_set_new(o, "hired_on", u->hired_on ? json_string(u->hired_on) : json_null());
	return o;
}

int kf_app_team_create(struct kf_ctx *c, const char *name, struct kf_team *out, struct kf_err *err)
{
	struct kf_db *db;
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_TEAMS_WRITE, err)) || (rc = kf_ctx_db(c, &db, err)))
		return rc;
	struct kf_team t = {.name = name, .created_at = c->now};
	if ((rc = kf_db_begin(db, err)) || (rc = kf_store_team_insert(db, &t, err)) ||
	    (rc = kf_app_audit(c, db, "team.create", "team", id_str(c, t.id),
			       json_pack("{s:s}", "name", name), err)) ||
	    (rc = kf_db_commit(db, err)))
		return rc;
	*out = t;
	return 0;
}

int kf_app_team_list(struct kf_ctx *c, int64_t after_id, int limit, struct kf_team **items, int *n,
		     struct kf_err *err)
{
	struct kf_db *db;
	int rc;
	if ((rc = kf_ctx_require(c, KF_PERM_TEAMS_READ, err)) || (rc = kf_ctx_db(c, &db, err)))
		return rc;
	return kf_store_team_list(db, after_id, limit, c->arena, items, n, err);
}

json_t *kf_app_team_json(const struct kf_team *t)
{
	char created[40];
	kf_time_format(t->created_at, created);
	return json_pack("{s:o, s:s, s:s, s:I}", "id", json_sprintf("%lld", (long long)t->id),
			 "name", t->name, "created_at", created, "version", (json_int_t)t->version);
}
